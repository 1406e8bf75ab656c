//! How the answers of the face operations decode into typed models.

use face_sdk::uuid::Uuid;
use face_sdk::v1_0::models::{
    AccessoryType, BlurLevel, Coordinate, DetectionModel, ExposureLevel, FaceRectangle, Gender,
    GlassesType, HairColorType, MaskType, NoiseLevel, QualityForRecognition, RecognitionModel,
};
use face_sdk_tests::{answer, answer_json, client, id, image};
use serde_json::{Value, json};
use wiremock::{MockServer, ResponseTemplate};

const FULL_DETECT: &str = include_str!("../fixtures/detect_full.json");

/// The spec whose models these answers decode into.
const SPEC: &str = "spec/face.yaml";

/// The keys of a JSON object, sorted.
fn sorted_keys(object: &Value) -> Vec<String> {
    let mut keys: Vec<String> = object.as_object().unwrap().keys().cloned().collect();
    keys.sort_unstable();
    keys
}

/// The wire names of the fields of the spec's model `name`, sorted.
fn sorted_fields(name: &str) -> Vec<String> {
    let mut fields = face_sdk_tests::spec_fields(SPEC, name);
    fields.sort_unstable();
    fields
}

fn uuid(text: &str) -> Uuid {
    Uuid::parse_str(text).unwrap()
}

#[expect(
    clippy::unnecessary_wraps,
    reason = "stands for the `Option<Coordinate>` fields it fills"
)]
fn point(x: f64, y: f64) -> Option<Coordinate> {
    Some(Coordinate::new(x, y))
}

