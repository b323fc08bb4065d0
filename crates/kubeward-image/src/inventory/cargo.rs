//! Rust packages: `Cargo.lock` files (registry packages only; path and git
//! dependencies name no published version) and binaries built with
//! `cargo auditable` (a zlib-compressed JSON list in the `.dep-v0` section).

use std::io::Read;

use serde::Deserialize;

use super::{Package, PackageType};

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<LockPackage>,
}

#[derive(Deserialize)]
struct LockPackage {
    name: String,
    version: String,
    #[serde(default)]
    source: Option<String>,
}

pub fn lockfile(path: &str, bytes: &[u8]) -> Vec<Package> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Vec::new();
    };
    let Ok(lock) = toml::from_str::<Lock>(text) else {
        return Vec::new();
    };
    lock.package
        .into_iter()
        .filter(|p| {
            p.source
                .as_deref()
                .is_some_and(|s| s.starts_with("registry+") || s.starts_with("sparse+"))
        })
        .map(|p| Package::new(PackageType::Cargo, p.name, p.version, path))
        .collect()
}

#[derive(Deserialize)]
struct Audit {
    #[serde(default)]
    packages: Vec<AuditPackage>,
}

#[derive(Deserialize)]
struct AuditPackage {
    name: String,
    version: String,
    #[serde(default)]
    source: String,
}

/// The dependency list of a `cargo auditable` binary.
pub fn auditable(path: &str, section: &[u8]) -> Vec<Package> {
    let mut json = Vec::new();
    let decoder = flate2::read::ZlibDecoder::new(section);
    if decoder.take(8 << 20).read_to_end(&mut json).is_err() {
        return Vec::new();
    }
    let Ok(audit) = serde_json::from_slice::<Audit>(&json) else {
        return Vec::new();
    };
    audit
        .packages
        .into_iter()
        .filter(|p| p.source == "crates.io" || p.source.starts_with("registry"))
        .map(|p| Package::new(PackageType::Cargo, p.name, p.version, path))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn lockfile_registry_packages() {
        let lock = b"version = 3\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n\n[[package]]\nname = \"smallvec\"\nversion = \"1.6.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";
        let found = lockfile("Cargo.lock", lock);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].name.as_str(), found[0].version.as_str()),
            ("smallvec", "1.6.0")
        );
    }

    #[test]
    fn auditable_section() {
        let json = br#"{"packages":[{"name":"app","version":"0.1.0","source":"local","root":true},{"name":"time","version":"0.1.44","source":"crates.io"}]}"#;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(json).unwrap();
        let found = auditable("app", &z.finish().unwrap());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "time");
    }
}
