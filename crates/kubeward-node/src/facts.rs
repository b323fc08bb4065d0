//! What a node runs and how: each component's command line (from its running
//! process, else its static pod manifest, else its systemd unit) and the
//! kubelet's configuration file, read with the precedence the kubelet applies.

use std::collections::HashMap;
use std::sync::OnceLock;

use kubeward_core::benchmark::Evidence;
use kubeward_core::yaml::{Limits, Map, Node, Value, parse_documents};

use crate::flags::{CommandLine, Word, split_words};
use crate::root::{Root, Unreadable, join};

/// A Kubernetes node component.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Component {
    ApiServer,
    ControllerManager,
    Scheduler,
    Etcd,
    Kubelet,
    Proxy,
}

impl Component {
    pub const ALL: [Component; 6] = [
        Component::ApiServer,
        Component::ControllerManager,
        Component::Scheduler,
        Component::Etcd,
        Component::Kubelet,
        Component::Proxy,
    ];

    /// The program's name.
    pub fn program(self) -> &'static str {
        match self {
            Component::ApiServer => "kube-apiserver",
            Component::ControllerManager => "kube-controller-manager",
            Component::Scheduler => "kube-scheduler",
            Component::Etcd => "etcd",
            Component::Kubelet => "kubelet",
            Component::Proxy => "kube-proxy",
        }
    }

    /// The static pod manifest kubeadm writes for it.
    pub fn manifest(self) -> Option<&'static str> {
        match self {
            Component::ApiServer => Some("/etc/kubernetes/manifests/kube-apiserver.yaml"),
            Component::ControllerManager => {
                Some("/etc/kubernetes/manifests/kube-controller-manager.yaml")
            }
            Component::Scheduler => Some("/etc/kubernetes/manifests/kube-scheduler.yaml"),
            Component::Etcd => Some("/etc/kubernetes/manifests/etcd.yaml"),
            Component::Kubelet | Component::Proxy => None,
        }
    }
}

/// A running process: its id and its command line.
#[derive(Clone, Debug)]
pub struct Process {
    pub pid: u32,
    pub command: CommandLine,
}

/// The kubelet's configuration file(s), merged.
#[derive(Clone, Debug, Default)]
pub struct KubeletConfig {
    /// The main file (`--config`), when the kubelet has one.
    pub file: Option<String>,
    /// The merged configuration (the file, then `--config-dir` drop-ins).
    pub root: Option<Node>,
    /// Which file each top-level key came from last.
    sources: HashMap<String, String>,
    /// Why the configuration could not be read.
    pub error: Option<String>,
}

/// Where a setting's value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingSource {
    Flag,
    ConfigFile,
    Default,
    Unset,
    /// A file that may set it could not be read or parsed.
    Unknown,
}

/// A setting's effective value and the evidence for it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub value: Option<String>,
    pub source: SettingSource,
    pub evidence: Evidence,
}

/// Everything known about the node, read lazily and once.
#[derive(Debug)]
pub struct NodeFacts {
    pub root: Root,
    processes: OnceLock<Vec<Process>>,
    commands: OnceLock<HashMap<Component, Found<CommandLine>>>,
    kubelet_config: OnceLock<KubeletConfig>,
}

/// What a lookup found: `Ok(None)` when there is nothing, an error when the
/// file that would tell exists but cannot be read.
type Found<T> = Result<Option<T>, Unreadable>;

/// Where kube-bench looks for the kubelet's configuration file (its
/// `cfg/config.yaml`, the YAML and JSON ones), in its order: read when no
/// kubelet process or unit names one.
pub const KUBELET_CONFIG_PATHS: &[&str] = &[
    "/etc/kubernetes/kubelet-config.yaml",
    "/etc/kubernetes/kubelet/kubelet-config.json",
    "/var/lib/kubelet/config.yaml",
    "/var/lib/kubelet/config.yml",
    "/etc/kubernetes/kubelet/config.json",
    "/home/kubernetes/kubelet-config.yaml",
    "/home/kubernetes/kubelet-config.yml",
    "/etc/default/kubeletconfig.json",
];

