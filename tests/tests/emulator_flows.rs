//! End-to-end flows of `face-sdk` against the `face-mock` emulator, started in-process for
//! each test: detect, find similar, group, identify, verify, and the errors the service
//! answers on the way (an expired face id, an untrained group, a missing object, a wrong key).
//!
//! The emulator's images say which person they show with a `FACE-MOCK:person=<name>` tag
//! (in the URL, or in a JPEG comment of uploaded bytes): two images of the same name show the
//! same person, and an untagged image shows someone seen nowhere else.

use std::time::{Duration, SystemTime};

use face_mock::{Clock, Fault, LivenessAttempt, MockConfig};
use face_sdk::runtime::{self, CallOptions, OperationRequest};
use face_sdk::v1_0::models::{
    DetectedFace, FaceAttributeType, FaceId, FindSimilarMatchMode, GlassesType,
    OperationStatusType, PersistedFaceId, PersonId, RecognitionModel, TrainingStatusType,
};
use face_sdk::{Error, FaceClient, Polling, RetryPolicy};
use face_sdk_tests::emulator::{
    MODEL, assert_service, face_of, photo, service, start, start_with, tagged_jpeg,
};
use face_sdk_tests::{ApplyThenFail, fast_retries};
use futures_util::TryStreamExt;
use reqwest::Method;
use uuid::Uuid;

/// The URL of a photo of someone seen in no other photo.
fn stranger_photo(n: u32) -> String {
    format!("https://example.com/stranger-{n}.jpg")
}

/// Creates a person group (or a large one) with one person per name, each with two photos.
async fn person_group_with(client: &FaceClient, group: &str, names: &[&str]) -> Vec<PersonId> {
    client
        .v1_0()
        .person_group()
        .create(group, "Friends")
        .recognition_model(MODEL)
        .await
        .expect("the person group is created");
    let mut ids = Vec::new();
    for name in names {
        let person = client
            .v1_0()
            .person_group_person()
            .create(group)
            .name(*name)
            .await
            .expect("the person is created");
        for n in 1..=2 {
            client
                .v1_0()
                .person_group_person()
                .add_face_from_url(group, person.person_id, photo(name, n))
                .await
                .expect("the face is added");
        }
        ids.push(person.person_id);
    }
    ids
}

async fn large_person_group_with(
    client: &FaceClient,
    group: &str,
    names: &[&str],
) -> Vec<PersonId> {
    client
        .v1_0()
        .large_person_group()
        .create(group, "Staff")
        .recognition_model(MODEL)
        .await
        .expect("the large person group is created");
    let mut ids = Vec::new();
    for name in names {
        let person = client
            .v1_0()
            .large_person_group_person()
            .create(group)
            .name(*name)
            .await
            .expect("the person is created");
        for n in 1..=2 {
            client
                .v1_0()
                .large_person_group_person()
                .add_face_from_stream(
                    group,
                    person.person_id,
                    tagged_jpeg(&format!("FACE-MOCK:person={name} photo {n}")),
                )
                .await
                .expect("the face is added");
        }
        ids.push(person.person_id);
    }
    ids
}

