//! A generated [`table`] becomes the [`Rules`] of one service version: only what that version
//! has (operations, parameters, properties, form parts, schemas, enum values), under its own
//! base path, as owned shapes with compiled patterns and parsed defaults.

use super::{
    AllowedItems, BodyRules, Bounds, ERROR_CODE_HEADER, Kind, Location, ObjectRules,
    OperationRules, Pagination, ParamRules, Rules, RulesError, Shape, StringRules, table,
};

/// Every operation and named schema of `api` that `version` has (all of them when `None`, for
/// a table that lists no versions).
pub(super) fn rules(api: &table::Api, version: Option<&str>) -> Result<Rules, RulesError> {
    let base_path = match version {
        None => api.base_path,
        Some(version) => api
            .versions
            .iter()
            .find(|(known, _)| *known == version)
            .map(|(_, path)| *path)
            .ok_or_else(|| error("versions", &format!("the table lists no version {version}")))?,
    };
    let has = |availability: table::Availability| availability.includes(api.versions, version);
    let mut rules = Rules {
        base_path: base_path.to_owned(),
        version: version.map(str::to_owned),
        error_code_header: api
            .error_headers
            .iter()
            .find(|name| name.eq_ignore_ascii_case(ERROR_CODE_HEADER))
            .map(|name| (*name).to_owned()),
        locations: api
            .locations
            .iter()
            .map(|(header, path)| ((*header).to_owned(), (*path).to_owned()))
            .collect(),
        ..Rules::default()
    };
    for (name, schema, availability) in api.schemas {
        if !has(*availability) {
            continue;
        }
        let location = format!("schema {name}");
        rules
            .schemas
            .insert((*name).to_owned(), shape(schema, &location, &has)?);
    }
    for operation in api.operations {
        if !has(operation.availability) {
            continue;
        }
        let location = format!("operation {}", operation.id);
        let params = operation
            .params
            .iter()
            .filter(|param| has(param.availability))
            .map(|param| {
                let location = format!("{location}, parameter {}", param.name);
                Ok(ParamRules {
                    name: param.name.to_owned(),
                    location: match param.location {
                        table::Location::Path => Location::Path,
                        table::Location::Query => Location::Query,
                        table::Location::Header => Location::Header,
                        table::Location::Body => {
                            return Err(error(&location, "a body parameter among the parameters"));
                        }
                    },
                    required: param.required,
                    allowed_items: param
                        .allowed_items
                        .iter()
                        .map(|rule| AllowedItems {
                            parameter: rule.parameter.to_owned(),
                            default: rule.default.map(str::to_owned),
                            values: rule
                                .values
                                .iter()
                                .map(|(value, items)| {
                                    (
                                        (*value).to_owned(),
                                        items.iter().map(|item| (*item).to_owned()).collect(),
                                    )
                                })
                                .collect(),
                        })
                        .collect(),
                    shape: shape(&param.shape, &location, &has)?,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let bodies = operation
            .bodies
            .iter()
            .map(|body| {
                Ok(BodyRules {
                    media_type: body.media_type.to_owned(),
                    shape: shape(
                        &body.shape,
                        &format!("{location}, {} body", body.media_type),
                        &has,
                    )?,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let response = match &operation.response {
            Some(response) => Some(shape(response, &format!("{location}, answer"), &has)?),
            None => None,
        };
        rules.operations.insert(
            operation.id.to_owned(),
            OperationRules {
                method: operation.method.to_owned(),
                path: operation.path.to_owned(),
                params,
                bodies,
                pagination: operation.pagination.as_ref().map(|pagination| Pagination {
                    cursor_parameter: pagination.cursor.to_owned(),
                    limit_parameter: pagination.limit.map(str::to_owned),
                }),
                status: operation.status,
                headers: operation
                    .headers
                    .iter()
                    .map(|name| (*name).to_owned())
                    .collect(),
                response,
                binary_answer: operation.binary_answer,
                status_path: operation.status_path.map(str::to_owned),
            },
        );
    }
    Ok(rules)
}

/// A shape with only the properties and enum values that `has` keeps.
fn shape(
    shape: &table::Shape,
    location: &str,
    has: &dyn Fn(table::Availability) -> bool,
) -> Result<Shape, RulesError> {
    let kind = match &shape.kind {
        table::Kind::Any => Kind::Any,
        table::Kind::Boolean => Kind::Boolean,
        table::Kind::Integer(bounds_of) => Kind::Integer(bounds(bounds_of)),
        table::Kind::Number(bounds_of) => Kind::Number(bounds(bounds_of)),
        table::Kind::String(text) => Kind::String(StringRules {
            min_length: text.min_length,
            max_length: text.max_length,
            pattern: match text.pattern {
                Some(source) => Some((
                    source.to_owned(),
                    regex_lite::Regex::new(source).map_err(|problem| {
                        error(location, &format!("pattern {source}: {problem}"))
                    })?,
                )),
                None => None,
            },
            format: text.format.map(str::to_owned),
            values: text
                .values
                .iter()
                .filter(|(_, availability)| has(*availability))
                .map(|(value, _)| (*value).to_owned())
                .collect(),
        }),
        table::Kind::Array {
            items,
            min_items,
            max_items,
            every,
        } => Kind::Array {
            items: Box::new(self::shape(items, location, has)?),
            min_items: *min_items,
            max_items: *max_items,
            every: every.map(str::to_owned),
        },
        table::Kind::Object(object) => Kind::Object(ObjectRules {
            properties: object
                .properties
                .iter()
                .filter(|(_, _, availability)| has(*availability))
                .map(|(name, property, _)| {
                    Ok((
                        (*name).to_owned(),
                        self::shape(property, &format!("{location}, property {name}"), has)?,
                    ))
                })
                .collect::<Result<_, RulesError>>()?,
            required: object
                .required
                .iter()
                .filter(|name| is_present(object, name, has))
                .map(|name| (*name).to_owned())
                .collect(),
            exactly_one_of: object
                .exactly_one_of
                .iter()
                .map(|group| {
                    group
                        .iter()
                        .filter(|name| is_present(object, name, has))
                        .map(|name| (*name).to_owned())
                        .collect::<Vec<_>>()
                })
                .filter(|group| !group.is_empty())
                .collect(),
        }),
        table::Kind::Ref(name) => Kind::Ref((*name).to_owned()),
        table::Kind::OneOf(alternatives) => Kind::OneOf(
            alternatives
                .iter()
                .map(|alternative| self::shape(alternative, location, has))
                .collect::<Result<_, _>>()?,
        ),
    };
    let default = match shape.default {
        Some(text) => Some(serde_json::from_str(text).map_err(|problem| {
            error(location, &format!("default {text} is not JSON: {problem}"))
        })?),
        None => None,
    };
    Ok(Shape {
        kind,
        nullable: shape.nullable,
        default,
    })
}

/// Whether the object has its property `name` at the version `has` keeps.
fn is_present(
    object: &table::Object,
    name: &str,
    has: &dyn Fn(table::Availability) -> bool,
) -> bool {
    object
        .properties
        .iter()
        .any(|(key, _, availability)| *key == name && has(*availability))
}

fn bounds(bounds: &table::Bounds) -> Bounds {
    Bounds {
        minimum: bounds.minimum,
        maximum: bounds.maximum,
        exclusive_minimum: bounds.exclusive_minimum,
        exclusive_maximum: bounds.exclusive_maximum,
    }
}

fn error(location: &str, message: &str) -> RulesError {
    RulesError {
        location: location.to_owned(),
        message: message.to_owned(),
    }
}
