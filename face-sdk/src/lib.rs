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
//! The client authenticates with a subscription key, sent in the
//! `Ocp-Apim-Subscription-Key` header, or with a [`TokenCredential`] (Microsoft
//! Entra ID), whose tokens are sent as `Authorization: Bearer <token>`. Either
//! header is marked sensitive, and neither the key nor a token ever appears in
//! the `Debug` or `Display` output of any type of this crate, nor in its logs
//! or errors (also when a server echoes it in an error body).
//!
//! The client needs a Tokio runtime with its time driver enabled (the
//! default of `#[tokio::main]`): timeouts and retry delays use Tokio timers.
//!
//! # Example
//!
//! Required parameters are positional, optional ones are builder setters, and a
//! builder sends its request when it is awaited (or through `.send()`):
//!
//! ```no_run
//! use std::time::Duration;
//! use face_sdk::v1_0::models::{DetectionModel, FaceAttributeType, FindSimilarMatchMode, RecognitionModel};
//! use face_sdk::{FaceClient, RetryPolicy};
//!
//! # async fn demo(image: Vec<u8>) -> Result<(), face_sdk::Error> {
//! let client = FaceClient::new("https://westus.api.cognitive.microsoft.com", "<subscription key>")?;
//! // or with every setting:
//! let client = FaceClient::builder("https://westus.api.cognitive.microsoft.com")
//!     .api_key("<subscription key>")
//!     .timeout(Duration::from_secs(20))
//!     .retry(RetryPolicy::default().max_retries(5))
//!     .http_client(reqwest::Client::new())
//!     .build()?;
//!
//! let faces = client
//!     .v1_0().face()
//!     .detect_with_url("https://example.com/people.jpg")
//!     .return_face_landmarks(true)
//!     .return_face_attributes([FaceAttributeType::Age, FaceAttributeType::Glasses])
//!     .recognition_model(RecognitionModel::Recognition04)
//!     .detection_model(DetectionModel::Detection01) // detection_03 returns no age or glasses
//!     .face_id_time_to_live(120)
//!     .await?; // Vec<DetectedFace>
//! let uploaded = client.v1_0().face().detect_with_stream(image).await?;
//!
//! let face_id = faces[0].face_id.unwrap_or_default();
//! let (face_id1, face_id2) = (face_id, uploaded[0].face_id.unwrap_or_default());
//! let candidate_ids = vec![face_id2];
//! let similar = client
//!     .v1_0().face()
//!     .find_similar(face_id)
//!     .face_ids(candidate_ids)
//!     .mode(FindSimilarMatchMode::MatchFace)
//!     .await?;
//! let groups = client.v1_0().face().group([face_id1, face_id2]).await?;
//! let identified = client
//!     .v1_0().face()
//!     .identify([face_id])
//!     .person_group_id("staff")
//!     .confidence_threshold(0.6)
//!     .await?;
//! let same = client.v1_0().face().verify_face_to_face(face_id1, face_id2).await?;
//! let person_id = identified[0].candidates[0].person_id;
//! let same_person = client
//!     .v1_0().face()
//!     .verify_face_to_person(face_id, person_id)
//!     .large_person_group_id("staff")
//!     .timeout(Duration::from_secs(5))
//!     .header("x-request-tag", "example")
//!     .await?;
//!
//! // the raw form: status, headers and the typed body
//! let response = client.v1_0().large_person_group().train("staff").send_raw().await?;
//! println!("{:?} {:?}", response.status(), response.operation_location());
//! # let _ = (similar, groups, same, same_person);
//! # Ok(())
//! # }
//! ```

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
mod polling;
mod response;
mod retry;
pub mod runtime;
mod token;

pub use body::{Body, UploadProgress};
pub use client::{DEFAULT_DEADLINE, DEFAULT_MAX_RESPONSE_BODY, FaceClient, FaceClientBuilder};
pub use download::ByteStream;
pub use error::{Error, ServiceError};
pub use polling::Polling;
pub use response::Response;
pub use runtime::Call;
pub use retry::RetryPolicy;
pub use token::{AccessToken, TOKEN_REFRESH_MARGIN, TokenCredential, TokenFuture};

#[cfg(feature = "v1_0")]
pub mod v1_0;
#[cfg(feature = "v1_2")]
pub mod v1_2;

pub use chrono;
pub use uuid;
