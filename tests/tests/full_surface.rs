//! Every generated method of `face_sdk::v1_0` that manages the service's objects (lists,
//! groups, persons, faces, snapshots), called on the wire against the `face-mock` emulator
//! (started in-process for each test), with what a user would check about its result:
//! created things read back, updates show in get, deletes make get fail with a 404, lists
//! and `into_stream` return what was created, background work finishes. The face
//! operations (detect, find similar, group, identify, verify) and what they find are tested
//! once, in `emulator_flows.rs`.
//!
//! Face lists and large face lists behave alike: one body of tests, `face_list_kind_tests!`,
//! runs for each kind. So do person groups and large person groups, and their persons:
//! `person_group_kind_tests!`. The test `every_spec_method_is_called` checks, against the
//! methods the generator makes from `spec/face.yaml`, that this file or `emulator_flows.rs`
//! calls each of them as `.<group>().<method>(`, directly or in the expansion of one of those
//! macros.

use face_sdk::v1_0::models::{PersistedFaceId, PersonId, RecognitionModel};
use face_sdk::{FaceClient, Polling};
use face_sdk_tests::emulator::{
    MODEL, assert_not_found, assert_service, face_of, photo, start, tagged_jpeg,
};
use futures_util::TryStreamExt;
use uuid::Uuid;

/// The ids in the order the service lists them: by their text.
fn sorted<Id: ToString>(ids: impl IntoIterator<Item = Id>) -> Vec<Id> {
    let mut ids: Vec<Id> = ids.into_iter().collect();
    ids.sort_by_key(ToString::to_string);
    ids
}

