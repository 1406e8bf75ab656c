//! Person groups and large person groups: create, get, update, delete, list and training.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

use crate::app::App;
use crate::common::{self, describe, page};
use crate::error::{ApiError, ApiResult, empty_response, json_response};
use crate::kinds::{Container, GroupKind};
use crate::request::Call;
use crate::store::{PersonGroup, Training};

/// The routes of both kinds of person groups (their persons are in `persons`).
pub(crate) fn routes() -> Router<App> {
    let mut router = Router::new();
    for kind in [GroupKind::PersonGroup, GroupKind::LargePersonGroup] {
        let base = base_path(kind);
        let one = format!("{base}/{{{}}}", kind.id_field());
        router = router
            .route(
                base,
                get(move |app: State<App>, call: Call| list_all(app, call, kind)),
            )
            .route(
                &one,
                get(move |app: State<App>, call: Call| get_one(app, call, kind))
                    .put(move |app: State<App>, call: Call| create(app, call, kind))
                    .patch(move |app: State<App>, call: Call| update(app, call, kind))
                    .delete(move |app: State<App>, call: Call| delete(app, call, kind)),
            )
            .route(
                &format!("{one}/training"),
                get(move |app: State<App>, call: Call| training(app, call, kind)),
            )
            .route(
                &format!("{one}/train"),
                post(move |app: State<App>, call: Call| train(app, call, kind)),
            );
    }
    router
}

/// The collection path of a kind of group.
pub(crate) fn base_path(kind: GroupKind) -> &'static str {
    match kind {
        GroupKind::PersonGroup => "/persongroups",
        GroupKind::LargePersonGroup => "/largepersongroups",
    }
}

fn op(kind: GroupKind, method: &str) -> String {
    format!("{}_{method}", kind.operation_group())
}

fn group_json(group: &PersonGroup, kind: GroupKind, with_model: bool) -> Value {
    let mut object = Map::new();
    object.insert(kind.id_field().into(), json!(group.id));
    describe(
        &mut object,
        &group.name,
        &group.user_data,
        with_model.then_some(group.recognition_model.as_str()),
    );
    Value::Object(object)
}

fn under_training(kind: GroupKind) -> ApiError {
    ApiError::conflict(
        &format!("{}TrainingNotFinished", kind.operation_group()),
        format!("{} is under training.", kind.display()),
    )
}

async fn create(State(app): State<App>, call: Call, kind: GroupKind) -> ApiResult {
    let operation = op(kind, "Create");
    call.check_path(&app, &operation, true)?;
    let body = call.json_body(&app, &operation)?;
    let meta = common::metadata(&body)?;
    let id = call.path_param(kind.id_field()).to_string();
    let mut store = app.store();
    if store.groups.contains_key(&(kind, id.clone())) {
        return Err(ApiError::conflict(
            &format!("{}Exists", kind.operation_group()),
            format!("{} already exists.", kind.display()),
        ));
    }
    let group = PersonGroup {
        id: id.clone(),
        name: meta.name,
        user_data: meta.user_data,
        recognition_model: meta.recognition_model,
        persons: BTreeMap::new(),
        training: Training::new(&app.clock.now_rfc3339()),
    };
    store.groups.insert((kind, id), group);
    Ok(empty_response(StatusCode::OK))
}

async fn get_one(State(app): State<App>, call: Call, kind: GroupKind) -> ApiResult {
    let operation = op(kind, "Get");
    call.check_path(&app, &operation, false)?;
    let with_model = call
        .query_params(&app, &operation)?
        .bool("returnRecognitionModel", false);
    let store = app.store();
    let group = store.group(kind, call.path_param(kind.id_field()))?;
    Ok(json_response(
        StatusCode::OK,
        &group_json(group, kind, with_model),
    ))
}

async fn update(State(app): State<App>, call: Call, kind: GroupKind) -> ApiResult {
    let operation = op(kind, "Update");
    call.check_path(&app, &operation, false)?;
    let body = call.json_body(&app, &operation)?;
    let (name, user_data) = common::name_and_user_data(&body)?;
    let mut store = app.store();
    let group = store.group_mut(kind, call.path_param(kind.id_field()))?;
    if let Some(name) = name {
        group.name = name;
    }
    if user_data.is_some() {
        group.user_data = user_data;
    }
    Ok(empty_response(StatusCode::OK))
}

async fn delete(State(app): State<App>, call: Call, kind: GroupKind) -> ApiResult {
    call.check_path(&app, &op(kind, "Delete"), false)?;
    let id = call.path_param(kind.id_field()).to_string();
    let mut store = app.store();
    if store.group(kind, &id)?.training.is_running() {
        return Err(under_training(kind));
    }
    store.groups.remove(&(kind, id));
    Ok(empty_response(StatusCode::OK))
}

async fn list_all(State(app): State<App>, call: Call, kind: GroupKind) -> ApiResult {
    let params = call.query_params(&app, &op(kind, "List"))?;
    let with_model = params.bool("returnRecognitionModel", false);
    let store = app.store();
    let items: Vec<(String, Value)> = store
        .groups
        .iter()
        .filter(|((group_kind, _), _)| *group_kind == kind)
        .map(|((_, id), group)| (id.clone(), group_json(group, kind, with_model)))
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &Value::Array(page(items, &params)),
    ))
}

async fn training(State(app): State<App>, call: Call, kind: GroupKind) -> ApiResult {
    call.check_path(&app, &op(kind, "GetTrainingStatus"), false)?;
    let now = app.clock.now_rfc3339();
    let mut store = app.store();
    let group = store.group_mut(kind, call.path_param(kind.id_field()))?;
    let status = common::read_training(&mut group.training, Container::Group(kind), &now)?;
    Ok(json_response(StatusCode::OK, &status))
}

async fn train(State(app): State<App>, call: Call, kind: GroupKind) -> ApiResult {
    call.check_path(&app, &op(kind, "Train"), false)?;
    let mut store = app.store();
    common::start_training(
        &app,
        &mut store,
        Container::Group(kind),
        call.path_param(kind.id_field()),
    )
}
