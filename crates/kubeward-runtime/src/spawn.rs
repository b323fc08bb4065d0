//! The one module with `unsafe`: starting a command with code that runs in
//! the forked child between `fork` and `exec` (`Command::pre_exec`), to ask
//! to be traced or to confine the child with a seccomp filter before it
//! executes the command. Only async-signal-safe system calls run there, with
//! no allocation: everything the child needs is prepared before the fork.
//! Also `PTRACE_LISTEN`, which nix does not wrap.
#![allow(unsafe_code)]

use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command};

/// Spawns `command` stopped for tracing: the child asks its parent to trace
/// it and stops with `SIGTRAP` once the command is executed.
pub(crate) fn spawn_traced(command: &mut Command) -> io::Result<Child> {
    // SAFETY: the closure runs in the child after fork; it makes a single
    // ptrace(PTRACE_TRACEME) system call (async-signal-safe, no allocation,
    // no lock) and maps a failure to an error that needs no allocation.
    unsafe {
        command.pre_exec(|| {
            nix::sys::ptrace::traceme().map_err(|e| io::Error::from_raw_os_error(e as i32))
        });
    }
    command.spawn()
}

/// Leaves a tracee in group-stop stopped while the tracer waits on: it stays
/// stopped until `SIGCONT`, and the tracer hears of that (`PTRACE_LISTEN`).
pub(crate) fn listen(pid: nix::unistd::Pid) -> nix::Result<()> {
    // SAFETY: PTRACE_LISTEN reads and writes no memory of ours (address and
    // data are 0); it only changes the tracee's state in the kernel.
    let res = unsafe { nix::libc::ptrace(nix::libc::PTRACE_LISTEN, pid.as_raw(), 0, 0) };
    nix::errno::Errno::result(res).map(drop)
}

/// Spawns `command` under a seccomp filter, installed in the child as the
/// last step before `exec` (so the command's very first system call is
/// already filtered).
pub(crate) fn spawn_confined(
    command: &mut Command,
    filters: Vec<seccompiler::BpfProgram>,
) -> io::Result<Child> {
    // SAFETY: the filters were compiled before the fork; for each, the
    // closure makes two system calls (prctl(PR_SET_NO_NEW_PRIVS) and
    // seccomp(SET_MODE_FILTER)) through `apply_filter`, which neither
    // allocates nor takes locks, and a failure maps to an error that needs
    // no allocation.
    unsafe {
        command.pre_exec(move || {
            for filter in &filters {
                seccompiler::apply_filter(filter)
                    .map_err(|_| io::Error::from(io::ErrorKind::PermissionDenied))?;
            }
            Ok(())
        });
    }
    command.spawn()
}
