//! Interoperability with the real `openssl` binary, both ways: openssl
//! accepts what kubeward issues, and kubeward reads what openssl issues.
// Helpers outside #[test] functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

use base64::Engine;
use kubeward_core::benchmark::Status;
use kubeward_pki::check::{Options, Role, check};
use kubeward_pki::inspect::{inspect, with_certificate};
use kubeward_pki::issue::{APISERVER_NAMES, Request, Usage, init_ca, issue};
use kubeward_pki::kubeconfig::kubeconfig;

fn openssl(args: &[&str], dir: &Path) -> String {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl is installed (scripts/test installs it)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn request(name: &str, cn: &str, orgs: &[&str], usage: Usage, sans: &[&str]) -> Request {
    Request {
        name: name.into(),
        common_name: cn.into(),
        organizations: orgs.iter().map(|s| (*s).to_owned()).collect(),
        usage,
        sans: sans.iter().map(|s| (*s).to_owned()).collect(),
        days: 365,
    }
}

#[test]
fn openssl_accepts_what_kubeward_issues() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    init_ca(d, "kubernetes", 3650, false).unwrap();
    issue(
        d,
        &request(
            "admin",
            "kube-admin",
            &["system:masters"],
            Usage::Client,
            &[],
        ),
        false,
    )
    .unwrap();
    let mut sans: Vec<&str> = APISERVER_NAMES.to_vec();
    sans.extend(["10.96.0.1", "192.0.2.10"]);
    issue(
        d,
        &request("apiserver", "kube-apiserver", &[], Usage::Server, &sans),
        false,
    )
    .unwrap();
    issue(
        d,
        &request(
            "node",
            "system:node:worker-1",
            &["system:nodes", "extra-group"],
            Usage::Both,
            &["worker-1"],
        ),
        false,
    )
    .unwrap();

    let verified = openssl(
        &[
            "verify",
            "-CAfile",
            "ca.crt",
            "admin.crt",
            "apiserver.crt",
            "node.crt",
        ],
        d,
    );
    assert_eq!(verified.matches(": OK").count(), 3, "{verified}");
    let ca = openssl(&["x509", "-in", "ca.crt", "-noout", "-text"], d);
    assert!(
        ca.contains("CA:TRUE") && ca.contains("Certificate Sign"),
        "{ca}"
    );
    let admin = openssl(&["x509", "-in", "admin.crt", "-noout", "-text"], d);
    assert!(
        admin.contains("CN = kube-admin") && admin.contains("O = system:masters"),
        "{admin}"
    );
    assert!(admin.contains("TLS Web Client Authentication") && admin.contains("CA:FALSE"));
    let server = openssl(
        &[
            "x509",
            "-in",
            "apiserver.crt",
            "-noout",
            "-ext",
            "subjectAltName,extendedKeyUsage",
        ],
        d,
    );
    for name in APISERVER_NAMES {
        assert!(server.contains(&format!("DNS:{name}")), "{server}");
    }
    assert!(
        server.contains("IP Address:10.96.0.1") && server.contains("TLS Web Server Authentication")
    );
    let node = openssl(&["x509", "-in", "node.crt", "-noout", "-subject"], d);
    assert!(
        node.contains("O = system:nodes") && node.contains("O = extra-group"),
        "{node}"
    );
    // Each key is the certificate's key, and keys are private.
    for name in ["ca", "admin", "apiserver", "node"] {
        let from_cert = openssl(
            &["x509", "-in", &format!("{name}.crt"), "-noout", "-pubkey"],
            d,
        );
        let from_key = openssl(&["pkey", "-in", &format!("{name}.key"), "-pubout"], d);
        assert_eq!(from_cert, from_key, "{name}");
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(d.join(format!("{name}.key")))
                .unwrap()
                .permissions(),
        );
        assert_eq!(mode & 0o777, 0o600);
    }
    // Files are never overwritten without --force.
    assert!(issue(d, &request("admin", "x", &[], Usage::Client, &[]), false).is_err());
    assert!(
        issue(
            d,
            &request("three", "x", &["a", "b", "c"], Usage::Client, &[]),
            false
        )
        .is_err()
    );

    // A kubeconfig carries the CA, the certificate and the key.
    let config = kubeconfig(d, "admin", "https://192.0.2.10:6443", "demo").unwrap();
    assert!(config.contains("server: \"https://192.0.2.10:6443\""));
    assert!(config.contains("current-context: \"kube-admin@demo\""));
    let cert_line = config
        .lines()
        .find(|l| l.contains("client-certificate-data"))
        .unwrap();
    let data = cert_line.split(": ").nth(1).unwrap();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(data)
        .unwrap();
    assert_eq!(decoded, std::fs::read(d.join("admin.crt")).unwrap());
    assert!(kubeconfig(d, "admin", "http://insecure", "demo").is_err());

    // kubeward's own check of what it issued: all good but the masters cert.
    let report = check(
        d,
        Options {
            warn_days: 30,
            role: Role::ControlPlane,
        },
    );
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let failed: Vec<&str> = report
        .results
        .iter()
        .filter(|r| r.status != Status::Pass)
        .map(|r| r.title.as_str())
        .collect();
    assert_eq!(
        failed,
        ["admin.crt: client certificate is not in system:masters"]
    );
}

