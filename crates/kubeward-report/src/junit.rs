//! JUnit XML: one test suite per rule that ran, a failing test case per
//! finding (skipped when suppressed), a passing case for a rule with none;
//! input errors form a suite of their own.

use std::io::{self, Write};

use kubeward_core::Finding;
use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

use crate::Report;

pub(crate) fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut junit = quick_junit::Report::new("kubeward");
    for &(rule, _) in report.rules {
        let mut suite = TestSuite::new(format!("{} {}", rule.id, rule.slug));
        let findings: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| std::ptr::eq(f.rule, rule))
            .collect();
        if findings.is_empty() {
            suite.add_test_case(TestCase::new(rule.title, TestCaseStatus::success()));
        }
        for f in findings {
            let status = match &f.suppressed {
                Some(reason) => {
                    let mut s = TestCaseStatus::skipped();
                    s.set_message(format!("suppressed: {reason}"));
                    s
                }
                None => {
                    let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    s.set_message(f.message.as_str())
                        .set_type(f.severity.as_str())
                        .set_description(format!(
                            "{}: {} {}\n{}",
                            f.location,
                            f.severity,
                            f.rule.title,
                            f.rule.remediation()
                        ));
                    s
                }
            };
            let name = match &f.object {
                Some(o) => format!("{o} {}", f.path),
                None => f.path.clone(),
            };
            let mut case = TestCase::new(name, status);
            case.set_classname(f.location.file());
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    if !report.errors.is_empty() {
        let mut suite = TestSuite::new("input errors");
        for e in report.errors {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message(e.message.as_str());
            let mut case = TestCase::new(e.to_string(), status);
            case.set_classname(&*e.file);
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    junit.serialize(&mut *out).map_err(io::Error::other)?;
    writeln!(out)
}
