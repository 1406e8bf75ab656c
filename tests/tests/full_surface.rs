//! Every generated method of `face_sdk::v1_0`, called on the wire against the
//! `face-mock` emulator (started in-process for each test), with what a user would check
//! about its result: created things read back, updates show in get, deletes make get fail
//! with a 404, lists and `into_stream` return what was created, background work finishes.
//!
//! The test `every_spec_method_is_called` checks, against the methods the generator makes
//! from `spec/face.yaml`, that this file calls each of them as `.<group>().<method>(`.

use face_mock::{MockConfig, MockServer};
use face_sdk::v1_0::models::RecognitionModel;
use face_sdk::{Error, FaceClient, Polling};
use futures_util::TryStreamExt;
use uuid::Uuid;

/// The recognition model of every list, group and detection here.
const MODEL: RecognitionModel = RecognitionModel::Recognition04;

/// An emulator whose trainings and operations finish at once, and a client of it.
async fn start() -> (MockServer, FaceClient) {
    let server = MockServer::start(MockConfig::new().with_training_polls(0))
        .await
        .expect("the emulator starts");
    let client = FaceClient::new(server.endpoint(), server.key()).expect("a valid client");
    (server, client)
}

/// The URL of photo `n` of `person`, tagged so the emulator knows who it shows.
fn photo(person: &str, n: u32) -> String {
    format!("https://example.com/{person}-{n}.jpg?FACE-MOCK:person%3D{person}")
}

/// A minimal JPEG whose comment carries `tag`, padded past the service's 1 KB minimum.
fn tagged_jpeg(tag: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8];
    for comment in [tag.as_bytes(), &[b' '; 1200]] {
        let length = u16::try_from(comment.len() + 2).expect("a short comment");
        bytes.extend([0xFF, 0xFE]);
        bytes.extend(length.to_be_bytes());
        bytes.extend(comment);
    }
    bytes.extend([0xFF, 0xD9]);
    bytes
}

/// Detects the one face of an image URL and returns its face id.
async fn face_of(client: &FaceClient, url: &str) -> Uuid {
    let faces = client
        .v1_0()
        .face()
        .detect_with_url(url)
        .recognition_model(MODEL)
        .await
        .expect("detect succeeds");
    assert_eq!(faces.len(), 1, "one face in {url}");
    faces[0].face_id.expect("a face id")
}

/// Asserts that `result` failed with the service's `status` and `code`.
#[track_caller]
fn assert_service<T: std::fmt::Debug>(result: Result<T, Error>, status: u16, code: &str) {
    match result {
        Err(Error::Service(error)) => {
            assert_eq!(error.status.as_u16(), status, "{error}");
            assert_eq!(error.code.as_deref(), Some(code), "{error}");
        }
        other => panic!("expected a {status} {code} service error, got {other:?}"),
    }
}

/// Asserts that `result` is the 404 service error with `code` (what get answers after a delete).
#[track_caller]
fn assert_not_found<T: std::fmt::Debug>(result: Result<T, Error>, code: &str) {
    assert_service(result, 404, code);
}

fn sorted(ids: impl IntoIterator<Item = Uuid>) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = ids.into_iter().collect();
    ids.sort_by_key(Uuid::to_string);
    ids
}

mod face {
    use super::*;
    use face_sdk::v1_0::models::{FaceAttributeType, FindSimilarMatchMode};

    #[tokio::test]
    async fn detect_with_url_and_with_stream_find_the_face() {
        let (_server, client) = start().await;

        let by_url = client
            .v1_0()
            .face()
            .detect_with_url(photo("alice", 1))
            .return_face_attributes([FaceAttributeType::Age])
            .await
            .expect("detect succeeds");
        let by_stream = client
            .v1_0()
            .face()
            .detect_with_stream(tagged_jpeg("FACE-MOCK:person=alice"))
            .return_face_landmarks(true)
            .return_recognition_model(true)
            .await
            .expect("detect succeeds");

        assert_eq!(by_url.len(), 1);
        assert!(by_url[0].face_id.is_some());
        assert!(
            by_url[0]
                .face_attributes
                .as_ref()
                .and_then(|a| a.age)
                .is_some()
        );
        assert_eq!(by_stream.len(), 1);
        assert!(by_stream[0].face_landmarks.is_some());
        assert_eq!(
            by_stream[0].recognition_model,
            Some(RecognitionModel::Recognition01)
        );
    }

    #[tokio::test]
    async fn find_similar_and_group_match_the_same_person() {
        let (_server, client) = start().await;
        let alice1 = face_of(&client, &photo("alice", 1)).await;
        let alice2 = face_of(&client, &photo("alice", 2)).await;
        let bob = face_of(&client, &photo("bob", 1)).await;

        let similar = client
            .v1_0()
            .face()
            .find_similar(alice1)
            .face_ids([bob, alice2])
            .mode(FindSimilarMatchMode::MatchFace)
            .await
            .expect("find similar succeeds");
        let grouped = client
            .v1_0()
            .face()
            .group([alice1, bob, alice2])
            .await
            .expect("group succeeds");

        assert_eq!(similar.len(), 2);
        assert_eq!(similar[0].face_id, Some(alice2));
        assert!(similar[0].confidence > similar[1].confidence);
        assert_eq!(grouped.groups, vec![vec![alice1, alice2]]);
        assert_eq!(grouped.messy_group, Some(vec![bob]));
    }

    #[tokio::test]
    async fn identify_and_verify_against_a_trained_person_group() {
        let (_server, client) = start().await;
        client
            .v1_0()
            .person_group()
            .create("club", "Club")
            .recognition_model(MODEL)
            .await
            .expect("created");
        let alice = client
            .v1_0()
            .person_group_person()
            .create("club")
            .name("alice")
            .await
            .expect("created")
            .person_id;
        client
            .v1_0()
            .person_group_person()
            .add_face_from_url("club", alice, photo("alice", 1))
            .await
            .expect("added");
        client
            .v1_0()
            .person_group()
            .train("club")
            .send_and_wait(Polling::default())
            .await
            .expect("trained");
        let face = face_of(&client, &photo("alice", 2)).await;
        let other = face_of(&client, &photo("bob", 1)).await;

        let identified = client
            .v1_0()
            .face()
            .identify([face])
            .person_group_id("club")
            .await
            .expect("identify succeeds");
        let same = client
            .v1_0()
            .face()
            .verify_face_to_face(face, other)
            .await
            .expect("verify succeeds");
        let is_alice = client
            .v1_0()
            .face()
            .verify_face_to_person(face, alice)
            .person_group_id("club")
            .await
            .expect("verify succeeds");

        assert_eq!(identified[0].face_id, face);
        assert_eq!(identified[0].candidates[0].person_id, alice);
        assert!(!same.is_identical);
        assert!(is_alice.is_identical);
    }
}

