//! Debian packages: `/var/lib/dpkg/status` (only packages whose status says
//! `installed`), distroless's `/var/lib/dpkg/status.d/` (one stanza file per
//! package, with `.md5sums` beside it), and the file lists (`info/*.list`)
//! and checksums (`info/*.md5sums`) that say which files a package owns.

use std::collections::BTreeMap;

use super::{Package, PackageType};
use crate::inventory::{Digest, OsDb, OwnedFile};

/// One stanza: field name → value (continuation lines joined).
fn stanzas(text: &str) -> Vec<BTreeMap<&str, String>> {
    let mut out = Vec::new();
    let mut current: BTreeMap<&str, String> = BTreeMap::new();
    let mut last: Option<&str> = None;
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            last = None;
        } else if line.starts_with([' ', '\t']) {
            if let Some(v) = last.and_then(|k| current.get_mut(k)) {
                v.push('\n');
                v.push_str(line.trim());
            }
        } else if let Some((key, value)) = line.split_once(':') {
            current.insert(key, value.trim().to_owned());
            last = Some(key);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn package(stanza: &BTreeMap<&str, String>, path: &str) -> Option<Package> {
    let name = stanza.get("Package")?;
    let version = stanza.get("Version")?;
    if let Some(status) = stanza.get("Status")
        && status.split_whitespace().nth(2) != Some("installed")
    {
        return None;
    }
    let mut p = Package::new(PackageType::Deb, name.clone(), version.clone(), path);
    p.arch = stanza.get("Architecture").cloned();
    // `Source: name (version)` when the source version differs.
    if let Some(source) = stanza.get("Source") {
        let mut parts = source.splitn(2, ' ');
        let src = parts.next().unwrap_or(name);
        p.source_name = Some(src.to_owned());
        p.source_version = Some(
            parts
                .next()
                .map(|v| {
                    v.trim_matches(|c| c == '(' || c == ')' || c == ' ')
                        .to_owned()
                })
                .unwrap_or_else(|| version.clone()),
        );
    } else {
        p.source_name = Some(name.clone());
        p.source_version = Some(version.clone());
    }
    Some(p)
}

fn parse_md5sums(text: &str, package: usize, out: &mut BTreeMap<String, OwnedFile>) {
    for line in text.lines() {
        let Some((hex, path)) = line.split_once(' ') else {
            continue;
        };
        let path = path.trim_start_matches(' ').trim_start_matches('/');
        let mut digest = [0u8; 16];
        if hex.len() != 32 || !decode_hex(hex, &mut digest) {
            continue;
        }
        out.insert(
            path.to_owned(),
            OwnedFile {
                path: path.to_owned(),
                package,
                digest: Some(Digest::Md5(digest)),
            },
        );
    }
}

pub(crate) fn decode_hex(hex: &str, out: &mut [u8]) -> bool {
    // Bytes, not `str` slices: a multi-byte character must not split a pair.
    let hex = hex.as_bytes();
    if hex.len() != out.len() * 2 {
        return false;
    }
    let nibble = |c: u8| char::from(c).to_digit(16);
    for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        match (nibble(pair[0]), nibble(pair[1])) {
            (Some(hi), Some(lo)) => *byte = (hi * 16 + lo) as u8,
            _ => return false,
        }
    }
    true
}

