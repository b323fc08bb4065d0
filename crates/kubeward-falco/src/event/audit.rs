//! Kubernetes audit events (`audit.k8s.io` Event), as the API server writes
//! them to its log (one JSON object per line) and posts them to an audit
//! webhook (`EventList`).

use serde_json::Value;

use crate::time::parse_rfc3339;

/// One audit event and its time.
#[derive(Clone, Debug)]
pub struct AuditEvent {
    pub json: Value,
    /// `stageTimestamp`, ns since the epoch.
    pub time_ns: u64,
}

impl AuditEvent {
    /// Takes one Event object; like Falco's k8saudit plugin, it must be a JSON
    /// object with a valid `stageTimestamp`.
    pub fn from_value(mut json: Value) -> Result<Self, String> {
        redact_secret_values(&mut json);
        let Some(object) = json.as_object() else {
            return Err("an audit event must be a JSON object".to_owned());
        };
        let Some(stamp) = object.get("stageTimestamp").and_then(Value::as_str) else {
            return Err("audit event has no stageTimestamp".to_owned());
        };
        let time_ns = parse_rfc3339(stamp)
            .ok_or_else(|| format!("stageTimestamp `{stamp}` is not an RFC 3339 time"))?;
        Ok(Self { json, time_ns })
    }
}

/// What a Secret's value reads as once redacted.
pub const REDACTED: &str = "<redacted>";

/// Replaces the values a Secret carries in the event (`data`, `stringData`,
/// and kubectl's last-applied annotation, which repeats them) with
/// [`REDACTED`], keeping the keys. Audit events at the `Request` and
/// `RequestResponse` levels hold Secrets whole, and an output such as
/// `%jevt.obj` would print them; kubeward shows where a secret is, never what
/// it is. Conditions therefore cannot test a Secret's values either; no
/// upstream rule does.
fn redact_secret_values(json: &mut Value) {
    let is_secret = json.pointer("/objectRef/resource").and_then(Value::as_str) == Some("secrets");
    if !is_secret {
        return;
    }
    for side in ["requestObject", "responseObject"] {
        let Some(object) = json.get_mut(side) else {
            continue;
        };
        redact_secret_object(object);
        if let Some(Value::Array(items)) = object.get_mut("items") {
            items.iter_mut().for_each(redact_secret_object);
        }
    }
}

fn redact_secret_object(object: &mut Value) {
    for field in ["data", "stringData"] {
        match object.get_mut(field) {
            Some(Value::Object(values)) => values
                .values_mut()
                .for_each(|v| *v = Value::String(REDACTED.to_owned())),
            Some(Value::Null) | None => {}
            Some(other) => *other = Value::String(REDACTED.to_owned()),
        }
    }
    if let Some(applied) = object
        .pointer_mut("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration")
    {
        *applied = Value::String(REDACTED.to_owned());
    }
}

/// Reads one JSON document holding an Event, an EventList (`items`), or an
/// array of Events. Events that are not valid are returned as errors, one per
/// event, and do not stop the others.
pub fn parse_audit_payload(bytes: &[u8]) -> Result<Vec<Result<AuditEvent, String>>, String> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| format!("invalid JSON: {e}"))?;
    Ok(split_events(value))
}

/// The events of a list, an error naming the item it is about (`item 2:
/// …`), so that two bad items give two different lines.
fn list_events(items: Vec<Value>) -> Vec<Result<AuditEvent, String>> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| AuditEvent::from_value(item).map_err(|e| format!("item {}: {e}", i + 1)))
        .collect()
}

/// The events a parsed document holds.
pub fn split_events(value: Value) -> Vec<Result<AuditEvent, String>> {
    match value {
        Value::Array(items) => list_events(items),
        Value::Object(mut object)
            if object.get("kind").and_then(Value::as_str) == Some("EventList") =>
        {
            match object.remove("items") {
                Some(Value::Array(items)) => list_events(items),
                Some(Value::Null) | None => Vec::new(),
                Some(_) => vec![Err("EventList items must be a list".to_owned())],
            }
        }
        other => vec![AuditEvent::from_value(other)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_event_list_and_single_events() {
        let list = br#"{"kind":"EventList","items":[{"stageTimestamp":"2026-01-01T00:00:00Z"},{"kind":0}]}"#;
        let events = parse_audit_payload(list).unwrap();
        assert_eq!(events.len(), 2);
        assert!(events[0].is_ok());
        assert_eq!(
            events[1].as_ref().err().map(String::as_str),
            Some("item 2: audit event has no stageTimestamp")
        );
        let pair = parse_audit_payload(b"[1, 2]").unwrap();
        let errors: Vec<_> = pair.iter().filter_map(|e| e.as_ref().err()).collect();
        assert_eq!(
            errors,
            [
                "item 1: an audit event must be a JSON object",
                "item 2: an audit event must be a JSON object"
            ]
        );
        assert!(parse_audit_payload(b"{").is_err());
        assert!(parse_audit_payload(b"42").unwrap()[0].is_err());
    }

    #[test]
    fn secret_values_are_redacted_keys_kept() {
        let event = br#"{"stageTimestamp":"2026-01-01T00:00:00Z","objectRef":{"resource":"secrets"},
            "requestObject":{"kind":"Secret","data":{"password":"aHVudGVyMg=="},"stringData":{"token":"ghp_SUPERSECRET"},
              "metadata":{"name":"s","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"data\":{\"password\":\"aHVudGVyMg==\"}}","team":"a"}}},
            "responseObject":{"kind":"SecretList","items":[{"data":{"k":"c2VjcmV0"}}]}}"#;
        let events = parse_audit_payload(event).unwrap();
        let json = &events[0].as_ref().unwrap().json;
        let text = json.to_string();
        for value in ["aHVudGVyMg==", "ghp_SUPERSECRET", "c2VjcmV0"] {
            assert!(!text.contains(value), "{value} left in {text}");
        }
        assert_eq!(
            json.pointer("/requestObject/data/password"),
            Some(&Value::from(REDACTED))
        );
        assert_eq!(
            json.pointer("/responseObject/items/0/data/k"),
            Some(&Value::from(REDACTED))
        );
        assert_eq!(
            json.pointer("/requestObject/metadata/annotations/team"),
            Some(&Value::from("a"))
        );
        let configmap =
            br#"{"stageTimestamp":"2026-01-01T00:00:00Z","objectRef":{"resource":"configmaps"},
            "requestObject":{"data":{"k":"v"}}}"#;
        let events = parse_audit_payload(configmap).unwrap();
        let json = &events[0].as_ref().unwrap().json;
        assert_eq!(
            json.pointer("/requestObject/data/k"),
            Some(&Value::from("v"))
        );
    }
}
