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
    pub fn from_value(json: Value) -> Result<Self, String> {
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

/// Reads one JSON document holding an Event, an EventList (`items`), or an
/// array of Events. Events that are not valid are returned as errors, one per
/// event, and do not stop the others.
pub fn parse_audit_payload(bytes: &[u8]) -> Result<Vec<Result<AuditEvent, String>>, String> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| format!("invalid JSON: {e}"))?;
    Ok(split_events(value))
}

/// The events a parsed document holds.
pub fn split_events(value: Value) -> Vec<Result<AuditEvent, String>> {
    match value {
        Value::Array(items) => items.into_iter().map(AuditEvent::from_value).collect(),
        Value::Object(mut object)
            if object.get("kind").and_then(Value::as_str) == Some("EventList") =>
        {
            match object.remove("items") {
                Some(Value::Array(items)) => {
                    items.into_iter().map(AuditEvent::from_value).collect()
                }
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
        assert!(events[1].is_err());
        assert!(parse_audit_payload(b"{").is_err());
        assert!(parse_audit_payload(b"42").unwrap()[0].is_err());
    }
}
