//! SARIF 2.1.0: one rule descriptor per image check and per advisory, one
//! result per finding and per vulnerable package, located at the image (and
//! the file in it where there is one).

use std::io::{self, Write};

use kubeward_vulndb::cvss::Rating;
use serde_json::{Value, json};

use crate::report::{ImageReport, severity_of};

const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: kubeward_core::Severity) -> &'static str {
    use kubeward_core::Severity::*;
    match s {
        Critical | High => "error",
        Medium => "warning",
        Low | Info => "note",
    }
}

fn location(image: &str, path: &str) -> Value {
    let uri: String = format!("{image}{}", if path.starts_with('/') { path } else { "" })
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~/:@".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    json!({"physicalLocation": {"artifactLocation": {"uri": uri}, "region": {"startLine": 1}}})
}

pub(crate) fn render(report: &ImageReport<'_>, out: &mut dyn Write) -> io::Result<()> {
    let image = &report.image.reference;
    let mut rules: Vec<Value> = Vec::new();
    let mut results: Vec<Value> = Vec::new();
    let mut rule_ids: Vec<String> = Vec::new();
    let mut index_of = |id: &str, make: &dyn Fn() -> Value, rules: &mut Vec<Value>| -> usize {
        if let Some(i) = rule_ids.iter().position(|r| r == id) {
            return i;
        }
        rule_ids.push(id.to_owned());
        rules.push(make());
        rules.len() - 1
    };
    for f in &report.findings {
        let r = f.rule;
        let i = index_of(
            r.id,
            &|| {
                json!({
                    "id": r.id,
                    "name": r.slug,
                    "shortDescription": {"text": r.title},
                    "fullDescription": {"text": r.summary()},
                    "help": {"text": format!("{}\n\n{}", r.rationale(), r.remediation()), "markdown": r.documentation()},
                    "defaultConfiguration": {"level": level(r.severity)},
                    "properties": {"tags": ["security", r.owasp.id(), "container"], "precision": "high"},
                })
            },
            &mut rules,
        );
        results.push(json!({
            "ruleId": r.id,
            "ruleIndex": i,
            "level": level(r.severity),
            "message": {"text": f.message},
            "locations": [location(image, &f.path)],
        }));
    }
    for v in &report.vulnerabilities {
        let severity = severity_of(v.severity);
        let i = index_of(
            &v.id,
            &|| {
                let score = v.score.map_or_else(
                    || match v.severity {
                        Rating::Critical => "9.5".to_owned(),
                        Rating::High => "8.0".to_owned(),
                        Rating::Medium => "5.5".to_owned(),
                        Rating::Low => "3.0".to_owned(),
                        _ => "0.0".to_owned(),
                    },
                    |s| format!("{s:.1}"),
                );
                let mut rule = json!({
                    "id": v.id,
                    "name": v.cve().unwrap_or(&v.id),
                    "shortDescription": {"text": if v.summary.is_empty() { v.id.clone() } else { v.summary.clone() }},
                    "defaultConfiguration": {"level": level(severity)},
                    "properties": {"tags": ["security", "vulnerability", v.severity.as_str()], "security-severity": score},
                });
                if let Some(url) = &v.url {
                    rule["helpUri"] = json!(url);
                }
                rule
            },
            &mut rules,
        );
        let fixed = v.fixed.as_deref().map_or_else(
            || "no fixed version yet".to_owned(),
            |f| format!("fixed in {f}"),
        );
        results.push(json!({
            "ruleId": v.id,
            "ruleIndex": i,
            "level": level(severity),
            "message": {"text": format!("{} {} ({}, layer {}) is affected by {}: {fixed}", v.package, v.installed, v.kind.as_str(), v.layer, v.id)},
            "locations": [location(image, &format!("/{}", v.path))],
        }));
    }
    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "kubeward",
                "version": report.tool_version,
                "semanticVersion": report.tool_version,
                "informationUri": "https://github.com/kubeward/kubeward",
                "rules": rules,
            }},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}
