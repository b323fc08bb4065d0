//! `kubeward rules` and `kubeward explain`.

use kubeward_core::RuleMeta;
use kubeward_report::{CatalogueFormat, render_catalogue, render_explanation};
use kubeward_workload::rules;

use crate::cli::{ColorWhen, ExplainArgs, RulesArgs};
use crate::output::{self, write_report};

pub(crate) fn list(args: RulesArgs, color: ColorWhen) -> u8 {
    let mut metas: Vec<&RuleMeta> = rules::ALL.iter().map(|r| &r.meta).collect();
    metas.extend(supply_chain_rules());
    match write_report(None, color, args.format == CatalogueFormat::Text, |out| {
        render_catalogue(&metas, args.format, out)
    }) {
        Ok(()) => 0,
        Err(code) => code,
    }
}

pub(crate) fn explain(args: ExplainArgs, color: ColorWhen) -> u8 {
    let meta = rules::find(&args.rule)
        .map(|r| &r.meta)
        .or_else(|| kubeward_node::explain(&args.rule))
        .or_else(|| {
            supply_chain_rules()
                .into_iter()
                .find(|m| m.is_named(&args.rule))
        });
    let Some(meta) = meta else {
        output::error(&format!(
            "unknown rule `{}` (see `kubeward rules`)",
            args.rule
        ));
        return 2;
    };
    match write_report(None, color, false, |out| render_explanation(meta, out)) {
        Ok(()) => 0,
        Err(code) => code,
    }
}

/// The Dockerfile rules (KW7xx) and image checks (KW8xx).
fn supply_chain_rules() -> Vec<&'static RuleMeta> {
    let mut metas = kubeward_dockerfile::metas();
    metas.extend(kubeward_image::checks::ALL.iter().map(|c| &c.meta));
    metas
}
