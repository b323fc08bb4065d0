//! OSV ecosystems and the version ordering each one uses.

use std::cmp::Ordering;

use crate::version;

/// A version ordering, as an ecosystem defines it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// Debian and Ubuntu: `deb-version(7)` (epochs, `~`, revisions).
    Dpkg,
    /// Alpine, Wolfi, Chainguard: apk-tools' ordering (suffixes, `-rN`).
    Apk,
    /// Red Hat, Rocky, AlmaLinux, SUSE: `rpmvercmp` with `~` and `^`, epochs.
    Rpm,
    /// Semantic Versioning 2.0 (crates.io, npm, and OSV `SEMVER` ranges).
    Semver,
    /// PEP 440 (PyPI).
    Pep440,
    /// Maven's `ComparableVersion`.
    Maven,
    /// Go modules: semver with a `v` prefix, pseudo-versions, `+incompatible`.
    Go,
}

impl Scheme {
    /// The ordering of an OSV ecosystem (`Debian:12`, `PyPI` …), by its base
    /// name; `None` for ecosystems kubeward does not compare.
    pub fn of_ecosystem(ecosystem: &str) -> Option<Scheme> {
        let base = ecosystem.split(':').next().unwrap_or(ecosystem);
        Some(match base {
            "Debian" | "Ubuntu" => Scheme::Dpkg,
            "Alpine" | "Wolfi" | "Chainguard" | "Alpaquita" | "BellSoft Hardened Containers" => {
                Scheme::Apk
            }
            "Rocky Linux" | "AlmaLinux" | "Red Hat" | "SUSE" | "openSUSE" | "Mageia"
            | "openEuler" | "Photon OS" | "Azure Linux" | "CBL-Mariner" => Scheme::Rpm,
            "crates.io" | "npm" | "Hex" | "Pub" | "SwiftURL" | "NuGet" => Scheme::Semver,
            "PyPI" => Scheme::Pep440,
            "Maven" => Scheme::Maven,
            "Go" => Scheme::Go,
            _ => return None,
        })
    }

    /// Compares two versions; `None` when either does not parse in this scheme.
    pub fn compare(self, a: &str, b: &str) -> Option<Ordering> {
        match self {
            Scheme::Dpkg => version::dpkg::compare(a, b),
            Scheme::Apk => version::apk::compare(a, b),
            Scheme::Rpm => version::rpm::compare(a, b),
            Scheme::Semver => version::semver::compare(a, b),
            Scheme::Pep440 => version::pep440::compare(a, b),
            Scheme::Maven => Some(version::maven::compare(a, b)),
            Scheme::Go => version::go::compare(a, b),
        }
    }

    /// Whether a version is well formed in this scheme.
    pub fn is_valid(self, v: &str) -> bool {
        self.compare(v, v).is_some()
    }
}

/// The key of a package in the store: the ecosystem as OSV spells it and the
/// package name in the ecosystem's canonical form (PyPI names normalised as
/// PEP 503 says; others as they are).
pub fn package_key(ecosystem: &str, name: &str) -> String {
    let base = ecosystem.split(':').next().unwrap_or(ecosystem);
    let name = if base == "PyPI" {
        normalize_pypi(name)
    } else {
        name.to_owned()
    };
    format!("{ecosystem}\u{0}{name}")
}

/// PEP 503: lower case, runs of `-`, `_` and `.` become one `-`.
pub fn normalize_pypi(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_separator = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_separator {
                out.push('-');
            }
            in_separator = true;
        } else {
            out.push(c.to_ascii_lowercase());
            in_separator = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecosystems_map_to_schemes() {
        assert_eq!(Scheme::of_ecosystem("Debian:12"), Some(Scheme::Dpkg));
        assert_eq!(Scheme::of_ecosystem("Ubuntu:22.04:LTS"), Some(Scheme::Dpkg));
        assert_eq!(Scheme::of_ecosystem("Alpine:v3.19"), Some(Scheme::Apk));
        assert_eq!(Scheme::of_ecosystem("Rocky Linux:9"), Some(Scheme::Rpm));
        assert_eq!(Scheme::of_ecosystem("PyPI"), Some(Scheme::Pep440));
        assert_eq!(Scheme::of_ecosystem("GIT"), None);
    }

    #[test]
    fn pypi_names_normalise() {
        assert_eq!(normalize_pypi("Foo.Bar__baz"), "foo-bar-baz");
        assert_eq!(package_key("PyPI", "Django"), "PyPI\u{0}django");
        assert_eq!(package_key("npm", "Left-Pad"), "npm\u{0}Left-Pad");
    }
}
