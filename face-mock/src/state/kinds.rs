//! The four kinds of containers (face list, large face list, person group,
//! large person group) and the names the service derives from each.

/// A kind of container of faces or persons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kind {
    FaceList,
    LargeFaceList,
    PersonGroup,
    LargePersonGroup,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 4] = [
        Kind::FaceList,
        Kind::LargeFaceList,
        Kind::PersonGroup,
        Kind::LargePersonGroup,
    ];

    /// The operation group, which is also the snapshot type and the error code
    /// prefix, e.g. `LargeFaceList` (as in `LargeFaceList_Create`).
    pub fn group(self) -> &'static str {
        match self {
            Self::FaceList => "FaceList",
            Self::LargeFaceList => "LargeFaceList",
            Self::PersonGroup => "PersonGroup",
            Self::LargePersonGroup => "LargePersonGroup",
        }
    }

    /// The kind an operation group names: `PersonGroup` and `PersonGroupPerson` both name person groups.
    pub fn from_group(group: &str) -> Option<Self> {
        let group = group.strip_suffix("Person").unwrap_or(group);
        Self::ALL.into_iter().find(|kind| kind.group() == group)
    }

    /// Whether it holds persons (groups) rather than faces (lists).
    pub fn holds_persons(self) -> bool {
        matches!(self, Self::PersonGroup | Self::LargePersonGroup)
    }

    /// The wire name of its id, e.g. `largeFaceListId`.
    pub fn id_field(self) -> String {
        id_field_of(self.group())
    }

    /// The name in sentences, e.g. `Large face list`.
    pub fn display(self) -> String {
        sentence_case(self.group())
    }

    /// `<Group>NotFound`, e.g. `PersonGroupNotFound`.
    pub fn not_found_code(self) -> String {
        format!("{}NotFound", self.group())
    }
}

/// `faceList` → `faceListId`: the id field of a PascalCase object name.
fn id_field_of(name: &str) -> String {
    let mut chars = name.chars();
    let first = chars.next().map(|c| c.to_ascii_lowercase());
    first.into_iter().chain(chars).chain("Id".chars()).collect()
}

/// `LargeFaceList` → `Large face list`; `persistedFace` → `Persisted face`.
pub(crate) fn sentence_case(name: &str) -> String {
    let mut out = String::new();
    for (index, c) in name.chars().enumerate() {
        if index == 0 {
            out.push(c.to_ascii_uppercase());
        } else if c.is_ascii_uppercase() {
            out.push(' ');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_from_the_group() {
        assert_eq!(Kind::LargeFaceList.id_field(), "largeFaceListId");
        assert_eq!(Kind::PersonGroup.display(), "Person group");
        assert_eq!(
            Kind::from_group("LargePersonGroupPerson"),
            Some(Kind::LargePersonGroup)
        );
        assert_eq!(Kind::from_group("Face"), None);
        assert_eq!(sentence_case("persistedFace"), "Persisted face");
    }
}
