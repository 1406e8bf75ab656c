//! Typed async client for the Face REST API v1.2: detect faces in images, then find similar
//! faces, group, identify and verify them, manage the face lists and person groups they are
//! matched against, and run liveness sessions.
//!
//! # Features
//!
//! - `v1_2` (default): the Face API v1.2, [`v1_2`], the version the service's current clients
//!   speak.
//! - `v1_0` (opt-in): the Face API v1.0, `v1_0`, whose official client is deprecated.
//! - `rustls` (default): HTTPS with rustls and the aws-lc-rs crypto provider; `rustls-ring`:
//!   rustls with ring (no C build of AWS-LC); `native-tls`: the platform's TLS. With none of
//!   them, https needs a `reqwest::Client` given with [`FaceClientBuilder::http_client`].
//!
//! # The client
//!
//! A [`FaceClient`] holds the endpoint of a Face resource, its subscription key or token
//! credential, a pool of HTTP connections, the per-attempt timeout, the call deadline, the
//! response body limit and the [`RetryPolicy`]. It is cheap to clone and meant to be shared.
//! Every call returns a [`Result`] whose [`Error`] tells apart a request rejected before it was
//! sent, an error answered by the service ([`ServiceError`]), a connection failure, a timeout
//! and a response that could not be decoded.
//!
//! The client authenticates with a subscription key, sent in the `Ocp-Apim-Subscription-Key`
//! header, or with a [`TokenCredential`] (Microsoft Entra ID), whose tokens are sent as
//! `Authorization: Bearer <token>`. Either header is marked sensitive, and neither the key nor
//! a token ever appears in the `Debug` or `Display` output of any type of this crate, nor in
//! its logs or errors (also when a server echoes it in an error body).
//!
//! The client needs a Tokio runtime with its time driver enabled (the default of
//! `#[tokio::main]`): timeouts and retry delays use Tokio timers.
//!
//! # Calls
//!
//! Every operation method takes the required parameters and returns a [`Call`]: its optional
//! parameters are set with methods of the builder type the method names (`DetectFromUrlBuilder`,
//! …), and every call has [`header`](Call::header), [`timeout`](Call::timeout),
//! [`deadline`](Call::deadline) and [`retry`](Call::retry). A call sends its request when it is awaited (or with
//! [`send`](Call::send), or [`send_raw`](Call::send_raw) for the status and headers too); its
//! parameters are checked against the spec's rules first, and a call that breaks one fails
//! with [`Error::InvalidRequest`] before anything is sent. An operation the typed API lacks can
//! be called through [`runtime`].
//!
//! # Example
//!
//! ```no_run
//! use std::time::Duration;
//! use face_sdk::v1_2::models::{FaceAttributeType, FindSimilarMatchMode, RecognitionModel};
//! use face_sdk::{FaceClient, RetryPolicy};
//!
//! # async fn demo(image: Vec<u8>) -> Result<(), face_sdk::Error> {
//! let client = FaceClient::new("https://westus.api.cognitive.microsoft.com", "<subscription key>")?;
//! // or with every setting:
//! let client = FaceClient::builder("https://westus.api.cognitive.microsoft.com")
//!     .api_key("<subscription key>")
//!     .timeout(Duration::from_secs(20))
//!     .retry(RetryPolicy::default().max_retries(5))
//!     .build()?;
//! let face = client.v1_2().face();
//!
//! let faces = face
//!     .detect_from_url("https://example.com/people.jpg")
//!     .return_face_id(true)
//!     .return_face_landmarks(true)
//!     .return_face_attributes([FaceAttributeType::HeadPose, FaceAttributeType::Glasses])
//!     .recognition_model(RecognitionModel::Recognition04)
//!     .face_id_time_to_live(120)
//!     .await?; // Vec<FaceDetectionResult>
//! let uploaded = face.detect(image).return_face_id(true).await?;
//!
//! let face_id = faces[0].face_id.unwrap_or_default();
//! let (face_id1, face_id2) = (face_id, uploaded[0].face_id.unwrap_or_default());
//! let similar = face
//!     .find_similar(face_id, [face_id2])
//!     .mode(FindSimilarMatchMode::MatchFace)
//!     .await?;
//! let groups = face.group([face_id1, face_id2]).await?;
//! let identified = face
//!     .identify_from_person_group([face_id], "staff")
//!     .confidence_threshold(0.6)
//!     .await?;
//! let same = face.verify_face_to_face(face_id1, face_id2).await?;
//! let person_id = identified[0].candidates[0].person_id;
//! let same_person = face
//!     .verify_from_large_person_group(face_id, "staff", person_id)
//!     .timeout(Duration::from_secs(5))
//!     .header("x-request-tag", "example")
//!     .await?;
//!
//! // the raw form: status, headers and the typed body
//! let response = client.v1_2().large_person_group().train("staff").send_raw().await?;
//! println!("{:?} {:?}", response.status(), response.operation_location());
//! # let _ = (similar, groups, same, same_person);
//! # Ok(())
//! # }
//! ```

#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod body;
mod client;
mod credentials;
mod download;
mod error;
mod file_part;
mod polling;
mod response;
mod retry;
pub mod runtime;
mod token;

pub use body::{Body, UploadProgress};
pub use client::{DEFAULT_DEADLINE, DEFAULT_MAX_RESPONSE_BODY, FaceClient, FaceClientBuilder};
pub use download::ByteStream;
pub use face_sdk_types::{Error, ServiceError};
pub use file_part::FilePart;
pub use polling::Polling;
pub use response::Response;
pub use retry::RetryPolicy;
pub use runtime::Call;
pub use token::{AccessToken, TOKEN_REFRESH_MARGIN, TokenCredential, TokenFuture};

#[cfg(feature = "v1_0")]
#[cfg_attr(docsrs, doc(cfg(feature = "v1_0")))]
pub mod v1_0;
#[cfg(feature = "v1_2")]
#[cfg_attr(docsrs, doc(cfg(feature = "v1_2")))]
pub mod v1_2;

pub use bytes;
pub use face_sdk_types::{chrono, uuid};
