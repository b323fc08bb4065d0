//! Renderers for benchmark results (`kubeward node`, `kubeward host`): text
//! in kube-bench's `[PASS] id title` shape with evidence and remediation,
//! JSON `{"benchmark", "results": [{"id", "title", "status", "evidence",
//! "remediation"}]}`, SARIF 2.1.0 (failures as errors, warnings as warnings,
//! passes as `kind: pass`) and JUnit (one test case per check).

use std::collections::BTreeMap;
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use kubeward_core::benchmark::{BenchmarkReport, CheckResult, Evidence, Status};
use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};
use serde_json::{Value, json};
use serde_sarif::sarif;

use crate::Format;

/// Writes benchmark results in a format.
pub fn render_benchmark(
    report: &BenchmarkReport,
    format: Format,
    tool_version: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text(report, out),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &benchmark_json(report))?;
            writeln!(out)
        }
        Format::Sarif => sarif_log(report, tool_version, out),
        Format::Junit => junit(report, out),
    }
}

fn status_style(status: Status) -> Style {
    let color = match status {
        Status::Pass => AnsiColor::Green,
        Status::Fail => AnsiColor::Red,
        Status::Warn => AnsiColor::Yellow,
        Status::Info => AnsiColor::Blue,
    };
    Style::new().fg_color(Some(color.into())).bold()
}

/// `file:line: setting=value: note`, leaving out what is unknown.
fn evidence_line(e: &Evidence) -> String {
    let mut parts = Vec::new();
    if let Some(file) = &e.file {
        parts.push(match e.line {
            Some(line) => format!("{file}:{line}"),
            None => file.clone(),
        });
    }
    if let Some(setting) = &e.setting {
        parts.push(match &e.value {
            Some(v) => format!("{setting}={v}"),
            None => format!("{setting} not set"),
        });
    }
    if !e.note.is_empty() {
        parts.push(e.note.clone());
    }
    parts.join(": ")
}

fn text(report: &BenchmarkReport, out: &mut dyn Write) -> io::Result<()> {
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    writeln!(out, "{bold}{}{bold:#}", report.benchmark)?;
    for r in &report.results {
        let style = status_style(r.status);
        writeln!(out, "{style}[{}]{style:#} {} {}", r.status, r.id, r.title)?;
        if r.status == Status::Pass {
            continue;
        }
        for e in &r.evidence {
            writeln!(out, "    {dim}seen:{dim:#} {}", evidence_line(e))?;
        }
        if !r.remediation.is_empty() {
            let mut lines = r.remediation.trim().lines();
            if let Some(first) = lines.next() {
                writeln!(out, "    {dim}fix:{dim:#}  {first}")?;
            }
            for line in lines {
                writeln!(out, "          {line}")?;
            }
        }
    }
    let counts: Vec<String> = Status::ALL
        .iter()
        .map(|&s| format!("{} {}", report.count(s), s.as_str().to_ascii_lowercase()))
        .collect();
    writeln!(
        out,
        "\n{} checks: {}",
        report.results.len(),
        counts.join(", ")
    )
}

fn evidence_json(e: &Evidence) -> Value {
    json!({
        "file": e.file,
        "line": e.line,
        "setting": e.setting,
        "value": e.value,
        "note": e.note,
    })
}

/// The JSON document (also used by callers that embed it).
pub fn benchmark_json(report: &BenchmarkReport) -> Value {
    json!({
        "benchmark": report.benchmark,
        "results": report.results.iter().map(|r| json!({
            "id": r.id,
            "title": r.title,
            "status": r.status.as_str(),
            "evidence": r.evidence.iter().map(evidence_json).collect::<Vec<_>>(),
            "remediation": r.remediation.trim(),
        })).collect::<Vec<_>>(),
    })
}

fn sarif_text(s: impl Into<String>) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder()
        .text(s.into())
        .build()
}

