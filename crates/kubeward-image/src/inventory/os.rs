//! The operating system, from `os-release(5)` (falling back to
//! `/etc/alpine-release` and `/etc/debian_version`), and the OSV ecosystems
//! its advisories are filed under.

use serde::Serialize;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OsRelease {
    /// `debian`, `ubuntu`, `alpine`, `rocky` …
    pub id: String,
    pub version_id: String,
    pub pretty_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub codename: String,
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    let v = v
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(v);
    v.replace("\\\"", "\"")
}

pub fn parse_os_release(text: &str) -> Option<OsRelease> {
    let mut os = OsRelease::default();
    for line in text.lines() {
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = unquote(value);
        match key.trim() {
            "ID" => os.id = value.to_ascii_lowercase(),
            "VERSION_ID" => os.version_id = value,
            "PRETTY_NAME" => os.pretty_name = value,
            "VERSION_CODENAME" => os.codename = value,
            _ => {}
        }
    }
    (!os.id.is_empty()).then_some(os)
}

impl OsRelease {
    /// The OSV ecosystems to look this system's packages up in, most
    /// specific first.
    pub fn ecosystems(&self) -> Vec<String> {
        let major = self.version_id.split('.').next().unwrap_or("");
        let minor: String = self
            .version_id
            .split('.')
            .take(2)
            .collect::<Vec<_>>()
            .join(".");
        match self.id.as_str() {
            "debian" if !major.is_empty() => vec![format!("Debian:{major}")],
            "ubuntu" => vec![
                format!("Ubuntu:{}:LTS", self.version_id),
                format!("Ubuntu:{}", self.version_id),
            ],
            "alpine" if !minor.is_empty() => vec![format!("Alpine:v{minor}")],
            "rocky" => vec![format!("Rocky Linux:{major}")],
            "almalinux" => vec![format!("AlmaLinux:{major}")],
            "opensuse-leap" => vec![format!("openSUSE:Leap {minor}")],
            "wolfi" => vec!["Wolfi".to_owned()],
            "chainguard" => vec!["Chainguard".to_owned()],
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debian_and_alpine() {
        let d = parse_os_release("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n").unwrap();
        assert_eq!(d.ecosystems(), ["Debian:12"]);
        let a = parse_os_release("ID=alpine\nVERSION_ID=3.19.1\n").unwrap();
        assert_eq!(a.ecosystems(), ["Alpine:v3.19"]);
        assert!(parse_os_release("garbage").is_none());
    }
}
