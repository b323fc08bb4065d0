//! Fields of syscall events: `evt.*`, `proc.*`, `thread.*`, `user.*`,
//! `group.*`, `fd.*`, and the `container.*` fields a host process has.

use std::borrow::Cow;

use super::catalogue::{EVENT_ARGS, SYSCALL_FIELDS};
use super::{FieldType, Lookup, Source, is_falco_field};
use crate::event::{ArgName, EventType, FdKind, SyscallEvent};
use crate::time::format_rfc3339;
use crate::value::Val;

/// Which end of a connection an `fd.*` address field reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Client,
    Server,
    Local,
    Remote,
    /// Either end (`fd.ip`, `fd.port`, `fd.net`).
    Any,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SysField {
    EvtType,
    EvtNum,
    EvtTime,
    EvtRawTime,
    EvtRes,
    EvtRawRes,
    EvtFailed,
    EvtDir,
    EvtSource,
    EvtIsOpenRead,
    EvtIsOpenWrite,
    EvtIsOpenExec,
    EvtArg(ArgName),
    EvtRawArg(ArgName),
    EvtArgIndex(usize),
    EvtArgs,
    ProcName,
    ProcExe,
    ProcExePath,
    ProcCmdline,
    ProcArgs,
    ProcPid,
    ProcPpid,
    ProcVpid,
    ProcTid,
    ProcSid,
    ProcSName,
    ProcTty,
    ProcCwd,
    ProcEnv(Option<String>),
    ProcDuration,
    ProcIsExeFromMemfd,
    ProcPName,
    ProcPExe,
    ProcPExePath,
    ProcPCmdline,
    ProcAName(Option<usize>),
    ProcAExe(Option<usize>),
    ProcAExePath(Option<usize>),
    ProcACmdline(Option<usize>),
    ProcAPid(Option<usize>),
    CapEffective,
    CapPermitted,
    UserName,
    UserUid,
    UserLoginUid,
    UserLoginName,
    GroupName,
    GroupGid,
    FdNum,
    FdName,
    FdNameRaw,
    FdDirectory,
    FdFilename,
    FdTypeChar,
    FdType,
    FdL4Proto,
    FdSockFamily,
    FdConnected,
    /// Sources here never rename an fd after creating it.
    FdNameChanged,
    FdIp(Side),
    FdPort(Side),
    FdNet(Side),
    ContainerId,
    ContainerName,
}

/// The syscall source.
#[derive(Debug)]
pub struct SyscallSource;

fn index_arg(arg: Option<&str>) -> Result<Option<usize>, String> {
    arg.map(|a| {
        a.parse::<usize>()
            .map_err(|_| format!("`{a}` is not an index"))
    })
    .transpose()
}

/// An argument kubeward does not decode: unsupported when some event has
/// it, else no field at all (libsinsp: "unknown event argument").
fn unsupported_arg(field: &str, arg: &str) -> Lookup<SysField> {
    if EVENT_ARGS.binary_search(&arg).is_ok() {
        Lookup::Unsupported
    } else {
        Lookup::Unknown(format!(
            "unknown field `{field}`: no event has an argument `{arg}`"
        ))
    }
}

