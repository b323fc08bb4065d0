//! Building a database from OSV exports: `all.zip` files (as osv.dev
//! publishes per ecosystem), single `.json` records, or directories of either.
//!
//! A build always writes a new file beside the target and renames it over the
//! target once committed, so that readers see the old database or the new one,
//! never half of one, and a crash leaves the old one intact.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::cvss;
use crate::ecosystem::package_key;
use crate::osv::{self, Record};
use crate::range::{AffectedEntry, Event, Range, RangeKind};
use crate::store::{
    ADVISORIES, Advisory, DbInfo, EcosystemInfo, INFO_KEY, META, PACKAGES, SCHEMA_VERSION, Store,
};

/// Records larger than this are refused (the largest real ones are ~1 MB).
pub const MAX_RECORD_BYTES: u64 = 16 << 20;
/// Summaries are cut to this many characters; reports link to the advisory.
const MAX_SUMMARY_CHARS: usize = 300;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: {message}")]
    Input { path: String, message: String },
    #[error("{path}: cannot write the database: {message}")]
    Write { path: PathBuf, message: String },
}

fn input_error(path: &Path, message: impl ToString) -> ImportError {
    ImportError::Input {
        path: path.display().to_string(),
        message: message.to_string(),
    }
}

/// The base of an OSV ecosystem (`Debian` of `Debian:12`).
pub fn ecosystem_base(ecosystem: &str) -> &str {
    ecosystem.split(':').next().unwrap_or(ecosystem)
}

pub(crate) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Accumulates advisories before they are written in one transaction.
#[derive(Debug, Default)]
pub struct Builder {
    packages: HashMap<String, Vec<AffectedEntry>>,
    /// (id, package key) pairs already recorded: the same record appears in
    /// several exports when it affects several ecosystems.
    seen: HashSet<(String, String)>,
    advisories: HashMap<String, Advisory>,
    ecosystems: BTreeMap<String, EcosystemInfo>,
    /// Records that could not be read: `source: message`.
    pub skipped: Vec<String>,
}

