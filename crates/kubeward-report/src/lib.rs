//! Renderers for kubeward's findings: text for people, JSON for scripts,
//! SARIF 2.1.0 for code-scanning services, JUnit for CI test views.
//!
//! Renderers only format what analysis produced; they never decide what is a
//! finding. They print where a secret is, never its value (analysis never
//! puts values in messages).
#![forbid(unsafe_code)]

mod benchmark;
mod catalogue;
mod json;
mod junit;
mod sarif;
mod text;

pub use benchmark::{benchmark_json, render_benchmark};
pub use catalogue::{CatalogueFormat, render_catalogue, render_explanation};

use std::io::{self, Write};
use std::str::FromStr;

use kubeward_core::{Counts, Diagnostic, Finding, RuleMeta, Severity};

/// What a report is rendered from.
#[derive(Debug)]
pub struct Report<'a> {
    pub tool_version: &'a str,
    pub findings: &'a [Finding],
    /// The rules that ran, each with its effective severity (the built-in
    /// one unless the configuration overrides it). SARIF lists them as its
    /// rule descriptors, ranked by that severity.
    pub rules: &'a [(&'static RuleMeta, Severity)],
    pub errors: &'a [Diagnostic],
    pub notices: &'a [Diagnostic],
    /// How many inputs were read and objects checked.
    pub inputs: usize,
    pub objects: usize,
    /// What the objects are, in the singular (`object`, `instruction`), for
    /// the text summary.
    pub object_noun: &'static str,
    /// The `--fail-on` threshold (`None`: never fail).
    pub fail_on: Option<Severity>,
}

impl Report<'_> {
    pub fn counts(&self) -> Counts {
        Counts::of(self.findings)
    }

    /// The exit code the report implies: 2 for input errors, 1 for findings at
    /// or above the threshold, else 0.
    pub fn exit_code(&self) -> u8 {
        if !self.errors.is_empty() {
            2
        } else if self
            .fail_on
            .is_some_and(|t| self.counts().at_or_above(t) > 0)
        {
            1
        } else {
            0
        }
    }
}

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Junit,
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            "sarif" => Ok(Format::Sarif),
            "junit" => Ok(Format::Junit),
            _ => Err(format!("unknown format `{s}` (text, json, sarif, junit)")),
        }
    }
}

/// Options of the text renderer.
#[derive(Clone, Copy, Debug, Default)]
pub struct TextOptions {
    /// List suppressed findings too (they are always counted).
    pub show_suppressed: bool,
}

/// Writes the report in a format. Text output carries ANSI styles; the caller
/// strips them where the output is not a terminal.
pub fn render(
    report: &Report<'_>,
    format: Format,
    text: TextOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Text => text::render(report, text, out),
        Format::Json => json::render(report, out),
        Format::Sarif => sarif::render(report, out),
        Format::Junit => junit::render(report, out),
    }
}

/// The address of a rule's documentation.
pub fn rule_help_uri(rule: &RuleMeta) -> String {
    format!(
        "https://github.com/kubeward/kubeward/blob/main/docs/rules.md#{}",
        rule.id.to_ascii_lowercase()
    )
}
