//! The emulator's state: containers, persons, faces, training, snapshots and
//! operations in one store, and the seed that fills it at start-up.

pub(crate) mod ids;
pub(crate) mod kinds;
pub(crate) mod liveness;
pub(crate) mod seed;
pub(crate) mod store;
