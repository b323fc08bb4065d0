//! `kubeward.toml`: the file, found and read once, from which each crate
//! deserializes and validates the section it owns ([`ConfigFile::section`]),
//! with errors that name the file and line; and the sections shared by every
//! scanner: `[scan]`, `[rules]` and `[images]`. The admission server's
//! `[serve]` is `kubeward-admission`'s; the binary assembles the sections.
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
//!
//! This module never decides what a section means: unknown rule names, Pod
//! Security levels and server limits are judged by the crates that own them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use crate::rule::Severity;

/// The file name looked for in scanned directories.
pub const CONFIG_FILE: &str = "kubeward.toml";

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
    parsed(d).map(Some)
}

/// Deserializes a string through the type's `FromStr`, so that a section's
/// typed values (severities, thresholds, levels) fail when the file is read,
/// at the value's line.
pub fn parsed<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr<Err = String>,
{
    let s = String::deserialize(d)?;
    s.parse().map_err(serde::de::Error::custom)
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

/// The largest configuration file read.
const MAX_CONFIG_BYTES: u64 = 4 << 20;

/// A `kubeward.toml` read and checked for syntax; its sections are
/// deserialized by the crates that own them.
#[derive(Clone, Debug)]
pub struct ConfigFile {
    path: PathBuf,
    text: String,
}

impl ConfigFile {
    /// Reads a configuration file (bounded in size) and checks its syntax.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = crate::bounded::read_text(path, MAX_CONFIG_BYTES).map_err(|e| ConfigError {
            path: path.to_owned(),
            line: None,
            message: e.to_string(),
        })?;
        Self::parse(path, text)
    }

    /// A configuration text, named `path` in errors.
    pub fn parse(path: &Path, text: impl Into<String>) -> Result<Self, ConfigError> {
        let file = Self {
            path: path.to_owned(),
            text: text.into(),
        };
        file.table()?;
        Ok(file)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn table(&self) -> Result<Spanned<DeTable<'_>>, ConfigError> {
        DeTable::parse(&self.text).map_err(|e| self.toml_error(&e))
    }

    /// Top-level keys other than `known` are an error (a misspelt section
    /// must not be silently ignored).
    pub fn only_sections(&self, known: &[&str]) -> Result<(), ConfigError> {
        let table = self.table()?;
        match table
            .get_ref()
            .keys()
            .find(|k| !known.contains(&k.get_ref().as_ref()))
        {
            Some(key) => Err(self.error(
                Some(self.line_at(key.span().start)),
                format!(
                    "unknown section `{}`, expected one of {}",
                    key.get_ref(),
                    known
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
            None => Ok(()),
        }
    }

    /// Section `name`, deserialized as `T` (its default when absent).
    pub fn section<T: DeserializeOwned + Default>(&self, name: &str) -> Result<T, ConfigError> {
        let table = self.table()?;
        let Some((_, value)) = table
            .into_inner()
            .into_iter()
            .find(|(k, _)| k.get_ref() == name)
        else {
            return Ok(T::default());
        };
        T::deserialize(ValueDeserializer::from(value)).map_err(|e| self.toml_error(&e))
    }

    /// An error about `value` in section `section`, at the line of the first
    /// key or string equal to it there (else of the section, else none).
    pub fn error_at(&self, section: &str, value: &str, message: impl Into<String>) -> ConfigError {
        let line = self.table().ok().and_then(|table| {
            let (key, item) = table
                .get_ref()
                .iter()
                .find(|(k, _)| k.get_ref() == section)?;
            let at = find_in(item, value).unwrap_or(key.span().start);
            Some(self.line_at(at))
        });
        self.error(line, message.into())
    }

    fn toml_error(&self, e: &toml::de::Error) -> ConfigError {
        self.error(
            e.span().map(|span| self.line_at(span.start)),
            e.message().to_owned(),
        )
    }

    fn error(&self, line: Option<u32>, message: String) -> ConfigError {
        ConfigError {
            path: self.path.clone(),
            line,
            message,
        }
    }

    /// The 1-based line of a byte offset.
    fn line_at(&self, offset: usize) -> u32 {
        let newlines = self.text[..offset.min(self.text.len())]
            .matches('\n')
            .count();
        u32::try_from(newlines + 1).unwrap_or(u32::MAX)
    }
}

/// Where, under `item`, a key or a string value equal to `needle` starts.
fn find_in(item: &Spanned<DeValue<'_>>, needle: &str) -> Option<usize> {
    match item.get_ref() {
        DeValue::String(s) if s.as_ref() == needle => Some(item.span().start),
        DeValue::Array(items) => items.iter().find_map(|i| find_in(i, needle)),
        DeValue::Table(table) => table.iter().find_map(|(k, v)| {
            if k.get_ref() == needle {
                Some(k.span().start)
            } else {
                find_in(v, needle)
            }
        }),
        _ => None,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> ConfigFile {
        ConfigFile::parse(Path::new("kubeward.toml"), text).unwrap()
    }

    #[test]
    fn sections_parse() {
        let c = file(
            "[scan]\nfail-on = \"none\"\nexclude = [\"x/**\"]\n[rules]\nignore = [\"KW202\"]\nseverity = { KW141 = \"medium\" }\n[images]\nallowed-registries = [\"ghcr.io/acme\"]\n",
        );
        let scan: ScanConfig = c.section("scan").unwrap();
        let rules: RulesConfig = c.section("rules").unwrap();
        let images: ImagesConfig = c.section("images").unwrap();
        assert_eq!(scan.fail_on, Some(Threshold::Never));
        assert_eq!(rules.severity["KW141"], Severity::Medium);
        assert_eq!(images.allowed_registries, ["ghcr.io/acme"]);
        let absent: ImagesConfig = file("").section("images").unwrap();
        assert!(absent.allowed_registries.is_empty());
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let c = file("[scan]\nfail-on = \"severe\"\n");
        let e = c.section::<ScanConfig>("scan").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.to_string().starts_with("kubeward.toml:2: "), "{e}");
        assert!(e.message.contains("unknown severity"), "{e}");
        let e = file("[rules]\n\nsellect = []\n")
            .section::<RulesConfig>("rules")
            .unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("sellect"), "{e}");
        let e = ConfigFile::parse(Path::new("k.toml"), "[rules\n").unwrap_err();
        assert_eq!(e.line, Some(1));
    }

    #[test]
    fn unknown_sections_and_located_values() {
        let c = file("[scan]\n\n[ruels]\nselect = [\"KW1\"]\n");
        let e = c.only_sections(&["scan", "rules"]).unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("`ruels`"), "{e}");
        let c = file(
            "[rules]\nselect = [\n  \"KW101\",\n  \"KW999\",\n]\nseverity = { KW998 = \"low\" }\n",
        );
        assert_eq!(c.error_at("rules", "KW999", "x").line, Some(4));
        assert_eq!(c.error_at("rules", "KW998", "x").line, Some(6));
        assert_eq!(c.error_at("rules", "nowhere", "x").line, Some(1));
        assert_eq!(c.error_at("serve", "x", "x").line, None);
    }
}
