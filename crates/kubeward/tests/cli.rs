//! The `kubeward` binary end to end: inputs, outputs, exit codes.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn kubeward(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .args(args)
        .current_dir(kubeward_testkit::repo_root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kubeward runs");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const PRIVILEGED_POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: shop
spec:
  containers:
  - name: c
    image: registry.example.com/c:1
    securityContext:
      privileged: true
";

/// Validates a JSON document against a JSON Schema file.
fn validate(schema_path: &Path, instance: &Value) {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    let url = "file:///schema.json";
    compiler.add_resource(url, schema).unwrap();
    let index = compiler.compile(url, &mut schemas).unwrap();
    if let Err(e) = schemas.validate(instance, index) {
        panic!("{} does not validate: {e:#}", schema_path.display());
    }
}

#[test]
fn examples_fail_and_hardened_passes() {
    let all = kubeward(&["scan", "examples/"], None);
    assert_eq!(all.status.code(), Some(1), "{}", stderr(&all));
    let out = stdout(&all);
    assert!(out.contains("examples/insecure/web.yaml:"), "{out}");
    assert!(out.lines().last().unwrap().contains("critical"), "{out}");
    let hardened = kubeward(&["scan", "examples/hardened"], None);
    assert_eq!(hardened.status.code(), Some(0), "{}", stdout(&hardened));
    assert!(stdout(&hardened).starts_with("0 findings"));
}

#[test]
fn bad_files_are_reported_and_the_rest_scanned() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a-good.yaml", PRIVILEGED_POD);
    let bad = write(
        dir.path(),
        "b-bad.yaml",
        "apiVersion: v1\nkind: Pod\nspec: [1, 2\nmetadata: {}\n",
    );
    let dup = write(
        dir.path(),
        "c-dup.json",
        "{\"apiVersion\": \"v1\",\n \"kind\": \"Pod\",\n \"kind\": \"Service\"}\n",
    );
    let o = kubeward(&["scan", s(dir.path()), "--format", "json"], None);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0].starts_with(&format!("error: {}:", s(&bad))),
        "{err}"
    );
    assert!(
        lines[1].starts_with(&format!("error: {}:3: duplicate key `kind`", s(&dup))),
        "{err}"
    );
    let report = json(&o);
    assert_eq!(report["summary"]["errors"], 2);
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "KW104")
    );
}

#[test]
fn missing_paths_are_input_errors() {
    let o = kubeward(&["scan", "no/such/dir", "examples/hardened"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("error: no/such/dir: no such file or directory"));
    assert!(stdout(&o).contains("objects in 4 inputs"), "{}", stdout(&o));
}

#[test]
fn stdin_with_helm_sources_and_lists() {
    let rendered = format!(
        "---\n# Source: shop/templates/namespace.yaml\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\n# Source: shop/templates/pod.yaml\n{PRIVILEGED_POD}"
    );
    let o = kubeward(&["scan", "-", "--format", "json"], Some(&rendered));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let report = json(&o);
    let f = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "KW104")
        .unwrap();
    assert_eq!(f["file"], "shop/templates/pod.yaml");
    assert_eq!(f["line"], 11);
    assert_eq!(f["input"]["file"], "<stdin>");
    assert_eq!(f["input"]["line"], 19);
    assert_eq!(f["path"], "spec.containers[0].securityContext.privileged");

    let list = format!(
        "apiVersion: v1\nkind: List\nitems:\n{}",
        PRIVILEGED_POD
            .lines()
            .map(|l| format!("  {l}\n"))
            .collect::<String>()
            .replacen("  apiVersion", "- apiVersion", 1)
    );
    let o = kubeward(
        &["scan", "-", "--format", "json", "--select", "KW104"],
        Some(&list),
    );
    let report = json(&o);
    assert_eq!(report["summary"]["objects"], 1);
    assert_eq!(report["findings"][0]["line"], 14);
}

