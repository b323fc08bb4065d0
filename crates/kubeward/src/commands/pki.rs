//! `kubeward pki`: a small Kubernetes PKI and checks of kubeadm's.

use kubeward_pki::PkiError;
use kubeward_pki::check::{self, Options, Role};
use kubeward_pki::inspect::{inspect, with_certificate};
use kubeward_pki::issue::{self, APISERVER_NAMES, Request, Usage};
use kubeward_pki::kubeconfig::kubeconfig;

use crate::cli::{ColorWhen, PkiArgs, PkiCommand, PkiRole};
use crate::output::{self, write_report};

pub(crate) fn run(args: PkiArgs, color: ColorWhen) -> u8 {
    match args.command {
        PkiCommand::Init {
            dir,
            cn,
            days,
            force,
        } => issued(issue::init_ca(&dir, &cn, days, force)),
        PkiCommand::Issue {
            dir,
            name,
            cn,
            org,
            client,
            server,
            apiserver,
            san,
            days,
            force,
        } => {
            let usage = match (client, server || apiserver) {
                (true, true) => Usage::Both,
                (false, true) => Usage::Server,
                _ => Usage::Client,
            };
            let mut sans: Vec<String> = Vec::new();
            if apiserver {
                sans.extend(APISERVER_NAMES.iter().map(|s| (*s).to_owned()));
            }
            sans.extend(san);
            let request = Request {
                name,
                common_name: cn,
                organizations: org,
                usage,
                sans,
                days,
            };
            issued(issue::issue(&dir, &request, force))
        }
        PkiCommand::Kubeconfig {
            dir,
            name,
            server,
            cluster,
            output: path,
        } => match kubeconfig(&dir, &name, &server, &cluster) {
            Ok(text) => {
                if let Some(path) = &path {
                    // The kubeconfig embeds a private key: mode 600 even
                    // over an existing, looser file.
                    return match kubeward_pki::write_file(path, 0o600, &text, true) {
                        Ok(()) => written(&[path]),
                        Err(e) => fail(&e.to_string()),
                    };
                }
                match write_report(None, color, true, |out| out.write_all(text.as_bytes())) {
                    Ok(()) => 0,
                    Err(code) => code,
                }
            }
            Err(e) => fail(&e.to_string()),
        },
        PkiCommand::Inspect { file, format } => {
            let bytes = match kubeward_pki::read_small(&file) {
                Ok(b) => b,
                Err(e) => return fail(&e.to_string()),
            };
            let facts = match with_certificate(&bytes, inspect) {
                Ok(f) => f,
                Err(e) => return fail(&format!("{}: {e}", file.display())),
            };
            let result = write_report(
                None,
                color,
                format == crate::cli::InspectFormat::Text,
                |out| match format {
                    crate::cli::InspectFormat::Text => out.write_all(facts.text().as_bytes()),
                    crate::cli::InspectFormat::Json => {
                        serde_json::to_writer_pretty(&mut *out, &facts.json())?;
                        writeln!(out)
                    }
                },
            );
            match result {
                Ok(()) => 0,
                Err(code) => code,
            }
        }
        PkiCommand::Check {
            dir,
            warn_days,
            role,
            format,
            output,
        } => {
            let role = match role {
                PkiRole::Auto => Role::Auto,
                PkiRole::ControlPlane => Role::ControlPlane,
                PkiRole::Worker => Role::Worker,
            };
            let report = check::check(&dir, Options { warn_days, role });
            output::tell(&report.errors, &[], false);
            super::node::write(&report, format, output.output.as_deref(), color)
        }
    }
}

/// Tells what `init` or `issue` wrote (after its notice, if any), or why not.
fn issued(result: Result<issue::Written, PkiError>) -> u8 {
    match result {
        Ok(w) => {
            if let Some(n) = &w.notice {
                output::notice(n);
            }
            written(&[&w.key, &w.certificate])
        }
        Err(e) => fail(&e.to_string()),
    }
}

fn written(paths: &[&std::path::Path]) -> u8 {
    for p in paths {
        output::notice(&format!("wrote {}", p.display()));
    }
    0
}

fn fail(message: &str) -> u8 {
    output::error(message);
    2
}
