//! Snapshot tests of the generator: one small spec per OpenAPI construct, and the
//! error messages for specs it must refuse.

use std::fs;
use std::path::Path;

/// The part of every fixture that is not about the construct under test.
const PREAMBLE: &str = "openapi: 3.0.3\ninfo:\n  title: Fixture\n  version: '1'\n";
/// The server of every fixture that does not name its own.
const SERVERS: &str = "servers:\n  - url: '{Endpoint}/api/v1'\n    variables:\n      Endpoint:\n        default: https://example.com\n";

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let body =
        fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let servers = if body.lines().any(|line| line.starts_with("servers:")) {
        ""
    } else {
        SERVERS
    };
    format!("{PREAMBLE}{servers}{body}")
}

/// How many lines the harness puts before the fixture's own text.
fn preamble_lines(name: &str) -> usize {
    let text = fixture(name);
    let body_lines = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .map(|body| body.lines().count())
    .unwrap_or_default();
    text.lines().count() - body_lines
}

/// All generated files of a fixture, each under a line naming it.
fn generated(name: &str) -> String {
    let files = codegen::generate(&fixture(name), "spec/fixture.yaml")
        .unwrap_or_else(|error| panic!("{name}: {error}"));
    files
        .iter()
        .map(|file| format!("==> {} <==\n{}", file.path, file.contents))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The error a broken fixture gives, as `cargo xtask regenerate` prints it.
fn refused(name: &str) -> String {
    let path = format!("errors/{name}");
    match codegen::generate(&fixture(&path), "spec/fixture.yaml") {
        Ok(_) => panic!("{name}: the generator accepted a spec it must refuse"),
        Err(mut error) => {
            // Lines count from the start of the fixture file, not of the preamble.
            let preamble = preamble_lines(&path);
            error.line = error.line.map(|line| line - preamble);
            error.first_line = error.first_line.map(|line| line - preamble);
            error.render(name)
        }
    }
}

macro_rules! generates {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            insta::assert_snapshot!(generated(concat!(stringify!($name), ".yaml")));
        }
    )*};
}

generates!(
    string_enum,
    optional_nullable,
    arrays,
    query_list,
    binary_body,
    two_media_types,
    one_of_body,
    defaults,
    constraints,
    keywords,
    path_params_and_methods,
    paged_and_long_running,
    allowed_items,
    server_variables,
    no_content,
    multipart_body,
    binary_response,
    string_alias,
    inline_schemas,
    all_of,
    formats,
    recursive,
    token_scopes,
    any_value,
    versions,
    typed_ids,
    ids_only,
);

macro_rules! refuses {
    ($($name:ident),* $(,)?) => {
        mod refuses {
            use super::refused;
            $(
                #[test]
                fn $name() {
                    insta::assert_snapshot!(refused(concat!(stringify!($name), ".yaml")));
                }
            )*
        }
    };
}

refuses!(
    unreadable_yaml,
    dangling_ref,
    duplicate_operation_id,
    colliding_names,
    unsupported_parameter_style,
    missing_method_name,
    enum_fallback_collision,
    bad_operation_id,
    undeclared_path_parameter,
    invalid_pattern,
    missing_description,
    bad_pagination,
    bad_long_running,
    model_named_like_a_standard_type,
    bad_allowed_items,
    inline_enum_parameter,
    parameter_named_like_a_call_method,
    multipart_list_part,
    multipart_content_type_list,
    multipart_encoding_of_no_part,
    undeclared_server_variable,
    all_of_member_not_object,
    duplicate_key,
    untyped_property,
    contradictory_bounds,
    contradictory_lengths,
    default_out_of_bounds,
    enum_default_not_a_value,
    dangling_error_response_ref,
    empty_default_response_ref,
    empty_response_description,
    deep_shape_error,
    unknown_version,
    removed_before_added,
    required_added_later,
    annotated_ref,
    model_missing_in_a_version,
    versions_without_variable,
    first_version_added,
    empty_upstream_reason,
    unknown_id_kind,
    id_kind_of_two_wire_types,
    unused_id_kind,
    id_on_an_integer,
    id_and_no_id_kind,
    all_items_without_id,
    all_items_on_a_parameter,
    id_on_a_parameter_object,
);

