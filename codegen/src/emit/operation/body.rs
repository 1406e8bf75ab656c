//! The request body: built from the builder's fields, checked, and attached to the request.

use crate::emit::types::{ident, readable};
use crate::ir::{Body, Method, Param};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The statements that build and check the body (before the request exists), and the ones
/// that attach it to `request`.
pub fn emit_body(body: &Body) -> (TokenStream, TokenStream) {
    match body {
        Body::Json {
            model,
            validates,
            fields,
        } => {
            let model = ident(model);
            // The model is `#[non_exhaustive]` and lives in the types crate, so it is built as a
            // caller builds it: `new` from the required fields (the body's required parameters
            // are the model's `Field::always_present` fields, in the same order), or `default()`
            // when it has none; then the optional fields are assigned.
            let (required, optional): (Vec<&Param>, Vec<&Param>) =
                fields.iter().partition(|param| param.required);
            let built = if required.is_empty() {
                quote! { models::#model::default() }
            } else {
                let required = required.iter().map(|param| ident(&param.name.rust));
                quote! { models::#model::new(#(self.#required),*) }
            };
            let body = if optional.is_empty() {
                quote! { let body = #built; }
            } else {
                let optional = optional.iter().map(|param| ident(&param.name.rust));
                quote! {
                    let mut body = #built;
                    #(body.#optional = self.#optional;)*
                }
            };
            let validate = validates.then(|| quote! { body.validate()?; });
            (
                quote! {
                    #body
                    #validate
                },
                quote! { request.json_body(&body)?; },
            )
        }
        Body::Binary {
            param,
            min_length,
            max_length,
        } => {
            let name = ident(&param.name.rust);
            let wire = &param.name.wire;
            let min = option_tokens(*min_length);
            let max = option_tokens(*max_length);
            (
                quote! { crate::runtime::check::body_size(#wire, &self.#name, #min, #max)?; },
                quote! { request.binary_body(self.#name); },
            )
        }
        Body::Multipart { parts } => {
            let attach = parts.iter().map(|part| {
                let name = ident(&part.param.name.rust);
                let wire = &part.param.name.wire;
                let call = |value: TokenStream| {
                    if let Some(content_type) = &part.file {
                        quote! { request.multipart_file(#wire, #content_type, #value); }
                    } else {
                        quote! { request.multipart_text(#wire, &#value); }
                    }
                };
                if part.param.required {
                    call(quote! { self.#name })
                } else {
                    let call = call(quote! { value });
                    quote! { if let Some(value) = self.#name { #call } }
                }
            });
            (quote! {}, quote! { #(#attach)* })
        }
    }
}

/// Whether `param` is a file part of the method's `multipart/form-data` body: taken as a
/// `crate::FilePart`, which can name its own file name and content type.
pub fn is_file_part(method: &Method, param: &Param) -> bool {
    file_content_type(method, param).is_some()
}

/// The content type a file part of the method's form is sent with when the caller names
/// none (`None` when `param` is no file part).
fn file_content_type<'a>(method: &'a Method, param: &Param) -> Option<&'a str> {
    let Some(Body::Multipart { parts }) = &method.body else {
        return None;
    };
    parts
        .iter()
        .find(|part| part.param.name == param.name)
        .and_then(|part| part.file.as_deref())
}

/// The sentence of a file part's docs that states its defaults.
pub fn file_part_doc(method: &Method, param: &Param) -> Option<String> {
    file_content_type(method, param).map(|content_type| {
        format!(
            "Sent as a file part, by default with the file name `{}` and the content type \
             `{content_type}`; a [`FilePart`](crate::FilePart) can give others.",
            param.name.wire
        )
    })
}

fn option_tokens(value: Option<u64>) -> TokenStream {
    if let Some(value) = value {
        let value = readable(Literal::u64_suffixed(value));
        quote! { Some(#value) }
    } else {
        quote! { None }
    }
}
