//! The table conversion and the checker, exercised on small tables written as the generator
//! writes them.

use serde_json::json;

use super::*;

use super::table::{
    ALWAYS, AllowedItems as TableAllowedItems, Api, Body, Bounds as TableBounds, Kind as K,
    Location as L, Object, Operation, Pagination as TablePagination, Param, Shape as S, Text,
};

/// A string with no constraint.
const TEXT: Text = Text {
    min_length: None,
    max_length: None,
    pattern: None,
    format: None,
    values: &[],
};
const NO_BOUNDS: TableBounds = TableBounds {
    minimum: None,
    maximum: None,
    exclusive_minimum: false,
    exclusive_maximum: false,
};

const fn shape(kind: K) -> S {
    S {
        kind,
        nullable: false,
        default: None,
    }
}

const fn operation(id: &'static str, method: &'static str, path: &'static str) -> Operation {
    Operation {
        id,
        availability: ALWAYS,
        method,
        path,
        params: &[],
        bodies: &[],
        pagination: None,
        status: 200,
        headers: &[],
        response: None,
        binary_answer: false,
        status_path: None,
    }
}

/// A small table as the generator writes it: a path parameter with a pattern, bounded and
/// defaulted query parameters, a `oneOf` body of two models, one with an exactly-one-of group,
/// and a model that holds itself.
static SMALL: Api = Api {
    base_path: "",
    versions: &[],
    error_headers: &[],
    locations: &[],
    operations: &[Operation {
        params: &[
            Param {
                name: "thingId",
                availability: ALWAYS,
                location: L::Path,
                required: true,
                allowed_items: &[],
                shape: shape(K::String(Text {
                    max_length: Some(8),
                    pattern: Some("^[a-z]+$"),
                    ..TEXT
                })),
            },
            Param {
                name: "count",
                availability: ALWAYS,
                location: L::Query,
                required: false,
                allowed_items: &[],
                shape: S {
                    default: Some("2"),
                    ..shape(K::Integer(TableBounds {
                        minimum: Some(1.0),
                        maximum: Some(5.0),
                        ..NO_BOUNDS
                    }))
                },
            },
            Param {
                name: "tags",
                availability: ALWAYS,
                location: L::Query,
                required: false,
                allowed_items: &[],
                shape: shape(K::Array {
                    items: &shape(K::Ref("Colour")),
                    min_items: None,
                    max_items: Some(2),
                    every: None,
                }),
            },
            Param {
                name: "colour",
                availability: ALWAYS,
                location: L::Query,
                required: false,
                allowed_items: &[],
                shape: S {
                    default: Some("\"red\""),
                    ..shape(K::Ref("Colour"))
                },
            },
        ],
        bodies: &[Body {
            media_type: "application/json",
            shape: shape(K::OneOf(&[shape(K::Ref("ByName")), shape(K::Ref("ById"))])),
        }],
        ..operation("Thing_Make", "POST", "/things/{thingId}")
    }],
    schemas: &[
        (
            "Colour",
            shape(K::String(Text {
                values: &[("red", ALWAYS), ("blue", ALWAYS)],
                ..TEXT
            })),
            ALWAYS,
        ),
        (
            "ByName",
            shape(K::Object(Object {
                properties: &[
                    (
                        "name",
                        shape(K::String(Text {
                            min_length: Some(1),
                            ..TEXT
                        })),
                        ALWAYS,
                    ),
                    ("nested", shape(K::Ref("Loop")), ALWAYS),
                ],
                required: &["name"],
                exactly_one_of: &[],
            })),
            ALWAYS,
        ),
        (
            "ById",
            shape(K::Object(Object {
                properties: &[
                    (
                        "id",
                        shape(K::String(Text {
                            format: Some("uuid"),
                            ..TEXT
                        })),
                        ALWAYS,
                    ),
                    (
                        "left",
                        shape(K::Number(TableBounds {
                            minimum: Some(0.0),
                            maximum: Some(1.0),
                            exclusive_maximum: true,
                            ..NO_BOUNDS
                        })),
                        ALWAYS,
                    ),
                    (
                        "right",
                        shape(K::Array {
                            items: &shape(K::Boolean),
                            min_items: Some(1),
                            max_items: None,
                            every: None,
                        }),
                        ALWAYS,
                    ),
                    (
                        "note",
                        S {
                            nullable: true,
                            ..shape(K::String(TEXT))
                        },
                        ALWAYS,
                    ),
                ],
                required: &["id"],
                exactly_one_of: &[&["left", "right"]],
            })),
            ALWAYS,
        ),
        (
            "Loop",
            shape(K::Object(Object {
                properties: &[("next", shape(K::Ref("Loop")), ALWAYS)],
                required: &[],
                exactly_one_of: &[],
            })),
            ALWAYS,
        ),
    ],
};

