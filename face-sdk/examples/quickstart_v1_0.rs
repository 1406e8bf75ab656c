//! The walk of `quickstart`, in the terms of the Face API v1.0 (`face_sdk::v1_0`, the opt-in
//! `v1_0` feature): detect (from a URL and from bytes), find similar, group, identify, and
//! verify (face to face, face to person).
//!
//! By default it starts the `face-mock` emulator in-process and runs against it. To run it
//! against a Face resource, set `FACE_ENDPOINT`, `FACE_KEY` and `FACE_IMAGE_URLS` (three
//! comma-separated image URLs: two photos of one person, then one of someone else).
//!
//! ```sh
//! cargo run --example quickstart_v1_0 --features v1_0
//! ```

use std::time::Duration;

use bytes::Bytes;
use face_sdk::FaceClient;
use face_sdk::v1_0::models::{
    DetectedFace, FaceAttributeType, FaceId, FindSimilarMatchMode, PersonGroupId, PersonId,
    RecognitionModel, TrainingStatusType,
};

mod common;

use common::connect;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, photos, _emulator) = connect().await?;

    println!("1. detect_with_url: faces with landmarks and attributes");
    let faces = client
        .v1_0()
        .face()
        .detect_with_url(&photos.urls[0])
        .return_face_landmarks(true)
        .return_face_attributes([
            FaceAttributeType::Age,
            FaceAttributeType::Glasses,
            FaceAttributeType::Smile,
        ])
        .recognition_model(RecognitionModel::Recognition04)
        .return_recognition_model(true)
        .await?;
    faces.iter().for_each(describe);
    let first = face_id(&faces)?;

    println!("\n2. detect_with_stream: the same person, uploaded as bytes");
    let uploaded = client
        .v1_0()
        .face()
        .detect_with_stream(photos.upload.clone())
        .recognition_model(RecognitionModel::Recognition04)
        .on_upload_progress(|progress| {
            if Some(progress.sent) == progress.total {
                println!("   uploaded {} bytes", progress.sent);
            }
        })
        .await?;
    uploaded.iter().for_each(describe);
    let second = face_id(&uploaded)?;

    let other = client
        .v1_0()
        .face()
        .detect_with_url(&photos.urls[2])
        .recognition_model(RecognitionModel::Recognition04)
        .await?;
    let stranger = face_id(&other)?;

    println!("\n3. find_similar: which candidates look like the first face");
    let similar = client
        .v1_0()
        .face()
        .find_similar(first)
        .face_ids([second, stranger])
        .mode(FindSimilarMatchMode::MatchFace)
        .await?;
    for candidate in &similar {
        println!(
            "   {} with confidence {:.2}",
            show(candidate.face_id),
            candidate.confidence
        );
    }

    println!("\n4. group: faces of one person end up together");
    let groups = client
        .v1_0()
        .face()
        .group([first, second, stranger])
        .await?;
    for (index, group) in groups.groups.iter().enumerate() {
        println!("   group {}: {} faces", index + 1, group.len());
    }
    println!(
        "   messy group: {} faces",
        groups.messy_group.as_ref().map_or(0, Vec::len)
    );

    println!("\n5. identify: who, among the members of a person group, is the first face");
    let group_id = PersonGroupId::from("quickstart-friends");
    let person_id = create_person_group(&client, &group_id, photos.upload).await?;
    let identified = client
        .v1_0()
        .face()
        .identify([first])
        .person_group_id(&group_id)
        .confidence_threshold(0.5)
        .await?;
    for result in &identified {
        for candidate in &result.candidates {
            let who = if candidate.person_id == person_id {
                "Alice"
            } else {
                "someone else"
            };
            println!(
                "   face {} is {who} ({:.2})",
                result.face_id, candidate.confidence
            );
        }
    }

    println!("\n6. verify_face_to_face: the two photos of Alice, then Alice and a stranger");
    let same = client
        .v1_0()
        .face()
        .verify_face_to_face(first, second)
        .await?;
    let different = client
        .v1_0()
        .face()
        .verify_face_to_face(first, stranger)
        .await?;
    println!(
        "   same person: {} ({:.2})",
        same.is_identical, same.confidence
    );
    println!(
        "   same person: {} ({:.2})",
        different.is_identical, different.confidence
    );

    println!("\n7. verify_face_to_person: is the stranger Alice?");
    let verdict = client
        .v1_0()
        .face()
        .verify_face_to_person(stranger, person_id)
        .person_group_id(&group_id)
        .await?;
    println!(
        "   same person: {} ({:.2})",
        verdict.is_identical, verdict.confidence
    );

    client.v1_0().person_group().delete(&group_id).await?;
    println!("\ndone: the person group `{group_id}` is deleted again");
    Ok(())
}

/// Creates a person group with one person, Alice, adds her photo and trains the group.
async fn create_person_group(
    client: &FaceClient,
    group_id: &PersonGroupId,
    photo: Bytes,
) -> Result<PersonId, Box<dyn std::error::Error>> {
    client
        .v1_0()
        .person_group()
        .create(group_id, "Friends")
        .recognition_model(RecognitionModel::Recognition04)
        .await?;
    let alice = client
        .v1_0()
        .person_group_person()
        .create(group_id)
        .name("Alice")
        .await?;
    client
        .v1_0()
        .person_group_person()
        .add_face_from_stream(group_id, alice.person_id, photo)
        .await?;
    client.v1_0().person_group().train(group_id).await?;
    loop {
        let status = client
            .v1_0()
            .person_group()
            .get_training_status(group_id)
            .await?;
        println!("   training: {}", status.status);
        match status.status {
            TrainingStatusType::Succeeded => return Ok(alice.person_id),
            TrainingStatusType::Failed => {
                return Err(format!("training failed: {:?}", status.message).into());
            }
            _ => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

fn describe(face: &DetectedFace) {
    let rectangle = &face.face_rectangle;
    println!(
        "   face {} at ({}, {}) size {}x{}",
        show(face.face_id),
        rectangle.left,
        rectangle.top,
        rectangle.width,
        rectangle.height
    );
    if let Some(attributes) = &face.face_attributes {
        let glasses = attributes
            .glasses
            .as_ref()
            .map_or("?", |glasses| glasses.as_str());
        println!(
            "     age {:?}, smile {:?}, glasses {glasses}",
            attributes.age, attributes.smile
        );
    }
    if let Some(landmarks) = &face.face_landmarks
        && let Some(nose) = &landmarks.nose_tip
    {
        println!("     nose tip at ({:.1}, {:.1})", nose.x, nose.y);
    }
}

fn face_id(faces: &[DetectedFace]) -> Result<FaceId, &'static str> {
    faces
        .first()
        .and_then(|face| face.face_id)
        .ok_or("no face was detected")
}

fn show(id: Option<FaceId>) -> String {
    id.map_or_else(|| "-".to_owned(), |id| id.to_string())
}
