//! The initial state an emulator can start with, read from JSON (see the crate docs for the format).

use std::path::Path;

use serde::Deserialize;
use uuid::Uuid;

use super::ids::{PersistedFaceId, PersonId};
use super::kinds::Kind;
use super::store::{Container, PersistedFace, Person, Store};
use crate::rules::{Location, Rules};
use crate::synth::features;

/// Person groups, large person groups, face lists and large face lists to start with.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Seed {
    /// Person groups, each with its persons.
    #[serde(default)]
    pub person_groups: Vec<SeedContainer>,
    /// Large person groups, each with its persons.
    #[serde(default)]
    pub large_person_groups: Vec<SeedContainer>,
    /// Face lists.
    #[serde(default)]
    pub face_lists: Vec<SeedContainer>,
    /// Large face lists.
    #[serde(default)]
    pub large_face_lists: Vec<SeedContainer>,
}

/// A person group, large person group, face list or large face list to start with; which
/// one is told by the list of [`Seed`] it is in. Groups hold `persons`, lists hold `faces`: a
/// seed that gives the other is refused.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedContainer {
    /// The id (`personGroupId`, `largePersonGroupId`, `faceListId` or `largeFaceListId`).
    #[serde(
        alias = "personGroupId",
        alias = "largePersonGroupId",
        alias = "faceListId",
        alias = "largeFaceListId"
    )]
    pub id: String,
    /// The display name (defaults to the id).
    #[serde(default)]
    pub name: Option<String>,
    /// Optional user data.
    #[serde(default)]
    pub user_data: Option<String>,
    /// The recognition model (defaults to the spec's default for creating the kind).
    #[serde(default)]
    pub recognition_model: Option<String>,
    /// Whether it starts trained (default true; a face list is never trained).
    #[serde(default = "yes")]
    pub trained: bool,
    /// The persons of a group.
    #[serde(default)]
    pub persons: Vec<SeedPerson>,
    /// The faces of a list.
    #[serde(default)]
    pub faces: Vec<SeedFace>,
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

    /// Puts the seeded objects into a store; ids are checked, and absent
    /// recognition models defaulted, as the spec says for creating each kind.
    pub(crate) fn apply(&self, store: &mut Store, now: &str, rules: &Rules) -> Result<(), String> {
        let mut containers = Vec::new();
        for (kind, groups) in [
            (Kind::PersonGroup, &self.person_groups),
            (Kind::LargePersonGroup, &self.large_person_groups),
        ] {
            for seed in groups {
                if !seed.faces.is_empty() {
                    return Err(format!(
                        "seed: {} '{}' holds persons, not faces",
                        kind.display(),
                        seed.id
                    ));
                }
                let mut group = Container::new(kind, &seed.id, seed.id.clone(), String::new(), now);
                for (index, person) in seed.persons.iter().enumerate() {
                    let id = PersonId(person.person_id.unwrap_or_else(|| store.new_id()));
                    let scope = format!("{}:{}:{index}", kind.group(), seed.id);
                    let person = Person {
                        id,
                        name: person.name.clone(),
                        user_data: person.user_data.clone(),
                        faces: faces(store, &person.faces, &scope),
                    };
                    group.persons.insert(id, person);
                }
                containers.push((
                    group,
                    &seed.name,
                    &seed.user_data,
                    &seed.recognition_model,
                    seed.trained,
                ));
            }
        }
        for (kind, lists) in [
            (Kind::FaceList, &self.face_lists),
            (Kind::LargeFaceList, &self.large_face_lists),
        ] {
            for seed in lists {
                if !seed.persons.is_empty() {
                    return Err(format!(
                        "seed: {} '{}' holds faces, not persons",
                        kind.display(),
                        seed.id
                    ));
                }
                let mut list = Container::new(kind, &seed.id, seed.id.clone(), String::new(), now);
                list.faces = faces(store, &seed.faces, &format!("{}:{}", kind.group(), seed.id));
                // A face list is never trained; the others start trained unless told not to.
                let trained = seed.trained && kind != Kind::FaceList;
                containers.push((
                    list,
                    &seed.name,
                    &seed.user_data,
                    &seed.recognition_model,
                    trained,
                ));
            }
        }
        for (mut container, name, user_data, model, trained) in containers {
            let kind = container.kind;
            let id_field = kind.id_field();
            let id = [(id_field, container.id.clone())];
            if let Err(violation) =
                rules.check_params(&format!("{}_Create", kind.group()), Location::Path, &id)
            {
                return Err(format!(
                    "seed: '{}' is not a valid id: {}",
                    container.id, violation.message
                ));
            }
            if let Some(name) = name {
                container.name.clone_from(name);
            }
            container.user_data.clone_from(user_data);
            let create = format!("{}_Create", kind.group());
            container.recognition_model = model.clone().unwrap_or_else(|| {
                rules
                    .default_of_field(&create, "recognitionModel")
                    .and_then(|value| value.as_str().map(str::to_owned))
                    .unwrap_or_default()
            });
            if trained {
                container.training.start(0, now);
            }
            let key = (kind, container.id.clone());
            if store.containers.insert(key, container).is_some() {
                return Err(format!(
                    "seed: {} '{}' is given twice",
                    kind.display(),
                    id[0].1
                ));
            }
        }
        Ok(())
    }
}

fn faces(store: &mut Store, seeds: &[SeedFace], scope: &str) -> Vec<PersistedFace> {
    seeds
        .iter()
        .enumerate()
        .map(|(index, face)| {
            let noise = format!("seed:{scope}:{index}");
            PersistedFace {
                id: PersistedFaceId(face.persisted_face_id.unwrap_or_else(|| store.new_id())),
                user_data: face.user_data.clone(),
                features: features::features(&format!("person:{}", face.person), &noise),
            }
        })
        .collect()
}
