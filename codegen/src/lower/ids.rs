//! Kinds of id: `x-sdk-ids` at the root declares them, `x-sdk-id` on a string schema says
//! which one a value carries, `x-sdk-no-id-kind` says why a value that looks like an id has
//! none, and `x-sdk-all-items` on a list of ids names the value that, alone, means every item.

use super::{Context, docs};
use crate::Error;
use crate::error::child;
use crate::ir::{AllOrList, IdKind, Model, TypeRef, UntypedId};
use crate::naming;
use openapiv3::{OpenAPI, Schema, SchemaKind, Type};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// The root extension that declares the kinds, each with the description of its type.
pub const KINDS_EXTENSION: &str = "x-sdk-ids";
/// The schema extension that names the kind of id a string or UUID value carries.
pub const ID_EXTENSION: &str = "x-sdk-id";
/// The schema extension that says, with a reason, that a value carries no kind of id.
pub const NO_ID_EXTENSION: &str = "x-sdk-no-id-kind";
/// The array extension that names the item that, alone in the list, means every item.
pub const ALL_ITEMS_EXTENSION: &str = "x-sdk-all-items";

/// The declared kinds, and what lowering has seen of their use.
#[derive(Default)]
pub struct Kinds {
    /// Kind → its docs, as declared.
    declared: BTreeMap<String, Vec<String>>,
    /// Kind → whether it is a UUID, and where it was first used.
    uses: RefCell<BTreeMap<String, (bool, String)>>,
    /// Choice name → the choice, and where it was first used.
    all_or: RefCell<BTreeMap<String, (AllOrList, String)>>,
    /// The values that say why they carry no kind of id.
    untyped: RefCell<Vec<UntypedId>>,
}

/// Reads `x-sdk-ids`: a map from kind (a PascalCase type name) to its description.
pub fn declared(spec: &OpenAPI) -> Result<Kinds, Error> {
    let mut kinds = Kinds::default();
    let Some(value) = spec.extensions.get(KINDS_EXTENSION) else {
        return Ok(kinds);
    };
    let pointer = child("#", KINDS_EXTENSION);
    let map = value.as_object().ok_or_else(|| {
        Error::at(
            &pointer,
            format!("`{KINDS_EXTENSION}` must map each kind of id to its description"),
        )
    })?;
    for (name, description) in map {
        let kind_pointer = child(&pointer, name);
        if naming::pascal_case(name).as_deref() != Some(name.as_str()) {
            return Err(Error::at(
                kind_pointer,
                format!("the kind of id `{name}` must be a PascalCase type name"),
            ));
        }
        let text = description.as_str().map(ToOwned::to_owned);
        let docs = docs::required(text.as_ref(), &kind_pointer, "the kind of id")?;
        kinds.declared.insert(name.clone(), docs);
    }
    Ok(kinds)
}

/// Refuses the id extensions where they cannot apply: `x-sdk-id` and `x-sdk-no-id-kind` off a
/// string schema or together, `x-sdk-all-items` off an array.
pub fn check_placement(schema: &Schema, pointer: &str) -> Result<(), Error> {
    let extensions = &schema.schema_data.extensions;
    let string = matches!(&schema.schema_kind, SchemaKind::Type(Type::String(_)));
    let array = matches!(&schema.schema_kind, SchemaKind::Type(Type::Array(_)));
    for key in [ID_EXTENSION, NO_ID_EXTENSION] {
        if extensions.contains_key(key) && !string {
            return Err(Error::at(
                child(pointer, key),
                format!(
                    "`{key}` is for a string schema (an id is a string or a UUID); on a list, put it on `items`"
                ),
            ));
        }
    }
    if extensions.contains_key(ID_EXTENSION) && extensions.contains_key(NO_ID_EXTENSION) {
        return Err(Error::at(
            child(pointer, NO_ID_EXTENSION),
            format!("`{NO_ID_EXTENSION}` contradicts the `{ID_EXTENSION}` beside it; keep one"),
        ));
    }
    if let Some(reason) = extensions.get(NO_ID_EXTENSION)
        && reason.as_str().is_none_or(|text| text.trim().is_empty())
    {
        return Err(Error::at(
            child(pointer, NO_ID_EXTENSION),
            format!("`{NO_ID_EXTENSION}` must say, as text, why the value carries no kind of id"),
        ));
    }
    if extensions.contains_key(ALL_ITEMS_EXTENSION) && !array {
        return Err(Error::at(
            child(pointer, ALL_ITEMS_EXTENSION),
            format!("`{ALL_ITEMS_EXTENSION}` is for an array schema"),
        ));
    }
    Ok(())
}

/// Refuses the schema extensions of ids written on a parameter object, where they would be
/// lost: they belong on its `schema`.
pub fn refuse_on_parameter(
    extensions: &indexmap::IndexMap<String, Value>,
    pointer: &str,
) -> Result<(), Error> {
    for key in [ID_EXTENSION, NO_ID_EXTENSION, ALL_ITEMS_EXTENSION] {
        if extensions.contains_key(key) {
            return Err(Error::at(
                child(pointer, key),
                format!("`{key}` belongs on the parameter's `schema`, not on the parameter"),
            ));
        }
    }
    Ok(())
}

