//! The Face API v1.2, from `spec/face-v1.2.yaml`.

/// The models of the Face API v1.2, generated from `spec/face-v1.2.yaml`: read them, with their
/// docs, as `face_sdk::v1_2::models`.
#[rustfmt::skip]
#[path = "generated/v1_2/models.rs"]
pub mod models;
