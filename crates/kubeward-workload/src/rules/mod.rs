//! kubeward's manifest hardening rules, one file each. A rule's doc comment
//! is its documentation (`kubeward explain`), in the sections `What it does`,
//! `Why is this bad?`, `How to fix` and `Example`.

use std::sync::Arc;

use kubeward_core::config::RulesConfig;
use kubeward_core::suppress::silenced_by;
use kubeward_core::{Finding, Location, Object, ObjectMeta, Pos, RuleMeta, Severity};

use crate::inventory::Inventory;
use crate::pod::Pod;

/// Declares a rule: its doc comment becomes its documentation.
macro_rules! rule {
    ($(#[doc = $doc:literal])+ static $name:ident = { $($body:tt)* };) => {
        kubeward_core::declare_rule! {
            $(#[doc = $doc])+ static $name: $crate::rules::Rule = { $($body)* };
        }
    };
}

/// What every rule file uses.
mod prelude {
    pub(crate) use super::{Check, Emit};
    pub(crate) use crate::inventory::Inventory;
    pub(crate) use crate::pod::Pod;
    pub(crate) use kubeward_core::{Node, Object};
}

mod encryption;
mod image;
mod namespace;
mod network;
mod pod;
mod rbac;
mod resources;
mod secrets;

/// A rule: its metadata and how it is run.
#[derive(Debug)]
pub struct Rule {
    pub meta: RuleMeta,
    pub check: Check,
}

/// How a rule reads the scanned objects.
#[derive(Debug)]
pub enum Check {
    /// Once per pod, for every object that carries one.
    Pod(fn(&Pod<'_>, &mut Emit<'_>)),
    /// Once per object of the listed kinds.
    Object {
        kinds: &'static [&'static str],
        check: fn(&Object, &mut Emit<'_>),
    },
    /// Once, over facts gathered from the whole scanned set.
    Set(fn(&Inventory, &mut Emit<'_>)),
}

/// Every rule, in id order.
pub static ALL: &[&Rule] = &[
    &pod::run_as_root::RULE,
    &pod::run_as_uid_zero::RULE,
    &pod::run_as_root_group::RULE,
    &pod::privileged_container::RULE,
    &pod::allow_privilege_escalation::RULE,
    &pod::capabilities_not_dropped::RULE,
    &pod::dangerous_capabilities::RULE,
    &pod::writable_root_filesystem::RULE,
    &pod::host_network::RULE,
    &pod::host_pid::RULE,
    &pod::host_ipc::RULE,
    &pod::host_port::RULE,
    &pod::host_path_volume::RULE,
    &pod::sensitive_host_path::RULE,
    &pod::seccomp_profile_missing::RULE,
    &pod::seccomp_unconfined::RULE,
    &pod::apparmor_unconfined::RULE,
    &pod::selinux_risky_options::RULE,
    &pod::proc_mount_unmasked::RULE,
    &pod::unsafe_sysctls::RULE,
    &pod::windows_host_process::RULE,
    &pod::probe_host_override::RULE,
    &pod::share_process_namespace::RULE,
    &resources::missing_memory_limit::RULE,
    &resources::missing_cpu_limit::RULE,
    &resources::missing_memory_request::RULE,
    &resources::missing_cpu_request::RULE,
    &image::image_latest_tag::RULE,
    &image::image_not_pinned_by_digest::RULE,
    &image::image_registry_not_allowed::RULE,
    &secrets::credentials_in_env::RULE,
    &secrets::secret_in_env::RULE,
    &secrets::secret_data_in_manifest::RULE,
    &secrets::service_account_token_automount::RULE,
    &secrets::default_service_account::RULE,
    &secrets::configmap_credentials::RULE,
    &secrets::legacy_service_account_token::RULE,
    &rbac::cluster_admin_binding::RULE,
    &rbac::rbac_wildcard::RULE,
    &rbac::rbac_secrets_access::RULE,
    &rbac::rbac_pod_exec::RULE,
    &rbac::rbac_escalate_bind_impersonate::RULE,
    &rbac::rbac_anonymous_binding::RULE,
    &rbac::rbac_create_workloads::RULE,
    &rbac::rbac_nodes_proxy::RULE,
    &rbac::rbac_webhook_configuration::RULE,
    &rbac::rbac_token_create::RULE,
    &rbac::rbac_csr_approval::RULE,
    &rbac::rbac_create_persistent_volumes::RULE,
    &rbac::rbac_pod_portforward::RULE,
    &rbac::rbac_delete_events::RULE,
    &network::service_nodeport::RULE,
    &network::service_loadbalancer::RULE,
    &network::service_external_ips::RULE,
    &network::ingress_without_tls::RULE,
    &network::namespace_without_default_deny::RULE,
    &namespace::namespace_without_pss_enforce::RULE,
    &namespace::namespace_pss_privileged::RULE,
    &namespace::workload_in_default_namespace::RULE,
    &encryption::encryption_identity_first::RULE,
    &encryption::encryption_weak_key::RULE,
];

/// The rule with this id or slug (case-insensitive).
pub fn find(name: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.meta.is_named(name))
}

/// Settings rules read from the configuration.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// Registries (host or host/path prefixes) images may come from; empty
    /// means any.
    pub allowed_registries: Vec<String>,
}

/// The rules that run, each with its effective severity.
/// A name in `[rules]` (or `--select`/`--ignore`) that is no rule's id or slug.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownRule(pub String);

impl std::fmt::Display for UnknownRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown rule `{}`", self.0)
    }
}

