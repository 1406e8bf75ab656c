//! `POST /findsimilars`, `/group`, `/identify` and `/verify`: answers computed
//! from the feature vectors of the faces involved.

use std::time::SystemTime;

use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::app::App;
use crate::error::{ApiError, ApiResult, json_response};
use crate::fields;
use crate::kinds::{GroupKind, ListKind};
use crate::request::Call;
use crate::rules::Violation;
use crate::store::{PersonGroup, Store, TempFace, person_not_found};
use crate::synth::confidence;

/// The confidence from which two faces are taken to show the same person.
pub(crate) const SAME_PERSON: f64 = 0.5;

fn incompatible() -> ApiError {
    ApiError::bad_argument("'recognitionModel' is incompatible.")
}

/// The live faces named by `ids` (400 `FaceNotFound` otherwise), all of one recognition model.
fn faces<'a>(
    store: &'a Store,
    ids: &[Uuid],
    now: SystemTime,
) -> Result<Vec<&'a TempFace>, ApiError> {
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

/// `POST /findsimilars`.
pub(crate) async fn find_similar(State(app): State<App>, call: Call) -> ApiResult {
    let body = call.json_body(&app, "Face_FindSimilar")?;
    let query_id = fields::required_uuid(&body, "faceId")?;
    let max = fields::within(
        fields::integer(&body, "maxNumOfCandidatesReturned")?.unwrap_or(20),
        1,
        1000,
        "maxNumOfCandidatesReturned",
    )?;
    let match_face = match fields::string(&body, "mode")?.as_deref() {
        None | Some("matchPerson") => false,
        Some("matchFace") => true,
        Some(_) => return Err(ApiError::bad_argument("Mode is invalid.")),
    };
    let list_id = fields::string(&body, "faceListId")?;
    let large_list_id = fields::string(&body, "largeFaceListId")?;
    let face_ids = fields::uuid_list(&body, "faceIds")?;
    let now = app.clock.now();
    let store = app.store();
    let query = store.face(query_id, now)?;
    let mut scored: Vec<(f64, &'static str, Uuid)> = Vec::new();
    match (list_id, large_list_id, face_ids) {
        (None, None, Some(ids)) => {
            for (id, face) in ids.iter().zip(faces(&store, &ids, now)?) {
                if face.recognition_model != query.recognition_model {
                    return Err(incompatible());
                }
                scored.push((confidence(&query.features, &face.features), "faceId", *id));
            }
        }
        (Some(id), None, None) | (None, Some(id), None) => {
            let kind = if body.get("faceListId").is_some_and(|v| !v.is_null()) {
                ListKind::FaceList
            } else {
                ListKind::LargeFaceList
            };
            let list = store
                .list(kind, &id)
                .map_err(|error| error.with_status(StatusCode::BAD_REQUEST))?;
            if list.recognition_model != query.recognition_model {
                return Err(incompatible());
            }
            if kind == ListKind::LargeFaceList {
                if list.training.is_running() {
                    return Err(ApiError::conflict(
                        "LargeFaceListTrainingNotFinished",
                        "Large face list is under training.",
                    ));
                }
                if list.training.last_success.is_none() {
                    return Err(ApiError::bad_argument("Large face list is not trained.")
                        .with_code("LargeFaceListNotTrained"));
                }
            } else if list.faces.is_empty() {
                return Err(
                    ApiError::bad_argument("Face list is empty.").with_code("FaceListNotReady")
                );
            }
            for face in &list.faces {
                scored.push((
                    confidence(&query.features, &face.features),
                    "persistedFaceId",
                    face.id,
                ));
            }
        }
        _ => {
            return Err(ApiError::bad_argument(
                "LargeFaceListId, faceListId and faceIds, not exactly one of them is valid.",
            ));
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
    Ok(json_response(StatusCode::OK, &Value::Array(answer)))
}

/// `POST /group`: faces linked by a same-person similarity form groups; the rest is the messy group.
pub(crate) async fn group(State(app): State<App>, call: Call) -> ApiResult {
    let body = call.json_body(&app, "Face_Group")?;
    let mut ids = fields::uuid_list(&body, "faceIds")?.unwrap_or_default();
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(*id));
    if !(2..=1000).contains(&ids.len()) {
        return Err(ApiError::bad_argument(
            "The length of faceIds is not in a valid range. The valid range is between [2, 1000].",
        ));
    }
    let now = app.clock.now();
    let store = app.store();
    let faces = faces(&store, &ids, now)?;
    let mut parent: Vec<usize> = (0..faces.len()).collect();
    fn root(parent: &mut [usize], mut node: usize) -> usize {
        while parent[node] != node {
            parent[node] = parent[parent[node]];
            node = parent[node];
        }
        node
    }
    for a in 0..faces.len() {
        for b in a + 1..faces.len() {
            if confidence(&faces[a].features, &faces[b].features) >= SAME_PERSON {
                let (root_a, root_b) = (root(&mut parent, a), root(&mut parent, b));
                parent[root_b.max(root_a)] = root_a.min(root_b);
            }
        }
    }
    let mut clusters: Vec<Vec<Uuid>> = Vec::new();
    let mut cluster_of_root = std::collections::HashMap::new();
    for (index, id) in ids.iter().enumerate() {
        let top = root(&mut parent, index);
        let slot = *cluster_of_root.entry(top).or_insert_with(|| {
            clusters.push(Vec::new());
            clusters.len() - 1
        });
        clusters[slot].push(*id);
    }
    let (mut groups, messy): (Vec<Vec<Uuid>>, Vec<Vec<Uuid>>) =
        clusters.into_iter().partition(|c| c.len() > 1);
    groups.sort_by_key(|group| std::cmp::Reverse(group.len()));
    let messy: Vec<Uuid> = messy.into_iter().flatten().collect();
    Ok(json_response(
        StatusCode::OK,
        &json!({ "groups": groups, "messyGroup": messy }),
    ))
}

/// The answer to a broken exactly-one-of rule on a group id pair, as identify gives it.
fn group_choice_violation(violation: &Violation) -> ApiError {
    match &violation.exactly_one_of {
        Some((_, 0)) => {
            ApiError::bad_argument("Large person group ID and person group ID are both null.")
                .with_code("PersonGroupIdAndLargePersonGroupIdBothNull")
        }
        Some(_) => {
            ApiError::bad_argument("Large person group ID and person group ID are both not null.")
                .with_code("PersonGroupIdAndLargePersonGroupIdBothNotNull")
        }
        None => ApiError::bad_argument(violation.message.clone()),
    }
}

/// Which group a body names by `personGroupId` / `largePersonGroupId` (exactly one).
fn chosen_group(body: &Value) -> Result<(GroupKind, String), ApiError> {
    match (
        fields::string(body, "personGroupId")?,
        fields::string(body, "largePersonGroupId")?,
    ) {
        (Some(id), None) => Ok((GroupKind::PersonGroup, id)),
        (None, Some(id)) => Ok((GroupKind::LargePersonGroup, id)),
        (None, None) => Err(group_choice_violation(&Violation::exactly_one(0))),
        (Some(_), Some(_)) => Err(group_choice_violation(&Violation::exactly_one(2))),
    }
}

/// A group as identify and verify see it: 400 `*NotFound` when missing.
fn group_for_matching<'a>(
    store: &'a Store,
    kind: GroupKind,
    id: &str,
) -> Result<&'a PersonGroup, ApiError> {
    store
        .group(kind, id)
        .map_err(|error| error.with_status(StatusCode::BAD_REQUEST))
}