/// The tests of one kind of face list (`face_list` or `large_face_list`): both kinds are
/// created, read, listed, updated and deleted alike, and take and drop faces alike, so one
/// body of tests runs for each. `$id_field` names the id field of the kind's model. The
/// module that invokes the macro gives `faces`, its kind's reader of the faces of a list,
/// and the tests only its kind has.
macro_rules! face_list_kind_tests {
    (
        list: $list:ident,
        id_field: $id_field:ident,
        prefix: $prefix:literal,
        not_found: $not_found:literal,
    ) => {
        const A: &str = concat!($prefix, "-a");
        const B: &str = concat!($prefix, "-b");
        const C: &str = concat!($prefix, "-c");
        const FACES: &str = concat!($prefix, "-faces");

        #[tokio::test]
        async fn create_get_list_update_and_delete() {
            let (_server, client) = start().await;
            for (id, name) in [(C, "C"), (A, "A")] {
                client
                    .v1_0()
                    .$list()
                    .create(id, name)
                    .user_data(format!("list {name}"))
                    .recognition_model(MODEL)
                    .await
                    .expect("created");
            }
            client
                .v1_0()
                .$list()
                .create(B, "B")
                .user_data("list B")
                .await
                .expect("created");

            let a = client
                .v1_0()
                .$list()
                .get(A)
                .return_recognition_model(true)
                .await
                .expect("read back");
            assert_eq!(a.$id_field, A);
            assert_eq!(a.name, "A");
            assert_eq!(a.user_data.as_deref(), Some("list A"));
            assert_eq!(a.recognition_model, Some(MODEL));

            let listed = client
                .v1_0()
                .$list()
                .list()
                .return_recognition_model(true)
                .await
                .expect("listed");
            let found: Vec<(&str, Option<RecognitionModel>)> = listed
                .iter()
                .map(|list| (list.$id_field.as_str(), list.recognition_model.clone()))
                .collect();
            assert_eq!(
                found,
                [
                    (A, Some(MODEL)),
                    (B, Some(RecognitionModel::Recognition01)),
                    (C, Some(MODEL))
                ],
                "in id order, the default model where none was given"
            );

            client
                .v1_0()
                .$list()
                .update(A)
                .name("Renamed")
                .user_data("updated")
                .await
                .expect("updated");
            let a = client.v1_0().$list().get(A).await.expect("read back");
            assert_eq!(
                (a.name.as_str(), a.user_data.as_deref()),
                ("Renamed", Some("updated"))
            );
            assert_eq!(a.recognition_model, None, "only when asked for");
            client
                .v1_0()
                .$list()
                .update(B)
                .name("B, renamed")
                .await
                .expect("updated");
            let b = client.v1_0().$list().get(B).await.expect("read back");
            assert_eq!(b.name, "B, renamed");
            assert_eq!(b.user_data.as_deref(), Some("list B"), "userData kept");

            client.v1_0().$list().delete(B).await.expect("deleted");
            assert_not_found(client.v1_0().$list().get(B).await, $not_found);
            let left: Vec<_> = client
                .v1_0()
                .$list()
                .list()
                .await
                .expect("listed")
                .into_iter()
                .map(|list| list.$id_field)
                .collect();
            assert_eq!(left, [A, C]);
        }

        #[tokio::test]
        async fn faces_are_added_from_url_bytes_and_a_target_face_and_deleted() {
            let (_server, client) = start().await;
            client
                .v1_0()
                .$list()
                .create(FACES, "Faces")
                .recognition_model(MODEL)
                .await
                .expect("created");

            let from_url = client
                .v1_0()
                .$list()
                .add_face_from_url(FACES, photo("alice", 1))
                .user_data("from a url")
                .await
                .expect("added")
                .persisted_face_id;
            let image = tagged_jpeg("FACE-MOCK:person=bob");
            let uploaded = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
            let progress = uploaded.clone();
            let from_bytes = client
                .v1_0()
                .$list()
                .add_face_from_stream(FACES, image.clone())
                .user_data("from bytes")
                .detection_model(face_sdk::v1_0::models::DetectionModel::Detection01)
                .on_upload_progress(move |step| {
                    progress.store(step.sent, std::sync::atomic::Ordering::SeqCst);
                })
                .await
                .expect("added")
                .persisted_face_id;
            assert_eq!(
                uploaded.load(std::sync::atomic::Ordering::SeqCst),
                image.len() as u64,
                "the whole image was reported sent"
            );
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
                .$list()
                .add_face_from_url(FACES, team)
                .target_face([r.left, r.top, r.width, r.height])
                .await
                .expect("added")
                .persisted_face_id;
            assert_ne!(from_url, from_bytes);
            assert_ne!(from_bytes, targeted);

            let mut expected = vec![
                (from_url, Some("from a url".to_owned())),
                (from_bytes, Some("from bytes".to_owned())),
                (targeted, None),
            ];
            expected.sort_by_key(|(id, _)| *id);
            assert_eq!(faces(&client, FACES).await, expected);

            client
                .v1_0()
                .$list()
                .delete_face(FACES, from_url)
                .await
                .expect("deleted");
            expected.retain(|(id, _)| *id != from_url);
            assert_eq!(faces(&client, FACES).await, expected);
            assert_not_found(
                client.v1_0().$list().delete_face(FACES, from_url).await,
                "PersistedFaceNotFound",
            );
        }
    };
}

mod face_list {
    use super::*;

    /// The faces of a face list as its get names them, by id.
    async fn faces(client: &FaceClient, id: &str) -> Vec<(PersistedFaceId, Option<String>)> {
        let mut faces: Vec<_> = client
            .v1_0()
            .face_list()
            .get(id)
            .await
            .expect("read back")
            .persisted_faces
            .expect("a face list names its faces")
            .into_iter()
            .map(|face| (face.persisted_face_id, face.user_data))
            .collect();
        faces.sort_by_key(|(id, _)| *id);
        faces
    }

    face_list_kind_tests! {
        list: face_list,
        id_field: face_list_id,
        prefix: "fl",
        not_found: "FaceListNotFound",
    }

