//! Resolution of untagged plain scalars with the YAML 1.1 rules that Kubernetes
//! applies (go-yaml v2 behind `sigs.k8s.io/yaml`). Quoted and block scalars are
//! always strings and never reach this module.

use super::{CompactString, Value};

/// Resolves a plain scalar to the value Kubernetes would see.
pub(super) fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Value::Bool(true);
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Value::Bool(false);
        }
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        _ => {}
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return Value::Str(text.into());
    }
    // go-yaml drops every underscore before it tries a number.
    let plain: String = text.chars().filter(|&c| c != '_').collect();
    if let Some(i) = parse_int(&plain) {
        return Value::Int(i);
    }
    if is_yaml_float(&plain)
        && let Ok(f) = plain.parse::<f64>()
    {
        return Value::Float(f);
    }
    Value::Str(text.into())
}

/// Integers as Go's `strconv.ParseInt(s, 0, 64)` reads them: an optional sign,
/// then `0x`, `0o`, `0b` or a leading `0` (octal) prefix, or decimal digits.
/// Values beyond `i64` that fit `u64` become floats, as go-yaml's uint does in JSON.
fn parse_int(s: &str) -> Option<i64> {
    let (negative, unsigned) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) = if let Some(rest) = strip_prefix_ci(unsigned, "0x") {
        (16, rest)
    } else if let Some(rest) = strip_prefix_ci(unsigned, "0o") {
        (8, rest)
    } else if let Some(rest) = strip_prefix_ci(unsigned, "0b") {
        (2, rest)
    } else if unsigned.len() > 1 && unsigned.starts_with('0') {
        (8, &unsigned[1..])
    } else {
        (10, unsigned)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if negative {
        0i64.checked_sub_unsigned(magnitude)
    } else {
        i64::try_from(magnitude).ok()
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`, the shape go-yaml
/// accepts as a float.
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// The text a resolved scalar stands for when it is used as a mapping key
/// (Kubernetes converts YAML to JSON, whose keys are strings).
pub(super) fn key_text(value: &Value, raw: &str) -> CompactString {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string().into(),
        Value::Int(i) => i.to_string().into(),
        _ => raw.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(s: &str) -> Option<i64> {
        match resolve_plain(s) {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }

    #[test]
    fn booleans_follow_yaml_1_1() {
        for t in ["yes", "Yes", "on", "ON", "y", "true", "True"] {
            assert_eq!(resolve_plain(t), Value::Bool(true), "{t}");
        }
        for f in ["no", "off", "N", "false", "FALSE"] {
            assert_eq!(resolve_plain(f), Value::Bool(false), "{f}");
        }
        assert_eq!(resolve_plain("yEs"), Value::Str("yEs".into()));
    }

    #[test]
    fn integers_with_prefixes() {
        assert_eq!(int("0644"), Some(420));
        assert_eq!(int("0x1F"), Some(31));
        assert_eq!(int("0o17"), Some(15));
        assert_eq!(int("0b101"), Some(5));
        assert_eq!(int("-0b101"), Some(-5));
        assert_eq!(int("1_000"), Some(1000));
        assert_eq!(int("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(int("9223372036854775808"), None);
        assert_eq!(int("0"), Some(0));
        assert_eq!(int("+7"), Some(7));
    }

    #[test]
    fn floats_and_strings() {
        assert_eq!(resolve_plain("08"), Value::Float(8.0));
        assert_eq!(resolve_plain("1e3"), Value::Float(1000.0));
        assert_eq!(resolve_plain(".5"), Value::Float(0.5));
        assert_eq!(resolve_plain("1.2.3"), Value::Str("1.2.3".into()));
        assert_eq!(resolve_plain("2001-12-14"), Value::Str("2001-12-14".into()));
        assert_eq!(resolve_plain("0x"), Value::Str("0x".into()));
        assert_eq!(resolve_plain("-"), Value::Str("-".into()));
        assert!(matches!(resolve_plain(".inf"), Value::Float(f) if f.is_infinite()));
        assert_eq!(resolve_plain("~"), Value::Null);
    }
}
