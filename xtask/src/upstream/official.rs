//! The vendor's published description, a Swagger 2.0 document, read as the operations it
//! lists: one entry per method and path (TypeSpec's `?_overload=…` suffixes of `x-ms-paths`
//! stripped), with one form per overload, keyed by its body as `body_key` keys ours.

use serde_json::Value;

/// The official document, with `$ref`s resolved on demand.
pub struct Official {
    doc: Value,
}

/// One overload of an official operation.
pub struct Form<'a> {
    pub key: String,
    pub operation_id: String,
    /// The path, query and header parameters, resolved.
    pub params: Vec<&'a Value>,
    pub body: Body<'a>,
    /// The first success status and its schema.
    pub status: String,
    pub response: Option<&'a Value>,
}

/// What an overload sends.
pub enum Body<'a> {
    None,
    /// The schema as written, maybe a `$ref`.
    Json(&'a Value),
    Binary(&'a Value),
    Multipart(Vec<&'a Value>),
}

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

impl Official {
    /// Parses the document and checks it is Swagger 2.0 describing `version`.
    pub fn parse(text: &str, version: &str) -> Result<Self, String> {
        let doc: Value =
            serde_json::from_str(text).map_err(|error| format!("not a JSON document: {error}"))?;
        if doc.get("swagger").and_then(Value::as_str) != Some("2.0") {
            return Err("not a Swagger 2.0 document (no `\"swagger\": \"2.0\"`)".to_owned());
        }
        let mut listed: Vec<&str> = doc
            .pointer("/x-ms-parameterized-host/parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|parameter| parameter.get("name").and_then(Value::as_str) == Some("apiVersion"))
            .filter_map(|parameter| parameter.get("enum").and_then(Value::as_array))
            .flatten()
            .filter_map(Value::as_str)
            .chain(doc.pointer("/info/version").and_then(Value::as_str))
            .collect();
        listed.sort_unstable();
        listed.dedup();
        if !listed.contains(&version) {
            return Err(format!(
                "the document describes {}, not `{version}`",
                listed
                    .iter()
                    .map(|name| format!("`{name}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        Ok(Official { doc })
    }

    /// Follows `$ref`s to `#/definitions/…` and `#/parameters/…`; the name of the last
    /// definition followed comes along.
    pub fn resolve<'a>(
        &'a self,
        mut value: &'a Value,
    ) -> Result<(&'a Value, Option<&'a str>), String> {
        let mut name = None;
        for _ in 0..32 {
            let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
                return Ok((value, name));
            };
            let pointer = reference
                .strip_prefix('#')
                .ok_or_else(|| format!("`$ref: {reference}` points outside the document"))?;
            value = self
                .doc
                .pointer(pointer)
                .ok_or_else(|| format!("dangling `$ref: {reference}`"))?;
            name = pointer.rsplit('/').next();
        }
        Err("a `$ref` chain longer than 32 links".to_owned())
    }

    /// Every operation: (`METHOD /path`, its overloads).
    pub fn operations(&self) -> Result<Vec<(String, Vec<Form<'_>>)>, String> {
        let mut operations: Vec<(String, Vec<Form<'_>>)> = Vec::new();
        for section in ["paths", "x-ms-paths"] {
            let Some(paths) = self.doc.get(section).and_then(Value::as_object) else {
                continue;
            };
            for (path, item) in paths {
                let path = path.split('?').next().unwrap_or(path);
                let shared: Vec<&Value> = item
                    .get("parameters")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .collect();
                for method in METHODS {
                    let Some(operation) = item.get(method) else {
                        continue;
                    };
                    let key = format!("{} {path}", method.to_uppercase());
                    let form = self
                        .form(operation, &shared)
                        .map_err(|error| format!("{key}: {error}"))?;
                    match operations.iter_mut().find(|(known, _)| *known == key) {
                        Some((_, forms)) => forms.push(form),
                        None => operations.push((key, vec![form])),
                    }
                }
            }
        }
        operations.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(operations)
    }

    fn form<'a>(&'a self, operation: &'a Value, shared: &[&'a Value]) -> Result<Form<'a>, String> {
        let mut params = Vec::new();
        let mut body = Body::None;
        let mut form_data = Vec::new();
        let own = operation
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        for parameter in shared.iter().copied().chain(own) {
            let (parameter, _) = self.resolve(parameter)?;
            match parameter.get("in").and_then(Value::as_str) {
                Some("body") => {
                    let schema = parameter
                        .get("schema")
                        .ok_or("a body parameter without `schema`")?;
                    let (resolved, _) = self.resolve(schema)?;
                    body = if kind(resolved) == "binary" {
                        Body::Binary(resolved)
                    } else {
                        Body::Json(schema)
                    };
                }
                Some("formData") => form_data.push(parameter),
                _ => params.push(parameter),
            }
        }
        if !form_data.is_empty() {
            body = Body::Multipart(form_data);
        }
        let key = match &body {
            Body::None => "no body".to_owned(),
            Body::Binary(_) => "octet-stream".to_owned(),
            Body::Multipart(_) => "multipart".to_owned(),
            Body::Json(schema) => {
                let (schema, _) = self.resolve(schema)?;
                let mut required: Vec<&str> = schema
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                required.sort_unstable();
                format!("json{{{}}}", required.join(","))
            }
        };
        let responses = operation
            .get("responses")
            .and_then(Value::as_object)
            .ok_or("no `responses`")?;
        let (status, response) = responses
            .iter()
            .find(|(status, _)| status.starts_with('2'))
            .ok_or("no success response")?;
        let response = response.get("schema");
        Ok(Form {
            key,
            operation_id: operation
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            params,
            body,
            status: status.clone(),
            response,
        })
    }
}

/// The wire kind of a schema, in the words `compare` uses for both sides: the number
/// formats `float` and `double` are one JSON number, and string formats other than `uuid`,
/// `date-time` and `binary` the same JSON string.
pub fn kind(schema: &Value) -> String {
    let format = schema.get("format").and_then(Value::as_str);
    match schema.get("type").and_then(Value::as_str) {
        Some("file") => "binary".to_owned(),
        Some("string") => match format {
            Some("binary") => "binary".to_owned(),
            Some(format @ ("uuid" | "date-time")) => format!("string({format})"),
            _ => "string".to_owned(),
        },
        Some("integer") => match format {
            Some("int32") => "integer(int32)".to_owned(),
            _ => "integer(int64)".to_owned(),
        },
        Some("number") => "number".to_owned(),
        Some("boolean") => "boolean".to_owned(),
        Some("array") => "array".to_owned(),
        Some("object") => "object".to_owned(),
        None if schema.get("properties").is_some() => "object".to_owned(),
        None => "any".to_owned(),
        Some(other) => other.to_owned(),
    }
}
