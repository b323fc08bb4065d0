//! What `kubeward image scan` reports: the scanned image, its vulnerabilities
//! and check findings after the user's filters, and the exit code they imply.

use kubeward_core::Severity;
use kubeward_vulndb::cvss::Rating;
use kubeward_vulndb::store::DbInfo;

use crate::checks::ImageFinding;
use crate::scan::ScannedImage;
use crate::vulns::Vulnerability;

/// The core severity a vulnerability rating counts as for `--fail-on`.
pub fn severity_of(rating: Rating) -> Severity {
    match rating {
        Rating::Critical => Severity::Critical,
        Rating::High => Severity::High,
        Rating::Medium => Severity::Medium,
        Rating::Low => Severity::Low,
        Rating::None | Rating::Unknown => Severity::Info,
    }
}

/// Which vulnerabilities and findings to show.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only these ratings (`unknown` stands for unknown and none); empty: all.
    pub severities: Vec<Rating>,
    /// Leave out vulnerabilities without a fixed version.
    pub ignore_unfixed: bool,
    /// Advisory ids (or aliases) and check ids/slugs to leave out.
    pub ignore: Vec<String>,
}

impl Filter {
    fn keeps_rating(&self, r: Rating) -> bool {
        let r = if r == Rating::None {
            Rating::Unknown
        } else {
            r
        };
        self.severities.is_empty() || self.severities.contains(&r)
    }

    pub fn keeps_vulnerability(&self, v: &Vulnerability) -> bool {
        self.keeps_rating(v.severity)
            && !(self.ignore_unfixed && v.fixed.is_none())
            && !self.ignore.iter().any(|i| {
                i.eq_ignore_ascii_case(&v.id) || v.aliases.iter().any(|a| a.eq_ignore_ascii_case(i))
            })
    }

    pub fn keeps_finding(&self, f: &ImageFinding) -> bool {
        let rating = match f.rule.severity {
            Severity::Critical => Rating::Critical,
            Severity::High => Rating::High,
            Severity::Medium => Rating::Medium,
            Severity::Low => Rating::Low,
            Severity::Info => Rating::Unknown,
        };
        self.keeps_rating(rating) && !self.ignore.iter().any(|i| f.rule.is_named(i))
    }
}

/// A finished scan, ready to render.
#[derive(Debug)]
pub struct ImageReport<'a> {
    pub tool_version: &'a str,
    pub image: &'a ScannedImage,
    pub vulnerabilities: Vec<Vulnerability>,
    pub findings: Vec<ImageFinding>,
    /// The database used; `None` when vulnerabilities were not looked up.
    pub database: Option<&'a DbInfo>,
    pub fail_on: Option<Severity>,
}

impl ImageReport<'_> {
    /// Vulnerabilities and findings at or above the threshold.
    pub fn failing(&self) -> usize {
        let Some(t) = self.fail_on else { return 0 };
        self.vulnerabilities
            .iter()
            .filter(|v| severity_of(v.severity) >= t)
            .count()
            + self
                .findings
                .iter()
                .filter(|f| f.rule.severity >= t)
                .count()
    }

    /// 1 when something is at or above the threshold, else 0.
    pub fn exit_code(&self) -> u8 {
        u8::from(self.failing() > 0)
    }

    /// Vulnerability counts by rating, highest first.
    pub fn counts(&self) -> [(Rating, usize); 5] {
        let count = |r: Rating| {
            self.vulnerabilities
                .iter()
                .filter(|v| v.severity == r || (r == Rating::Unknown && v.severity == Rating::None))
                .count()
        };
        [
            Rating::Critical,
            Rating::High,
            Rating::Medium,
            Rating::Low,
            Rating::Unknown,
        ]
        .map(|r| (r, count(r)))
    }
}
