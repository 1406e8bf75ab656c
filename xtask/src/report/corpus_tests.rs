//! Holds the report to the compiler: for each spec edit of a corpus, code written against the
//! crate generated from the unedited spec is compiled against the crate generated from the
//! edited one, and the report must call the edit breaking exactly when that fails.
//!
//! The caller code is written mechanically from the old surface, as a user of face-sdk would
//! write it: every model built with `new` (or `default()` where every field is optional) and
//! its optional fields assigned, every field read with its type, every enum matched with a
//! wildcard arm and each of its variants, every method called with its positional arguments
//! and all its setters, its result bound to its type, and its `into_stream` and
//! `send_and_wait`. `cargo check` runs it in a scratch workspace under `target/report-corpus`
//! (a library of the generated files over face-sdk, and the caller), with the target dir the
//! generator's mutation test compiles in, so the dependencies are built once for both.
//!
//! It compiles with `FACE_REPORT_CORPUS=1` (as `.ci/run` sets; 20-40 s of checks); without it, the
//! test still checks that every edit applies, that each is reported, and that the additions
//! old code must survive are reported not breaking.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use codegen::ir::{Api, ModelKind};

use super::compare;
use crate::surface::{self, Item, Step};

#[path = "../../../codegen/tests/support/scratch_sdk.rs"]
mod scratch_sdk;
use scratch_sdk::{Module, ScratchSdk};

const FIXTURE: &str = include_str!("../../tests/fixtures/report.yaml");
const V1_2: &str = include_str!("../../../spec/face-v1.2.yaml");

/// Replacements applied in order; each `from` must occur.
type Edits = &'static [(&'static str, &'static str)];

/// One corpus entry: the spec, the edits that give the old version and those that give the new
/// one (both applied to the spec), and whether old code must keep compiling (the additions
/// the issue names as minor releases).
struct Entry {
    name: &'static str,
    spec: &'static str,
    old: Edits,
    new: Edits,
    must_compile: bool,
}

const fn entry(name: &'static str, new: Edits) -> Entry {
    Entry {
        name,
        spec: FIXTURE,
        old: &[],
        new,
        must_compile: false,
    }
}

const fn additive(name: &'static str, new: Edits) -> Entry {
    Entry {
        must_compile: true,
        ..entry(name, new)
    }
}

/// The reverse of an edit: the old version has it, the new one is the fixture.
const fn reverse(name: &'static str, old: Edits) -> Entry {
    Entry {
        old,
        new: &[],
        ..entry(name, &[])
    }
}

const DETECTED_FACE_END: &str = "          format: uuid\n    FaceToFace:\n";
const QUERY_END: &str = "            type: boolean\n      requestBody:\n";
const MAX_FACES: &str = "        maxFaces:\n";
const URL: &str = "        url:\n          description: The image URL.\n          type: string\n";
const MAX_FACES_FIELD: &str = "        maxFaces:\n          description: How many faces at most.\n          type: integer\n          format: int32\n";