fn descriptor(r: &CheckResult) -> sarif::ReportingDescriptor {
    let builder = sarif::ReportingDescriptor::builder()
        .id(r.id.as_str())
        .short_description(sarif_text(r.title.as_str()));
    match r.meta {
        Some(meta) => {
            let help = sarif::MultiformatMessageString::builder()
                .text(meta.remediation())
                .markdown(meta.documentation())
                .build();
            builder
                .name(meta.slug)
                .full_description(sarif_text(meta.summary()))
                .help(help)
                .build()
        }
        None => builder.help(sarif_text(r.remediation.trim())).build(),
    }
}

fn sarif_log(report: &BenchmarkReport, tool_version: &str, out: &mut dyn Write) -> io::Result<()> {
    let rules: Vec<_> = report.results.iter().map(descriptor).collect();
    let driver = sarif::ToolComponent::builder()
        .name("kubeward")
        .version(tool_version)
        .information_uri("https://github.com/kubeward/kubeward")
        .rules(rules)
        .build();
    let results: Vec<sarif::Result> = report
        .results
        .iter()
        .enumerate()
        .map(|(index, r)| {
            let message = r
                .evidence
                .iter()
                .map(evidence_line)
                .collect::<Vec<_>>()
                .join("; ");
            let message = if message.is_empty() {
                r.title.clone()
            } else {
                format!("{}: {message}", r.title)
            };
            let (kind, level) = match r.status {
                Status::Fail => (sarif::ResultKind::Fail, sarif::ResultLevel::Error),
                Status::Warn => (sarif::ResultKind::Review, sarif::ResultLevel::Warning),
                Status::Pass => (sarif::ResultKind::Pass, sarif::ResultLevel::None),
                Status::Info => (sarif::ResultKind::Informational, sarif::ResultLevel::None),
            };
            let locations: Vec<sarif::Location> = r
                .evidence
                .iter()
                .filter_map(|e| {
                    let file = e.file.as_deref()?;
                    let region = sarif::Region::builder()
                        .start_line(i64::from(e.line.unwrap_or(1).max(1)))
                        .build();
                    let physical = sarif::PhysicalLocation::builder()
                        .artifact_location(
                            sarif::ArtifactLocation::builder()
                                .uri(format!("file://{file}"))
                                .build(),
                        )
                        .region(region)
                        .build();
                    Some(
                        sarif::Location::builder()
                            .physical_location(physical)
                            .build(),
                    )
                })
                .collect();
            sarif::Result::builder()
                .rule_id(r.id.as_str())
                .rule_index(i64::try_from(index).unwrap_or(i64::MAX))
                .kind(kind)
                .level(level)
                .message(sarif::Message::builder().text(message).build())
                .locations(locations)
                .properties(
                    sarif::PropertyBag::builder()
                        .additional_properties(BTreeMap::from([(
                            "status".to_owned(),
                            json!(r.status.as_str()),
                        )]))
                        .build(),
                )
                .build()
        })
        .collect();
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .properties(
            sarif::PropertyBag::builder()
                .additional_properties(BTreeMap::from([(
                    "benchmark".to_owned(),
                    json!(report.benchmark),
                )]))
                .build(),
        )
        .build();
    let log = sarif::Sarif::builder()
        .schema("https://json.schemastore.org/sarif-2.1.0.json")
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn junit(report: &BenchmarkReport, out: &mut dyn Write) -> io::Result<()> {
    let mut junit = quick_junit::Report::new("kubeward");
    let mut suite = TestSuite::new(report.benchmark.as_str());
    for r in &report.results {
        let details = || {
            let mut d: Vec<String> = r.evidence.iter().map(evidence_line).collect();
            d.push(r.remediation.trim().to_owned());
            d.join("\n")
        };
        let status = match r.status {
            Status::Pass => TestCaseStatus::success(),
            Status::Fail => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                s.set_message(r.title.as_str()).set_description(details());
                s
            }
            Status::Warn | Status::Info => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(format!("{}: {}", r.status, details()));
                s
            }
        };
        let mut case = TestCase::new(format!("{} {}", r.id, r.title), status);
        case.set_classname(report.benchmark.as_str());
        suite.add_test_case(case);
    }
    junit.add_test_suite(suite);
    junit.serialize(&mut *out).map_err(io::Error::other)?;
    writeln!(out)
}
