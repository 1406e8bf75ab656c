//! The store: detected faces (pruned as they expire), containers with their
//! persons and faces, training, snapshots and operations.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};
use std::sync::Arc;
use std::time::SystemTime;

use uuid::Uuid;

use super::ids::{FaceId, PersistedFaceId, PersonId};
use super::kinds::{Kind, sentence_case};
use super::liveness::{Session, Settings};
use crate::error::ApiError;
use crate::synth::features::{Rng, features_of};

/// A face found by detect, alive until it expires. It keeps the seeds of its
/// features, not the features, so half a million of them fit in little memory.
#[derive(Debug, Clone)]
pub(crate) struct TempFace {
    pub identity_seed: u64,
    pub noise_seed: u64,
    pub recognition_model: Arc<str>,
    pub expires_at: SystemTime,
}

/// A live detected face, ready to compare.
#[derive(Debug, Clone)]
pub(crate) struct Face {
    pub features: Vec<f32>,
    pub recognition_model: Arc<str>,
}

/// A face kept in a face list or by a person.
#[derive(Debug, Clone)]
pub(crate) struct PersistedFace {
    pub id: PersistedFaceId,
    pub user_data: Option<String>,
    pub features: Vec<f32>,
}

/// A face list, large face list, person group or large person group: lists
/// hold faces, groups hold persons.
#[derive(Debug, Clone)]
pub(crate) struct Container {
    pub kind: Kind,
    pub id: String,
    pub name: String,
    pub user_data: Option<String>,
    pub recognition_model: String,
    pub faces: Vec<PersistedFace>,
    pub persons: BTreeMap<PersonId, Person>,
    pub training: Training,
}

/// A person of a group, with its faces.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub id: PersonId,
    pub name: Option<String>,
    pub user_data: Option<String>,
    pub faces: Vec<PersistedFace>,
}

/// The training state of a container; status moves on each time it is read.
#[derive(Debug, Clone, Default)]
pub(crate) struct Training {
    pub created: String,
    pub run: Option<TrainingRun>,
    pub last_success: Option<String>,
}

/// One training run, which finishes after `unfinished_reads` status reads.
#[derive(Debug, Clone)]
pub(crate) struct TrainingRun {
    pub reads: u32,
    pub unfinished_reads: u32,
    pub last_action: String,
}

impl Training {
    /// A container never trained, created at `now`.
    pub fn new(now: &str) -> Self {
        Self {
            created: now.to_string(),
            run: None,
            last_success: None,
        }
    }

    /// Starts a run that finishes after `unfinished_reads` status reads.
    pub fn start(&mut self, unfinished_reads: u32, now: &str) {
        self.run = Some(TrainingRun {
            reads: 0,
            unfinished_reads,
            last_action: now.to_string(),
        });
        if unfinished_reads == 0 {
            self.last_success = Some(now.to_string());
        }
    }

    /// Reads the status, which moves the run on by one step.
    pub fn read(&mut self, now: &str) -> Option<&'static str> {
        let run = self.run.as_mut()?;
        run.reads = run.reads.saturating_add(1);
        let status = step_status(run.reads, run.unfinished_reads);
        if status == "succeeded"
            && run.reads == run.unfinished_reads.saturating_add(1)
            && run.unfinished_reads > 0
        {
            run.last_action = now.to_string();
            self.last_success = Some(now.to_string());
        }
        Some(status)
    }

    /// Whether a run is under way.
    pub fn is_running(&self) -> bool {
        self.run
            .as_ref()
            .is_some_and(|run| run.unfinished_reads > 0 && run.reads <= run.unfinished_reads)
    }
}

/// The status reported at the `reads`-th read of a run that needs `unfinished` reads.
pub(crate) fn step_status(reads: u32, unfinished: u32) -> &'static str {
    if reads > unfinished {
        "succeeded"
    } else if reads <= 1 && unfinished >= 2 {
        "notstarted"
    } else {
        "running"
    }
}

/// A snapshot: a copy of a container that can be applied under another id.
#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    pub id: Uuid,
    pub account: Uuid,
    pub apply_scope: Vec<Uuid>,
    pub user_data: Option<String>,
    pub created: String,
    pub last_update: String,
    /// A copy of the container, whose kind is the snapshot's type.
    pub content: Container,
}

/// A long-running operation answered with `Operation-Location`.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    pub created: String,
    pub last_action: String,
    pub reads: u32,
    pub unfinished_reads: u32,
    pub resource_location: Option<String>,
    /// The container whose training this operation follows, if any.
    pub training: Option<(Kind, String)>,
}

/// All state, behind one lock.
#[derive(Debug)]
pub(crate) struct Store {
    faces: HashMap<FaceId, TempFace>,
    /// When each detected face expires, soonest first, so pruning never scans.
    expiries: BinaryHeap<Reverse<(SystemTime, FaceId)>>,
    pub containers: BTreeMap<(Kind, String), Container>,
    pub snapshots: BTreeMap<Uuid, Snapshot>,
    pub operations: BTreeMap<Uuid, Operation>,
    /// Liveness sessions by id.
    pub sessions: BTreeMap<String, Session>,
    /// The images liveness sessions kept, by session image id.
    pub session_images: HashMap<String, Vec<u8>>,
    /// The liveness settings of the resource.
    pub settings: Settings,
    /// Each recognition model name once, shared by the faces detected with it.
    models: Vec<Arc<str>>,
    ids: Rng,
}

