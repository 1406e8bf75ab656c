//! The seven face operations over raw HTTP: detect (URL and bytes), find similar, group, identify, verify.

mod common;

use std::time::{Duration, SystemTime};

use common::{jpeg, png, start};
use face_mock::{Clock, MockConfig, Seed};
use serde_json::{Value, json};

fn seed() -> Seed {
    Seed::from_json(
        r#"{
          "personGroups": [{
            "personGroupId": "friends", "recognitionModel": "recognition_04",
            "persons": [
              {"personId": "00000000-0000-4000-8000-00000000a11c", "name": "Alice", "faces": [{"person": "alice"}, {"person": "alice"}]},
              {"personId": "00000000-0000-4000-8000-000000000b0b", "name": "Bob", "faces": [{"person": "bob"}]},
              {"personId": "00000000-0000-4000-8000-000000000000", "name": "Nobody"}
            ]
          }, {"personGroupId": "untrained", "recognitionModel": "recognition_04", "trained": false}],
          "largePersonGroups": [{"largePersonGroupId": "staff", "recognitionModel": "recognition_04",
            "persons": [{"name": "Carol", "faces": [{"person": "carol"}]}]}],
          "faceLists": [{"faceListId": "celebs", "recognitionModel": "recognition_04",
            "faces": [{"person": "alice", "persistedFaceId": "00000000-0000-4000-8000-0000000000f1"}, {"person": "dave"}]},
            {"faceListId": "empty", "recognitionModel": "recognition_04"}]
        }"#,
    )
    .expect("the seed parses")
}

#[tokio::test]
async fn detect_from_bytes_is_deterministic_and_follows_the_query() {
    let (_server, client) = start(MockConfig::new()).await;
    let image = png("FACE-MOCK:faces=2", "a");
    let first = client.post_image("/detect", &image).await;
    first.expect(200, "");
    let faces = first.json();
    assert_eq!(faces.as_array().map(Vec::len), Some(2));
    assert!(faces[0]["faceId"].is_string());
    assert!(faces[0].get("faceLandmarks").is_none() && faces[0].get("faceAttributes").is_none());
    assert!(faces[0].get("recognitionModel").is_none());
    let area = |face: &Value| {
        face["faceRectangle"]["width"].as_u64().unwrap_or(0)
            * face["faceRectangle"]["height"].as_u64().unwrap_or(0)
    };
    assert!(area(&faces[0]) >= area(&faces[1]), "largest face first");

    let again = client.post_image("/detect", &image).await.json();
    assert_eq!(again[0]["faceRectangle"], faces[0]["faceRectangle"]);
    assert_ne!(
        again[0]["faceId"], faces[0]["faceId"],
        "each detection makes new face ids"
    );
    let other = client
        .post_image("/detect", &png("FACE-MOCK:faces=2", "b"))
        .await
        .json();
    assert_ne!(other[0]["faceRectangle"], faces[0]["faceRectangle"]);

    let query = "/detect?returnFaceId=false&returnFaceLandmarks=true&returnFaceAttributes=age,glasses,headPose&returnRecognitionModel=true&recognitionModel=recognition_03";
    let detailed = client.post_image(query, &jpeg("", "c")).await;
    detailed.expect(200, "");
    let face = &detailed.json()[0];
    assert!(face.get("faceId").is_none());
    assert_eq!(face["recognitionModel"], "recognition_03");
    assert_eq!(
        face["faceLandmarks"].as_object().map(serde_json::Map::len),
        Some(27)
    );
    let mut keys: Vec<&String> = face["faceAttributes"]
        .as_object()
        .map(|map| map.keys().collect())
        .unwrap_or_default();
    keys.sort();
    assert_eq!(keys, vec!["age", "glasses", "headPose"]);

    let masked = client.post_image("/detect?detectionModel=detection_03&recognitionModel=recognition_04&returnFaceAttributes=mask,qualityForRecognition", &jpeg("", "d")).await;
    masked.expect(200, "");
    assert!(masked.json()[0]["faceAttributes"]["mask"]["type"].is_string());
    let none = client
        .post_image("/detect", &png("FACE-MOCK:faces=0", "e"))
        .await;
    assert_eq!(none.json(), json!([]));
}