/// Most processes read from `/proc`.
const MAX_PROCESSES: usize = 65_536;

impl NodeFacts {
    pub fn new(root: Root) -> Self {
        Self {
            root,
            processes: OnceLock::new(),
            commands: OnceLock::new(),
            kubelet_config: OnceLock::new(),
        }
    }

    /// Every process with a command line in the root's `/proc`.
    pub fn processes(&self) -> &[Process] {
        self.processes.get_or_init(|| {
            let mut out = Vec::new();
            for name in self.root.list("/proc").into_iter().take(MAX_PROCESSES) {
                let Ok(pid) = name.parse::<u32>() else {
                    continue;
                };
                let file = format!("/proc/{pid}/cmdline");
                let Some(raw) = self.root.read_opt(&file) else {
                    continue;
                };
                let words: Vec<Word> = raw
                    .split('\0')
                    .filter(|w| !w.is_empty())
                    .map(|w| Word {
                        text: w.to_owned(),
                        file: file.clone(),
                        line: None,
                    })
                    .collect();
                if !words.is_empty() {
                    out.push(Process {
                        pid,
                        command: CommandLine::parse(words),
                    });
                }
            }
            out
        })
    }

    /// The running process of a component, if any (`hyperkube NAME` too).
    pub fn process(&self, component: Component) -> Option<&Process> {
        let program = component.program();
        self.processes().iter().find(|p| {
            let words = &p.command.words;
            p.command.program() == program
                || (p.command.program() == "hyperkube"
                    && words.get(1).is_some_and(|w| {
                        w.text == program || w.text == program.trim_start_matches("kube-")
                    }))
        })
    }

    /// The command line of a component: its running process, else its static
    /// pod manifest, else (kubelet) its systemd unit.
    pub fn command(&self, component: Component) -> Option<&CommandLine> {
        self.found_command(component).ok().flatten()
    }

    /// The file that would hold a component's command line but could not be
    /// read: the component may run, with flags nobody can see.
    pub fn command_unreadable(&self, component: Component) -> Option<&Unreadable> {
        self.found_command(component).err()
    }

    fn found_command(&self, component: Component) -> Result<Option<&CommandLine>, &Unreadable> {
        let commands = self.commands.get_or_init(|| {
            Component::ALL
                .iter()
                .map(|&c| (c, self.find_command(c)))
                .collect()
        });
        match commands.get(&component) {
            Some(Ok(command)) => Ok(command.as_ref()),
            Some(Err(e)) => Err(e),
            None => Ok(None),
        }
    }