mod face_list {
    use super::*;

    #[tokio::test]
    async fn create_get_list_update_and_delete() {
        let (_server, client) = start().await;
        client
            .v1_0()
            .face_list()
            .create("fl-one", "First")
            .user_data("created")
            .recognition_model(MODEL)
            .await
            .expect("created");
        client
            .v1_0()
            .face_list()
            .create("fl-two", "Second")
            .await
            .expect("created");

        let one = client
            .v1_0()
            .face_list()
            .get("fl-one")
            .return_recognition_model(true)
            .await
            .expect("read back");
        assert_eq!(one.face_list_id, "fl-one");
        assert_eq!(one.name, "First");
        assert_eq!(one.user_data.as_deref(), Some("created"));
        assert_eq!(one.recognition_model, Some(MODEL));
        assert_eq!(one.persisted_faces, Some(vec![]));

        let listed = client
            .v1_0()
            .face_list()
            .list()
            .return_recognition_model(true)
            .await
            .expect("listed");
        let ids: Vec<&str> = listed
            .iter()
            .map(|list| list.face_list_id.as_str())
            .collect();
        assert_eq!(ids, ["fl-one", "fl-two"]);
        assert_eq!(
            listed[1].recognition_model,
            Some(RecognitionModel::Recognition01)
        );

        client
            .v1_0()
            .face_list()
            .update("fl-one")
            .name("Renamed")
            .user_data("updated")
            .await
            .expect("updated");
        let one = client
            .v1_0()
            .face_list()
            .get("fl-one")
            .await
            .expect("read back");
        assert_eq!(
            (one.name.as_str(), one.user_data.as_deref()),
            ("Renamed", Some("updated"))
        );
        assert_eq!(one.recognition_model, None, "only when asked for");

        client
            .v1_0()
            .face_list()
            .delete("fl-one")
            .await
            .expect("deleted");
        assert_not_found(
            client.v1_0().face_list().get("fl-one").await,
            "FaceListNotFound",
        );
        let listed = client.v1_0().face_list().list().await.expect("listed");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].face_list_id, "fl-two");
    }

    #[tokio::test]
    async fn faces_are_added_from_url_and_bytes_and_deleted() {
        let (_server, client) = start().await;
        client
            .v1_0()
            .face_list()
            .create("fl-faces", "Faces")
            .recognition_model(MODEL)
            .await
            .expect("created");

        let from_url = client
            .v1_0()
            .face_list()
            .add_face_from_url("fl-faces", photo("alice", 1))
            .user_data("from a url")
            .await
            .expect("added")
            .persisted_face_id;
        let image = tagged_jpeg("FACE-MOCK:person=bob");
        let uploaded = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let progress = uploaded.clone();
        let from_bytes = client
            .v1_0()
            .face_list()
            .add_face_from_stream("fl-faces", image.clone())
            .user_data("from bytes")
            .detection_model(face_sdk::v1_0::models::DetectionModel::Detection01)
            .on_upload_progress(move |step| {
                progress.store(step.sent, std::sync::atomic::Ordering::SeqCst)
            })
            .await
            .expect("added")
            .persisted_face_id;
        assert_ne!(from_url, from_bytes);
        assert_eq!(
            uploaded.load(std::sync::atomic::Ordering::SeqCst),
            image.len() as u64,
            "the whole image was reported sent"
        );

        let list = client
            .v1_0()
            .face_list()
            .get("fl-faces")
            .await
            .expect("read back");
        let faces = list.persisted_faces.expect("a face list names its faces");
        let found: Vec<(Uuid, Option<&str>)> = faces
            .iter()
            .map(|face| (face.persisted_face_id, face.user_data.as_deref()))
            .collect();
        assert_eq!(
            found,
            [
                (from_url, Some("from a url")),
                (from_bytes, Some("from bytes"))
            ]
        );

        // The persisted faces are what find similar matches.
        let query = face_of(&client, &photo("bob", 2)).await;
        let similar = client
            .v1_0()
            .face()
            .find_similar(query)
            .face_list_id("fl-faces")
            .await
            .expect("find similar succeeds");
        assert_eq!(similar[0].persisted_face_id, Some(from_bytes));

        client
            .v1_0()
            .face_list()
            .delete_face("fl-faces", from_url)
            .await
            .expect("deleted");
        let faces = client
            .v1_0()
            .face_list()
            .get("fl-faces")
            .await
            .expect("read back")
            .persisted_faces
            .unwrap_or_default();
        assert_eq!(faces.len(), 1);
        assert_eq!(faces[0].persisted_face_id, from_bytes);
        assert_not_found(
            client
                .v1_0()
                .face_list()
                .delete_face("fl-faces", from_url)
                .await,
            "PersistedFaceNotFound",
        );
    }
}

mod large_face_list {
    use super::*;
    use face_sdk::v1_0::models::TrainingStatusType;