fn assert_landmarks(face: &DetectedFace) {
    let landmarks = face
        .face_landmarks
        .as_ref()
        .expect("landmarks were asked for");
    let rectangle = &face.face_rectangle;
    for (name, point) in [
        ("pupilLeft", &landmarks.pupil_left),
        ("pupilRight", &landmarks.pupil_right),
        ("noseTip", &landmarks.nose_tip),
        ("mouthLeft", &landmarks.mouth_left),
        ("mouthRight", &landmarks.mouth_right),
        ("underLipBottom", &landmarks.under_lip_bottom),
    ] {
        let point = point
            .as_ref()
            .unwrap_or_else(|| panic!("{name} is present"));
        let inside_x = f64::from(rectangle.left)..=f64::from(rectangle.left + rectangle.width);
        let inside_y = f64::from(rectangle.top)..=f64::from(rectangle.top + rectangle.height);
        assert!(
            inside_x.contains(&point.x) && inside_y.contains(&point.y),
            "{name} {point:?} lies in the face rectangle {rectangle:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// detect

#[tokio::test]
async fn detect_from_url_returns_the_landmarks_and_attributes_asked_for() {
    let (_server, client) = start().await;

    let faces = client
        .v1_0()
        .face()
        .detect_with_url(photo("alice", 1))
        .return_face_landmarks(true)
        .return_face_attributes([
            FaceAttributeType::Age,
            FaceAttributeType::Gender,
            FaceAttributeType::Smile,
            FaceAttributeType::Glasses,
            FaceAttributeType::HeadPose,
        ])
        .recognition_model(MODEL)
        .return_recognition_model(true)
        .face_id_time_to_live(120)
        .await
        .expect("detect succeeds");

    assert_eq!(faces.len(), 1);
    let face = &faces[0];
    assert!(face.face_id.is_some(), "a face id is returned by default");
    assert_eq!(face.recognition_model, Some(MODEL));
    assert!(face.face_rectangle.width > 0 && face.face_rectangle.height > 0);
    assert_landmarks(face);
    let attributes = face
        .face_attributes
        .as_ref()
        .expect("attributes were asked for");
    let age = attributes.age.expect("age is present");
    assert!((0.0..=120.0).contains(&age), "a plausible age: {age}");
    assert!(attributes.gender.is_some(), "gender is present");
    let smile = attributes.smile.expect("smile is present");
    assert!((0.0..=1.0).contains(&smile), "smile is a score: {smile}");
    let glasses = attributes.glasses.as_ref().expect("glasses are present");
    assert!(
        !matches!(glasses, GlassesType::Unrecognized(_)),
        "a documented glasses value: {glasses:?}"
    );
    assert!(attributes.head_pose.is_some(), "head pose is present");
    assert!(
        attributes.emotion.is_none(),
        "only the attributes asked for"
    );
    assert!(attributes.hair.is_none(), "only the attributes asked for");
}

#[tokio::test]
async fn detect_from_stream_finds_the_face_of_the_uploaded_bytes() {
    let (_server, client) = start().await;
    let image = tagged_jpeg("FACE-MOCK:person=alice");

    let first = client
        .v1_0()
        .face()
        .detect_with_stream(image.clone())
        .return_face_landmarks(true)
        .return_face_attributes([FaceAttributeType::Age, FaceAttributeType::Smile])
        .recognition_model(MODEL)
        .await
        .expect("detect succeeds");
    let second = client
        .v1_0()
        .face()
        .detect_with_stream(image)
        .recognition_model(MODEL)
        .await
        .expect("detect succeeds");

    assert_eq!(first.len(), 1);
    assert_landmarks(&first[0]);
    let attributes = first[0]
        .face_attributes
        .as_ref()
        .expect("attributes were asked for");
    assert!(attributes.age.is_some() && attributes.smile.is_some());
    assert!(
        attributes.glasses.is_none(),
        "only the attributes asked for"
    );
    // The same bytes show the same face, under a new face id each time.
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].face_rectangle, first[0].face_rectangle);
    assert!(
        second[0].face_landmarks.is_none(),
        "landmarks are off by default"
    );
    assert!(
        second[0].face_attributes.is_none(),
        "attributes are off by default"
    );
    assert_ne!(second[0].face_id, first[0].face_id);
    // And the uploaded face is the same person as a URL photo of alice.
    let (uploaded, by_url) = (
        first[0].face_id.expect("a face id"),
        face_of(&client, &photo("alice", 2)).await,
    );
    let verdict = client
        .v1_0()
        .face()
        .verify_face_to_face(uploaded, by_url)
        .await
        .expect("verify succeeds");
    assert!(verdict.is_identical, "{verdict:?}");
}

#[tokio::test]
async fn detect_leaves_out_the_face_id_when_told_to() {
    let (_server, client) = start().await;

    let by_url = client
        .v1_0()
        .face()
        .detect_with_url(photo("alice", 1))
        .return_face_id(false)
        .await
        .expect("detect succeeds");
    let by_stream = client
        .v1_0()
        .face()
        .detect_with_stream(tagged_jpeg("FACE-MOCK:person=alice"))
        .return_face_id(false)
        .return_recognition_model(true)
        .await
        .expect("detect succeeds");

    assert_eq!(
        by_stream[0].recognition_model,
        Some(RecognitionModel::Recognition01),
        "the default model, when none was given"
    );
    for faces in [by_url, by_stream] {
        assert_eq!(faces.len(), 1);
        assert_eq!(faces[0].face_id, None);
        assert!(faces[0].face_rectangle.width > 0);
    }
}

#[tokio::test]
async fn detect_finds_no_face_in_an_image_without_one() {
    let (_server, client) = start().await;

    let by_url = client
        .v1_0()
        .face()
        .detect_with_url("https://example.com/landscape.jpg?FACE-MOCK:faces%3D0")
        .return_face_landmarks(true)
        .await
        .expect("detect succeeds");
    let by_stream = client
        .v1_0()
        .face()
        .detect_with_stream(tagged_jpeg("FACE-MOCK:faces=0"))
        .await
        .expect("detect succeeds");

    assert!(by_url.is_empty(), "{by_url:?}");
    assert!(by_stream.is_empty(), "{by_stream:?}");
}

#[tokio::test]
async fn detect_returns_every_face_of_a_group_photo_largest_first() {
    let (_server, client) = start().await;

    let faces = client
        .v1_0()
        .face()
        .detect_with_url("https://example.com/team.jpg?FACE-MOCK:person%3Dalice,bob%3Bfaces%3D3")
        .recognition_model(MODEL)
        .await
        .expect("detect succeeds");

    assert_eq!(faces.len(), 3);
    let areas: Vec<i64> = faces
        .iter()
        .map(|face| i64::from(face.face_rectangle.width) * i64::from(face.face_rectangle.height))
        .collect();
    assert!(
        areas.windows(2).all(|pair| pair[0] >= pair[1]),
        "largest first: {areas:?}"
    );
    let ids: std::collections::HashSet<FaceId> = faces
        .iter()
        .map(|face| face.face_id.expect("a face id"))
        .collect();
    assert_eq!(ids.len(), 3, "one face id per face");
}

// ---------------------------------------------------------------------------------------------
// find similar

#[tokio::test]
async fn find_similar_in_match_person_mode_keeps_only_the_same_person() {
    let (_server, client) = start().await;
    let query = face_of(&client, &photo("alice", 1)).await;
    let alice = face_of(&client, &photo("alice", 2)).await;
    let bob = face_of(&client, &photo("bob", 1)).await;
    let stranger = face_of(&client, &stranger_photo(1)).await;

    let similar = client
        .v1_0()
        .face()
        .find_similar(query)
        .face_ids([bob, alice, stranger])
        .mode(FindSimilarMatchMode::MatchPerson)
        .await
        .expect("find similar succeeds");

    assert_eq!(similar.len(), 1, "{similar:?}");
    assert_eq!(similar[0].face_id, Some(alice));
    assert_eq!(similar[0].persisted_face_id, None);
    assert!(similar[0].confidence > 0.8, "{similar:?}");
}

#[tokio::test]
async fn find_similar_in_match_face_mode_ranks_every_candidate() {
    let (_server, client) = start().await;
    let query = face_of(&client, &photo("alice", 1)).await;
    let alice = face_of(&client, &photo("alice", 2)).await;
    let bob = face_of(&client, &photo("bob", 1)).await;
    let stranger = face_of(&client, &stranger_photo(1)).await;

    let similar = client
        .v1_0()
        .face()
        .find_similar(query)
        .face_ids([bob, stranger, alice])
        .mode(FindSimilarMatchMode::MatchFace)
        .await
        .expect("find similar succeeds");

    assert_eq!(similar.len(), 3, "matchFace has no threshold: {similar:?}");
    assert_eq!(
        similar[0].face_id,
        Some(alice),
        "the same person ranks first"
    );
    assert!(similar[0].confidence > 0.8, "{similar:?}");
    assert!(
        similar
            .windows(2)
            .all(|pair| pair[0].confidence >= pair[1].confidence),
        "most similar first: {similar:?}"
    );
    assert!(
        similar[1].confidence < 0.5,
        "others are not alike: {similar:?}"
    );

    let top_one = client
        .v1_0()
        .face()
        .find_similar(query)
        .face_ids([bob, stranger, alice])
        .mode(FindSimilarMatchMode::MatchFace)
        .max_num_of_candidates_returned(1)
        .await
        .expect("find similar succeeds");
    assert_eq!(top_one.len(), 1);
    assert_eq!(top_one[0].face_id, Some(alice));
}

#[tokio::test]
async fn find_similar_against_face_lists_returns_persisted_faces() {
    let (_server, client) = start().await;
    client
        .v1_0()
        .face_list()
        .create("people", "People")
        .recognition_model(MODEL)
        .await
        .expect("the face list is created");
    client
        .v1_0()
        .large_face_list()
        .create("archive", "Archive")
        .recognition_model(MODEL)
        .await
        .expect("the large face list is created");
    let mut in_list = Vec::new();
    let mut in_large_list = Vec::new();
    for name in ["bob", "alice", "carol"] {
        let face = client
            .v1_0()
            .face_list()
            .add_face_from_url("people", photo(name, 1))
            .await
            .expect("the face is added");
        in_list.push((name, face.persisted_face_id));
        let face = client
            .v1_0()
            .large_face_list()
            .add_face_from_url("archive", photo(name, 1))
            .await
            .expect("the face is added");
        in_large_list.push((name, face.persisted_face_id));
    }
    let status = client
        .v1_0()
        .large_face_list()
        .train("archive")
        .send_and_wait(Polling::default())
        .await
        .expect("training succeeds");
    assert_eq!(status.status, TrainingStatusType::Succeeded);
    let query = face_of(&client, &photo("alice", 2)).await;

    let from_list = client
        .v1_0()
        .face()
        .find_similar(query)
        .face_list_id("people")
        .await
        .expect("find similar succeeds");
    let from_large_list = client
        .v1_0()
        .face()
        .find_similar(query)
        .large_face_list_id("archive")
        .mode(FindSimilarMatchMode::MatchFace)
        .await
        .expect("find similar succeeds");

    let alice_in = |faces: &[(&str, PersistedFaceId)]| {
        faces
            .iter()
            .find(|(name, _)| *name == "alice")
            .map(|(_, id)| *id)
    };
    assert_eq!(
        from_list.len(),
        1,
        "matchPerson is the default: {from_list:?}"
    );
    assert_eq!(from_list[0].persisted_face_id, alice_in(&in_list));
    assert_eq!(from_list[0].face_id, None);
    assert_eq!(from_large_list.len(), 3, "{from_large_list:?}");
    assert_eq!(
        from_large_list[0].persisted_face_id,
        alice_in(&in_large_list)
    );
    assert!(from_large_list[0].confidence > 0.8);
}

// ---------------------------------------------------------------------------------------------
// group

#[tokio::test]
async fn group_puts_photos_of_one_person_together_and_strangers_in_the_messy_group() {
    let (_server, client) = start().await;
    let alice1 = face_of(&client, &photo("alice", 1)).await;
    let bob1 = face_of(&client, &photo("bob", 1)).await;
    let alice2 = face_of(&client, &photo("alice", 2)).await;
    let stranger = face_of(&client, &stranger_photo(1)).await;
    let alice3 = face_of(&client, &photo("alice", 3)).await;
    let bob2 = face_of(&client, &photo("bob", 2)).await;

    let result = client
        .v1_0()
        .face()
        .group([alice1, bob1, alice2, stranger, alice3, bob2])
        .await
        .expect("group succeeds");

    let mut groups: Vec<Vec<FaceId>> = result
        .groups
        .iter()
        .map(|group| {
            let mut group = group.clone();
            group.sort();
            group
        })
        .collect();
    let mut alices = vec![alice1, alice2, alice3];
    alices.sort();
    let mut bobs = vec![bob1, bob2];
    bobs.sort();
    assert_eq!(groups.len(), 2, "{result:?}");
    assert_eq!(groups[0], alices, "the largest group first: {result:?}");
    groups.sort();
    assert!(groups.contains(&bobs), "{result:?}");
    assert_eq!(result.messy_group, Some(vec![stranger]));
}

#[tokio::test]
async fn group_of_two_photos_of_one_person_has_an_empty_messy_group() {
    let (_server, client) = start().await;
    let first = face_of(&client, &photo("dana", 1)).await;
    let second = face_of(&client, &photo("dana", 2)).await;

    let result = client
        .v1_0()
        .face()
        .group([first, second])
        .await
        .expect("group succeeds");

    assert_eq!(result.groups, vec![vec![first, second]]);
    assert!(result.messy_group.unwrap_or_default().is_empty());
}

// ---------------------------------------------------------------------------------------------
// identify

#[tokio::test]
async fn identify_against_a_trained_person_group_names_the_right_person_first() {
    let (_server, client) = start().await;
    let persons = person_group_with(&client, "friends", &["alice", "bob", "carol"]).await;
    let bob = face_of(&client, &photo("bob", 3)).await;

    let before = client
        .v1_0()
        .face()
        .identify([bob])
        .person_group_id("friends")
        .await;
    assert_service(before, 400, "PersonGroupNotTrained");

    let status = client
        .v1_0()
        .person_group()
        .train("friends")
        .send_and_wait(Polling::default())
        .await
        .expect("training succeeds");
    assert_eq!(status.status, TrainingStatusType::Succeeded);

    let stranger = face_of(&client, &stranger_photo(1)).await;
    let results = client
        .v1_0()
        .face()
        .identify([bob, stranger])
        .person_group_id("friends")
        .max_num_of_candidates_returned(3)
        .await
        .expect("identify succeeds");

    assert_eq!(results.len(), 2);
    assert_eq!(results[0].face_id, bob);
    let top = results[0].candidates.first().expect("bob is recognised");
    assert_eq!(top.person_id, persons[1], "bob is the top candidate");
    assert!(top.confidence > 0.8, "{top:?}");
    assert_eq!(results[1].face_id, stranger);
    assert!(
        results[1].candidates.is_empty(),
        "nobody matches a stranger: {results:?}"
    );
}

#[tokio::test]
async fn identify_against_a_trained_large_person_group_names_the_right_person_first() {
    let (_server, client) = start().await;
    let persons = large_person_group_with(&client, "staff", &["alice", "bob", "carol"]).await;
    let carol = face_of(&client, &photo("carol", 3)).await;

    let before = client
        .v1_0()
        .face()
        .identify([carol])
        .large_person_group_id("staff")
        .await;
    assert_service(before, 400, "LargePersonGroupNotTrained");

    let status = client
        .v1_0()
        .large_person_group()
        .train("staff")
        .send_and_wait(Polling::default())
        .await
        .expect("training succeeds");
    assert_eq!(status.status, TrainingStatusType::Succeeded);
    assert!(
        status.last_successful_training_date_time.is_some(),
        "{status:?}"
    );

    let results = client
        .v1_0()
        .face()
        .identify([carol])
        .large_person_group_id("staff")
        .confidence_threshold(0.0)
        .max_num_of_candidates_returned(3)
        .await
        .expect("identify succeeds");

    assert_eq!(results.len(), 1);
    assert_eq!(results[0].face_id, carol);
    let candidates = &results[0].candidates;
    assert_eq!(
        candidates.len(),
        3,
        "a threshold of 0 keeps everyone: {candidates:?}"
    );
    assert_eq!(
        candidates[0].person_id, persons[2],
        "carol is the top candidate"
    );
    assert!(candidates[0].confidence > 0.8);
    assert!(candidates[1].confidence < 0.5, "{candidates:?}");
}

#[tokio::test]
async fn identify_while_training_is_under_way_is_a_conflict_until_the_wait_is_over() {
    // Two status reads report the training unfinished, so `send_and_wait` really waits.
    let (_server, client) = start_with(MockConfig::new().with_training_polls(2)).await;
    let persons = person_group_with(&client, "slow", &["alice"]).await;
    let alice = face_of(&client, &photo("alice", 3)).await;

    client
        .v1_0()
        .person_group()
        .train("slow")
        .await
        .expect("training starts");
    let during = client
        .v1_0()
        .face()
        .identify([alice])
        .person_group_id("slow")
        .await;
    assert_service(during, 409, "PersonGroupTrainingNotFinished");

    // Train again and wait: the status reads notstarted, running, then succeeded.
    let status = client
        .v1_0()
        .person_group()
        .train("slow")
        .send_and_wait(Polling::default().first_interval(Duration::from_millis(5)))
        .await
        .expect("training succeeds");
    assert_eq!(status.status, TrainingStatusType::Succeeded);

    let results = client
        .v1_0()
        .face()
        .identify([alice])
        .person_group_id("slow")
        .await
        .expect("identify succeeds");
    assert_eq!(results[0].candidates[0].person_id, persons[0]);
}

#[tokio::test]
async fn identify_refuses_faces_of_another_recognition_model() {
    let (_server, client) = start().await;
    person_group_with(&client, "friends", &["alice"]).await;
    client
        .v1_0()
        .person_group()
        .train("friends")
        .send_and_wait(Polling::default())
        .await
        .expect("training succeeds");
    let old_model_face = client
        .v1_0()
        .face()
        .detect_with_url(photo("alice", 3))
        .recognition_model(RecognitionModel::Recognition01)
        .await
        .expect("detect succeeds")[0]
        .face_id
        .expect("a face id");

    let result = client
        .v1_0()
        .face()
        .identify([old_model_face])
        .person_group_id("friends")
        .await;
    assert_service(result, 400, "BadArgument");
}

// ---------------------------------------------------------------------------------------------
// verify

#[tokio::test]
async fn verify_face_to_face_tells_the_same_person_from_another() {
    let (_server, client) = start().await;
    let alice1 = face_of(&client, &photo("alice", 1)).await;
    let alice2 = face_of(&client, &photo("alice", 2)).await;
    let bob = face_of(&client, &photo("bob", 1)).await;

    let same = client
        .v1_0()
        .face()
        .verify_face_to_face(alice1, alice2)
        .await
        .expect("verify succeeds");
    let different = client
        .v1_0()
        .face()
        .verify_face_to_face(alice1, bob)
        .await
        .expect("verify succeeds");

    assert!(same.is_identical, "{same:?}");
    assert!(same.confidence > 0.8, "{same:?}");
    assert!(!different.is_identical, "{different:?}");
    assert!(different.confidence < 0.5, "{different:?}");
}

#[tokio::test]
async fn verify_face_to_person_in_a_person_group_and_a_large_person_group() {
    let (_server, client) = start().await;
    let small = person_group_with(&client, "friends", &["alice", "bob"]).await;
    let large = large_person_group_with(&client, "staff", &["alice", "bob"]).await;
    let alice = face_of(&client, &photo("alice", 3)).await;

    let is_alice = client
        .v1_0()
        .face()
        .verify_face_to_person(alice, small[0])
        .person_group_id("friends")
        .await
        .expect("verify succeeds");
    let is_bob = client
        .v1_0()
        .face()
        .verify_face_to_person(alice, small[1])
        .person_group_id("friends")
        .await
        .expect("verify succeeds");
    let is_large_alice = client
        .v1_0()
        .face()
        .verify_face_to_person(alice, large[0])
        .large_person_group_id("staff")
        .await
        .expect("verify succeeds");
    let is_large_bob = client
        .v1_0()
        .face()
        .verify_face_to_person(alice, large[1])
        .large_person_group_id("staff")
        .await
        .expect("verify succeeds");

    assert!(
        is_alice.is_identical && is_alice.confidence > 0.8,
        "{is_alice:?}"
    );
    assert!(
        !is_bob.is_identical && is_bob.confidence < 0.5,
        "{is_bob:?}"
    );
    assert!(
        is_large_alice.is_identical && is_large_alice.confidence > 0.8,
        "{is_large_alice:?}"
    );
    assert!(
        !is_large_bob.is_identical && is_large_bob.confidence < 0.5,
        "{is_large_bob:?}"
    );

    // A person of the other group is not found in this one.
    let elsewhere = client
        .v1_0()
        .face()
        .verify_face_to_person(alice, large[0])
        .person_group_id("friends")
        .await;
    assert_service(elsewhere, 404, "PersonNotFound");
}

// ---------------------------------------------------------------------------------------------
// expiry and errors

#[tokio::test]
async fn an_expired_face_id_gets_the_service_error() {
    let clock = Clock::manual(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    let config = MockConfig::new()
        .with_training_polls(0)
        .with_clock(clock.clone());
    let (server, client) = start_with(config).await;
    let detect = |url: String| {
        client
            .v1_0()
            .face()
            .detect_with_url(url)
            .recognition_model(MODEL)
            .face_id_time_to_live(60)
    };
    let first = detect(photo("alice", 1)).await.expect("detect succeeds")[0]
        .face_id
        .expect("id");
    let second = detect(photo("alice", 2)).await.expect("detect succeeds")[0]
        .face_id
        .expect("id");

    clock.advance(Duration::from_secs(59));
    let alive = client
        .v1_0()
        .face()
        .verify_face_to_face(first, second)
        .await;
    assert!(alive.expect("still alive after 59 s").is_identical);

    server.clock().advance(Duration::from_secs(2));
    assert_service(
        client
            .v1_0()
            .face()
            .verify_face_to_face(first, second)
            .await,
        404,
        "FaceNotFound",
    );
    assert_service(
        client
            .v1_0()
            .face()
            .find_similar(first)
            .face_ids([second])
            .await,
        400,
        "FaceNotFound",
    );
    assert_service(
        client.v1_0().face().group([first, second]).await,
        400,
        "FaceNotFound",
    );

    // A face detected now lives on.
    let fresh = detect(photo("alice", 3)).await.expect("detect succeeds")[0]
        .face_id
        .expect("id");
    let other = detect(photo("alice", 4)).await.expect("detect succeeds")[0]
        .face_id
        .expect("id");
    assert!(
        client
            .v1_0()
            .face()
            .verify_face_to_face(fresh, other)
            .await
            .expect("verify")
            .is_identical
    );
}

#[tokio::test]
async fn a_missing_object_is_a_404_service_error_with_the_service_code() {
    let (_server, client) = start().await;

    let error = service(
        client
            .v1_0()
            .person_group()
            .get("nobody")
            .await
            .expect_err("not found"),
    );
    assert_eq!(error.status.as_u16(), 404);
    assert_eq!(error.code.as_deref(), Some("PersonGroupNotFound"));
    assert_eq!(error.message.as_deref(), Some("Person group is not found."));
    assert_eq!(error.retry_after, None);
    let as_error = Error::Service(error);
    assert!(!as_error.is_retryable());
    assert_eq!(as_error.status().map(|status| status.as_u16()), Some(404));
    assert!(
        as_error.to_string().contains("PersonGroupNotFound"),
        "{as_error}"
    );

    assert_service(
        client.v1_0().large_face_list().get("nothing").await,
        404,
        "LargeFaceListNotFound",
    );
    assert_service(
        client
            .v1_0()
            .person_group_person()
            .get("nobody", Uuid::nil())
            .await,
        404,
        "PersonGroupNotFound",
    );
}

#[tokio::test]
async fn conflicts_and_bad_arguments_come_back_as_service_errors() {
    let (_server, client) = start().await;
    client
        .v1_0()
        .face_list()
        .create("twice", "Twice")
        .await
        .expect("created");

    assert_service(
        client.v1_0().face_list().create("twice", "Again").await,
        409,
        "FaceListExists",
    );
    assert_service(
        client
            .v1_0()
            .face()
            .detect_with_url("ftp://example.com/a.jpg")
            .await,
        400,
        "InvalidURL",
    );
    assert_service(
        client
            .v1_0()
            .face()
            .detect_with_stream(vec![b'x'; 2048])
            .await,
        400,
        "InvalidImage",
    );
    assert_service(
        client
            .v1_0()
            .face_list()
            .add_face_from_url("twice", "https://example.com/team.jpg?FACE-MOCK:faces%3D2")
            .await,
        400,
        "InvalidImage",
    );
    assert_service(
        client
            .v1_0()
            .face()
            .identify([Uuid::nil()])
            .person_group_id("missing")
            .await,
        400,
        "FaceNotFound",
    );
}

#[tokio::test]
async fn a_wrong_key_is_a_401_service_error() {
    let (server, _client) = start().await;
    let client = FaceClient::builder(server.endpoint())
        .api_key("not-the-key")
        .retry(RetryPolicy::none())
        .build()
        .expect("a valid client");

    let result = client
        .v1_0()
        .face()
        .detect_with_url(photo("alice", 1))
        .await;

    let error = service(result.expect_err("refused"));
    assert_eq!(error.status.as_u16(), 401);
    assert_eq!(error.code.as_deref(), Some("401"));
    assert!(!error.to_string().contains("not-the-key"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// listing

#[tokio::test]
async fn into_stream_lists_every_person_over_several_pages() {
    let (_server, client) = start().await;
    let names = ["alice", "bob", "carol", "dana", "erin"];
    let mut created = large_person_group_with(&client, "staff", &names).await;

    let persons: Vec<_> = client
        .v1_0()
        .large_person_group_person()
        .list("staff")
        .top(2)
        .into_stream()
        .try_collect()
        .await
        .expect("every page is read");

    let listed: Vec<PersonId> = persons.iter().map(|person| person.person_id).collect();
    created.sort_by_key(PersonId::to_string);
    assert_eq!(listed, created, "each person once, in id order");
    for person in &persons {
        assert_eq!(
            person.persisted_face_ids.as_ref().map(Vec::len),
            Some(2),
            "{person:?}"
        );
        assert!(
            person
                .name
                .as_deref()
                .is_some_and(|name| names.contains(&name))
        );
    }

    let groups: Vec<_> = client
        .v1_0()
        .large_person_group()
        .list()
        .top(1)
        .into_stream()
        .try_collect()
        .await
        .expect("every page is read");
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].large_person_group_id, "staff");
}

// ---------------------------------------------------------------------------------------------
// seeded state, several faces, background work

#[tokio::test]
async fn a_seeded_trained_group_identifies_at_once() {
    let alice_id = Uuid::parse_str("25985303-c537-4467-b41d-bdb45cd95ca1").expect("a uuid");
    let seed = face_mock::Seed::from_json(
        r#"{
            "personGroups": [{
                "personGroupId": "friends", "name": "Friends", "recognitionModel": "recognition_04",
                "persons": [
                    {"personId": "25985303-c537-4467-b41d-bdb45cd95ca1", "name": "Alice",
                     "faces": [{"person": "alice"}, {"person": "alice", "userData": "profile"}]},
                    {"name": "Bob", "faces": [{"person": "bob"}]}
                ]
            }],
            "largeFaceLists": [{
                "largeFaceListId": "archive", "recognitionModel": "recognition_04",
                "faces": [{"person": "carol", "userData": "carol's photo"}, {"person": "dana"}]
            }]
        }"#,
    )
    .expect("a valid seed");
    let (_server, client) =
        start_with(MockConfig::new().with_training_polls(0).with_seed(seed)).await;

    let alice = client
        .v1_0()
        .person_group_person()
        .get("friends", alice_id)
        .await
        .expect("the seeded person is there");
    assert_eq!(alice.name.as_deref(), Some("Alice"));
    assert_eq!(alice.persisted_face_ids.as_ref().map(Vec::len), Some(2));
    let face = face_of(&client, &photo("alice", 1)).await;
    let results = client
        .v1_0()
        .face()
        .identify([face])
        .person_group_id("friends")
        .await
        .expect("a seeded group starts trained");
    assert_eq!(results[0].candidates.len(), 1, "{results:?}");
    assert_eq!(results[0].candidates[0].person_id, alice_id);

    let carol = face_of(&client, &photo("carol", 1)).await;
    let similar = client
        .v1_0()
        .face()
        .find_similar(carol)
        .large_face_list_id("archive")
        .await
        .expect("a seeded large face list starts trained");
    assert_eq!(similar.len(), 1, "{similar:?}");
    let persisted = similar[0].persisted_face_id.expect("a persisted face");
    let stored = client
        .v1_0()
        .large_face_list()
        .get_face("archive", persisted)
        .await
        .expect("the seeded face is there");
    assert_eq!(stored.user_data.as_deref(), Some("carol's photo"));
}

#[tokio::test]
async fn identify_names_each_face_of_a_group_photo() {
    let (_server, client) = start().await;
    let persons = large_person_group_with(&client, "staff", &["alice", "bob"]).await;
    client
        .v1_0()
        .large_person_group()
        .train("staff")
        .send_and_wait(Polling::default())
        .await
        .expect("training succeeds");
    let faces = client
        .v1_0()
        .face()
        .detect_with_url("https://example.com/team.jpg?FACE-MOCK:person%3Dalice,bob%3Bfaces%3D3")
        .recognition_model(MODEL)
        .await
        .expect("detect succeeds");
    let ids: Vec<FaceId> = faces
        .iter()
        .map(|face| face.face_id.expect("a face id"))
        .collect();

    let results = client
        .v1_0()
        .face()
        .identify(ids.clone())
        .large_person_group_id("staff")
        .await
        .expect("identify succeeds");

    assert_eq!(
        results
            .iter()
            .map(|result| result.face_id)
            .collect::<Vec<_>>(),
        ids
    );
    let mut named: Vec<Option<PersonId>> = results
        .iter()
        .map(|result| {
            result
                .candidates
                .first()
                .map(|candidate| candidate.person_id)
        })
        .collect();
    named.sort();
    let mut expected = vec![None, Some(persons[0]), Some(persons[1])];
    expected.sort();
    assert_eq!(
        named, expected,
        "alice, bob and someone unknown: {results:?}"
    );
}

#[tokio::test]
async fn send_and_wait_gives_up_when_the_training_outlasts_the_polling() {
    let (_server, client) = start_with(MockConfig::new().with_training_polls(1000)).await;
    person_group_with(&client, "slow", &["alice"]).await;

    let polling = Polling::default()
        .first_interval(Duration::from_millis(5))
        .timeout(Duration::from_millis(100));
    let result = client
        .v1_0()
        .person_group()
        .train("slow")
        .send_and_wait(polling)
        .await;

    match result {
        Err(error @ Error::WaitTimeout { .. }) => assert!(!error.is_retryable()),
        other => panic!("expected the wait to run out, got {other:?}"),
    }
    let status = client
        .v1_0()
        .person_group()
        .get_training_status("slow")
        .await
        .expect("the status is read");
    assert_eq!(status.status, TrainingStatusType::Running);
}

#[tokio::test]
async fn an_operation_whose_object_is_gone_reports_failed() {
    let (_server, client) = start_with(MockConfig::new().with_training_polls(2)).await;
    client
        .v1_0()
        .large_face_list()
        .create("doomed", "Doomed")
        .await
        .expect("created");
    let response = client
        .v1_0()
        .large_face_list()
        .train("doomed")
        .send_raw()
        .await
        .expect("training starts");
    assert_eq!(response.status().as_u16(), 202);
    let operation_id: Uuid = response
        .operation_location()
        .and_then(|location| location.rsplit('/').next())
        .and_then(|id| id.parse().ok())
        .expect("an operation id in Operation-Location");

    let first = client
        .v1_0()
        .snapshot()
        .get_operation_status(operation_id)
        .await
        .expect("the status is read");
    assert_eq!(first.status, OperationStatusType::Notstarted);
    client
        .v1_0()
        .large_face_list()
        .delete("doomed")
        .await
        .expect("deleted");
    let last = client
        .v1_0()
        .snapshot()
        .get_operation_status(operation_id)
        .await
        .expect("the status is read");

    assert_eq!(last.status, OperationStatusType::Failed);
    assert!(last.message.is_some_and(|message| !message.is_empty()));
    assert_eq!(last.resource_location, None);
}

/// The client's retries ride out the throttling the emulator is told to give
/// (429 with `Retry-After`), and give up, with the service's error, on an outage that lasts.
#[tokio::test]
async fn retries_ride_out_injected_throttling_and_give_up_on_a_lasting_outage() {
    let (server, client) = start().await;
    server
        .inject(Fault::throttle("Face_Detect", Duration::ZERO).times(2))
        .expect("a valid fault");
    face_of(&client, &photo("alice", 1)).await;

    server
        .inject(Fault::error("PersonGroup_List", 503))
        .expect("a valid fault");
    let client = FaceClient::builder(server.endpoint())
        .api_key(server.key())
        .retry(
            RetryPolicy::default()
                .max_retries(2)
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(5)),
        )
        .build()
        .expect("a valid client");
    assert_service(
        client.v1_0().person_group().list().await,
        503,
        "ServiceUnavailable",
    );
    server.clear_faults();
    client
        .v1_0()
        .person_group()
        .list()
        .await
        .expect("answered once the outage is cleared");
}

#[tokio::test]
async fn a_create_the_service_applied_before_answering_500_makes_exactly_one_person() {
    let (server, client) = start().await;
    client
        .v1_0()
        .person_group()
        .create("staff", "Staff")
        .recognition_model(MODEL)
        .await
        .expect("the person group is created");
    let proxy = ApplyThenFail::start(server.endpoint(), "500 Internal Server Error").await;
    let through_proxy = FaceClient::builder(&proxy.uri)
        .api_key(server.key())
        .retry(fast_retries())
        .build()
        .expect("a valid client");

    let error = through_proxy
        .v1_0()
        .person_group_person()
        .create("staff")
        .name("Ada")
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|status| status.as_u16()), Some(500));
    assert_eq!(proxy.forwarded(), 1, "one POST");
    let persons = client
        .v1_0()
        .person_group_person()
        .list("staff")
        .await
        .unwrap();
    assert_eq!(persons.len(), 1, "one person: {persons:?}");
}

