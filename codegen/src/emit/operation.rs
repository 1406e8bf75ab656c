//! The operation modules: one per group, with the group type, its methods and their builders.
//! Each construct a builder may have is emitted by the file of the same name as the lowering
//! that produced it (`body`, `pagination`, `long_running`, `allowed_items`).

mod allowed_items;
mod body;
mod checks;
mod long_running;
mod pagination;

use super::docs::{doc_attrs, note_availability, spec_docs};
use super::types::{default_doc, ident, operation_type};
use crate::ir::{
    Availability, Body, Group, HttpMethod, Location, Method, Param, ResponseBody, TypeRef,
};
use allowed_items::AllowedTables;
use checks::CheckFns;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The whole `operations/<group>.rs`; `versions` are the service versions of the API family
/// (empty when it has one).
pub fn group_module(group: &Group, versions: &[String]) -> TokenStream {
    let docs = doc_attrs(&spec_docs(&group.docs));
    let type_name = ident(&group.type_name);
    let constructors = group
        .methods
        .iter()
        .map(|method| emit_constructor(group, method));
    let tables = AllowedTables::of(group);
    let table_definitions = tables.definitions();
    let check_fns = CheckFns::of(group);
    let check_definitions = check_fns.definitions();
    let builders = group
        .methods
        .iter()
        .map(|method| emit_builder(group, method, &tables, &check_fns, versions));
    let items = quote! {
        #docs
        #[derive(Debug, Clone)]
        pub struct #type_name {
            pub(crate) client: FaceClient,
        }

        impl #type_name {
            #(#constructors)*
        }

        #table_definitions

        #check_definitions

        #(#builders)*
    };
    // The models are named `models::…`, through this import when the module names any.
    let models = names_models(&items).then(|| quote! { use super::models; });
    quote! {
        use crate::runtime::{OperationRequest, call::{Call, Operation}};
        use crate::{Error, FaceClient};
        use reqwest::Method;
        #models

        #items
    }
}

/// Whether generated tokens name a model, id or list type as `models::…` (and so need the
/// module's `models` in scope).
pub fn names_models(tokens: &TokenStream) -> bool {
    tokens.to_string().contains("models ::")
}

