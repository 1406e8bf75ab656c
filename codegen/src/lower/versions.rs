//! Service versions: which versions the spec describes (the `enum` of the server url's version
//! variable, oldest first) and in which of them each operation, parameter, property, model and
//! enum value exists (`x-sdk-added`, `x-sdk-removed`; `x-sdk-values-added`,
//! `x-sdk-values-removed` on a string enum for its values).
//!
//! The rules, checked here: an annotation names a version the spec lists and not the first one
//! (the first has everything not added later); an item is added before it is removed; an item
//! lives within what holds it (a parameter within its operation, a property within its model),
//! so it is neither added before nor removed after it; and a required parameter or property is
//! never added after what holds it: callers and answers of the earlier versions lack it, so it
//! must be optional (a required member of an added model or operation is fine). An item that
//! refers to a model exists only where the model does.

use crate::Error;
use crate::error::child;
use crate::ir::{Api, Availability, Body, ModelKind, TypeRef};
use serde_json::Value;
use std::collections::BTreeMap;

/// The version from which an item exists.
pub const ADDED: &str = "x-sdk-added";
/// The first version that no longer has an item.
pub const REMOVED: &str = "x-sdk-removed";
/// On a string enum: value → the version that adds it.
pub const VALUES_ADDED: &str = "x-sdk-values-added";
/// On a string enum: value → the first version without it.
pub const VALUES_REMOVED: &str = "x-sdk-values-removed";
/// Why the spec deliberately differs from the vendor's published description.
pub const UPSTREAM_DIFFERS: &str = "x-sdk-upstream-differs";

/// The `x-sdk-upstream-differs` reason of an item: a sentence saying why the spec differs
/// there from the vendor's published description.
pub fn upstream_differs(
    extensions: &indexmap::IndexMap<String, Value>,
    pointer: &str,
) -> Result<Option<String>, Error> {
    let Some(value) = extensions.get(UPSTREAM_DIFFERS) else {
        return Ok(None);
    };
    match value.as_str().map(str::trim) {
        Some(reason) if !reason.is_empty() => Ok(Some(reason.to_owned())),
        _ => Err(Error::at(
            child(pointer, UPSTREAM_DIFFERS),
            format!(
                "`{UPSTREAM_DIFFERS}` must be a sentence saying why the spec differs from the vendor's description here"
            ),
        )),
    }
}

/// The spec's versions, oldest first, with what reads and checks annotations against them.
pub struct Versions<'a> {
    pub list: &'a [String],
}

