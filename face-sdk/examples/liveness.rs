//! A walk through a v1.2 liveness-with-verify session on the embedded emulator,
//! as an app's server runs one: create the session with the reference image,
//! hand the token to the device (here the emulator's test control plays the
//! device), read the result, download the image the session kept and detect
//! the face in it, then delete the session.
//!
//! ```sh
//! cargo run --example liveness
//! ```

use face_mock::{LivenessAttempt, MockConfig, MockServer, tagged_jpeg};
use face_sdk::FaceClient;
use face_sdk::v1_2::models::{LivenessOperationMode, RecognitionModel};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = MockServer::start(MockConfig::new()).await?;
    println!("using the embedded emulator at {}\n", emulator.endpoint());
    let client = FaceClient::new(emulator.endpoint(), emulator.key())?;
    let sessions = client.v1_2().liveness_with_verify_session();

    println!("1. create: a session that verifies against Alice's reference photo");
    let session = sessions
        .create(
            LivenessOperationMode::Passive,
            tagged_jpeg("FACE-MOCK:person=alice"),
        )
        .device_correlation_id("device-0001")
        .enable_session_image(true)
        .await?;
    println!(
        "   session {} ({:?}); the device gets the token {}…",
        session.session_id,
        session.status,
        &session.auth_token[..20.min(session.auth_token.len())]
    );

    println!("2. the device checks the person in front of its camera: Alice, live");
    emulator.finish_liveness_session(
        &session.session_id,
        LivenessAttempt::real().showing("alice"),
    )?;

    println!("3. get_result: the outcome the app's server acts on");
    let read = sessions.get_result(session.session_id.clone()).await?;
    let attempt = read.results.attempts.first().ok_or("no attempt")?;
    let result = attempt.result.as_ref().ok_or("no result")?;
    println!(
        "   status {:?}, decision {:?}",
        read.status, result.liveness_decision
    );
    if let Some(verify) = &result.verify_result {
        println!(
            "   same person as the reference: {} (confidence {:.2})",
            verify.is_identical, verify.match_confidence
        );
    }

    if let Some(image_id) = &result.session_image_id {
        println!("4. session_image().get: the frame the session kept");
        let bytes = client.v1_2().session_image().get(image_id.clone()).await?;
        println!("   {} bytes", bytes.len());
        println!("5. detect_from_session_image_id: the face in that frame");
        let faces = client
            .v1_2()
            .face()
            .detect_from_session_image_id(image_id.clone())
            .recognition_model(RecognitionModel::Recognition04)
            .await?;
        for face in &faces {
            println!("   face {:?} at {:?}", face.face_id, face.face_rectangle);
        }
    }

    println!("6. delete: the session, its token and its images");
    sessions.delete(session.session_id.clone()).await?;
    println!("   deleted");
    Ok(())
}