    #[tokio::test]
    async fn create_get_list_update_and_delete() {
        let (_server, client) = start().await;
        for (id, name) in [("lfl-c", "C"), ("lfl-a", "A"), ("lfl-b", "B")] {
            client
                .v1_0()
                .large_face_list()
                .create(id, name)
                .user_data(format!("list {name}"))
                .recognition_model(MODEL)
                .await
                .expect("created");
        }

        let a = client
            .v1_0()
            .large_face_list()
            .get("lfl-a")
            .return_recognition_model(true)
            .await
            .expect("read back");
        assert_eq!(a.large_face_list_id, "lfl-a");
        assert_eq!(a.name, "A");
        assert_eq!(a.user_data.as_deref(), Some("list A"));
        assert_eq!(a.recognition_model, Some(MODEL));

        let page = client
            .v1_0()
            .large_face_list()
            .list()
            .top(2)
            .await
            .expect("listed");
        let ids: Vec<String> = page
            .into_iter()
            .map(|list| list.large_face_list_id)
            .collect();
        assert_eq!(ids, ["lfl-a", "lfl-b"]);
        let after = client
            .v1_0()
            .large_face_list()
            .list()
            .start("lfl-a")
            .await
            .expect("listed");
        let ids: Vec<String> = after
            .into_iter()
            .map(|list| list.large_face_list_id)
            .collect();
        assert_eq!(ids, ["lfl-b", "lfl-c"]);
        let all: Vec<_> = client
            .v1_0()
            .large_face_list()
            .list()
            .top(1)
            .return_recognition_model(true)
            .into_stream()
            .try_collect()
            .await
            .expect("every page is read");
        let ids: Vec<&str> = all
            .iter()
            .map(|list| list.large_face_list_id.as_str())
            .collect();
        assert_eq!(ids, ["lfl-a", "lfl-b", "lfl-c"]);
        assert!(all.iter().all(|list| list.recognition_model == Some(MODEL)));

        client
            .v1_0()
            .large_face_list()
            .update("lfl-b")
            .name("B, renamed")
            .await
            .expect("updated");
        let b = client
            .v1_0()
            .large_face_list()
            .get("lfl-b")
            .await
            .expect("read back");
        assert_eq!(b.name, "B, renamed");
        assert_eq!(b.user_data.as_deref(), Some("list B"), "userData kept");

        client
            .v1_0()
            .large_face_list()
            .delete("lfl-b")
            .await
            .expect("deleted");
        assert_not_found(
            client.v1_0().large_face_list().get("lfl-b").await,
            "LargeFaceListNotFound",
        );
        let left: Vec<_> = client
            .v1_0()
            .large_face_list()
            .list()
            .into_stream()
            .try_collect()
            .await
            .expect("listed");
        assert_eq!(left.len(), 2);
    }

    #[tokio::test]
    async fn faces_are_added_read_listed_updated_and_deleted() {
        let (_server, client) = start().await;
        client
            .v1_0()
            .large_face_list()
            .create("lfl-faces", "Faces")
            .recognition_model(MODEL)
            .await
            .expect("created");

        let from_url = client
            .v1_0()
            .large_face_list()
            .add_face_from_url("lfl-faces", photo("alice", 1))
            .user_data("from a url")
            .await
            .expect("added")
            .persisted_face_id;
        let from_bytes = client
            .v1_0()
            .large_face_list()
            .add_face_from_stream("lfl-faces", tagged_jpeg("FACE-MOCK:person=bob"))
            .user_data("from bytes")
            .await
            .expect("added")
            .persisted_face_id;
        // A photo of three people: targetFace picks the face to keep.
        let team = "https://example.com/team.jpg?FACE-MOCK:person%3Dcarol,dan%3Bfaces%3D3";
        let rectangles = client
            .v1_0()
            .face()
            .detect_with_url(team)
            .return_face_id(false)
            .await
            .expect("detect succeeds");
        let r = &rectangles[0].face_rectangle;
        let targeted = client
            .v1_0()
            .large_face_list()
            .add_face_from_url("lfl-faces", team)
            .target_face([r.left, r.top, r.width, r.height])
            .await
            .expect("added")
            .persisted_face_id;

        let face = client
            .v1_0()
            .large_face_list()
            .get_face("lfl-faces", from_url)
            .await
            .expect("read back");
        assert_eq!(face.persisted_face_id, from_url);
        assert_eq!(face.user_data.as_deref(), Some("from a url"));
        let face = client
            .v1_0()
            .large_face_list()
            .get_face("lfl-faces", from_bytes)
            .await
            .expect("read back");
        assert_eq!(face.user_data.as_deref(), Some("from bytes"));

        let first_page = client
            .v1_0()
            .large_face_list()
            .list_faces("lfl-faces")
            .top(2)
            .await
            .expect("listed");
        assert_eq!(first_page.len(), 2);
        let all: Vec<_> = client
            .v1_0()
            .large_face_list()
            .list_faces("lfl-faces")
            .top(2)
            .into_stream()
            .try_collect()
            .await
            .expect("every page is read");
        let listed: Vec<Uuid> = all.iter().map(|face| face.persisted_face_id).collect();
        assert_eq!(
            listed,
            sorted([from_url, from_bytes, targeted]),
            "in id order"
        );

        client
            .v1_0()
            .large_face_list()
            .update_face("lfl-faces", from_url)
            .user_data("changed")
            .await
            .expect("updated");
        let face = client
            .v1_0()
            .large_face_list()
            .get_face("lfl-faces", from_url)
            .await
            .expect("read back");
        assert_eq!(face.user_data.as_deref(), Some("changed"));

        client
            .v1_0()
            .large_face_list()
            .delete_face("lfl-faces", from_url)
            .await
            .expect("deleted");
        assert_not_found(
            client
                .v1_0()
                .large_face_list()
                .get_face("lfl-faces", from_url)
                .await,
            "PersistedFaceNotFound",
        );
        let left = client
            .v1_0()
            .large_face_list()
            .list_faces("lfl-faces")
            .await
            .expect("listed");
        assert_eq!(left.len(), 2);
    }

    #[tokio::test]
    async fn training_succeeds_and_its_status_reads_succeeded() {
        let (_server, client) = start().await;
        client
            .v1_0()
            .large_face_list()
            .create("lfl-train", "Train")
            .recognition_model(MODEL)
            .await
            .expect("created");
        let alice = client
            .v1_0()
            .large_face_list()
            .add_face_from_url("lfl-train", photo("alice", 1))
            .await
            .expect("added")
            .persisted_face_id;
        assert_not_found(
            client
                .v1_0()
                .large_face_list()
                .get_training_status("lfl-train")
                .await,
            "LargeFaceListNotTrained",
        );

        let waited = client
            .v1_0()
            .large_face_list()
            .train("lfl-train")
            .send_and_wait(Polling::default())
            .await
            .expect("training succeeds");
        assert_eq!(waited.status, TrainingStatusType::Succeeded);

        let status = client
            .v1_0()
            .large_face_list()
            .get_training_status("lfl-train")
            .await
            .expect("read");
        assert_eq!(status.status, TrainingStatusType::Succeeded);
        assert!(
            status.last_successful_training_date_time.is_some(),
            "{status:?}"
        );
        assert!(status.created_date_time <= status.last_successful_training_date_time.unwrap());

        let query = face_of(&client, &photo("alice", 2)).await;
        let similar = client
            .v1_0()
            .face()
            .find_similar(query)
            .large_face_list_id("lfl-train")
            .await
            .expect("a trained list is searched");
        assert_eq!(similar[0].persisted_face_id, Some(alice));
    }
}

