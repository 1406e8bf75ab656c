//! Client-side checks of the service's rules, run before a request is sent.
//!
//! Each returns [`Error::InvalidRequest`] naming the wire name of the
//! parameter and the broken rule.

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::{Mutex, OnceLock, PoisonError};

use regex_lite::Regex;

use crate::Error;

/// `value` must be at least `bound` (greater than it when `exclusive`).
/// A value that does not compare (NaN) fails.
pub fn minimum<T: PartialOrd + Display + Copy>(
    name: &str,
    value: &T,
    bound: T,
    exclusive: bool,
) -> Result<(), Error> {
    let ok = if exclusive {
        *value > bound
    } else {
        *value >= bound
    };
    if ok {
        return Ok(());
    }
    let relation = if exclusive {
        "greater than"
    } else {
        "at least"
    };
    Err(invalid(
        name,
        format!("`{name}` must be {relation} {bound} (got {value})"),
    ))
}

/// `value` must be at most `bound` (less than it when `exclusive`).
/// A value that does not compare (NaN) fails.
pub fn maximum<T: PartialOrd + Display + Copy>(
    name: &str,
    value: &T,
    bound: T,
    exclusive: bool,
) -> Result<(), Error> {
    let ok = if exclusive {
        *value < bound
    } else {
        *value <= bound
    };
    if ok {
        return Ok(());
    }
    let relation = if exclusive { "less than" } else { "at most" };
    Err(invalid(
        name,
        format!("`{name}` must be {relation} {bound} (got {value})"),
    ))
}

/// `text` must have at least `min` characters (Unicode scalar values).
pub fn min_length(name: &str, text: &str, min: usize) -> Result<(), Error> {
    let length = text.chars().count();
    if length >= min {
        return Ok(());
    }
    Err(invalid(
        name,
        format!(
            "`{name}` must have at least {} (got {length})",
            count(min, "character")
        ),
    ))
}

/// `text` must have at most `max` characters (Unicode scalar values).
pub fn max_length(name: &str, text: &str, max: usize) -> Result<(), Error> {
    let length = text.chars().count();
    if length <= max {
        return Ok(());
    }
    Err(invalid(
        name,
        format!(
            "`{name}` must have at most {} (got {length})",
            count(max, "character")
        ),
    ))
}

/// A list of `len` items must have at least `min` items.
pub fn min_items(name: &str, len: usize, min: usize) -> Result<(), Error> {
    if len >= min {
        return Ok(());
    }
    Err(invalid(
        name,
        format!(
            "`{name}` must have at least {} (got {len})",
            count(min, "item")
        ),
    ))
}

/// A list of `len` items must have at most `max` items.
pub fn max_items(name: &str, len: usize, max: usize) -> Result<(), Error> {
    if len <= max {
        return Ok(());
    }
    Err(invalid(
        name,
        format!(
            "`{name}` must have at most {} (got {len})",
            count(max, "item")
        ),
    ))
}

/// `text` must match the regular expression `pattern`, compiled once per
/// pattern. A pattern that does not compile is an [`Error::Config`].
pub fn pattern(name: &str, text: &str, pattern: &'static str) -> Result<(), Error> {
    if compiled(pattern)?.is_match(text) {
        return Ok(());
    }
    Err(invalid(
        name,
        format!("`{name}` must match the pattern `{pattern}`"),
    ))
}

/// Exactly one parameter of each group of alternatives must be set; each
/// entry is a wire name and whether that parameter is set.
pub fn exactly_one_of(parameters: &[(&str, bool)]) -> Result<(), Error> {
    let set: Vec<&str> = parameters
        .iter()
        .filter(|(_, is_set)| *is_set)
        .map(|(name, _)| *name)
        .collect();
    if set.len() == 1 {
        return Ok(());
    }
    let all = quoted_list(parameters.iter().map(|(name, _)| *name));
    let found = match set.len() {
        0 => "none was".to_owned(),
        n => format!("{n} were: {}", quoted_list(set.iter().copied())),
    };
    let names: Vec<&str> = parameters.iter().map(|(name, _)| *name).collect();
    Err(invalid(
        &names.join(", "),
        format!("exactly one of {all} must be set ({found})"),
    ))
}

