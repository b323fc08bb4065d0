//! `kubeward image scan` and `kubeward image sbom`.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use kubeward_core::Severity;
use kubeward_core::config::Threshold;
use kubeward_image::layer::Limits;
use kubeward_image::render::{ImageFormat, render};
use kubeward_image::report::{Filter, ImageReport, severity_of};
use kubeward_image::scan::{ScannedImage, scan};
use kubeward_image::source::registry::RegistryOptions;
use kubeward_image::source::{self, Image, Platform};
use kubeward_image::{checks, vulns};
use kubeward_net::client::HttpOptions;
use kubeward_verdict::{ImageVerdictStore, Verdict};
use kubeward_vulndb::cvss::Rating;
use kubeward_vulndb::store::{self, Store, StoreError};

use crate::cli::ColorWhen;
use crate::output::{self, write_report};

#[derive(Debug, Args)]
pub(crate) struct ImageArgs {
    #[command(subcommand)]
    pub command: ImageCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ImageCommand {
    /// Scan an image: packages, vulnerabilities, tamper evidence and configuration checks.
    Scan(ScanArgs),
    /// Write the image's software bill of materials (CycloneDX 1.5 or SPDX 2.3 JSON).
    Sbom(SbomArgs),
}

/// Where the image comes from.
#[derive(Debug, Args)]
pub(crate) struct SourceArgs {
    /// Image reference in a registry (`registry.example.com/app:1.2`, `…@sha256:…`); an existing local file or OCI layout is read as --input.
    #[arg(
        value_name = "REFERENCE",
        required_unless_present = "input",
        conflicts_with = "input"
    )]
    pub reference: Option<String>,
    /// A `docker save` archive, or an OCI image layout directory (`DIR` or `DIR:TAG`).
    #[arg(long, value_name = "PATH")]
    pub input: Option<PathBuf>,
    /// Platform to pick from a multi-platform image.
    #[arg(long, value_name = "OS/ARCH[/VARIANT]", default_value = "linux/amd64", value_parser = clap::value_parser!(Platform))]
    pub platform: Platform,
    /// Registry host (`host:port`) to reach over plain HTTP (repeatable).
    #[arg(long, value_name = "HOST")]
    pub insecure_registry: Vec<String>,
    /// Registry user name (the password is read from standard input with --password-stdin).
    #[arg(long, value_name = "USER", requires = "password_stdin")]
    pub username: Option<String>,
    /// Read the registry password from standard input.
    #[arg(long, requires = "username")]
    pub password_stdin: bool,
    /// Trust only the CA certificates in this PEM file for the registry.
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// Time the reading of the image may take (`90s`, `10m`, `1h`; Trivy's default).
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration)]
    pub timeout: std::time::Duration,
}

/// `N`, `Ns`, `Nm` or `Nh`.
fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let scale = match unit {
        "" | "s" => Some(1),
        "m" => Some(60),
        "h" => Some(3600),
        _ => None,
    };
    scale
        .zip(number.parse::<u64>().ok())
        .and_then(|(scale, n)| n.checked_mul(scale))
        .map(std::time::Duration::from_secs)
        .ok_or_else(|| format!("`{text}`: give seconds, minutes or hours (90s, 10m, 1h)"))
}

#[derive(Debug, Args)]
pub(crate) struct ScanArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Output format: table, json, sarif, cyclonedx or spdx.
    #[arg(short, long, default_value = "table", value_parser = clap::value_parser!(ImageFormat))]
    pub format: ImageFormat,
    /// Show only these severities (critical, high, medium, low, unknown), comma-separated.
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = clap::value_parser!(Rating))]
    pub severity: Vec<Rating>,
    /// Leave out vulnerabilities that have no fixed version yet.
    #[arg(long)]
    pub ignore_unfixed: bool,
    /// Leave out these advisories (ids or aliases) and checks (ids or slugs), comma-separated.
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Lowest severity that makes the exit code 1 (critical, high, medium, low, info or none).
    #[arg(long, value_name = "SEVERITY", default_value = "high")]
    pub fail_on: Threshold,
    /// Vulnerability database [default: $KUBEWARD_DB, else ~/.cache/kubeward/vulnerabilities.redb].
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// List packages and run the checks without looking up vulnerabilities (no database needed).
    #[arg(long)]
    pub skip_vulnerabilities: bool,
    /// Record the verdict by manifest digest in this store, for `kubeward serve`'s /imagepolicy.
    #[arg(long, value_name = "DIR")]
    pub record: Option<PathBuf>,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print no notices on standard error.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub(crate) struct SbomArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// SBOM format: cyclonedx or spdx.
    #[arg(short, long, default_value = "cyclonedx", value_parser = clap::value_parser!(ImageFormat))]
    pub format: ImageFormat,
    /// Write the SBOM to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[arg(short, long)]
    pub quiet: bool,
}

