//! The ids the store keeps apart by kind: a detected face, a persisted face and a person are
//! all UUIDs on the wire, and a handler that looked one up as another would answer wrongly, so
//! each is its own type here, as each is its own kind in the specs (`x-sdk-id`). Ids the caller
//! chooses (containers) are keyed by their kind of container and text; session ids are text.

use std::fmt;
use uuid::Uuid;

/// A UUID id of one kind, sent as the plain UUID.
macro_rules! uuid_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize,
        )]
        #[serde(transparent)]
        pub(crate) struct $name(pub Uuid);

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, formatter)
            }
        }
    };
}

uuid_id! {
    /// The temporary id of a face found by detect.
    FaceId
}

uuid_id! {
    /// The id of a face kept in a face list or by a person.
    PersistedFaceId
}

uuid_id! {
    /// The id of a person of a person group.
    PersonId
}