#[tokio::test]
async fn a_fully_described_face_decodes_field_by_field() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200).set_body_raw(FULL_DETECT, "application/json"),
    )
    .await;

    let faces = client(&server)
        .v1_0()
        .face()
        .detect_with_url("https://x.test/a.jpg")
        .return_face_landmarks(true)
        .await
        .unwrap();

    assert_eq!(faces.len(), 2);
    let face = &faces[0];
    assert_eq!(
        face.face_id,
        Some(uuid("c5c24a82-6845-4031-9d5d-978df9175426").into())
    );
    assert_eq!(
        face.recognition_model,
        Some(RecognitionModel::Recognition04)
    );
    assert_eq!(face.face_rectangle, FaceRectangle::new(78, 78, 394, 54));

    let landmarks = face.face_landmarks.as_ref().unwrap();
    assert_eq!(landmarks.pupil_left, point(412.7, 78.4));
    assert_eq!(landmarks.pupil_right, point(446.8, 74.2));
    assert_eq!(landmarks.nose_tip, point(437.7, 92.4));
    assert_eq!(landmarks.eyebrow_right_outer, point(463.9, 66.1));
    assert_eq!(landmarks.nose_left_alar_out_tip, point(424.3, 96.4));
    assert_eq!(landmarks.nose_right_alar_out_tip, point(446.6, 92.5));
    assert_eq!(landmarks.under_lip_bottom, point(437.3, 114.5));

    let attributes = face.face_attributes.as_ref().unwrap();
    assert_eq!(attributes.age, Some(31.0));
    assert_eq!(attributes.gender, Some(Gender::Female));
    assert_eq!(attributes.smile, Some(0.637));
    let facial_hair = attributes.facial_hair.as_ref().unwrap();
    assert_eq!(
        (
            facial_hair.moustache,
            facial_hair.beard,
            facial_hair.sideburns
        ),
        (Some(0.0), Some(0.0), Some(0.0))
    );
    assert_eq!(attributes.glasses, Some(GlassesType::ReadingGlasses));
    let pose = attributes.head_pose.as_ref().unwrap();
    assert_eq!(
        (pose.roll, pose.yaw, pose.pitch),
        (Some(-4.2), Some(11.5), Some(0.4))
    );
    let emotion = attributes.emotion.as_ref().unwrap();
    assert_eq!(
        (emotion.happiness, emotion.neutral, emotion.contempt),
        (Some(0.637), Some(0.36), Some(0.001))
    );
    assert_eq!(
        (emotion.anger, emotion.disgust, emotion.fear),
        (Some(0.0), Some(0.0), Some(0.0))
    );
    assert_eq!(
        (emotion.sadness, emotion.surprise),
        (Some(0.001), Some(0.001))
    );
    let hair = attributes.hair.as_ref().unwrap();
    assert_eq!((hair.bald, hair.invisible), (Some(0.06), Some(false)));
    let colors: Vec<_> = hair
        .hair_color
        .as_ref()
        .unwrap()
        .iter()
        .map(|c| (c.color.clone().unwrap(), c.confidence))
        .collect();
    assert_eq!(
        colors,
        [
            (HairColorType::Brown, Some(1.0)),
            (HairColorType::Blond, Some(0.5)),
            (HairColorType::Black, Some(0.34)),
            (HairColorType::Red, Some(0.32)),
            (HairColorType::Gray, Some(0.14)),
            (HairColorType::Other, Some(0.03)),
            (HairColorType::White, Some(0.01)),
            (HairColorType::Unknown, Some(0.0)),
        ]
    );
    let makeup = attributes.makeup.as_ref().unwrap();
    assert_eq!(
        (makeup.eye_makeup, makeup.lip_makeup),
        (Some(true), Some(true))
    );
    let occlusion = attributes.occlusion.as_ref().unwrap();
    assert_eq!(
        (
            occlusion.forehead_occluded,
            occlusion.eye_occluded,
            occlusion.mouth_occluded
        ),
        (Some(false), Some(false), Some(true))
    );
    let accessories: Vec<_> = attributes
        .accessories
        .as_ref()
        .unwrap()
        .iter()
        .map(|a| (a.r#type.clone().unwrap(), a.confidence))
        .collect();
    assert_eq!(
        accessories,
        [
            (AccessoryType::Glasses, Some(0.99)),
            (AccessoryType::HeadWear, Some(0.42)),
            (AccessoryType::Mask, Some(0.07))
        ]
    );
    let blur = attributes.blur.as_ref().unwrap();
    assert_eq!(
        (blur.blur_level.clone(), blur.value),
        (Some(BlurLevel::Low), Some(0.06))
    );
    let exposure = attributes.exposure.as_ref().unwrap();
    assert_eq!(
        (exposure.exposure_level.clone(), exposure.value),
        (Some(ExposureLevel::GoodExposure), Some(0.67))
    );
    let noise = attributes.noise.as_ref().unwrap();
    assert_eq!(
        (noise.noise_level.clone(), noise.value),
        (Some(NoiseLevel::Medium), Some(0.42))
    );
    let mask = attributes.mask.as_ref().unwrap();
    assert_eq!(
        (mask.r#type.clone(), mask.nose_and_mouth_covered),
        (Some(MaskType::NoMask), Some(false))
    );
    assert_eq!(
        attributes.quality_for_recognition,
        Some(QualityForRecognition::High)
    );

    let second = &faces[1];
    assert_eq!(
        second.face_id,
        Some(uuid("0e5b6a9d-7b1f-4c6e-8f7c-1b0a7c1e2d3f").into())
    );
    assert_eq!(second.face_rectangle, FaceRectangle::new(41, 43, 102, 211));
    assert_eq!(
        (
            &second.face_landmarks,
            &second.face_attributes,
            &second.recognition_model
        ),
        (&None, &None, &None)
    );
}

#[tokio::test]
async fn every_field_of_the_full_face_is_kept() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200).set_body_raw(FULL_DETECT, "application/json"),
    )
    .await;

    let faces = client(&server)
        .v1_0()
        .face()
        .detect_with_stream(image(4096))
        .await
        .unwrap();

    // Written back, the typed faces give the fixture again: no field was dropped or misnamed.
    let fixture: Value = serde_json::from_str(FULL_DETECT).unwrap();
    assert_eq!(serde_json::to_value(&faces).unwrap(), fixture);
    // The fixture describes every landmark and attribute the spec names.
    let landmarks = serde_json::to_value(faces[0].face_landmarks.as_ref().unwrap()).unwrap();
    assert_eq!(sorted_keys(&landmarks), sorted_fields("FaceLandmarks"));
    let attributes = serde_json::to_value(faces[0].face_attributes.as_ref().unwrap()).unwrap();
    assert_eq!(sorted_keys(&attributes), sorted_fields("FaceAttributes"));
}

#[tokio::test]
async fn no_face_found_is_an_empty_list() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;

    let faces = client(&server)
        .v1_0()
        .face()
        .detect_with_url("https://x.test/landscape.jpg")
        .await
        .unwrap();

    assert!(faces.is_empty());
}