#[tokio::test]
async fn detect_from_url_reads_the_tag_without_network() {
    let (_server, client) = start(MockConfig::new()).await;
    let url = json!({"url": "https://images.invalid/group.jpg?FACE-MOCK:person%3Dalice,bob"});
    let reply = client.post("/detect", &url).await;
    reply.expect(200, "");
    assert_eq!(reply.json().as_array().map(Vec::len), Some(2));
    let same = client.post("/detect", &url).await.json();
    assert_eq!(same[1]["faceRectangle"], reply.json()[1]["faceRectangle"]);
    client
        .post("/detect", &json!({"url": "ftp://images.invalid/a.jpg"}))
        .await
        .expect(400, "InvalidURL");
    client
        .post("/detect", &json!({"url": "not a url"}))
        .await
        .expect(400, "InvalidURL");
    client
        .post("/detect", &json!({"link": "https://a.invalid/x.jpg"}))
        .await
        .expect(400, "BadArgument");
    client
        .post("/detect", &json!({"url": 5}))
        .await
        .expect(400, "BadArgument");
}

#[tokio::test]
async fn detect_rejects_what_the_service_rejects() {
    let (_server, client) = start(MockConfig::new()).await;
    let image = png("", "x");
    client
        .post_image("/detect", &image[..1000])
        .await
        .expect(400, "InvalidImageSize");
    let mut huge = png("", "big");
    huge.resize(6 * 1024 * 1024 + 10, 0);
    client
        .post_image("/detect", &huge)
        .await
        .expect(400, "InvalidImageSize");
    client
        .post_image("/detect", &[b'x'; 4096])
        .await
        .expect(400, "InvalidImage");
    let gif = [b"GIF89a".as_slice(), &[0u8; 2000]].concat();
    client.post_image("/detect", &gif).await.expect(200, "");
    let bmp = [b"BM".as_slice(), &[0u8; 2000]].concat();
    client.post_image("/detect", &bmp).await.expect(200, "");
    let text = client
        .send(
            "POST",
            "/detect",
            &[("Content-Type", "text/plain")],
            b"hello",
        )
        .await;
    text.expect(415, "BadArgument");
    for query in [
        "returnFaceAttributes=age,wisdom",
        "returnFaceAttributes=mask",
        "detectionModel=detection_02&returnFaceAttributes=age",
        "detectionModel=detection_02&returnFaceLandmarks=true",
        "detectionModel=detection_03&returnFaceAttributes=age",
        "returnFaceAttributes=qualityForRecognition&recognitionModel=recognition_02",
        "faceIdTimeToLive=59",
        "faceIdTimeToLive=86401",
        "faceIdTimeToLive=ten",
        "returnFaceId=maybe",
        "recognitionModel=recognition_99",
        "detectionModel=detection_9",
    ] {
        let reply = client.post_image(&format!("/detect?{query}"), &image).await;
        assert_eq!(
            (reply.status, reply.code()),
            (400, "BadArgument".to_string()),
            "{query}"
        );
    }
    client
        .send(
            "POST",
            "/detect",
            &[("Content-Type", "application/json")],
            b"{\"url\": ",
        )
        .await
        .expect(400, "BadArgument");
}

