//! Reading a tracee's memory with `process_vm_readv`: bounded strings (up
//! to a NUL, never across more than `max` bytes) and small structures.

use std::io::IoSliceMut;

use nix::sys::uio::{RemoteIoVec, process_vm_readv};
use nix::unistd::Pid;

/// Longest path or string argument read.
pub(crate) const MAX_STRING: usize = 4096;
const PAGE: usize = 4096;

/// Reads `len` bytes at `addr` (fewer when the memory ends).
pub(crate) fn read_bytes(pid: i64, addr: u64, len: usize) -> Option<Vec<u8>> {
    if addr == 0 || len == 0 {
        return None;
    }
    let pid = Pid::from_raw(i32::try_from(pid).ok()?);
    let mut out = vec![0u8; len];
    let mut done = 0;
    // Read page by page so that an unmapped page after the data does not
    // fail the whole read.
    while done < len {
        let at = usize::try_from(addr).ok()?.checked_add(done)?;
        let chunk = (PAGE - at % PAGE).min(len - done);
        let remote = [RemoteIoVec {
            base: at,
            len: chunk,
        }];
        let mut local = [IoSliceMut::new(&mut out[done..done + chunk])];
        match process_vm_readv(pid, &mut local, &remote) {
            Ok(n) if n > 0 => done += n,
            _ => break,
        }
    }
    out.truncate(done);
    (done > 0).then_some(out)
}

/// Reads a NUL-terminated string of at most `max` bytes.
pub(crate) fn read_string(pid: i64, addr: u64, max: usize) -> Option<String> {
    if addr == 0 {
        return None;
    }
    let mut out = Vec::new();
    let mut at = addr;
    while out.len() < max {
        let room = PAGE - usize::try_from(at).ok()? % PAGE;
        let chunk = read_bytes(pid, at, room.min(max - out.len()))?;
        match memchr::memchr(0, &chunk) {
            Some(end) => {
                out.extend_from_slice(&chunk[..end]);
                return Some(String::from_utf8_lossy(&out).into_owned());
            }
            None => {
                out.extend_from_slice(&chunk);
                at = at.checked_add(chunk.len() as u64)?;
            }
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_own_memory() {
        let text = b"hello\0world";
        let me = i64::from(std::process::id());
        let addr = text.as_ptr() as u64;
        assert_eq!(read_string(me, addr, 64).as_deref(), Some("hello"));
        assert_eq!(read_string(me, addr, 3).as_deref(), Some("hel"));
        assert_eq!(read_bytes(me, addr + 6, 5).as_deref(), Some(&b"world"[..]));
        assert_eq!(read_string(me, 0, 10), None);
    }
}
