//! The checks come from `spec/face.yaml`: its constraint facts are read as
//! the contract states them, and a different spec changes what is refused.

mod common;

use common::{png, start};
use face_mock::MockConfig;
use face_mock::rules::{EMBEDDED_SPEC, Rules, SERVED_OPERATIONS};

const FACE_OPERATIONS: [&str; 5] = [
    "Face_Detect",
    "Face_FindSimilar",
    "Face_Group",
    "Face_Identify",
    "Face_Verify",
];

#[test]
fn the_spec_states_the_contract_limits() {
    let rules = Rules::from_yaml(EMBEDDED_SPEC).expect("spec/face.yaml loads");
    for operation in FACE_OPERATIONS {
        assert!(
            rules.operation_ids().contains(&operation),
            "{operation} is in the spec"
        );
    }
    assert_eq!(
        rules.numeric_bounds("Face_Detect", "faceIdTimeToLive"),
        Some((Some(60.0), Some(86400.0)))
    );
    assert_eq!(
        rules.item_bounds("Face_Identify", "faceIds"),
        Some((Some(1), Some(10)))
    );
    assert_eq!(
        rules.numeric_bounds("Face_Identify", "maxNumOfCandidatesReturned"),
        Some((Some(1.0), Some(100.0)))
    );
    assert_eq!(
        rules.numeric_bounds("Face_Identify", "confidenceThreshold"),
        Some((Some(0.0), Some(1.0)))
    );
    assert_eq!(
        rules
            .item_bounds("Face_FindSimilar", "faceIds")
            .and_then(|bounds| bounds.1),
        Some(1000)
    );
    assert_eq!(
        rules.numeric_bounds("Face_FindSimilar", "maxNumOfCandidatesReturned"),
        Some((Some(1.0), Some(1000.0)))
    );
    assert_eq!(
        rules.item_bounds("Face_Group", "faceIds"),
        Some((Some(2), Some(1000)))
    );
    let names = |groups: Vec<Vec<String>>| {
        groups
            .into_iter()
            .map(|group| group.join(","))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(rules.exactly_one_of("Face_FindSimilar")),
        vec!["faceListId,largeFaceListId,faceIds"]
    );
    assert_eq!(
        names(rules.exactly_one_of("Face_Identify")),
        vec!["personGroupId,largePersonGroupId"]
    );
    assert_eq!(
        names(rules.exactly_one_of("Face_Verify")),
        vec!["personGroupId,largePersonGroupId"]
    );
    assert_eq!(rules.enum_values("RecognitionModel").len(), 4);
    assert_eq!(rules.enum_values("DetectionModel").len(), 3);
    assert_eq!(rules.enum_values("FaceAttributeType").len(), 16);
}

#[test]
fn the_spec_describes_every_served_operation() {
    let rules = Rules::for_emulator(EMBEDDED_SPEC).expect("the spec has every served operation");
    for operation in SERVED_OPERATIONS {
        assert!(rules.operation_ids().contains(&operation), "{operation}");
    }
    let without_verify =
        EMBEDDED_SPEC.replace("operationId: Face_Verify", "operationId: Face_Check");
    let error = Rules::for_emulator(&without_verify).expect_err("a spec without verify is refused");
    assert!(error.message.contains("Face_Verify"), "{error}");
}

#[tokio::test]
async fn another_spec_changes_what_is_refused() {
    let tight = EMBEDDED_SPEC.replace(
        "maximum: 86400\n        default: 86400",
        "maximum: 600\n        default: 600",
    );
    assert_ne!(
        tight, EMBEDDED_SPEC,
        "the spec states faceIdTimeToLive as expected"
    );
    let (_server, client) = start(MockConfig::new().with_spec_yaml(tight)).await;
    client
        .post_image("/detect?faceIdTimeToLive=601", &png("", "x"))
        .await
        .expect(400, "BadArgument");
    client
        .post_image("/detect?faceIdTimeToLive=600", &png("", "x"))
        .await
        .expect(200, "");
}