    #[tokio::test]
    async fn get_names_the_faces_in_the_order_they_were_added() {
        let (_server, client) = start().await;
        client
            .v1_0()
            .face_list()
            .create("fl-faces", "Faces")
            .recognition_model(MODEL)
            .await
            .expect("created");
        let empty = client
            .v1_0()
            .face_list()
            .get("fl-faces")
            .await
            .expect("read back");
        assert_eq!(empty.persisted_faces, Some(vec![]));

        let from_url = client
            .v1_0()
            .face_list()
            .add_face_from_url("fl-faces", photo("alice", 1))
            .user_data("from a url")
            .await
            .expect("added")
            .persisted_face_id;
        let from_bytes = client
            .v1_0()
            .face_list()
            .add_face_from_stream("fl-faces", tagged_jpeg("FACE-MOCK:person=bob"))
            .user_data("from bytes")
            .await
            .expect("added")
            .persisted_face_id;

        let list = client
            .v1_0()
            .face_list()
            .get("fl-faces")
            .await
            .expect("read back");
        let faces = list.persisted_faces.expect("a face list names its faces");
        let found: Vec<(PersistedFaceId, Option<&str>)> = faces
            .iter()
            .map(|face| (face.persisted_face_id, face.user_data.as_deref()))
            .collect();
        assert_eq!(
            found,
            [
                (from_url, Some("from a url")),
                (from_bytes, Some("from bytes"))
            ],
            "in the order they were added"
        );
    }
}

mod large_face_list {
    use super::*;
    use face_sdk::v1_0::models::TrainingStatusType;

    /// The faces of a large face list as its list of faces names them, by id.
    async fn faces(client: &FaceClient, id: &str) -> Vec<(PersistedFaceId, Option<String>)> {
        let mut faces: Vec<_> = client
            .v1_0()
            .large_face_list()
            .list_faces(id)
            .into_stream()
            .map_ok(|face| (face.persisted_face_id, face.user_data))
            .try_collect()
            .await
            .expect("every page is read");
        faces.sort_by_key(|(id, _)| *id);
        faces
    }

    face_list_kind_tests! {
        list: large_face_list,
        id_field: large_face_list_id,
        prefix: "lfl",
        not_found: "LargeFaceListNotFound",
    }

    #[tokio::test]
    async fn lists_are_read_in_pages() {
        let (_server, client) = start().await;
        for (id, name) in [("lfl-c", "C"), ("lfl-a", "A"), ("lfl-b", "B")] {
            client
                .v1_0()
                .large_face_list()
                .create(id, name)
                .recognition_model(MODEL)
                .await
                .expect("created");
        }

        let page = client
            .v1_0()
            .large_face_list()
            .list()
            .top(2)
            .await
            .expect("listed");
        let ids: Vec<_> = page
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
        let ids: Vec<_> = after
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
    }

    #[tokio::test]
    async fn faces_are_read_listed_in_pages_updated_and_deleted() {
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
        let third = client
            .v1_0()
            .large_face_list()
            .add_face_from_url("lfl-faces", photo("carol", 1))
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
        let listed: Vec<_> = all.iter().map(|face| face.persisted_face_id).collect();
        assert_eq!(listed, sorted([from_url, from_bytes, third]), "in id order");

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
        client
            .v1_0()
            .large_face_list()
            .add_face_from_url("lfl-train", photo("alice", 1))
            .await
            .expect("added");
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
    }
}

