//! The faces an image shows: where they are and whom they show, and the emulator's threshold
//! for the same person.

use crate::synth::features::{self, Rect};
use crate::synth::image::ImageContent;

/// The confidence from which two faces are taken to show the same person (the
/// emulator's own threshold, which identify also uses when none is given).
pub(crate) const SAME_PERSON: f64 = 0.5;

/// One face found in an image, before it is turned into JSON.
pub(crate) struct FoundFace {
    pub rect: Rect,
    pub identity: String,
    pub identity_seed: u64,
    /// Seeds the noise of the features, the landmarks and the attributes.
    pub seed: u64,
}

impl FoundFace {
    /// The feature vector of the face.
    pub fn features(&self) -> Vec<f32> {
        features::features_of(self.identity_seed, self.seed)
    }
}

/// The faces an image shows, largest rectangle first.
pub(crate) fn find_faces(content: &ImageContent) -> Vec<FoundFace> {
    let mut faces: Vec<FoundFace> = (0..content.faces)
        .map(|index| {
            let identity = content.identity(index);
            let noise = format!("{:016x}:{index}", content.hash);
            FoundFace {
                rect: Rect::synthesize(content.hash, index),
                identity_seed: features::fnv1a(identity.as_bytes()),
                seed: features::fnv1a(noise.as_bytes()),
                identity,
            }
        })
        .collect();
    faces.sort_by_key(|face| std::cmp::Reverse(face.rect.area()));
    faces
}