#[tokio::test]
async fn a_read_only_post_marked_idempotent_is_still_retried_after_a_500() {
    let (server, _) = start().await;
    let proxy = ApplyThenFail::start(server.endpoint(), "500 Internal Server Error").await;
    let through_proxy = FaceClient::builder(&proxy.uri)
        .api_key(server.key())
        .retry(fast_retries())
        .build()
        .expect("a valid client");
    let mut request =
        OperationRequest::new("Face_DetectWithUrl", Method::POST, "/face/v1.0/detect", 200);
    request
        .json_body(&serde_json::json!({"url": photo("ada", 1)}))
        .unwrap();
    request.set_idempotent(true);

    let error =
        runtime::send_json::<serde_json::Value>(&through_proxy, request, CallOptions::default())
            .await
            .unwrap_err();

    assert_eq!(error.status().map(|status| status.as_u16()), Some(500));
    assert_eq!(proxy.forwarded(), 4, "the first attempt and 3 retries");
}

/// A v1.2 liveness-with-verify flow, as an app's server runs it: create the
/// session with the reference image, let the device finish it (here the
/// emulator's test control), read the result, download the session image and
/// detect the face in it by its id, then delete the session.
#[tokio::test]
async fn a_liveness_with_verify_session_runs_end_to_end_on_v1_2() {
    use face_sdk::v1_2::models::{LivenessDecision, LivenessOperationMode, OperationState};

    let (server, client) = start().await;
    let sessions = client.v1_2().liveness_with_verify_session();
    let created = sessions
        .create(
            LivenessOperationMode::Passive,
            tagged_jpeg("FACE-MOCK:person=alice"),
        )
        .device_correlation_id("5d1c0a4e-device")
        .enable_session_image(true)
        .await
        .expect("the session is created");
    assert!(!created.auth_token.is_empty(), "a token for the device");
    assert_eq!(created.status, OperationState::NotStarted);
    assert_eq!(created.results.verify_references.len(), 1);

    server
        .finish_liveness_session(
            &created.session_id,
            LivenessAttempt::real().showing("alice"),
        )
        .expect("the device finishes the session");
    let session = sessions
        .get_result(created.session_id.clone())
        .await
        .expect("the result is read");
    assert_eq!(session.status, OperationState::Succeeded);
    let result = session.results.attempts[0]
        .result
        .clone()
        .expect("the attempt has a result");
    assert_eq!(result.liveness_decision, Some(LivenessDecision::Realface));
    let verify = result.verify_result.expect("a verify result");
    assert!(
        verify.is_identical,
        "alice is the person of the reference image"
    );

    let image_id = result.session_image_id.expect("the session kept an image");
    let bytes = client
        .v1_2()
        .session_image()
        .get(image_id.clone())
        .await
        .expect("the image is downloaded");
    assert!(bytes.len() > 1024);
    let faces = client
        .v1_2()
        .face()
        .detect_from_session_image_id(image_id)
        .await
        .expect("detect takes the session image id");
    assert_eq!(faces.len(), 1);
    assert_eq!(
        (faces[0].face_rectangle.left, faces[0].face_rectangle.width),
        (
            result.targets.color.face_rectangle.left,
            result.targets.color.face_rectangle.width
        )
    );

    sessions
        .delete(created.session_id.clone())
        .await
        .expect("the session is deleted");
    assert_service(
        sessions.get_result(created.session_id).await,
        404,
        "SessionNotFound",
    );
}

