//! `kubeward.toml`: which rules run, at which severity, and the settings they read.
//!
//! ```toml
//! [scan]
//! fail-on = "high"              # critical | high | medium | low | info | none
//! exclude = ["vendor/**", "testdata"]
//!
//! [rules]
//! select = []                   # only these rules (ids or slugs); empty means all
//! ignore = ["KW202"]            # never these
//! severity = { KW141 = "medium" }
//!
//! [images]
//! allowed-registries = ["ghcr.io/acme", "registry.example.com"]
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::rule::Severity;

/// The file name looked for in scanned directories.
pub const CONFIG_FILE: &str = "kubeward.toml";

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    #[serde(default)]
    pub scan: ScanConfig,
    #[serde(default)]
    pub rules: RulesConfig,
    #[serde(default)]
    pub images: ImagesConfig,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ScanConfig {
    /// Lowest severity that makes the exit code 1; `None` when set to `"none"`.
    #[serde(default, deserialize_with = "threshold")]
    pub fail_on: Option<Threshold>,
    /// Globs of paths left out of directory walks.
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// The `--fail-on` threshold: a severity, or never fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Threshold {
    At(Severity),
    Never,
}

impl std::str::FromStr for Threshold {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("none") {
            Ok(Threshold::Never)
        } else {
            s.parse().map(Threshold::At)
        }
    }
}

fn threshold<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Threshold>, D::Error> {
    let s = String::deserialize(d)?;
    s.parse().map(Some).map_err(serde::de::Error::custom)
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RulesConfig {
    #[serde(default)]
    pub select: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ImagesConfig {
    /// Registries (host, or host/path prefix) images may come from. Empty
    /// disables the registry rule.
    #[serde(default)]
    pub allowed_registries: Vec<String>,
}

/// A configuration file that could not be used: `file:line: message`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: Option<u32>,
    pub message: String,
}

impl Config {
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let error = |line, message: String| ConfigError {
            path: path.to_owned(),
            line,
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| error(None, e.to_string()))?;
        Self::parse(&text).map_err(|(line, message)| error(line, message))
    }

    /// Parses a configuration text; errors carry the line where there is one.
    pub fn parse(text: &str) -> Result<Self, (Option<u32>, String)> {
        toml::from_str(text).map_err(|e: toml::de::Error| {
            let line = e.span().map(|span| {
                let newlines = text[..span.start.min(text.len())].matches('\n').count();
                u32::try_from(newlines + 1).unwrap_or(u32::MAX)
            });
            (line, e.message().to_owned())
        })
    }

    /// The configuration file for a scan: the first `kubeward.toml` found in
    /// a scanned directory (or a scanned file's directory) or one of its
    /// parents, else in the working directory or one of its parents.
    pub fn find(scanned: &[PathBuf]) -> Option<PathBuf> {
        let starts = scanned.iter().filter(|p| p.as_os_str() != "-").map(|p| {
            let dir = if p.is_dir() {
                p.as_path()
            } else {
                p.parent().unwrap_or(Path::new(""))
            };
            std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf())
        });
        let here = std::env::current_dir().ok();
        starts
            .chain(here)
            .flat_map(|dir| {
                dir.ancestors()
                    .map(|a| a.join(CONFIG_FILE))
                    .collect::<Vec<_>>()
            })
            .find(|candidate| candidate.is_file())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_config_parses() {
        let c = Config::parse(
            "[scan]\nfail-on = \"none\"\nexclude = [\"x/**\"]\n[rules]\nignore = [\"KW202\"]\nseverity = { KW141 = \"medium\" }\n[images]\nallowed-registries = [\"ghcr.io/acme\"]\n",
        )
        .unwrap();
        assert_eq!(c.scan.fail_on, Some(Threshold::Never));
        assert_eq!(c.rules.severity["KW141"], Severity::Medium);
        assert_eq!(c.images.allowed_registries, ["ghcr.io/acme"]);
    }

    #[test]
    fn errors_name_the_line() {
        let (line, message) = Config::parse("[scan]\nfail-on = \"severe\"\n").unwrap_err();
        assert_eq!(line, Some(2));
        assert!(message.contains("unknown severity"), "{message}");
        let (line, message) = Config::parse("[rules]\n\nsellect = []\n").unwrap_err();
        assert_eq!(line, Some(3));
        assert!(message.contains("sellect"), "{message}");
    }
}
