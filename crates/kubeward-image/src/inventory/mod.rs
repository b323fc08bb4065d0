//! What is installed: the operating system, its packages (dpkg, apk, rpm) and
//! language packages (Cargo, npm, PyPI, Go, Maven), each with the layer it
//! came from.
//!
//! Layer reading asks [`interest`] which files matter; package databases are
//! kept whole and read after the layers are merged (they span many files), while
//! self-contained files (lockfiles, package metadata, binaries, archives) are
//! parsed as they stream by.

pub mod apk;
pub mod cargo;
pub mod dpkg;
pub mod elf;
pub mod gobin;
pub mod java;
pub mod npm;
pub mod os;
pub mod python;
pub mod rpm;
mod zipstream;

use serde::Serialize;

/// The kinds of package kubeward reports (the JSON `type` values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PackageType {
    Deb,
    Apk,
    Rpm,
    Cargo,
    Npm,
    Pypi,
    Golang,
    Maven,
}

impl PackageType {
    pub fn as_str(self) -> &'static str {
        match self {
            PackageType::Deb => "deb",
            PackageType::Apk => "apk",
            PackageType::Rpm => "rpm",
            PackageType::Cargo => "cargo",
            PackageType::Npm => "npm",
            PackageType::Pypi => "pypi",
            PackageType::Golang => "golang",
            PackageType::Maven => "maven",
        }
    }

    pub fn is_os(self) -> bool {
        matches!(self, PackageType::Deb | PackageType::Apk | PackageType::Rpm)
    }
}

/// One installed package.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Package {
    pub name: String,
    pub version: String,
    #[serde(rename = "type")]
    pub kind: PackageType,
    /// Index of the layer that brought this version in (0 = the first).
    pub layer: usize,
    /// The file it was found in (a database, lockfile, binary or archive).
    pub path: String,
    /// The source package (Debian `Source:`, Alpine origin, RPM source RPM
    /// name), which is what OS advisories name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<String>,
    /// Listed only by a package database that a later layer deleted or
    /// emptied (its files are still there).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub from_deleted_database: bool,
}

impl Package {
    pub fn new(
        kind: PackageType,
        name: impl Into<String>,
        version: impl Into<String>,
        path: &str,
    ) -> Self {
        Package {
            name: name.into(),
            version: version.into(),
            kind,
            layer: 0,
            path: path.to_owned(),
            source_name: None,
            source_version: None,
            arch: None,
            licenses: Vec::new(),
            from_deleted_database: false,
        }
    }

    /// The package URL (<https://github.com/package-url/purl-spec>).
    pub fn purl(&self, distro: Option<&os::OsRelease>) -> String {
        let enc = kubeward_net::client::percent_encode;
        match self.kind {
            PackageType::Deb | PackageType::Apk | PackageType::Rpm => {
                let (kind, namespace) = match self.kind {
                    PackageType::Deb => ("deb", distro.map_or("debian", |d| d.id.as_str())),
                    PackageType::Apk => ("apk", distro.map_or("alpine", |d| d.id.as_str())),
                    _ => ("rpm", distro.map_or("redhat", |d| d.id.as_str())),
                };
                // The rpm type carries the epoch as a qualifier and the
                // version as version-release; deb keeps the epoch in the version.
                let (epoch, version) = match self.kind {
                    PackageType::Rpm => match self.version.split_once(':') {
                        Some((epoch, rest)) if epoch.bytes().all(|b| b.is_ascii_digit()) => {
                            (Some(epoch), rest)
                        }
                        _ => (None, self.version.as_str()),
                    },
                    _ => (None, self.version.as_str()),
                };
                let mut purl = format!(
                    "pkg:{kind}/{}/{}@{}",
                    enc(namespace),
                    enc(&self.name),
                    enc(version)
                );
                // Qualifiers in key order, as the spec's canonical form asks.
                let mut qualifiers = Vec::new();
                if let Some(arch) = &self.arch {
                    qualifiers.push(format!("arch={}", enc(arch)));
                }
                if let Some(d) = distro {
                    qualifiers.push(format!("distro={}-{}", enc(&d.id), enc(&d.version_id)));
                }
                if let Some(epoch) = epoch {
                    qualifiers.push(format!("epoch={epoch}"));
                }
                if !qualifiers.is_empty() {
                    purl.push('?');
                    purl.push_str(&qualifiers.join("&"));
                }
                purl
            }
            PackageType::Cargo => format!("pkg:cargo/{}@{}", enc(&self.name), enc(&self.version)),
            PackageType::Npm => match self.name.strip_prefix('@').and_then(|n| n.split_once('/')) {
                Some((scope, name)) => format!(
                    "pkg:npm/%40{}/{}@{}",
                    enc(scope),
                    enc(name),
                    enc(&self.version)
                ),
                None => format!("pkg:npm/{}@{}", enc(&self.name), enc(&self.version)),
            },
            PackageType::Pypi => format!(
                "pkg:pypi/{}@{}",
                enc(&kubeward_vulndb::ecosystem::normalize_pypi(&self.name)),
                enc(&self.version)
            ),
            PackageType::Golang => {
                let path: Vec<String> = self.name.split('/').map(enc).collect();
                format!("pkg:golang/{}@{}", path.join("/"), enc(&self.version))
            }
            PackageType::Maven => match self.name.split_once(':') {
                Some((group, artifact)) => format!(
                    "pkg:maven/{}/{}@{}",
                    enc(group),
                    enc(artifact),
                    enc(&self.version)
                ),
                None => format!("pkg:maven/{}@{}", enc(&self.name), enc(&self.version)),
            },
        }
    }
}

/// Which self-contained file format a path holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parser {
    CargoLock,
    NpmLock,
    NpmPackage,
    PythonMetadata,
    Requirements,
    PoetryLock,
}

