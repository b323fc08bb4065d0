//! etcd checks (CIS section 2).

mod etcd_client_cert_auth;
mod etcd_no_auto_tls;
mod etcd_no_peer_auto_tls;
mod etcd_peer_client_cert_auth;
mod etcd_peer_tls;
mod etcd_tls;
mod etcd_unique_ca;

/// The checks of this section, in benchmark order.
pub(crate) static ALL: &[&super::CisCheck] = &[
    &etcd_tls::CHECK,
    &etcd_client_cert_auth::CHECK,
    &etcd_no_auto_tls::CHECK,
    &etcd_peer_tls::CHECK,
    &etcd_peer_client_cert_auth::CHECK,
    &etcd_no_peer_auto_tls::CHECK,
    &etcd_unique_ca::CHECK,
];