#[test]
fn json_report_validates_against_its_schema() {
    let o = kubeward(&["scan", "examples/", "--format", "json"], None);
    let report = json(&o);
    validate(
        &kubeward_testkit::repo_root().join("docs/schema/scan-report.v1.json"),
        &report,
    );
    assert_eq!(report["schema"], "kubeward.scan.v1");
    assert_eq!(report["summary"]["exit_code"], 1);
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let Some(dir) = kubeward_testkit::conformance_dir("sarif") else {
        return;
    };
    let temp = tempfile::tempdir().unwrap();
    write(
        temp.path(),
        "suppressed.yaml",
        &PRIVILEGED_POD.replace(
            "  namespace: shop\n",
            "  namespace: shop\n  annotations:\n    kubeward.io/ignore: \"KW104: lab only\"\n",
        ),
    );
    let o = kubeward(
        &[
            "scan",
            "examples/insecure",
            s(temp.path()),
            "--format",
            "sarif",
        ],
        None,
    );
    let sarif = json(&o);
    validate(&dir.join("sarif-schema-2.1.0.json"), &sarif);
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= 40);
    assert!(
        rules
            .iter()
            .all(|r| r["properties"]["security-severity"].is_string())
    );
    let results = run["results"].as_array().unwrap();
    for r in results {
        let index = usize::try_from(r["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(rules[index]["id"], r["ruleId"]);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(
            region["startLine"].as_u64().unwrap() >= 1
                && region["startColumn"].as_u64().unwrap() >= 1
        );
        assert!(r["partialFingerprints"]["kubeward/v1"].is_string());
    }
    let suppressed: Vec<_> = results
        .iter()
        .filter(|r| r["suppressions"].is_array())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(
        suppressed[0]["suppressions"][0]["justification"],
        "lab only"
    );
}

#[test]
fn sarif_rule_descriptors_carry_overridden_severities() {
    let dir = tempfile::tempdir().unwrap();
    // Runs as root (KW101, high) and has a writable root filesystem (KW108, medium).
    write(
        dir.path(),
        "pod.yaml",
        &PRIVILEGED_POD.replace("privileged: true", "allowPrivilegeEscalation: false"),
    );
    write(
        dir.path(),
        "kubeward.toml",
        "[rules]\nseverity = { KW108 = \"critical\", run-as-root = \"info\" }\n",
    );
    let sarif = json(&kubeward(
        &["scan", s(dir.path()), "--format", "sarif"],
        None,
    ));
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let seen = |id: &str| {
        let result = run["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ruleId"] == id)
            .unwrap_or_else(|| panic!("no {id} result"));
        let rule = &rules[usize::try_from(result["ruleIndex"].as_u64().unwrap()).unwrap()];
        (
            result["level"].as_str().unwrap().to_owned(),
            rule["properties"]["security-severity"]
                .as_str()
                .unwrap()
                .to_owned(),
            rule["properties"]["problem.severity"]
                .as_str()
                .unwrap()
                .to_owned(),
            rule["defaultConfiguration"]["level"]
                .as_str()
                .unwrap()
                .to_owned(),
        )
    };
    let strings = |a: [&str; 4]| a.map(str::to_owned).into();
    assert_eq!(seen("KW101"), strings(["note", "0.1", "note", "note"]));
    assert_eq!(seen("KW108"), strings(["error", "9.5", "error", "error"]));
    // A rule that is not overridden keeps its built-in severity (KW114: critical).
    let kw114 = rules.iter().find(|r| r["id"] == "KW114").unwrap();
    assert_eq!(kw114["properties"]["security-severity"], "9.5");
}

#[test]
fn junit_lists_rules_as_suites() {
    let o = kubeward(&["scan", "examples/", "--format", "junit"], None);
    let report = quick_junit::Report::deserialize_from_str(&stdout(&o)).unwrap();
    assert!(report.test_suites.len() >= 40);
    let privileged = report
        .test_suites
        .iter()
        .find(|s| s.name.as_str() == "KW104 privileged-container")
        .unwrap();
    assert_eq!(privileged.failures, 1);
}

