//! Making certificates: a self-signed CA (`init`) and leaf certificates
//! signed by it (`issue`), with ECDSA P-256 keys.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType,
};
use time::{Duration, OffsetDateTime};

use x509_parser::prelude::X509Certificate;

use crate::inspect::with_certificate;
use crate::{PkiError, keys, write_file};

/// The names every client uses to reach the API server from inside the cluster.
pub const APISERVER_NAMES: [&str; 4] = [
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    "kubernetes.default.svc.cluster.local",
];

/// What a leaf certificate is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Usage {
    Client,
    Server,
    Both,
}

/// A certificate to issue.
#[derive(Clone, Debug)]
pub struct Request {
    /// Files are `DIR/NAME.crt` and `DIR/NAME.key`.
    pub name: String,
    /// The user name Kubernetes sees.
    pub common_name: String,
    /// The groups Kubernetes sees (at most two: see README).
    pub organizations: Vec<String>,
    pub usage: Usage,
    /// DNS names and IP addresses.
    pub sans: Vec<String>,
    pub days: u32,
}

/// The files written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub certificate: PathBuf,
    pub key: PathBuf,
    /// What was changed from the request (a validity cut to the CA's).
    pub notice: Option<String>,
}

impl Written {
    /// Writes the key (mode 600) and the certificate (644). Without `force`
    /// neither may exist: a new key is never left beside an old certificate.
    fn write(&self, key: &KeyPair, cert: &rcgen::Certificate, force: bool) -> Result<(), PkiError> {
        if !force {
            for path in [&self.key, &self.certificate] {
                if path.symlink_metadata().is_ok() {
                    return Err(crate::already_exists(path));
                }
            }
        }
        write_file(&self.key, 0o600, &key.serialize_pem(), force)?;
        write_file(&self.certificate, 0o644, &cert.pem(), force)
    }
}

/// Sets the validity window: from a little before now (for clocks that run
/// behind) to `days` from now, which must be at least one day and fit in an
/// X.509 date (year 9999 at most). A leaf ends no later than its CA, as
/// kubeadm and cfssl cut it: the notice says so.
fn validity(
    params: &mut CertificateParams,
    days: u32,
    ca_not_after: Option<OffsetDateTime>,
) -> Result<Option<String>, PkiError> {
    if days == 0 {
        return Err(PkiError::Usage("--days must be at least 1".into()));
    }
    let now = OffsetDateTime::now_utc();
    let not_after = now
        .checked_add(Duration::days(i64::from(days)))
        .filter(|t| t.year() <= 9999)
        .ok_or_else(|| {
            PkiError::Usage(format!(
                "--days {days} ends after the year 9999, the last an X.509 date can hold"
            ))
        })?;
    params.not_before = now - Duration::minutes(5);
    params.not_after = not_after;
    match ca_not_after {
        Some(ca_end) if not_after > ca_end => {
            params.not_after = ca_end;
            Ok(Some(format!(
                "--days {days} would outlive the CA: the certificate expires with it, on {}",
                ca_end.date()
            )))
        }
        _ => Ok(None),
    }
}

fn name(common_name: &str, organizations: &[String]) -> Result<DistinguishedName, PkiError> {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, common_name);
    match organizations {
        [] => {}
        [one] => dn.push(DnType::OrganizationName, one.as_str()),
        [one, two] => {
            dn.push(DnType::OrganizationName, one.as_str());
            // rcgen keeps one value per attribute type; the second group goes
            // under the same OID spelled as a custom type.
            dn.push(DnType::CustomDnType(vec![2, 5, 4, 10]), two.as_str());
        }
        _ => {
            return Err(PkiError::Usage(
                "at most two organizations (groups) per certificate".into(),
            ));
        }
    }
    Ok(dn)
}

/// Creates `DIR/ca.key` and `DIR/ca.crt`.
pub fn init_ca(dir: &Path, common_name: &str, days: u32, force: bool) -> Result<Written, PkiError> {
    std::fs::create_dir_all(dir).map_err(|e| PkiError::io(dir, e))?;
    let mut params = CertificateParams::default();
    params.distinguished_name = name(common_name, &[])?;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let notice = validity(&mut params, days, None)?;
    let key = KeyPair::generate()?;
    let cert = params.self_signed(&key)?;
    let written = Written {
        certificate: dir.join("ca.crt"),
        key: dir.join("ca.key"),
        notice,
    };
    written.write(&key, &cert, force)?;
    Ok(written)
}