/// `POST /identify`.
pub(crate) async fn identify(State(app): State<App>, call: Call) -> ApiResult {
    let body = call.json_body_with(&app, "Face_Identify", group_choice_violation)?;
    let ids = fields::uuid_list(&body, "faceIds")?.unwrap_or_default();
    if !(1..=10).contains(&ids.len()) {
        return Err(ApiError::bad_argument(
            "The length of faceIds is not in a valid range. The valid range is between [1, 10].",
        ));
    }
    let max = fields::within(
        fields::integer(&body, "maxNumOfCandidatesReturned")?.unwrap_or(1),
        1,
        100,
        "maxNumOfCandidatesReturned",
    )?;
    let threshold = fields::number(&body, "confidenceThreshold")?.unwrap_or(SAME_PERSON);
    if !(0.0..=1.0).contains(&threshold) {
        return Err(ApiError::bad_argument(
            "The argument confidenceThreshold is not valid. The valid range is between [0, 1].",
        ));
    }
    let (kind, group_id) = chosen_group(&body)?;
    let now = app.clock.now();
    let store = app.store();
    let faces = faces(&store, &ids, now)?;
    let group = group_for_matching(&store, kind, &group_id)?;
    let prefix = kind.operation_group();
    if group.training.is_running() {
        return Err(ApiError::conflict(
            &format!("{prefix}TrainingNotFinished"),
            format!("{} is under training.", kind.display()),
        ));
    }
    if group.training.last_success.is_none() {
        return Err(
            ApiError::bad_argument(format!("{} not trained.", kind.display()))
                .with_code(&format!("{prefix}NotTrained")),
        );
    }
    if faces
        .iter()
        .any(|face| face.recognition_model != group.recognition_model)
    {
        return Err(incompatible());
    }
    let answer: Vec<Value> = ids
        .iter()
        .zip(&faces)
        .map(|(id, face)| {
            let mut candidates: Vec<(f64, Uuid)> = group
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
    Ok(json_response(StatusCode::OK, &Value::Array(answer)))
}

/// `POST /verify`, face to face or face to person (told apart by the body's fields).
pub(crate) async fn verify(State(app): State<App>, call: Call) -> ApiResult {
    let body = call.json_body(&app, "Face_Verify")?;
    let now = app.clock.now();
    let face_not_found = |error: ApiError| error.with_status(StatusCode::NOT_FOUND);
    let score = if body.get("faceId1").is_some() || body.get("faceId2").is_some() {
        let first = fields::required_uuid(&body, "faceId1")?;
        let second = fields::required_uuid(&body, "faceId2")?;
        let store = app.store();
        let first = store.face(first, now).map_err(face_not_found)?;
        let second = store.face(second, now).map_err(face_not_found)?;
        if first.recognition_model != second.recognition_model {
            return Err(incompatible());
        }
        confidence(&first.features, &second.features)
    } else {
        let face_id = fields::required_uuid(&body, "faceId")?;
        let person_id = fields::required_uuid(&body, "personId")?;
        let (kind, group_id) =
            chosen_group(&body).map_err(|error| error.with_code("BadArgument"))?;
        let store = app.store();
        let face = store.face(face_id, now).map_err(face_not_found)?;
        let group = group_for_matching(&store, kind, &group_id)?;
        if face.recognition_model != group.recognition_model {
            return Err(incompatible());
        }
        let person = group.person(person_id).map_err(|_| person_not_found())?;
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
    Ok(json_response(
        StatusCode::OK,
        &json!({ "isIdentical": score >= SAME_PERSON, "confidence": score }),
    ))
}