#[test]
fn output_file_has_no_colour_and_thresholds_apply() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.txt");
    let o = kubeward(
        &[
            "scan",
            "examples/insecure",
            "--color",
            "always",
            "-o",
            s(&out),
            "--fail-on",
            "none",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).is_empty());
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("KW104"));
    assert!(!text.contains('\u{1b}'), "--output files never get colour");
    let coloured = kubeward(&["scan", "examples/insecure", "--color", "always"], None);
    assert!(stdout(&coloured).contains('\u{1b}'));
    let plain = kubeward(&["scan", "examples/insecure", "--color", "never"], None);
    assert!(!stdout(&plain).contains('\u{1b}'));

    let file = write(
        dir.path(),
        "m.yaml",
        &PRIVILEGED_POD.replace("privileged: true", "allowPrivilegeEscalation: true"),
    );
    let medium_only = |threshold: &str| {
        kubeward(
            &[
                "scan",
                s(&file),
                "--select",
                "KW105",
                "--fail-on",
                threshold,
            ],
            None,
        )
        .status
        .code()
    };
    assert_eq!(medium_only("high"), Some(0));
    assert_eq!(medium_only("medium"), Some(1));
    assert_eq!(medium_only("low"), Some(1));
}

#[test]
fn configuration_file_is_found_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app/pod.yaml", PRIVILEGED_POD);
    write(
        dir.path(),
        "kubeward.toml",
        "[rules]\nignore = [\"privileged-container\"]\nseverity = { KW101 = \"critical\" }\n[scan]\nexclude = [\"vendor\"]\n",
    );
    write(dir.path(), "vendor/x.yaml", PRIVILEGED_POD);
    let o = kubeward(
        &["scan", s(&dir.path().join("app")), "--format", "json"],
        None,
    );
    let report = json(&o);
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(!rules.contains(&"KW104"), "{rules:?}");
    let kw101 = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "KW101")
        .unwrap();
    assert_eq!(kw101["severity"], "critical");
    let whole = json(&kubeward(
        &["scan", s(dir.path()), "--format", "json"],
        None,
    ));
    assert_eq!(whole["summary"]["inputs"], 1, "vendor/ is excluded");

    write(
        dir.path(),
        "kubeward.toml",
        "[rules]\nignore = [\"KW999\"]\n",
    );
    let o = kubeward(&["scan", s(dir.path())], None);
    assert_eq!(o.status.code(), Some(2));
    let config = dir.path().join("kubeward.toml");
    assert_eq!(
        stderr(&o).trim(),
        format!("error: {}:2: unknown rule `KW999`", config.display())
    );
    write(
        dir.path(),
        "kubeward.toml",
        "[rules]\nselect = [\n  \"KW101\",\n  \"run-as-rooot\",\n]\n\n[rules.severity]\nKW102 = \"low\"\n",
    );
    let o = kubeward(&["scan", s(dir.path())], None);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).trim(),
        format!("error: {}:4: unknown rule `run-as-rooot`", config.display())
    );
    write(
        dir.path(),
        "kubeward.toml",
        "[rules.severity]\nKW101 = \"low\"\nKW998 = \"high\"\n",
    );
    let o = kubeward(&["scan", s(dir.path())], None);
    assert_eq!(
        stderr(&o).trim(),
        format!("error: {}:3: unknown rule `KW998`", config.display())
    );
    // A name given on the command line has no file to point at.
    std::fs::remove_file(&config).unwrap();
    let o = kubeward(&["scan", s(dir.path()), "--select", "KW997"], None);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o).trim(), "error: unknown rule `KW997`");
    write(
        dir.path(),
        "kubeward.toml",
        "[scan]\nfail-on = \"severe\"\n",
    );
    let o = kubeward(&["scan", s(dir.path())], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("kubeward.toml:2: unknown severity `severe`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn suppressions_are_counted() {
    let text = PRIVILEGED_POD.replace(
        "  namespace: shop\n",
        "  namespace: shop\n  annotations:\n    kubeward.io/ignore: \"KW104: lab only; KW777\"\n",
    );
    let o = kubeward(&["scan", "-", "--select", "KW104"], Some(&text));
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o)
            .contains("0 findings: 0 critical, 0 high, 0 medium, 0 low, 0 info; 1 suppressed"),
        "{}",
        stdout(&o)
    );
    assert!(stderr(&o).contains("kubeward.io/ignore names unknown rule `KW777`"));
    let shown = kubeward(
        &["scan", "-", "--select", "KW104", "--show-suppressed"],
        Some(&text),
    );
    assert!(stdout(&shown).contains("suppressed: lab only"));
}

