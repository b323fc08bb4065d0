//! Severity of an advisory: a CVSS score computed from the vector (v2, v3.x
//! and v4.0, through RustSec's `cvss` crate) and the rating
//! (Critical/High/Medium/Low/None). Where a record has no vector, the
//! rating its database gives (`database_specific.severity`, an Ubuntu
//! priority) is used.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::osv::{Record, SeverityEntry};

/// A qualitative rating, ordered from `Unknown` (least) to `Critical`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    Unknown,
    None,
    Low,
    Medium,
    High,
    Critical,
}

impl Rating {
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Unknown => "unknown",
            Rating::None => "none",
            Rating::Low => "low",
            Rating::Medium => "medium",
            Rating::High => "high",
            Rating::Critical => "critical",
        }
    }

    /// A rating word as databases spell it (`MODERATE`, `important`, `negligible` …).
    pub fn from_word(word: &str) -> Option<Rating> {
        Some(match word.trim().to_ascii_lowercase().as_str() {
            "critical" => Rating::Critical,
            "high" | "important" => Rating::High,
            "medium" | "moderate" => Rating::Medium,
            "low" | "negligible" | "unimportant" => Rating::Low,
            "none" => Rating::None,
            "unknown" | "not yet assigned" | "untriaged" => Rating::Unknown,
            _ => return None,
        })
    }

    /// The CVSS v3/v4 qualitative scale for a base score.
    pub fn of_score(score: f64) -> Rating {
        match score {
            s if s >= 9.0 => Rating::Critical,
            s if s >= 7.0 => Rating::High,
            s if s >= 4.0 => Rating::Medium,
            s if s > 0.0 => Rating::Low,
            _ => Rating::None,
        }
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for Rating {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Rating::from_word(s).ok_or_else(|| {
            format!("unknown severity `{s}` (critical, high, medium, low, none, unknown)")
        })
    }
}

/// The severity kubeward reports for an advisory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Severity {
    pub rating: Rating,
    /// The CVSS base score, when a vector was given.
    pub score: Option<f32>,
    /// The vector the score comes from.
    pub vector: Option<String>,
}

impl Default for Severity {
    fn default() -> Self {
        Severity {
            rating: Rating::Unknown,
            score: None,
            vector: None,
        }
    }
}

/// The score of one OSV severity entry: `Some((score, vector))` for CVSS ones.
fn cvss_score(entry: &SeverityEntry) -> Option<(f64, Rating)> {
    if !entry.kind.starts_with("CVSS_") {
        return None;
    }
    let vector = entry.score.trim();
    // v2 vectors carry no `CVSS:` prefix, and the crate reads them so.
    let parsed = cvss::Cvss::from_str(vector.trim_start_matches("CVSS:2.0/")).ok()?;
    let score = parsed.score();
    let rating = match entry.kind.as_str() {
        // NVD's v2 scale has no Critical.
        "CVSS_V2" => match score {
            s if s >= 7.0 => Rating::High,
            s if s >= 4.0 => Rating::Medium,
            _ => Rating::Low,
        },
        _ => Rating::of_score(score),
    };
    Some((score, rating))
}

/// The best severity of a list of OSV entries: the newest CVSS version wins
/// (v4 over v3 over v2); a non-CVSS entry (`Ubuntu`) gives a rating only.
pub fn from_entries(entries: &[SeverityEntry]) -> Option<Severity> {
    let rank = |kind: &str| match kind {
        "CVSS_V4" => 3,
        "CVSS_V3" => 2,
        "CVSS_V2" => 1,
        _ => 0,
    };
    let mut best: Option<(u8, Severity)> = None;
    for entry in entries {
        let candidate = match cvss_score(entry) {
            Some((score, rating)) => Severity {
                rating,
                score: Some(score as f32),
                vector: Some(entry.score.trim().to_owned()),
            },
            None => match Rating::from_word(&entry.score) {
                Some(rating) => Severity {
                    rating,
                    score: None,
                    vector: None,
                },
                None => continue,
            },
        };
        let r = rank(&entry.kind);
        if best.as_ref().is_none_or(|(b, _)| r > *b) {
            best = Some((r, candidate));
        }
    }
    best.map(|(_, s)| s)
}

/// A rating word under `database_specific.severity` (GitHub, PyPA) or
/// `ecosystem_specific.urgency`/`severity`.
fn rating_in(value: Option<&Value>) -> Option<Rating> {
    let v = value?;
    ["severity", "urgency", "priority"]
        .iter()
        .find_map(|k| v.get(k).and_then(Value::as_str).and_then(Rating::from_word))
}

/// The severity of a record: its `severity` list, else those of its
/// affected entries, else the rating words its databases add.
pub fn of_record(record: &Record) -> Severity {
    if let Some(s) = from_entries(&record.severity) {
        return s;
    }
    for a in &record.affected {
        if let Some(s) = from_entries(&a.severity) {
            return s;
        }
    }
    let word = rating_in(record.database_specific.as_ref()).or_else(|| {
        record.affected.iter().find_map(|a| {
            rating_in(a.ecosystem_specific.as_ref()).or(rating_in(a.database_specific.as_ref()))
        })
    });
    Severity {
        rating: word.unwrap_or(Rating::Unknown),
        score: None,
        vector: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: &str, score: &str) -> SeverityEntry {
        SeverityEntry {
            kind: kind.into(),
            score: score.into(),
        }
    }

    #[test]
    fn v3_vectors_score() {
        let s = from_entries(&[entry(
            "CVSS_V3",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        )])
        .unwrap();
        assert_eq!(s.score, Some(9.8));
        assert_eq!(s.rating, Rating::Critical);
        let s = from_entries(&[entry(
            "CVSS_V3",
            "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N",
        )])
        .unwrap();
        assert_eq!(s.score, Some(5.5));
        assert_eq!(s.rating, Rating::Medium);
    }

    #[test]
    fn words_and_v2() {
        assert_eq!(
            from_entries(&[entry("Ubuntu", "medium")]).unwrap().rating,
            Rating::Medium
        );
        let v2 = from_entries(&[entry("CVSS_V2", "AV:N/AC:L/Au:N/C:P/I:P/A:P")]).unwrap();
        assert_eq!(v2.score, Some(7.5));
        assert_eq!(v2.rating, Rating::High);
        assert_eq!(Rating::from_word("MODERATE"), Some(Rating::Medium));
    }
}
