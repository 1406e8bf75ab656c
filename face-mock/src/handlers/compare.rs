//! `Face_FindSimilar`, `Face_Group`, `Face_Identify` and `Face_Verify`:
//! answers computed from the feature vectors of the faces involved.

use std::collections::{HashMap, HashSet};
use std::time::SystemTime;

use axum::http::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::app::App;
use crate::error::{Answer, ApiError, ApiResult};
use crate::http::input::Input;
use crate::state::ids::{FaceId, PersonId};
use crate::state::kinds::Kind;
use crate::state::store::{Container, Face, Store, missing};
use crate::synth::faces::SAME_PERSON;
use crate::synth::features::confidence;

fn incompatible() -> ApiError {
    ApiError::bad_argument("'recognitionModel' is incompatible.")
}

/// The live faces named by `ids` (400 `FaceNotFound` otherwise), all of one recognition model.
fn faces(store: &Store, ids: &[FaceId], now: SystemTime) -> Result<Vec<Face>, ApiError> {
    let faces = ids
        .iter()
        .map(|id| store.face(*id, now))
        .collect::<Result<Vec<_>, _>>()?;
    if faces
        .windows(2)
        .any(|pair| pair[0].recognition_model != pair[1].recognition_model)
    {
        return Err(incompatible());
    }
    Ok(faces)
}

/// The container a body names by one of the exactly-one-of id fields of `kinds`
/// (the validation layer made sure exactly one is given); 400 `*NotFound` when missing.
fn named_container<'a>(
    store: &'a Store,
    input: &Input,
    kinds: &[Kind],
) -> Result<Option<&'a Container>, ApiError> {
    for kind in kinds {
        if let Some(id) = input.field_str(&kind.id_field()) {
            return store
                .container(*kind, id)
                .map(Some)
                .map_err(|error| error.with_status(StatusCode::BAD_REQUEST));
        }
    }
    Ok(None)
}

/// Refuses a group or large face list that identify or find similar cannot search yet.
fn require_trained(container: &Container) -> Result<(), ApiError> {
    let kind = container.kind;
    if container.training.is_running() {
        return Err(ApiError::conflict(
            &format!("{}TrainingNotFinished", kind.group()),
            format!("{} is under training.", kind.display()),
        ));
    }
    if container.training.last_success.is_none() {
        return Err(
            ApiError::bad_argument(format!("{} not trained.", kind.display()))
                .with_code(&format!("{}NotTrained", kind.group())),
        );
    }
    Ok(())
}

/// `Face_FindSimilar`: among explicit face ids, or the faces of a (large) face list.
pub(crate) fn find_similar(app: &App, input: &Input) -> ApiResult {
    let query_id = input.field_id("faceId").unwrap_or_default();
    let max = input.field_limit("maxNumOfCandidatesReturned");
    let match_face = input.field_str("mode") == Some("matchFace");
    let now = app.clock.now();
    let store = app.store();
    let query = store.face(query_id, now)?;
    let mut scored: Vec<(f64, &'static str, Uuid)> = Vec::new();
    if let Some(list) = named_container(&store, input, &[Kind::FaceList, Kind::LargeFaceList])? {
        if *list.recognition_model != *query.recognition_model {
            return Err(incompatible());
        }
        if list.kind == Kind::LargeFaceList {
            require_trained(list)?;
        } else if list.faces.is_empty() {
            return Err(ApiError::bad_argument("Face list is empty.").with_code("FaceListNotReady"));
        }
        for face in &list.faces {
            let score = confidence(&query.features, &face.features);
            scored.push((score, "persistedFaceId", face.id.0));
        }
    } else {
        let ids: Vec<FaceId> = input.field_ids("faceIds").unwrap_or_default();
        for (id, face) in ids.iter().zip(faces(&store, &ids, now)?) {
            if face.recognition_model != query.recognition_model {
                return Err(incompatible());
            }
            scored.push((confidence(&query.features, &face.features), "faceId", id.0));
        }
    }
    if !match_face {
        scored.retain(|(score, _, _)| *score >= SAME_PERSON);
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)));
    let answer: Vec<Value> = scored
        .into_iter()
        .take(max)
        .map(|(score, key, id)| {
            let mut object = serde_json::Map::new();
            object.insert(key.to_string(), json!(id));
            object.insert("confidence".to_string(), json!(score));
            Value::Object(object)
        })
        .collect();
    Ok(Answer::Json(Value::Array(answer)))
}

/// The representative of `node`'s set in the union-find forest `parent`, halving its path.
fn root(parent: &mut [usize], mut node: usize) -> usize {
    while parent[node] != node {
        parent[node] = parent[parent[node]];
        node = parent[node];
    }
    node
}

