//! Pieces shared by the face list, person group, person and snapshot routes:
//! metadata bodies, paging, adding a face from an image, training and operations.

use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::app::App;
use crate::detect::{find_faces, image_of};
use crate::error::{ApiError, empty_response};
use crate::fields;
use crate::kinds::Container;
use crate::request::{Call, Params};
use crate::store::{Operation, PersistedFace, Store, Training, step_status};
use crate::synth::{self, Rect};

/// `name`, `userData` and `recognitionModel` of a create body.
pub(crate) struct Metadata {
    pub name: String,
    pub user_data: Option<String>,
    pub recognition_model: String,
}

/// Reads a create body (`MetaDataContract`).
pub(crate) fn metadata(body: &Value) -> Result<Metadata, ApiError> {
    let name = fields::required_string(body, "name")?;
    if name.is_empty() {
        return Err(ApiError::bad_argument("'name' is empty."));
    }
    Ok(Metadata {
        name,
        user_data: fields::string(body, "userData")?,
        recognition_model: fields::string(body, "recognitionModel")?
            .unwrap_or_else(|| "recognition_01".into()),
    })
}

/// Reads an update body (`NameAndUserDataContract`): at least one of the two must be given.
pub(crate) fn name_and_user_data(
    body: &Value,
) -> Result<(Option<String>, Option<String>), ApiError> {
    let name = fields::string(body, "name")?;
    let user_data = fields::string(body, "userData")?;
    if name.is_none() && user_data.is_none() {
        return Err(ApiError::bad_argument(
            "Both 'name' and 'userData' are empty.",
        ));
    }
    Ok((name, user_data))
}

/// Puts `name`, `userData` and (when asked) `recognitionModel` on a JSON object.
pub(crate) fn describe(
    object: &mut Map<String, Value>,
    name: &str,
    user_data: &Option<String>,
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

/// The page of `items` (sorted by key) after `start`, at most `top` long.
pub(crate) fn page<T>(items: Vec<(String, T)>, params: &Params) -> Vec<T> {
    let start = params.str("start").unwrap_or_default().to_string();
    let top = params
        .int("top")
        .and_then(|top| usize::try_from(top).ok())
        .unwrap_or(1000);
    items
        .into_iter()
        .filter(|(key, _)| start.is_empty() || *key > start)
        .take(top)
        .map(|(_, item)| item)
        .collect()
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

/// Reads the add-face query (`userData`, `targetFace`, `detectionModel`) and the
/// image, and picks the one face to keep (400 `InvalidImage` when there is none or several).
pub(crate) fn face_to_add(
    call: &Call,
    app: &App,
    operation_id: &str,
    store: &mut Store,
) -> Result<PersistedFace, ApiError> {
    let params = call.query_params(app, operation_id)?;
    let user_data = params.str("userData").map(str::to_string);
    if user_data
        .as_ref()
        .is_some_and(|data| data.chars().count() > 1024)
    {
        return Err(ApiError::bad_argument("'userData' is too long."));
    }
    let target = target_face(call)?;
    let content = image_of(call, app, operation_id)?;
    let faces = find_faces(&content);
    let features = match target {
        Some(target) => match faces
            .iter()
            .max_by_key(|face| face.rect.overlap(target))
            .filter(|face| face.rect.overlap(target) > 0)
        {
            Some(face) => face.features.clone(),
            None => {
                let identity = format!("image:{:016x}:rect:{:?}", content.hash, target);
                synth::features(&identity, &identity)
            }
        },
        None => match faces.as_slice() {
            [] => return Err(ApiError::invalid_image("No face detected in the image.")),
            [face] => face.features.clone(),
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

/// Reads `targetFace=left,top,width,height`.
fn target_face(call: &Call) -> Result<Option<Rect>, ApiError> {
    let Some((_, raw)) = call
        .query
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("targetFace"))
    else {
        return Ok(None);
    };
    let numbers: Option<Vec<u32>> = raw
        .split(',')
        .map(|part| part.trim().parse::<u32>().ok())
        .collect();
    match numbers.as_deref() {
        Some(&[left, top, width, height])
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

/// The training status JSON, moving the run on by one read; 404 `<Kind>NotTrained` before any training.
pub(crate) fn read_training(
    training: &mut Training,
    container: Container,
    now: &str,
) -> Result<Value, ApiError> {
    let created = training.created.clone();
    let Some(status) = training.read(now) else {
        let code = format!("{}NotTrained", container.operation_group());
        return Err(ApiError::not_found(
            &code,
            format!("{} not trained.", container.display()),
        ));
    };
    let mut object = Map::new();
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

/// Starts training a container and answers 202 with the `Operation-Location` that follows it.
pub(crate) fn start_training(
    app: &App,
    store: &mut Store,
    container: Container,
    id: &str,
) -> Result<Response, ApiError> {
    let now = app.clock.now_rfc3339();
    store
        .training_mut(container, id)?
        .start(app.training_polls, &now);
    let operation = Operation {
        created: now.clone(),
        last_action: now,
        reads: 0,
        unfinished_reads: app.training_polls,
        resource_location: None,
        training: Some((container, id.to_string())),
    };
    Ok(accepted(store, operation))
}

/// Records an operation and answers 202 with its `Operation-Location`, the
/// path `/operations/{operationId}` (relative to `{Endpoint}/face/v1.0`, as the service gives it).
pub(crate) fn accepted(store: &mut Store, operation: Operation) -> Response {
    let id = store.new_id();
    store.operations.insert(id, operation);
    let mut response = empty_response(StatusCode::ACCEPTED);
    let location = format!("/operations/{id}");
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert("Operation-Location", value);
    }
    response
}

/// The status JSON of an operation, moving it on by one read.
pub(crate) fn read_operation(app: &App, store: &mut Store, id: Uuid) -> Result<Value, ApiError> {
    let now = app.clock.now_rfc3339();
    let operation = store
        .operations
        .get_mut(&id)
        .ok_or_else(|| ApiError::not_found("OperationNotFound", "Operation is not found."))?;
    operation.reads = operation.reads.saturating_add(1);
    let mut status = step_status(operation.reads, operation.unfinished_reads);
    if let Some((container, target)) = operation.training.clone() {
        // An operation that follows a training reports (and moves on) that training.
        let training = store.training_mut(container, &target).ok();
        status = training
            .and_then(|training| training.read(&now))
            .unwrap_or("failed");
    }
    let operation = store
        .operations
        .get_mut(&id)
        .ok_or_else(|| ApiError::not_found("OperationNotFound", "Operation is not found."))?;
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