#[tokio::test]
async fn groups_with_a_messy_group() {
    let server = MockServer::start().await;
    answer_json(
        &server,
        json!({
            "groups": [[id(1).to_string(), id(3).to_string(), id(4).to_string()], [id(2).to_string(), id(6).to_string()]],
            "messyGroup": [id(5).to_string()],
        }),
    )
    .await;

    let result = client(&server)
        .v1_0()
        .face()
        .group((1..=6).map(id))
        .await
        .unwrap();

    assert_eq!(
        result.groups,
        [vec![id(1), id(3), id(4)], vec![id(2), id(6)]]
    );
    assert_eq!(result.messy_group, Some(vec![id(5).into()]));
}

#[tokio::test]
async fn groups_without_a_messy_group() {
    let server = MockServer::start().await;
    answer_json(
        &server,
        json!({"groups": [[id(1).to_string(), id(2).to_string()]]}),
    )
    .await;

    let result = client(&server)
        .v1_0()
        .face()
        .group([id(1), id(2)])
        .await
        .unwrap();

    assert_eq!(result.groups, [vec![id(1), id(2)]]);
    assert_eq!(result.messy_group, None);
}

#[tokio::test]
async fn identify_with_and_without_candidates() {
    let server = MockServer::start().await;
    answer_json(
        &server,
        json!([
            {"faceId": id(1).to_string(), "candidates": [
                {"personId": id(100).to_string(), "confidence": 0.92},
                {"personId": id(101).to_string(), "confidence": 0.61},
            ]},
            {"faceId": id(2).to_string(), "candidates": []},
        ]),
    )
    .await;

    let results = client(&server)
        .v1_0()
        .face()
        .identify([id(1), id(2)])
        .person_group_id("employees")
        .await
        .unwrap();

    assert_eq!(results.len(), 2);
    assert_eq!(results[0].face_id, id(1));
    let candidates: Vec<_> = results[0]
        .candidates
        .iter()
        .map(|c| (c.person_id, c.confidence))
        .collect();
    assert_eq!(candidates, [(id(100).into(), 0.92), (id(101).into(), 0.61)]);
    assert_eq!(results[1].face_id, id(2));
    assert!(results[1].candidates.is_empty());
}

#[tokio::test]
async fn find_similar_answering_with_persisted_face_ids() {
    let server = MockServer::start().await;
    answer_json(
        &server,
        json!([
            {"persistedFaceId": id(200).to_string(), "confidence": 0.87},
            {"persistedFaceId": id(201).to_string(), "confidence": 0.54},
        ]),
    )
    .await;

    let similar = client(&server)
        .v1_0()
        .face()
        .find_similar(id(0))
        .face_list_id("family")
        .await
        .unwrap();

    assert_eq!(similar.len(), 2);
    assert_eq!(
        (
            similar[0].persisted_face_id,
            similar[0].face_id,
            similar[0].confidence
        ),
        (Some(id(200).into()), None, 0.87)
    );
    assert_eq!(
        (
            similar[1].persisted_face_id,
            similar[1].face_id,
            similar[1].confidence
        ),
        (Some(id(201).into()), None, 0.54)
    );
}

#[tokio::test]
async fn find_similar_answering_with_face_ids() {
    let server = MockServer::start().await;
    answer_json(
        &server,
        json!([{"faceId": id(3).to_string(), "confidence": 0.71}]),
    )
    .await;

    let similar = client(&server)
        .v1_0()
        .face()
        .find_similar(id(0))
        .face_ids([id(3), id(4)])
        .await
        .unwrap();

    assert_eq!(similar.len(), 1);
    assert_eq!(
        (
            similar[0].face_id,
            similar[0].persisted_face_id,
            similar[0].confidence
        ),
        (Some(id(3).into()), None, 0.71)
    );
}

#[tokio::test]
async fn verify_results_of_both_forms() {
    let server = MockServer::start().await;
    answer_json(&server, json!({"isIdentical": true, "confidence": 0.9132})).await;
    let face = client(&server).v1_0().face();

    let same = face.verify_face_to_face(id(1), id(2)).await.unwrap();
    let person = face
        .verify_face_to_person(id(1), id(9))
        .large_person_group_id("visitors")
        .await
        .unwrap();

    assert!(same.is_identical);
    assert_eq!(same.confidence, 0.9132);
    assert_eq!(person, same);
}

