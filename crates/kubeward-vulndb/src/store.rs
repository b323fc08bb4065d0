//! The local advisory store: one redb file with three tables.
//!
//! - `packages`: `"<ecosystem>\0<name>"` → the affected entries naming that
//!   package (postcard-encoded `Vec<AffectedEntry>`), so that scanning a
//!   package is one point lookup;
//! - `advisories`: advisory id → what a report shows of it (postcard `Advisory`);
//! - `meta`: `"info"` → [`DbInfo`] as JSON (what was imported, from where, when).
//!
//! Readers open the file read-only (many scans may share it); writers never
//! modify it in place: [`crate::import`] builds a new file and renames it over
//! the old one, so that a crash mid-import leaves the old database whole.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use redb::{ReadableDatabase, TableDefinition};
use serde::{Deserialize, Serialize};

use crate::cvss::Severity;
use crate::ecosystem::package_key;
use crate::range::{AffectedEntry, Verdict};

pub(crate) const PACKAGES: TableDefinition<&str, &[u8]> = TableDefinition::new("packages");
pub(crate) const ADVISORIES: TableDefinition<&str, &[u8]> = TableDefinition::new("advisories");
pub(crate) const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
pub(crate) const INFO_KEY: &str = "info";
/// Bumped when the tables' encoding changes; older files must be re-imported.
pub const SCHEMA_VERSION: u32 = 1;

/// What a report shows of an advisory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Advisory {
    pub id: String,
    /// Other ids of the same vulnerability (CVE ids first).
    pub aliases: Vec<String>,
    pub summary: String,
    pub severity: Severity,
    pub published: Option<String>,
    pub modified: String,
    /// The advisory's own page, when the record names one.
    pub url: Option<String>,
}

/// What was imported into a database.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DbInfo {
    pub schema: u32,
    /// When the file was built (seconds since the Unix epoch).
    pub built_at: u64,
    /// Per ecosystem base name (`Debian`, `npm` …).
    pub ecosystems: BTreeMap<String, EcosystemInfo>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EcosystemInfo {
    pub advisories: u64,
    pub packages: u64,
    /// The newest `modified` timestamp among its advisories (RFC 3339).
    pub newest_modified: String,
    /// Where it came from: a file path or a URL.
    pub source: String,
    /// When it was imported (seconds since the Unix epoch).
    pub imported_at: u64,
    /// The HTTP entity tag of the download, for conditional updates.
    pub etag: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{path}: no vulnerability database here (run `kubeward db update` or `kubeward db import`)"
    )]
    Missing { path: PathBuf },
    #[error("{path}: {message}")]
    Corrupt { path: PathBuf, message: String },
    #[error(
        "{path}: built by another kubeward (schema {found}, expected {SCHEMA_VERSION}); import it again"
    )]
    Schema { path: PathBuf, found: u32 },
}

/// A read-only view of a database file.
pub struct Store {
    path: PathBuf,
    db: redb::ReadOnlyDatabase,
    info: DbInfo,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// One advisory that affects one package version.
#[derive(Clone, Debug, PartialEq)]
pub struct Match {
    pub advisory: Advisory,
    /// The ecosystem of the affected entry that matched.
    pub ecosystem: String,
    /// The version that fixes it, if there is one.
    pub fixed: Option<String>,
}

impl Store {
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if !path.is_file() {
            return Err(StoreError::Missing {
                path: path.to_owned(),
            });
        }
        let corrupt = |message: String| StoreError::Corrupt {
            path: path.to_owned(),
            message,
        };
        let db = redb::ReadOnlyDatabase::open(path).map_err(|e| corrupt(e.to_string()))?;
        let info = {
            let txn = db.begin_read().map_err(|e| corrupt(e.to_string()))?;
            let meta = txn.open_table(META).map_err(|e| corrupt(e.to_string()))?;
            let raw = meta
                .get(INFO_KEY)
                .map_err(|e| corrupt(e.to_string()))?
                .ok_or_else(|| corrupt("no import information".to_owned()))?;
            let info: DbInfo =
                serde_json::from_slice(raw.value()).map_err(|e| corrupt(e.to_string()))?;
            info
        };
        if info.schema != SCHEMA_VERSION {
            return Err(StoreError::Schema {
                path: path.to_owned(),
                found: info.schema,
            });
        }
        Ok(Store {
            path: path.to_owned(),
            db,
            info,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn read(&self) -> Result<redb::ReadTransaction, StoreError> {
        self.db.begin_read().map_err(|e| self.corrupt(e))
    }

    pub fn info(&self) -> &DbInfo {
        &self.info
    }

    fn corrupt(&self, message: impl ToString) -> StoreError {
        StoreError::Corrupt {
            path: self.path.clone(),
            message: message.to_string(),
        }
    }

    /// The affected entries recorded for a package.
    pub fn affected(&self, ecosystem: &str, name: &str) -> Result<Vec<AffectedEntry>, StoreError> {
        let txn = self.db.begin_read().map_err(|e| self.corrupt(e))?;
        let table = txn.open_table(PACKAGES).map_err(|e| self.corrupt(e))?;
        let Some(raw) = table
            .get(package_key(ecosystem, name).as_str())
            .map_err(|e| self.corrupt(e))?
        else {
            return Ok(Vec::new());
        };
        postcard::from_bytes(raw.value()).map_err(|e| self.corrupt(e))
    }

    pub fn advisory(&self, id: &str) -> Result<Option<Advisory>, StoreError> {
        let txn = self.db.begin_read().map_err(|e| self.corrupt(e))?;
        let table = txn.open_table(ADVISORIES).map_err(|e| self.corrupt(e))?;
        match table.get(id).map_err(|e| self.corrupt(e))? {
            Some(raw) => postcard::from_bytes(raw.value())
                .map(Some)
                .map_err(|e| self.corrupt(e)),
            None => Ok(None),
        }
    }

    /// The advisories affecting `name` at `version`, looked up under each of
    /// `ecosystems` (e.g. `["Ubuntu:22.04:LTS", "Ubuntu:22.04"]`), one per id.
    pub fn matches(
        &self,
        ecosystems: &[String],
        name: &str,
        version: &str,
    ) -> Result<Vec<Match>, StoreError> {
        let mut out: Vec<Match> = Vec::new();
        for ecosystem in ecosystems {
            for entry in self.affected(ecosystem, name)? {
                let Verdict::Affected { fixed } = entry.evaluate(version) else {
                    continue;
                };
                if out.iter().any(|m| m.advisory.id == entry.id) {
                    continue;
                }
                let Some(advisory) = self.advisory(&entry.id)? else {
                    continue;
                };
                out.push(Match {
                    advisory,
                    ecosystem: entry.ecosystem,
                    fixed,
                });
            }
        }
        Ok(out)
    }
}

/// Where the database lives unless `--db` says otherwise: `$KUBEWARD_DB`, else
/// `$XDG_CACHE_HOME/kubeward/vulnerabilities.redb`, else
/// `~/.cache/kubeward/vulnerabilities.redb`.
pub fn default_path() -> PathBuf {
    if let Some(p) = std::env::var_os("KUBEWARD_DB") {
        return PathBuf::from(p);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| PathBuf::from("."));
    cache.join("kubeward").join("vulnerabilities.redb")
}
