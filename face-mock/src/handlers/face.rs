//! `Face_Detect`: finds the faces of an uploaded image or of an image URL.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::shared::image_of;
use crate::app::App;
use crate::error::{Answer, ApiError, ApiResult};
use crate::http::input::Input;
use crate::state::ids::FaceId;
use crate::state::store::TempFace;
use crate::synth::attributes;
use crate::synth::faces::find_faces;
use crate::synth::features;

/// Both detects (the media type tells them apart). Which attributes each model
/// returns was checked by the spec's table; the service also refuses landmarks
/// from a detection model that returns no attributes at all, which no spec states.
pub(crate) fn detect(app: &App, input: &Input) -> ApiResult {
    let return_face_id = input.query_flag("returnFaceId");
    let return_landmarks = input.query_flag("returnFaceLandmarks");
    let return_model = input.query_flag("returnRecognitionModel");
    let attributes = input.query_list("returnFaceAttributes");
    let recognition_model = input.query_str("recognitionModel").unwrap_or_default();
    let detection_model = input.query_str("detectionModel").unwrap_or_default();
    if return_landmarks
        && input
            .spec()
            .allows_no_items("returnFaceAttributes", detection_model)
    {
        return Err(ApiError::bad_argument(format!(
            "'returnLandmarks' is not supported by {detection_model}."
        )));
    }
    let ttl = input
        .query("faceIdTimeToLive")
        .and_then(Value::as_u64)
        .unwrap_or_default();
    let landmark_names = input.spec().property_names("FaceLandmarks");
    let now = app.clock.now();
    let expires_at = now.checked_add(Duration::from_secs(ttl)).unwrap_or(now);
    let mut store = app.store();
    let content = image_of(input, &store)?;
    store.prune_expired(now);
    let model = store.model(recognition_model);
    let mut answer = Vec::new();
    for face in find_faces(&content) {
        let mut object = Map::new();
        if return_face_id {
            let id = FaceId(store.new_id());
            let record = TempFace {
                identity_seed: face.identity_seed,
                noise_seed: face.seed,
                recognition_model: Arc::clone(&model),
                expires_at,
            };
            store.add_face(id, record);
            object.insert("faceId".into(), json!(id));
        }
        if return_model {
            object.insert("recognitionModel".into(), json!(recognition_model));
        }
        object.insert("faceRectangle".into(), face.rect.to_json());
        if return_landmarks {
            object.insert(
                "faceLandmarks".into(),
                features::landmarks(&landmark_names, face.rect, face.seed),
            );
        }
        if !attributes.is_empty() {
            object.insert(
                "faceAttributes".into(),
                attributes::synthesize(input.spec(), &attributes, &face.identity, face.seed),
            );
        }
        answer.push(Value::Object(object));
    }
    Ok(Answer::Json(Value::Array(answer)))
}
