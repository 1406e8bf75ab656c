//! `send_and_wait` on the builders of operations that start background work
//! (`x-sdk-long-running`).

use crate::emit::types::{ident, operation_type};
use crate::ir::{LongRunning, StatusArg, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// `send_and_wait`, on the builder of an operation that starts background work.
pub fn emit_send_and_wait(long_running: &LongRunning) -> TokenStream {
    let status_group = ident(&long_running.status_group);
    let status_group_type = ident(&long_running.status_group_type);
    let status_method = ident(&long_running.status_method);
    let status_model = ident(&long_running.status_model);
    let kept = long_running.status_args.iter().filter_map(|arg| match arg {
        StatusArg::Param { name, .. } => {
            let name = ident(name);
            Some(quote! { let #name = self.input().#name.clone(); })
        }
        StatusArg::Header { .. } => None,
    });
    let from_headers: Vec<TokenStream> = long_running
        .status_args
        .iter()
        .filter_map(|arg| match arg {
            StatusArg::Header { name, header, ty } => {
                let name = ident(name);
                let ty = operation_type(ty);
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
        pub async fn send_and_wait(self, polling: crate::Polling) -> Result<models::#status_model, Error> {
            let client = self.client().clone();
            #(#kept)*
            #send
            crate::runtime::wait_for(
                polling,
                || {
                    super::#status_group::#status_group_type { client: client.clone() }
                        .#status_method(#(#args),*)
                        .send()
                },
                |status: &models::#status_model| match status.#state.as_str() {
                    #(#succeeded)|* => crate::runtime::Progress::Succeeded,
                    #(#failed)|* => crate::runtime::Progress::Failed(#message),
                    _ => crate::runtime::Progress::Running,
                },
            )
            .await
        }
    }
}

/// An argument passed on every poll: values that are not `Copy` are cloned.
fn pass(name: &proc_macro2::Ident, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String
        | TypeRef::Id { uuid: false, .. }
        | TypeRef::AllOr { .. }
        | TypeRef::Array(_)
        | TypeRef::Json => quote! { #name.clone() },
        _ => quote! { #name },
    }
}
