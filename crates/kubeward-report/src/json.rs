//! JSON output, schema `kubeward.scan.v1` (documented in
//! `docs/json-report.md`, JSON Schema in `docs/schema/scan-report.v1.json`).

use std::io::{self, Write};

use kubeward_core::{Diagnostic, Finding, Severity};
use serde_json::{Map, Value, json};

use crate::Report;

/// The schema identifier; bumped only on incompatible changes.
pub(crate) const SCHEMA: &str = "kubeward.scan.v1";

pub(crate) fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let counts = report.counts();
    let by_severity: Map<String, Value> = Severity::ALL
        .iter()
        .map(|&s| (s.as_str().to_owned(), json!(counts.get(s))))
        .collect();
    let document = json!({
        "schema": SCHEMA,
        "tool": {"name": "kubeward", "version": report.tool_version},
        "summary": {
            "inputs": report.inputs,
            "objects": report.objects,
            "findings": counts.active(),
            "suppressed": counts.suppressed,
            "errors": report.errors.len(),
            "by_severity": by_severity,
            "fail_on": report.fail_on.map(Severity::as_str),
            "exit_code": report.exit_code(),
        },
        "findings": report.findings.iter().map(finding).collect::<Vec<_>>(),
        "errors": report.errors.iter().map(diagnostic).collect::<Vec<_>>(),
        "notices": report.notices.iter().map(diagnostic).collect::<Vec<_>>(),
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

fn finding(f: &Finding) -> Value {
    let pos = f.location.pos();
    let mut v = json!({
        "rule": f.rule.id,
        "slug": f.rule.slug,
        "title": f.rule.title,
        "severity": f.severity.as_str(),
        "message": f.message,
        "file": f.location.file(),
        "line": pos.line,
        "column": pos.column,
        "path": f.path,
        "owasp": f.rule.owasp.id(),
        "layer": f.rule.layer.as_str(),
        "references": f.rule.references,
    });
    let fields = v.as_object_mut().expect("a JSON object");
    if let Some(o) = &f.object {
        fields.insert(
            "object".into(),
            json!({"apiVersion": o.api_version, "kind": o.kind, "name": o.name, "namespace": o.namespace}),
        );
    }
    let origin = &f.location.origin;
    if origin.is_rendered() {
        fields.insert(
            "input".into(),
            json!({"file": &*origin.input, "line": f.location.input_pos.line}),
        );
    }
    if let Some(reason) = &f.suppressed {
        fields.insert("suppressed".into(), json!({"reason": reason}));
    }
    v
}

fn diagnostic(d: &Diagnostic) -> Value {
    json!({"file": &*d.file, "line": d.line, "message": d.message})
}
