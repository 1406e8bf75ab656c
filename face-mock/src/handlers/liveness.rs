//! Liveness sessions and liveness-with-verify sessions: create (the latter from
//! a multipart form with the reference image), get the result, delete (204),
//! the images they keep, and finishing an attempt the way a device would.

use serde_json::{Map, Value, json};

use crate::app::App;
use crate::error::{Answer, ApiError, ApiResult};
use crate::http::input::Input;
use crate::rules::Rules;
use crate::state::liveness::{Attempt, Reference, Session};
use crate::state::store::{Store, missing};
use crate::synth::faces::{SAME_PERSON, find_faces};
use crate::synth::features::{confidence, fnv1a};
use crate::synth::image;

/// What a liveness-with-verify session adds: its reference face and verify options.
struct Verify {
    reference: Option<Reference>,
    return_image_hash: bool,
    threshold: Option<f64>,
}

/// `LivenessSession_Create`.
pub(crate) fn create(app: &App, input: &Input) -> ApiResult {
    // Only this create takes an expected client address (v1.3-preview.1).
    let expected_client_ip = input.field_string("expectedClientIpAddress");
    open(app, input, None, expected_client_ip)
}

/// `LivenessWithVerifySession_Create`: a session with the reference face of its verify image.
pub(crate) fn create_with_verify(app: &App, input: &Input) -> ApiResult {
    let reference = match input.file("verifyImage") {
        Some(bytes) => Some(reference_of(bytes)?),
        None => None,
    };
    let verify = Verify {
        reference,
        return_image_hash: input
            .field("returnVerifyImageHash")
            .and_then(Value::as_bool)
            == Some(true),
        threshold: input.field_number("verifyConfidenceThreshold"),
    };
    open(app, input, Some(verify), None)
}

/// Opens a session of the operation's kind.
fn open(
    app: &App,
    input: &Input,
    verify: Option<Verify>,
    expected_client_ip: Option<String>,
) -> ApiResult {
    let set_in_client = input
        .field("deviceCorrelationIdSetInClient")
        .and_then(Value::as_bool)
        == Some(true);
    // A rule the spec states only in prose: the id comes from the request unless the client sets it.
    if !set_in_client && input.field_str("deviceCorrelationId").is_none() {
        return Err(ApiError::bad_argument(
            "'deviceCorrelationId' is required when 'deviceCorrelationIdSetInClient' is not true.",
        ));
    }
    let (reference, return_verify_image_hash, verify_threshold) = match verify {
        Some(verify) => (verify.reference, verify.return_image_hash, verify.threshold),
        None => (None, false, None),
    };
    let attempts_allowed = input
        .field("numberOfClientAttemptsAllowed")
        .and_then(Value::as_u64)
        .map(|count| u32::try_from(count).unwrap_or(u32::MAX));
    let mut store = app.store();
    let abuse_monitoring = store.settings.abuse_monitoring;
    let id = store.new_id().to_string();
    let session = Session {
        id: id.clone(),
        group: input.group().to_string(),
        auth_token: format!("mock-liveness-{}", store.new_id().simple()),
        model_version: input.field_string("livenessModelVersion"),
        enable_session_image: input.field("enableSessionImage").and_then(Value::as_bool)
            == Some(true),
        return_verify_image_hash,
        verify_threshold,
        reference,
        attempts: Vec::new(),
        attempts_allowed,
        abuse_monitoring,
        expected_client_ip,
    };
    let answer = session_json(input.spec(), &input.operation, &session);
    store.sessions.insert(id, session);
    Ok(Answer::Json(answer))
}

/// The one face of a verify image (400 `InvalidImage` when there is none or several).
fn reference_of(bytes: &[u8]) -> Result<Reference, ApiError> {
    let content = image::read_upload(bytes)?;
    match find_faces(&content).as_slice() {
        [face] => Ok(Reference {
            rect: face.rect,
            features: face.features(),
            image_hash: content.hash,
        }),
        [] => Err(ApiError::invalid_image(
            "No face detected in the verify image.",
        )),
        _ => Err(ApiError::invalid_image(
            "There is more than 1 face in the verify image.",
        )),
    }
}

