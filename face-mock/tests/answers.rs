//! Every operation of every version the emulator serves, driven once with a request that
//! succeeds: each answer has the success status the spec states, the headers its success
//! response declares, and a body that fits the response schema (no property the schema does
//! not name, every required one, every value of its type and enum). The expectations come
//! from the generator's IR, never from the emulator's tables.

mod common;

use std::collections::BTreeSet;

use codegen::ir::{Api, ModelKind, ResponseBody, TypeRef};
use common::{Client, Reply, base_path_at, ir, jpeg, png, routes, start};
use face_mock::{LivenessAttempt, MockConfig, MockServer};
use serde_json::{Value, json};

/// A request body.
enum Body {
    None,
    Json(Value),
    Image(Vec<u8>),
    Form(String, Vec<u8>),
}

/// Sends requests to one version and checks each answer against that version's IR.
struct Driver<'a> {
    client: &'a Client,
    /// The API as the driven version sees it (`Api::at_version`).
    api: Api,
    /// The base path of the driven version.
    base_path: String,
    seen: BTreeSet<String>,
    /// The account of the key, which a snapshot's apply scope names.
    scope: String,
}

impl Driver<'_> {
    fn has(&self, operation: &str) -> bool {
        routes(&self.api).iter().any(|(id, _, _)| id == operation)
    }

    /// Calls `operation` at `path` (under the base path, query included) and checks its answer.
    async fn call(&mut self, operation: &str, path: &str, body: Body) -> Reply {
        let method = self
            .api
            .groups
            .iter()
            .flat_map(|group| &group.methods)
            .find(|method| method.operation_id == operation)
            .unwrap_or_else(|| panic!("{operation} is in the spec"))
            .clone();
        let verb = format!("{:?}", method.http_method).to_ascii_uppercase();
        let full = format!("{}{path}", self.base_path);
        let reply = match body {
            Body::None => self.client.send_to(&verb, &full, &[], b"").await,
            Body::Json(value) => {
                let bytes = serde_json::to_vec(&value).unwrap_or_default();
                let headers = [("Content-Type", "application/json")];
                self.client.send_to(&verb, &full, &headers, &bytes).await
            }
            Body::Image(bytes) => {
                let headers = [("Content-Type", "application/octet-stream")];
                self.client.send_to(&verb, &full, &headers, &bytes).await
            }
            Body::Form(content_type, bytes) => {
                let headers = [("Content-Type", content_type.as_str())];
                self.client.send_to(&verb, &full, &headers, &bytes).await
            }
        };
        assert_eq!(
            reply.status,
            method.response.status,
            "{operation} {verb} {full}: {}",
            String::from_utf8_lossy(&reply.body)
        );
        for header in &method.response.headers {
            assert!(
                reply.header(header).is_some_and(|value| !value.is_empty()),
                "{operation}: the header {header} the spec declares is missing"
            );
        }
        match &method.response.body {
            ResponseBody::Json(ty) => {
                let body: Value = serde_json::from_slice(&reply.body)
                    .unwrap_or_else(|_| panic!("{operation}: the answer is JSON"));
                if let Err(problem) = fits(&self.api, &body, ty, false, "$") {
                    panic!("{operation}: {problem}\n{body}");
                }
            }
            ResponseBody::Empty => assert!(reply.body.is_empty(), "{operation}: no body"),
            ResponseBody::Binary => assert!(!reply.body.is_empty(), "{operation}: bytes"),
        }
        self.seen.insert(operation.to_owned());
        reply
    }

    /// Every operation of the spec was called.
    fn assert_all_called(&self) {
        let all: BTreeSet<String> = routes(&self.api).into_iter().map(|(id, _, _)| id).collect();
        let missed: Vec<_> = all.difference(&self.seen).collect();
        assert!(
            missed.is_empty(),
            "{}: not driven: {missed:?}",
            self.base_path
        );
    }
}

