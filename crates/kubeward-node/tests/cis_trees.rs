//! The native CIS checks over kubeadm node trees, rule by rule.
// Helpers outside #[test] functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

mod common;

use common::{ROOT, Tree, statuses};
use kubeward_core::benchmark::{BenchmarkReport, Status};
use kubeward_node::cis::{self, Target};
use kubeward_node::{NodeFacts, Root};

fn run(tree: &Tree, targets: &[Target]) -> BenchmarkReport {
    cis::run(&NodeFacts::new(Root::new(tree.path())), targets)
}

fn status(report: &BenchmarkReport, id: &str) -> Status {
    report.results.iter().find(|r| r.id == id).unwrap().status
}

/// Checks that need a person whatever the node looks like.
const ALWAYS_MANUAL: &[&str] = &[
    "1.2.20", "3.1.1", "3.1.2", "3.1.3", "3.2.2", "4.1.3", "4.1.4",
];

const CONTROL_PLANE: &[Target] = &[
    Target::Master,
    Target::Etcd,
    Target::ControlPlane,
    Target::Node,
];

#[test]
fn hardened_control_plane_passes_every_automatable_check() {
    let tree = Tree::control_plane(true);
    let report = run(&tree, CONTROL_PLANE);
    assert_eq!(report.results.len(), 99);
    for r in &report.results {
        let expected = if ALWAYS_MANUAL.contains(&r.id.as_str()) {
            Status::Warn
        } else {
            Status::Pass
        };
        assert_eq!(r.status, expected, "{} {}: {:?}", r.id, r.title, r.evidence);
    }
    assert_eq!(report.exit_code(), 0);
}

#[test]
fn insecure_control_plane_rule_by_rule() {
    let tree = Tree::control_plane(false);
    let report = run(&tree, CONTROL_PLANE);
    // The insecure tree writes Secrets with identity first: 1.2.27 (manual) warns.
    let expected = concat!(
        "1.1.1:F 1.1.2:F 1.1.3:F 1.1.4:F 1.1.5:F 1.1.6:F 1.1.7:F 1.1.8:F 1.1.9:W 1.1.10:W ",
        "1.1.11:F 1.1.12:F 1.1.13:F 1.1.14:F 1.1.15:F 1.1.16:F 1.1.17:F 1.1.18:F 1.1.19:F ",
        "1.1.20:P 1.1.21:W 1.2.1:W 1.2.2:F 1.2.3:W 1.2.4:P 1.2.5:F 1.2.6:F 1.2.7:F 1.2.8:F ",
        "1.2.9:W 1.2.10:F 1.2.11:W 1.2.12:F 1.2.13:F 1.2.14:F 1.2.15:F 1.2.16:F 1.2.17:F 1.2.18:F ",
        "1.2.19:F 1.2.20:W 1.2.21:F 1.2.22:P 1.2.23:P 1.2.24:P 1.2.25:P 1.2.26:P 1.2.27:W ",
        "1.2.28:W 1.2.29:W 1.2.30:F 1.3.1:W 1.3.2:F 1.3.3:F 1.3.4:P 1.3.5:P 1.3.6:F 1.3.7:F ",
        "1.4.1:F 1.4.2:F 2.1:F 2.2:F 2.3:F 2.4:F 2.5:F 2.6:F 2.7:W 3.1.1:W 3.1.2:W 3.1.3:W ",
        "3.2.1:W 3.2.2:W 4.1.1:F 4.1.2:F 4.1.3:W 4.1.4:W 4.1.5:F 4.1.6:F 4.1.7:P 4.1.8:W 4.1.9:F ",
        "4.1.10:F 4.2.1:F 4.2.2:F 4.2.3:F 4.2.4:W 4.2.5:P 4.2.6:F 4.2.7:W 4.2.8:W 4.2.9:W ",
        "4.2.10:F 4.2.11:W 4.2.12:W 4.2.13:W 4.2.14:W 4.3.1:F KN101:F KN102:F "
    );
    assert_eq!(statuses(&report), expected.trim());
    assert_eq!(report.exit_code(), 1);
}