const CORPUS: &[Entry] = &[
    additive(
        "path parameter gets a kind of id",
        &[
            (
                "\npaths:\n",
                "\nx-sdk-ids:\n  GroupId: The id of a group.\npaths:\n",
            ),
            (
                "      description: The group.\n      schema:\n        type: string\n  schemas:\n",
                "      description: The group.\n      schema:\n        type: string\n        x-sdk-id: GroupId\n  schemas:\n",
            ),
        ],
    ),
    additive(
        "optional field on a response model",
        &[(
            DETECTED_FACE_END,
            "          format: uuid\n        age:\n          description: The age.\n          type: number\n    FaceToFace:\n",
        )],
    ),
    additive(
        "optional field on a request model",
        &[(
            MAX_FACES,
            "        quality:\n          description: The quality.\n          type: string\n        maxFaces:\n",
        )],
    ),
    additive(
        "new enum value",
        &[(
            "enum: [detection_01, detection_02]",
            "enum: [detection_01, detection_02, detection_03]",
        )],
    ),
    additive(
        "optional query parameter added",
        &[(
            QUERY_END,
            "            type: boolean\n        - name: returnLandmarks\n          in: query\n          description: Whether to return landmarks.\n          schema:\n            type: boolean\n      requestBody:\n",
        )],
    ),
    additive(
        "operation added (paged list)",
        &[(
            "  /groups/{groupId}:\n",
            "  /groups:\n    get:\n      operationId: Group_List\n      summary: List groups.\n      x-sdk-pagination:\n        cursorParameter: start\n        limitParameter: top\n        itemKey: groupId\n      parameters:\n        - name: start\n          in: query\n          description: After this id.\n          schema:\n            type: string\n        - name: top\n          in: query\n          description: How many.\n          schema:\n            type: integer\n            format: int32\n      responses:\n        '200':\n          description: A page.\n          content:\n            application/json:\n              schema:\n                type: array\n                items:\n                  $ref: '#/components/schemas/Group'\n  /groups/{groupId}:\n",
        )],
    ),
    additive(
        "operation added (long-running)",
        &[(
            "  /groups/{groupId}/training:\n",
            "  /groups/{groupId}/train:\n    post:\n      operationId: Group_Train\n      summary: Train.\n      x-sdk-long-running:\n        statusOperation: Group_GetTrainingStatus\n        stateProperty: status\n        succeeded: [succeeded]\n        failed: [failed]\n        messageProperty: message\n      parameters:\n        - $ref: '#/components/parameters/groupId'\n      responses:\n        '202':\n          description: Started.\n  /groups/{groupId}/training:\n",
        )],
    ),
    additive(
        "new model reached through a new optional field",
        &[(
            DETECTED_FACE_END,
            "          format: uuid\n        landmarks:\n          $ref: '#/components/schemas/Landmarks'\n    Landmarks:\n      description: Points of a face.\n      type: object\n      required: [noseTip]\n      properties:\n        noseTip:\n          description: The tip of the nose.\n          type: number\n    FaceToFace:\n",
        )],
    ),
    // The real change, on the real spec: the two v1.3-preview.1 fields of both session
    // models, against the spec without them.
    Entry {
        name: "v1.3-preview.1 liveness session fields",
        spec: V1_2,
        old: &[(
            "        isAbuseMonitoringEnabled:\n          type: boolean\n          x-sdk-added: v1.3-preview.1\n          x-sdk-upstream-differs: >-\n            The official schema types it as an object with no properties; the\n            examples and the service send a boolean.\n          description: Whether abuse monitoring was on for the session.\n        expectedClientIpAddress:\n          type: string\n          x-sdk-added: v1.3-preview.1\n          description: >-\n            The IP address or CIDR block that the client device was expected to\n            come from, when the session was created with one.\n",
            "",
        )],
        new: &[],
        must_compile: true,
    },
    entry(
        "required response field made optional",
        &[("      required: [isIdentical]\n", "")],
    ),
    reverse(
        "required argument made optional (query)",
        &[(
            "          description: Whether to return face ids.\n",
            "          description: Whether to return face ids.\n          required: true\n",
        )],
    ),
    reverse(
        "required field added to an all-optional model",
        &[("      required: [groupId]\n", "")],
    ),
    entry(
        "required query parameter added",
        &[(
            QUERY_END,
            "            type: boolean\n        - name: returnLandmarks\n          in: query\n          required: true\n          description: Whether to return landmarks.\n          schema:\n            type: boolean\n      requestBody:\n",
        )],
    ),
    entry(
        "required response field added",
        &[
            (
                "required: [isIdentical]",
                "required: [isIdentical, confidence]",
            ),
            (
                "          type: boolean\n    Group:\n",
                "          type: boolean\n        confidence:\n          description: How sure.\n          type: number\n    Group:\n",
            ),
        ],
    ),
    entry(
        "enum value removed",
        &[("enum: [detection_01, detection_02]", "enum: [detection_01]")],
    ),
    entry(
        "enum wire value changed, variant kept",
        &[(
            "enum: [running, succeeded, failed]",
            "enum: [RUNNING, succeeded, failed]",
        )],
    ),
    entry(
        "operation removed",
        &[(
            "    delete:\n      operationId: Group_Delete\n      summary: Delete a group.\n      parameters:\n        - $ref: '#/components/parameters/groupId'\n      responses:\n        '200':\n          description: Deleted.\n",
            "",
        )],
    ),
    entry(
        "field type changed",
        &[(
            "        name:\n          description: Its name.\n          type: string\n",
            "        name:\n          description: Its name.\n          type: integer\n          format: int32\n",
        )],
    ),
    entry(
        "return type changed",
        &[(
            "          description: The group.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Group'\n",
            "          description: The group.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Status'\n",
        )],
    ),
    entry(
        "required request-body field made optional",
        &[("required: [url]", "required: []")],
    ),
    entry(
        "optional request-body field made required",
        &[("required: [url]", "required: [url, maxFaces]")],
    ),
    entry("schema renamed", &[("DetectedFace", "FaceResult")]),
    entry(
        "arguments of one type swap places",
        &[
            (
                "        faceId1:\n          description: The first face.\n",
                "@@SWAP@@",
            ),
            (
                "        faceId2:\n          description: The second face.\n",
                "        faceId1:\n          description: The first face.\n",
            ),
            (
                "@@SWAP@@",
                "        faceId2:\n          description: The second face.\n",
            ),
        ],
    ),
    Entry {
        name: "arguments of two types swap places",
        spec: FIXTURE,
        old: &[("required: [url]", "required: [url, maxFaces]")],
        new: &[
            ("required: [url]", "required: [url, maxFaces]"),
            (URL, "@@SWAP@@"),
            (MAX_FACES_FIELD, URL),
            ("@@SWAP@@", MAX_FACES_FIELD),
        ],
        must_compile: false,
    },
];

