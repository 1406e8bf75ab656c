//! The HTTP side: serving connections, guarding request bodies, routing by the
//! spec, and the one validation layer every request passes before its handler.

pub(crate) mod body_guard;
pub(crate) mod controls;
pub(crate) mod faults;
pub(crate) mod input;
pub(crate) mod multipart;
pub(crate) mod router;
pub(crate) mod serve;
