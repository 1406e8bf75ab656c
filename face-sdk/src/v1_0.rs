//! The Face REST API v1.0, generated from `spec/face.yaml`: the data types of the wire format
//! and the operations, one module per group.
//!
//! [`FaceClient::v1_0`](crate::FaceClient::v1_0) returns the [`Api`] of this version; its
//! accessors (`face()`, `face_list()`, `large_person_group()`, …) return the groups, whose
//! methods take the required parameters and return a builder for the optional ones, which
//! sends the request when it is awaited.
//!
//! v1.0 is the version of the service's deprecated clients; new code should use
//! [`v1_2`](crate::v1_2) where it is enabled. v1.0 takes only a subscription key.

/// The data types of the Face API v1.0: request and response bodies and the string enums of
/// the wire format.
///
/// Enums keep values they do not know in an `Unrecognized` variant, so a response from a
/// newer service still decodes. Structs that requests carry and that have constraints have a
/// `validate` method, which the client calls before sending them.
///
/// Structs and enums are `#[non_exhaustive]`: build a struct with `new` and assign its optional
/// fields, and match an enum with a wildcard arm (as the docs of `v1_2::models` show).
pub mod models {
    #[doc(inline)]
    pub use face_sdk_types::v1_0::models::*;
}

/// The operations of the Face API v1.0, one module per group, and the [`Api`] that holds them.
#[rustfmt::skip]
#[path = "generated/v1_0/operations/mod.rs"]
pub mod operations;

pub use operations::Api;

impl crate::FaceClient {
    /// The operations of the Face API v1.0, sent with this client.
    #[cfg_attr(docsrs, doc(cfg(feature = "v1_0")))]
    pub fn v1_0(&self) -> Api {
        Api::new(self.clone())
    }
}
