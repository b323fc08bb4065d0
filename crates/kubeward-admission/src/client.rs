//! A minimal keep-alive HTTPS client on the same stack as the server (rustls,
//! hyper), for the integration tests and the load generator: it trusts one
//! given CA certificate, may present a client certificate, and speaks
//! HTTP/1.1 over one connection.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use crate::tls;

/// Why a client call failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Http(#[from] hyper::Error),
    #[error("{0}")]
    Tls(String),
}

impl From<tls::TlsError> for ClientError {
    fn from(e: tls::TlsError) -> Self {
        ClientError::Tls(e.to_string())
    }
}

/// TLS settings that trust the CA certificate in `ca_pem` only.
pub fn tls_config(
    ca_pem: &Path,
    versions: &[&'static rustls::SupportedProtocolVersion],
) -> Result<rustls::ClientConfig, ClientError> {
    Ok(builder(ca_pem, versions)?.with_no_client_auth())
}

/// TLS settings that trust the CA certificate in `ca_pem` only and present
/// the client certificate chain in `cert_pem` with its key (mutual TLS).
pub fn tls_config_with_client_cert(
    ca_pem: &Path,
    cert_pem: &Path,
    key_pem: &Path,
) -> Result<rustls::ClientConfig, ClientError> {
    let chain = tls::read_certificates(cert_pem)?;
    let key = tls::read_private_key(key_pem)?;
    builder(ca_pem, rustls::ALL_VERSIONS)?
        .with_client_auth_cert(chain, key)
        .map_err(|e| ClientError::Tls(e.to_string()))
}

fn builder(
    ca_pem: &Path,
    versions: &[&'static rustls::SupportedProtocolVersion],
) -> Result<rustls::ConfigBuilder<rustls::ClientConfig, rustls::client::WantsClientCert>, ClientError>
{
    let roots = tls::read_roots(ca_pem)?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .map_err(|e| ClientError::Tls(e.to_string()))?
        .with_root_certificates(roots))
}

/// One keep-alive HTTP/1.1 connection over TLS.
#[derive(Debug)]
pub struct Connection {
    sender: SendRequest<Full<Bytes>>,
    host: String,
}

impl Connection {
    pub async fn open(
        addr: SocketAddr,
        server_name: &str,
        tls: Arc<rustls::ClientConfig>,
    ) -> Result<Self, ClientError> {
        let tcp = TcpStream::connect(addr).await?;
        tcp.set_nodelay(true)?;
        let name = ServerName::try_from(server_name.to_owned())
            .map_err(|e| ClientError::Tls(e.to_string()))?;
        let stream = TlsConnector::from(tls).connect(name, tcp).await?;
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(Self {
            sender,
            host: server_name.to_owned(),
        })
    }

    /// Sends a request (`body` None for GET) and reads the whole answer.
    pub async fn send(
        &mut self,
        method: &str,
        path: &str,
        body: Option<Bytes>,
    ) -> Result<Response<Bytes>, ClientError> {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(http::header::HOST, &self.host);
        if body.is_some() {
            builder = builder.header(http::header::CONTENT_TYPE, "application/json");
        }
        let request = builder
            .body(Full::new(body.unwrap_or_default()))
            .map_err(|e| ClientError::Tls(e.to_string()))?;
        self.sender.ready().await?;
        let response = self.sender.send_request(request).await?;
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await?.to_bytes();
        Ok(Response::from_parts(parts, bytes))
    }
}
