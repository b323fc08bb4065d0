use super::*;
use crate::event::{Arg, ArgName, Fd, Process, SyscallEvent};
use crate::ruleset::RuleSet;

fn compiled(text: &str) -> Compiled {
    let mut set = RuleSet::new();
    set.load_str("t.yaml".into(), text);
    compile(&set)
}

fn rule(condition: &str) -> String {
    format!(
        "- list: shells\n  items: [bash, sh]\n- macro: spawned\n  condition: evt.type in (execve, execveat)\n- rule: R\n  desc: d\n  condition: {condition}\n  output: \"%proc.name ran %proc.cmdline (%fd.name) %evt.type\"\n  priority: warning\n"
    )
}

fn process() -> Process {
    let mut p = Process {
        pid: 42,
        name: "sh".into(),
        exe: "/bin/sh".into(),
        exepath: "/usr/bin/dash".into(),
        args: vec!["-c".into(), "cat /etc/shadow".into()],
        ancestors: vec![crate::event::Ancestor {
            pid: 1,
            name: "nginx".into(),
            ..Default::default()
        }]
        .into(),
        ..Default::default()
    };
    p.set_command_line();
    p
}

fn matches(condition: &str, etype: &str) -> bool {
    let c = compiled(&rule(condition));
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    let p = process();
    let fd = Fd::file(3, "/etc/shadow".into(), "/etc/shadow".into(), false);
    let args = [Arg::flags(ArgName::FLAGS, "O_RDONLY", 0)];
    let ev = SyscallEvent {
        num: 1,
        ts: 0,
        etype: EventType::from_name(etype).unwrap(),
        res: 3,
        process: &p,
        fd: Some(&fd),
        args: &args,
    };
    c.syscall[0].condition.eval(&ev)
}

#[test]
fn evaluates_fields_operators_and_macros() {
    assert!(matches("spawned and proc.name in (shells)", "execve"));
    assert!(!matches("spawned and proc.name in (shells)", "openat"));
    assert!(matches(
        "proc.pname = nginx and proc.aname[1] = nginx and proc.aname = nginx",
        "execve"
    ));
    assert!(matches(
        "fd.name startswith /etc and fd.directory = /etc and fd.filename = shadow",
        "openat"
    ));
    assert!(matches(
        "evt.is_open_read=true and fd.typechar='f' and fd.num>=0",
        "openat"
    ));
    assert!(matches(
        "proc.cmdline contains \"cat /etc\" and proc.args icontains CAT",
        "openat"
    ));
    assert!(matches(
        "fd.name pmatch (/etc) and not fd.name pmatch (/et)",
        "openat"
    ));
    assert!(matches(
        "fd.name glob '/etc/*' and fd.name regex '/etc/sha.*'",
        "openat"
    ));
    assert!(matches(
        "basename(proc.exepath) = dash and len(proc.name) = 2 and toupper(proc.name) = SH",
        "openat"
    ));
    assert!(matches(
        "proc.name != val(proc.pname) and proc.pid > 1",
        "openat"
    ));
    assert!(!matches("container.image.repository = x", "openat"));
    assert!(matches("not container.image.repository = x", "openat"));
    assert!(!matches("container.image.repository != x", "openat"));
    assert!(matches("evt.type != execve", "openat"));
}

#[test]
fn indexes_event_types() {
    let c = compiled(&rule("spawned and proc.name = sh"));
    let types: Vec<&str> = c.syscall[0]
        .event_types
        .iter()
        .map(EventType::name)
        .collect();
    assert_eq!(types, ["execve", "execveat"]);
    let c = compiled(&rule("not evt.type = execve"));
    assert!(
        !c.syscall[0]
            .event_types
            .contains(EventType::from_name("execve").unwrap())
    );
    let c = compiled(&rule("proc.name = sh"));
    assert!(c.syscall[0].event_types.is_all());
}

#[test]
fn reports_errors_and_unsupported_fields() {
    let c = compiled(&rule("evt.type = nosuchcall"));
    assert!(
        c.errors[0]
            .message
            .contains("unknown event type nosuchcall"),
        "{:?}",
        c.errors
    );
    let c = compiled(&rule("nosuchmacro and proc.name = x"));
    assert!(
        c.errors[0].message.contains("undefined macro"),
        "{:?}",
        c.errors
    );
    let c = compiled(&rule("proc.exe_ino.ctime > 0"));
    assert!(c.errors.is_empty());
    assert_eq!(c.unsupported_fields["R"], ["proc.exe_ino.ctime"]);
    // Misspelt names are errors even in a known class; so are argument
    // names no event has, while real ones kubeward does not decode are
    // unsupported.
    for misspelt in [
        "foo.bar = 1",
        "proc.nmae = bash",
        "evt.arg.pathnmae = x",
        "evt.rawarg[pathnmae] = 1",
    ] {
        let c = compiled(&rule(misspelt));
        assert!(
            c.errors
                .first()
                .is_some_and(|e| e.message.contains("unknown field")),
            "{misspelt}: {:?}",
            c.errors
        );
    }
    let c = compiled(&rule("evt.arg.sun_path = /run/x.sock"));
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    assert_eq!(c.unsupported_fields["R"], ["evt.arg.sun_path"]);
    let c = compiled(&rule("user.uid = root"));
    assert!(
        c.errors[0].message.contains("not a number"),
        "{:?}",
        c.errors
    );
    let c = compiled("- macro: a\n  condition: b\n- macro: b\n  condition: a\n");
    assert!(!c.errors.is_empty());
}

