//! Face lists and large face lists: create, get, update, delete, list, faces and training.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::app::App;
use crate::common::{self, describe, page, persisted_face_json};
use crate::error::{ApiError, ApiResult, empty_response, json_response};
use crate::fields;
use crate::kinds::{Container, ListKind};
use crate::request::{Call, not_found_for};
use crate::store::{FaceList, Training, persisted_face_not_found};

/// Most faces in a face list, and in a large face list.
fn face_quota(kind: ListKind) -> usize {
    match kind {
        ListKind::FaceList => 1_000,
        ListKind::LargeFaceList => 1_000_000,
    }
}

/// The routes of both kinds of face lists.
pub(crate) fn routes() -> Router<App> {
    let mut router = Router::new();
    for kind in [ListKind::FaceList, ListKind::LargeFaceList] {
        let base = match kind {
            ListKind::FaceList => "/facelists",
            ListKind::LargeFaceList => "/largefacelists",
        };
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
                &format!("{one}/persistedfaces"),
                post(move |app: State<App>, call: Call| add_face(app, call, kind)),
            )
            .route(
                &format!("{one}/persistedfaces/{{persistedFaceId}}"),
                axum::routing::delete(move |app: State<App>, call: Call| {
                    delete_face(app, call, kind)
                }),
            );
        if kind == ListKind::LargeFaceList {
            router = router
                .route(
                    &format!("{one}/persistedfaces"),
                    get(move |app: State<App>, call: Call| list_faces(app, call)),
                )
                .route(
                    &format!("{one}/persistedfaces/{{persistedFaceId}}"),
                    get(move |app: State<App>, call: Call| get_face(app, call))
                        .patch(move |app: State<App>, call: Call| update_face(app, call)),
                )
                .route(
                    &format!("{one}/training"),
                    get(move |app: State<App>, call: Call| training(app, call)),
                )
                .route(
                    &format!("{one}/train"),
                    post(move |app: State<App>, call: Call| train(app, call)),
                );
        }
    }
    router
}

fn op(kind: ListKind, method: &str) -> String {
    format!("{}_{method}", kind.operation_group())
}

fn list_json(list: &FaceList, kind: ListKind, with_model: bool) -> Value {
    let mut object = Map::new();
    object.insert(kind.id_field().into(), json!(list.id));
    describe(
        &mut object,
        &list.name,
        &list.user_data,
        with_model.then_some(list.recognition_model.as_str()),
    );
    if kind == ListKind::FaceList {
        object.insert(
            "persistedFaces".into(),
            list.faces.iter().map(persisted_face_json).collect(),
        );
    }
    Value::Object(object)
}

async fn create(State(app): State<App>, call: Call, kind: ListKind) -> ApiResult {
    let operation = op(kind, "Create");
    call.check_path(&app, &operation, true)?;
    let body = call.json_body(&app, &operation)?;
    let meta = common::metadata(&body)?;
    let id = call.path_param(kind.id_field()).to_string();
    let mut store = app.store();
    if store.lists.contains_key(&(kind, id.clone())) {
        return Err(ApiError::conflict(
            &format!("{}Exists", kind.operation_group()),
            format!("{} already exists.", kind.display()),
        ));
    }
    let list = FaceList {
        id: id.clone(),
        name: meta.name,
        user_data: meta.user_data,
        recognition_model: meta.recognition_model,
        faces: Vec::new(),
        training: Training::new(&app.clock.now_rfc3339()),
    };
    store.lists.insert((kind, id), list);
    Ok(empty_response(StatusCode::OK))
}

async fn get_one(State(app): State<App>, call: Call, kind: ListKind) -> ApiResult {
    let operation = op(kind, "Get");
    call.check_path(&app, &operation, false)?;
    let with_model = call
        .query_params(&app, &operation)?
        .bool("returnRecognitionModel", false);
    let store = app.store();
    let list = store.list(kind, call.path_param(kind.id_field()))?;
    Ok(json_response(
        StatusCode::OK,
        &list_json(list, kind, with_model),
    ))
}

async fn update(State(app): State<App>, call: Call, kind: ListKind) -> ApiResult {
    let operation = op(kind, "Update");
    call.check_path(&app, &operation, false)?;
    let body = call.json_body(&app, &operation)?;
    let (name, user_data) = common::name_and_user_data(&body)?;
    let mut store = app.store();
    let list = store.list_mut(kind, call.path_param(kind.id_field()))?;
    if let Some(name) = name {
        list.name = name;
    }
    if user_data.is_some() {
        list.user_data = user_data;
    }
    Ok(empty_response(StatusCode::OK))
}

async fn delete(State(app): State<App>, call: Call, kind: ListKind) -> ApiResult {
    call.check_path(&app, &op(kind, "Delete"), false)?;
    let mut store = app.store();
    store.list(kind, call.path_param(kind.id_field()))?;
    store
        .lists
        .remove(&(kind, call.path_param(kind.id_field()).to_string()));
    Ok(empty_response(StatusCode::OK))
}