    fn find_command(&self, component: Component) -> Found<CommandLine> {
        if let Some(p) = self.process(component) {
            if component != Component::Etcd {
                return Ok(Some(p.command.clone()));
            }
            let file = format!("/proc/{}/environ", p.pid);
            let environ = self.root.read_opt(&file).unwrap_or_default();
            let env = environ
                .split('\0')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_owned(), (v.to_owned(), file.clone())));
            return Ok(Some(with_etcd_env(p.command.words.clone(), env)));
        }
        if let Some(manifest) = component.manifest()
            && let Some(command) = self.manifest_command(component, manifest)?
        {
            return Ok(Some(command));
        }
        match component {
            Component::Kubelet => self.unit_command("kubelet"),
            Component::Etcd => self.unit_command("etcd"),
            _ => Ok(None),
        }
    }

    /// `command` and `args` of a static pod's first container.
    fn manifest_command(&self, component: Component, file: &str) -> Found<CommandLine> {
        let Some(text) = self.root.read_existing(file)? else {
            return Ok(None);
        };
        Ok(manifest_words(component, file, &text).map(CommandLine::parse))
    }

    /// Whether a systemd service is enabled: a `*.wants/` folder of
    /// `/etc/systemd/system` links it, as `systemctl enable` does.
    pub fn unit_enabled(&self, service: &str) -> bool {
        let unit = format!("{service}.service");
        self.root
            .list("/etc/systemd/system")
            .into_iter()
            .filter(|d| d.ends_with(".wants"))
            .any(|d| self.root.exists(&format!("/etc/systemd/system/{d}/{unit}")))
    }

    /// The unit files of a systemd service, in the order systemd applies them.
    pub fn unit_files(&self, service: &str) -> Vec<String> {
        let mut files = Vec::new();
        for dir in [
            "/etc/systemd/system",
            "/lib/systemd/system",
            "/usr/lib/systemd/system",
        ] {
            let file = format!("{dir}/{service}.service");
            if self.root.exists(&file) {
                files.push(file);
                break;
            }
        }
        let mut dropins: Vec<(String, String)> = Vec::new();
        for dir in [
            "/usr/lib/systemd/system",
            "/lib/systemd/system",
            "/etc/systemd/system",
        ] {
            let d = format!("{dir}/{service}.service.d");
            for name in self.root.list(&d) {
                if name.ends_with(".conf") {
                    dropins.retain(|(n, _)| *n != name);
                    dropins.push((name.clone(), join(&d, &name)));
                }
            }
        }
        dropins.sort();
        files.extend(dropins.into_iter().map(|(_, f)| f));
        files
    }

    /// The command line a systemd unit starts, with `Environment=` and
    /// `EnvironmentFile=` variables expanded.
    fn unit_command(&self, service: &str) -> Found<CommandLine> {
        let mut env: HashMap<String, (String, String)> = HashMap::new();
        let mut exec: Option<(String, String, u32)> = None;
        for file in self.unit_files(service) {
            // A unit file vanishing between listing and reading is absent.
            let Some(text) = self.root.read_existing(&file)? else {
                continue;
            };
            for (n, line) in join_continuations(&text) {
                let line = line.trim();
                if let Some(v) = line.strip_prefix("Environment=") {
                    for assignment in split_words(v) {
                        if let Some((k, val)) = assignment.split_once('=') {
                            env.insert(k.to_owned(), (val.to_owned(), file.clone()));
                        }
                    }
                } else if let Some(v) = line.strip_prefix("EnvironmentFile=") {
                    let path = v.trim().trim_start_matches('-');
                    let text = self.root.read_existing(path)?.unwrap_or_default();
                    for (k, val) in parse_env_file(&text) {
                        env.insert(k, (val, path.to_owned()));
                    }
                } else if let Some(v) = line.strip_prefix("ExecStart=") {
                    exec = (!v.trim().is_empty()).then(|| (v.to_owned(), file.clone(), n));
                }
            }
        }
        let Some((line, file, n)) = exec else {
            return Ok(None);
        };
        let mut words = Vec::new();
        for word in split_words(line.trim_start_matches(['-', '@', '+', '!', ':'])) {
            match word
                .strip_prefix('$')
                .map(|v| v.trim_start_matches('{').trim_end_matches('}'))
            {
                Some(var) => {
                    if let Some((value, from)) = env.get(var) {
                        words.extend(split_words(value).into_iter().map(|text| Word {
                            text,
                            file: from.clone(),
                            line: None,
                        }));
                    }
                }
                None => words.push(Word {
                    text: word,
                    file: file.clone(),
                    line: Some(n),
                }),
            }
        }
        if service == "etcd" {
            return Ok(Some(with_etcd_env(words, env.into_iter())));
        }
        Ok(Some(CommandLine::parse(words)))
    }

    /// The kubelet's configuration: `--config`, merged with the `.conf` files
    /// of `--config-dir` in name order.
    pub fn kubelet_config(&self) -> &KubeletConfig {
        self.kubelet_config.get_or_init(|| {
            let command = self.command(Component::Kubelet);
            let flag = |name: &str| {
                command
                    .and_then(|c| c.get(name))
                    .and_then(|f| f.value.clone())
            };
            // With no kubelet to ask (an offline node image), the file is
            // looked for where kube-bench looks.
            let file = match command {
                Some(_) => flag("--config"),
                None => KUBELET_CONFIG_PATHS
                    .iter()
                    .find(|p| self.root.exists(p))
                    .map(|p| (*p).to_owned()),
            };
            let mut config = KubeletConfig {
                file,
                ..KubeletConfig::default()
            };
            let mut files: Vec<String> = config.file.iter().cloned().collect();
            if let Some(dir) = flag("--config-dir") {
                files.extend(
                    self.root
                        .list(&dir)
                        .into_iter()
                        .filter(|n| n.ends_with(".conf"))
                        .map(|n| join(&dir, &n)),
                );
            }
            for file in files {
                let text = match self.root.read(&file) {
                    Ok(t) => t,
                    Err(e) => {
                        config.error = Some(format!("{file}: {e}"));
                        continue;
                    }
                };
                let (docs, error) = parse_documents(&text, Limits::default());
                if let Some(e) = error {
                    config.error = Some(format!("{file}:{}: {}", e.pos.line, e.message));
                    continue;
                }
                let Some(doc) = docs.into_iter().next().map(|d| d.root) else {
                    continue;
                };
                if let Some(map) = doc.as_map() {
                    for e in map.entries() {
                        config.sources.insert(e.key.to_string(), file.clone());
                    }
                }
                config.root = Some(match config.root.take() {
                    Some(base) => merge(base, doc),
                    None => doc,
                });
            }
            config
        })
    }

    /// The effective value of a kubelet setting: the flag when given (flags
    /// override the configuration file), else the configuration file's value,
    /// else the default, which differs with and without a configuration file.
    pub fn kubelet_setting(
        &self,
        flag: &str,
        path: &[&str],
        config_default: Option<&str>,
        flag_default: Option<&str>,
    ) -> Seen {
        let command = self.command(Component::Kubelet);
        if let Some(f) = command.and_then(|c| c.get(flag)) {
            return Seen {
                value: Some(f.effective().to_owned()),
                source: SettingSource::Flag,
                evidence: Evidence::note("set on the kubelet's command line")
                    .in_file(f.file.clone())
                    .at_line(f.line)
                    .setting(flag, Some(f.effective().to_owned())),
            };
        }
        let config = self.kubelet_config();
        let dotted = path.join(".");
        if let Some(error) = &config.error {
            // Any file of the configuration may set it: neither the others'
            // values nor the defaults are known to hold.
            return Seen {
                value: None,
                source: SettingSource::Unknown,
                evidence: Evidence::note(format!(
                    "not set on the command line, and the kubelet configuration cannot be read ({error})"
                ))
                .setting(dotted, None),
            };
        }
        if let Some(root) = &config.root
            && let Some(node) = root.lookup(path)
        {
            let file = path
                .first()
                .and_then(|k| config.sources.get(*k))
                .cloned()
                .or_else(|| config.file.clone())
                .unwrap_or_default();
            let value = node_text(node);
            return Seen {
                value: Some(value.clone()),
                source: SettingSource::ConfigFile,
                evidence: Evidence::note("set in the kubelet configuration file")
                    .in_file(file)
                    .at_line(Some(node.pos.line))
                    .setting(dotted, Some(value)),
            };
        }
        let (default, whence) = if config.root.is_some() {
            (config_default, "the configuration file's default")
        } else {
            (
                flag_default,
                "the command-line default (no configuration file)",
            )
        };
        let note = match default {
            Some(d) => format!("neither {flag} nor {dotted} is set; {whence} is {d}"),
            None => format!("neither {flag} nor {dotted} is set"),
        };
        let mut evidence = Evidence::note(note).setting(flag, None);
        if let Some(file) = &config.file {
            evidence = evidence.in_file(file.clone());
        }
        Seen {
            value: default.map(str::to_owned),
            source: if default.is_some() {
                SettingSource::Default
            } else {
                SettingSource::Unset
            },
            evidence,
        }
    }
}

