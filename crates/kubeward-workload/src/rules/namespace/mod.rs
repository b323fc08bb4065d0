//! Rules on namespaces and tenancy.

pub(super) mod namespace_pss_privileged;
pub(super) mod namespace_without_pss_enforce;
pub(super) mod workload_in_default_namespace;

/// The Pod Security Admission label that sets a namespace's enforced level.
const ENFORCE_LABEL: &str = "pod-security.kubernetes.io/enforce";
