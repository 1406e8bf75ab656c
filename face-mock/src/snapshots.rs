//! Snapshots (take, list, get, update, delete, apply) and long-running operation status.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::app::App;
use crate::common;
use crate::error::{ApiError, ApiResult, empty_response, json_response};
use crate::fields;
use crate::kinds::Container;
use crate::request::{Call, not_found_for};
use crate::store::{Operation, Snapshot, SnapshotContent, Store, Training};

/// The snapshot and operation routes.
pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/snapshots", post(take).get(list_all))
        .route(
            "/snapshots/{snapshotId}",
            get(get_one).patch(update).delete(delete),
        )
        .route("/snapshots/{snapshotId}/apply", post(apply))
        .route("/operations/{operationId}", get(operation_status))
}

fn snapshot_json(snapshot: &Snapshot) -> Value {
    let mut object = Map::new();
    object.insert("id".into(), json!(snapshot.id));
    object.insert("account".into(), json!(snapshot.account));
    object.insert("type".into(), json!(snapshot.object_type.operation_group()));
    object.insert("applyScope".into(), json!(snapshot.apply_scope));
    if let Some(user_data) = &snapshot.user_data {
        object.insert("userData".into(), json!(user_data));
    }
    object.insert("createdTime".into(), json!(snapshot.created));
    object.insert("lastUpdateTime".into(), json!(snapshot.last_update));
    Value::Object(object)
}

fn snapshot_id(call: &Call) -> Result<Uuid, ApiError> {
    Uuid::parse_str(call.path_param("snapshotId")).map_err(|_| not_found_for("snapshotId"))
}

fn snapshot_not_found() -> ApiError {
    ApiError::not_found("SnapshotNotFound", "Snapshot is not found.")
}

fn object_type(body: &Value) -> Result<Container, ApiError> {
    let name = fields::required_string(body, "type")?;
    Container::from_snapshot_type(&name).ok_or_else(|| ApiError::bad_argument("'type' is invalid."))
}

/// Copies the object a snapshot is taken of.
fn copy_object(store: &Store, container: Container, id: &str) -> Result<SnapshotContent, ApiError> {
    match container {
        Container::List(kind) => Ok(SnapshotContent::List(store.list(kind, id)?.clone())),
        Container::Group(kind) => Ok(SnapshotContent::Group(store.group(kind, id)?.clone())),
    }
}

async fn take(State(app): State<App>, call: Call) -> ApiResult {
    let body = call.json_body(&app, "Snapshot_Take")?;
    let container = object_type(&body)?;
    let object_id = fields::required_string(&body, "objectId")?;
    let apply_scope = fields::uuid_list(&body, "applyScope")?
        .ok_or_else(|| ApiError::bad_argument("'applyScope' is required."))?;
    let user_data = fields::string(&body, "userData")?;
    let now = app.clock.now_rfc3339();
    let mut store = app.store();
    let content = copy_object(&store, container, &object_id)?;
    let id = store.new_id();
    let snapshot = Snapshot {
        id,
        account: app.account,
        object_type: container,
        apply_scope,
        user_data,
        created: now.clone(),
        last_update: now.clone(),
        content,
    };
    store.snapshots.insert(id, snapshot);
    let operation = operation(app.training_polls, &now, format!("/snapshots/{id}"));
    Ok(common::accepted(&mut store, operation))
}

fn operation(unfinished_reads: u32, now: &str, resource_location: String) -> Operation {
    Operation {
        created: now.to_string(),
        last_action: now.to_string(),
        reads: 0,
        unfinished_reads,
        resource_location: Some(resource_location),
        training: None,
    }
}

async fn list_all(State(app): State<App>, call: Call) -> ApiResult {
    let params = call.query_params(&app, "Snapshot_List")?;
    let wanted_type = params.str("type").map(str::to_string);
    let scope: Vec<Uuid> = params
        .list("applyScope")
        .unwrap_or_default()
        .iter()
        .map(|id| {
            Uuid::parse_str(id).map_err(|_| ApiError::bad_argument("'applyScope' is invalid."))
        })
        .collect::<Result<_, _>>()?;
    let store = app.store();
    let answer: Vec<Value> = store
        .snapshots
        .values()
        .filter(|snapshot| {
            wanted_type
                .as_deref()
                .is_none_or(|kind| snapshot.object_type.operation_group() == kind)
        })
        .filter(|snapshot| {
            scope.is_empty() || scope.iter().any(|id| snapshot.apply_scope.contains(id))
        })
        .map(snapshot_json)
        .collect();
    Ok(json_response(StatusCode::OK, &Value::Array(answer)))
}

