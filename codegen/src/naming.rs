//! Every Rust identifier the generator emits is made here: case conversion,
//! keywords, and names that cannot be identifiers at all.

/// Rust keywords (strict and reserved, all editions) that need `r#` as identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self", "_"];

/// Splits a name in any case convention into lower-case ASCII words; anything that is
/// not an ASCII letter or digit separates words.
///
/// `faceIdTimeToLive` → `face id time to live`, `HTTPServer` → `http server`,
/// `recognition_01` → `recognition 01`, `faceId1` → `face id1`.
pub fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (index, &character) in chars.iter().enumerate() {
        if !character.is_ascii_alphanumeric() {
            push_word(&mut words, &mut current);
            continue;
        }
        let previous = index.checked_sub(1).and_then(|i| chars.get(i)).copied();
        let next = chars.get(index + 1).copied();
        let starts_word = character.is_ascii_uppercase()
            && previous.is_some_and(|previous| {
                previous.is_ascii_lowercase()
                    || previous.is_ascii_digit()
                    || (previous.is_ascii_uppercase()
                        && next.is_some_and(|next| next.is_ascii_lowercase()))
            });
        if starts_word {
            push_word(&mut words, &mut current);
        }
        current.push(character.to_ascii_lowercase());
    }
    push_word(&mut words, &mut current);
    words
}

fn push_word(words: &mut Vec<String>, current: &mut String) {
    if !current.is_empty() {
        words.push(std::mem::take(current));
    }
}

/// The snake_case identifier for a name, or `None` when the name has no letters or digits.
pub fn snake_case(name: &str) -> Option<String> {
    let joined = words(name).join("_");
    (!joined.is_empty()).then(|| escape(prefix_digit(joined, "_")))
}

/// The PascalCase identifier for a name, or `None` when the name has no letters or digits.
pub fn pascal_case(name: &str) -> Option<String> {
    let joined: String = words(name)
        .iter()
        .map(|word| {
            let mut characters = word.chars();
            characters
                .next()
                .map(|first| first.to_uppercase().chain(characters).collect::<String>())
                .unwrap_or_default()
        })
        .collect();
    (!joined.is_empty()).then(|| escape(prefix_digit(joined, "V")))
}

/// The enum variant of a service version: its words in PascalCase, with `_` between two
/// numbers so that the version's dots stay readable: `v1.2` → `V1_2`,
/// `v1.3-preview.1` → `V1_3Preview1`, `2024-02-01` → `V2024_02_01`.
pub fn version_variant(version: &str) -> Option<String> {
    let mut name = String::new();
    for word in words(version) {
        if name.ends_with(|character: char| character.is_ascii_digit())
            && word.starts_with(|character: char| character.is_ascii_digit())
        {
            name.push('_');
        }
        let mut characters = word.chars();
        if let Some(first) = characters.next() {
            name.extend(first.to_uppercase().chain(characters));
        }
    }
    (!name.is_empty()).then(|| escape(prefix_digit(name, "V")))
}

/// An identifier cannot start with a digit.
fn prefix_digit(name: String, prefix: &str) -> String {
    if name.starts_with(|character: char| character.is_ascii_digit()) {
        format!("{prefix}{name}")
    } else {
        name
    }
}

/// Makes a keyword usable as an identifier.
fn escape(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The name a builder type gets for a method name (snake_case): `detect_with_url` → `DetectWithUrlBuilder`.
pub fn builder_name(method: &str) -> String {
    format!("{}Builder", pascal_case(method).unwrap_or_default())
}

/// The type that holds a method's parameters: `detect_with_url` → `DetectWithUrl`.
pub fn input_name(method: &str) -> String {
    pascal_case(method).unwrap_or_default()
}

/// The type that holds a group's methods: `face_list` → `FaceListOperations`.
pub fn group_type_name(group: &str) -> String {
    format!("{}Operations", pascal_case(group).unwrap_or_default())
}

/// Standard names the generated models use unqualified; no model may take one.
pub const PRELUDE_TYPES: &[&str] = &[
    "String",
    "Vec",
    "Option",
    "Result",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "From",
    "Into",
    "Clone",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
];

/// The methods of the runtime's `Call`, which every generated builder is, and of its
/// helpers; a parameter may not take these names, since its setter would clash.
pub const BUILDER_METHODS: &[&str] = &[
    "new",
    "set",
    "input",
    "client",
    "retry",
    "send",
    "send_raw",
    "header",
    "timeout",
    "deadline",
    "send_stream",
    "on_upload_progress",
    "into_future",
    "into_stream",
    "send_and_wait",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_the_cases_the_spec_uses() {
        assert_eq!(
            snake_case("faceIdTimeToLive").as_deref(),
            Some("face_id_time_to_live")
        );
        assert_eq!(snake_case("faceId1").as_deref(), Some("face_id1"));
        assert_eq!(snake_case("FaceList").as_deref(), Some("face_list"));
        assert_eq!(snake_case("HTTPServer").as_deref(), Some("http_server"));
        assert_eq!(
            snake_case("Ocp-Apim-Subscription-Key").as_deref(),
            Some("ocp_apim_subscription_key")
        );
        assert_eq!(
            pascal_case("recognition_01").as_deref(),
            Some("Recognition01")
        );
        assert_eq!(pascal_case("noGlasses").as_deref(), Some("NoGlasses"));
        assert_eq!(
            pascal_case("UnderExposure").as_deref(),
            Some("UnderExposure")
        );
    }

    #[test]
    fn escapes_keywords_and_leading_digits() {
        assert_eq!(snake_case("type").as_deref(), Some("r#type"));
        assert_eq!(snake_case("self").as_deref(), Some("self_"));
        assert_eq!(snake_case("Self").as_deref(), Some("self_"));
        assert_eq!(pascal_case("self").as_deref(), Some("Self_"));
        assert_eq!(snake_case("3d").as_deref(), Some("_3d"));
        assert_eq!(pascal_case("2x").as_deref(), Some("V2x"));
        assert_eq!(snake_case("-/-"), None);
        assert_eq!(snake_case("café").as_deref(), Some("caf"));
    }

    #[test]
    fn version_variants_keep_the_numbers_apart() {
        assert_eq!(version_variant("v1.2").as_deref(), Some("V1_2"));
        assert_eq!(
            version_variant("v1.3-preview.1").as_deref(),
            Some("V1_3Preview1")
        );
        assert_eq!(
            version_variant("2024-02-01").as_deref(),
            Some("V2024_02_01")
        );
        assert_eq!(version_variant("v13").as_deref(), Some("V13"));
        assert_eq!(version_variant("..."), None);
    }
}
