//! What the generated models call: the checks of the spec's rules and the macros that write
//! the impls of ids and string enums. Reached by generated code only (here and in face-sdk's
//! operations); not covered by semver: do not use it.

pub mod check;
mod id;
pub mod string_enum;
