//! Training and the operations that follow background work: reading a training's status,
//! starting one, and the status of an operation (training or snapshot).

use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::app::App;
use crate::error::{Answer, ApiError};
use crate::http::input::Input;
use crate::state::kinds::Kind;
use crate::state::store::{Operation, Store, Training, step_status};

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
