//! Tokens for identifiers, types, literals and client-side checks.

use crate::ir::{Check, Number, TypeRef};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

/// An identifier from a name `naming` made (`r#type` becomes a raw identifier).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type of a value.
pub fn type_tokens(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Bool => quote! { bool },
        TypeRef::I32 => quote! { i32 },
        TypeRef::I64 => quote! { i64 },
        TypeRef::F32 => quote! { f32 },
        TypeRef::F64 => quote! { f64 },
        TypeRef::String => quote! { String },
        TypeRef::Uuid => quote! { uuid::Uuid },
        TypeRef::DateTime => quote! { chrono::DateTime<chrono::Utc> },
        TypeRef::Json => quote! { serde_json::Value },
        TypeRef::Binary => quote! { crate::Body },
        TypeRef::Model(name) | TypeRef::Id { kind: name, .. } | TypeRef::AllOr { name, .. } => {
            let name = ident(name);
            quote! { super::models::#name }
        }
        TypeRef::Array(item) => {
            let item = type_tokens(item);
            quote! { Vec<#item> }
        }
    }
}

/// The Rust type of a value in an operations module, which names the models through its
/// `use super::models;`.
pub fn operation_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Model(name) | TypeRef::Id { kind: name, .. } | TypeRef::AllOr { name, .. } => {
            let name = ident(name);
            quote! { models::#name }
        }
        TypeRef::Array(item) => {
            let item = operation_type(item);
            quote! { Vec<#item> }
        }
        other => type_tokens(other),
    }
}

fn number(bound: Number) -> Literal {
    readable(match bound {
        Number::I32(value) => Literal::i32_suffixed(value),
        Number::I64(value) => Literal::i64_suffixed(value),
        Number::F32(value) => Literal::f32_suffixed(value),
        Number::F64(value) => Literal::f64_suffixed(value),
    })
}

/// `literal` with the digits of a long integer part grouped by three (`6_291_456u64`), as
/// clippy's `unreadable_literal` asks of more than five digits.
pub fn readable(literal: Literal) -> Literal {
    let text = literal.to_string();
    let sign = usize::from(text.starts_with('-'));
    let digits = text[sign..].bytes().take_while(u8::is_ascii_digit).count();
    if digits <= 5 {
        return literal;
    }
    let (integer, rest) = text[sign..].split_at(digits);
    let mut grouped = text[..sign].to_owned();
    for (index, digit) in integer.chars().enumerate() {
        if index > 0 && (digits - index) % 3 == 0 {
            grouped.push('_');
        }
        grouped.push(digit);
    }
    grouped.push_str(rest);
    grouped
        .parse()
        .expect("digits grouped by `_` are still a literal")
}

/// Statements that check `value` (an identifier of type `&T`) against `checks`,
/// returning early with the runtime's error that names `wire`.
pub fn check_statements(wire: &str, value: &TokenStream, checks: &[Check]) -> TokenStream {
    let statements = checks.iter().map(|check| match check {
        Check::Minimum { bound, exclusive } => {
            let bound = number(*bound);
            quote! { crate::runtime::check::minimum(#wire, #value, #bound, #exclusive)?; }
        }
        Check::Maximum { bound, exclusive } => {
            let bound = number(*bound);
            quote! { crate::runtime::check::maximum(#wire, #value, #bound, #exclusive)?; }
        }
        Check::MinLength(length) => {
            let length = readable(Literal::usize_suffixed(*length as usize));
            quote! { crate::runtime::check::min_length(#wire, #value, #length)?; }
        }
        Check::MaxLength(length) => {
            let length = readable(Literal::usize_suffixed(*length as usize));
            quote! { crate::runtime::check::max_length(#wire, #value, #length)?; }
        }
        Check::MinItems(count) => {
            let count = readable(Literal::usize_suffixed(*count as usize));
            quote! { crate::runtime::check::min_items(#wire, #value.len(), #count)?; }
        }
        Check::MaxItems(count) => {
            let count = readable(Literal::usize_suffixed(*count as usize));
            quote! { crate::runtime::check::max_items(#wire, #value.len(), #count)?; }
        }
        Check::Pattern(pattern) => {
            quote! { crate::runtime::check::pattern(#wire, #value, #pattern)?; }
        }
        Check::Model => quote! { #value.validate()?; },
        Check::Items(inner) => {
            let inner = check_statements(wire, &quote! { item }, inner);
            quote! { for item in #value { #inner } }
        }
    });
    quote! { #(#statements)* }
}

/// Checks of a field or parameter at `place` (e.g. `self.face_ids`): a required one is
/// always checked, an optional one when it is set.
pub fn checked_value(
    wire: &str,
    place: &TokenStream,
    required: bool,
    checks: &[Check],
) -> TokenStream {
    let checks = check_statements(wire, &quote! { value }, checks);
    if required {
        quote! { { let value = &#place; #checks } }
    } else {
        quote! { if let Some(value) = &#place { #checks } }
    }
}

/// A documentation line saying what the service assumes when a value is not sent, unless
/// the description already says it: a sentence that names the value and says `default` or
/// `uses` (“The service default is 20.”), so that the docs state a default once.
pub fn default_doc(docs: &[String], default: Option<&String>) -> Vec<String> {
    match default {
        Some(value) if !states_default(docs, value) => vec![
            String::new(),
            format!("When not set, the service uses `{value}`."),
        ],
        _ => Vec::new(),
    }
}

fn states_default(docs: &[String], value: &str) -> bool {
    let value = value.trim_matches('"');
    let text = docs.join(" ");
    text.split(". ").any(|sentence| {
        let lower = sentence.to_lowercase();
        let names_value = sentence
            .split_whitespace()
            .any(|word| word.trim_matches(['.', ',', ';', ':', '(', ')', '`', '\'', '"']) == value);
        names_value && (lower.contains("default") || lower.contains(" uses "))
    })
}

#[cfg(test)]
mod tests {
    use super::{default_doc, readable};
    use proc_macro2::Literal;

    #[test]
    fn groups_the_digits_of_long_literals() {
        let text = |literal: Literal| readable(literal).to_string();
        assert_eq!(text(Literal::u64_suffixed(6_291_456)), "6_291_456u64");
        assert_eq!(text(Literal::i64_suffixed(-123_456)), "-123_456i64");
        assert_eq!(text(Literal::f64_suffixed(1_000_000.5)), "1_000_000.5f64");
        assert_eq!(text(Literal::i32_suffixed(86_400)), "86400i32");
    }

    #[test]
    fn says_a_default_once() {
        let stated = vec!["How many, from 1 to 100. The service default is 10.".to_owned()];
        assert!(default_doc(&stated, Some(&"10".to_owned())).is_empty());
        let unstated = vec!["How many, from 1 to 100.".to_owned()];
        assert_eq!(default_doc(&unstated, Some(&"10".to_owned())).len(), 2);
        let other = vec!["The default is 100.".to_owned()];
        assert_eq!(default_doc(&other, Some(&"10".to_owned())).len(), 2);
    }
}
