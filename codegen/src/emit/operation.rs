//! The operation modules: one per group, with the group type, its methods and their builders.
//! Each construct a builder may have is emitted by the file of the same name as the lowering
//! that produced it (`body`, `pagination`, `long_running`, `allowed_items`).

mod allowed_items;
mod body;
mod long_running;
mod pagination;

use super::docs::{doc_attrs, spec_docs};
use super::types::{checked_value, default_doc, ident, type_tokens};
use crate::ir::{Body, Group, HttpMethod, Location, Method, Param, ResponseBody, TypeRef};
use allowed_items::AllowedTables;
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
    let arguments = method.arguments();
    let positional: Vec<&Param> = arguments
        .iter()
        .copied()
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
    if !method.idempotent {
        lines.extend([
            String::new(),
            "Repeating this request may apply it twice (a second object, a second face), so it \
             is retried only when it surely was not applied: the connection failed before it \
             was sent, or the service answered 408, 429 or 503; never after a 500, 502 or 504, \
             a timeout or a cut connection, unless the client's \
             [`RetryPolicy::retry_non_idempotent`](crate::RetryPolicy::retry_non_idempotent) \
             opts in."
                .to_owned(),
        ]);
    }
    let docs = doc_attrs(&lines);
    let signature = positional.iter().map(|param| {
        let param_name = ident(&param.name.rust);
        let (ty, _) = argument(param);
        quote! { #param_name: #ty }
    });
    let initializers = arguments.iter().map(|param| {
        let param_name = ident(&param.name.rust);
        if param.required {
            if let Some(convert) = argument(param).1 {
                quote! { #param_name: #convert }
            } else {
                quote! { #param_name }
            }
        } else {
            quote! { #param_name: None }
        }
    });
    quote! {
        #docs
        pub fn #name(&self, #(#signature),*) -> #builder {
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
    let arguments = method.arguments();
    let fields = arguments.iter().map(|param| {
        let name = ident(&param.name.rust);
        let ty = type_tokens(&param.ty);
        if param.required {
            quote! { #name: #ty, }
        } else {
            quote! { #name: Option<#ty>, }
        }
    });
    let setters = arguments
        .iter()
        .filter(|param| !param.required)
        .map(|param| emit_setter(param));
    let output = match &method.response.body {
        ResponseBody::Json(ty) => type_tokens(ty),
        ResponseBody::Binary => quote! { bytes::Bytes },
        ResponseBody::Empty => quote! { () },
    };
    let upload_progress = matches!(method.body, Some(Body::Binary { .. })).then(|| {
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
        .map(|pagination| pagination::emit_into_stream(method, pagination));
    let send_and_wait = method
        .long_running
        .as_ref()
        .map(long_running::emit_send_and_wait);
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

            /// Sets the deadline of this whole call (every attempt, every wait between them), in
            /// place of the client's.
            pub fn deadline(mut self, deadline: Duration) -> Self {
                self.options.set_deadline(deadline);
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
    lines.extend(default_doc(&param.docs, param.default.as_ref()));
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
        .arguments()
        .into_iter()
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
    let (build_body, attach_body) = method
        .body
        .as_ref()
        .map(body::emit_body)
        .unwrap_or_default();
    let parts = method.params.iter().map(emit_request_part);
    let scopes = &method.token_scopes;
    let idempotent = method.idempotent;
    let token_scopes =
        (!scopes.is_empty()).then(|| quote! { request.token_scopes(&[#(#scopes),*]); });
    let send = match method.response.body {
        ResponseBody::Json(_) => quote! { send_json },
        ResponseBody::Binary => quote! { send_bytes },
        ResponseBody::Empty => quote! { send_empty },
    };
    let checks: Vec<TokenStream> = checks.collect();
    let allowed: Vec<TokenStream> = allowed.collect();
    let parts: Vec<TokenStream> = parts.collect();
    let prepare = quote! {
        #(#checks)*
        #(#allowed)*
        #build_body
        let mut request = OperationRequest::new(#operation_id, reqwest::Method::#http_method, #path, #status);
        request.set_idempotent(#idempotent);
        #token_scopes
        #(#parts)*
        #attach_body
    };
    // Bodies too large to hold at once can be read as they arrive.
    let send_stream = matches!(method.response.body, ResponseBody::Binary).then(|| {
        quote! {
            /// Checks the parameters, sends the request and returns the status, the headers and the
            /// body as a stream of chunks read as they arrive, for bodies too large to hold at once.
            pub async fn send_stream(self) -> Result<Response<crate::runtime::ByteStream>, Error> {
                #prepare
                crate::runtime::send_stream(&self.client, request, self.options).await
            }
        }
    });
    quote! {
        /// Checks the parameters, sends the request and returns the status, the headers and the decoded body.
        pub async fn send_raw(self) -> Result<Response<#output>, Error> {
            #prepare
            crate::runtime::#send(&self.client, request, self.options).await
        }

        #send_stream
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
        (Location::Body, _) => return quote! {},
    };
    if param.required {
        call
    } else {
        quote! { if let Some(value) = &self.#name { #call } }
    }
}