pub(crate) fn run(args: ImageArgs, color: ColorWhen) -> u8 {
    match args.command {
        ImageCommand::Scan(args) => run_scan(args, color),
        ImageCommand::Sbom(args) => run_sbom(args, color),
    }
}

/// Opens the image the arguments name.
fn open(source: &SourceArgs, quiet: bool) -> Result<Image, String> {
    if let Some(input) = &source.input {
        return open_input(input, &source.platform).map_err(|e| e.to_string());
    }
    let reference = source.reference.as_deref().unwrap_or_default();
    if let Some(local) = source::local_reference(reference) {
        if !quiet {
            output::notice(&format!(
                "{reference} is a local file or OCI layout: reading it as --input {reference}"
            ));
        }
        return open_input(local, &source.platform).map_err(|e| e.to_string());
    }
    let credentials = match &source.username {
        Some(user) => {
            let mut password = String::new();
            std::io::stdin()
                .take(64 << 10)
                .read_to_string(&mut password)
                .map_err(|e| format!("--password-stdin: {e}"))?;
            Some((
                user.clone(),
                password.trim_end_matches(['\n', '\r']).to_owned(),
            ))
        }
        None => None,
    };
    let options = RegistryOptions {
        http: HttpOptions {
            ca_file: source.ca_cert.clone(),
            ..HttpOptions::default()
        },
        insecure: source.insecure_registry.clone(),
        credentials,
        docker_config: None,
        platform: source.platform.clone(),
    };
    source::registry::open(reference, &options).map_err(|e| e.to_string())
}

fn open_input(input: &Path, platform: &Platform) -> Result<Image, source::SourceError> {
    if input.is_dir() {
        return source::layout::open(input, None, platform);
    }
    if input.is_file() {
        return source::archive::open(input);
    }
    // `DIR:TAG` names one image of a layout.
    let text = input.to_string_lossy();
    if let Some((dir, tag)) = text.rsplit_once(':')
        && Path::new(dir).is_dir()
    {
        return source::layout::open(Path::new(dir), Some(tag), platform);
    }
    // An archive is read with seeks, so a device or a pipe will not do.
    let why = if input.exists() {
        "neither a regular file (a docker archive) nor a directory (an OCI layout)"
    } else {
        "no such file or directory"
    };
    Err(source::SourceError::Io(format!(
        "{}: {why}",
        input.display()
    )))
}

