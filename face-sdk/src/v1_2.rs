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
//!
//! # Example
//!
//! ```no_run
//! use face_sdk::v1_2::models::{
//!     DetectionModel, FaceAttributeType, LivenessOperationMode, RecognitionModel,
//! };
//! use face_sdk::FaceClient;
//!
//! #[tokio::main]
//! async fn main() -> Result<(), face_sdk::Error> {
//!     // a subscription key, or `.credential(..)` with a Microsoft Entra ID `TokenCredential`
//!     let client = FaceClient::new("https://westus.api.cognitive.microsoft.com", "<subscription key>")?;
//!     let faces = client
//!         .v1_2()
//!         .face()
//!         .detect_from_url("https://example.com/people.jpg")
//!         .return_face_attributes([FaceAttributeType::HeadPose, FaceAttributeType::QualityForRecognition])
//!         .recognition_model(RecognitionModel::Recognition04)
//!         .detection_model(DetectionModel::Detection03)
//!         .await?;
//!     for face in &faces {
//!         println!("{:?} at {:?}", face.face_id, face.face_rectangle);
//!     }
//!
//!     // a liveness session for a device: hand `auth_token` to the app, read the result later
//!     let session = client
//!         .v1_2()
//!         .liveness_session()
//!         .create(LivenessOperationMode::Passive)
//!         .device_correlation_id("device-1234")
//!         .await?;
//!     let result = client.v1_2().liveness_session().get_result(&session.session_id).await?;
//!     println!("{:?}", result.status);
//!     Ok(())
//! }
//! ```
//!
//! # Ids
//!
//! Each kind of id is its own type in [`models`] (`FaceId`, `PersistedFaceId`, `PersonId`,
//! `PersonGroupId`, `LargePersonGroupId`, …; the spec's `x-sdk-ids`), so an id of one kind
//! passed where another is expected does not compile. Ids chosen by the caller still take a
//! literal, and identify from the person directory searches a list of persons or all of them:
//!
//! ```no_run
//! use face_sdk::v1_2::models::{LargePersonGroupId, PersonIds};
//!
//! # async fn demo(client: face_sdk::FaceClient) -> Result<(), face_sdk::Error> {
//! let face = client.v1_2().face();
//! let faces = face.detect_from_url("https://example.com/people.jpg").return_face_id(true).await?;
//! let face_ids: Vec<_> = faces.iter().filter_map(|face| face.face_id).collect();
//!
//! let staff = LargePersonGroupId::from("staff");
//! let known = face.identify_from_large_person_group(face_ids.clone(), &staff).await?;
//! let alice = known[0].candidates[0].person_id;
//!
//! let anyone = face.identify_from_person_directory(face_ids.clone(), PersonIds::All).await?;
//! let just_alice = face.identify_from_person_directory(face_ids, [alice]).await?;
//! # let _ = (anyone, just_alice);
//! # Ok(())
//! # }
//! ```

/// The data types of the Face API v1.2: request and response bodies and the string enums of
/// the wire format.
///
/// Enums keep values they do not know in an `Unrecognized` variant, so a response from a
/// newer service still decodes. Structs that requests carry and that have constraints have a
/// `validate` method, which the client calls before sending them.
///
/// Structs and enums are `#[non_exhaustive]`, so that a field or value the service adds is
/// not a breaking change: build a struct with `new`, from its required fields in the spec's
/// order, then assign its optional fields (a struct whose fields are all optional also
/// implements `Default`); match an enum with a wildcard arm.
///
/// ```
/// use face_sdk::v1_2::models::{FaceDetectionResult, FaceRectangle, OperationState, RecognitionModel};
///
/// // a response fixture for a test of code that reads detection results
/// let mut face = FaceDetectionResult::new(FaceRectangle::new(10, 20, 64, 64)); // top, left, width, height
/// face.recognition_model = Some(RecognitionModel::Recognition04);
/// assert_eq!((face.face_rectangle.left, face.face_rectangle.width), (20, 64));
/// assert_eq!(face.face_id, None);
///
/// fn describe(state: &OperationState) -> &'static str {
///     match state {
///         OperationState::Succeeded => "done",
///         OperationState::Failed | OperationState::Canceled => "stopped",
///         OperationState::NotStarted | OperationState::Running => "pending",
///         _ => "unknown", // `Unrecognized`, and values a later version adds
///     }
/// }
/// assert_eq!(describe(&OperationState::from("Paused".to_owned())), "unknown");
/// ```
pub mod models {
    #[doc(inline)]
    pub use face_sdk_types::v1_2::models::*;
}

/// The operations of the Face API v1.2, one module per group, and the [`Api`] that holds them.
#[rustfmt::skip]
#[path = "generated/v1_2/operations/mod.rs"]
pub mod operations;

pub use operations::{Api, ServiceVersion};

impl crate::FaceClientBuilder {
    /// The version of the Face service that the operations of this module call (the URL's
    /// version segment): [`ServiceVersion::V1_2`] unless set. An operation, parameter or
    /// field that a later version added says so in its docs ("Available from
    /// v1.3-preview.1"); calling or setting it on a client of an earlier version fails with
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest), naming the version that has
    /// it, before anything is sent. Properties that only a later version returns are
    /// optional, and absent from an earlier version's answers.
    ///
    /// ```
    /// use face_sdk::v1_2::ServiceVersion;
    ///
    /// let client = face_sdk::FaceClient::builder("https://westus.api.cognitive.microsoft.com")
    ///     .api_key("<subscription key>")
    ///     .service_version(ServiceVersion::V1_3Preview1)
    ///     .build()?;
    /// // client.v1_2().liveness_session().get_settings() now calls /face/v1.3-preview.1/…
    /// # let _ = client;
    /// # Ok::<(), face_sdk::Error>(())
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "v1_2")))]
    pub fn service_version(self, version: ServiceVersion) -> Self {
        self.family_version(&operations::SERVICE_VERSIONS, version as usize)
    }
}

impl crate::FaceClient {
    /// The operations of the Face API v1.2, sent with this client.
    #[cfg_attr(docsrs, doc(cfg(feature = "v1_2")))]
    pub fn v1_2(&self) -> Api {
        Api::new(self.clone())
    }
}
