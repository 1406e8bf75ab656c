//! The rules loader and checker, exercised on a small inline spec.

use serde_json::json;

use super::*;

const SMALL_SPEC: &str = r"
openapi: 3.0.3
info: {title: small, version: '1'}
paths:
  /things/{thingId}:
    parameters:
      - {name: thingId, in: path, required: true, schema: {type: string, maxLength: 8, pattern: '^[a-z]+$'}}
    post:
      operationId: Thing_Make
      parameters:
        - {name: count, in: query, required: false, schema: {type: integer, minimum: 1, maximum: 5, default: 2}}
        - {name: tags, in: query, style: form, explode: false, schema: {type: array, maxItems: 2, items: {$ref: '#/components/schemas/Colour'}}}
        - {name: colour, in: query, schema: {$ref: '#/components/schemas/Colour'}}
      requestBody:
        content:
          application/json:
            schema:
              oneOf:
                - {$ref: '#/components/schemas/ByName'}
                - {$ref: '#/components/schemas/ById'}
      responses: {default: {description: error}}
components:
  schemas:
    Colour: {type: string, enum: [red, blue], default: red}
    ByName:
      type: object
      required: [name]
      properties:
        name: {type: string, minLength: 1}
        nested: {$ref: '#/components/schemas/Loop'}
    ById:
      type: object
      required: [id]
      x-sdk-exactly-one-of: [[left, right]]
      properties:
        id: {type: string, format: uuid}
        left: {type: number, minimum: 0, maximum: 1, exclusiveMaximum: true}
        right: {type: array, minItems: 1, items: {type: boolean}}
        note: {type: string, nullable: true}
    Loop:
      type: object
      properties:
        next: {$ref: '#/components/schemas/Loop'}
";

fn rules() -> Rules {
    Rules::from_yaml(SMALL_SPEC).expect("the small spec loads")
}

