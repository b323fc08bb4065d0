//! `kubeward dockerfile lint`.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use kubeward_core::bounded;
use kubeward_core::config::Threshold;
use kubeward_core::load::{self, Excludes, Input};
use kubeward_core::{Diagnostic, Severity};
use kubeward_dockerfile::rules;
use kubeward_report::{Format, Report, TextOptions, render};

use crate::cli::ColorWhen;
use crate::output::{self, tell, write_report};

/// The largest Dockerfile read.
const MAX_DOCKERFILE_BYTES: u64 = 16 << 20;

#[derive(Debug, Args)]
pub(crate) struct DockerfileArgs {
    #[command(subcommand)]
    pub command: DockerfileCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum DockerfileCommand {
    /// Lint Dockerfiles (`-` for standard input).
    Lint(LintArgs),
}

#[derive(Debug, Args)]
pub(crate) struct LintArgs {
    /// Dockerfiles, `-` for standard input, or directories to walk for files
    /// named `Dockerfile`, `Containerfile`, `Dockerfile.*` or `*.Dockerfile`.
    #[arg(value_name = "PATH", default_value = "Dockerfile")]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(short, long, default_value = "text", value_parser = clap::value_parser!(Format))]
    pub format: Format,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_name = "SEVERITY", default_value = "high")]
    pub fail_on: Threshold,
    /// Build context directory, where `.dockerignore` is looked for [default: each Dockerfile's directory].
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
    /// Do not run these rules (ids or slugs).
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// List suppressed findings in text output.
    #[arg(long)]
    pub show_suppressed: bool,
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[arg(short, long)]
    pub quiet: bool,
}

pub(crate) fn run(args: DockerfileArgs, color: ColorWhen) -> u8 {
    let DockerfileCommand::Lint(args) = args.command;
    for name in &args.ignore {
        if rules::find(name).is_none() {
            output::error(&format!("unknown rule `{name}` (see `kubeward rules`)"));
            return 2;
        }
    }
    let active: Vec<_> = rules::ALL
        .iter()
        .copied()
        .filter(|r| !args.ignore.iter().any(|i| r.meta.is_named(i)))
        .collect();
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    let mut notices = Vec::new();
    let mut instructions = 0;
    // A directory stands for the Dockerfiles in it, as `scan` walks one for manifests.
    let (inputs, walk_errors) = load::discover_named(
        &args.files,
        &Excludes::default(),
        kubeward_dockerfile::is_dockerfile_name,
    );
    errors.extend(walk_errors);
    for input in &inputs {
        let name = input.name();
        let (file, text) = match input {
            Input::Stdin => (
                Path::new("-"),
                bounded::read_text_from(std::io::stdin().lock(), MAX_DOCKERFILE_BYTES),
            ),
            Input::File(path) => (
                path.as_path(),
                bounded::read_text(path, MAX_DOCKERFILE_BYTES),
            ),
        };
        let text = match text {
            Ok(t) => t,
            Err(e) => {
                errors.push(Diagnostic::new(name, None, e.to_string()));
                continue;
            }
        };
        let context = args
            .context
            .clone()
            .or_else(|| file.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| PathBuf::from("."));
        let context = if context.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            context
        };
        let mut result = kubeward_dockerfile::lint(
            &name,
            &text,
            context.join(".dockerignore").is_file(),
            &active,
        );
        instructions += result.instructions;
        findings.append(&mut result.findings);
        errors.append(&mut result.errors);
        notices.append(&mut result.notices);
    }
    tell(&errors, &notices, args.quiet);
    let metas: Vec<_> = active.iter().map(|r| (&r.meta, r.meta.severity)).collect();
    let report = Report {
        tool_version: env!("CARGO_PKG_VERSION"),
        findings: &findings,
        rules: &metas,
        errors: &errors,
        notices: &notices,
        inputs: inputs.len(),
        objects: instructions,
        object_noun: "instruction",
        fail_on: match args.fail_on {
            Threshold::At(s) => Some(s),
            Threshold::Never => None::<Severity>,
        },
    };
    let text = TextOptions {
        show_suppressed: args.show_suppressed,
    };
    match write_report(
        args.output.as_deref(),
        color,
        args.format == Format::Text,
        |out| render(&report, args.format, text, out),
    ) {
        Ok(()) => report.exit_code(),
        Err(code) => code,
    }
}
