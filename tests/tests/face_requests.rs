//! What each of the seven face operations puts on the wire: method, path,
//! query, headers and body.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use face_sdk::Body;
use face_sdk::v1_0::models::{
    DetectionModel, FaceAttributeType, FindSimilarMatchMode, RecognitionModel,
};
use face_sdk_tests::{
    KEY, answer_json, assert_json_call, client, client_at, fast_retries, header, id, image,
    json_body, only_request, raw_query, received,
};
use serde_json::json;
use wiremock::matchers::{body_json, header as header_is, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const IMAGE_URL: &str = "https://images.example.test/people/anna.jpg";

#[tokio::test]
async fn detect_with_url_sends_the_url_and_every_query_parameter() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/face/v1.0/detect"))
        .and(query_param("returnFaceAttributes", "age,glasses"))
        .and(header_is("ocp-apim-subscription-key", KEY))
        .and(body_json(json!({"url": IMAGE_URL})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;

    let faces = client(&server)
        .v1_0()
        .face()
        .detect_with_url(IMAGE_URL)
        .return_face_id(false)
        .return_face_landmarks(true)
        .return_face_attributes([FaceAttributeType::Age, FaceAttributeType::Glasses])
        .recognition_model(RecognitionModel::Recognition04)
        .return_recognition_model(true)
        .detection_model(DetectionModel::Detection01)
        .face_id_time_to_live(120)
        .await
        .unwrap();

    assert!(faces.is_empty());
    let request = only_request(&server).await;
    assert_json_call(&request, "/face/v1.0/detect");
    assert_eq!(
        raw_query(&request),
        [
            "detectionModel=detection_01",
            "faceIdTimeToLive=120",
            "recognitionModel=recognition_04",
            "returnFaceAttributes=age,glasses",
            "returnFaceId=false",
            "returnFaceLandmarks=true",
            "returnRecognitionModel=true",
        ]
    );
    assert_eq!(json_body(&request), json!({"url": IMAGE_URL}));
}

#[tokio::test]
async fn detect_without_options_sends_no_query_string() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;

    client(&server)
        .v1_0()
        .face()
        .detect_with_url(IMAGE_URL)
        .await
        .unwrap();
    client(&server)
        .v1_0()
        .face()
        .detect_with_stream(image(2048))
        .await
        .unwrap();

    for request in received(&server).await {
        assert_eq!(request.url.query(), None, "{}", request.url);
        assert_eq!(request.url.path(), "/face/v1.0/detect");
    }
}

#[tokio::test]
async fn every_attribute_type_has_its_wire_name_in_one_comma_joined_value() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;
    let wire = face_sdk_tests::spec_enum_values("spec/face.yaml", "FaceAttributeType");
    let all: Vec<FaceAttributeType> = wire.iter().cloned().map(FaceAttributeType::from).collect();
    assert!(
        !all.iter()
            .any(|value| matches!(value, FaceAttributeType::Unrecognized(_))),
        "each value of the spec is a variant: {all:?}"
    );

    // No released detection model returns them all: a model newer than the spec's table
    // (kept in `Unrecognized`) is not limited by the client.
    client(&server)
        .v1_0()
        .face()
        .detect_with_url(IMAGE_URL)
        .return_face_attributes(all)
        .recognition_model(RecognitionModel::Recognition04)
        .detection_model(DetectionModel::Unrecognized("detection_04".to_owned()))
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some(
            format!(
                "returnFaceAttributes={}&recognitionModel=recognition_04&detectionModel=detection_04",
                wire.join(",")
            )
            .as_str()
        )
    );
}

#[tokio::test]
async fn an_empty_attribute_list_sends_no_parameter() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;

    client(&server)
        .v1_0()
        .face()
        .detect_with_url(IMAGE_URL)
        .return_face_attributes([])
        .await
        .unwrap();

    assert_eq!(only_request(&server).await.url.query(), None);
}

#[tokio::test]
async fn query_values_are_percent_encoded_with_nothing_left_safe() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;

    client(&server)
        .v1_0()
        .face()
        .detect_with_stream(image(1024))
        .recognition_model(RecognitionModel::Unrecognized("recognition 05/beta".into()))
        .detection_model(DetectionModel::Unrecognized("détection&x=1".into()))
        .return_face_attributes([
            FaceAttributeType::Age,
            FaceAttributeType::Unrecognized("hair,color".into()),
        ])
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(
        raw_query(&request),
        [
            "detectionModel=d%C3%A9tection%26x%3D1",
            "recognitionModel=recognition%2005%2Fbeta",
            "returnFaceAttributes=age,hair%2Ccolor",
        ]
    );
}

