//! The rules the client checks before sending: a request that breaks one is
//! refused with an error naming the parameter and the rule, and nothing is sent.

use bytes::Bytes;
use face_sdk::Body;
use face_sdk::v1_0::models::{FaceAttributeType, FaceId};
use face_sdk_tests::{answer_json, assert_invalid, client, expect_no_request, id, image, received};
use serde_json::json;
use wiremock::MockServer;

/// A server that fails the test if it receives anything.
async fn silent_server() -> MockServer {
    let server = MockServer::start().await;
    expect_no_request(&server).await;
    server
}

async fn assert_nothing_sent(server: &MockServer) {
    assert!(received(server).await.is_empty(), "a request was sent");
}

const ONE_OF_FACE_TARGETS: &str = "faceListId, largeFaceListId, faceIds";
const ONE_OF_GROUPS: &str = "personGroupId, largePersonGroupId";

#[tokio::test]
async fn face_id_time_to_live_must_be_within_60_to_86400_seconds() {
    let server = silent_server().await;
    let face = client(&server).v1_0().face();

    for (ttl, fragments) in [
        (59, ["must be at least 60", "(got 59)"]),
        (0, ["must be at least 60", "(got 0)"]),
        (-60, ["must be at least 60", "(got -60)"]),
        (86401, ["must be at most 86400", "(got 86401)"]),
    ] {
        let by_url = face
            .detect_with_url("https://x.test/a.jpg")
            .face_id_time_to_live(ttl)
            .await
            .unwrap_err();
        assert_invalid(&by_url, "faceIdTimeToLive", &fragments);
        let by_bytes = face
            .detect_with_stream(image(2048))
            .face_id_time_to_live(ttl)
            .await
            .unwrap_err();
        assert_invalid(&by_bytes, "faceIdTimeToLive", &fragments);
    }
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn identify_needs_1_to_10_face_ids() {
    let server = silent_server().await;
    let face = client(&server).v1_0().face();

    let none = face
        .identify(Vec::<FaceId>::new())
        .person_group_id("employees")
        .await
        .unwrap_err();
    assert_invalid(&none, "faceIds", &["must have at least 1 item", "(got 0)"]);
    let eleven = face
        .identify((0..11).map(id))
        .person_group_id("employees")
        .await
        .unwrap_err();
    assert_invalid(
        &eleven,
        "faceIds",
        &["must have at most 10 items", "(got 11)"],
    );
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn identify_candidates_must_be_within_1_to_100() {
    let server = silent_server().await;
    let face = client(&server).v1_0().face();

    for (count, fragments) in [
        (0, ["at least 1", "(got 0)"]),
        (101, ["at most 100", "(got 101)"]),
    ] {
        let error = face
            .identify([id(1)])
            .person_group_id("employees")
            .max_num_of_candidates_returned(count)
            .await
            .unwrap_err();
        assert_invalid(&error, "maxNumOfCandidatesReturned", &fragments);
    }
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn find_similar_candidates_must_be_within_1_to_1000() {
    let server = silent_server().await;
    let face = client(&server).v1_0().face();

    for (count, fragments) in [
        (0, ["at least 1", "(got 0)"]),
        (1001, ["at most 1000", "(got 1001)"]),
    ] {
        let error = face
            .find_similar(id(0))
            .face_ids([id(1)])
            .max_num_of_candidates_returned(count)
            .await
            .unwrap_err();
        assert_invalid(&error, "maxNumOfCandidatesReturned", &fragments);
    }
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn confidence_threshold_must_be_within_0_to_1() {
    let server = silent_server().await;
    let face = client(&server).v1_0().face();

    for (threshold, fragments) in [
        (1.01, ["must be at most 1", "(got 1.01)"]),
        (2.0, ["must be at most 1", "(got 2)"]),
        (-0.1, ["must be at least 0", "(got -0.1)"]),
    ] {
        let error = face
            .identify([id(1)])
            .person_group_id("g")
            .confidence_threshold(threshold)
            .await
            .unwrap_err();
        assert_invalid(&error, "confidenceThreshold", &fragments);
    }
    // NaN would be written as JSON null: it must not get through either.
    let nan = face
        .identify([id(1)])
        .person_group_id("g")
        .confidence_threshold(f64::NAN)
        .await
        .unwrap_err();
    assert_invalid(&nan, "confidenceThreshold", &[]);
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn group_needs_2_to_1000_face_ids() {
    let server = silent_server().await;
    let face = client(&server).v1_0().face();

    let none = face.group(Vec::<FaceId>::new()).await.unwrap_err();
    assert_invalid(&none, "faceIds", &["must have at least 2 items", "(got 0)"]);
    let one = face.group([id(1)]).await.unwrap_err();
    assert_invalid(&one, "faceIds", &["must have at least 2 items", "(got 1)"]);
    let too_many = face.group((0..1001).map(id)).await.unwrap_err();
    assert_invalid(
        &too_many,
        "faceIds",
        &["must have at most 1000 items", "(got 1001)"],
    );
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn find_similar_needs_exactly_one_kind_of_candidates() {
    let server = silent_server().await;
    let face = client(&server).v1_0().face();

    let none = face.find_similar(id(0)).await.unwrap_err();
    assert_invalid(
        &none,
        ONE_OF_FACE_TARGETS,
        &[
            "exactly one of",
            "`largeFaceListId`",
            "`faceIds`",
            "none was",
        ],
    );
    let two = face
        .find_similar(id(0))
        .face_list_id("family")
        .face_ids([id(1)])
        .await
        .unwrap_err();
    assert_invalid(
        &two,
        ONE_OF_FACE_TARGETS,
        &["exactly one of", "2 were: `faceListId`, `faceIds`"],
    );
    let lists = face
        .find_similar(id(0))
        .face_list_id("family")
        .large_face_list_id("staff")
        .await
        .unwrap_err();
    assert_invalid(
        &lists,
        ONE_OF_FACE_TARGETS,
        &["2 were: `faceListId`, `largeFaceListId`"],
    );
    let all = face
        .find_similar(id(0))
        .face_list_id("a")
        .large_face_list_id("b")
        .face_ids([id(1)])
        .await
        .unwrap_err();
    assert_invalid(&all, ONE_OF_FACE_TARGETS, &["3 were"]);
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn find_similar_face_ids_and_list_ids_are_checked() {
    let server = silent_server().await;
    let face = client(&server).v1_0().face();

    let too_many = face
        .find_similar(id(0))
        .face_ids((0..1001).map(id))
        .await
        .unwrap_err();
    assert_invalid(
        &too_many,
        "faceIds",
        &["must have at most 1000 items", "(got 1001)"],
    );
    let upper = face
        .find_similar(id(0))
        .face_list_id("Family")
        .await
        .unwrap_err();
    assert_invalid(
        &upper,
        "faceListId",
        &["must match the pattern `^[a-z0-9-_]+$`"],
    );
    let long = face
        .find_similar(id(0))
        .large_face_list_id("l".repeat(65))
        .await
        .unwrap_err();
    assert_invalid(
        &long,
        "largeFaceListId",
        &["must have at most 64 characters", "(got 65)"],
    );
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn person_group_ids_must_be_short_lower_case_ids() {
    let server = silent_server().await;
    let face = client(&server).v1_0().face();
    let too_long = "g".repeat(65);

    for bad in ["Employees", "employees 2024", "équipe", ""] {
        let identify = face
            .identify([id(1)])
            .person_group_id(bad)
            .await
            .unwrap_err();
        assert_invalid(
            &identify,
            "personGroupId",
            &["must match the pattern `^[a-z0-9-_]+$`"],
        );
        let verify = face
            .verify_face_to_person(id(1), id(2))
            .person_group_id(bad)
            .await
            .unwrap_err();
        assert_invalid(&verify, "personGroupId", &["must match the pattern"]);
        let large = face
            .verify_face_to_person(id(1), id(2))
            .large_person_group_id(bad)
            .await
            .unwrap_err();
        assert_invalid(&large, "largePersonGroupId", &["must match the pattern"]);
    }
    let identify = face
        .identify([id(1)])
        .person_group_id(too_long.as_str())
        .await
        .unwrap_err();
    assert_invalid(
        &identify,
        "personGroupId",
        &["must have at most 64 characters", "(got 65)"],
    );
    let verify = face
        .verify_face_to_person(id(1), id(2))
        .person_group_id(too_long.as_str())
        .await
        .unwrap_err();
    assert_invalid(
        &verify,
        "personGroupId",
        &["must have at most 64 characters", "(got 65)"],
    );
    let large = face
        .identify([id(1)])
        .large_person_group_id(too_long.as_str())
        .await
        .unwrap_err();
    assert_invalid(
        &large,
        "largePersonGroupId",
        &["must have at most 64 characters", "(got 65)"],
    );
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn identify_and_verify_to_person_need_exactly_one_group() {
    let server = silent_server().await;
    let face = client(&server).v1_0().face();

    let neither = face.verify_face_to_person(id(1), id(2)).await.unwrap_err();
    assert_invalid(
        &neither,
        ONE_OF_GROUPS,
        &[
            "exactly one of `personGroupId`, `largePersonGroupId`",
            "none was",
        ],
    );
    let both = face
        .verify_face_to_person(id(1), id(2))
        .person_group_id("a")
        .large_person_group_id("b")
        .await
        .unwrap_err();
    assert_invalid(
        &both,
        ONE_OF_GROUPS,
        &["2 were: `personGroupId`, `largePersonGroupId`"],
    );
    let neither = face.identify([id(1)]).await.unwrap_err();
    assert_invalid(&neither, ONE_OF_GROUPS, &["none was"]);
    let both = face
        .identify([id(1)])
        .person_group_id("a")
        .large_person_group_id("b")
        .await
        .unwrap_err();
    assert_invalid(&both, ONE_OF_GROUPS, &["2 were"]);
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn images_must_be_1_kb_to_6_mb() {
    let server = silent_server().await;
    let face = client(&server).v1_0().face();

    let small = face.detect_with_stream(image(1023)).await.unwrap_err();
    assert_invalid(
        &small,
        "image",
        &["must be at least 1024 bytes", "(got 1023)"],
    );
    let empty = face.detect_with_stream(Vec::new()).await.unwrap_err();
    assert_invalid(&empty, "image", &["must be at least 1024 bytes", "(got 0)"]);
    let large = face
        .detect_with_stream(image(6 * 1024 * 1024 + 1))
        .await
        .unwrap_err();
    assert_invalid(
        &large,
        "image",
        &["must be at most 6291456 bytes", "(got 6291457)"],
    );
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn a_stream_of_declared_oversize_is_refused_without_being_read() {
    let server = silent_server().await;
    let read = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = std::sync::Arc::clone(&read);
    let stream = futures_util::stream::once(async move {
        flag.store(true, std::sync::atomic::Ordering::SeqCst);
        Ok::<_, std::io::Error>(Bytes::from_static(b"never read"))
    });

    let error = client(&server)
        .v1_0()
        .face()
        .detect_with_stream(Body::from_stream(stream, Some(7_000_000)))
        .await
        .unwrap_err();

    assert_invalid(
        &error,
        "image",
        &["must be at most 6291456 bytes", "(got 7000000)"],
    );
    assert!(!read.load(std::sync::atomic::Ordering::SeqCst));
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn an_invalid_per_call_header_is_refused_before_sending() {
    let server = silent_server().await;
    let face = client(&server).v1_0().face();

    let bad_name = face
        .group([id(1), id(2)])
        .header("X Bad Name", "v")
        .await
        .unwrap_err();
    assert_invalid(&bad_name, "X Bad Name", &["not a valid header name"]);
    let bad_value = face
        .group([id(1), id(2)])
        .header("X-Note", "line\r\nInjected: yes")
        .await
        .unwrap_err();
    assert_invalid(&bad_value, "X-Note", &["must be a valid header value"]);
    let managed = face
        .detect_with_stream(image(2048))
        .header("Content-Length", "1")
        .await
        .unwrap_err();
    assert_invalid(&managed, "Content-Length", &["set by the client"]);
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn the_limits_themselves_are_accepted() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;
    let face = client(&server).v1_0().face();
    let longest_id = "a-1_".repeat(16);

    face.detect_with_url("https://x.test/a.jpg")
        .face_id_time_to_live(60)
        .await
        .unwrap();
    face.detect_with_url("https://x.test/a.jpg")
        .face_id_time_to_live(86400)
        .await
        .unwrap();
    face.detect_with_stream(image(1024))
        .return_face_attributes([FaceAttributeType::Age])
        .await
        .unwrap();
    face.detect_with_stream(image(6 * 1024 * 1024))
        .await
        .unwrap();
    face.identify((0..10).map(id))
        .person_group_id(longest_id.as_str())
        .max_num_of_candidates_returned(100)
        .await
        .unwrap();
    face.identify([id(1)])
        .large_person_group_id("0")
        .max_num_of_candidates_returned(1)
        .confidence_threshold(0.0)
        .await
        .unwrap();
    face.identify([id(1)])
        .person_group_id("g")
        .confidence_threshold(1.0)
        .await
        .unwrap();
    face.find_similar(id(0))
        .face_ids((0..1000).map(id))
        .max_num_of_candidates_returned(1000)
        .await
        .unwrap();
    face.find_similar(id(0))
        .face_list_id(longest_id.as_str())
        .max_num_of_candidates_returned(1)
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 9);
    assert_eq!(requests[0].url.query(), Some("faceIdTimeToLive=60"));
    assert_eq!(requests[1].url.query(), Some("faceIdTimeToLive=86400"));
    assert_eq!(requests[3].body.len(), 6_291_456);
    assert_eq!(
        requests[4].body_json::<serde_json::Value>().unwrap()["personGroupId"],
        json!(longest_id)
    );
    assert_eq!(
        requests[5].body_json::<serde_json::Value>().unwrap()["confidenceThreshold"],
        json!(0.0)
    );
}

#[tokio::test]
async fn group_accepts_two_and_a_thousand_face_ids() {
    let server = MockServer::start().await;
    answer_json(&server, json!({"groups": []})).await;

    client(&server)
        .v1_0()
        .face()
        .group([id(1), id(2)])
        .await
        .unwrap();
    client(&server)
        .v1_0()
        .face()
        .group((0..1000).map(id))
        .await
        .unwrap();

    let requests = received(&server).await;
    assert_eq!(
        requests[1].body_json::<serde_json::Value>().unwrap()["faceIds"]
            .as_array()
            .unwrap()
            .len(),
        1000
    );
}

#[tokio::test]
async fn attributes_a_detection_or_recognition_model_does_not_return_are_refused() {
    use face_sdk::v1_0::models::{DetectionModel, RecognitionModel};
    let server = silent_server().await;
    let face = client(&server).v1_0().face();

    let age_with_detection_03 = face
        .detect_with_url("https://x.test/a.jpg")
        .return_face_attributes([FaceAttributeType::HeadPose, FaceAttributeType::Age])
        .detection_model(DetectionModel::Detection03)
        .await
        .unwrap_err();
    assert_invalid(
        &age_with_detection_03,
        "returnFaceAttributes",
        &["cannot hold `age`", "`detectionModel` is `detection_03`"],
    );
    let mask_by_default = face
        .detect_with_stream(image(2048))
        .return_face_attributes([FaceAttributeType::Mask])
        .await
        .unwrap_err();
    assert_invalid(
        &mask_by_default,
        "returnFaceAttributes",
        &["cannot hold `mask`", "`detectionModel` is `detection_01`"],
    );
    let quality_with_recognition_02 = face
        .detect_with_url("https://x.test/a.jpg")
        .return_face_attributes([FaceAttributeType::QualityForRecognition])
        .recognition_model(RecognitionModel::Recognition02)
        .await
        .unwrap_err();
    assert_invalid(
        &quality_with_recognition_02,
        "returnFaceAttributes",
        &[
            "cannot hold `qualityForRecognition`",
            "`recognitionModel` is `recognition_02`",
        ],
    );
    assert_nothing_sent(&server).await;
}

#[tokio::test]
async fn attributes_the_models_return_are_sent() {
    use face_sdk::v1_0::models::{DetectionModel, RecognitionModel};
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;

    client(&server)
        .v1_0()
        .face()
        .detect_with_url("https://x.test/a.jpg")
        .return_face_attributes([
            FaceAttributeType::Mask,
            FaceAttributeType::QualityForRecognition,
        ])
        .detection_model(DetectionModel::Detection03)
        .recognition_model(RecognitionModel::Recognition04)
        .await
        .expect("detection_03 with recognition_04 returns mask and quality");
    assert_eq!(received(&server).await.len(), 1);
}
