//! Pieces shared by the container, face and person handlers: names and user
//! data, adding a face from an image, training and operations.

use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::face::{find_faces, image_of};
use crate::app::App;
use crate::error::{Answer, ApiError};
use crate::http::input::Input;
use crate::state::kinds::Kind;
use crate::state::store::{Operation, PersistedFace, Store, Training, step_status};
use crate::synth::features::{self, Rect};

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
        id: store.new_id(),
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

/// The training status JSON, moving the run on by one read; 404
/// `<Kind>NotTrained` before any training. The status is spelled as the
/// operation's answer spells it (`notstarted` in v1.0, `notStarted` in v1.2).
pub(crate) fn read_training(
    input: &Input,
    training: &mut Training,
    kind: Kind,
    now: &str,
) -> Result<Value, ApiError> {
    let created = training.created.clone();
    let Some(status) = training.read(now) else {
        return Err(ApiError::not_found(
            &format!("{}NotTrained", kind.group()),
            format!("{} not trained.", kind.display()),
        ));
    };
    let mut object = Map::new();
    let status = input.spec().spelling(&input.operation, "status", status);
    object.insert("status".into(), json!(status));
    object.insert("createdDateTime".into(), json!(created));
    if let Some(run) = &training.run {
        object.insert("lastActionDateTime".into(), json!(run.last_action));
    }
    if let Some(success) = &training.last_success {
        object.insert("lastSuccessfulTrainingDateTime".into(), json!(success));
    }
    Ok(Value::Object(object))
}

/// Starts training a container and answers that the work started.
pub(crate) fn start_training(
    app: &App,
    store: &mut Store,
    kind: Kind,
    id: &str,
) -> Result<Answer, ApiError> {
    let now = app.clock.now_rfc3339();
    store
        .container_mut(kind, id)?
        .training
        .start(app.training_polls, &now);
    let operation = Operation {
        created: now.clone(),
        last_action: now,
        reads: 0,
        unfinished_reads: app.training_polls,
        resource_location: None,
        training: Some((kind, id.to_string())),
    };
    Ok(accepted(store, operation))
}

/// Records an operation and answers that it started: the router locates it in the headers
/// the spec declares (a path relative to the base path, as the service gives it).
pub(crate) fn accepted(store: &mut Store, operation: Operation) -> Answer {
    let id = store.new_id();
    store.operations.insert(id, operation);
    Answer::Started(id)
}

/// The status JSON of an operation, moving it on by one read.
pub(crate) fn read_operation(app: &App, store: &mut Store, id: Uuid) -> Result<Value, ApiError> {
    let now = app.clock.now_rfc3339();
    let not_found = || ApiError::not_found("OperationNotFound", "Operation is not found.");
    let operation = store.operations.get_mut(&id).ok_or_else(not_found)?;
    operation.reads = operation.reads.saturating_add(1);
    let mut status = step_status(operation.reads, operation.unfinished_reads);
    if let Some((kind, target)) = operation.training.clone() {
        // An operation that follows a training reports (and moves on) that training.
        let training = store
            .container_mut(kind, &target)
            .ok()
            .map(|container| &mut container.training);
        status = training
            .and_then(|training| training.read(&now))
            .unwrap_or("failed");
    }
    let operation = store.operations.get_mut(&id).ok_or_else(not_found)?;
    if status != "running" && status != "notstarted" {
        operation.last_action = now;
    }
    let mut object = Map::new();
    object.insert("status".into(), json!(status));
    object.insert("createdTime".into(), json!(operation.created));
    object.insert("lastActionTime".into(), json!(operation.last_action));
    if status == "succeeded"
        && let Some(location) = &operation.resource_location
    {
        object.insert("resourceLocation".into(), json!(location));
    }
    if status == "failed" {
        object.insert(
            "message".into(),
            json!("The object of the operation no longer exists."),
        );
    }
    Ok(Value::Object(object))
}
