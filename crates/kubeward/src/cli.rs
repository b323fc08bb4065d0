//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use kubeward_core::config::Threshold;
use kubeward_report::{CatalogueFormat, Format};
use kubeward_workload::pss::{Level, Version};

#[derive(Debug, Parser)]
#[command(
    name = "kubeward",
    version,
    about = "Kubernetes security from one binary",
    long_about = "kubeward checks Kubernetes manifests against hardening rules (CIS, Pod Security \
                  Standards, OWASP Kubernetes Top 10) and the Pod Security Standards.\n\n\
                  Exit codes: 0 nothing at or above the threshold, 1 findings at or above it, \
                  2 usage or input error."
)]
pub(crate) struct Cli {
    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Scan manifests (files, directories, `-` for stdin) with the hardening rules.
    Scan(ScanArgs),
    /// Report the Pod Security Standards level each workload meets.
    Pss(PssArgs),
    /// List the rules.
    Rules(RulesArgs),
    /// Print one rule's documentation.
    Explain(ExplainArgs),
    /// Evaluate Falco rules against Kubernetes audit events (a log file, followed, and/or the audit webhook).
    Watch(WatchArgs),
    /// Run a command under ptrace, turning its syscalls into events evaluated against Falco rules.
    Trace(TraceArgs),
    /// Record, check and apply seccomp profiles.
    Seccomp(SeccompArgs),
    /// Run the admission server: validating and mutating webhooks and the
    /// ImagePolicyWebhook backend, over HTTPS.
    Serve(ServeArgs),
    /// Scan container images: packages, vulnerabilities, tampering, configuration; SBOMs.
    Image(crate::commands::image::ImageArgs),
    /// Manage the local vulnerability database (OSV advisories).
    Db(crate::commands::db::DbArgs),
    /// Lint Dockerfiles with the image hardening rules.
    Dockerfile(crate::commands::dockerfile::DockerfileArgs),
    /// Check a node against the CIS Kubernetes Benchmark (or kube-bench control files).
    Node(NodeArgs),
    /// Check the host's hardening: SSH, accounts, sudo, kernel modules, ports, AppArmor, seccomp, services, firewall.
    Host(HostArgs),
    /// A small Kubernetes PKI: CA, client and server certificates, kubeconfigs, inspect, check.
    Pki(PkiArgs),
    /// Secrets at rest: which Secrets etcd holds encrypted.
    Etcd(EtcdArgs),
}

#[derive(Debug, Args)]
pub(crate) struct OutputArgs {
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print no notices (skipped documents, unknown ignore names) on standard error.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ScanArgs {
    /// Files, directories (searched for .yaml, .yml and .json) or `-` for stdin.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(short, long, default_value = "text", value_parser = clap::value_parser!(Format))]
    pub format: Format,
    /// Lowest severity that makes the exit code 1 (critical, high, medium, low,
    /// info, or none) [default: high, or the config's `fail-on`].
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<Threshold>,
    /// Configuration file [default: kubeward.toml in the first scanned
    /// directory that has one, else in the working directory].
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Run only these rules (ids or slugs); adds to the config's `select`.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not run these rules (ids or slugs); adds to the config's `ignore`.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Allow images from this registry (host or host/path); adds to the config's list.
    #[arg(long, value_name = "REGISTRY")]
    pub allowed_registry: Vec<String>,
    /// Leave out paths matching this glob when walking directories; adds to the config's list.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// List suppressed findings in text output (they are always counted).
    #[arg(long)]
    pub show_suppressed: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum PssFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct PssArgs {
    /// Files, directories or `-` for stdin.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Exit with 1 when any workload falls below this level.
    #[arg(long, value_name = "LEVEL", value_parser = clap::value_parser!(Level))]
    pub level: Option<Level>,
    /// Policy version: `v1.N` or `latest`.
    #[arg(long = "version", value_name = "VERSION", default_value = "latest", value_parser = clap::value_parser!(Version))]
    pub policy_version: Version,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = PssFormat::Text)]
    pub format: PssFormat,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    #[command(subcommand)]
    pub action: Option<RulesAction>,
    /// Output format: text, json or markdown.
    #[arg(short, long, default_value = "text", value_parser = clap::value_parser!(CatalogueFormat))]
    pub format: CatalogueFormat,
}

