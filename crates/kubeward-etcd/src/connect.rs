//! The HTTP client for etcd's gateway, and what to tell the user when it
//! cannot get through: a TLS or scheme mismatch, a missing client
//! certificate or CA, each said in one line with what to change, instead of
//! the transport's "unexpected end of file".

use std::io::ErrorKind;
use std::time::Duration;

use kubeward_net::client::{HttpOptions, agent as agent_with};
use rustls::{AlertDescription, CertificateError, InvalidMessage};

use crate::{EtcdError, Tls};

pub(crate) fn agent(tls: &Tls) -> Result<ureq::Agent, EtcdError> {
    let client_cert = match (&tls.cert, &tls.key) {
        (Some(cert), Some(key)) => Some((cert.clone(), key.clone())),
        (None, None) => None,
        _ => {
            return Err(EtcdError::File(
                tls.cert
                    .clone()
                    .or_else(|| tls.key.clone())
                    .unwrap_or_default(),
                "--cert and --key go together".into(),
            ));
        }
    };
    let options = HttpOptions {
        ca_file: tls.ca.clone(),
        client_cert,
        total_timeout: Some(Duration::from_secs(30)),
        ..HttpOptions::default()
    };
    agent_with(&options).map_err(|e| EtcdError::File(e.path, e.message))
}

/// The line for plain HTTP sent to a TLS port.
pub(crate) fn speaks_tls() -> String {
    "etcd serves TLS on this port: write the endpoint as https://… (with --cacert, and --cert and --key when etcd asks for client certificates)".into()
}

/// One line saying why a request did not get through, and what to change.
pub(crate) fn explain(error: &ureq::Error, https: bool, tls: &Tls) -> String {
    let io = match error {
        ureq::Error::Io(e) => Some(e),
        _ => None,
    };
    let rustls_error = match error {
        ureq::Error::Rustls(e) => Some(e),
        _ => io.and_then(|e| e.get_ref()?.downcast_ref::<rustls::Error>()),
    };
    let kind = io.map(std::io::Error::kind);
    let closed = matches!(
        kind,
        Some(
            ErrorKind::UnexpectedEof
                | ErrorKind::ConnectionReset
                | ErrorKind::ConnectionAborted
                | ErrorKind::BrokenPipe
        )
    ) || error.to_string().contains("Peer disconnected");
    let client_cert = tls.cert.is_some();
    match rustls_error {
        Some(rustls::Error::InvalidCertificate(
            CertificateError::UnknownIssuer | CertificateError::BadSignature,
        )) => {
            let (signer, how) = if tls.ca.is_some() {
                ("the CA given with --cacert", "give etcd's CA instead")
            } else {
                ("a CA this machine trusts", "give etcd's CA with --cacert")
            };
            return format!(
                "etcd's certificate is not signed by {signer}: {how} (kubeadm: /etc/kubernetes/pki/etcd/ca.crt)"
            );
        }
        Some(
            e @ rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            ),
        ) => {
            return format!(
                "etcd's certificate does not name the endpoint's host ({e}): connect by a name or address it lists"
            );
        }
        Some(rustls::Error::InvalidCertificate(
            CertificateError::Expired | CertificateError::ExpiredContext { .. },
        )) => return "etcd's certificate has expired".into(),
        Some(rustls::Error::InvalidMessage(InvalidMessage::InvalidContentType)) if https => {
            return no_tls();
        }
        // Without a client certificate, etcd's alert (bad_certificate from
        // Go, certificate_required in TLS 1.3) means it wants one.
        Some(rustls::Error::AlertReceived(_)) if !client_cert => return certificate_required(),
        Some(rustls::Error::AlertReceived(
            AlertDescription::BadCertificate
            | AlertDescription::UnknownCA
            | AlertDescription::CertificateUnknown
            | AlertDescription::CertificateExpired,
        )) => return client_refused(),
        _ => {}
    }
    if matches!(kind, Some(ErrorKind::ConnectionRefused)) {
        return "connection refused: nothing listens there (etcd's client port is 2379)".into();
    }
    match (https, closed, client_cert) {
        // A plain HTTP server hangs up on a TLS ClientHello.
        (true, true, _) if kind == Some(ErrorKind::UnexpectedEof) => no_tls(),
        // TLS 1.3 finishes the client's side of the handshake before the
        // server judges its certificate; the server's refusal then shows
        // as a closed connection on the first write.
        (true, true, false) => certificate_required(),
        (true, true, true) => client_refused(),
        (false, true, _) => speaks_tls(),
        _ => error.to_string(),
    }
}

fn no_tls() -> String {
    "the endpoint does not speak TLS: if etcd serves plain HTTP there (no --cert-file), write it as http://…".into()
}

fn certificate_required() -> String {
    "etcd ended the TLS handshake: it asks for a client certificate; give --cert and --key (kubeadm: /etc/kubernetes/pki/apiserver-etcd-client.crt and .key)".into()
}

fn client_refused() -> String {
    "etcd refused the client certificate given with --cert: it must be signed by a CA in etcd's --trusted-ca-file and allow client authentication".into()
}