fn rules() -> Rules {
    Rules::from_table(&SMALL, None).expect("the small table converts")
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
        "a $ref'd enum's default applies (lowered onto the parameter)"
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
fn a_pattern_the_regex_engine_refuses_is_an_error_with_a_location() {
    static BROKEN: Api = Api {
        base_path: "",
        versions: &[],
        error_headers: &[],
        locations: &[],
        operations: &[Operation {
            params: &[Param {
                name: "thingId",
                availability: ALWAYS,
                location: L::Path,
                required: true,
                allowed_items: &[],
                shape: shape(K::String(Text {
                    pattern: Some("^[a-z+$"),
                    ..TEXT
                })),
            }],
            ..operation("Thing_Make", "POST", "/things/{thingId}")
        }],
        schemas: &[],
    };
    let error = Rules::from_table(&BROKEN, None).expect_err("the pattern does not compile");
    assert_eq!(error.location, "operation Thing_Make, parameter thingId");
    assert!(error.message.contains("^[a-z+$"), "{}", error.message);
}

/// A listing and a create under a base path: pagination, an allowed-items table keyed by a
/// defaulted parameter, and body defaults from a property or its schema.
static LISTING: Api = Api {
    base_path: "/things/v2",
    versions: &[],
    error_headers: &[],
    locations: &[],
    operations: &[
        Operation {
            params: &[
                Param {
                    name: "start",
                    availability: ALWAYS,
                    location: L::Query,
                    required: false,
                    allowed_items: &[],
                    shape: shape(K::String(TEXT)),
                },
                Param {
                    name: "top",
                    availability: ALWAYS,
                    location: L::Query,
                    required: false,
                    allowed_items: &[],
                    shape: shape(K::Integer(TableBounds {
                        minimum: Some(1.0),
                        maximum: Some(50.0),
                        ..NO_BOUNDS
                    })),
                },
                Param {
                    name: "model",
                    availability: ALWAYS,
                    location: L::Query,
                    required: false,
                    allowed_items: &[],
                    shape: S {
                        default: Some("\"m1\""),
                        ..shape(K::Ref("Model"))
                    },
                },
                Param {
                    name: "extras",
                    availability: ALWAYS,
                    location: L::Query,
                    required: false,
                    allowed_items: &[TableAllowedItems {
                        parameter: "model",
                        default: Some("m1"),
                        values: &[("m1", &["a", "b"]), ("m2", &[])],
                    }],
                    shape: shape(K::Array {
                        items: &shape(K::String(Text {
                            values: &[("a", ALWAYS), ("b", ALWAYS), ("c", ALWAYS)],
                            ..TEXT
                        })),
                        min_items: None,
                        max_items: None,
                        every: None,
                    }),
                },
            ],
            pagination: Some(TablePagination {
                cursor: "start",
                limit: Some("top"),
            }),
            ..operation("Thing_List", "GET", "/things")
        },
        Operation {
            bodies: &[Body {
                media_type: "application/json",
                shape: shape(K::Ref("Made")),
            }],
            ..operation("Thing_Make", "POST", "/things")
        },
    ],
    schemas: &[
        (
            "Model",
            shape(K::String(Text {
                values: &[("m1", ALWAYS), ("m2", ALWAYS), ("m3", ALWAYS)],
                ..TEXT
            })),
            ALWAYS,
        ),
        (
            "Made",
            shape(K::Object(Object {
                properties: &[
                    (
                        "size",
                        S {
                            default: Some("3"),
                            ..shape(K::Integer(NO_BOUNDS))
                        },
                        ALWAYS,
                    ),
                    (
                        "model",
                        S {
                            default: Some("\"m1\""),
                            ..shape(K::Ref("Model"))
                        },
                        ALWAYS,
                    ),
                    ("given", shape(K::String(TEXT)), ALWAYS),
                ],
                required: &[],
                exactly_one_of: &[],
            })),
            ALWAYS,
        ),
    ],
};

fn listing() -> Rules {
    Rules::from_table(&LISTING, None).expect("the listing table converts")
}

#[test]
fn the_base_path_methods_and_paths_come_from_the_spec() {
    let rules = listing();
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
        Some(("start", Some("top"), Some(50.0)))
    );
    assert_eq!(rules.pagination("Thing_Make"), None);
}

