//! Seccomp profiles in the OCI / Docker JSON format: recorded from a trace
//! (deny by default, the observed syscalls allowed), checked against the
//! container runtime's default profile, compiled to BPF with `seccompiler`
//! and enforced by the kernel on a command.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::process::{Command, ExitStatus};

use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
    SeccompRule, TargetArch,
};
use serde::{Deserialize, Serialize};
use syscalls::Sysno;

/// The architectures a recorded profile names (this machine's native one
/// and the 32-bit ABIs of x86_64, as the runtime default does).
pub const ARCHITECTURES: &[&str] = &["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"];

/// A seccomp profile (`defaultAction`, `architectures`, `syscalls` …).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub default_action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_errno_ret: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub architectures: Vec<String>,
    #[serde(default)]
    pub syscalls: Vec<SyscallRule>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyscallRule {
    #[serde(default)]
    pub names: Vec<String>,
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errno_ret: Option<u32>,
    /// containers-common's profile writes `"args": null` for none.
    #[serde(
        default,
        deserialize_with = "null_as_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub args: Vec<ArgCondition>,
    /// Docker's conditions on capabilities / architectures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub includes: Option<Filter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excludes: Option<Filter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArgCondition {
    pub index: u8,
    pub value: u64,
    #[serde(default)]
    pub value_two: u64,
    pub op: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Filter {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caps: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub arches: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_kernel: Option<String>,
}

/// Syscalls the container runtimes' default profile (Docker, containerd,
/// CRI-O) does not allow unconditionally, as their documentation lists them.
pub const BLOCKED_BY_RUNTIME_DEFAULT: &[&str] = &[
    "acct",
    "add_key",
    "bpf",
    "clock_adjtime",
    "clock_settime",
    "clone3",
    "create_module",
    "delete_module",
    "finit_module",
    "get_kernel_syms",
    "get_mempolicy",
    "init_module",
    "ioperm",
    "iopl",
    "kcmp",
    "kexec_file_load",
    "kexec_load",
    "keyctl",
    "lookup_dcookie",
    "mbind",
    "mount",
    "mount_setattr",
    "move_mount",
    "move_pages",
    "name_to_handle_at",
    "nfsservctl",
    "open_by_handle_at",
    "open_tree",
    "perf_event_open",
    "personality",
    "pivot_root",
    "process_vm_readv",
    "process_vm_writev",
    "ptrace",
    "query_module",
    "quotactl",
    "reboot",
    "request_key",
    "set_mempolicy",
    "setns",
    "settimeofday",
    "stime",
    "swapoff",
    "swapon",
    "sysfs",
    "_sysctl",
    "umount",
    "umount2",
    "unshare",
    "uselib",
    "userfaultfd",
    "ustat",
    "vm86",
    "vm86old",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
];

/// Syscalls that commonly serve container escapes or kernel attacks, and why.
pub const DANGEROUS: &[(&str, &str)] = &[
    ("ptrace", "inspect and control other processes"),
    ("process_vm_writev", "write other processes' memory"),
    ("mount", "mount file systems (host paths, proc, cgroups)"),
    ("umount2", "unmount file systems"),
    ("pivot_root", "change the root file system"),
    (
        "unshare",
        "create namespaces (user namespaces widen the kernel attack surface)",
    ),
    ("setns", "enter other namespaces"),
    ("init_module", "load kernel modules"),
    ("finit_module", "load kernel modules"),
    ("delete_module", "unload kernel modules"),
    ("kexec_load", "replace the running kernel"),
    ("kexec_file_load", "replace the running kernel"),
    ("bpf", "load BPF programs into the kernel"),
    ("perf_event_open", "observe other processes and the kernel"),
    (
        "userfaultfd",
        "stall the kernel at chosen points (exploit primitive)",
    ),
    ("keyctl", "use the kernel keyring, which is not namespaced"),
    ("add_key", "use the kernel keyring, which is not namespaced"),
    (
        "request_key",
        "use the kernel keyring, which is not namespaced",
    ),
    (
        "open_by_handle_at",
        "open host files by handle (the 'shocker' escape)",
    ),
    ("reboot", "reboot the machine"),
    ("iopl", "raw I/O port access"),
    ("ioperm", "raw I/O port access"),
    ("swapon", "change swap devices"),
    ("acct", "switch process accounting"),
];

/// The profile that allows exactly `syscalls` (numbers of this architecture)
/// and denies everything else with EPERM.
pub fn profile_from_syscalls(syscalls: &BTreeSet<u64>) -> Profile {
    let names: Vec<String> = syscalls
        .iter()
        .filter_map(|n| Sysno::new(usize::try_from(*n).ok()?))
        .map(|s| s.name().to_owned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    Profile {
        default_action: "SCMP_ACT_ERRNO".to_owned(),
        default_errno_ret: None,
        architectures: ARCHITECTURES.iter().map(|a| (*a).to_owned()).collect(),
        syscalls: vec![SyscallRule {
            names,
            action: "SCMP_ACT_ALLOW".to_owned(),
            ..SyscallRule::default()
        }],
    }
}

/// Reads a profile (bounded by the caller) from JSON.
pub fn parse_profile(text: &str) -> Result<Profile, String> {
    serde_json::from_str(text).map_err(|e| format!("line {}: {e}", e.line()))
}

fn action(name: &str, errno: Option<u32>) -> Result<SeccompAction, String> {
    Ok(match name {
        "SCMP_ACT_ALLOW" => SeccompAction::Allow,
        "SCMP_ACT_ERRNO" => SeccompAction::Errno(errno.unwrap_or(1)),
        "SCMP_ACT_KILL" | "SCMP_ACT_KILL_THREAD" => SeccompAction::KillThread,
        "SCMP_ACT_KILL_PROCESS" => SeccompAction::KillProcess,
        "SCMP_ACT_TRAP" => SeccompAction::Trap,
        "SCMP_ACT_LOG" => SeccompAction::Log,
        "SCMP_ACT_TRACE" => SeccompAction::Trace(errno.unwrap_or(0)),
        other => return Err(format!("unknown or unsupported action `{other}`")),
    })
}

fn condition(c: &ArgCondition) -> Result<SeccompCondition, String> {
    let op = match c.op.as_str() {
        "SCMP_CMP_EQ" => SeccompCmpOp::Eq,
        "SCMP_CMP_NE" => SeccompCmpOp::Ne,
        "SCMP_CMP_LT" => SeccompCmpOp::Lt,
        "SCMP_CMP_LE" => SeccompCmpOp::Le,
        "SCMP_CMP_GT" => SeccompCmpOp::Gt,
        "SCMP_CMP_GE" => SeccompCmpOp::Ge,
        "SCMP_CMP_MASKED_EQ" => SeccompCmpOp::MaskedEq(c.value),
        other => return Err(format!("unknown argument comparison `{other}`")),
    };
    let value = if c.op == "SCMP_CMP_MASKED_EQ" {
        c.value_two
    } else {
        c.value
    };
    SeccompCondition::new(c.index, SeccompCmpArgLen::Qword, op, value).map_err(|e| e.to_string())
}

fn applies_here(rule: &SyscallRule) -> bool {
    let arch_ok = |arches: &[String]| {
        arches.is_empty()
            || arches
                .iter()
                .any(|a| a == "amd64" || a == "x86_64" || a == "SCMP_ARCH_X86_64")
    };
    let includes_ok = rule
        .includes
        .as_ref()
        .is_none_or(|f| f.caps.is_empty() && f.min_kernel.is_none() && arch_ok(&f.arches));
    let excludes_ok = rule
        .excludes
        .as_ref()
        .is_none_or(|f| f.arches.is_empty() || !arch_ok(&f.arches));
    includes_ok && excludes_ok
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<ArgCondition>, D::Error> {
    Ok(Option::<Vec<ArgCondition>>::deserialize(d)?.unwrap_or_default())
}

/// What `check` finds in a profile.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct CheckReport {
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    /// Allowed syscalls the runtime default profile does not allow.
    pub beyond_runtime_default: Vec<String>,
    /// Allowed syscalls that serve escapes, with the reason.
    pub dangerous: BTreeMap<String, String>,
    /// How many x86_64 syscalls the profile lets through (allowed or only
    /// logged): with an allowing default, every one it does not deny.
    pub allowed: usize,
    pub default_action: String,
    /// Whether the default action lets through every syscall the profile
    /// does not name.
    pub default_allows: bool,
    /// The x86_64 syscalls named with an action that stops them (some
    /// perhaps only for some arguments): with an allowing default, all the
    /// profile confines.
    pub denied: Vec<String>,
}

impl CheckReport {
    /// One line saying what the profile lets through.
    pub fn summary(&self) -> String {
        let total = Sysno::iter().count();
        if !self.default_allows {
            return format!(
                "{} syscalls allowed, default action {}",
                self.allowed, self.default_action
            );
        }
        if self.denied.is_empty() {
            return format!(
                "default action {} lets every syscall through: the profile confines nothing (all {total} x86_64 syscalls allowed)",
                self.default_action
            );
        }
        format!(
            "default action {} lets every syscall through but the {} the profile stops ({}): {} of {total} x86_64 syscalls allowed",
            self.default_action,
            self.denied.len(),
            self.denied.join(", "),
            self.allowed
        )
    }
}

/// ARM's private syscalls (`__ARM_NR_*`), which runtime profiles name and
/// the syscall tables leave out.
const ARM_PRIVATE: &[&str] = &["breakpoint", "cacheflush", "set_tls", "usr26", "usr32"];

/// Whether `name` is a syscall of some architecture Linux runs on.
fn syscall_somewhere(name: &str) -> bool {
    use syscalls::{
        aarch64, arm, loongarch64, mips, mips64, powerpc, powerpc64, riscv32, riscv64, s390x,
        sparc, sparc64, x86,
    };
    fn parses<T: std::str::FromStr>(name: &str) -> bool {
        name.parse::<T>().is_ok()
    }
    ARM_PRIVATE.contains(&name)
        || parses::<Sysno>(name)
        || parses::<x86::Sysno>(name)
        || parses::<aarch64::Sysno>(name)
        || parses::<arm::Sysno>(name)
        || parses::<loongarch64::Sysno>(name)
        || parses::<mips::Sysno>(name)
        || parses::<mips64::Sysno>(name)
        || parses::<powerpc::Sysno>(name)
        || parses::<powerpc64::Sysno>(name)
        || parses::<riscv32::Sysno>(name)
        || parses::<riscv64::Sysno>(name)
        || parses::<s390x::Sysno>(name)
        || parses::<sparc::Sysno>(name)
        || parses::<sparc64::Sysno>(name)
}

/// The x86_64 syscall closest in spelling to `name`, when one is close.
fn closest_syscall(name: &str) -> Option<&'static str> {
    Sysno::iter()
        .map(|s| (strsim::damerau_levenshtein(name, s.name()), s.name()))
        .filter(|(distance, _)| *distance <= 2.max(name.len() / 4))
        .min()
        .map(|(_, closest)| closest)
}

/// Whether an action lets the syscall run (allowed, or only logged).
fn lets_through(action: &str) -> bool {
    matches!(action, "SCMP_ACT_ALLOW" | "SCMP_ACT_LOG")
}

/// Validates a profile and compares it with the runtime default.
pub fn check(profile: &Profile) -> CheckReport {
    let default_allows = lets_through(&profile.default_action);
    let mut report = CheckReport {
        default_action: profile.default_action.clone(),
        default_allows,
        ..CheckReport::default()
    };
    if let Err(e) = action(&profile.default_action, profile.default_errno_ret) {
        report.errors.push(format!("defaultAction: {e}"));
    }
    if !profile.architectures.is_empty()
        && !profile
            .architectures
            .iter()
            .any(|a| a == "SCMP_ARCH_X86_64")
    {
        report
            .warnings
            .push("architectures does not include SCMP_ARCH_X86_64".to_owned());
    }
    // Per syscall name: whether some rule that applies on this machine (no
    // capability condition, an x86_64 architecture if any) lets it through,
    // and whether any such rule names it at all. Unnamed ones get the default.
    let mut named: BTreeMap<&str, bool> = BTreeMap::new();
    let mut unknown = BTreeSet::new();
    for (i, rule) in profile.syscalls.iter().enumerate() {
        if let Err(e) = action(&rule.action, rule.errno_ret) {
            report.errors.push(format!("syscalls[{i}]: {e}"));
        }
        for arg in &rule.args {
            if let Err(e) = condition(arg) {
                report.errors.push(format!("syscalls[{i}]: {e}"));
            }
        }
        if !applies_here(rule) {
            continue;
        }
        for name in &rule.names {
            // Runtime profiles name the 32-bit ABI's syscalls beside
            // x86_64's, and other architectures' in the same list; a name
            // that is a syscall nowhere is a typo, which would leave the
            // syscall meant to the default.
            if !syscall_somewhere(name) {
                let hint = closest_syscall(name)
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                report.errors.push(format!(
                    "syscalls[{i}]: `{name}` is not a syscall on any architecture{hint}"
                ));
                continue;
            }
            if name.parse::<Sysno>().is_err()
                && name.parse::<syscalls::x86::Sysno>().is_err()
                && !BLOCKED_BY_RUNTIME_DEFAULT.contains(&name.as_str())
            {
                unknown.insert(name.as_str());
            }
            *named.entry(name.as_str()).or_default() |= lets_through(&rule.action);
        }
    }
    if !unknown.is_empty() {
        report.warnings.push(format!(
            "not syscalls of x86_64 or x86, ignored on this machine: {}",
            unknown.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    let mut candidates: BTreeSet<&str> = named.keys().copied().collect();
    if default_allows {
        candidates.extend(BLOCKED_BY_RUNTIME_DEFAULT);
        candidates.extend(DANGEROUS.iter().map(|(name, _)| *name));
    }
    let allowed: Vec<&str> = candidates
        .into_iter()
        .filter(|name| named.get(name).copied().unwrap_or(default_allows))
        .collect();
    report.denied = named
        .iter()
        .filter(|(name, lets)| !**lets && name.parse::<Sysno>().is_ok())
        .map(|(name, _)| (*name).to_owned())
        .collect();
    report.allowed = if default_allows {
        Sysno::iter().count() - report.denied.len()
    } else {
        allowed.len()
    };
    for name in allowed {
        if BLOCKED_BY_RUNTIME_DEFAULT.contains(&name) {
            report.beyond_runtime_default.push(name.to_owned());
        }
        if let Some((_, why)) = DANGEROUS.iter().find(|(n, _)| *n == name) {
            report.dangerous.insert(name.to_owned(), (*why).to_owned());
        }
    }
    if report.errors.is_empty()
        && let Err(e) = compile(profile)
    {
        report.errors.push(e);
    }
    report
}

/// Compiles the profile to BPF filters, to be installed in the order given.
///
/// A seccompiler filter has one action on match and one on mismatch, and
/// the kernel runs every installed filter and keeps the most restrictive
/// answer. So the profile becomes one filter per non-allow action (its
/// syscalls → that action, anything else → allow) and, installed last, one
/// filter that allows every syscall any rule names and gives the default
/// action to the rest. A syscall named with action A then gets A (every
/// other filter allows it), and an unnamed one the default: the profile's
/// meaning, whatever mix of actions it has. The default filter goes last
/// because installing a filter is itself a syscall the earlier ones must
/// allow.
pub fn compile(profile: &Profile) -> Result<Vec<BpfProgram>, String> {
    let default = action(&profile.default_action, profile.default_errno_ret)?;
    let arch = TargetArch::x86_64;
    // Per syscall, its rules' argument conditions; `None` is a rule without
    // any, which matches whatever the arguments.
    let mut named: BTreeMap<i64, Vec<Option<SeccompRule>>> = BTreeMap::new();
    let mut by_action: BTreeMap<String, BTreeMap<i64, Vec<Option<SeccompRule>>>> = BTreeMap::new();
    for rule in profile.syscalls.iter().filter(|r| applies_here(r)) {
        let matched = action(&rule.action, rule.errno_ret)?;
        let conditions = rule
            .args
            .iter()
            .map(condition)
            .collect::<Result<Vec<_>, _>>()?;
        for name in &rule.names {
            let Ok(sysno) = name.parse::<Sysno>() else {
                continue;
            };
            let id = i64::from(sysno.id());
            let mut entries = vec![named.entry(id).or_default()];
            if !matches!(matched, SeccompAction::Allow) {
                let key = format!("{}:{}", rule.action, rule.errno_ret.unwrap_or(1));
                entries.push(by_action.entry(key).or_default().entry(id).or_default());
            }
            let with_args = if conditions.is_empty() {
                None
            } else {
                Some(SeccompRule::new(conditions.clone()).map_err(|e| e.to_string())?)
            };
            for entry in entries {
                entry.push(with_args.clone());
            }
        }
    }
    let mut programs = Vec::new();
    for (key, rules) in by_action {
        let (name, errno) = key.split_once(':').unwrap_or((key.as_str(), "1"));
        let matched = action(name, errno.parse().ok())?;
        let filter = SeccompFilter::new(filter_rules(rules), SeccompAction::Allow, matched, arch)
            .map_err(|e| e.to_string())?;
        programs.push(BpfProgram::try_from(filter).map_err(|e| e.to_string())?);
    }
    // With an allowing default the last filter would allow everything both
    // ways, which seccompiler refuses; the action filters say it all.
    if !matches!(default, SeccompAction::Allow) {
        let filter = SeccompFilter::new(filter_rules(named), default, SeccompAction::Allow, arch)
            .map_err(|e| e.to_string())?;
        programs.push(BpfProgram::try_from(filter).map_err(|e| e.to_string())?);
    }
    Ok(programs)
}

/// seccompiler's rule map: an empty list matches a syscall whatever its
/// arguments, so one rule without conditions makes the others moot.
fn filter_rules(rules: BTreeMap<i64, Vec<Option<SeccompRule>>>) -> BTreeMap<i64, Vec<SeccompRule>> {
    rules
        .into_iter()
        .map(|(id, rules)| {
            let conditional = rules
                .into_iter()
                .collect::<Option<Vec<_>>>()
                .unwrap_or_default();
            (id, conditional)
        })
        .collect()
}

/// Runs `command` under the profile, enforced by the kernel (with
/// `no_new_privs`), and waits for it.
pub fn run(profile: &Profile, command: &mut Command) -> io::Result<ExitStatus> {
    let programs = compile(profile).map_err(io::Error::other)?;
    // Both are checked before the fork: once the filter is in, the child
    // could not even report why it failed to start.
    if !allows_unconditionally(profile, "execve") {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "the profile does not allow execve, so the command could not start under it",
        ));
    }
    let program = command.get_program();
    if !program_exists(program) {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("command not found: {}", program.to_string_lossy()),
        ));
    }
    crate::spawn::spawn_confined(command, programs)?.wait()
}

