//! Emitting: the IR becomes token streams, one per generated file. Nothing here can fail.

mod docs;
pub(crate) mod emulator;
mod model;
mod operation;
mod types;

use crate::ir::{Api, Body, ResponseBody, TypeRef};
use docs::{doc_attrs, spec_docs};
use proc_macro2::TokenStream;
use quote::quote;
use types::ident;

/// Every generated file, by its path below `generated/`, in a fixed order.
pub fn files(api: &Api) -> Vec<(String, TokenStream)> {
    let mut files = vec![
        ("models.rs".to_owned(), model::models(&api.models)),
        ("operations/mod.rs".to_owned(), operations_index(api)),
    ];
    files.extend(api.groups.iter().map(|group| {
        (
            format!("operations/{}.rs", group.module),
            operation::group_module(group),
        )
    }));
    files
}

/// `operations/mod.rs`: the group modules and the `Api` type with an accessor for each.
fn operations_index(api: &Api) -> TokenStream {
    let modules = api.groups.iter().map(|group| {
        let module = ident(&group.module);
        let docs = doc_attrs(&spec_docs(&group.docs));
        quote! { #docs pub mod #module; }
    });
    let accessors = api.groups.iter().map(|group| {
        let module = ident(&group.module);
        let type_name = ident(&group.type_name);
        let doc = format!(" The operations of the `{}` group.", group.module);
        quote! {
            #[doc = #doc]
            pub fn #module(&self) -> #module::#type_name {
                #module::#type_name { client: self.client.clone() }
            }
        }
    });
    // The group modules name models as `super::models::…`.
    let models = references_models(api).then(|| quote! { use super::models; });
    quote! {
        #(#modules)*

        #models

        /// The operations of this API over one client, one accessor per group.
        #[derive(Debug, Clone)]
        pub struct Api {
            client: crate::FaceClient,
        }

        impl Api {
            /// The operations of this API, sent with `client`.
            pub fn new(client: crate::FaceClient) -> Self {
                Api { client }
            }

            #(#accessors)*
        }
    }
}

/// Whether any group module names a model (and so needs `models` in scope).
fn references_models(api: &Api) -> bool {
    fn holds_model(ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Model(_) => true,
            TypeRef::Array(item) => holds_model(item),
            _ => false,
        }
    }
    api.groups
        .iter()
        .flat_map(|group| &group.methods)
        .any(|method| {
            method.pagination.is_some()
                || method.long_running.is_some()
                || matches!(method.body, Some(Body::Json { .. }))
                || matches!(&method.response.body, ResponseBody::Json(ty) if holds_model(ty))
                || method
                    .arguments()
                    .iter()
                    .any(|param| holds_model(&param.ty))
        })
}
