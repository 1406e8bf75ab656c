//! Readers of the specs through the generator's IR: the lists and counts tests cover.

/// One method of the SDK, as the generator makes it from a spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SpecMethod {
    /// The group accessor, e.g. `face_list`.
    pub group: String,
    /// The method name, e.g. `add_face_from_url`.
    pub name: String,
    /// The HTTP method, upper case.
    pub http_method: String,
    /// The path template, base path included.
    pub path: String,
    /// The status of the success response.
    pub status: u16,
}

impl SpecMethod {
    /// `group.method`, the key of this method in tests that call every one.
    pub fn key(&self) -> String {
        self.to_string()
    }

    /// The path template with each `{name}` replaced by the value of `name` in `args`;
    /// panics if the template names a parameter that `args` does not give.
    pub fn path_with(&self, args: &[(&str, &str)]) -> String {
        let path = args.iter().fold(self.path.clone(), |path, (name, value)| {
            path.replace(&format!("{{{name}}}"), value)
        });
        assert!(
            !path.contains('{'),
            "{self}: no value for a parameter of {path}"
        );
        path
    }
}

impl std::fmt::Display for SpecMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.group, self.name)
    }
}

/// The generator's IR of `spec` (a path relative to the workspace root): what the SDK is
/// made from, and so what tests read the spec's lists and counts from.
pub fn spec_api(spec: &str) -> codegen::ir::Api {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(spec);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    codegen::lower_text(&text).unwrap_or_else(|error| panic!("{spec}: {error}"))
}

/// The service versions that `spec` describes, oldest first, each with its base path (the
/// `enum` of its server's version variable); empty for a spec of one version.
pub fn spec_versions(spec: &str) -> Vec<(String, String)> {
    let api = spec_api(spec);
    api.versions
        .into_iter()
        .zip(api.version_base_paths)
        .collect()
}

/// The methods of `spec` that the service has at `version`, their paths at that version's
/// base path; panics if `spec` does not list `version`.
pub fn spec_methods_at(spec: &str, version: &str) -> Vec<SpecMethod> {
    let api = spec_api(spec);
    let index = api
        .versions
        .iter()
        .position(|known| known == version)
        .unwrap_or_else(|| panic!("{spec} lists no version {version}"));
    let base_path = &api.version_base_paths[index];
    let at_version = api.at_version(version).expect("a listed version");
    methods_of(&at_version)
        .into_iter()
        .map(|method| SpecMethod {
            path: format!(
                "{base_path}{}",
                method
                    .path
                    .strip_prefix(&api.base_path)
                    .expect("every path starts with the base path")
            ),
            ..method
        })
        .collect()
}

/// Every method of the SDK that the generator makes from `spec` (a path relative to the
/// workspace root), read from the generator's IR: the list of record for tests that must
/// cover the whole surface.
pub fn spec_methods(spec: &str) -> Vec<SpecMethod> {
    methods_of(&spec_api(spec))
}

/// The methods of `api`, as [`spec_methods`] lists them.
fn methods_of(api: &codegen::ir::Api) -> Vec<SpecMethod> {
    api.groups
        .iter()
        .flat_map(|group| {
            group.methods.iter().map(|method| SpecMethod {
                group: group.module.clone(),
                name: method.name.clone(),
                http_method: format!("{:?}", method.http_method).to_uppercase(),
                path: method.path.clone(),
                status: method.response.status,
            })
        })
        .collect()
}

/// The model `name` (its Rust type name, e.g. `FaceLandmarks`) of `spec`; panics if the
/// spec has none.
fn spec_model(spec: &str, name: &str) -> codegen::ir::ModelKind {
    spec_api(spec)
        .models
        .into_iter()
        .find(|model| model.name == name)
        .unwrap_or_else(|| panic!("{spec} has no model {name}"))
        .kind
}

/// The wire names of the fields of the object model `name` of `spec`, in the spec's order.
pub fn spec_fields(spec: &str, name: &str) -> Vec<String> {
    match spec_model(spec, name) {
        codegen::ir::ModelKind::Struct(object) => object
            .fields
            .into_iter()
            .map(|field| field.name.wire)
            .collect(),
        other => panic!("{spec}: {name} is not an object: {other:?}"),
    }
}

/// The wire values of the string enum `name` of `spec`, in the spec's order.
pub fn spec_enum_values(spec: &str, name: &str) -> Vec<String> {
    match spec_model(spec, name) {
        codegen::ir::ModelKind::Enum(values) => values
            .variants
            .into_iter()
            .map(|variant| variant.wire)
            .collect(),
        other => panic!("{spec}: {name} is not a string enum: {other:?}"),
    }
}
