//! The kinds of id (one newtype each) and the lists of ids or all, appended to `models.rs`:
//! one macro call per type, whose impls the runtime writes once.

use super::docs::{doc_attrs, spec_docs};
use super::types::ident;
use crate::ir::Api;
use proc_macro2::TokenStream;
use quote::quote;

/// Every kind of id of the API, then every list of ids or all.
pub fn ids(api: &Api) -> TokenStream {
    let kinds = api.ids.iter().map(|kind| {
        let docs = doc_attrs(&spec_docs(&kind.docs));
        let name = ident(&kind.name);
        if kind.uuid {
            quote! { crate::__uuid_id! { #docs #name } }
        } else {
            quote! { crate::__string_id! { #docs #name } }
        }
    });
    let lists = api.all_or_lists.iter().map(|list| {
        let name = ident(&list.name);
        let item = ident(&list.kind);
        let all = &list.all;
        quote! { crate::__all_or! { #name(#item) = #all } }
    });
    quote! { #(#kinds)* #(#lists)* }
}
