//! The `node`, `host`, `pki` and `explain` commands from the outside: output
//! shapes (JSON exactly as documented, SARIF valid against the 2.1.0 schema,
//! JUnit), exit codes, and one-line errors for bad input.
// Helpers outside #[test] functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output};

fn kubeward(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .args(args)
        .output()
        .unwrap()
}

fn write(root: &Path, path: &str, mode: u32, text: &str) {
    let real = root.join(path.trim_start_matches('/'));
    fs::create_dir_all(real.parent().unwrap()).unwrap();
    fs::write(&real, text).unwrap();
    fs::set_permissions(&real, fs::Permissions::from_mode(mode)).unwrap();
}

/// A control plane with one insecure API server flag and a loose manifest.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "/etc/passwd", 0o644, "root:x:0:0::/root:/bin/bash\n");
    write(r, "/etc/group", 0o644, "root:x:0:\n");
    write(
        r,
        "/etc/kubernetes/manifests/kube-apiserver.yaml",
        0o644,
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: kube-apiserver\n    command:\n    - kube-apiserver\n    - --anonymous-auth=false\n    - --authorization-mode=AlwaysAllow\n    - --profiling=false\n",
    );
    dir
}

#[test]
fn node_json_is_exactly_the_documented_shape() {
    let dir = tree();
    let root = dir.path().to_str().unwrap();
    let out = kubeward(&[
        "node",
        "--root",
        root,
        "--targets",
        "master",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1), "failures give exit 1");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let top: Vec<&String> = report.as_object().unwrap().keys().collect();
    assert_eq!(top, ["benchmark", "results"]);
    assert_eq!(report["benchmark"], "cis-1.12");
    let results = report["results"].as_array().unwrap();
    assert_eq!(results.len(), 60);
    for r in results {
        let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["evidence", "id", "remediation", "status", "title"]);
        assert!(["PASS", "FAIL", "WARN"].contains(&r["status"].as_str().unwrap()));
    }
    let authz = results.iter().find(|r| r["id"] == "1.2.6").unwrap();
    assert_eq!(authz["status"], "FAIL");
    assert_eq!(
        authz["evidence"][0]["file"],
        "/etc/kubernetes/manifests/kube-apiserver.yaml"
    );
    assert_eq!(authz["evidence"][0]["line"], 9);
    assert_eq!(authz["evidence"][0]["setting"], "--authorization-mode");
    assert_eq!(authz["evidence"][0]["value"], "AlwaysAllow");
    let mode = results.iter().find(|r| r["id"] == "1.1.1").unwrap();
    assert_eq!(mode["evidence"][0]["value"], "644");
    // --check narrows the report.
    let out = kubeward(&[
        "node",
        "--root",
        root,
        "--targets",
        "master",
        "--check",
        "1.2.1",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["results"].as_array().unwrap().len(), 1);
    assert_eq!(out.status.code(), Some(0));
}

fn sarif_validator() -> Option<(boon::Schemas, boon::SchemaIndex)> {
    let dir = kubeward_testkit::conformance_dir("sarif")?;
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("sarif-schema-2.1.0.json")).unwrap())
            .unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("sarif.json", schema).unwrap();
    let index = compiler.compile("sarif.json", &mut schemas).unwrap();
    Some((schemas, index))
}

#[test]
fn sarif_and_junit_outputs() {
    let dir = tree();
    let root = dir.path().to_str().unwrap();
    let Some((schemas, index)) = sarif_validator() else {
        return;
    };
    for args in [
        vec![
            "node",
            "--root",
            root,
            "--targets",
            "master",
            "--format",
            "sarif",
        ],
        vec!["host", "--root", root, "--format", "sarif"],
    ] {
        let out = kubeward(&args);
        let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        if let Err(e) = schemas.validate(&sarif, index) {
            panic!("{args:?}: invalid SARIF: {e}");
        }
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        assert!(
            results
                .iter()
                .any(|r| r["kind"] == "fail" && r["level"] == "error")
        );
        assert!(results.iter().any(|r| r["kind"] == "pass"));
    }
    let out = kubeward(&[
        "node",
        "--root",
        root,
        "--targets",
        "master",
        "--format",
        "junit",
    ]);
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(
        xml.contains("<testsuite name=\"cis-1.12\"") && xml.contains("<failure"),
        "{xml}"
    );
    assert!(xml.contains("1.2.6 API server authorization is not AlwaysAllow"));
}

