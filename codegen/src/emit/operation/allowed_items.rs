//! The tables of allowed items (`x-sdk-allowed-items`) and the checks that use them.

use crate::emit::types::{ident, operation_type};
use crate::ir::{AllowedItems, Group, Param, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// The tables of allowed items of a group's methods, each emitted once per module as a
/// constant, so that methods sharing a parameter share its table.
pub struct AllowedTables<'a> {
    /// (base name, table) → the constant's name: the base name, with a numeric suffix when
    /// the group has several different tables of that base name.
    names: BTreeMap<(String, Table<'a>), String>,
}

/// A rule's table: value of the control parameter → the items allowed with it.
type Table<'a> = &'a [(String, Vec<String>)];

impl<'a> AllowedTables<'a> {
    /// Every distinct table of the group, named after its parameter and control parameter.
    pub fn of(group: &'a Group) -> Self {
        let mut names: BTreeMap<(String, Table<'a>), String> = BTreeMap::new();
        let rules = group
            .methods
            .iter()
            .flat_map(|method| &method.params)
            .flat_map(|param| {
                param
                    .allowed_items
                    .iter()
                    .map(move |rule| (base_name(param, rule), rule.table.as_slice()))
            });
        for (base, table) in rules {
            let taken = names.keys().filter(|(other, _)| *other == base).count();
            names
                .entry((base.clone(), table))
                .or_insert_with(|| match taken {
                    0 => base,
                    _ => format!("{base}_{}", taken + 1),
                });
        }
        AllowedTables { names }
    }

    /// The constants, one per distinct table.
    pub fn definitions(&self) -> TokenStream {
        let mut tables: Vec<(&String, Table)> = self
            .names
            .iter()
            .map(|((_, table), name)| (name, *table))
            .collect();
        tables.sort();
        let definitions = tables.into_iter().map(|(name, table)| {
            let name = ident(name);
            let entries = table
                .iter()
                .map(|(value, items)| quote! { (#value, &[#(#items),*]) });
            quote! {
                /// Value of the controlling parameter → the items allowed with it.
                const #name: &[(&str, &[&str])] = &[#(#entries),*];
            }
        });
        quote! { #(#definitions)* }
    }

    /// The check that a list parameter holds only the items its control parameter's value allows.
    pub fn check(&self, param: &Param, rule: &AllowedItems) -> TokenStream {
        let name = ident(&param.name.rust);
        let wire = &param.name.wire;
        let control = ident(&rule.control.rust);
        let control_wire = &rule.control.wire;
        let control_value = if rule.control_required {
            quote! { self.#control.as_str() }
        } else {
            let default = &rule.default;
            quote! { self.#control.as_ref().map_or(#default, |value| value.as_str()) }
        };
        let key = (base_name(param, rule), rule.table.as_slice());
        let table = ident(self.names.get(&key).map_or(key.0.as_str(), String::as_str));
        // `String::as_str` or `models::…::as_str`: lowering allows only these items.
        let item = match &param.ty {
            TypeRef::Array(item) => operation_type(item),
            other => operation_type(other),
        };
        let check = quote! {
            crate::runtime::check::allowed_items(
                #wire,
                value.iter().map(#item::as_str),
                #control_wire,
                #control_value,
                #table,
            )?;
        };
        if param.required {
            quote! { { let value = &self.#name; #check } }
        } else {
            quote! { if let Some(value) = &self.#name { #check } }
        }
    }
}

/// `RETURN_FACE_ATTRIBUTES_BY_DETECTION_MODEL`.
fn base_name(param: &Param, rule: &AllowedItems) -> String {
    let upper = |name: &str| name.trim_start_matches("r#").to_ascii_uppercase();
    format!(
        "{}_BY_{}",
        upper(&param.name.rust),
        upper(&rule.control.rust)
    )
}
