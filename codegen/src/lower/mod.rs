//! Lowering: the parsed spec becomes the checked, sorted `ir::Api`.
//!
//! Every check of the spec happens here, so that `emit` cannot fail. Only this module
//! reads `openapiv3` types.

mod constraint;
mod docs;
mod ids;
mod inline;
mod model;
mod operation;
mod resolve;
mod schema;
mod string_enum;
pub(crate) mod versions;

use crate::error::child;
use crate::ir::{Api, Model, ModelKind};
use crate::{Error, naming};
use openapiv3::{OpenAPI, Schema};
use std::collections::BTreeMap;

/// What lowering knows about the named schemas while it lowers everything else.
pub(crate) struct Context<'a> {
    spec: &'a OpenAPI,
    /// Where the spec author wrote each component schema that was named from an inline one.
    origins: BTreeMap<String, String>,
    /// Component schema name → Rust type name.
    model_names: BTreeMap<String, String>,
    /// The lowered models by Rust name, once they are lowered.
    models: BTreeMap<String, Model>,
    /// The service versions the spec describes, oldest first.
    versions: Vec<String>,
    /// The kinds of id the spec declares, and their uses.
    kinds: ids::Kinds,
}

impl Context<'_> {
    /// The kinds of id the spec declares, and their uses so far.
    pub(crate) fn kinds(&self) -> &ids::Kinds {
        &self.kinds
    }
}

/// Turns a parsed spec into the IR, or names the first construct it cannot handle.
pub fn lower(spec: &OpenAPI) -> Result<Api, Error> {
    let Server {
        base_path,
        versions,
        version_base_paths,
        default_version,
    } = lower_server(spec)?;
    let (spec, origins) = inline::hoist_inline_schemas(spec)?;
    let spec = &spec;
    let mut context = Context {
        spec,
        model_names: model::model_names(spec, &origins)?,
        origins,
        models: BTreeMap::new(),
        versions,
        kinds: ids::declared(spec)?,
    };
    let mut models = model::lower_models(&context)?;
    model::mark_validating(&mut models);
    model::box_recursive_fields(&mut models);
    context.models = models
        .into_iter()
        .map(|model| (model.name.clone(), model))
        .collect();
    let groups = operation::lower_groups(&context, &base_path)?;
    model::validate_only_what_requests_carry(&mut context.models, &groups);
    let models: Vec<Model> = context.models.into_values().collect();
    let (ids, all_or_lists, untyped_ids) = ids::finish(context.kinds, &models)?;
    let api = Api {
        base_path,
        models,
        groups,
        versions: context.versions,
        version_base_paths,
        default_version,
        error_headers: error_headers(spec)?,
        ids,
        all_or_lists,
        untyped_ids,
    };
    versions::check_references(&api)?;
    Ok(api)
}

/// The headers declared by the responses of any operation for an error status (not 2xx) or
/// `default`, sorted and without repeats: what every error answer may carry.
fn error_headers(spec: &OpenAPI) -> Result<Vec<String>, Error> {
    let mut headers = std::collections::BTreeSet::new();
    for (path, item) in &spec.paths.paths {
        let openapiv3::ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, operation) in item.iter() {
            let pointer = child(&child(&child("#/paths", path), method), "responses");
            let errors = operation
                .responses
                .responses
                .iter()
                .filter(|(status, _)| {
                    !matches!(status, openapiv3::StatusCode::Code(code) if (200..300).contains(code))
                        && !matches!(status, openapiv3::StatusCode::Range(2))
                })
                .map(|(status, response)| (status.to_string(), response))
                .chain(
                    operation
                        .responses
                        .default
                        .iter()
                        .map(|response| ("default".to_owned(), response)),
                );
            for (status, response) in errors {
                let (response, _) = resolve::response(spec, response, &child(&pointer, status))?;
                headers.extend(response.headers.keys().cloned());
            }
        }
    }
    Ok(headers.into_iter().collect())
}

/// The base path of the first server, after its scheme and host or its leading variable (the
/// endpoint the client is given). Any other variable is fixed by the spec: it is replaced by its
/// `default`, which must be one of its `enum` values when it lists some (a version, say).
/// The one variable after the endpoint that lists `enum` values names the service versions
/// the spec describes, oldest first (see `versions`).
fn lower_server(spec: &OpenAPI) -> Result<Server, Error> {
    let server = spec
        .servers
        .first()
        .ok_or_else(|| Error::at("#/servers", "the spec names no server"))?;
    let url_pointer = "#/servers/0/url";
    let url = server.url.as_str();
    let path = if let Some(rest) = url.strip_prefix('{') {
        let end = rest
            .find('}')
            .ok_or_else(|| Error::at(url_pointer, "unclosed `{` in the server url"))?;
        &rest[end + 1..]
    } else if let Some(index) = url.find("://") {
        let after_scheme = &url[index + 3..];
        after_scheme
            .find('/')
            .map_or("", |slash| &after_scheme[slash..])
    } else {
        url
    };
    let mut fixed = String::new();
    let mut rest = path;
    let mut versions: Option<(String, Vec<String>, usize, String)> = None;
    while let Some(start) = rest.find('{') {
        fixed.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .ok_or_else(|| Error::at(url_pointer, "unclosed `{` in the server url"))?;
        let name = &rest[start + 1..start + end];
        let (value, listed) = server_variable_value(server, name)?;
        let at = fixed.len();
        fixed.push_str(&value);
        if !listed.is_empty() {
            if let Some((first, ..)) = &versions {
                return Err(Error::at(
                    child(&child("#/servers/0/variables", name), "enum"),
                    format!(
                        "only one server variable can list versions in an `enum`, and `{first}` already does"
                    ),
                ));
            }
            versions = Some((name.to_owned(), listed, at, value));
        }
        rest = &rest[start + end + 1..];
    }
    fixed.push_str(rest);
    if fixed.contains('}') {
        return Err(Error::at(url_pointer, "unopened `}` in the server url"));
    }
    let base_path = fixed.trim_end_matches('/').to_owned();
    let Some((variable, versions, at, default)) = versions else {
        return Ok(Server {
            base_path,
            versions: Vec::new(),
            version_base_paths: Vec::new(),
            default_version: None,
        });
    };
    let mut variants = BTreeMap::new();
    for version in &versions {
        let pointer = child(&child("#/servers/0/variables", &variable), "enum");
        let variant = naming::version_variant(version).ok_or_else(|| {
            Error::at(
                &pointer,
                format!("the version `{version}` has no letter or digit to name it by"),
            )
        })?;
        if let Some(other) = variants.insert(variant.clone(), version) {
            return Err(Error::at(
                pointer,
                format!("the versions `{other}` and `{version}` would both be named `{variant}`"),
            ));
        }
    }
    let version_base_paths = versions
        .iter()
        .map(|version| {
            let path = format!("{}{version}{}", &fixed[..at], &fixed[at + default.len()..]);
            path.trim_end_matches('/').to_owned()
        })
        .collect();
    Ok(Server {
        base_path,
        versions,
        version_base_paths,
        default_version: Some(default),
    })
}