/// Whether the profile lets `name` through whatever its arguments (allowed
/// or only logged).
fn allows_unconditionally(profile: &Profile, name: &str) -> bool {
    let rule = profile
        .syscalls
        .iter()
        .filter(|r| applies_here(r) && r.names.iter().any(|n| n == name))
        .find(|r| r.args.is_empty());
    match rule {
        Some(rule) => lets_through(&rule.action),
        None => lets_through(&profile.default_action),
    }
}

/// Whether `program` names an executable file, directly or through `PATH`.
fn program_exists(program: &std::ffi::OsStr) -> bool {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::PermissionsExt;
    let executable = |path: &std::path::Path| {
        path.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    let path = std::path::Path::new(program);
    // As execvp: a name with a slash is a path, any other is looked up.
    if program.as_bytes().contains(&b'/') {
        return executable(path);
    }
    std::env::var_os("PATH")
        .is_some_and(|dirs| std::env::split_paths(&dirs).any(|dir| executable(&dir.join(path))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_checks_and_compiles() {
        let calls: BTreeSet<u64> = [Sysno::read, Sysno::write, Sysno::ptrace]
            .iter()
            .map(|s| s.id() as u64)
            .collect();
        let profile = profile_from_syscalls(&calls);
        assert_eq!(profile.syscalls[0].names, ["ptrace", "read", "write"]);
        let text = serde_json::to_string(&profile).unwrap();
        assert!(text.contains("\"defaultAction\":\"SCMP_ACT_ERRNO\""));
        let report = check(&parse_profile(&text).unwrap());
        assert!(report.errors.is_empty(), "{report:?}");
        assert_eq!(report.beyond_runtime_default, ["ptrace"]);
        assert!(report.dangerous.contains_key("ptrace"));
        let bad = Profile {
            default_action: "SCMP_ACT_BOGUS".into(),
            ..Profile::default()
        };
        assert!(!check(&bad).errors.is_empty());
        assert!(parse_profile("{").is_err());
    }

    /// The default action counts: a profile that allows (or only logs) what
    /// it does not name allows the dangerous syscalls it does not deny; rules
    /// conditional on a capability, as the runtimes' defaults write them, are
    /// not counted as allowing; `"args": null` is none.
    #[test]
    fn check_judges_the_default_and_conditional_rules() {
        let report = |text: &str| check(&parse_profile(text).unwrap());
        let open = report(
            r#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["ptrace"],"action":"SCMP_ACT_ERRNO"}]}"#,
        );
        assert!(open.errors.is_empty(), "{open:?}");
        assert!(open.dangerous.contains_key("mount") && open.dangerous.contains_key("bpf"));
        assert!(!open.dangerous.contains_key("ptrace"));
        let logged = report(r#"{"defaultAction":"SCMP_ACT_LOG"}"#);
        assert!(logged.dangerous.contains_key("kexec_load"), "{logged:?}");
        let unconfined = report(r#"{"defaultAction":"SCMP_ACT_ALLOW"}"#);
        assert!(unconfined.errors.is_empty(), "{unconfined:?}");
        assert!(unconfined.dangerous.contains_key("mount"));
        let runtime_like = report(
            r#"{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[
                {"names":["read","write"],"action":"SCMP_ACT_ALLOW","args":null},
                {"names":["mount","bpf"],"action":"SCMP_ACT_ALLOW","includes":{"caps":["CAP_SYS_ADMIN"]}},
                {"names":["_llseek","mmap2","arm_fadvise64_64","set_tls"],"action":"SCMP_ACT_ALLOW"}]}"#,
        );
        assert!(runtime_like.errors.is_empty(), "{runtime_like:?}");
        assert!(runtime_like.dangerous.is_empty(), "{runtime_like:?}");
        assert_eq!(
            runtime_like.warnings,
            ["not syscalls of x86_64 or x86, ignored on this machine: arm_fadvise64_64, set_tls"]
        );
    }

    /// An allowing default is said as such: everything but what the
    /// profile stops, counted against every x86_64 syscall, not the few
    /// sensitive ones checked one by one.
    #[test]
    fn an_allowing_default_is_summed_up_as_what_it_lets_through() {
        let total = Sysno::iter().count();
        let report = check(
            &parse_profile(
                r#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["ptrace","mount"],"action":"SCMP_ACT_ERRNO"}]}"#,
            )
            .unwrap(),
        );
        assert_eq!(report.denied, ["mount", "ptrace"]);
        assert_eq!(report.allowed, total - 2);
        assert_eq!(
            report.summary(),
            format!(
                "default action SCMP_ACT_ALLOW lets every syscall through but the 2 the profile stops (mount, ptrace): {} of {total} x86_64 syscalls allowed",
                total - 2
            )
        );
        let open = check(&parse_profile(r#"{"defaultAction":"SCMP_ACT_LOG"}"#).unwrap());
        assert!(
            open.summary().contains("confines nothing"),
            "{}",
            open.summary()
        );
        let closed = check(
            &parse_profile(
                r#"{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","write"],"action":"SCMP_ACT_ALLOW"}]}"#,
            )
            .unwrap(),
        );
        assert_eq!(
            closed.summary(),
            "2 syscalls allowed, default action SCMP_ACT_ERRNO"
        );
    }

    /// A name that is a syscall on no architecture is an error with the
    /// nearest x86_64 name; names of other architectures are not.
    #[test]
    fn a_misspelt_syscall_is_an_error_with_a_suggestion() {
        let report = check(
            &parse_profile(
                r#"{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["reed","write","xyzzyplugh"],"action":"SCMP_ACT_ALLOW"}]}"#,
            )
            .unwrap(),
        );
        assert_eq!(
            report.errors,
            [
                "syscalls[0]: `reed` is not a syscall on any architecture (did you mean `read`?)",
                "syscalls[0]: `xyzzyplugh` is not a syscall on any architecture",
            ]
        );
    }

    /// containers-common's default profile (as CRI-O and Podman ship it;
    /// Debian's skopeo, which scripts/test installs, brings it): every name
    /// is a syscall somewhere.
    #[test]
    fn the_runtime_default_profile_names_only_syscalls() {
        let path = std::path::Path::new("/usr/share/containers/seccomp.json");
        let Ok(text) = std::fs::read_to_string(path) else {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true");
            assert!(!ci, "{} is missing and CI=true", path.display());
            eprintln!("notice: {} not installed; skipping", path.display());
            return;
        };
        let report = check(&parse_profile(&text).unwrap());
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        assert!(!report.default_allows);
    }
}