#[tokio::test]
async fn detect_with_stream_sends_the_exact_bytes_as_octet_stream() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;
    let bytes = image(2048);

    client(&server)
        .v1_0()
        .face()
        .detect_with_stream(bytes.clone())
        .return_face_id(true)
        .return_face_attributes([FaceAttributeType::HeadPose, FaceAttributeType::Mask])
        .detection_model(DetectionModel::Detection03)
        .face_id_time_to_live(60)
        .send()
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/face/v1.0/detect");
    assert_eq!(
        raw_query(&request),
        [
            "detectionModel=detection_03",
            "faceIdTimeToLive=60",
            "returnFaceAttributes=headPose,mask",
            "returnFaceId=true",
        ]
    );
    assert_eq!(
        header(&request, "content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(header(&request, "content-length"), Some("2048"));
    assert_eq!(header(&request, "accept"), Some("application/json"));
    assert_eq!(header(&request, "ocp-apim-subscription-key"), Some(KEY));
    assert_eq!(request.body, bytes);
}

#[tokio::test]
async fn a_stream_of_known_length_is_sent_whole_with_its_length() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;
    let bytes = image(5000);
    let chunks: Vec<Result<Bytes, std::io::Error>> = bytes
        .chunks(1500)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    let body = Body::from_stream(futures_util::stream::iter(chunks), Some(5000));

    client(&server)
        .v1_0()
        .face()
        .detect_with_stream(body)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(header(&request, "content-length"), Some("5000"));
    assert_eq!(request.body, bytes);
}

#[tokio::test]
async fn a_stream_of_unknown_length_is_sent_chunked() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;
    let bytes = image(3000);
    let chunks: Vec<Result<Bytes, std::io::Error>> = bytes
        .chunks(1000)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    let body = Body::from_stream(futures_util::stream::iter(chunks), None);

    client(&server)
        .v1_0()
        .face()
        .detect_with_stream(body)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-length"), None);
    assert_eq!(header(&request, "transfer-encoding"), Some("chunked"));
    assert_eq!(request.body, bytes);
}

#[tokio::test]
async fn upload_progress_is_reported_up_to_the_whole_image() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;
    let bytes = image(300 * 1024);
    let reports = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&reports);

    client(&server)
        .v1_0()
        .face()
        .detect_with_stream(bytes.clone())
        .on_upload_progress(move |progress| sink.lock().unwrap().push(progress))
        .await
        .unwrap();

    let reports = reports.lock().unwrap().clone();
    assert!(reports.len() >= 2, "{reports:?}");
    assert!(
        reports.windows(2).all(|pair| pair[0].sent < pair[1].sent),
        "{reports:?}"
    );
    assert!(
        reports
            .iter()
            .all(|report| report.total == Some(bytes.len() as u64))
    );
    assert_eq!(reports.last().unwrap().sent, bytes.len() as u64);
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-length"), Some("307200"));
    assert_eq!(request.body, bytes);
}

#[tokio::test]
async fn find_similar_against_face_ids_sends_only_the_fields_set() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;

    client(&server)
        .v1_0()
        .face()
        .find_similar(id(0))
        .face_ids([id(1), id(2), id(3)])
        .max_num_of_candidates_returned(5)
        .mode(FindSimilarMatchMode::MatchFace)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_json_call(&request, "/face/v1.0/findsimilars");
    assert_eq!(request.url.query(), None);
    assert_eq!(
        json_body(&request),
        json!({
            "faceId": id(0).to_string(),
            "faceIds": [id(1).to_string(), id(2).to_string(), id(3).to_string()],
            "maxNumOfCandidatesReturned": 5,
            "mode": "matchFace",
        })
    );
}

