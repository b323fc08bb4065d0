//! Building a database from OSV exports: `all.zip` files (as osv.dev
//! publishes per ecosystem), single `.json` records, or directories of either.
//!
//! A build always writes a new file beside the target and renames it over the
//! target once committed, so that readers see the old database or the new one,
//! never half of one, and a crash leaves the old one intact.

use std::collections::BTreeMap;
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
    StoreError,
};
use redb::{ReadableTable, TableDefinition, WriteTransaction};

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

/// The staging table: (package key, advisory id) → one postcard
/// `AffectedEntry`. Entries arrive in record order; the table hands them back
/// grouped by package, in key order, for the final `packages` table.
const STAGED: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("staged");
/// Page cache of each database file a build writes. redb keeps dirty pages
/// within half of it and writes the rest out before commit, so the database
/// side of a build stays within this whatever the size of the exports.
const CACHE_BYTES: usize = 16 << 20;

/// Builds a database as records arrive, in bounded memory.
///
/// Advisories go straight into the new file (beside the target, renamed over
/// it by [`Builder::finish`]). Affected entries go to a staging file first,
/// keyed by package and advisory, because the `packages` table stores all of
/// a package's entries in one row and records name packages in any order.
/// Dropping an unfinished builder removes both files.
pub struct Builder {
    target: PathBuf,
    /// The write transaction of the new file (`advisories`, later `packages`).
    out: WriteTransaction,
    /// The write transaction of the staging file; never committed.
    staged: WriteTransaction,
    ecosystems: BTreeMap<String, EcosystemInfo>,
    /// Records that could not be read: `source: message`.
    pub skipped: Vec<String>,
    /// Last, so that the transactions are closed before the files go.
    files: BuildFiles,
}

impl std::fmt::Debug for Builder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Builder")
            .field("target", &self.target)
            .finish_non_exhaustive()
    }
}

/// The two files of a build, removed when the build ends (after a successful
/// one the new file has already been renamed over the target).
struct BuildFiles {
    tmp: PathBuf,
    staging: PathBuf,
}

impl Drop for BuildFiles {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.tmp);
        let _ = std::fs::remove_file(&self.staging);
    }
}

/// Creates a database file for one build, with the bounded page cache.
fn create_database(path: &Path) -> Result<WriteTransaction, String> {
    let _ = std::fs::remove_file(path);
    let db = redb::Builder::new()
        .set_cache_size(CACHE_BYTES)
        .create(path)
        .map_err(|e| e.to_string())?;
    db.begin_write().map_err(|e| e.to_string())
}

