//! Face attributes: plausible values for exactly the attributes asked for.
//!
//! Which attributes a model may return is checked before (from the spec's
//! `x-sdk-allowed-items`); every enum value and emotion name here is read from
//! the spec, so only the shape of each value is the emulator's own.

use serde_json::{Map, Value, json};

use super::features::{Rng, round1};
use crate::rules::Rules;

/// The requested attributes of one face, exactly those and no others.
/// Traits of the person (age, gender, hair) follow `identity`; the rest varies with `seed`.
pub(crate) fn synthesize(rules: &Rules, attributes: &[String], identity: &str, seed: u64) -> Value {
    let mut traits = Rng::from_text(identity);
    let mut rng = Rng::new(seed);
    let values = |schema: &str| rules.enum_values(schema);
    let mut map = Map::new();
    for attribute in attributes {
        let value = match attribute.as_str() {
            "age" => json!(round1(traits.range(18.0, 70.0))),
            "gender" => json!(pick(&mut traits, values("Gender"))),
            "smile" => json!(unit(&mut rng)),
            "facialHair" => {
                json!({ "moustache": unit(&mut rng), "beard": unit(&mut rng), "sideburns": unit(&mut rng) })
            }
            "glasses" => json!(pick(&mut rng, values("GlassesType"))),
            "headPose" => json!({
                "roll": round1(rng.range(-20.0, 20.0)),
                "yaw": round1(rng.range(-30.0, 30.0)),
                "pitch": round1(rng.range(-15.0, 15.0)),
            }),
            "emotion" => emotion(&rules.property_names("Emotion"), &mut rng),
            "hair" => hair(values("HairColorType"), &mut traits),
            "makeup" => json!({ "eyeMakeup": rng.unit() < 0.5, "lipMakeup": rng.unit() < 0.5 }),
            "occlusion" => json!({
                "foreheadOccluded": rng.unit() < 0.1,
                "eyeOccluded": rng.unit() < 0.1,
                "mouthOccluded": rng.unit() < 0.1,
            }),
            "accessories" => accessories(values("AccessoryType"), &mut rng),
            "blur" => level(&mut rng, "blurLevel", values("BlurLevel")),
            "exposure" => level(&mut rng, "exposureLevel", values("ExposureLevel")),
            "noise" => level(&mut rng, "noiseLevel", values("NoiseLevel")),
            "mask" => {
                let kind = pick(&mut rng, values("MaskType"));
                // Of the kinds, a face mask is the one that covers nose and mouth.
                json!({ "type": kind, "noseAndMouthCovered": kind == "faceMask" })
            }
            "qualityForRecognition" => json!(pick(&mut rng, values("QualityForRecognition"))),
            _ => continue,
        };
        map.insert(attribute.clone(), value);
    }
    Value::Object(map)
}

fn unit(rng: &mut Rng) -> f64 {
    (rng.unit() * 100.0).round() / 100.0
}

fn pick<'a>(rng: &mut Rng, choices: &'a [String]) -> &'a str {
    choices
        .get(rng.below(0, choices.len() as u64) as usize)
        .map(String::as_str)
        .unwrap_or_default()
}

/// A confidence per emotion, adding up to about 1, one emotion usually dominant.
fn emotion(names: &[&str], rng: &mut Rng) -> Value {
    let weights: Vec<f64> = names.iter().map(|_| rng.unit().powi(4)).collect();
    let total: f64 = weights.iter().sum::<f64>().max(f64::MIN_POSITIVE);
    let map: Map<String, Value> = names
        .iter()
        .zip(weights)
        .map(|(name, weight)| {
            (
                (*name).to_string(),
                json!((weight / total * 1000.0).round() / 1000.0),
            )
        })
        .collect();
    Value::Object(map)
}

/// Three candidate colours with falling confidence.
fn hair(colors: &[String], rng: &mut Rng) -> Value {
    let first = rng.below(0, colors.len() as u64) as usize;
    let hair_color: Vec<Value> = (0..colors.len().min(3))
        .map(|offset| {
            let color = &colors[(first + offset) % colors.len()];
            json!({ "color": color, "confidence": (0.99 - offset as f64 * 0.3).max(0.01) })
        })
        .collect();
    json!({ "bald": unit(rng) / 4.0, "invisible": false, "hairColor": hair_color })
}

/// Each kind of accessory, worn now and then.
fn accessories(kinds: &[String], rng: &mut Rng) -> Value {
    let mut list = Vec::new();
    for kind in kinds {
        if rng.unit() < 0.3 {
            let confidence = ((0.5 + unit(rng) / 2.0) * 100.0).round() / 100.0;
            list.push(json!({ "type": kind, "confidence": confidence }));
        }
    }
    Value::Array(list)
}

/// A value in `[0, 1)` and the level it falls in, the levels splitting the range evenly.
fn level(rng: &mut Rng, key: &str, levels: &[String]) -> Value {
    let value = unit(rng);
    let index = ((value * levels.len() as f64) as usize).min(levels.len().saturating_sub(1));
    let mut map = Map::new();
    map.insert(
        key.to_string(),
        json!(levels.get(index).map(String::as_str).unwrap_or_default()),
    );
    map.insert("value".to_string(), json!(value));
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules::v1_0().expect("the spec loads")
    }

    #[test]
    fn only_requested_attributes_are_returned() {
        let value = synthesize(&rules(), &["age".into(), "mask".into()], "person:alice", 1);
        let keys: Vec<&String> = value
            .as_object()
            .map(|map| map.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, vec!["age", "mask"]);
    }

    /// Every attribute the spec lists is synthesized, and every enum value in
    /// it is one the spec lists for that enum.
    #[test]
    fn every_attribute_has_values_the_spec_allows() {
        let rules = rules();
        let all: Vec<String> = rules.enum_values("FaceAttributeType").to_vec();
        for seed in 0..50 {
            let value = synthesize(&rules, &all, "person:alice", seed);
            let map = value.as_object().expect("an object");
            assert_eq!(map.len(), all.len(), "{value}");
            let allowed = |schema: &str, value: &Value| {
                let text = value.as_str().unwrap_or("<not a string>");
                assert!(
                    rules.enum_values(schema).iter().any(|known| known == text),
                    "{schema}: {text}"
                );
            };
            allowed("Gender", &map["gender"]);
            allowed("GlassesType", &map["glasses"]);
            allowed("BlurLevel", &map["blur"]["blurLevel"]);
            allowed("ExposureLevel", &map["exposure"]["exposureLevel"]);
            allowed("NoiseLevel", &map["noise"]["noiseLevel"]);
            allowed("MaskType", &map["mask"]["type"]);
            allowed("QualityForRecognition", &map["qualityForRecognition"]);
            for color in map["hair"]["hairColor"].as_array().into_iter().flatten() {
                allowed("HairColorType", &color["color"]);
            }
            for accessory in map["accessories"].as_array().into_iter().flatten() {
                allowed("AccessoryType", &accessory["type"]);
            }
            let mut emotions: Vec<&str> = map["emotion"]
                .as_object()
                .map(|emotions| emotions.keys().map(String::as_str).collect())
                .unwrap_or_default();
            let mut names = rules.property_names("Emotion");
            emotions.sort_unstable();
            names.sort_unstable();
            assert_eq!(emotions, names);
        }
    }
}
