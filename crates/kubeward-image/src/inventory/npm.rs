//! npm packages: installed manifests (`node_modules/<name>/package.json`,
//! scoped `node_modules/@scope/<name>/package.json`) and lockfiles
//! (`package-lock.json` v1 to v3, and npm's hidden `.package-lock.json`).
//! Development dependencies in lockfiles are left out: they are not installed
//! in production images.

use serde::Deserialize;
use serde_json::Value;

use super::{Package, PackageType};

/// Whether `path` is a package's own manifest inside `node_modules`.
pub fn is_installed_manifest(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    let n = parts.len();
    (n >= 3 && parts[n - 3] == "node_modules" && !parts[n - 2].starts_with('@'))
        || (n >= 4 && parts[n - 4] == "node_modules" && parts[n - 3].starts_with('@'))
}

#[derive(Deserialize)]
struct Manifest {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    license: Option<Value>,
}

pub fn manifest(path: &str, bytes: &[u8]) -> Vec<Package> {
    let Ok(m) = serde_json::from_slice::<Manifest>(bytes) else {
        return Vec::new();
    };
    let (Some(name), Some(version)) = (m.name, m.version) else {
        return Vec::new();
    };
    let mut p = Package::new(PackageType::Npm, name, version, path);
    if let Some(Value::String(l)) = m.license {
        p.licenses.push(l);
    }
    vec![p]
}

pub fn lockfile(path: &str, bytes: &[u8]) -> Vec<Package> {
    let Ok(lock) = serde_json::from_slice::<Value>(bytes) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let is_dev = |v: &Value| v.get("dev").and_then(Value::as_bool).unwrap_or(false);
    if let Some(packages) = lock.get("packages").and_then(Value::as_object) {
        for (key, v) in packages {
            let Some(name) = key
                .rsplit("node_modules/")
                .next()
                .filter(|_| key.contains("node_modules/"))
            else {
                continue;
            };
            if is_dev(v) || v.get("link").and_then(Value::as_bool).unwrap_or(false) {
                continue;
            }
            if let Some(version) = v.get("version").and_then(Value::as_str) {
                out.push(Package::new(PackageType::Npm, name, version, path));
            }
        }
        return dedup(out);
    }
    fn walk(deps: &Value, path: &str, out: &mut Vec<Package>, depth: usize) {
        let Some(map) = deps.as_object() else { return };
        if depth > 64 {
            return;
        }
        for (name, v) in map {
            if !v.get("dev").and_then(Value::as_bool).unwrap_or(false)
                && let Some(version) = v.get("version").and_then(Value::as_str)
            {
                out.push(Package::new(PackageType::Npm, name.clone(), version, path));
            }
            if let Some(nested) = v.get("dependencies") {
                walk(nested, path, out, depth + 1);
            }
        }
    }
    if let Some(deps) = lock.get("dependencies") {
        walk(deps, path, &mut out, 0);
    }
    dedup(out)
}

fn dedup(mut v: Vec<Package>) -> Vec<Package> {
    v.sort_by(|a, b| (&a.name, &a.version).cmp(&(&b.name, &b.version)));
    v.dedup_by(|a, b| a.name == b.name && a.version == b.version);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_and_locks() {
        assert!(is_installed_manifest(
            "app/node_modules/lodash/package.json"
        ));
        assert!(is_installed_manifest(
            "node_modules/@babel/core/package.json"
        ));
        assert!(!is_installed_manifest("app/package.json"));
        let m = manifest(
            "x",
            br#"{"name":"lodash","version":"4.17.20","license":"MIT"}"#,
        );
        assert_eq!(m[0].licenses, ["MIT"]);
        let v3 = br#"{"lockfileVersion":3,"packages":{"":{"name":"app"},"node_modules/a":{"version":"1.0.0"},"node_modules/a/node_modules/b":{"version":"2.0.0"},"node_modules/t":{"version":"1.0.0","dev":true}}}"#;
        let names: Vec<String> = lockfile("l", v3).into_iter().map(|p| p.name).collect();
        assert_eq!(names, ["a", "b"]);
        let v1 = br#"{"lockfileVersion":1,"dependencies":{"a":{"version":"1.0.0","dependencies":{"b":{"version":"2.0.0"}}}}}"#;
        assert_eq!(lockfile("l", v1).len(), 2);
    }
}