impl SysField {
    fn lookup(name: &str, arg: Option<&str>) -> Lookup<Self> {
        use FieldType::{Bool, Int, Ip, Net, Str};
        use SysField as F;
        let found = |f: SysField, t: FieldType| Lookup::Found(f, t);
        if let Some(arg_name) = name
            .strip_prefix("evt.arg.")
            .or_else(|| name.strip_prefix("evt.rawarg."))
        {
            return match ArgName::from_name(arg_name) {
                Some(a) if name.starts_with("evt.arg.") => found(F::EvtArg(a), Str),
                Some(a) => found(F::EvtRawArg(a), Int),
                None => unsupported_arg(name, arg_name),
            };
        }
        let ancestor = |make: fn(Option<usize>) -> SysField| match index_arg(arg) {
            Ok(i) => found(make(i), Str),
            Err(e) => Lookup::Unknown(e),
        };
        match name {
            "evt.type" => found(F::EvtType, FieldType::EventType),
            "evt.num" => found(F::EvtNum, Int),
            "evt.time" | "evt.time.iso8601" | "evt.datetime" => found(F::EvtTime, Str),
            "evt.rawtime" => found(F::EvtRawTime, Int),
            "evt.res" => found(F::EvtRes, Str),
            "evt.rawres" => found(F::EvtRawRes, Int),
            "evt.failed" => found(F::EvtFailed, Bool),
            "evt.dir" => found(F::EvtDir, Str),
            "evt.source" => found(F::EvtSource, Str),
            "evt.is_open_read" => found(F::EvtIsOpenRead, Bool),
            "evt.is_open_write" => found(F::EvtIsOpenWrite, Bool),
            "evt.is_open_exec" => found(F::EvtIsOpenExec, Bool),
            "evt.args" => found(F::EvtArgs, Str),
            "evt.arg" | "evt.rawarg" => match arg {
                Some(a) => match a.parse::<usize>() {
                    Ok(i) => found(F::EvtArgIndex(i), Str),
                    Err(_) => match ArgName::from_name(a) {
                        Some(n) if name == "evt.arg" => found(F::EvtArg(n), Str),
                        Some(n) => found(F::EvtRawArg(n), Int),
                        None => unsupported_arg(name, a),
                    },
                },
                None => Lookup::Unknown(format!("`{name}` needs an argument name or index")),
            },
            "proc.name" => found(F::ProcName, Str),
            "proc.exe" => found(F::ProcExe, Str),
            "proc.exepath" => found(F::ProcExePath, Str),
            "proc.cmdline" => found(F::ProcCmdline, Str),
            "proc.args" => found(F::ProcArgs, Str),
            "proc.pid" => found(F::ProcPid, Int),
            "proc.ppid" => found(F::ProcPpid, Int),
            "proc.vpid" => found(F::ProcVpid, Int),
            "thread.tid" | "thread.vtid" => found(F::ProcTid, Int),
            "proc.sid" => found(F::ProcSid, Int),
            "proc.sname" => found(F::ProcSName, Str),
            "proc.tty" => found(F::ProcTty, Int),
            "proc.cwd" => found(F::ProcCwd, Str),
            "proc.env" => found(F::ProcEnv(arg.map(str::to_owned)), Str),
            "proc.duration" => found(F::ProcDuration, Int),
            "proc.is_exe_from_memfd" => found(F::ProcIsExeFromMemfd, Bool),
            "proc.pname" => found(F::ProcPName, Str),
            "proc.pexe" => found(F::ProcPExe, Str),
            "proc.pexepath" => found(F::ProcPExePath, Str),
            "proc.pcmdline" => found(F::ProcPCmdline, Str),
            "proc.aname" => ancestor(F::ProcAName),
            "proc.aexe" => ancestor(F::ProcAExe),
            "proc.aexepath" => ancestor(F::ProcAExePath),
            "proc.acmdline" => ancestor(F::ProcACmdline),
            "proc.apid" => match index_arg(arg) {
                Ok(i) => found(F::ProcAPid(i), Int),
                Err(e) => Lookup::Unknown(e),
            },
            "thread.cap_effective" => found(F::CapEffective, Str),
            "thread.cap_permitted" => found(F::CapPermitted, Str),
            "user.name" => found(F::UserName, Str),
            "user.uid" => found(F::UserUid, Int),
            "user.loginuid" => found(F::UserLoginUid, Int),
            "user.loginname" => found(F::UserLoginName, Str),
            "group.name" => found(F::GroupName, Str),
            "group.gid" => found(F::GroupGid, Int),
            "fd.num" => found(F::FdNum, Int),
            "fd.name" => found(F::FdName, Str),
            "fd.nameraw" => found(F::FdNameRaw, Str),
            "fd.directory" => found(F::FdDirectory, Str),
            "fd.filename" => found(F::FdFilename, Str),
            "fd.typechar" => found(F::FdTypeChar, Str),
            "fd.type" => found(F::FdType, Str),
            "fd.l4proto" => found(F::FdL4Proto, Str),
            "fd.sockfamily" => found(F::FdSockFamily, Str),
            "fd.connected" => found(F::FdConnected, Bool),
            "fd.name_changed" => found(F::FdNameChanged, Bool),
            "fd.cip" => found(F::FdIp(Side::Client), Ip),
            // `dip` (destination) is accepted as the server side, which is
            // the destination of an outgoing connection.
            "fd.sip" | "fd.dip" => found(F::FdIp(Side::Server), Ip),
            "fd.lip" => found(F::FdIp(Side::Local), Ip),
            "fd.rip" => found(F::FdIp(Side::Remote), Ip),
            "fd.ip" => found(F::FdIp(Side::Any), Ip),
            "fd.cport" => found(F::FdPort(Side::Client), Int),
            "fd.sport" | "fd.dport" => found(F::FdPort(Side::Server), Int),
            "fd.lport" => found(F::FdPort(Side::Local), Int),
            "fd.rport" => found(F::FdPort(Side::Remote), Int),
            "fd.port" => found(F::FdPort(Side::Any), Int),
            "fd.cnet" => found(F::FdNet(Side::Client), Net),
            "fd.snet" => found(F::FdNet(Side::Server), Net),
            "fd.lnet" => found(F::FdNet(Side::Local), Net),
            "fd.rnet" => found(F::FdNet(Side::Remote), Net),
            "fd.net" => found(F::FdNet(Side::Any), Net),
            "container.id" => found(F::ContainerId, Str),
            "container.name" => found(F::ContainerName, Str),
            _ if is_falco_field(SYSCALL_FIELDS, name) => Lookup::Unsupported,
            _ => Lookup::Unknown(format!("unknown field `{name}`")),
        }
    }
}