mod person_group {
    use super::*;
    use face_sdk::v1_0::models::TrainingStatusType;

    #[tokio::test]
    async fn create_get_list_update_and_delete() {
        let (_server, client) = start().await;
        for id in ["pg-b", "pg-a", "pg-c"] {
            client
                .v1_0()
                .person_group()
                .create(id, format!("Group {id}"))
                .user_data("first")
                .recognition_model(MODEL)
                .await
                .expect("created");
        }

        let a = client
            .v1_0()
            .person_group()
            .get("pg-a")
            .return_recognition_model(true)
            .await
            .expect("read back");
        assert_eq!(a.person_group_id, "pg-a");
        assert_eq!(a.name, "Group pg-a");
        assert_eq!(a.user_data.as_deref(), Some("first"));
        assert_eq!(a.recognition_model, Some(MODEL));

        let page = client
            .v1_0()
            .person_group()
            .list()
            .start("pg-a")
            .top(1)
            .await
            .expect("listed");
        assert_eq!(page.len(), 1);
        assert_eq!(page[0].person_group_id, "pg-b");
        let all: Vec<_> = client
            .v1_0()
            .person_group()
            .list()
            .top(2)
            .return_recognition_model(true)
            .into_stream()
            .try_collect()
            .await
            .expect("every page is read");
        let ids: Vec<&str> = all
            .iter()
            .map(|group| group.person_group_id.as_str())
            .collect();
        assert_eq!(ids, ["pg-a", "pg-b", "pg-c"]);
        assert!(
            all.iter()
                .all(|group| group.recognition_model == Some(MODEL))
        );

        client
            .v1_0()
            .person_group()
            .update("pg-c")
            .user_data("second")
            .await
            .expect("updated");
        let c = client
            .v1_0()
            .person_group()
            .get("pg-c")
            .await
            .expect("read back");
        assert_eq!(c.user_data.as_deref(), Some("second"));
        assert_eq!(c.name, "Group pg-c", "name kept");

        client
            .v1_0()
            .person_group()
            .delete("pg-c")
            .await
            .expect("deleted");
        assert_not_found(
            client.v1_0().person_group().get("pg-c").await,
            "PersonGroupNotFound",
        );
        assert_eq!(
            client
                .v1_0()
                .person_group()
                .list()
                .await
                .expect("listed")
                .len(),
            2
        );
    }

    #[tokio::test]
    async fn training_succeeds_and_its_status_reads_succeeded() {
        let (_server, client) = start().await;
        client
            .v1_0()
            .person_group()
            .create("pg-train", "Train")
            .recognition_model(MODEL)
            .await
            .expect("created");
        let person = client
            .v1_0()
            .person_group_person()
            .create("pg-train")
            .name("alice")
            .await
            .expect("created")
            .person_id;
        client
            .v1_0()
            .person_group_person()
            .add_face_from_url("pg-train", person, photo("alice", 1))
            .await
            .expect("added");
        assert_not_found(
            client
                .v1_0()
                .person_group()
                .get_training_status("pg-train")
                .await,
            "PersonGroupNotTrained",
        );

        let waited = client
            .v1_0()
            .person_group()
            .train("pg-train")
            .send_and_wait(Polling::default())
            .await
            .expect("training succeeds");
        assert_eq!(waited.status, TrainingStatusType::Succeeded);
        let status = client
            .v1_0()
            .person_group()
            .get_training_status("pg-train")
            .await
            .expect("read");
        assert_eq!(status.status, TrainingStatusType::Succeeded);
        assert!(
            status.last_successful_training_date_time.is_some(),
            "{status:?}"
        );

        let face = face_of(&client, &photo("alice", 2)).await;
        let identified = client
            .v1_0()
            .face()
            .identify([face])
            .person_group_id("pg-train")
            .await
            .expect("a trained group identifies");
        assert_eq!(identified[0].candidates[0].person_id, person);
    }
}

mod person_group_person {
    use super::*;

    async fn group(client: &FaceClient, id: &str) {
        client
            .v1_0()
            .person_group()
            .create(id, "People")
            .recognition_model(MODEL)
            .await
            .expect("created");
    }

