//! The `models` module: one struct, enum or alias per named schema.

use super::docs::{doc_attrs, note_availability, spec_docs};
use super::types::{checked_value, default_doc, ident, type_tokens};
use crate::ir::{Availability, Field, Model, ModelKind, StringEnum, Struct};
use proc_macro2::TokenStream;
use quote::quote;

/// The whole `models.rs`.
pub fn models(models: &[Model]) -> TokenStream {
    let items = models.iter().map(emit_model);
    quote! { #(#items)* }
}

fn emit_model(model: &Model) -> TokenStream {
    let mut lines = spec_docs(&model.docs);
    note_availability(&mut lines, &model.availability, &Availability::default());
    let docs = doc_attrs(&lines);
    let name = ident(&model.name);
    let within = &model.availability;
    match &model.kind {
        ModelKind::Struct(object) => emit_struct(&docs, &name, object, within),
        ModelKind::Enum(string_enum) => emit_enum(&docs, &name, string_enum, within),
        ModelKind::Alias(ty) => {
            let ty = type_tokens(ty);
            quote! { #docs pub type #name = #ty; }
        }
    }
}

fn emit_struct(
    docs: &TokenStream,
    name: &proc_macro2::Ident,
    object: &Struct,
    within: &Availability,
) -> TokenStream {
    let all_optional = object.fields.iter().all(|field| !field.always_present());
    let default = all_optional.then(|| quote! { Default, });
    let camel_case = renames_camel_case(object);
    let fields = object
        .fields
        .iter()
        .map(|field| emit_field(field, within, camel_case));
    let rename_all = camel_case.then(|| quote! { #[serde(rename_all = "camelCase")] });
    // A struct with no required field is built with `Default`; a `new()` would repeat it.
    let new = (!all_optional).then(|| emit_new(name, object));
    let validate = object.validates.then(|| emit_validate(object));
    let methods =
        (new.is_some() || validate.is_some()).then(|| quote! { impl #name { #new #validate } });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
        #rename_all
        #[non_exhaustive]
        pub struct #name { #(#fields)* }
        #methods
    }
}

/// `new`, from the required fields in the spec's order: the struct is `#[non_exhaustive]`
/// (an optional field added to the spec breaks no caller), so this is how callers outside the
/// crate build one, then assign the optional fields.
fn emit_new(name: &proc_macro2::Ident, object: &Struct) -> TokenStream {
    let optional = object.fields.iter().any(|field| !field.always_present());
    let doc = if optional {
        format!(" A `{name}` from its required fields; the others start as `None`, to be assigned.")
    } else {
        format!(" A `{name}` from its fields.")
    };
    let arguments = object
        .fields
        .iter()
        .filter(|field| field.always_present())
        .map(|field| {
            let name = ident(&field.name.rust);
            let ty = field_type(field);
            quote! { #name: #ty }
        });
    let values = object.fields.iter().map(|field| {
        let name = ident(&field.name.rust);
        if field.always_present() {
            quote! { #name }
        } else {
            quote! { #name: None }
        }
    });
    let arguments: Vec<TokenStream> = arguments.collect();
    // The one lint generated code may not satisfy: a spec can require more fields than clippy
    // allows arguments, and `#[non_exhaustive]` leaves `new` the only way to build the model.
    let expect = (arguments.len() > CLIPPY_TOO_MANY_ARGUMENTS).then(|| {
        quote! {
            #[expect(
                clippy::too_many_arguments,
                reason = "one argument per required field of the spec"
            )]
        }
    });
    quote! {
        #[doc = #doc]
        #expect
        pub fn new(#(#arguments),*) -> Self { Self { #(#values),* } }
    }
}

/// Clippy's default `too-many-arguments-threshold`, which this workspace keeps.
const CLIPPY_TOO_MANY_ARGUMENTS: usize = 7;

/// The field's type without the `Option` of an optional field.
fn field_type(field: &Field) -> TokenStream {
    let ty = type_tokens(&field.ty);
    if field.boxed {
        quote! { Box<#ty> }
    } else {
        ty
    }
}

/// The wire name serde's `rename_all = "camelCase"` gives a field: its name without `r#`,
/// each `_` dropped and the letter after it upper-cased, the first letter lower-cased.
fn serde_camel_case(rust: &str) -> String {
    let mut camel = String::new();
    let mut capitalize = false;
    for character in rust.trim_start_matches("r#").chars() {
        if character == '_' {
            capitalize = true;
        } else if capitalize {
            camel.push(character.to_ascii_uppercase());
            capitalize = false;
        } else {
            camel.push(character);
        }
    }
    let mut characters = camel.chars();
    characters
        .next()
        .map(|first| first.to_ascii_lowercase().to_string() + characters.as_str())
        .unwrap_or_default()
}

/// Whether the struct names its fields' wire names with `rename_all = "camelCase"`: when that
/// rule gives the wire name of a field whose Rust name differs from it, so that fewer fields
/// need a `rename` of their own.
fn renames_camel_case(object: &Struct) -> bool {
    object.fields.iter().any(|field| {
        field.name.rust.trim_start_matches("r#") != field.name.wire
            && serde_camel_case(&field.name.rust) == field.name.wire
    })
}

fn emit_field(field: &Field, within: &Availability, camel_case: bool) -> TokenStream {
    let mut lines = spec_docs(&field.docs);
    lines.extend(default_doc(&field.docs, field.default.as_ref()));
    note_availability(&mut lines, &field.availability, within);
    let docs = doc_attrs(&lines);
    let name = ident(&field.name.rust);
    let wire = &field.name.wire;
    let serde_name = if camel_case {
        serde_camel_case(&field.name.rust)
    } else {
        field.name.rust.trim_start_matches("r#").to_owned()
    };
    let rename = (serde_name != *wire).then(|| quote! { rename = #wire, });
    let ty = field_type(field);
    let (serde, ty) = match (field.required, field.nullable) {
        (true, false) => (rename.map(|rename| quote! { #[serde(#rename)] }), ty),
        (true, true) => (
            Some(quote! { #[serde(#rename default)] }),
            quote! { Option<#ty> },
        ),
        (false, _) => (
            Some(quote! { #[serde(#rename default, skip_serializing_if = "Option::is_none")] }),
            quote! { Option<#ty> },
        ),
    };
    quote! { #docs #serde pub #name: #ty, }
}

fn emit_validate(object: &Struct) -> TokenStream {
    let exactly_one = object.exactly_one_of.iter().map(|group| {
        let entries = group.iter().map(|field| {
            let wire = &field.wire;
            let rust = ident(&field.rust);
            quote! { (#wire, self.#rust.is_some()) }
        });
        quote! { crate::runtime::check::exactly_one_of(&[#(#entries),*])?; }
    });
    let fields = object
        .fields
        .iter()
        .filter(|field| !field.checks.is_empty())
        .map(|field| {
            let rust = ident(&field.name.rust);
            let value = quote! { self.#rust };
            checked_value(
                &field.name.wire,
                &value,
                field.always_present(),
                &field.checks,
            )
        });
    quote! {
        /// Checks the constraints the spec states for this model; the client runs it before
        /// sending the model, so that a request the service would reject is never sent.
        pub fn validate(&self) -> Result<(), crate::Error> {
            #(#exactly_one)*
            #(#fields)*
            Ok(())
        }
    }
}

fn emit_enum(
    docs: &TokenStream,
    name: &proc_macro2::Ident,
    string_enum: &StringEnum,
    within: &Availability,
) -> TokenStream {
    let fallback = ident(&string_enum.fallback);
    let variant_defs = string_enum.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let mut lines = vec![match variant.aliases.as_slice() {
            [] => format!("The wire value `{}`.", variant.wire),
            aliases => format!(
                "The wire value `{}` (also decoded from `{}`).",
                variant.wire,
                aliases.join("`, `")
            ),
        }];
        note_availability(&mut lines, &variant.availability, within);
        let doc = doc_attrs(&lines);
        quote! { #doc #variant_name, }
    });
    let arms = string_enum.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let wire = &variant.wire;
        let aliases = &variant.aliases;
        quote! { #variant_name { #wire #(| #aliases)* } }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(from = "String", into = "String")]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_defs)*
            /// A value this version of the SDK does not know, kept as the service sent it.
            #fallback(String),
        }
        crate::runtime::string_enum::string_enum_impls! { #name { #(#arms)* } #fallback }
    }
}

#[cfg(test)]
mod tests {
    use super::serde_camel_case;

    #[test]
    fn camel_case_is_serde_s() {
        assert_eq!(
            serde_camel_case("number_of_client_attempts_allowed"),
            "numberOfClientAttemptsAllowed"
        );
        assert_eq!(serde_camel_case("face_id1"), "faceId1");
        assert_eq!(serde_camel_case("r#type"), "type");
        assert_eq!(serde_camel_case("url"), "url");
    }
}
