//! `POST /detect`: finds the faces of an uploaded image or of an image URL.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use crate::app::App;
use crate::attributes;
use crate::error::{ApiError, ApiResult, json_response};
use crate::fields;
use crate::image::{self, ImageContent};
use crate::request::Call;
use crate::store::TempFace;
use crate::synth::{self, Rect};

const OPERATION: &str = "Face_Detect";

/// The image of a detect or add-face call: raw bytes or a JSON `{"url"}`.
pub(crate) fn image_of(
    call: &Call,
    app: &App,
    operation_id: &str,
) -> Result<ImageContent, ApiError> {
    match call.media_type.as_deref() {
        Some("application/octet-stream") => {
            image::read_upload(&call.body, app.rules.binary_bounds(operation_id))
        }
        Some("application/json") => {
            let body = call.json_body(app, operation_id)?;
            image::read_url(&fields::required_string(&body, "url")?)
        }
        _ => Err(ApiError::unsupported_media_type()),
    }
}

/// One face found in an image, before it is turned into JSON.
pub(crate) struct FoundFace {
    pub rect: Rect,
    pub identity: String,
    pub features: Vec<f32>,
    pub seed: u64,
}

/// The faces an image shows, largest rectangle first.
pub(crate) fn find_faces(content: &ImageContent) -> Vec<FoundFace> {
    let mut faces: Vec<FoundFace> = (0..content.faces)
        .map(|index| {
            let identity = content.identity(index);
            let noise = format!("{:016x}:{index}", content.hash);
            FoundFace {
                rect: Rect::synthesize(content.hash, index),
                features: synth::features(&identity, &noise),
                seed: synth::fnv1a(noise.as_bytes()),
                identity,
            }
        })
        .collect();
    faces.sort_by_key(|face| std::cmp::Reverse(face.rect.area()));
    faces
}

/// Handles both detects (the media type tells them apart).
pub(crate) async fn detect(State(app): State<App>, call: Call) -> ApiResult {
    let params = call.query_params(&app, OPERATION)?;
    let return_face_id = params.bool("returnFaceId", true);
    let return_landmarks = params.bool("returnFaceLandmarks", false);
    let return_model = params.bool("returnRecognitionModel", false);
    let attributes = params.list("returnFaceAttributes").unwrap_or_default();
    let recognition_model = params
        .str("recognitionModel")
        .unwrap_or("recognition_01")
        .to_string();
    let detection_model = params
        .str("detectionModel")
        .unwrap_or("detection_01")
        .to_string();
    let ttl = params.int("faceIdTimeToLive").unwrap_or(86_400);
    let ttl = fields::within(ttl, 60, 86_400, "faceIdTimeToLive")?;
    attributes::check_support(
        &attributes,
        return_landmarks,
        &detection_model,
        &recognition_model,
    )?;
    let content = image_of(&call, &app, OPERATION)?;

    let now = app.clock.now();
    let expires_at = now
        .checked_add(Duration::from_secs(ttl as u64))
        .unwrap_or(now);
    let mut store = app.store();
    if store.faces.len() > 100_000 {
        store.purge_expired(now);
    }
    let mut answer = Vec::new();
    for face in find_faces(&content) {
        let mut object = Map::new();
        if return_face_id {
            let id = store.new_id();
            let record = TempFace {
                features: face.features,
                recognition_model: recognition_model.clone(),
                expires_at,
            };
            store.faces.insert(id, record);
            object.insert("faceId".into(), json!(id));
        }
        if return_model {
            object.insert("recognitionModel".into(), json!(recognition_model));
        }
        object.insert("faceRectangle".into(), face.rect.to_json());
        if return_landmarks {
            object.insert(
                "faceLandmarks".into(),
                synth::landmarks(face.rect, face.seed),
            );
        }
        if !attributes.is_empty() {
            object.insert(
                "faceAttributes".into(),
                attributes::synthesize(&attributes, &face.identity, face.seed),
            );
        }
        answer.push(Value::Object(object));
    }
    Ok(json_response(StatusCode::OK, &Value::Array(answer)))
}
