//! The two flavours of face lists and of person groups, and the names the service uses for each.

/// A face list or a large face list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum ListKind {
    FaceList,
    LargeFaceList,
}

/// A person group or a large person group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum GroupKind {
    PersonGroup,
    LargePersonGroup,
}

impl ListKind {
    /// The wire name of the id, e.g. `faceListId`.
    pub fn id_field(self) -> &'static str {
        match self {
            Self::FaceList => "faceListId",
            Self::LargeFaceList => "largeFaceListId",
        }
    }

    /// The operation group name, e.g. `FaceList` (as in `FaceList_Create`).
    pub fn operation_group(self) -> &'static str {
        match self {
            Self::FaceList => "FaceList",
            Self::LargeFaceList => "LargeFaceList",
        }
    }

    /// The name in sentences, e.g. `Face list`.
    pub fn display(self) -> &'static str {
        match self {
            Self::FaceList => "Face list",
            Self::LargeFaceList => "Large face list",
        }
    }
}

impl GroupKind {
    /// The wire name of the id, e.g. `personGroupId`.
    pub fn id_field(self) -> &'static str {
        match self {
            Self::PersonGroup => "personGroupId",
            Self::LargePersonGroup => "largePersonGroupId",
        }
    }

    /// The operation group name, e.g. `PersonGroup`.
    pub fn operation_group(self) -> &'static str {
        match self {
            Self::PersonGroup => "PersonGroup",
            Self::LargePersonGroup => "LargePersonGroup",
        }
    }

    /// The operation group of its persons, e.g. `PersonGroupPerson`.
    pub fn person_operation_group(self) -> &'static str {
        match self {
            Self::PersonGroup => "PersonGroupPerson",
            Self::LargePersonGroup => "LargePersonGroupPerson",
        }
    }

    /// The name in sentences, e.g. `Person group`.
    pub fn display(self) -> &'static str {
        match self {
            Self::PersonGroup => "Person group",
            Self::LargePersonGroup => "Large person group",
        }
    }
}

/// Either container that can be trained, snapshotted and named in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Container {
    List(ListKind),
    Group(GroupKind),
}

impl Container {
    /// The operation group name, which is also the error code prefix.
    pub fn operation_group(self) -> &'static str {
        match self {
            Self::List(kind) => kind.operation_group(),
            Self::Group(kind) => kind.operation_group(),
        }
    }

    /// The name in sentences.
    pub fn display(self) -> &'static str {
        match self {
            Self::List(kind) => kind.display(),
            Self::Group(kind) => kind.display(),
        }
    }

    /// The path segment of the collection, e.g. `largepersongroups`.
    pub fn path_segment(self) -> &'static str {
        match self {
            Self::List(ListKind::FaceList) => "facelists",
            Self::List(ListKind::LargeFaceList) => "largefacelists",
            Self::Group(GroupKind::PersonGroup) => "persongroups",
            Self::Group(GroupKind::LargePersonGroup) => "largepersongroups",
        }
    }

    /// The snapshot object type, e.g. `LargePersonGroup` (the same as the operation group).
    pub fn from_snapshot_type(name: &str) -> Option<Self> {
        match name {
            "FaceList" => Some(Self::List(ListKind::FaceList)),
            "LargeFaceList" => Some(Self::List(ListKind::LargeFaceList)),
            "PersonGroup" => Some(Self::Group(GroupKind::PersonGroup)),
            "LargePersonGroup" => Some(Self::Group(GroupKind::LargePersonGroup)),
            _ => None,
        }
    }

    /// `<Group>NotFound`, e.g. `PersonGroupNotFound`.
    pub fn not_found_code(self) -> String {
        format!("{}NotFound", self.operation_group())
    }
}
