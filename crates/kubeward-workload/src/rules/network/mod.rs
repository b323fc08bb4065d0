//! Rules on exposure and segmentation: Services, Ingresses, NetworkPolicies.

pub(super) mod ingress_without_tls;
pub(super) mod namespace_without_default_deny;
pub(super) mod service_external_ips;
pub(super) mod service_loadbalancer;
pub(super) mod service_nodeport;