async fn get_one(State(app): State<App>, call: Call) -> ApiResult {
    call.check_path(&app, "Snapshot_Get", false)?;
    let id = snapshot_id(&call)?;
    let store = app.store();
    let snapshot = store.snapshots.get(&id).ok_or_else(snapshot_not_found)?;
    Ok(json_response(StatusCode::OK, &snapshot_json(snapshot)))
}

async fn update(State(app): State<App>, call: Call) -> ApiResult {
    call.check_path(&app, "Snapshot_Update", false)?;
    let body = call.json_body(&app, "Snapshot_Update")?;
    let apply_scope = fields::uuid_list(&body, "applyScope")?;
    let user_data = fields::string(&body, "userData")?;
    let id = snapshot_id(&call)?;
    let now = app.clock.now_rfc3339();
    let mut store = app.store();
    let snapshot = store
        .snapshots
        .get_mut(&id)
        .ok_or_else(snapshot_not_found)?;
    if let Some(scope) = apply_scope {
        snapshot.apply_scope = scope;
    }
    if user_data.is_some() {
        snapshot.user_data = user_data;
    }
    snapshot.last_update = now;
    Ok(empty_response(StatusCode::OK))
}

async fn delete(State(app): State<App>, call: Call) -> ApiResult {
    call.check_path(&app, "Snapshot_Delete", false)?;
    let id = snapshot_id(&call)?;
    app.store()
        .snapshots
        .remove(&id)
        .ok_or_else(snapshot_not_found)?;
    Ok(empty_response(StatusCode::OK))
}

async fn apply(State(app): State<App>, call: Call) -> ApiResult {
    call.check_path(&app, "Snapshot_Apply", false)?;
    let body = call.json_body(&app, "Snapshot_Apply")?;
    let object_id = fields::required_string(&body, "objectId")?;
    if fields::string(&body, "mode")?.is_some_and(|mode| mode != "CreateNew") {
        return Err(ApiError::bad_argument("'mode' is invalid."));
    }
    let id = snapshot_id(&call)?;
    let now = app.clock.now_rfc3339();
    let mut store = app.store();
    let snapshot = store.snapshots.get(&id).ok_or_else(snapshot_not_found)?;
    let container = snapshot.object_type;
    let exists = || {
        let group = container.operation_group();
        ApiError::conflict(
            &format!("{group}Exists"),
            format!("{} already exists.", container.display()),
        )
    };
    match snapshot.content.clone() {
        SnapshotContent::List(mut list) => {
            let Container::List(kind) = container else {
                return Err(snapshot_not_found());
            };
            if store.lists.contains_key(&(kind, object_id.clone())) {
                return Err(exists());
            }
            list.id = object_id.clone();
            list.training = Training::new(&now);
            store.lists.insert((kind, object_id.clone()), list);
        }
        SnapshotContent::Group(mut group) => {
            let Container::Group(kind) = container else {
                return Err(snapshot_not_found());
            };
            if store.groups.contains_key(&(kind, object_id.clone())) {
                return Err(exists());
            }
            group.id = object_id.clone();
            group.training = Training::new(&now);
            store.groups.insert((kind, object_id.clone()), group);
        }
    }
    let location = format!("/{}/{object_id}", container.path_segment());
    let operation = operation(app.training_polls, &now, location);
    Ok(common::accepted(&mut store, operation))
}

async fn operation_status(State(app): State<App>, call: Call) -> ApiResult {
    call.check_path(&app, "Snapshot_GetOperationStatus", false)?;
    let id = Uuid::parse_str(call.path_param("operationId"))
        .map_err(|_| not_found_for("operationId"))?;
    let mut store = app.store();
    let status = common::read_operation(&app, &mut store, id)?;
    Ok(json_response(StatusCode::OK, &status))
}
