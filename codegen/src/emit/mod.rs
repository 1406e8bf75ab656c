//! Emitting: the IR becomes token streams, one per generated file. Nothing here can fail.

mod docs;
mod extras;
mod model;
mod operation;
mod types;

use crate::ir::Api;
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

/// `operations/mod.rs`: the group modules and the client's accessor for each.
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
                #module::#type_name { client: self.clone() }
            }
        }
    });
    quote! {
        #(#modules)*

        impl crate::FaceClient {
            #(#accessors)*
        }
    }
}
