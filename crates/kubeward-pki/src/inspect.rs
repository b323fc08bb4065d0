//! `kubeward pki inspect`: what `openssl x509 -text -noout` shows, plus what
//! Kubernetes makes of it: the user (CN) and groups (O) the API server sees
//! for a client certificate, the names a server certificate answers to.

use std::fmt::Write as _;

use serde_json::{Value, json};
use x509_parser::der_parser::oid::Oid;
use x509_parser::objects::{oid_registry, oid2sn};
use x509_parser::oid_registry::{OID_X509_COMMON_NAME, OID_X509_ORGANIZATION_NAME};
use x509_parser::prelude::*;
use x509_parser::public_key::PublicKey;

/// A certificate's facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inspection {
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub not_before: String,
    pub not_after: String,
    /// Seconds from now until `not_after` (negative when expired).
    pub expires_in_seconds: i64,
    pub key_type: String,
    pub key_bits: usize,
    pub signature_algorithm: String,
    pub is_ca: bool,
    /// A CA's basicConstraints pathLenConstraint: how many CA certificates
    /// may stand below it in a chain (`None`: no limit).
    pub path_len_constraint: Option<u32>,
    pub self_signed: bool,
    pub key_usage: Vec<String>,
    /// Whether the certificate has an extended key usage extension at all.
    pub has_extended_key_usage: bool,
    pub extended_key_usage: Vec<String>,
    pub dns_names: Vec<String>,
    pub ip_addresses: Vec<String>,
    /// The Kubernetes user (CN) and groups (O).
    pub user: String,
    pub groups: Vec<String>,
}

/// A key's algorithm and size.
pub fn key_facts(cert: &X509Certificate<'_>) -> (String, usize) {
    match cert.public_key().parsed() {
        Ok(PublicKey::RSA(rsa)) => ("RSA".into(), rsa.key_size()),
        Ok(PublicKey::EC(ec)) => {
            let curve = cert
                .public_key()
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|oid| oid_name(&oid))
                .unwrap_or_else(|| "unknown curve".into());
            (format!("ECDSA {curve}"), ec.key_size())
        }
        Ok(PublicKey::DSA(_)) => ("DSA".into(), 0),
        Ok(PublicKey::GostR3410(_) | PublicKey::GostR3410_2012(_)) => ("GOST".into(), 0),
        Ok(PublicKey::Unknown(b)) => (
            oid_name(&cert.public_key().algorithm.algorithm),
            b.len() * 8,
        ),
        Err(_) => ("unreadable".into(), 0),
    }
}

/// An OID's short name where one is known, else its dotted form.
pub fn oid_name(oid: &Oid<'_>) -> String {
    oid2sn(oid, oid_registry())
        .map(str::to_owned)
        .unwrap_or_else(|_| oid.to_id_string())
}

/// The values of one attribute type in a name.
pub fn attribute(name: &X509Name<'_>, oid: &Oid<'_>) -> Vec<String> {
    name.iter_by_oid(oid)
        .filter_map(|a| a.as_str().ok().map(str::to_owned))
        .collect()
}

/// A CA certificate's pathLenConstraint, when it sets one.
pub fn path_len_constraint(cert: &X509Certificate<'_>) -> Option<u32> {
    cert.basic_constraints()
        .ok()
        .flatten()
        .filter(|b| b.value.ca)
        .and_then(|b| b.value.path_len_constraint)
}

/// Reads the facts of a parsed certificate.
pub fn inspect(cert: &X509Certificate<'_>) -> Inspection {
    let (key_type, key_bits) = key_facts(cert);
    let mut inspection = Inspection {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        serial: cert.raw_serial_as_string(),
        not_before: cert.validity().not_before.to_string(),
        not_after: cert.validity().not_after.to_string(),
        expires_in_seconds: cert.validity().not_after.timestamp() - ASN1Time::now().timestamp(),
        key_type,
        key_bits,
        signature_algorithm: oid_name(&cert.signature_algorithm.algorithm),
        is_ca: cert.is_ca(),
        path_len_constraint: path_len_constraint(cert),
        self_signed: cert.subject().as_raw() == cert.issuer().as_raw(),
        key_usage: Vec::new(),
        has_extended_key_usage: false,
        extended_key_usage: Vec::new(),
        dns_names: Vec::new(),
        ip_addresses: Vec::new(),
        user: attribute(cert.subject(), &OID_X509_COMMON_NAME)
            .into_iter()
            .next()
            .unwrap_or_default(),
        groups: attribute(cert.subject(), &OID_X509_ORGANIZATION_NAME),
    };
    if let Ok(Some(ku)) = cert.key_usage() {
        inspection.key_usage = ku
            .value
            .to_string()
            .split(", ")
            .map(str::to_owned)
            .collect();
    }
    if let Ok(Some(eku)) = cert.extended_key_usage() {
        inspection.has_extended_key_usage = true;
        let e = eku.value;
        for (set, name) in [
            (e.server_auth, "serverAuth"),
            (e.client_auth, "clientAuth"),
            (e.code_signing, "codeSigning"),
            (e.email_protection, "emailProtection"),
            (e.ocsp_signing, "OCSPSigning"),
            (e.any, "anyExtendedKeyUsage"),
        ] {
            if set {
                inspection.extended_key_usage.push(name.into());
            }
        }
    }
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for name in &san.value.general_names {
            match name {
                GeneralName::DNSName(d) => inspection.dns_names.push((*d).to_owned()),
                GeneralName::IPAddress(ip) => inspection.ip_addresses.push(match ip.len() {
                    4 => std::net::Ipv4Addr::new(ip[0], ip[1], ip[2], ip[3]).to_string(),
                    16 => {
                        let mut b = [0u8; 16];
                        b.copy_from_slice(ip);
                        std::net::Ipv6Addr::from(b).to_string()
                    }
                    _ => format!("{ip:?}"),
                }),
                _ => {}
            }
        }
    }
    inspection
}

