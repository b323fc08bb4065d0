//! Worker node checks (CIS section 4): configuration files, kubelet and kube-proxy, and kubeward's additions (KN…).

mod kubelet_anonymous_auth;
mod kubelet_authorization_mode;
mod kubelet_authorization_webhook;
mod kubelet_client_ca;
mod kubelet_client_ca_mode;
mod kubelet_client_ca_owner;
mod kubelet_config_mode;
mod kubelet_config_owner;
mod kubelet_event_qps;
mod kubelet_hostname_override;
mod kubelet_iptables_util_chains;
mod kubelet_kubeconfig_mode;
mod kubelet_kubeconfig_owner;
mod kubelet_pod_pids_limit;
mod kubelet_protect_kernel_defaults;
mod kubelet_read_only_port;
mod kubelet_rotate_certificates;
mod kubelet_rotate_server_certificate;
mod kubelet_seccomp_default;
mod kubelet_service_mode;
mod kubelet_service_owner;
mod kubelet_streaming_idle_timeout;
mod kubelet_tls_cert;
mod kubelet_tls_cipher_suites;
mod proxy_kubeconfig_mode;
mod proxy_kubeconfig_owner;
mod proxy_metrics_localhost;

/// The checks of this section, in benchmark order.
pub(crate) static ALL: &[&super::CisCheck] = &[
    &kubelet_service_mode::CHECK,
    &kubelet_service_owner::CHECK,
    &proxy_kubeconfig_mode::CHECK,
    &proxy_kubeconfig_owner::CHECK,
    &kubelet_kubeconfig_mode::CHECK,
    &kubelet_kubeconfig_owner::CHECK,
    &kubelet_client_ca_mode::CHECK,
    &kubelet_client_ca_owner::CHECK,
    &kubelet_config_mode::CHECK,
    &kubelet_config_owner::CHECK,
    &kubelet_anonymous_auth::CHECK,
    &kubelet_authorization_mode::CHECK,
    &kubelet_client_ca::CHECK,
    &kubelet_read_only_port::CHECK,
    &kubelet_streaming_idle_timeout::CHECK,
    &kubelet_iptables_util_chains::CHECK,
    &kubelet_hostname_override::CHECK,
    &kubelet_event_qps::CHECK,
    &kubelet_tls_cert::CHECK,
    &kubelet_rotate_certificates::CHECK,
    &kubelet_rotate_server_certificate::CHECK,
    &kubelet_tls_cipher_suites::CHECK,
    &kubelet_pod_pids_limit::CHECK,
    &kubelet_seccomp_default::CHECK,
    &proxy_metrics_localhost::CHECK,
    &kubelet_protect_kernel_defaults::CHECK,
    &kubelet_authorization_webhook::CHECK,
];