impl std::error::Error for UnknownRule {}

#[derive(Clone, Debug)]
pub struct RuleSet {
    active: Vec<(&'static Rule, Severity)>,
}

impl RuleSet {
    /// Every rule at its own severity.
    pub fn all() -> Self {
        Self {
            active: ALL.iter().map(|r| (*r, r.meta.severity)).collect(),
        }
    }

    /// The rules a configuration selects, with its severity overrides.
    /// Unknown rule names are an error, so that typos do not go unnoticed.
    pub fn from_config(config: &RulesConfig) -> Result<Self, UnknownRule> {
        let lookup = |name: &String| find(name).ok_or_else(|| UnknownRule(name.clone()));
        let select = config
            .select
            .iter()
            .map(lookup)
            .collect::<Result<Vec<_>, _>>()?;
        let ignore = config
            .ignore
            .iter()
            .map(lookup)
            .collect::<Result<Vec<_>, _>>()?;
        let mut overrides = Vec::new();
        for (name, severity) in &config.severity {
            overrides.push((lookup(name)?, *severity));
        }
        let chosen = |r: &&Rule| {
            (select.is_empty() || select.iter().any(|s| std::ptr::eq(*s, *r)))
                && !ignore.iter().any(|i| std::ptr::eq(*i, *r))
        };
        let active = ALL
            .iter()
            .copied()
            .filter(chosen)
            .map(|rule| {
                let severity = overrides
                    .iter()
                    .find(|(r, _)| std::ptr::eq(*r, rule))
                    .map_or(rule.meta.severity, |(_, s)| *s);
                (rule, severity)
            })
            .collect();
        Ok(Self { active })
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static Rule, Severity)> + '_ {
        self.active.iter().copied()
    }

    /// The metadata of the active rules with their effective severities,
    /// for report descriptors.
    pub fn metas(&self) -> Vec<(&'static RuleMeta, Severity)> {
        self.active.iter().map(|&(r, s)| (&r.meta, s)).collect()
    }

    pub fn len(&self) -> usize {
        self.active.len()
    }

    pub fn is_empty(&self) -> bool {
        self.active.is_empty()
    }
}

/// Where a rule reports its findings.
#[derive(Debug)]
pub struct Emit<'a> {
    rule: &'static RuleMeta,
    severity: Severity,
    settings: &'a Settings,
    object: Option<&'a Arc<ObjectMeta>>,
    out: &'a mut Vec<Finding>,
}

impl<'a> Emit<'a> {
    pub(crate) fn new(
        rule: &'static RuleMeta,
        severity: Severity,
        settings: &'a Settings,
        object: Option<&'a Arc<ObjectMeta>>,
        out: &'a mut Vec<Finding>,
    ) -> Self {
        Self {
            rule,
            severity,
            settings,
            object,
            out,
        }
    }

    pub fn settings(&self) -> &'a Settings {
        self.settings
    }

    /// Reports a finding on the object being checked.
    pub fn at(&mut self, pos: Pos, path: impl Into<String>, message: impl Into<String>) {
        if let Some(object) = self.object {
            let object = object.clone();
            self.on(&object, pos, path, message);
        }
    }

    /// Reports a finding on a given object (for rules over the whole set).
    pub fn on(
        &mut self,
        object: &Arc<ObjectMeta>,
        pos: Pos,
        path: impl Into<String>,
        message: impl Into<String>,
    ) {
        let suppressed =
            silenced_by(&object.ignores, self.rule.id, self.rule.slug).map(str::to_owned);
        self.out.push(Finding {
            rule: self.rule,
            severity: self.severity,
            location: Location::new(object.origin.clone(), pos),
            object: Some(object.clone()),
            path: path.into(),
            message: message.into(),
            suppressed,
        });
    }
}

#[cfg(test)]
mod tests;