/// The tests of one kind of person group (`person_group` or `large_person_group`) and of its
/// persons (`$person`): both kinds are created, read, listed, updated, deleted and trained
/// alike, so one body of tests runs for each. `$id_field` names both the id field of the
/// kind's model and the argument of identify that picks a group of that kind.
macro_rules! person_group_kind_tests {
    (
        group: $group:ident,
        person: $person:ident,
        id_field: $id_field:ident,
        prefix: $prefix:literal,
        not_found: $not_found:literal,
        not_trained: $not_trained:literal,
    ) => {
        mod $group {
            use super::*;
            use face_sdk::v1_0::models::TrainingStatusType;

            const A: &str = concat!($prefix, "-a");
            const B: &str = concat!($prefix, "-b");
            const C: &str = concat!($prefix, "-c");
            const TRAIN: &str = concat!($prefix, "-train");

            #[tokio::test]
            async fn create_get_list_update_and_delete() {
                let (_server, client) = start().await;
                for id in [B, A, C] {
                    client
                        .v1_0()
                        .$group()
                        .create(id, format!("Group {id}"))
                        .user_data("first")
                        .recognition_model(MODEL)
                        .await
                        .expect("created");
                }

                let a = client
                    .v1_0()
                    .$group()
                    .get(A)
                    .return_recognition_model(true)
                    .await
                    .expect("read back");
                assert_eq!(a.$id_field, A);
                assert_eq!(a.name, format!("Group {A}"));
                assert_eq!(a.user_data.as_deref(), Some("first"));
                assert_eq!(a.recognition_model, Some(MODEL));

                let page = client
                    .v1_0()
                    .$group()
                    .list()
                    .start(A)
                    .top(1)
                    .await
                    .expect("listed");
                assert_eq!(page.len(), 1);
                assert_eq!(page[0].$id_field, B);
                let rest = client
                    .v1_0()
                    .$group()
                    .list()
                    .start(B)
                    .await
                    .expect("listed");
                assert_eq!(rest.len(), 1);
                assert_eq!(rest[0].$id_field, C);
                for top in [1, 2] {
                    let all: Vec<_> = client
                        .v1_0()
                        .$group()
                        .list()
                        .top(top)
                        .return_recognition_model(true)
                        .into_stream()
                        .try_collect()
                        .await
                        .expect("every page is read");
                    let ids: Vec<&str> = all.iter().map(|group| group.$id_field.as_str()).collect();
                    assert_eq!(ids, [A, B, C], "pages of {top}");
                    assert!(
                        all.iter()
                            .all(|group| group.recognition_model == Some(MODEL))
                    );
                }

                client
                    .v1_0()
                    .$group()
                    .update(C)
                    .user_data("second")
                    .await
                    .expect("updated");
                let c = client.v1_0().$group().get(C).await.expect("read back");
                assert_eq!(c.user_data.as_deref(), Some("second"));
                assert_eq!(c.name, format!("Group {C}"), "name kept");
                client
                    .v1_0()
                    .$group()
                    .update(A)
                    .name("Renamed")
                    .user_data("third")
                    .await
                    .expect("updated");
                let a = client.v1_0().$group().get(A).await.expect("read back");
                assert_eq!(
                    (a.name.as_str(), a.user_data.as_deref()),
                    ("Renamed", Some("third"))
                );

                client.v1_0().$group().delete(C).await.expect("deleted");
                assert_not_found(client.v1_0().$group().get(C).await, $not_found);
                let left = client.v1_0().$group().list().await.expect("listed");
                assert_eq!(left.len(), 2);
            }

            #[tokio::test]
            async fn training_succeeds_and_its_status_reads_succeeded() {
                let (_server, client) = start().await;
                client
                    .v1_0()
                    .$group()
                    .create(TRAIN, "Train")
                    .recognition_model(MODEL)
                    .await
                    .expect("created");
                let person = client
                    .v1_0()
                    .$person()
                    .create(TRAIN)
                    .name("alice")
                    .await
                    .expect("created")
                    .person_id;
                client
                    .v1_0()
                    .$person()
                    .add_face_from_url(TRAIN, person, photo("alice", 1))
                    .await
                    .expect("added");
                assert_not_found(
                    client.v1_0().$group().get_training_status(TRAIN).await,
                    $not_trained,
                );

                let waited = client
                    .v1_0()
                    .$group()
                    .train(TRAIN)
                    .send_and_wait(Polling::default())
                    .await
                    .expect("training succeeds");
                assert_eq!(waited.status, TrainingStatusType::Succeeded);
                let status = client
                    .v1_0()
                    .$group()
                    .get_training_status(TRAIN)
                    .await
                    .expect("read");
                assert_eq!(status.status, TrainingStatusType::Succeeded);
                assert!(
                    status.last_successful_training_date_time.is_some(),
                    "{status:?}"
                );
            }
        }

        mod $person {
            use super::*;

            const PEOPLE: &str = concat!($prefix, "p");
            const FACES: &str = concat!($prefix, "p-faces");

            async fn group(client: &FaceClient, id: &str) {
                client
                    .v1_0()
                    .$group()
                    .create(id, "People")
                    .recognition_model(MODEL)
                    .await
                    .expect("created");
            }

            #[tokio::test]
            async fn create_get_list_update_and_delete() {
                let (_server, client) = start().await;
                group(&client, PEOPLE).await;
                let mut created = Vec::new();
                for name in ["alice", "bob", "carol", "dana"] {
                    let person = client
                        .v1_0()
                        .$person()
                        .create(PEOPLE)
                        .name(name)
                        .user_data(format!("{name}'s data"))
                        .await
                        .expect("created");
                    created.push(person.person_id);
                }
                let nameless = client
                    .v1_0()
                    .$person()
                    .create(PEOPLE)
                    .await
                    .expect("a person needs no name")
                    .person_id;
                created.push(nameless);

                let bob = client
                    .v1_0()
                    .$person()
                    .get(PEOPLE, created[1])
                    .await
                    .expect("read back");
                assert_eq!(bob.person_id, created[1]);
                assert_eq!(bob.name.as_deref(), Some("bob"));
                assert_eq!(bob.user_data.as_deref(), Some("bob's data"));
                assert_eq!(bob.persisted_face_ids, Some(vec![]));

                let all: Vec<_> = client
                    .v1_0()
                    .$person()
                    .list(PEOPLE)
                    .top(2)
                    .into_stream()
                    .try_collect()
                    .await
                    .expect("every page is read");
                let listed: Vec<_> = all.iter().map(|person| person.person_id).collect();
                assert_eq!(listed, sorted(created.clone()));
                let first = client
                    .v1_0()
                    .$person()
                    .list(PEOPLE)
                    .top(1)
                    .await
                    .expect("listed");
                assert_eq!(first.len(), 1);
                assert_eq!(first[0].person_id, listed[0]);
                let rest = client
                    .v1_0()
                    .$person()
                    .list(PEOPLE)
                    .start(listed[2].to_string())
                    .await
                    .expect("listed");
                let rest: Vec<_> = rest.iter().map(|person| person.person_id).collect();
                assert_eq!(rest, listed[3..]);

                client
                    .v1_0()
                    .$person()
                    .update(PEOPLE, nameless)
                    .name("erin")
                    .user_data("named later")
                    .await
                    .expect("updated");
                let erin = client
                    .v1_0()
                    .$person()
                    .get(PEOPLE, nameless)
                    .await
                    .expect("read back");
                assert_eq!(erin.name.as_deref(), Some("erin"));
                assert_eq!(erin.user_data.as_deref(), Some("named later"));
                client
                    .v1_0()
                    .$person()
                    .update(PEOPLE, created[1])
                    .user_data("changed")
                    .await
                    .expect("updated");
                let bob = client
                    .v1_0()
                    .$person()
                    .get(PEOPLE, created[1])
                    .await
                    .expect("read back");
                assert_eq!(bob.user_data.as_deref(), Some("changed"));
                assert_eq!(bob.name.as_deref(), Some("bob"), "name kept");

                client
                    .v1_0()
                    .$person()
                    .delete(PEOPLE, created[0])
                    .await
                    .expect("deleted");
                assert_not_found(
                    client.v1_0().$person().get(PEOPLE, created[0]).await,
                    "PersonNotFound",
                );
                let left = client.v1_0().$person().list(PEOPLE).await.expect("listed");
                assert_eq!(left.len(), created.len() - 1);
                assert!(left.iter().all(|person| person.person_id != created[0]));
            }

            #[tokio::test]
            async fn faces_are_added_read_updated_and_deleted() {
                let (_server, client) = start().await;
                group(&client, FACES).await;
                let alice = client
                    .v1_0()
                    .$person()
                    .create(FACES)
                    .name("alice")
                    .await
                    .expect("created")
                    .person_id;

                let from_url = client
                    .v1_0()
                    .$person()
                    .add_face_from_url(FACES, alice, photo("alice", 1))
                    .user_data("from a url")
                    .await
                    .expect("added")
                    .persisted_face_id;
                let from_bytes = client
                    .v1_0()
                    .$person()
                    .add_face_from_stream(FACES, alice, tagged_jpeg("FACE-MOCK:person=alice"))
                    .user_data("from bytes")
                    .await
                    .expect("added")
                    .persisted_face_id;

                let person = client
                    .v1_0()
                    .$person()
                    .get(FACES, alice)
                    .await
                    .expect("read back");
                assert_eq!(person.persisted_face_ids, Some(vec![from_url, from_bytes]));
                for (face_id, user_data) in [(from_url, "from a url"), (from_bytes, "from bytes")] {
                    let face = client
                        .v1_0()
                        .$person()
                        .get_face(FACES, alice, face_id)
                        .await
                        .expect("read back");
                    assert_eq!(face.persisted_face_id, face_id);
                    assert_eq!(face.user_data.as_deref(), Some(user_data));
                }

                client
                    .v1_0()
                    .$person()
                    .update_face(FACES, alice, from_bytes)
                    .user_data("changed")
                    .await
                    .expect("updated");
                let face = client
                    .v1_0()
                    .$person()
                    .get_face(FACES, alice, from_bytes)
                    .await
                    .expect("read back");
                assert_eq!(face.user_data.as_deref(), Some("changed"));

                client
                    .v1_0()
                    .$person()
                    .delete_face(FACES, alice, from_url)
                    .await
                    .expect("deleted");
                assert_not_found(
                    client
                        .v1_0()
                        .$person()
                        .get_face(FACES, alice, from_url)
                        .await,
                    "PersistedFaceNotFound",
                );
                let person = client
                    .v1_0()
                    .$person()
                    .get(FACES, alice)
                    .await
                    .expect("read back");
                assert_eq!(person.persisted_face_ids, Some(vec![from_bytes]));
            }
        }
    };
}

