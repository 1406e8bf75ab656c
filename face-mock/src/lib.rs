//! A local emulator of the Face REST API v1.0, for testing clients without the service.
//!
//! It serves every route of the API under `/face/v1.0`, keeps state (face
//! lists, person groups, persons, faces, training, snapshots, operations), is
//! deterministic, and checks each request as the service does: the
//! `Ocp-Apim-Subscription-Key` header, the media type, and every constraint of
//! `spec/face.yaml` (required fields, types, ranges, item counts, lengths, id
//! patterns, enum values, exactly-one-of groups), plus image size (1 KB to
//! 6 MB) and format (JPEG, PNG, GIF, BMP by their magic bytes). Errors have the
//! service's status and body `{"error": {"code": "...", "message": "..."}}`.
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
//! From the command line: `cargo run -p face-mock -- --port 5005 [--key K] [--seed FILE]`.
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
mod handlers;
mod http;
pub mod rules;
mod server;
mod state;
mod synth;

pub use clock::Clock;
pub use config::{DEFAULT_HEADER_TIMEOUT, DEFAULT_KEY, MockConfig};
pub use error::ApiError;
pub use http::router::KEY_HEADER;
pub use server::{MockServer, StartError, router};
pub use state::seed::{Seed, SeedFace, SeedGroup, SeedList, SeedPerson};