/// `*_GetResult`.
pub(crate) fn get_result(app: &App, input: &Input) -> ApiResult {
    let store = app.store();
    let session = session_of(&store, input)?;
    Ok(Answer::Json(session_json(
        input.spec(),
        &input.operation,
        session,
    )))
}

/// `*_Delete`: the session, its token and its images go.
pub(crate) fn delete(app: &App, input: &Input) -> ApiResult {
    let mut store = app.store();
    let session = session_of(&store, input)?.clone();
    for attempt in &session.attempts {
        if let Some(image) = &attempt.session_image_id {
            store.session_images.remove(image);
        }
    }
    store.sessions.remove(&session.id);
    Ok(Answer::Empty)
}

/// `SessionImage_Get`: the bytes of an image a session kept.
pub(crate) fn session_image(app: &App, input: &Input) -> ApiResult {
    let store = app.store();
    let bytes = store
        .session_images
        .get(input.path("sessionImageId"))
        .ok_or_else(|| missing("sessionImage"))?;
    Ok(Answer::Bytes(bytes.clone()))
}

/// The session named in the path, of the kind the operation's group names.
fn session_of<'a>(store: &'a Store, input: &Input) -> Result<&'a Session, ApiError> {
    store
        .sessions
        .get(input.path("sessionId"))
        .filter(|session| session.group == input.group())
        .ok_or_else(|| missing("session"))
}

/// The JSON of a session, spelled as the operation's answer spells its values, with the
/// properties a later version adds only where the answer at the request's version has them.
fn session_json(spec: &Rules, operation: &str, session: &Session) -> Value {
    let spell = |property: &str, value: &str| spec.spelling(operation, property, value);
    let answers = |property: &str| spec.answers_property(operation, property);
    let status = if session.attempts.is_empty() {
        "notstarted"
    } else {
        "succeeded"
    };
    let attempts: Vec<Value> = session
        .attempts
        .iter()
        .map(|attempt| attempt_json(session, attempt, &spell, &answers))
        .collect();
    let mut results = Map::new();
    if let Some(reference) = &session.reference {
        results.insert(
            "verifyReferences".into(),
            json!([{
                "referenceType": spell("referenceType", "color"),
                "faceRectangle": reference.rect.to_json(),
                "qualityForRecognition": spell("qualityForRecognition", "high"),
            }]),
        );
    }
    results.insert("attempts".into(), Value::Array(attempts));
    let mut object = Map::new();
    object.insert("sessionId".into(), json!(session.id));
    object.insert("authToken".into(), json!(session.auth_token));
    object.insert("status".into(), json!(spell("status", status)));
    if let Some(version) = &session.model_version {
        object.insert("modelVersion".into(), json!(version));
    }
    if answers("isAbuseMonitoringEnabled") {
        object.insert(
            "isAbuseMonitoringEnabled".into(),
            json!(session.abuse_monitoring),
        );
    }
    if let Some(address) = session
        .expected_client_ip
        .as_ref()
        .filter(|_| answers("expectedClientIpAddress"))
    {
        object.insert("expectedClientIpAddress".into(), json!(address));
    }
    object.insert("results".into(), Value::Object(results));
    Value::Object(object)
}

