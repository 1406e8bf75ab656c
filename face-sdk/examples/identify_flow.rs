//! The whole identification flow on a large person group: create the group, add persons and
//! their faces, train it and wait for the training, list the persons page by page, detect a
//! new photo, identify and verify it, and clean up.
//!
//! It runs on the embedded `face-mock` emulator, whose images name the person they show:
//!
//! ```sh
//! cargo run --example identify_flow
//! ```

use std::time::Duration;

use face_sdk::v1_0::models::RecognitionModel;
use face_sdk::{FaceClient, Polling};
use futures_util::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = face_mock::MockServer::start(face_mock::MockConfig::new()).await?;
    let client = FaceClient::new(emulator.endpoint(), emulator.key())?;
    let group = "identify-flow-staff";
    let model = RecognitionModel::Recognition04;

    println!("create the large person group `{group}`");
    client
        .v1_0()
        .large_person_group()
        .create(group, "Staff")
        .recognition_model(model.clone())
        .await?;

    let mut people = Vec::new();
    for name in ["alice", "bob", "carol"] {
        let person = client
            .v1_0()
            .large_person_group_person()
            .create(group)
            .name(name)
            .user_data("team blue")
            .await?;
        for photo in 1..=2 {
            let face = client
                .v1_0()
                .large_person_group_person()
                .add_face_from_url(group, person.person_id, photo_url(name, photo))
                .user_data(format!("photo {photo}"))
                .await?;
            println!("  {name}: added face {}", face.persisted_face_id);
        }
        people.push((name, person.person_id));
    }

    println!("train the group and wait for the training");
    let polling = Polling::default()
        .first_interval(Duration::from_millis(50))
        .timeout(Duration::from_secs(30));
    let status = client
        .v1_0()
        .large_person_group()
        .train(group)
        .send_and_wait(polling)
        .await?;
    println!(
        "  training {} at {}",
        status.status, status.created_date_time
    );

    println!("list the persons, two per page");
    let persons: Vec<_> = client
        .v1_0()
        .large_person_group_person()
        .list(group)
        .top(2)
        .into_stream()
        .try_collect()
        .await?;
    for person in &persons {
        println!(
            "  {} ({} faces)",
            person.name.as_deref().unwrap_or("?"),
            person.persisted_face_ids.as_ref().map_or(0, Vec::len)
        );
    }

    println!("detect a new photo of bob and identify it");
    let faces = client
        .v1_0()
        .face()
        .detect_with_url(photo_url("bob", 3))
        .recognition_model(model)
        .await?;
    let face_id = faces
        .first()
        .and_then(|face| face.face_id)
        .ok_or("no face was detected")?;
    let results = client
        .v1_0()
        .face()
        .identify([face_id])
        .large_person_group_id(group)
        .max_num_of_candidates_returned(3)
        .await?;
    for candidate in results.iter().flat_map(|result| &result.candidates) {
        let name = people
            .iter()
            .find(|(_, id)| *id == candidate.person_id)
            .map_or("?", |(name, _)| name);
        println!(
            "  candidate {name} with confidence {:.2}",
            candidate.confidence
        );
    }

    for (name, person_id) in &people {
        let verdict = client
            .v1_0()
            .face()
            .verify_face_to_person(face_id, *person_id)
            .large_person_group_id(group)
            .await?;
        println!(
            "  is it {name}? {} ({:.2})",
            verdict.is_identical, verdict.confidence
        );
    }

    println!("delete the group");
    client.v1_0().large_person_group().delete(group).await?;
    emulator.shutdown().await;
    Ok(())
}

/// An image URL whose emulator tag says which person it shows.
fn photo_url(person: &str, photo: u32) -> String {
    format!("https://example.com/{person}-{photo}.jpg?FACE-MOCK:person%3D{person}")
}
