//! RPM packages from the SQLite database (`rpmdb.sqlite`, RHEL 9, Rocky and
//! Alma 9, Fedora 33+): the `Packages` table holds one RPM header blob per
//! package, read here (name, epoch, version, release, arch, source RPM,
//! licence, file names and digests). SQLite opens the bytes in memory; nothing
//! is written to disk. The older Berkeley DB (`Packages`) and ndb
//! (`Packages.db`) formats are reported as unsupported.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Digest, OsDb, OwnedFile, Package, PackageType};

pub const SQLITE_PATHS: [&str; 2] = [
    "var/lib/rpm/rpmdb.sqlite",
    "usr/lib/sysimage/rpm/rpmdb.sqlite",
];
pub const UNSUPPORTED_PATHS: [&str; 4] = [
    "var/lib/rpm/Packages",
    "var/lib/rpm/Packages.db",
    "usr/lib/sysimage/rpm/Packages",
    "usr/lib/sysimage/rpm/Packages.db",
];

const NAME: u32 = 1000;
const VERSION: u32 = 1001;
const RELEASE: u32 = 1002;
const EPOCH: u32 = 1003;
const LICENSE: u32 = 1014;
const ARCH: u32 = 1022;
const FILEDIGESTS: u32 = 1035;
const SOURCERPM: u32 = 1044;
const DIRINDEXES: u32 = 1116;
const BASENAMES: u32 = 1117;
const DIRNAMES: u32 = 1118;
const FILEDIGESTALGO: u32 = 5011;

