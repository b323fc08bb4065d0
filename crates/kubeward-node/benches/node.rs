//! How long `kubeward node` takes over a kubeadm control-plane tree: the
//! native CIS checks, and the same benchmark from kube-bench's control files
//! (needs the shared conformance folder).
// Helpers outside #[test] functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use kubeward_node::cis::{self, Target};
use kubeward_node::controls::{self, ShellPolicy};
use kubeward_node::{NodeFacts, Root};

#[path = "../tests/common/mod.rs"]
mod common;

const TARGETS: &[Target] = &[
    Target::Master,
    Target::Etcd,
    Target::ControlPlane,
    Target::Node,
];

fn node(c: &mut Criterion) {
    let tree = common::Tree::control_plane(false);
    c.bench_function("native cis-1.12, control plane (99 checks)", |b| {
        b.iter(|| {
            // Fresh facts each time: every file is read again, as a run does.
            let facts = NodeFacts::new(Root::new(tree.path()));
            cis::run(&facts, TARGETS)
        })
    });
    let Some(dir) = kubeward_testkit::conformance_dir("kube-bench") else {
        return;
    };
    let files = [dir.join("cfg/cis-1.12")];
    c.bench_function(
        "kube-bench cis-1.12 files, control plane (97 checks)",
        |b| {
            b.iter(|| {
                let facts = NodeFacts::new(Root::new(tree.path()));
                controls::run_files(&files, None, Some(TARGETS), &facts, ShellPolicy::Never)
            })
        },
    );
    // kube-bench itself cannot be built here (no Go module proxy); this
    // measures its execution model instead: every audit and audit_config
    // command of the same files, run through /bin/sh as kube-bench runs them.
    let facts = NodeFacts::new(Root::new(tree.path()));
    let config = std::fs::read_to_string(dir.join("cfg/config.yaml")).ok();
    let mut scripts = Vec::new();
    for file in ["master", "etcd", "controlplane", "node"] {
        let text = std::fs::read_to_string(dir.join(format!("cfg/cis-1.12/{file}.yaml"))).unwrap();
        let parsed = controls::model::parse(&text).unwrap();
        let vars =
            controls::vars::Vars::resolve(config.as_deref(), &parsed.node_type, &facts).unwrap();
        for check in parsed.groups.iter().flat_map(|g| &g.checks) {
            for audit in [&check.audit, &check.audit_config] {
                if !audit.trim().is_empty() && check.kind != "manual" {
                    scripts.push(vars.substitute(audit));
                }
            }
        }
    }
    c.bench_function(
        &format!("the same {} audits through /bin/sh", scripts.len()),
        |b| {
            b.iter(|| {
                for script in &scripts {
                    let _ = std::process::Command::new("/bin/sh")
                        .arg("-c")
                        .arg(script)
                        .stdout(std::process::Stdio::null())
                        .stderr(std::process::Stdio::null())
                        .status();
                }
            })
        },
    );
}

criterion_group!(benches, node);
criterion_main!(benches);
