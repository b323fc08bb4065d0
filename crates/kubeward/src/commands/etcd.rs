//! `kubeward etcd check`: which Secrets etcd holds encrypted.

use std::io::Write;

use kubeward_core::display::one_line;
use kubeward_etcd::{KNOWN_PROVIDERS, StoredSecret, Tls, scan};
use serde_json::json;

use crate::cli::{ColorWhen, EtcdArgs, EtcdCommand, PssFormat};
use crate::output::{self, write_report};

pub(crate) fn run(args: EtcdArgs, color: ColorWhen) -> u8 {
    let EtcdCommand::Check {
        endpoints,
        cacert,
        cert,
        key,
        format,
        output,
    } = args.command;
    let tls = Tls {
        ca: cacert,
        cert,
        key,
    };
    let (endpoint, secrets) = match scan(&endpoints, &tls) {
        Ok(found) => found,
        Err(e) => {
            output::error(&e.to_string());
            return 2;
        }
    };
    let plain = secrets.iter().filter(|s| !s.encrypted).count();
    let written =
        write_report(
            output.output.as_deref(),
            color,
            format == PssFormat::Text,
            |out| match format {
                PssFormat::Json => {
                    let list: Vec<_> = secrets
                .iter()
                .map(|s| json!({"key": s.key, "encrypted": s.encrypted, "provider": s.provider}))
                .collect();
                    serde_json::to_writer_pretty(&mut *out, &json!({"secrets": list}))?;
                    writeln!(out)
                }
                PssFormat::Text => text(&endpoint, &secrets, plain, out),
            },
        );
    match written {
        Err(code) => code,
        Ok(()) if plain > 0 => 1,
        Ok(()) => 0,
    }
}

fn text(
    endpoint: &str,
    secrets: &[StoredSecret],
    plain: usize,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for s in secrets {
        let key = one_line(&s.key, usize::MAX);
        match &s.provider {
            Some(p) if s.encrypted && KNOWN_PROVIDERS.contains(&p.as_str()) => {
                writeln!(out, "encrypted ({p:<9}) {key}")?
            }
            Some(p) if s.encrypted => writeln!(
                out,
                "encrypted (unknown provider {}) {key}",
                one_line(p, usize::MAX)
            )?,
            _ => writeln!(out, "PLAIN TEXT            {key}")?,
        }
    }
    writeln!(
        out,
        "{} Secrets in etcd at {endpoint}: {} encrypted, {plain} in plain text",
        secrets.len(),
        secrets.len() - plain
    )
}