/// The v1.2 surface over the same emulator: a person group and a large face
/// list are created, filled and trained (waiting on v1.2's training status),
/// then identify, verify and find similar answer through `face_sdk::v1_2`.
#[tokio::test]
async fn v1_2_groups_lists_and_comparisons_work_end_to_end() {
    use face_sdk::v1_2::models::RecognitionModel as Model;

    let (_server, client) = start_with(MockConfig::new().with_training_polls(2)).await;
    let api = client.v1_2();
    api.person_group()
        .create("friends-v12", "Friends")
        .recognition_model(Model::Recognition04)
        .await
        .expect("the group is created");
    let alice = api
        .person_group_person()
        .create("friends-v12", "Alice")
        .await
        .expect("the person is created")
        .person_id;
    api.person_group_person()
        .add_face_from_stream("friends-v12", alice, tagged_jpeg("FACE-MOCK:person=alice"))
        .await
        .expect("the face is added");
    api.person_group()
        .train("friends-v12")
        .send_and_wait(Polling::default())
        .await
        .expect("the training succeeds");

    let detected = api
        .face()
        .detect_from_url(photo("alice", 2))
        .recognition_model(Model::Recognition04)
        .return_face_id(true)
        .await
        .expect("detect succeeds");
    let face = detected[0].face_id.expect("a face id");
    let identified = api
        .face()
        .identify_from_person_group([face], "friends-v12")
        .await
        .expect("identify succeeds");
    assert_eq!(identified[0].candidates[0].person_id, alice);
    // The emulator's person directory is empty (the spec has no operation that fills it):
    // searching every person of it is accepted and finds no one.
    let everyone = api
        .face()
        .identify_from_person_directory([face], face_sdk::v1_2::models::PersonIds::All)
        .await
        .expect("identify among every directory person succeeds");
    assert_eq!(everyone.len(), 1);
    assert_eq!(everyone[0].face_id, face);
    assert!(everyone[0].candidates.is_empty());
    let verified = api
        .face()
        .verify_from_person_group(face, "friends-v12", alice)
        .await
        .expect("verify succeeds");
    assert!(verified.is_identical);

    api.large_face_list()
        .create("archive-v12", "Archive")
        .recognition_model(Model::Recognition04)
        .await
        .expect("the list is created");
    let kept = api
        .large_face_list()
        .add_face_from_url("archive-v12", photo("alice", 3))
        .await
        .expect("the face is added")
        .persisted_face_id;
    api.large_face_list()
        .train("archive-v12")
        .send_and_wait(Polling::default())
        .await
        .expect("the training succeeds");
    let similar = api
        .face()
        .find_similar_from_large_face_list(face, "archive-v12")
        .await
        .expect("find similar succeeds");
    assert_eq!(similar[0].persisted_face_id, Some(kept));
}