    #[tokio::test]
    async fn create_get_list_update_and_delete() {
        let (_server, client) = start().await;
        group(&client, "pgp").await;
        let mut created = Vec::new();
        for name in ["alice", "bob", "carol"] {
            let person = client
                .v1_0()
                .person_group_person()
                .create("pgp")
                .name(name)
                .user_data(format!("{name}'s data"))
                .await
                .expect("created");
            created.push(person.person_id);
        }
        let nameless = client
            .v1_0()
            .person_group_person()
            .create("pgp")
            .await
            .expect("a person needs no name")
            .person_id;
        created.push(nameless);

        let bob = client
            .v1_0()
            .person_group_person()
            .get("pgp", created[1])
            .await
            .expect("read back");
        assert_eq!(bob.person_id, created[1]);
        assert_eq!(bob.name.as_deref(), Some("bob"));
        assert_eq!(bob.user_data.as_deref(), Some("bob's data"));
        assert_eq!(bob.persisted_face_ids, Some(vec![]));

        let all: Vec<_> = client
            .v1_0()
            .person_group_person()
            .list("pgp")
            .top(3)
            .into_stream()
            .try_collect()
            .await
            .expect("every page is read");
        let listed: Vec<Uuid> = all.iter().map(|person| person.person_id).collect();
        assert_eq!(listed, sorted(created.clone()));
        let first = client
            .v1_0()
            .person_group_person()
            .list("pgp")
            .top(1)
            .await
            .expect("listed");
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].person_id, listed[0]);

        client
            .v1_0()
            .person_group_person()
            .update("pgp", nameless)
            .name("dana")
            .user_data("named later")
            .await
            .expect("updated");
        let dana = client
            .v1_0()
            .person_group_person()
            .get("pgp", nameless)
            .await
            .expect("read back");
        assert_eq!(dana.name.as_deref(), Some("dana"));
        assert_eq!(dana.user_data.as_deref(), Some("named later"));

        client
            .v1_0()
            .person_group_person()
            .delete("pgp", created[0])
            .await
            .expect("deleted");
        assert_not_found(
            client
                .v1_0()
                .person_group_person()
                .get("pgp", created[0])
                .await,
            "PersonNotFound",
        );
        let left = client
            .v1_0()
            .person_group_person()
            .list("pgp")
            .await
            .expect("listed");
        assert_eq!(left.len(), 3);
        assert!(left.iter().all(|person| person.person_id != created[0]));
    }

    #[tokio::test]
    async fn faces_are_added_read_updated_and_deleted() {
        let (_server, client) = start().await;
        group(&client, "pgp-faces").await;
        let alice = client
            .v1_0()
            .person_group_person()
            .create("pgp-faces")
            .name("alice")
            .await
            .expect("created")
            .person_id;

        let from_url = client
            .v1_0()
            .person_group_person()
            .add_face_from_url("pgp-faces", alice, photo("alice", 1))
            .user_data("from a url")
            .await
            .expect("added")
            .persisted_face_id;
        let from_bytes = client
            .v1_0()
            .person_group_person()
            .add_face_from_stream("pgp-faces", alice, tagged_jpeg("FACE-MOCK:person=alice"))
            .user_data("from bytes")
            .await
            .expect("added")
            .persisted_face_id;

        let person = client
            .v1_0()
            .person_group_person()
            .get("pgp-faces", alice)
            .await
            .expect("read back");
        assert_eq!(person.persisted_face_ids, Some(vec![from_url, from_bytes]));
        let face = client
            .v1_0()
            .person_group_person()
            .get_face("pgp-faces", alice, from_url)
            .await
            .expect("read back");
        assert_eq!(face.persisted_face_id, from_url);
        assert_eq!(face.user_data.as_deref(), Some("from a url"));
        let face = client
            .v1_0()
            .person_group_person()
            .get_face("pgp-faces", alice, from_bytes)
            .await
            .expect("read back");
        assert_eq!(face.user_data.as_deref(), Some("from bytes"));

        client
            .v1_0()
            .person_group_person()
            .update_face("pgp-faces", alice, from_bytes)
            .user_data("changed")
            .await
            .expect("updated");
        let face = client
            .v1_0()
            .person_group_person()
            .get_face("pgp-faces", alice, from_bytes)
            .await
            .expect("read back");
        assert_eq!(face.user_data.as_deref(), Some("changed"));

        client
            .v1_0()
            .person_group_person()
            .delete_face("pgp-faces", alice, from_url)
            .await
            .expect("deleted");
        assert_not_found(
            client
                .v1_0()
                .person_group_person()
                .get_face("pgp-faces", alice, from_url)
                .await,
            "PersistedFaceNotFound",
        );
        let person = client
            .v1_0()
            .person_group_person()
            .get("pgp-faces", alice)
            .await
            .expect("read back");
        assert_eq!(person.persisted_face_ids, Some(vec![from_bytes]));
    }
}

mod large_person_group {
    use super::*;
    use face_sdk::v1_0::models::TrainingStatusType;

    #[tokio::test]
    async fn create_get_list_update_and_delete() {
        let (_server, client) = start().await;
        for id in ["lpg-c", "lpg-a", "lpg-b"] {
            client
                .v1_0()
                .large_person_group()
                .create(id, format!("Group {id}"))
                .user_data("first")
                .recognition_model(MODEL)
                .await
                .expect("created");
        }

        let b = client
            .v1_0()
            .large_person_group()
            .get("lpg-b")
            .return_recognition_model(true)
            .await
            .expect("read back");
        assert_eq!(b.large_person_group_id, "lpg-b");
        assert_eq!(b.name, "Group lpg-b");
        assert_eq!(b.user_data.as_deref(), Some("first"));
        assert_eq!(b.recognition_model, Some(MODEL));

        let page = client
            .v1_0()
            .large_person_group()
            .list()
            .start("lpg-b")
            .await
            .expect("listed");
        assert_eq!(page.len(), 1);
        assert_eq!(page[0].large_person_group_id, "lpg-c");
        let all: Vec<_> = client
            .v1_0()
            .large_person_group()
            .list()
            .top(1)
            .return_recognition_model(true)
            .into_stream()
            .try_collect()
            .await
            .expect("every page is read");
        let ids: Vec<&str> = all
            .iter()
            .map(|group| group.large_person_group_id.as_str())
            .collect();
        assert_eq!(ids, ["lpg-a", "lpg-b", "lpg-c"]);
        assert!(
            all.iter()
                .all(|group| group.recognition_model == Some(MODEL))
        );

        client
            .v1_0()
            .large_person_group()
            .update("lpg-a")
            .name("Renamed")
            .user_data("second")
            .await
            .expect("updated");
        let a = client
            .v1_0()
            .large_person_group()
            .get("lpg-a")
            .await
            .expect("read back");
        assert_eq!(
            (a.name.as_str(), a.user_data.as_deref()),
            ("Renamed", Some("second"))
        );

        client
            .v1_0()
            .large_person_group()
            .delete("lpg-a")
            .await
            .expect("deleted");
        assert_not_found(
            client.v1_0().large_person_group().get("lpg-a").await,
            "LargePersonGroupNotFound",
        );
        assert_eq!(
            client
                .v1_0()
                .large_person_group()
                .list()
                .await
                .expect("listed")
                .len(),
            2
        );
    }

