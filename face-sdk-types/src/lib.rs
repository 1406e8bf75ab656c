//! The data types of the Face SDK: the models of the Face API's wire format, its kinds of id,
//! and the one error type, without the HTTP client.
//!
//! Use them through [face-sdk](https://docs.rs/face-sdk), which re-exports each of them where
//! its users find them (`face_sdk::Error`, `face_sdk::v1_2::models`, …); that crate's docs are
//! the ones to read. They live in a crate of their own so that a build compiles them beside
//! the HTTP stack that face-sdk's client stands on, rather than after it.
//!
//! # Features
//!
//! - `v1_2` (default): the models of the Face API v1.2, [`v1_2`].
//! - `v1_0` (opt-in): the models of the Face API v1.0, `v1_0`.

#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod error;
#[doc(hidden)]
pub mod runtime;

#[doc(hidden)]
pub use error::is_retryable_status;
pub use error::{Error, ServiceError};

#[cfg(feature = "v1_0")]
#[cfg_attr(docsrs, doc(cfg(feature = "v1_0")))]
pub mod v1_0;

#[cfg(feature = "v1_2")]
#[cfg_attr(docsrs, doc(cfg(feature = "v1_2")))]
pub mod v1_2;

pub use chrono;
pub use uuid;