/// Whether `value` fits the type `ty` of the IR (`nullable`: `null` is allowed).
fn fits(api: &Api, value: &Value, ty: &TypeRef, nullable: bool, at: &str) -> Result<(), String> {
    let wrong = |what: &str| Err(format!("{at}: {value} is not {what}"));
    if value.is_null() {
        return if nullable {
            Ok(())
        } else {
            wrong("allowed to be null")
        };
    }
    match ty {
        TypeRef::Bool => value
            .as_bool()
            .map_or_else(|| wrong("a boolean"), |_| Ok(())),
        TypeRef::I32 | TypeRef::I64 => value
            .as_i64()
            .map_or_else(|| wrong("an integer"), |_| Ok(())),
        TypeRef::F32 | TypeRef::F64 => value.as_f64().map_or_else(|| wrong("a number"), |_| Ok(())),
        TypeRef::String | TypeRef::Binary => {
            value.as_str().map_or_else(|| wrong("a string"), |_| Ok(()))
        }
        TypeRef::Uuid => match value.as_str().map(uuid::Uuid::parse_str) {
            Some(Ok(_)) => Ok(()),
            _ => wrong("a UUID"),
        },
        TypeRef::DateTime => match value.as_str().map(chrono::DateTime::parse_from_rfc3339) {
            Some(Ok(_)) => Ok(()),
            _ => wrong("a date-time"),
        },
        TypeRef::Json => Ok(()),
        TypeRef::Id { .. } | TypeRef::AllOr { .. } => fits(api, value, &ty.wire(), nullable, at),
        TypeRef::Array(items) => {
            let Some(array) = value.as_array() else {
                return wrong("an array");
            };
            for (index, item) in array.iter().enumerate() {
                fits(api, item, items, false, &format!("{at}[{index}]"))?;
            }
            Ok(())
        }
        TypeRef::Model(name) => {
            let model = api
                .models
                .iter()
                .find(|model| &model.name == name)
                .ok_or_else(|| format!("{at}: no model {name}"))?;
            match &model.kind {
                ModelKind::Alias(ty) => fits(api, value, ty, nullable, at),
                ModelKind::Enum(values) => match value.as_str() {
                    Some(text) if values.variants.iter().any(|variant| variant.wire == text) => {
                        Ok(())
                    }
                    _ => wrong(&format!("a value of {name}")),
                },
                ModelKind::Struct(object) => {
                    let Some(map) = value.as_object() else {
                        return wrong(&format!("a {name} object"));
                    };
                    if let Some(unknown) = map
                        .keys()
                        .find(|key| !object.fields.iter().any(|field| &field.name.wire == *key))
                    {
                        return Err(format!("{at}: {unknown} is not a property of {name}"));
                    }
                    for field in &object.fields {
                        let wire = &field.name.wire;
                        match map.get(wire) {
                            Some(value) => {
                                fits(
                                    api,
                                    value,
                                    &field.ty,
                                    field.nullable,
                                    &format!("{at}.{wire}"),
                                )?;
                            }
                            None if field.required => {
                                return Err(format!(
                                    "{at}: the required {wire} of {name} is missing"
                                ));
                            }
                            None => {}
                        }
                    }
                    Ok(())
                }
            }
        }
    }
}

/// A multipart form with text fields and a `verifyImage` file part.
fn form(fields: &[(&str, &str)], image: &[u8]) -> Body {
    let boundary = "answers-boundary-5e1f";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"verifyImage\"; filename=\"me.jpg\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(image);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Body::Form(format!("multipart/form-data; boundary={boundary}"), body)
}

fn text(reply: &Reply, key: &str) -> String {
    reply.json()[key].as_str().unwrap_or_default().to_owned()
}

fn face(who: &str, salt: &str) -> Body {
    Body::Image(png(&format!("FACE-MOCK:person={who}"), salt))
}

