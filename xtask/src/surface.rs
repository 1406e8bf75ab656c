//! The public surface of one API version, read from its IR: a flat list of items sorted by
//! where they sit (groups, methods, arguments; models, fields, enum values), which `report`
//! compares between two versions of a spec.

use codegen::ir::{Api, Body, Method, ModelKind, ResponseBody, TypeRef};

/// One step of an item's path. An item's parent is its path without the last step; the
/// derived order puts a parent just before its children and operations before models.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// An operation group, by its accessor (`face_list`).
    Group(String),
    /// A method of a group.
    Method(String),
    /// An argument of a method, wherever it travels (path, query, header or body), by Rust name.
    Argument(String),
    /// A helper of a method's builder: `into_stream` or `send_and_wait`.
    Helper(&'static str),
    /// A model, by its Rust name.
    Model(String),
    /// A field of a struct model, by Rust name.
    Field(String),
    /// A value of a string enum model, by its variant name.
    Value(String),
}

/// A thing callers name: a group, method, argument, helper, model, field or enum value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub path: Vec<Step>,
    /// What the item is to a caller: the return type of a method, the type of an argument, the
    /// type of a field as it is read (`Option<T>` unless required and not nullable), the item type of `into_stream`, the status model of
    /// `send_and_wait`, `struct`, `enum` or `alias of T` for a model, the wire value of an enum
    /// value; empty for a group.
    pub ty: String,
    /// Whether a caller must give it: a positional argument (else a setter), or a field that
    /// is an argument of its model's `new` (required and not nullable; else an `Option` field
    /// that starts as `None`); true for every other item.
    pub required: bool,
    /// For an argument, its place in `Method::arguments` (positional ones first); for a
    /// field, its place in the model (the order of `new`'s arguments).
    pub order: usize,
    /// For an argument that takes a kind of id (`impl Into<FaceId>`, a list of them), the
    /// wire type it also takes as it is (`Uuid`, `Vec<Uuid>`): a caller that passed that type
    /// before the id was typed still compiles.
    pub accepts: Option<String>,
}

impl Item {
    fn new(path: Vec<Step>, ty: String) -> Self {
        Item {
            path,
            ty,
            required: true,
            order: 0,
            accepts: None,
        }
    }
}

/// Every item of the API's public surface, sorted by path.
pub fn surface(api: &Api) -> Vec<Item> {
    let mut items = Vec::new();
    for group in &api.groups {
        let group_path = vec![Step::Group(group.module.clone())];
        items.push(Item::new(group_path.clone(), String::new()));
        for method in &group.methods {
            let mut method_path = group_path.clone();
            method_path.push(Step::Method(method.name.clone()));
            method_items(method, &method_path, &mut items);
        }
    }
    for model in &api.models {
        let model_path = vec![Step::Model(model.name.clone())];
        let kind = match &model.kind {
            ModelKind::Struct(_) => "struct".to_owned(),
            ModelKind::Enum(_) => "enum".to_owned(),
            ModelKind::Alias(ty) => format!("alias of {}", type_name(ty)),
        };
        items.push(Item::new(model_path.clone(), kind));
        let child = |step| [model_path.clone(), vec![step]].concat();
        match &model.kind {
            ModelKind::Struct(fields) => {
                items.extend(fields.fields.iter().enumerate().map(|(order, field)| {
                    let ty = type_name(&field.ty);
                    let required = field.always_present();
                    Item {
                        required,
                        order,
                        ..Item::new(
                            child(Step::Field(field.name.rust.clone())),
                            if required {
                                ty
                            } else {
                                format!("Option<{ty}>")
                            },
                        )
                    }
                }));
            }
            ModelKind::Enum(values) => items.extend(values.variants.iter().map(|variant| {
                Item::new(
                    child(Step::Value(variant.name.clone())),
                    format!("{:?}", variant.wire),
                )
            })),
            ModelKind::Alias(_) => {}
        }
    }
    items.sort_by(|left, right| left.path.cmp(&right.path));
    items
}

