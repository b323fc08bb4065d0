//! SARIF 2.1.0, as GitHub code scanning reads it: rule descriptors in
//! `tool.driver.rules` with `security-severity`, results with a region,
//! suppressed findings as `inSource` suppressions, stable partial
//! fingerprints, and input errors as tool notifications.

use std::collections::BTreeMap;
use std::io::{self, Write};

use kubeward_core::{Diagnostic, Finding, RuleMeta, Severity};
use serde_json::json;
use serde_sarif::sarif;

use crate::{Report, rule_help_uri};

const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub(crate) fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let rules: Vec<sarif::ReportingDescriptor> = report
        .rules
        .iter()
        .map(|&(r, s)| descriptor(r, s))
        .collect();
    let driver = sarif::ToolComponent::builder()
        .name("kubeward")
        .version(report.tool_version)
        .semantic_version(report.tool_version)
        .information_uri("https://github.com/kubeward/kubeward")
        .rules(rules)
        .build();
    let results: Vec<sarif::Result> = report
        .findings
        .iter()
        .filter_map(|f| {
            let index = report
                .rules
                .iter()
                .position(|(r, _)| std::ptr::eq(*r, f.rule))?;
            Some(result(f, index))
        })
        .collect();
    let notifications: Vec<sarif::Notification> = report.errors.iter().map(notification).collect();
    let invocation = sarif::Invocation::builder()
        .execution_successful(report.errors.is_empty())
        .tool_execution_notifications(notifications)
        .build();
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .column_kind(json!("unicodeCodePoints"))
        .build();
    let log = sarif::Sarif::builder()
        .schema(SCHEMA_URI)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn result_level(severity: Severity) -> sarif::ResultLevel {
    match severity {
        Severity::Critical | Severity::High => sarif::ResultLevel::Error,
        Severity::Medium => sarif::ResultLevel::Warning,
        Severity::Low | Severity::Info => sarif::ResultLevel::Note,
    }
}

/// GitHub's `security-severity` scale (critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0).
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.1",
    }
}

fn text(s: impl Into<String>) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder()
        .text(s.into())
        .build()
}

/// A rule's descriptor. `severity` is the effective one: code-scanning
/// services rank alerts by the descriptor, not by the result's level.
fn descriptor(rule: &RuleMeta, severity: Severity) -> sarif::ReportingDescriptor {
    let mut tags = vec![
        "security".to_owned(),
        rule.owasp.id().to_owned(),
        rule.layer.as_str().to_owned(),
    ];
    tags.extend(rule.references.iter().map(|r| (*r).to_owned()));
    let properties = sarif::PropertyBag::builder()
        .tags(tags)
        .additional_properties(BTreeMap::from([
            (
                "security-severity".to_owned(),
                json!(security_severity(severity)),
            ),
            ("precision".to_owned(), json!("high")),
            ("problem.severity".to_owned(), json!(level(severity))),
        ]))
        .build();
    let help = sarif::MultiformatMessageString::builder()
        .text(format!("{}\n\n{}", rule.rationale(), rule.remediation()))
        .markdown(rule.documentation())
        .build();
    sarif::ReportingDescriptor::builder()
        .id(rule.id)
        .name(rule.slug)
        .short_description(text(rule.title))
        .full_description(text(rule.summary()))
        .help(help)
        .help_uri(rule_help_uri(rule))
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(json!(level(severity)))
                .build(),
        )
        .properties(properties)
        .build()
}

fn location(file: &str, line: u32, column: u32) -> sarif::Location {
    let region = sarif::Region::builder()
        .start_line(i64::from(line.max(1)))
        .start_column(i64::from(column.max(1)))
        .build();
    let artifact = sarif::ArtifactLocation::builder().uri(uri(file)).build();
    let physical = sarif::PhysicalLocation::builder()
        .artifact_location(artifact)
        .region(region)
        .build();
    sarif::Location::builder()
        .physical_location(physical)
        .build()
}

fn result(f: &Finding, rule_index: usize) -> sarif::Result {
    let pos = f.location.pos();
    let identity = f
        .object
        .as_ref()
        .map(|o| {
            format!(
                "{}/{}/{}/{}",
                o.api_version,
                o.kind,
                o.namespace.as_deref().unwrap_or(""),
                o.name
            )
        })
        .unwrap_or_default();
    let fingerprint = fnv1a(&[f.rule.id, f.location.file(), &identity, &f.path]);
    let mut properties = BTreeMap::from([
        ("path".to_owned(), json!(f.path)),
        ("severity".to_owned(), json!(f.severity.as_str())),
    ]);
    if let Some(o) = &f.object {
        properties.insert("object".to_owned(), json!(o.to_string()));
    }
    let builder = sarif::Result::builder()
        .rule_id(f.rule.id)
        .rule_index(i64::try_from(rule_index).unwrap_or(i64::MAX))
        .level(result_level(f.severity))
        .message(sarif::Message::builder().text(f.message.as_str()).build())
        .locations(vec![location(f.location.file(), pos.line, pos.column)])
        .partial_fingerprints(BTreeMap::from([(
            "kubeward/v1".to_owned(),
            format!("{fingerprint:016x}"),
        )]))
        .properties(
            sarif::PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        );
    match &f.suppressed {
        Some(reason) => {
            let mut suppression = sarif::Suppression::builder()
                .kind(json!("inSource"))
                .build();
            if !reason.is_empty() {
                suppression.justification = Some(reason.clone());
            }
            builder.suppressions(vec![suppression]).build()
        }
        None => builder.build(),
    }
}

fn notification(e: &Diagnostic) -> sarif::Notification {
    sarif::Notification::builder()
        .level(json!("error"))
        .message(sarif::Message::builder().text(e.message.as_str()).build())
        .locations(vec![location(&e.file, e.line.unwrap_or(1), 1)])
        .build()
}

/// A relative path as a URI reference (percent-encoding what a URI may not
/// hold); an absolute path as a `file://` URI.
fn uri(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                encoded.push(char::from(byte))
            }
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    if path.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

/// FNV-1a over the parts, for fingerprints that stay stable across releases
/// and machines (std's hasher makes no such promise).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert_eq!(uri("deploy/app.yaml"), "deploy/app.yaml");
        assert_eq!(uri("my dir/a.yaml"), "my%20dir/a.yaml");
        assert_eq!(uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(uri("/abs/x.yaml"), "file:///abs/x.yaml");
    }
}