fn edited(spec: &str, edits: Edits, name: &str) -> String {
    edits.iter().fold(spec.to_owned(), |text, (from, to)| {
        assert!(text.contains(from), "{name}: the spec has no {from:?}");
        text.replace(from, to)
    })
}

fn lowered(text: &str, name: &str) -> Api {
    codegen::lower_text(text).unwrap_or_else(|error| panic!("{name}: {error}"))
}

#[test]
fn the_report_calls_breaking_exactly_the_edits_that_stop_old_code_compiling() {
    let started = Instant::now();
    let compile = std::env::var_os("FACE_REPORT_CORPUS").is_some();
    let scratch = compile.then(Scratch::create);
    let mut rows = Vec::new();
    let mut checked_old = Vec::new();
    for entry in CORPUS {
        let old_text = edited(entry.spec, entry.old, entry.name);
        let new_text = edited(entry.spec, entry.new, entry.name);
        let (old, new) = (
            lowered(&old_text, entry.name),
            lowered(&new_text, entry.name),
        );
        let changes = compare(&old, &new);
        assert!(!changes.is_empty(), "{}: no change reported", entry.name);
        let breaking = changes.iter().any(|change| change.breaking);
        assert!(
            !(entry.must_compile && breaking),
            "{}: an addition old code survives is reported breaking",
            entry.name
        );
        let caller = caller_code(&old);
        let Some(scratch) = &scratch else {
            assert!(!caller.is_empty());
            continue;
        };
        if !checked_old.contains(&old_text) {
            let result = scratch.check(&old_text, &caller);
            assert!(
                result.is_ok(),
                "{}: the caller code does not compile against the old crate:\n{}",
                entry.name,
                result.unwrap_err()
            );
            checked_old.push(old_text);
        }
        let result = scratch.check(&new_text, &caller);
        let error = result
            .as_ref()
            .err()
            .map_or_else(String::new, |stderr| first_error(stderr));
        rows.push((
            entry.name,
            breaking,
            result.is_ok(),
            entry.must_compile,
            error,
        ));
    }
    let Some(scratch) = &scratch else {
        println!(
            "report corpus: {} edits, compiled nothing (set FACE_REPORT_CORPUS=1)",
            CORPUS.len()
        );
        return;
    };
    println!("| edit | report | old code against the new crate | first error |\n|---|---|---|---|");
    for (name, breaking, compiles, _, error) in &rows {
        let report = if *breaking {
            "breaking"
        } else {
            "not breaking"
        };
        let compile = if *compiles {
            "compiles"
        } else {
            "does not compile"
        };
        println!("| {name} | {report} | {compile} | {error} |");
    }
    for (what, code) in forbidden_code(&lowered(FIXTURE, "the fixture")) {
        let stderr = scratch
            .check(FIXTURE, &code)
            .expect_err(&format!("{what} compiles"));
        assert!(stderr.contains("non-exhaustive"), "{what}: {stderr}");
    }
    println!(
        "report corpus: {} edits in {:?}",
        rows.len(),
        started.elapsed()
    );
    let wrong: Vec<&str> = rows
        .iter()
        .filter(|(_, breaking, compiles, must, _)| *breaking == *compiles || (*must && !*compiles))
        .map(|(name, ..)| *name)
        .collect();
    assert!(
        wrong.is_empty(),
        "the report or the shapes are wrong on: {wrong:?}"
    );
}

