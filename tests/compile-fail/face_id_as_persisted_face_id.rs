// A temporary face id from detect is not the persisted face id of a face in a face list.
use face_sdk::FaceClient;
use face_sdk::v1_2::models::FaceId;

fn main() {
    let client = FaceClient::new("http://127.0.0.1:9", "key").expect("a client");
    let detected = FaceId::from(face_sdk::uuid::Uuid::nil());
    let _ = client.v1_2().face_list().delete_face("family", detected);
}
