//! Alerts: what a matching rule reports, as a text line or as Falco's JSON
//! alert shape.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::compile::CompiledRule;
use crate::fields::Source;
use crate::priority::Priority;
use crate::time::format_rfc3339;
use crate::value::Val;

/// One alert, serialised as Falco serialises alerts.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Alert {
    pub hostname: String,
    pub output: String,
    pub output_fields: BTreeMap<String, Value>,
    pub priority: Priority,
    pub rule: String,
    pub source: String,
    pub tags: Vec<String>,
    pub time: String,
}

impl Serialize for Priority {
    fn serialize<Ser: serde::Serializer>(&self, s: Ser) -> Result<Ser::Ok, Ser::Error> {
        s.serialize_str(self.name())
    }
}

impl Alert {
    pub fn new<S: Source>(
        rule: &CompiledRule<S>,
        event: &S::Event<'_>,
        time_ns: u64,
        hostname: &str,
    ) -> Self {
        let output_fields = rule
            .output
            .fields(event)
            .into_iter()
            .map(|(name, value)| {
                let json = match value {
                    Val::Missing => Value::Null,
                    Val::Int(i) => Value::from(i),
                    Val::Bool(b) => Value::from(b),
                    other => Value::from(other.render().unwrap_or_default().into_owned()),
                };
                (name.to_owned(), json)
            })
            .collect();
        Self {
            hostname: hostname.to_owned(),
            output: rule.output.render(event),
            output_fields,
            priority: rule.priority,
            rule: rule.name.clone(),
            source: S::NAME.to_owned(),
            tags: rule.tags.clone(),
            time: format_rfc3339(time_ns),
        }
    }

    /// `time: Priority [rule] output`.
    pub fn text_line(&self) -> String {
        format!(
            "{}: {} [{}] {}",
            self.time, self.priority, self.rule, self.output
        )
    }

    pub fn json_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
