//! `kubeward db`: import, update and describe the vulnerability database.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use kubeward_net::client::HttpOptions;
use kubeward_vulndb::store::{self, Store};
use kubeward_vulndb::update::{self, DEFAULT_ECOSYSTEMS, DEFAULT_MIRROR, Outcome};

use crate::cli::ColorWhen;
use crate::output::{self, write_report};

#[derive(Debug, Args)]
pub(crate) struct DbArgs {
    #[command(subcommand)]
    pub command: DbCommand,
}

#[derive(Debug, Args)]
pub(crate) struct DbPath {
    /// Database file [default: $KUBEWARD_DB, else ~/.cache/kubeward/vulnerabilities.redb].
    #[arg(long, value_name = "FILE", global = true)]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum DbCommand {
    /// Add OSV exports to the database (all.zip files, JSON records, or directories of them); each ecosystem they hold replaces the old one.
    Import {
        #[arg(value_name = "PATH", required = true)]
        inputs: Vec<PathBuf>,
        /// Build the database from these inputs alone, dropping every other ecosystem.
        #[arg(long)]
        replace: bool,
        #[command(flatten)]
        path: DbPath,
    },
    /// Download ecosystems' all.zip exports from a mirror; the ecosystems not named are kept.
    Update {
        /// Base URL of the exports (`<mirror>/<ecosystem>/all.zip`) [default: osv.dev's bucket, or $KUBEWARD_DB_MIRROR].
        #[arg(long, value_name = "URL")]
        mirror: Option<String>,
        /// Ecosystems to fetch (repeatable) [default: Debian, Ubuntu, Alpine, Rocky Linux, AlmaLinux, crates.io, npm, PyPI, Go, Maven].
        #[arg(long = "ecosystem", value_name = "NAME")]
        ecosystems: Vec<String>,
        /// Trust only the CA certificates in this PEM file (an internal mirror).
        #[arg(long, value_name = "FILE")]
        ca_cert: Option<PathBuf>,
        #[command(flatten)]
        path: DbPath,
        #[arg(short, long)]
        quiet: bool,
    },
    /// Show what the database holds and how old it is.
    Info {
        #[arg(short, long, value_enum, default_value_t = InfoFormat::Text)]
        format: InfoFormat,
        #[command(flatten)]
        path: DbPath,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum InfoFormat {
    Text,
    Json,
}

fn db_path(path: &DbPath) -> PathBuf {
    path.db.clone().unwrap_or_else(store::default_path)
}

pub(crate) fn run(args: DbArgs, color: ColorWhen) -> u8 {
    match args.command {
        DbCommand::Import {
            inputs,
            replace,
            path,
        } => {
            let db = db_path(&path);
            match kubeward_vulndb::import::import(&db, &inputs, replace) {
                Ok((info, skipped)) => {
                    for s in &skipped {
                        output::error(s);
                    }
                    let total: u64 = info.ecosystems.values().map(|e| e.advisories).sum();
                    output::notice(&format!(
                        "{}: {total} advisories in {} ecosystems",
                        db.display(),
                        info.ecosystems.len()
                    ));
                    if skipped.is_empty() { 0 } else { 2 }
                }
                Err(e) => {
                    output::error(&e.to_string());
                    2
                }
            }
        }
        DbCommand::Update {
            mirror,
            ecosystems,
            ca_cert,
            path,
            quiet,
        } => {
            let db = db_path(&path);
            let mirror = mirror
                .or_else(|| std::env::var("KUBEWARD_DB_MIRROR").ok())
                .unwrap_or_else(|| DEFAULT_MIRROR.to_owned());
            let ecosystems = if ecosystems.is_empty() {
                DEFAULT_ECOSYSTEMS.iter().map(|e| (*e).to_owned()).collect()
            } else {
                ecosystems
            };
            let http = HttpOptions {
                ca_file: ca_cert,
                ..HttpOptions::default()
            };
            let mut progress = |m: &str| {
                if !quiet {
                    output::notice(m);
                }
            };
            match update::update(&db, &mirror, &ecosystems, &http, &mut progress) {
                Ok(report) => {
                    for s in &report.skipped {
                        output::error(s);
                    }
                    if !quiet {
                        for (eco, outcome) in &report.outcomes {
                            match outcome {
                                Outcome::Downloaded { bytes } => {
                                    output::notice(&format!("{eco}: downloaded {bytes} bytes"))
                                }
                                Outcome::Unchanged => output::notice(&format!("{eco}: unchanged")),
                                Outcome::NotOnMirror => output::notice(&format!(
                                    "{eco}: not on the mirror; skipped (what the database had is kept)"
                                )),
                            }
                        }
                    }
                    if report.skipped.is_empty() { 0 } else { 2 }
                }
                Err(e) => {
                    output::error(&e.to_string());
                    2
                }
            }
        }
        DbCommand::Info { format, path } => {
            let db = db_path(&path);
            let store = match Store::open(&db) {
                Ok(s) => s,
                Err(e) => {
                    output::error(&e.to_string());
                    return 2;
                }
            };
            let info = store.info();
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            let size = std::fs::metadata(&db).map_or(0, |m| m.len());
            let written = write_report(None, color, false, |out: &mut dyn Write| match format {
                InfoFormat::Json => {
                    let doc = serde_json::json!({
                        "path": db.display().to_string(),
                        "size": size,
                        "built_at": info.built_at,
                        "age_seconds": now.saturating_sub(info.built_at),
                        "ecosystems": info.ecosystems,
                    });
                    serde_json::to_writer_pretty(&mut *out, &doc)?;
                    writeln!(out)
                }
                InfoFormat::Text => {
                    writeln!(
                        out,
                        "{} ({size} bytes), built {} hours ago",
                        db.display(),
                        now.saturating_sub(info.built_at) / 3600
                    )?;
                    for (name, e) in &info.ecosystems {
                        writeln!(
                            out,
                            "  {name:<12} {:>8} advisories  {:>7} packages  newest {}  from {}",
                            e.advisories, e.packages, e.newest_modified, e.source
                        )?;
                    }
                    Ok(())
                }
            });
            match written {
                Ok(()) => 0,
                Err(code) => code,
            }
        }
    }
}