    #[tokio::test]
    async fn training_succeeds_and_its_status_reads_succeeded() {
        let (_server, client) = start().await;
        client
            .v1_0()
            .large_person_group()
            .create("lpg-train", "Train")
            .recognition_model(MODEL)
            .await
            .expect("created");
        let person = client
            .v1_0()
            .large_person_group_person()
            .create("lpg-train")
            .name("bob")
            .await
            .expect("created")
            .person_id;
        client
            .v1_0()
            .large_person_group_person()
            .add_face_from_url("lpg-train", person, photo("bob", 1))
            .await
            .expect("added");
        assert_not_found(
            client
                .v1_0()
                .large_person_group()
                .get_training_status("lpg-train")
                .await,
            "LargePersonGroupNotTrained",
        );

        let waited = client
            .v1_0()
            .large_person_group()
            .train("lpg-train")
            .send_and_wait(Polling::default())
            .await
            .expect("training succeeds");
        assert_eq!(waited.status, TrainingStatusType::Succeeded);
        let status = client
            .v1_0()
            .large_person_group()
            .get_training_status("lpg-train")
            .await
            .expect("read");
        assert_eq!(status.status, TrainingStatusType::Succeeded);
        assert!(
            status.last_successful_training_date_time.is_some(),
            "{status:?}"
        );

        let face = face_of(&client, &photo("bob", 2)).await;
        let identified = client
            .v1_0()
            .face()
            .identify([face])
            .large_person_group_id("lpg-train")
            .await
            .expect("a trained group identifies");
        assert_eq!(identified[0].candidates[0].person_id, person);
    }
}

mod large_person_group_person {
    use super::*;

    async fn group(client: &FaceClient, id: &str) {
        client
            .v1_0()
            .large_person_group()
            .create(id, "People")
            .recognition_model(MODEL)
            .await
            .expect("created");
    }

    #[tokio::test]
    async fn create_get_list_update_and_delete() {
        let (_server, client) = start().await;
        group(&client, "lpgp").await;
        let mut created = Vec::new();
        for name in ["alice", "bob", "carol", "dana", "erin"] {
            let person = client
                .v1_0()
                .large_person_group_person()
                .create("lpgp")
                .name(name)
                .user_data("team blue")
                .await
                .expect("created");
            created.push(person.person_id);
        }

        let carol = client
            .v1_0()
            .large_person_group_person()
            .get("lpgp", created[2])
            .await
            .expect("read back");
        assert_eq!(carol.person_id, created[2]);
        assert_eq!(carol.name.as_deref(), Some("carol"));
        assert_eq!(carol.user_data.as_deref(), Some("team blue"));
        assert_eq!(carol.persisted_face_ids, Some(vec![]));

        let all: Vec<_> = client
            .v1_0()
            .large_person_group_person()
            .list("lpgp")
            .top(2)
            .into_stream()
            .try_collect()
            .await
            .expect("every page is read");
        let listed: Vec<Uuid> = all.iter().map(|person| person.person_id).collect();
        assert_eq!(listed, sorted(created.clone()));
        let rest = client
            .v1_0()
            .large_person_group_person()
            .list("lpgp")
            .start(listed[2].to_string())
            .await
            .expect("listed");
        let rest: Vec<Uuid> = rest.iter().map(|person| person.person_id).collect();
        assert_eq!(rest, listed[3..]);

        client
            .v1_0()
            .large_person_group_person()
            .update("lpgp", created[2])
            .user_data("team red")
            .await
            .expect("updated");
        let carol = client
            .v1_0()
            .large_person_group_person()
            .get("lpgp", created[2])
            .await
            .expect("read back");
        assert_eq!(carol.user_data.as_deref(), Some("team red"));
        assert_eq!(carol.name.as_deref(), Some("carol"), "name kept");

        client
            .v1_0()
            .large_person_group_person()
            .delete("lpgp", created[2])
            .await
            .expect("deleted");
        assert_not_found(
            client
                .v1_0()
                .large_person_group_person()
                .get("lpgp", created[2])
                .await,
            "PersonNotFound",
        );
        let left = client
            .v1_0()
            .large_person_group_person()
            .list("lpgp")
            .await
            .expect("listed");
        assert_eq!(left.len(), 4);
    }

    #[tokio::test]
    async fn faces_are_added_read_updated_and_deleted() {
        let (_server, client) = start().await;
        group(&client, "lpgp-faces").await;
        let bob = client
            .v1_0()
            .large_person_group_person()
            .create("lpgp-faces")
            .name("bob")
            .await
            .expect("created")
            .person_id;

        let from_url = client
            .v1_0()
            .large_person_group_person()
            .add_face_from_url("lpgp-faces", bob, photo("bob", 1))
            .user_data("from a url")
            .await
            .expect("added")
            .persisted_face_id;
        let from_bytes = client
            .v1_0()
            .large_person_group_person()
            .add_face_from_stream("lpgp-faces", bob, tagged_jpeg("FACE-MOCK:person=bob"))
            .user_data("from bytes")
            .await
            .expect("added")
            .persisted_face_id;

        let person = client
            .v1_0()
            .large_person_group_person()
            .get("lpgp-faces", bob)
            .await
            .expect("read back");
        assert_eq!(person.persisted_face_ids, Some(vec![from_url, from_bytes]));
        let face = client
            .v1_0()
            .large_person_group_person()
            .get_face("lpgp-faces", bob, from_bytes)
            .await
            .expect("read back");
        assert_eq!(face.persisted_face_id, from_bytes);
        assert_eq!(face.user_data.as_deref(), Some("from bytes"));

        client
            .v1_0()
            .large_person_group_person()
            .update_face("lpgp-faces", bob, from_url)
            .user_data("changed")
            .await
            .expect("updated");
        let face = client
            .v1_0()
            .large_person_group_person()
            .get_face("lpgp-faces", bob, from_url)
            .await
            .expect("read back");
        assert_eq!(face.user_data.as_deref(), Some("changed"));

        client
            .v1_0()
            .large_person_group_person()
            .delete_face("lpgp-faces", bob, from_bytes)
            .await
            .expect("deleted");
        assert_not_found(
            client
                .v1_0()
                .large_person_group_person()
                .get_face("lpgp-faces", bob, from_bytes)
                .await,
            "PersistedFaceNotFound",
        );
        let person = client
            .v1_0()
            .large_person_group_person()
            .get("lpgp-faces", bob)
            .await
            .expect("read back");
        assert_eq!(person.persisted_face_ids, Some(vec![from_url]));
    }
}

