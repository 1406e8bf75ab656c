//! The emulator is driven by `spec/face.yaml`: every operation of the spec is
//! routed to a handler, bounds and value lists are the spec's (read here from
//! the spec, never restated), and a different spec changes what is refused.

mod common;

use common::{Client, png, start};
use face_mock::rules::{EMBEDDED_SPEC, EMBEDDED_SPEC_V1_2, Rules};
use face_mock::{MockConfig, MockServer, StartError};
use serde_json::json;

fn spec() -> Rules {
    Rules::from_yaml(EMBEDDED_SPEC).expect("spec/face.yaml loads")
}

/// An id that fits every path parameter of the spec: a UUID, and lower-case letters, digits and '-'.
const ANY_ID: &str = "00000000-0000-4000-8000-000000000000";

#[tokio::test]
async fn every_operation_of_both_specs_is_routed() {
    let (_server, client) = start(MockConfig::new()).await;
    let v1_2 = Rules::from_yaml(EMBEDDED_SPEC_V1_2).expect("spec/face-v1.2.yaml loads");
    for spec in [spec(), v1_2] {
        let mut routed = 0;
        for (operation, method, path) in spec.routes() {
            let path = format!("{}{}", spec.base_path(), fill_path(path));
            let reply = client.send_to(method, &path, &[], b"").await;
            assert_ne!(
                reply.code(),
                "404",
                "{operation}: {method} {path} is not routed"
            );
            routed += 1;
        }
        assert_eq!(routed, spec.operation_ids().len());
    }
}