impl Versions<'_> {
    fn index(&self, version: &str) -> Option<usize> {
        self.list.iter().position(|known| known == version)
    }

    /// The version an annotation names, which must be a listed one other than the first.
    fn version(&self, value: &Value, pointer: &str, key: &str) -> Result<String, Error> {
        let listed = || {
            self.list
                .iter()
                .map(|version| format!("`{version}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let Some(name) = value.as_str() else {
            return Err(Error::at(
                pointer,
                format!(
                    "`{key}` must be a version name, one of the server version variable's `enum`: {}",
                    listed()
                ),
            ));
        };
        match self.index(name) {
            None if self.list.is_empty() => Err(Error::at(
                pointer,
                format!(
                    "`{key}: {name}` needs the versions the spec describes, but no server url variable lists them in an `enum`"
                ),
            )),
            None => Err(Error::at(
                pointer,
                format!(
                    "`{key}: {name}` is not a version of the spec; the server version variable lists {}",
                    listed()
                ),
            )),
            Some(0) => Err(Error::at(
                pointer,
                format!(
                    "`{key}: {name}` names the first version of the spec, which has everything not added later; leave `{key}` out"
                ),
            )),
            Some(_) => Ok(name.to_owned()),
        }
    }

    /// The `x-sdk-added`/`x-sdk-removed` of one item, checked alone.
    pub fn read(
        &self,
        extensions: &indexmap::IndexMap<String, Value>,
        pointer: &str,
    ) -> Result<Availability, Error> {
        let read = |key: &str| {
            extensions
                .get(key)
                .map(|value| self.version(value, &child(pointer, key), key))
                .transpose()
        };
        let availability = Availability {
            added: read(ADDED)?,
            removed: read(REMOVED)?,
        };
        self.ordered(&availability, &child(pointer, REMOVED))?;
        Ok(availability)
    }

    fn ordered(&self, availability: &Availability, pointer: &str) -> Result<(), Error> {
        if let (Some(added), Some(removed)) = (&availability.added, &availability.removed)
            && self.index(added) >= self.index(removed)
        {
            return Err(Error::at(
                pointer,
                format!("removed in `{removed}` but added in `{added}`, which is not earlier"),
            ));
        }
        Ok(())
    }

    /// An item's own availability within its container's: it may be added later and removed
    /// earlier, never the other way, and a required item cannot be added later.
    pub fn within(
        &self,
        own: Availability,
        container: &Availability,
        required: bool,
        pointer: &str,
    ) -> Result<Availability, Error> {
        let at = |version: &Option<String>, default| {
            version
                .as_deref()
                .and_then(|name| self.index(name))
                .unwrap_or(default)
        };
        let never = usize::MAX;
        if own.added.is_some() && at(&own.added, 0) < at(&container.added, 0) {
            return Err(Error::at(
                child(pointer, ADDED),
                format!(
                    "added in `{}`, before what holds it (added in `{}`)",
                    own.added.as_deref().unwrap_or_default(),
                    container.added.as_deref().unwrap_or_default()
                ),
            ));
        }
        if own.removed.is_some() && at(&own.removed, never) > at(&container.removed, never) {
            return Err(Error::at(
                child(pointer, REMOVED),
                format!(
                    "removed in `{}`, after what holds it (removed in `{}`)",
                    own.removed.as_deref().unwrap_or_default(),
                    container.removed.as_deref().unwrap_or_default()
                ),
            ));
        }
        if required && own.added.is_some() && at(&own.added, 0) > at(&container.added, 0) {
            return Err(Error::at(
                child(pointer, ADDED),
                format!(
                    "a required member cannot be added after what holds it: the requests and answers of the versions before `{}` lack it; make it optional",
                    own.added.as_deref().unwrap_or_default()
                ),
            ));
        }
        let added = own.added.or_else(|| container.added.clone());
        let removed = own.removed.or_else(|| container.removed.clone());
        let combined = Availability { added, removed };
        self.ordered(&combined, &child(pointer, REMOVED))?;
        Ok(combined)
    }

    /// `x-sdk-values-added`/`x-sdk-values-removed` of a string enum: value → availability.
    pub fn values(
        &self,
        extensions: &indexmap::IndexMap<String, Value>,
        values: &[Option<String>],
        pointer: &str,
    ) -> Result<BTreeMap<String, Availability>, Error> {
        let mut table: BTreeMap<String, Availability> = BTreeMap::new();
        for key in [VALUES_ADDED, VALUES_REMOVED] {
            let Some(value) = extensions.get(key) else {
                continue;
            };
            let pointer = child(pointer, key);
            let map = value.as_object().ok_or_else(|| {
                Error::at(
                    &pointer,
                    format!("`{key}` must map enum values to versions"),
                )
            })?;
            for (wire, version) in map {
                let entry_pointer = child(&pointer, wire);
                if !values.iter().any(|value| value.as_deref() == Some(wire)) {
                    return Err(Error::at(
                        entry_pointer,
                        format!("`{wire}` is not one of the enum's values"),
                    ));
                }
                let version = self.version(version, &entry_pointer, key)?;
                let availability = table.entry(wire.clone()).or_default();
                if key == VALUES_ADDED {
                    availability.added = Some(version);
                } else {
                    availability.removed = Some(version);
                }
                self.ordered(availability, &entry_pointer)?;
            }
        }
        Ok(table)
    }
}

/// Refuses an item that refers to a model some version of the item lacks.
pub fn check_references(api: &Api) -> Result<(), Error> {
    let models: BTreeMap<&str, &Availability> = api
        .models
        .iter()
        .map(|model| (model.name.as_str(), &model.availability))
        .collect();
    let check = |ty: &TypeRef, availability: &Availability, pointer: &str| {
        let Some(name) = model_of(ty) else {
            return Ok(());
        };
        let Some(model) = models.get(name) else {
            return Ok(());
        };
        let missing = api.versions.iter().find(|version| {
            availability.includes(&api.versions, version) && !model.includes(&api.versions, version)
        });
        match missing {
            Some(version) => Err(Error::at(
                pointer,
                format!(
                    "refers to `{name}`, which version `{version}` lacks; give it the model's `{ADDED}`/`{REMOVED}`"
                ),
            )),
            None => Ok(()),
        }
    };
    for model in &api.models {
        if let ModelKind::Struct(object) = &model.kind {
            for field in &object.fields {
                check(&field.ty, &field.availability, &field.pointer)?;
            }
        }
    }
    for method in api.groups.iter().flat_map(|group| &group.methods) {
        for param in method
            .params
            .iter()
            .chain(method.body.iter().flat_map(Body::params))
        {
            check(&param.ty, &param.availability, &method.pointer)?;
        }
        if let crate::ir::ResponseBody::Json(ty) = &method.response.body {
            check(ty, &method.availability, &method.pointer)?;
        }
        if let Some(Body::Json { model, .. }) = &method.body {
            check(
                &TypeRef::Model(model.clone()),
                &method.availability,
                &method.pointer,
            )?;
        }
    }
    Ok(())
}

fn model_of(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Model(name) => Some(name),
        TypeRef::Array(item) => model_of(item),
        _ => None,
    }
}
