//! Emitting: the IR becomes token streams, one per generated file. Nothing here can fail.

mod docs;
pub(crate) mod emulator;
mod ids;
mod model;
mod operation;
mod types;

use crate::Layer;
use crate::ir::Api;
use crate::naming;
use docs::{doc_attrs, spec_docs};
use proc_macro2::TokenStream;
use quote::quote;
use types::ident;

/// Every generated file, by its crate and its path below the version's folder, in a fixed
/// order.
pub fn files(api: &Api) -> Vec<(Layer, String, TokenStream)> {
    let groups: Vec<(Layer, String, TokenStream)> = api
        .groups
        .iter()
        .map(|group| {
            (
                Layer::Client,
                format!("operations/{}.rs", group.module),
                operation::group_module(group, &api.versions),
            )
        })
        .collect();
    // The group modules name models as `super::models::…`: the index imports them when one does.
    let names_models = groups
        .iter()
        .any(|(_, _, tokens)| operation::names_models(tokens));
    let mut files = vec![
        (Layer::Types, "models.rs".to_owned(), {
            let models = model::models(&api.models);
            let ids = ids::ids(api);
            quote! { #models #ids }
        }),
        (
            Layer::Client,
            "operations/mod.rs".to_owned(),
            operations_index(api, names_models),
        ),
    ];
    files.extend(groups);
    files
}

/// `operations/mod.rs`: the group modules and the `Api` type with an accessor for each.
fn operations_index(api: &Api, names_models: bool) -> TokenStream {
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
    let models = names_models.then(|| quote! { use super::models; });
    let versions = service_versions(api);
    // A family of several versions: its operations are sent at the version the client
    // chose for it.
    let new_api = if versions.is_some() {
        quote! { Api { client: client.in_family(&SERVICE_VERSIONS) } }
    } else {
        quote! { Api { client } }
    };
    quote! {
        #(#modules)*

        #models

        #versions

        /// The operations of this API over one client, one accessor per group.
        #[derive(Debug, Clone)]
        pub struct Api {
            client: crate::FaceClient,
        }

        impl Api {
            /// The operations of this API, sent with `client`.
            pub fn new(client: crate::FaceClient) -> Self {
                #new_api
            }

            #(#accessors)*
        }
    }
}

/// For an API family of several service versions: `ServiceVersion`, the option a client is
/// built with, and `SERVICE_VERSIONS`, what the runtime needs to make a request at one.
fn service_versions(api: &Api) -> Option<TokenStream> {
    let default = api.default_version.as_ref()?;
    let variants: Vec<_> = api
        .versions
        .iter()
        .map(|version| ident(&naming::version_variant(version).unwrap_or_default()))
        .collect();
    let docs = api.versions.iter().map(|version| {
        let doc = format!(" `{version}`.");
        if version == default {
            quote! { #[doc = #doc] #[default] }
        } else {
            quote! { #[doc = #doc] }
        }
    });
    let names = &api.versions;
    let base_paths = &api.version_base_paths;
    let default_index = api
        .versions
        .iter()
        .position(|version| version == default)
        .unwrap_or(0);
    let enum_doc = format!(
        " A version of the service this module can call: every operation, parameter and field \
         exists from the version its docs name. Without a choice a client calls `{default}`."
    );
    Some(quote! {
        #[doc = #enum_doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        #[non_exhaustive]
        pub enum ServiceVersion {
            #(#docs #variants,)*
        }

        impl ServiceVersion {
            /// The version as the request's URL carries it.
            pub fn as_str(self) -> &'static str {
                SERVICE_VERSIONS.names[self as usize]
            }
        }

        /// The service versions of this module, oldest first, with the base path of each.
        pub(crate) static SERVICE_VERSIONS: crate::runtime::version::Family =
            crate::runtime::version::Family {
                names: &[#(#names),*],
                base_paths: &[#(#base_paths),*],
                default: #default_index,
            };
    })
}
