//! Control-plane node checks (CIS section 1): configuration files, API server, controller manager, scheduler.

mod admin_kubeconfig_mode;
mod admin_kubeconfig_owner;
mod api_server_manifest_mode;
mod api_server_manifest_owner;
mod apiserver_always_pull_images;
mod apiserver_anonymous_auth;
mod apiserver_audit_log_maxage;
mod apiserver_audit_log_maxbackup;
mod apiserver_audit_log_maxsize;
mod apiserver_audit_log_path;
mod apiserver_authorization_node;
mod apiserver_authorization_not_always_allow;
mod apiserver_authorization_rbac;
mod apiserver_client_ca_file;
mod apiserver_deny_service_external_ips;
mod apiserver_encryption_provider_config;
mod apiserver_encryption_providers;
mod apiserver_etcd_cafile;
mod apiserver_etcd_client_cert;
mod apiserver_event_rate_limit;
mod apiserver_kubelet_certificate_authority;
mod apiserver_kubelet_client_cert;
mod apiserver_namespace_lifecycle_plugin;
mod apiserver_no_always_admit;
mod apiserver_no_extended_token_expiration;
mod apiserver_node_restriction;
mod apiserver_profiling;
mod apiserver_request_timeout;
mod apiserver_service_account_key_file;
mod apiserver_service_account_lookup;
mod apiserver_service_account_plugin;
mod apiserver_tls_cert;
mod apiserver_tls_cipher_suites;
mod apiserver_token_auth_file;
mod cni_files_mode;
mod cni_files_owner;
mod controller_manager_bind_address;
mod controller_manager_kubeconfig_mode;
mod controller_manager_kubeconfig_owner;
mod controller_manager_manifest_mode;
mod controller_manager_manifest_owner;
mod controller_manager_profiling;
mod controller_manager_root_ca_file;
mod controller_manager_rotate_kubelet_server_cert;
mod controller_manager_service_account_credentials;
mod controller_manager_service_account_private_key;
mod controller_manager_terminated_pod_gc;
mod etcd_data_dir_mode;
mod etcd_data_dir_owner;
mod etcd_manifest_mode;
mod etcd_manifest_owner;
mod pki_certificate_mode;
mod pki_key_mode;
mod pki_owner;
mod scheduler_bind_address;
mod scheduler_kubeconfig_mode;
mod scheduler_kubeconfig_owner;
mod scheduler_manifest_mode;
mod scheduler_manifest_owner;
mod scheduler_profiling;

/// The checks of this section, in benchmark order.
pub(crate) static ALL: &[&super::CisCheck] = &[
    &api_server_manifest_mode::CHECK,
    &api_server_manifest_owner::CHECK,
    &controller_manager_manifest_mode::CHECK,
    &controller_manager_manifest_owner::CHECK,
    &scheduler_manifest_mode::CHECK,
    &scheduler_manifest_owner::CHECK,
    &etcd_manifest_mode::CHECK,
    &etcd_manifest_owner::CHECK,
    &cni_files_mode::CHECK,
    &cni_files_owner::CHECK,
    &etcd_data_dir_mode::CHECK,
    &etcd_data_dir_owner::CHECK,
    &admin_kubeconfig_mode::CHECK,
    &admin_kubeconfig_owner::CHECK,
    &scheduler_kubeconfig_mode::CHECK,
    &scheduler_kubeconfig_owner::CHECK,
    &controller_manager_kubeconfig_mode::CHECK,
    &controller_manager_kubeconfig_owner::CHECK,
    &pki_owner::CHECK,
    &pki_certificate_mode::CHECK,
    &pki_key_mode::CHECK,
    &apiserver_anonymous_auth::CHECK,
    &apiserver_token_auth_file::CHECK,
    &apiserver_deny_service_external_ips::CHECK,
    &apiserver_kubelet_client_cert::CHECK,
    &apiserver_kubelet_certificate_authority::CHECK,
    &apiserver_authorization_not_always_allow::CHECK,
    &apiserver_authorization_node::CHECK,
    &apiserver_authorization_rbac::CHECK,
    &apiserver_event_rate_limit::CHECK,
    &apiserver_no_always_admit::CHECK,
    &apiserver_always_pull_images::CHECK,
    &apiserver_service_account_plugin::CHECK,
    &apiserver_namespace_lifecycle_plugin::CHECK,
    &apiserver_node_restriction::CHECK,
    &apiserver_profiling::CHECK,
    &apiserver_audit_log_path::CHECK,
    &apiserver_audit_log_maxage::CHECK,
    &apiserver_audit_log_maxbackup::CHECK,
    &apiserver_audit_log_maxsize::CHECK,
    &apiserver_request_timeout::CHECK,
    &apiserver_service_account_lookup::CHECK,
    &apiserver_service_account_key_file::CHECK,
    &apiserver_etcd_client_cert::CHECK,
    &apiserver_tls_cert::CHECK,
    &apiserver_client_ca_file::CHECK,
    &apiserver_etcd_cafile::CHECK,
    &apiserver_encryption_provider_config::CHECK,
    &apiserver_encryption_providers::CHECK,
    &apiserver_tls_cipher_suites::CHECK,
    &apiserver_no_extended_token_expiration::CHECK,
    &controller_manager_terminated_pod_gc::CHECK,
    &controller_manager_profiling::CHECK,
    &controller_manager_service_account_credentials::CHECK,
    &controller_manager_service_account_private_key::CHECK,
    &controller_manager_root_ca_file::CHECK,
    &controller_manager_rotate_kubelet_server_cert::CHECK,
    &controller_manager_bind_address::CHECK,
    &scheduler_profiling::CHECK,
    &scheduler_bind_address::CHECK,
];
