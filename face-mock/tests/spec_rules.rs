//! The emulator is driven by `spec/face.yaml`: every operation of the spec is
//! routed to a handler, and bounds and value lists are the spec's (read here through the
//! generator's IR, never restated, and never through the emulator's tables under test).

mod common;

use common::{Client, base_path_at, bounds, enum_values, field, ir, png, routes, start};
use face_mock::MockConfig;
use face_mock::rules::Rules;
use serde_json::json;

/// An id that fits every path parameter of the spec: a UUID, and lower-case letters, digits and '-'.
const ANY_ID: &str = "00000000-0000-4000-8000-000000000000";

/// Every service version of every spec, from the IR: `(label, the API at that version, its
/// base path, the emulator's rules of it)`.
fn every_version() -> Vec<(String, codegen::ir::Api, String, Rules)> {
    let v1_0 = ir("face.yaml");
    let base_path = v1_0.base_path.clone();
    let mut versions = vec![(
        "face.yaml".to_owned(),
        v1_0,
        base_path,
        Rules::v1_0().expect("the tables convert"),
    )];
    let family = ir("face-v1.2.yaml");
    for version in &family.versions {
        versions.push((
            format!("face-v1.2.yaml at {version}"),
            family.at_version(version).expect("a listed version"),
            base_path_at(&family, version),
            Rules::v1_2_at(version).expect("the tables convert"),
        ));
    }
    versions
}

/// A path template of the IR (under the spec's default base path) under `base_path`.
fn under(api: &codegen::ir::Api, base_path: &str, path: &str) -> String {
    format!(
        "{base_path}{}",
        path.strip_prefix(&api.base_path).unwrap_or(path)
    )
}

#[tokio::test]
async fn every_operation_of_every_version_is_routed() {
    let (_server, client) = start(MockConfig::new()).await;
    for (label, api, base_path, tables) in every_version() {
        assert_eq!(tables.base_path(), base_path, "{label}");
        let expected: Vec<(String, String, String)> = routes(&api)
            .into_iter()
            .map(|(id, method, path)| (id, method, under(&api, &base_path, &path)))
            .collect();
        assert!(!expected.is_empty(), "{label} has operations");
        for (operation, method, path) in &expected {
            let path = fill_path(path);
            let reply = client.send_to(method, &path, &[], b"").await;
            assert_ne!(
                reply.code(),
                "404",
                "{operation}: {method} {path} is not routed"
            );
        }
        // The emulator's tables hold exactly the version's operations, no more.
        let served: Vec<(String, String, String)> = tables
            .routes()
            .map(|(id, method, path)| {
                (
                    id.to_owned(),
                    method.to_owned(),
                    format!("{}{path}", tables.base_path()),
                )
            })
            .collect();
        assert_eq!(served, expected, "{label}");
    }
}

/// An operation a later version adds has no route under an earlier version's base path: it
/// answers 404, as that version of the service does, while the later version serves it.
#[tokio::test]
async fn an_operation_a_later_version_adds_is_not_found_under_an_earlier_one() {
    let (_server, client) = start(MockConfig::new()).await;
    let family = ir("face-v1.2.yaml");
    let (first, later) = family
        .versions
        .split_first()
        .expect("the family lists versions");
    let older = family.at_version(first).expect("a listed version");
    let older_ids: Vec<String> = routes(&older).into_iter().map(|(id, _, _)| id).collect();
    let mut checked = 0;
    for version in later {
        let newer = family.at_version(version).expect("a listed version");
        for (operation, method, path) in routes(&newer) {
            if older_ids.contains(&operation) {
                continue;
            }
            let old = fill_path(&under(&family, &base_path_at(&family, first), &path));
            client
                .send_to(&method, &old, &[], b"")
                .await
                .expect(404, "404");
            let new = fill_path(&under(&family, &base_path_at(&family, version), &path));
            let reply = client.send_to(&method, &new, &[], b"").await;
            assert_ne!(reply.status, 404, "{operation}: {method} {new} is served");
            checked += 1;
        }
    }
    let added = routes(&family).len() - older_ids.len();
    assert!(added > 0, "a later version adds operations");
    assert_eq!(checked, added, "every added operation was checked");
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

/// Each bound of detect's query is enforced where the spec puts it: the bound
/// itself is accepted and one step beyond is refused.
#[tokio::test]
async fn detect_enforces_the_bounds_the_spec_states() {
    let (_server, client) = start(MockConfig::new()).await;
    let ((min, max), _) = bounds(&field(&ir("face.yaml"), "Face_Detect", "faceIdTimeToLive").0);
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
    let (_server, client) = start(MockConfig::new()).await;
    let (_, (_, max)) = bounds(&field(&ir("face.yaml"), "Face_Identify", "faceIds").0);
    let max = max.expect("a maximum") as usize;
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
    let spec = ir("face.yaml");
    let (_server, client) = start(MockConfig::new()).await;
    let models = enum_values(&spec, "RecognitionModel");
    assert!(!models.is_empty());
    for model in models {
        let path = format!("/detect?recognitionModel={model}&returnRecognitionModel=true");
        let reply = client.post_image(&path, &png("", "x")).await;
        reply.expect(200, "");
        assert_eq!(reply.json()[0]["recognitionModel"], json!(model));
    }
    for model in enum_values(&spec, "DetectionModel") {
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
    let spec = ir("face.yaml");
    let table = allowed_items_table();
    let (_server, client) = start(MockConfig::new()).await;
    for rule in &table {
        let parameter = rule.control.wire.as_str();
        for (model, allowed) in &rule.table {
            for attribute in enum_values(&spec, "FaceAttributeType") {
                let allowed = allowed.contains(&attribute);
                let path = format!("/detect?{parameter}={model}&returnFaceAttributes={attribute}");
                let reply =
                    request_allowing_the_other_rule(&client, &path, parameter, &attribute).await;
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
    let table = allowed_items_table();
    let other = table
        .iter()
        .find(|rule| rule.control.wire != parameter)
        .expect("two rules");
    let other_model = other
        .table
        .iter()
        .find(|(_, items)| items.iter().any(|item| item == attribute))
        .map(|(model, _)| model.clone());
    let path = match other_model {
        Some(model) => format!("{path}&{}={model}", other.control.wire),
        None => path.to_string(),
    };
    client.post_image(&path, &png("", "x")).await
}

/// The `x-sdk-allowed-items` rules of detect's `returnFaceAttributes`, as the generator lowered them.
fn allowed_items_table() -> Vec<codegen::ir::AllowedItems> {
    ir("face.yaml")
        .groups
        .iter()
        .flat_map(|group| &group.methods)
        .filter(|method| method.operation_id == "Face_Detect")
        .flat_map(|method| &method.params)
        .find(|param| param.name.wire == "returnFaceAttributes")
        .map(|param| param.allowed_items.clone())
        .expect("detect has returnFaceAttributes")
}