fn query(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

#[test]
fn parameters_are_parsed_defaulted_and_bounded() {
    let rules = rules();
    let values = rules
        .check_params(
            "Thing_Make",
            Location::Query,
            &query(&[("tags", "red,blue")]),
        )
        .expect("valid");
    assert_eq!(values["count"], json!(2));
    assert_eq!(
        values["colour"],
        json!("red"),
        "a $ref'd enum's default applies"
    );
    assert_eq!(values["tags"], json!(["red", "blue"]));
    for bad in [
        ("count", "0"),
        ("count", "6"),
        ("count", "x"),
        ("tags", "red,blue,red"),
        ("colour", "green"),
    ] {
        assert!(
            rules
                .check_params("Thing_Make", Location::Query, &query(&[bad]))
                .is_err(),
            "{bad:?}"
        );
    }
    assert!(
        rules
            .check_params("Thing_Make", Location::Path, &query(&[("thingId", "abc")]))
            .is_ok()
    );
    for bad in ["ABC", "abcdefghi"] {
        assert!(
            rules
                .check_params("Thing_Make", Location::Path, &query(&[("thingId", bad)]))
                .is_err(),
            "{bad}"
        );
    }
    assert!(
        rules
            .check_params("Unknown_Op", Location::Query, &query(&[("count", "99")]))
            .is_ok()
    );
    assert_eq!(
        rules.numeric_bounds("Thing_Make", "count"),
        Some((Some(1.0), Some(5.0)))
    );
    assert_eq!(
        rules.exactly_one_of("Thing_Make"),
        vec![vec!["left".to_string(), "right".to_string()]]
    );
}

#[test]
fn bodies_pick_their_alternative_and_are_checked() {
    let rules = rules();
    let id = "6f1a0c55-7a36-4a52-9a43-0d4c9b1e2f3a";
    let valid = [
        json!({"name": "x"}),
        json!({"id": id, "left": 0.5}),
        json!({"id": id, "right": [true], "note": null}),
    ];
    for body in valid {
        assert_eq!(rules.check_json_body("Thing_Make", &body), Ok(()), "{body}");
    }
    let invalid = [
        json!({"name": ""}),
        json!({"id": "nope", "left": 0.5}),
        json!({"id": id}),
        json!({"id": id, "left": 0.5, "right": [true]}),
        json!({"id": id, "left": 1.0}),
        json!({"id": id, "right": []}),
        json!({"id": id, "right": ["yes"]}),
        json!({"name": 5}),
        json!({}),
    ];
    for body in invalid {
        assert!(
            rules.check_json_body("Thing_Make", &body).is_err(),
            "{body}"
        );
    }
    let both = rules.check_json_body(
        "Thing_Make",
        &json!({"id": id, "left": 0.1, "right": [false]}),
    );
    assert_eq!(
        both.map_err(|violation| violation.exactly_one_of.map(|(_, set)| set)),
        Err(Some(2))
    );
}

#[test]
fn self_referencing_schemas_stop_at_a_depth() {
    let mut deep = json!({});
    for _ in 0..40 {
        deep = json!({"next": deep});
    }
    assert!(
        rules()
            .check_json_body("Thing_Make", &json!({"name": "x", "nested": deep}))
            .is_err()
    );
}

#[test]
fn a_broken_spec_is_an_error_with_a_location() {
    let error = Rules::from_yaml(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses: {default: {description: e}}\n",
    );
    assert_eq!(
        error.map_err(|error| error.location).err().as_deref(),
        Some("#/paths/~1x/get")
    );
    let bad_pattern = SMALL_SPEC.replace("'^[a-z]+$'", "'^[a-z+$'");
    assert!(Rules::from_yaml(&bad_pattern).is_err());
}

const LISTING_SPEC: &str = r"
openapi: 3.0.3
info: {title: listing, version: '1'}
servers: [{url: '{Endpoint}/things/v2'}]
paths:
  /things:
    get:
      operationId: Thing_List
      x-sdk-pagination: {cursorParameter: start, limitParameter: top, itemKey: id}
      parameters:
        - {name: start, in: query, schema: {type: string}}
        - {name: top, in: query, schema: {type: integer, minimum: 1, maximum: 50}}
        - name: model
          in: query
          schema: {$ref: '#/components/schemas/Model'}
        - name: extras
          in: query
          style: form
          explode: false
          schema: {type: array, items: {type: string, enum: [a, b, c]}}
          x-sdk-allowed-items:
            - parameter: model
              default: m1
              values: {m1: [a, b], m2: []}
      responses: {default: {description: error}}
    post:
      operationId: Thing_Make
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Made'}
      responses: {default: {description: error}}
components:
  schemas:
    Model: {type: string, enum: [m1, m2, m3], default: m1}
    Made:
      type: object
      properties:
        size: {type: integer, default: 3}
        model: {$ref: '#/components/schemas/Model'}
        given: {type: string}
";

#[test]
fn the_base_path_methods_and_paths_come_from_the_spec() {
    let rules = Rules::from_yaml(LISTING_SPEC).expect("loads");
    assert_eq!(rules.base_path(), "/things/v2");
    let routes: Vec<_> = rules.routes().collect();
    assert_eq!(
        routes,
        vec![
            ("Thing_List", "GET", "/things"),
            ("Thing_Make", "POST", "/things")
        ]
    );
    assert_eq!(
        rules.pagination("Thing_List"),
        Some(("start", "top", Some(50.0)))
    );
    assert_eq!(rules.pagination("Thing_Make"), None);
}

#[test]
fn allowed_items_follow_the_named_parameter_or_its_default() {
    let rules = Rules::from_yaml(LISTING_SPEC).expect("loads");
    let check = |pairs: &[(&str, &str)]| rules.check_query("Thing_List", &query(pairs));
    assert!(
        check(&[("extras", "a,b")]).is_ok(),
        "m1 by default allows a and b"
    );
    assert!(
        check(&[("extras", "c")]).is_err(),
        "m1 by default refuses c"
    );
    assert!(
        check(&[("extras", "c"), ("model", "m3")]).is_ok(),
        "m3 is not listed: anything"
    );
    let none = check(&[("extras", "a"), ("model", "m2")]).expect_err("m2 allows nothing");
    assert_eq!(none.message, "'extras' is not supported by m2.");
    assert!(check(&[("model", "m2")]).is_ok(), "an empty list is fine");
}

#[test]
fn body_defaults_are_filled_from_the_property_or_its_schema() {
    let rules = Rules::from_yaml(LISTING_SPEC).expect("loads");
    let mut body = serde_json::Map::new();
    body.insert("given".into(), json!("x"));
    rules.fill_defaults("Thing_Make", &mut body);
    assert_eq!(body["size"], json!(3));
    assert_eq!(body["model"], json!("m1"));
    assert_eq!(body["given"], json!("x"));
}