impl Inspection {
    /// Whether the extended key usage allows `usage`. As in RFC 5280 and Go's
    /// `x509.Verify` (which the API server and its clients use), a leaf with
    /// no extended key usage extension (a v1 certificate, openssl's plain
    /// `x509 -req`) is good for any usage, and so is `anyExtendedKeyUsage`.
    /// A CA without one is taken as a CA only.
    fn allows(&self, usage: &str) -> bool {
        if !self.has_extended_key_usage {
            return !self.is_ca;
        }
        self.extended_key_usage
            .iter()
            .any(|e| e == usage || e == "anyExtendedKeyUsage")
    }

    /// Whether the API server accepts it as a client certificate.
    pub fn is_client(&self) -> bool {
        self.allows("clientAuth")
    }

    /// Whether TLS clients accept it as a server certificate.
    pub fn is_server(&self) -> bool {
        self.allows("serverAuth")
    }

    /// Whole days until expiry (negative: days since), rounded toward zero:
    /// a day and a minute ago is "1 day ago".
    pub fn expires_in_days(&self) -> i64 {
        self.expires_in_seconds / 86_400
    }

    /// What Kubernetes makes of the certificate, in sentences.
    pub fn meaning(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.is_ca {
            out.push(format!(
                "A certificate authority{}: whoever holds its key can sign any identity it is trusted for.",
                if self.self_signed { " (self-signed root)" } else { "" }
            ));
            match self.path_len_constraint {
                Some(0) => out.push("Its path length constraint is 0: it may sign leaf certificates only, and verifiers refuse any CA it signs.".into()),
                Some(n) => out.push(format!("Its path length constraint is {n}: at most {n} CA certificates may stand below it in a chain.")),
                None => {}
            }
        }
        if self.is_client() {
            let groups = if self.groups.is_empty() {
                "no groups".to_owned()
            } else {
                format!("groups {}", self.groups.join(", "))
            };
            out.push(format!(
                "As a client certificate, the API server authenticates it as user \"{}\" with {groups} (plus system:authenticated).",
                self.user
            ));
            if self.groups.iter().any(|g| g == "system:masters") {
                out.push("system:masters bypasses RBAC entirely and cannot be revoked short of replacing the CA.".into());
            }
            if self.user.starts_with("system:node:") {
                out.push("This is a kubelet's identity; with the Node authorizer it reaches only its own node's objects.".into());
            }
        }
        if self.is_server() {
            let mut names = self.dns_names.clone();
            names.extend(self.ip_addresses.iter().cloned());
            out.push(if names.is_empty() {
                "As a server certificate it names no host: clients that verify hostnames will reject it.".to_owned()
            } else {
                format!("As a server certificate it is valid for {}.", names.join(", "))
            });
        }
        if !self.is_ca && !self.has_extended_key_usage {
            out.push("It has no extended key usage, so it is good for any use: TLS clients, servers and the API server's client authentication all accept it.".into());
        } else if !self.is_ca && !self.is_client() && !self.is_server() {
            out.push("Its extended key usage allows neither TLS clients nor servers: Kubernetes refuses it for both.".into());
        }
        let days = self.expires_in_days();
        out.push(if self.expires_in_seconds < 0 {
            format!("Expired {} days ago.", -days)
        } else {
            format!("Expires in {days} days.")
        });
        out
    }

