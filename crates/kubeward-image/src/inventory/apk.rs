//! Alpine packages: `/lib/apk/db/installed`, stanzas of one-letter fields
//! (`P` name, `V` version, `o` origin, `A` arch, `L` licence, `F` directory,
//! `R` file in it, `Z` the file's checksum: `Q1` + base64 SHA-1).

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine;

use super::{Digest, OsDb, OwnedFile, Package, PackageType};

pub const DB: &str = "lib/apk/db/installed";

pub fn read(files: &BTreeMap<String, Arc<Vec<u8>>>) -> Option<OsDb> {
    let content = files.get(DB)?;
    let text = String::from_utf8_lossy(content);
    let mut packages: Vec<Package> = Vec::new();
    let mut owned = Vec::new();
    let mut current: Option<Package> = None;
    let mut dir = String::new();
    let flush = |current: &mut Option<Package>, packages: &mut Vec<Package>| {
        if let Some(p) = current.take()
            && !p.name.is_empty()
            && !p.version.is_empty()
        {
            packages.push(p);
        }
    };
    for line in text.lines() {
        if line.is_empty() {
            flush(&mut current, &mut packages);
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let p = current.get_or_insert_with(|| Package::new(PackageType::Apk, "", "", DB));
        match key {
            "P" => p.name = value.to_owned(),
            "V" => p.version = value.to_owned(),
            "A" => p.arch = Some(value.to_owned()),
            "o" => p.source_name = Some(value.to_owned()),
            "L" if !value.is_empty() => p.licenses.push(value.to_owned()),
            "F" => dir = value.to_owned(),
            "R" => owned.push(OwnedFile {
                path: if dir.is_empty() {
                    value.to_owned()
                } else {
                    format!("{dir}/{value}")
                },
                package: packages.len(),
                digest: None,
            }),
            "Z" => {
                let digest = value
                    .strip_prefix("Q1")
                    .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
                    .and_then(|b| <[u8; 20]>::try_from(b.as_slice()).ok());
                if let (Some(d), Some(last)) = (digest, owned.last_mut()) {
                    last.digest = Some(Digest::Sha1(d));
                }
            }
            _ => {}
        }
    }
    flush(&mut current, &mut packages);
    for p in &mut packages {
        if p.source_name.is_some() {
            p.source_version = Some(p.version.clone());
        }
    }
    Some(OsDb {
        kind: PackageType::Apk,
        db_path: DB.to_owned(),
        packages,
        files: owned,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installed_db() {
        let db = b"C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\no:musl\nL:MIT\nF:lib\nR:ld-musl-x86_64.so.1\nZ:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\nP:busybox\nV:1.36.1-r5\nF:bin\nR:busybox\n";
        let mut files = BTreeMap::new();
        files.insert(DB.to_owned(), Arc::new(db.to_vec()));
        let db = read(&files).unwrap();
        assert_eq!(db.packages.len(), 2);
        assert_eq!(db.files[0].path, "lib/ld-musl-x86_64.so.1");
        assert!(matches!(db.files[0].digest, Some(Digest::Sha1(_))));
        assert_eq!(db.files[1].package, 1);
    }
}
