//! Lowers an OpenAPI document (openapiv3 types) into the emulator's [`Rules`].

use openapiv3::{
    OpenAPI, Operation, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, Type,
    VariantOrUnknownOrEmpty,
};

use super::{
    AllowedItems, BodyRules, Bounds, Kind, Location, ObjectRules, OperationRules, Pagination,
    ParamRules, Rules, RulesError, Shape, StringRules,
};

const SCHEMA_PREFIX: &str = "#/components/schemas/";
const PARAMETER_PREFIX: &str = "#/components/parameters/";

/// Parses the YAML text and lowers every operation and schema.
pub(super) fn load(spec_yaml: &str) -> Result<Rules, RulesError> {
    let spec: OpenAPI = yaml_serde::from_str(spec_yaml).map_err(|error| RulesError {
        location: "#".into(),
        message: format!("not an OpenAPI 3.0 document: {error}"),
    })?;
    let mut rules = Rules {
        base_path: base_path(&spec),
        error_code_header: error_code_header(&spec),
        ..Rules::default()
    };
    if let Some(components) = &spec.components {
        for (name, schema) in &components.schemas {
            let location = format!("{SCHEMA_PREFIX}{name}");
            rules
                .schemas
                .insert(name.clone(), lower_schema_ref(schema, &location)?);
        }
    }
    for (path, item) in &spec.paths.paths {
        let location = format!("#/paths/{}", escape_pointer(path));
        let ReferenceOr::Item(item) = item else {
            return Err(error(&location, "path items by $ref are not supported"));
        };
        for (method, operation) in item.iter() {
            let location = format!("{location}/{method}");
            let id = operation
                .operation_id
                .clone()
                .ok_or_else(|| error(&location, "operation has no operationId"))?;
            let mut lowered = lower_operation(&spec, operation, &location)?;
            lowered.method = method.to_ascii_uppercase();
            lowered.path.clone_from(path);
            for param in &item.parameters {
                let param = lower_parameter(&spec, param, &location)?;
                if !lowered.params.iter().any(|known| known.name == param.name) {
                    lowered.params.push(param);
                }
            }
            if rules.operations.insert(id.clone(), lowered).is_some() {
                return Err(error(
                    &location,
                    &format!("operationId {id} is given twice"),
                ));
            }
        }
    }
    Ok(rules)
}

fn lower_operation(
    spec: &OpenAPI,
    operation: &Operation,
    location: &str,
) -> Result<OperationRules, RulesError> {
    let params = operation
        .parameters
        .iter()
        .map(|param| lower_parameter(spec, param, location))
        .collect::<Result<Vec<_>, _>>()?;
    let mut bodies = Vec::new();
    if let Some(body) = &operation.request_body {
        let location = format!("{location}/requestBody");
        let body = match body {
            ReferenceOr::Item(body) => body,
            ReferenceOr::Reference { .. } => {
                return Err(error(&location, "request bodies by $ref are not supported"));
            }
        };
        for (media_type, content) in &body.content {
            let location = format!("{location}/content/{}", escape_pointer(media_type));
            let shape = match &content.schema {
                Some(schema) => lower_schema_ref(schema, &format!("{location}/schema"))?,
                None => Shape::default(),
            };
            bodies.push(BodyRules {
                media_type: media_type.to_ascii_lowercase(),
                shape,
            });
        }
    }
    let pagination = match operation.extensions.get("x-sdk-pagination") {
        Some(value) => Some(serde_json::from_value::<Pagination>(value.clone()).map_err(
            |problem| {
                error(
                    &format!("{location}/x-sdk-pagination"),
                    &problem.to_string(),
                )
            },
        )?),
        None => None,
    };
    Ok(OperationRules {
        method: String::new(),
        path: String::new(),
        params,
        bodies,
        pagination,
        response: success_schema(operation, location)?,
    })
}