/// Face lists and large face lists, then find similar against each.
async fn lists(driver: &mut Driver<'_>, faces: &[String]) {
    for (kind, path) in [
        ("FaceList", "facelists"),
        ("LargeFaceList", "largefacelists"),
    ] {
        let one = format!("/{path}/answers");
        let op = |name: &str| format!("{kind}_{name}");
        let create = json!({"name": "Answers", "recognitionModel": "recognition_04"});
        driver.call(&op("Create"), &one, Body::Json(create)).await;
        driver
            .call(
                &op("Get"),
                &format!("{one}?returnRecognitionModel=true"),
                Body::None,
            )
            .await;
        driver
            .call(&op("Update"), &one, Body::Json(json!({"name": "Renamed"})))
            .await;
        driver
            .call(
                &op("List"),
                &format!("/{path}?returnRecognitionModel=true"),
                Body::None,
            )
            .await;
        let added = driver
            .call(
                &op("AddFace"),
                &format!("{one}/persistedfaces?userData=u"),
                face("alice", "l"),
            )
            .await;
        let persisted = text(&added, "persistedFaceId");
        let face_path = format!("{one}/persistedfaces/{persisted}");
        if driver.has(&op("GetFace")) {
            driver.call(&op("GetFace"), &face_path, Body::None).await;
            driver
                .call(
                    &op("UpdateFace"),
                    &face_path,
                    Body::Json(json!({"userData": "v"})),
                )
                .await;
            driver
                .call(
                    &op("ListFaces"),
                    &format!("{one}/persistedfaces"),
                    Body::None,
                )
                .await;
        }
        if driver.has(&op("Train")) {
            driver
                .call(&op("Train"), &format!("{one}/train"), Body::None)
                .await;
            driver
                .call(
                    &op("GetTrainingStatus"),
                    &format!("{one}/training"),
                    Body::None,
                )
                .await;
        }
        let id_field = if kind == "FaceList" {
            "faceListId"
        } else {
            "largeFaceListId"
        };
        let similar = json!({"faceId": faces[0], id_field: "answers"});
        driver
            .call("Face_FindSimilar", "/findsimilars", Body::Json(similar))
            .await;
        driver.call(&op("DeleteFace"), &face_path, Body::None).await;
        driver.call(&op("Delete"), &one, Body::None).await;
    }
}

/// Person groups and large person groups with their persons, then identify and verify.
async fn groups(driver: &mut Driver<'_>, faces: &[String]) {
    for (kind, path, id_field) in [
        ("PersonGroup", "persongroups", "personGroupId"),
        (
            "LargePersonGroup",
            "largepersongroups",
            "largePersonGroupId",
        ),
    ] {
        let one = format!("/{path}/answers");
        let op = |name: &str| format!("{kind}_{name}");
        let person_op = |name: &str| format!("{kind}Person_{name}");
        let create = json!({"name": "Answers", "recognitionModel": "recognition_04"});
        driver.call(&op("Create"), &one, Body::Json(create)).await;
        driver
            .call(
                &op("Get"),
                &format!("{one}?returnRecognitionModel=true"),
                Body::None,
            )
            .await;
        driver
            .call(&op("Update"), &one, Body::Json(json!({"userData": "u"})))
            .await;
        driver
            .call(
                &op("List"),
                &format!("/{path}?returnRecognitionModel=true"),
                Body::None,
            )
            .await;
        let created = driver
            .call(
                &person_op("Create"),
                &format!("{one}/persons"),
                Body::Json(json!({"name": "Alice"})),
            )
            .await;
        let person = format!("{one}/persons/{}", text(&created, "personId"));
        driver
            .call(&person_op("List"), &format!("{one}/persons"), Body::None)
            .await;
        driver.call(&person_op("Get"), &person, Body::None).await;
        driver
            .call(
                &person_op("Update"),
                &person,
                Body::Json(json!({"userData": "p"})),
            )
            .await;
        let added = driver
            .call(
                &person_op("AddFace"),
                &format!("{person}/persistedfaces"),
                face("alice", "g"),
            )
            .await;
        let face_path = format!(
            "{person}/persistedfaces/{}",
            text(&added, "persistedFaceId")
        );
        driver
            .call(&person_op("GetFace"), &face_path, Body::None)
            .await;
        driver
            .call(
                &person_op("UpdateFace"),
                &face_path,
                Body::Json(json!({"userData": "f"})),
            )
            .await;
        driver
            .call(&op("Train"), &format!("{one}/train"), Body::None)
            .await;
        driver
            .call(
                &op("GetTrainingStatus"),
                &format!("{one}/training"),
                Body::None,
            )
            .await;
        let identify = json!({"faceIds": [faces[0]], id_field: "answers"});
        driver
            .call("Face_Identify", "/identify", Body::Json(identify))
            .await;
        let person_id = created.json()["personId"].clone();
        let verify = json!({"faceId": faces[0], id_field: "answers", "personId": person_id});
        driver
            .call("Face_Verify", "/verify", Body::Json(verify))
            .await;
        driver
            .call(&person_op("DeleteFace"), &face_path, Body::None)
            .await;
        driver.call(&person_op("Delete"), &person, Body::None).await;
        if kind == "PersonGroup" && driver.has("Snapshot_Take") {
            snapshots(driver).await;
        }
        driver.call(&op("Delete"), &one, Body::None).await;
    }
}

