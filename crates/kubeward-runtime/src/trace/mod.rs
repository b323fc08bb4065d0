//! A syscall source without a kernel driver: runs a command under ptrace,
//! follows every fork, vfork, clone and exec of its process tree, and turns
//! each finished syscall into a [`SyscallEvent`]. Also records which
//! syscalls the tree made (for seccomp profiles).
//!
//! x86_64 only (syscall registers are read with `PTRACE_GETREGS`).

mod decode;
mod memory;
pub mod procfs;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use nix::sys::ptrace::{self, Event, Options};
use nix::sys::signal::Signal;
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;
use syscalls::Sysno;

use self::decode::{Decoded, ProcState, decode};
use self::memory::{MAX_STRING, read_string};
use kubeward_falco::event::{EventType, SyscallEvent};

/// How the traced command ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
}

impl Exit {
    /// A shell-style status: the code, or 128 + the signal.
    pub fn status(self) -> i32 {
        match self {
            Exit::Code(c) => c,
            Exit::Signal(s) => 128 + s,
        }
    }
}

/// What a trace saw.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub exit: Exit,
    /// Every syscall (by number) the process tree made.
    pub syscalls: BTreeSet<u64>,
    /// Syscall events produced.
    pub events: u64,
}

struct Thread {
    tgid: i64,
    /// The syscall entered and not yet finished: number, arguments, and the
    /// path of an `execve` (read before exec replaces the memory).
    pending: Option<(u64, [u64; 6], Option<String>)>,
}

#[cfg(target_arch = "x86_64")]
fn registers(pid: Pid) -> nix::Result<(u64, [u64; 6], i64)> {
    let r = ptrace::getregs(pid)?;
    Ok((
        r.orig_rax,
        [r.rdi, r.rsi, r.rdx, r.r10, r.r8, r.r9],
        r.rax as i64,
    ))
}

#[cfg(not(target_arch = "x86_64"))]
fn registers(_: Pid) -> nix::Result<(u64, [u64; 6], i64)> {
    Err(nix::Error::ENOSYS)
}

fn is_stop_signal(signal: Signal) -> bool {
    matches!(
        signal,
        Signal::SIGSTOP | Signal::SIGTSTP | Signal::SIGTTIN | Signal::SIGTTOU
    )
}

fn pid_of(p: i64) -> Pid {
    Pid::from_raw(i32::try_from(p).unwrap_or(0))
}

struct Tracer<'h> {
    procs: HashMap<i64, ProcState>,
    threads: HashMap<i64, Thread>,
    syscalls: BTreeSet<u64>,
    events: u64,
    names: procfs::Names,
    on_event: &'h mut dyn FnMut(&SyscallEvent<'_>),
}