/// The type of a string schema whose plain type is `wire` (`String` or `Uuid`): the kind of id
/// its `x-sdk-id` names, or `wire`.
pub fn typed(
    context: &Context,
    schema: &Schema,
    wire: TypeRef,
    pointer: &str,
) -> Result<TypeRef, Error> {
    let Some(value) = schema.schema_data.extensions.get(ID_EXTENSION) else {
        return Ok(wire);
    };
    let pointer = child(pointer, ID_EXTENSION);
    let kinds = context.kinds();
    let uuid = match wire {
        TypeRef::Uuid => true,
        TypeRef::String => false,
        _ => {
            return Err(Error::at(
                pointer,
                "an id is a string, or a string of `format: uuid`; remove `x-sdk-id` or the format",
            ));
        }
    };
    let kind = value
        .as_str()
        .filter(|kind| kinds.declared.contains_key(*kind))
        .ok_or_else(|| {
            let known: Vec<&str> = kinds.declared.keys().map(String::as_str).collect();
            Error::at(
                &pointer,
                format!(
                    "`{}` is not a kind of id `{KINDS_EXTENSION}` declares (it declares: {})",
                    value
                        .as_str()
                        .map_or_else(|| value.to_string(), ToOwned::to_owned),
                    if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known.join(", ")
                    }
                ),
            )
        })?;
    let mut uses = kinds.uses.borrow_mut();
    let (first_uuid, first) = uses
        .entry(kind.to_owned())
        .or_insert_with(|| (uuid, pointer.clone()));
    if *first_uuid != uuid {
        let word = |uuid: bool| if uuid { "a UUID" } else { "a string" };
        return Err(Error::at(
            pointer,
            format!(
                "the kind of id `{kind}` is {} here but {} at {first}; one kind has one wire type",
                word(uuid),
                word(*first_uuid)
            ),
        ));
    }
    Ok(TypeRef::Id {
        kind: kind.to_owned(),
        uuid,
    })
}

/// The type of an array schema of `item`s: a choice of a list or all when it says
/// `x-sdk-all-items`, else the list.
pub fn list(
    context: &Context,
    schema: &Schema,
    item: TypeRef,
    pointer: &str,
) -> Result<TypeRef, Error> {
    let Some(value) = schema.schema_data.extensions.get(ALL_ITEMS_EXTENSION) else {
        return Ok(TypeRef::Array(Box::new(item)));
    };
    let pointer = child(pointer, ALL_ITEMS_EXTENSION);
    let TypeRef::Id { kind, uuid } = item else {
        return Err(Error::at(
            pointer,
            format!(
                "`{ALL_ITEMS_EXTENSION}` is for a list of ids; give its `items` an `{ID_EXTENSION}`"
            ),
        ));
    };
    let all = match value {
        Value::String(all) if !all.is_empty() => all.clone(),
        _ => {
            return Err(Error::at(
                pointer,
                format!("`{ALL_ITEMS_EXTENSION}` must be the item, as text, that means every item"),
            ));
        }
    };
    let choice = AllOrList {
        name: format!("{kind}s"),
        kind: kind.clone(),
        all: all.clone(),
    };
    let mut lists = context.kinds().all_or.borrow_mut();
    let (first, at) = lists
        .entry(choice.name.clone())
        .or_insert_with(|| (choice.clone(), pointer.clone()));
    if first.all != all {
        return Err(Error::at(
            pointer,
            format!(
                "a list of `{kind}` means every item with `{all}` here but with `{}` at {at}; one kind has one such item",
                first.all
            ),
        ));
    }
    Ok(TypeRef::AllOr {
        name: choice.name,
        kind,
        uuid,
        all,
    })
}

/// The kinds of the finished lowering, with the choices of a list or all; refuses a kind
/// declared and never used (its wire type is unknown) and a name another type already has.
#[expect(
    clippy::type_complexity,
    reason = "the three lists of `Api` that lowering fills here"
)]
pub fn finish(
    kinds: Kinds,
    models: &[Model],
) -> Result<(Vec<IdKind>, Vec<AllOrList>, Vec<UntypedId>), Error> {
    let uses = kinds.uses.into_inner();
    let mut ids = Vec::new();
    let pointer = child("#", KINDS_EXTENSION);
    let taken = |name: &str, kind_pointer: &str| -> Result<(), Error> {
        if let Some(model) = models.iter().find(|model| model.name == name) {
            return Err(Error::at(
                kind_pointer,
                format!(
                    "the type `{name}` would be both this kind of id and the model of {}",
                    model.pointer
                ),
            ));
        }
        Ok(())
    };
    for (name, docs) in kinds.declared {
        let kind_pointer = child(&pointer, &name);
        let Some((uuid, _)) = uses.get(&name) else {
            return Err(Error::at(
                kind_pointer,
                format!(
                    "the kind of id `{name}` is declared but no schema says `{ID_EXTENSION}: {name}`; remove it or use it"
                ),
            ));
        };
        taken(&name, &kind_pointer)?;
        ids.push(IdKind {
            name,
            docs,
            uuid: *uuid,
            pointer: kind_pointer,
        });
    }
    let mut lists = Vec::new();
    for (name, (list, at)) in kinds.all_or.into_inner() {
        taken(&name, &at)?;
        if ids.iter().any(|id| id.name == name) {
            return Err(Error::at(
                at,
                format!("the list type `{name}` would have the name of a kind of id"),
            ));
        }
        lists.push(list);
    }
    let mut untyped = kinds.untyped.into_inner();
    untyped.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    untyped.dedup();
    Ok((ids, lists, untyped))
}

/// Notes a property or parameter named `name` whose schema says why it carries no kind of id.
pub fn note_untyped(context: &Context, schema: &Schema, name: &str, pointer: &str) {
    if let Some(reason) = schema
        .schema_data
        .extensions
        .get(NO_ID_EXTENSION)
        .and_then(Value::as_str)
    {
        context.kinds().untyped.borrow_mut().push(UntypedId {
            name: name.to_owned(),
            pointer: pointer.to_owned(),
            reason: reason.to_owned(),
        });
    }
}
