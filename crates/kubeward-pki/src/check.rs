//! `kubeward pki check DIR`: every certificate and key of a kubeadm-style
//! `/etc/kubernetes/pki` — expiry with a warning window (as `kubeadm certs
//! check-expiration`), the chain to a CA in the folder, keys matching their
//! certificates, weak keys and signature algorithms, client certificates in
//! `system:masters`, CA and ServiceAccount private keys left on a worker,
//! and key usages that do not fit a CA or a kubeadm certificate's role.

use std::path::{Path, PathBuf};

use kubeward_core::Diagnostic;
use kubeward_core::benchmark::{BenchmarkReport, CheckResult, Evidence, Status};
use x509_parser::prelude::*;

use crate::inspect::{Inspection, inspect, key_facts, oid_name, path_len_constraint};
use crate::keys::{self, key_matches};
use crate::signature::{self, Verdict};

/// Which node the folder belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    ControlPlane,
    Worker,
    /// A control plane when `DIR/../manifests/kube-apiserver.yaml` exists,
    /// else a worker when `DIR/../kubelet.conf` does; else unknown, and a
    /// signing key in the folder is reported as INFO.
    Auto,
}

/// The node a folder was found to belong to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Node {
    ControlPlane,
    Worker,
    /// Neither a control plane's API server manifest nor a kubelet's
    /// kubeconfig beside the folder: a PKI kept on its own, such as the one
    /// `kubeward pki init` makes.
    Unknown,
}

impl Node {
    /// What `role` says, or for [`Role::Auto`] what kubeadm leaves beside
    /// `/etc/kubernetes/pki`: a control plane has the API server's static
    /// pod manifest, a worker joined by kubeadm a `kubelet.conf` and no such
    /// manifest.
    fn of(dir: &Path, role: Role) -> Self {
        match role {
            Role::ControlPlane => Self::ControlPlane,
            Role::Worker => Self::Worker,
            Role::Auto if dir.join("../manifests/kube-apiserver.yaml").exists() => {
                Self::ControlPlane
            }
            Role::Auto if dir.join("../kubelet.conf").exists() => Self::Worker,
            Role::Auto => Self::Unknown,
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Days before expiry that make a WARN.
    pub warn_days: i64,
    pub role: Role,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            warn_days: 30,
            role: Role::Auto,
        }
    }
}

/// The most files a check reads.
const MAX_FILES: usize = 10_000;

/// The regular files under `dir`, links followed (a linked folder is
/// entered once, so a loop ends), and an error for each entry that is not
/// a regular file or folder: a device, a FIFO (which would block a read),
/// a socket, a dangling link.
fn files(dir: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut entered = std::collections::HashSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        if !std::fs::canonicalize(&d).is_ok_and(|c| entered.insert(c)) {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let meta = std::fs::metadata(&p);
            match meta {
                Ok(m) if m.is_dir() => stack.push(p),
                Ok(m) if m.is_file() => {
                    if out.len() < MAX_FILES {
                        out.push(p);
                    }
                }
                Ok(_) => errors.push(input_error(&p, "not a regular file")),
                Err(e) => errors.push(input_error(&p, &e.to_string())),
            }
        }
    }
    out.sort();
    errors.sort_by(|a, b| a.file.cmp(&b.file));
    (out, errors)
}

/// What a file of the folder holds.
enum PemFile {
    /// The DER of each certificate (a CA bundle holds several).
    Certificates(Vec<Vec<u8>>),
    /// A private key that could be read, as PEM text.
    PrivateKey(String),
    /// A public key's SubjectPublicKeyInfo.
    PublicKey(Vec<u8>),
    /// Something else: a request, a serial number file, notes.
    Other,
}