#[tokio::test]
async fn find_similar_against_a_face_list_or_a_large_face_list() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;
    let face = client(&server).v1_0().face();

    face.find_similar(id(0))
        .face_list_id("family-2024")
        .await
        .unwrap();
    face.find_similar(id(0))
        .large_face_list_id("staff_badges")
        .mode(FindSimilarMatchMode::MatchPerson)
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_json_call(&requests[0], "/face/v1.0/findsimilars");
    assert_eq!(
        json_body(&requests[0]),
        json!({"faceId": id(0).to_string(), "faceListId": "family-2024"})
    );
    assert_json_call(&requests[1], "/face/v1.0/findsimilars");
    assert_eq!(
        json_body(&requests[1]),
        json!({"faceId": id(0).to_string(), "largeFaceListId": "staff_badges", "mode": "matchPerson"})
    );
}

#[tokio::test]
async fn group_sends_the_face_ids_in_order() {
    let server = MockServer::start().await;
    answer_json(&server, json!({"groups": []})).await;

    client(&server)
        .v1_0()
        .face()
        .group([id(9), id(2), id(5)])
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_json_call(&request, "/face/v1.0/group");
    assert_eq!(request.url.query(), None);
    assert_eq!(
        json_body(&request),
        json!({"faceIds": [id(9).to_string(), id(2).to_string(), id(5).to_string()]})
    );
}

#[tokio::test]
async fn identify_in_a_person_group_with_every_option() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;

    client(&server)
        .v1_0()
        .face()
        .identify([id(1), id(2)])
        .person_group_id("employees")
        .max_num_of_candidates_returned(3)
        .confidence_threshold(0.65)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_json_call(&request, "/face/v1.0/identify");
    assert_eq!(request.url.query(), None);
    assert_eq!(
        json_body(&request),
        json!({
            "faceIds": [id(1).to_string(), id(2).to_string()],
            "personGroupId": "employees",
            "maxNumOfCandidatesReturned": 3,
            "confidenceThreshold": 0.65,
        })
    );
}

#[tokio::test]
async fn identify_in_a_large_person_group_with_no_option() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;

    client(&server)
        .v1_0()
        .face()
        .identify([id(1)])
        .large_person_group_id("visitors-2024_q3")
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_json_call(&request, "/face/v1.0/identify");
    assert_eq!(
        json_body(&request),
        json!({"faceIds": [id(1).to_string()], "largePersonGroupId": "visitors-2024_q3"})
    );
}

#[tokio::test]
async fn verify_face_to_face_sends_both_ids() {
    let server = MockServer::start().await;
    answer_json(&server, json!({"isIdentical": true, "confidence": 0.9})).await;

    client(&server)
        .v1_0()
        .face()
        .verify_face_to_face(id(1), id(2))
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_json_call(&request, "/face/v1.0/verify");
    assert_eq!(request.url.query(), None);
    assert_eq!(
        json_body(&request),
        json!({"faceId1": id(1).to_string(), "faceId2": id(2).to_string()})
    );
}

#[tokio::test]
async fn verify_face_to_person_in_either_kind_of_group() {
    let server = MockServer::start().await;
    answer_json(&server, json!({"isIdentical": false, "confidence": 0.1})).await;
    let face = client(&server).v1_0().face();

    face.verify_face_to_person(id(1), id(7))
        .person_group_id("employees")
        .await
        .unwrap();
    face.verify_face_to_person(id(1), id(7))
        .large_person_group_id("visitors")
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_json_call(&requests[0], "/face/v1.0/verify");
    assert_eq!(
        json_body(&requests[0]),
        json!({"faceId": id(1).to_string(), "personId": id(7).to_string(), "personGroupId": "employees"})
    );
    assert_json_call(&requests[1], "/face/v1.0/verify");
    assert_eq!(
        json_body(&requests[1]),
        json!({"faceId": id(1).to_string(), "personId": id(7).to_string(), "largePersonGroupId": "visitors"})
    );
}

/// Calls each of the seven operations once through a client of `endpoint`.
async fn call_every_operation(server: &MockServer, endpoint: &str) -> Vec<String> {
    for (route, body) in [
        ("/detect", json!([])),
        ("/findsimilars", json!([])),
        ("/group", json!({"groups": []})),
        ("/identify", json!([])),
        ("/verify", json!({"isIdentical": false, "confidence": 0.2})),
    ] {
        Mock::given(wiremock::matchers::path_regex(format!("{route}$")))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(server)
            .await;
    }
    let face = client_at(endpoint, fast_retries()).v1_0().face();
    face.detect_with_url(IMAGE_URL).await.unwrap();
    face.detect_with_stream(image(1024)).await.unwrap();
    face.find_similar(id(0)).face_ids([id(1)]).await.unwrap();
    face.group([id(1), id(2)]).await.unwrap();
    face.identify([id(1)]).person_group_id("g").await.unwrap();
    face.verify_face_to_face(id(1), id(2)).await.unwrap();
    face.verify_face_to_person(id(1), id(2))
        .person_group_id("g")
        .await
        .unwrap();
    received(server)
        .await
        .iter()
        .map(|request| request.url.path().to_owned())
        .collect()
}