#[test]
fn kubeward_reads_what_openssl_issues() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("manifests")).unwrap();
    std::fs::write(d.join("manifests/kube-apiserver.yaml"), "kind: Pod\n").unwrap();
    let pki = d.join("pki");
    std::fs::create_dir(&pki).unwrap();
    // A kubeadm-like CA: RSA 2048 in the traditional PKCS#1 form kubeadm writes.
    openssl(&["genrsa", "-traditional", "-out", "ca.key", "2048"], &pki);
    openssl(
        &[
            "req",
            "-x509",
            "-new",
            "-key",
            "ca.key",
            "-subj",
            "/CN=kubernetes",
            "-days",
            "3650",
            "-out",
            "ca.crt",
        ],
        &pki,
    );
    let ext = pki.join("ext.cnf");
    std::fs::write(&ext, "subjectAltName=DNS:kubernetes,DNS:kubernetes.default,IP:10.96.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n").unwrap();
    openssl(
        &["genrsa", "-traditional", "-out", "apiserver.key", "2048"],
        &pki,
    );
    openssl(
        &[
            "req",
            "-new",
            "-key",
            "apiserver.key",
            "-subj",
            "/CN=kube-apiserver",
            "-out",
            "apiserver.csr",
        ],
        &pki,
    );
    openssl(
        &[
            "x509",
            "-req",
            "-in",
            "apiserver.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-days",
            "365",
            "-extfile",
            "ext.cnf",
            "-out",
            "apiserver.crt",
        ],
        &pki,
    );
    std::fs::write(&ext, "extendedKeyUsage=clientAuth\n").unwrap();
    openssl_ec_key("admin.key", &pki);
    openssl(
        &[
            "req",
            "-new",
            "-key",
            "admin.key",
            "-subj",
            "/CN=kube-admin/O=system:masters",
            "-out",
            "admin.csr",
        ],
        &pki,
    );
    openssl(
        &[
            "x509",
            "-req",
            "-in",
            "admin.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-days",
            "10",
            "-extfile",
            "ext.cnf",
            "-out",
            "admin.crt",
        ],
        &pki,
    );
    openssl(
        &[
            "x509",
            "-req",
            "-in",
            "admin.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-days",
            "-1",
            "-extfile",
            "ext.cnf",
            "-out",
            "expired.crt",
        ],
        &pki,
    );
    // A weak, SHA-1, self-signed pair, and a key that belongs to another certificate.
    openssl(
        &[
            "req", "-x509", "-newkey", "rsa:1024", "-sha1", "-nodes", "-keyout", "weak.key",
            "-subj", "/CN=weak", "-days", "365", "-out", "weak.crt",
        ],
        &pki,
    );
    std::fs::copy(pki.join("apiserver.crt"), pki.join("swapped.crt")).unwrap();
    std::fs::copy(pki.join("admin.key"), pki.join("swapped.key")).unwrap();
    for f in ["ext.cnf", "apiserver.csr", "admin.csr"] {
        std::fs::remove_file(pki.join(f)).unwrap();
    }

    let bytes = std::fs::read(pki.join("apiserver.crt")).unwrap();
    let facts = with_certificate(&bytes, inspect).unwrap();
    assert_eq!(facts.user, "kube-apiserver");
    assert_eq!(facts.dns_names, ["kubernetes", "kubernetes.default"]);
    assert_eq!(facts.ip_addresses, ["10.96.0.1"]);
    assert_eq!((facts.key_type.as_str(), facts.key_bits), ("RSA", 2048));
    assert!(facts.is_server() && !facts.is_ca);
    // DER works too.
    let der = openssl(
        &[
            "x509",
            "-in",
            "admin.crt",
            "-outform",
            "DER",
            "-out",
            "admin.der",
        ],
        &pki,
    );
    assert!(der.is_empty());
    let admin = with_certificate(&std::fs::read(pki.join("admin.der")).unwrap(), inspect).unwrap();
    assert_eq!(admin.groups, ["system:masters"]);
    assert!(admin.meaning().iter().any(|m| m.contains("bypasses RBAC")));
    std::fs::remove_file(pki.join("admin.der")).unwrap();

    let report = check(&pki, Options::default());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let status = |id: &str, title_start: &str| {
        report
            .results
            .iter()
            .find(|r| r.id == id && r.title.starts_with(title_start))
            .unwrap_or_else(|| panic!("{id} {title_start}"))
            .status
    };
    assert_eq!(status("KP101", "apiserver.crt"), Status::Pass);
    assert_eq!(
        status("KP101", "admin.crt"),
        Status::Warn,
        "10 days is inside the 30-day window"
    );
    assert_eq!(status("KP101", "expired.crt"), Status::Fail);
    assert_eq!(status("KP102", "apiserver.crt"), Status::Pass);
    assert_eq!(status("KP102", "ca.crt"), Status::Pass);
    assert_eq!(status("KP103", "apiserver.key"), Status::Pass, "PKCS#1 RSA");
    assert_eq!(status("KP103", "admin.key"), Status::Pass, "SEC1 EC");
    assert_eq!(status("KP103", "swapped.key"), Status::Fail);
    assert_eq!(status("KP103", "weak.key"), Status::Pass);
    assert_eq!(status("KP104", "weak.crt"), Status::Fail);
    assert_eq!(status("KP105", "weak.crt"), Status::Fail);
    assert_eq!(status("KP105", "apiserver.crt"), Status::Pass);
    assert_eq!(status("KP106", "admin.crt"), Status::Fail);
    assert!(
        !report.results.iter().any(|r| r.id == "KP107"),
        "control plane: the manifests exist"
    );
    // The same folder on a worker: the CA key should not be there.
    let worker = check(
        &pki,
        Options {
            warn_days: 30,
            role: Role::Worker,
        },
    );
    assert!(
        worker
            .results
            .iter()
            .any(|r| r.id == "KP107" && r.title.starts_with("ca.key"))
    );
    // Nothing in a report shows key material.
    let text = format!("{:?}", report.results);
    assert!(!text.contains("PRIVATE KEY") && !text.contains("MII"));
}

