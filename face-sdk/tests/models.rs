//! Decoding and encoding of the generated models, as the service's answers reach users.

use face_sdk::v1_0::models::{DetectedFace, FaceAttributeType, TrainingStatus, TrainingStatusType};

#[test]
fn a_legacy_enum_spelling_decodes_into_the_same_variant() {
    let status: TrainingStatus = serde_json::from_str(
        r#"{"status": "nonstarted", "createdDateTime": "2026-11-29T10:00:00Z"}"#,
    )
    .expect("decodes");
    assert_eq!(status.status, TrainingStatusType::Notstarted);
    assert_eq!(
        serde_json::to_value(&status.status).expect("encodes"),
        "notstarted"
    );
}

#[test]
fn an_enum_value_the_sdk_does_not_know_is_kept() {
    let value: TrainingStatusType = serde_json::from_str(r#""paused""#).expect("decodes");
    assert_eq!(value, TrainingStatusType::Unrecognized("paused".to_owned()));
    assert_eq!(value.as_str(), "paused");
    assert_eq!(
        serde_json::to_string(&value).expect("encodes"),
        r#""paused""#
    );
    assert_eq!(
        FaceAttributeType::QualityForRecognition.to_string(),
        "qualityForRecognition"
    );
}

#[test]
fn optional_fields_are_omitted_and_unknown_fields_ignored() {
    let face: DetectedFace = serde_json::from_str(
        r#"{"faceRectangle": {"left": 1, "top": 2, "width": 3, "height": 4}, "newField": true}"#,
    )
    .expect("decodes");
    assert_eq!(face.face_id, None);
    let encoded = serde_json::to_value(&face).expect("encodes");
    assert_eq!(
        encoded,
        serde_json::json!({"faceRectangle": {"left": 1, "top": 2, "width": 3, "height": 4}})
    );
}
