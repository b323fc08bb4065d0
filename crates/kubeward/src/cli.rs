//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use kubeward_core::config::Threshold;
use kubeward_report::{CatalogueFormat, Format};
use kubeward_workload::pss::{Level, Version};

#[derive(Debug, Parser)]
#[command(
    name = "kubeward",
    version,
    about = "Kubernetes security from one binary",
    long_about = "kubeward checks Kubernetes manifests against hardening rules (CIS, Pod Security \
                  Standards, OWASP Kubernetes Top 10) and the Pod Security Standards.\n\n\
                  Exit codes: 0 nothing at or above the threshold, 1 findings at or above it, \
                  2 usage or input error."
)]
pub(crate) struct Cli {
    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Scan manifests (files, directories, `-` for stdin) with the hardening rules.
    Scan(ScanArgs),
    /// Report the Pod Security Standards level each workload meets.
    Pss(PssArgs),
    /// List the rules.
    Rules(RulesArgs),
    /// Print one rule's documentation.
    Explain(ExplainArgs),
    /// Run the admission server: validating and mutating webhooks and the
    /// ImagePolicyWebhook backend, over HTTPS.
    Serve(ServeArgs),
    /// Scan container images: packages, vulnerabilities, tampering, configuration; SBOMs.
    Image(crate::commands::image::ImageArgs),
    /// Manage the local vulnerability database (OSV advisories).
    Db(crate::commands::db::DbArgs),
    /// Lint Dockerfiles with the image hardening rules.
    Dockerfile(crate::commands::dockerfile::DockerfileArgs),
}

#[derive(Debug, Args)]
pub(crate) struct OutputArgs {
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print no notices (skipped documents, unknown ignore names) on standard error.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ScanArgs {
    /// Files, directories (searched for .yaml, .yml and .json) or `-` for stdin.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(short, long, default_value = "text", value_parser = clap::value_parser!(Format))]
    pub format: Format,
    /// Lowest severity that makes the exit code 1 (critical, high, medium, low,
    /// info, or none) [default: high, or the config's `fail-on`].
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<Threshold>,
    /// Configuration file [default: kubeward.toml in the first scanned
    /// directory that has one, else in the working directory].
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Run only these rules (ids or slugs); adds to the config's `select`.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not run these rules (ids or slugs); adds to the config's `ignore`.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Allow images from this registry (host or host/path); adds to the config's list.
    #[arg(long, value_name = "REGISTRY")]
    pub allowed_registry: Vec<String>,
    /// Leave out paths matching this glob when walking directories; adds to the config's list.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// List suppressed findings in text output (they are always counted).
    #[arg(long)]
    pub show_suppressed: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum PssFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct PssArgs {
    /// Files, directories or `-` for stdin.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Exit with 1 when any workload falls below this level.
    #[arg(long, value_name = "LEVEL", value_parser = clap::value_parser!(Level))]
    pub level: Option<Level>,
    /// Policy version: `v1.N` or `latest`.
    #[arg(long = "version", value_name = "VERSION", default_value = "latest", value_parser = clap::value_parser!(Version))]
    pub policy_version: Version,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = PssFormat::Text)]
    pub format: PssFormat,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    /// Output format: text, json or markdown.
    #[arg(short, long, default_value = "text", value_parser = clap::value_parser!(CatalogueFormat))]
    pub format: CatalogueFormat,
}

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// Rule id or slug.
    pub rule: String,
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8443, or `[serve] listen`].
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// PEM certificate chain to serve (re-read when it changes on disk).
    #[arg(long, value_name = "FILE")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key of the certificate.
    #[arg(long, value_name = "FILE")]
    pub tls_key: Option<PathBuf>,
    /// Configuration file [default: kubeward.toml in the working directory or a parent].
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Namespace manifests (file or directory) whose Pod Security labels set
    /// each namespace's levels [default: `[serve] namespaces`].
    #[arg(long, value_name = "PATH")]
    pub namespaces: Option<PathBuf>,
}