/// A body of known size (`len`) must be within `min..=max` bytes; a body of unknown
/// size passes.
pub fn byte_size(
    name: &str,
    len: Option<u64>,
    min: Option<u64>,
    max: Option<u64>,
) -> Result<(), Error> {
    let Some(len) = len else {
        return Ok(());
    };
    if let Some(min) = min.filter(|min| len < *min) {
        return Err(invalid(
            name,
            format!(
                "`{name}` must be at least {} (got {len})",
                count(min, "byte")
            ),
        ));
    }
    if let Some(max) = max.filter(|max| len > *max) {
        return Err(invalid(
            name,
            format!(
                "`{name}` must be at most {} (got {len})",
                count(max, "byte")
            ),
        ));
    }
    Ok(())
}

/// Every item of the list `name` must be among those that the value `control` of the
/// parameter `control_name` allows, per `table`; a control value the table does not list
/// (a model newer than the spec, say) allows anything.
pub fn allowed_items<'a>(
    name: &str,
    items: impl IntoIterator<Item = &'a str>,
    control_name: &str,
    control: &str,
    table: &[(&str, &[&str])],
) -> Result<(), Error> {
    let Some((_, allowed)) = table.iter().find(|(value, _)| *value == control) else {
        return Ok(());
    };
    match items.into_iter().find(|item| !allowed.contains(item)) {
        None => Ok(()),
        Some(item) => {
            let available = if allowed.is_empty() {
                "none".to_owned()
            } else {
                quoted_list(allowed.iter().copied())
            };
            Err(invalid(
                name,
                format!(
                    "`{name}` cannot hold `{item}` when `{control_name}` is `{control}` (it allows: {available})"
                ),
            ))
        }
    }
}

