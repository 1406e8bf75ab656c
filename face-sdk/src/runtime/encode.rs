//! Percent-encoding of path and query values, and URL assembly.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but ASCII letters, digits and `-`, `.`, `_`, `~` is encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a path or query value, leaving only unreserved characters
/// as they are (space → `%20`, `/` → `%2F`, `,` → `%2C`).
pub(crate) fn encode_component(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}

/// Appends `name=value` to a query string under construction.
pub(crate) fn push_query(query: &mut String, name: &str, encoded_value: &str) {
    if !query.is_empty() {
        query.push('&');
    }
    query.push_str(&encode_component(name));
    query.push('=');
    query.push_str(encoded_value);
}

/// Encodes list items one by one and joins them with a literal comma.
pub(crate) fn encode_list<I>(values: I) -> String
where
    I: IntoIterator,
    I::Item: std::fmt::Display,
{
    let mut joined = String::new();
    for (index, value) in values.into_iter().enumerate() {
        if index > 0 {
            joined.push(',');
        }
        joined.push_str(&encode_component(&value.to_string()));
    }
    joined
}

/// `base` (trailing slashes dropped) + `path` + `?query` when there is one.
pub(crate) fn join_url(base: &str, path: &str, query: &str) -> String {
    let base = base.trim_end_matches('/');
    let mut url = String::with_capacity(base.len() + path.len() + query.len() + 2);
    url.push_str(base);
    if !path.starts_with('/') {
        url.push('/');
    }
    url.push_str(path);
    if !query.is_empty() {
        url.push('?');
        url.push_str(query);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_but_unreserved_characters_is_left_safe() {
        assert_eq!(encode_component("a b/c"), "a%20b%2Fc");
        assert_eq!(encode_component("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(
            encode_component("?&=#%+,;:@!$'()*[]{}"),
            "%3F%26%3D%23%25%2B%2C%3B%3A%40%21%24%27%28%29%2A%5B%5D%7B%7D"
        );
        assert_eq!(encode_component("é"), "%C3%A9");
        assert_eq!(encode_component(""), "");
    }

    #[test]
    fn query_pairs_keep_call_order() {
        let mut query = String::new();
        push_query(&mut query, "returnFaceId", "true");
        push_query(
            &mut query,
            "returnFaceAttributes",
            &encode_list(["age", "glasses"]),
        );
        push_query(&mut query, "userData", &encode_component("a b&c"));
        assert_eq!(
            query,
            "returnFaceId=true&returnFaceAttributes=age,glasses&userData=a%20b%26c"
        );
    }

    #[test]
    fn list_items_are_encoded_and_joined_by_a_literal_comma() {
        assert_eq!(encode_list([10, 20, 100, 120]), "10,20,100,120");
        assert_eq!(encode_list(["a,b", "c d"]), "a%2Cb,c%20d");
        assert_eq!(encode_list(Vec::<u8>::new()), "");
    }

    #[test]
    fn urls_with_and_without_trailing_slash_are_the_same() {
        let expected = "https://host.test/face/v1.0/detect";
        assert_eq!(
            join_url("https://host.test", "/face/v1.0/detect", ""),
            expected
        );
        assert_eq!(
            join_url("https://host.test/", "/face/v1.0/detect", ""),
            expected
        );
        assert_eq!(
            join_url("https://host.test//", "face/v1.0/detect", ""),
            expected
        );
        assert_eq!(
            join_url("https://host.test/", "/face/v1.0/detect", "a=1"),
            format!("{expected}?a=1")
        );
    }
}
