//! The Face REST API v1.2, the version the service's current clients speak, generated from
//! `spec/face-v1.2.yaml`: the data types of the wire format and the operations, one module per
//! group.
//!
//! [`FaceClient::v1_2`](crate::FaceClient::v1_2) returns the [`Api`] of this version; its
//! accessors (`face()`, `large_person_group()`, `liveness_session()`, …) return the groups,
//! whose methods take the required parameters and return a builder for the optional ones,
//! which sends the request when it is awaited.
//!
//! Every v1.2 operation accepts a subscription key or a Microsoft Entra ID token (see
//! [`TokenCredential`](crate::TokenCredential)).

/// The data types of the Face API v1.2: request and response bodies and the string enums of
/// the wire format.
///
/// Enums keep values they do not know in an `Unrecognized` variant, so a response from a
/// newer service still decodes. Structs with constraints have a `validate` method, which
/// the client calls before sending them.
#[rustfmt::skip]
#[path = "generated/v1_2/models.rs"]
pub mod models;

/// The operations of the Face API v1.2, one module per group, and the [`Api`] that holds them.
#[rustfmt::skip]
#[path = "generated/v1_2/operations/mod.rs"]
pub mod operations;

pub use operations::Api;

impl crate::FaceClient {
    /// The operations of the Face API v1.2, sent with this client.
    pub fn v1_2(&self) -> Api {
        Api::new(self.clone())
    }
}
