//! The operation modules: one per group, with the group type, its methods and their builders.

use super::docs::{doc_attrs, spec_docs};
use super::extras::AllowedTables;
use super::types::{checked_value, default_doc, ident, type_tokens};
use crate::ir::{Body, Group, HttpMethod, Location, Method, Param, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// The whole `operations/<group>.rs`.
pub fn group_module(group: &Group) -> TokenStream {
    let docs = doc_attrs(&spec_docs(&group.docs));
    let type_name = ident(&group.type_name);
    let constructors = group.methods.iter().map(emit_constructor);
    let tables = AllowedTables::of(group);
    let table_definitions = tables.definitions();
    let builders = group
        .methods
        .iter()
        .map(|method| emit_builder(method, &tables));
    quote! {
        use crate::runtime::{BoxFuture, CallOptions, OperationRequest};
        use crate::{Error, FaceClient, Response};
        use std::future::IntoFuture;
        use std::time::Duration;

        #docs
        #[derive(Debug, Clone)]
        pub struct #type_name {
            pub(crate) client: FaceClient,
        }

        impl #type_name {
            #(#constructors)*
        }

        #table_definitions

        #(#builders)*
    }
}

/// The argument type a parameter is taken as, and how it becomes the stored value
/// (`None` when it is stored as it is).
fn argument(param: &Param) -> (TokenStream, Option<TokenStream>) {
    let name = ident(&param.name.rust);
    match &param.ty {
        TypeRef::String => (quote! { impl Into<String> }, Some(quote! { #name.into() })),
        TypeRef::Binary => (
            quote! { impl Into<crate::Body> },
            Some(quote! { #name.into() }),
        ),
        TypeRef::Array(item) => {
            let item = type_tokens(item);
            (
                quote! { impl IntoIterator<Item = #item> },
                Some(quote! { #name.into_iter().collect() }),
            )
        }
        other => (type_tokens(other), None),
    }
}

fn emit_constructor(method: &Method) -> TokenStream {
    let name = ident(&method.name);
    let builder = ident(&method.builder);
    let positional: Vec<&Param> = method
        .params
        .iter()
        .filter(|param| param.required)
        .collect();
    let mut lines = spec_docs(&method.docs);
    if !positional.is_empty() {
        lines.extend([String::new(), "# Arguments".to_owned(), String::new()]);
        for param in &positional {
            let summary = spec_docs(&param.docs).first().cloned().unwrap_or_default();
            lines.push(format!(
                "* `{}`: {summary}",
                param.name.rust.trim_start_matches("r#")
            ));
        }
    }
    lines.extend([
        String::new(),
        format!(
            "Optional parameters are set on the returned [`{}`], which is sent when awaited.",
            method.builder
        ),
    ]);
    let docs = doc_attrs(&lines);
    let arguments = positional.iter().map(|param| {
        let param_name = ident(&param.name.rust);
        let (ty, _) = argument(param);
        quote! { #param_name: #ty }
    });
    let initializers = method.params.iter().map(|param| {
        let param_name = ident(&param.name.rust);
        if param.required {
            match argument(param).1 {
                Some(convert) => quote! { #param_name: #convert },
                None => quote! { #param_name },
            }
        } else {
            quote! { #param_name: None }
        }
    });
    quote! {
        #docs
        pub fn #name(&self, #(#arguments),*) -> #builder {
            #builder {
                client: self.client.clone(),
                options: CallOptions::default(),
                #(#initializers,)*
            }
        }
    }
}

fn emit_builder(method: &Method, tables: &AllowedTables) -> TokenStream {
    let builder = ident(&method.builder);
    let doc = format!(
        " The request built by `{}`: set optional parameters, then `.await` it or call [`send`](Self::send).",
        method.name
    );
    let fields = method.params.iter().map(|param| {
        let name = ident(&param.name.rust);
        let ty = type_tokens(&param.ty);
        if param.required {
            quote! { #name: #ty, }
        } else {
            quote! { #name: Option<#ty>, }
        }
    });
    let setters = method
        .params
        .iter()
        .filter(|param| !param.required)
        .map(emit_setter);
    let output = match &method.response.body {
        Some(ty) => type_tokens(ty),
        None => quote! { () },
    };
    let upload_progress = matches!(method.body, Some(Body::Binary)).then(|| {
        quote! {
            /// Calls `callback` as the image is uploaded, with the bytes sent so far and the total when known.
            pub fn on_upload_progress(mut self, callback: impl Fn(crate::UploadProgress) + Send + Sync + 'static) -> Self {
                self.options.set_upload_progress(callback);
                self
            }
        }
    });
    let send_raw = emit_send_raw(method, &output, tables);
    let into_stream = method
        .pagination
        .as_ref()
        .map(|pagination| super::extras::into_stream(method, pagination));
    let send_and_wait = method
        .long_running
        .as_ref()
        .map(super::extras::send_and_wait);
    let clone = method.pagination.is_some().then(|| quote! { Clone, });
    quote! {
        #[doc = #doc]
        #[derive(#clone Debug)]
        #[must_use = "the request is sent only when it is awaited or sent"]
        pub struct #builder {
            client: FaceClient,
            options: CallOptions,
            #(#fields)*
        }

        impl #builder {
            #(#setters)*

            /// Adds a header to this call only.
            pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.options.set_header(name, value);
                self
            }

            /// Sets the timeout of each attempt of this call, in place of the client's.
            pub fn timeout(mut self, timeout: Duration) -> Self {
                self.options.set_timeout(timeout);
                self
            }

            #upload_progress

            /// Checks the parameters, sends the request and returns the decoded body.
            pub async fn send(self) -> Result<#output, Error> {
                self.send_raw().await.map(Response::into_body)
            }

            #send_raw

            #into_stream

            #send_and_wait
        }

        impl IntoFuture for #builder {
            type Output = Result<#output, Error>;
            type IntoFuture = BoxFuture<Result<#output, Error>>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    }
}

fn emit_setter(param: &Param) -> TokenStream {
    let name = ident(&param.name.rust);
    let (ty, convert) = argument(param);
    let convert = convert.unwrap_or_else(|| quote! { #name });
    let mut lines = spec_docs(&param.docs);
    lines.extend(default_doc(param.default.as_ref()));
    let docs = doc_attrs(&lines);
    quote! {
        #docs
        pub fn #name(mut self, #name: #ty) -> Self {
            self.#name = Some(#convert);
            self
        }
    }
}

fn emit_send_raw(method: &Method, output: &TokenStream, tables: &AllowedTables) -> TokenStream {
    let operation_id = &method.operation_id;
    let path = &method.path;
    let status = method.response.status;
    let http_method = match method.http_method {
        HttpMethod::Get => quote! { GET },
        HttpMethod::Put => quote! { PUT },
        HttpMethod::Post => quote! { POST },
        HttpMethod::Delete => quote! { DELETE },
        HttpMethod::Patch => quote! { PATCH },
    };
    let checks = method
        .params
        .iter()
        .filter(|param| !param.checks.is_empty())
        .map(|param| {
            let name = ident(&param.name.rust);
            checked_value(
                &param.name.wire,
                &quote! { self.#name },
                param.required,
                &param.checks,
            )
        });
    let allowed = method.params.iter().flat_map(|param| {
        param
            .allowed_items
            .iter()
            .map(move |rule| tables.check(param, rule))
    });
    let (build_body, validate_body, attach_body) = emit_body(method);
    let parts = method.params.iter().map(emit_request_part);
    let send = match method.response.body {
        Some(_) => quote! { crate::runtime::send_json(&self.client, request, self.options).await },
        None => quote! { crate::runtime::send_empty(&self.client, request, self.options).await },
    };
    quote! {
        /// Checks the parameters, sends the request and returns the status, the headers and the decoded body.
        pub async fn send_raw(self) -> Result<Response<#output>, Error> {
            #(#checks)*
            #(#allowed)*
            #build_body
            #validate_body
            let mut request = OperationRequest::new(#operation_id, reqwest::Method::#http_method, #path, #status);
            #(#parts)*
            #attach_body
            #send
        }
    }
}

/// Statements that build, check and attach the body.
fn emit_body(method: &Method) -> (TokenStream, TokenStream, TokenStream) {
    match &method.body {
        None => (quote! {}, quote! {}, quote! {}),
        Some(Body::Json { model, validates }) => {
            let model = ident(model);
            let fields = method
                .params
                .iter()
                .filter(|param| param.location == Location::Body)
                .map(|param| {
                    let name = ident(&param.name.rust);
                    quote! { #name: self.#name }
                });
            let validate = validates.then(|| quote! { body.validate()?; });
            (
                quote! { let body = crate::models::#model { #(#fields),* }; },
                quote! { #validate },
                quote! { request.json_body(&body)?; },
            )
        }
        Some(Body::Binary) => {
            let Some(param) = method
                .params
                .iter()
                .find(|param| matches!(param.location, Location::BinaryBody { .. }))
            else {
                return (quote! {}, quote! {}, quote! {});
            };
            let name = ident(&param.name.rust);
            let wire = &param.name.wire;
            let (min, max) = match param.location {
                Location::BinaryBody {
                    min_length,
                    max_length,
                } => (min_length, max_length),
                _ => (None, None),
            };
            let min = option_tokens(min);
            let max = option_tokens(max);
            (
                quote! {},
                quote! { crate::runtime::check::body_size(#wire, &self.#name, #min, #max)?; },
                quote! { request.binary_body(self.#name); },
            )
        }
    }
}

fn option_tokens(value: Option<u64>) -> TokenStream {
    match value {
        Some(value) => quote! { Some(#value) },
        None => quote! { None },
    }
}

/// The statement that puts a path, query or header parameter into the request.
fn emit_request_part(param: &Param) -> TokenStream {
    let name = ident(&param.name.rust);
    let wire = &param.name.wire;
    let value = if param.required {
        quote! { &self.#name }
    } else {
        quote! { value }
    };
    let call = match (param.location, &param.ty) {
        (Location::Path, _) => quote! { request.path_param(#wire, #value); },
        (Location::Query, TypeRef::Array(_)) => quote! { request.query_list(#wire, #value); },
        (Location::Query, _) => quote! { request.query(#wire, #value); },
        (Location::Header, _) => quote! { request.header_param(#wire, #value); },
        (Location::Body | Location::BinaryBody { .. }, _) => return quote! {},
    };
    if param.required {
        call
    } else {
        quote! { if let Some(value) = &self.#name { #call } }
    }
}