impl Builder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one record's entries. `only` limits them to one ecosystem base
    /// (an export's own ecosystem); `source` names where the record came from.
    pub fn add(&mut self, record: Record, only: Option<&str>, source: &str) {
        if record.withdrawn.is_some() {
            return;
        }
        let mut used = false;
        for affected in &record.affected {
            let Some(package) = &affected.package else {
                continue;
            };
            if package.ecosystem.is_empty() || package.name.is_empty() {
                continue;
            }
            let base = ecosystem_base(&package.ecosystem);
            if only.is_some_and(|o| o != base) {
                continue;
            }
            let key = package_key(&package.ecosystem, &package.name);
            if !self.seen.insert((record.id.clone(), key.clone())) {
                continue;
            }
            used = true;
            let entry = AffectedEntry {
                id: record.id.clone(),
                ecosystem: package.ecosystem.clone(),
                ranges: affected.ranges.iter().filter_map(convert_range).collect(),
                versions: affected.versions.clone(),
            };
            let is_new_key = !self.packages.contains_key(&key);
            self.packages.entry(key).or_default().push(entry);
            let info = self.ecosystems.entry(base.to_owned()).or_default();
            info.source = source.to_owned();
            if is_new_key {
                info.packages += 1;
            }
            if record.modified > info.newest_modified {
                info.newest_modified.clone_from(&record.modified);
            }
        }
        if !used || self.advisories.contains_key(&record.id) {
            return;
        }
        for a in &record.affected {
            if let Some(p) = &a.package
                && only.is_none_or(|o| o == ecosystem_base(&p.ecosystem))
            {
                self.ecosystems
                    .entry(ecosystem_base(&p.ecosystem).to_owned())
                    .or_default()
                    .advisories += 1;
                break;
            }
        }
        let advisory = advisory_of(&record);
        self.advisories.insert(record.id, advisory);
    }

    /// Adds every record of an input: a zip, a JSON file, or a directory.
    pub fn add_path(&mut self, path: &Path, only: Option<&str>) -> Result<usize, ImportError> {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| input_error(path, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            let mut count = 0;
            for entry in entries {
                let ext = entry.extension().and_then(|e| e.to_str()).unwrap_or("");
                if entry.is_dir() || ext == "zip" || ext == "json" {
                    count += self.add_path(&entry, only)?;
                }
            }
            return Ok(count);
        }
        let source = path.display().to_string();
        let mut file = File::open(path).map_err(|e| input_error(path, e))?;
        if path.extension().is_some_and(|e| e == "json") {
            let bytes = read_bounded(&mut file).map_err(|m| input_error(path, m))?;
            let record = Record::parse(&bytes).map_err(|e| input_error(path, e))?;
            self.add(record, only, &source);
            return Ok(1);
        }
        let mut archive = zip::ZipArchive::new(file).map_err(|e| input_error(path, e))?;
        let mut count = 0;
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).map_err(|e| input_error(path, e))?;
            if !entry.is_file() || !entry.name().ends_with(".json") {
                continue;
            }
            let name = entry.name().to_owned();
            let record =
                read_bounded(&mut entry).and_then(|b| Record::parse(&b).map_err(|e| e.to_string()));
            match record {
                Ok(record) => {
                    self.add(record, only, &source);
                    count += 1;
                }
                Err(message) => self.skipped.push(format!("{source}: {name}: {message}")),
            }
        }
        Ok(count)
    }

    /// Copies from an existing database everything recorded for the
    /// ecosystem `base` (an unchanged export in an update).
    pub fn carry_over(&mut self, old: &Store, base: &str) -> Result<(), ImportError> {
        let fail = |e: &dyn std::fmt::Display| input_error(old.path(), e);
        let txn = old.read().map_err(|e| fail(&e))?;
        let packages = txn.open_table(PACKAGES).map_err(|e| fail(&e))?;
        let advisories = txn.open_table(ADVISORIES).map_err(|e| fail(&e))?;
        let prefix = base;
        for row in packages.range(prefix..).map_err(|e| fail(&e))? {
            let (key, value) = row.map_err(|e| fail(&e))?;
            let key = key.value();
            let ecosystem = key.split('\u{0}').next().unwrap_or("");
            if ecosystem_base(ecosystem) != base {
                if !key.starts_with(prefix) {
                    break;
                }
                continue;
            }
            let entries: Vec<AffectedEntry> =
                postcard::from_bytes(value.value()).map_err(|e| fail(&e))?;
            for entry in entries {
                if !self.seen.insert((entry.id.clone(), key.to_owned())) {
                    continue;
                }
                if !self.advisories.contains_key(&entry.id)
                    && let Some(raw) = advisories.get(entry.id.as_str()).map_err(|e| fail(&e))?
                {
                    let advisory: Advisory =
                        postcard::from_bytes(raw.value()).map_err(|e| fail(&e))?;
                    self.advisories.insert(entry.id.clone(), advisory);
                }
                self.packages.entry(key.to_owned()).or_default().push(entry);
            }
        }
        if let Some(info) = old.info().ecosystems.get(base) {
            self.ecosystems.insert(base.to_owned(), info.clone());
        }
        Ok(())
    }

    /// Records where an ecosystem came from (a URL, its entity tag).
    pub fn set_origin(&mut self, base: &str, source: &str, etag: Option<String>) {
        let info = self.ecosystems.entry(base.to_owned()).or_default();
        info.source = source.to_owned();
        info.etag = etag;
        info.imported_at = now();
    }

    pub fn advisories(&self) -> usize {
        self.advisories.len()
    }

    /// Writes the database to a new file beside `path` and renames it over
    /// `path`.
    pub fn write(mut self, path: &Path) -> Result<DbInfo, ImportError> {
        let write_error = |e: &dyn std::fmt::Display| ImportError::Write {
            path: path.to_owned(),
            message: e.to_string(),
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| write_error(&e))?;
        }
        let tmp = temp_path(path);
        let _ = std::fs::remove_file(&tmp);
        let imported_at = now();
        for info in self.ecosystems.values_mut() {
            if info.imported_at == 0 {
                info.imported_at = imported_at;
            }
        }
        let info = DbInfo {
            schema: SCHEMA_VERSION,
            built_at: imported_at,
            ecosystems: std::mem::take(&mut self.ecosystems),
        };
        let result = (|| -> Result<(), String> {
            let db = redb::Database::create(&tmp).map_err(|e| e.to_string())?;
            let txn = db.begin_write().map_err(|e| e.to_string())?;
            {
                let mut packages = txn.open_table(PACKAGES).map_err(|e| e.to_string())?;
                let mut keys: Vec<&String> = self.packages.keys().collect();
                keys.sort();
                let mut buf = Vec::new();
                for key in keys {
                    buf.clear();
                    buf =
                        postcard::to_extend(&self.packages[key], buf).map_err(|e| e.to_string())?;
                    packages
                        .insert(key.as_str(), buf.as_slice())
                        .map_err(|e| e.to_string())?;
                }
                let mut advisories = txn.open_table(ADVISORIES).map_err(|e| e.to_string())?;
                for (id, advisory) in &self.advisories {
                    buf.clear();
                    buf = postcard::to_extend(advisory, buf).map_err(|e| e.to_string())?;
                    advisories
                        .insert(id.as_str(), buf.as_slice())
                        .map_err(|e| e.to_string())?;
                }
                let mut meta = txn.open_table(META).map_err(|e| e.to_string())?;
                let json = serde_json::to_vec(&info).map_err(|e| e.to_string())?;
                meta.insert(INFO_KEY, json.as_slice())
                    .map_err(|e| e.to_string())?;
            }
            txn.commit().map_err(|e| e.to_string())?;
            Ok(())
        })();
        if let Err(message) = result {
            let _ = std::fs::remove_file(&tmp);
            return Err(write_error(&message));
        }
        std::fs::rename(&tmp, path).map_err(|e| write_error(&e))?;
        // Make the rename itself durable.
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && let Ok(d) = File::open(dir)
        {
            let _ = d.sync_all();
        }
        Ok(info)
    }
}