#[test]
fn exceptions_exclude_matches() {
    let text = "- rule: R\n  desc: d\n  condition: evt.type = openat\n  output: o\n  priority: info\n  exceptions:\n    - name: shells\n      fields: [proc.name, fd.name]\n      comps: [=, startswith]\n      values:\n        - [sh, /etc]\n    - name: other\n      fields: proc.pname\n      values: [apache]\n";
    let c = compiled(text);
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    let p = process();
    let fd = Fd::file(3, "/etc/shadow".into(), "/etc/shadow".into(), false);
    let ev = SyscallEvent {
        num: 1,
        ts: 0,
        etype: EventType::from_name("openat").unwrap(),
        res: 3,
        process: &p,
        fd: Some(&fd),
        args: &[],
    };
    assert!(!c.syscall[0].condition.eval(&ev));
    let out = c.syscall[0].output.render(&ev);
    assert_eq!(out, "o");
}

/// Macros that each use the one before twice double at every line: 40
/// lines would be 2^40 nodes. The load fails with one error instead.
#[test]
fn macros_that_multiply_are_an_error_not_a_blow_up() {
    let mut text = String::from("- macro: m0\n  condition: ka.verb=x\n");
    for i in 1..40 {
        let p = i - 1;
        text.push_str(&format!("- macro: m{i}\n  condition: m{p} and m{p}\n"));
    }
    text.push_str("- rule: R\n  desc: d\n  condition: m39\n  output: o\n  priority: INFO\n  source: k8s_audit\n");
    let c = compiled(&text);
    assert!(c.audit.is_empty());
    assert_eq!(c.errors.len(), 1, "{:?}", c.errors);
    assert!(
        c.errors[0]
            .message
            .contains("nodes as its macros are inlined")
    );
}

/// Lists naming the list before a hundred times multiply by a hundred at
/// every line; the flattening stops at its cap with an error at that list.
#[test]
fn lists_that_multiply_are_an_error_not_a_blow_up() {
    let items = |item: &str| vec![item; 100].join(", ");
    let mut text = format!("- list: l0\n  items: [{}]\n", items("a"));
    for i in 1..6 {
        text.push_str(&format!(
            "- list: l{i}\n  items: [{}]\n",
            items(&format!("l{}", i - 1))
        ));
    }
    text.push_str("- rule: R\n  desc: d\n  condition: ka.verb in (l5)\n  output: o\n  priority: INFO\n  source: k8s_audit\n");
    let c = compiled(&text);
    assert!(
        c.errors
            .iter()
            .any(|e| e.message.starts_with("list `l3`") && e.message.contains("more than")),
        "{:?}",
        c.errors
    );
}

/// A value with fewer items than the exception has fields would pair only
/// the first fields and except far more than meant; Falco refuses it.
#[test]
fn exception_values_must_match_the_fields_in_length() {
    let text = "- rule: R\n  desc: d\n  condition: ka.verb=create\n  output: o\n  priority: WARNING\n  source: k8s_audit\n  exceptions:\n    - name: user_and_ns\n      fields: [ka.user.name, ka.target.namespace]\n- rule: R\n  exceptions:\n    - name: user_and_ns\n      values:\n        - [Alice]\n  append: true\n";
    let c = compiled(text);
    assert!(c.audit.is_empty());
    assert!(
        c.errors
            .iter()
            .any(|e| e.message.contains("1 item(s) for 2 field(s)")),
        "{:?}",
        c.errors
    );
    let whole = text.replace("[Alice]", "[Alice, kube-system]");
    let c = compiled(&whole);
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    assert_eq!(c.audit.len(), 1);
}

/// libsinsp takes only `in`, `intersects` and `exists` on a list-valued
/// field; a rule that compares one otherwise does not load in Falco, so it
/// does not load here either.
#[test]
fn list_fields_take_only_set_operators() {
    let audit = |condition: &str| {
        compiled(&format!(
            "- rule: R\n  desc: d\n  condition: {condition}\n  output: o\n  priority: INFO\n  source: k8s_audit\n"
        ))
    };
    for refused in [
        "ka.user.groups = g1",
        "ka.user.groups contains g1",
        "ka.req.pod.containers.image[0] startswith nginx",
        "ka.req.role.rules.resources contains pods/exec",
    ] {
        let c = audit(refused);
        assert!(
            c.errors
                .iter()
                .any(|e| e.message.contains("does not apply to a list field") && e.loc.line == 3),
            "{refused}: {:?}",
            c.errors
        );
    }
    for accepted in [
        "ka.user.groups in (g1, g2)",
        "ka.user.groups intersects (g1)",
        "ka.user.groups exists",
        "ka.req.container.privileged = true",
        "ka.req.container.image startswith nginx",
    ] {
        let c = audit(accepted);
        assert!(c.errors.is_empty(), "{accepted}: {:?}", c.errors);
    }
}