impl Builder {
    /// Starts a build of the database at `path`.
    pub fn create(path: &Path) -> Result<Self, ImportError> {
        let write_error = |message: String| ImportError::Write {
            path: path.to_owned(),
            message,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| write_error(e.to_string()))?;
        }
        // Made first, so that a failure below removes what was created.
        let files = BuildFiles {
            tmp: sibling(path, "tmp"),
            staging: sibling(path, "staging"),
        };
        let out = create_database(&files.tmp).map_err(write_error)?;
        let staged = create_database(&files.staging).map_err(write_error)?;
        Ok(Builder {
            target: path.to_owned(),
            out,
            staged,
            ecosystems: BTreeMap::new(),
            skipped: Vec::new(),
            files,
        })
    }

    /// Adds one record's entries. `only` limits them to one ecosystem base
    /// (an export's own ecosystem); `source` names where the record came from.
    pub fn add(
        &mut self,
        record: &Record,
        only: Option<&str>,
        source: &str,
    ) -> Result<(), ImportError> {
        if record.withdrawn.is_some() {
            return Ok(());
        }
        let mut tables = self.tables()?;
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
            let entry = AffectedEntry {
                id: record.id.clone(),
                ecosystem: package.ecosystem.clone(),
                ranges: affected.ranges.iter().filter_map(convert_range).collect(),
                versions: affected.versions.clone(),
            };
            // The same record appears in several exports when it affects
            // several ecosystems, and may name a package twice.
            if !tables.stage(&package_key(&package.ecosystem, &package.name), &entry)? {
                continue;
            }
            used = true;
            let info = tables.ecosystems.entry(base.to_owned()).or_default();
            info.source = source.to_owned();
            if record.modified > info.newest_modified {
                info.newest_modified.clone_from(&record.modified);
            }
        }
        if !used || tables.has_advisory(&record.id)? {
            return Ok(());
        }
        let encoded = postcard::to_allocvec(&advisory_of(record))
            .map_err(|e| write_error(tables.target, &e))?;
        tables.put_advisory(&record.id, &encoded)?;
        for a in &record.affected {
            if let Some(p) = &a.package
                && only.is_none_or(|o| o == ecosystem_base(&p.ecosystem))
            {
                tables
                    .ecosystems
                    .entry(ecosystem_base(&p.ecosystem).to_owned())
                    .or_default()
                    .advisories += 1;
                break;
            }
        }
        Ok(())
    }

    /// The tables records are written to, opened for one record or one
    /// carried-over ecosystem.
    fn tables(&mut self) -> Result<Tables<'_>, ImportError> {
        let target = &self.target;
        let fail = |e: redb::TableError| write_error(target, &e);
        Ok(Tables {
            staged: self.staged.open_table(STAGED).map_err(fail)?,
            advisories: self.out.open_table(ADVISORIES).map_err(fail)?,
            ecosystems: &mut self.ecosystems,
            target,
            buf: Vec::new(),
        })
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
                    // One unreadable file is skipped and told, as a bad
                    // record inside an archive is; the others still count.
                    match self.add_path(&entry, only) {
                        Ok(added) => count += added,
                        Err(e @ ImportError::Input { .. }) => self.skipped.push(e.to_string()),
                        Err(e) => return Err(e),
                    }
                }
            }
            return Ok(count);
        }
        let source = path.display().to_string();
        let mut file = File::open(path).map_err(|e| input_error(path, e))?;
        if path.extension().is_some_and(|e| e == "json") {
            let bytes = read_bounded(&mut file).map_err(|m| input_error(path, m))?;
            let record = Record::parse(&bytes).map_err(|e| input_error(path, e))?;
            self.add(&record, only, &source)?;
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
                    self.add(&record, only, &source)?;
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
        let read_error = |e: &dyn std::fmt::Display| input_error(old.path(), e);
        let txn = old.read().map_err(|e| read_error(&e))?;
        let packages = txn.open_table(PACKAGES).map_err(|e| read_error(&e))?;
        let old_advisories = txn.open_table(ADVISORIES).map_err(|e| read_error(&e))?;
        let mut tables = self.tables()?;
        let prefix = base;
        for row in packages.range(prefix..).map_err(|e| read_error(&e))? {
            let (key, value) = row.map_err(|e| read_error(&e))?;
            let key = key.value();
            let ecosystem = key.split('\u{0}').next().unwrap_or("");
            if ecosystem_base(ecosystem) != base {
                if !key.starts_with(prefix) {
                    break;
                }
                continue;
            }
            let entries: Vec<AffectedEntry> =
                postcard::from_bytes(value.value()).map_err(|e| read_error(&e))?;
            for entry in entries {
                if !tables.stage(key, &entry)? || tables.has_advisory(&entry.id)? {
                    continue;
                }
                if let Some(raw) = old_advisories
                    .get(entry.id.as_str())
                    .map_err(|e| read_error(&e))?
                {
                    // Decoded only to refuse a damaged row rather than copy it.
                    postcard::from_bytes::<Advisory>(raw.value()).map_err(|e| read_error(&e))?;
                    tables.put_advisory(&entry.id, raw.value())?;
                }
            }
        }
        drop(tables);
        if let Some(info) = old.info().ecosystems.get(base) {
            self.ecosystems.insert(base.to_owned(), info.clone());
        }
        Ok(())
    }

    /// Copies from `old` every ecosystem this build has not written: what an
    /// import or update of some ecosystems leaves as it was.
    pub fn keep_others(&mut self, old: &Store) -> Result<(), ImportError> {
        let others: Vec<String> = old
            .info()
            .ecosystems
            .keys()
            .filter(|base| !self.ecosystems.contains_key(*base))
            .cloned()
            .collect();
        for base in others {
            self.carry_over(old, &base)?;
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

    /// Writes each package's entries in one row, commits the new file and
    /// renames it over the target.
    pub fn finish(self) -> Result<DbInfo, ImportError> {
        let Builder {
            target,
            files,
            out,
            staged,
            mut ecosystems,
            ..
        } = self;
        let fail = |e: &dyn std::fmt::Display| write_error(&target, e);
        let imported_at = now();
        for info in ecosystems.values_mut() {
            if info.imported_at == 0 {
                info.imported_at = imported_at;
            }
            // Counted below, over what was staged and carried over alike.
            info.packages = 0;
        }
        {
            let staged = staged.open_table(STAGED).map_err(|e| fail(&e))?;
            let mut packages = out.open_table(PACKAGES).map_err(|e| fail(&e))?;
            let mut buf = Vec::new();
            let mut flush = |key: &str, entries: &mut Vec<AffectedEntry>| {
                if entries.is_empty() {
                    return Ok(());
                }
                buf.clear();
                buf = postcard::to_extend(&*entries, std::mem::take(&mut buf))
                    .map_err(|e| fail(&e))?;
                entries.clear();
                packages.insert(key, buf.as_slice()).map_err(|e| fail(&e))?;
                let ecosystem = key.split('\u{0}').next().unwrap_or("");
                if let Some(info) = ecosystems.get_mut(ecosystem_base(ecosystem)) {
                    info.packages += 1;
                }
                Ok::<(), ImportError>(())
            };
            // One package's entries at a time: rows come in key order.
            let mut key = String::new();
            let mut entries: Vec<AffectedEntry> = Vec::new();
            for row in staged.iter().map_err(|e| fail(&e))? {
                let (k, value) = row.map_err(|e| fail(&e))?;
                let (package, _) = k.value();
                if package != key {
                    flush(&key, &mut entries)?;
                    package.clone_into(&mut key);
                }
                entries.push(postcard::from_bytes(value.value()).map_err(|e| fail(&e))?);
            }
            flush(&key, &mut entries)?;
        }
        staged.abort().map_err(|e| fail(&e))?;
        let info = DbInfo {
            schema: SCHEMA_VERSION,
            built_at: imported_at,
            ecosystems,
        };
        {
            let mut meta = out.open_table(META).map_err(|e| fail(&e))?;
            let json = serde_json::to_vec(&info).map_err(|e| fail(&e))?;
            meta.insert(INFO_KEY, json.as_slice())
                .map_err(|e| fail(&e))?;
        }
        out.commit().map_err(|e| fail(&e))?;
        std::fs::rename(&files.tmp, &target).map_err(|e| fail(&e))?;
        // Make the rename itself durable.
        if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty())
            && let Ok(d) = File::open(dir)
        {
            let _ = d.sync_all();
        }
        Ok(info)
    }
}