#[test]
fn controls_files_run_and_bad_ones_are_one_line_errors() {
    let dir = tree();
    let root = dir.path().to_str().unwrap();
    let controls = dir.path().join("controls.yaml");
    fs::write(&controls, "controls:\nversion: custom-1\ntype: master\ngroups:\n- id: 1\n  checks:\n  - id: c1\n    text: authz\n    audit: ps -ef | grep kube-apiserver | grep -v grep\n    tests:\n      test_items:\n      - flag: --authorization-mode\n        compare: {op: has, value: RBAC}\n    scored: true\n  - id: c2\n    text: needs a cluster\n    audit: kubectl get pods\n    tests:\n      test_items:\n      - flag: x\n    scored: true\n").unwrap();
    let bad = dir.path().join("bad.yaml");
    fs::write(&bad, "groups:\n- id: 1\n  checks: [\n").unwrap();
    let out = kubeward(&[
        "node",
        "--root",
        root,
        "--controls",
        controls.to_str().unwrap(),
        "--controls",
        bad.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a bad controls file is an input error"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    let errors: Vec<&str> = stderr.lines().collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(
        errors[0].starts_with(&format!("error: {}:", bad.display())),
        "{stderr}"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["benchmark"], "custom-1");
    assert_eq!(report["results"][0]["status"], "FAIL");
    assert_eq!(report["results"][1]["status"], "WARN");
    assert!(
        report["results"][1]["evidence"][0]["note"]
            .as_str()
            .unwrap()
            .contains("not evaluated offline")
    );
    // --allow-shell never runs on a node tree.
    let out = kubeward(&[
        "node",
        "--root",
        root,
        "--controls",
        controls.to_str().unwrap(),
        "--allow-shell",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = kubeward(&["node", "--root", "/nonexistent/tree"]);
    assert_eq!(out.status.code(), Some(2));
    let out = kubeward(&["node", "--benchmark", "cis-1.6"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn explain_covers_node_and_host_checks() {
    for id in [
        "1.2.1",
        "cis-4.2.1",
        "kubelet-anonymous-auth",
        "KH101",
        "KN101",
        "KW901",
    ] {
        let out = kubeward(&["explain", id]);
        assert_eq!(out.status.code(), Some(0), "{id}");
        assert!(
            String::from_utf8(out.stdout)
                .unwrap()
                .contains("## How to fix"),
            "{id}"
        );
    }
}

#[test]
fn pki_round_trip_through_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert_eq!(
        kubeward(&["pki", "init", "--dir", d]).status.code(),
        Some(0)
    );
    assert_eq!(
        kubeward(&["pki", "init", "--dir", d]).status.code(),
        Some(2),
        "no overwrite"
    );
    let out = kubeward(&[
        "pki",
        "issue",
        "--dir",
        d,
        "--name",
        "admin",
        "--cn",
        "kube-admin",
        "--org",
        "kubeadm:cluster-admins",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = kubeward(&[
        "pki",
        "inspect",
        &format!("{d}/admin.crt"),
        "--format",
        "json",
    ]);
    let facts: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(facts["kubernetes"]["user"], "kube-admin");
    assert_eq!(facts["kubernetes"]["groups"][0], "kubeadm:cluster-admins");
    let config = format!("{d}/admin.kubeconfig");
    let out = kubeward(&[
        "pki",
        "kubeconfig",
        "--dir",
        d,
        "--name",
        "admin",
        "--server",
        "https://127.0.0.1:6443",
        "-o",
        &config,
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        fs::metadata(&config).unwrap().permissions().mode() & 0o777,
        0o600
    );
    fs::remove_file(&config).unwrap();
    let out = kubeward(&[
        "pki",
        "check",
        d,
        "--role",
        "control-plane",
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = kubeward(&["pki", "inspect", &format!("{d}/admin.key")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("PRIVATE KEY-----\nM"));
}

/// The `(id, status, first note)` of each result of a JSON report.
fn results(out: &Output) -> Vec<(String, String, String)> {
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_owned(),
                r["status"].as_str().unwrap().to_owned(),
                r["evidence"][0]["note"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn row(id: &str, status: &str, note: &str) -> (String, String, String) {
    (id.to_owned(), status.to_owned(), note.to_owned())
}

/// Files a normal user cannot read (shadow, sudoers, a 600 sshd_config and
/// manifest, modprobe.d, a socket table, AppArmor's state) must leave their checks undecided, never passed or failed on a
/// default. The tests run as root in CI, and root reads everything: the
/// command then runs as `nobody` through `setpriv`. Run as another user, the
/// files get mode 000 instead.
#[test]
fn host_and_node_without_read_access_warn_instead_of_deciding() {
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let r = dir.path().join("tree");
    write(
        &r,
        "/etc/passwd",
        0o644,
        "root:x:0:0::/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n",
    );
    write(
        &r,
        "/etc/shadow",
        0o640,
        "root:$6$abc:19000:0:99999:7:::\nalice::19000:0:99999:7:::\n",
    );
    write(
        &r,
        "/etc/sudoers",
        0o440,
        "root ALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d\n",
    );
    write(
        &r,
        "/etc/sudoers.d/alice",
        0o440,
        "alice ALL=(ALL) NOPASSWD: ALL\n",
    );
    write(
        &r,
        "/etc/ssh/sshd_config",
        0o600,
        "PasswordAuthentication no\n",
    );
    write(
        &r,
        "/etc/kubernetes/manifests/kube-apiserver.yaml",
        0o600,
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: kube-apiserver\n    command: [kube-apiserver, --anonymous-auth=false, --profiling=false]\n",
    );
    // modprobe.d, a socket table and AppArmor's files, readable by root only:
    // with them, every module is disabled, a database port listens, and
    // AppArmor enforces one profile.
    let modprobe: String = [
        "cramfs", "freevxfs", "hfs", "hfsplus", "jffs2", "udf", "dccp", "sctp", "rds", "tipc",
    ]
    .iter()
    .map(|m| format!("install {m} /bin/false\n"))
    .collect();
    write(&r, "/etc/modprobe.d/kubeward.conf", 0o600, &modprobe);
    write(
        &r,
        "/proc/net/tcp",
        0o600,
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 00000000:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0\n",
    );
    write(&r, "/sys/module/apparmor/parameters/enabled", 0o600, "Y\n");
    write(
        &r,
        "/sys/kernel/security/apparmor/profiles",
        0o600,
        "cri-containerd.apparmor.d (enforce)\n",
    );
    let chmod = |mode: u32, paths: &[&str]| {
        for p in paths {
            fs::set_permissions(r.join(p), fs::Permissions::from_mode(mode)).unwrap();
        }
    };
    chmod(
        0o755,
        &[
            "etc",
            "etc/ssh",
            "etc/kubernetes",
            "etc/kubernetes/manifests",
            "etc/modprobe.d",
            "proc",
            "proc/net",
            "sys",
            "sys/module",
            "sys/module/apparmor",
            "sys/module/apparmor/parameters",
            "sys/kernel",
            "sys/kernel/security",
            "sys/kernel/security/apparmor",
        ],
    );
    chmod(0o750, &["etc/sudoers.d"]);
    let as_root = fs::metadata(r.join("etc/passwd")).unwrap().uid() == 0;
    // A copy of the binary that `nobody` may run, wherever the build is.
    let kw = dir.path().join("kubeward");
    fs::copy(env!("CARGO_BIN_EXE_kubeward"), &kw).unwrap();
    fs::set_permissions(&kw, fs::Permissions::from_mode(0o755)).unwrap();
    let tree = r.to_str().unwrap();
    let host = [
        "host",
        "--root",
        tree,
        "--check",
        "KH102,KH202,KH204,KH205,KH301,KH401,KH501,KH502",
        "-f",
        "json",
    ];
    let node = [
        "node",
        "--root",
        tree,
        "--targets",
        "master",
        "--check",
        "1.2.7,1.2.15",
        "-f",
        "json",
    ];
    if as_root {
        // What a reader of every file sees.
        assert_eq!(
            results(&kubeward(&host))
                .into_iter()
                .map(|(id, status, _)| format!("{id}:{status}"))
                .collect::<Vec<_>>(),
            [
                "KH102:PASS",
                "KH202:FAIL",
                "KH204:FAIL",
                "KH205:WARN",
                "KH301:PASS",
                "KH401:FAIL",
                "KH501:PASS",
                "KH502:PASS"
            ]
        );
    } else {
        eprintln!("not root: the root-only files get mode 000 instead of running as nobody");
        chmod(
            0o000,
            &[
                "etc/shadow",
                "etc/sudoers",
                "etc/ssh/sshd_config",
                "etc/kubernetes/manifests/kube-apiserver.yaml",
                "etc/modprobe.d/kubeward.conf",
                "proc/net/tcp",
                "sys/module/apparmor/parameters/enabled",
                "sys/kernel/security/apparmor/profiles",
            ],
        );
    }
    let unprivileged = |args: &[&str]| {
        let mut command = if as_root {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(&kw);
            c
        } else {
            Command::new(&kw)
        };
        command.args(args).output().unwrap()
    };
    let denied = |file: &str| format!("cannot read {file}: permission denied; run as root");
    let out = unprivileged(&host);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        results(&out),
        [
            row("KH102", "WARN", &denied("/etc/ssh/sshd_config")),
            row("KH202", "WARN", &denied("/etc/shadow")),
            row("KH204", "WARN", &denied("/etc/sudoers")),
            row("KH205", "WARN", &denied("/etc/sudoers")),
            row("KH301", "WARN", &denied("/etc/modprobe.d/kubeward.conf")),
            row("KH401", "WARN", &denied("/proc/net/tcp")),
            row(
                "KH501",
                "WARN",
                &denied("/sys/module/apparmor/parameters/enabled")
            ),
            row(
                "KH502",
                "WARN",
                &denied("/sys/kernel/security/apparmor/profiles")
            ),
        ]
    );
    let out = unprivileged(&node);
    let manifest = denied("/etc/kubernetes/manifests/kube-apiserver.yaml");
    assert_eq!(
        results(&out),
        [
            row("1.2.7", "WARN", &manifest),
            row("1.2.15", "WARN", &manifest)
        ]
    );
}

#[test]
fn an_unknown_check_id_is_an_error_not_an_empty_report() {
    let dir = tree();
    let root = dir.path().to_str().unwrap();
    let node =
        |ids: &'static str| vec!["node", "--root", root, "--targets", "node", "--check", ids];
    for (args, message) in [
        (node("9.9.9"), "error: unknown check `9.9.9`"),
        (node("4.2.1,1.2.99"), "error: unknown check `1.2.99`"),
        (
            vec!["host", "--root", root, "--check", "KH999"],
            "error: unknown check `KH999`",
        ),
        (
            node("1.2.1"),
            "error: check `1.2.1` is not run here: its target is not among --targets (or not detected on this node)",
        ),
    ] {
        let out = kubeward(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert_eq!(String::from_utf8(out.stderr).unwrap().trim_end(), message);
    }
    let out = kubeward(&["host", "--root", root, "--check", "KH101"]);
    assert_ne!(out.status.code(), Some(2));
}

/// The commands of the README's `kubeward pki` example, each line as written
/// (run in an empty folder), succeed with the defaults: the folder `pki
/// init` makes holds the CA key, which is not a worker's finding when
/// nothing says the folder is a worker's.
#[test]
fn the_readme_pki_example_runs_as_written() {
    let readme = fs::read_to_string(kubeward_testkit::repo_root().join("README.md")).unwrap();
    let section = &readme[readme.find("### `kubeward pki`").unwrap()..];
    let block = section.split("```sh\n").nth(1).unwrap();
    let block = &block[..block.find("```").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    let mut ran = Vec::new();
    for line in block.lines() {
        let words: Vec<&str> = line.split('#').next().unwrap().split_whitespace().collect();
        let Some((&"kubeward", args)) = words.split_first() else {
            continue;
        };
        let out = Command::new(env!("CARGO_BIN_EXE_kubeward"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{line}\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        ran.push(args[..2].join(" "));
    }
    assert!(ran.contains(&"pki check".to_owned()), "{ran:?}");
}

/// A folder with nothing to check says so (exit 2), rather than an empty
/// report that reads as a clean one.
#[test]
fn pki_check_of_an_empty_folder_checked_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = kubeward(&["pki", "check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nothing was checked"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

/// An empty `--root` says no Kubernetes component was found (exit 2), not
/// a page of node checks failing for want of a kubelet.
#[test]
fn node_on_an_empty_root_finds_no_component() {
    let dir = tempfile::tempdir().unwrap();
    let out = kubeward(&["node", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no Kubernetes component found"), "{stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("[FAIL]"));
}
