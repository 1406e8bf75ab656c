// The id of a person group is not the id of a large person group.
use face_sdk::FaceClient;
use face_sdk::v1_2::models::PersonGroupId;

fn main() {
    let client = FaceClient::new("http://127.0.0.1:9", "key").expect("a client");
    let group = PersonGroupId::from("friends");
    let _ = client.v1_2().large_person_group().get(group);
}