/// The temporary file a build writes before the rename.
fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}", std::process::id()));
    path.with_file_name(name)
}

fn read_bounded(reader: &mut dyn Read) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_RECORD_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_RECORD_BYTES {
        return Err(format!("record larger than {MAX_RECORD_BYTES} bytes"));
    }
    Ok(bytes)
}

fn convert_range(range: &osv::Range) -> Option<Range> {
    let kind = match range.kind.as_str() {
        "ECOSYSTEM" => RangeKind::Ecosystem,
        "SEMVER" => RangeKind::Semver,
        _ => return None, // GIT ranges name commits, not versions
    };
    let events = range
        .events
        .iter()
        .filter_map(|e| {
            if let Some(v) = &e.introduced {
                Some(Event::Introduced(v.clone()))
            } else if let Some(v) = &e.fixed {
                Some(Event::Fixed(v.clone()))
            } else if let Some(v) = &e.last_affected {
                Some(Event::LastAffected(v.clone()))
            } else {
                e.limit.as_ref().map(|v| Event::Limit(v.clone()))
            }
        })
        .collect();
    Some(Range { kind, events })
}

fn advisory_of(record: &Record) -> Advisory {
    let mut aliases: Vec<String> = record
        .aliases
        .iter()
        .chain(&record.upstream)
        .filter(|a| **a != record.id)
        .cloned()
        .collect();
    aliases.sort_by_key(|a| (!a.starts_with("CVE-"), a.clone()));
    aliases.dedup();
    let text = record
        .summary
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .or(record.details.as_deref())
        .unwrap_or("");
    let first_line = text.lines().next().unwrap_or("").trim();
    let summary: String = first_line.chars().take(MAX_SUMMARY_CHARS).collect();
    let url = record
        .references
        .iter()
        .find(|r| r.kind == "ADVISORY")
        .or_else(|| record.references.iter().find(|r| r.kind == "WEB"))
        .map(|r| r.url.clone());
    Advisory {
        id: record.id.clone(),
        aliases,
        summary,
        severity: cvss::of_record(record),
        published: record.published.clone(),
        modified: record.modified.clone(),
        url,
    }
}

/// `kubeward db import`: builds the database at `db` from the inputs alone.
pub fn import(db: &Path, inputs: &[PathBuf]) -> Result<(DbInfo, Vec<String>), ImportError> {
    let mut builder = Builder::new();
    for input in inputs {
        builder.add_path(input, None)?;
    }
    let skipped = std::mem::take(&mut builder.skipped);
    Ok((builder.write(db)?, skipped))
}