/// "1 item", "2 items".
fn count<N: Display + PartialEq + From<u8> + Copy>(n: N, noun: &str) -> String {
    if n == N::from(1) {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// "`a`, `b`, `c`".
fn quoted_list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An [`Error::InvalidRequest`] for `parameter`, breaking `rule`.
pub fn invalid(parameter: &str, rule: String) -> Error {
    Error::InvalidRequest {
        parameter: parameter.to_owned(),
        rule,
    }
}

/// The compiled form of `pattern`, from the cache when it was compiled before.
fn compiled(pattern: &'static str) -> Result<Regex, Error> {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, Regex>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(regex) = cache
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(pattern)
    {
        return Ok(regex.clone());
    }
    let regex = Regex::new(pattern).map_err(|error| Error::Config {
        message: format!("the pattern `{pattern}` is not a valid regular expression: {error}"),
    })?;
    cache
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(pattern, regex.clone());
    Ok(regex)
}

#[cfg(test)]
mod allowed_items_tests {
    use super::*;

    const TABLE: &[(&str, &[&str])] =
        &[("detection_01", &["age", "glasses"]), ("detection_02", &[])];

    #[test]
    fn items_the_control_value_allows_pass() {
        assert!(
            allowed_items(
                "attributes",
                ["age", "glasses"],
                "detectionModel",
                "detection_01",
                TABLE
            )
            .is_ok()
        );
        assert!(allowed_items("attributes", [], "detectionModel", "detection_02", TABLE).is_ok());
    }

    #[test]
    fn an_unlisted_control_value_allows_anything() {
        assert!(
            allowed_items(
                "attributes",
                ["mask"],
                "detectionModel",
                "detection_09",
                TABLE
            )
            .is_ok()
        );
    }

    #[test]
    fn an_item_the_control_value_does_not_allow_is_named() {
        let error = allowed_items(
            "attributes",
            ["age", "mask"],
            "detectionModel",
            "detection_01",
            TABLE,
        );
        assert_eq!(
            error.map_err(|error| error.to_string()),
            Err("invalid request: `attributes` cannot hold `mask` when `detectionModel` is `detection_01` (it allows: `age`, `glasses`)".to_owned())
        );
        let none = allowed_items(
            "attributes",
            ["age"],
            "detectionModel",
            "detection_02",
            TABLE,
        );
        assert!(none.is_err_and(|error| error.to_string().ends_with("(it allows: none)")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(result: Result<(), Error>) -> String {
        result.unwrap_err().to_string()
    }

    #[test]
    fn values_beyond_an_exclusive_bound_are_accepted() {
        assert!(minimum("x", &0.001, 0.0, true).is_ok());
        assert!(minimum("x", &1, 0, true).is_ok());
        assert!(maximum("x", &0.999, 1.0, true).is_ok());
        assert!(maximum("x", &0, 1, true).is_ok());
        assert!(minimum("x", &f64::NAN, 0.0, true).is_err());
        assert!(maximum("x", &f64::NAN, 1.0, true).is_err());
    }

    #[test]
    fn ranges() {
        assert!(minimum("faceIdTimeToLive", &60, 60, false).is_ok());
        assert_eq!(
            message(minimum("faceIdTimeToLive", &59, 60, false)),
            "invalid request: `faceIdTimeToLive` must be at least 60 (got 59)"
        );
        assert_eq!(
            message(minimum("x", &0.0, 0.0, true)),
            "invalid request: `x` must be greater than 0 (got 0)"
        );
        assert!(maximum("faceIdTimeToLive", &86400, 86400, false).is_ok());
        assert_eq!(
            message(maximum("confidenceThreshold", &1.5, 1.0, false)),
            "invalid request: `confidenceThreshold` must be at most 1 (got 1.5)"
        );
        assert_eq!(
            message(maximum("x", &3, 3, true)),
            "invalid request: `x` must be less than 3 (got 3)"
        );
        assert!(minimum("x", &f64::NAN, 0.0, false).is_err());
        assert!(maximum("x", &f64::NAN, 1.0, false).is_err());
    }

    #[test]
    fn lengths_count_characters() {
        assert!(max_length("name", "ééé", 3).is_ok());
        assert_eq!(
            message(max_length("name", "abcd", 3)),
            "invalid request: `name` must have at most 3 characters (got 4)"
        );
        assert_eq!(
            message(min_length("name", "", 1)),
            "invalid request: `name` must have at least 1 character (got 0)"
        );
        assert!(min_length("name", "a", 1).is_ok());
    }

    #[test]
    fn item_counts() {
        assert_eq!(
            message(max_items("faceIds", 11, 10)),
            "invalid request: `faceIds` must have at most 10 items (got 11)"
        );
        assert_eq!(
            message(min_items("faceIds", 1, 2)),
            "invalid request: `faceIds` must have at least 2 items (got 1)"
        );
        assert!(min_items("faceIds", 2, 2).is_ok() && max_items("faceIds", 10, 10).is_ok());
        let error = max_items("faceIds", 11, 10).unwrap_err();
        assert!(
            matches!(error, Error::InvalidRequest { ref parameter, .. } if parameter == "faceIds")
        );
    }

    #[test]
    fn patterns() {
        let id = "^[a-z0-9-_]+$";
        assert!(pattern("personGroupId", "group-1_a", id).is_ok());
        assert_eq!(
            message(pattern("personGroupId", "Group 1", id)),
            "invalid request: `personGroupId` must match the pattern `^[a-z0-9-_]+$`"
        );
        assert!(pattern("personGroupId", "", id).is_err());
        assert!(pattern("objectId", "again", id).is_ok());
        let broken = pattern("x", "y", "([unclosed").unwrap_err();
        assert!(matches!(broken, Error::Config { .. }), "{broken}");
    }

    #[test]
    fn exactly_one() {
        let names = |a, b, c| [("faceListId", a), ("largeFaceListId", b), ("faceIds", c)];
        assert!(exactly_one_of(&names(false, true, false)).is_ok());
        assert_eq!(
            message(exactly_one_of(&names(false, false, false))),
            "invalid request: exactly one of `faceListId`, `largeFaceListId`, `faceIds` must be set (none was)"
        );
        let error = exactly_one_of(&names(true, false, true)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid request: exactly one of `faceListId`, `largeFaceListId`, `faceIds` must be set (2 were: `faceListId`, `faceIds`)"
        );
        assert!(
            matches!(error, Error::InvalidRequest { ref parameter, .. } if parameter == "faceListId, largeFaceListId, faceIds")
        );
    }
}
