//! What the two quickstarts share: where the client and the photos come from.

use bytes::Bytes;
use face_mock::tagged_jpeg;
use face_sdk::FaceClient;

/// Where the photos come from: the URLs of the real service, or tagged images for the emulator.
pub struct Photos {
    pub urls: [String; 3],
    /// The bytes uploaded by detection from bytes, and added to the person.
    pub upload: Bytes,
}

/// The client and photos: from the environment, or the embedded emulator and tagged images.
pub async fn connect()
-> Result<(FaceClient, Photos, Option<face_mock::MockServer>), Box<dyn std::error::Error>> {
    if let (Ok(endpoint), Ok(key)) = (std::env::var("FACE_ENDPOINT"), std::env::var("FACE_KEY")) {
        let urls: Vec<String> = std::env::var("FACE_IMAGE_URLS")?
            .split(',')
            .map(str::to_owned)
            .collect();
        let [first, second, third] =
            <[String; 3]>::try_from(urls).map_err(|_| "FACE_IMAGE_URLS needs three URLs")?;
        let bytes = reqwest::get(&second).await?.bytes().await?;
        println!("using the Face resource at {endpoint}\n");
        let photos = Photos {
            urls: [first, second, third],
            upload: bytes,
        };
        return Ok((FaceClient::new(&endpoint, key)?, photos, None));
    }
    let emulator = face_mock::MockServer::start(face_mock::MockConfig::new()).await?;
    println!("using the embedded emulator at {}\n", emulator.endpoint());
    let client = FaceClient::new(emulator.endpoint(), emulator.key())?;
    let urls = ["alice-1", "alice-2", "bob"].map(|name| {
        let person = name.split('-').next().unwrap_or(name);
        format!("https://example.com/{name}.jpg?FACE-MOCK:person%3D{person}")
    });
    let photos = Photos {
        urls,
        upload: Bytes::from(tagged_jpeg("FACE-MOCK:person=alice")),
    };
    Ok((client, photos, Some(emulator)))
}
