//! The table people read in a terminal.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use kubeward_vulndb::cvss::Rating;

use crate::report::ImageReport;

fn rating_style(r: Rating) -> Style {
    let color = match r {
        Rating::Critical => AnsiColor::BrightRed,
        Rating::High => AnsiColor::Red,
        Rating::Medium => AnsiColor::Yellow,
        Rating::Low => AnsiColor::Blue,
        Rating::None | Rating::Unknown => AnsiColor::Cyan,
    };
    Style::new().fg_color(Some(color.into())).bold()
}

pub(crate) fn render(report: &ImageReport<'_>, out: &mut dyn Write) -> io::Result<()> {
    let bold = Style::new().bold();
    let image = report.image;
    writeln!(out, "{bold}{}{bold:#}", image.reference)?;
    if let Some(d) = &image.manifest_digest {
        writeln!(out, "  digest   {d}")?;
    }
    let os = image
        .os
        .as_ref()
        .map_or_else(|| "unknown".to_owned(), |o| o.pretty_name.clone());
    writeln!(
        out,
        "  os       {os} ({}/{})",
        image.config.os, image.config.architecture
    )?;
    writeln!(out, "  layers   {}", image.layers.len())?;
    let mut by_type: Vec<(&str, usize)> = Vec::new();
    for p in &image.packages {
        match by_type.iter_mut().find(|(t, _)| *t == p.kind.as_str()) {
            Some((_, n)) => *n += 1,
            None => by_type.push((p.kind.as_str(), 1)),
        }
    }
    let kinds: Vec<String> = by_type.iter().map(|(t, n)| format!("{n} {t}")).collect();
    writeln!(
        out,
        "  packages {} ({})",
        image.packages.len(),
        kinds.join(", ")
    )?;
    for note in &image.notes {
        writeln!(out, "  note     {note}")?;
    }
    if !report.vulnerabilities.is_empty() {
        let w = |f: &dyn Fn(&crate::vulns::Vulnerability) -> usize, min: usize| {
            report
                .vulnerabilities
                .iter()
                .map(f)
                .max()
                .unwrap_or(0)
                .max(min)
        };
        let (wp, wi, wf, wv) = (
            w(&|v| v.package.len(), 7),
            w(&|v| v.id.len(), 2),
            w(&|v| v.fixed.as_deref().unwrap_or("").len(), 5),
            w(&|v| v.installed.len(), 9),
        );
        writeln!(
            out,
            "\n{bold}{:<wp$}  {:<wi$}  {:<8}  {:<wv$}  {:<wf$}  LAYER  TITLE{bold:#}",
            "PACKAGE", "ID", "SEVERITY", "INSTALLED", "FIXED"
        )?;
        for v in &report.vulnerabilities {
            let style = rating_style(v.severity);
            let title: String = v.summary.chars().take(60).collect();
            writeln!(
                out,
                "{:<wp$}  {:<wi$}  {style}{:<8}{style:#}  {:<wv$}  {:<wf$}  {:<5}  {title}",
                v.package,
                v.id,
                v.severity.as_str(),
                v.installed,
                v.fixed.as_deref().unwrap_or(""),
                v.layer,
            )?;
        }
    }
    if !report.findings.is_empty() {
        writeln!(out)?;
        for f in &report.findings {
            let style = rating_style(match f.rule.severity {
                kubeward_core::Severity::Critical => Rating::Critical,
                kubeward_core::Severity::High => Rating::High,
                kubeward_core::Severity::Medium => Rating::Medium,
                kubeward_core::Severity::Low => Rating::Low,
                kubeward_core::Severity::Info => Rating::Unknown,
            });
            writeln!(
                out,
                "{} {style}{:<8}{style:#} {}: {} [{}]",
                f.rule.id,
                f.rule.severity.as_str(),
                f.path,
                f.message,
                f.rule.slug
            )?;
        }
    }
    let counts: Vec<String> = report
        .counts()
        .iter()
        .map(|(r, n)| format!("{n} {r}"))
        .collect();
    let vulns = if report.database.is_some() {
        format!(
            "{} vulnerabilities ({})",
            report.vulnerabilities.len(),
            counts.join(", ")
        )
    } else {
        "vulnerabilities not looked up".to_owned()
    };
    writeln!(out, "\n{vulns}; {} findings", report.findings.len())
}
