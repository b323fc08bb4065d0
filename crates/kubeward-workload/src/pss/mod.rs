//! Pod Security Standards with the semantics of Kubernetes' Pod Security
//! Admission: the `baseline` and `restricted` checks, each in the variant of
//! the requested policy version (`v1.0` … `latest`), including the Windows and
//! user-namespace relaxations and the restricted checks that replace baseline
//! ones.

mod checks;

use std::fmt;
use std::str::FromStr;

use kubeward_core::{Node, Pos};

use crate::pod::Pod;

/// The legacy pod seccomp annotation, read by `seccompProfile_baseline`
/// before v1.19 (and by API servers before v1.27, which copy it into the field).
pub const SECCOMP_POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
/// The legacy per-container seccomp annotations: this prefix and the
/// container's name.
pub const SECCOMP_CONTAINER_ANNOTATION_PREFIX: &str =
    "container.seccomp.security.alpha.kubernetes.io/";
/// The per-container AppArmor annotations: this prefix and the container's
/// name.
pub const APPARMOR_CONTAINER_ANNOTATION_PREFIX: &str =
    "container.apparmor.security.beta.kubernetes.io/";

/// The pod annotations some check reads (seccomp and AppArmor), in source
/// order: a pod whose spec and these are unchanged needs no new check.
pub fn annotations_read<'a>(pod: &Pod<'a>) -> Vec<(&'a str, &'a Node)> {
    pod.annotations()
        .filter(|(key, _)| {
            *key == SECCOMP_POD_ANNOTATION
                || key.starts_with(SECCOMP_CONTAINER_ANNOTATION_PREFIX)
                || key.starts_with(APPARMOR_CONTAINER_ANNOTATION_PREFIX)
        })
        .collect()
}

/// A Pod Security Standards level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Privileged,
    Baseline,
    Restricted,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for Level {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "privileged" => Ok(Level::Privileged),
            "baseline" => Ok(Level::Baseline),
            "restricted" => Ok(Level::Restricted),
            _ => Err(format!(
                "unknown Pod Security level `{s}` (privileged, baseline, restricted)"
            )),
        }
    }
}

/// The newest policy version any check has a variant for; `latest` and newer
/// versions are evaluated as this one.
pub const NEWEST_MINOR: u32 = 37;

/// A Pod Security policy version: `v1.N` or `latest`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Version {
    #[default]
    Latest,
    V1(u32),
}

impl Version {
    /// The minor version whose check variants apply.
    pub fn minor(self) -> u32 {
        match self {
            Version::Latest => NEWEST_MINOR,
            Version::V1(n) => n.min(NEWEST_MINOR),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::Latest => f.write_str("latest"),
            Version::V1(n) => write!(f, "v1.{n}"),
        }
    }
}

impl FromStr for Version {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "latest" {
            return Ok(Version::Latest);
        }
        s.strip_prefix("v1.")
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|n| n.parse().ok())
            .map(Version::V1)
            .ok_or_else(|| format!("invalid Pod Security version `{s}` (v1.N or latest)"))
    }
}

/// One field that breaks one check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The upstream check id (`hostNamespaces`, `capabilities_restricted` …).
    pub check: &'static str,
    /// The level the check belongs to.
    pub level: Level,
    /// The check's reason, as Pod Security Admission words its denials
    /// (`host namespaces`, `privileged` …).
    pub reason: &'static str,
    /// JSON path of the offending field (or of where a required one is missing).
    pub field: String,
    pub pos: Pos,
    /// What is wrong, naming the container or pod.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.reason, self.message)
    }
}

/// A check's finding before it is tagged with the check.
#[derive(Debug)]
struct Problem {
    field: String,
    pos: Pos,
    message: String,
}

impl Problem {
    fn new(field: String, pos: Pos, message: impl Into<String>) -> Self {
        Self {
            field,
            pos,
            message: message.into(),
        }
    }
}

