//! The faces of face lists and large face lists: add, get, update, delete and list.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::containers::{id_of, kind_of};
use super::shared::{self, persisted_face_json};
use crate::app::App;
use crate::error::{Answer, ApiError, ApiResult};
use crate::http::input::Input;
use crate::state::ids::PersistedFaceId;
use crate::state::kinds::Kind;
use crate::state::store::missing;

/// Most faces in a face list and in a large face list (the spec says so only in prose).
fn face_quota(kind: Kind) -> usize {
    match kind {
        Kind::FaceList => 1_000,
        _ => 1_000_000,
    }
}

/// `*_AddFace`: keeps the one face of the image (or the one `targetFace` names).
pub(crate) fn add(app: &App, input: &Input) -> ApiResult {
    let kind = kind_of(input)?;
    let id = id_of(input, kind);
    let mut store = app.store();
    if store.container(kind, id)?.faces.len() >= face_quota(kind) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "QuotaExceeded",
            "Persisted face number reached limit.",
        ));
    }
    let face = shared::face_to_add(input, &mut store)?;
    let answer = json!({ "persistedFaceId": face.id });
    store.container_mut(kind, id)?.faces.push(face);
    Ok(Answer::Json(answer))
}

/// `*_DeleteFace`.
pub(crate) fn delete(app: &App, input: &Input) -> ApiResult {
    let kind = kind_of(input)?;
    let face: PersistedFaceId = input.path_id("persistedFaceId")?;
    let mut store = app.store();
    let list = store.container_mut(kind, id_of(input, kind))?;
    let before = list.faces.len();
    list.faces.retain(|known| known.id != face);
    if list.faces.len() == before {
        return Err(missing("persistedFace"));
    }
    Ok(Answer::Empty)
}

/// `LargeFaceList_GetFace`.
pub(crate) fn get(app: &App, input: &Input) -> ApiResult {
    let kind = kind_of(input)?;
    let face = input.path_id("persistedFaceId")?;
    let store = app.store();
    let face = store
        .container(kind, id_of(input, kind))?
        .faces
        .iter()
        .find(|known| known.id == face)
        .ok_or_else(|| missing("persistedFace"))?;
    Ok(Answer::Json(persisted_face_json(face)))
}

/// `LargeFaceList_UpdateFace`.
pub(crate) fn update(app: &App, input: &Input) -> ApiResult {
    let kind = kind_of(input)?;
    let face = input.path_id("persistedFaceId")?;
    let user_data = input.field_string("userData");
    let mut store = app.store();
    let face = store
        .container_mut(kind, id_of(input, kind))?
        .faces
        .iter_mut()
        .find(|known| known.id == face)
        .ok_or_else(|| missing("persistedFace"))?;
    if user_data.is_some() {
        face.user_data = user_data;
    }
    Ok(Answer::Empty)
}

/// `LargeFaceList_ListFaces`: by id, paged as the spec says.
pub(crate) fn list(app: &App, input: &Input) -> ApiResult {
    let kind = kind_of(input)?;
    let store = app.store();
    let mut items: Vec<(String, Value)> = store
        .container(kind, id_of(input, kind))?
        .faces
        .iter()
        .map(|face| (face.id.to_string(), persisted_face_json(face)))
        .collect();
    items.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Answer::Json(Value::Array(input.page(items))))
}
