//! JSON, schema `kubeward.image.v1`.

use std::io::{self, Write};

use serde_json::{Value, json};

use crate::report::ImageReport;

pub(crate) const SCHEMA: &str = "kubeward.image.v1";

pub(crate) fn render(report: &ImageReport<'_>, out: &mut dyn Write) -> io::Result<()> {
    let image = report.image;
    let by_severity: serde_json::Map<String, Value> = report
        .counts()
        .iter()
        .map(|(r, n)| (r.as_str().to_owned(), json!(n)))
        .collect();
    let document = json!({
        "schema": SCHEMA,
        "tool": {"name": "kubeward", "version": report.tool_version},
        "image": {
            "reference": image.reference,
            "manifest_digest": image.manifest_digest,
            "index_digest": image.index_digest,
            "config_digest": image.config_digest,
            "repo_tags": image.repo_tags,
            "os": image.config.os,
            "architecture": image.config.architecture,
            "created": image.config.created,
            "user": image.config.config.user,
            "layers": image.layers,
        },
        "os": image.os,
        "os_database": image.os_database,
        "packages": image.packages,
        "vulnerabilities": report.vulnerabilities,
        "findings": report.findings.iter().map(|f| json!({
            "rule": f.rule.id,
            "slug": f.rule.slug,
            "title": f.rule.title,
            "severity": f.rule.severity.as_str(),
            "path": f.path,
            "message": f.message,
        })).collect::<Vec<_>>(),
        "tamper": image.tamper,
        "database": report.database.map(|d| json!({
            "built_at": d.built_at,
            "ecosystems": d.ecosystems.iter().map(|(k, e)| (k.clone(), json!({
                "advisories": e.advisories,
                "newest_modified": e.newest_modified,
            }))).collect::<serde_json::Map<_, _>>(),
        })),
        "notes": image.notes,
        "summary": {
            "packages": image.packages.len(),
            "vulnerabilities": report.vulnerabilities.len(),
            "by_severity": by_severity,
            "findings": report.findings.len(),
            "fail_on": report.fail_on.map(kubeward_core::Severity::as_str),
            "exit_code": report.exit_code(),
        },
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