const EVERY_PATH: [&str; 7] = [
    "/face/v1.0/detect",
    "/face/v1.0/detect",
    "/face/v1.0/findsimilars",
    "/face/v1.0/group",
    "/face/v1.0/identify",
    "/face/v1.0/verify",
    "/face/v1.0/verify",
];

#[tokio::test]
async fn an_endpoint_with_or_without_a_trailing_slash_gives_the_same_paths() {
    let plain = MockServer::start().await;
    assert_eq!(call_every_operation(&plain, &plain.uri()).await, EVERY_PATH);
    let slashed = MockServer::start().await;
    assert_eq!(
        call_every_operation(&slashed, &format!("{}/", slashed.uri())).await,
        EVERY_PATH
    );
}

#[tokio::test]
async fn an_endpoint_with_a_path_keeps_it_before_the_api_path() {
    let server = MockServer::start().await;
    let paths =
        call_every_operation(&server, &format!("{}/gateway/face-proxy/", server.uri())).await;
    let expected: Vec<String> = EVERY_PATH
        .iter()
        .map(|path| format!("/gateway/face-proxy{path}"))
        .collect();
    assert_eq!(paths, expected);
}

#[tokio::test]
async fn per_call_headers_arrive_and_a_later_value_replaces_an_earlier_one() {
    let server = MockServer::start().await;
    answer_json(&server, json!({"isIdentical": true, "confidence": 0.8})).await;

    client(&server)
        .v1_0()
        .face()
        .verify_face_to_face(id(1), id(2))
        .header("X-Correlation-Id", "first")
        .header("X-Correlation-Id", "trace-42")
        .header("X-Client-Name", "gate-3")
        .await
        .unwrap();

    let request = only_request(&server).await;
    let values: Vec<_> = request.headers.get_all("x-correlation-id").iter().collect();
    assert_eq!(values, ["trace-42"]);
    assert_eq!(header(&request, "x-client-name"), Some("gate-3"));
    assert_eq!(header(&request, "ocp-apim-subscription-key"), Some(KEY));
    assert_eq!(header(&request, "accept"), Some("application/json"));
}

#[tokio::test]
async fn an_image_file_is_streamed_from_its_current_position() {
    use tokio::io::AsyncSeekExt;
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;
    let bytes = image(70 * 1024);
    let path = std::env::temp_dir().join(format!("face-sdk-tests-{}.jpg", std::process::id()));
    tokio::fs::write(&path, &bytes).await.unwrap();
    let mut file = tokio::fs::File::open(&path).await.unwrap();
    file.seek(std::io::SeekFrom::Start(100)).await.unwrap();
    let body = Body::from_file(file).await.unwrap();
    let _ = tokio::fs::remove_file(&path).await;

    client(&server)
        .v1_0()
        .face()
        .detect_with_stream(body)
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "content-length"),
        Some((bytes.len() - 100).to_string().as_str())
    );
    assert_eq!(request.body, bytes[100..]);
}

#[tokio::test]
async fn clones_of_a_client_send_concurrent_calls() {
    let server = MockServer::start().await;
    answer_json(&server, json!({"isIdentical": false, "confidence": 0.25})).await;
    let shared = client(&server);

    let calls = (0..8).map(|n| {
        let client = shared.clone();
        tokio::spawn(async move {
            client
                .v1_0()
                .face()
                .verify_face_to_face(id(n), id(n + 100))
                .await
        })
    });
    for call in calls.collect::<Vec<_>>() {
        assert_eq!(call.await.unwrap().unwrap().confidence, 0.25);
    }

    let mut first_ids: Vec<String> = received(&server)
        .await
        .iter()
        .map(|request| json_body(request)["faceId1"].as_str().unwrap().to_owned())
        .collect();
    first_ids.sort();
    let mut expected: Vec<String> = (0..8).map(|n| id(n).to_string()).collect();
    expected.sort();
    assert_eq!(first_ids, expected);
}
