//! Java archives (`.jar`, `.war`, `.ear`): Maven coordinates from
//! `META-INF/maven/<group>/<artifact>/pom.properties`, else from the manifest
//! (`Implementation-Title`/`-Version`, `Bundle-SymbolicName`/`-Version`), else
//! from the file name; archives nested inside (`BOOT-INF/lib/`, `WEB-INF/lib/`)
//! are opened too, two levels deep, each within the size limit.

use std::io::{Cursor, Read};

use super::{Package, PackageType};

const MAX_DEPTH: usize = 2;
const MAX_ENTRY: u64 = 32 << 20;

fn properties(text: &str) -> (Option<String>, Option<String>, Option<String>) {
    let (mut g, mut a, mut v) = (None, None, None);
    for line in text.lines() {
        if let Some((key, value)) = line.split_once('=') {
            let value = Some(value.trim().to_owned());
            match key.trim() {
                "groupId" => g = value,
                "artifactId" => a = value,
                "version" => v = value,
                _ => {}
            }
        }
    }
    (g, a, v)
}

fn manifest(text: &str) -> Option<(String, String)> {
    let get = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix(':')))
            .map(|v| v.trim().to_owned())
    };
    let name = get("Implementation-Title").or_else(|| {
        get("Bundle-SymbolicName").map(|s| s.split(';').next().unwrap_or("").to_owned())
    })?;
    let version = get("Implementation-Version").or_else(|| get("Bundle-Version"))?;
    let group = get("Implementation-Vendor-Id");
    Some((
        group.map_or(name.clone(), |g| format!("{g}:{name}")),
        version,
    ))
}

/// `commons-text-1.9.jar` → (`commons-text`, `1.9`).
fn from_file_name(path: &str) -> Option<(String, String)> {
    let name = path.rsplit('/').next()?;
    let stem = name.rsplit_once('.')?.0;
    let split = stem
        .char_indices()
        .find(|&(i, c)| c == '-' && stem[i + 1..].starts_with(|d: char| d.is_ascii_digit()))?
        .0;
    Some((stem[..split].to_owned(), stem[split + 1..].to_owned()))
}

/// Packages in an archive held whole.
pub fn archive(path: &str, bytes: &[u8], depth: usize) -> Vec<Package> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut manifest_coordinates = None;
    let mut nested = Vec::new();
    for i in 0..zip.len() {
        let Ok(mut entry) = zip.by_index(i) else {
            continue;
        };
        let name = entry.name().to_owned();
        let wanted = name.ends_with("/pom.properties") && name.starts_with("META-INF/maven/")
            || name == "META-INF/MANIFEST.MF"
            || (depth < MAX_DEPTH && (name.ends_with(".jar") || name.ends_with(".war")));
        if !wanted || entry.size() > MAX_ENTRY {
            continue;
        }
        let mut data = Vec::new();
        if entry
            .by_ref()
            .take(MAX_ENTRY)
            .read_to_end(&mut data)
            .is_err()
        {
            continue;
        }
        if name.ends_with(".jar") || name.ends_with(".war") {
            nested.push((format!("{path}/{name}"), data));
        } else if name == "META-INF/MANIFEST.MF" {
            manifest_coordinates = manifest(&String::from_utf8_lossy(&data));
        } else if let (Some(g), Some(a), Some(v)) = properties(&String::from_utf8_lossy(&data)) {
            out.push(Package::new(
                PackageType::Maven,
                format!("{g}:{a}"),
                v,
                path,
            ));
        }
    }
    if out.is_empty() {
        let coordinates = manifest_coordinates.or_else(|| from_file_name(path));
        if let Some((name, version)) = coordinates {
            out.push(Package::new(PackageType::Maven, name, version, path));
        }
    }
    for (inner, data) in nested {
        out.extend(archive(&inner, &data, depth + 1));
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    pub(crate) fn jar(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in files {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn coordinates() {
        let inner = jar(&[(
            "META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties",
            b"groupId=org.apache.logging.log4j\nartifactId=log4j-core\nversion=2.14.1\n",
        )]);
        let outer = jar(&[
            (
                "META-INF/MANIFEST.MF",
                b"Implementation-Title: app\nImplementation-Version: 1.0\n",
            ),
            ("BOOT-INF/lib/log4j-core-2.14.1.jar", &inner),
        ]);
        let found = archive("app.jar", &outer, 0);
        let names: Vec<(&str, &str)> = found
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("app", "1.0"),
                ("org.apache.logging.log4j:log4j-core", "2.14.1")
            ]
        );
        assert_eq!(
            from_file_name("lib/commons-text-1.9.jar"),
            Some(("commons-text".into(), "1.9".into()))
        );
    }
}