/// A build's open tables: staged entries and advisories.
struct Tables<'b> {
    staged: redb::Table<'b, (&'static str, &'static str), &'static [u8]>,
    advisories: redb::Table<'b, &'static str, &'static [u8]>,
    ecosystems: &'b mut BTreeMap<String, EcosystemInfo>,
    target: &'b Path,
    buf: Vec<u8>,
}

impl Tables<'_> {
    /// Stages `entry` for the package `key`; false if that package already
    /// has an entry of that advisory.
    fn stage(&mut self, key: &str, entry: &AffectedEntry) -> Result<bool, ImportError> {
        let row = (key, entry.id.as_str());
        if self
            .staged
            .get(row)
            .map_err(|e| write_error(self.target, &e))?
            .is_some()
        {
            return Ok(false);
        }
        self.buf.clear();
        self.buf = postcard::to_extend(entry, std::mem::take(&mut self.buf))
            .map_err(|e| write_error(self.target, &e))?;
        self.staged
            .insert(row, self.buf.as_slice())
            .map_err(|e| write_error(self.target, &e))?;
        Ok(true)
    }

    fn has_advisory(&self, id: &str) -> Result<bool, ImportError> {
        Ok(self
            .advisories
            .get(id)
            .map_err(|e| write_error(self.target, &e))?
            .is_some())
    }

    fn put_advisory(&mut self, id: &str, encoded: &[u8]) -> Result<(), ImportError> {
        self.advisories
            .insert(id, encoded)
            .map_err(|e| write_error(self.target, &e))?;
        Ok(())
    }
}

fn write_error(target: &Path, e: &dyn std::fmt::Display) -> ImportError {
    ImportError::Write {
        path: target.to_owned(),
        message: e.to_string(),
    }
}

/// A file beside `path` for one build by this process (`vulns.redb.tmp-PID`).
fn sibling(path: &Path, what: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{what}-{}", std::process::id()));
    path.with_file_name(name)
}

fn read_bounded(reader: impl Read) -> Result<Vec<u8>, String> {
    kubeward_core::bounded::read_to_end(reader, MAX_RECORD_BYTES).map_err(|e| e.to_string())
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

/// `kubeward db import`: adds the inputs' advisories to the database at
/// `db`. Each ecosystem the inputs hold replaces what the database had for
/// it; the others are kept, unless `replace` asks for a database of the
/// inputs alone. An input that cannot be read is skipped and told (in the
/// returned list), as a bad record inside one is; the rest is imported.
pub fn import(
    db: &Path,
    inputs: &[PathBuf],
    replace: bool,
) -> Result<(DbInfo, Vec<String>), ImportError> {
    let old = match Store::open(db) {
        _ if replace => None,
        Ok(store) => Some(store),
        Err(StoreError::Missing { .. }) => None,
        Err(e) => {
            return Err(input_error(
                db,
                format!("{e}; to build it anew from the inputs alone, import with --replace"),
            ));
        }
    };
    let mut builder = Builder::create(db)?;
    for input in inputs {
        match builder.add_path(input, None) {
            Ok(_) => {}
            Err(e @ ImportError::Input { .. }) => builder.skipped.push(e.to_string()),
            Err(e) => return Err(e),
        }
    }
    if let Some(old) = &old {
        builder.keep_others(old)?;
    }
    drop(old);
    let skipped = std::mem::take(&mut builder.skipped);
    Ok((builder.finish()?, skipped))
}