/// `Face_Group`: faces linked by a same-person similarity form groups; the rest is the messy group.
pub(crate) fn group(app: &App, input: &Input) -> ApiResult {
    let mut ids = input.field_ids("faceIds").unwrap_or_default();
    let mut seen = HashSet::new();
    ids.retain(|id| seen.insert(*id));
    // The service counts the faces without repeats, against the same bounds.
    input.recheck("faceIds", &json!(ids))?;
    let now = app.clock.now();
    let store = app.store();
    let faces = faces(&store, &ids, now)?;
    let mut parent: Vec<usize> = (0..faces.len()).collect();
    for a in 0..faces.len() {
        for b in a + 1..faces.len() {
            if confidence(&faces[a].features, &faces[b].features) >= SAME_PERSON {
                let (root_a, root_b) = (root(&mut parent, a), root(&mut parent, b));
                parent[root_b.max(root_a)] = root_a.min(root_b);
            }
        }
    }
    let mut clusters: Vec<Vec<FaceId>> = Vec::new();
    let mut cluster_of_root = HashMap::new();
    for (index, id) in ids.iter().enumerate() {
        let top = root(&mut parent, index);
        let slot = *cluster_of_root.entry(top).or_insert_with(|| {
            clusters.push(Vec::new());
            clusters.len() - 1
        });
        clusters[slot].push(*id);
    }
    let (mut groups, messy): (Vec<Vec<FaceId>>, Vec<Vec<FaceId>>) =
        clusters.into_iter().partition(|c| c.len() > 1);
    groups.sort_by_key(|group| std::cmp::Reverse(group.len()));
    let messy: Vec<FaceId> = messy.into_iter().flatten().collect();
    Ok(Answer::Json(
        json!({ "groups": groups, "messyGroup": messy }),
    ))
}

const GROUPS: [Kind; 2] = [Kind::PersonGroup, Kind::LargePersonGroup];

/// Identify among the person directory or a dynamic person group (v1.2). The
/// spec has no operation that adds to either, so the emulator's directory is
/// empty and it has no dynamic person group: searching every directory person
/// (the list holding only the spec's `x-sdk-all-items` value) finds no candidate,
/// a named person or group is not found.
fn identify_elsewhere(input: &Input, ids: &[FaceId]) -> ApiResult {
    if input.field("dynamicPersonGroupId").is_some() {
        return Err(missing("dynamicPersonGroup").with_status(StatusCode::BAD_REQUEST));
    }
    let everyone = input.field_means_every("personIds");
    if !everyone {
        return Err(missing("person").with_status(StatusCode::BAD_REQUEST));
    }
    let answer: Vec<Value> = ids
        .iter()
        .map(|id| json!({ "faceId": id, "candidates": [] }))
        .collect();
    Ok(Answer::Json(Value::Array(answer)))
}

/// `Face_Identify`: the persons of a trained group each face most probably shows.
pub(crate) fn identify(app: &App, input: &Input) -> ApiResult {
    let ids = input.field_ids("faceIds").unwrap_or_default();
    let max = input.field_limit("maxNumOfCandidatesReturned");
    let threshold = input
        .field_number("confidenceThreshold")
        .unwrap_or(SAME_PERSON);
    let now = app.clock.now();
    let store = app.store();
    let faces = faces(&store, &ids, now)?;
    let Some(group) = named_container(&store, input, &GROUPS)? else {
        return identify_elsewhere(input, &ids);
    };
    require_trained(group)?;
    if faces
        .iter()
        .any(|face| *face.recognition_model != *group.recognition_model)
    {
        return Err(incompatible());
    }
    let answer: Vec<Value> = ids
        .iter()
        .zip(&faces)
        .map(|(id, face)| {
            let mut candidates: Vec<(f64, PersonId)> = group
                .persons
                .values()
                .filter_map(|person| {
                    let best = person
                        .faces
                        .iter()
                        .map(|known| confidence(&face.features, &known.features))
                        .reduce(f64::max)?;
                    (best >= threshold).then_some((best, person.id))
                })
                .collect();
            candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let candidates: Vec<Value> = candidates
                .into_iter()
                .take(max)
                .map(|(score, person)| json!({ "personId": person, "confidence": score }))
                .collect();
            json!({ "faceId": id, "candidates": candidates })
        })
        .collect();
    Ok(Answer::Json(Value::Array(answer)))
}

/// `Face_Verify`, face to face or face to person (told apart by the body's fields).
pub(crate) fn verify(app: &App, input: &Input) -> ApiResult {
    let now = app.clock.now();
    let face_not_found = |error: ApiError| error.with_status(StatusCode::NOT_FOUND);
    let store = app.store();
    let score = if let (Some(first), Some(second)) =
        (input.field_id("faceId1"), input.field_id("faceId2"))
    {
        let first = store.face(first, now).map_err(face_not_found)?;
        let second = store.face(second, now).map_err(face_not_found)?;
        if first.recognition_model != second.recognition_model {
            return Err(incompatible());
        }
        confidence(&first.features, &second.features)
    } else {
        let face_id = input.field_id("faceId").unwrap_or_default();
        let person_id = input.field_id("personId").unwrap_or_default();
        let face = store.face(face_id, now).map_err(face_not_found)?;
        // Without a group the person is one of the (empty) person directory.
        let group = named_container(&store, input, &GROUPS)?.ok_or_else(|| missing("person"))?;
        if *face.recognition_model != *group.recognition_model {
            return Err(incompatible());
        }
        let person = group.person(person_id)?;
        person
            .faces
            .iter()
            .map(|known| confidence(&face.features, &known.features))
            .reduce(f64::max)
            .ok_or_else(|| {
                ApiError::not_found(
                    "PersistedFaceNotFound",
                    "No persisted face of the person is found.",
                )
            })?
    };
    Ok(Answer::Json(
        json!({ "isIdentical": score >= SAME_PERSON, "confidence": score }),
    ))
}
