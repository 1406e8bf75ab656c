//! Deterministic synthesis: what an image shows, the features, rectangles and
//! landmarks of its faces, and their attributes.

pub(crate) mod attributes;
pub(crate) mod faces;
pub(crate) mod features;
pub(crate) mod image;
