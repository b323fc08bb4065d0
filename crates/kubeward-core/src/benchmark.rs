//! Benchmark results: checks run against a machine (the CIS Kubernetes
//! Benchmark, host hardening) rather than against manifests. Each result says
//! what was checked, what was seen (evidence) and what to do about it.

use crate::origin::Diagnostic;
use crate::rule::RuleMeta;

/// The outcome of one check, as kube-bench names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Pass,
    Fail,
    /// Needs a person: a manual check, or one that could not be decided.
    Warn,
    /// Informational only (a check marked `skip`).
    Info,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Pass, Status::Fail, Status::Warn, Status::Info];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Warn => "WARN",
            Status::Info => "INFO",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// One fact a check looked at: where, which setting, and the value seen.
/// Values of secrets are never recorded, only where they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    /// The file (as a path on the checked machine, not under `--root`).
    pub file: Option<String>,
    pub line: Option<u32>,
    /// The flag, configuration key or file attribute (`mode`, `owner`).
    pub setting: Option<String>,
    /// The value seen; `None` when the setting is absent.
    pub value: Option<String>,
    /// One sentence saying what this evidence shows.
    pub note: String,
}

impl Evidence {
    pub fn note(note: impl Into<String>) -> Self {
        Self {
            note: note.into(),
            ..Self::default()
        }
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn at_line(mut self, line: Option<u32>) -> Self {
        self.line = line;
        self
    }

    pub fn setting(mut self, setting: impl Into<String>, value: Option<String>) -> Self {
        self.setting = Some(setting.into());
        self.value = value;
        self
    }
}

/// The result of one check.
#[derive(Clone, Debug)]
pub struct CheckResult {
    /// The check's id in its catalogue (`1.2.1` for CIS, `KH101` for host).
    pub id: String,
    pub title: String,
    pub status: Status,
    pub evidence: Vec<Evidence>,
    pub remediation: String,
    /// The check's documentation, when it is one of kubeward's own checks.
    pub meta: Option<&'static RuleMeta>,
}

/// All results of one run over one machine.
#[derive(Clone, Debug, Default)]
pub struct BenchmarkReport {
    /// `cis-1.12`, `kubeward-host`, or the `version` of a controls file.
    pub benchmark: String,
    pub results: Vec<CheckResult>,
    /// Problems with inputs (unreadable files, bad controls files).
    pub errors: Vec<Diagnostic>,
}

impl BenchmarkReport {
    /// How many results have a status.
    pub fn count(&self, status: Status) -> usize {
        self.results.iter().filter(|r| r.status == status).count()
    }

    /// 2 for input errors, 1 when any check failed, else 0.
    pub fn exit_code(&self) -> u8 {
        if !self.errors.is_empty() {
            2
        } else if self.count(Status::Fail) > 0 {
            1
        } else {
            0
        }
    }
}
