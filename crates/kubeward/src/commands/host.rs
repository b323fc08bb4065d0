//! `kubeward host`: host hardening checks over a machine or a root tree.

use kubeward_node::host::{self, HostFacts};

use crate::cli::{ColorWhen, HostArgs};
use crate::output;

pub(crate) fn run(args: HostArgs, color: ColorWhen) -> u8 {
    let root = match super::node::open_root(args.root.as_deref()) {
        Ok(root) => root,
        Err(code) => return code,
    };
    let mut ports = Vec::new();
    for spec in &args.allow_port {
        match parse_ports(spec) {
            Some(range) => ports.push(range),
            None => {
                output::error(&format!("--allow-port {spec}: expected PORT or LOW-HIGH"));
                return 2;
            }
        }
    }
    let facts = HostFacts::new(root, &ports);
    let report = host::run(&facts);
    // Every host check always runs: an id missing from the report is unknown.
    super::node::finish(report, &args.report, color, &|_| false)
}

fn parse_ports(spec: &str) -> Option<(u16, u16)> {
    match spec.split_once('-') {
        Some((lo, hi)) => {
            let (lo, hi) = (lo.parse().ok()?, hi.parse().ok()?);
            (lo <= hi).then_some((lo, hi))
        }
        None => spec.parse().ok().map(|p| (p, p)),
    }
}
