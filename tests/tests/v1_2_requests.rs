//! Requests and answers of the generated Face API v1.2 that v1.0 has no counterpart of:
//! a multipart form with a file part, a binary response, detection from an image that a
//! liveness session kept, the error code in `x-ms-error-code`, and a 204 without a body.

use face_sdk::v1_2::models::{
    DetectionModel, FaceAttributeType, LivenessModel, LivenessOperationMode, RecognitionModel,
};
use face_sdk::{Error, FilePart};
use face_sdk_tests::{
    FormPart, KEY, answer, answer_json, assert_invalid, assert_json_call, assert_same_bytes,
    client, expect_no_request, form_parts, header, image, json_body,
    liveness_with_verify_session_body, only_request, raw_query,
};
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

const SESSION: &str = "b12e033e-bda7-4b83-a211-e721c661f30e";
const SESSION_IMAGE: &str = "3d035d35-2e01-4ed4-8935-577afde9caaa";
const DEVICE: &str = "7c7f2bd4-5a16-4fe6-9c4e-1f0e3c8f2a11";

/// A detection result of one face, as the service answers it.
fn one_face() -> serde_json::Value {
    json!([{
        "faceId": face_sdk_tests::id(1),
        "faceRectangle": {"top": 54, "left": 394, "width": 78, "height": 78},
    }])
}

#[tokio::test]
async fn a_verify_session_is_created_from_a_form_of_the_image_and_the_fields_given() {
    let server = MockServer::start().await;
    answer_json(&server, liveness_with_verify_session_body(SESSION)).await;
    let reference = image(5_000);

    let session = client(&server)
        .v1_2()
        .liveness_with_verify_session()
        .create(LivenessOperationMode::PassiveActive, reference.clone())
        .device_correlation_id_set_in_client(false)
        .enable_session_image(true)
        .liveness_model_version(LivenessModel::V20241115)
        .return_verify_image_hash(true)
        .verify_confidence_threshold(0.75)
        .device_correlation_id(DEVICE)
        .auth_token_time_to_live_in_seconds(600)
        .await
        .unwrap();

    assert_eq!(session.session_id, SESSION);
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        request.url.path(),
        "/face/v1.2/detectLivenessWithVerify-sessions"
    );
    assert_eq!(header(&request, "ocp-apim-subscription-key"), Some(KEY));
    let length = request.body.len().to_string();
    assert_eq!(header(&request, "content-length"), Some(length.as_str()));
    // `form_parts` also checks `Content-Type: multipart/form-data; boundary=…`.
    assert_eq!(
        form_parts(&request),
        [
            FormPart::text("livenessOperationMode", "PassiveActive"),
            FormPart::text("deviceCorrelationIdSetInClient", "false"),
            FormPart::text("enableSessionImage", "true"),
            FormPart::text("livenessModelVersion", "2024-11-15"),
            FormPart::text("returnVerifyImageHash", "true"),
            FormPart::text("verifyConfidenceThreshold", "0.75"),
            FormPart::file(
                "verifyImage",
                "verifyImage",
                "application/octet-stream",
                &reference
            ),
            FormPart::text("deviceCorrelationId", DEVICE),
            FormPart::text("authTokenTimeToLiveInSeconds", "600"),
        ]
    );
}

/// The file name and content type the spec gives the verify image's part when the caller
/// names none: the part's own name, and its encoding's content type (read from the IR).
fn verify_image_defaults() -> (String, String) {
    let api = face_sdk_tests::spec_api("spec/face-v1.2.yaml");
    let part = api
        .groups
        .iter()
        .flat_map(|group| &group.methods)
        .filter_map(|method| match &method.body {
            Some(codegen::ir::Body::Multipart { parts }) => Some(parts),
            _ => None,
        })
        .flatten()
        .find(|part| part.param.name.wire == "verifyImage")
        .expect("a form with the verify image");
    let content_type = part.file.clone().expect("the verify image is a file part");
    (part.param.name.wire.clone(), content_type)
}