/// Reads a file of the folder. A file named like a certificate or key
/// (`.crt`, `.key`, `.pem`, `.pub`) or with a PEM header must hold
/// well-formed PEM, and a private or public key must be readable: anything
/// less is an error, since the checks would pass over it in silence.
fn read_pem_file(path: &Path, bytes: &[u8]) -> Result<PemFile, String> {
    let named_like_pki = path
        .extension()
        .is_some_and(|e| ["crt", "key", "pem", "pub"].iter().any(|x| e == *x));
    let has_header = bytes.windows(11).any(|w| w == b"-----BEGIN ");
    if !named_like_pki && !has_header {
        return Ok(PemFile::Other);
    }
    let blocks: Vec<Pem> = Pem::iter_from_buffer(bytes)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("malformed PEM: {e}"))?;
    let Some(first) = blocks.first() else {
        return Err("not a PEM certificate or key".into());
    };
    let certificates: Vec<Vec<u8>> = blocks
        .iter()
        .filter(|p| p.label == "CERTIFICATE")
        .map(|p| p.contents.clone())
        .collect();
    if !certificates.is_empty() {
        return Ok(PemFile::Certificates(certificates));
    }
    if first.label.ends_with("PRIVATE KEY") {
        let text = String::from_utf8_lossy(bytes).into_owned();
        keys::key_strength(&text).map_err(|e| format!("not a readable private key: {e}"))?;
        return Ok(PemFile::PrivateKey(text));
    }
    if first.label == "PUBLIC KEY" {
        SubjectPublicKeyInfo::from_der(&first.contents)
            .map_err(|e| format!("not a readable public key: {e}"))?;
        return Ok(PemFile::PublicKey(first.contents.clone()));
    }
    Ok(PemFile::Other)
}

/// An error about one file of the folder.
fn input_error(path: &Path, message: &str) -> Diagnostic {
    Diagnostic::new(path.display().to_string().into(), None, message)
}

fn result(id: &str, title: String, status: Status, evidence: Evidence, fix: &str) -> CheckResult {
    CheckResult {
        id: id.into(),
        title,
        status,
        evidence: vec![evidence],
        remediation: fix.into(),
        meta: None,
    }
}

/// One certificate of a file (a CA bundle holds several).
struct Cert {
    path: PathBuf,
    /// How the file is named in titles: its path inside the folder, and for
    /// all but a bundle's first certificate, its place (`ca.crt#2`).
    name: String,
    der: Vec<u8>,
}

/// The authority key identifier of a certificate, when it has one.
fn authority_key_id<'a>(x: &'a X509Certificate<'_>) -> Option<&'a [u8]> {
    x.extensions()
        .iter()
        .find_map(|e| match e.parsed_extension() {
            ParsedExtension::AuthorityKeyIdentifier(a) => a.key_identifier.as_ref().map(|k| k.0),
            _ => None,
        })
}

/// The subject key identifier of a certificate, when it has one.
fn subject_key_id<'a>(x: &'a X509Certificate<'_>) -> Option<&'a [u8]> {
    x.extensions()
        .iter()
        .find_map(|e| match e.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(k) => Some(k.0),
            _ => None,
        })
}

/// A certificate and its parsed form.
type Parsed<'c, 'x> = (&'c Cert, X509Certificate<'x>);

/// The certificate in the folder whose key signed `x`, and the first
/// candidate tried. Every certificate named like the issuer is a candidate
/// (CA rotation puts two in one bundle), those whose key id matches the
/// authority key id first, as OpenSSL and Go choose.
fn issuer<'a, 'c, 'x>(
    x: &X509Certificate<'_>,
    all: &'a [Parsed<'c, 'x>],
) -> (Option<&'a Parsed<'c, 'x>>, Option<&'a Parsed<'c, 'x>>) {
    let mut candidates: Vec<&Parsed<'_, '_>> = all
        .iter()
        .filter(|(_, i)| i.subject().as_raw() == x.issuer().as_raw())
        .collect();
    let wanted = authority_key_id(x);
    candidates.sort_by_key(|(_, i)| wanted.is_none() || subject_key_id(i) != wanted);
    let verified = candidates
        .iter()
        .find(|(_, i)| signature::verify(x, i.public_key()) == Verdict::Verifies)
        .copied();
    (verified, candidates.first().copied())
}

/// The longest chain followed upward from a certificate.
const MAX_CHAIN: usize = 16;

