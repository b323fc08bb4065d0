//! Matching the inventory against the advisory store: each package is looked
//! up under its OSV ecosystem and the name advisories use (the source package
//! for distributions), and its version evaluated with the ecosystem's ordering.

use kubeward_vulndb::cvss::Rating;
use kubeward_vulndb::{Store, StoreError};
use serde::Serialize;

use crate::inventory::os::OsRelease;
use crate::inventory::{Package, PackageType};

/// One advisory affecting one installed package.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Vulnerability {
    pub id: String,
    pub aliases: Vec<String>,
    pub package: String,
    #[serde(rename = "type")]
    pub kind: PackageType,
    pub installed: String,
    pub fixed: Option<String>,
    pub severity: Rating,
    /// CVSS base score; one decimal, as the specification rounds it.
    pub score: Option<f64>,
    pub vector: Option<String>,
    pub layer: usize,
    /// Where the package was found.
    pub path: String,
    pub summary: String,
    pub url: Option<String>,
}

impl Vulnerability {
    /// The CVE id, when the advisory is one or names one.
    pub fn cve(&self) -> Option<&str> {
        std::iter::once(self.id.as_str())
            .chain(self.aliases.iter().map(String::as_str))
            .find(|a| a.starts_with("CVE-"))
    }
}

/// The ecosystems and names a package is looked up under.
fn lookups(os: Option<&OsRelease>, p: &Package) -> (Vec<String>, Vec<(String, String)>) {
    let one = |e: &str| vec![e.to_owned()];
    let ecosystems = match p.kind {
        PackageType::Deb | PackageType::Apk | PackageType::Rpm => {
            os.map(OsRelease::ecosystems).unwrap_or_default()
        }
        PackageType::Cargo => one("crates.io"),
        PackageType::Npm => one("npm"),
        PackageType::Pypi => one("PyPI"),
        PackageType::Golang => one("Go"),
        PackageType::Maven => one("Maven"),
    };
    let mut names = Vec::new();
    if let Some(source) = &p.source_name {
        let version = p
            .source_version
            .clone()
            .unwrap_or_else(|| p.version.clone());
        names.push((source.clone(), version));
    }
    if p.kind == PackageType::Rpm || p.source_name.is_none() {
        names.push((p.name.clone(), p.version.clone()));
    }
    (ecosystems, names)
}

/// The vulnerabilities of every package, sorted by package, then id.
pub fn find(
    store: &Store,
    os: Option<&OsRelease>,
    packages: &[Package],
) -> Result<Vec<Vulnerability>, StoreError> {
    let mut out: Vec<Vulnerability> = Vec::new();
    for p in packages {
        let (ecosystems, names) = lookups(os, p);
        if ecosystems.is_empty() {
            continue;
        }
        for (name, version) in names {
            for m in store.matches(&ecosystems, &name, &version)? {
                if out.iter().any(|v| {
                    v.id == m.advisory.id
                        && v.package == p.name
                        && v.installed == p.version
                        && v.path == p.path
                }) {
                    continue;
                }
                out.push(Vulnerability {
                    id: m.advisory.id,
                    aliases: m.advisory.aliases,
                    package: p.name.clone(),
                    kind: p.kind,
                    installed: p.version.clone(),
                    fixed: m.fixed,
                    severity: m.advisory.severity.rating,
                    // Stored as f32; widened to the one-decimal value it stands for.
                    score: m
                        .advisory
                        .severity
                        .score
                        .map(|s| (f64::from(s) * 10.0).round() / 10.0),
                    vector: m.advisory.severity.vector,
                    layer: p.layer,
                    path: p.path.clone(),
                    summary: m.advisory.summary,
                    url: m.advisory.url,
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.package, &a.installed, &a.id).cmp(&(&b.package, &b.installed, &b.id)));
    Ok(out)
}
