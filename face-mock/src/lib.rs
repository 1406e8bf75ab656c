//! A local emulator of the Face REST API v1.0, v1.2 and v1.3-preview.1, for testing clients without the service.
//!
//! It is the spec plus the behaviour no spec can state. Its routes are built
//! from `spec/face.yaml` and `spec/face-v1.2.yaml`, through the tables `cargo xtask
//! regenerate` writes from the generator's reading of them (no YAML is parsed at run
//! time): each operation's method
//! and path, under the base path of each service version its spec lists (`/face/v1.0`;
//! `/face/v1.2` and `/face/v1.3-preview.1` from the one table of the v1.2 family, each
//! version routing, checking and answering only what it has),
//! lead to the handler of its `operationId`; start-up fails on a handler
//! that no spec names, and a spec operation without a handler yet answers 501. All versions
//! share one store. One validation layer checks every request against its
//! spec before any handler runs: the key, the media type, and every
//! constraint (required fields, types, ranges, item counts, lengths, id
//! patterns, enum values, `x-sdk-exactly-one-of` groups, `x-sdk-allowed-items`
//! tables, binary body sizes, the fields of multipart forms); it fills in the
//! spec's defaults and pages lists by `x-sdk-pagination`. Handlers keep state
//! (face lists, person groups, persons, faces, training, snapshots,
//! operations, liveness sessions), answer deterministically, and add only what
//! the specs do not say: image formats (JPEG, PNG, GIF, BMP by their magic
//! bytes), quotas, the service's error codes and messages. Errors have the
//! service's status and body `{"error": {"code": "...", "message": "..."}}`;
//! under a spec that declares it (v1.2), the code is also in `x-ms-error-code`.
//!
//! What differs between the versions follows from the specs: v1.2 has no
//! snapshots (and no operation-status route), identify returns 10 candidates
//! by default (v1.0: 1), the attributes v1.2 no longer lists (emotion, gender,
//! makeup) are refused with 400 `BadArgument`, and values are spelled as each
//! spec spells them (`notstarted` / `notStarted`). v1.2's person directory and
//! dynamic person groups have no operations in the spec, so the emulator's are
//! empty: a directory person or dynamic group named in identify or verify is
//! not found.
//!
//! # Use from a test
//!
//! ```no_run
//! # async fn demo() -> Result<(), face_mock::StartError> {
//! let server = face_mock::MockServer::start(face_mock::MockConfig::new()).await?;
//! let endpoint = server.endpoint(); // http://127.0.0.1:PORT
//! let key = server.key();           // mock-key
//! # let _ = (endpoint, key);
//! # Ok(()) }
//! ```
//!
//! From the command line: `cargo run -p face-mock -- --port 5005 [--key K]
//! [--token T]... [--any-token] [--seed FILE] [--training-polls N]`.
//!
//! # Authentication
//!
//! A request carries the key in `Ocp-Apim-Subscription-Key` or, without that
//! header, a token in `Authorization: Bearer <token>`. By default the key is
//! [`DEFAULT_KEY`] (`mock-key`) and the only token [`DEFAULT_TOKEN`]
//! (`mock-token`); [`MockConfig::with_key`], [`MockConfig::with_bearer_tokens`]
//! and [`MockConfig::with_any_bearer_token`] change that.
//!
//! # Faults
//!
//! To test retry handling, make chosen operations (by `operationId`, in every
//! version that has it, or `*` for all) answer 429 with `Retry-After`, a 5xx,
//! or slowly, a number of times or until cleared:
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use face_mock::{Fault, MockConfig, MockServer};
//!
//! let server = MockServer::start(MockConfig::new()).await?;
//! server.inject(Fault::throttle("Face_Detect", Duration::from_secs(1)).times(2))?;
//! server.inject(Fault::error("PersonGroup_List", 503))?; // until cleared
//! server.inject(Fault::slow("*", Duration::from_millis(300)).times(1))?;
//! server.clear_faults();
//! # Ok(()) }
//! ```
//!
//! Over HTTP (with the key), under the reserved prefix [`FAULTS_PATH`]:
//! `POST /face-mock/faults` with `{"operation": "Face_Detect", "status": 429,
//! "retryAfterSeconds": 1, "delayMilliseconds": 0, "times": 2}` (`status`,
//! `retryAfterSeconds`, `delayMilliseconds` and `times` optional, but a status or
//! a delay needed), `GET` lists the faults in force, `DELETE` clears them. The
//! first fault set that matches a request applies.
//!
//! # Liveness sessions (v1.2)
//!
//! `POST /face/v1.2/detectLiveness-sessions` (JSON) and
//! `/detectLivenessWithVerify-sessions` (a multipart form with the
//! `verifyImage` file part, whose one face becomes the reference) answer with
//! a session id and an auth token; `GET …/{sessionId}` reads the result,
//! `DELETE` answers 204 and removes the session, its token and its images. A
//! device finishes a session; in tests the control does, with the decision
//! and the person in front of the camera (as in the `FACE-MOCK:person=` tag):
//!
//! ```no_run
//! # async fn demo(server: &face_mock::MockServer, session_id: &str) -> Result<(), face_mock::ApiError> {
//! use face_mock::LivenessAttempt;
//! server.finish_liveness_session(session_id, LivenessAttempt::real().showing("alice"))?;
//! // or LivenessAttempt::spoof(), LivenessAttempt::uncertain(), with or without a person
//! # Ok(()) }
//! ```
//!
//! or, over HTTP with the key, `POST /face-mock/liveness-sessions/{sessionId}/attempts`
//! with `{"livenessDecision": "realface", "person": "alice"}`. The attempt's
//! verify result compares that person's synthetic face with the reference
//! face (identical when the confidence reaches `verifyConfidenceThreshold`, or
//! 0.5); when the session was created with `enableSessionImage`, the frame is
//! kept: `GET /face/v1.2/sessionImages/{id}` downloads it and detect accepts
//! `{"sessionImageId": id}`. `cargo run --example liveness` walks the flow
//! through `face_sdk::v1_2`.
//!
//! # Liveness settings and attempts (v1.3-preview.1)
//!
//! `GET` and `PATCH /face/v1.3-preview.1/settings` read and change whether abuse
//! monitoring is on (kept in the store, off at start); a session records it at creation
//! (`isAbuseMonitoringEnabled`), and its attempts then carry an `abuseMonitoringResult`
//! that finds no abuse. `GET /settings/getClientAssetsAccessToken` answers a fresh token
//! that expires one hour after the emulator's [`Clock`]. A session created with
//! `numberOfClientAttemptsAllowed` takes that many attempts from the control and
//! refuses the next with 409 `AttemptsExhausted` (a session created without it, or at
//! v1.2, which ignores the field, takes any number). Each attempt's `clientInformation`
//! is the address the control gives, [`LivenessAttempt::from_address`] or `"clientIp"`
//! over HTTP, else [`DEFAULT_CLIENT_IP`]. v1.2 answers leave all of this out.
//!
//! # What an image shows
//!
//! Detect derives faces from the image bytes (or, for detect from a URL, from
//! the URL text; nothing is downloaded): the same image always gives the same
//! rectangles, landmarks, attributes and features, and different images give
//! different faces. By default an image shows one face, of a person seen in no
//! other image. A tag anywhere in the bytes (a JPEG comment or PNG text chunk
//! can hold it) or in the URL changes that:
//!
//! - `FACE-MOCK:faces=0` — no face (detect answers `[]`);
//! - `FACE-MOCK:faces=3` — three faces;
//! - `FACE-MOCK:person=alice` — one face of the person `alice`: any two images
//!   tagged `alice` show the same person (find similar, group, identify and
//!   verify treat them so), and seeded faces of `alice` match them;
//! - `FACE-MOCK:person=alice,bob;faces=3` — faces of `alice`, `bob`, and one unknown person.
//!
//! In a URL the tag may be percent-encoded, e.g.
//! `https://example.com/a.jpg?FACE-MOCK:person%3Dalice`.
//!
//! Faces of the same person have a similarity of about 0.9; others about 0.
//! Verify, identify (default threshold), find similar in `matchPerson` mode and
//! group take 0.5 as the same-person threshold; `matchFace` ranks without one.
//!
//! # Time, training and operations
//!
//! Face ids expire after `faceIdTimeToLive` seconds by [`Clock`]; use
//! [`Clock::manual`] and [`Clock::advance`] to expire them without sleeping.
//! Expired face ids are forgotten soonest first, without scanning the live
//! ones, and a live face id keeps only the seeds of its features: a detect
//! takes as long with 500,000 live face ids as with none (`cargo run
//! --release -p face-mock --example detect_load`).
//! Training (and every operation behind an `Operation-Location`) moves on each
//! time its status is read: with [`MockConfig::training_polls`] = 2 (the
//! default), reads report `notstarted`, `running`, then `succeeded`; with 0 it
//! is finished at once. Identify needs a group whose training has succeeded and
//! is not under way again. Train, snapshot take and snapshot apply answer 202
//! with `Operation-Location: /operations/{operationId}` (relative to
//! `{Endpoint}/face/v1.0`); reading that operation reports (and moves on) the
//! same steps, and a finished take or apply names its result in `resourceLocation`.
//!
//! # Errors
//!
//! A missing or wrong key is 401 (code `"401"`); an unknown path or method 404
//! (code `"404"`); a body of the wrong media type 415; a broken rule 400
//! `BadArgument` (or `InvalidImage`, `InvalidImageSize`, `InvalidURL`, and the
//! codes identify uses for its group choice); missing objects the service's
//! `*NotFound` codes (404, or 400 where the service answers 400, as identify
//! and find similar do); conflicts 409 (`*Exists`, `*TrainingNotFinished`).
//! Bodies are capped at 6 MB + 1 byte and 20 seconds; a declared
//! `Content-Length` over the cap is refused as soon as the headers arrive
//! (`InvalidImageSize` for an image upload, `BadArgument` otherwise); JSON
//! nesting is bounded.
//!
//! # Connections
//!
//! After an early answer (a wrong key, an unknown route, a body over the cap)
//! the unread rest of the body is read and discarded, up to the cap and within
//! 5 seconds, so the connection can carry the next request; past those bounds
//! the answer says `Connection: close`. A connection that takes longer than
//! [`MockConfig::header_timeout`] (default 30 s) to send a request's headers,
//! or stays idle that long, is closed.
//!
//! # Seed file
//!
//! The state can be seeded from JSON ([`Seed`]); every key is optional:
//!
//! ```json
//! {
//!   "personGroups": [{
//!     "personGroupId": "friends", "name": "Friends", "userData": "optional",
//!     "recognitionModel": "recognition_04", "trained": true,
//!     "persons": [{
//!       "personId": "25985303-c537-4467-b41d-bdb45cd95ca1", "name": "Alice",
//!       "faces": [{"person": "alice"}, {"person": "alice", "userData": "profile"}]
//!     }]
//!   }],
//!   "largePersonGroups": [{"largePersonGroupId": "staff", "persons": []}],
//!   "faceLists": [{"faceListId": "celebrities", "faces": [{"person": "bob"}]}],
//!   "largeFaceLists": [{"largeFaceListId": "archive", "trained": true, "faces": []}]
//! }
//! ```
//!
//! `person` names the identity a face shows, as in the image tag; ids not given
//! are generated; names default to the id; recognition models to
//! `recognition_01`; groups and large face lists start trained unless
//! `"trained": false`.

#![warn(missing_docs)]

mod app;
mod clock;
mod config;
mod error;
#[rustfmt::skip]
mod generated {
    //! The tables `cargo xtask regenerate` writes from the specs; never edited by hand.
    pub(crate) mod v1_0;
    pub(crate) mod v1_2;

    /// Every table the emulator serves, v1.0's first (the one seeds are described in).
    pub(crate) static TABLES: [&crate::rules::table::Api; 2] = [&v1_0::API, &v1_2::API];
}
mod handlers;
mod http;
pub mod rules;
mod server;
mod state;
mod synth;

pub use clock::Clock;
pub use config::{BearerTokens, DEFAULT_HEADER_TIMEOUT, DEFAULT_KEY, DEFAULT_TOKEN, MockConfig};
pub use error::ApiError;
pub use http::controls::{DEFAULT_CLIENT_IP, LIVENESS_ATTEMPTS_PATH, LivenessAttempt};
pub use http::faults::{ANY_OPERATION, FAULTS_PATH, Fault};
pub use http::router::KEY_HEADER;
pub use server::{MockServer, StartError, router};
pub use state::seed::{Seed, SeedContainer, SeedFace, SeedPerson};
pub use synth::image::tagged_jpeg;