/// The first CA above `x` (whose verified issuer is `first`) whose
/// pathLenConstraint the chain up to it passes: that CA, its constraint,
/// and how many CA certificates stand
/// below it (`x` among them when it is a CA, since it is there to sign;
/// self-issued ones do not count, as RFC 5280 has it). OpenSSL and Go
/// refuse such a chain.
fn path_length_exceeded<'a, 'c, 'x>(
    x: &X509Certificate<'_>,
    first: &'a Parsed<'c, 'x>,
    all: &'a [Parsed<'c, 'x>],
) -> Option<(&'c Cert, u32, u32)> {
    let self_issued = |c: &X509Certificate<'_>| c.subject().as_raw() == c.issuer().as_raw();
    if self_issued(x) {
        return None;
    }
    // The CA certificates below the one being looked at: `x` when it is a
    // CA, then one more for each CA passed on the way up.
    let first_below = u32::from(x.is_ca());
    let (mut cert, mut ca) = (first.0, &first.1);
    for below in (first_below..).take(MAX_CHAIN) {
        if let Some(limit) = path_len_constraint(ca)
            && below > limit
        {
            return Some((cert, limit, below));
        }
        if self_issued(ca) {
            return None;
        }
        (cert, ca) = issuer(ca, all).0.map(|(c, i)| (*c, i))?;
    }
    None
}