/// Opens and reads the image, with a progress bar on a terminal.
fn read(source: &SourceArgs, quiet: bool) -> Result<ScannedImage, String> {
    let image = open(source, quiet)?;
    let name = image.reference.clone();
    let tty = !quiet && std::io::stderr().is_terminal();
    let bar = tty.then(|| {
        let bar = indicatif::ProgressBar::new(image.layers.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {msg} [{bar:30}] {pos}/{len} layers",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.set_message(name.clone());
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    });
    let progress = |done: usize, _total: usize| {
        if let Some(b) = &bar {
            b.set_position(done as u64);
        }
    };
    let limits = Limits {
        timeout: source.timeout,
        ..Limits::default()
    };
    let result = scan(image, &limits, &progress).map_err(|e| format!("{name}: {e}"));
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    result
}

fn run_scan(args: ScanArgs, color: ColorWhen) -> u8 {
    let db_path = args.db.clone().unwrap_or_else(store::default_path);
    let store = if args.skip_vulnerabilities {
        None
    } else {
        match Store::open(&db_path) {
            Ok(s) => Some(s),
            // Packages and checks need no database: say once what is missing.
            Err(e @ StoreError::Missing { .. }) => {
                output::notice(&format!("vulnerabilities not checked: {e}"));
                None
            }
            Err(e) => {
                output::error(&format!("{e} (or pass --skip-vulnerabilities)"));
                return 2;
            }
        }
    };
    let image = match read(&args.source, args.quiet) {
        Ok(i) => i,
        Err(e) => {
            output::error(&e);
            return 2;
        }
    };
    if !args.quiet {
        for note in &image.notes {
            output::notice(&format!("{}: {note}", image.reference));
        }
    }
    let found = match &store {
        Some(s) => match vulns::find(s, image.os.as_ref(), &image.packages) {
            Ok(v) => v,
            Err(e) => {
                output::error(&e.to_string());
                return 2;
            }
        },
        None => Vec::new(),
    };
    let filter = Filter {
        severities: args.severity.clone(),
        ignore_unfixed: args.ignore_unfixed,
        ignore: args.ignore.clone(),
    };
    let fail_on = match args.fail_on {
        Threshold::At(s) => Some(s),
        Threshold::Never => None,
    };
    let report = ImageReport {
        tool_version: env!("CARGO_PKG_VERSION"),
        image: &image,
        vulnerabilities: found
            .into_iter()
            .filter(|v| filter.keeps_vulnerability(v))
            .collect(),
        findings: checks::run(&image)
            .into_iter()
            .filter(|f| filter.keeps_finding(f))
            .collect(),
        database: store.as_ref().map(Store::info),
        fail_on,
    };
    if let Some(dir) = &args.record
        && let Err(e) = record(dir, &report)
    {
        output::error(&e);
        return 2;
    }
    let styled = args.format == ImageFormat::Table;
    match write_report(args.output.as_deref(), color, styled, |out| {
        render(&report, args.format, out)
    }) {
        Ok(()) => report.exit_code(),
        Err(code) => code,
    }
}

/// Writes the scan's verdict to the store, by manifest digest (and index
/// digest, when the image was picked from one).
fn record(dir: &Path, report: &ImageReport<'_>) -> Result<(), String> {
    let digest = report
        .image
        .manifest_digest
        .clone()
        .ok_or_else(|| format!("{}: a docker archive has no manifest digest to record a verdict under; scan the registry image or an OCI layout", report.image.reference))?;
    let mut counts: BTreeMap<String, u64> = report
        .counts()
        .iter()
        .map(|(r, n)| (r.as_str().to_owned(), *n as u64))
        .collect();
    counts.insert("findings".into(), report.findings.len() as u64);
    let mut reasons = Vec::new();
    if let Some(t) = report.fail_on {
        let vulns = report
            .vulnerabilities
            .iter()
            .filter(|v| severity_of(v.severity) >= t)
            .count();
        if vulns > 0 {
            reasons.push(format!("{vulns} vulnerabilities at or above {t}"));
        }
        reasons.extend(
            report
                .findings
                .iter()
                .filter(|f| f.rule.severity >= t)
                .map(|f| format!("{} {}: {}", f.rule.id, f.rule.slug, f.path)),
        );
    }
    let mut verdict = Verdict {
        schema: kubeward_verdict::SCHEMA.into(),
        digest,
        reference: report.image.reference.clone(),
        scanned_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        allowed: report.exit_code() == 0,
        fail_on: report.fail_on.map(|s: Severity| s.as_str().to_owned()),
        counts,
        reasons,
    };
    let store = ImageVerdictStore::create(dir).map_err(|e| e.to_string())?;
    store.record(&verdict).map_err(|e| e.to_string())?;
    // Pods often pin the multi-platform index; its digest gets the same verdict.
    if let Some(index) = &report.image.index_digest {
        verdict.digest.clone_from(index);
        store.record(&verdict).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn run_sbom(args: SbomArgs, color: ColorWhen) -> u8 {
    if !matches!(args.format, ImageFormat::CycloneDx | ImageFormat::Spdx) {
        output::error("--format must be cyclonedx or spdx for an SBOM");
        return 2;
    }
    let image = match read(&args.source, args.quiet) {
        Ok(i) => i,
        Err(e) => {
            output::error(&e);
            return 2;
        }
    };
    let report = ImageReport {
        tool_version: env!("CARGO_PKG_VERSION"),
        image: &image,
        vulnerabilities: Vec::new(),
        findings: Vec::new(),
        database: None,
        fail_on: None,
    };
    match write_report(args.output.as_deref(), color, false, |out| {
        render(&report, args.format, out)
    }) {
        Ok(()) => 0,
        Err(code) => code,
    }
}