/// The path of the first server URL, without its `{Endpoint}`-style host
/// variable, e.g. `/face/v1.0`; the root when no server is given.
fn base_path(spec: &OpenAPI) -> String {
    let Some(server) = spec.servers.first() else {
        return String::new();
    };
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        // The host variable goes with the host; the others take their defaults.
        if !url.starts_with(&format!("{{{name}}}")) {
            url = url.replace(&format!("{{{name}}}"), &variable.default);
        }
    }
    let url = url.as_str();
    let after_host = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |slash| &rest[slash..]),
        None if url.starts_with('{') => url.find('/').map_or("", |slash| &url[slash..]),
        None => url,
    };
    after_host.trim_end_matches('/').to_string()
}

/// The header that names the error code on error answers, when the spec's
/// error responses declare one (`x-ms-error-code`).
fn error_code_header(spec: &OpenAPI) -> Option<String> {
    let components = spec.components.as_ref()?;
    components
        .responses
        .values()
        .filter_map(|response| match response {
            ReferenceOr::Item(response) => Some(response),
            ReferenceOr::Reference { .. } => None,
        })
        .flat_map(|response| response.headers.keys())
        .find(|name| name.eq_ignore_ascii_case("x-ms-error-code"))
        .cloned()
}

/// The JSON schema of the first success response that has one.
fn success_schema(operation: &Operation, location: &str) -> Result<Option<Shape>, RulesError> {
    for (status, response) in &operation.responses.responses {
        let ReferenceOr::Item(response) = response else {
            continue;
        };
        if !status.to_string().starts_with('2') {
            continue;
        }
        if let Some(schema) = response
            .content
            .get("application/json")
            .and_then(|media| media.schema.as_ref())
        {
            return lower_schema_ref(schema, &format!("{location}/responses/{status}")).map(Some);
        }
    }
    Ok(None)
}

/// Reads `x-sdk-allowed-items` from a parameter.
fn allowed_items(
    data: &openapiv3::ParameterData,
    location: &str,
) -> Result<Vec<AllowedItems>, RulesError> {
    match data.extensions.get("x-sdk-allowed-items") {
        Some(value) => serde_json::from_value(value.clone()).map_err(|problem| {
            error(
                &format!("{location}/x-sdk-allowed-items"),
                &problem.to_string(),
            )
        }),
        None => Ok(Vec::new()),
    }
}

fn lower_parameter(
    spec: &OpenAPI,
    param: &ReferenceOr<Parameter>,
    location: &str,
) -> Result<ParamRules, RulesError> {
    let param = match param {
        ReferenceOr::Item(param) => param,
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix(PARAMETER_PREFIX).ok_or_else(|| {
                error(
                    location,
                    &format!("unsupported parameter reference {reference}"),
                )
            })?;
            match spec
                .components
                .as_ref()
                .and_then(|components| components.parameters.get(name))
            {
                Some(ReferenceOr::Item(param)) => param,
                _ => return Err(error(location, &format!("unknown parameter {reference}"))),
            }
        }
    };
    let location_kind = match param {
        Parameter::Path { .. } => Location::Path,
        Parameter::Query { .. } => Location::Query,
        Parameter::Header { .. } => Location::Header,
        Parameter::Cookie { .. } => {
            return Err(error(location, "cookie parameters are not supported"));
        }
    };
    let data = param.parameter_data_ref();
    let location = format!("{location}/parameters/{}", data.name);
    let shape = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => lower_schema_ref(schema, &location)?,
        ParameterSchemaOrContent::Content(_) => Shape::default(),
    };
    Ok(ParamRules {
        name: data.name.clone(),
        location: location_kind,
        required: data.required,
        allowed_items: allowed_items(data, &location)?,
        shape,
    })
}

fn lower_schema_ref<T: std::borrow::Borrow<Schema>>(
    schema: &ReferenceOr<T>,
    location: &str,
) -> Result<Shape, RulesError> {
    match schema {
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix(SCHEMA_PREFIX).ok_or_else(|| {
                error(
                    location,
                    &format!("unsupported schema reference {reference}"),
                )
            })?;
            Ok(Shape {
                kind: Kind::Ref(name.to_string()),
                ..Shape::default()
            })
        }
        ReferenceOr::Item(schema) => lower_schema(schema.borrow(), location),
    }
}

