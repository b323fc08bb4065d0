//! `kubeward pss`: the Pod Security Standards level of every workload.

use std::io::{self, Write};

use anstyle::Style;
use kubeward_core::Object;
use kubeward_core::load::{Excludes, LoadOptions, discover, load};
use kubeward_workload::pod::Pod;
use kubeward_workload::pss::{self, Assessment, Level};
use serde::Serialize;

use crate::cli::{ColorWhen, PssArgs, PssFormat};
use crate::output::{tell, write_report};

pub(crate) fn run(args: PssArgs, color: ColorWhen) -> u8 {
    let (inputs, mut errors) = discover(&args.paths, &Excludes::default());
    let mut notices = Vec::new();
    let mut assessed: Vec<(Object, Assessment)> = Vec::new();
    for input in &inputs {
        let mut loaded = load(input, &LoadOptions::default());
        errors.append(&mut loaded.errors);
        notices.append(&mut loaded.notices);
        for object in loaded.objects {
            let Some(assessment) =
                Pod::of(&object).map(|pod| pss::assess(&pod, args.policy_version))
            else {
                continue;
            };
            assessed.push((object, assessment));
        }
    }
    tell(&errors, &notices, args.output.quiet);
    let written = write_report(
        args.output.output.as_deref(),
        color,
        args.format == PssFormat::Text,
        |out| match args.format {
            PssFormat::Json => json(&assessed, out),
            PssFormat::Text => text(&assessed, &args, out),
        },
    );
    if let Err(code) = written {
        return code;
    }
    if !errors.is_empty() {
        2
    } else if args
        .level
        .is_some_and(|level| assessed.iter().any(|(_, a)| !a.meets(level)))
    {
        1
    } else {
        0
    }
}

/// One element of `kubeward pss --format json`, fields in documented order.
#[derive(Serialize)]
struct WorkloadJson<'a> {
    file: &'a str,
    line: u32,
    kind: &'a str,
    name: &'a str,
    namespace: Option<&'a str>,
    level: &'static str,
    violations: Vec<ViolationJson<'a>>,
}

#[derive(Serialize)]
struct ViolationJson<'a> {
    check: &'static str,
    level: &'static str,
    field: &'a str,
    message: String,
}

fn json(assessed: &[(Object, Assessment)], out: &mut dyn Write) -> io::Result<()> {
    let list: Vec<WorkloadJson<'_>> = assessed
        .iter()
        .map(|(object, a)| WorkloadJson {
            file: &object.meta.origin.file,
            line: object.meta.location().pos().line,
            kind: &object.meta.kind,
            name: &object.meta.name,
            namespace: object.meta.namespace.as_deref(),
            level: a.level.as_str(),
            violations: a
                .violations
                .iter()
                .map(|v| ViolationJson {
                    check: v.check,
                    level: v.level.as_str(),
                    field: &v.field,
                    message: v.to_string(),
                })
                .collect(),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &list)?;
    writeln!(out)
}

fn level_style(level: Level) -> Style {
    let color = match level {
        Level::Privileged => anstyle::AnsiColor::Red,
        Level::Baseline => anstyle::AnsiColor::Yellow,
        Level::Restricted => anstyle::AnsiColor::Green,
    };
    Style::new().fg_color(Some(color.into())).bold()
}

fn text(assessed: &[(Object, Assessment)], args: &PssArgs, out: &mut dyn Write) -> io::Result<()> {
    let dim = Style::new().dimmed();
    let mut counts = [0usize; 3];
    for (object, a) in assessed {
        counts[a.level as usize] += 1;
        let style = level_style(a.level);
        let below = args.level.is_some_and(|l| !a.meets(l));
        let mark = if below {
            " (below the required level)"
        } else {
            ""
        };
        writeln!(
            out,
            "{}: {}: {style}{}{style:#}{mark}",
            object.meta.location(),
            object.meta,
            a.level
        )?;
        for v in &a.violations {
            let at = object.meta.at(v.pos).pos();
            writeln!(
                out,
                "  {}:{at}: {:<10} {}: {} {dim}[{}]{dim:#}",
                object.meta.origin.file, v.level, v.check, v, v.field
            )?;
        }
    }
    writeln!(
        out,
        "{} workloads: {} restricted, {} baseline, {} privileged (policy version {})",
        assessed.len(),
        counts[Level::Restricted as usize],
        counts[Level::Baseline as usize],
        counts[Level::Privileged as usize],
        args.policy_version
    )
}
