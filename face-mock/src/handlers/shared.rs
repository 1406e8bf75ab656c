//! Pieces shared by the container, face and person handlers: names and user
//! data, the image of a request, and adding a face from it.

use serde_json::{Map, Value, json};

use crate::error::ApiError;
use crate::http::input::Input;
use crate::state::ids::PersistedFaceId;
use crate::state::store::{PersistedFace, Store, missing};
use crate::synth::faces::find_faces;
use crate::synth::features::{self, Rect};
use crate::synth::image::{self, ImageContent};

/// Reads an update body (`name`, `userData`): at least one must be given, and
/// a name, when given, must not be empty (the service answers as create does).
pub(crate) fn name_and_user_data(
    input: &Input,
) -> Result<(Option<String>, Option<String>), ApiError> {
    let name = input.field_string("name");
    let user_data = input.field_string("userData");
    if name.is_none() && user_data.is_none() {
        return Err(ApiError::bad_argument(
            "Both 'name' and 'userData' are empty.",
        ));
    }
    if name.as_deref() == Some("") {
        return Err(ApiError::bad_argument("'name' is empty or too short."));
    }
    Ok((name, user_data))
}

/// Puts `name`, `userData` and (when asked) `recognitionModel` on a JSON object.
pub(crate) fn describe(
    object: &mut Map<String, Value>,
    name: &str,
    user_data: Option<&str>,
    recognition_model: Option<&str>,
) {
    object.insert("name".into(), json!(name));
    if let Some(user_data) = user_data {
        object.insert("userData".into(), json!(user_data));
    }
    if let Some(model) = recognition_model {
        object.insert("recognitionModel".into(), json!(model));
    }
}

/// The JSON of a persisted face.
pub(crate) fn persisted_face_json(face: &PersistedFace) -> Value {
    let mut object = Map::new();
    object.insert("persistedFaceId".into(), json!(face.id));
    if let Some(user_data) = &face.user_data {
        object.insert("userData".into(), json!(user_data));
    }
    Value::Object(object)
}

/// Reads the add-face query (`userData`, `targetFace`) and the image, and picks
/// the one face to keep (400 `InvalidImage` when there is none or several).
pub(crate) fn face_to_add(input: &Input, store: &mut Store) -> Result<PersistedFace, ApiError> {
    let user_data = input.query_str("userData").map(str::to_string);
    let target = target_face(input)?;
    let content = image_of(input, store)?;
    let faces = find_faces(&content);
    let features = match target {
        Some(target) => {
            if let Some(face) = faces
                .iter()
                .max_by_key(|face| face.rect.overlap(target))
                .filter(|face| face.rect.overlap(target) > 0)
            {
                face.features()
            } else {
                let identity = format!("image:{:016x}:rect:{:?}", content.hash, target);
                features::features(&identity, &identity)
            }
        }
        None => match faces.as_slice() {
            [] => return Err(ApiError::invalid_image("No face detected in the image.")),
            [face] => face.features(),
            _ => {
                return Err(ApiError::invalid_image(
                    "There is more than 1 face in the image.",
                ));
            }
        },
    };
    Ok(PersistedFace {
        id: PersistedFaceId(store.new_id()),
        user_data,
        features,
    })
}

/// `targetFace` (four integers, as the spec checked) as a rectangle with an area.
fn target_face(input: &Input) -> Result<Option<Rect>, ApiError> {
    let numbers: Vec<u32> = input
        .query_list("targetFace")
        .iter()
        .filter_map(|number| number.parse().ok())
        .collect();
    match numbers.as_slice() {
        [] => Ok(None),
        &[left, top, width, height]
            if width > 0
                && height > 0
                && left.checked_add(width).is_some()
                && top.checked_add(height).is_some() =>
        {
            Ok(Some(Rect {
                left,
                top,
                width,
                height,
            }))
        }
        _ => Err(ApiError::bad_argument("Invalid argument targetFace.")),
    }
}

/// The image of a detect or add-face call: the uploaded bytes, the `url` of
/// the JSON body, or the image a liveness session kept (`sessionImageId`).
pub(crate) fn image_of(input: &Input, store: &Store) -> Result<ImageContent, ApiError> {
    if let Some(bytes) = input.bytes() {
        return image::read_upload(bytes);
    }
    if let Some(url) = input.field_str("url") {
        return image::read_url(url);
    }
    if let Some(id) = input.field_str("sessionImageId") {
        let bytes = store.session_images.get(id).ok_or_else(|| {
            missing("sessionImage").with_status(axum::http::StatusCode::BAD_REQUEST)
        })?;
        return image::read_upload(bytes);
    }
    Err(ApiError::unsupported_media_type())
}