person_group_kind_tests! {
    group: person_group,
    person: person_group_person,
    id_field: person_group_id,
    prefix: "pg",
    not_found: "PersonGroupNotFound",
    not_trained: "PersonGroupNotTrained",
}

person_group_kind_tests! {
    group: large_person_group,
    person: large_person_group_person,
    id_field: large_person_group_id,
    prefix: "lpg",
    not_found: "LargePersonGroupNotFound",
    not_trained: "LargePersonGroupNotTrained",
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
    async fn person_group(client: &FaceClient, id: &str) -> Vec<PersonId> {
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

        let kinds = [
            (SnapshotObjectType::FaceList, "kind-fl"),
            (SnapshotObjectType::LargeFaceList, "kind-lfl"),
            (SnapshotObjectType::PersonGroup, "kind-pg"),
            (SnapshotObjectType::LargePersonGroup, "kind-lpg"),
        ];
        assert_eq!(
            kinds.len(),
            face_sdk_tests::spec_enum_values("spec/face.yaml", "SnapshotObjectType").len(),
            "one object of each kind the spec names"
        );
        for (kind, source) in kinds.clone() {
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
            kinds.len()
        );
    }
}

/// This file's code and that of `emulator_flows.rs`, without comments, followed by the body of each `*_kind_tests!`
/// invocation as the compiler expands it: the macro's `$name`s replaced by the values the
/// invocation gives them.
fn expanded_code() -> String {
    let source: String = [
        include_str!("full_surface.rs"),
        include_str!("emulator_flows.rs"),
    ]
    .concat()
    .lines()
    .filter(|line| !line.trim_start().starts_with("//"))
    .flat_map(|line| [line, "\n"])
    .collect();
    let mut code = source.clone();
    let mut lines = source.lines().map(str::trim);
    while let Some(line) = lines.next() {
        if !line.ends_with("_kind_tests! {") {
            continue;
        }
        let mut bindings: Vec<(&str, &str)> = lines
            .by_ref()
            .take_while(|line| *line != "}")
            .filter_map(|line| line.trim_end_matches(',').split_once(": "))
            .collect();
        // A longer name first, so that no name is replaced inside another.
        bindings.sort_by_key(|(name, _)| std::cmp::Reverse(name.len()));
        let expanded = bindings.iter().fold(source.clone(), |code, (name, value)| {
            code.replace(&format!("${name}"), value)
        });
        code.push_str(&expanded);
    }
    code
}

/// Every method the generator makes from `spec/face.yaml` is called in this file or in
/// `emulator_flows.rs` as
/// `.<group>().<method>(`, directly or in the body of a macro that an invocation expands for
/// that group.
#[test]
fn every_spec_method_is_called() {
    let methods = face_sdk_tests::spec_methods("spec/face.yaml");
    assert!(!methods.is_empty(), "the spec has methods");
    let code: String = expanded_code().split_whitespace().collect();
    let uncalled: Vec<String> = methods
        .iter()
        .filter(|method| !code.contains(&format!(".{}().{}(", method.group, method.name)))
        .map(ToString::to_string)
        .collect();
    assert!(uncalled.is_empty(), "never called: {uncalled:?}");
}
