//! JSON output, schema `kubeward.scan.v1` (documented in
//! `docs/json-report.md`, JSON Schema in `docs/schema/scan-report.v1.json`).
//! Serialised straight from borrowed structs: no intermediate value tree.

use std::io::{self, Write};

use kubeward_core::{Diagnostic, Finding, Severity};
use serde::Serialize;

use crate::Report;

/// The schema identifier; bumped only on incompatible changes.
pub(crate) const SCHEMA: &str = "kubeward.scan.v1";

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    tool: Tool<'a>,
    summary: Summary,
    #[serde(serialize_with = "findings")]
    findings: &'a [Finding],
    #[serde(serialize_with = "diagnostics")]
    errors: &'a [Diagnostic],
    #[serde(serialize_with = "diagnostics")]
    notices: &'a [Diagnostic],
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'a str,
}

#[derive(Serialize)]
struct Summary {
    inputs: usize,
    objects: usize,
    findings: usize,
    suppressed: usize,
    errors: usize,
    by_severity: BySeverity,
    fail_on: Option<Severity>,
    exit_code: u8,
}

#[derive(Serialize)]
struct BySeverity {
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
    info: usize,
}

#[derive(Serialize)]
struct FindingJson<'a> {
    rule: &'static str,
    slug: &'static str,
    title: &'static str,
    severity: Severity,
    message: &'a str,
    file: &'a str,
    line: u32,
    column: u32,
    path: &'a str,
    owasp: &'static str,
    layer: &'static str,
    references: &'static [&'static str],
    #[serde(skip_serializing_if = "Option::is_none")]
    object: Option<ObjectJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    input: Option<InputJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<SuppressedJson<'a>>,
}

#[derive(Serialize)]
struct ObjectJson<'a> {
    #[serde(rename = "apiVersion")]
    api_version: &'a str,
    kind: &'a str,
    name: &'a str,
    namespace: Option<&'a str>,
}

#[derive(Serialize)]
struct InputJson<'a> {
    file: &'a str,
    line: u32,
}

#[derive(Serialize)]
struct SuppressedJson<'a> {
    reason: &'a str,
}

#[derive(Serialize)]
struct DiagnosticJson<'a> {
    file: &'a str,
    line: Option<u32>,
    message: &'a str,
}

fn findings<S: serde::Serializer>(list: &&[Finding], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(list.iter().map(finding))
}

fn diagnostics<S: serde::Serializer>(list: &&[Diagnostic], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(list.iter().map(|d| DiagnosticJson {
        file: &d.file,
        line: d.line,
        message: &d.message,
    }))
}

fn finding(f: &Finding) -> FindingJson<'_> {
    let pos = f.location.pos();
    let origin = &f.location.origin;
    FindingJson {
        rule: f.rule.id,
        slug: f.rule.slug,
        title: f.rule.title,
        severity: f.severity,
        message: &f.message,
        file: f.location.file(),
        line: pos.line,
        column: pos.column,
        path: &f.path,
        owasp: f.rule.owasp.id(),
        layer: f.rule.layer.as_str(),
        references: f.rule.references,
        object: f.object.as_ref().map(|o| ObjectJson {
            api_version: &o.api_version,
            kind: &o.kind,
            name: &o.name,
            namespace: o.namespace.as_deref(),
        }),
        input: origin.is_rendered().then(|| InputJson {
            file: &origin.input,
            line: f.location.input_pos.line,
        }),
        suppressed: f
            .suppressed
            .as_deref()
            .map(|reason| SuppressedJson { reason }),
    }
}

pub(crate) fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let counts = report.counts();
    let document = Document {
        schema: SCHEMA,
        tool: Tool {
            name: "kubeward",
            version: report.tool_version,
        },
        summary: Summary {
            inputs: report.inputs,
            objects: report.objects,
            findings: counts.active(),
            suppressed: counts.suppressed,
            errors: report.errors.len(),
            by_severity: BySeverity {
                critical: counts.get(Severity::Critical),
                high: counts.get(Severity::High),
                medium: counts.get(Severity::Medium),
                low: counts.get(Severity::Low),
                info: counts.get(Severity::Info),
            },
            fail_on: report.fail_on,
            exit_code: report.exit_code(),
        },
        findings: report.findings,
        errors: report.errors,
        notices: report.notices,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
