//! The initial state an emulator can start with, read from JSON (see the crate docs for the format).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use uuid::Uuid;

use crate::kinds::{GroupKind, ListKind};
use crate::store::{FaceList, PersistedFace, Person, PersonGroup, Store, Training};
use crate::synth;

/// Person groups, large person groups, face lists and large face lists to start with.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Seed {
    /// Person groups, each with its persons.
    #[serde(default)]
    pub person_groups: Vec<SeedGroup>,
    /// Large person groups, each with its persons.
    #[serde(default)]
    pub large_person_groups: Vec<SeedGroup>,
    /// Face lists.
    #[serde(default)]
    pub face_lists: Vec<SeedList>,
    /// Large face lists.
    #[serde(default)]
    pub large_face_lists: Vec<SeedList>,
}

/// A person group (or large person group) to start with.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedGroup {
    /// The id (`personGroupId` or `largePersonGroupId`).
    #[serde(alias = "personGroupId", alias = "largePersonGroupId")]
    pub id: String,
    /// The display name (defaults to the id).
    #[serde(default)]
    pub name: Option<String>,
    /// Optional user data.
    #[serde(default)]
    pub user_data: Option<String>,
    /// The recognition model (defaults to `recognition_01`).
    #[serde(default)]
    pub recognition_model: Option<String>,
    /// Whether the group starts trained, so identify works at once (default true).
    #[serde(default = "yes")]
    pub trained: bool,
    /// The persons of the group.
    #[serde(default)]
    pub persons: Vec<SeedPerson>,
}

/// A person to start with.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedPerson {
    /// A fixed person id; generated when absent.
    #[serde(default)]
    pub person_id: Option<Uuid>,
    /// The display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Optional user data.
    #[serde(default)]
    pub user_data: Option<String>,
    /// The faces of the person.
    #[serde(default)]
    pub faces: Vec<SeedFace>,
}

/// A face list (or large face list) to start with.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedList {
    /// The id (`faceListId` or `largeFaceListId`).
    #[serde(alias = "faceListId", alias = "largeFaceListId")]
    pub id: String,
    /// The display name (defaults to the id).
    #[serde(default)]
    pub name: Option<String>,
    /// Optional user data.
    #[serde(default)]
    pub user_data: Option<String>,
    /// The recognition model (defaults to `recognition_01`).
    #[serde(default)]
    pub recognition_model: Option<String>,
    /// Whether a large face list starts trained (default true; ignored for face lists).
    #[serde(default = "yes")]
    pub trained: bool,
    /// The faces of the list.
    #[serde(default)]
    pub faces: Vec<SeedFace>,
}

/// A persisted face to start with: which person it shows, in the sense of the
/// `FACE-MOCK:person=NAME` image tag, so detected images of that person match it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedFace {
    /// The person shown, e.g. `alice`.
    pub person: String,
    /// A fixed persisted face id; generated when absent.
    #[serde(default)]
    pub persisted_face_id: Option<Uuid>,
    /// Optional user data.
    #[serde(default)]
    pub user_data: Option<String>,
}

fn yes() -> bool {
    true
}

impl Seed {
    /// Parses the JSON seed format.
    pub fn from_json(text: &str) -> Result<Self, String> {
        serde_json::from_str(text).map_err(|error| format!("seed: {error}"))
    }

    /// Reads and parses a seed file.
    pub fn from_file(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("{}: {error}", path.display()))?;
        Self::from_json(&text).map_err(|error| format!("{}: {error}", path.display()))
    }

    /// Puts the seeded objects into a store.
    pub(crate) fn apply(&self, store: &mut Store, now: &str) -> Result<(), String> {
        let groups = [
            (GroupKind::PersonGroup, &self.person_groups),
            (GroupKind::LargePersonGroup, &self.large_person_groups),
        ];
        for (kind, groups) in groups {
            for seed in groups {
                check_id(&seed.id)?;
                let mut persons = BTreeMap::new();
                for (index, person) in seed.persons.iter().enumerate() {
                    let id = person.person_id.unwrap_or_else(|| store.new_id());
                    let scope = format!("{}:{}:{index}", kind.operation_group(), seed.id);
                    let faces = faces(store, &person.faces, &scope);
                    persons.insert(
                        id,
                        Person {
                            id,
                            name: person.name.clone(),
                            user_data: person.user_data.clone(),
                            faces,
                        },
                    );
                }
                let group = PersonGroup {
                    id: seed.id.clone(),
                    name: seed.name.clone().unwrap_or_else(|| seed.id.clone()),
                    user_data: seed.user_data.clone(),
                    recognition_model: seed
                        .recognition_model
                        .clone()
                        .unwrap_or_else(|| "recognition_01".into()),
                    persons,
                    training: training(seed.trained, now),
                };
                if store
                    .groups
                    .insert((kind, seed.id.clone()), group)
                    .is_some()
                {
                    return Err(format!(
                        "seed: {} '{}' is given twice",
                        kind.display(),
                        seed.id
                    ));
                }
            }
        }
        let lists = [
            (ListKind::FaceList, &self.face_lists),
            (ListKind::LargeFaceList, &self.large_face_lists),
        ];
        for (kind, lists) in lists {
            for seed in lists {
                check_id(&seed.id)?;
                let faces = faces(
                    store,
                    &seed.faces,
                    &format!("{}:{}", kind.operation_group(), seed.id),
                );
                let list = FaceList {
                    id: seed.id.clone(),
                    name: seed.name.clone().unwrap_or_else(|| seed.id.clone()),
                    user_data: seed.user_data.clone(),
                    recognition_model: seed
                        .recognition_model
                        .clone()
                        .unwrap_or_else(|| "recognition_01".into()),
                    faces,
                    training: training(seed.trained && kind == ListKind::LargeFaceList, now),
                };
                if store.lists.insert((kind, seed.id.clone()), list).is_some() {
                    return Err(format!(
                        "seed: {} '{}' is given twice",
                        kind.display(),
                        seed.id
                    ));
                }
            }
        }
        Ok(())
    }
}

fn check_id(id: &str) -> Result<(), String> {
    let valid = !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|byte| {
            byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-' || byte == b'_'
        });
    if valid {
        Ok(())
    } else {
        Err(format!(
            "seed: '{id}' is not a valid id (at most 64 of a-z, 0-9, '-', '_')"
        ))
    }
}

fn faces(store: &mut Store, seeds: &[SeedFace], scope: &str) -> Vec<PersistedFace> {
    seeds
        .iter()
        .enumerate()
        .map(|(index, face)| {
            let noise = format!("seed:{scope}:{index}");
            PersistedFace {
                id: face.persisted_face_id.unwrap_or_else(|| store.new_id()),
                user_data: face.user_data.clone(),
                features: synth::features(&format!("person:{}", face.person), &noise),
            }
        })
        .collect()
}

fn training(trained: bool, now: &str) -> Training {
    let mut training = Training::new(now);
    if trained {
        training.start(0, now);
    }
    training
}