impl Tracer<'_> {
    fn state_for(&mut self, tid: i64) -> Option<i64> {
        if let Some(t) = self.threads.get(&tid) {
            return Some(t.tgid);
        }
        // A task that reached us before its creation event: read it from /proc.
        let tgid = procfs::thread_group(tid)?;
        if !self.procs.contains_key(&tgid) {
            let mut process = procfs::read_process(tgid, &mut self.names)?;
            process.ancestors = procfs::read_ancestors(tgid);
            self.procs.insert(
                tgid,
                ProcState {
                    process,
                    fds: HashMap::new(),
                },
            );
        }
        self.threads.insert(
            tid,
            Thread {
                tgid,
                pending: None,
            },
        );
        Some(tgid)
    }

    fn emit(&mut self, tgid: i64, tid: i64, etype: EventType, res: i64, decoded: &Decoded) {
        let Some(state) = self.procs.get(&tgid) else {
            return;
        };
        self.events += 1;
        let mut process_view;
        let process = if state.process.tid == tid {
            &state.process
        } else {
            process_view = state.process.clone();
            process_view.tid = tid;
            &process_view
        };
        let event = SyscallEvent {
            num: self.events,
            ts: now_ns(),
            etype,
            res,
            process,
            fd: decoded.fd.as_ref(),
            args: &decoded.args,
        };
        (self.on_event)(&event);
    }

    fn on_syscall_stop(&mut self, tid: i64) {
        let Some(tgid) = self.state_for(tid) else {
            return;
        };
        let Ok((nr, args, ret)) = registers(pid_of(tid)) else {
            return;
        };
        let Some(thread) = self.threads.get_mut(&tid) else {
            return;
        };
        match thread.pending.take() {
            None => {
                self.syscalls.insert(nr);
                let filename = match Sysno::new(usize::try_from(nr).unwrap_or(usize::MAX)) {
                    Some(Sysno::execve) => read_string(tid, args[0], MAX_STRING),
                    Some(Sysno::execveat) => read_string(tid, args[1], MAX_STRING),
                    _ => None,
                };
                thread.pending = Some((nr, args, filename));
            }
            Some((nr, args, filename)) => {
                let (Some(sysno), Some(etype)) = (
                    Sysno::new(usize::try_from(nr).unwrap_or(usize::MAX)),
                    EventType::from_sysno(nr),
                ) else {
                    return;
                };
                let Some(state) = self.procs.get_mut(&tgid) else {
                    return;
                };
                let decoded = decode(
                    state,
                    sysno,
                    args,
                    ret,
                    filename.as_deref(),
                    &mut self.names,
                );
                self.emit(tgid, tid, etype, ret, &decoded);
            }
        }
    }

    fn on_new_task(&mut self, parent: i64, child: i64) {
        let Some(parent_tgid) = self.state_for(parent) else {
            return;
        };
        let tgid = procfs::thread_group(child).unwrap_or(child);
        if tgid != parent_tgid
            && !self.procs.contains_key(&tgid)
            && let Some(parent_state) = self.procs.get(&parent_tgid)
        {
            let mut state = parent_state.clone();
            state.process.pid = tgid;
            state.process.tid = child;
            state.process.vpid = tgid;
            state.process.ppid = parent_tgid;
            state.process.start_ns = now_ns();
            state.process.ancestors = parent_state.process.lineage_for_child();
            self.procs.insert(tgid, state);
        }
        // A child that stopped before this event is already known, maybe
        // inside a syscall: keep that, or its entries and exits swap.
        self.threads.entry(child).or_insert(Thread {
            tgid,
            pending: None,
        });
    }

    fn on_exec(&mut self, tid: i64) {
        // After exec the thread group leader carries on (with the tgid as tid).
        let Some(tgid) = self.state_for(tid) else {
            return;
        };
        let pending = self.threads.get_mut(&tid).and_then(|t| t.pending.take());
        if let Some(leader) = self.threads.get_mut(&tgid) {
            leader.pending = pending;
        }
        if let Some(state) = self.procs.get_mut(&tgid) {
            if let Some(mut fresh) = procfs::read_process(tgid, &mut self.names) {
                fresh.ancestors = state.process.ancestors.clone();
                state.process = fresh;
            }
            // close-on-exec fds are gone; the rest are re-read when used.
            state.fds.clear();
        }
    }

    fn forget(&mut self, tid: i64) {
        if let Some(thread) = self.threads.remove(&tid)
            && thread.tgid == tid
        {
            self.procs.remove(&tid);
        }
    }
}

