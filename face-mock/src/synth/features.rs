//! Deterministic synthesis: hashes, pseudo-random numbers, ids, face features,
//! rectangles and landmarks, all derived from seeds so equal inputs give equal outputs.

use uuid::Uuid;

/// Dimensions of a face feature vector.
pub(crate) const FEATURE_DIMENSIONS: usize = 128;

/// The 64-bit FNV-1a hash (stable across platforms and Rust versions).
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// A small deterministic generator (SplitMix64).
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator seeded by a text.
    pub fn from_text(seed: &str) -> Self {
        Self(fnv1a(seed.as_bytes()))
    }

    /// A generator seeded by a number.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A number in `[low, high)`.
    pub fn range(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }

    /// An integer in `[low, high)`; `low` when the range is empty.
    pub fn below(&mut self, low: u64, high: u64) -> u64 {
        if high <= low {
            low
        } else {
            low + self.next_u64() % (high - low)
        }
    }

    /// A UUID (version 4 layout) made of the next 128 bits.
    pub fn uuid(&mut self) -> Uuid {
        let bytes =
            ((u128::from(self.next_u64()) << 64) | u128::from(self.next_u64())).to_be_bytes();
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }
}

/// A unit feature vector for `identity`, blurred by `noise_seed` so that two
/// images of one identity are close (cosine ≈ 0.9) but not equal, while
/// different identities are nearly orthogonal.
pub(crate) fn features(identity: &str, noise_seed: &str) -> Vec<f32> {
    features_of(fnv1a(identity.as_bytes()), fnv1a(noise_seed.as_bytes()))
}

/// The same, from the hashes of the identity and of the noise seed, so a face
/// can be kept as two numbers and its features made again when compared.
pub(crate) fn features_of(identity: u64, noise_seed: u64) -> Vec<f32> {
    let mut base = Rng::new(identity);
    let mut noise = Rng::new(noise_seed);
    let base: Vec<f64> = normalize(
        (0..FEATURE_DIMENSIONS)
            .map(|_| base.range(-1.0, 1.0))
            .collect(),
    );
    let noise: Vec<f64> = normalize(
        (0..FEATURE_DIMENSIONS)
            .map(|_| noise.range(-1.0, 1.0))
            .collect(),
    );
    normalize(base.iter().zip(&noise).map(|(b, n)| b + 0.3 * n).collect())
        .into_iter()
        .map(|value| value as f32)
        .collect()
}

fn normalize(vector: Vec<f64>) -> Vec<f64> {
    let norm = vector.iter().map(|value| value * value).sum::<f64>().sqrt();
    if norm == 0.0 {
        vector
    } else {
        vector.into_iter().map(|value| value / norm).collect()
    }
}

/// The similarity of two faces as a confidence in `[0, 1]` (cosine, clamped).
pub(crate) fn confidence(a: &[f32], b: &[f32]) -> f64 {
    let cosine: f64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| f64::from(*x) * f64::from(*y))
        .sum();
    let rounded = (cosine.clamp(0.0, 1.0) * 100_000.0).round() / 100_000.0;
    if rounded.is_finite() { rounded } else { 0.0 }
}

/// A face rectangle `(left, top, width, height)` in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rect {
    pub left: u32,
    pub top: u32,
    pub width: u32,
    pub height: u32,
}

impl Rect {
    /// A plausible rectangle for face `index` of an image with hash `hash`.
    pub fn synthesize(hash: u64, index: usize) -> Self {
        let mut rng = Rng::new(hash ^ (index as u64).wrapping_mul(0x1000_0000_01B3));
        let width = rng.below(40, 400) as u32;
        Self {
            left: rng.below(0, 1600) as u32,
            top: rng.below(0, 1200) as u32,
            width,
            height: width + rng.below(0, u64::from(width) / 4 + 1) as u32,
        }
    }

    /// The JSON form `{"width","height","left","top"}`.
    pub fn to_json(self) -> serde_json::Value {
        serde_json::json!({ "width": self.width, "height": self.height, "left": self.left, "top": self.top })
    }

    /// The overlapping area of two rectangles.
    pub fn overlap(self, other: Rect) -> u64 {
        let x = (self.left + self.width)
            .min(other.left + other.width)
            .saturating_sub(self.left.max(other.left));
        let y = (self.top + self.height)
            .min(other.top + other.height)
            .saturating_sub(self.top.max(other.top));
        u64::from(x) * u64::from(y)
    }

