//! The client-side checks of path, query, header and multipart parameters. A parameter
//! checked the same way by several methods of a group (an id in every path, say) is checked
//! by one function of the module, which each of them calls.

use crate::emit::types::{check_statements, ident, operation_type};
use crate::ir::{Group, Param, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// The shared check functions of a group.
pub struct CheckFns {
    /// The checks of a parameter (the tokens of its type and statements) → the function's
    /// name and how many arguments of the group's methods use them.
    shared: BTreeMap<(String, String), (String, usize)>,
    definitions: Vec<(String, TokenStream)>,
}

/// Whether the check function takes the value itself rather than a reference (numbers and
/// booleans, as clippy's `trivially_copy_pass_by_ref` asks).
fn by_value(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64
    )
}

/// A parameter's value as the check function takes it.
fn value_type(ty: &TypeRef) -> TokenStream {
    match ty {
        other if by_value(other) => operation_type(other),
        TypeRef::String | TypeRef::Id { uuid: false, .. } => quote! { &str },
        TypeRef::Array(item) => {
            let item = operation_type(item);
            quote! { &[#item] }
        }
        other => {
            let ty = operation_type(other);
            quote! { &#ty }
        }
    }
}

fn key(param: &Param) -> (String, String) {
    (
        value_type(&param.ty).to_string(),
        check_statements(&param.name.wire, &quote! { value }, &param.checks).to_string(),
    )
}

impl CheckFns {
    /// The checks used by more than one argument of the group's methods, each named after
    /// the first parameter that has it.
    pub fn of(group: &Group) -> Self {
        let mut counts: BTreeMap<(String, String), (String, usize, &Param)> = BTreeMap::new();
        for method in &group.methods {
            for param in method.arguments() {
                if param.checks.is_empty() {
                    continue;
                }
                let base = format!("check_{}", param.name.rust.trim_start_matches("r#"));
                counts
                    .entry(key(param))
                    .and_modify(|(_, count, _)| *count += 1)
                    .or_insert((base, 1, param));
            }
        }
        let mut shared = BTreeMap::new();
        let mut definitions = Vec::new();
        let mut taken: BTreeMap<String, usize> = BTreeMap::new();
        for (key, (base, count, param)) in counts {
            if count < 2 {
                continue;
            }
            let seen = taken.entry(base.clone()).or_insert(0);
            *seen += 1;
            let name = match *seen {
                1 => base,
                n => format!("{base}_{n}"),
            };
            let function = ident(&name);
            let value = value_type(&param.ty);
            let place = if by_value(&param.ty) {
                quote! { &value }
            } else {
                quote! { value }
            };
            let statements = check_statements(&param.name.wire, &place, &param.checks);
            let doc = format!(" Checks `{}` against the spec's rules.", param.name.wire);
            definitions.push((
                name.clone(),
                quote! {
                    #[doc = #doc]
                    fn #function(value: #value) -> Result<(), Error> {
                        #statements
                        Ok(())
                    }
                },
            ));
            shared.insert(key, (name, count));
        }
        definitions.sort_by(|a, b| a.0.cmp(&b.0));
        CheckFns {
            shared,
            definitions,
        }
    }

    /// The shared functions.
    pub fn definitions(&self) -> TokenStream {
        let definitions = self.definitions.iter().map(|(_, tokens)| tokens);
        quote! { #(#definitions)* }
    }

    /// The statements that check the argument `self.<param>`, through a shared function when
    /// there is one.
    pub fn check(&self, param: &Param) -> TokenStream {
        let name = ident(&param.name.rust);
        let shared = self
            .shared
            .get(&key(param))
            .map(|(function, _)| ident(function));
        if let Some(function) = &shared {
            return match (param.required, by_value(&param.ty)) {
                (true, true) => quote! { #function(self.#name)?; },
                (true, false) => quote! { #function(&self.#name)?; },
                (false, true) => quote! { self.#name.map(#function).transpose()?; },
                // `as_deref` gives the `&str` or `&[T]` the function takes.
                (false, false) => {
                    let view = match param.ty {
                        TypeRef::String | TypeRef::Id { uuid: false, .. } | TypeRef::Array(_) => {
                            quote! { as_deref }
                        }
                        _ => quote! { as_ref },
                    };
                    quote! { self.#name.#view().map(#function).transpose()?; }
                }
            };
        }
        let statements = check_statements(&param.name.wire, &quote! { value }, &param.checks);
        if param.required {
            quote! { { let value = &self.#name; #statements } }
        } else {
            quote! { if let Some(value) = &self.#name { #statements } }
        }
    }
}