#[derive(Debug, Subcommand)]
pub(crate) enum RulesAction {
    /// Load and compile Falco rule files (in order, as one stream) and print
    /// counts of rules, macros and lists, errors, and fields kubeward cannot supply yet.
    Check(RulesCheckArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum TextOrJson {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct RulesCheckArgs {
    /// Falco rules files, loaded in the order given.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// Rule id or slug.
    pub rule: String,
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8443, or `[serve] listen`].
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// PEM certificate chain to serve (re-read when it changes on disk).
    #[arg(long, value_name = "FILE")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key of the certificate.
    #[arg(long, value_name = "FILE")]
    pub tls_key: Option<PathBuf>,
    /// PEM CA certificate: every client must present a certificate it
    /// signed (mutual TLS) [default: `[serve] client-ca`].
    #[arg(long, value_name = "FILE")]
    pub client_ca: Option<PathBuf>,
    /// Configuration file [default: kubeward.toml in the working directory or a parent].
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Namespace manifests (file or directory) whose Pod Security labels set
    /// each namespace's levels [default: `[serve] namespaces`].
    #[arg(long, value_name = "PATH")]
    pub namespaces: Option<PathBuf>,
    /// Verdict store written by `kubeward image scan --record DIR`: `/imagepolicy`
    /// refuses images whose recorded scan failed [default: `[serve.image-policy] verdicts`].
    #[arg(long, value_name = "DIR")]
    pub image_verdicts: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum RuleMatchingArg {
    /// Stop at the first matching rule, in definition order (Falco's default).
    First,
    /// Fire every matching rule.
    All,
}

/// How alerts are reported (shared by `watch` and `trace`).
#[derive(Debug, Args)]
pub(crate) struct AlertArgs {
    /// Alert format on standard output: one text line, or Falco's JSON alert.
    #[arg(short, long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
    /// Also POST each alert as JSON to this URL (bounded queue, retries with back-off).
    #[arg(long, value_name = "URL")]
    pub alert_webhook: Option<String>,
    /// Alerts the webhook queue holds before it drops (and counts) new ones.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub alert_queue: usize,
    /// Whether an event fires only its first matching rule or all of them.
    #[arg(long, value_enum, default_value_t = RuleMatchingArg::First)]
    pub rule_matching: RuleMatchingArg,
    /// Load only rules at least this severe (emergency … debug).
    #[arg(long, value_name = "PRIORITY")]
    pub min_priority: Option<kubeward_falco::Priority>,
    /// Exit with 1 when an alert at or above this priority fired.
    #[arg(long, value_name = "PRIORITY")]
    pub fail_on: Option<kubeward_falco::Priority>,
    /// Print no notices or summary on standard error.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub(crate) struct WatchArgs {
    /// Falco rules files, loaded in order.
    #[arg(short, long = "rules", value_name = "FILE", required = true, num_args = 1..)]
    pub rules: Vec<PathBuf>,
    /// A JSON-lines audit log (audit.k8s.io Events), followed across rotation.
    #[arg(long, value_name = "FILE")]
    pub audit_log: Option<PathBuf>,
    /// Read the audit log to its end and exit instead of following it.
    #[arg(long, requires = "audit_log")]
    pub no_follow: bool,
    /// Serve the audit webhook (EventList POSTs) on this address, e.g. 0.0.0.0:9765.
    #[arg(long, value_name = "ADDR")]
    pub audit_webhook: Option<std::net::SocketAddr>,
    /// PEM certificate chain of the audit webhook.
    #[arg(long, value_name = "FILE", requires = "audit_webhook")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key of the audit webhook.
    #[arg(long, value_name = "FILE", requires = "audit_webhook")]
    pub tls_key: Option<PathBuf>,
    /// Serve the audit webhook over plain HTTP; only on a loopback address, for testing.
    #[arg(long, requires = "audit_webhook", conflicts_with_all = ["tls_cert", "tls_key"])]
    pub insecure_plain_http_on_loopback: bool,
    /// Largest audit webhook request body, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = kubeward_runtime::audit::webhook::DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,
    #[command(flatten)]
    pub alerts: AlertArgs,
}

#[derive(Debug, Args)]
pub(crate) struct TraceArgs {
    /// Falco rules files, loaded in order (without any, syscalls are only counted).
    #[arg(short, long = "rules", value_name = "FILE", num_args = 1..)]
    pub rules: Vec<PathBuf>,
    #[command(flatten)]
    pub alerts: AlertArgs,
    /// The command and its arguments.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub(crate) struct SeccompArgs {
    #[command(subcommand)]
    pub action: SeccompAction,
}

#[derive(Debug, Subcommand)]
pub(crate) enum SeccompAction {
    /// Trace a command and write a seccomp profile allowing exactly the syscalls it made.
    Record(SeccompRecordArgs),
    /// Validate a profile and compare it with the container runtime's default profile.
    Check(SeccompCheckArgs),
    /// Run a command under a seccomp profile, enforced by the kernel.
    Run(SeccompRunArgs),
}

#[derive(Debug, Args)]
pub(crate) struct SeccompRecordArgs {
    /// Where to write the profile (JSON).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// The command and its arguments.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub(crate) struct SeccompCheckArgs {
    /// The profile (OCI / Docker seccomp JSON).
    #[arg(value_name = "PROFILE")]
    pub profile: PathBuf,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}

#[derive(Debug, Args)]
pub(crate) struct SeccompRunArgs {
    /// The profile (OCI / Docker seccomp JSON).
    #[arg(value_name = "PROFILE")]
    pub profile: PathBuf,
    /// The command and its arguments.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub(crate) struct NodeArgs {
    /// Check the node tree in DIR: every absolute path is read under DIR.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Benchmark version of the native checks.
    #[arg(long, default_value = kubeward_node::cis::BENCHMARK)]
    pub benchmark: String,
    /// Parts of the benchmark to run [default: what runs on the node].
    #[arg(long, value_name = "TARGET", value_delimiter = ',', value_parser = clap::value_parser!(kubeward_node::cis::Target))]
    pub targets: Vec<kubeward_node::cis::Target>,
    /// kube-bench control files (or folders of them) to run instead of the native checks.
    #[arg(long, value_name = "FILE")]
    pub controls: Vec<PathBuf>,
    /// kube-bench's cfg/config.yaml for `$variables` [default: the one beside
    /// the controls folder, else kubeadm's paths].
    #[arg(long, value_name = "FILE", requires = "controls")]
    pub config: Option<PathBuf>,
    /// Run audits that cannot be evaluated offline with /bin/sh on this host.
    #[arg(long, requires = "controls")]
    pub allow_shell: bool,
    #[command(flatten)]
    pub report: BenchmarkOutputArgs,
}

#[derive(Debug, Args)]
pub(crate) struct PkiArgs {
    #[command(subcommand)]
    pub command: PkiCommand,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum InspectFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum PkiRole {
    Auto,
    ControlPlane,
    Worker,
}

#[derive(Debug, Subcommand)]
pub(crate) enum PkiCommand {
    /// Create a CA: DIR/ca.key (mode 600) and DIR/ca.crt.
    Init {
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        /// The CA's common name.
        #[arg(long, default_value = "kubernetes")]
        cn: String,
        /// Days of validity.
        #[arg(long, default_value_t = 3650)]
        days: u32,
        /// Overwrite existing files.
        #[arg(long)]
        force: bool,
    },
    /// Issue DIR/NAME.key and DIR/NAME.crt, signed by DIR/ca.*.
    Issue {
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        #[arg(long)]
        name: String,
        /// Common name: the user Kubernetes sees (e.g. kube-admin, system:node:NAME).
        #[arg(long)]
        cn: String,
        /// Organization: a group Kubernetes sees (at most two).
        #[arg(long, value_name = "O")]
        org: Vec<String>,
        /// A client certificate (the default).
        #[arg(long)]
        client: bool,
        /// A server certificate.
        #[arg(long)]
        server: bool,
        /// A server certificate for the API server: adds kubernetes,
        /// kubernetes.default, kubernetes.default.svc and
        /// kubernetes.default.svc.cluster.local to the SANs.
        #[arg(long)]
        apiserver: bool,
        /// A DNS name or IP address the server is reached by.
        #[arg(long, value_name = "NAME_OR_IP")]
        san: Vec<String>,
        #[arg(long, default_value_t = 365)]
        days: u32,
        #[arg(long)]
        force: bool,
    },
    /// Print (or write, mode 600) a kubeconfig for an issued client certificate.
    Kubeconfig {
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        #[arg(long)]
        name: String,
        /// The API server's URL.
        #[arg(long, value_name = "URL")]
        server: String,
        #[arg(long, default_value = "kubernetes")]
        cluster: String,
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Show a certificate as openssl does, plus what Kubernetes makes of it.
    Inspect {
        file: PathBuf,
        #[arg(short, long, value_enum, default_value_t = InspectFormat::Text)]
        format: InspectFormat,
    },
    /// Check every certificate and key of a kubeadm-style PKI folder.
    Check {
        dir: PathBuf,
        /// Warn about certificates expiring within this many days.
        #[arg(long, default_value_t = 30)]
        warn_days: i64,
        /// The node the folder is on [auto: control plane when ../manifests/kube-apiserver.yaml exists, worker when ../kubelet.conf does, else unknown: signing keys are INFO].
        #[arg(long, value_enum, default_value_t = PkiRole::Auto)]
        role: PkiRole,
        #[arg(short, long, default_value = "text", value_parser = clap::value_parser!(Format))]
        format: Format,
        #[command(flatten)]
        output: OutputArgs,
    },
}

#[derive(Debug, Args)]
pub(crate) struct EtcdArgs {
    #[command(subcommand)]
    pub command: EtcdCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum EtcdCommand {
    /// Read /registry/secrets/ and report which Secrets are stored in plain
    /// text (exit 1 when any is); values are never printed.
    Check {
        /// etcd client URLs (https:// unless written http://).
        #[arg(long, value_name = "URL", value_delimiter = ',', required = true)]
        endpoints: Vec<String>,
        /// CA certificate to verify etcd with.
        #[arg(long, value_name = "FILE")]
        cacert: Option<PathBuf>,
        /// Client certificate.
        #[arg(long, value_name = "FILE", requires = "key")]
        cert: Option<PathBuf>,
        /// Client key.
        #[arg(long, value_name = "FILE", requires = "cert")]
        key: Option<PathBuf>,
        #[arg(short, long, value_enum, default_value_t = PssFormat::Text)]
        format: PssFormat,
        #[command(flatten)]
        output: OutputArgs,
    },
}

#[derive(Debug, Args)]
pub(crate) struct HostArgs {
    /// Check the root tree in DIR instead of this machine.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Also allow this port (or LOW-HIGH range) to listen on the network.
    #[arg(long, value_name = "PORT")]
    pub allow_port: Vec<String>,
    #[command(flatten)]
    pub report: BenchmarkOutputArgs,
}

/// How `node` and `host` report.
#[derive(Debug, Args)]
pub(crate) struct BenchmarkOutputArgs {
    /// Report only these check ids.
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    pub check: Vec<String>,
    /// Output format.
    #[arg(short, long, default_value = "text", value_parser = clap::value_parser!(Format))]
    pub format: Format,
    #[command(flatten)]
    pub output: OutputArgs,
}