    /// Text in the spirit of `openssl x509 -text -noout`, then the meaning.
    pub fn text(&self) -> String {
        let mut s = String::new();
        let list = |v: &[String]| {
            if v.is_empty() {
                "none".to_owned()
            } else {
                v.join(", ")
            }
        };
        let _ = writeln!(s, "Certificate:");
        let _ = writeln!(s, "    Serial Number: {}", self.serial);
        let _ = writeln!(s, "    Signature Algorithm: {}", self.signature_algorithm);
        let _ = writeln!(s, "    Issuer: {}", self.issuer);
        let _ = writeln!(s, "    Validity");
        let _ = writeln!(s, "        Not Before: {}", self.not_before);
        let _ = writeln!(s, "        Not After : {}", self.not_after);
        let _ = writeln!(s, "    Subject: {}", self.subject);
        let _ = writeln!(
            s,
            "    Public Key: {} ({} bit)",
            self.key_type, self.key_bits
        );
        let _ = match (self.is_ca, self.path_len_constraint) {
            (true, Some(n)) => writeln!(s, "    CA: TRUE, pathlen:{n}"),
            (true, None) => writeln!(s, "    CA: TRUE"),
            (false, _) => writeln!(s, "    CA: FALSE"),
        };
        let _ = writeln!(s, "    Key Usage: {}", list(&self.key_usage));
        let _ = writeln!(
            s,
            "    Extended Key Usage: {}",
            list(&self.extended_key_usage)
        );
        let _ = writeln!(
            s,
            "    Subject Alternative Names: DNS: {}; IP: {}",
            list(&self.dns_names),
            list(&self.ip_addresses)
        );
        let _ = writeln!(s, "Kubernetes:");
        let _ = writeln!(s, "    User: {}", self.user);
        let _ = writeln!(s, "    Groups: {}", list(&self.groups));
        for m in self.meaning() {
            let _ = writeln!(s, "    {m}");
        }
        s
    }

    pub fn json(&self) -> Value {
        json!({
            "subject": self.subject,
            "issuer": self.issuer,
            "serial": self.serial,
            "not_before": self.not_before,
            "not_after": self.not_after,
            "expires_in_days": self.expires_in_days(),
            "key": {"type": self.key_type, "bits": self.key_bits},
            "signature_algorithm": self.signature_algorithm,
            "ca": self.is_ca,
            "path_len_constraint": self.path_len_constraint,
            "self_signed": self.self_signed,
            "key_usage": self.key_usage,
            "extended_key_usage": self.extended_key_usage,
            "sans": {"dns": self.dns_names, "ip": self.ip_addresses},
            "kubernetes": {"user": self.user, "groups": self.groups, "meaning": self.meaning()},
        })
    }
}

/// Parses the first certificate of a PEM or DER file.
pub fn with_certificate<T>(
    bytes: &[u8],
    f: impl FnOnce(&X509Certificate<'_>) -> T,
) -> Result<T, String> {
    if bytes.starts_with(b"-----") || bytes.iter().take(64).all(u8::is_ascii) {
        let (_, pem) = parse_x509_pem(bytes).map_err(|e| format!("not a PEM certificate: {e}"))?;
        if pem.label != "CERTIFICATE" {
            return Err(format!("a PEM {} block, not a certificate", pem.label));
        }
        let (_, cert) = X509Certificate::from_der(&pem.contents)
            .map_err(|e| format!("invalid certificate: {e}"))?;
        Ok(f(&cert))
    } else {
        let (_, cert) =
            X509Certificate::from_der(bytes).map_err(|e| format!("invalid certificate: {e}"))?;
        Ok(f(&cert))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expiring_in(seconds: i64) -> Inspection {
        Inspection {
            subject: String::new(),
            issuer: String::new(),
            serial: String::new(),
            not_before: String::new(),
            not_after: String::new(),
            expires_in_seconds: seconds,
            key_type: String::new(),
            key_bits: 0,
            signature_algorithm: String::new(),
            is_ca: false,
            path_len_constraint: None,
            self_signed: false,
            key_usage: Vec::new(),
            has_extended_key_usage: true,
            extended_key_usage: vec!["clientAuth".into()],
            dns_names: Vec::new(),
            ip_addresses: Vec::new(),
            user: "u".into(),
            groups: Vec::new(),
        }
    }

    #[test]
    fn days_round_toward_zero_both_ways() {
        let day = 86_400;
        assert_eq!(expiring_in(-(day + 6)).expires_in_days(), -1);
        assert!(
            expiring_in(-(day + 6))
                .meaning()
                .contains(&"Expired 1 days ago.".to_owned())
        );
        assert_eq!(expiring_in(-6).expires_in_days(), 0);
        assert_eq!(expiring_in(day + 6).expires_in_days(), 1);
        assert_eq!(expiring_in(-(day + 6)).json()["expires_in_days"], -1);
    }
}
