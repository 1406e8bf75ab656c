//! Every generated method of `face_sdk::v1_2`, at every service version of the family, sent
//! once against a mock server that answers it with the success status of the spec and a body
//! that decodes: each call of a method the version has must succeed and go on the wire as the
//! spec says, with its HTTP method and its path (that version's base path and the template,
//! the arguments in their places); a call of a method the version lacks must be refused
//! before anything is sent.
//!
//! The methods of record are those the generator makes from `spec/face-v1.2.yaml`
//! (its IR, through `face_sdk_tests::spec_methods`); the calls below are keyed by
//! `group.method`, and the test fails naming any method without a call and any call that
//! is no method of the spec.

use std::collections::{BTreeMap, BTreeSet};
use std::future::IntoFuture;

use face_sdk::v1_2::ServiceVersion;
use face_sdk::v1_2::models::LivenessOperationMode;
use face_sdk::{Error, FaceClient};
use face_sdk_tests::{
    SpecMethod, answer, client_at_version, id, image, liveness_session_body,
    liveness_with_verify_session_body, received, spec_methods, spec_methods_at, spec_versions,
};
use futures_util::future::BoxFuture;
use serde_json::{Value, json};
use uuid::Uuid;
use wiremock::{MockServer, ResponseTemplate};

const SPEC: &str = "spec/face-v1.2.yaml";

const FACE_LIST: &str = "face-list-1";
const LARGE_FACE_LIST: &str = "large-face-list-1";
const PERSON_GROUP: &str = "person-group-1";
const LARGE_PERSON_GROUP: &str = "large-person-group-1";
const DYNAMIC_PERSON_GROUP: &str = "dynamic-person-group-1";
const SESSION: &str = "session-1";
const SESSION_IMAGE: &str = "session-image-1";
const URL: &str = "https://example.com/alice.jpg";

/// The person of every person call.
fn person() -> Uuid {
    id(1)
}

/// The persisted face of every persisted-face call.
fn persisted_face() -> Uuid {
    id(2)
}

/// Two detected faces, the query faces of find similar, group, identify and verify.
fn faces() -> [Uuid; 2] {
    [id(10), id(11)]
}

/// The value of each path parameter of the spec in the calls below.
fn path_args() -> Vec<(&'static str, String)> {
    vec![
        ("faceListId", FACE_LIST.to_owned()),
        ("largeFaceListId", LARGE_FACE_LIST.to_owned()),
        ("personGroupId", PERSON_GROUP.to_owned()),
        ("largePersonGroupId", LARGE_PERSON_GROUP.to_owned()),
        ("personId", person().to_string()),
        ("persistedFaceId", persisted_face().to_string()),
        ("sessionId", SESSION.to_owned()),
        ("sessionImageId", SESSION_IMAGE.to_owned()),
    ]
}

/// What the mock server answers a call with, under the spec's success status.
enum Answer {
    Json(Value),
    Bytes(Vec<u8>),
    Nothing,
}

impl Answer {
    fn response(&self, status: u16) -> ResponseTemplate {
        let response = ResponseTemplate::new(status);
        match self {
            Answer::Json(body) => response.set_body_json(body),
            Answer::Bytes(body) => response.set_body_raw(body.clone(), "application/octet-stream"),
            Answer::Nothing => response,
        }
    }
}

/// One call of a generated method, not sent yet.
struct Call {
    key: &'static str,
    answer: Answer,
    sent: BoxFuture<'static, Result<(), Error>>,
}