/// etcd also reads its flags from `ETCD_*` variables (`ETCD_CERT_FILE` is
/// `--cert-file`), which a flag on the command line overrides: they go
/// first, so that the last occurrence, the command line's, wins.
fn with_etcd_env(
    mut words: Vec<Word>,
    env: impl Iterator<Item = (String, (String, String))>,
) -> CommandLine {
    let mut from_env: Vec<Word> = env
        .filter_map(|(k, (v, file))| {
            let name = k
                .strip_prefix("ETCD_")?
                .to_ascii_lowercase()
                .replace('_', "-");
            Some(Word {
                text: format!("--{name}={v}"),
                file,
                line: None,
            })
        })
        .collect();
    from_env.sort_by(|a, b| a.text.cmp(&b.text));
    let at = words.len().min(1);
    words.splice(at..at, from_env);
    CommandLine::parse(words)
}

/// The words of a static pod's first container: `command` then `args`.
/// Without `command` the image's entrypoint runs, which for a control plane
/// image is the component's program: it stands first, as `ps` would show it.
fn manifest_words(component: Component, file: &str, text: &str) -> Option<Vec<Word>> {
    let (docs, _) = parse_documents(text, Limits::default());
    let doc = docs.into_iter().next()?.root;
    let container = doc
        .lookup(&["spec", "containers"])?
        .items()
        .first()?
        .clone();
    let word = |item: &Node| {
        scalar_text(item).map(|text| Word {
            text,
            file: file.to_owned(),
            line: Some(item.pos.line),
        })
    };
    let items = |key: &str| container.field(key).map(Node::items).unwrap_or_default();
    let mut words: Vec<Word> = items("command").iter().filter_map(word).collect();
    let args: Vec<Word> = items("args").iter().filter_map(word).collect();
    if words.is_empty() && !args.is_empty() {
        words.push(Word {
            text: component.program().to_owned(),
            file: file.to_owned(),
            line: container.field("image").map(|i| i.pos.line),
        });
    }
    words.extend(args);
    (!words.is_empty()).then_some(words)
}

