//! The rule catalogue: `kubeward rules` (text table, JSON, Markdown) and
//! `kubeward explain`, rendered from each rule's own metadata.

use std::io::{self, Write};

use anstyle::Style;
use kubeward_core::RuleMeta;
use serde_json::json;

/// Formats of the rule list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CatalogueFormat {
    Text,
    Json,
    Markdown,
}

impl std::str::FromStr for CatalogueFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(Self::Text),
            "json" => Ok(Self::Json),
            "markdown" => Ok(Self::Markdown),
            _ => Err(format!("unknown format `{s}` (text, json, markdown)")),
        }
    }
}

pub fn render_catalogue(
    rules: &[&RuleMeta],
    format: CatalogueFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        CatalogueFormat::Text => text(rules, out),
        CatalogueFormat::Json => {
            let list: Vec<_> = rules.iter().map(|r| rule_json(r)).collect();
            serde_json::to_writer_pretty(&mut *out, &list)?;
            writeln!(out)
        }
        CatalogueFormat::Markdown => markdown(rules, out),
    }
}

fn text(rules: &[&RuleMeta], out: &mut dyn Write) -> io::Result<()> {
    let bold = Style::new().bold();
    let slug_width = rules.iter().map(|r| r.slug.len()).max().unwrap_or(0);
    writeln!(
        out,
        "{bold}{:<6} {:<slug_width$} {:<8} {:<9} {:<3} TITLE{bold:#}",
        "ID", "SLUG", "SEVERITY", "LAYER", "OWASP"
    )?;
    for r in rules {
        writeln!(
            out,
            "{:<6} {:<slug_width$} {:<8} {:<9} {:<5} {}",
            r.id,
            r.slug,
            r.severity.as_str(),
            r.layer.as_str(),
            r.owasp.id(),
            r.title
        )?;
    }
    writeln!(
        out,
        "\n{} rules. `kubeward explain ID` prints one in full.",
        rules.len()
    )
}

fn rule_json(r: &RuleMeta) -> serde_json::Value {
    json!({
        "id": r.id,
        "slug": r.slug,
        "title": r.title,
        "severity": r.severity.as_str(),
        "layer": r.layer.as_str(),
        "owasp": {"id": r.owasp.id(), "title": r.owasp.title()},
        "references": r.references,
        "summary": r.summary(),
        "rationale": r.rationale(),
        "remediation": r.remediation(),
        "documentation": r.documentation(),
    })
}

/// The header lines shared by `explain` and the Markdown catalogue.
fn facts(r: &RuleMeta) -> String {
    let mut facts = format!(
        "- Severity: {}\n- Layer: {}\n- OWASP Kubernetes Top 10: {} {}\n",
        r.severity,
        r.layer.as_str(),
        r.owasp.id(),
        r.owasp.title()
    );
    if !r.references.is_empty() {
        facts.push_str(&format!("- References: {}\n", r.references.join("; ")));
    }
    facts
}

/// `kubeward explain`: a rule's metadata and documentation, as Markdown text.
pub fn render_explanation(r: &RuleMeta, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "# {} {}: {}\n\n{}\n{}",
        r.id,
        r.slug,
        r.title,
        facts(r),
        r.documentation()
    )
}

fn markdown(rules: &[&RuleMeta], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# kubeward rules\n")?;
    writeln!(
        out,
        "Generated from the rules' own documentation by `kubeward rules --format markdown`; do not edit.\n"
    )?;
    writeln!(
        out,
        "| ID | Slug | Severity | OWASP | Title |\n|---|---|---|---|---|"
    )?;
    for r in rules {
        writeln!(
            out,
            "| [{}](#{}) | `{}` | {} | {} | {} |",
            r.id,
            r.id.to_ascii_lowercase(),
            r.slug,
            r.severity,
            r.owasp.id(),
            r.title
        )?;
    }
    for r in rules {
        let body = r.documentation().replace("\n## ", "\n### ");
        let body = body
            .strip_prefix("## ")
            .map(|b| format!("### {b}"))
            .unwrap_or(body);
        writeln!(
            out,
            "\n## {}\n\n`{}`: {}\n\n{}\n{}",
            r.id,
            r.slug,
            r.title,
            facts(r),
            body
        )?;
    }
    Ok(())
}
