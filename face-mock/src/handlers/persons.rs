//! The persons of person groups and large person groups, and their faces.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::containers::{id_of, kind_of};
use super::shared::{self, persisted_face_json};
use crate::app::App;
use crate::error::{Answer, ApiError, ApiResult};
use crate::http::input::Input;
use crate::state::ids::{PersistedFaceId, PersonId};
use crate::state::store::{Person, missing};

/// Most faces one person can have (the service's limit, which no spec states).
const FACES_PER_PERSON: usize = 248;

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

/// Runs `change` on the person named in the path.
fn with_person<T>(
    app: &App,
    input: &Input,
    change: impl FnOnce(&mut Person) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let kind = kind_of(input)?;
    let person = input.path_id("personId")?;
    let mut store = app.store();
    let person = store
        .container_mut(kind, id_of(input, kind))?
        .person_mut(person)?;
    change(person)
}

/// The id of the face named in the path.
fn face_of(input: &Input) -> Result<PersistedFaceId, ApiError> {
    input.path_id("persistedFaceId")
}

/// `*Person_Create`.
pub(crate) fn create(app: &App, input: &Input) -> ApiResult {
    let kind = kind_of(input)?;
    let mut store = app.store();
    store.container(kind, id_of(input, kind))?;
    let id = PersonId(store.new_id());
    let person = Person {
        id,
        name: input.field_string("name"),
        user_data: input.field_string("userData"),
        faces: Vec::new(),
    };
    store
        .container_mut(kind, id_of(input, kind))?
        .persons
        .insert(id, person);
    Ok(Answer::Json(json!({ "personId": id })))
}

/// `*Person_List`: by id, paged as the spec says.
pub(crate) fn list(app: &App, input: &Input) -> ApiResult {
    let kind = kind_of(input)?;
    let store = app.store();
    let items: Vec<(String, Value)> = store
        .container(kind, id_of(input, kind))?
        .persons
        .values()
        .map(|person| (person.id.to_string(), person_json(person)))
        .collect();
    Ok(Answer::Json(Value::Array(input.page(items))))
}

/// `*Person_Get`.
pub(crate) fn get(app: &App, input: &Input) -> ApiResult {
    let answer = with_person(app, input, |person| Ok(person_json(person)))?;
    Ok(Answer::Json(answer))
}

/// `*Person_Update`: a name or user data not given keeps its value.
pub(crate) fn update(app: &App, input: &Input) -> ApiResult {
    let (name, user_data) = shared::name_and_user_data(input)?;
    with_person(app, input, |person| {
        if name.is_some() {
            person.name = name;
        }
        if user_data.is_some() {
            person.user_data = user_data;
        }
        Ok(())
    })?;
    Ok(Answer::Empty)
}

/// `*Person_Delete`.
pub(crate) fn delete(app: &App, input: &Input) -> ApiResult {
    let kind = kind_of(input)?;
    let person = input.path_id("personId")?;
    let mut store = app.store();
    let group = store.container_mut(kind, id_of(input, kind))?;
    group.person(person)?;
    group.persons.remove(&person);
    Ok(Answer::Empty)
}

/// `*Person_AddFace`: keeps the one face of the image (or the one `targetFace` names).
pub(crate) fn add_face(app: &App, input: &Input) -> ApiResult {
    let kind = kind_of(input)?;
    let person = input.path_id("personId")?;
    let mut store = app.store();
    let count = store
        .container(kind, id_of(input, kind))?
        .person(person)?
        .faces
        .len();
    if count >= FACES_PER_PERSON {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "QuotaExceeded",
            "Persisted face number reached limit.",
        ));
    }
    let face = shared::face_to_add(input, &mut store)?;
    let answer = json!({ "persistedFaceId": face.id });
    store
        .container_mut(kind, id_of(input, kind))?
        .person_mut(person)?
        .faces
        .push(face);
    Ok(Answer::Json(answer))
}

/// `*Person_GetFace`.
pub(crate) fn get_face(app: &App, input: &Input) -> ApiResult {
    let face = face_of(input)?;
    let answer = with_person(app, input, |person| {
        person
            .faces
            .iter()
            .find(|known| known.id == face)
            .map(persisted_face_json)
            .ok_or_else(|| missing("persistedFace"))
    })?;
    Ok(Answer::Json(answer))
}

/// `*Person_UpdateFace`.
pub(crate) fn update_face(app: &App, input: &Input) -> ApiResult {
    let face = face_of(input)?;
    let user_data = input.field_string("userData");
    with_person(app, input, |person| {
        let face = person
            .faces
            .iter_mut()
            .find(|known| known.id == face)
            .ok_or_else(|| missing("persistedFace"))?;
        if user_data.is_some() {
            face.user_data = user_data;
        }
        Ok(())
    })?;
    Ok(Answer::Empty)
}

/// `*Person_DeleteFace`.
pub(crate) fn delete_face(app: &App, input: &Input) -> ApiResult {
    let face = face_of(input)?;
    with_person(app, input, |person| {
        let before = person.faces.len();
        person.faces.retain(|known| known.id != face);
        if person.faces.len() == before {
            return Err(missing("persistedFace"));
        }
        Ok(())
    })?;
    Ok(Answer::Empty)
}