fn ancestor_at<'b, T: ?Sized>(
    ev: &'b SyscallEvent<'_>,
    index: Option<usize>,
    own: &'b T,
    get: fn(&'b crate::event::Ancestor) -> &'b T,
) -> Option<Vec<&'b T>> {
    let ancestors = &ev.process.ancestors;
    Some(match index {
        Some(0) => vec![own],
        Some(n) => vec![get(ancestors.get(n - 1)?)],
        None => ancestors.iter().map(get).collect(),
    })
}

fn strs<'b>(index: Option<usize>, values: Option<Vec<&'b String>>) -> Val<'b> {
    match values {
        None => Val::Missing,
        Some(v) if index.is_some() => v
            .first()
            .map_or(Val::Missing, |s| Val::Str(Cow::Borrowed(s.as_str()))),
        Some(v) if v.is_empty() => Val::Missing,
        Some(v) => Val::AnyOf(v.into_iter().map(|s| Cow::Borrowed(s.as_str())).collect()),
    }
}

fn open_access(ev: &SyscallEvent<'_>) -> Option<i64> {
    let name = ev.etype.name();
    if !matches!(name, "open" | "openat" | "openat2" | "creat") {
        return None;
    }
    if name == "creat" {
        return Some(1);
    }
    ev.arg(ArgName::FLAGS).and_then(|a| a.raw).map(|f| f & 0o3)
}

fn text(s: &str) -> Val<'_> {
    Val::Str(Cow::Borrowed(s))
}

fn address(ev: &SyscallEvent<'_>, side: Side) -> Vec<std::net::SocketAddr> {
    let Some(net) = ev.fd.and_then(|fd| fd.net) else {
        return Vec::new();
    };
    match side {
        Side::Client => net.client.into_iter().collect(),
        Side::Server => net.server.into_iter().collect(),
        Side::Local => net.local().into_iter().collect(),
        Side::Remote => net.remote().into_iter().collect(),
        Side::Any => net.client.into_iter().chain(net.server).collect(),
    }
}