impl Store {
    /// An empty store whose ids follow from `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            faces: HashMap::new(),
            expiries: BinaryHeap::new(),
            containers: BTreeMap::new(),
            snapshots: BTreeMap::new(),
            operations: BTreeMap::new(),
            sessions: BTreeMap::new(),
            session_images: HashMap::new(),
            settings: Settings::default(),
            models: Vec::new(),
            ids: Rng::new(seed),
        }
    }

    /// A fresh id, deterministic for a given seed and call order.
    pub fn new_id(&mut self) -> Uuid {
        self.ids.uuid()
    }

    /// Keeps a detected face until it expires.
    pub fn add_face(&mut self, id: FaceId, face: TempFace) {
        self.expiries.push(Reverse((face.expires_at, id)));
        self.faces.insert(id, face);
    }

    /// Forgets the faces that expired by `now`; costs only the faces forgotten.
    pub fn prune_expired(&mut self, now: SystemTime) {
        while let Some(Reverse((expires_at, id))) = self.expiries.peek().copied()
            && expires_at <= now
        {
            self.expiries.pop();
            self.faces.remove(&id);
        }
    }

    /// How many detected faces are kept.
    #[cfg(test)]
    pub fn live_faces(&self) -> usize {
        self.faces.len()
    }

    /// The shared name of a recognition model.
    pub fn model(&mut self, name: &str) -> Arc<str> {
        if let Some(known) = self.models.iter().find(|known| known.as_ref() == name) {
            return Arc::clone(known);
        }
        let model: Arc<str> = Arc::from(name);
        self.models.push(Arc::clone(&model));
        model
    }

    /// A live detected face, or the service's `FaceNotFound`.
    pub fn face(&self, id: FaceId, now: SystemTime) -> Result<Face, ApiError> {
        self.faces
            .get(&id)
            .filter(|face| face.expires_at > now)
            .map(|face| Face {
                features: features_of(face.identity_seed, face.noise_seed),
                recognition_model: Arc::clone(&face.recognition_model),
            })
            .ok_or_else(|| ApiError::bad_argument("Face is not found.").with_code("FaceNotFound"))
    }

    /// A container by kind and id, or `<Kind>NotFound` (404).
    pub fn container(&self, kind: Kind, id: &str) -> Result<&Container, ApiError> {
        self.containers
            .get(&(kind, id.to_string()))
            .ok_or_else(|| not_found(kind))
    }

    /// A container to change.
    pub fn container_mut(&mut self, kind: Kind, id: &str) -> Result<&mut Container, ApiError> {
        self.containers
            .get_mut(&(kind, id.to_string()))
            .ok_or_else(|| not_found(kind))
    }
}

impl Container {
    /// An empty container created at `now`.
    pub fn new(kind: Kind, id: &str, name: String, recognition_model: String, now: &str) -> Self {
        Self {
            kind,
            id: id.to_string(),
            name,
            user_data: None,
            recognition_model,
            faces: Vec::new(),
            persons: BTreeMap::new(),
            training: Training::new(now),
        }
    }

    /// A person of the group, or `PersonNotFound` (404).
    pub fn person(&self, id: PersonId) -> Result<&Person, ApiError> {
        self.persons.get(&id).ok_or_else(|| missing("person"))
    }

    /// A person to change.
    pub fn person_mut(&mut self, id: PersonId) -> Result<&mut Person, ApiError> {
        self.persons.get_mut(&id).ok_or_else(|| missing("person"))
    }
}

/// `<Kind>NotFound` (404).
pub(crate) fn not_found(kind: Kind) -> ApiError {
    ApiError::not_found(
        &kind.not_found_code(),
        format!("{} is not found.", kind.display()),
    )
}

/// The 404 of a missing object named in camel case, e.g. `persistedFace` → `PersistedFaceNotFound`.
pub(crate) fn missing(object: &str) -> ApiError {
    let name = sentence_case(object);
    let code: String = name.split(' ').map(capitalize).collect();
    ApiError::not_found(&format!("{code}NotFound"), format!("{name} is not found."))
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase())
        .into_iter()
        .chain(chars)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn training_moves_on_with_each_read() {
        let mut training = Training::new("t0");
        assert_eq!(training.read("t1"), None);
        training.start(2, "t1");
        assert!(training.is_running());
        let statuses: Vec<_> = (0..4).filter_map(|_| training.read("t2")).collect();
        assert_eq!(
            statuses,
            vec!["notstarted", "running", "succeeded", "succeeded"]
        );
        assert!(!training.is_running());
        assert_eq!(training.last_success.as_deref(), Some("t2"));
        training.start(0, "t3");
        assert!(!training.is_running());
        assert_eq!(training.read("t4"), Some("succeeded"));
    }

    #[test]
    fn expired_faces_are_pruned_soonest_first() {
        let start = SystemTime::UNIX_EPOCH;
        let at = |seconds| start + std::time::Duration::from_secs(seconds);
        let mut store = Store::new(1);
        for seconds in [30, 10, 20] {
            let id = FaceId(store.new_id());
            let face = TempFace {
                identity_seed: 1,
                noise_seed: 2,
                recognition_model: store.model("recognition_01"),
                expires_at: at(seconds),
            };
            store.add_face(id, face);
        }
        store.prune_expired(at(15));
        assert_eq!(store.live_faces(), 2);
        store.prune_expired(at(30));
        assert_eq!(store.live_faces(), 0);
    }

    #[test]
    fn missing_objects_are_named_as_the_service_names_them() {
        let error = missing("persistedFace");
        assert_eq!(error.code, "PersistedFaceNotFound");
        assert_eq!(error.message, "Persisted face is not found.");
    }
}