mod snapshot {
    use super::*;
    use face_sdk::v1_0::models::{OperationStatusType, SnapshotApplyMode, SnapshotObjectType};

    /// The subscription allowed to apply the snapshots of these tests.
    const SCOPE: Uuid = Uuid::from_u128(0x4f1e_2d3c_4b5a_4968_8776_a5b4_c3d2_e1f0);
    const OTHER_SCOPE: Uuid = Uuid::from_u128(0x0123_4567_89ab_4cde_8f01_2345_6789_abcd);

    /// The id at the end of a resource location such as `/snapshots/{id}`.
    fn last_segment(location: &str) -> &str {
        location.rsplit('/').next().unwrap_or_default()
    }

    /// A person group with two persons and a face each.
    async fn person_group(client: &FaceClient, id: &str) -> Vec<Uuid> {
        client
            .v1_0()
            .person_group()
            .create(id, "Original")
            .user_data("to be copied")
            .recognition_model(MODEL)
            .await
            .expect("created");
        let mut persons = Vec::new();
        for name in ["alice", "bob"] {
            let person = client
                .v1_0()
                .person_group_person()
                .create(id)
                .name(name)
                .await
                .expect("created")
                .person_id;
            client
                .v1_0()
                .person_group_person()
                .add_face_from_url(id, person, photo(name, 1))
                .await
                .expect("added");
            persons.push(person);
        }
        persons
    }

