//! Typed ids: every id that the specs carry has its kind (`x-sdk-id`), read through the
//! generator's IR; a list of ids whose spec names an "every item" value (`x-sdk-all-items`)
//! is a typed choice that goes out as that value alone; the kinds behave as their wire types
//! on the wire and as text or UUIDs in Rust. That ids of two kinds cannot be passed for one
//! another is held by the compile-fail tests of `compile_fail.rs`.

use codegen::ir::{Api, ModelKind, TypeRef};
use face_sdk::uuid::Uuid;
use face_sdk::v1_2::models::{
    FaceId, IdentificationResult, LargePersonGroupId, PersonGroupId, PersonId, PersonIds,
};
use face_sdk_tests::{
    answer_json, assert_json_call, client, expect_no_request, id, json_body, only_request, spec_api,
};
use serde_json::json;
use std::collections::BTreeMap;
use wiremock::MockServer;

const SPECS: [&str; 2] = ["spec/face.yaml", "spec/face-v1.2.yaml"];

/// Whether a value of `ty` is text on the wire: a string or UUID, or a list of them.
fn is_text(ty: &TypeRef) -> bool {
    match ty.wire() {
        TypeRef::String | TypeRef::Uuid => true,
        TypeRef::Array(item) => is_text(&item),
        _ => false,
    }
}

/// Whether a wire name says it is an id, or a list of ids.
fn named_as_id(name: &str) -> bool {
    name.ends_with("Id") || name.ends_with("Ids")
}

/// Every property and parameter of `api` named as an id and carried as text, with its kind
/// (`None` when it has none) and whether the spec says it carries no kind (`x-sdk-no-id-kind`).
/// Body parameters are read as the properties of their models.
fn id_places(api: &Api) -> Vec<(String, Option<String>, bool)> {
    let mut places = Vec::new();
    for model in &api.models {
        let ModelKind::Struct(object) = &model.kind else {
            continue;
        };
        for field in &object.fields {
            if named_as_id(&field.name.wire) && is_text(&field.ty) {
                let untyped = api
                    .untyped_ids
                    .iter()
                    .any(|untyped| untyped.pointer == field.pointer);
                places.push((
                    format!("{}.{}", model.name, field.name.wire),
                    field.ty.id_kind().map(str::to_owned),
                    untyped,
                ));
            }
        }
    }
    for group in &api.groups {
        for method in &group.methods {
            for param in &method.params {
                if named_as_id(&param.name.wire) && is_text(&param.ty) {
                    let untyped = api.untyped_ids.iter().any(|untyped| {
                        untyped.name == param.name.wire
                            && !untyped.pointer.starts_with("#/components/schemas/")
                    });
                    places.push((
                        format!("{}.{}({})", group.module, method.name, param.name.wire),
                        param.ty.id_kind().map(str::to_owned),
                        untyped,
                    ));
                }
            }
        }
    }
    places
}

#[test]
fn every_id_of_both_specs_has_a_kind_unless_the_spec_says_it_is_not_one() {
    for spec in SPECS {
        let api = spec_api(spec);
        let places = id_places(&api);
        let missing: Vec<&String> = places
            .iter()
            .filter(|(_, kind, untyped)| kind.is_none() && !untyped)
            .map(|(place, ..)| place)
            .collect();
        assert!(
            missing.is_empty(),
            "{spec}: ids without a kind (give their schema `x-sdk-id`, or `x-sdk-no-id-kind` \
             with the reason): {missing:?}"
        );
        let contradictory: Vec<&String> = places
            .iter()
            .filter(|(_, kind, untyped)| kind.is_some() && *untyped)
            .map(|(place, ..)| place)
            .collect();
        assert!(contradictory.is_empty(), "{spec}: {contradictory:?}");
        // Each declared kind is used, and the places read are not a handful by mistake.
        for kind in &api.ids {
            assert!(
                places
                    .iter()
                    .any(|(_, used, _)| used.as_deref() == Some(kind.name.as_str())),
                "{spec}: the kind {} is used nowhere",
                kind.name
            );
        }
        assert!(places.len() > 2 * api.ids.len(), "{spec}: {places:?}");
    }
}

#[test]
fn every_declared_kind_is_used_by_arguments_setters_or_fields() {
    for spec in SPECS {
        let api = spec_api(spec);
        // kind → (positional arguments, setters, model fields)
        let mut uses: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
        for method in api.groups.iter().flat_map(|group| &group.methods) {
            for param in method.arguments() {
                if let Some(kind) = param.ty.id_kind() {
                    let entry = uses.entry(kind).or_default();
                    if param.required {
                        entry.0 += 1;
                    } else {
                        entry.1 += 1;
                    }
                }
            }
        }
        for model in &api.models {
            if let ModelKind::Struct(object) = &model.kind {
                for field in &object.fields {
                    if let Some(kind) = field.ty.id_kind() {
                        uses.entry(kind).or_default().2 += 1;
                    }
                }
            }
        }
        eprintln!("{spec}: kind → (arguments, setters, fields): {uses:?}");
        let declared: Vec<&str> = api.ids.iter().map(|kind| kind.name.as_str()).collect();
        assert_eq!(uses.keys().copied().collect::<Vec<_>>(), declared, "{spec}");
        for must in [
            "FaceId",
            "PersistedFaceId",
            "PersonId",
            "FaceListId",
            "LargeFaceListId",
            "PersonGroupId",
            "LargePersonGroupId",
        ] {
            assert!(
                declared.contains(&must),
                "{spec} declares {must}: {declared:?}"
            );
        }
    }
}

