//! Face attributes: which detection model supports which, and their synthesis.

use serde_json::{Map, Value, json};

use crate::error::ApiError;
use crate::synth::{Rng, round1};

/// Checks that `detection_model` (with `recognition_model`) supports every requested attribute
/// and landmarks, answering as the service does when it does not.
pub(crate) fn check_support(
    attributes: &[String],
    landmarks: bool,
    detection_model: &str,
    recognition_model: &str,
) -> Result<(), ApiError> {
    if detection_model == "detection_02" {
        if !attributes.is_empty() {
            return Err(ApiError::bad_argument(
                "'returnFaceAttributes' is not supported by detection_02.",
            ));
        }
        if landmarks {
            return Err(ApiError::bad_argument(
                "'returnLandmarks' is not supported by detection_02.",
            ));
        }
    }
    for attribute in attributes {
        let supported = match detection_model {
            "detection_01" => attribute != "mask",
            "detection_03" => matches!(
                attribute.as_str(),
                "mask" | "qualityForRecognition" | "headPose"
            ),
            _ => false,
        };
        if !supported {
            return Err(ApiError::bad_argument(format!(
                "Invalid argument returnFaceAttributes: '{attribute}' is not supported by {detection_model}."
            )));
        }
        if attribute == "qualityForRecognition"
            && !matches!(recognition_model, "recognition_03" | "recognition_04")
        {
            return Err(ApiError::bad_argument(
                "Invalid argument returnFaceAttributes: 'qualityForRecognition' needs recognition_03 or recognition_04.",
            ));
        }
    }
    Ok(())
}

/// The requested attributes of one face, exactly those and no others.
pub(crate) fn synthesize(attributes: &[String], identity: &str, seed: u64) -> Value {
    let mut traits = Rng::from_text(identity);
    let mut rng = Rng::new(seed);
    let mut map = Map::new();
    for attribute in attributes {
        let value = match attribute.as_str() {
            "age" => json!(round1(traits.range(18.0, 70.0))),
            "gender" => json!(pick(&mut traits, &["male", "female"])),
            "smile" => json!(unit(&mut rng)),
            "facialHair" => {
                json!({ "moustache": unit(&mut rng), "beard": unit(&mut rng), "sideburns": unit(&mut rng) })
            }
            "glasses" => json!(pick(
                &mut rng,
                &[
                    "noGlasses",
                    "readingGlasses",
                    "sunglasses",
                    "swimmingGoggles"
                ]
            )),
            "headPose" => json!({
                "roll": round1(rng.range(-20.0, 20.0)),
                "yaw": round1(rng.range(-30.0, 30.0)),
                "pitch": round1(rng.range(-15.0, 15.0)),
            }),
            "emotion" => emotion(&mut rng),
            "hair" => hair(&mut traits),
            "makeup" => json!({ "eyeMakeup": rng.unit() < 0.5, "lipMakeup": rng.unit() < 0.5 }),
            "occlusion" => json!({
                "foreheadOccluded": rng.unit() < 0.1,
                "eyeOccluded": rng.unit() < 0.1,
                "mouthOccluded": rng.unit() < 0.1,
            }),
            "accessories" => accessories(&mut rng),
            "blur" => level(&mut rng, "blurLevel", &["Low", "Medium", "High"]),
            "exposure" => level(
                &mut rng,
                "exposureLevel",
                &["UnderExposure", "GoodExposure", "OverExposure"],
            ),
            "noise" => level(&mut rng, "noiseLevel", &["Low", "Medium", "High"]),
            "mask" => {
                let kind = pick(
                    &mut rng,
                    &["noMask", "faceMask", "otherMaskOrOcclusion", "uncertain"],
                );
                json!({ "type": kind, "noseAndMouthCovered": kind == "faceMask" })
            }
            "qualityForRecognition" => json!(pick(&mut rng, &["High", "Medium", "Low"])),
            _ => continue,
        };
        map.insert(attribute.clone(), value);
    }
    Value::Object(map)
}

fn unit(rng: &mut Rng) -> f64 {
    (rng.unit() * 100.0).round() / 100.0
}

fn pick<'a>(rng: &mut Rng, choices: &[&'a str]) -> &'a str {
    choices
        .get(rng.below(0, choices.len() as u64) as usize)
        .copied()
        .unwrap_or_default()
}

