//! A generated [`table`] becomes [`Rules`]: owned shapes, compiled patterns, parsed defaults.

use super::{
    AllowedItems, BodyRules, Bounds, ERROR_CODE_HEADER, Kind, Location, ObjectRules,
    OperationRules, Pagination, ParamRules, Rules, RulesError, Shape, StringRules, table,
};

/// Every operation and named schema of `api`.
pub(super) fn rules(api: &table::Api) -> Result<Rules, RulesError> {
    let mut rules = Rules {
        base_path: api.base_path.to_owned(),
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
    for (name, schema) in api.schemas {
        let location = format!("schema {name}");
        rules
            .schemas
            .insert((*name).to_owned(), shape(schema, &location)?);
    }
    for operation in api.operations {
        let location = format!("operation {}", operation.id);
        let params = operation
            .params
            .iter()
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
                    shape: shape(&param.shape, &location)?,
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
                    )?,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let response = match &operation.response {
            Some(response) => Some(shape(response, &format!("{location}, answer"))?),
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

fn shape(shape: &table::Shape, location: &str) -> Result<Shape, RulesError> {
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
                .map(|value| (*value).to_owned())
                .collect(),
        }),
        table::Kind::Array {
            items,
            min_items,
            max_items,
        } => Kind::Array {
            items: Box::new(self::shape(items, location)?),
            min_items: *min_items,
            max_items: *max_items,
        },
        table::Kind::Object(object) => Kind::Object(ObjectRules {
            properties: object
                .properties
                .iter()
                .map(|(name, property)| {
                    Ok((
                        (*name).to_owned(),
                        self::shape(property, &format!("{location}, property {name}"))?,
                    ))
                })
                .collect::<Result<_, RulesError>>()?,
            required: object
                .required
                .iter()
                .map(|name| (*name).to_owned())
                .collect(),
            exactly_one_of: object
                .exactly_one_of
                .iter()
                .map(|group| group.iter().map(|name| (*name).to_owned()).collect())
                .collect(),
        }),
        table::Kind::Ref(name) => Kind::Ref((*name).to_owned()),
        table::Kind::OneOf(alternatives) => Kind::OneOf(
            alternatives
                .iter()
                .map(|alternative| self::shape(alternative, location))
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
