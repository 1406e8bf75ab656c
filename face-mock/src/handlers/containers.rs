//! Create, get, update, delete, list and train, shared by the four kinds of
//! containers: face lists, large face lists, person groups and large person
//! groups. The kind is the operation's group (`LargeFaceList_Create` → large face list).

use serde_json::{Map, Value, json};

use super::shared::{self, describe, persisted_face_json};
use super::training;
use crate::app::App;
use crate::error::{Answer, ApiError, ApiResult};
use crate::http::input::Input;
use crate::state::kinds::Kind;
use crate::state::store::Container;

/// The kind of container an operation works on.
pub(crate) fn kind_of(input: &Input) -> Result<Kind, ApiError> {
    Kind::from_group(input.group()).ok_or_else(ApiError::no_such_resource)
}

/// The id of the container named in the path.
pub(crate) fn id_of(input: &Input, kind: Kind) -> &str {
    input.path(&kind.id_field())
}

/// The JSON of a container; a face list also shows its faces when `with_faces`.
fn container_json(container: &Container, with_model: bool, with_faces: bool) -> Value {
    let kind = container.kind;
    let mut object = Map::new();
    object.insert(kind.id_field(), json!(container.id));
    describe(
        &mut object,
        &container.name,
        container.user_data.as_deref(),
        with_model.then_some(container.recognition_model.as_str()),
    );
    if with_faces && kind == Kind::FaceList {
        let faces = container.faces.iter().map(persisted_face_json).collect();
        object.insert("persistedFaces".into(), faces);
    }
    Value::Object(object)
}

fn under_training(kind: Kind) -> ApiError {
    ApiError::conflict(
        &format!("{}TrainingNotFinished", kind.group()),
        format!("{} is under training.", kind.display()),
    )
}

/// `*_Create`.
pub(crate) fn create(app: &App, input: &Input) -> ApiResult {
    let kind = kind_of(input)?;
    let id = id_of(input, kind);
    let mut store = app.store();
    if store.containers.contains_key(&(kind, id.to_string())) {
        return Err(ApiError::conflict(
            &format!("{}Exists", kind.group()),
            format!("{} already exists.", kind.display()),
        ));
    }
    let mut container = Container::new(
        kind,
        id,
        input.field_string("name").unwrap_or_default(),
        input.field_string("recognitionModel").unwrap_or_default(),
        &app.clock.now_rfc3339(),
    );
    container.user_data = input.field_string("userData");
    store.containers.insert((kind, id.to_string()), container);
    Ok(Answer::Empty)
}

/// `*_Get`.
pub(crate) fn get(app: &App, input: &Input) -> ApiResult {
    let kind = kind_of(input)?;
    let store = app.store();
    let container = store.container(kind, id_of(input, kind))?;
    let with_model = input.query_flag("returnRecognitionModel");
    Ok(Answer::Json(container_json(container, with_model, true)))
}

/// `*_Update`: a name or user data not given keeps its value.
pub(crate) fn update(app: &App, input: &Input) -> ApiResult {
    let kind = kind_of(input)?;
    let (name, user_data) = shared::name_and_user_data(input)?;
    let mut store = app.store();
    let container = store.container_mut(kind, id_of(input, kind))?;
    if let Some(name) = name {
        container.name = name;
    }
    if user_data.is_some() {
        container.user_data = user_data;
    }
    Ok(Answer::Empty)
}

/// `*_Delete`; a group under training cannot be deleted.
pub(crate) fn delete(app: &App, input: &Input) -> ApiResult {
    let kind = kind_of(input)?;
    let id = id_of(input, kind).to_string();
    let mut store = app.store();
    if kind.holds_persons() && store.container(kind, &id)?.training.is_running() {
        return Err(under_training(kind));
    }
    store.container(kind, &id)?;
    store.containers.remove(&(kind, id));
    Ok(Answer::Empty)
}

/// `*_List`: by id, paged as the spec says.
pub(crate) fn list(app: &App, input: &Input) -> ApiResult {
    let kind = kind_of(input)?;
    let with_model = input.query_flag("returnRecognitionModel");
    let store = app.store();
    let items: Vec<(String, Value)> = store
        .containers
        .range((kind, String::new())..)
        .take_while(|((of_kind, _), _)| *of_kind == kind)
        .map(|((_, id), container)| (id.clone(), container_json(container, with_model, false)))
        .collect();
    Ok(Answer::Json(Value::Array(input.page(items))))
}

/// `*_GetTrainingStatus`, which moves a training on by one read.
pub(crate) fn training_status(app: &App, input: &Input) -> ApiResult {
    let kind = kind_of(input)?;
    let now = app.clock.now_rfc3339();
    let mut store = app.store();
    let container = store.container_mut(kind, id_of(input, kind))?;
    let status = training::read_training(input, &mut container.training, kind, &now)?;
    Ok(Answer::Json(status))
}

/// `*_Train`: answers 202 with the operation that follows the training.
pub(crate) fn train(app: &App, input: &Input) -> ApiResult {
    let kind = kind_of(input)?;
    let mut store = app.store();
    training::start_training(app, &mut store, kind, id_of(input, kind))
}