/// The verify image's part of the only request `server` received.
async fn sent_verify_image(server: &MockServer) -> FormPart {
    let request = only_request(server).await;
    let parts = form_parts(&request);
    let mut images = parts.iter().filter(|part| part.name == "verifyImage");
    let image = images.next().expect("a verifyImage part").clone();
    assert!(images.next().is_none(), "one verifyImage part");
    image
}

#[tokio::test]
async fn the_verify_image_goes_out_with_the_file_name_and_content_type_given() {
    let server = MockServer::start().await;
    answer_json(&server, liveness_with_verify_session_body(SESSION)).await;
    let reference = image(5_000);

    client(&server)
        .v1_2()
        .liveness_with_verify_session()
        .create(
            LivenessOperationMode::Passive,
            FilePart::new(reference.clone())
                .file_name("verify.jpg")
                .content_type("image/jpeg"),
        )
        .await
        .unwrap();

    assert_eq!(
        sent_verify_image(&server).await,
        FormPart::file("verifyImage", "verify.jpg", "image/jpeg", &reference)
    );
}

#[tokio::test]
async fn the_verify_image_goes_out_with_the_stated_defaults_when_none_are_given() {
    let (file_name, content_type) = verify_image_defaults();
    let reference = image(5_000);
    // Bytes as they are, and a file part that names nothing, alike.
    let forms = [
        FilePart::from(reference.as_slice()),
        FilePart::new(reference.clone()),
    ];
    for verify_image in forms {
        let server = MockServer::start().await;
        answer_json(&server, liveness_with_verify_session_body(SESSION)).await;

        client(&server)
            .v1_2()
            .liveness_with_verify_session()
            .create(LivenessOperationMode::Passive, verify_image)
            .await
            .unwrap();

        assert_eq!(
            sent_verify_image(&server).await,
            FormPart::file("verifyImage", &file_name, &content_type, &reference)
        );
    }
    // Only one of them named: the other stays the default.
    let server = MockServer::start().await;
    answer_json(&server, liveness_with_verify_session_body(SESSION)).await;
    let named = FilePart::new(reference.clone()).file_name("face.png");
    client(&server)
        .v1_2()
        .liveness_with_verify_session()
        .create(LivenessOperationMode::Passive, named)
        .await
        .unwrap();
    assert_eq!(
        sent_verify_image(&server).await,
        FormPart::file("verifyImage", "face.png", &content_type, &reference)
    );
}

#[tokio::test]
async fn a_verify_image_of_no_file_name_or_a_broken_content_type_is_refused_before_sending() {
    let server = MockServer::start().await;
    expect_no_request(&server).await;
    let sessions = client(&server).v1_2().liveness_with_verify_session();

    let unnamed = sessions
        .create(
            LivenessOperationMode::Passive,
            FilePart::new(image(100)).file_name(""),
        )
        .await
        .unwrap_err();
    let broken = sessions
        .create(
            LivenessOperationMode::Passive,
            FilePart::new(image(100)).content_type("image/jpeg\r\nX-Injected: 1"),
        )
        .await
        .unwrap_err();

    assert_invalid(&unnamed, "verifyImage", &["file name", "must not be empty"]);
    assert_invalid(&broken, "verifyImage", &["content type", "header value"]);
}

#[tokio::test]
async fn a_form_field_out_of_its_bounds_is_refused_before_sending() {
    let server = MockServer::start().await;
    expect_no_request(&server).await;

    let error = client(&server)
        .v1_2()
        .liveness_with_verify_session()
        .create(LivenessOperationMode::Passive, image(5_000))
        .verify_confidence_threshold(1.5)
        .await
        .unwrap_err();

    assert_invalid(&error, "verifyConfidenceThreshold", &["at most 1", "1.5"]);
}

#[tokio::test]
async fn a_session_image_comes_back_byte_for_byte() {
    let server = MockServer::start().await;
    let served = image(300_000);
    answer(
        &server,
        ResponseTemplate::new(200).set_body_raw(served.clone(), "application/octet-stream"),
    )
    .await;

    let bytes = client(&server)
        .v1_2()
        .session_image()
        .get(SESSION_IMAGE)
        .await
        .unwrap();

    assert_same_bytes(&bytes, &served);
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        request.url.path(),
        format!("/face/v1.2/sessionImages/{SESSION_IMAGE}")
    );
}

