//! Support for the generated operation code: building a request, checking
//! its parameters against the service's rules, and sending it with retries,
//! timeouts, tracing and error mapping.
//!
//! The typed operations of this crate are built on these pieces; they are
//! public so that an operation the typed API lacks can be called the same way.

pub mod check;
mod encode;
pub(crate) mod failure;
mod multipart;
mod options;
mod pages;
mod prepare;
mod read;
mod request;
mod send;
mod wait;

use std::future::Future;
use std::pin::Pin;

pub use crate::body::UploadProgress;
pub use crate::download::ByteStream;
pub use options::CallOptions;
pub use pages::{BoxStream, paginate};
pub use request::OperationRequest;
pub use send::{send_bytes, send_empty, send_json, send_stream};
pub use wait::{Progress, location_id, wait_for};

/// A boxed future that can be sent between threads: what the operation
/// builders resolve to when awaited.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;
