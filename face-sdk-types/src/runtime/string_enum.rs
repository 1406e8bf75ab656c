//! What every generated string enum has beyond its definition: `as_str`, the conversions
//! from and into the wire's `String` that its serde attributes use (an unknown value kept in
//! the fallback variant), and `Display`. The generator writes the enum, with its docs, and one
//! invocation of this macro naming each variant's wire value and the values also decoded
//! into it.

/// `string_enum_impls! { Type { Variant { "wire" | "alias" } … } Fallback }`.
#[doc(hidden)]
#[macro_export]
macro_rules! __string_enum_impls {
    ($name:ident { $($variant:ident { $wire:literal $(| $alias:literal)* })* } $fallback:ident) => {
        impl $name {
            /// The value as it travels on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$fallback(value) => value,
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    $($wire $(| $alias)* => Self::$variant,)*
                    _ => Self::$fallback(value),
                }
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                if let $name::$fallback(text) = value {
                    text
                } else {
                    value.as_str().to_owned()
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str(self.as_str())
            }
        }
    };
}

#[doc(hidden)]
pub use crate::__string_enum_impls as string_enum_impls;