/// The argument type a parameter is taken as, and how it becomes the stored value
/// (`None` when it is stored as it is); a file part of a form is taken as a `FilePart`.
fn argument(
    param: &Param,
    method: &Method,
    name: &proc_macro2::Ident,
) -> (TokenStream, Option<TokenStream>) {
    match &param.ty {
        TypeRef::Binary if body::is_file_part(method, param) => (
            quote! { impl Into<crate::FilePart> },
            Some(quote! { #name.into() }),
        ),
        TypeRef::String => (quote! { impl Into<String> }, Some(quote! { #name.into() })),
        TypeRef::Binary => (
            quote! { impl Into<crate::Body> },
            Some(quote! { #name.into() }),
        ),
        TypeRef::Id { .. } | TypeRef::AllOr { .. } => {
            let ty = operation_type(&param.ty);
            (quote! { impl Into<#ty> }, Some(quote! { #name.into() }))
        }
        TypeRef::Array(item) if matches!(**item, TypeRef::Id { .. }) => {
            let item = operation_type(item);
            (
                quote! { impl IntoIterator<Item = impl Into<#item>> },
                Some(quote! { #name.into_iter().map(Into::into).collect() }),
            )
        }
        TypeRef::Array(item) => {
            let item = operation_type(item);
            (
                quote! { impl IntoIterator<Item = #item> },
                Some(quote! { #name.into_iter().collect() }),
            )
        }
        other => (operation_type(other), None),
    }
}

/// The first method of the group that is a form of the same operation as `method`, when it
/// is another one: its documentation describes the operation, and `method`'s refers to it.
fn described_by<'a>(group: &'a Group, method: &Method) -> Option<&'a Method> {
    group
        .methods
        .iter()
        .find(|other| other.operation_id == method.operation_id)
        .filter(|first| first.name != method.name)
}

/// Whether the parameter type can be left to its `Default` until the constructor sets it:
/// every type but a model (an enum or a struct of the spec, which may have no default).
fn has_default(ty: &TypeRef) -> bool {
    !matches!(ty, TypeRef::Model(_))
}

fn emit_constructor(group: &Group, method: &Method) -> TokenStream {
    let name = ident(&method.name);
    let builder = ident(&method.builder);
    let input = ident(&method.input);
    let arguments = method.arguments();
    let positional: Vec<&Param> = arguments
        .iter()
        .copied()
        .filter(|param| param.required)
        .collect();
    let spec = spec_docs(&method.docs);
    let mut lines = match described_by(group, method) {
        Some(first) => vec![
            spec.first().cloned().unwrap_or_default(),
            String::new(),
            format!(
                "A form of the operation of [`{0}`](Self::{0}), whose documentation describes it.",
                first.name
            ),
        ],
        None => spec,
    };
    note_availability(&mut lines, &method.availability, &Availability::default());
    if !positional.is_empty() {
        lines.extend([String::new(), "# Arguments".to_owned()]);
        for param in &positional {
            let mut summary = spec_docs(&param.docs).first().cloned().unwrap_or_default();
            if let Some(defaults) = body::file_part_doc(method, param) {
                summary = format!("{summary} {defaults}");
            }
            lines.push(format!(
                "* `{}`: {summary}",
                param.name.rust.trim_start_matches("r#")
            ));
        }
    }
    if !method.idempotent {
        lines.extend([
            String::new(),
            "Not idempotent: retried only when it surely was not applied (see \
             [`RetryPolicy::retry_non_idempotent`](crate::RetryPolicy::retry_non_idempotent))."
                .to_owned(),
        ]);
    }
    let docs = doc_attrs(&lines);
    let signature = positional.iter().map(|param| {
        let param_name = ident(&param.name.rust);
        let (ty, _) = argument(param, method, &param_name);
        quote! { #param_name: #ty }
    });
    let initializers = positional.iter().map(|param| {
        let param_name = ident(&param.name.rust);
        if let Some(convert) = argument(param, method, &param_name).1 {
            quote! { #param_name: #convert }
        } else {
            quote! { #param_name }
        }
    });
    // The optional parameters start unset: from `Default` when the parameter type can have
    // one, else listed.
    let rest = if positional.iter().all(|param| has_default(&param.ty)) {
        (positional.len() < arguments.len()).then(|| quote! { ..Default::default() })
    } else {
        let unset = arguments
            .iter()
            .filter(|param| !param.required)
            .map(|param| ident(&param.name.rust));
        Some(quote! { #(#unset: None),* })
    };
    let input = if positional.is_empty() && rest.is_some() {
        quote! { #input::default() }
    } else {
        quote! { #input { #(#initializers,)* #rest } }
    };
    quote! {
        #docs
        pub fn #name(&self, #(#signature),*) -> #builder {
            self.client.call(#input)
        }
    }
}

fn emit_builder(
    group: &Group,
    method: &Method,
    tables: &AllowedTables,
    check_fns: &CheckFns,
    versions: &[String],
) -> TokenStream {
    let builder = ident(&method.builder);
    let input = ident(&method.input);
    let type_name = &group.type_name;
    let alias_doc = format!(
        " The request built by [`{type_name}::{0}`]: set optional parameters, then `.await` it or \
         call [`send`](crate::Call::send).",
        method.name
    );
    let input_doc = format!(" The parameters of [`{type_name}::{}`].", method.name);
    let arguments = method.arguments();
    let fields = arguments.iter().map(|param| {
        let name = ident(&param.name.rust);
        let ty = if body::is_file_part(method, param) {
            quote! { crate::FilePart }
        } else {
            operation_type(&param.ty)
        };
        if param.required {
            quote! { #name: #ty, }
        } else {
            quote! { #name: Option<#ty>, }
        }
    });
    let setters: Vec<TokenStream> = arguments
        .iter()
        .filter(|param| !param.required)
        .map(|param| emit_setter(param, method))
        .collect();
    let response = match &method.response.body {
        ResponseBody::Json(ty) => {
            let ty = operation_type(ty);
            quote! { crate::runtime::call::Json<#ty> }
        }
        ResponseBody::Binary => quote! { crate::runtime::call::Binary },
        ResponseBody::Empty => quote! { crate::runtime::call::Empty },
    };
    let upload = matches!(method.body, Some(Body::Binary { .. }))
        .then(|| quote! { impl crate::runtime::call::Upload for #input {} });
    let into_request = emit_into_request(method, tables, check_fns, versions);
    let into_stream = method
        .pagination
        .as_ref()
        .map(|pagination| pagination::emit_into_stream(method, pagination));
    let send_and_wait = method
        .long_running
        .as_ref()
        .map(long_running::emit_send_and_wait);
    let methods =
        (!setters.is_empty() || into_stream.is_some() || send_and_wait.is_some()).then(|| {
            quote! {
                impl #builder {
                    #(#setters)*
                    #into_stream
                    #send_and_wait
                }
            }
        });
    let all_default = arguments
        .iter()
        .filter(|param| param.required)
        .all(|param| has_default(&param.ty));
    let derives = match (method.pagination.is_some(), all_default) {
        (true, true) => quote! { Debug, Clone, Default },
        (true, false) => quote! { Debug, Clone },
        (false, true) => quote! { Debug, Default },
        (false, false) => quote! { Debug },
    };
    quote! {
        #[doc = #alias_doc]
        pub type #builder = Call<#input>;

        #[doc = #input_doc]
        #[derive(#derives)]
        pub struct #input {
            #(#fields)*
        }

        #methods

        impl Operation for #input {
            type Response = #response;

            #into_request
        }

        #upload
    }
}

fn emit_setter(param: &Param, method: &Method) -> TokenStream {
    let within = &method.availability;
    let name = ident(&param.name.rust);
    // The value is `input`, as in smithy-rs's setters: the setter's name says what it is.
    let value = ident("input");
    let (ty, convert) = argument(param, method, &value);
    let convert = convert.unwrap_or_else(|| quote! { #value });
    let mut lines = spec_docs(&param.docs);
    lines.extend(body::file_part_doc(method, param));
    lines.extend(default_doc(&param.docs, param.default.as_ref()));
    note_availability(&mut lines, &param.availability, within);
    let docs = doc_attrs(&lines);
    quote! {
        #docs
        pub fn #name(self, #value: #ty) -> Self {
            self.set(|params| params.#name = Some(#convert))
        }
    }
}

/// The request's shape (operation id, method, path, success status), and `build_request`:
/// the checks, then the request's parameters and body.
fn emit_into_request(
    method: &Method,
    tables: &AllowedTables,
    check_fns: &CheckFns,
    versions: &[String],
) -> TokenStream {
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
        .map(|param| check_fns.check(param));
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
    // The runtime takes a POST as not idempotent and every other method as idempotent.
    let idempotent = method.idempotent;
    let set_idempotent = (idempotent != (method.http_method != HttpMethod::Post))
        .then(|| quote! { request.set_idempotent(#idempotent); });
    // The runtime takes 200 as the success status unless the operation names another.
    let status = (status != 200).then(|| {
        let status = Literal::u16_unsuffixed(status);
        quote! { const STATUS: u16 = #status; }
    });
    let token_scopes =
        (!scopes.is_empty()).then(|| quote! { request.token_scopes(&[#(#scopes),*]); });
    let (available, version_checks) = emit_versions(method, versions);
    quote! {
        const ID: &str = #operation_id;
        const METHOD: Method = Method::#http_method;
        const PATH: &str = #path;
        #status
        #available

        fn build_request(self, request: &mut OperationRequest) -> Result<(), Error> {
            #(#version_checks)*
            #(#checks)*
            #(#allowed)*
            #build_body
            #set_idempotent
            #token_scopes
            #(#parts)*
            #attach_body
            Ok(())
        }
    }
}

/// In an API family of several service versions: the versions that have the operation
/// (when not all), and the statements that refuse a parameter the request's
/// version lacks, when it is set.
fn emit_versions(method: &Method, versions: &[String]) -> (TokenStream, Vec<TokenStream>) {
    if versions.is_empty() {
        return (TokenStream::new(), Vec::new());
    }
    let index = |version: &Option<String>| {
        version
            .as_ref()
            .and_then(|version| versions.iter().position(|known| known == version))
    };
    let range = |availability: &Availability| {
        let added = Literal::usize_unsuffixed(index(&availability.added).unwrap_or(0));
        let removed = if let Some(removed) = index(&availability.removed) {
            let removed = Literal::usize_unsuffixed(removed);
            quote! { Some(#removed) }
        } else {
            quote! { None }
        };
        (added, removed)
    };
    let available = (method.availability != Availability::default()).then(|| {
        let (added, removed) = range(&method.availability);
        quote! { const AVAILABLE: (usize, Option<usize>) = (#added, #removed); }
    });
    let checks = method
        .arguments()
        .into_iter()
        .filter(|param| param.availability != method.availability)
        .map(|param| {
            let name = ident(&param.name.rust);
            let wire = &param.name.wire;
            let (added, removed) = range(&param.availability);
            let require = quote! { request.require_version(#wire, #added, #removed)?; };
            if param.required {
                require
            } else {
                quote! { if self.#name.is_some() { #require } }
            }
        })
        .collect();
    (quote! { #available }, checks)
}

/// The statement that puts a path, query or header parameter into the request (an optional
/// one when it is set).
fn emit_request_part(param: &Param) -> TokenStream {
    let name = ident(&param.name.rust);
    let wire = &param.name.wire;
    match (param.location, &param.ty, param.required) {
        (Location::Path, _, _) => quote! { request.path_param(#wire, &self.#name); },
        (Location::Query, TypeRef::Array(_), true) => {
            quote! { request.query_list(#wire, &self.#name); }
        }
        (Location::Query, TypeRef::Array(_), false) => {
            quote! { request.query_list_if(#wire, self.#name.as_ref()); }
        }
        (Location::Query, _, true) => quote! { request.query(#wire, &self.#name); },
        (Location::Query, _, false) => quote! { request.query_if(#wire, self.#name.as_ref()); },
        (Location::Header, _, true) => quote! { request.header_param(#wire, &self.#name); },
        (Location::Header, _, false) => {
            quote! { if let Some(value) = &self.#name { request.header_param(#wire, value); } }
        }
        (Location::Body, _, _) => quote! {},
    }
}