/// Snapshots of the person group `answers` and the operations that follow them.
async fn snapshots(driver: &mut Driver<'_>) {
    let scope = driver.scope.clone();
    let take = json!({"type": "PersonGroup", "objectId": "answers", "applyScope": [scope]});
    let taken = driver
        .call("Snapshot_Take", "/snapshots", Body::Json(take))
        .await;
    let location = taken
        .header("operation-location")
        .unwrap_or_default()
        .to_owned();
    let status = driver
        .call("Snapshot_GetOperationStatus", &location, Body::None)
        .await;
    let snapshot = text(&status, "resourceLocation");
    driver.call("Snapshot_List", "/snapshots", Body::None).await;
    driver.call("Snapshot_Get", &snapshot, Body::None).await;
    driver
        .call(
            "Snapshot_Update",
            &snapshot,
            Body::Json(json!({"userData": "s"})),
        )
        .await;
    let apply = json!({"objectId": "answers-copy"});
    driver
        .call(
            "Snapshot_Apply",
            &format!("{snapshot}/apply"),
            Body::Json(apply),
        )
        .await;
    driver.call("Snapshot_Delete", &snapshot, Body::None).await;
}

/// The liveness settings and the client assets token, where the version has them; abuse
/// monitoring is left on, so that the sessions made next answer what it adds.
async fn settings(driver: &mut Driver<'_>) {
    driver
        .call("LivenessSession_GetSettings", "/settings", Body::None)
        .await;
    let on = json!({"livenessAbuseMonitoring": {"enabled": true}});
    driver
        .call(
            "LivenessSession_UpdateSettings",
            "/settings",
            Body::Json(on),
        )
        .await;
    driver
        .call(
            "LivenessSession_GetClientAssetsAccessToken",
            "/settings/getClientAssetsAccessToken",
            Body::None,
        )
        .await;
}

/// Whether the body of `operation` at the driven version has the property or form part `name`.
fn takes(api: &Api, operation: &str, name: &str) -> bool {
    api.groups
        .iter()
        .flat_map(|group| &group.methods)
        .filter(|method| method.operation_id == operation)
        .any(|method| match &method.body {
            Some(codegen::ir::Body::Json { fields, .. }) => {
                fields.iter().any(|field| field.name.wire == name)
            }
            Some(codegen::ir::Body::Multipart { parts }) => {
                parts.iter().any(|part| part.param.name.wire == name)
            }
            _ => false,
        })
}