/// Checks a PKI folder.
pub fn check(dir: &Path, options: Options) -> BenchmarkReport {
    let mut report = BenchmarkReport {
        benchmark: "kubeward-pki".into(),
        ..BenchmarkReport::default()
    };
    if !dir.is_dir() {
        report.errors.push(Diagnostic::new(
            dir.display().to_string().into(),
            None,
            "not a directory",
        ));
        return report;
    }
    let node = Node::of(dir, options.role);
    let mut certs = Vec::new();
    let mut keys = Vec::new();
    let mut publics = Vec::new();
    let (paths, unreadable) = files(dir);
    report.errors.extend(unreadable);
    for path in paths {
        let bytes = match crate::read_small(&path) {
            Ok(b) => b,
            Err(e) => {
                report.errors.push(input_error(&path, &e.detail()));
                continue;
            }
        };
        let relative = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .display()
            .to_string();
        match read_pem_file(&path, &bytes) {
            Ok(PemFile::Certificates(in_file)) => {
                for (n, der) in in_file.into_iter().enumerate() {
                    let name = if n == 0 {
                        relative.clone()
                    } else {
                        format!("{relative}#{}", n + 1)
                    };
                    certs.push(Cert {
                        path: path.clone(),
                        name,
                        der,
                    });
                }
            }
            Ok(PemFile::PrivateKey(text)) => keys.push((path, relative, text)),
            Ok(PemFile::PublicKey(der)) => publics.push(PublicKeyFile {
                path,
                name: relative,
                der,
            }),
            Ok(PemFile::Other) => {}
            Err(message) => report.errors.push(input_error(&path, &message)),
        }
    }
    if certs.is_empty() && keys.is_empty() && publics.is_empty() && report.errors.is_empty() {
        report.errors.push(input_error(
            dir,
            "no certificate or key in the folder: nothing was checked",
        ));
        return report;
    }
    let parsed: Vec<(&Cert, X509Certificate<'_>)> = certs
        .iter()
        .filter_map(|c| match X509Certificate::from_der(&c.der) {
            Ok((_, x)) => Some((c, x)),
            Err(e) => {
                report.errors.push(Diagnostic::new(
                    c.path.display().to_string().into(),
                    None,
                    format!("invalid certificate: {e}"),
                ));
                None
            }
        })
        .collect();
    for (cert, x) in &parsed {
        certificate_checks(cert, x, &parsed, options, &mut report.results);
    }
    for (path, name, text) in &keys {
        let key = KeyFile { path, name, text };
        key_checks(&key, &parsed, &publics, node, &mut report.results);
    }
    report
}

fn certificate_checks(
    cert: &Cert,
    x: &X509Certificate<'_>,
    all: &[Parsed<'_, '_>],
    options: Options,
    out: &mut Vec<CheckResult>,
) {
    let file = cert.path.display().to_string();
    let name = &cert.name;
    let facts = inspect(x);
    let days = facts.expires_in_days();
    let now = ASN1Time::now();
    let (status, note) = if x.validity().not_before > now {
        (
            Status::Fail,
            format!("not valid before {}", facts.not_before),
        )
    } else if facts.expires_in_seconds < 0 {
        (
            Status::Fail,
            format!("expired on {} ({} days ago)", facts.not_after, -days),
        )
    } else if days < options.warn_days {
        (
            Status::Warn,
            format!(
                "expires on {} (in {days} days, within the {}-day window)",
                facts.not_after, options.warn_days
            ),
        )
    } else {
        (
            Status::Pass,
            format!("valid until {} ({days} days)", facts.not_after),
        )
    };
    out.push(result(
        "KP101",
        format!("{name}: certificate is valid and not about to expire"),
        status,
        Evidence::note(note).in_file(file.clone()).setting("notAfter", Some(facts.not_after.clone())),
        "Renew it: `kubeadm certs renew all` on kubeadm clusters (then restart the control-plane pods), or reissue with `kubeward pki issue --force`.",
    ));

    let (verified, candidate) = issuer(x, all);
    let too_deep = verified
        .filter(|_| !facts.self_signed)
        .and_then(|first| path_length_exceeded(x, first, all))
        .map(|(ca, limit, below)| {
        format!(
            "{} allows {limit} CA certificate(s) below it (pathLenConstraint {limit}), but this chain puts {below} there: verifiers refuse it",
            ca.name
        )
    });
    let (status, note) = match (verified, candidate) {
        (Some(_), _) if facts.self_signed => (
            Status::Pass,
            "self-signed; its signature verifies".to_owned(),
        ),
        (Some((ic, i)), _) if !i.is_ca() => (
            Status::Fail,
            format!("signed by {}, which is not a CA", ic.name),
        ),
        (Some(_), _) if too_deep.is_some() => (Status::Fail, too_deep.unwrap_or_default()),
        (Some((ic, i)), _) if x.validity().not_after > i.validity().not_after => (
            Status::Warn,
            format!(
                "signed by {}, but outlives it: the chain stops verifying on {}",
                ic.name,
                i.validity().not_after
            ),
        ),
        (Some((ic, _)), _) => (Status::Pass, format!("signed by {}", ic.name)),
        (None, Some((ic, i))) => match signature::verify(x, i.public_key()) {
            Verdict::Unsupported(alg) => (
                Status::Warn,
                format!(
                    "signed with {alg}, which kubeward cannot verify (issuer {})",
                    ic.name
                ),
            ),
            _ => (
                Status::Fail,
                format!("the signature does not verify with {}", ic.name),
            ),
        },
        (None, None) => (
            Status::Warn,
            format!("issuer {} is not in the folder", facts.issuer),
        ),
    };
    out.push(result(
        "KP102",
        format!("{name}: chains to a CA in the folder"),
        status,
        Evidence::note(note).in_file(file.clone()).setting("issuer", Some(facts.issuer.clone())),
        "Reissue the certificate from the cluster CA, or put the missing CA certificate in the folder.",
    ));

    let (key_type, bits) = key_facts(x);
    out.push(key_strength_result(
        name,
        &file,
        &key_type,
        bits,
        "Reissue with an RSA key of 2048 bits or more, or an ECDSA P-256 or P-384 key.",
    ));
    let alg = oid_name(&x.signature_algorithm.algorithm);
    let lower = alg.to_ascii_lowercase();
    let weak_sig = lower.contains("md5")
        || lower.contains("md2")
        || lower.contains("sha1")
        || lower.contains("sha-1");
    out.push(result(
        "KP105",
        format!("{name}: signature algorithm is strong"),
        if weak_sig { Status::Fail } else { Status::Pass },
        Evidence::note(alg.clone())
            .in_file(file.clone())
            .setting("signatureAlgorithm", Some(alg)),
        "Reissue the certificate with a SHA-256 (or stronger) signature.",
    ));
    if facts.is_client() && facts.groups.iter().any(|g| g == "system:masters") {
        out.push(result(
            "KP106",
            format!("{name}: client certificate is not in system:masters"),
            Status::Fail,
            Evidence::note(format!(
                "user {} in group system:masters: full cluster access that RBAC cannot limit or revoke",
                facts.user
            ))
            .in_file(file.clone())
            .setting("O", Some("system:masters".into())),
            "Issue client certificates with ordinary groups bound through RBAC (kubeadm 1.29+ uses kubeadm:cluster-admins); keep a system:masters credential only as a guarded break-glass file.",
        ));
    }
    if let Some((status, note)) = usage_fits(cert, x, &facts) {
        out.push(result(
            "KP108",
            format!("{name}: key usage fits its role"),
            status,
            Evidence::note(note).in_file(file),
            "Reissue it with the usages of its role: kubeadm's *-client files need clientAuth, apiserver and etcd/server serverAuth, etcd/peer both, every leaf digitalSignature, and a CA keyCertSign.",
        ));
    }
}

/// KP104 for a key of `key_type` and `bits`: RSA under 2048 bits, ECDSA
/// under 256, DSA and keys that could not be read are weak.
fn key_strength_result(
    name: &str,
    file: &str,
    key_type: &str,
    bits: usize,
    fix: &str,
) -> CheckResult {
    let weak = match key_type {
        "RSA" => bits < 2048,
        "DSA" | "unreadable" => true,
        t if t.starts_with("ECDSA") => bits < 256,
        _ => false,
    };
    result(
        "KP104",
        format!("{name}: key is strong enough"),
        if weak { Status::Fail } else { Status::Pass },
        Evidence::note(format!("{key_type} {bits} bit"))
            .in_file(file.to_owned())
            .setting("key", Some(format!("{key_type} {bits}"))),
        fix,
    )
}

/// What kubeadm's certificates are for, by their path in the folder:
/// (client, server).
const KUBEADM_ROLES: [(&str, bool, bool); 7] = [
    ("apiserver.crt", false, true),
    ("apiserver-kubelet-client.crt", true, false),
    ("apiserver-etcd-client.crt", true, false),
    ("front-proxy-client.crt", true, false),
    ("etcd/server.crt", false, true),
    ("etcd/peer.crt", true, true),
    ("etcd/healthcheck-client.crt", true, false),
];

/// Whether a CA may sign and a kubeadm leaf may do its job (`None` for a
/// leaf kubeadm does not name: its role is unknown). The TLS stacks
/// refuse a leaf whose key usage lacks digitalSignature and an issuer
/// without keyCertSign, whatever the extended usage says.
fn usage_fits(
    cert: &Cert,
    x: &X509Certificate<'_>,
    facts: &Inspection,
) -> Option<(Status, String)> {
    let key_usage = x.key_usage().ok().flatten().map(|k| k.value);
    if facts.is_ca {
        return Some(match key_usage {
            Some(ku) if !ku.key_cert_sign() => (
                Status::Fail,
                "a CA whose key usage does not allow signing certificates (keyCertSign)".into(),
            ),
            _ => (Status::Pass, "a CA allowed to sign certificates".into()),
        });
    }
    let path = cert.name.split('#').next().unwrap_or_default();
    let &(_, client, server) = KUBEADM_ROLES.iter().find(|(p, _, _)| *p == path)?;
    let mut missing = Vec::new();
    if client && !facts.is_client() {
        missing.push("clientAuth");
    }
    if server && !facts.is_server() {
        missing.push("serverAuth");
    }
    if key_usage.is_some_and(|ku| !ku.digital_signature()) {
        missing.push("digitalSignature");
    }
    let role = match (client, server) {
        (true, true) => "client and server",
        (true, false) => "client",
        _ => "server",
    };
    Some(if missing.is_empty() {
        (Status::Pass, format!("usable as a {role} certificate"))
    } else {
        (
            Status::Fail,
            format!("a {role} certificate without {}", missing.join(", ")),
        )
    })
}

/// A private key file.
struct KeyFile<'a> {
    path: &'a Path,
    name: &'a str,
    text: &'a str,
}

