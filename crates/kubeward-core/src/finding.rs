//! What a rule reports.

use std::sync::Arc;

use crate::object::ObjectMeta;
use crate::origin::Location;
use crate::rule::{RuleMeta, Severity};

/// One rule firing on one place.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    /// The rule's severity, or the configured override.
    pub severity: Severity,
    /// The offending field, or the nearest present ancestor when it is missing.
    pub location: Location,
    /// The object the finding is about, when it is about one.
    pub object: Option<Arc<ObjectMeta>>,
    /// The JSON path of the field within the object (`spec.containers[0].image`).
    pub path: String,
    pub message: String,
    /// `Some(reason)` when an ignore annotation or comment silenced the finding
    /// (an empty reason when none was given).
    pub suppressed: Option<String>,
}

impl Finding {
    /// The order findings are reported in: by file, position, then rule.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        let pos = self.location.pos();
        (
            self.location.file(),
            pos.line,
            pos.column,
            self.rule.id,
            &self.path,
        )
    }
}

/// Counts of findings by severity, with suppressed ones apart.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Indexed by `Severity as usize`.
    pub by_severity: [usize; 5],
    pub suppressed: usize,
}

impl Counts {
    pub fn of(findings: &[Finding]) -> Self {
        let mut counts = Counts::default();
        for f in findings {
            if f.suppressed.is_some() {
                counts.suppressed += 1;
            } else {
                counts.by_severity[f.severity as usize] += 1;
            }
        }
        counts
    }

    pub fn get(&self, severity: Severity) -> usize {
        self.by_severity[severity as usize]
    }

    /// Unsuppressed findings.
    pub fn active(&self) -> usize {
        self.by_severity.iter().sum()
    }

    /// Unsuppressed findings at or above `threshold`.
    pub fn at_or_above(&self, threshold: Severity) -> usize {
        self.by_severity[threshold as usize..].iter().sum()
    }
}