/// A scalar's text as a command line would hold it.
fn scalar_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.to_string()),
        Value::Bool(_) | Value::Int(_) | Value::Float(_) => Some(node_text(node)),
        _ => None,
    }
}

/// A node's value as text: scalars as written, lists joined by commas.
pub fn node_text(node: &Node) -> String {
    match &node.value {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Str(s) => s.to_string(),
        Value::Seq(items) => items.iter().map(node_text).collect::<Vec<_>>().join(","),
        Value::Map(m) => m
            .entries()
            .iter()
            .map(|e| format!("{}={}", e.key, node_text(&e.value)))
            .collect::<Vec<_>>()
            .join(","),
    }
}

/// Merges a drop-in over a base: mappings key by key, anything else replaced.
fn merge(base: Node, over: Node) -> Node {
    match (base.value, over.value) {
        (Value::Map(mut b), Value::Map(o)) => {
            for entry in o.entries().iter().cloned() {
                let merged = match b.remove(&entry.key) {
                    Some(old) => kubeward_core::yaml::Entry {
                        value: merge(old.value, entry.value),
                        ..entry
                    },
                    None => entry,
                };
                b = b.entries().iter().cloned().chain([merged]).collect::<Map>();
            }
            Node::new(base.pos, Value::Map(b))
        }
        (_, value) => Node::new(over.pos, value),
    }
}

/// Lines of a unit file with `\` continuations joined, each with the number
/// of its first line.
fn join_continuations(text: &str) -> Vec<(u32, String)> {
    let mut out: Vec<(u32, String)> = Vec::new();
    let mut pending: Option<(u32, String)> = None;
    for (line, n) in text.lines().zip(1u32..) {
        let (start, mut acc) = pending.take().unwrap_or((n, String::new()));
        match line.strip_suffix('\\') {
            Some(head) => {
                acc.push_str(head);
                acc.push(' ');
                pending = Some((start, acc));
            }
            None => {
                acc.push_str(line);
                out.push((start, acc));
            }
        }
    }
    out.extend(pending);
    out
}

/// `NAME=value` lines of an environment file (quotes removed).
pub fn parse_env_file(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| {
            let l = l.trim();
            if l.starts_with('#') {
                return None;
            }
            let (k, v) = l.strip_prefix("export ").unwrap_or(l).split_once('=')?;
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .or_else(|| v.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
                .unwrap_or(v);
            Some((k.trim().to_owned(), v.to_owned()))
        })
        .collect()
}