/// A parsed header: tag → (type, raw data from its offset).
struct Header<'a> {
    entries: BTreeMap<u32, (u32, u32, &'a [u8])>,
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

impl<'a> Header<'a> {
    fn parse(blob: &'a [u8]) -> Option<Header<'a>> {
        let count = usize::try_from(be32(blob, 0)?).ok()?;
        let data_len = usize::try_from(be32(blob, 4)?).ok()?;
        let store_at = 8usize.checked_add(count.checked_mul(16)?)?;
        let store = blob.get(store_at..store_at.checked_add(data_len)?)?;
        let mut entries = BTreeMap::new();
        for i in 0..count {
            let at = 8 + i * 16;
            let (tag, kind, offset, n) = (
                be32(blob, at)?,
                be32(blob, at + 4)?,
                be32(blob, at + 8)?,
                be32(blob, at + 12)?,
            );
            let data = store.get(usize::try_from(offset).ok()?..)?;
            entries.insert(tag, (kind, n, data));
        }
        Some(Header { entries })
    }

    fn strings(&self, tag: u32) -> Vec<String> {
        let Some(&(kind, n, data)) = self.entries.get(&tag) else {
            return Vec::new();
        };
        if !matches!(kind, 6 | 8 | 9) {
            return Vec::new();
        }
        let n = if kind == 6 { 1 } else { n as usize };
        data.split(|&b| b == 0)
            .take(n.min(1 << 20))
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .collect()
    }

    fn string(&self, tag: u32) -> Option<String> {
        self.strings(tag).into_iter().next()
    }

    fn int32s(&self, tag: u32) -> Vec<u32> {
        let Some(&(kind, n, data)) = self.entries.get(&tag) else {
            return Vec::new();
        };
        if kind != 4 {
            return Vec::new();
        }
        (0..(n as usize).min(data.len() / 4))
            .filter_map(|i| be32(data, i * 4))
            .collect()
    }
}

fn digest(hex: &str, algo: u32) -> Option<Digest> {
    match algo {
        1 => {
            let mut d = [0u8; 16];
            super::dpkg::decode_hex(hex, &mut d).then_some(Digest::Md5(d))
        }
        8 => {
            let mut d = [0u8; 32];
            super::dpkg::decode_hex(hex, &mut d).then_some(Digest::Sha256(d))
        }
        _ => None,
    }
}

/// Reads one header blob into a package and its files.
fn read_header(
    blob: &[u8],
    db_path: &str,
    index: usize,
    files: &mut Vec<OwnedFile>,
) -> Option<Package> {
    let h = Header::parse(blob)?;
    let name = h.string(NAME)?;
    let version = h.string(VERSION)?;
    if name == "gpg-pubkey" {
        return None;
    }
    let release = h.string(RELEASE);
    let epoch = h.int32s(EPOCH).first().copied();
    let mut evr = String::new();
    if let Some(e) = epoch.filter(|&e| e > 0) {
        evr.push_str(&format!("{e}:"));
    }
    evr.push_str(&version);
    if let Some(r) = &release {
        evr.push('-');
        evr.push_str(r);
    }
    let mut p = Package::new(PackageType::Rpm, name, evr.clone(), db_path);
    p.arch = h.string(ARCH);
    p.licenses.extend(h.string(LICENSE));
    // `openssl-3.0.7-24.el9.src.rpm` → source name `openssl`, version of the package.
    if let Some(src) = h.string(SOURCERPM) {
        let stem = src
            .trim_end_matches(".rpm")
            .trim_end_matches(".src")
            .trim_end_matches(".nosrc");
        let parts: Vec<&str> = stem.rsplitn(3, '-').collect();
        if parts.len() == 3 {
            p.source_name = Some(parts[2].to_owned());
            p.source_version = Some(evr);
        }
    }
    let dirs = h.strings(DIRNAMES);
    let bases = h.strings(BASENAMES);
    let indexes = h.int32s(DIRINDEXES);
    let digests = h.strings(FILEDIGESTS);
    let algo = h.int32s(FILEDIGESTALGO).first().copied().unwrap_or(1);
    for (i, base) in bases.iter().enumerate() {
        let Some(dir) = indexes.get(i).and_then(|&d| dirs.get(d as usize)) else {
            continue;
        };
        let path = format!("{dir}{base}").trim_start_matches('/').to_owned();
        files.push(OwnedFile {
            path,
            package: index,
            digest: digests
                .get(i)
                .filter(|d| !d.is_empty())
                .and_then(|d| digest(d, algo)),
        });
    }
    Some(p)
}

pub fn read(files: &BTreeMap<String, Arc<Vec<u8>>>) -> Option<Result<OsDb, String>> {
    let (db_path, bytes) = SQLITE_PATHS
        .iter()
        .find_map(|p| files.get(*p).map(|b| (*p, b)))?;
    Some(read_sqlite(db_path, bytes))
}

fn read_sqlite(db_path: &str, bytes: &[u8]) -> Result<OsDb, String> {
    let error = |e: rusqlite::Error| format!("{db_path}: {e}");
    let mut conn = rusqlite::Connection::open_in_memory().map_err(error)?;
    conn.deserialize_read_exact(rusqlite::MAIN_DB, bytes, bytes.len(), true)
        .map_err(error)?;
    let mut statement = conn.prepare("SELECT blob FROM Packages").map_err(error)?;
    let mut rows = statement.query([]).map_err(error)?;
    let mut packages = Vec::new();
    let mut owned = Vec::new();
    while let Some(row) = rows.next().map_err(error)? {
        let blob: Vec<u8> = row.get(0).map_err(error)?;
        if let Some(p) = read_header(&blob, db_path, packages.len(), &mut owned) {
            packages.push(p);
        }
    }
    Ok(OsDb {
        kind: PackageType::Rpm,
        db_path: db_path.to_owned(),
        packages,
        files: owned,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a header blob from (tag, type, count, data) entries.
    fn blob(entries: &[(u32, u32, u32, Vec<u8>)]) -> Vec<u8> {
        let mut index = Vec::new();
        let mut store = Vec::new();
        for (tag, kind, count, data) in entries {
            for v in [*tag, *kind, u32::try_from(store.len()).unwrap(), *count] {
                index.extend_from_slice(&v.to_be_bytes());
            }
            store.extend_from_slice(data);
        }
        let mut out = Vec::new();
        out.extend_from_slice(&u32::try_from(entries.len()).unwrap().to_be_bytes());
        out.extend_from_slice(&u32::try_from(store.len()).unwrap().to_be_bytes());
        out.extend(index);
        out.extend(store);
        out
    }

    fn s(v: &str) -> Vec<u8> {
        let mut b = v.as_bytes().to_vec();
        b.push(0);
        b
    }

    #[test]
    fn header_blobs_in_sqlite() {
        let header = blob(&[
            (NAME, 6, 1, s("openssl-libs")),
            (VERSION, 6, 1, s("3.0.7")),
            (RELEASE, 6, 1, s("24.el9")),
            (EPOCH, 4, 1, 1u32.to_be_bytes().to_vec()),
            (ARCH, 6, 1, s("x86_64")),
            (SOURCERPM, 6, 1, s("openssl-3.0.7-24.el9.src.rpm")),
            (DIRNAMES, 8, 1, s("/usr/lib64/")),
            (BASENAMES, 8, 1, s("libssl.so.3")),
            (DIRINDEXES, 4, 1, 0u32.to_be_bytes().to_vec()),
            (FILEDIGESTS, 8, 1, s(&"ab".repeat(32))),
            (FILEDIGESTALGO, 4, 1, 8u32.to_be_bytes().to_vec()),
        ]);
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute(
            "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB NOT NULL)",
            [],
        )
        .unwrap();
        conn.execute("INSERT INTO Packages (blob) VALUES (?1)", [&header])
            .unwrap();
        let bytes = conn.serialize(rusqlite::MAIN_DB).unwrap().to_vec();
        let mut files = BTreeMap::new();
        files.insert(SQLITE_PATHS[0].to_owned(), Arc::new(bytes));
        let db = read(&files).unwrap().unwrap();
        let p = &db.packages[0];
        assert_eq!(
            (p.name.as_str(), p.version.as_str()),
            ("openssl-libs", "1:3.0.7-24.el9")
        );
        assert_eq!(p.source_name.as_deref(), Some("openssl"));
        assert_eq!(db.files[0].path, "usr/lib64/libssl.so.3");
        assert!(matches!(db.files[0].digest, Some(Digest::Sha256(_))));
        assert!(Header::parse(&[0, 0, 0, 9, 0, 0, 0, 1]).is_none());
    }
}
