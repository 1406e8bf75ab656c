//! The emulator's state: detected faces, face lists, person groups, snapshots and operations.

use std::collections::{BTreeMap, HashMap};
use std::time::SystemTime;

use uuid::Uuid;

use crate::error::ApiError;
use crate::kinds::{Container, GroupKind, ListKind};
use crate::synth::Rng;

/// A face found by detect, alive until it expires.
#[derive(Debug, Clone)]
pub(crate) struct TempFace {
    pub features: Vec<f32>,
    pub recognition_model: String,
    pub expires_at: SystemTime,
}

/// A face kept in a face list or by a person.
#[derive(Debug, Clone)]
pub(crate) struct PersistedFace {
    pub id: Uuid,
    pub user_data: Option<String>,
    pub features: Vec<f32>,
}

/// A face list or a large face list.
#[derive(Debug, Clone)]
pub(crate) struct FaceList {
    pub id: String,
    pub name: String,
    pub user_data: Option<String>,
    pub recognition_model: String,
    pub faces: Vec<PersistedFace>,
    pub training: Training,
}

/// A person group or a large person group.
#[derive(Debug, Clone)]
pub(crate) struct PersonGroup {
    pub id: String,
    pub name: String,
    pub user_data: Option<String>,
    pub recognition_model: String,
    pub persons: BTreeMap<Uuid, Person>,
    pub training: Training,
}

/// A person of a group, with its faces.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub id: Uuid,
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
    pub object_type: Container,
    pub apply_scope: Vec<Uuid>,
    pub user_data: Option<String>,
    pub created: String,
    pub last_update: String,
    pub content: SnapshotContent,
}

/// What a snapshot holds.
#[derive(Debug, Clone)]
pub(crate) enum SnapshotContent {
    List(FaceList),
    Group(PersonGroup),
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
    pub training: Option<(Container, String)>,
}

/// All state, behind one lock.
#[derive(Debug)]
pub(crate) struct Store {
    pub faces: HashMap<Uuid, TempFace>,
    pub lists: BTreeMap<(ListKind, String), FaceList>,
    pub groups: BTreeMap<(GroupKind, String), PersonGroup>,
    pub snapshots: BTreeMap<Uuid, Snapshot>,
    pub operations: BTreeMap<Uuid, Operation>,
    ids: Rng,
}

impl Store {
    /// An empty store whose ids follow from `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            faces: HashMap::new(),
            lists: BTreeMap::new(),
            groups: BTreeMap::new(),
            snapshots: BTreeMap::new(),
            operations: BTreeMap::new(),
            ids: Rng::new(seed),
        }
    }

    /// A fresh id, deterministic for a given seed and call order.
    pub fn new_id(&mut self) -> Uuid {
        self.ids.uuid()
    }

    /// Forgets the faces that expired before `now`.
    pub fn purge_expired(&mut self, now: SystemTime) {
        self.faces.retain(|_, face| face.expires_at > now);
    }

    /// A live detected face, or the service's `FaceNotFound`.
    pub fn face(&self, id: Uuid, now: SystemTime) -> Result<&TempFace, ApiError> {
        self.faces
            .get(&id)
            .filter(|face| face.expires_at > now)
            .ok_or_else(|| ApiError::bad_argument("Face is not found.").with_code("FaceNotFound"))
    }

    /// A face list by kind and id, or `<Kind>NotFound` (404).
    pub fn list(&self, kind: ListKind, id: &str) -> Result<&FaceList, ApiError> {
        self.lists
            .get(&(kind, id.to_string()))
            .ok_or_else(|| list_not_found(kind))
    }

    /// A face list to change.
    pub fn list_mut(&mut self, kind: ListKind, id: &str) -> Result<&mut FaceList, ApiError> {
        self.lists
            .get_mut(&(kind, id.to_string()))
            .ok_or_else(|| list_not_found(kind))
    }

    /// A person group by kind and id, or `<Kind>NotFound` (404).
    pub fn group(&self, kind: GroupKind, id: &str) -> Result<&PersonGroup, ApiError> {
        self.groups
            .get(&(kind, id.to_string()))
            .ok_or_else(|| group_not_found(kind))
    }

    /// A person group to change.
    pub fn group_mut(&mut self, kind: GroupKind, id: &str) -> Result<&mut PersonGroup, ApiError> {
        self.groups
            .get_mut(&(kind, id.to_string()))
            .ok_or_else(|| group_not_found(kind))
    }

    /// The training state of a container.
    pub fn training_mut(
        &mut self,
        container: Container,
        id: &str,
    ) -> Result<&mut Training, ApiError> {
        match container {
            Container::List(kind) => Ok(&mut self.list_mut(kind, id)?.training),
            Container::Group(kind) => Ok(&mut self.group_mut(kind, id)?.training),
        }
    }
}

impl PersonGroup {
    /// A person of the group, or `PersonNotFound` (404).
    pub fn person(&self, id: Uuid) -> Result<&Person, ApiError> {
        self.persons.get(&id).ok_or_else(person_not_found)
    }

    /// A person to change.
    pub fn person_mut(&mut self, id: Uuid) -> Result<&mut Person, ApiError> {
        self.persons.get_mut(&id).ok_or_else(person_not_found)
    }
}

/// `<Kind>NotFound` for a face list.
pub(crate) fn list_not_found(kind: ListKind) -> ApiError {
    ApiError::not_found(
        &Container::List(kind).not_found_code(),
        format!("{} is not found.", kind.display()),
    )
}

/// `<Kind>NotFound` for a person group.
pub(crate) fn group_not_found(kind: GroupKind) -> ApiError {
    ApiError::not_found(
        &Container::Group(kind).not_found_code(),
        format!("{} is not found.", kind.display()),
    )
}

/// `PersonNotFound` (404).
pub(crate) fn person_not_found() -> ApiError {
    ApiError::not_found("PersonNotFound", "Person is not found.")
}

/// `PersistedFaceNotFound` (404).
pub(crate) fn persisted_face_not_found() -> ApiError {
    ApiError::not_found("PersistedFaceNotFound", "Persisted face is not found.")
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
}