#[tokio::test]
async fn a_missing_session_image_is_a_service_error_with_its_code() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(404).set_body_json(json!({
            "error": {"code": "SessionImageNotFound", "message": "Session image is not found."}
        })),
    )
    .await;

    let error = client(&server)
        .v1_2()
        .session_image()
        .get(SESSION_IMAGE)
        .await
        .unwrap_err();

    let Error::Service(service) = &error else {
        panic!("expected a service error, got {error:?}");
    };
    assert_eq!(service.status.as_u16(), 404);
    assert_eq!(service.code.as_deref(), Some("SessionImageNotFound"));
    assert_eq!(
        service.message.as_deref(),
        Some("Session image is not found.")
    );
}

#[tokio::test]
async fn detection_from_a_session_image_sends_its_id_as_json_with_the_query() {
    let server = MockServer::start().await;
    answer_json(&server, one_face()).await;

    let faces = client(&server)
        .v1_2()
        .face()
        .detect_from_session_image_id(SESSION_IMAGE)
        .detection_model(DetectionModel::Detection03)
        .recognition_model(RecognitionModel::Recognition04)
        .return_face_id(true)
        .return_face_attributes([
            FaceAttributeType::HeadPose,
            FaceAttributeType::QualityForRecognition,
        ])
        .return_face_landmarks(false)
        .return_recognition_model(true)
        .face_id_time_to_live(120)
        .await
        .unwrap();

    assert_eq!(faces.len(), 1);
    assert_eq!(faces[0].face_rectangle.width, 78);
    let request = only_request(&server).await;
    assert_json_call(&request, "/face/v1.2/detect");
    assert_eq!(
        json_body(&request),
        json!({"sessionImageId": SESSION_IMAGE})
    );
    assert_eq!(
        raw_query(&request),
        [
            "detectionModel=detection_03",
            "faceIdTimeToLive=120",
            "recognitionModel=recognition_04",
            "returnFaceAttributes=headPose,qualityForRecognition",
            "returnFaceId=true",
            "returnFaceLandmarks=false",
            "returnRecognitionModel=true",
        ]
    );
}

#[tokio::test]
async fn detection_from_bytes_sends_them_raw_as_an_octet_stream() {
    let server = MockServer::start().await;
    answer_json(&server, one_face()).await;
    let photo = image(4_096);

    let faces = client(&server)
        .v1_2()
        .face()
        .detect(photo.clone())
        .await
        .unwrap();

    assert_eq!(faces.len(), 1);
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/face/v1.2/detect");
    assert_eq!(
        header(&request, "content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(header(&request, "content-length"), Some("4096"));
    assert_same_bytes(&request.body, &photo);
    assert_eq!(raw_query(&request), Vec::<String>::new());
}

#[tokio::test]
async fn an_error_without_a_code_in_its_body_takes_it_from_x_ms_error_code() {
    let server = MockServer::start().await;
    answer(
        &server,
        ResponseTemplate::new(404)
            .insert_header("x-ms-error-code", "PersonGroupNotFound")
            .set_body_json(json!({"error": {"message": "Person group is not found."}})),
    )
    .await;

    let error = client(&server)
        .v1_2()
        .person_group()
        .get("club")
        .await
        .unwrap_err();

    let service = error.service_error().expect("a service error");
    assert_eq!(service.status.as_u16(), 404);
    assert_eq!(service.code.as_deref(), Some("PersonGroupNotFound"));
    assert_eq!(
        service.message.as_deref(),
        Some("Person group is not found.")
    );
}

#[tokio::test]
async fn a_liveness_session_is_deleted_on_a_204_without_a_body() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(204)).await;

    client(&server)
        .v1_2()
        .liveness_session()
        .delete(SESSION)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(
        request.url.path(),
        format!("/face/v1.2/detectLiveness-sessions/{SESSION}")
    );
}