#[test]
fn hardened_worker_passes_every_node_check() {
    let tree = Tree::worker(true);
    let facts = NodeFacts::new(Root::new(tree.path()));
    assert_eq!(cis::detect_targets(&facts), vec![Target::Node]);
    let report = cis::run(&facts, &[Target::Node]);
    for r in &report.results {
        let expected = if ALWAYS_MANUAL.contains(&r.id.as_str()) {
            Status::Warn
        } else {
            Status::Pass
        };
        assert_eq!(r.status, expected, "{}: {:?}", r.id, r.evidence);
    }
}

#[test]
fn insecure_worker_rule_by_rule() {
    let tree = Tree::worker(false);
    let report = run(&tree, &[Target::Node]);
    let expected = concat!(
        "4.1.1:F 4.1.2:F 4.1.3:W 4.1.4:W 4.1.5:F 4.1.6:F 4.1.7:W 4.1.8:W 4.1.9:F 4.1.10:F 4.2.1:F ",
        "4.2.2:F 4.2.3:F 4.2.4:W 4.2.5:P 4.2.6:F 4.2.7:W 4.2.8:W 4.2.9:W 4.2.10:F 4.2.11:W ",
        "4.2.12:W 4.2.13:W 4.2.14:W 4.3.1:F KN101:F KN102:F "
    );
    assert_eq!(statuses(&report), expected.trim());
}

#[test]
fn control_plane_targets_are_detected() {
    let tree = Tree::control_plane(true);
    let facts = NodeFacts::new(Root::new(tree.path()));
    assert_eq!(cis::detect_targets(&facts), CONTROL_PLANE.to_vec());
}

#[test]
fn kubelet_flags_override_its_configuration_file() {
    let tree = Tree::worker(true);
    // kubeadm's /etc/default/kubelet feeds $KUBELET_EXTRA_ARGS in the unit.
    tree.write(
        "/etc/default/kubelet",
        0o644,
        ROOT,
        "KUBELET_EXTRA_ARGS=\"--anonymous-auth=true --read-only-port=10255\"\n",
    );
    let report = run(&tree, &[Target::Node]);
    assert_eq!(status(&report, "4.2.1"), Status::Fail);
    assert_eq!(status(&report, "4.2.4"), Status::Warn);
    let evidence = &report
        .results
        .iter()
        .find(|r| r.id == "4.2.1")
        .unwrap()
        .evidence[0];
    assert_eq!(evidence.file.as_deref(), Some("/etc/default/kubelet"));
    assert_eq!(evidence.value.as_deref(), Some("true"));
}

#[test]
fn kubelet_defaults_differ_with_and_without_a_configuration_file() {
    let tree = Tree::worker(true);
    // Without --config the kubelet's legacy flag defaults apply.
    tree.write("/etc/systemd/system/kubelet.service.d/10-kubeadm.conf", 0o600, ROOT,
        "[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --kubeconfig=/etc/kubernetes/kubelet.conf\n");
    let report = run(&tree, &[Target::Node]);
    assert_eq!(
        status(&report, "4.2.1"),
        Status::Fail,
        "anonymous auth defaults to on"
    );
    assert_eq!(
        status(&report, "4.2.2"),
        Status::Fail,
        "authorization defaults to AlwaysAllow"
    );
    assert_eq!(
        status(&report, "4.2.4"),
        Status::Warn,
        "the read-only port defaults to 10255"
    );
    // With a configuration file that leaves them out, its defaults are safe.
    tree.write("/etc/systemd/system/kubelet.service.d/10-kubeadm.conf", 0o600, ROOT,
        "[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --config=/var/lib/kubelet/minimal.yaml\n");
    tree.write(
        "/var/lib/kubelet/minimal.yaml",
        0o600,
        ROOT,
        "kind: KubeletConfiguration\n",
    );
    let report = run(&tree, &[Target::Node]);
    assert_eq!(status(&report, "4.2.1"), Status::Pass);
    assert_eq!(status(&report, "4.2.2"), Status::Pass);
    assert_eq!(status(&report, "4.2.4"), Status::Pass);
}