/// The CA of a directory, ready to sign, and when it expires. The
/// certificate must be a CA allowed to sign certificates, valid now, and
/// `ca.key` must be its key: otherwise nothing issued would verify.
fn load_ca(dir: &Path) -> Result<(Issuer<'static, KeyPair>, OffsetDateTime), PkiError> {
    let cert_path = dir.join("ca.crt");
    let key_path = dir.join("ca.key");
    let cert_bytes = crate::read_small(&cert_path)?;
    let key_text = String::from_utf8_lossy(&crate::read_small(&key_path)?).into_owned();
    let not_after = with_certificate(&cert_bytes, |ca| usable_ca(ca, &key_text))
        .and_then(|r| r)
        .map_err(|e| PkiError::invalid(&cert_path, e))?;
    let key = keys::load_key(&key_text).map_err(|e| PkiError::invalid(&key_path, e))?;
    let cert = String::from_utf8_lossy(&cert_bytes).into_owned();
    let issuer = Issuer::from_ca_cert_pem(&cert, key)
        .map_err(|e| PkiError::invalid(&cert_path, e.to_string()))?;
    Ok((issuer, not_after))
}

/// Why a CA certificate cannot sign with this key, or its notAfter.
fn usable_ca(ca: &X509Certificate<'_>, key_text: &str) -> Result<OffsetDateTime, String> {
    if !ca.is_ca() {
        return Err("not a CA certificate (basicConstraints CA:TRUE is missing)".into());
    }
    if let Ok(Some(ku)) = ca.key_usage()
        && !ku.value.key_cert_sign()
    {
        return Err("its key usage does not allow signing certificates (keyCertSign)".into());
    }
    let validity = ca.validity();
    if !validity.is_valid() {
        return Err(format!(
            "the CA is not valid now (valid from {} to {})",
            validity.not_before, validity.not_after
        ));
    }
    match keys::key_matches(key_text, ca) {
        Ok(true) => Ok(validity.not_after.to_datetime()),
        Ok(false) => Err("ca.key is not the key of this certificate".into()),
        Err(e) => Err(format!("ca.key: {e}")),
    }
}

/// A SAN: an IP address, or a DNS name of RFC 1123 labels (letters, digits,
/// inner hyphens, 63 bytes each, 253 in all), with at most one leading `*.`.
fn san(text: &str) -> Result<SanType, PkiError> {
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Ok(SanType::IpAddress(ip));
    }
    let invalid = |why: &str| PkiError::Usage(format!("invalid SAN `{text}`: {why}"));
    let host = text.strip_prefix("*.").unwrap_or(text);
    if text.len() > 253 {
        return Err(invalid("longer than 253 characters"));
    }
    let labels: Vec<&str> = host.split('.').collect();
    for label in &labels {
        let ok = (1..=63).contains(&label.len())
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-');
        if !ok {
            return Err(invalid(
                "not an IP address, and not a DNS name (labels of letters, digits and inner hyphens)",
            ));
        }
    }
    // An all-digit last label is a mistyped address (`300.1.1.1`), never a name.
    if labels
        .last()
        .is_some_and(|l| l.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(invalid("not a valid IP address"));
    }
    let name = text
        .to_owned()
        .try_into()
        .map_err(|_| invalid("not an ASCII name"))?;
    Ok(SanType::DnsName(name))
}

/// Issues `DIR/NAME.crt` and `DIR/NAME.key`, signed by `DIR/ca.*`.
pub fn issue(dir: &Path, request: &Request, force: bool) -> Result<Written, PkiError> {
    if request.name.is_empty()
        || request.name.contains('/')
        || request.name.starts_with('.')
        || request.name == "ca"
    {
        return Err(PkiError::Usage(format!(
            "invalid certificate name `{}`",
            request.name
        )));
    }
    if request.common_name.trim().is_empty() && request.usage != Usage::Server {
        // The API server ignores a client certificate without a user name.
        return Err(PkiError::Usage(
            "--cn must not be empty for a client certificate: it is the user name".into(),
        ));
    }
    let sans = request
        .sans
        .iter()
        .map(|s| san(s))
        .collect::<Result<_, _>>()?;
    let (issuer, ca_not_after) = load_ca(dir)?;
    let mut params = CertificateParams::default();
    params.distinguished_name = name(&request.common_name, &request.organizations)?;
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = match request.usage {
        Usage::Client => vec![ExtendedKeyUsagePurpose::ClientAuth],
        Usage::Server => vec![ExtendedKeyUsagePurpose::ServerAuth],
        Usage::Both => vec![
            ExtendedKeyUsagePurpose::ServerAuth,
            ExtendedKeyUsagePurpose::ClientAuth,
        ],
    };
    params.subject_alt_names = sans;
    params.use_authority_key_identifier_extension = true;
    let notice = validity(&mut params, request.days, Some(ca_not_after))?;
    let key = KeyPair::generate()?;
    let cert = params.signed_by(&key, &issuer)?;
    let written = Written {
        certificate: dir.join(format!("{}.crt", request.name)),
        key: dir.join(format!("{}.key", request.name)),
        notice,
    };
    written.write(&key, &cert, force)?;
    Ok(written)
}