#[test]
fn bad_files_are_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.crt"), "not a certificate").unwrap();
    std::fs::write(
        dir.path().join("garbage.crt"),
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let report = check(dir.path(), Options::default());
    assert_eq!(report.errors.len(), 2, "{:?}", report.errors);
    assert_eq!(report.exit_code(), 2);
    assert!(with_certificate(b"\x30\x03\x02\x01", inspect).is_err());
}

/// The titles of a report's results with this id.
fn titles_of<'a>(report: &'a kubeward_core::benchmark::BenchmarkReport, id: &str) -> Vec<&'a str> {
    report
        .results
        .iter()
        .filter(|r| r.id == id)
        .map(|r| r.title.as_str())
        .collect()
}

/// A SEC1 P-256 key made by openssl.
fn openssl_ec_key(file: &str, dir: &Path) {
    openssl(
        &[
            "ecparam",
            "-name",
            "prime256v1",
            "-genkey",
            "-noout",
            "-out",
            file,
        ],
        dir,
    );
}

/// A self-signed P-256 CA `NAME.crt`/`NAME.key` made by openssl.
fn openssl_ca(name: &str, dir: &Path) {
    openssl_ca_with(name, &[], dir);
}

/// [`openssl_ca`] with more `openssl req` arguments (`-addext …`).
fn openssl_ca_with(name: &str, extra: &[&str], dir: &Path) {
    let (key, crt) = (format!("{name}.key"), format!("{name}.crt"));
    let mut args = vec![
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-days",
        "300",
        "-subj",
        "/CN=kubernetes",
        "-keyout",
        &key,
        "-out",
        &crt,
    ];
    args.extend(extra);
    openssl(&args, dir);
}

/// A P-256 key `NAME.key` and a signing request `NAME.csr` for it, made by
/// openssl; returns the request's file name.
fn openssl_key_and_request(name: &str, subject: &str, dir: &Path) -> String {
    let (key, csr) = (format!("{name}.key"), format!("{name}.csr"));
    openssl(
        &[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-subj",
            subject,
            "-keyout",
            &key,
            "-out",
            &csr,
        ],
        dir,
    );
    csr
}

/// A leaf `NAME.crt`/`NAME.key` signed by `CA.crt` with openssl, with the
/// extensions of `ext` (none when empty: a v1-style certificate).
fn openssl_leaf(name: &str, subject: &str, ca: &str, ext: &str, dir: &Path) {
    let csr = openssl_key_and_request(name, subject, dir);
    let (ca_crt, ca_key, out) = (
        format!("{ca}.crt"),
        format!("{ca}.key"),
        format!("{name}.crt"),
    );
    let mut args = vec![
        "x509", "-req", "-in", &csr, "-CA", &ca_crt, "-CAkey", &ca_key, "-days", "200", "-out",
        &out,
    ];
    if !ext.is_empty() {
        std::fs::write(dir.join("ext.cnf"), ext).unwrap();
        args.extend(["-extfile", "ext.cnf"]);
    }
    openssl(&args, dir);
    std::fs::remove_file(dir.join(csr)).unwrap();
}