fn attempt_json(
    session: &Session,
    attempt: &Attempt,
    spell: &dyn Fn(&str, &str) -> String,
    answers: &dyn Fn(&str) -> bool,
) -> Value {
    let mut result = Map::new();
    result.insert("livenessDecision".into(), json!(attempt.decision));
    result.insert(
        "targets".into(),
        json!({ "color": { "faceRectangle": attempt.rect.to_json() } }),
    );
    result.insert("digest".into(), json!(attempt.digest));
    if let Some(image) = &attempt.session_image_id {
        result.insert("sessionImageId".into(), json!(image));
    }
    if let Some((score, identical)) = attempt.verify {
        result.insert(
            "verifyResult".into(),
            json!({ "matchConfidence": score, "isIdentical": identical }),
        );
    }
    if session.return_verify_image_hash
        && let Some(reference) = &session.reference
    {
        result.insert(
            "verifyImageHash".into(),
            json!(format!("{:016x}", reference.image_hash)),
        );
    }
    let mut object = Map::new();
    object.insert("attemptId".into(), json!(attempt.id));
    object.insert(
        "attemptStatus".into(),
        json!(spell("attemptStatus", "succeeded")),
    );
    object.insert("result".into(), Value::Object(result));
    if answers("clientInformation") {
        object.insert(
            "clientInformation".into(),
            json!([{ "ip": attempt.client_ip }]),
        );
    }
    // The emulator sees no abuse: with monitoring on, each attempt reports none.
    if session.abuse_monitoring && answers("abuseMonitoringResult") {
        object.insert(
            "abuseMonitoringResult".into(),
            json!({ "isAbuseDetected": false, "otherFlaggedSessions": [] }),
        );
    }
    Value::Object(object)
}

/// What a device's attempt shows: a liveness decision (as the spec spells it,
/// e.g. `realface`) and the person in front of the camera, in the sense of
/// the `FACE-MOCK:person=` tag (none: someone seen nowhere else).
#[derive(Debug, Clone)]
pub(crate) struct DeviceAttempt {
    pub decision: String,
    pub person: Option<String>,
    /// The IP address the device calls from.
    pub client_ip: String,
}

/// Finishes a session with one attempt, as the device would: the live face is
/// the person's, its verify result compares it with the reference face, and
/// the image it was seen in is kept when the session asked for it. An attempt past the number
/// of client attempts the session allows is refused (409 `AttemptsExhausted`), as the service
/// refuses the device's token then.
pub(crate) fn finish(app: &App, session_id: &str, attempt: DeviceAttempt) -> Result<(), ApiError> {
    let mut store = app.store();
    let session = store
        .sessions
        .get(session_id)
        .ok_or_else(|| missing("session"))?;
    if let Some(allowed) = session.attempts_allowed
        && session.attempts.len() >= usize::try_from(allowed).unwrap_or(usize::MAX)
    {
        return Err(ApiError::conflict(
            "AttemptsExhausted",
            format!(
                "Session {session_id} allows {allowed} client attempt(s), and {} were made.",
                session.attempts.len()
            ),
        ));
    }
    let number = u32::try_from(session.attempts.len())
        .unwrap_or(u32::MAX)
        .saturating_add(1);
    let tag = match &attempt.person {
        Some(person) => format!("FACE-MOCK:person={person}"),
        None => String::new(),
    };
    let bytes = device_image(&tag, &format!("{session_id}:{number}"));
    let content = image::read_content(&bytes);
    let face = find_faces(&content).into_iter().next();
    let rect = face.as_ref().map_or(
        crate::synth::features::Rect {
            left: 0,
            top: 0,
            width: 0,
            height: 0,
        },
        |face| face.rect,
    );
    let verify = match (&session.reference, &face) {
        (Some(reference), Some(face)) => {
            let score = confidence(&reference.features, &face.features());
            Some((
                score,
                score >= session.verify_threshold.unwrap_or(SAME_PERSON),
            ))
        }
        _ => None,
    };
    let enable_image = session.enable_session_image;
    let session_image_id = enable_image.then(|| store.new_id().to_string());
    if let Some(image_id) = &session_image_id {
        store.session_images.insert(image_id.clone(), bytes.clone());
    }
    let finished = Attempt {
        id: number,
        decision: attempt.decision,
        rect,
        digest: format!("{:016X}", fnv1a(&bytes)),
        session_image_id,
        verify,
        client_ip: attempt.client_ip,
    };
    if let Some(session) = store.sessions.get_mut(session_id) {
        session.attempts.push(finished);
    }
    Ok(())
}

/// A JPEG-looking frame of 2 KB from the device's camera, carrying `tag`.
fn device_image(tag: &str, salt: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xFE, 0x00, 0x40];
    bytes.extend_from_slice(tag.as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(salt.as_bytes());
    bytes.resize(2048, 0x11);
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    bytes
}