/// `/a/{x}/b` → `/a/<ANY_ID>/b`.
fn fill_path(template: &str) -> String {
    template
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                ANY_ID
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A handler that no spec operation names is refused at start-up; a spec operation
/// with no handler yet is served, and answers 501 naming itself.
#[tokio::test]
async fn start_up_refuses_a_stale_handler_and_an_unhandled_operation_answers_501() {
    // Snapshots are in v1.0 only, so no other spec names their handlers.
    let renamed = EMBEDDED_SPEC.replace("operationId: Snapshot_Take", "operationId: Snapshot_Grab");
    let started = MockServer::start(MockConfig::new().with_spec_yaml(renamed)).await;
    let Err(StartError::Spec(message)) = started else {
        panic!("a spec that leaves a handler without an operation is refused");
    };
    assert!(
        message.contains("handler Snapshot_Take serves no operation"),
        "{message}"
    );

    let added = EMBEDDED_SPEC.replace(
        "  /operations/{operationId}:",
        "  /snapshots/{snapshotId}/size:\n    get:\n      operationId: Snapshot_GetSize\n      tags: [Snapshot]\n      summary: Get a size.\n      description: Answers a size.\n      parameters:\n        - $ref: '#/components/parameters/snapshotId'\n      responses:\n        '200':\n          description: The size.\n        default:\n          $ref: '#/components/responses/Error'\n  /operations/{operationId}:",
    );
    let (_server, client) = start(MockConfig::new().with_spec_yaml(added)).await;
    let reply = client.get(&format!("/snapshots/{ANY_ID}/size")).await;
    reply.expect(501, "NotImplemented");
    assert!(
        reply.json().to_string().contains("Snapshot_GetSize"),
        "{}",
        reply.json()
    );
}

/// Each bound of detect's query is enforced where the spec puts it: the bound
/// itself is accepted and one step beyond is refused.
#[tokio::test]
async fn detect_enforces_the_bounds_the_spec_states() {
    let spec = spec();
    let (_server, client) = start(MockConfig::new()).await;
    let (min, max) = spec
        .numeric_bounds("Face_Detect", "faceIdTimeToLive")
        .expect("the spec bounds faceIdTimeToLive");
    let (min, max) = (min.expect("a minimum"), max.expect("a maximum"));
    for (value, status) in [(min, 200), (max, 200), (min - 1.0, 400), (max + 1.0, 400)] {
        let path = format!("/detect?faceIdTimeToLive={value}");
        client
            .post_image(&path, &png("", "x"))
            .await
            .expect(status, "BadArgument");
    }
}

/// Identify takes as many faces as the spec allows and refuses one more.
#[tokio::test]
async fn identify_counts_faces_against_the_spec() {
    let spec = spec();
    let (_server, client) = start(MockConfig::new()).await;
    let (_, max) = spec
        .item_bounds("Face_Identify", "faceIds")
        .expect("bounded");
    let max = max.expect("a maximum");
    let ids: Vec<String> = (0..=max)
        .map(|n| format!("00000000-0000-4000-8000-{n:012}"))
        .collect();
    let too_many = client
        .post("/identify", &json!({"faceIds": ids, "personGroupId": "g"}))
        .await;
    too_many.expect(400, "BadArgument");
    let enough = client
        .post(
            "/identify",
            &json!({"faceIds": ids[..max], "personGroupId": "g"}),
        )
        .await;
    enough.expect(400, "FaceNotFound");
}

/// Every recognition and detection model the spec lists is accepted, and
/// anything else refused: the lists come from the spec, however long they grow.
#[tokio::test]
async fn detect_accepts_exactly_the_models_the_spec_lists() {
    let spec = spec();
    let (_server, client) = start(MockConfig::new()).await;
    let models = spec.enum_values("RecognitionModel");
    assert!(!models.is_empty());
    for model in models {
        let path = format!("/detect?recognitionModel={model}&returnRecognitionModel=true");
        let reply = client.post_image(&path, &png("", "x")).await;
        reply.expect(200, "");
        assert_eq!(reply.json()[0]["recognitionModel"], json!(model));
    }
    for model in spec.enum_values("DetectionModel") {
        let path = format!("/detect?detectionModel={model}");
        client
            .post_image(&path, &png("", "x"))
            .await
            .expect(200, "");
    }
    for parameter in ["recognitionModel", "detectionModel"] {
        let path = format!("/detect?{parameter}=model_00");
        client
            .post_image(&path, &png("", "x"))
            .await
            .expect(400, "BadArgument");
    }
}

/// Each attribute is returned or refused as the spec's `x-sdk-allowed-items`
/// table says, under every model the table names.
#[tokio::test]
async fn attributes_follow_the_spec_table() {
    let spec = spec();
    let table: serde_json::Value = yaml_table();
    let (_server, client) = start(MockConfig::new()).await;
    for rule in table.as_array().expect("rules") {
        let parameter = rule["parameter"].as_str().expect("a parameter");
        for (model, allowed) in rule["values"].as_object().expect("values") {
            for attribute in spec.enum_values("FaceAttributeType") {
                let allowed = allowed
                    .as_array()
                    .is_some_and(|items| items.iter().any(|item| item == attribute));
                let path = format!("/detect?{parameter}={model}&returnFaceAttributes={attribute}");
                let reply =
                    request_allowing_the_other_rule(&client, &path, parameter, attribute).await;
                assert_eq!(
                    reply.status == 200,
                    allowed,
                    "{attribute} with {model}: {}",
                    reply.status
                );
            }
        }
    }
}

/// The other rule of the table must allow the attribute for this one to decide:
/// pick, for the other parameter, a model that allows it.
async fn request_allowing_the_other_rule(
    client: &Client,
    path: &str,
    parameter: &str,
    attribute: &str,
) -> common::Reply {
    let table = yaml_table();
    let other = table
        .as_array()
        .into_iter()
        .flatten()
        .find(|rule| rule["parameter"] != parameter)
        .expect("two rules");
    let other_model = other["values"]
        .as_object()
        .into_iter()
        .flatten()
        .find(|(_, items)| {
            items
                .as_array()
                .is_some_and(|items| items.iter().any(|item| item == attribute))
        })
        .map(|(model, _)| model.clone());
    let path = match other_model {
        Some(model) => format!(
            "{path}&{}={model}",
            other["parameter"].as_str().unwrap_or_default()
        ),
        None => path.to_string(),
    };
    client.post_image(&path, &png("", "x")).await
}

fn yaml_table() -> serde_json::Value {
    let spec: serde_json::Value = yaml_serde::from_str(EMBEDDED_SPEC).expect("the spec parses");
    spec["components"]["parameters"]["returnFaceAttributes"]["x-sdk-allowed-items"].clone()
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