#[test]
fn a_client_certificate_without_extended_key_usage_is_still_a_client() {
    // The plain openssl recipe: no extensions, so Go's x509.Verify (the API
    // server's client authentication) accepts it for any usage.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    openssl_ca("ca", d);
    openssl_leaf("admin", "/O=system:masters/CN=admin", "ca", "", d);
    let facts = with_certificate(&std::fs::read(d.join("admin.crt")).unwrap(), inspect).unwrap();
    assert!(!facts.has_extended_key_usage);
    assert!(facts.is_client() && facts.is_server());
    let meaning = facts.meaning().join(" ");
    assert!(meaning.contains("good for any use"), "{meaning}");
    assert!(meaning.contains("bypasses RBAC"), "{meaning}");
    // A CA without one is not taken for a client.
    let ca = with_certificate(&std::fs::read(d.join("ca.crt")).unwrap(), inspect).unwrap();
    assert!(ca.is_ca && !ca.is_client());
    // anyExtendedKeyUsage allows client use too; serverAuth alone does not.
    openssl_leaf(
        "any",
        "/O=system:masters/CN=any",
        "ca",
        "extendedKeyUsage=anyExtendedKeyUsage\n",
        d,
    );
    openssl_leaf(
        "srv",
        "/O=system:masters/CN=srv",
        "ca",
        "extendedKeyUsage=serverAuth\n",
        d,
    );
    let report = check(
        d,
        Options {
            warn_days: 30,
            role: Role::ControlPlane,
        },
    );
    assert_eq!(
        titles_of(&report, "KP106"),
        [
            "admin.crt: client certificate is not in system:masters",
            "any.crt: client certificate is not in system:masters"
        ]
    );
    assert_eq!(report.exit_code(), 1);
}

#[test]
fn a_ca_bundle_is_read_whole_and_every_issuer_candidate_tried() {
    // CA rotation: ca.crt holds the old and the new CA, both named
    // CN=kubernetes; leaves are signed by the second one.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    openssl_ca("old", d);
    openssl_ca("new", d);
    let bundle = [
        std::fs::read_to_string(d.join("old.crt")).unwrap(),
        std::fs::read_to_string(d.join("new.crt")).unwrap(),
    ]
    .concat();
    std::fs::write(d.join("ca.crt"), bundle).unwrap();
    let server = "subjectAltName=DNS:kubernetes\nextendedKeyUsage=serverAuth\n";
    openssl_leaf(
        "apiserver",
        "/CN=kube-apiserver",
        "new",
        &format!("authorityKeyIdentifier=keyid\n{server}"),
        d,
    );
    // Without an authority key id, the candidates are tried in turn.
    openssl_leaf("noakid", "/CN=kube-apiserver", "new", server, d);
    std::fs::rename(d.join("new.key"), d.join("ca.key")).unwrap();
    for f in ["old.crt", "old.key", "new.crt", "ext.cnf"] {
        std::fs::remove_file(d.join(f)).unwrap();
    }
    openssl(&["verify", "-CAfile", "ca.crt", "apiserver.crt"], d);
    let report = check(
        d,
        Options {
            warn_days: 30,
            role: Role::ControlPlane,
        },
    );
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let find = |title: &str| {
        report
            .results
            .iter()
            .find(|r| r.title == title)
            .unwrap_or_else(|| panic!("{title}: {:?}", report.results))
    };
    for leaf in ["apiserver.crt", "noakid.crt"] {
        let r = find(&format!("{leaf}: chains to a CA in the folder"));
        assert_eq!(r.status, Status::Pass, "{leaf}: {:?}", r.evidence);
        assert_eq!(r.evidence[0].note, "signed by ca.crt#2");
    }
    // The bundle's second CA is checked like the first.
    assert_eq!(
        find("ca.crt: certificate is valid and not about to expire").status,
        Status::Pass
    );
    assert_eq!(
        find("ca.crt#2: certificate is valid and not about to expire").status,
        Status::Pass
    );
    assert_eq!(find("ca.crt#2: key is strong enough").status, Status::Pass);
    // ca.key is the second CA's key.
    let key = find("ca.key: private key matches its certificate");
    assert_eq!(
        (key.status, key.evidence[0].note.as_str()),
        (Status::Pass, "matches ca.crt#2")
    );
}

#[test]
fn titles_name_the_path_inside_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    init_ca(d, "kubernetes", 3650, false).unwrap();
    init_ca(&d.join("etcd"), "etcd-ca", 3650, false).unwrap();
    let report = check(d, Options::default());
    assert_eq!(
        titles_of(&report, "KP101"),
        [
            "ca.crt: certificate is valid and not about to expire",
            "etcd/ca.crt: certificate is valid and not about to expire"
        ]
    );
}

