//! `kubeward serve`: the admission server.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use kubeward_admission::server::{self, App};
use kubeward_net::tls::{self, ClientVerifier, ReloadingCert};
use kubeward_verdict::ImageVerdictStore;

use crate::cli::ServeArgs;
use crate::output;

pub(crate) fn run(args: ServeArgs) -> u8 {
    init_logging();
    let setup = match prepare(&args) {
        Ok(s) => s,
        Err(message) => {
            output::error(&message);
            return 2;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            output::error(&format!("cannot start the runtime: {e}"));
            return 2;
        }
    };
    match runtime.block_on(serve(setup)) {
        Ok(()) => 0,
        Err(message) => {
            output::error(&message);
            2
        }
    }
}

/// Logs go to stderr; `KUBEWARD_LOG` (or `RUST_LOG`) sets the filter, `info`
/// by default. Request bodies are never logged, at any level.
fn init_logging() {
    let filter = std::env::var("KUBEWARD_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_else(|_| "info".to_owned());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

struct Setup {
    listen: SocketAddr,
    cert: Arc<ReloadingCert>,
    /// Verifies client certificates when `client-ca` is set.
    clients: Option<ClientVerifier>,
    app: Arc<App>,
    reload_every: Duration,
}

fn prepare(args: &ServeArgs) -> Result<Setup, String> {
    let mut config =
        crate::config::Config::for_paths(args.config.as_deref(), &[]).map_err(|e| e.to_string())?;
    if let Some(ca) = &args.client_ca {
        config.serve.client_ca = Some(ca.clone());
    }
    let serve = &config.serve;
    let listen = args.listen.clone().unwrap_or_else(|| serve.listen.clone());
    let listen: SocketAddr = listen
        .parse()
        .map_err(|e| format!("--listen {listen}: {e}"))?;
    let cert_path: PathBuf = args
        .tls_cert
        .clone()
        .or_else(|| serve.tls_cert.clone())
        .ok_or("a certificate is required: --tls-cert FILE (or [serve] tls-cert); kubeward serves HTTPS only")?;
    let key_path: PathBuf = args
        .tls_key
        .clone()
        .or_else(|| serve.tls_key.clone())
        .ok_or("a private key is required: --tls-key FILE (or [serve] tls-key)")?;
    let cert = Arc::new(ReloadingCert::load(&cert_path, &key_path).map_err(|e| e.to_string())?);

    let clients = match &serve.client_ca {
        Some(ca) => {
            let verifier =
                tls::client_verifier(ca).map_err(|e| format!("client CA (--client-ca): {e}"))?;
            tracing::info!(
                "clients must present a certificate signed by {}",
                ca.display()
            );
            Some(verifier)
        }
        None => None,
    };
    let mut app = App::from_config(&config.serve, &config.rules, &config.images)?;
    if serve.learn_namespaces {
        tracing::info!("admitted Namespaces update the Pod Security levels (learn-namespaces)");
    }
    let namespaces = &app.validator.namespaces;
    if let Some(path) = args.namespaces.clone().or_else(|| serve.namespaces.clone()) {
        let errors = namespaces.load(&path);
        if let Some(e) = errors.first() {
            return Err(e.to_string());
        }
        tracing::info!(
            "read Pod Security labels of {} namespaces from {}",
            namespaces.len(),
            path.display()
        );
    }
    if let Some(dir) = args
        .image_verdicts
        .as_ref()
        .or(serve.image_policy.verdicts.as_ref())
    {
        let store = ImageVerdictStore::open(dir)
            .map_err(|e| format!("image verdicts (--image-verdicts): {e}"))?;
        tracing::info!(
            "/imagepolicy reads pre-scanned verdicts from {}",
            dir.display()
        );
        app.images.verdicts = Some(store);
    }
    Ok(Setup {
        listen,
        cert,
        clients,
        app: Arc::new(app),
        reload_every: Duration::from_secs(serve.tls_reload_seconds),
    })
}

async fn serve(setup: Setup) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(setup.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", setup.listen))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(
        "kubeward serving https://{local} (validate, mutate, imagepolicy, healthz, readyz, metrics)"
    );
    tokio::spawn(server::watch_certificate(
        setup.cert.clone(),
        setup.app.clone(),
        setup.reload_every,
    ));
    let readiness = setup.app.clone();
    let shutdown = async move {
        shutdown_signal().await;
        // Turn readiness off first, so that load balancers stop sending.
        readiness
            .ready
            .store(false, std::sync::atomic::Ordering::Relaxed);
    };
    let limits = setup.app.limits;
    let (app, refusals) = (setup.app.clone(), setup.app);
    kubeward_net::serve(
        listener,
        Some(setup.cert.acceptor(setup.clients)),
        limits.connections,
        move |request| server::handle(app.clone(), request),
        move || refusals.metrics.refused(),
        shutdown,
    )
    .await
    .map_err(|e| e.to_string())?;
    tracing::info!("stopped");
    Ok(())
}

/// Completes on SIGTERM (as Kubernetes stops pods) or SIGINT. The handlers
/// are in place once this returns (it must run inside the runtime), so a
/// signal sent after it is never the default, fatal one.
pub(crate) fn shutdown_signal() -> impl Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};
    let handlers = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    );
    async move {
        match handlers {
            (Ok(mut term), Ok(mut int)) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
            }
            _ => std::future::pending().await,
        }
    }
}