/// A public key file (`sa.pub`): its SubjectPublicKeyInfo.
struct PublicKeyFile {
    path: PathBuf,
    name: String,
    der: Vec<u8>,
}

/// The ServiceAccount signing key's stem, as kubeadm names it.
const SERVICE_ACCOUNT_KEY: &str = "sa";

fn key_checks(
    key: &KeyFile<'_>,
    certs: &[(&Cert, X509Certificate<'_>)],
    publics: &[PublicKeyFile],
    node: Node,
    out: &mut Vec<CheckResult>,
) {
    let KeyFile { path, name, text } = *key;
    let file = path.display().to_string();
    let stem = path.with_extension("");
    // The certificates of the same name (a bundle's: any may be the key's).
    let partners: Vec<&(&Cert, X509Certificate<'_>)> = certs
        .iter()
        .filter(|(c, _)| c.path.with_extension("") == stem)
        .collect();
    let is_ca_key = partners.iter().any(|(_, x)| x.is_ca());
    let is_sa_key = path.file_stem().is_some_and(|s| s == SERVICE_ACCOUNT_KEY);
    if partners.is_empty() {
        standalone_key_checks(key, publics, out);
    }
    if let Some((first, _)) = partners.first() {
        let matches: Result<Option<&Cert>, String> =
            partners.iter().try_fold(None, |found, (c, x)| {
                Ok(found.or(key_matches(text, x)?.then_some(*c)))
            });
        let (status, note) = match matches {
            Ok(Some(cert)) => (Status::Pass, format!("matches {}", cert.name)),
            Ok(None) => (Status::Fail, format!("does not match {}", first.name)),
            Err(e) => (Status::Warn, format!("key not read: {e}")),
        };
        out.push(result(
            "KP103",
            format!("{name}: private key matches its certificate"),
            status,
            Evidence::note(note).in_file(file.clone()),
            "Reissue the certificate and key together; a mismatched pair fails every TLS handshake.",
        ));
    }
    if !is_ca_key && !is_sa_key {
        return;
    }
    let (status, why) = match node {
        Node::ControlPlane => return,
        Node::Worker if is_ca_key => (
            Status::Fail,
            "a CA private key on a worker node lets anyone with root there mint any identity",
        ),
        Node::Worker => (
            Status::Fail,
            "the ServiceAccount signing key on a worker node lets anyone with root there sign tokens for any ServiceAccount of the cluster",
        ),
        Node::Unknown => (
            Status::Info,
            "the folder's node is not known (no ../manifests/kube-apiserver.yaml, no ../kubelet.conf): signing keys belong on a control plane only; give --role worker to judge it as a worker's",
        ),
    };
    out.push(result(
        "KP107",
        format!("{name}: no CA private key on a worker"),
        status,
        Evidence::note(why).in_file(file),
        "Remove CA and ServiceAccount signing keys from worker nodes; keep them on control-plane nodes (or offline).",
    ));
}

/// A key without a certificate (kubeadm's `sa.key`): its size (KP104), and
/// whether it is the key of the public key file of the same name (KP103).
fn standalone_key_checks(key: &KeyFile<'_>, publics: &[PublicKeyFile], out: &mut Vec<CheckResult>) {
    let file = key.path.display().to_string();
    if let Ok((kind, bits)) = keys::key_strength(key.text) {
        out.push(key_strength_result(
            key.name,
            &file,
            kind,
            bits,
            "Replace it with an RSA key of 2048 bits or more, or an ECDSA P-256 or P-384 key.",
        ));
    }
    let stem = key.path.with_extension("");
    let Some(public) = publics.iter().find(|p| p.path.with_extension("") == stem) else {
        return;
    };
    let matches = SubjectPublicKeyInfo::from_der(&public.der)
        .map(|(_, spki)| keys::key_matches_spki(key.text, &spki));
    let (status, note) = match matches {
        Ok(Ok(true)) => (Status::Pass, format!("matches {}", public.name)),
        Ok(Ok(false)) => (Status::Fail, format!("does not match {}", public.name)),
        Err(e) => (Status::Warn, format!("{} not read: {e}", public.name)),
        Ok(Err(e)) => (Status::Warn, format!("key not read: {e}")),
    };
    out.push(result(
        "KP103",
        format!("{}: private key matches {}", key.name, public.name),
        status,
        Evidence::note(note).in_file(file),
        "Write the public key from the private key again (`openssl pkey -in sa.key -pubout -out sa.pub`); a mismatch makes the API server reject every token the controller manager signs.",
    ));
}
