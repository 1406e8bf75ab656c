//! The stateful surface over raw HTTP: face lists, large face lists, person
//! groups, persons, large person groups, training, snapshots and operations.

mod common;

use common::{Client, png, start};
use face_mock::MockConfig;
use serde_json::{Value, json};

/// Checks an `Operation-Location` (a path under `/face/v1.0`) and returns it.
fn operation_path(location: &str) -> String {
    assert!(location.starts_with("/operations/"), "{location}");
    location.to_string()
}

async fn add_face(client: &Client, path: &str, person: &str, salt: &str) -> String {
    let reply = client
        .post_image(path, &png(&format!("FACE-MOCK:person={person}"), salt))
        .await;
    reply.expect(200, "");
    reply.json()["persistedFaceId"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn face_lists_keep_faces() {
    let (_server, client) = start(MockConfig::new()).await;
    client
        .put(
            "/facelists/stars",
            &json!({"name": "Stars", "userData": "x", "recognitionModel": "recognition_04"}),
        )
        .await
        .expect(200, "");
    client
        .put("/facelists/stars", &json!({"name": "Again"}))
        .await
        .expect(409, "FaceListExists");
    client
        .put("/facelists/Stars!", &json!({"name": "Bad"}))
        .await
        .expect(400, "BadArgument");
    client
        .put(
            &format!("/facelists/{}", "a".repeat(65)),
            &json!({"name": "Long"}),
        )
        .await
        .expect(400, "BadArgument");
    client
        .put("/facelists/nameless", &json!({"userData": "x"}))
        .await
        .expect(400, "BadArgument");
    client
        .put("/facelists/long-name", &json!({"name": "n".repeat(129)}))
        .await
        .expect(400, "BadArgument");
    client
        .put(
            "/facelists/bad-model",
            &json!({"name": "n", "recognitionModel": "recognition_00"}),
        )
        .await
        .expect(400, "BadArgument");

    let face = add_face(
        &client,
        "/facelists/stars/persistedfaces?userData=first",
        "alice",
        "1",
    )
    .await;
    let url_face = client
        .post(
            "/facelists/stars/persistedfaces",
            &json!({"url": "https://a.invalid/b.jpg"}),
        )
        .await;
    url_face.expect(200, "");
    client
        .post_image(
            "/facelists/stars/persistedfaces",
            &png("FACE-MOCK:faces=2", "2"),
        )
        .await
        .expect(400, "InvalidImage");
    client
        .post_image(
            "/facelists/stars/persistedfaces",
            &png("FACE-MOCK:faces=0", "3"),
        )
        .await
        .expect(400, "InvalidImage");
    client
        .post_image(
            "/facelists/stars/persistedfaces?targetFace=10,10,100,100",
            &png("FACE-MOCK:faces=2", "4"),
        )
        .await
        .expect(200, "");
    client
        .post_image(
            "/facelists/stars/persistedfaces?targetFace=1,2,3",
            &png("", "5"),
        )
        .await
        .expect(400, "BadArgument");
    client
        .post_image(
            "/facelists/stars/persistedfaces?userData="
                .to_string()
                .as_str(),
            &png("", "6"),
        )
        .await
        .expect(200, "");
    let long = format!(
        "/facelists/stars/persistedfaces?userData={}",
        "u".repeat(1025)
    );
    client
        .post_image(&long, &png("", "7"))
        .await
        .expect(400, "BadArgument");
    client
        .post_image("/facelists/nolist/persistedfaces", &png("", "8"))
        .await
        .expect(404, "FaceListNotFound");

    let got = client
        .get("/facelists/stars?returnRecognitionModel=true")
        .await;
    got.expect(200, "");
    let list = got.json();
    assert_eq!(list["faceListId"], "stars");
    assert_eq!(list["recognitionModel"], "recognition_04");
    assert_eq!(
        list["persistedFaces"][0],
        json!({"persistedFaceId": face, "userData": "first"})
    );
    assert_eq!(list["persistedFaces"].as_array().map(Vec::len), Some(4));
    assert!(
        client
            .get("/facelists/stars")
            .await
            .json()
            .get("recognitionModel")
            .is_none()
    );

    client
        .patch("/facelists/stars", &json!({"name": "Renamed"}))
        .await
        .expect(200, "");
    client
        .patch("/facelists/stars", &json!({}))
        .await
        .expect(400, "BadArgument");
    assert_eq!(
        client.get("/facelists").await.json(),
        json!([{"faceListId": "stars", "name": "Renamed", "userData": "x"}])
    );
    client
        .delete(&format!("/facelists/stars/persistedfaces/{face}"))
        .await
        .expect(200, "");
    client
        .delete(&format!("/facelists/stars/persistedfaces/{face}"))
        .await
        .expect(404, "PersistedFaceNotFound");
    client
        .delete("/facelists/stars/persistedfaces/not-a-uuid")
        .await
        .expect(404, "PersistedFaceNotFound");
    client.delete("/facelists/stars").await.expect(200, "");
    client
        .get("/facelists/stars")
        .await
        .expect(404, "FaceListNotFound");
    client
        .get("/facelists/NOT_VALID")
        .await
        .expect(404, "FaceListNotFound");
}

#[tokio::test]
async fn large_face_lists_train_before_find_similar() {
    let (_server, client) = start(MockConfig::new()).await;
    client
        .put(
            "/largefacelists/big",
            &json!({"name": "Big", "recognitionModel": "recognition_04"}),
        )
        .await
        .expect(200, "");
    let alice = add_face(&client, "/largefacelists/big/persistedfaces", "alice", "1").await;
    let bob = add_face(
        &client,
        "/largefacelists/big/persistedfaces?userData=b",
        "bob",
        "2",
    )
    .await;
    let query = client.face_ids(&png("FACE-MOCK:person=alice", "q")).await[0].clone();
    client
        .post(
            "/findsimilars",
            &json!({"faceId": query, "largeFaceListId": "big"}),
        )
        .await
        .expect(400, "LargeFaceListNotTrained");
    client
        .get("/largefacelists/big/training")
        .await
        .expect(404, "LargeFaceListNotTrained");

    let train = client
        .send("POST", "/largefacelists/big/train", &[], b"")
        .await;
    train.expect(202, "");
    assert!(train.body.is_empty());
    client
        .post(
            "/findsimilars",
            &json!({"faceId": query, "largeFaceListId": "big"}),
        )
        .await
        .expect(409, "LargeFaceListTrainingNotFinished");
    let statuses: Vec<Value> = futures_statuses(&client, "/largefacelists/big/training", 3).await;
    assert_eq!(
        statuses,
        vec![json!("notstarted"), json!("running"), json!("succeeded")]
    );
    let similar = client
        .post(
            "/findsimilars",
            &json!({"faceId": query, "largeFaceListId": "big"}),
        )
        .await;
    similar.expect(200, "");
    assert_eq!(similar.json()[0]["persistedFaceId"], json!(alice));

    let faces = client
        .get("/largefacelists/big/persistedfaces?top=1")
        .await
        .json();
    assert_eq!(faces.as_array().map(Vec::len), Some(1));
    let first = faces[0]["persistedFaceId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let rest = client
        .get(&format!("/largefacelists/big/persistedfaces?start={first}"))
        .await
        .json();
    assert_eq!(rest.as_array().map(Vec::len), Some(1));
    client
        .get("/largefacelists/big/persistedfaces?top=1001")
        .await
        .expect(400, "BadArgument");
    client
        .get(&format!(
            "/largefacelists/big/persistedfaces?start={}",
            "s".repeat(65)
        ))
        .await
        .expect(400, "BadArgument");
    client
        .patch(
            &format!("/largefacelists/big/persistedfaces/{bob}"),
            &json!({"userData": "changed"}),
        )
        .await
        .expect(200, "");
    assert_eq!(
        client
            .get(&format!("/largefacelists/big/persistedfaces/{bob}"))
            .await
            .json()["userData"],
        "changed"
    );
    client
        .patch(
            &format!("/largefacelists/big/persistedfaces/{bob}"),
            &json!({"userData": "u".repeat(1025)}),
        )
        .await
        .expect(400, "BadArgument");
    assert_eq!(
        client.get("/largefacelists").await.json()[0]["largeFaceListId"],
        "big"
    );
    assert!(
        client
            .get("/largefacelists/big")
            .await
            .json()
            .get("persistedFaces")
            .is_none()
    );
}

async fn futures_statuses(client: &Client, path: &str, reads: usize) -> Vec<Value> {
    let mut statuses = Vec::new();
    for _ in 0..reads {
        let reply = client.get(path).await;
        reply.expect(200, "");
        statuses.push(reply.json()["status"].clone());
    }
    statuses
}

#[tokio::test]
async fn person_groups_persons_and_training() {
    let (_server, client) = start(MockConfig::new()).await;
    for kind in ["persongroups", "largepersongroups"] {
        let base = format!("/{kind}/team");
        client
            .put(
                &base,
                &json!({"name": "Team", "recognitionModel": "recognition_04"}),
            )
            .await
            .expect(200, "");
        let created = client
            .post(
                &format!("{base}/persons"),
                &json!({"name": "Alice", "userData": "a"}),
            )
            .await;
        created.expect(200, "");
        let person = created.json()["personId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let face = add_face(
            &client,
            &format!("{base}/persons/{person}/persistedfaces?userData=f"),
            "alice",
            kind,
        )
        .await;
        let got = client.get(&format!("{base}/persons/{person}")).await.json();
        assert_eq!(
            got,
            json!({"personId": person, "name": "Alice", "userData": "a", "persistedFaceIds": [face]})
        );
        assert_eq!(
            client
                .get(&format!("{base}/persons/{person}/persistedfaces/{face}"))
                .await
                .json()["userData"],
            "f"
        );
        client
            .patch(
                &format!("{base}/persons/{person}/persistedfaces/{face}"),
                &json!({"userData": "g"}),
            )
            .await
            .expect(200, "");
        client
            .patch(
                &format!("{base}/persons/{person}"),
                &json!({"name": "Alicia"}),
            )
            .await
            .expect(200, "");
        assert_eq!(
            client.get(&format!("{base}/persons?top=10")).await.json()[0]["name"],
            "Alicia"
        );

        let query = client.face_ids(&png("FACE-MOCK:person=alice", "q")).await[0].clone();
        let id_field = if kind == "persongroups" {
            "personGroupId"
        } else {
            "largePersonGroupId"
        };
        let prefix = if kind == "persongroups" {
            "PersonGroup"
        } else {
            "LargePersonGroup"
        };
        client
            .post("/identify", &json!({"faceIds": [query], id_field: "team"}))
            .await
            .expect(400, &format!("{prefix}NotTrained"));
        client
            .get(&format!("{base}/training"))
            .await
            .expect(404, &format!("{prefix}NotTrained"));
        let train = client
            .send("POST", &format!("{base}/train"), &[], b"")
            .await;
        train.expect(202, "");
        let operation = operation_path(train.header("operation-location").unwrap_or_default());
        client
            .delete(&base)
            .await
            .expect(409, &format!("{prefix}TrainingNotFinished"));
        let statuses = futures_statuses(&client, &operation, 3).await;
        assert_eq!(
            statuses,
            vec![json!("notstarted"), json!("running"), json!("succeeded")]
        );
        let training = client.get(&format!("{base}/training")).await.json();
        assert_eq!(training["status"], "succeeded");
        assert!(
            training["lastSuccessfulTrainingDateTime"].is_string()
                && training["createdDateTime"].is_string()
        );
        let identified = client
            .post("/identify", &json!({"faceIds": [query], id_field: "team"}))
            .await;
        identified.expect(200, "");
        assert_eq!(
            identified.json()[0]["candidates"][0]["personId"],
            json!(person)
        );

        client
            .delete(&format!("{base}/persons/{person}/persistedfaces/{face}"))
            .await
            .expect(200, "");
        client
            .delete(&format!("{base}/persons/{person}"))
            .await
            .expect(200, "");
        client
            .get(&format!("{base}/persons/{person}"))
            .await
            .expect(404, "PersonNotFound");
        client
            .get(&format!("{base}/persons/not-a-uuid"))
            .await
            .expect(404, "PersonNotFound");
        client
            .post(&format!("/{kind}/ghost/persons"), &json!({"name": "x"}))
            .await
            .expect(404, &format!("{prefix}NotFound"));
        assert_eq!(
            client
                .get(&format!("/{kind}?returnRecognitionModel=true"))
                .await
                .json()[0]["recognitionModel"],
            "recognition_04"
        );
        client.delete(&base).await.expect(200, "");
        client
            .get(&base)
            .await
            .expect(404, &format!("{prefix}NotFound"));
    }
}

#[tokio::test]
async fn snapshots_copy_groups_and_lists() {
    let (server, client) = start(MockConfig::new().with_training_polls(0)).await;
    client
        .put("/persongroups/source", &json!({"name": "Source"}))
        .await
        .expect(200, "");
    let person = client
        .post("/persongroups/source/persons", &json!({"name": "Alice"}))
        .await
        .json()["personId"]
        .clone();
    let scope = server.account_id().to_string();
    let take = json!({"type": "PersonGroup", "objectId": "source", "applyScope": [scope], "userData": "backup"});
    let taken = client.post("/snapshots", &take).await;
    taken.expect(202, "");
    let status = client
        .get(&operation_path(
            taken.header("operation-location").unwrap_or_default(),
        ))
        .await
        .json();
    assert_eq!(status["status"], "succeeded");
    let location = status["resourceLocation"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let snapshot_id = location.trim_start_matches("/snapshots/").to_string();
    let snapshot = client.get(&location).await.json();
    assert_eq!(snapshot["type"], "PersonGroup");
    assert_eq!(snapshot["applyScope"], json!([scope]));
    assert_eq!(snapshot["account"], json!(scope));
    assert_eq!(
        client
            .get("/snapshots?type=PersonGroup")
            .await
            .json()
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        client.get("/snapshots?type=FaceList").await.json(),
        json!([])
    );
    client
        .patch(&location, &json!({"userData": "renamed"}))
        .await
        .expect(200, "");

    let applied = client
        .post(&format!("{location}/apply"), &json!({"objectId": "copy"}))
        .await;
    applied.expect(202, "");
    let status = client
        .get(&operation_path(
            applied.header("operation-location").unwrap_or_default(),
        ))
        .await
        .json();
    assert_eq!(status["resourceLocation"], "/persongroups/copy");
    assert_eq!(
        client.get("/persongroups/copy/persons").await.json()[0]["personId"],
        person
    );
    client
        .get("/persongroups/copy/training")
        .await
        .expect(404, "PersonGroupNotTrained");
    client
        .post(&format!("{location}/apply"), &json!({"objectId": "copy"}))
        .await
        .expect(409, "PersonGroupExists");
    client
        .post(
            &format!("{location}/apply"),
            &json!({"objectId": "other", "mode": "Merge"}),
        )
        .await
        .expect(400, "BadArgument");
    client
        .post(
            "/snapshots",
            &json!({"type": "PersonGroup", "objectId": "missing", "applyScope": [scope]}),
        )
        .await
        .expect(404, "PersonGroupNotFound");
    client
        .post(
            "/snapshots",
            &json!({"type": "Planet", "objectId": "source", "applyScope": [scope]}),
        )
        .await
        .expect(400, "BadArgument");
    client
        .post(
            "/snapshots",
            &json!({"type": "PersonGroup", "objectId": "source"}),
        )
        .await
        .expect(400, "BadArgument");
    client.delete(&location).await.expect(200, "");
    client.get(&location).await.expect(404, "SnapshotNotFound");
    client
        .get(&format!("/snapshots/{snapshot_id}x"))
        .await
        .expect(404, "SnapshotNotFound");
    client
        .get("/operations/11111111-1111-4111-8111-111111111111")
        .await
        .expect(404, "OperationNotFound");
}

/// An update may leave the name as it is, but may not empty it: the service
/// answers as create does, so a later list never shows a nameless container.
#[tokio::test]
async fn updates_refuse_an_empty_name() {
    let (_server, client) = start(MockConfig::new()).await;
    for base in [
        "/facelists",
        "/largefacelists",
        "/persongroups",
        "/largepersongroups",
    ] {
        let path = format!("{base}/named");
        client
            .put(&path, &json!({"name": "Named"}))
            .await
            .expect(200, "");
        client
            .patch(&path, &json!({"name": ""}))
            .await
            .expect(400, "BadArgument");
        client
            .patch(&path, &json!({"userData": "kept"}))
            .await
            .expect(200, "");
        let listed = client.get(base).await.json();
        assert_eq!(listed[0]["name"], json!("Named"), "{base}");
    }
}