/// A call keyed `key` (`group.method`) that the server answers with `answer`.
fn call<R, T>(key: &'static str, answer: Answer, request: R) -> Call
where
    R: IntoFuture<Output = Result<T, Error>>,
    R::IntoFuture: Send + 'static,
{
    let future = request.into_future();
    Call {
        key,
        answer,
        sent: Box::pin(async move { future.await.map(drop) }),
    }
}

/// A call answered with the JSON `body`.
fn json<R, T>(key: &'static str, body: Value, request: R) -> Call
where
    R: IntoFuture<Output = Result<T, Error>>,
    R::IntoFuture: Send + 'static,
{
    call(key, Answer::Json(body), request)
}

/// A call answered with no body.
fn empty<R>(key: &'static str, request: R) -> Call
where
    R: IntoFuture<Output = Result<(), Error>>,
    R::IntoFuture: Send + 'static,
{
    call(key, Answer::Nothing, request)
}

fn verification() -> Value {
    json!({"isIdentical": true, "confidence": 0.9})
}

fn added_face() -> Value {
    json!({"persistedFaceId": persisted_face()})
}

fn training() -> Value {
    let at = "2024-05-01T10:00:00Z";
    json!({
        "status": "succeeded",
        "createdDateTime": at,
        "lastActionDateTime": at,
        "lastSuccessfulTrainingDateTime": at,
    })
}

fn created_person() -> Value {
    json!({"personId": person()})
}

fn a_person() -> Value {
    json!({"personId": person(), "name": "Alice"})
}

/// One call of each method of `face_sdk::v1_2`, with every required argument.
fn calls(client: &FaceClient) -> Vec<Call> {
    let api = client.v1_2();
    let (face, list, large_list) = (api.face(), api.face_list(), api.large_face_list());
    let (group, large_group) = (api.person_group(), api.large_person_group());
    let (member, large_member) = (api.person_group_person(), api.large_person_group_person());
    let (session, verify_session) = (api.liveness_session(), api.liveness_with_verify_session());
    let [query, other] = faces();
    let (p, f) = (person(), persisted_face());
    let image = || image(2048);
    vec![
        json("face.detect", json!([]), face.detect(image())),
        json(
            "face.detect_from_session_image_id",
            json!([]),
            face.detect_from_session_image_id(SESSION_IMAGE),
        ),
        json("face.detect_from_url", json!([]), face.detect_from_url(URL)),
        json(
            "face.find_similar",
            json!([]),
            face.find_similar(query, faces()),
        ),
        json(
            "face.find_similar_from_face_list",
            json!([]),
            face.find_similar_from_face_list(query, FACE_LIST),
        ),
        json(
            "face.find_similar_from_large_face_list",
            json!([]),
            face.find_similar_from_large_face_list(query, LARGE_FACE_LIST),
        ),
        json(
            "face.group",
            json!({"groups": [faces()], "messyGroup": []}),
            face.group(faces()),
        ),
        json(
            "face.identify_from_dynamic_person_group",
            json!([]),
            face.identify_from_dynamic_person_group(faces(), DYNAMIC_PERSON_GROUP),
        ),
        json(
            "face.identify_from_large_person_group",
            json!([]),
            face.identify_from_large_person_group(faces(), LARGE_PERSON_GROUP),
        ),
        json(
            "face.identify_from_person_directory",
            json!([]),
            face.identify_from_person_directory(faces(), [p]),
        ),
        json(
            "face.identify_from_person_group",
            json!([]),
            face.identify_from_person_group(faces(), PERSON_GROUP),
        ),
        json(
            "face.verify_face_to_face",
            verification(),
            face.verify_face_to_face(query, other),
        ),
        json(
            "face.verify_from_large_person_group",
            verification(),
            face.verify_from_large_person_group(query, LARGE_PERSON_GROUP, p),
        ),
        json(
            "face.verify_from_person_directory",
            verification(),
            face.verify_from_person_directory(query, p),
        ),
        json(
            "face.verify_from_person_group",
            verification(),
            face.verify_from_person_group(query, PERSON_GROUP, p),
        ),
        json(
            "face_list.add_face_from_stream",
            added_face(),
            list.add_face_from_stream(FACE_LIST, image()),
        ),
        json(
            "face_list.add_face_from_url",
            added_face(),
            list.add_face_from_url(FACE_LIST, URL),
        ),
        empty("face_list.create", list.create(FACE_LIST, "Friends")),
        empty("face_list.delete", list.delete(FACE_LIST)),
        empty("face_list.delete_face", list.delete_face(FACE_LIST, f)),
        json(
            "face_list.get",
            json!({"faceListId": FACE_LIST, "name": "Friends"}),
            list.get(FACE_LIST),
        ),
        json("face_list.list", json!([]), list.list()),
        empty("face_list.update", list.update(FACE_LIST).name("Family")),
        json(
            "large_face_list.add_face_from_stream",
            added_face(),
            large_list.add_face_from_stream(LARGE_FACE_LIST, image()),
        ),
        json(
            "large_face_list.add_face_from_url",
            added_face(),
            large_list.add_face_from_url(LARGE_FACE_LIST, URL),
        ),
        empty(
            "large_face_list.create",
            large_list.create(LARGE_FACE_LIST, "Visitors"),
        ),
        empty("large_face_list.delete", large_list.delete(LARGE_FACE_LIST)),
        empty(
            "large_face_list.delete_face",
            large_list.delete_face(LARGE_FACE_LIST, f),
        ),
        json(
            "large_face_list.get",
            json!({"largeFaceListId": LARGE_FACE_LIST, "name": "Visitors"}),
            large_list.get(LARGE_FACE_LIST),
        ),
        json(
            "large_face_list.get_face",
            added_face(),
            large_list.get_face(LARGE_FACE_LIST, f),
        ),
        json(
            "large_face_list.get_training_status",
            training(),
            large_list.get_training_status(LARGE_FACE_LIST),
        ),
        json("large_face_list.list", json!([]), large_list.list()),
        json(
            "large_face_list.list_faces",
            json!([]),
            large_list.list_faces(LARGE_FACE_LIST),
        ),
        empty("large_face_list.train", large_list.train(LARGE_FACE_LIST)),
        empty(
            "large_face_list.update",
            large_list.update(LARGE_FACE_LIST).name("Guests"),
        ),
        empty(
            "large_face_list.update_face",
            large_list
                .update_face(LARGE_FACE_LIST, f)
                .user_data("front door"),
        ),
        empty(
            "large_person_group.create",
            large_group.create(LARGE_PERSON_GROUP, "Staff"),
        ),
        empty(
            "large_person_group.delete",
            large_group.delete(LARGE_PERSON_GROUP),
        ),
        json(
            "large_person_group.get",
            json!({"largePersonGroupId": LARGE_PERSON_GROUP, "name": "Staff"}),
            large_group.get(LARGE_PERSON_GROUP),
        ),
        json(
            "large_person_group.get_training_status",
            training(),
            large_group.get_training_status(LARGE_PERSON_GROUP),
        ),
        json("large_person_group.list", json!([]), large_group.list()),
        empty(
            "large_person_group.train",
            large_group.train(LARGE_PERSON_GROUP),
        ),
        empty(
            "large_person_group.update",
            large_group.update(LARGE_PERSON_GROUP).name("Employees"),
        ),
        json(
            "large_person_group_person.add_face_from_stream",
            added_face(),
            large_member.add_face_from_stream(LARGE_PERSON_GROUP, p, image()),
        ),
        json(
            "large_person_group_person.add_face_from_url",
            added_face(),
            large_member.add_face_from_url(LARGE_PERSON_GROUP, p, URL),
        ),
        json(
            "large_person_group_person.create",
            created_person(),
            large_member.create(LARGE_PERSON_GROUP, "Alice"),
        ),
        empty(
            "large_person_group_person.delete",
            large_member.delete(LARGE_PERSON_GROUP, p),
        ),
        empty(
            "large_person_group_person.delete_face",
            large_member.delete_face(LARGE_PERSON_GROUP, p, f),
        ),
        json(
            "large_person_group_person.get",
            a_person(),
            large_member.get(LARGE_PERSON_GROUP, p),
        ),
        json(
            "large_person_group_person.get_face",
            added_face(),
            large_member.get_face(LARGE_PERSON_GROUP, p, f),
        ),
        json(
            "large_person_group_person.list",
            json!([]),
            large_member.list(LARGE_PERSON_GROUP),
        ),
        empty(
            "large_person_group_person.update",
            large_member.update(LARGE_PERSON_GROUP, p).name("Alice B."),
        ),
        empty(
            "large_person_group_person.update_face",
            large_member
                .update_face(LARGE_PERSON_GROUP, p, f)
                .user_data("badge photo"),
        ),
        json(
            "liveness_session.create",
            liveness_session_body(SESSION),
            session.create(LivenessOperationMode::Passive),
        ),
        empty("liveness_session.delete", session.delete(SESSION)),
        json(
            "liveness_session.get_client_assets_access_token",
            json!({"expiry": "2026-01-01T00:00:00Z", "accessToken": "token", "base64AccessToken": "dG9rZW4="}),
            session.get_client_assets_access_token(),
        ),
        json(
            "liveness_session.get_result",
            liveness_session_body(SESSION),
            session.get_result(SESSION),
        ),
        json(
            "liveness_session.get_settings",
            json!({"livenessAbuseMonitoring": {"enabled": true}}),
            session.get_settings(),
        ),
        json(
            "liveness_session.update_settings",
            json!({"livenessAbuseMonitoring": {"enabled": true}}),
            session.update_settings(),
        ),
        json(
            "liveness_with_verify_session.create",
            liveness_with_verify_session_body(SESSION),
            verify_session.create(LivenessOperationMode::Passive, image()),
        ),
        empty(
            "liveness_with_verify_session.delete",
            verify_session.delete(SESSION),
        ),
        json(
            "liveness_with_verify_session.get_result",
            liveness_with_verify_session_body(SESSION),
            verify_session.get_result(SESSION),
        ),
        empty("person_group.create", group.create(PERSON_GROUP, "Club")),
        empty("person_group.delete", group.delete(PERSON_GROUP)),
        json(
            "person_group.get",
            json!({"personGroupId": PERSON_GROUP, "name": "Club"}),
            group.get(PERSON_GROUP),
        ),
        json(
            "person_group.get_training_status",
            training(),
            group.get_training_status(PERSON_GROUP),
        ),
        json("person_group.list", json!([]), group.list()),
        empty("person_group.train", group.train(PERSON_GROUP)),
        empty(
            "person_group.update",
            group.update(PERSON_GROUP).user_data("members"),
        ),
        json(
            "person_group_person.add_face_from_stream",
            added_face(),
            member.add_face_from_stream(PERSON_GROUP, p, image()),
        ),
        json(
            "person_group_person.add_face_from_url",
            added_face(),
            member.add_face_from_url(PERSON_GROUP, p, URL),
        ),
        json(
            "person_group_person.create",
            created_person(),
            member.create(PERSON_GROUP, "Alice"),
        ),
        empty("person_group_person.delete", member.delete(PERSON_GROUP, p)),
        empty(
            "person_group_person.delete_face",
            member.delete_face(PERSON_GROUP, p, f),
        ),
        json(
            "person_group_person.get",
            a_person(),
            member.get(PERSON_GROUP, p),
        ),
        json(
            "person_group_person.get_face",
            added_face(),
            member.get_face(PERSON_GROUP, p, f),
        ),
        json(
            "person_group_person.list",
            json!([]),
            member.list(PERSON_GROUP),
        ),
        empty(
            "person_group_person.update",
            member.update(PERSON_GROUP, p).name("Alice B."),
        ),
        empty(
            "person_group_person.update_face",
            member
                .update_face(PERSON_GROUP, p, f)
                .user_data("badge photo"),
        ),
        call(
            "session_image.get",
            Answer::Bytes(image()),
            api.session_image().get(SESSION_IMAGE),
        ),
    ]
}

/// The methods of the IR that have no call, the calls that are no method of the IR, and
/// the methods called more than once.
fn coverage(methods: &BTreeMap<String, SpecMethod>, calls: &[Call]) -> Vec<String> {
    let mut called = BTreeSet::new();
    let mut problems: Vec<String> = calls
        .iter()
        .filter(|call| !called.insert(call.key))
        .map(|call| format!("called twice: {}", call.key))
        .collect();
    problems.extend(
        methods
            .keys()
            .filter(|key| !called.contains(key.as_str()))
            .map(|key| format!("a method of {SPEC} without a call: {key}")),
    );
    problems.extend(
        called
            .iter()
            .filter(|key| !methods.contains_key(**key))
            .map(|key| format!("a call of no method of {SPEC}: {key}")),
    );
    problems
}

#[tokio::test]
async fn every_method_of_every_version_is_sent_once_or_refused_before_sending() {
    let every_method: BTreeMap<String, SpecMethod> = spec_methods(SPEC)
        .into_iter()
        .map(|method| (method.key(), method))
        .collect();
    let versions = [ServiceVersion::V1_2, ServiceVersion::V1_3Preview1];
    let listed: Vec<String> = spec_versions(SPEC)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(
        versions.map(ServiceVersion::as_str).to_vec(),
        listed,
        "the ServiceVersion variants this test calls at are the versions {SPEC} lists"
    );
    let args = path_args();
    let args: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let mut failures = Vec::new();
    for version in versions {
        let name = version.as_str();
        let methods: BTreeMap<String, SpecMethod> = spec_methods_at(SPEC, version.as_str())
            .into_iter()
            .map(|method| (method.key(), method))
            .collect();
        let server = MockServer::start().await;
        let calls = calls(&client_at_version(&server, version));
        let problems = coverage(&every_method, &calls);
        assert!(problems.is_empty(), "{problems:#?}");
        let (mut sent, mut refused) = (0, 0);
        for call in calls {
            server.reset().await;
            let method = methods.get(call.key);
            if let Some(method) = method {
                answer(&server, call.answer.response(method.status)).await;
            }
            let outcome = call.sent.await;
            let on_the_wire: Vec<(String, String)> = received(&server)
                .await
                .iter()
                .map(|request| (request.method.to_string(), request.url.path().to_owned()))
                .collect();
            sent += on_the_wire.len();
            let Some(method) = method else {
                // A method the version lacks is refused before anything is sent, naming the
                // version that has it.
                refused += 1;
                match outcome {
                    Err(Error::InvalidRequest { rule, .. })
                        if on_the_wire.is_empty() && rule.contains("is available from v") => {}
                    other => failures.push(format!(
                        "{name}: {}: expected a refusal before sending, got {other:?}, sent {on_the_wire:?}",
                        call.key
                    )),
                }
                continue;
            };
            if let Err(error) = outcome {
                failures.push(format!("{name}: {}: {error}", call.key));
            }
            let expected = (method.http_method.clone(), method.path_with(&args));
            if on_the_wire != [expected.clone()] {
                failures.push(format!(
                    "{name}: {}: expected {expected:?}, sent {on_the_wire:?}",
                    call.key
                ));
            }
        }
        println!(
            "{SPEC} at {name}: {} methods, {sent} requests sent, {refused} calls refused",
            methods.len()
        );
        assert_eq!(sent, methods.len(), "{name}");
        assert_eq!(refused, every_method.len() - methods.len(), "{name}");
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