/// The first `error[…]` line of cargo's output, for the table.
fn first_error(stderr: &str) -> String {
    stderr
        .lines()
        .find(|line| line.starts_with("error"))
        .unwrap_or("")
        .replace('|', "\\|")
}

/// The scratch workspace: copies of face-sdk-types and face-sdk whose `corpus` modules hold
/// the files generated from an edited spec, each in the crate of its layer
/// (`codegen/tests/support/scratch_sdk.rs`, shared with the generator's mutation test), and
/// `caller`, which uses them.
struct Scratch {
    sdk: RefCell<ScratchSdk>,
    target: PathBuf,
}

impl Scratch {
    fn create() -> Self {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("the workspace");
        let target = workspace.join("target");
        let sdk = ScratchSdk::create(workspace, target.join("report-corpus"), &["caller"]);
        fs::create_dir_all(sdk.root.join("caller/src")).expect("scratch caller");
        fs::write(
            sdk.root.join("caller/Cargo.toml"),
            "[package]\nname = \"caller\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nface-sdk = { path = \"../face-sdk\", default-features = false }\nserde_json = \"1\"\nbytes = \"1\"\n",
        )
        .expect("caller manifest");
        Scratch {
            sdk: RefCell::new(sdk),
            target: target.join("mutation-check-target"),
        }
    }

    /// Generates `spec` into the copies' `corpus` modules, writes `caller`, and checks them.
    fn check(&self, spec: &str, caller: &str) -> Result<(), String> {
        let files =
            codegen::generate(spec, "spec/corpus.yaml").map_err(|error| error.to_string())?;
        let mut sdk = self.sdk.borrow_mut();
        sdk.write(&[Module {
            name: "corpus",
            doc: "The files generated from the edited spec.",
            files: &files,
        }]);
        fs::write(sdk.root.join("caller/src/lib.rs"), caller).expect("caller lib.rs");
        let output = Command::new(env!("CARGO"))
            .args([
                "check",
                "--offline",
                "--quiet",
                "--package",
                "caller",
                "--manifest-path",
            ])
            .arg(sdk.root.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &self.target)
            .env("RUSTFLAGS", "-D warnings")
            .output()
            .expect("cargo check runs");
        if output.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }
}

/// Code that uses every item of `api`'s surface as a caller would.
fn caller_code(api: &Api) -> String {
    let mut code = String::from(
        "//! Calls every item of the old surface.\n#![allow(warnings)]\n\
         use face_sdk::chrono::{DateTime, Utc};\nuse face_sdk::uuid::Uuid;\nuse face_sdk::{Body, FilePart};\n\
         use face_sdk::corpus::models::*;\n\nfn any<T>() -> T {\n    unimplemented!()\n}\n\n",
    );
    let items = surface::surface(api);
    let children = |path: &[Step]| -> Vec<&Item> {
        let mut children: Vec<&Item> = items
            .iter()
            .filter(|item| item.path.len() == path.len() + 1 && item.path.starts_with(path))
            .collect();
        children.sort_by_key(|item| item.order);
        children
    };
    for (index, item) in items.iter().enumerate() {
        match item.path.as_slice() {
            [Step::Group(group), Step::Method(method)] => {
                let inside = children(&item.path);
                let positional: Vec<String> = inside
                    .iter()
                    .filter(|child| {
                        child.required && matches!(child.path.last(), Some(Step::Argument(_)))
                    })
                    .map(|child| format!("any::<{}>()", child.ty))
                    .collect();
                let call = format!("api.{group}().{method}({})", positional.join(", "));
                let mut setters = String::new();
                for child in &inside {
                    if let (Some(Step::Argument(setter)), false) =
                        (child.path.last(), child.required)
                    {
                        let _ = write!(setters, ".{setter}(any::<{}>())", child.ty);
                    }
                }
                let _ = writeln!(
                    code,
                    "pub async fn call_{index}(api: &face_sdk::corpus::operations::Api) {{\n    let _: Result<{}, face_sdk::Error> = {call}{setters}.send().await;",
                    item.ty
                );
                for child in &inside {
                    match child.path.last() {
                        Some(Step::Helper("into_stream")) => {
                            let _ = writeln!(
                                code,
                                "    let _: face_sdk::runtime::BoxStream<Result<{}, face_sdk::Error>> = {call}.into_stream();",
                                child.ty
                            );
                        }
                        Some(Step::Helper(_)) => {
                            let _ = writeln!(
                                code,
                                "    let _: Result<{}, face_sdk::Error> = {call}.send_and_wait(any::<face_sdk::Polling>()).await;",
                                child.ty
                            );
                        }
                        _ => {}
                    }
                }
                code.push_str("}\n\n");
            }
            [Step::Model(model)] => model_code(api, model, item, &children(&item.path), &mut code),
            _ => {}
        }
    }
    code
}

