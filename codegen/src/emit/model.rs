//! The `models` module: one struct, enum or alias per named schema.

use super::docs::{doc_attrs, spec_docs};
use super::types::{checked_value, default_doc, ident, type_tokens};
use crate::ir::{Field, Model, ModelKind, StringEnum, Struct};
use proc_macro2::TokenStream;
use quote::quote;

/// The whole `models.rs`.
pub fn models(models: &[Model]) -> TokenStream {
    let items = models.iter().map(emit_model);
    quote! { #(#items)* }
}

fn emit_model(model: &Model) -> TokenStream {
    let docs = doc_attrs(&spec_docs(&model.docs));
    let name = ident(&model.name);
    match &model.kind {
        ModelKind::Struct(object) => emit_struct(&docs, &name, object),
        ModelKind::Enum(string_enum) => emit_enum(&docs, &name, string_enum),
        ModelKind::Alias(ty) => {
            let ty = type_tokens(ty);
            quote! { #docs pub type #name = #ty; }
        }
    }
}

fn emit_struct(docs: &TokenStream, name: &proc_macro2::Ident, object: &Struct) -> TokenStream {
    let all_optional = object
        .fields
        .iter()
        .all(|field| !field.required || field.nullable);
    let default = all_optional.then(|| quote! { Default, });
    let fields = object.fields.iter().map(emit_field);
    let validate = object.validates.then(|| emit_validate(name, object));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
        pub struct #name { #(#fields)* }
        #validate
    }
}

fn emit_field(field: &Field) -> TokenStream {
    let mut lines = spec_docs(&field.docs);
    lines.extend(default_doc(&field.docs, field.default.as_ref()));
    let docs = doc_attrs(&lines);
    let name = ident(&field.name.rust);
    let wire = &field.name.wire;
    let rename =
        (field.name.rust.trim_start_matches("r#") != wire).then(|| quote! { rename = #wire, });
    let ty = type_tokens(&field.ty);
    let ty = if field.boxed {
        quote! { Box<#ty> }
    } else {
        ty
    };
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

fn emit_validate(name: &proc_macro2::Ident, object: &Struct) -> TokenStream {
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
                field.required && !field.nullable,
                &field.checks,
            )
        });
    quote! {
        impl #name {
            /// Checks the constraints the spec states for this model; the client runs it before
            /// sending the model, so that a request the service would reject is never sent.
            pub fn validate(&self) -> Result<(), crate::Error> {
                #(#exactly_one)*
                #(#fields)*
                Ok(())
            }
        }
    }
}

fn emit_enum(
    docs: &TokenStream,
    name: &proc_macro2::Ident,
    string_enum: &StringEnum,
) -> TokenStream {
    let fallback = ident(&string_enum.fallback);
    let variant_defs = string_enum.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let doc = match variant.aliases.as_slice() {
            [] => format!(" The wire value `{}`.", variant.wire),
            aliases => format!(
                " The wire value `{}` (also decoded from `{}`).",
                variant.wire,
                aliases.join("`, `")
            ),
        };
        quote! { #[doc = #doc] #variant_name, }
    });
    let as_str_arms = string_enum.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let wire = &variant.wire;
        quote! { Self::#variant_name => #wire, }
    });
    let from_arms = string_enum.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let wire = &variant.wire;
        let aliases = &variant.aliases;
        quote! { #wire #(| #aliases)* => Self::#variant_name, }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(from = "String", into = "String")]
        pub enum #name {
            #(#variant_defs)*
            /// A value this version of the SDK does not know, kept as the service sent it.
            #fallback(String),
        }

        impl #name {
            /// The value as it travels on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str_arms)*
                    Self::#fallback(value) => value,
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #(#from_arms)*
                    _ => Self::#fallback(value),
                }
            }
        }

        impl From<#name> for String {
            fn from(value: #name) -> Self {
                if let #name::#fallback(text) = value {
                    text
                } else {
                    value.as_str().to_owned()
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str(self.as_str())
            }
        }
    }
}