#[test]
fn configuration_drop_ins_are_merged_in_name_order() {
    let tree = Tree::worker(true);
    tree.write(
        "/etc/default/kubelet",
        0o644,
        ROOT,
        "KUBELET_EXTRA_ARGS=\"--config-dir=/etc/kubernetes/kubelet.conf.d\"\n",
    );
    tree.write(
        "/etc/kubernetes/kubelet.conf.d/10-a.conf",
        0o600,
        ROOT,
        "authentication:\n  anonymous:\n    enabled: true\n",
    );
    tree.write(
        "/etc/kubernetes/kubelet.conf.d/20-b.conf",
        0o600,
        ROOT,
        "readOnlyPort: 10255\n",
    );
    let report = run(&tree, &[Target::Node]);
    assert_eq!(status(&report, "4.2.1"), Status::Fail);
    assert_eq!(
        status(&report, "4.2.3"),
        Status::Pass,
        "keys the drop-ins leave alone stay"
    );
    let evidence = &report
        .results
        .iter()
        .find(|r| r.id == "4.2.4")
        .unwrap()
        .evidence[0];
    assert_eq!(
        evidence.file.as_deref(),
        Some("/etc/kubernetes/kubelet.conf.d/20-b.conf")
    );
}

#[test]
fn a_running_process_wins_over_manifests_and_units() {
    let tree = Tree::control_plane(true);
    tree.process(
        1200,
        &[
            "/usr/local/bin/kube-apiserver",
            "--profiling=true",
            "--authorization-mode=RBAC",
        ],
    );
    tree.process(
        1300,
        &[
            "/usr/bin/kubelet",
            "--config=/var/lib/kubelet/config.yaml",
            "--anonymous-auth=true",
        ],
    );
    let report = run(&tree, CONTROL_PLANE);
    assert_eq!(status(&report, "1.2.15"), Status::Fail);
    assert_eq!(status(&report, "1.2.7"), Status::Fail);
    assert_eq!(status(&report, "4.2.1"), Status::Fail);
    let evidence = &report
        .results
        .iter()
        .find(|r| r.id == "1.2.15")
        .unwrap()
        .evidence[0];
    assert_eq!(evidence.file.as_deref(), Some("/proc/1200/cmdline"));
}

#[test]
fn evidence_names_file_line_flag_and_value() {
    let tree = Tree::control_plane(false);
    let report = run(&tree, &[Target::Master]);
    let r = report.results.iter().find(|r| r.id == "1.2.6").unwrap();
    let e = &r.evidence[0];
    assert_eq!(
        e.file.as_deref(),
        Some("/etc/kubernetes/manifests/kube-apiserver.yaml")
    );
    assert!(e.line.is_some());
    assert_eq!(e.setting.as_deref(), Some("--authorization-mode"));
    assert_eq!(e.value.as_deref(), Some("AlwaysAllow"));
    assert!(r.remediation.contains("--authorization-mode=Node,RBAC"));
    let modes = report.results.iter().find(|r| r.id == "1.1.1").unwrap();
    assert_eq!(modes.evidence[0].value.as_deref(), Some("644"));
    let owner = report.results.iter().find(|r| r.id == "1.1.12").unwrap();
    assert_eq!(owner.evidence[0].value.as_deref(), Some("root:root"));
    // The encryption key in the configuration is never shown.
    let text = format!("{:?}", report.results);
    assert!(!text.contains("c2VjcmV0"));
}

