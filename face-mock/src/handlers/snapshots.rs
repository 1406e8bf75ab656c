//! Snapshots (take, list, get, update, delete, apply) and the status of the
//! operations that take, apply and train answer with.

use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::training;
use crate::app::App;
use crate::error::{Answer, ApiError, ApiResult};
use crate::http::input::Input;
use crate::state::kinds::Kind;
use crate::state::store::{Operation, Snapshot, Training, missing};

fn snapshot_json(snapshot: &Snapshot) -> Value {
    let mut object = Map::new();
    object.insert("id".into(), json!(snapshot.id));
    object.insert("account".into(), json!(snapshot.account));
    object.insert("type".into(), json!(snapshot.content.kind.group()));
    object.insert("applyScope".into(), json!(snapshot.apply_scope));
    if let Some(user_data) = &snapshot.user_data {
        object.insert("userData".into(), json!(user_data));
    }
    object.insert("createdTime".into(), json!(snapshot.created));
    object.insert("lastUpdateTime".into(), json!(snapshot.last_update));
    Value::Object(object)
}

/// An operation that finishes after the configured number of unfinished reads.
fn operation(app: &App, now: &str, resource_location: String) -> Operation {
    Operation {
        created: now.to_string(),
        last_action: now.to_string(),
        reads: 0,
        unfinished_reads: app.training_polls,
        resource_location: Some(resource_location),
        training: None,
    }
}

/// `Snapshot_Take`: copies a container now; the operation names the snapshot when it succeeds.
pub(crate) fn take(app: &App, input: &Input) -> ApiResult {
    let kind = input
        .field_str("type")
        .and_then(Kind::from_group)
        .ok_or_else(|| ApiError::bad_argument("'type' is invalid."))?;
    let object_id = input.field_str("objectId").unwrap_or_default();
    let now = app.clock.now_rfc3339();
    let mut store = app.store();
    let content = store.container(kind, object_id)?.clone();
    let id = store.new_id();
    let snapshot = Snapshot {
        id,
        account: app.account,
        apply_scope: input.field_ids("applyScope").unwrap_or_default(),
        user_data: input.field_string("userData"),
        created: now.clone(),
        last_update: now.clone(),
        content,
    };
    store.snapshots.insert(id, snapshot);
    let operation = operation(app, &now, format!("/snapshots/{id}"));
    Ok(training::accepted(&mut store, operation))
}

/// `Snapshot_List`, by type and apply scope.
#[expect(
    clippy::unnecessary_wraps,
    reason = "a handler of the routing table, where every handler returns an ApiResult"
)]
pub(crate) fn list(app: &App, input: &Input) -> ApiResult {
    let wanted_type = input.query_str("type");
    let scope: Vec<Uuid> = input
        .query_list("applyScope")
        .iter()
        .filter_map(|id| Uuid::parse_str(id).ok())
        .collect();
    let store = app.store();
    let answer: Vec<Value> = store
        .snapshots
        .values()
        .filter(|snapshot| wanted_type.is_none_or(|kind| snapshot.content.kind.group() == kind))
        .filter(|snapshot| {
            scope.is_empty() || scope.iter().any(|id| snapshot.apply_scope.contains(id))
        })
        .map(snapshot_json)
        .collect();
    Ok(Answer::Json(Value::Array(answer)))
}

/// `Snapshot_Get`.
pub(crate) fn get(app: &App, input: &Input) -> ApiResult {
    let id = input.path_id("snapshotId")?;
    let store = app.store();
    let snapshot = store
        .snapshots
        .get(&id)
        .ok_or_else(|| missing("snapshot"))?;
    Ok(Answer::Json(snapshot_json(snapshot)))
}

/// `Snapshot_Update`: fields not given keep their values.
pub(crate) fn update(app: &App, input: &Input) -> ApiResult {
    let id = input.path_id("snapshotId")?;
    let now = app.clock.now_rfc3339();
    let mut store = app.store();
    let snapshot = store
        .snapshots
        .get_mut(&id)
        .ok_or_else(|| missing("snapshot"))?;
    if let Some(scope) = input.field_ids("applyScope") {
        snapshot.apply_scope = scope;
    }
    if let Some(user_data) = input.field_string("userData") {
        snapshot.user_data = Some(user_data);
    }
    snapshot.last_update = now;
    Ok(Answer::Empty)
}

/// `Snapshot_Delete`.
pub(crate) fn delete(app: &App, input: &Input) -> ApiResult {
    let id = input.path_id("snapshotId")?;
    app.store()
        .snapshots
        .remove(&id)
        .ok_or_else(|| missing("snapshot"))?;
    Ok(Answer::Empty)
}

/// `Snapshot_Apply`: creates a new container from the copy (the only mode the
/// spec lists); the operation names it when it succeeds.
pub(crate) fn apply(app: &App, input: &Input) -> ApiResult {
    let id = input.path_id("snapshotId")?;
    let object_id = input.field_str("objectId").unwrap_or_default().to_string();
    let now = app.clock.now_rfc3339();
    let mut store = app.store();
    let mut copy = store
        .snapshots
        .get(&id)
        .ok_or_else(|| missing("snapshot"))?
        .content
        .clone();
    let kind = copy.kind;
    if store.containers.contains_key(&(kind, object_id.clone())) {
        return Err(ApiError::conflict(
            &format!("{}Exists", kind.group()),
            format!("{} already exists.", kind.display()),
        ));
    }
    copy.id.clone_from(&object_id);
    copy.training = Training::new(&now);
    store.containers.insert((kind, object_id.clone()), copy);
    let location = format!("/{}s/{object_id}", kind.group().to_ascii_lowercase());
    let operation = operation(app, &now, location);
    Ok(training::accepted(&mut store, operation))
}

/// `Snapshot_GetOperationStatus`, which moves the operation on by one read.
pub(crate) fn operation_status(app: &App, input: &Input) -> ApiResult {
    let id = input.path_id("operationId")?;
    let mut store = app.store();
    let status = training::read_operation(app, &mut store, id)?;
    Ok(Answer::Json(status))
}