#[test]
fn the_service_account_key_pair_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // kubeadm's pair: an RSA key and its public half.
    openssl(&["genrsa", "-traditional", "-out", "sa.key", "2048"], d);
    openssl(&["pkey", "-in", "sa.key", "-pubout", "-out", "sa.pub"], d);
    let titles = |role| {
        let report = check(
            d,
            Options {
                warn_days: 30,
                role,
            },
        );
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        report
            .results
            .iter()
            .map(|r| format!("{} {:?} {}", r.id, r.status, r.evidence[0].note))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        titles(Role::ControlPlane),
        ["KP104 Pass RSA 2048 bit", "KP103 Pass matches sa.pub"]
    );
    // A weak key whose sa.pub is another key's; on a worker it should not
    // be there at all.
    openssl(&["genrsa", "-traditional", "-out", "sa.key", "1024"], d);
    assert_eq!(
        titles(Role::Worker),
        [
            "KP104 Fail RSA 1024 bit",
            "KP103 Fail does not match sa.pub",
            "KP107 Fail the ServiceAccount signing key on a worker node lets anyone with root there sign tokens for any ServiceAccount of the cluster",
        ]
    );
    // An EC key without a public key file: its size only.
    std::fs::remove_file(d.join("sa.pub")).unwrap();
    openssl_ec_key("sa.key", d);
    assert_eq!(titles(Role::ControlPlane), ["KP104 Pass ECDSA 256 bit"]);
}

#[test]
fn a_leaf_that_outlives_its_ca_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    init_ca(d, "kubernetes", 10, false).unwrap();
    // openssl does not cut a leaf to its CA: 200 days under a 10-day CA.
    openssl_leaf("long", "/CN=long", "ca", "extendedKeyUsage=clientAuth\n", d);
    let report = check(
        d,
        Options {
            warn_days: 5,
            role: Role::ControlPlane,
        },
    );
    let chain = report
        .results
        .iter()
        .find(|r| r.title == "long.crt: chains to a CA in the folder")
        .unwrap();
    assert_eq!(chain.status, Status::Warn);
    assert!(
        chain.evidence[0]
            .note
            .starts_with("signed by ca.crt, but outlives it"),
        "{}",
        chain.evidence[0].note
    );
}

#[test]
fn kubeadm_certificates_need_the_usages_of_their_role() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    openssl_ca("ca", d);
    std::fs::create_dir(d.join("etcd")).unwrap();
    let ext = |eku: &str| format!("keyUsage=critical,digitalSignature\nextendedKeyUsage={eku}\n");
    // The API server's kubelet client made as a server certificate: the API
    // server cannot use it ("incompatible key usage").
    openssl_leaf(
        "apiserver-kubelet-client",
        "/CN=kube-apiserver-kubelet-client",
        "ca",
        &ext("serverAuth"),
        d,
    );
    openssl_leaf(
        "apiserver",
        "/CN=kube-apiserver",
        "ca",
        &ext("serverAuth"),
        d,
    );
    openssl_leaf("etcd/peer", "/CN=peer", "ca", &ext("serverAuth"), d);
    openssl_leaf(
        "front-proxy-client",
        "/CN=front-proxy-client",
        "ca",
        "keyUsage=keyEncipherment\nextendedKeyUsage=clientAuth\n",
        d,
    );
    // Not a kubeadm name: its role is unknown, so no KP108.
    openssl_leaf("custom", "/CN=custom", "ca", &ext("serverAuth"), d);
    // A CA that may not sign.
    openssl_ca_with(
        "front-proxy-ca",
        &["-addext", "keyUsage=critical,digitalSignature"],
        d,
    );
    let report = check(
        d,
        Options {
            warn_days: 30,
            role: Role::ControlPlane,
        },
    );
    let kp108: Vec<String> = report
        .results
        .iter()
        .filter(|r| r.id == "KP108")
        .map(|r| format!("{} {:?}: {}", r.title, r.status, r.evidence[0].note))
        .collect();
    assert_eq!(
        kp108,
        [
            "apiserver-kubelet-client.crt: key usage fits its role Fail: a client certificate without clientAuth",
            "apiserver.crt: key usage fits its role Pass: usable as a server certificate",
            "ca.crt: key usage fits its role Pass: a CA allowed to sign certificates",
            "etcd/peer.crt: key usage fits its role Fail: a client and server certificate without clientAuth",
            "front-proxy-ca.crt: key usage fits its role Fail: a CA whose key usage does not allow signing certificates (keyCertSign)",
            "front-proxy-client.crt: key usage fits its role Fail: a client certificate without digitalSignature",
        ]
    );
}