#[tokio::test]
async fn unknown_enum_values_and_unknown_fields_still_decode() {
    let server = MockServer::start().await;
    answer_json(
        &server,
        json!([{
            "faceId": id(1).to_string(),
            "recognitionModel": "recognition_09",
            "detectionHint": {"model": "detection_07", "score": 0.99},
            "faceRectangle": {"width": 10, "height": 12, "left": 1, "top": 2, "rotation": 3.5},
            "faceAttributes": {
                "gender": "unspecified",
                "glasses": "monocle",
                "hair": {"hairColor": [{"color": "teal", "confidence": 0.5}]},
                "accessories": [{"type": "earrings", "confidence": 0.8}],
                "blur": {"blurLevel": "Extreme", "value": 0.99},
                "exposure": {"exposureLevel": "Overblown", "value": 1.0},
                "noise": {"noiseLevel": "VeryHigh", "value": 0.9},
                "mask": {"type": "visor", "noseAndMouthCovered": true},
                "qualityForRecognition": "Excellent",
                "posture": "slouching"
            }
        }]),
    )
    .await;

    let faces = client(&server)
        .v1_0()
        .face()
        .detect_with_url("https://x.test/a.jpg")
        .await
        .unwrap();

    let face = &faces[0];
    assert_eq!(
        face.recognition_model,
        Some(RecognitionModel::Unrecognized("recognition_09".into()))
    );
    assert_eq!(face.face_rectangle, FaceRectangle::new(10, 12, 1, 2));
    let attributes = face.face_attributes.as_ref().unwrap();
    assert_eq!(
        attributes.gender,
        Some(Gender::Unrecognized("unspecified".into()))
    );
    assert_eq!(
        attributes.glasses,
        Some(GlassesType::Unrecognized("monocle".into()))
    );
    let hair_color = &attributes
        .hair
        .as_ref()
        .unwrap()
        .hair_color
        .as_ref()
        .unwrap()[0];
    assert_eq!(
        hair_color.color,
        Some(HairColorType::Unrecognized("teal".into()))
    );
    assert_eq!(
        attributes.accessories.as_ref().unwrap()[0].r#type,
        Some(AccessoryType::Unrecognized("earrings".into()))
    );
    assert_eq!(
        attributes.blur.as_ref().unwrap().blur_level,
        Some(BlurLevel::Unrecognized("Extreme".into()))
    );
    assert_eq!(
        attributes.exposure.as_ref().unwrap().exposure_level,
        Some(ExposureLevel::Unrecognized("Overblown".into()))
    );
    assert_eq!(
        attributes.noise.as_ref().unwrap().noise_level,
        Some(NoiseLevel::Unrecognized("VeryHigh".into()))
    );
    assert_eq!(
        attributes.mask.as_ref().unwrap().r#type,
        Some(MaskType::Unrecognized("visor".into()))
    );
    assert_eq!(
        attributes.quality_for_recognition,
        Some(QualityForRecognition::Unrecognized("Excellent".into()))
    );
    // An unknown value goes back on the wire as it came.
    assert_eq!(
        serde_json::to_value(&attributes.glasses).unwrap(),
        json!("monocle")
    );
    assert_eq!(
        DetectionModel::from("detection_07".to_owned()),
        DetectionModel::Unrecognized("detection_07".into())
    );
}

#[tokio::test]
async fn send_raw_exposes_status_headers_and_body() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200)
            .insert_header("apim-request-id", "2f1c7a9e-0000-4e3b-b1a1-7d7fd1d0c0de")
            .insert_header("x-ms-region", "westus")
            .set_body_json(json!({"isIdentical": false, "confidence": 0.12})),
    )
    .await;

    let response = client(&server)
        .v1_0()
        .face()
        .verify_face_to_face(id(1), id(2))
        .send_raw()
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["apim-request-id"],
        "2f1c7a9e-0000-4e3b-b1a1-7d7fd1d0c0de"
    );
    assert_eq!(response.headers()["x-ms-region"], "westus");
    assert_eq!(response.headers()["content-type"], "application/json");
    assert!(!response.body().is_identical);
    assert_eq!(response.operation_location(), None);
    let (status, headers, body) = response.into_parts();
    assert_eq!(
        (status.as_u16(), headers.len() >= 3, body.confidence),
        (200, true, 0.12)
    );
}

#[tokio::test]
async fn send_raw_of_a_detect_keeps_the_decoded_faces() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(200).set_body_raw(FULL_DETECT, "application/json"),
    )
    .await;

    let response = client(&server)
        .v1_0()
        .face()
        .detect_with_stream(image(2048))
        .send_raw()
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.body().len(), 2);
    assert_eq!(response.into_body()[1].face_rectangle.width, 41);
}
