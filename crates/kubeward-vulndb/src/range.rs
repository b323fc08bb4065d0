//! Whether a version is affected: OSV's `versions` lists and `ranges` with
//! `introduced`, `fixed`, `last_affected` and `limit` events, evaluated as the
//! OSV schema's "Evaluation" section describes, under the ecosystem's ordering.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::ecosystem::Scheme;

/// How a range's versions are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RangeKind {
    /// The ecosystem's own ordering.
    Ecosystem,
    /// Semantic Versioning 2.0.
    Semver,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    Introduced(String),
    Fixed(String),
    LastAffected(String),
    Limit(String),
}

impl Event {
    pub fn version(&self) -> &str {
        match self {
            Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v) => v,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    pub kind: RangeKind,
    pub events: Vec<Event>,
}

/// The verdict for one version against one affected entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    NotAffected,
    /// Affected; `fixed` is the version that fixes it, when one is known.
    Affected {
        fixed: Option<String>,
    },
}

fn compare(scheme: Scheme, kind: RangeKind, a: &str, b: &str) -> Option<Ordering> {
    match kind {
        RangeKind::Ecosystem => scheme.compare(a, b),
        // Go's SEMVER ranges omit the `v` its versions carry; Go's ordering
        // accepts both, and is semver's otherwise.
        RangeKind::Semver if scheme == Scheme::Go => scheme.compare(a, b),
        RangeKind::Semver => Scheme::Semver.compare(a, b),
    }
}

impl Range {
    /// Evaluates the range for `version`. Events are sorted by version (with
    /// `introduced: "0"` first); walking them, an `introduced` at or below the
    /// version opens the range, a `fixed` at or below it (or a
    /// `last_affected` below it) closes it; `limit` events bound the whole
    /// range from above. Events whose versions do not parse are ignored; a
    /// version that does not parse is never affected.
    pub fn evaluate(&self, scheme: Scheme, version: &str) -> Verdict {
        let cmp = |a: &str, b: &str| compare(scheme, self.kind, a, b);
        if cmp(version, version).is_none() {
            return Verdict::NotAffected;
        }
        let is_zero = |e: &Event| matches!(e, Event::Introduced(v) if v == "0");
        let mut events: Vec<&Event> = self
            .events
            .iter()
            .filter(|e| is_zero(e) || cmp(e.version(), e.version()).is_some())
            .collect();
        events.sort_by(|a, b| match (is_zero(a), is_zero(b)) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => cmp(a.version(), b.version()).unwrap_or(Ordering::Equal),
        });
        let below_limits = events.iter().all(|e| match e {
            Event::Limit(l) => l == "*" || cmp(version, l) == Some(Ordering::Less),
            _ => true,
        });
        if !below_limits {
            return Verdict::NotAffected;
        }
        let mut affected = false;
        for e in &events {
            match e {
                Event::Introduced(v) => {
                    if v == "0" || cmp(version, v) != Some(Ordering::Less) {
                        affected = true;
                    }
                }
                Event::Fixed(v) => {
                    if cmp(version, v) != Some(Ordering::Less) {
                        affected = false;
                    }
                }
                Event::LastAffected(v) => {
                    if cmp(version, v) == Some(Ordering::Greater) {
                        affected = false;
                    }
                }
                Event::Limit(_) => {}
            }
        }
        if !affected {
            return Verdict::NotAffected;
        }
        // The fix is the first `fixed` event above the installed version.
        let fixed = events.iter().find_map(|e| match e {
            Event::Fixed(v) if cmp(version, v) == Some(Ordering::Less) => Some(v.clone()),
            _ => None,
        });
        Verdict::Affected { fixed }
    }
}

/// What a store keeps of one OSV `affected` entry for one package.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedEntry {
    /// The advisory id.
    pub id: String,
    /// The ecosystem as the advisory spelled it (`Debian:12`).
    pub ecosystem: String,
    pub ranges: Vec<Range>,
    pub versions: Vec<String>,
}

