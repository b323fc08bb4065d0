use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// A manual check: review that the audit policy records access to Secrets, ConfigMaps and
    /// TokenReviews at `Metadata` level, pod and deployment changes, and `exec`, `portforward`
    /// and `proxy` use.
    ///
    /// ## Why is this bad?
    /// Gaps in the policy are gaps in the record of an incident.
    ///
    /// ## How to fix
    /// Extend the audit policy to cover these areas, logging Secrets at `Metadata` only.
    static CHECK = {
        id: "3.2.2",
        slug: "audit-policy-coverage",
        title: "Audit policy covers key security concerns",
        target: ControlPlane,
        automated: false,
        severity: Medium,
        owasp: K05,
        test: Test::Manual,
    };
}