#[test]
fn every_check_is_documented() {
    for c in cis::all() {
        assert!(!c.meta.summary().is_empty(), "{}", c.meta.id);
        assert!(!c.meta.remediation().is_empty(), "{}", c.meta.id);
        assert!(!c.meta.rationale().is_empty(), "{}", c.meta.id);
        assert!(cis::find(c.meta.id).is_some() && cis::find(c.meta.slug).is_some());
    }
    assert_eq!(cis::all().count(), 133);
    assert!(cis::find("cis-1.2.1").is_some());
}

#[test]
fn etcd_configured_by_environment_as_debian_packages_it() {
    let tree = Tree::control_plane(true);
    std::fs::remove_file(tree.path().join("etc/kubernetes/manifests/etcd.yaml")).unwrap();
    tree.write(
        "/lib/systemd/system/etcd.service",
        0o644,
        ROOT,
        "[Service]\nEnvironmentFile=-/etc/default/etcd\nExecStart=/usr/bin/etcd $DAEMON_ARGS\n",
    );
    tree.write(
        "/etc/default/etcd",
        0o600,
        ROOT,
        concat!(
            "ETCD_DATA_DIR=/var/lib/etcd\n",
            "ETCD_CERT_FILE=/etc/etcd/server.crt\nETCD_KEY_FILE=/etc/etcd/server.key\n",
            "ETCD_CLIENT_CERT_AUTH=true\nETCD_TRUSTED_CA_FILE=/etc/etcd/ca.crt\n",
            "ETCD_PEER_CERT_FILE=/etc/etcd/peer.crt\nETCD_PEER_KEY_FILE=/etc/etcd/peer.key\n",
            "ETCD_PEER_CLIENT_CERT_AUTH=true\n",
            // A flag on the command line wins over the environment.
            "DAEMON_ARGS=\"--client-cert-auth=false\"\n",
        ),
    );
    let report = run(&tree, &[Target::Etcd]);
    assert_eq!(status(&report, "2.1"), Status::Pass);
    assert_eq!(status(&report, "2.2"), Status::Fail);
    assert_eq!(status(&report, "2.5"), Status::Pass);
    let cert = &report
        .results
        .iter()
        .find(|r| r.id == "2.1")
        .unwrap()
        .evidence[0];
    assert_eq!(cert.file.as_deref(), Some("/etc/default/etcd"));
}

/// The evidence notes of a result.
fn notes(report: &BenchmarkReport, id: &str) -> Vec<String> {
    let r = report.results.iter().find(|r| r.id == id).unwrap();
    r.evidence.iter().map(|e| e.note.clone()).collect()
}

/// Replaces a file by a directory of the same name: a file that exists but
/// cannot be read, whoever runs the test (root reads mode-000 files).
fn make_unreadable(tree: &Tree, path: &str) {
    let real = tree.path().join(path.trim_start_matches('/'));
    std::fs::remove_file(&real).unwrap();
    std::fs::create_dir(&real).unwrap();
}

#[test]
fn an_unreadable_manifest_is_undecided_not_absent() {
    let tree = Tree::control_plane(true);
    make_unreadable(&tree, "/etc/kubernetes/manifests/kube-apiserver.yaml");
    let report = run(&tree, &[Target::Master]);
    for id in ["1.2.7", "1.2.15", "1.2.27"] {
        assert_eq!(status(&report, id), Status::Warn, "{id}");
        assert_eq!(
            notes(&report, id),
            ["cannot read /etc/kubernetes/manifests/kube-apiserver.yaml: is a directory"],
            "{id}"
        );
    }
    // Still a control plane: its checks are not skipped.
    let facts = NodeFacts::new(Root::new(tree.path()));
    assert!(cis::detect_targets(&facts).contains(&Target::Master));
}

