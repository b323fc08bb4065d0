//! `--allow-shell`: an audit kubeward cannot evaluate offline, run with
//! `/bin/sh` on this host, bounded in time and output for the whole tree
//! of processes it starts, not only the shell.
//!
//! The shell leads a process group of its own. When it exits, or at the
//! deadline, the whole group is killed: a background job, or the `sleep`
//! the shell was waiting on, would otherwise keep the output pipe open
//! (and kubeward waiting) and outlive kubeward. Output is read until the
//! pipe closes or the deadline passes, whichever comes first. A process
//! that leaves the group (`setsid`) escapes the kill; the read still ends
//! at the deadline.

use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::signal::{Signal, killpg};
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid};
use nix::unistd::Pid;

use super::audit;

/// The most bytes kept from a shell audit's output.
const MAX_OUTPUT: usize = 1 << 20;
/// How often a running shell is looked at.
const POLL: Duration = Duration::from_millis(5);
/// How long output already written is read once the group is killed.
const DRAIN: Duration = Duration::from_millis(200);

/// Runs `script` with `/bin/sh -c` (stderr into stdout, as kube-bench
/// reads it) for at most `timeout`.
pub(crate) fn run(script: &str, timeout: Duration) -> Result<audit::Run, audit::Unsupported> {
    use std::os::unix::process::CommandExt;
    let fail = |e: &dyn std::fmt::Display| audit::Unsupported(format!("/bin/sh: {e}"));
    let deadline = Instant::now() + timeout;
    let mut child = Command::new("/bin/sh")
        .arg("-c")
        .arg(format!("{script} 2>&1"))
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| fail(&e))?;
    let chunks = read_in_background(child.stdout.take());
    let group = Pid::from_raw(i32::try_from(child.id()).map_err(|e| fail(&e))?);
    let finished = wait_unreaped(group, deadline);
    // The shell is not reaped yet, so the group's id cannot have been
    // reused: the kill reaches only what the audit started.
    let _ = killpg(group, Signal::SIGKILL);
    let status = child.wait().map_err(|e| fail(&e))?;
    let output = collect(&chunks, deadline.max(Instant::now() + DRAIN));
    let finished = finished.map_err(|e| fail(&e))?;
    Ok(audit::Run {
        output: String::from_utf8_lossy(&output).into_owned(),
        ok: finished && status.success(),
        files: Vec::new(),
    })
}

/// Waits until the shell exits (true) or the deadline passes (false),
/// leaving an exited shell a zombie.
fn wait_unreaped(shell: Pid, deadline: Instant) -> Result<bool, Errno> {
    let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT;
    loop {
        match waitid(Id::Pid(shell), flags) {
            Ok(WaitStatus::StillAlive) if Instant::now() < deadline => std::thread::sleep(POLL),
            Ok(WaitStatus::StillAlive) => return Ok(false),
            Ok(_) => return Ok(true),
            Err(Errno::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
}

/// Reads the pipe on a thread of its own, in chunks, up to [`MAX_OUTPUT`].
/// The thread ends when the pipe closes; the channel then disconnects.
fn read_in_background(pipe: Option<impl Read + Send + 'static>) -> mpsc::Receiver<Vec<u8>> {
    let (send, chunks) = mpsc::channel();
    if let Some(pipe) = pipe {
        std::thread::spawn(move || {
            let mut pipe = pipe.take(MAX_OUTPUT as u64);
            let mut buf = vec![0; 64 * 1024];
            while let Ok(n @ 1..) = pipe.read(&mut buf) {
                if send.send(buf[..n].to_vec()).is_err() {
                    return;
                }
            }
        });
    }
    chunks
}

/// What the reader sent, until the pipe closed or `until`.
fn collect(chunks: &mpsc::Receiver<Vec<u8>>, until: Instant) -> Vec<u8> {
    let mut out = Vec::new();
    while let Ok(chunk) = chunks.recv_timeout(until.saturating_duration_since(Instant::now())) {
        out.extend(chunk);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the process is gone (or dead, waiting for init to reap it).
    fn gone(pid: i32) -> bool {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Err(_) => true,
            Ok(stat) => stat
                .rsplit_once(") ")
                .is_some_and(|(_, rest)| rest.starts_with('Z')),
        }
    }

    /// Waits a little for `pid` to be gone, as a killed process is.
    fn ends_soon(pid: i32) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !gone(pid) {
            assert!(Instant::now() < deadline, "process {pid} still runs");
            std::thread::sleep(POLL);
        }
    }

    fn pid_in(file: &std::path::Path) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if let Some(pid) = std::fs::read_to_string(file)
                .ok()
                .and_then(|t| t.trim().parse().ok())
            {
                return pid;
            }
            assert!(Instant::now() < deadline, "no pid written");
            std::thread::sleep(POLL);
        }
    }

    /// The deadline holds for the shell's children: a `sleep` the shell
    /// waits on and a background job holding the output pipe both end at
    /// the deadline, and the output read so far is kept.
    #[test]
    fn the_deadline_ends_the_whole_tree() {
        let dir = tempfile::tempdir().unwrap();
        let pids = dir.path().join("bg");
        let script = format!(
            "echo started; sleep 100 & echo $! > {}; sleep 100; echo x",
            pids.display()
        );
        let start = Instant::now();
        let audit = run(&script, Duration::from_millis(700)).unwrap();
        let took = start.elapsed();
        assert!(took < Duration::from_secs(5), "took {took:?}");
        assert!(!audit.ok);
        assert_eq!(audit.output, "started\n");
        ends_soon(pid_in(&pids));
    }

    /// A shell that exits leaves nothing behind: its background job, which
    /// holds the output pipe open, is killed rather than waited for.
    #[test]
    fn a_finished_audit_leaves_nothing_running() {
        let dir = tempfile::tempdir().unwrap();
        let pids = dir.path().join("bg");
        let script = format!("sleep 100 & echo $! > {}; echo done", pids.display());
        let start = Instant::now();
        let audit = run(&script, Duration::from_secs(30)).unwrap();
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );
        assert!(audit.ok);
        assert_eq!(audit.output, "done\n");
        ends_soon(pid_in(&pids));
        let failed = run("echo no; exit 3", Duration::from_secs(30)).unwrap();
        assert!(!failed.ok);
        assert_eq!(failed.output, "no\n");
    }
}