fn lower_schema(schema: &Schema, location: &str) -> Result<Shape, RulesError> {
    let kind = match &schema.schema_kind {
        SchemaKind::Type(Type::Boolean(_)) => Kind::Boolean,
        SchemaKind::Type(Type::Integer(integer)) => Kind::Integer(Bounds {
            minimum: integer.minimum.map(|value| value as f64),
            maximum: integer.maximum.map(|value| value as f64),
            exclusive_minimum: integer.exclusive_minimum,
            exclusive_maximum: integer.exclusive_maximum,
        }),
        SchemaKind::Type(Type::Number(number)) => Kind::Number(Bounds {
            minimum: number.minimum,
            maximum: number.maximum,
            exclusive_minimum: number.exclusive_minimum,
            exclusive_maximum: number.exclusive_maximum,
        }),
        SchemaKind::Type(Type::String(string)) => Kind::String(StringRules {
            min_length: string.min_length,
            max_length: string.max_length,
            pattern: match &string.pattern {
                Some(pattern) => Some((pattern.clone(), compile_pattern(pattern, location)?)),
                None => None,
            },
            format: match &string.format {
                VariantOrUnknownOrEmpty::Item(format) => {
                    Some(format!("{format:?}").to_ascii_lowercase())
                }
                VariantOrUnknownOrEmpty::Unknown(format) => Some(format.to_ascii_lowercase()),
                VariantOrUnknownOrEmpty::Empty => None,
            },
            values: string.enumeration.iter().flatten().cloned().collect(),
        }),
        SchemaKind::Type(Type::Array(array)) => Kind::Array {
            items: Box::new(match &array.items {
                Some(items) => lower_schema_ref(items, &format!("{location}/items"))?,
                None => Shape::default(),
            }),
            min_items: array.min_items,
            max_items: array.max_items,
        },
        SchemaKind::Type(Type::Object(object)) => {
            let mut properties = Vec::new();
            for (name, property) in &object.properties {
                properties.push((
                    name.clone(),
                    lower_schema_ref(property, &format!("{location}/properties/{name}"))?,
                ));
            }
            Kind::Object(ObjectRules {
                properties,
                required: object.required.clone(),
                exactly_one_of: exactly_one_of(schema, location)?,
            })
        }
        SchemaKind::OneOf { one_of } => Kind::OneOf(
            one_of
                .iter()
                .enumerate()
                .map(|(index, alternative)| {
                    lower_schema_ref(alternative, &format!("{location}/oneOf/{index}"))
                })
                .collect::<Result<_, _>>()?,
        ),
        _ => Kind::Any,
    };
    Ok(Shape {
        kind,
        nullable: schema.schema_data.nullable,
        default: schema.schema_data.default.clone(),
    })
}

/// Reads `x-sdk-exactly-one-of: [[a, b], ...]`.
fn exactly_one_of(schema: &Schema, location: &str) -> Result<Vec<Vec<String>>, RulesError> {
    let Some(value) = schema.schema_data.extensions.get("x-sdk-exactly-one-of") else {
        return Ok(Vec::new());
    };
    let malformed = || {
        error(
            &format!("{location}/x-sdk-exactly-one-of"),
            "expected a list of lists of property names",
        )
    };
    let groups = value.as_array().ok_or_else(malformed)?;
    groups
        .iter()
        .map(|group| {
            group
                .as_array()
                .ok_or_else(malformed)?
                .iter()
                .map(|name| name.as_str().map(str::to_string).ok_or_else(malformed))
                .collect()
        })
        .collect()
}

fn compile_pattern(pattern: &str, location: &str) -> Result<regex_lite::Regex, RulesError> {
    regex_lite::Regex::new(pattern)
        .map_err(|problem| error(&format!("{location}/pattern"), &problem.to_string()))
}

fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn error(location: &str, message: &str) -> RulesError {
    RulesError {
        location: location.to_string(),
        message: message.to_string(),
    }
}
