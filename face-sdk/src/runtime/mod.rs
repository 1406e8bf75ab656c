//! Calling an operation the typed API does not have (a preview operation, say), with the
//! same client, retries, timeouts, deadline, limits and error mapping as every typed call:
//! build an [`OperationRequest`], set [`CallOptions`] if needed, and send it with
//! [`send_json`], [`send_empty`], [`send_bytes`] or [`send_stream`].
//!
//! ```no_run
//! use face_sdk::runtime::{self, CallOptions, OperationRequest};
//!
//! # async fn demo(client: face_sdk::FaceClient) -> Result<(), face_sdk::Error> {
//! let mut request = OperationRequest::new(
//!     "LargeFaceList_Get",
//!     reqwest::Method::GET,
//!     "/face/v1.2/largefacelists/{largeFaceListId}",
//!     200,
//! );
//! request.path_param("largeFaceListId", "my-list");
//! let list = runtime::send_json::<serde_json::Value>(&client, request, CallOptions::default())
//!     .await?
//!     .into_body();
//! # let _ = list;
//! # Ok(())
//! # }
//! ```
//!
//! These are the documented items of the runtime. The items hidden from these docs
//! (`call`, `check`, `paginate`, `wait_for`, …) are what the generated operations call; they
//! are not covered by semver: do not use them.

#[doc(hidden)]
pub mod call;
#[doc(hidden)]
pub mod check;
mod encode;
pub(crate) mod failure;
mod multipart;
mod options;
mod pages;
mod prepare;
pub(crate) mod read;
mod request;
mod send;
#[doc(hidden)]
pub mod version;
mod wait;

use std::future::Future;
use std::pin::Pin;

pub use crate::body::UploadProgress;
pub use crate::download::ByteStream;
#[doc(hidden)]
pub use call::Call;
pub use options::CallOptions;
pub use pages::BoxStream;
#[doc(hidden)]
pub use pages::paginate;
pub use request::OperationRequest;
pub use send::{send_bytes, send_empty, send_json, send_stream};
#[doc(hidden)]
pub use wait::location_id;
#[doc(hidden)]
pub use wait::{Progress, wait_for};

/// A boxed future that can be sent between threads: what a [`Call`] resolves to when
/// awaited.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;