#[test]
fn an_unreadable_kubelet_configuration_leaves_its_settings_undecided() {
    let tree = Tree::worker(true);
    make_unreadable(&tree, "/var/lib/kubelet/config.yaml");
    let report = run(&tree, &[Target::Node]);
    // 4.2.1 (anonymous auth) is in the configuration file, not on the
    // command line: with the file unreadable, no default may decide it.
    assert_eq!(status(&report, "4.2.1"), Status::Warn);
    assert!(
        notes(&report, "4.2.1")[0].contains("the kubelet configuration cannot be read"),
        "{:?}",
        notes(&report, "4.2.1")
    );
}

#[test]
fn an_unreadable_kubelet_unit_drop_in_is_undecided() {
    let tree = Tree::worker(true);
    let dropin = "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf";
    make_unreadable(&tree, dropin);
    let report = run(&tree, &[Target::Node]);
    assert_eq!(status(&report, "4.2.1"), Status::Warn);
    assert_eq!(
        notes(&report, "4.2.1"),
        [format!("cannot read {dropin}: is a directory")]
    );
}

#[test]
fn a_manifest_with_args_and_no_command_runs_the_image_entrypoint() {
    let tree = Tree::control_plane(true);
    tree.write(
        "/etc/kubernetes/manifests/kube-apiserver.yaml",
        0o600,
        ROOT,
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.31.0\n    args:\n    - --anonymous-auth=false\n    - --profiling=false\n    - --authorization-mode=Node,RBAC\n",
    );
    let facts = NodeFacts::new(Root::new(tree.path()));
    let command = facts
        .command(kubeward_node::facts::Component::ApiServer)
        .unwrap();
    assert_eq!(command.program(), "kube-apiserver");
    assert_eq!(
        command.get("--anonymous-auth").unwrap().effective(),
        "false"
    );
    let report = cis::run(&facts, &[Target::Master]);
    assert_eq!(status(&report, "1.2.1"), Status::Pass);
    assert_eq!(status(&report, "1.2.15"), Status::Pass);
}

/// Writes the control plane's EncryptionConfiguration `resources` list.
fn encryption(tree: &Tree, resources: &str) {
    tree.write(
        "/etc/kubernetes/enc/encryption.yaml",
        0o600,
        ROOT,
        &format!(
            "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n{resources}"
        ),
    );
}

const KEY: &str = "{keys: [{name: k, secret: c2VjcmV0IGlzIHNlY3VyZSwgb3IgaXMgaXQ/Cg==}]}";

#[test]
fn encryption_is_judged_by_the_entry_that_covers_secrets() {
    let tree = Tree::control_plane(true);
    // Only configmaps are encrypted: Secrets are plain text.
    encryption(
        &tree,
        &format!(
            "  - resources: [configmaps]\n    providers: [{{aescbc: {KEY}}}, {{identity: {{}}}}]\n"
        ),
    );
    let report = run(&tree, &[Target::Master]);
    for id in ["1.2.27", "1.2.28"] {
        // Manual checks: a failure shows as WARN, with the reason.
        assert_eq!(status(&report, id), Status::Warn, "{id}");
        assert_eq!(
            notes(&report, id),
            ["Secrets are not listed in any resources entry: stored in plain text"]
        );
    }
    // The first entry that names Secrets decides, even when a later one
    // would encrypt them.
    encryption(
        &tree,
        &format!(
            "  - resources: ['*.']\n    providers: [{{identity: {{}}}}]\n  - resources: [secrets]\n    providers: [{{aescbc: {KEY}}}]\n"
        ),
    );
    let report = run(&tree, &[Target::Master]);
    assert_eq!(
        notes(&report, "1.2.27"),
        ["Secrets (as *.) are written with identity: plain text"]
    );
    assert_eq!(status(&report, "1.2.28"), Status::Warn);
    // `*.*` covers them; a weak provider fails 1.2.28 only.
    encryption(
        &tree,
        &format!(
            "  - resources: [configmaps]\n    providers: [{{identity: {{}}}}]\n  - resources: ['*.*']\n    providers: [{{aesgcm: {KEY}}}]\n"
        ),
    );
    let report = run(&tree, &[Target::Master]);
    assert_eq!(status(&report, "1.2.27"), Status::Pass);
    assert_eq!(status(&report, "1.2.28"), Status::Warn);
    assert_eq!(
        notes(&report, "1.2.28"),
        ["Secrets (as *.*) are written with aesgcm: not one of aescbc, kms, secretbox"]
    );
    encryption(
        &tree,
        "  - resources: [configmaps, secrets]\n    providers: [{kms: {name: k}}]\n",
    );
    let report = run(&tree, &[Target::Master]);
    assert_eq!(status(&report, "1.2.27"), Status::Pass);
    assert_eq!(status(&report, "1.2.28"), Status::Pass);
}

