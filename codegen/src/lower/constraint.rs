//! Constraints that contradict each other or the schema's own `default`: a spec that states
//! them would make the client refuse every value, or document a default it refuses.

use crate::Error;
use crate::error::child;
use crate::ir::{Check, Number, TypeRef};
use serde_json::Value;

/// Refuses a lower bound above its upper bound (`minimum`/`maximum`, `minLength`/`maxLength`,
/// `minItems`/`maxItems`), and equal numeric bounds of which one is exclusive.
pub fn check_bounds(checks: &[Check], pointer: &str) -> Result<(), Error> {
    let mut minimum = None;
    let mut maximum = None;
    let mut lengths = (None, None);
    let mut counts = (None, None);
    for check in checks {
        match check {
            Check::Minimum { bound, exclusive } => minimum = Some((value(*bound), *exclusive)),
            Check::Maximum { bound, exclusive } => maximum = Some((value(*bound), *exclusive)),
            Check::MinLength(length) => lengths.0 = Some(*length),
            Check::MaxLength(length) => lengths.1 = Some(*length),
            Check::MinItems(count) => counts.0 = Some(*count),
            Check::MaxItems(count) => counts.1 = Some(*count),
            _ => {}
        }
    }
    if let (Some((low, low_exclusive)), Some((high, high_exclusive))) = (minimum, maximum)
        && (low > high || (low == high && (low_exclusive || high_exclusive)))
    {
        let message = if low == high {
            format!(
                "`minimum` and `maximum` are both {low} and one is exclusive, so no value passes; make both inclusive or widen the range"
            )
        } else {
            format!(
                "`minimum` {low} is greater than `maximum` {high}, so no value passes; write a `minimum` no greater than the `maximum`"
            )
        };
        return Err(Error::at(child(pointer, "minimum"), message));
    }
    for ((low, high), (min_key, max_key)) in [
        (lengths, ("minLength", "maxLength")),
        (counts, ("minItems", "maxItems")),
    ] {
        if let (Some(low), Some(high)) = (low, high)
            && low > high
        {
            return Err(Error::at(
                child(pointer, min_key),
                format!(
                    "`{min_key}` {low} is greater than `{max_key}` {high}, so no value passes; write a `{min_key}` no greater than the `{max_key}`"
                ),
            ));
        }
    }
    Ok(())
}

/// Refuses a `default` that is not a value of the schema's type or breaks its constraints.
pub fn check_default(
    default: &Value,
    ty: &TypeRef,
    checks: &[Check],
    pointer: &str,
) -> Result<(), Error> {
    let pointer = child(pointer, "default");
    match problem(default, ty, checks) {
        Some(problem) => Err(Error::at(
            pointer,
            format!("the default {default} {problem}; write a default the schema accepts, or none"),
        )),
        None => Ok(()),
    }
}

/// What is wrong with `value` as a value of `ty` under `checks`, if anything.
fn problem(value: &Value, ty: &TypeRef, checks: &[Check]) -> Option<String> {
    let ty = &ty.wire();
    let fits = match ty {
        TypeRef::Bool => value.is_boolean(),
        TypeRef::I32 => value
            .as_i64()
            .is_some_and(|number| i32::try_from(number).is_ok()),
        TypeRef::I64 => value.is_i64() || value.is_u64() && value.as_i64().is_some(),
        TypeRef::F32 | TypeRef::F64 => value.is_number(),
        TypeRef::String | TypeRef::Uuid | TypeRef::DateTime => value.is_string(),
        TypeRef::Array(_) | TypeRef::AllOr { .. } => value.is_array(),
        TypeRef::Json | TypeRef::Model(_) | TypeRef::Binary | TypeRef::Id { .. } => true,
    };
    if !fits {
        return Some(format!("is not a value of type `{}`", type_name(ty)));
    }
    checks.iter().find_map(|check| broken(value, ty, check))
}

fn broken(value: &Value, ty: &TypeRef, check: &Check) -> Option<String> {
    let number = value.as_f64();
    let length = value.as_str().map(|text| text.chars().count() as u64);
    let count = value.as_array().map(|items| items.len() as u64);
    match check {
        Check::Minimum { bound, exclusive } => number
            .filter(|number| {
                *number < self::value(*bound) || (*exclusive && *number == self::value(*bound))
            })
            .map(|_| format!("is below the `minimum` {}", self::value(*bound))),
        Check::Maximum { bound, exclusive } => number
            .filter(|number| {
                *number > self::value(*bound) || (*exclusive && *number == self::value(*bound))
            })
            .map(|_| format!("is above the `maximum` {}", self::value(*bound))),
        Check::MinLength(min) => length
            .filter(|length| length < min)
            .map(|_| format!("is shorter than the `minLength` {min}")),
        Check::MaxLength(max) => length
            .filter(|length| length > max)
            .map(|_| format!("is longer than the `maxLength` {max}")),
        Check::MinItems(min) => count
            .filter(|count| count < min)
            .map(|_| format!("has fewer items than the `minItems` {min}")),
        Check::MaxItems(max) => count
            .filter(|count| count > max)
            .map(|_| format!("has more items than the `maxItems` {max}")),
        Check::Pattern(pattern) => value
            .as_str()
            .filter(|text| regex_lite::Regex::new(pattern).is_ok_and(|regex| !regex.is_match(text)))
            .map(|_| format!("does not match the `pattern` `{pattern}`")),
        Check::Items(inner) => {
            let TypeRef::Array(item_type) = ty else {
                return None;
            };
            value.as_array()?.iter().find_map(|item| {
                problem(item, item_type, inner).map(|problem| format!("has an item that {problem}"))
            })
        }
        Check::Model => None,
    }
}

fn value(bound: Number) -> f64 {
    match bound {
        Number::I32(value) => f64::from(value),
        Number::I64(value) => value as f64,
        Number::F32(value) => f64::from(value),
        Number::F64(value) => value,
    }
}

fn type_name(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::Bool => "boolean",
        TypeRef::I32 | TypeRef::I64 => "integer",
        TypeRef::F32 | TypeRef::F64 => "number",
        TypeRef::String | TypeRef::Uuid | TypeRef::DateTime | TypeRef::Id { .. } => "string",
        TypeRef::Array(_) | TypeRef::AllOr { .. } => "array",
        TypeRef::Json | TypeRef::Model(_) | TypeRef::Binary => "value",
    }
}
