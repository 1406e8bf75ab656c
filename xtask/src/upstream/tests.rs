use super::*;
use serde_json::{Value, json};

const SPEC: &str = include_str!("../../fixtures/upstream/spec.yaml");
const OFFICIAL_V1: &str = include_str!("../../fixtures/upstream/official-v1.json");
const OFFICIAL_V2: &str = include_str!("../../fixtures/upstream/official-v2.json");

fn places(differences: &[Difference]) -> Vec<String> {
    differences
        .iter()
        .map(|difference| format!("{}: {}", difference.place, difference.what))
        .collect()
}

/// The official v1 document with one change made to it.
fn changed(change: impl FnOnce(&mut Value)) -> String {
    let mut document: Value = serde_json::from_str(OFFICIAL_V1).expect("the fixture is JSON");
    change(&mut document);
    document.to_string()
}

fn unexplained(official: &str) -> Vec<String> {
    let report = check(SPEC, "v1", official).expect("the comparison runs");
    places(&report.unexplained)
}

#[test]
fn the_matching_documents_differ_only_where_the_spec_says_why() {
    let report = check(SPEC, "v1", OFFICIAL_V1).expect("the comparison runs");
    assert_eq!(places(&report.unexplained), Vec::<String>::new());
    assert_eq!(
        places(&report.deliberate),
        [
            "GET /items/{itemId} [no body] › response › updated: nullable: ours true, official false",
            "PUT /items/{itemId} [json{name}] › body › updated: nullable: ours true, official false",
            "PUT /items/{itemId}/image [octet-stream] › body: maxLength: ours 1024, official none",
        ]
    );
    assert_eq!(
        report.deliberate[2].deliberate.as_deref(),
        Some("The service refuses images over 1 KB.")
    );
    assert_eq!(report.operations, 3);
    let text = report.render("spec.yaml", "v1");
    assert!(
        text.ends_with("upstream: spec.yaml at v1: 3 operations compared, 0 unexplained, 3 deliberate differences\n"),
        "{text}"
    );
}

#[test]
fn a_later_version_brings_its_additions_into_the_comparison() {
    let report = check(SPEC, "v2", OFFICIAL_V2).expect("the comparison runs");
    assert_eq!(places(&report.unexplained), Vec::<String>::new());
    assert!(
        places(&report.deliberate).contains(
            &"GET /settings [no body] › response › enabled: type: ours boolean, official object"
                .to_owned()
        ),
        "{:?}",
        places(&report.deliberate)
    );
    // At v1 the spec lacks what v2 added, so the v2 document differs from it there.
    let report = check(
        SPEC,
        "v1",
        &OFFICIAL_V2.replace("\"version\": \"v2\"", "\"version\": \"v1\""),
    )
    .expect("the comparison runs");
    assert_eq!(
        places(&report.unexplained),
        [
            "GET /items/{itemId} [no body] › response › note: property only in the official document",
            "GET /settings: only in the official document",
            "PUT /items/{itemId} [json{name}] › body › note: property only in the official document",
        ]
    );
}

#[test]
fn every_kind_of_wire_fact_is_compared() {
    let cases: Vec<(String, &str)> = vec![
        (
            changed(|d| d["definitions"]["Item"]["properties"]["size"]["type"] = json!("string")),
            "GET /items/{itemId} [no body] › response › size: type: ours integer(int32), official string",
        ),
        (
            changed(|d| d["definitions"]["Color"]["enum"] = json!(["red", "green", "blue"])),
            "GET /items/{itemId} [no body] › response › color: enum: ours {\"green\", \"red\"}, official {\"blue\", \"green\", \"red\"}",
        ),
        (
            changed(|d| d["definitions"]["Item"]["properties"]["name"]["maxLength"] = json!(64)),
            "GET /items/{itemId} [no body] › response › name: maxLength: ours 128, official 64",
        ),
        (
            changed(|d| d["definitions"]["Item"]["required"] = json!(["name", "size"])),
            "GET /items/{itemId} [no body] › response › size: required: ours false, official true",
        ),
        (
            changed(|d| {
                d["paths"]["/items/{itemId}"]["get"]["parameters"][1]["default"] = json!(20);
            }),
            "GET /items/{itemId} [no body] › query top: default: ours 10, official 20",
        ),
        (
            changed(|d| {
                d["paths"]["/items/{itemId}"]["get"]["parameters"][1]["in"] = json!("header");
            }),
            "GET /items/{itemId} [no body] › header top: parameter only in the official document",
        ),
        (
            changed(|d| {
                d["definitions"]["Item"]["properties"]["weight"] = json!({"type": "number"});
            }),
            "GET /items/{itemId} [no body] › response › weight: property only in the official document",
        ),
        (
            changed(
                |d| d["paths"]["/items/{itemId}"]["delete"] = json!({"operationId": "Items_Delete", "responses": {"204": {"description": "Gone"}}}),
            ),
            "DELETE /items/{itemId}: only in the official document",
        ),
        (
            changed(|d| {
                d["paths"]["/items/{itemId}"]["put"]["responses"] =
                    json!({"201": {"description": "Created"}});
            }),
            "PUT /items/{itemId} [json{name}] › response: status: ours 200, official 201",
        ),
    ];
    for (official, expected) in cases {
        let found = unexplained(&official);
        assert!(
            found.contains(&expected.to_owned()),
            "expected {expected}\nfound {found:#?}"
        );
    }
}

#[test]
fn a_default_is_a_wire_fact_of_requests_only() {
    // The same Item is a request body (PUT) and an answer (GET): its default counts once.
    let found = unexplained(&changed(|d| {
        d["definitions"]["Item"]["properties"]["size"]["default"] = json!(1);
    }));
    assert_eq!(
        found,
        ["PUT /items/{itemId} [json{name}] › body › size: default: ours none, official 1"]
    );
}

#[test]
fn a_document_of_another_version_or_shape_is_refused() {
    let error = check(SPEC, "v2", OFFICIAL_V1).expect_err("v1's document is not v2's");
    assert_eq!(
        error,
        "the official document: the document describes `v1`, not `v2`"
    );
    let error = check(SPEC, "v3", OFFICIAL_V1).expect_err("the spec has no v3");
    assert_eq!(
        error,
        "the spec does not describe `v3`; its server version variable lists v1, v2"
    );
    let error = check(SPEC, "v1", "{\"openapi\": \"3.0.3\"}").expect_err("not Swagger 2.0");
    assert_eq!(
        error,
        "the official document: not a Swagger 2.0 document (no `\"swagger\": \"2.0\"`)"
    );
    let found = unexplained(&changed(|d| {
        d["paths"]["/items/{itemId}"]["get"]["responses"]["200"]["schema"] =
            json!({"$ref": "#/definitions/Gone"});
    }));
    assert_eq!(
        found,
        [
            "GET /items/{itemId} [no body] › response: official document: dangling `$ref: #/definitions/Gone`"
        ]
    );
}

#[test]
fn parses_the_options() {
    assert_eq!(
        parse(&["Face.json", "--version", "v1.2"]),
        Ok(Options {
            official: "Face.json".to_owned(),
            version: "v1.2".to_owned(),
            spec: None
        })
    );
    assert_eq!(
        parse(&["--spec", "spec/x.yaml", "--version", "v1", "a.json"]).map(|options| options.spec),
        Ok(Some("spec/x.yaml".to_owned()))
    );
    assert!(parse(&["Face.json"]).is_err());
    assert!(parse(&["Face.json", "--version"]).is_err());
    assert!(parse(&["a.json", "b.json", "--version", "v1"]).is_err());
}