/// The versions of `versions.yaml` reach the IR, and each version's view has exactly the
/// items its annotations give it.
#[test]
fn versions_reach_the_ir() {
    let api = codegen::lower_text(&fixture("versions.yaml")).expect("the fixture lowers");
    assert_eq!(api.versions, ["v1", "v2", "v3"]);
    let view = |version: &str| {
        let api = api.at_version(version).expect("a listed version");
        let methods: Vec<String> = api
            .groups
            .iter()
            .flat_map(|group| &group.methods)
            .map(|method| {
                let params: Vec<&str> = method
                    .arguments()
                    .iter()
                    .map(|param| param.name.wire.as_str())
                    .collect();
                format!("{}({})", method.operation_id, params.join(","))
            })
            .collect();
        let models: Vec<String> = api
            .models
            .iter()
            .map(|model| match &model.kind {
                codegen::ir::ModelKind::Struct(object) => {
                    let fields: Vec<&str> = object
                        .fields
                        .iter()
                        .map(|field| field.name.wire.as_str())
                        .collect();
                    format!("{}{{{}}}", model.name, fields.join(","))
                }
                codegen::ir::ModelKind::Enum(values) => {
                    let values: Vec<&str> = values
                        .variants
                        .iter()
                        .map(|variant| variant.wire.as_str())
                        .collect();
                    format!("{}[{}]", model.name, values.join(","))
                }
                codegen::ir::ModelKind::Alias(_) => model.name.clone(),
            })
            .collect();
        format!("{}; {}", methods.join(" "), models.join(" "))
    };
    assert_eq!(
        view("v1"),
        "Items_Create(name); Color[red,green] Item{name}"
    );
    assert_eq!(
        view("v2"),
        "Items_Create(name,dryRun,color) Settings_Get(verbose); Color[red,green] Item{name,color} Settings{monitored}"
    );
    assert_eq!(
        view("v3"),
        "Items_Create(name,dryRun,size) Settings_Get(verbose); Color[red,green,blue] Item{name,size} Settings{monitored}"
    );
    assert!(api.at_version("v4").is_none());
    // The full IR keeps everything, each item with the versions that have it.
    let settings = api
        .groups
        .iter()
        .flat_map(|group| &group.methods)
        .find(|method| method.operation_id == "Settings_Get")
        .expect("Settings_Get");
    assert_eq!(settings.availability.added.as_deref(), Some("v2"));
    assert_eq!(
        settings.params[0].availability.added.as_deref(),
        Some("v2"),
        "a parameter inherits its operation's version"
    );
}

/// Two runs over the real spec give the same bytes.
#[test]
fn generation_is_deterministic() {
    let spec = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/face.yaml"))
        .expect("spec/face.yaml");
    let first = codegen::generate(&spec, "spec/face.yaml").expect("the spec generates");
    let second = codegen::generate(&spec, "spec/face.yaml").expect("the spec generates");
    assert_eq!(first, second);
}

/// Every one-line deletion from the real spec is either generated or refused with a
/// located error: the generator never panics on a broken spec.
#[test]
fn never_panics_on_a_broken_spec() {
    let spec = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/face.yaml"))
        .expect("spec/face.yaml");
    let lines: Vec<&str> = spec.lines().collect();
    let mut refused = 0;
    for removed in (0..lines.len()).step_by(29) {
        let broken: String = lines
            .iter()
            .enumerate()
            .filter(|(index, _)| *index != removed)
            .flat_map(|(_, line)| [*line, "\n"])
            .collect();
        if let Err(error) = codegen::generate(&broken, "spec/face.yaml") {
            assert!(!error.message.is_empty(), "line {removed}: an empty error");
            refused += 1;
        }
    }
    assert!(
        refused > 0,
        "no deletion was refused: the generator checks nothing"
    );
}