/// A chain made by openssl: a root with `pathlen:LIMIT`, two intermediate
/// CAs below it, and a client leaf below those. Returns the folder and what
/// `openssl verify` says of the leaf.
fn chain_with_root_pathlen(limit: u32) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let constraint = format!("basicConstraints=critical,CA:TRUE,pathlen:{limit}");
    openssl_ca_with(
        "root",
        &[
            "-addext",
            &constraint,
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
        d,
    );
    let ca = "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n";
    openssl_leaf("inter-a", "/CN=intermediate-a", "root", ca, d);
    openssl_leaf("inter-b", "/CN=intermediate-b", "inter-a", ca, d);
    openssl_leaf(
        "leaf",
        "/CN=leaf",
        "inter-b",
        "extendedKeyUsage=clientAuth\n",
        d,
    );
    std::fs::remove_file(d.join("ext.cnf")).unwrap();
    let untrusted = [
        std::fs::read_to_string(d.join("inter-a.crt")).unwrap(),
        std::fs::read_to_string(d.join("inter-b.crt")).unwrap(),
    ]
    .concat();
    let bundle =
        std::env::temp_dir().join(format!("kw-untrusted-{}-{limit}.pem", std::process::id()));
    std::fs::write(&bundle, untrusted).unwrap();
    let verified = Command::new("openssl")
        .args(["verify", "-CAfile", "root.crt", "-untrusted"])
        .arg(&bundle)
        .arg("leaf.crt")
        .current_dir(d)
        .output()
        .unwrap();
    std::fs::remove_file(bundle).unwrap();
    (dir, verified)
}

#[test]
fn a_chain_past_a_path_length_constraint_fails() {
    let chain_notes = |d: &Path| {
        let report = check(
            d,
            Options {
                warn_days: 30,
                role: Role::ControlPlane,
            },
        );
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        report
            .results
            .iter()
            .filter(|r| r.id == "KP102")
            .map(|r| format!("{} {:?} {}", r.title, r.status, r.evidence[0].note))
            .collect::<Vec<_>>()
    };
    // pathlen:1 under the root, two CAs below it: openssl refuses the leaf.
    let (dir, verified) = chain_with_root_pathlen(1);
    assert!(!verified.status.success());
    assert!(
        String::from_utf8_lossy(&verified.stdout).contains("path length constraint exceeded")
            || String::from_utf8_lossy(&verified.stderr)
                .contains("path length constraint exceeded"),
        "{verified:?}"
    );
    let too_deep = "root.crt allows 1 CA certificate(s) below it (pathLenConstraint 1), but this chain puts 2 there: verifiers refuse it";
    assert_eq!(
        chain_notes(dir.path()),
        [
            "inter-a.crt: chains to a CA in the folder Pass signed by root.crt".to_owned(),
            format!("inter-b.crt: chains to a CA in the folder Fail {too_deep}"),
            format!("leaf.crt: chains to a CA in the folder Fail {too_deep}"),
            "root.crt: chains to a CA in the folder Pass self-signed; its signature verifies"
                .to_owned(),
        ]
    );
    let root = with_certificate(
        &std::fs::read(dir.path().join("root.crt")).unwrap(),
        inspect,
    )
    .unwrap();
    assert_eq!(root.path_len_constraint, Some(1));
    assert!(
        root.text().contains("CA: TRUE, pathlen:1"),
        "{}",
        root.text()
    );
    assert_eq!(root.json()["path_len_constraint"], 1);
    // pathlen:2 allows both: openssl and kubeward accept the chain.
    let (dir, verified) = chain_with_root_pathlen(2);
    assert!(verified.status.success(), "{verified:?}");
    // (A CA made seconds after its issuer outlives it by those seconds: a
    // WARN that has nothing to do with path lengths.)
    let notes = chain_notes(dir.path());
    assert!(
        notes
            .iter()
            .all(|n| !n.contains(" Fail ") && !n.contains("pathLenConstraint")),
        "{notes:?}"
    );
    let inter = with_certificate(
        &std::fs::read(dir.path().join("inter-a.crt")).unwrap(),
        inspect,
    )
    .unwrap();
    assert_eq!(inter.path_len_constraint, None);
    assert_eq!(inter.json()["path_len_constraint"], serde_json::Value::Null);
}