/// Code the shapes must refuse, since a later addition would break it: a struct literal of a
/// model, and a `match` of an enum without a wildcard arm.
fn forbidden_code(api: &Api) -> Vec<(&'static str, String)> {
    let header = "#![allow(warnings)]\nuse face_sdk::corpus::models::*;\n";
    let mut code = Vec::new();
    for model in &api.models {
        let name = &model.name;
        match &model.kind {
            ModelKind::Struct(object)
                if code.iter().all(|(what, _)| *what != "a struct literal") =>
            {
                let fields: Vec<String> = object
                    .fields
                    .iter()
                    .map(|field| format!("{}: unimplemented!()", field.name.rust))
                    .collect();
                code.push((
                    "a struct literal",
                    format!(
                        "{header}pub fn literal() -> {name} {{\n    {name} {{ {} }}\n}}\n",
                        fields.join(", ")
                    ),
                ));
            }
            ModelKind::Enum(string_enum)
                if code
                    .iter()
                    .all(|(what, _)| *what != "a match without a wildcard arm") =>
            {
                let arms: Vec<String> = string_enum
                    .variants
                    .iter()
                    .map(|variant| format!("{name}::{} => 0,", variant.name))
                    .collect();
                code.push((
                    "a match without a wildcard arm",
                    format!(
                        "{header}pub fn exhaustive(value: &{name}) -> u8 {{\n    match value {{ {} {name}::{}(_) => 1 }}\n}}\n",
                        arms.join(" "),
                        string_enum.fallback
                    ),
                ));
            }
            _ => {}
        }
    }
    assert_eq!(code.len(), 2, "the fixture has a struct and an enum model");
    code
}

fn model_code(api: &Api, model: &str, item: &Item, inside: &[&Item], code: &mut String) {
    let kind = api
        .models
        .iter()
        .find(|candidate| candidate.name == model)
        .map(|found| &found.kind);
    match kind {
        Some(ModelKind::Struct(_)) => {
            let required: Vec<String> = inside
                .iter()
                .filter(|field| field.required)
                .map(|field| format!("any::<{}>()", field.ty))
                .collect();
            // A struct with no required field has `Default` and no `new`.
            let constructor = if required.is_empty() {
                "default()".to_owned()
            } else {
                format!("new({})", required.join(", "))
            };
            let _ = writeln!(
                code,
                "pub fn build_{model}() -> {model} {{\n    let mut value = {model}::{constructor};"
            );
            for field in inside.iter().filter(|field| !field.required) {
                let _ = writeln!(
                    code,
                    "    value.{} = any::<{}>();",
                    last_name(field),
                    field.ty
                );
            }
            let _ = writeln!(
                code,
                "    value\n}}\n\npub fn read_{model}(value: &{model}) {{"
            );
            for field in inside {
                let _ = writeln!(
                    code,
                    "    let _: &{} = &value.{};",
                    field.ty,
                    last_name(field)
                );
            }
            code.push_str("}\n\n");
        }
        Some(ModelKind::Enum(string_enum)) => {
            let _ = writeln!(
                code,
                "pub fn match_{model}(value: &{model}) -> usize {{\n    let _: &str = value.as_str();\n    match value {{"
            );
            for (index, variant) in inside.iter().enumerate() {
                let _ = writeln!(code, "        {model}::{} => {index},", last_name(variant));
            }
            let _ = writeln!(
                code,
                "        {model}::{}(_) => {},\n        _ => usize::MAX,\n    }}\n}}\n",
                string_enum.fallback,
                inside.len()
            );
        }
        Some(ModelKind::Alias(_)) => {
            let target = item.ty.trim_start_matches("alias of ");
            let _ = writeln!(
                code,
                "pub fn alias_{model}(value: {model}) -> {target} {{\n    value\n}}\n"
            );
        }
        None => {}
    }
}

fn last_name(item: &Item) -> &str {
    match item.path.last() {
        Some(Step::Field(name) | Step::Value(name) | Step::Argument(name)) => name,
        _ => "",
    }
}
