//! Control-plane configuration checks (CIS section 3): authentication and audit logging.

mod apiserver_audit_policy;
mod audit_policy_coverage;
mod no_bootstrap_tokens_for_users;
mod no_client_certs_for_users;
mod no_service_account_tokens_for_users;

/// The checks of this section, in benchmark order.
pub(crate) static ALL: &[&super::CisCheck] = &[
    &no_client_certs_for_users::CHECK,
    &no_service_account_tokens_for_users::CHECK,
    &no_bootstrap_tokens_for_users::CHECK,
    &apiserver_audit_policy::CHECK,
    &audit_policy_coverage::CHECK,
];