/// A CA whose validity ended (January 2020, made by `openssl ca` with fixed
/// dates) signs nothing: `issue` refuses with the dates, writes no file, and
/// `check` fails the CA as expired.
#[test]
fn an_expired_ca_signs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    openssl_key_and_request("ca", "/CN=kubernetes", d);
    std::fs::write(d.join("index.txt"), "").unwrap();
    std::fs::write(d.join("serial"), "01\n").unwrap();
    std::fs::write(
        d.join("ca.cnf"),
        "[ca]\ndefault_ca = old\n[old]\ndatabase = index.txt\nnew_certs_dir = .\n\
         serial = serial\ndefault_md = sha256\npolicy = any\n[any]\ncommonName = supplied\n\
         [v3_ca]\nbasicConstraints = critical,CA:TRUE\n\
         keyUsage = critical,keyCertSign,cRLSign,digitalSignature\nsubjectKeyIdentifier = hash\n",
    )
    .unwrap();
    openssl(
        &[
            "ca",
            "-batch",
            "-config",
            "ca.cnf",
            "-selfsign",
            "-keyfile",
            "ca.key",
            "-in",
            "ca.csr",
            "-startdate",
            "20200101000000Z",
            "-enddate",
            "20200201000000Z",
            "-extensions",
            "v3_ca",
            "-notext",
            "-out",
            "ca.crt",
        ],
        d,
    );
    let err = issue(
        d,
        &request("admin", "admin", &[], Usage::Client, &[]),
        false,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("the CA is not valid now"), "{err}");
    assert!(err.contains("2020"), "the dates are shown: {err}");
    assert!(!d.join("admin.crt").exists() && !d.join("admin.key").exists());
    let report = check(d, Options::default());
    assert!(
        report
            .results
            .iter()
            .any(|r| r.id == "KP101" && r.title.contains("ca.crt") && r.status == Status::Fail),
        "{:?}",
        report.results
    );
}

/// An error about a file names the file once: the report's error line puts
/// the path before the message, so the message does not repeat it.
#[test]
fn a_file_too_large_to_read_is_named_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("apiserver.crt");
    std::fs::write(&path, vec![b'A'; 2 << 20]).unwrap();
    let report = check(dir.path(), Options::default());
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    let line = report.errors[0].to_string();
    assert_eq!(line.matches("apiserver.crt").count(), 1, "{line}");
    assert!(
        line.contains("larger than the 1048576-byte input limit"),
        "{line}"
    );
}

/// The status of the result with this id whose title starts with `name:`.
fn status_of(report: &kubeward_core::benchmark::BenchmarkReport, id: &str, name: &str) -> Status {
    let title = format!("{name}:");
    report
        .results
        .iter()
        .find(|r| r.id == id && r.title.starts_with(&title))
        .map(|r| r.status)
        .unwrap_or_else(|| panic!("no {id} for {name}: {:?}", report.results))
}

/// RSA keys outside the 2048–8192 bits ring verifies with: an RSA-16384 CA
/// (the key is a fixture: openssl takes minutes to make one) signing a
/// P-256 leaf, an RSA-1024 self-signed certificate, and a leaf the 1024-bit
/// key signs with RSA-PSS. openssl verifies all of them, and so must KP102;
/// the 1024-bit key is KP104's finding. A leaf whose signature was altered
/// still fails.
#[test]
fn rsa_signatures_verify_at_every_size_openssl_takes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rsa-16384.key"),
        d.join("big.key"),
    )
    .unwrap();
    let self_signed = |name: &str, d: &Path| {
        let (key, crt) = (format!("{name}.key"), format!("{name}.crt"));
        let subject = format!("/CN={name}");
        openssl(
            &[
                "req", "-x509", "-new", "-key", &key, "-subj", &subject, "-days", "300", "-out",
                &crt,
            ],
            d,
        );
    };
    self_signed("big", d);
    openssl_leaf("apiserver", "/CN=kube-apiserver", "big", "", d);
    openssl(&["genrsa", "-out", "old.key", "1024"], d);
    self_signed("old", d);
    let csr = openssl_key_and_request("pss", "/CN=pss-client", d);
    openssl(
        &[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            "old.crt",
            "-CAkey",
            "old.key",
            "-days",
            "200",
            "-sigopt",
            "rsa_padding_mode:pss",
            "-sigopt",
            "rsa_pss_saltlen:32",
            "-out",
            "pss.crt",
        ],
        d,
    );
    std::fs::remove_file(d.join(csr)).unwrap();
    for (ca, leaf) in [
        ("big.crt", "apiserver.crt"),
        ("old.crt", "old.crt"),
        ("old.crt", "pss.crt"),
    ] {
        let verified = openssl(&["verify", "-CAfile", ca, leaf], d);
        assert!(verified.contains(": OK"), "{verified}");
    }
    assert!(openssl(&["x509", "-in", "pss.crt", "-noout", "-text"], d).contains("rsassaPss"));

    let report = check(d, Options::default());
    for name in ["big.crt", "apiserver.crt", "old.crt", "pss.crt"] {
        assert_eq!(status_of(&report, "KP102", name), Status::Pass, "{name}");
    }
    assert_eq!(status_of(&report, "KP104", "old.crt"), Status::Fail);
    assert_eq!(status_of(&report, "KP104", "big.crt"), Status::Pass);

    // ECDSA P-521 has no verifier here: a warning that says so, not a forgery.
    let p521 = tempfile::tempdir().unwrap();
    openssl(
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-521",
            "-nodes",
            "-subj",
            "/CN=p521",
            "-keyout",
            "p521.key",
            "-out",
            "p521.crt",
        ],
        p521.path(),
    );
    let report = check(p521.path(), Options::default());
    assert_eq!(status_of(&report, "KP102", "p521.crt"), Status::Warn);
    assert!(format!("{:?}", report.results).contains("cannot verify"));

    // The last byte of a certificate's DER is its signature's.
    let pem = std::fs::read_to_string(d.join("apiserver.crt")).unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let engine = base64::engine::general_purpose::STANDARD;
    let mut der = engine.decode(body).unwrap();
    *der.last_mut().unwrap() ^= 1;
    std::fs::write(
        d.join("apiserver.crt"),
        format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            engine.encode(der)
        ),
    )
    .unwrap();
    let report = check(d, Options::default());
    assert_eq!(status_of(&report, "KP102", "apiserver.crt"), Status::Fail);
}

