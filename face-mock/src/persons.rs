//! The persons of person groups and large person groups, and their faces.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::app::App;
use crate::common::{self, page, persisted_face_json};
use crate::error::{ApiError, ApiResult, empty_response, json_response};
use crate::fields;
use crate::groups::base_path;
use crate::kinds::GroupKind;
use crate::request::{Call, not_found_for};
use crate::store::{Person, persisted_face_not_found};

/// Most faces one person can have.
const FACES_PER_PERSON: usize = 248;

/// The person routes of both kinds of groups.
pub(crate) fn routes() -> Router<App> {
    let mut router = Router::new();
    for kind in [GroupKind::PersonGroup, GroupKind::LargePersonGroup] {
        let persons = format!("{}/{{{}}}/persons", base_path(kind), kind.id_field());
        let person = format!("{persons}/{{personId}}");
        let face = format!("{person}/persistedfaces/{{persistedFaceId}}");
        router = router
            .route(
                &persons,
                post(move |app: State<App>, call: Call| create(app, call, kind))
                    .get(move |app: State<App>, call: Call| list_all(app, call, kind)),
            )
            .route(
                &person,
                get(move |app: State<App>, call: Call| get_one(app, call, kind))
                    .patch(move |app: State<App>, call: Call| update(app, call, kind))
                    .delete(move |app: State<App>, call: Call| delete(app, call, kind)),
            )
            .route(
                &format!("{person}/persistedfaces"),
                post(move |app: State<App>, call: Call| add_face(app, call, kind)),
            )
            .route(
                &face,
                get(move |app: State<App>, call: Call| get_face(app, call, kind))
                    .patch(move |app: State<App>, call: Call| update_face(app, call, kind))
                    .delete(move |app: State<App>, call: Call| delete_face(app, call, kind)),
            );
    }
    router
}

fn op(kind: GroupKind, method: &str) -> String {
    format!("{}_{method}", kind.person_operation_group())
}

fn ids(call: &Call, kind: GroupKind) -> Result<(String, Uuid), ApiError> {
    let person =
        Uuid::parse_str(call.path_param("personId")).map_err(|_| not_found_for("personId"))?;
    Ok((call.path_param(kind.id_field()).to_string(), person))
}

fn face_id(call: &Call) -> Result<Uuid, ApiError> {
    Uuid::parse_str(call.path_param("persistedFaceId"))
        .map_err(|_| not_found_for("persistedFaceId"))
}

fn person_json(person: &Person) -> Value {
    let mut object = Map::new();
    object.insert("personId".into(), json!(person.id));
    if let Some(name) = &person.name {
        object.insert("name".into(), json!(name));
    }
    if let Some(user_data) = &person.user_data {
        object.insert("userData".into(), json!(user_data));
    }
    object.insert(
        "persistedFaceIds".into(),
        person.faces.iter().map(|face| json!(face.id)).collect(),
    );
    Value::Object(object)
}

async fn create(State(app): State<App>, call: Call, kind: GroupKind) -> ApiResult {
    let operation = op(kind, "Create");
    call.check_path(&app, &operation, false)?;
    let body = call.json_body(&app, &operation)?;
    let name = fields::string(&body, "name")?;
    let user_data = fields::string(&body, "userData")?;
    let mut store = app.store();
    store.group(kind, call.path_param(kind.id_field()))?;
    let id = store.new_id();
    let group = store.group_mut(kind, call.path_param(kind.id_field()))?;
    group.persons.insert(
        id,
        Person {
            id,
            name,
            user_data,
            faces: Vec::new(),
        },
    );
    Ok(json_response(StatusCode::OK, &json!({ "personId": id })))
}

async fn list_all(State(app): State<App>, call: Call, kind: GroupKind) -> ApiResult {
    let operation = op(kind, "List");
    call.check_path(&app, &operation, false)?;
    let params = call.query_params(&app, &operation)?;
    let store = app.store();
    let group = store.group(kind, call.path_param(kind.id_field()))?;
    let items: Vec<(String, Value)> = group
        .persons
        .values()
        .map(|person| (person.id.to_string(), person_json(person)))
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &Value::Array(page(items, &params)),
    ))
}

