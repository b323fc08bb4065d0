//! Platforms (`linux/amd64`, `linux/arm64/v8`) and picking one out of a
//! multi-platform index.

use std::fmt;
use std::str::FromStr;

use serde_json::Value;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
}

impl Default for Platform {
    fn default() -> Self {
        Platform {
            os: "linux".into(),
            architecture: "amd64".into(),
            variant: None,
        }
    }
}

impl FromStr for Platform {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.split('/').collect();
        match parts.as_slice() {
            [os, arch] if !os.is_empty() && !arch.is_empty() => Ok(Platform {
                os: (*os).into(),
                architecture: (*arch).into(),
                variant: None,
            }),
            [os, arch, variant] if !os.is_empty() && !arch.is_empty() => Ok(Platform {
                os: (*os).into(),
                architecture: (*arch).into(),
                variant: Some((*variant).into()),
            }),
            _ => Err(format!("platform `{s}` is not OS/ARCH[/VARIANT]")),
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

impl Platform {
    /// Whether a descriptor's `platform` object matches (a missing variant
    /// on either side matches any).
    pub fn matches(&self, platform: &Value) -> bool {
        let get = |k: &str| platform.get(k).and_then(Value::as_str);
        get("os") == Some(self.os.as_str())
            && get("architecture") == Some(self.architecture.as_str())
            && match (&self.variant, get("variant")) {
                (Some(want), Some(have)) => want == have,
                _ => true,
            }
    }
}

/// Media types of indexes (lists of manifests).
pub fn is_index(media_type: &str) -> bool {
    media_type == "application/vnd.oci.image.index.v1+json"
        || media_type == "application/vnd.docker.distribution.manifest.list.v2+json"
}

/// The descriptor in an index's `manifests` for `platform`.
pub fn pick<'a>(index: &'a Value, platform: &Platform) -> Result<&'a Value, String> {
    let manifests = index
        .get("manifests")
        .and_then(Value::as_array)
        .ok_or("the index lists no manifests")?;
    // Attestation manifests (`unknown/unknown`) are never picked.
    let candidates: Vec<&Value> = manifests
        .iter()
        .filter(|m| {
            m.get("platform")
                .is_none_or(|p| p.get("os").and_then(Value::as_str) != Some("unknown"))
        })
        .collect();
    if let Some(m) = candidates
        .iter()
        .find(|m| m.get("platform").is_some_and(|p| platform.matches(p)))
    {
        return Ok(m);
    }
    if candidates.len() == 1 && candidates[0].get("platform").is_none() {
        return Ok(candidates[0]);
    }
    let offered: Vec<String> = candidates
        .iter()
        .filter_map(|m| m.get("platform"))
        .map(|p| {
            let get = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("?");
            format!("{}/{}", get("os"), get("architecture"))
        })
        .collect();
    Err(format!(
        "no manifest for {platform} (the index offers {})",
        offered.join(", ")
    ))
}