    #[tokio::test]
    async fn take_get_list_update_apply_and_delete() {
        let (server, client) = start().await;
        let persons = person_group(&client, "snap-source").await;

        let taken = client
            .v1_0()
            .snapshot()
            .take(SnapshotObjectType::PersonGroup, "snap-source", [SCOPE])
            .user_data("nightly")
            .send_and_wait(Polling::default())
            .await
            .expect("the snapshot is taken");
        assert_eq!(taken.status, OperationStatusType::Succeeded);
        let location = taken.resource_location.expect("a take names its snapshot");
        assert!(location.starts_with("/snapshots/"), "{location}");
        let snapshot_id: Uuid = last_segment(&location).parse().expect("a snapshot id");

        let snapshot = client
            .v1_0()
            .snapshot()
            .get(snapshot_id)
            .await
            .expect("read back");
        assert_eq!(snapshot.id, snapshot_id);
        assert_eq!(snapshot.r#type, SnapshotObjectType::PersonGroup);
        assert_eq!(snapshot.apply_scope, [SCOPE]);
        assert_eq!(snapshot.user_data.as_deref(), Some("nightly"));
        assert_eq!(snapshot.account, server.account_id().to_string());

        let all = client.v1_0().snapshot().list().await.expect("listed");
        assert_eq!(all.iter().map(|s| s.id).collect::<Vec<_>>(), [snapshot_id]);
        let of_type = client
            .v1_0()
            .snapshot()
            .list()
            .r#type(SnapshotObjectType::PersonGroup)
            .apply_scope([SCOPE])
            .await
            .expect("listed");
        assert_eq!(of_type.len(), 1);
        let other_type = client
            .v1_0()
            .snapshot()
            .list()
            .r#type(SnapshotObjectType::LargeFaceList)
            .await
            .expect("listed");
        assert!(other_type.is_empty(), "{other_type:?}");
        let other_scope = client
            .v1_0()
            .snapshot()
            .list()
            .apply_scope([OTHER_SCOPE])
            .await
            .expect("listed");
        assert!(other_scope.is_empty(), "{other_scope:?}");

        client
            .v1_0()
            .snapshot()
            .update(snapshot_id)
            .apply_scope([SCOPE, OTHER_SCOPE])
            .user_data("weekly")
            .await
            .expect("updated");
        let updated = client
            .v1_0()
            .snapshot()
            .get(snapshot_id)
            .await
            .expect("read back");
        assert_eq!(updated.apply_scope, [SCOPE, OTHER_SCOPE]);
        assert_eq!(updated.user_data.as_deref(), Some("weekly"));
        assert!(updated.last_update_time >= snapshot.last_update_time);
        let by_new_scope = client
            .v1_0()
            .snapshot()
            .list()
            .apply_scope([OTHER_SCOPE])
            .await
            .expect("listed");
        assert_eq!(by_new_scope.len(), 1);

        let applied = client
            .v1_0()
            .snapshot()
            .apply(snapshot_id, "snap-copy")
            .mode(SnapshotApplyMode::CreateNew)
            .send_and_wait(Polling::default())
            .await
            .expect("the snapshot is applied");
        assert_eq!(applied.status, OperationStatusType::Succeeded);
        assert_eq!(
            applied.resource_location.as_deref(),
            Some("/persongroups/snap-copy")
        );
        let copy = client
            .v1_0()
            .person_group()
            .get("snap-copy")
            .await
            .expect("the copy exists");
        assert_eq!(copy.name, "Original");
        assert_eq!(copy.user_data.as_deref(), Some("to be copied"));
        let copied: Vec<_> = client
            .v1_0()
            .person_group_person()
            .list("snap-copy")
            .into_stream()
            .try_collect()
            .await
            .expect("listed");
        assert_eq!(
            copied.iter().map(|p| p.person_id).collect::<Vec<_>>(),
            sorted(persons.clone())
        );
        assert!(
            copied
                .iter()
                .all(|p| p.persisted_face_ids.as_ref().map(Vec::len) == Some(1))
        );
        // A copy must be trained before use; then it identifies as the original did.
        assert_not_found(
            client
                .v1_0()
                .person_group()
                .get_training_status("snap-copy")
                .await,
            "PersonGroupNotTrained",
        );
        client
            .v1_0()
            .person_group()
            .train("snap-copy")
            .send_and_wait(Polling::default())
            .await
            .expect("the copy trains");
        let face = face_of(&client, &photo("bob", 2)).await;
        let identified = client
            .v1_0()
            .face()
            .identify([face])
            .person_group_id("snap-copy")
            .await
            .expect("the copy identifies");
        assert_eq!(identified[0].candidates[0].person_id, persons[1]);
        assert_service(
            client
                .v1_0()
                .snapshot()
                .apply(snapshot_id, "snap-copy")
                .await,
            409,
            "PersonGroupExists",
        );

        client
            .v1_0()
            .snapshot()
            .delete(snapshot_id)
            .await
            .expect("deleted");
        assert_not_found(
            client.v1_0().snapshot().get(snapshot_id).await,
            "SnapshotNotFound",
        );
        assert!(
            client
                .v1_0()
                .snapshot()
                .list()
                .await
                .expect("listed")
                .is_empty()
        );
        client
            .v1_0()
            .person_group()
            .get("snap-copy")
            .await
            .expect("the applied copy outlives its snapshot");
    }

    #[tokio::test]
    async fn get_operation_status_reads_the_operation_in_operation_location() {
        let (_server, client) = start().await;
        person_group(&client, "op-source").await;

        let response = client
            .v1_0()
            .snapshot()
            .take(SnapshotObjectType::PersonGroup, "op-source", [SCOPE])
            .send_raw()
            .await
            .expect("the take is accepted");
        assert_eq!(response.status().as_u16(), 202);
        let location = response
            .operation_location()
            .expect("an Operation-Location header");
        assert!(location.contains("/operations/"), "{location}");
        let operation_id: Uuid = last_segment(location).parse().expect("an operation id");

        let status = client
            .v1_0()
            .snapshot()
            .get_operation_status(operation_id)
            .await
            .expect("read");
        assert_eq!(status.status, OperationStatusType::Succeeded);
        let snapshot = status
            .resource_location
            .expect("a finished take names its snapshot");
        let snapshot_id: Uuid = last_segment(&snapshot).parse().expect("a snapshot id");
        assert_eq!(
            client
                .v1_0()
                .snapshot()
                .get(snapshot_id)
                .await
                .expect("read back")
                .r#type,
            SnapshotObjectType::PersonGroup
        );

        // Training answers with an operation too.
        let training = client
            .v1_0()
            .person_group()
            .train("op-source")
            .send_raw()
            .await
            .expect("training starts");
        let training_id: Uuid = last_segment(training.operation_location().expect("a location"))
            .parse()
            .expect("an operation id");
        let status = client
            .v1_0()
            .snapshot()
            .get_operation_status(training_id)
            .await
            .expect("read");
        assert_eq!(status.status, OperationStatusType::Succeeded);

        assert_not_found(
            client
                .v1_0()
                .snapshot()
                .get_operation_status(Uuid::nil())
                .await,
            "OperationNotFound",
        );
    }

    #[tokio::test]
    async fn every_kind_of_object_is_copied_by_take_and_apply() {
        let (_server, client) = start().await;
        client
            .v1_0()
            .face_list()
            .create("kind-fl", "FL")
            .await
            .expect("created");
        client
            .v1_0()
            .face_list()
            .add_face_from_url("kind-fl", photo("alice", 1))
            .await
            .expect("added");
        client
            .v1_0()
            .large_face_list()
            .create("kind-lfl", "LFL")
            .await
            .expect("created");
        client
            .v1_0()
            .large_face_list()
            .add_face_from_url("kind-lfl", photo("alice", 1))
            .await
            .expect("added");
        client
            .v1_0()
            .person_group()
            .create("kind-pg", "PG")
            .await
            .expect("created");
        client
            .v1_0()
            .large_person_group()
            .create("kind-lpg", "LPG")
            .await
            .expect("created");

        for (kind, source) in [
            (SnapshotObjectType::FaceList, "kind-fl"),
            (SnapshotObjectType::LargeFaceList, "kind-lfl"),
            (SnapshotObjectType::PersonGroup, "kind-pg"),
            (SnapshotObjectType::LargePersonGroup, "kind-lpg"),
        ] {
            let taken = client
                .v1_0()
                .snapshot()
                .take(kind.clone(), source, [SCOPE])
                .send_and_wait(Polling::default())
                .await
                .expect("taken");
            let location = taken.resource_location.expect("a snapshot location");
            let snapshot_id: Uuid = last_segment(&location).parse().expect("a snapshot id");
            assert_eq!(
                client
                    .v1_0()
                    .snapshot()
                    .get(snapshot_id)
                    .await
                    .expect("read back")
                    .r#type,
                kind
            );
            let target = format!("{source}-copy");
            client
                .v1_0()
                .snapshot()
                .apply(snapshot_id, &target)
                .send_and_wait(Polling::default())
                .await
                .expect("applied");
        }

        let fl = client
            .v1_0()
            .face_list()
            .get("kind-fl-copy")
            .await
            .expect("copied");
        assert_eq!(
            (fl.name.as_str(), fl.persisted_faces.map(|f| f.len())),
            ("FL", Some(1))
        );
        let lfl = client
            .v1_0()
            .large_face_list()
            .get("kind-lfl-copy")
            .await
            .expect("copied");
        assert_eq!(lfl.name, "LFL");
        assert_eq!(
            client
                .v1_0()
                .large_face_list()
                .list_faces("kind-lfl-copy")
                .await
                .expect("listed")
                .len(),
            1
        );
        assert_eq!(
            client
                .v1_0()
                .person_group()
                .get("kind-pg-copy")
                .await
                .expect("copied")
                .name,
            "PG"
        );
        assert_eq!(
            client
                .v1_0()
                .large_person_group()
                .get("kind-lpg-copy")
                .await
                .expect("copied")
                .name,
            "LPG"
        );
        assert_eq!(
            client.v1_0().snapshot().list().await.expect("listed").len(),
            4
        );
    }
}

/// Every method the generator makes from `spec/face.yaml` is called in this file as
/// `.<group>().<method>(`.
#[test]
fn every_spec_method_is_called() {
    let methods = face_sdk_tests::spec_methods("spec/face.yaml");
    assert!(!methods.is_empty(), "the spec has methods");
    let source = include_str!("full_surface.rs");
    let code: String = source
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<String>()
        .split_whitespace()
        .collect();
    let uncalled: Vec<String> = methods
        .iter()
        .filter(|method| !code.contains(&format!(".{}().{}(", method.group, method.name)))
        .map(ToString::to_string)
        .collect();
    assert!(uncalled.is_empty(), "never called: {uncalled:?}");
}