/// An offline node image with no kubelet process or unit: the kubelet's
/// configuration is read where kube-bench looks (`/var/lib/kubelet/
/// config.yaml`), each value naming that file, and the node is a target.
/// Without `/etc/passwd`, uid 0 is `root`.
#[test]
fn a_kubelet_configuration_alone_is_read_where_kube_bench_looks() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("var/lib/kubelet/config.yaml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    let write = |anonymous: bool, mode: &str| {
        std::fs::write(
            &config,
            format!(
                "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: {anonymous}\nauthorization:\n  mode: {mode}\n"
            ),
        )
        .unwrap();
    };
    write(false, "Webhook");
    let facts = NodeFacts::new(Root::new(dir.path()));
    assert_eq!(cis::detect_targets(&facts), vec![Target::Node]);
    let report = cis::run(&facts, &[Target::Node]);
    assert_eq!(status(&report, "4.2.1"), Status::Pass);
    assert_eq!(status(&report, "4.2.2"), Status::Pass);
    let anonymous = report.results.iter().find(|r| r.id == "4.2.1").unwrap();
    assert_eq!(
        anonymous.evidence[0].file.as_deref(),
        Some("/var/lib/kubelet/config.yaml")
    );
    // Made by this test as root, read without /etc/passwd.
    let owner = report.results.iter().find(|r| r.id == "4.1.10").unwrap();
    assert_eq!(owner.status, Status::Pass, "{:?}", owner.evidence);

    write(true, "AlwaysAllow");
    let report = cis::run(&NodeFacts::new(Root::new(dir.path())), &[Target::Node]);
    assert_eq!(status(&report, "4.2.1"), Status::Fail);
    assert_eq!(status(&report, "4.2.2"), Status::Fail);
}

/// Targets are what runs, or would at boot: an etcd whose unit is
/// installed but not enabled is not one; enabled, it is. A tree with no
/// component at all has no target, and says so.
#[test]
fn an_installed_but_disabled_etcd_is_not_a_target() {
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("lib/systemd/system/etcd.service");
    std::fs::create_dir_all(unit.parent().unwrap()).unwrap();
    std::fs::write(
        &unit,
        "[Service]\nExecStart=/usr/bin/etcd --data-dir /var/lib/etcd\n",
    )
    .unwrap();
    let facts = NodeFacts::new(Root::new(dir.path()));
    assert_eq!(cis::detect_targets(&facts), Vec::<Target>::new());
    let report = cis::run_detected(&facts);
    assert!(report.results.is_empty());
    assert_eq!(report.errors.len(), 1);
    assert!(
        report.errors[0]
            .message
            .contains("no Kubernetes component found")
    );
    assert_eq!(report.exit_code(), 2);

    let wants = dir
        .path()
        .join("etc/systemd/system/multi-user.target.wants");
    std::fs::create_dir_all(&wants).unwrap();
    std::os::unix::fs::symlink(
        "/lib/systemd/system/etcd.service",
        wants.join("etcd.service"),
    )
    .unwrap();
    let facts = NodeFacts::new(Root::new(dir.path()));
    assert_eq!(cis::detect_targets(&facts), vec![Target::Etcd]);
}
