//! Typed async client for the Face REST API v1.0: detect faces in images, then
//! find similar faces, group, identify and verify them, and manage the face
//! lists, person groups and snapshots they are matched against.
//!
//! A [`FaceClient`] holds the endpoint of a Face resource, its subscription
//! key, a pool of HTTP connections, the per-attempt timeout and the
//! [`RetryPolicy`]. It is cheap to clone and meant to be shared. Every call
//! returns a [`Result`] whose [`Error`] tells apart a request rejected before
//! it was sent, an error answered by the service ([`ServiceError`]), a
//! connection failure, a timeout and a response that could not be decoded.
//!
//! The subscription key is sent in the `Ocp-Apim-Subscription-Key` header
//! only, is marked sensitive, and never appears in the `Debug` or `Display`
//! output of any type of this crate, nor in its logs or errors.
//!
//! The client needs a Tokio runtime with its time driver enabled (the
//! default of `#[tokio::main]`): timeouts and retry delays use Tokio timers.

#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod body;
mod client;
mod credentials;
mod error;
mod polling;
mod response;
mod retry;
pub mod runtime;

pub use body::{Body, UploadProgress};
pub use client::{FaceClient, FaceClientBuilder};
pub use error::{Error, ServiceError};
pub use polling::Polling;
pub use response::Response;
pub use retry::RetryPolicy;

/// The data types of the Face API, generated from `spec/face.yaml`: request and response
/// bodies and the string enums of the wire format.
///
/// Enums keep values they do not know in an `Unrecognized` variant, so a response from a
/// newer service still decodes. Structs with constraints have a `validate` method, which
/// the client calls before sending them.
#[rustfmt::skip]
#[path = "generated/models.rs"]
pub mod models;

/// The operations of the Face API, generated from `spec/face.yaml`, one module per group.
///
/// `client.face()`, `client.face_list()` and the other accessors of [`FaceClient`] return
/// a group; its methods take the required parameters and return a builder for the optional
/// ones, which sends the request when it is awaited.
#[rustfmt::skip]
#[path = "generated/operations/mod.rs"]
pub mod operations;

pub use chrono;
pub use uuid;