#[tokio::test]
async fn face_ids_expire_after_their_time_to_live() {
    let clock = Clock::manual(SystemTime::UNIX_EPOCH + Duration::from_hours(500_000));
    let (server, client) = start(MockConfig::new().with_clock(clock)).await;
    let reply = client
        .post_image(
            "/detect?faceIdTimeToLive=60",
            &png("FACE-MOCK:person=alice", "1"),
        )
        .await;
    let short = reply.json()[0]["faceId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let long = client.face_ids(&png("FACE-MOCK:person=alice", "2")).await;
    let reply = client
        .post_image(
            "/detect?faceIdTimeToLive=60&recognitionModel=recognition_04",
            &png("FACE-MOCK:person=alice", "3"),
        )
        .await;
    let short_04 = reply.json()[0]["faceId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    client
        .post("/verify", &json!({"faceId1": short_04, "faceId2": long[0]}))
        .await
        .expect(200, "");
    server.clock().advance(Duration::from_secs(61));
    client
        .post("/verify", &json!({"faceId1": short_04, "faceId2": long[0]}))
        .await
        .expect(404, "FaceNotFound");
    client
        .post("/group", &json!({"faceIds": [short, long[0]]}))
        .await
        .expect(400, "FaceNotFound");
}

#[tokio::test]
async fn find_similar_ranks_candidates() {
    let (_server, client) = start(MockConfig::new().with_seed(seed())).await;
    let query = client.face_ids(&png("FACE-MOCK:person=alice", "q")).await[0].clone();
    let alice = client.face_ids(&jpeg("FACE-MOCK:person=alice", "2")).await[0].clone();
    let bob = client.face_ids(&jpeg("FACE-MOCK:person=bob", "3")).await[0].clone();

    let reply = client
        .post(
            "/findsimilars",
            &json!({"faceId": query, "faceIds": [bob, alice]}),
        )
        .await;
    reply.expect(200, "");
    let similar = reply.json();
    assert_eq!(
        similar.as_array().map(Vec::len),
        Some(1),
        "matchPerson keeps only the same person: {similar}"
    );
    assert_eq!(similar[0]["faceId"], json!(alice));
    assert!(similar[0]["confidence"].as_f64().unwrap_or(0.0) > 0.8);

    let all = client
        .post(
            "/findsimilars",
            &json!({"faceId": query, "faceIds": [bob, alice], "mode": "matchFace"}),
        )
        .await
        .json();
    assert_eq!(all.as_array().map(Vec::len), Some(2));
    assert_eq!(all[0]["faceId"], json!(alice), "most similar first");
    let one = client.post("/findsimilars", &json!({"faceId": query, "faceIds": [bob, alice], "mode": "matchFace", "maxNumOfCandidatesReturned": 1})).await.json();
    assert_eq!(one.as_array().map(Vec::len), Some(1));

    let listed = client
        .post(
            "/findsimilars",
            &json!({"faceId": query, "faceListId": "celebs"}),
        )
        .await;
    listed.expect(200, "");
    assert_eq!(
        listed.json()[0]["persistedFaceId"],
        "00000000-0000-4000-8000-0000000000f1"
    );

    client
        .post("/findsimilars", &json!({"faceId": query}))
        .await
        .expect(400, "BadArgument");
    client
        .post(
            "/findsimilars",
            &json!({"faceId": query, "faceListId": "celebs", "faceIds": [alice]}),
        )
        .await
        .expect(400, "BadArgument");
    client
        .post(
            "/findsimilars",
            &json!({"faceId": query, "faceListId": "nope"}),
        )
        .await
        .expect(400, "FaceListNotFound");
    client
        .post(
            "/findsimilars",
            &json!({"faceId": query, "faceListId": "empty"}),
        )
        .await
        .expect(400, "FaceListNotReady");
    client
        .post(
            "/findsimilars",
            &json!({"faceId": query, "faceListId": "Bad Id"}),
        )
        .await
        .expect(400, "BadArgument");
    client
        .post(
            "/findsimilars",
            &json!({"faceId": query, "faceIds": [alice], "maxNumOfCandidatesReturned": 0}),
        )
        .await
        .expect(400, "BadArgument");
    client
        .post(
            "/findsimilars",
            &json!({"faceId": query, "faceIds": [alice], "mode": "matchAll"}),
        )
        .await
        .expect(400, "BadArgument");
    let many: Vec<String> = (0..1001).map(|_| alice.clone()).collect();
    client
        .post("/findsimilars", &json!({"faceId": query, "faceIds": many}))
        .await
        .expect(400, "BadArgument");
    let unknown = "11111111-1111-4111-8111-111111111111";
    client
        .post(
            "/findsimilars",
            &json!({"faceId": unknown, "faceIds": [alice]}),
        )
        .await
        .expect(400, "FaceNotFound");
    let old_model = client
        .post_image("/detect", &png("FACE-MOCK:person=alice", "m"))
        .await
        .json()[0]["faceId"]
        .clone();
    client
        .post(
            "/findsimilars",
            &json!({"faceId": old_model, "faceIds": [alice]}),
        )
        .await
        .expect(400, "BadArgument");
}

#[tokio::test]
async fn group_clusters_the_same_person_and_leaves_singletons_messy() {
    let (_server, client) = start(MockConfig::new()).await;
    let mut ids = Vec::new();
    for (person, salt) in [
        ("alice", "1"),
        ("bob", "2"),
        ("alice", "3"),
        ("carol", "4"),
        ("bob", "5"),
    ] {
        ids.push(
            client
                .face_ids(&png(&format!("FACE-MOCK:person={person}"), salt))
                .await[0]
                .clone(),
        );
    }
    let reply = client.post("/group", &json!({"faceIds": ids})).await;
    reply.expect(200, "");
    let result = reply.json();
    assert_eq!(
        result["groups"],
        json!([[ids[0], ids[2]], [ids[1], ids[4]]])
    );
    assert_eq!(result["messyGroup"], json!([ids[3]]));
    client
        .post("/group", &json!({"faceIds": [ids[0]]}))
        .await
        .expect(400, "BadArgument");
    client
        .post("/group", &json!({"faceIds": "nope"}))
        .await
        .expect(400, "BadArgument");
    client
        .post("/group", &json!({}))
        .await
        .expect(400, "BadArgument");
}

#[tokio::test]
async fn identify_finds_persons_of_trained_groups() {
    let (_server, client) = start(MockConfig::new().with_seed(seed())).await;
    let alice = client.face_ids(&png("FACE-MOCK:person=alice", "1")).await[0].clone();
    let stranger = client.face_ids(&png("", "2")).await[0].clone();
    let reply = client
        .post(
            "/identify",
            &json!({"faceIds": [alice, stranger], "personGroupId": "friends"}),
        )
        .await;
    reply.expect(200, "");
    let results = reply.json();
    assert_eq!(results[0]["faceId"], json!(alice));
    assert_eq!(
        results[0]["candidates"][0]["personId"],
        "00000000-0000-4000-8000-00000000a11c"
    );
    assert_eq!(results[0]["candidates"].as_array().map(Vec::len), Some(1));
    assert_eq!(results[1]["candidates"], json!([]));
    let low = client.post("/identify", &json!({"faceIds": [alice], "personGroupId": "friends", "confidenceThreshold": 0.0, "maxNumOfCandidatesReturned": 5})).await.json();
    assert_eq!(
        low[0]["candidates"].as_array().map(Vec::len),
        Some(2),
        "persons without faces are never candidates"
    );
    let carol = client.face_ids(&png("FACE-MOCK:person=carol", "3")).await[0].clone();
    let large = client
        .post(
            "/identify",
            &json!({"faceIds": [carol], "largePersonGroupId": "staff"}),
        )
        .await;
    large.expect(200, "");
    assert_eq!(
        large.json()[0]["candidates"].as_array().map(Vec::len),
        Some(1)
    );

    client
        .post("/identify", &json!({"faceIds": [alice]}))
        .await
        .expect(400, "PersonGroupIdAndLargePersonGroupIdBothNull");
    client
        .post(
            "/identify",
            &json!({"faceIds": [alice], "personGroupId": "friends", "largePersonGroupId": "staff"}),
        )
        .await
        .expect(400, "PersonGroupIdAndLargePersonGroupIdBothNotNull");
    client
        .post(
            "/identify",
            &json!({"faceIds": [alice], "personGroupId": "strangers"}),
        )
        .await
        .expect(400, "PersonGroupNotFound");
    client
        .post(
            "/identify",
            &json!({"faceIds": [alice], "personGroupId": "untrained"}),
        )
        .await
        .expect(400, "PersonGroupNotTrained");
    client
        .post(
            "/identify",
            &json!({"faceIds": [], "personGroupId": "friends"}),
        )
        .await
        .expect(400, "BadArgument");
    let eleven: Vec<String> = (0..11).map(|_| alice.clone()).collect();
    client
        .post(
            "/identify",
            &json!({"faceIds": eleven, "personGroupId": "friends"}),
        )
        .await
        .expect(400, "BadArgument");
    client
        .post(
            "/identify",
            &json!({"faceIds": [alice], "personGroupId": "friends", "confidenceThreshold": 1.5}),
        )
        .await
        .expect(400, "BadArgument");
    client.post("/identify", &json!({"faceIds": [alice], "personGroupId": "friends", "maxNumOfCandidatesReturned": 101})).await.expect(400, "BadArgument");
    client.post("/identify", &json!({"faceIds": ["11111111-1111-4111-8111-111111111111"], "personGroupId": "friends"})).await.expect(400, "FaceNotFound");

    client
        .send("POST", "/persongroups/friends/train", &[], b"")
        .await
        .expect(202, "");
    client
        .post(
            "/identify",
            &json!({"faceIds": [alice], "personGroupId": "friends"}),
        )
        .await
        .expect(409, "PersonGroupTrainingNotFinished");
}

#[tokio::test]
async fn verify_compares_faces_and_persons() {
    let (_server, client) = start(MockConfig::new().with_seed(seed())).await;
    let alice = client.face_ids(&png("FACE-MOCK:person=alice", "1")).await[0].clone();
    let alice_again = client.face_ids(&jpeg("FACE-MOCK:person=alice", "2")).await[0].clone();
    let bob = client.face_ids(&png("FACE-MOCK:person=bob", "3")).await[0].clone();
    let same = client
        .post(
            "/verify",
            &json!({"faceId1": alice, "faceId2": alice_again}),
        )
        .await;
    same.expect(200, "");
    assert_eq!(same.json()["isIdentical"], true);
    assert!(same.json()["confidence"].as_f64().unwrap_or(0.0) > 0.8);
    let different = client
        .post("/verify", &json!({"faceId1": alice, "faceId2": bob}))
        .await
        .json();
    assert_eq!(different["isIdentical"], false);

    let to_person = json!({"faceId": alice, "personGroupId": "friends", "personId": "00000000-0000-4000-8000-00000000a11c"});
    let reply = client.post("/verify", &to_person).await;
    reply.expect(200, "");
    assert_eq!(reply.json()["isIdentical"], true);
    let wrong = json!({"faceId": bob, "personGroupId": "friends", "personId": "00000000-0000-4000-8000-00000000a11c"});
    assert_eq!(
        client.post("/verify", &wrong).await.json()["isIdentical"],
        false
    );

    let unknown = "11111111-1111-4111-8111-111111111111";
    client
        .post("/verify", &json!({"faceId1": alice, "faceId2": unknown}))
        .await
        .expect(404, "FaceNotFound");
    client
        .post(
            "/verify",
            &json!({"faceId": alice, "personGroupId": "friends", "personId": unknown}),
        )
        .await
        .expect(404, "PersonNotFound");
    client.post("/verify", &json!({"faceId": alice, "personGroupId": "friends", "personId": "00000000-0000-4000-8000-000000000000"})).await.expect(404, "PersistedFaceNotFound");
    client
        .post(
            "/verify",
            &json!({"faceId": alice, "personGroupId": "nobody", "personId": unknown}),
        )
        .await
        .expect(400, "PersonGroupNotFound");
    client
        .post("/verify", &json!({"faceId": alice, "personId": unknown}))
        .await
        .expect(400, "BadArgument");
    client.post("/verify", &json!({"faceId": alice, "personGroupId": "friends", "largePersonGroupId": "staff", "personId": unknown})).await.expect(400, "BadArgument");
    client
        .post("/verify", &json!({"faceId1": alice}))
        .await
        .expect(400, "BadArgument");
    client
        .post(
            "/verify",
            &json!({"faceId1": "not-a-uuid", "faceId2": alice}),
        )
        .await
        .expect(400, "BadArgument");
}
