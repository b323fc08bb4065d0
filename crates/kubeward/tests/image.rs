//! `kubeward image`, `kubeward db` and `kubeward dockerfile` end to end, on a
//! real Debian root file system (`debootstrap --variant=minbase`, built once by
//! `scripts/image-fixtures`), packed as an OCI layout and a docker archive,
//! and served by Debian's `docker-registry` over TLS on 127.0.0.1.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use std::collections::BTreeSet;
use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use kubeward_testkit::openssl::{ca_and_server_cert, run_ok};
use serde_json::Value;

fn kubeward(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("kubeward runs")
}

/// `kubeward image scan SOURCE… --skip-vulnerabilities -f FORMAT --fail-on none`,
/// expected to succeed, as JSON.
fn scan_packages(source: &[&str], format: &str) -> Value {
    let mut args = vec!["image", "scan"];
    args.extend_from_slice(source);
    args.extend(["--skip-vulnerabilities", "-f", format, "--fail-on", "none"]);
    let out = kubeward(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json_of(&out)
}

fn json_of(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

/// The fixtures `scripts/image-fixtures` builds; `None` (skip) when absent,
/// a failure under CI.
#[allow(clippy::print_stderr)] // the skip notice
fn fixtures() -> Option<PathBuf> {
    let dir = std::env::var_os("KUBEWARD_IMAGE_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| kubeward_testkit::repo_root().join("target/image-fixtures"));
    if dir.join("debian-packages.txt").is_file() && dir.join("debian-docker.tar").is_file() {
        return Some(dir);
    }
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    assert!(
        !ci,
        "image fixtures missing in {} under CI (scripts/test builds them)",
        dir.display()
    );
    eprintln!(
        "notice: image fixtures not found in {}; run scripts/image-fixtures",
        dir.display()
    );
    None
}

type Pkg = (String, String, String);

/// `dpkg-query -W` as run inside the root file system.
fn expected(dir: &Path) -> BTreeSet<Pkg> {
    std::fs::read_to_string(dir.join("debian-packages.txt"))
        .unwrap()
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0].to_owned(), f[1].to_owned(), f[2].to_owned())
        })
        .collect()
}