/// What the spec's first server says: the base path at the default version, and the
/// versions a variable lists with the base path at each.
struct Server {
    base_path: String,
    versions: Vec<String>,
    version_base_paths: Vec<String>,
    default_version: Option<String>,
}

/// The value the spec fixes for a variable of the server url after its endpoint, and the
/// values its `enum` lists.
fn server_variable_value(
    server: &openapiv3::Server,
    name: &str,
) -> Result<(String, Vec<String>), Error> {
    let variable = server
        .variables
        .as_ref()
        .and_then(|variables| variables.get(name))
        .ok_or_else(|| {
            Error::at(
                "#/servers/0/url",
                format!("the server url uses `{{{name}}}` but `variables` does not declare it"),
            )
        })?;
    let pointer = child("#/servers/0/variables", name);
    if variable.default.is_empty() || variable.default.contains(['/', '{', '}', '?', '#']) {
        return Err(Error::at(
            child(&pointer, "default"),
            "a server variable after the endpoint needs a `default` that is one path segment; the SDK sends it as the spec fixes it",
        ));
    }
    if !variable.enumeration.is_empty() && !variable.enumeration.contains(&variable.default) {
        return Err(Error::at(
            child(&pointer, "default"),
            format!(
                "the default `{}` is not one of the variable's `enum` values",
                variable.default
            ),
        ));
    }
    Ok((variable.default.clone(), variable.enumeration.clone()))
}

impl Context<'_> {
    /// The Rust name of the model a `$ref` points at, checking that it exists.
    fn model_for_ref(&self, reference: &str, pointer: &str) -> Result<String, Error> {
        if reference.trim().is_empty() {
            return Err(Error::at(
                pointer,
                "the $ref is empty; write `#/components/schemas/<name>` of the schema it means",
            ));
        }
        let name = reference
            .strip_prefix("#/components/schemas/")
            .ok_or_else(|| Error::at(pointer, format!("unsupported $ref `{reference}`: only `#/components/schemas/…` can name a schema")))?;
        if self.component(name).is_some_and(model::is_multipart_form) {
            return Err(Error::at(
                pointer,
                format!(
                    "schema `{name}` has a `format: binary` property, so it can only be a `multipart/form-data` request body"
                ),
            ));
        }
        self.model_names.get(name).cloned().ok_or_else(|| {
            Error::at(
                pointer,
                format!("dangling $ref `{reference}`: there is no schema `{name}` under `components/schemas`; define it, or refer to one that exists"),
            )
        })
    }

    /// The JSON pointer of the component schema of this name, where its author wrote it.
    fn schema_pointer(&self, name: &str) -> String {
        self.origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| child("#/components/schemas", name))
    }

    /// The component schema of this name, when it is not itself a `$ref`.
    pub(crate) fn component(&self, name: &str) -> Option<&Schema> {
        self.spec.components.as_ref()?.schemas.get(name)?.as_item()
    }

    /// The `default` of the component schema a `$ref` points at, for properties and
    /// parameters whose schema is only that reference.
    fn referenced_default(&self, reference: &str) -> Option<String> {
        let name = reference.strip_prefix("#/components/schemas/")?;
        let schema = self
            .spec
            .components
            .as_ref()?
            .schemas
            .get(name)?
            .as_item()?;
        schema.schema_data.default.as_ref().map(ToString::to_string)
    }

    /// The description of the component schema a `$ref` points at: in OpenAPI 3.0 a `$ref`
    /// cannot carry a description of its own.
    fn referenced_docs(&self, reference: &str) -> Vec<String> {
        let schema = reference
            .strip_prefix("#/components/schemas/")
            .and_then(|name| self.spec.components.as_ref()?.schemas.get(name)?.as_item());
        docs::optional(schema.and_then(|schema| schema.schema_data.description.as_ref()))
    }

    /// The versions the spec describes, to read annotations against.
    fn versions(&self) -> versions::Versions<'_> {
        versions::Versions {
            list: &self.versions,
        }
    }

    /// Whether the model with this Rust name is an object with constraints to check.
    fn validates(&self, model: &str) -> bool {
        matches!(self.models.get(model).map(|model| &model.kind), Some(ModelKind::Struct(object)) if object.validates)
    }
}