#[test]
fn non_objects_are_notices() {
    let o = kubeward(&["scan", "-"], Some("just: a map\n"));
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stderr(&o).trim(),
        "notice: <stdin>:1: not a Kubernetes object (no apiVersion and kind)"
    );
    let quiet = kubeward(&["scan", "-", "-q"], Some("just: a map\n"));
    assert!(stderr(&quiet).is_empty());
}

#[test]
fn hostile_inputs_are_bounded() {
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..15 {
        bomb.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 10].join(", ")
        ));
    }
    let o = kubeward(&["scan", "-"], Some(&bomb));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("alias bomb"));
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let o = kubeward(&["scan", "-"], Some(&deep));
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn parse_errors_never_echo_a_value() {
    let secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  password: !!int hunter2SECRETVALUE\n";
    let o = kubeward(&["scan", "-"], Some(secret));
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).trim(),
        "error: <stdin>:5: the 18-character value at column 13 is not a valid !!int"
    );
    assert!(!stdout(&o).contains("hunter2"));
}

/// The reviewer's bomb: 20 ConfigMaps of 7.3 KB in all, each expanding to
/// about 1.2 million values. A budget per document let it take 1.15 GB.
fn twenty_document_bomb() -> String {
    let document = |n: usize| {
        let mut s = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x{n}}}\ndata:\n  k: v\nextra:\n"
        );
        s.push_str("  a0: &a0 [x,x,x,x,x,x,x,x,x,x]\n");
        for i in 1..6 {
            s.push_str(&format!(
                "  a{i}: &a{i} [{}]\n",
                vec![format!("*a{}", i - 1); 10].join(",")
            ));
        }
        s
    };
    (0..20).map(document).collect::<Vec<_>>().join("---\n")
}

#[test]
fn alias_budget_covers_the_whole_input() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = twenty_document_bomb();
    let file = write(dir.path(), "bomb20.yaml", &bomb);
    for (args, name) in [
        (vec!["scan", s(&file)], s(&file)),
        (vec!["scan", "-"], "<stdin>"),
        (vec!["pss", s(&file)], s(&file)),
    ] {
        let o = kubeward(&args, Some(&bomb));
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with(&format!("error: {name}:")), "{err}");
        assert!(
            err.contains("anchors and aliases in this input expand to more than 2000000 values"),
            "{err}"
        );
    }
}

