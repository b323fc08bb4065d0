//! Python packages: installed distributions (`*.dist-info/METADATA`,
//! `*.egg-info/PKG-INFO`), pinned requirements (`name==version` lines of
//! `requirements*.txt`) and `poetry.lock`.

use serde::Deserialize;

use super::{Package, PackageType};

/// The `Name`, `Version` and `License` headers of core metadata.
pub fn metadata(path: &str, bytes: &[u8]) -> Vec<Package> {
    let text = String::from_utf8_lossy(bytes);
    let (mut name, mut version, mut license) = (None, None, None);
    for line in text.lines() {
        if line.is_empty() {
            break; // the body (description) follows the headers
        }
        if let Some((key, value)) = line.split_once(':') {
            let value = value.trim();
            match key {
                "Name" => name = Some(value.to_owned()),
                "Version" => version = Some(value.to_owned()),
                "License" | "License-Expression" if !value.is_empty() && value != "UNKNOWN" => {
                    license = Some(value.to_owned());
                }
                _ => {}
            }
        }
    }
    match (name, version) {
        (Some(n), Some(v)) => {
            let mut p = Package::new(PackageType::Pypi, n, v, path);
            p.licenses.extend(license);
            vec![p]
        }
        _ => Vec::new(),
    }
}

pub fn requirements(path: &str, bytes: &[u8]) -> Vec<Package> {
    let text = String::from_utf8_lossy(bytes);
    text.lines()
        .filter_map(|line| {
            let line = line.split('#').next()?.trim();
            let line = line.split(';').next()?.trim();
            let (name, version) = line.split_once("==")?;
            let name = name.split('[').next()?.trim();
            let version = version.split([' ', ',', '\\']).next()?.trim();
            (!name.is_empty() && !version.is_empty() && !name.starts_with('-'))
                .then(|| Package::new(PackageType::Pypi, name, version, path))
        })
        .collect()
}

#[derive(Deserialize)]
struct Poetry {
    #[serde(default)]
    package: Vec<PoetryPackage>,
}

#[derive(Deserialize)]
struct PoetryPackage {
    name: String,
    version: String,
    #[serde(default)]
    category: Option<String>,
}

pub fn poetry(path: &str, bytes: &[u8]) -> Vec<Package> {
    let Ok(lock) = std::str::from_utf8(bytes).map(toml::from_str::<Poetry>) else {
        return Vec::new();
    };
    let Ok(lock) = lock else { return Vec::new() };
    lock.package
        .into_iter()
        .filter(|p| p.category.as_deref() != Some("dev"))
        .map(|p| Package::new(PackageType::Pypi, p.name, p.version, path))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let m = metadata("x", b"Metadata-Version: 2.1\nName: Django\nVersion: 3.2.0\nLicense: BSD\n\nName: not-this\n");
        assert_eq!(
            (m[0].name.as_str(), m[0].version.as_str()),
            ("Django", "3.2.0")
        );
        let r = requirements("r", b"# c\nrequests==2.19.0  # pinned\nflask>=1\nurllib3[secure]==1.24.1 ; python_version>'3'\n-r other.txt\n");
        let names: Vec<&str> = r.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["requests", "urllib3"]);
        let p = poetry("p", b"[[package]]\nname = \"jinja2\"\nversion = \"2.10\"\ncategory = \"main\"\n[[package]]\nname = \"pytest\"\nversion = \"7.0\"\ncategory = \"dev\"\n");
        assert_eq!(p.len(), 1);
    }
}