/// A check: its id, level, first version, the baseline check it replaces at
/// restricted, and its function (which applies its own version variants).
#[derive(Debug)]
struct Check {
    id: &'static str,
    reason: &'static str,
    level: Level,
    since: u32,
    /// `(baseline check id, from version)`.
    replaces: Option<(&'static str, u32)>,
    run: fn(&Pod<'_>, u32, &mut Vec<Problem>),
}

impl Check {
    fn violation(&self, problem: Problem) -> Violation {
        Violation {
            check: self.id,
            level: self.level,
            reason: self.reason,
            field: problem.field,
            pos: problem.pos,
            message: problem.message,
        }
    }

    /// Whether the check runs when evaluating `level` at `minor`.
    fn runs_at(&self, level: Level, minor: u32) -> bool {
        if self.since > minor || self.level > level {
            return false;
        }
        let replaced = level == Level::Restricted
            && checks::ALL.iter().any(|other| {
                other
                    .replaces
                    .is_some_and(|(id, from)| id == self.id && from <= minor)
                    && other.since <= minor
            });
        !replaced
    }
}

/// What a pod meets at one version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assessment {
    /// The highest level the pod meets.
    pub level: Level,
    /// Every violation of a baseline or restricted check that applies at the
    /// version (a field can break a baseline check and the restricted check
    /// that replaces it; both are listed).
    pub violations: Vec<Violation>,
}

impl Assessment {
    /// Whether the pod meets `level`.
    pub fn meets(&self, level: Level) -> bool {
        self.level >= level
    }
}

/// Evaluates every check of a version once and works out the highest level met.
pub fn assess(pod: &Pod<'_>, version: Version) -> Assessment {
    let minor = version.minor();
    let mut violations = Vec::new();
    let mut baseline_ok = true;
    let mut restricted_ok = true;
    let mut problems = Vec::new();
    for check in checks::ALL {
        let at_baseline = check.runs_at(Level::Baseline, minor);
        let at_restricted = check.runs_at(Level::Restricted, minor);
        if !at_baseline && !at_restricted {
            continue;
        }
        problems.clear();
        (check.run)(pod, minor, &mut problems);
        if problems.is_empty() {
            continue;
        }
        baseline_ok &= !at_baseline;
        restricted_ok &= !at_restricted;
        violations.extend(problems.drain(..).map(|p| check.violation(p)));
    }
    let level = if !baseline_ok {
        Level::Privileged
    } else if !restricted_ok {
        Level::Baseline
    } else {
        Level::Restricted
    };
    Assessment { level, violations }
}

/// The ids of the checks that deny a pod at `level` and `version`
/// (empty when the pod is allowed).
pub fn denying_checks(pod: &Pod<'_>, level: Level, version: Version) -> Vec<&'static str> {
    let minor = version.minor();
    let mut problems = Vec::new();
    checks::ALL
        .iter()
        .filter(|check| check.runs_at(level, minor))
        .filter(|check| {
            problems.clear();
            (check.run)(pod, minor, &mut problems);
            !problems.is_empty()
        })
        .map(|check| check.id)
        .collect()
}

/// The violations of one check (by id) at a version, whatever the level;
/// hardening rules that mean exactly a Pod Security check use this.
pub fn check(id: &str, pod: &Pod<'_>, version: Version) -> Vec<Violation> {
    let minor = version.minor();
    let Some(check) = checks::ALL.iter().find(|c| c.id == id && c.since <= minor) else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    (check.run)(pod, minor, &mut problems);
    problems.into_iter().map(|p| check.violation(p)).collect()
}

/// The restricted check that replaces `baseline_check` at `version`, if any.
pub fn replacement(baseline_check: &str, version: Version) -> Option<&'static str> {
    let minor = version.minor();
    checks::ALL
        .iter()
        .find(|c| {
            c.replaces
                .is_some_and(|(id, from)| id == baseline_check && from <= minor)
                && c.since <= minor
        })
        .map(|c| c.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_and_clamp() {
        assert_eq!("latest".parse(), Ok(Version::Latest));
        assert_eq!("v1.25".parse(), Ok(Version::V1(25)));
        assert_eq!("v1.99".parse::<Version>().unwrap().minor(), NEWEST_MINOR);
        for bad in ["1.25", "v2.0", "v1.", "v1.x", "v1.-1"] {
            assert!(bad.parse::<Version>().is_err(), "{bad}");
        }
    }

    #[test]
    fn replacements_by_version() {
        assert_eq!(
            replacement("hostPathVolumes", Version::V1(0)),
            Some("restrictedVolumes")
        );
        assert_eq!(
            replacement("seccompProfile_baseline", Version::V1(18)),
            None
        );
        assert_eq!(
            replacement("seccompProfile_baseline", Version::V1(19)),
            Some("seccompProfile_restricted")
        );
        assert_eq!(
            replacement("capabilities_baseline", Version::V1(22)),
            Some("capabilities_restricted")
        );
        assert_eq!(replacement("procMount", Version::V1(34)), None);
        assert_eq!(
            replacement("procMount", Version::Latest),
            Some("procMount_restricted")
        );
    }
}
