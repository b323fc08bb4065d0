//! `kubeward db update`: downloads each ecosystem's `all.zip` from a mirror
//! (`<mirror>/<ecosystem>/all.zip`, osv.dev's layout), asking only for what
//! changed (`If-None-Match` with the entity tag of the last download), and
//! builds a new database from the downloads plus what the old one held for the
//! unchanged ecosystems and for those not asked for (or not on the mirror). Downloads go to temporary files beside the database,
//! bounded in size, and are removed afterwards.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::import::{Builder, ImportError};
use crate::store::{DbInfo, Store};
use kubeward_net::client::{HttpOptions, agent, percent_encode};

/// osv.dev's public bucket of exports.
pub const DEFAULT_MIRROR: &str = "https://osv-vulnerabilities.storage.googleapis.com";
/// The ecosystems updated when none are named.
pub const DEFAULT_ECOSYSTEMS: &[&str] = &[
    "Debian",
    "Ubuntu",
    "Alpine",
    "Rocky Linux",
    "AlmaLinux",
    "crates.io",
    "npm",
    "PyPI",
    "Go",
    "Maven",
];
/// The largest export accepted (npm's, the largest, is a few hundred MB).
pub const MAX_EXPORT_BYTES: u64 = 4 << 30;

#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("{url}: {message}")]
    Download { url: String, message: String },
    #[error(
        "cannot reach the mirror {mirror} ({message}): name a reachable one with --mirror, build the database from downloaded exports with `kubeward db import`, or scan images without it (`kubeward image scan --skip-vulnerabilities`)"
    )]
    Unreachable { mirror: String, message: String },
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error("{0}")]
    Setup(String),
}

/// What happened to each ecosystem.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Downloaded {
        bytes: u64,
    },
    Unchanged,
    /// The mirror has no export of it (HTTP 404): skipped, and what the
    /// database had for it kept.
    NotOnMirror,
}

#[derive(Debug)]
pub struct UpdateReport {
    pub info: DbInfo,
    pub outcomes: Vec<(String, Outcome)>,
    pub skipped: Vec<String>,
}

/// Removes the downloads when dropped, whatever happens.
struct Downloads(Vec<PathBuf>);

impl Drop for Downloads {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = std::fs::remove_file(p);
        }
    }
}

pub fn update(
    db: &Path,
    mirror: &str,
    ecosystems: &[String],
    http: &HttpOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<UpdateReport, UpdateError> {
    let agent = agent(http).map_err(|e| UpdateError::Setup(e.to_string()))?;
    let old = Store::open(db).ok();
    let dir = db
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| UpdateError::Setup(format!("{}: {e}", dir.display())))?;
    let mut downloads = Downloads(Vec::new());
    let mut builder = Builder::create(db)?;
    let mut outcomes = Vec::new();
    for ecosystem in ecosystems {
        let url = format!(
            "{}/{}/all.zip",
            mirror.trim_end_matches('/'),
            percent_encode(ecosystem)
        );
        let fail = |message: String| UpdateError::Download {
            url: url.clone(),
            message,
        };
        progress(&format!("fetching {url}"));
        let previous = old
            .as_ref()
            .and_then(|s| s.info().ecosystems.get(ecosystem));
        let mut request = agent.get(&url);
        if let Some(etag) = previous.and_then(|p| p.etag.as_deref()) {
            request = request.header("If-None-Match", etag);
        }
        // With HTTP statuses returned as responses, an error here is the
        // transport's: no route, no DNS, a refused connection or TLS.
        let mut response = request.call().map_err(|e| UpdateError::Unreachable {
            mirror: mirror.to_owned(),
            message: e.to_string(),
        })?;
        let status = response.status().as_u16();
        if status == 404 {
            outcomes.push((ecosystem.clone(), Outcome::NotOnMirror));
            continue;
        }
        if status == 304 {
            if let Some(old) = &old {
                builder.carry_over(old, ecosystem)?;
            }
            outcomes.push((ecosystem.clone(), Outcome::Unchanged));
            continue;
        }
        if status != 200 {
            return Err(fail(format!("HTTP status {status}")));
        }
        let etag = response
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let path = dir.join(format!(
            ".kubeward-download-{}-{}.zip",
            std::process::id(),
            downloads.0.len()
        ));
        downloads.0.push(path.clone());
        let mut file = File::create(&path).map_err(|e| fail(format!("{}: {e}", path.display())))?;
        let mut body = response
            .body_mut()
            .with_config()
            .limit(MAX_EXPORT_BYTES)
            .reader();
        let bytes = io::copy(&mut body, &mut file).map_err(|e| fail(e.to_string()))?;
        file.flush().map_err(|e| fail(e.to_string()))?;
        drop(file);
        builder.add_path(&path, Some(ecosystem))?;
        builder.set_origin(ecosystem, &url, etag);
        outcomes.push((ecosystem.clone(), Outcome::Downloaded { bytes }));
    }
    // Ecosystems not asked for (or not on the mirror) stay as they were.
    if let Some(old) = &old {
        builder.keep_others(old)?;
    }
    let skipped = std::mem::take(&mut builder.skipped);
    drop(old);
    let info = builder.finish()?;
    Ok(UpdateReport {
        info,
        outcomes,
        skipped,
    })
}