/// Runs `command` under ptrace until its whole process tree has exited,
/// calling `on_event` for each syscall it finishes.
pub fn trace(
    command: &mut Command,
    on_event: &mut dyn FnMut(&SyscallEvent<'_>),
) -> io::Result<Outcome> {
    let child = crate::spawn::spawn_traced(command)?;
    let root = i64::from(child.id());
    let root_pid = pid_of(root);
    let wait_root = |flags: WaitPidFlag| {
        waitpid(root_pid, Some(flags | WaitPidFlag::__WNOTHREAD)).map_err(io::Error::from)
    };
    // The child stops with SIGTRAP once it has executed the command.
    match wait_root(WaitPidFlag::__WALL)? {
        WaitStatus::Stopped(_, Signal::SIGTRAP) => {}
        WaitStatus::Exited(_, code) => {
            return Ok(Outcome {
                exit: Exit::Code(code),
                syscalls: BTreeSet::new(),
                events: 0,
            });
        }
        other => {
            return Err(io::Error::other(format!(
                "unexpected first stop of the traced command: {other:?}"
            )));
        }
    }
    // Job control needs a seized tracee (stop signals are then told apart
    // from signals to deliver, and a stopped tracee can wait for SIGCONT
    // while we wait for the others). A child cannot seize itself, so it is
    // let go stopped, seized, and continued, before its first instruction.
    ptrace::detach(root_pid, Signal::SIGSTOP).map_err(io::Error::from)?;
    match wait_root(WaitPidFlag::WUNTRACED)? {
        WaitStatus::Stopped(..) => {}
        other => {
            return Err(io::Error::other(format!(
                "the traced command did not stop to be seized: {other:?}"
            )));
        }
    }
    let options = Options::PTRACE_O_TRACESYSGOOD
        | Options::PTRACE_O_TRACEFORK
        | Options::PTRACE_O_TRACEVFORK
        | Options::PTRACE_O_TRACECLONE
        | Options::PTRACE_O_TRACEEXEC
        | Options::PTRACE_O_EXITKILL;
    ptrace::seize(root_pid, options).map_err(io::Error::from)?;
    // Seized while stopped, it reports its stop again as a ptrace stop.
    wait_root(WaitPidFlag::__WALL)?;
    nix::sys::signal::kill(root_pid, Signal::SIGCONT).map_err(io::Error::from)?;

    let mut tracer = Tracer {
        procs: HashMap::new(),
        threads: HashMap::new(),
        syscalls: BTreeSet::new(),
        events: 0,
        names: procfs::Names::default(),
        on_event,
    };
    // The command's own execve happened before tracing began: report it.
    if let Some(mut process) = procfs::read_process(root, &mut tracer.names) {
        process.ancestors = procfs::read_ancestors(root);
        let filename = process.exepath.clone();
        tracer.procs.insert(
            root,
            ProcState {
                process,
                fds: HashMap::new(),
            },
        );
        tracer.threads.insert(
            root,
            Thread {
                tgid: root,
                pending: None,
            },
        );
        tracer.syscalls.insert(Sysno::execve.id() as u64);
        if let Some(etype) = EventType::from_name("execve") {
            let names = &mut tracer.names;
            let decoded = tracer
                .procs
                .get_mut(&root)
                .map(|s| decode(s, Sysno::execve, [0; 6], 0, Some(&filename), names))
                .unwrap_or_default();
            tracer.emit(root, root, etype, 0, &decoded);
        }
    }
    let _ = ptrace::syscall(root_pid, None);

    let mut exit = Exit::Code(0);
    let mut alive: HashSet<i64> = HashSet::from([root]);
    while !alive.is_empty() {
        let status = match waitpid(None, Some(WaitPidFlag::__WALL | WaitPidFlag::__WNOTHREAD)) {
            Ok(s) => s,
            Err(nix::Error::EINTR) => continue,
            Err(nix::Error::ECHILD) => break,
            Err(e) => return Err(io::Error::from(e)),
        };
        match status {
            WaitStatus::PtraceSyscall(pid) => {
                tracer.on_syscall_stop(i64::from(pid.as_raw()));
                let _ = ptrace::syscall(pid, None);
            }
            WaitStatus::PtraceEvent(pid, signal, event) => {
                let tid = i64::from(pid.as_raw());
                match event {
                    e if e == Event::PTRACE_EVENT_FORK as i32
                        || e == Event::PTRACE_EVENT_VFORK as i32
                        || e == Event::PTRACE_EVENT_CLONE as i32 =>
                    {
                        if let Ok(child) = ptrace::getevent(pid) {
                            alive.insert(child);
                            tracer.on_new_task(tid, child);
                        }
                    }
                    e if e == Event::PTRACE_EVENT_EXEC as i32 => {
                        if let Ok(former) = ptrace::getevent(pid)
                            && former != tid
                        {
                            alive.remove(&former);
                            tracer.forget(former);
                        }
                        tracer.on_exec(tid);
                    }
                    e if e == Event::PTRACE_EVENT_STOP as i32 => {
                        alive.insert(tid);
                        if is_stop_signal(signal) {
                            // A group-stop (SIGSTOP, SIGTSTP …): stay stopped
                            // until SIGCONT, which stops the tracee once more
                            // (with SIGTRAP) to be resumed here.
                            let _ = crate::spawn::listen(pid);
                            continue;
                        }
                        // A new task's first stop, or the end of a group-stop.
                    }
                    _ => {}
                }
                let _ = ptrace::syscall(pid, None);
            }
            WaitStatus::Stopped(pid, signal) => {
                // A signal about to be delivered: deliver it.
                alive.insert(i64::from(pid.as_raw()));
                let _ = ptrace::syscall(pid, Some(signal));
            }
            WaitStatus::Exited(pid, code) => {
                let tid = i64::from(pid.as_raw());
                if tid == root {
                    exit = Exit::Code(code);
                }
                alive.remove(&tid);
                tracer.forget(tid);
            }
            WaitStatus::Signaled(pid, signal, _) => {
                let tid = i64::from(pid.as_raw());
                if tid == root {
                    exit = Exit::Signal(signal as i32);
                }
                alive.remove(&tid);
                tracer.forget(tid);
            }
            _ => {}
        }
    }
    Ok(Outcome {
        exit,
        syscalls: tracer.syscalls,
        events: tracer.events,
    })
}

/// Now, in ns since the epoch: the time stamp of a traced event.
fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}
