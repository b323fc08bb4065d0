//! `kubeward.toml` as the commands see it: the file found and read once, each
//! section deserialized and validated by the crate that owns it.

use std::path::{Path, PathBuf};

use kubeward_admission::config::ServeConfig;
use kubeward_core::config::{ConfigError, ConfigFile, ImagesConfig, RulesConfig, ScanConfig, find};
use kubeward_workload::rules::RuleSet;

/// Every section of `kubeward.toml`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Config {
    pub(crate) scan: ScanConfig,
    pub(crate) rules: RulesConfig,
    pub(crate) images: ImagesConfig,
    pub(crate) serve: ServeConfig,
}

impl Config {
    /// The configuration at `path`, else the one found from `scanned` (see
    /// [`find`]), else the defaults.
    pub(crate) fn for_paths(path: Option<&Path>, scanned: &[PathBuf]) -> Result<Self, ConfigError> {
        match path.map(Path::to_path_buf).or_else(|| find(scanned)) {
            Some(path) => Self::load(&path),
            None => Ok(Self::default()),
        }
    }

    pub(crate) fn load(path: &Path) -> Result<Self, ConfigError> {
        let file = ConfigFile::load(path)?;
        file.only_sections(&["scan", "rules", "images", "serve"])?;
        let rules: RulesConfig = file.section("rules")?;
        if let Err(unknown) = RuleSet::from_config(&rules) {
            return Err(file.error_at("rules", &unknown.0, unknown.to_string()));
        }
        Ok(Self {
            scan: file.section("scan")?,
            rules,
            images: file.section("images")?,
            serve: file.section("serve")?,
        })
    }
}
