//! Policy recommendations (CIS section 5): about cluster objects, reported as manual checks with the `kubeward scan` rule that covers each.

mod policy_added_capabilities;
mod policy_bind_impersonate_escalate;
mod policy_cluster_admin_use;
mod policy_cni_network_policy;
mod policy_csr_approval;
mod policy_default_namespace;
mod policy_default_service_accounts;
mod policy_external_secret_storage;
mod policy_host_ipc;
mod policy_host_network;
mod policy_host_path;
mod policy_host_pid;
mod policy_host_ports;
mod policy_image_provenance;
mod policy_namespace_boundaries;
mod policy_namespace_network_policies;
mod policy_net_raw;
mod policy_nodes_proxy;
mod policy_persistent_volume_create;
mod policy_pod_create_access;
mod policy_policy_control;
mod policy_privilege_escalation;
mod policy_privileged_containers;
mod policy_rbac_wildcards;
mod policy_root_containers;
mod policy_seccomp_profiles;
mod policy_secrets_access;
mod policy_secrets_as_files;
mod policy_security_context;
mod policy_service_account_token_mounts;
mod policy_system_masters;
mod policy_token_create;
mod policy_webhook_configuration_access;
mod policy_windows_host_process;

/// The checks of this section, in benchmark order.
pub(crate) static ALL: &[&super::CisCheck] = &[
    &policy_cluster_admin_use::CHECK,
    &policy_secrets_access::CHECK,
    &policy_rbac_wildcards::CHECK,
    &policy_pod_create_access::CHECK,
    &policy_default_service_accounts::CHECK,
    &policy_service_account_token_mounts::CHECK,
    &policy_system_masters::CHECK,
    &policy_bind_impersonate_escalate::CHECK,
    &policy_persistent_volume_create::CHECK,
    &policy_nodes_proxy::CHECK,
    &policy_csr_approval::CHECK,
    &policy_webhook_configuration_access::CHECK,
    &policy_token_create::CHECK,
    &policy_policy_control::CHECK,
    &policy_privileged_containers::CHECK,
    &policy_host_pid::CHECK,
    &policy_host_ipc::CHECK,
    &policy_host_network::CHECK,
    &policy_privilege_escalation::CHECK,
    &policy_root_containers::CHECK,
    &policy_net_raw::CHECK,
    &policy_added_capabilities::CHECK,
    &policy_windows_host_process::CHECK,
    &policy_host_path::CHECK,
    &policy_host_ports::CHECK,
    &policy_cni_network_policy::CHECK,
    &policy_namespace_network_policies::CHECK,
    &policy_secrets_as_files::CHECK,
    &policy_external_secret_storage::CHECK,
    &policy_image_provenance::CHECK,
    &policy_namespace_boundaries::CHECK,
    &policy_seccomp_profiles::CHECK,
    &policy_security_context::CHECK,
    &policy_default_namespace::CHECK,
];