fn packages(report: &Value) -> BTreeSet<Pkg> {
    report["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["type"] == "deb")
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["version"].as_str().unwrap().to_owned(),
                p["arch"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// Debian's docker-registry on a free 127.0.0.1 port, over TLS.
struct Registry {
    child: Child,
    addr: String,
    ca: PathBuf,
    dir: tempfile::TempDir,
}

impl Registry {
    fn start() -> Registry {
        let dir = tempfile::tempdir().unwrap();
        let (ca, cert, key) = ca_and_server_cert(dir.path(), "kubeward test CA");
        let port = kubeward_testkit::free_port();
        let addr = format!("127.0.0.1:{port}");
        let config = format!(
            "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: {addr}\n  tls:\n    certificate: {}\n    key: {}\n",
            dir.path().join("data").display(),
            cert.display(),
            key.display()
        );
        std::fs::write(dir.path().join("config.yml"), config).unwrap();
        let child = Command::new("docker-registry")
            .arg("serve")
            .arg(dir.path().join("config.yml"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("docker-registry runs (Debian package docker-registry)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(&addr).is_err() {
            assert!(
                Instant::now() < deadline,
                "docker-registry did not start on {addr}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Registry {
            child,
            addr,
            ca,
            dir,
        }
    }

    /// Pushes an OCI layout image with skopeo.
    fn push(&self, layout: &str, name: &str) {
        let certs = self.dir.path().join("certs");
        std::fs::create_dir_all(&certs).unwrap();
        std::fs::copy(&self.ca, certs.join("ca.crt")).unwrap();
        run_ok(
            Command::new("skopeo")
                .args(["--insecure-policy", "copy", "--quiet", "--dest-cert-dir"])
                .arg(&certs)
                .arg(format!("oci:{layout}"))
                .arg(format!("docker://{}/{name}", self.addr)),
        );
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn debian_inventory_equals_dpkg_query_from_all_three_sources() {
    let Some(dir) = fixtures() else { return };
    let want = expected(&dir);
    assert!(want.len() > 50, "{} packages in the fixture", want.len());
    let archive = dir.join("debian-docker.tar");
    let layout = dir.join("debian-oci");
    let archive_report = scan_packages(&["--input", archive.to_str().unwrap()], "json");
    assert_eq!(packages(&archive_report), want, "docker archive");
    assert_eq!(archive_report["os"]["id"], "debian");
    assert!(
        archive_report["packages"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["layer"] == 0)
    );
    // A clean Debian has no tampering to report.
    assert_eq!(
        archive_report["tamper"]["unowned_executables"],
        serde_json::json!([])
    );
    assert_eq!(
        archive_report["tamper"]["modified_files"],
        serde_json::json!([])
    );

    let layout_report = scan_packages(&["--input", layout.to_str().unwrap()], "json");
    assert_eq!(packages(&layout_report), want, "OCI layout");
    let digest = layout_report["image"]["manifest_digest"]
        .as_str()
        .unwrap()
        .to_owned();

    let registry = Registry::start();
    registry.push(&format!("{}:12", layout.display()), "library/debian:12");
    let ca = registry.ca.to_str().unwrap();
    let by_tag = format!("{}/library/debian:12", registry.addr);
    let verdicts = tempfile::tempdir().unwrap();
    let out = kubeward(&[
        "image",
        "scan",
        &by_tag,
        "--ca-cert",
        ca,
        "--skip-vulnerabilities",
        "-f",
        "json",
        "--record",
        verdicts.path().to_str().unwrap(),
    ]);
    let registry_report = json_of(&out);
    assert_eq!(packages(&registry_report), want, "registry");
    assert_eq!(registry_report["image"]["manifest_digest"], digest.as_str());
    // By digest too.
    let by_digest = format!("{}/library/debian@{digest}", registry.addr);
    let again = scan_packages(&[&by_digest, "--ca-cert", ca], "json");
    assert_eq!(packages(&again), want, "registry by digest");
    // The verdict is where the admission server will look for it.
    let store = kubeward_verdict::ImageVerdictStore::open(verdicts.path()).unwrap();
    let verdict = store.verdict(&digest).unwrap().expect("a recorded verdict");
    assert_eq!(verdict.reference, by_tag);
    assert_eq!(verdict.allowed, out.status.code() == Some(0));
    // Without the CA the registry's certificate is refused.
    let refused = kubeward(&["image", "scan", &by_tag, "--skip-vulnerabilities"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("certificate"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}

#[test]
fn sboms_and_sarif_of_the_debian_image() {
    let Some(dir) = fixtures() else { return };
    let layout = dir.join("debian-oci");
    let want = expected(&dir);
    let cdx = json_of(&kubeward(&[
        "image",
        "sbom",
        "--input",
        layout.to_str().unwrap(),
        "-f",
        "cyclonedx",
    ]));
    assert_eq!(cdx["specVersion"], "1.5");
    let libraries = cdx["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "library")
        .count();
    assert_eq!(libraries, want.len());
    assert!(cdx["components"].as_array().unwrap().iter().any(|c| {
        c["purl"].as_str().is_some_and(|p| {
            p.starts_with("pkg:deb/debian/bash@") && p.contains("distro=debian-12")
        })
    }));
    let spdx = json_of(&kubeward(&[
        "image",
        "sbom",
        "--input",
        layout.to_str().unwrap(),
        "-f",
        "spdx",
    ]));
    assert_eq!(spdx["spdxVersion"], "SPDX-2.3");
    assert_eq!(spdx["packages"].as_array().unwrap().len(), want.len() + 2);
    let ids: BTreeSet<&str> = spdx["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["SPDXID"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), want.len() + 2, "SPDX ids are unique");
    if let Some(schemas) = kubeward_testkit::conformance_dir("sarif") {
        let sarif = scan_packages(&["--input", layout.to_str().unwrap()], "sarif");
        validate(&schemas.join("sarif-schema-2.1.0.json"), &sarif);
        assert!(sarif["runs"][0]["results"].as_array().unwrap().len() > 3);
    }
}

fn validate(schema_path: &Path, instance: &Value) {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let url = "file:///schema.json";
    compiler.add_resource(url, schema).unwrap();
    let index = compiler.compile(url, &mut schemas).unwrap();
    if let Err(e) = schemas.validate(instance, index) {
        panic!("{} does not validate: {e:#}", schema_path.display());
    }
}

/// `kubeward db info --db DB -f json`.
fn db_info(db: &Path) -> Value {
    json_of(&kubeward(&[
        "db",
        "info",
        "--db",
        db.to_str().unwrap(),
        "-f",
        "json",
    ]))
}

/// An OSV export zip of the given records.
fn osv_zip(path: &Path, records: &[Value]) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    for r in records {
        zip.start_file(
            format!("{}.json", r["id"].as_str().unwrap()),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(serde_json::to_string(r).unwrap().as_bytes())
            .unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn vulnerabilities_from_an_imported_database() {
    let Some(dir) = fixtures() else { return };
    let want = expected(&dir);
    let bash = want.iter().find(|p| p.0 == "bash").unwrap().1.clone();
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("all.zip");
    osv_zip(
        &zip,
        &[
            serde_json::json!({
                "id": "DSA-9999-1", "modified": "2025-01-01T00:00:00Z", "aliases": ["CVE-2099-0001"],
                "summary": "bash: a test advisory fixed after the installed version",
                "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
                "affected": [{"package": {"ecosystem": "Debian:12", "name": "bash"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": format!("{bash}+kw1")}]}]}],
            }),
            serde_json::json!({
                "id": "DSA-9999-2", "modified": "2025-01-02T00:00:00Z",
                "affected": [{"package": {"ecosystem": "Debian:12", "name": "bash"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0"}]}]}],
            }),
            serde_json::json!({
                "id": "DEBIAN-CVE-2099-0002", "modified": "2025-01-03T00:00:00Z",
                "affected": [{"package": {"ecosystem": "Debian:12", "name": "coreutils"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}],
            }),
        ],
    );
    let db = tmp.path().join("vulns.redb");
    let import = kubeward(&[
        "db",
        "import",
        zip.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    assert_eq!(
        import.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    let layout = dir.join("debian-oci");
    let scan = kubeward(&[
        "image",
        "scan",
        "--input",
        layout.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "-f",
        "json",
    ]);
    assert_eq!(
        scan.status.code(),
        Some(1),
        "a critical vulnerability fails the scan"
    );
    let report = json_of(&scan);
    let ids: Vec<&str> = report["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["DSA-9999-1", "DEBIAN-CVE-2099-0002"]);
    let v = &report["vulnerabilities"][0];
    assert_eq!(v["severity"], "critical");
    assert_eq!(v["score"], 9.8);
    assert_eq!(v["aliases"][0], "CVE-2099-0001");
    assert_eq!(v["fixed"], format!("{bash}+kw1"));
    assert_eq!(v["layer"], 0);
    let unfixed = json_of(&kubeward(&[
        "image",
        "scan",
        "--input",
        layout.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "-f",
        "json",
        "--ignore-unfixed",
        "--severity",
        "critical",
    ]));
    assert_eq!(unfixed["vulnerabilities"].as_array().unwrap().len(), 1);
    let info = db_info(&db);
    assert_eq!(info["ecosystems"]["Debian"]["advisories"], 3);
}

#[test]
fn dockerfile_lint_formats_and_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("Dockerfile");
    std::fs::write(&bad, "FROM ubuntu\nRUN curl -sSL https://get.example.com | bash\n# kubeward:ignore KW709: needed by the vendor installer\nRUN sudo make install\n").unwrap();
    let text = kubeward(&["dockerfile", "lint", bad.to_str().unwrap()]);
    assert_eq!(text.status.code(), Some(1));
    let out = String::from_utf8_lossy(&text.stdout);
    assert!(out.contains("KW705") && out.contains(":2:"), "{out}");
    assert!(
        !out.contains("KW709"),
        "suppressed findings are not listed: {out}"
    );
    let json = json_of(&kubeward(&[
        "dockerfile",
        "lint",
        bad.to_str().unwrap(),
        "-f",
        "json",
        "--fail-on",
        "none",
    ]));
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "KW709"
                && f["suppressed"]["reason"] == "needed by the vendor installer")
    );
    let junit = kubeward(&["dockerfile", "lint", bad.to_str().unwrap(), "-f", "junit"]);
    assert!(String::from_utf8_lossy(&junit.stdout).contains("<testsuites"));
    let missing = kubeward(&[
        "dockerfile",
        "lint",
        tmp.path().join("nope").to_str().unwrap(),
    ]);
    assert_eq!(missing.status.code(), Some(2));
    let explain = kubeward(&["explain", "KW705"]);
    assert_eq!(explain.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&explain.stdout).contains("piped into a shell"));
    let rules = String::from_utf8_lossy(&kubeward(&["rules"]).stdout).into_owned();
    assert!(
        rules.contains("KW712") && rules.contains("KW812"),
        "{rules}"
    );
}

/// The project's own image follows its own rules: nothing above low.
#[test]
fn the_repository_dockerfile_passes_lint() {
    let dockerfile = kubeward_testkit::repo_root().join("Dockerfile");
    let out = kubeward(&[
        "dockerfile",
        "lint",
        dockerfile.to_str().unwrap(),
        "-f",
        "json",
        "--fail-on",
        "medium",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report = json_of(&out);
    for f in report["findings"].as_array().unwrap() {
        assert!(
            ["info", "low"].contains(&f["severity"].as_str().unwrap()),
            "{f}"
        );
    }
}

/// An OCI layout whose layer blob was swapped keeps its manifest digest:
/// the scan fails on the layer's digest (exit 2) and records no verdict.
#[test]
fn a_swapped_layout_blob_fails_and_records_nothing() {
    use kubeward_image::synth::{Compression, LayerBuilder, write_oci_layout};
    let tmp = tempfile::tempdir().unwrap();
    let layout = tmp.path().join("layout");
    let mut real = LayerBuilder::new();
    real.file("etc/os-release", 0o644, b"ID=debian\nVERSION_ID=12\n")
        .file(
            "var/lib/dpkg/status",
            0o644,
            b"Package: openssl\nStatus: install ok installed\nVersion: 3.0.11-1~deb12u1\n",
        );
    write_oci_layout(
        &layout,
        &[real.finish()],
        Compression::Gzip,
        Some("1000"),
        &serde_json::json!({}),
    )
    .unwrap();
    let mut decoy = LayerBuilder::new();
    decoy.file("etc/os-release", 0o644, b"ID=debian\nVERSION_ID=12\n");
    let decoy = kubeward_image::synth::compress(&decoy.finish(), Compression::Gzip).unwrap();
    // The only gzip blob is the layer.
    for entry in std::fs::read_dir(layout.join("blobs/sha256")).unwrap() {
        let path = entry.unwrap().path();
        if std::fs::read(&path).unwrap().starts_with(&[0x1f, 0x8b]) {
            std::fs::write(&path, &decoy).unwrap();
        }
    }
    let record = tmp.path().join("verdicts");
    let out = kubeward(&[
        "image",
        "scan",
        "--input",
        layout.to_str().unwrap(),
        "--skip-vulnerabilities",
        "--record",
        record.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("does not match its digest"), "{stderr}");
    assert!(!record.exists(), "a verdict was recorded");
}

/// `db import DIR` imports the good files, names the bad one, exits 2.
#[test]
fn db_import_of_a_directory_skips_a_bad_file() {
    let tmp = tempfile::tempdir().unwrap();
    let osv = tmp.path().join("osv");
    std::fs::create_dir(&osv).unwrap();
    std::fs::write(osv.join("a.json"), "{\"id\": \"X\", \"affected\": [").unwrap();
    std::fs::write(
        osv.join("b.json"),
        r#"{"id":"OK-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"a"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.0.0"}]}]}]}"#,
    )
    .unwrap();
    let db = tmp.path().join("v.redb");
    let out = kubeward(&[
        "db",
        "import",
        "--db",
        db.to_str().unwrap(),
        osv.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("a.json"), "{stderr}");
    let info = db_info(&db);
    assert_eq!(info["ecosystems"]["npm"]["advisories"], 1);
}

/// Bad Dockerfiles are input errors (file:line, exit 2) and the other
/// files are still linted; a BOM is not one.
#[test]
fn dockerfile_lint_refuses_what_buildkit_refuses() {
    let tmp = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &[u8]| {
        let path = tmp.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let typo = write("typo", b"FROM alpine:3.19\nUSR root\nUSER 1000\n");
    let empty = write("empty", b"");
    let bom = write(
        "bom",
        b"\xef\xbb\xbfFROM ubuntu:latest\nRUN curl -fsSL https://x.example/i | sh\n",
    );
    let out = kubeward(&["dockerfile", "lint", &typo, &empty, &bom]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{typo}:2: unknown instruction")),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("{empty}:1:")), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    for rule in ["KW701", "KW702", "KW705"] {
        assert!(
            stdout.contains(&format!("{bom}:")) && stdout.contains(rule),
            "{stdout}"
        );
    }
}

/// A directory stands for the Dockerfiles in it (by name, hidden directories
/// left out), each linted with its own directory as the build context.
#[test]
fn dockerfile_lint_walks_a_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = tmp.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    };
    write("Dockerfile", "FROM alpine:3.19\nUSER root\n");
    write(
        "api/api.Dockerfile",
        "FROM alpine:3.19\nUSER 1000\nCOPY . .\n",
    );
    write("api/.dockerignore", "target\n");
    write("web/Containerfile.dev", "FROM alpine:3.19\nCOPY . .\n");
    write("Dockerfile.dockerignore", "USR not a Dockerfile\n");
    write("README.md", "USR not a Dockerfile either\n");
    write(".git/Dockerfile", "USR hidden\n");
    let dir = tmp.path().to_str().unwrap();
    let out = kubeward(&["dockerfile", "lint", dir, "-f", "json", "--fail-on", "none"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json_of(&out);
    let hits: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap_or_default();
            let file = file.strip_prefix(dir).unwrap_or(file).to_owned();
            (file, f["rule"].as_str().unwrap().to_owned())
        })
        .collect();
    let has = |file: &str, rule: &str| hits.iter().any(|(f, r)| f == file && r == rule);
    assert!(has("/Dockerfile", "KW701"), "{hits:?}");
    // api/ has its own .dockerignore; web/ does not.
    assert!(!has("/api/api.Dockerfile", "KW711"), "{hits:?}");
    assert!(has("/web/Containerfile.dev", "KW711"), "{hits:?}");
    assert!(
        hits.iter()
            .all(|(f, _)| !f.contains("ignore") && !f.contains(".git")),
        "{hits:?}"
    );
    let text = kubeward(&["dockerfile", "lint", dir, "--fail-on", "none"]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains("7 instructions in 3 inputs"), "{stdout}");
}

/// An error names each file once, and the file it is about: a missing
/// layer member is told with the archive's name (not twice), and a manifest
/// blob over the JSON size limit names that blob, not `index.json`.
#[test]
fn image_errors_name_the_file_once() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("x.tar");
    let config = br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}}"#;
    let mut outer = kubeward_image::synth::LayerBuilder::new();
    outer.file("config.json", 0o644, config).file(
        "manifest.json",
        0o644,
        br#"[{"Config":"config.json","RepoTags":["x:1"],"Layers":["missing/layer.tar"]}]"#,
    );
    std::fs::write(&archive, outer.finish()).unwrap();
    let out = kubeward(&[
        "image",
        "scan",
        "--input",
        archive.to_str().unwrap(),
        "--skip-vulnerabilities",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "error: {}: no member `missing/layer.tar`",
            archive.display()
        )
    );

    let layout = tmp.path().join("oci");
    let blobs = layout.join("blobs/sha256");
    std::fs::create_dir_all(&blobs).unwrap();
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2, "layers": [], "annotations": {"padding": "a".repeat(9 << 20)},
    }))
    .unwrap();
    let digest = kubeward_image::source::sha256_digest(&manifest);
    std::fs::write(blobs.join(&digest[7..]), &manifest).unwrap();
    std::fs::write(
        layout.join("index.json"),
        serde_json::to_vec(&serde_json::json!({"schemaVersion": 2, "manifests": [
            {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest, "size": manifest.len()}
        ]}))
        .unwrap(),
    )
    .unwrap();
    let out = kubeward(&[
        "image",
        "scan",
        "--input",
        layout.to_str().unwrap(),
        "--skip-vulnerabilities",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "error: {}: larger than 8388608 bytes",
            blobs.join(&digest[7..]).display()
        )
    );
}

/// `image scan app.tar` with `app.tar` on disk reads the file, as `--input`
/// would, and says so; it never asks a registry for `library/app.tar`.
#[test]
fn a_local_file_named_as_the_reference_is_read_as_input() {
    use kubeward_image::synth::{LayerBuilder, write_docker_archive};
    let tmp = tempfile::tempdir().unwrap();
    let mut layer = LayerBuilder::new();
    layer.file("etc/os-release", 0o644, b"ID=debian\nVERSION_ID=12\n");
    write_docker_archive(&tmp.path().join("app.tar"), &[layer.finish()], "app:1").unwrap();
    let scan = |reference: &str| {
        Command::new(env!("CARGO_BIN_EXE_kubeward"))
            .args([
                "image",
                "scan",
                reference,
                "--skip-vulnerabilities",
                "-f",
                "json",
                "--fail-on",
                "none",
            ])
            .current_dir(tmp.path())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .expect("kubeward runs")
    };
    let out = scan("app.tar");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("app.tar is a local file or OCI layout: reading it as --input app.tar"),
        "{stderr}"
    );
    assert_eq!(json_of(&out)["os"]["version_id"], "12");
}