/// Keys that cannot be read, and links to what is not a file, are input
/// errors naming the file (exit 2), not passed over: random bytes where
/// `apiserver.key` should be, PEM blocks whose body is not base64 or not a
/// key, a link to a device and a FIFO (which must not block the check).
#[test]
fn unreadable_keys_and_device_links_are_input_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    init_ca(d, "kubernetes", 3650, false).unwrap();
    issue(
        d,
        &request(
            "apiserver",
            "kube-apiserver",
            &[],
            Usage::Server,
            &["kubernetes"],
        ),
        false,
    )
    .unwrap();
    let noise: Vec<u8> = (0u32..300).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(d.join("apiserver.key"), noise).unwrap();
    std::fs::write(
        d.join("sa.key"),
        "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n",
    )
    .unwrap();
    std::fs::write(
        d.join("front-proxy-client.key"),
        "-----BEGIN EC PRIVATE KEY-----\n@@@@ not base64 @@@@\n-----END EC PRIVATE KEY-----\n",
    )
    .unwrap();
    std::fs::write(
        d.join("sa.pub"),
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("/dev/zero", d.join("front-proxy-ca.key")).unwrap();
    std::os::unix::fs::symlink("/dev/null", d.join("front-proxy-ca.crt")).unwrap();
    let made = Command::new("mkfifo")
        .arg(d.join("etcd.crt"))
        .status()
        .unwrap();
    assert!(made.success());

    let report = check(d, Options::default());
    let errors: Vec<String> = report
        .errors
        .iter()
        .map(|e| format!("{}: {}", e.file, e.message))
        .collect();
    for name in [
        "apiserver.key",
        "sa.key",
        "front-proxy-client.key",
        "sa.pub",
        "front-proxy-ca.key",
        "front-proxy-ca.crt",
        "etcd.crt",
    ] {
        let file = d.join(name).display().to_string();
        assert_eq!(
            errors
                .iter()
                .filter(|e| e.starts_with(&format!("{file}: ")))
                .count(),
            1,
            "{name}: {errors:#?}"
        );
    }
    assert!(
        errors.iter().any(|e| e.contains("not a regular file")),
        "{errors:#?}"
    );
    assert_eq!(report.exit_code(), 2);
    // The unreadable key is not also a KP103 warning; the CA is still checked.
    assert!(
        titles_of(&report, "KP103")
            .iter()
            .all(|t| !t.starts_with("apiserver.key"))
    );
    assert_eq!(status_of(&report, "KP103", "ca.key"), Status::Pass);
}

/// `--role auto` reads what kubeadm leaves beside the folder: a worker has
/// `../kubelet.conf` and no API server manifest, so a CA key there fails
/// KP107; with neither, the role is unknown and the key is INFO.
#[test]
fn auto_role_tells_a_worker_by_its_kubelet_conf() {
    let dir = tempfile::tempdir().unwrap();
    let pki = dir.path().join("pki");
    std::fs::create_dir(&pki).unwrap();
    init_ca(&pki, "kubernetes", 3650, false).unwrap();
    let report = check(&pki, Options::default());
    assert_eq!(status_of(&report, "KP107", "ca.key"), Status::Info);
    assert_eq!(report.exit_code(), 0);
    std::fs::write(dir.path().join("kubelet.conf"), "apiVersion: v1\n").unwrap();
    let report = check(&pki, Options::default());
    assert_eq!(status_of(&report, "KP107", "ca.key"), Status::Fail);
}