/// The value that, alone in the list, means every person (from the spec, through the IR).
fn every_person() -> String {
    let api = spec_api("spec/face-v1.2.yaml");
    let list = api
        .all_or_lists
        .iter()
        .find(|list| list.name == "PersonIds")
        .expect("the v1.2 spec has a list of person ids or all");
    list.all.clone()
}

#[tokio::test]
async fn identify_from_the_person_directory_with_every_person_sends_the_all_value_alone() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;

    client(&server)
        .v1_2()
        .face()
        .identify_from_person_directory([id(1)], PersonIds::All)
        .await
        .expect("identify succeeds");

    let request = only_request(&server).await;
    assert_json_call(&request, "/face/v1.2/identify");
    assert_eq!(
        json_body(&request),
        json!({"faceIds": [id(1)], "personIds": [every_person()]})
    );
    assert_eq!(PersonIds::ALL, every_person());
}

#[tokio::test]
async fn identify_from_the_person_directory_with_some_persons_sends_them() {
    let server = MockServer::start().await;
    answer_json(&server, json!([])).await;
    let persons: Vec<PersonId> = vec![id(10).into(), id(11).into()];

    client(&server)
        .v1_2()
        .face()
        .identify_from_person_directory([id(1)], persons)
        .await
        .expect("identify succeeds");

    let request = only_request(&server).await;
    assert_eq!(
        json_body(&request),
        json!({"faceIds": [id(1)], "personIds": [id(10), id(11)]})
    );
}

#[tokio::test]
async fn an_empty_or_too_long_list_of_persons_is_refused_before_sending_and_all_is_one_item() {
    let server = MockServer::start().await;
    let face = client(&server).v1_2().face();

    let empty = face
        .identify_from_person_directory([id(1)], PersonIds::from(Vec::<PersonId>::new()))
        .await
        .unwrap_err();
    face_sdk_tests::assert_invalid(&empty, "personIds", &["at least 1"]);
    let many: PersonIds = (0..31).map(id).collect();
    let too_many = face
        .identify_from_person_directory([id(1)], many)
        .await
        .unwrap_err();
    face_sdk_tests::assert_invalid(&too_many, "personIds", &["at most 30"]);
    expect_no_request(&server).await;
    assert_eq!(PersonIds::All.len(), 1);
}

#[test]
fn a_list_of_persons_or_all_decodes_as_it_was_sent() {
    let all: PersonIds = serde_json::from_value(json!([every_person()])).expect("decodes");
    assert_eq!(all, PersonIds::All);
    let some: PersonIds = serde_json::from_value(json!([id(3)])).expect("decodes");
    assert_eq!(some, PersonIds::Only(vec![id(3).into()]));
    assert!(serde_json::from_value::<PersonIds>(json!(["*", id(3)])).is_err());
}

#[tokio::test]
async fn ids_decode_from_and_encode_to_their_wire_types() {
    let server = MockServer::start().await;
    answer_json(
        &server,
        json!([{"faceId": id(1), "candidates": [{"personId": id(7), "confidence": 0.9}]}]),
    )
    .await;

    let results: Vec<IdentificationResult> = client(&server)
        .v1_2()
        .face()
        .identify_from_large_person_group([FaceId::from(id(1))], "staff")
        .await
        .expect("identify succeeds");

    assert_eq!(results[0].face_id, FaceId::from(id(1)));
    assert_eq!(results[0].candidates[0].person_id.uuid(), id(7));
    let body = json_body(&only_request(&server).await);
    assert_eq!(body["largePersonGroupId"], "staff");
    assert_eq!(body["faceIds"], json!([id(1)]));
}

#[test]
fn a_string_id_reads_as_text_and_a_uuid_id_parses() {
    let group = PersonGroupId::from("friends");
    assert_eq!(group, "friends");
    assert_eq!(group.as_str(), "friends");
    assert_eq!(group.to_string(), "friends");
    assert_eq!(&*group, "friends");
    assert_eq!("friends".parse::<PersonGroupId>(), Ok(group.clone()));
    assert_eq!(String::from(group), "friends");
    let large = LargePersonGroupId::from(String::from("staff"));
    assert_eq!(AsRef::<str>::as_ref(&large), "staff");

    let text = "c5c24a82-6845-4031-9d5d-978df9175426";
    let person: PersonId = text.parse().expect("a UUID");
    assert_eq!(person, PersonId::try_from(text).expect("a UUID"));
    assert_eq!(person.to_string(), text);
    assert_eq!(Uuid::from(person), person.uuid());
    assert!(PersonId::try_from("not a uuid").is_err());
    assert_eq!(
        serde_json::to_value(person).expect("encodes"),
        json!(text),
        "sent as the plain UUID"
    );
}
