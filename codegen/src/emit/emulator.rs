//! The emulator's tables: the same `ir::Api` the SDK is generated from, written as static data
//! that `face-mock` routes, checks requests and checks its answers by (its `rules::table`
//! types). The emulator parses no spec: what the spec states reaches it only through here.
//!
//! One table per operation id: its method, path under the base path, success status, headers
//! and response shape, its path, query and header parameters with their checks, and one body
//! per media type (the JSON forms of a `oneOf` body become one `OneOf` shape). Named models
//! become named shapes, referred to by name.
//!
//! One table per spec, not per service version: every operation, parameter, property, form
//! part, named schema and enum value carries its `Availability` (`x-sdk-added`,
//! `x-sdk-removed`; `ALWAYS` when it has neither), and the table lists the service versions
//! with the base path of each, so that the emulator serves each version from the one table.

use std::collections::BTreeMap;

use crate::ir::{
    AllowedItems, Api, Availability, Body, Check, HttpMethod, Location, Method, ModelKind, Number,
    Param, ResponseBody, TypeRef,
};
use proc_macro2::{Literal, Span, TokenStream};
use quote::quote;

/// The emulator's table of one API, as the tokens of a whole file.
pub fn tables(api: &Api) -> TokenStream {
    let base_path = &api.base_path;
    let error_headers = &api.error_headers;
    let mut by_id: BTreeMap<&str, Vec<&Method>> = BTreeMap::new();
    for method in api.groups.iter().flat_map(|group| &group.methods) {
        by_id
            .entry(method.operation_id.as_str())
            .or_default()
            .push(method);
    }
    let operations = by_id
        .iter()
        .map(|(id, methods)| operation(api, id, methods));
    let locations = locations(api)
        .into_iter()
        .map(|(header, path)| quote! { (#header, #path) });
    let schemas = api.models.iter().map(|model| {
        let name = &model.name;
        let shape = match &model.kind {
            ModelKind::Struct(object) => {
                let properties = object.fields.iter().map(|field| {
                    let wire = &field.name.wire;
                    let shape = shape(
                        &field.ty,
                        &field.checks,
                        field.nullable,
                        field.default.as_deref(),
                    );
                    let availability = availability(&field.availability);
                    quote! { (#wire, #shape, #availability) }
                });
                let required = object
                    .fields
                    .iter()
                    .filter(|field| field.required)
                    .map(|field| &field.name.wire);
                let groups = object.exactly_one_of.iter().map(|group| {
                    let names = group.iter().map(|name| &name.wire);
                    quote! { &[#(#names),*] }
                });
                quote! {
                    Shape {
                        kind: Kind::Object(Object {
                            properties: &[#(#properties),*],
                            required: &[#(#required),*],
                            exactly_one_of: &[#(#groups),*],
                        }),
                        nullable: false,
                        default: None,
                    }
                }
            }
            ModelKind::Enum(string_enum) => {
                let values = string_enum.variants.iter().map(|variant| {
                    let wire = &variant.wire;
                    let availability = availability(&variant.availability);
                    quote! { (#wire, #availability) }
                });
                quote! {
                    Shape {
                        kind: Kind::String(Text {
                            min_length: None,
                            max_length: None,
                            pattern: None,
                            format: None,
                            values: &[#(#values),*],
                        }),
                        nullable: false,
                        default: None,
                    }
                }
            }
            ModelKind::Alias(ty) => shape(ty, &[], false, None),
        };
        let availability = availability(&model.availability);
        quote! { (#name, #shape, #availability) }
    });
    let versions = api
        .versions
        .iter()
        .zip(&api.version_base_paths)
        .map(|(version, path)| quote! { (#version, #path) });
    quote! {
        //! The emulator's table of this API family: operations, parameters, bodies and
        //! answers as the spec states them, each with the service versions that have it, read
        //! once by the generator.

        use crate::rules::table::{
            ALWAYS, AllowedItems, Api, Body, Bounds, Kind, Location, Object,
            Operation, Pagination, Param, Shape, Text,
        };

        /// Every operation and named schema of the spec, each with the versions that have it.
        pub(crate) static API: Api = Api {
            base_path: #base_path,
            versions: &[#(#versions),*],
            error_headers: &[#(#error_headers),*],
            locations: &[#(#locations),*],
            operations: &[#(#operations),*],
            schemas: &[#(#schemas),*],
        };
    }
}

/// The versions that have an item: `ALWAYS`, or from `added` up to `removed`.
fn availability(availability: &Availability) -> TokenStream {
    if availability.added.is_none() && availability.removed.is_none() {
        return quote! { ALWAYS };
    }
    let added = option(availability.added.as_ref().map(|added| quote! { #added }));
    let removed = option(
        availability
            .removed
            .as_ref()
            .map(|removed| quote! { #removed }),
    );
    // Named in full: a table of a spec without versions never names it, so an import would
    // go unused.
    quote! { crate::rules::table::Availability { added: #added, removed: #removed } }
}

/// Each response header that names where the status of background work is read
/// (`x-sdk-long-running` with `statusFromHeader`), with the path template, under the base path,
/// of the operation that reads it: sorted, one per header.
fn locations(api: &Api) -> BTreeMap<String, String> {
    let mut locations = BTreeMap::new();
    for method in api.groups.iter().flat_map(|group| &group.methods) {
        let Some(long_running) = &method.long_running else {
            continue;
        };
        let status = status_method(api, long_running);
        for arg in &long_running.status_args {
            if let (crate::ir::StatusArg::Header { header, .. }, Some(status)) = (arg, status) {
                let path = status
                    .path
                    .strip_prefix(&api.base_path)
                    .unwrap_or(&status.path);
                locations.insert(header.clone(), path.to_owned());
            }
        }
    }
    locations
}

/// The operation that reports the state of the work a long-running operation starts.
fn status_method<'a>(api: &'a Api, long_running: &crate::ir::LongRunning) -> Option<&'a Method> {
    api.groups
        .iter()
        .filter(|group| group.module == long_running.status_group)
        .flat_map(|group| &group.methods)
        .find(|status| status.name == long_running.status_method)
}

/// One operation: the methods of one operation id share its parameters and answer, and differ
/// by body.
fn operation(api: &Api, id: &str, methods: &[&Method]) -> TokenStream {
    let base_path = api.base_path.as_str();
    let first = methods[0];
    let status_path = option(
        first
            .long_running
            .as_ref()
            .and_then(|long_running| status_method(api, long_running))
            .map(|status| {
                let path = status.path.strip_prefix(base_path).unwrap_or(&status.path);
                quote! { #path }
            }),
    );
    let method = match first.http_method {
        HttpMethod::Get => "GET",
        HttpMethod::Put => "PUT",
        HttpMethod::Post => "POST",
        HttpMethod::Delete => "DELETE",
        HttpMethod::Patch => "PATCH",
    };
    let path = first.path.strip_prefix(base_path).unwrap_or(&first.path);
    let params = first.params.iter().map(param);
    let mut json_models: Vec<&str> = Vec::new();
    let mut bodies: Vec<TokenStream> = Vec::new();
    for body in methods.iter().filter_map(|method| method.body.as_ref()) {
        match body {
            Body::Json { model, .. } => {
                if !json_models.contains(&model.as_str()) {
                    json_models.push(model);
                }
            }
            Body::Binary {
                min_length,
                max_length,
                ..
            } => {
                let min = option(min_length.map(int));
                let max = option(max_length.map(int));
                bodies.push(quote! {
                    Body {
                        media_type: "application/octet-stream",
                        shape: Shape {
                            kind: Kind::String(Text {
                                min_length: #min,
                                max_length: #max,
                                pattern: None,
                                format: Some("binary"),
                                values: &[],
                            }),
                            nullable: false,
                            default: None,
                        },
                    }
                });
            }
            Body::Multipart { parts } => {
                let properties = parts.iter().map(|part| {
                    let wire = &part.param.name.wire;
                    let shape = param_shape(&part.param);
                    let availability = availability(&part.param.availability);
                    quote! { (#wire, #shape, #availability) }
                });
                let required = parts
                    .iter()
                    .filter(|part| part.param.required)
                    .map(|part| &part.param.name.wire);
                bodies.push(quote! {
                    Body {
                        media_type: "multipart/form-data",
                        shape: Shape {
                            kind: Kind::Object(Object {
                                properties: &[#(#properties),*],
                                required: &[#(#required),*],
                                exactly_one_of: &[],
                            }),
                            nullable: false,
                            default: None,
                        },
                    }
                });
            }
        }
    }
    if !json_models.is_empty() {
        let kind = if let [model] = json_models.as_slice() {
            quote! { Kind::Ref(#model) }
        } else {
            let alternatives = json_models.iter().map(|model| {
                quote! { Shape { kind: Kind::Ref(#model), nullable: false, default: None } }
            });
            quote! { Kind::OneOf(&[#(#alternatives),*]) }
        };
        bodies.insert(
            0,
            quote! {
                Body {
                    media_type: "application/json",
                    shape: Shape { kind: #kind, nullable: false, default: None },
                }
            },
        );
    }
    let pagination = option(first.pagination.as_ref().map(|pagination| {
        let wire = |rust: &str| {
            first
                .params
                .iter()
                .find(|param| param.name.rust == rust)
                .map_or_else(|| rust.to_owned(), |param| param.name.wire.clone())
        };
        let cursor = wire(&pagination.cursor_param);
        let limit = option(pagination.limit_param.as_deref().map(|limit| {
            let limit = wire(limit);
            quote! { #limit }
        }));
        quote! { Pagination { cursor: #cursor, limit: #limit } }
    }));
    let status = Literal::u16_unsuffixed(first.response.status);
    let headers = &first.response.headers;
    let response = option(match &first.response.body {
        ResponseBody::Json(ty) => Some(shape(ty, &[], false, None)),
        ResponseBody::Empty | ResponseBody::Binary => None,
    });
    let binary_answer = matches!(first.response.body, ResponseBody::Binary);
    let availability = availability(&first.availability);
    quote! {
        Operation {
            id: #id,
            availability: #availability,
            method: #method,
            path: #path,
            params: &[#(#params),*],
            bodies: &[#(#bodies),*],
            pagination: #pagination,
            status: #status,
            headers: &[#(#headers),*],
            response: #response,
            binary_answer: #binary_answer,
            status_path: #status_path,
        }
    }
}

fn param(param: &Param) -> TokenStream {
    let name = &param.name.wire;
    let location = match param.location {
        Location::Path => quote! { Location::Path },
        Location::Query => quote! { Location::Query },
        Location::Header => quote! { Location::Header },
        Location::Body => quote! { Location::Body },
    };
    let required = param.required;
    let allowed = param.allowed_items.iter().map(allowed_items);
    let shape = param_shape(param);
    let availability = availability(&param.availability);
    quote! {
        Param {
            name: #name,
            availability: #availability,
            location: #location,
            required: #required,
            allowed_items: &[#(#allowed),*],
            shape: #shape,
        }
    }
}

fn param_shape(param: &Param) -> TokenStream {
    shape(&param.ty, &param.checks, false, param.default.as_deref())
}

fn allowed_items(rule: &AllowedItems) -> TokenStream {
    let parameter = &rule.control.wire;
    let default = option((!rule.control_required).then(|| {
        let default = &rule.default;
        quote! { #default }
    }));
    let values = rule.table.iter().map(|(value, items)| {
        quote! { (#value, &[#(#items),*]) }
    });
    quote! {
        AllowedItems { parameter: #parameter, default: #default, values: &[#(#values),*] }
    }
}

/// The shape of a value of type `ty` under `checks`.
fn shape(ty: &TypeRef, checks: &[Check], nullable: bool, default: Option<&str>) -> TokenStream {
    let kind = kind(ty, checks);
    let default = option(default.map(|default| quote! { #default }));
    quote! { Shape { kind: #kind, nullable: #nullable, default: #default } }
}

fn kind(ty: &TypeRef, checks: &[Check]) -> TokenStream {
    let text = |format: Option<&str>| {
        let mut min_length = None;
        let mut max_length = None;
        let mut pattern = None;
        for check in checks {
            match check {
                Check::MinLength(length) => min_length = Some(int(*length)),
                Check::MaxLength(length) => max_length = Some(int(*length)),
                Check::Pattern(source) => pattern = Some(quote! { #source }),
                _ => {}
            }
        }
        let (min_length, max_length, pattern) =
            (option(min_length), option(max_length), option(pattern));
        let format = option(format.map(|format| quote! { #format }));
        quote! {
            Kind::String(Text {
                min_length: #min_length,
                max_length: #max_length,
                pattern: #pattern,
                format: #format,
                values: &[],
            })
        }
    };
    let bounds = || {
        let mut minimum = None;
        let mut maximum = None;
        let (mut exclusive_minimum, mut exclusive_maximum) = (false, false);
        for check in checks {
            match check {
                Check::Minimum { bound, exclusive } => {
                    minimum = Some(float(*bound));
                    exclusive_minimum = *exclusive;
                }
                Check::Maximum { bound, exclusive } => {
                    maximum = Some(float(*bound));
                    exclusive_maximum = *exclusive;
                }
                _ => {}
            }
        }
        let (minimum, maximum) = (option(minimum), option(maximum));
        quote! {
            Bounds {
                minimum: #minimum,
                maximum: #maximum,
                exclusive_minimum: #exclusive_minimum,
                exclusive_maximum: #exclusive_maximum,
            }
        }
    };
    match ty {
        TypeRef::Bool => quote! { Kind::Boolean },
        TypeRef::I32 | TypeRef::I64 => {
            let bounds = bounds();
            quote! { Kind::Integer(#bounds) }
        }
        TypeRef::F32 | TypeRef::F64 => {
            let bounds = bounds();
            quote! { Kind::Number(#bounds) }
        }
        TypeRef::String => text(None),
        TypeRef::Uuid => text(Some("uuid")),
        TypeRef::DateTime => text(Some("date-time")),
        TypeRef::Binary => text(Some("binary")),
        TypeRef::Json => quote! { Kind::Any },
        TypeRef::Model(name) => quote! { Kind::Ref(#name) },
        TypeRef::Id { .. } => kind(&ty.wire(), checks),
        TypeRef::AllOr { all, .. } => array(&ty.wire(), checks, Some(all)),
        TypeRef::Array(_) => array(ty, checks, None),
    }
}

/// The kind of a list of `ty`'s items; `every` is the item that, alone, means every item.
fn array(ty: &TypeRef, checks: &[Check], every: Option<&String>) -> TokenStream {
    match ty {
        TypeRef::Array(items) => {
            let item_checks: &[Check] = checks
                .iter()
                .find_map(|check| match check {
                    Check::Items(checks) => Some(checks.as_slice()),
                    _ => None,
                })
                .unwrap_or_default();
            let items = shape(items, item_checks, false, None);
            let mut min_items = None;
            let mut max_items = None;
            for check in checks {
                match check {
                    Check::MinItems(count) => min_items = Some(int(*count)),
                    Check::MaxItems(count) => max_items = Some(int(*count)),
                    _ => {}
                }
            }
            let (min_items, max_items) = (option(min_items), option(max_items));
            let every = option(every.map(|every| quote! { #every }));
            quote! {
                Kind::Array {
                    items: &#items,
                    min_items: #min_items,
                    max_items: #max_items,
                    every: #every,
                }
            }
        }
        other => kind(other, checks),
    }
}

fn option(value: Option<TokenStream>) -> TokenStream {
    value.map_or_else(|| quote! { None }, |value| quote! { Some(#value) })
}

/// An integer literal with `_` between groups of three digits (clippy's `unreadable_literal`).
fn int(value: u64) -> TokenStream {
    let literal = syn::LitInt::new(&grouped(&value.to_string()), Span::call_site());
    quote! { #literal }
}

/// A bound as an `f64` literal, its integer digits grouped as [`int`]'s.
fn float(bound: Number) -> TokenStream {
    let value = match bound {
        Number::I32(value) => f64::from(value),
        Number::I64(value) => value as f64,
        Number::F32(value) => f64::from(value),
        Number::F64(value) => value,
    };
    let text = format!("{value:?}");
    let (sign, digits) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |digits| ("-", digits));
    let literal = match digits.split_once('.') {
        Some((whole, fraction)) if !digits.contains(['e', 'E']) => {
            format!("{}.{fraction}", grouped(whole))
        }
        _ => digits.to_owned(),
    };
    let literal = syn::LitFloat::new(&literal, Span::call_site());
    if sign.is_empty() {
        quote! { #literal }
    } else {
        quote! { -#literal }
    }
}

fn grouped(digits: &str) -> String {
    if digits.len() < 5 {
        return digits.to_owned();
    }
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push('_');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    /// The emulator's table carries the spec's bounds: a tighter spec gives a tighter table.
    #[test]
    fn another_spec_changes_the_table() {
        let spec = include_str!("../../../spec/face.yaml");
        let tight = spec.replace(
            "maximum: 86400\n        default: 86400",
            "maximum: 600\n        default: 600",
        );
        assert_ne!(tight, spec, "the spec states faceIdTimeToLive as expected");
        let table = crate::generate_emulator(spec, "spec/face.yaml").expect("generates");
        let tight = crate::generate_emulator(&tight, "spec/face.yaml").expect("generates");
        assert!(
            table.contains("maximum: Some(86_400.0)"),
            "the spec's bound"
        );
        assert!(
            !tight.contains("maximum: Some(86_400.0)"),
            "no longer the old bound"
        );
        assert!(tight.contains("maximum: Some(600.0)"), "the tighter bound");
        assert!(
            tight.contains("default: Some(\"600\")"),
            "the tighter default"
        );
    }

    /// The one table of a family lists each version's base path, and each item the versions
    /// that have it, as the IR states them; an `x-sdk-removed` reaches the table too.
    #[test]
    fn the_table_carries_versions_and_availability() {
        let spec = include_str!("../../../spec/face-v1.2.yaml");
        let removed = spec.replace(
            "      operationId: LivenessSession_Delete\n",
            "      operationId: LivenessSession_Delete\n      x-sdk-removed: v1.3-preview.1\n",
        );
        assert_ne!(removed, spec, "the spec has the delete as expected");
        for spec in [spec, removed.as_str()] {
            let api = crate::lower_text(spec).expect("lowers");
            let table = crate::generate_emulator(spec, "spec/face-v1.2.yaml").expect("generates");
            assert!(api.versions.len() > 1, "the family lists versions");
            for version in &api.versions {
                let entry = format!("(\"{version}\", \"/face/{version}\")");
                assert!(table.contains(&entry), "{entry}");
            }
            let mut versioned = 0;
            for method in api.groups.iter().flat_map(|group| &group.methods) {
                let at = table
                    .find(&format!("id: \"{}\"", method.operation_id))
                    .expect("the operation is in the table");
                let after = &table[at..(at + 200).min(table.len())];
                let availability = &method.availability;
                if availability.added.is_none() && availability.removed.is_none() {
                    assert!(after.contains("availability: ALWAYS"), "{after}");
                    continue;
                }
                versioned += 1;
                for (key, version) in [
                    ("added", &availability.added),
                    ("removed", &availability.removed),
                ] {
                    let expected = match version {
                        Some(version) => format!("{key}: Some(\"{version}\")"),
                        None => format!("{key}: None"),
                    };
                    assert!(after.contains(&expected), "{expected} in {after}");
                }
            }
            assert!(versioned > 0, "some operations are versioned");
        }
    }

    #[test]
    fn long_integers_are_grouped() {
        assert_eq!(super::grouped("6291456"), "6_291_456");
        assert_eq!(super::grouped("1024"), "1024");
        assert_eq!(super::grouped("86400"), "86_400");
    }
}