async fn list_all(State(app): State<App>, call: Call, kind: ListKind) -> ApiResult {
    let params = call.query_params(&app, &op(kind, "List"))?;
    let with_model = params.bool("returnRecognitionModel", false);
    let store = app.store();
    let items: Vec<(String, Value)> = store
        .lists
        .iter()
        .filter(|((list_kind, _), _)| *list_kind == kind)
        .map(|((_, id), list)| {
            let mut value = list_json(list, kind, with_model);
            if let Some(object) = value.as_object_mut() {
                object.remove("persistedFaces");
            }
            (id.clone(), value)
        })
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &Value::Array(page(items, &params)),
    ))
}

async fn add_face(State(app): State<App>, call: Call, kind: ListKind) -> ApiResult {
    let operation = op(kind, "AddFace");
    call.check_path(&app, &operation, false)?;
    let id = call.path_param(kind.id_field()).to_string();
    let mut store = app.store();
    let count = store.list(kind, &id)?.faces.len();
    if count >= face_quota(kind) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "QuotaExceeded",
            "Persisted face number reached limit.",
        ));
    }
    let face = common::face_to_add(&call, &app, &operation, &mut store)?;
    let answer = json!({ "persistedFaceId": face.id });
    store.list_mut(kind, &id)?.faces.push(face);
    Ok(json_response(StatusCode::OK, &answer))
}

fn face_id(call: &Call) -> Result<Uuid, ApiError> {
    Uuid::parse_str(call.path_param("persistedFaceId"))
        .map_err(|_| not_found_for("persistedFaceId"))
}

async fn delete_face(State(app): State<App>, call: Call, kind: ListKind) -> ApiResult {
    call.check_path(&app, &op(kind, "DeleteFace"), false)?;
    let face = face_id(&call)?;
    let mut store = app.store();
    let list = store.list_mut(kind, call.path_param(kind.id_field()))?;
    let before = list.faces.len();
    list.faces.retain(|known| known.id != face);
    if list.faces.len() == before {
        return Err(persisted_face_not_found());
    }
    Ok(empty_response(StatusCode::OK))
}

const LARGE: ListKind = ListKind::LargeFaceList;

async fn list_faces(State(app): State<App>, call: Call) -> ApiResult {
    call.check_path(&app, "LargeFaceList_ListFaces", false)?;
    let params = call.query_params(&app, "LargeFaceList_ListFaces")?;
    let store = app.store();
    let list = store.list(LARGE, call.path_param(LARGE.id_field()))?;
    let mut items: Vec<(String, Value)> = list
        .faces
        .iter()
        .map(|face| (face.id.to_string(), persisted_face_json(face)))
        .collect();
    items.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(json_response(
        StatusCode::OK,
        &Value::Array(page(items, &params)),
    ))
}

async fn get_face(State(app): State<App>, call: Call) -> ApiResult {
    call.check_path(&app, "LargeFaceList_GetFace", false)?;
    let face = face_id(&call)?;
    let store = app.store();
    let list = store.list(LARGE, call.path_param(LARGE.id_field()))?;
    let face = list
        .faces
        .iter()
        .find(|known| known.id == face)
        .ok_or_else(persisted_face_not_found)?;
    Ok(json_response(StatusCode::OK, &persisted_face_json(face)))
}

async fn update_face(State(app): State<App>, call: Call) -> ApiResult {
    call.check_path(&app, "LargeFaceList_UpdateFace", false)?;
    let body = call.json_body(&app, "LargeFaceList_UpdateFace")?;
    let user_data = fields::string(&body, "userData")?;
    let face = face_id(&call)?;
    let mut store = app.store();
    let list = store.list_mut(LARGE, call.path_param(LARGE.id_field()))?;
    let face = list
        .faces
        .iter_mut()
        .find(|known| known.id == face)
        .ok_or_else(persisted_face_not_found)?;
    if user_data.is_some() {
        face.user_data = user_data;
    }
    Ok(empty_response(StatusCode::OK))
}

async fn training(State(app): State<App>, call: Call) -> ApiResult {
    call.check_path(&app, "LargeFaceList_GetTrainingStatus", false)?;
    let now = app.clock.now_rfc3339();
    let mut store = app.store();
    let list = store.list_mut(LARGE, call.path_param(LARGE.id_field()))?;
    let status = common::read_training(&mut list.training, Container::List(LARGE), &now)?;
    Ok(json_response(StatusCode::OK, &status))
}

async fn train(State(app): State<App>, call: Call) -> ApiResult {
    call.check_path(&app, "LargeFaceList_Train", false)?;
    let mut store = app.store();
    common::start_training(
        &app,
        &mut store,
        Container::List(LARGE),
        call.path_param(LARGE.id_field()),
    )
}