/// What layer reading should do with a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interest {
    None,
    /// Keep it whole (package databases, OS identity).
    Capture,
    /// Parse it for packages as it streams by.
    Parse(Parser),
    /// A Java archive: open it for Maven coordinates.
    Archive,
}

/// Package databases kept whole, by their fixed paths.
pub const PACKAGE_DATABASES: [&str; 4] = [
    "var/lib/dpkg/status",
    "lib/apk/db/installed",
    "var/lib/rpm/rpmdb.sqlite",
    "usr/lib/sysimage/rpm/rpmdb.sqlite",
];

/// The user table, kept whole to resolve the image's `User` (KW801). No
/// package is read from it.
pub const PASSWD: &str = "etc/passwd";

/// Files that name the operating system and its users, kept whole.
pub const OS_IDENTITY: [&str; 5] = [
    "etc/os-release",
    "usr/lib/os-release",
    "etc/alpine-release",
    "etc/debian_version",
    PASSWD,
];

/// Directories whose files (see [`is_os_file`]) make up a package database.
pub const PACKAGE_DATABASE_DIRS: [&str; 2] = ["var/lib/dpkg/status.d", "var/lib/dpkg/info"];

/// Files kept whole for the operating-system inventory.
pub fn is_os_file(path: &str) -> bool {
    PACKAGE_DATABASES.contains(&path)
        || OS_IDENTITY.contains(&path)
        || path.starts_with("var/lib/dpkg/status.d/")
        || (path.starts_with("var/lib/dpkg/info/")
            && (path.ends_with(".list") || path.ends_with(".md5sums")))
}

pub fn interest(path: &str) -> Interest {
    if is_os_file(path) {
        return Interest::Capture;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let parent = path.rsplit('/').nth(1).unwrap_or("");
    let parser = match name {
        "Cargo.lock" => Parser::CargoLock,
        "package-lock.json" | ".package-lock.json" => Parser::NpmLock,
        "package.json" if npm::is_installed_manifest(path) => Parser::NpmPackage,
        "METADATA" if parent.ends_with(".dist-info") => Parser::PythonMetadata,
        "PKG-INFO" if parent.ends_with(".egg-info") => Parser::PythonMetadata,
        "poetry.lock" => Parser::PoetryLock,
        n if n.starts_with("requirements") && n.ends_with(".txt") => Parser::Requirements,
        n if n.ends_with(".jar") || n.ends_with(".war") || n.ends_with(".ear") => {
            return Interest::Archive;
        }
        _ => return Interest::None,
    };
    Interest::Parse(parser)
}

/// Packages in a self-contained file.
pub fn parse(parser: Parser, path: &str, bytes: &[u8]) -> Vec<Package> {
    match parser {
        Parser::CargoLock => cargo::lockfile(path, bytes),
        Parser::NpmLock => npm::lockfile(path, bytes),
        Parser::NpmPackage => npm::manifest(path, bytes),
        Parser::PythonMetadata => python::metadata(path, bytes),
        Parser::Requirements => python::requirements(path, bytes),
        Parser::PoetryLock => python::poetry(path, bytes),
    }
}

/// Packages embedded in an ELF binary read whole: Go build information and
/// `cargo auditable` dependency lists; with a note when Go build
/// information is there but could not be read.
pub fn binary(path: &str, bytes: &[u8]) -> gobin::BuildInfo {
    let mut found = gobin::from_binary(path, bytes);
    if let Some(section) = elf::section(bytes, ".dep-v0") {
        found.packages.extend(cargo::auditable(path, section));
    }
    found
}

/// A content digest a package database records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Digest {
    Md5([u8; 16]),
    Sha1([u8; 20]),
    Sha256([u8; 32]),
}

/// A file a package database says a package owns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedFile {
    /// Relative path as the database spells it (may go through symlinks,
    /// such as `bin/` on merged-/usr systems).
    pub path: String,
    /// Index into [`OsDb::packages`].
    pub package: usize,
    pub digest: Option<Digest>,
}

/// An operating-system package database, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OsDb {
    pub kind: PackageType,
    /// Where it lives (`var/lib/dpkg/status`).
    pub db_path: String,
    pub packages: Vec<Package>,
    pub files: Vec<OwnedFile>,
}

/// Reads whichever package database `files` holds (dpkg, then apk, then
/// rpm); `Err` for a database that exists but cannot be read.
pub fn read_os_db(
    files: &std::collections::BTreeMap<String, std::sync::Arc<Vec<u8>>>,
) -> Option<Result<OsDb, String>> {
    if let Some(db) = dpkg::read(files) {
        return Some(Ok(db));
    }
    if let Some(db) = apk::read(files) {
        return Some(Ok(db));
    }
    rpm::read(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rpm_purls_carry_the_epoch_as_a_qualifier_deb_in_the_version() {
        let rocky = os::OsRelease {
            id: "rocky".into(),
            version_id: "9.3".into(),
            ..os::OsRelease::default()
        };
        let mut rpm = Package::new(PackageType::Rpm, "openssl-libs", "1:3.0.7-24.el9", "x");
        rpm.arch = Some("x86_64".into());
        assert_eq!(
            rpm.purl(Some(&rocky)),
            "pkg:rpm/rocky/openssl-libs@3.0.7-24.el9?arch=x86_64&distro=rocky-9.3&epoch=1"
        );
        let plain = Package::new(PackageType::Rpm, "bash", "5.1.8-6.el9", "x");
        assert_eq!(plain.purl(None), "pkg:rpm/redhat/bash@5.1.8-6.el9");
        let deb = Package::new(PackageType::Deb, "libc6", "1:2.36-9", "x");
        assert_eq!(deb.purl(None), "pkg:deb/debian/libc6@1%3A2.36-9");
    }
}
