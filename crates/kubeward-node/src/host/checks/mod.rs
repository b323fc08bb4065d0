//! The host checks, one file each.

mod apparmor_enabled;
mod apparmor_profiles_enforced;
mod empty_passwords;
mod firewall_default_deny;
mod seccomp_available;
mod ssh_empty_passwords;
mod ssh_hostbased_authentication;
mod ssh_max_auth_tries;
mod ssh_password_authentication;
mod ssh_root_login;
mod ssh_user_environment;
mod ssh_x11_forwarding;
mod sudo_all_grants;
mod sudo_nopasswd;
mod system_accounts_shell;
mod uid_zero_accounts;
mod unexpected_listeners;
mod unneeded_modules_disabled;
mod unneeded_modules_loaded;
mod unneeded_services;

use kubeward_core::benchmark::Evidence;

use super::HostFacts;
use crate::cis::Outcome;

/// Kernel modules a Kubernetes node does not need.
pub(crate) const UNNEEDED_MODULES: [&str; 10] = [
    "cramfs", "freevxfs", "hfs", "hfsplus", "jffs2", "udf", "dccp", "sctp", "rds", "tipc",
];

/// Services a Kubernetes node does not need.
pub(crate) const UNNEEDED_SERVICES: &[&str] = &[
    "avahi-daemon",
    "cups",
    "cups-browsed",
    "rpcbind",
    "nfs-server",
    "nfs-kernel-server",
    "smbd",
    "nmbd",
    "vsftpd",
    "proftpd",
    "telnet",
    "tftpd-hpa",
    "snmpd",
    "slapd",
    "named",
    "bind9",
    "isc-dhcp-server",
    "apache2",
    "httpd",
    "nginx",
    "xinetd",
    "squid",
    "dovecot",
    "exim4",
    "rsync",
];

/// Tests an sshd keyword: its global value (or sshd's default) and every
/// `Match` block that sets it.
pub(crate) fn sshd_setting(
    facts: &HostFacts,
    keyword: &str,
    default: &str,
    ok: fn(&str) -> bool,
    want: &str,
) -> Outcome {
    let config = facts.sshd();
    let outcome = sshd_values(config, keyword, default, ok, want);
    if config.unreadable.is_empty() {
        return outcome;
    }
    // sshd takes the first value it reads: one unreadable file may hold it,
    // so neither the values seen nor the defaults decide anything.
    let mut evidence: Vec<Evidence> = config.unreadable.iter().map(|u| u.evidence()).collect();
    // What the readable files set is shown; a default is no evidence here.
    evidence.extend(outcome.evidence.into_iter().filter(|e| e.line.is_some()));
    Outcome::undecided(evidence)
}

fn sshd_values(
    config: &super::SshdConfig,
    keyword: &str,
    default: &str,
    ok: fn(&str) -> bool,
    want: &str,
) -> Outcome {
    if !config.present {
        return Outcome::pass(vec![Evidence::note(
            "no /etc/ssh/sshd_config: no SSH server to check",
        )]);
    }
    let mut evidence = Vec::new();
    let mut passed = true;
    match config.global(keyword) {
        Some(s) => {
            let good = ok(&s.value);
            passed &= good;
            evidence.push(
                Evidence::note(if good {
                    "set as required".to_owned()
                } else {
                    format!("expected {want}")
                })
                .in_file(s.file.clone())
                .at_line(Some(s.line))
                .setting(keyword, Some(s.value.clone())),
            );
        }
        None => {
            let good = ok(default);
            passed &= good;
            evidence.push(
                Evidence::note(format!(
                    "not set; sshd's default is {default}{}",
                    if good { "" } else { ", expected " }.to_owned() + if good { "" } else { want }
                ))
                .in_file("/etc/ssh/sshd_config")
                .setting(keyword, None),
            );
        }
    }
    for s in config.conditional(keyword) {
        if !ok(&s.value) {
            passed = false;
            evidence.push(
                Evidence::note(format!(
                    "Match {} sets it to {} (expected {want})",
                    s.matched.as_deref().unwrap_or(""),
                    s.value
                ))
                .in_file(s.file.clone())
                .at_line(Some(s.line))
                .setting(keyword, Some(s.value.clone())),
            );
        }
    }
    Outcome::of(passed, evidence)
}

/// Every host check, in id order.
pub(crate) static ALL: &[&super::HostCheck] = &[
    &ssh_root_login::CHECK,
    &ssh_password_authentication::CHECK,
    &ssh_empty_passwords::CHECK,
    &ssh_max_auth_tries::CHECK,
    &ssh_x11_forwarding::CHECK,
    &ssh_hostbased_authentication::CHECK,
    &ssh_user_environment::CHECK,
    &uid_zero_accounts::CHECK,
    &empty_passwords::CHECK,
    &system_accounts_shell::CHECK,
    &sudo_nopasswd::CHECK,
    &sudo_all_grants::CHECK,
    &unneeded_modules_disabled::CHECK,
    &unneeded_modules_loaded::CHECK,
    &unexpected_listeners::CHECK,
    &apparmor_enabled::CHECK,
    &apparmor_profiles_enforced::CHECK,
    &seccomp_available::CHECK,
    &unneeded_services::CHECK,
    &firewall_default_deny::CHECK,
];
