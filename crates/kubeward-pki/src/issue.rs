//! Making certificates: a self-signed CA (`init`) and leaf certificates
//! signed by it (`issue`), with ECDSA P-256 keys.

use std::fs::OpenOptions;
use std::io::Write;
use std::net::IpAddr;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType,
};
use time::{Duration, OffsetDateTime};

use crate::{PkiError, keys};

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
}

/// Writes a file that must not exist yet (unless `force`), with `mode`.
fn write_new(path: &Path, mode: u32, text: &str, force: bool) -> Result<(), PkiError> {
    let mut options = OpenOptions::new();
    options.write(true).mode(mode);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut file = options.open(path).map_err(|e| PkiError::io(path, e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| PkiError::io(path, e))
}

fn validity(params: &mut CertificateParams, days: u32) {
    let now = OffsetDateTime::now_utc();
    // A little slack for clocks that run behind.
    params.not_before = now - Duration::minutes(5);
    params.not_after = now + Duration::days(i64::from(days));
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
    validity(&mut params, days);
    let key = KeyPair::generate()?;
    let cert = params.self_signed(&key)?;
    let written = Written {
        certificate: dir.join("ca.crt"),
        key: dir.join("ca.key"),
    };
    write_new(&written.key, 0o600, &key.serialize_pem(), force)?;
    write_new(&written.certificate, 0o644, &cert.pem(), force)?;
    Ok(written)
}

/// The CA of a directory, ready to sign.
fn load_ca(dir: &Path) -> Result<Issuer<'static, KeyPair>, PkiError> {
    let cert_path = dir.join("ca.crt");
    let key_path = dir.join("ca.key");
    let cert = String::from_utf8_lossy(&crate::read_small(&cert_path)?).into_owned();
    let key_text = String::from_utf8_lossy(&crate::read_small(&key_path)?).into_owned();
    let key = keys::load_key(&key_text).map_err(|e| PkiError::invalid(&key_path, e))?;
    Issuer::from_ca_cert_pem(&cert, key).map_err(|e| PkiError::invalid(&cert_path, e.to_string()))
}

fn san(text: &str) -> Result<SanType, PkiError> {
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Ok(SanType::IpAddress(ip));
    }
    let name = text
        .to_owned()
        .try_into()
        .map_err(|_| PkiError::Usage(format!("invalid DNS name `{text}`")))?;
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
    let issuer = load_ca(dir)?;
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
    params.subject_alt_names = request
        .sans
        .iter()
        .map(|s| san(s))
        .collect::<Result<_, _>>()?;
    params.use_authority_key_identifier_extension = true;
    validity(&mut params, request.days);
    let key = KeyPair::generate()?;
    let cert = params.signed_by(&key, &issuer)?;
    let written = Written {
        certificate: dir.join(format!("{}.crt", request.name)),
        key: dir.join(format!("{}.key", request.name)),
    };
    write_new(&written.key, 0o600, &key.serialize_pem(), force)?;
    write_new(&written.certificate, 0o644, &cert.pem(), force)?;
    Ok(written)
}
