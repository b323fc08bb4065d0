//! Human-readable output: findings grouped by file, `file:line:col`, and a
//! summary line.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use kubeward_core::Severity;

use crate::{Report, TextOptions};

fn severity_style(severity: Severity) -> Style {
    let color = match severity {
        Severity::Critical => AnsiColor::BrightRed,
        Severity::High => AnsiColor::Red,
        Severity::Medium => AnsiColor::Yellow,
        Severity::Low => AnsiColor::Blue,
        Severity::Info => AnsiColor::Cyan,
    };
    Style::new().fg_color(Some(color.into())).bold()
}

pub(crate) fn render(
    report: &Report<'_>,
    options: TextOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    let mut current_file: Option<&str> = None;
    for f in report.findings {
        if f.suppressed.is_some() && !options.show_suppressed {
            continue;
        }
        let file = f.location.file();
        if current_file != Some(file) {
            if current_file.is_some() {
                writeln!(out)?;
            }
            writeln!(out, "{bold}{file}{bold:#}")?;
            current_file = Some(file);
        }
        let pos = f.location.pos();
        let sev = severity_style(f.severity);
        write!(
            out,
            "  {file}:{pos}: {sev}{:<8}{sev:#} {bold}{}{bold:#} {} ",
            f.severity.as_str(),
            f.rule.id,
            f.message
        )?;
        if let Some(object) = &f.object {
            write!(out, "{dim}[{object}]{dim:#} ")?;
        }
        write!(out, "{dim}({}){dim:#}", f.rule.slug)?;
        if let Some(reason) = &f.suppressed {
            let why = if reason.is_empty() {
                "no reason given"
            } else {
                reason
            };
            write!(out, " {dim}suppressed: {why}{dim:#}")?;
        }
        writeln!(out)?;
    }
    if current_file.is_some() {
        writeln!(out)?;
    }
    summary(report, out)
}

fn summary(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let counts = report.counts();
    let by_severity: Vec<String> = Severity::ALL
        .iter()
        .map(|&s| {
            let style = if counts.get(s) > 0 {
                severity_style(s)
            } else {
                Style::new()
            };
            format!("{style}{} {}{style:#}", counts.get(s), s.as_str())
        })
        .collect();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    write!(
        out,
        "{}: {}; {} suppressed; {} in {}",
        plural(counts.active(), "finding"),
        by_severity.join(", "),
        counts.suppressed,
        plural(report.objects, report.object_noun),
        plural(report.inputs, "input"),
    )?;
    if !report.errors.is_empty() {
        write!(out, "; {}", plural(report.errors.len(), "input error"))?;
    }
    writeln!(out)
}
