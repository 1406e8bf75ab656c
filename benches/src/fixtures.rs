//! Detect responses as the service writes them: every face with its id, its
//! rectangle, all 27 landmarks and every attribute, from a fixed seed so that
//! each run decodes the same bytes.

use serde_json::{Value, json};

/// The 27 landmarks of a face, with their offsets from the face's centre as
/// fractions of its width and height.
const LANDMARKS: [(&str, f64, f64); 27] = [
    ("pupilLeft", -0.20, -0.15),
    ("pupilRight", 0.20, -0.15),
    ("noseTip", 0.0, 0.08),
    ("mouthLeft", -0.17, 0.27),
    ("mouthRight", 0.17, 0.27),
    ("eyebrowLeftOuter", -0.35, -0.27),
    ("eyebrowLeftInner", -0.07, -0.25),
    ("eyeLeftOuter", -0.28, -0.15),
    ("eyeLeftTop", -0.20, -0.18),
    ("eyeLeftBottom", -0.20, -0.12),
    ("eyeLeftInner", -0.12, -0.14),
    ("eyebrowRightInner", 0.07, -0.25),
    ("eyebrowRightOuter", 0.35, -0.27),
    ("eyeRightInner", 0.12, -0.14),
    ("eyeRightTop", 0.20, -0.18),
    ("eyeRightBottom", 0.20, -0.12),
    ("eyeRightOuter", 0.28, -0.15),
    ("noseRootLeft", -0.05, -0.12),
    ("noseRootRight", 0.05, -0.12),
    ("noseLeftAlarTop", -0.07, 0.0),
    ("noseRightAlarTop", 0.07, 0.0),
    ("noseLeftAlarOutTip", -0.10, 0.07),
    ("noseRightAlarOutTip", 0.10, 0.07),
    ("upperLipTop", 0.0, 0.22),
    ("upperLipBottom", 0.0, 0.25),
    ("underLipTop", 0.0, 0.29),
    ("underLipBottom", 0.0, 0.33),
];

const HAIR_COLORS: [&str; 8] = [
    "brown", "black", "other", "blond", "red", "gray", "white", "unknown",
];

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1_u64 << 53) as f64
    }

    /// A number in `[low, high)` rounded to `decimals` places, as the service writes them.
    fn range(&mut self, low: f64, high: f64, decimals: i32) -> f64 {
        let scale = 10_f64.powi(decimals);
        ((low + (high - low) * self.unit()) * scale).round() / scale
    }

    fn below(&mut self, high: u64) -> u64 {
        self.next_u64() % high
    }

    fn pick<'a>(&mut self, values: &[&'a str]) -> &'a str {
        values[self.below(values.len() as u64) as usize]
    }

    fn uuid(&mut self) -> String {
        let (high, low) = (self.next_u64(), self.next_u64());
        let high = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x4000; // version 4
        let low = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000; // RFC 4122 variant
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            high >> 32,
            (high >> 16) & 0xFFFF,
            high & 0xFFFF,
            low >> 48,
            low & 0xFFFF_FFFF_FFFF
        )
    }
}

/// The body of a detect response with `faces` faces, each with a face id, the
/// recognition model, all 27 landmarks and all 16 attributes.
pub fn detect_response(faces: usize) -> Vec<u8> {
    let mut rng = Rng(0x00FA_CE5D_E7EC_7000 ^ faces as u64);
    let faces: Vec<Value> = (0..faces).map(|_| face(&mut rng)).collect();
    serde_json::to_vec(&faces).expect("a JSON value always serializes")
}

