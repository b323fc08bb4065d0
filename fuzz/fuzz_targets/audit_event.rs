//! Audit payloads from arbitrary bytes, evaluated against a rule set that
//! touches every kind of `ka.*` field: never a panic.
#![no_main]

use std::sync::OnceLock;

use kubeward_falco::compile::compile;
use kubeward_falco::event::parse_audit_payload;
use kubeward_falco::{Engine, EngineOptions, RuleMatching, RuleSet};
use libfuzzer_sys::fuzz_target;

const RULES: &str = r#"
- rule: everything
  desc: d
  condition: ka.verb exists or ka.req.pod.containers.image.repository in (a, b) or ka.uri.param[command] = sh or jevt.value[/a/b/0] = x or len(ka.req.role.rules.verbs) > 1 or ka.req.pod.containers.eff_run_as_user intersects (0) or basename(ka.uri) startswith h
  output: "%ka.user.name %ka.req.pod.volumes.hostpath %jevt.obj %ka.req.binding.subjects %toupper(ka.target.name)"
  priority: info
  source: k8s_audit
"#;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut set = RuleSet::new();
        set.load_str("fuzz.yaml".into(), RULES);
        Engine::new(compile(&set), EngineOptions { rule_matching: RuleMatching::All, ..EngineOptions::default() })
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(events) = parse_audit_payload(data) else { return };
    let mut alerts = Vec::new();
    for event in events.into_iter().flatten() {
        engine().on_audit(&event, &mut alerts);
    }
});
