//! Helpers shared by this crate's integration tests.

use serde_json::Value;

/// Every scalar leaf of a JSON value, with its JSON Pointer.
pub(crate) fn leaves(value: &Value, at: String, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(m) => m.iter().for_each(|(k, v)| {
            let key = k.replace('~', "~0").replace('/', "~1");
            leaves(v, format!("{at}/{key}"), out);
        }),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, v)| leaves(v, format!("{at}/{i}"), out)),
        v => out.push((at, v.clone())),
    }
}
