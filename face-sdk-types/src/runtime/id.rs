//! The macros that generated code declares its kinds of id with (`x-sdk-id`), and its lists
//! of ids in which one value means every item (`x-sdk-all-items`): one line per kind in the
//! generated models, the impls written once here.
//!
//! Exported at the crate root (`crate::__string_id!`, `crate::__uuid_id!`, `crate::__all_or!`),
//! hidden from the docs and outside semver like the rest of what generated code calls, so that
//! a crate generated from a spec without ids, as the generator's checks build, has no unused
//! macro.

/// A kind of id over a string: `__string_id! { #[doc = "…"] PersonGroupId }`.
#[doc(hidden)]
#[macro_export]
macro_rules! __string_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        ///
        /// Converts from `&str` and `String` (so a method that takes one also takes a literal),
        /// derefs to `str`, and is sent and decoded as the plain string.
        #[derive(
            Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize,
            serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The id as text.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id as an owned `String`.
            #[must_use]
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Ok(Self(text.to_owned()))
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl From<&String> for $name {
            fn from(id: &String) -> Self {
                Self(id.clone())
            }
        }

        impl From<&$name> for $name {
            fn from(id: &$name) -> Self {
                id.clone()
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

/// A kind of id over a UUID: `__uuid_id! { #[doc = "…"] PersonId }`.
#[doc(hidden)]
#[macro_export]
macro_rules! __uuid_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        ///
        /// Converts from a `uuid::Uuid`, parses from text (`FromStr`, `TryFrom<&str>`), and is
        /// sent and decoded as the plain UUID.
        #[derive(
            Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(uuid::Uuid);

        impl $name {
            /// The id as the UUID it is.
            #[must_use]
            pub const fn uuid(self) -> uuid::Uuid {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.0, formatter)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.parse().map(Self)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = uuid::Error;
            fn try_from(text: &str) -> Result<Self, Self::Error> {
                text.parse().map(Self)
            }
        }

        impl From<uuid::Uuid> for $name {
            fn from(id: uuid::Uuid) -> Self {
                Self(id)
            }
        }

        impl From<&$name> for $name {
            fn from(id: &$name) -> Self {
                *id
            }
        }

        impl From<$name> for uuid::Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl PartialEq<uuid::Uuid> for $name {
            fn eq(&self, other: &uuid::Uuid) -> bool {
                self.0 == *other
            }
        }
    };
}

/// A list of ids in which one value, alone, means every item:
/// `__all_or! { PersonIds(PersonId) = "*" }`.
#[doc(hidden)]
#[macro_export]
macro_rules! __all_or {
    ($name:ident($item:ident) = $all:literal) => {
        #[doc = concat!(
            "A list of [`", stringify!($item), "`]s, or every one: [`", stringify!($name),
            "::All`] is sent as `[\"", $all, "\"]`, so a list cannot mix ids with it."
        )]
        ///
        #[doc = concat!(
            "Converts from a `Vec` or an array, and collects from any iterator, of values that \
             convert into [`", stringify!($item), "`]."
        )]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            #[doc = concat!("Every item: the list holding only `\"", $all, "\"`.")]
            All,
            /// These items.
            Only(Vec<$item>),
        }

        impl $name {
            /// The value that, alone in the list, means every item.
            pub const ALL: &'static str = $all;

            /// How many items the list has on the wire (1 for [`Self::All`]).
            #[must_use]
            pub fn len(&self) -> usize {
                match self {
                    Self::All => 1,
                    Self::Only(items) => items.len(),
                }
            }

            /// Whether the list has no item on the wire.
            #[must_use]
            pub fn is_empty(&self) -> bool {
                self.len() == 0
            }

            /// The items listed (none for [`Self::All`]).
            pub fn iter(&self) -> std::slice::Iter<'_, $item> {
                match self {
                    Self::All => [].iter(),
                    Self::Only(items) => items.iter(),
                }
            }
        }

        impl<'a> IntoIterator for &'a $name {
            type Item = &'a $item;
            type IntoIter = std::slice::Iter<'a, $item>;
            fn into_iter(self) -> Self::IntoIter {
                self.iter()
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::Only(Vec::new())
            }
        }

        impl<T: Into<$item>> From<Vec<T>> for $name {
            fn from(items: Vec<T>) -> Self {
                items.into_iter().collect()
            }
        }

        impl<T: Into<$item>, const N: usize> From<[T; N]> for $name {
            fn from(items: [T; N]) -> Self {
                items.into_iter().collect()
            }
        }

        impl<T: Into<$item>> FromIterator<T> for $name {
            fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
                Self::Only(items.into_iter().map(Into::into).collect())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    Self::All => [Self::ALL].serialize(serializer),
                    Self::Only(items) => items.serialize(serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let values = Vec::<serde_json::Value>::deserialize(deserializer)?;
                if let [serde_json::Value::String(only)] = values.as_slice()
                    && only == Self::ALL
                {
                    return Ok(Self::All);
                }
                values
                    .into_iter()
                    .map(serde_json::from_value)
                    .collect::<Result<Vec<$item>, _>>()
                    .map(Self::Only)
                    .map_err(serde::de::Error::custom)
            }
        }
    };
}
