//! The builder methods of paged and long-running operations.

use super::types::{ident, type_tokens};
use crate::ir::{AllowedItems, Group, LongRunning, Method, Pagination, Param, StatusArg, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// `into_stream`, on the builder of a paged operation.
pub fn into_stream(method: &Method, pagination: &Pagination) -> TokenStream {
    let item = ident(&pagination.item);
    let cursor = ident(&pagination.cursor_param);
    let key = ident(&pagination.item_key);
    let key_text = if pagination.item_key_is_string {
        quote! { item.#key.clone() }
    } else {
        quote! { item.#key.to_string() }
    };
    let page_size = match &pagination.limit_param {
        Some(limit) => {
            let limit = ident(limit);
            quote! { self.#limit.and_then(|limit| usize::try_from(limit).ok()) }
        }
        None => quote! { None },
    };
    let doc = format!(
        " Reads every page as one stream of items: the first page as this builder sets it up, then each \
         next one with `{}` set to the key of the last item read.",
        method
            .params
            .iter()
            .find(|param| param.name.rust == pagination.cursor_param)
            .map_or("", |param| param.name.wire.as_str())
    );
    quote! {
        #[doc = #doc]
        pub fn into_stream(self) -> crate::runtime::BoxStream<Result<crate::models::#item, Error>> {
            let page_size = #page_size;
            crate::runtime::paginate(
                page_size,
                move |after| {
                    let mut page = self.clone();
                    if after.is_some() {
                        page.#cursor = after;
                    }
                    page.send()
                },
                |item: &crate::models::#item| #key_text,
            )
        }
    }
}

/// `send_and_wait`, on the builder of an operation that starts background work.
pub fn send_and_wait(long_running: &LongRunning) -> TokenStream {
    let status_group = ident(&long_running.status_group);
    let status_method = ident(&long_running.status_method);
    let status_model = ident(&long_running.status_model);
    let kept = long_running.status_args.iter().filter_map(|arg| match arg {
        StatusArg::Param { name, .. } => {
            let name = ident(name);
            Some(quote! { let #name = self.#name.clone(); })
        }
        StatusArg::Header { .. } => None,
    });
    let from_headers: Vec<TokenStream> = long_running
        .status_args
        .iter()
        .filter_map(|arg| match arg {
            StatusArg::Header { name, header, ty } => {
                let name = ident(name);
                let ty = type_tokens(ty);
                Some(quote! { let #name: #ty = crate::runtime::location_id(&response, #header)?; })
            }
            StatusArg::Param { .. } => None,
        })
        .collect();
    let send = if from_headers.is_empty() {
        quote! { self.send_raw().await?; }
    } else {
        quote! { let response = self.send_raw().await?; #(#from_headers)* }
    };
    let args = long_running.status_args.iter().map(|arg| match arg {
        StatusArg::Param { name, ty } | StatusArg::Header { name, ty, .. } => {
            pass(&ident(name), ty)
        }
    });
    let state = ident(&long_running.state_field);
    let succeeded = &long_running.succeeded;
    let failed = &long_running.failed;
    let message = match &long_running.message_field {
        Some((field, true)) => {
            let field = ident(field);
            quote! { status.#field.clone() }
        }
        Some((field, false)) => {
            let field = ident(field);
            quote! { status.#field.clone().unwrap_or_else(|| status.#state.as_str().to_owned()) }
        }
        None => quote! { status.#state.as_str().to_owned() },
    };
    let doc = format!(
        " Sends the request, then reads the status of the work it started with `{}().{}` until it \
         succeeds (returning the last status) or fails, or `polling` runs out.",
        long_running.status_group, long_running.status_method
    );
    quote! {
        #[doc = #doc]
        pub async fn send_and_wait(self, polling: crate::Polling) -> Result<crate::models::#status_model, Error> {
            let client = self.client.clone();
            #(#kept)*
            #send
            crate::runtime::wait_for(
                polling,
                || client.#status_group().#status_method(#(#args),*).send(),
                |status: &crate::models::#status_model| match status.#state.as_str() {
                    #(#succeeded)|* => crate::runtime::Progress::Succeeded,
                    #(#failed)|* => crate::runtime::Progress::Failed(#message),
                    _ => crate::runtime::Progress::Running,
                },
            )
            .await
        }
    }
}

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
        let check = quote! {
            crate::runtime::check::allowed_items(
                #wire,
                value.iter().map(|item| item.as_str()),
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

/// An argument passed on every poll: values that are not `Copy` are cloned.
fn pass(name: &proc_macro2::Ident, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String | TypeRef::Array(_) | TypeRef::Json => quote! { #name.clone() },
        _ => quote! { #name },
    }
}
