//! The HTTP side: serving connections and guarding request bodies.

pub(crate) mod body_guard;
pub(crate) mod serve;