#[test]
fn allowed_items_follow_the_named_parameter_or_its_default() {
    let rules = listing();
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
    let rules = listing();
    let mut body = serde_json::Map::new();
    body.insert("given".into(), json!("x"));
    rules.fill_defaults("Thing_Make", &mut body);
    assert_eq!(body["size"], json!(3));
    assert_eq!(body["model"], json!("m1"));
    assert_eq!(body["given"], json!("x"));
}

const V2: table::Availability = table::Availability {
    added: Some("v2"),
    removed: None,
};
const UNTIL_V2: table::Availability = table::Availability {
    added: None,
    removed: Some("v2"),
};

/// One table of two versions: an operation, a parameter, a property and an enum value that v2
/// adds, and a property that v2 removes (one of an exactly-one-of group, and required).
static FAMILY: Api = Api {
    base_path: "/things/v1",
    versions: &[("v1", "/things/v1"), ("v2", "/things/v2")],
    error_headers: &[],
    locations: &[],
    operations: &[
        Operation {
            params: &[Param {
                name: "colour",
                availability: V2,
                location: L::Query,
                required: false,
                allowed_items: &[],
                shape: shape(K::Ref("Colour")),
            }],
            bodies: &[Body {
                media_type: "application/json",
                shape: shape(K::Ref("Thing")),
            }],
            ..operation("Thing_Make", "POST", "/things")
        },
        Operation {
            availability: V2,
            ..operation("Thing_Count", "GET", "/things/count")
        },
    ],
    schemas: &[
        (
            "Colour",
            shape(K::String(Text {
                values: &[("red", ALWAYS), ("blue", V2)],
                ..TEXT
            })),
            ALWAYS,
        ),
        (
            "Thing",
            shape(K::Object(Object {
                properties: &[
                    ("name", shape(K::String(TEXT)), ALWAYS),
                    ("old", shape(K::String(TEXT)), UNTIL_V2),
                    ("new", shape(K::String(TEXT)), V2),
                ],
                required: &["old"],
                exactly_one_of: &[&["old", "new"]],
            })),
            ALWAYS,
        ),
        ("Count", shape(K::Integer(NO_BOUNDS)), V2),
    ],
};

/// Each version's rules hold what that version has, under its own base path, from one table.
#[test]
fn each_version_has_what_its_availability_says() {
    let v1 = Rules::from_table(&FAMILY, Some("v1")).expect("v1 converts");
    let v2 = Rules::from_table(&FAMILY, Some("v2")).expect("v2 converts");
    assert_eq!((v1.base_path(), v1.version()), ("/things/v1", Some("v1")));
    assert_eq!((v2.base_path(), v2.version()), ("/things/v2", Some("v2")));
    assert_eq!(v1.operation_ids(), ["Thing_Make"]);
    assert_eq!(v2.operation_ids(), ["Thing_Count", "Thing_Make"]);
    assert_eq!(v1.enum_values("Colour"), ["red"]);
    assert_eq!(v2.enum_values("Colour"), ["red", "blue"]);
    assert_eq!(v1.property_names("Thing"), ["name", "old"]);
    assert_eq!(v2.property_names("Thing"), ["name", "new"]);
    assert!(!v1.schemas.contains_key("Count") && v2.schemas.contains_key("Count"));
    assert!(
        v1.find_field("Thing_Make", "colour").is_none(),
        "v2's parameter"
    );
    assert!(v2.find_field("Thing_Make", "colour").is_some());
    // v2 dropped `old`: it is no longer required, and the group keeps only `new`.
    assert!(
        v1.check_json_body("Thing_Make", &json!({"new": "x"}))
            .is_err()
    );
    assert!(
        v2.check_json_body("Thing_Make", &json!({"new": "x"}))
            .is_ok()
    );
    assert_eq!(v2.exactly_one_of("Thing_Make"), [vec!["new".to_owned()]]);
    // A v2 enum value is refused at v1.
    let colour = Shape {
        kind: Kind::Ref("Colour".into()),
        ..Shape::default()
    };
    assert!(
        v1.check_value(&json!("blue"), &colour, "colour", 0)
            .is_err()
    );
    assert!(v2.check_value(&json!("blue"), &colour, "colour", 0).is_ok());
    assert!(v1.check_value(&json!("red"), &colour, "colour", 0).is_ok());
    let error = Rules::from_table(&FAMILY, Some("v3")).expect_err("no v3");
    assert!(error.message.contains("v3"), "{}", error.message);
}