fn emotion(rng: &mut Rng) -> Value {
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

fn hair(rng: &mut Rng) -> Value {
    let colors = [
        "brown", "black", "blond", "red", "gray", "white", "other", "unknown",
    ];
    let first = rng.below(0, colors.len() as u64) as usize;
    let hair_color: Vec<Value> = (0..3)
        .map(|offset| {
            let color = colors[(first + offset) % colors.len()];
            json!({ "color": color, "confidence": (0.99 - offset as f64 * 0.3).max(0.01) })
        })
        .collect();
    json!({ "bald": unit(rng) / 4.0, "invisible": false, "hairColor": hair_color })
}

fn accessories(rng: &mut Rng) -> Value {
    let mut list = Vec::new();
    for kind in ["headWear", "glasses", "mask"] {
        if rng.unit() < 0.3 {
            let confidence = ((0.5 + unit(rng) / 2.0) * 100.0).round() / 100.0;
            list.push(json!({ "type": kind, "confidence": confidence }));
        }
    }
    Value::Array(list)
}

fn level(rng: &mut Rng, key: &str, levels: &[&str; 3]) -> Value {
    let value = unit(rng);
    let index = ((value * 3.0) as usize).min(2);
    let mut map = Map::new();
    map.insert(key.to_string(), json!(levels[index]));
    map.insert("value".to_string(), json!(value));
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_support_what_the_service_says() {
        let ask = |names: &[&str]| {
            names
                .iter()
                .map(|name| name.to_string())
                .collect::<Vec<_>>()
        };
        assert!(
            check_support(
                &ask(&["age", "emotion"]),
                true,
                "detection_01",
                "recognition_01"
            )
            .is_ok()
        );
        assert!(check_support(&ask(&["mask"]), false, "detection_01", "recognition_04").is_err());
        assert!(check_support(&ask(&["age"]), false, "detection_02", "recognition_04").is_err());
        assert!(check_support(&[], true, "detection_02", "recognition_04").is_err());
        assert!(
            check_support(
                &ask(&["mask", "headPose"]),
                true,
                "detection_03",
                "recognition_04"
            )
            .is_ok()
        );
        assert!(check_support(&ask(&["age"]), false, "detection_03", "recognition_04").is_err());
        assert!(
            check_support(
                &ask(&["qualityForRecognition"]),
                false,
                "detection_03",
                "recognition_02"
            )
            .is_err()
        );
    }

    /// The emulator answers as the spec's `x-sdk-allowed-items` table says the SDK checks,
    /// so the two cannot drift: every attribute, under every model the table names.
    #[test]
    fn support_agrees_with_the_spec_table() {
        let spec: Value =
            yaml_serde::from_str(crate::rules::EMBEDDED_SPEC).expect("the spec parses");
        let parameter = &spec["components"]["parameters"]["returnFaceAttributes"];
        let attributes: Vec<String> = spec["components"]["schemas"]["FaceAttributeType"]["enum"]
            .as_array()
            .expect("the attribute enum")
            .iter()
            .filter_map(|value| value.as_str().map(str::to_owned))
            .collect();
        let rules = parameter["x-sdk-allowed-items"]
            .as_array()
            .expect("the table");
        assert_eq!(rules.len(), 2);
        for rule in rules {
            let by_detection = rule["parameter"] == "detectionModel";
            for (model, allowed) in rule["values"].as_object().expect("values") {
                let allowed: Vec<&str> = allowed
                    .as_array()
                    .expect("a list")
                    .iter()
                    .filter_map(Value::as_str)
                    .collect();
                for attribute in &attributes {
                    // Under the rule being read, the other model is one that allows the
                    // attribute, so only this rule decides.
                    let (detection, recognition) = if by_detection {
                        (model.as_str(), "recognition_04")
                    } else if attribute == "mask" {
                        ("detection_03", model.as_str())
                    } else {
                        ("detection_01", model.as_str())
                    };
                    let emulator = check_support(
                        std::slice::from_ref(attribute),
                        false,
                        detection,
                        recognition,
                    );
                    assert_eq!(
                        emulator.is_ok(),
                        allowed.contains(&attribute.as_str()),
                        "`{attribute}` with {detection} and {recognition}"
                    );
                }
            }
        }
    }

    #[test]
    fn only_requested_attributes_are_returned() {
        let value = synthesize(&["age".into(), "mask".into()], "person:alice", 1);
        let keys: Vec<&String> = value
            .as_object()
            .map(|map| map.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, vec!["age", "mask"]);
    }
}
