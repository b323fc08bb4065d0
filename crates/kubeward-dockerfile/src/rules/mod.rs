//! The Dockerfile rules (KW7xx), one file each.

mod add_remote_url;
mod build_tools_in_final_stage;
mod chmod_777;
mod copy_context_without_dockerignore;
mod curl_pipe_shell;
mod from_latest;
mod missing_healthcheck;
mod package_cache_not_cleaned;
mod secret_in_env_arg;
mod sudo;
mod unpinned_packages;
mod user_root;

use crate::rule::Rule;
use crate::shell::{self, Command};

/// Every Dockerfile rule, in id order.
pub static ALL: &[&Rule] = &[
    &user_root::RULE,
    &from_latest::RULE,
    &secret_in_env_arg::RULE,
    &add_remote_url::RULE,
    &curl_pipe_shell::RULE,
    &unpinned_packages::RULE,
    &package_cache_not_cleaned::RULE,
    &build_tools_in_final_stage::RULE,
    &sudo::RULE,
    &chmod_777::RULE,
    &copy_context_without_dockerignore::RULE,
    &missing_healthcheck::RULE,
];

/// The rule with this id or slug.
pub fn find(name: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.meta.is_named(name))
}

/// A package installation in a command: the manager and the packages named.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Install<'a> {
    pub manager: &'static str,
    pub packages: Vec<&'a str>,
    pub command: &'a Command,
}

/// Recognises `apt-get install`, `apt install`, `apk add`, `yum|dnf|microdnf
/// install`, `pip install`, `npm install -g` and `gem install`.
pub(crate) fn install(c: &Command) -> Option<Install<'_>> {
    let prog = shell::program(c);
    let args: Vec<&str> = c.iter().skip(1).map(String::as_str).collect();
    let verb = args.iter().position(|a| !a.starts_with('-'))?;
    let manager = match (prog, args[verb]) {
        ("apt-get" | "apt", "install") => "apt",
        ("apk", "add") => "apk",
        ("yum" | "dnf" | "microdnf", "install") => "rpm",
        ("pip" | "pip3", "install") => "pip",
        ("python" | "python3", _) if args.windows(3).any(|w| w == ["-m", "pip", "install"]) => {
            "pip"
        }
        ("npm", "install" | "i") if args.iter().any(|a| *a == "-g" || *a == "--global") => "npm",
        ("gem", "install") => "gem",
        _ => return None,
    };
    let mut packages = Vec::new();
    let mut skip_next = false;
    let rest = if manager == "pip" && prog.starts_with("python") {
        let at = args.iter().position(|a| *a == "install").unwrap_or(0);
        &args[at + 1..]
    } else {
        &args[verb + 1..]
    };
    for a in rest {
        if skip_next {
            skip_next = false;
            continue;
        }
        if a.starts_with('-') {
            // Options taking a value as the next word.
            skip_next = matches!(
                *a,
                "-r" | "--requirement"
                    | "-c"
                    | "--constraint"
                    | "-t"
                    | "--target"
                    | "-o"
                    | "--option"
                    | "-v"
                    | "--version"
                    | "-i"
                    | "--index-url"
                    | "--repository"
                    | "-X"
            );
            continue;
        }
        packages.push(*a);
    }
    Some(Install {
        manager,
        packages,
        command: c,
    })
}

#[cfg(test)]
mod tests;