async fn get_one(State(app): State<App>, call: Call, kind: GroupKind) -> ApiResult {
    call.check_path(&app, &op(kind, "Get"), false)?;
    let (group, person) = ids(&call, kind)?;
    let store = app.store();
    let person = store.group(kind, &group)?.person(person)?;
    Ok(json_response(StatusCode::OK, &person_json(person)))
}

async fn update(State(app): State<App>, call: Call, kind: GroupKind) -> ApiResult {
    let operation = op(kind, "Update");
    call.check_path(&app, &operation, false)?;
    let body = call.json_body(&app, &operation)?;
    let (name, user_data) = common::name_and_user_data(&body)?;
    let (group, person) = ids(&call, kind)?;
    let mut store = app.store();
    let person = store.group_mut(kind, &group)?.person_mut(person)?;
    if name.is_some() {
        person.name = name;
    }
    if user_data.is_some() {
        person.user_data = user_data;
    }
    Ok(empty_response(StatusCode::OK))
}

async fn delete(State(app): State<App>, call: Call, kind: GroupKind) -> ApiResult {
    call.check_path(&app, &op(kind, "Delete"), false)?;
    let (group, person) = ids(&call, kind)?;
    let mut store = app.store();
    let group = store.group_mut(kind, &group)?;
    group.person(person)?;
    group.persons.remove(&person);
    Ok(empty_response(StatusCode::OK))
}

async fn add_face(State(app): State<App>, call: Call, kind: GroupKind) -> ApiResult {
    let operation = op(kind, "AddFace");
    call.check_path(&app, &operation, false)?;
    let (group, person) = ids(&call, kind)?;
    let mut store = app.store();
    if store.group(kind, &group)?.person(person)?.faces.len() >= FACES_PER_PERSON {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "QuotaExceeded",
            "Persisted face number reached limit.",
        ));
    }
    let face = common::face_to_add(&call, &app, &operation, &mut store)?;
    let answer = json!({ "persistedFaceId": face.id });
    store
        .group_mut(kind, &group)?
        .person_mut(person)?
        .faces
        .push(face);
    Ok(json_response(StatusCode::OK, &answer))
}

async fn get_face(State(app): State<App>, call: Call, kind: GroupKind) -> ApiResult {
    call.check_path(&app, &op(kind, "GetFace"), false)?;
    let (group, person) = ids(&call, kind)?;
    let face = face_id(&call)?;
    let store = app.store();
    let person = store.group(kind, &group)?.person(person)?;
    let face = person
        .faces
        .iter()
        .find(|known| known.id == face)
        .ok_or_else(persisted_face_not_found)?;
    Ok(json_response(StatusCode::OK, &persisted_face_json(face)))
}

async fn update_face(State(app): State<App>, call: Call, kind: GroupKind) -> ApiResult {
    let operation = op(kind, "UpdateFace");
    call.check_path(&app, &operation, false)?;
    let body = call.json_body(&app, &operation)?;
    let user_data = fields::string(&body, "userData")?;
    let (group, person) = ids(&call, kind)?;
    let face = face_id(&call)?;
    let mut store = app.store();
    let person = store.group_mut(kind, &group)?.person_mut(person)?;
    let face = person
        .faces
        .iter_mut()
        .find(|known| known.id == face)
        .ok_or_else(persisted_face_not_found)?;
    if user_data.is_some() {
        face.user_data = user_data;
    }
    Ok(empty_response(StatusCode::OK))
}

async fn delete_face(State(app): State<App>, call: Call, kind: GroupKind) -> ApiResult {
    call.check_path(&app, &op(kind, "DeleteFace"), false)?;
    let (group, person) = ids(&call, kind)?;
    let face = face_id(&call)?;
    let mut store = app.store();
    let person = store.group_mut(kind, &group)?.person_mut(person)?;
    let before = person.faces.len();
    person.faces.retain(|known| known.id != face);
    if person.faces.len() == before {
        return Err(persisted_face_not_found());
    }
    Ok(empty_response(StatusCode::OK))
}