/// The dpkg database in `files` (path → content), if there is one.
pub fn read(files: &BTreeMap<String, std::sync::Arc<Vec<u8>>>) -> Option<OsDb> {
    const STATUS: &str = "var/lib/dpkg/status";
    const STATUS_D: &str = "var/lib/dpkg/status.d/";
    const INFO: &str = "var/lib/dpkg/info/";
    let mut packages = Vec::new();
    let mut db_path = None;
    if let Some(status) = files.get(STATUS) {
        db_path = Some(STATUS.to_owned());
        for s in stanzas(&String::from_utf8_lossy(status)) {
            packages.extend(package(&s, STATUS));
        }
    }
    let mut distroless_sums = Vec::new();
    for (path, content) in files.range(STATUS_D.to_owned()..) {
        if !path.starts_with(STATUS_D) {
            break;
        }
        if path.ends_with(".md5sums") {
            distroless_sums.push((path, content));
            continue;
        }
        db_path.get_or_insert_with(|| STATUS_D.trim_end_matches('/').to_owned());
        for s in stanzas(&String::from_utf8_lossy(content)) {
            packages.extend(package(&s, path));
        }
    }
    let db_path = db_path?;
    let index: BTreeMap<&str, usize> = packages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.name.as_str(), i))
        .collect();
    let owner = |file_stem: &str| -> Option<usize> {
        let name = file_stem.split(':').next().unwrap_or(file_stem);
        index.get(name).copied()
    };
    let mut owned: BTreeMap<String, OwnedFile> = BTreeMap::new();
    for (path, content) in files.range(INFO.to_owned()..) {
        if !path.starts_with(INFO) {
            break;
        }
        let name = &path[INFO.len()..];
        let text = String::from_utf8_lossy(content);
        if let Some(stem) = name.strip_suffix(".list") {
            let Some(i) = owner(stem) else { continue };
            for line in text.lines() {
                let file = line.trim_start_matches('/');
                if !file.is_empty() && file != "." {
                    owned.entry(file.to_owned()).or_insert(OwnedFile {
                        path: file.to_owned(),
                        package: i,
                        digest: None,
                    });
                }
            }
        } else if let Some(stem) = name.strip_suffix(".md5sums")
            && let Some(i) = owner(stem)
        {
            parse_md5sums(&text, i, &mut owned);
        }
    }
    for (path, content) in distroless_sums {
        let stem = path[STATUS_D.len()..].trim_end_matches(".md5sums");
        if let Some(i) = owner(stem) {
            parse_md5sums(&String::from_utf8_lossy(content), i, &mut owned);
        }
    }
    Some(OsDb {
        kind: PackageType::Deb,
        db_path,
        packages,
        files: owned.into_values().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// Found by the `package_db` fuzz target: a character across a hex pair.
    #[test]
    fn hex_with_multibyte_characters_is_rejected() {
        let mut out = [0u8; 2];
        assert!(!decode_hex("a\u{e9}b", &mut out));
        assert!(decode_hex("0aFf", &mut out));
        assert_eq!(out, [0x0a, 0xff]);
    }

    #[test]
    fn status_lists_and_sums() {
        let mut files = BTreeMap::new();
        files.insert(
            "var/lib/dpkg/status".to_owned(),
            Arc::new(b"Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl (3.0.11-1)\nVersion: 3.0.11-1~deb12u2\nDescription: x\n more\n\nPackage: gone\nStatus: deinstall ok config-files\nVersion: 1\n".to_vec()),
        );
        files.insert(
            "var/lib/dpkg/info/libssl3:amd64.list".to_owned(),
            Arc::new(b"/.\n/usr\n/usr/lib/libssl.so.3\n".to_vec()),
        );
        files.insert(
            "var/lib/dpkg/info/libssl3:amd64.md5sums".to_owned(),
            Arc::new(b"0123456789abcdef0123456789abcdef  usr/lib/libssl.so.3\n".to_vec()),
        );
        let db = read(&files).unwrap();
        assert_eq!(db.packages.len(), 1);
        let p = &db.packages[0];
        assert_eq!(
            (p.source_name.as_deref(), p.source_version.as_deref()),
            (Some("openssl"), Some("3.0.11-1"))
        );
        let lib = db
            .files
            .iter()
            .find(|f| f.path == "usr/lib/libssl.so.3")
            .unwrap();
        assert!(matches!(lib.digest, Some(Digest::Md5(_))));
        assert!(read(&BTreeMap::new()).is_none());
    }
}