fn face(rng: &mut Rng) -> Value {
    let width = 60 + rng.below(240) as i64;
    let height = width + rng.below(20) as i64;
    let left = rng.below(3600) as i64;
    let top = rng.below(2400) as i64;
    let (centre_x, centre_y) = (
        left as f64 + width as f64 / 2.0,
        top as f64 + height as f64 / 2.0,
    );
    let mut landmarks = serde_json::Map::new();
    for (name, dx, dy) in LANDMARKS {
        let x = centre_x + dx * width as f64 + rng.range(-1.5, 1.5, 1);
        let y = centre_y + dy * height as f64 + rng.range(-1.5, 1.5, 1);
        let x = (x * 10.0).round() / 10.0;
        let y = (y * 10.0).round() / 10.0;
        landmarks.insert(name.to_owned(), json!({ "x": x, "y": y }));
    }
    let emotions = emotions(rng);
    let hair_colors: Vec<Value> = HAIR_COLORS
        .iter()
        .map(|color| json!({ "color": color, "confidence": rng.range(0.0, 1.0, 2) }))
        .collect();
    json!({
        "faceId": rng.uuid(),
        "recognitionModel": "recognition_04",
        "faceRectangle": { "top": top, "left": left, "width": width, "height": height },
        "faceLandmarks": landmarks,
        "faceAttributes": {
            "age": rng.range(4.0, 80.0, 1),
            "gender": rng.pick(&["male", "female"]),
            "smile": rng.range(0.0, 1.0, 3),
            "facialHair": {
                "moustache": rng.range(0.0, 1.0, 1),
                "beard": rng.range(0.0, 1.0, 1),
                "sideburns": rng.range(0.0, 1.0, 1)
            },
            "glasses": rng.pick(&["noGlasses", "readingGlasses", "sunglasses", "swimmingGoggles"]),
            "headPose": {
                "roll": rng.range(-30.0, 30.0, 1),
                "yaw": rng.range(-60.0, 60.0, 1),
                "pitch": rng.range(-20.0, 20.0, 1)
            },
            "emotion": emotions,
            "hair": { "bald": rng.range(0.0, 1.0, 2), "invisible": false, "hairColor": hair_colors },
            "makeup": { "eyeMakeup": rng.below(2) == 1, "lipMakeup": rng.below(2) == 1 },
            "occlusion": {
                "foreheadOccluded": rng.below(8) == 0,
                "eyeOccluded": rng.below(8) == 0,
                "mouthOccluded": rng.below(8) == 0
            },
            "accessories": [
                { "type": "glasses", "confidence": rng.range(0.0, 1.0, 2) },
                { "type": "headWear", "confidence": rng.range(0.0, 1.0, 2) }
            ],
            "blur": { "blurLevel": rng.pick(&["Low", "Medium", "High"]), "value": rng.range(0.0, 1.0, 2) },
            "exposure": {
                "exposureLevel": rng.pick(&["UnderExposure", "GoodExposure", "OverExposure"]),
                "value": rng.range(0.0, 1.0, 2)
            },
            "noise": { "noiseLevel": rng.pick(&["Low", "Medium", "High"]), "value": rng.range(0.0, 1.0, 2) },
            "mask": {
                "type": rng.pick(&["noMask", "faceMask", "otherMaskOrOcclusion", "uncertain"]),
                "noseAndMouthCovered": rng.below(4) == 0
            },
            "qualityForRecognition": rng.pick(&["Low", "Medium", "High"])
        }
    })
}

/// Eight confidences that add up to about 1, rounded to three places.
fn emotions(rng: &mut Rng) -> Value {
    let names = [
        "anger",
        "contempt",
        "disgust",
        "fear",
        "happiness",
        "neutral",
        "sadness",
        "surprise",
    ];
    let weights: Vec<f64> = names.iter().map(|_| rng.unit().powi(3)).collect();
    let total: f64 = weights.iter().sum();
    let mut emotion = serde_json::Map::new();
    for (name, weight) in names.iter().zip(&weights) {
        emotion.insert(
            (*name).to_owned(),
            json!(((weight / total) * 1000.0).round() / 1000.0),
        );
    }
    Value::Object(emotion)
}

#[cfg(test)]
mod tests {
    use face_sdk::v1_0::models::DetectedFace;

    use super::*;

    #[test]
    fn every_field_decodes_and_nothing_is_dropped() {
        let body = detect_response(100);
        let faces: Vec<DetectedFace> = serde_json::from_slice(&body).unwrap();
        assert_eq!(faces.len(), 100);
        // Writing the decoded faces back gives the same document: every field
        // of the body has a place in the models, so the decode is complete.
        let original: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(serde_json::to_value(&faces).unwrap(), original);
        let face = &faces[0];
        let landmarks = face.face_landmarks.as_ref().unwrap();
        assert!(landmarks.under_lip_bottom.is_some() && landmarks.pupil_left.is_some());
        let attributes = face.face_attributes.as_ref().unwrap();
        assert!(attributes.quality_for_recognition.is_some() && attributes.mask.is_some());
        assert_eq!(original[0]["faceLandmarks"].as_object().unwrap().len(), 27);
        assert_eq!(original[0]["faceAttributes"].as_object().unwrap().len(), 16);
    }

    #[test]
    fn the_same_seed_gives_the_same_bytes() {
        assert_eq!(detect_response(3), detect_response(3));
        assert_eq!(detect_response(0), b"[]");
    }
}
