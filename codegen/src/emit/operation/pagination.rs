//! `into_stream` on the builders of paged list operations (`x-sdk-pagination`).

use crate::emit::types::ident;
use crate::ir::{Method, Pagination};
use proc_macro2::TokenStream;
use quote::quote;

/// `into_stream`, on the builder of a paged operation.
pub fn emit_into_stream(method: &Method, pagination: &Pagination) -> TokenStream {
    let item = ident(&pagination.item);
    let cursor = ident(&pagination.cursor_param);
    let key = ident(&pagination.item_key);
    let key_text = if pagination.item_key_is_string {
        quote! { item.#key.clone() }
    } else {
        quote! { item.#key.to_string() }
    };
    let page_size = if let Some(limit) = &pagination.limit_param {
        let limit = ident(limit);
        quote! { self.input().#limit.and_then(|limit| usize::try_from(limit).ok()) }
    } else {
        quote! { None }
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
        pub fn into_stream(self) -> crate::runtime::BoxStream<Result<models::#item, Error>> {
            let page_size = #page_size;
            crate::runtime::paginate(
                page_size,
                move |after| {
                    let page = self.clone();
                    match after {
                        Some(after) => page.set(|input| input.#cursor = Some(after)).send(),
                        None => page.send(),
                    }
                },
                |item: &models::#item| #key_text,
            )
        }
    }
}