impl AffectedEntry {
    pub fn evaluate(&self, version: &str) -> Verdict {
        let Some(scheme) = Scheme::of_ecosystem(&self.ecosystem) else {
            return Verdict::NotAffected;
        };
        let listed = self
            .versions
            .iter()
            .any(|v| v == version || scheme.compare(v, version) == Some(Ordering::Equal));
        let mut fixed_by_range = None;
        let mut affected_by_range = false;
        for range in &self.ranges {
            if let Verdict::Affected { fixed } = range.evaluate(scheme, version) {
                affected_by_range = true;
                if fixed_by_range.is_none() {
                    fixed_by_range = fixed;
                }
            }
        }
        if affected_by_range || listed {
            Verdict::Affected {
                fixed: fixed_by_range,
            }
        } else {
            Verdict::NotAffected
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(kind: RangeKind, events: &[(&str, &str)]) -> Range {
        Range {
            kind,
            events: events
                .iter()
                .map(|(k, v)| {
                    let v = (*v).to_owned();
                    match *k {
                        "introduced" => Event::Introduced(v),
                        "fixed" => Event::Fixed(v),
                        "last_affected" => Event::LastAffected(v),
                        _ => Event::Limit(v),
                    }
                })
                .collect(),
        }
    }

    #[test]
    fn introduced_fixed() {
        let r = range(
            RangeKind::Semver,
            &[("introduced", "1.0.0"), ("fixed", "1.2.0")],
        );
        assert_eq!(r.evaluate(Scheme::Semver, "0.9.0"), Verdict::NotAffected);
        assert_eq!(
            r.evaluate(Scheme::Semver, "1.1.5"),
            Verdict::Affected {
                fixed: Some("1.2.0".into())
            }
        );
        assert_eq!(r.evaluate(Scheme::Semver, "1.2.0"), Verdict::NotAffected);
    }

    #[test]
    fn several_intervals_unsorted() {
        let r = range(
            RangeKind::Ecosystem,
            &[
                ("fixed", "2.5"),
                ("introduced", "2.0"),
                ("introduced", "0"),
                ("fixed", "1.5"),
            ],
        );
        let pep = Scheme::Pep440;
        assert!(matches!(r.evaluate(pep, "1.0"), Verdict::Affected { .. }));
        assert_eq!(r.evaluate(pep, "1.7"), Verdict::NotAffected);
        assert_eq!(
            r.evaluate(pep, "2.1"),
            Verdict::Affected {
                fixed: Some("2.5".into())
            }
        );
        assert_eq!(r.evaluate(pep, "3.0"), Verdict::NotAffected);
    }

    #[test]
    fn last_affected_and_limit() {
        let r = range(
            RangeKind::Ecosystem,
            &[("introduced", "0"), ("last_affected", "1:2.0-1")],
        );
        assert!(matches!(
            r.evaluate(Scheme::Dpkg, "1:2.0-1"),
            Verdict::Affected { fixed: None }
        ));
        assert_eq!(r.evaluate(Scheme::Dpkg, "1:2.0-2"), Verdict::NotAffected);
        let r = range(
            RangeKind::Semver,
            &[("introduced", "0"), ("limit", "2.0.0")],
        );
        assert!(matches!(
            r.evaluate(Scheme::Semver, "1.0.0"),
            Verdict::Affected { .. }
        ));
        assert_eq!(r.evaluate(Scheme::Semver, "2.0.0"), Verdict::NotAffected);
    }

    #[test]
    fn versions_list_and_go_prefix() {
        let entry = AffectedEntry {
            id: "GO-1".into(),
            ecosystem: "Go".into(),
            ranges: vec![range(
                RangeKind::Semver,
                &[("introduced", "0"), ("fixed", "0.17.0")],
            )],
            versions: vec![],
        };
        assert!(matches!(
            entry.evaluate("v0.16.0"),
            Verdict::Affected { .. }
        ));
        assert_eq!(entry.evaluate("v0.17.0"), Verdict::NotAffected);
        let listed = AffectedEntry {
            id: "PYSEC-1".into(),
            ecosystem: "PyPI".into(),
            ranges: vec![],
            versions: vec!["1.0".into()],
        };
        assert!(matches!(
            listed.evaluate("1.0.0"),
            Verdict::Affected { fixed: None }
        ));
        assert_eq!(listed.evaluate("1.1"), Verdict::NotAffected);
    }
}
