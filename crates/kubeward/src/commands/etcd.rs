//! `kubeward etcd check`: which Secrets etcd holds encrypted.

use std::io::Write;

use kubeward_core::display::one_line;
use kubeward_etcd::{Report, Tls, scan};

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
    let report = match scan(&endpoints, &tls) {
        Ok(report) => report,
        Err(e) => {
            output::error(&e.to_string());
            return 2;
        }
    };
    let written = write_report(
        output.output.as_deref(),
        color,
        format == PssFormat::Text,
        |out| match format {
            PssFormat::Json => {
                serde_json::to_writer_pretty(&mut *out, &report)?;
                writeln!(out)
            }
            PssFormat::Text => text(&report, out),
        },
    );
    match written {
        Err(code) => code,
        Ok(()) => report.exit_code(),
    }
}

fn text(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    for s in &report.secrets {
        let key = one_line(&s.key, usize::MAX);
        match &s.provider {
            Some(p) if s.encrypted => writeln!(out, "encrypted ({p:<9}) {key}")?,
            Some(p) => writeln!(
                out,
                "UNKNOWN PROVIDER {} (not counted as encrypted) {key}",
                one_line(p, usize::MAX)
            )?,
            None => writeln!(out, "PLAIN TEXT            {key}")?,
        }
    }
    let t = &report.totals;
    write!(
        out,
        "{} Secrets in etcd at {}: {} encrypted, {} in plain text",
        t.secrets, report.endpoint, t.encrypted, t.plain_text
    )?;
    if t.unknown_provider > 0 {
        write!(out, ", {} with an unknown provider", t.unknown_provider)?;
    }
    writeln!(out)
}
