//! Liveness sessions: created by the app's server, finished by a device (here,
//! by the test control), read and deleted by the app's server again.

use crate::synth::features::Rect;

/// A liveness session, with or without a reference face to verify against.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub id: String,
    /// The operation group it was created through, e.g. `LivenessWithVerifySession`.
    pub group: String,
    pub auth_token: String,
    pub model_version: Option<String>,
    pub enable_session_image: bool,
    pub return_verify_image_hash: bool,
    pub verify_threshold: Option<f64>,
    pub reference: Option<Reference>,
    pub attempts: Vec<Attempt>,
    /// How many attempts the client may make (`numberOfClientAttemptsAllowed`, v1.3-preview.1);
    /// `None` when the request did not say, and then the test control sets no limit.
    pub attempts_allowed: Option<u32>,
    /// Whether abuse monitoring was on (the resource's settings) when the session was created.
    pub abuse_monitoring: bool,
    /// The address or CIDR block the client is expected to call from (`expectedClientIpAddress`).
    pub expected_client_ip: Option<String>,
}

/// The liveness settings of the resource (`/settings`, v1.3-preview.1), over every version.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Settings {
    /// Whether liveness abuse monitoring is on; off until turned on.
    pub abuse_monitoring: bool,
}

/// The face of a liveness-with-verify session's reference image.
#[derive(Debug, Clone)]
pub(crate) struct Reference {
    pub rect: Rect,
    pub features: Vec<f32>,
    pub image_hash: u64,
}

/// One finished check of a session.
#[derive(Debug, Clone)]
pub(crate) struct Attempt {
    pub id: u32,
    /// The decision, as the spec spells it (e.g. `realface`).
    pub decision: String,
    pub rect: Rect,
    pub digest: String,
    pub session_image_id: Option<String>,
    /// The confidence that the live face is the reference's person, and whether it passes the threshold.
    pub verify: Option<(f64, bool)>,
    /// The IP address the device called from (`clientInformation`).
    pub client_ip: String,
}