fn extract<'b>(field: &SysField, ev: &'b SyscallEvent<'_>) -> Val<'b> {
    use SysField as F;
    let p = ev.process;
    let parent = p.ancestors.first();
    match field {
        F::EvtType => text(ev.etype.name()),
        F::EvtNum => Val::Int(i64::try_from(ev.num).unwrap_or(i64::MAX)),
        F::EvtTime => Val::Str(Cow::Owned(format_rfc3339(ev.ts))),
        F::EvtRawTime => Val::Int(i64::try_from(ev.ts).unwrap_or(i64::MAX)),
        F::EvtRes => {
            if ev.res >= 0 {
                text("SUCCESS")
            } else {
                let errno = syscalls::Errno::new(i32::try_from(-ev.res).unwrap_or(0));
                Val::Str(
                    errno
                        .name()
                        .map_or_else(|| Cow::Owned(ev.res.to_string()), Cow::Borrowed),
                )
            }
        }
        F::EvtRawRes => Val::Int(ev.res),
        F::EvtFailed => Val::Bool(ev.res < 0),
        F::EvtDir => text("<"),
        F::EvtSource => text("syscall"),
        F::EvtIsOpenRead => {
            open_access(ev).map_or(Val::Bool(false), |a| Val::Bool(a == 0 || a == 2))
        }
        F::EvtIsOpenWrite => {
            open_access(ev).map_or(Val::Bool(false), |a| Val::Bool(a == 1 || a == 2))
        }
        F::EvtIsOpenExec => Val::Bool(false),
        F::EvtArg(name) => ev
            .arg(*name)
            .map_or(Val::Missing, |a| Val::Str(Cow::Borrowed(a.text.as_ref()))),
        F::EvtRawArg(name) => ev
            .arg(*name)
            .and_then(|a| a.raw)
            .map_or(Val::Missing, Val::Int),
        F::EvtArgIndex(i) => ev
            .args
            .get(*i)
            .map_or(Val::Missing, |a| Val::Str(Cow::Borrowed(a.text.as_ref()))),
        F::EvtArgs => Val::Str(Cow::Owned(
            ev.args
                .iter()
                .map(|a| format!("{}={}", a.name.name(), a.text))
                .collect::<Vec<_>>()
                .join(" "),
        )),
        F::ProcName => text(&p.name),
        F::ProcExe => text(&p.exe),
        F::ProcExePath => text(&p.exepath),
        F::ProcCmdline => text(&p.cmdline),
        F::ProcArgs => text(&p.args_text),
        F::ProcPid => Val::Int(p.pid),
        F::ProcPpid => Val::Int(p.ppid),
        F::ProcVpid => Val::Int(p.vpid),
        F::ProcTid => Val::Int(p.tid),
        F::ProcSid => Val::Int(p.sid),
        F::ProcSName => text(&p.session_name),
        F::ProcTty => Val::Int(i64::try_from(p.tty).unwrap_or(0)),
        F::ProcCwd => text(&p.cwd),
        F::ProcEnv(None) => Val::Str(Cow::Owned(p.env.join(" "))),
        F::ProcEnv(Some(key)) => p
            .env
            .iter()
            .find_map(|kv| {
                kv.strip_prefix(key.as_str())
                    .and_then(|r| r.strip_prefix('='))
            })
            .map_or(Val::Missing, text),
        F::ProcDuration => {
            Val::Int(i64::try_from(ev.ts.saturating_sub(p.start_ns)).unwrap_or(i64::MAX))
        }
        F::ProcIsExeFromMemfd => Val::Bool(p.exe_from_memfd),
        F::ProcPName => parent.map_or(Val::Missing, |a| text(&a.name)),
        F::ProcPExe => parent.map_or(Val::Missing, |a| text(&a.exe)),
        F::ProcPExePath => parent.map_or(Val::Missing, |a| text(&a.exepath)),
        F::ProcPCmdline => parent.map_or(Val::Missing, |a| text(&a.cmdline)),
        F::ProcAName(i) => strs(*i, ancestor_at(ev, *i, &p.name, |a| &a.name)),
        F::ProcAExe(i) => strs(*i, ancestor_at(ev, *i, &p.exe, |a| &a.exe)),
        F::ProcAExePath(i) => strs(*i, ancestor_at(ev, *i, &p.exepath, |a| &a.exepath)),
        F::ProcACmdline(i) => strs(*i, ancestor_at(ev, *i, &p.cmdline, |a| &a.cmdline)),
        F::ProcAPid(i) => match i {
            Some(0) => Val::Int(p.pid),
            Some(n) => p
                .ancestors
                .get(n - 1)
                .map_or(Val::Missing, |a| Val::Int(a.pid)),
            None => Val::AnyOf(
                p.ancestors
                    .iter()
                    .map(|a| Cow::Owned(a.pid.to_string()))
                    .collect(),
            ),
        },
        F::CapEffective => text(&p.cap_effective),
        F::CapPermitted => text(&p.cap_permitted),
        F::UserName => text(&p.user_name),
        F::UserUid => Val::Int(i64::from(p.uid)),
        F::UserLoginUid => Val::Int(p.loginuid),
        F::UserLoginName => text(&p.login_name),
        F::GroupName => text(&p.group_name),
        F::GroupGid => Val::Int(i64::from(p.gid)),
        F::FdNum => ev.fd.map_or(Val::Missing, |fd| Val::Int(fd.num)),
        F::FdName => ev.fd.map_or(Val::Missing, |fd| text(&fd.name)),
        F::FdNameRaw => ev.fd.map_or(Val::Missing, |fd| text(&fd.name_raw)),
        F::FdDirectory => match ev.fd {
            Some(fd) if fd.kind == FdKind::Directory => text(&fd.name),
            Some(fd) if fd.kind == FdKind::File => match fd.name.rfind('/') {
                Some(0) => text("/"),
                Some(i) => text(&fd.name[..i]),
                None => Val::Missing,
            },
            _ => Val::Missing,
        },
        F::FdFilename => match ev.fd {
            Some(fd) if fd.kind == FdKind::File => {
                text(fd.name.rsplit('/').next().unwrap_or(&fd.name))
            }
            _ => Val::Missing,
        },
        F::FdTypeChar => ev.fd.map_or(Val::Missing, |fd| text(fd.kind.typechar())),
        F::FdType => ev.fd.map_or(Val::Missing, |fd| text(fd.kind.name())),
        F::FdL4Proto => ev
            .fd
            .and_then(|fd| fd.net)
            .map_or(Val::Missing, |n| text(n.proto.name())),
        F::FdSockFamily => match ev.fd.map(|fd| fd.kind) {
            Some(FdKind::Ipv4 | FdKind::Ipv6) => text("ip"),
            Some(FdKind::Unix) => text("unix"),
            _ => Val::Missing,
        },
        F::FdConnected => ev
            .fd
            .and_then(|fd| fd.net)
            .map_or(Val::Missing, |n| Val::Bool(n.connected)),
        F::FdNameChanged => ev.fd.map_or(Val::Missing, |_| Val::Bool(false)),
        F::FdIp(side) | F::FdNet(side) => match address(ev, *side).as_slice() {
            [] => Val::Missing,
            [one] => Val::Ip(one.ip()),
            many => Val::AnyOf(
                many.iter()
                    .map(|a| Cow::Owned(a.ip().to_string()))
                    .collect(),
            ),
        },
        F::FdPort(side) => match address(ev, *side).as_slice() {
            [] => Val::Missing,
            [one] => Val::Int(i64::from(one.port())),
            many => Val::AnyOf(
                many.iter()
                    .map(|a| Cow::Owned(a.port().to_string()))
                    .collect(),
            ),
        },
        F::ContainerId | F::ContainerName => text("host"),
    }
}

impl Source for SyscallSource {
    type Event<'a> = SyscallEvent<'a>;
    type Field = SysField;
    const NAME: &'static str = "syscall";

    fn lookup(name: &str, arg: Option<&str>) -> Lookup<SysField> {
        SysField::lookup(name, arg)
    }

    #[inline]
    fn extract<'b>(field: &SysField, event: &'b SyscallEvent<'_>) -> Val<'b> {
        extract(field, event)
    }

    #[inline]
    fn event_type(event: &SyscallEvent<'_>) -> EventType {
        event.etype
    }

    fn has_event_types() -> bool {
        true
    }
}
