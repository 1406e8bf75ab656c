//! The Face API v1.0, from `spec/face.yaml`.

/// The models of the Face API v1.0, generated from `spec/face.yaml`: read them, with their
/// docs, as `face_sdk::v1_0::models`.
#[rustfmt::skip]
#[path = "generated/v1_0/models.rs"]
pub mod models;