    /// The area.
    pub fn area(self) -> u64 {
        u64::from(self.width) * u64::from(self.height)
    }
}

/// Where a landmark sits within the face rectangle, as fractions `(x, y)`;
/// a name the emulator does not place sits at the centre.
fn landmark_position(name: &str) -> (f64, f64) {
    match name {
        "pupilLeft" => (0.30, 0.38),
        "pupilRight" => (0.70, 0.38),
        "noseTip" => (0.50, 0.58),
        "mouthLeft" => (0.34, 0.78),
        "mouthRight" => (0.66, 0.78),
        "eyebrowLeftOuter" => (0.15, 0.28),
        "eyebrowLeftInner" => (0.42, 0.27),
        "eyeLeftOuter" => (0.22, 0.38),
        "eyeLeftTop" => (0.30, 0.34),
        "eyeLeftBottom" => (0.30, 0.42),
        "eyeLeftInner" => (0.39, 0.38),
        "eyebrowRightInner" => (0.58, 0.27),
        "eyebrowRightOuter" => (0.85, 0.28),
        "eyeRightInner" => (0.61, 0.38),
        "eyeRightTop" => (0.70, 0.34),
        "eyeRightBottom" => (0.70, 0.42),
        "eyeRightOuter" => (0.78, 0.38),
        "noseRootLeft" => (0.44, 0.40),
        "noseRootRight" => (0.56, 0.40),
        "noseLeftAlarTop" => (0.43, 0.52),
        "noseRightAlarTop" => (0.57, 0.52),
        "noseLeftAlarOutTip" => (0.40, 0.60),
        "noseRightAlarOutTip" => (0.60, 0.60),
        "upperLipTop" => (0.50, 0.72),
        "upperLipBottom" => (0.50, 0.76),
        "underLipTop" => (0.50, 0.80),
        "underLipBottom" => (0.50, 0.85),
        _ => (0.50, 0.50),
    }
}

/// The landmarks `names` (the properties of the spec's `FaceLandmarks`) of a
/// face, placed inside its rectangle with a little jitter.
pub(crate) fn landmarks(names: &[&str], rect: Rect, seed: u64) -> serde_json::Value {
    let mut rng = Rng::new(seed);
    let mut map = serde_json::Map::new();
    for name in names {
        let (fx, fy) = landmark_position(name);
        let x = f64::from(rect.left) + f64::from(rect.width) * (fx + rng.range(-0.02, 0.02));
        let y = f64::from(rect.top) + f64::from(rect.height) * (fy + rng.range(-0.02, 0.02));
        map.insert(
            (*name).to_string(),
            serde_json::json!({ "x": round1(x), "y": round1(y) }),
        );
    }
    serde_json::Value::Object(map)
}

/// Rounds to one decimal.
pub(crate) fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_identity_is_close_and_others_are_far() {
        let a1 = features("person:alice", "image-1");
        let a2 = features("person:alice", "image-2");
        let b = features("person:bob", "image-3");
        assert!(confidence(&a1, &a2) > 0.8, "{}", confidence(&a1, &a2));
        assert!(confidence(&a1, &b) < 0.4, "{}", confidence(&a1, &b));
        assert_eq!(features("x", "y"), features("x", "y"));
        assert_eq!(features("x", "y"), features_of(fnv1a(b"x"), fnv1a(b"y")));
    }

    #[test]
    fn landmarks_are_those_the_spec_names_and_inside_the_face() {
        let rect = Rect {
            left: 10,
            top: 20,
            width: 100,
            height: 120,
        };
        let rules = crate::rules::Rules::v1_0().expect("the spec loads");
        let names = rules.property_names("FaceLandmarks");
        let marks = landmarks(&names, rect, 7);
        let mut keys: Vec<&str> = marks
            .as_object()
            .map(|map| map.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let mut names = names;
        keys.sort_unstable();
        names.sort_unstable();
        assert_eq!(keys, names);
        let x = marks["noseTip"]["x"].as_f64().unwrap_or_default();
        assert!((10.0..=110.0).contains(&x));
    }
}