fn method_items(method: &Method, path: &[Step], items: &mut Vec<Item>) {
    let child = |step| [path.to_vec(), vec![step]].concat();
    let returns = match &method.response.body {
        ResponseBody::Empty => "()".to_owned(),
        ResponseBody::Json(ty) => type_name(ty),
        ResponseBody::Binary => "bytes::Bytes".to_owned(),
    };
    items.push(Item::new(path.to_vec(), returns));
    // A file part of a form is taken as a `FilePart` (its own file name and content type).
    let file_parts: Vec<&str> = match &method.body {
        Some(Body::Multipart { parts }) => parts
            .iter()
            .filter(|part| part.file.is_some())
            .map(|part| part.param.name.rust.as_str())
            .collect(),
        _ => Vec::new(),
    };
    for (order, argument) in method.arguments().into_iter().enumerate() {
        let ty = if file_parts.contains(&argument.name.rust.as_str()) {
            "FilePart".to_owned()
        } else {
            type_name(&argument.ty)
        };
        // A list of ids or all (`PersonIds`) converts from a `Vec` or an array of its items,
        // not from every iterator an untyped list argument took: it accepts nothing as it is.
        let is_id = |ty: &TypeRef| matches!(ty, TypeRef::Id { .. });
        let accepts = match &argument.ty {
            TypeRef::Array(item) if is_id(item) => Some(type_name(&argument.ty.wire())),
            ty if is_id(ty) => Some(type_name(&ty.wire())),
            _ => None,
        };
        items.push(Item {
            required: argument.required,
            order,
            accepts,
            ..Item::new(child(Step::Argument(argument.name.rust.clone())), ty)
        });
    }
    if let Some(pagination) = &method.pagination {
        items.push(Item::new(
            child(Step::Helper("into_stream")),
            pagination.item.clone(),
        ));
    }
    if let Some(long_running) = &method.long_running {
        items.push(Item::new(
            child(Step::Helper("send_and_wait")),
            long_running.status_model.clone(),
        ));
    }
}

/// The Rust type of a value as a caller reads it (models by their bare name).
pub fn type_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::F32 => "f32".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::String => "String".to_owned(),
        TypeRef::Uuid => "Uuid".to_owned(),
        TypeRef::DateTime => "DateTime<Utc>".to_owned(),
        TypeRef::Json => "serde_json::Value".to_owned(),
        TypeRef::Binary => "Body".to_owned(),
        TypeRef::Model(name) | TypeRef::Id { kind: name, .. } | TypeRef::AllOr { name, .. } => {
            name.clone()
        }
        TypeRef::Array(item) => format!("Vec<{}>", type_name(item)),
    }
}

#[cfg(test)]
mod tests {
    use super::{Step, surface};
    use codegen::ir::Body;

    /// A caller gives a form's file part as a `FilePart` (with its own file name and content
    /// type), so the surface, and the change report, name that type; every other binary
    /// argument is a `Body`.
    #[test]
    fn a_file_part_of_a_form_is_a_file_part() {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/face-v1.2.yaml"),
        )
        .expect("the v1.2 spec");
        let api = codegen::lower_text(&text).expect("the spec lowers");
        let items = surface(&api);
        let mut file_parts = 0;
        for group in &api.groups {
            for method in &group.methods {
                let Some(Body::Multipart { parts }) = &method.body else {
                    continue;
                };
                for part in parts.iter().filter(|part| part.file.is_some()) {
                    let path = vec![
                        Step::Group(group.module.clone()),
                        Step::Method(method.name.clone()),
                        Step::Argument(part.param.name.rust.clone()),
                    ];
                    let item = items
                        .iter()
                        .find(|item| item.path == path)
                        .expect("every argument is on the surface");
                    assert_eq!(item.ty, "FilePart", "{path:?}");
                    file_parts += 1;
                }
            }
        }
        assert!(file_parts > 0, "the v1.2 spec has a form with a file part");
    }
}
