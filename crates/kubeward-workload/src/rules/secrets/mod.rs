//! Rules on secrets and credentials: where they are kept and how workloads
//! receive them. Findings say where a credential is, never what it is.
//! Whether a value is a credential is `kubeward_core::credential`'s call.

pub(super) mod configmap_credentials;
pub(super) mod credentials_in_env;
pub(super) mod default_service_account;
pub(super) mod legacy_service_account_token;
pub(super) mod secret_data_in_manifest;
pub(super) mod secret_in_env;
pub(super) mod service_account_token_automount;
