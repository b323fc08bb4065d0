//! `kubeward watch`: Falco rules against Kubernetes audit events from a log
//! file (followed across rotation, or read once with `--no-follow`) and/or
//! the audit webhook.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use kubeward_falco::Engine;
use kubeward_falco::event::parse_audit_payload;
use kubeward_runtime::audit::follow::{Follower, Line};
use kubeward_runtime::audit::webhook::{Handlers, WebhookServer, WebhookStats};

use crate::cli::WatchArgs;
use crate::commands::alerts::{AlertOutput, engine_options};
use crate::commands::falco_rules;
use crate::output;

fn evaluate(engine: &Engine, alerts: &AlertOutput, event: &kubeward_falco::event::AuditEvent) {
    alerts.events.fetch_add(1, Ordering::Relaxed);
    let mut fired = Vec::new();
    engine.on_audit(event, &mut fired);
    for alert in &fired {
        alerts.emit(alert);
    }
}

/// How long a stopped watch waits for the log reader to finish its line.
const READER_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Reads the log until its end or until `stop`; returns whether any line
/// was not a valid audit event.
fn read_log(
    path: &Path,
    follow: bool,
    engine: &Engine,
    alerts: &AlertOutput,
    stop: &AtomicBool,
) -> bool {
    let mut follower = match Follower::open(path, follow) {
        Ok(f) => f,
        Err(e) => {
            output::error(&format!("{}: {e}", path.display()));
            return true;
        }
    };
    let mut bad = false;
    while !stop.load(Ordering::Relaxed) {
        match follower.next(stop) {
            Ok(None) => return bad,
            Ok(Some(Line::TooLong(n))) => {
                bad = true;
                output::error(&format!(
                    "{}:{n}: line longer than {} bytes; skipped",
                    path.display(),
                    kubeward_runtime::audit::follow::MAX_LINE_BYTES
                ));
            }
            Ok(Some(Line::Text(n, text))) => {
                if text.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let events = match parse_audit_payload(&text) {
                    Ok(events) => events,
                    Err(e) => {
                        bad = true;
                        output::error(&format!("{}:{n}: {e}", path.display()));
                        continue;
                    }
                };
                for event in events {
                    match event {
                        Ok(event) => evaluate(engine, alerts, &event),
                        Err(e) => {
                            bad = true;
                            output::error(&format!("{}:{n}: {e}", path.display()));
                        }
                    }
                }
            }
            Err(e) => {
                output::error(&format!("{}: {e}", path.display()));
                return true;
            }
        }
    }
    bad
}

pub(crate) fn run(args: WatchArgs) -> u8 {
    if args.audit_log.is_none() && args.audit_webhook.is_none() {
        output::error("give --audit-log FILE and/or --audit-webhook ADDR");
        return 2;
    }
    let tls = match (args.audit_webhook, &args.tls_cert, &args.tls_key) {
        (None, ..) => None,
        (Some(addr), None, None) if args.insecure_plain_http_on_loopback => {
            if !addr.ip().is_loopback() {
                output::error(
                    "--insecure-plain-http-on-loopback needs a loopback address (127.0.0.1 or [::1])",
                );
                return 2;
            }
            None
        }
        (Some(_), Some(cert), Some(key)) => match kubeward_net::tls::server_config(cert, key) {
            Ok(config) => Some(Arc::new(config)),
            Err(e) => {
                output::error(&e.to_string());
                return 2;
            }
        },
        (Some(_), ..) => {
            output::error("the audit webhook serves HTTPS: give --tls-cert and --tls-key");
            return 2;
        }
    };
    let engine =
        match falco_rules::engine(&args.rules, engine_options(&args.alerts), args.alerts.quiet) {
            Ok(engine) => Arc::new(engine),
            Err(code) => return code,
        };
    if engine.audit_rules() == 0 && !args.alerts.quiet {
        output::notice("no enabled k8s_audit rule is loaded; no alert can fire");
    }
    let alerts = Arc::new(AlertOutput::new(&args.alerts));

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            output::error(&format!("cannot start the runtime: {e}"));
            return 2;
        }
    };
    // SIGTERM (as Kubernetes stops a pod) and SIGINT end the watch as the
    // end of a log read once does: reading stops, alerts are flushed, the
    // summary is printed. The handlers are in place before any reading.
    let shutdown = {
        let _runtime = runtime.enter();
        super::serve::shutdown_signal()
    };
    let stop = Arc::new(AtomicBool::new(false));
    let mut reader = args.audit_log.clone().map(|path| {
        let (engine, alerts, stop) = (engine.clone(), alerts.clone(), stop.clone());
        let follow = !args.no_follow;
        let (done, finished) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let _ = done.send(read_log(&path, follow, &engine, &alerts, &stop));
        });
        finished
    });
    let mut log_bad = None;
    let served = runtime.block_on(async {
        let Some(addr) = args.audit_webhook else {
            // The log alone: until a signal, or until the log is read (once,
            // or until following it fails).
            if let Some(finished) = reader.as_mut() {
                tokio::select! {
                    () = shutdown => {}
                    bad = finished => log_bad = bad.ok(),
                }
            }
            return Ok(());
        };
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("{addr}: {e}"))?;
        if !args.alerts.quiet {
            let scheme = if tls.is_some() { "https" } else { "http" };
            output::notice(&format!("audit webhook listening on {scheme}://{}", listener.local_addr().map_or(addr, |a| a)));
        }
        let stats = Arc::new(WebhookStats::default());
        let (on_engine, on_alerts) = (engine.clone(), alerts.clone());
        let (metrics_alerts, metrics_stats) = (alerts.clone(), stats.clone());
        let server = Arc::new(WebhookServer {
            max_body_bytes: args.max_body_bytes,
            tls,
            handlers: Handlers {
                on_event: Box::new(move |event| evaluate(&on_engine, &on_alerts, &event)),
                metrics: Box::new(move || {
                    let mut text = metrics_alerts.metrics();
                    text.push_str(&format!(
                        "# HELP kubeward_audit_webhook_rejected_events_total Audit events that were not valid.\n# TYPE kubeward_audit_webhook_rejected_events_total counter\nkubeward_audit_webhook_rejected_events_total {}\n",
                        metrics_stats.rejected_events.load(Ordering::Relaxed)
                    ));
                    text.push_str(&format!(
                        "# HELP kubeward_audit_webhook_refused_requests_total Batches answered 503 because the most allowed were being handled.\n# TYPE kubeward_audit_webhook_refused_requests_total counter\nkubeward_audit_webhook_refused_requests_total {}\n",
                        metrics_stats.refused_requests.load(Ordering::Relaxed)
                    ));
                    text
                }),
            },
            stats,
        });
        server.serve(listener, shutdown).await.map_err(|e| e.to_string())
    });
    stop.store(true, Ordering::Relaxed);
    // A reader blocked on a pipe that stays open cannot see `stop`: it is
    // left behind (the process ends with it) after a grace period.
    let bad = match (log_bad, reader) {
        (Some(bad), _) => bad,
        (None, Some(finished)) => runtime
            .block_on(async { tokio::time::timeout(READER_GRACE, finished).await })
            .is_ok_and(|bad| bad.unwrap_or(true)),
        (None, None) => false,
    };
    let code = alerts.finish();
    if let Err(e) = served {
        output::error(&e);
        return 2;
    }
    if bad && args.no_follow { 2 } else { code }
}