/// Liveness sessions and liveness-with-verify sessions, with the image one keeps; with what a
/// later version adds (attempts allowed, the expected client address) where the version has it.
async fn liveness(driver: &mut Driver<'_>, server: &MockServer) {
    let mut create = json!({"livenessOperationMode": "Passive", "deviceCorrelationId": "device-1"});
    for (name, value) in [
        ("numberOfClientAttemptsAllowed", json!(2)),
        ("expectedClientIpAddress", json!("203.0.113.0/24")),
    ] {
        if takes(&driver.api, "LivenessSession_Create", name) {
            create[name] = value;
        }
    }
    let created = driver
        .call(
            "LivenessSession_Create",
            "/detectLiveness-sessions",
            Body::Json(create),
        )
        .await;
    let id = text(&created, "sessionId");
    server
        .finish_liveness_session(&id, LivenessAttempt::real().from_address("203.0.113.7"))
        .expect("the session exists");
    let session = format!("/detectLiveness-sessions/{id}");
    driver
        .call("LivenessSession_GetResult", &session, Body::None)
        .await;
    driver
        .call("LivenessSession_Delete", &session, Body::None)
        .await;

    let mut fields = vec![
        ("livenessOperationMode", "Passive"),
        ("deviceCorrelationId", "device-1"),
        ("enableSessionImage", "true"),
    ];
    if takes(
        &driver.api,
        "LivenessWithVerifySession_Create",
        "numberOfClientAttemptsAllowed",
    ) {
        fields.push(("numberOfClientAttemptsAllowed", "3"));
    }
    let image = jpeg("FACE-MOCK:person=alice", "ref");
    let created = driver
        .call(
            "LivenessWithVerifySession_Create",
            "/detectLivenessWithVerify-sessions",
            form(&fields, &image),
        )
        .await;
    let id = text(&created, "sessionId");
    server
        .finish_liveness_session(&id, LivenessAttempt::real().showing("alice"))
        .expect("the session exists");
    let session = format!("/detectLivenessWithVerify-sessions/{id}");
    let read = driver
        .call("LivenessWithVerifySession_GetResult", &session, Body::None)
        .await;
    let image_id = read.json()["results"]["attempts"][0]["result"]["sessionImageId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    driver
        .call(
            "SessionImage_Get",
            &format!("/sessionImages/{image_id}"),
            Body::None,
        )
        .await;
    driver
        .call("LivenessWithVerifySession_Delete", &session, Body::None)
        .await;
}

/// Every version of every spec, as `(the API at that version, its base path)`, from the IR:
/// a spec that lists no versions is one, under its base path.
fn every_version() -> Vec<(Api, String)> {
    let mut versions = Vec::new();
    for file in ["face.yaml", "face-v1.2.yaml"] {
        let api = ir(file);
        if api.versions.is_empty() {
            let base_path = api.base_path.clone();
            versions.push((api, base_path));
            continue;
        }
        for version in &api.versions {
            let at = api.at_version(version).expect("the spec lists the version");
            versions.push((at, base_path_at(&api, version)));
        }
    }
    versions
}

#[tokio::test]
async fn every_operation_of_every_version_answers_as_its_spec_states() {
    let (server, client) = start(MockConfig::new().with_training_polls(0)).await;
    let versions = every_version();
    let listed = ir("face-v1.2.yaml").versions.len();
    assert_eq!(
        versions.len(),
        1 + listed,
        "v1.0 and each version of v1.2's"
    );
    let mut driven = Vec::new();
    for (api, base_path) in versions {
        let mut driver = Driver {
            client: &client,
            api,
            base_path,
            seen: BTreeSet::new(),
            scope: server.account_id().to_string(),
        };
        let detected = driver
            .call(
                "Face_Detect",
                "/detect?returnFaceId=true&recognitionModel=recognition_04&returnRecognitionModel=true",
                face("alice", "d1"),
            )
            .await;
        let mut faces = vec![
            detected.json()[0]["faceId"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        ];
        for (who, salt) in [("alice", "d2"), ("bob", "d3")] {
            let headers = [("Content-Type", "application/octet-stream")];
            let reply = client
                .send_to(
                    "POST",
                    &format!(
                        "{}/detect?returnFaceId=true&recognitionModel=recognition_04",
                        driver.base_path
                    ),
                    &headers,
                    &png(&format!("FACE-MOCK:person={who}"), salt),
                )
                .await;
            faces.push(
                reply.json()[0]["faceId"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            );
        }
        driver
            .call(
                "Face_Verify",
                "/verify",
                Body::Json(json!({"faceId1": faces[0], "faceId2": faces[1]})),
            )
            .await;
        driver
            .call(
                "Face_Group",
                "/group",
                Body::Json(json!({"faceIds": faces})),
            )
            .await;
        lists(&mut driver, &faces).await;
        groups(&mut driver, &faces).await;
        if driver.has("LivenessSession_GetSettings") {
            settings(&mut driver).await;
        }
        if driver.has("LivenessSession_Create") {
            liveness(&mut driver, &server).await;
        }
        driver.assert_all_called();
        driven.push((driver.base_path.clone(), driver.seen.len()));
    }
    let counts: Vec<usize> = every_version()
        .iter()
        .map(|(api, _)| routes(api).len())
        .collect();
    assert_eq!(
        driven.iter().map(|(_, count)| *count).collect::<Vec<_>>(),
        counts,
        "every operation of every version, by the IR's count: {driven:?}"
    );
}