#[test]
fn endless_input_files_are_refused_not_read_whole() {
    // Each command that reads a named file, given one that never ends. Under
    // a 1 GiB address-space limit, so that a regression fails here with "out
    // of memory" instead of exhausting the machine.
    for args in [
        &["scan", "/dev/zero"][..],
        &["scan", "--config", "/dev/zero", "examples/"],
        &["dockerfile", "lint", "/dev/zero"],
        &["pki", "inspect", "/dev/zero"],
        &["seccomp", "check", "/dev/zero"],
        &["watch", "--rules", "/dev/zero", "--audit-log", "/dev/null"],
    ] {
        let o = Command::new("sh")
            .arg("-c")
            .arg("ulimit -v 1048576 && exec \"$0\" \"$@\"")
            .arg(env!("CARGO_BIN_EXE_kubeward"))
            .args(args)
            .current_dir(kubeward_testkit::repo_root())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("/dev/zero"), "{args:?}: {err}");
        assert!(err.contains("larger than"), "{args:?}: {err}");
    }
    // An image archive is read with seeks: a device is named for what it is.
    let o = kubeward(
        &[
            "image",
            "scan",
            "--input",
            "/dev/zero",
            "--skip-vulnerabilities",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("/dev/zero: neither a regular file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn pss_json_and_levels() {
    let o = kubeward(&["pss", "examples/", "--format", "json"], None);
    assert_eq!(o.status.code(), Some(0));
    let list = json(&o);
    let items = list.as_array().unwrap();
    let web = items
        .iter()
        .find(|i| i["name"] == "web" && i["namespace"] == "scissors")
        .unwrap();
    assert_eq!(web["kind"], "Deployment");
    assert_eq!(web["level"], "privileged");
    assert_eq!(web["file"], "examples/insecure/web.yaml");
    assert_eq!(web["line"], 1);
    let v = &web["violations"][0];
    for key in ["check", "level", "field", "message"] {
        assert!(v[key].is_string(), "{key}");
    }
    let hardened = items
        .iter()
        .find(|i| i["name"] == "web" && i["namespace"] == "shop")
        .unwrap();
    assert_eq!(hardened["level"], "restricted");
    assert_eq!(hardened["violations"], Value::Array(vec![]));

    assert_eq!(
        kubeward(&["pss", "examples/hardened", "--level", "restricted"], None)
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        kubeward(&["pss", "examples/", "--level", "baseline"], None)
            .status
            .code(),
        Some(1)
    );
    let old = kubeward(
        &[
            "pss",
            "examples/hardened",
            "--version",
            "v1.0",
            "--level",
            "restricted",
        ],
        None,
    );
    assert_eq!(old.status.code(), Some(0));
    let bad = kubeward(&["pss", "examples/", "--version", "1.25"], None);
    assert_eq!(bad.status.code(), Some(2));
    let text = stdout(&kubeward(&["pss", "examples/insecure"], None));
    assert!(
        text.contains("Deployment/web (namespace scissors): privileged"),
        "{text}"
    );
}

#[test]
fn rules_and_explain() {
    let o = kubeward(&["rules", "--format", "json"], None);
    let rules = json(&o);
    assert!(rules.as_array().unwrap().len() >= 40);
    let e = kubeward(&["explain", "privileged-container"], None);
    let text = stdout(&e);
    assert!(text.starts_with("# KW104 privileged-container"));
    for heading in [
        "## What it does",
        "## Why is this bad?",
        "## How to fix",
        "CIS Kubernetes 1.12 5.2.2",
    ] {
        assert!(text.contains(heading), "{heading}");
    }
    assert_eq!(kubeward(&["explain", "nope"], None).status.code(), Some(2));
    assert_eq!(
        kubeward(&["scan", "--format", "xml"], None).status.code(),
        Some(2)
    );
}

#[test]
fn docs_rules_md_is_generated_from_the_rules() {
    let o = kubeward(&["rules", "--format", "markdown"], None);
    let committed =
        std::fs::read_to_string(kubeward_testkit::repo_root().join("docs/rules.md")).unwrap();
    assert!(
        committed == stdout(&o),
        "docs/rules.md is stale: run `cargo run -q -- rules --format markdown > docs/rules.md`"
    );
}

#[test]
fn deploy_manifests_pass_our_own_scan_at_restricted() {
    let o = kubeward(
        &["scan", "deploy/", "--fail-on", "medium", "--format", "json"],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let report = json(&o);
    assert!(report["summary"]["objects"].as_u64().unwrap() >= 10);
    let pss = kubeward(
        &[
            "pss",
            "deploy/",
            "--level",
            "restricted",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(pss.status.code(), Some(0));
    let workloads = json(&pss);
    assert!(
        workloads
            .as_array()
            .unwrap()
            .iter()
            .all(|w| w["level"] == "restricted")
    );
    assert!(!workloads.as_array().unwrap().is_empty());
}

#[test]
fn deploy_configuration_is_valid() {
    use kubeward_admission::config::ServeConfig;
    use kubeward_core::config::{ConfigFile, ImagesConfig, RulesConfig, ScanConfig};
    use kubeward_core::yaml::{Limits, parse_documents};
    let text =
        std::fs::read_to_string(kubeward_testkit::repo_root().join("deploy/config.yaml")).unwrap();
    let (documents, error) = parse_documents(&text, Limits::default());
    assert!(error.is_none(), "{error:?}");
    let toml = documents
        .iter()
        .find_map(|d| d.root.lookup(&["data", "kubeward.toml"])?.as_str())
        .expect("the ConfigMap holds kubeward.toml");
    let file = ConfigFile::parse(Path::new("deploy/config.yaml"), toml).unwrap();
    file.only_sections(&["scan", "rules", "images", "serve"])
        .unwrap();
    file.section::<ScanConfig>("scan").unwrap();
    file.section::<RulesConfig>("rules").unwrap();
    file.section::<ImagesConfig>("images").unwrap();
    let serve: ServeConfig = file.section("serve").unwrap();
    assert_eq!(serve.listen, "0.0.0.0:8443");
    // The bounds fit the Deployment's 128Mi memory limit.
    assert!(serve.max_in_flight * serve.max_body_bytes <= 32 << 20);
}
