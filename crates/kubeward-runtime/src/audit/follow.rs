//! Reads a JSON-lines audit log, optionally following it as it grows the way
//! `tail -F` does: across rotation by rename (a new file appears at the
//! path) and by copy-and-truncate (the file shrinks). Lines are bounded.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Longest line read (an audit event at RequestResponse level with a large
/// object); longer lines are skipped and reported.
pub const MAX_LINE_BYTES: usize = 8 * 1024 * 1024;

/// How often a followed file is checked for growth and rotation.
pub const POLL_INTERVAL: Duration = Duration::from_millis(200);

/// What the follower read.
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// A line (without its newline) and its 1-based number in its file.
    Text(u64, Vec<u8>),
    /// A line longer than [`MAX_LINE_BYTES`], skipped.
    TooLong(u64),
}

#[derive(Debug)]
pub struct Follower {
    path: PathBuf,
    reader: BufReader<File>,
    inode: u64,
    position: u64,
    line: u64,
    partial: Vec<u8>,
    overlong: bool,
    follow: bool,
}

impl Follower {
    /// Opens `path`; with `follow`, [`Follower::next`] waits for more lines.
    pub fn open(path: &Path, follow: bool) -> io::Result<Self> {
        let file = File::open(path)?;
        let inode = file.metadata()?.ino();
        Ok(Self {
            path: path.to_owned(),
            reader: BufReader::with_capacity(256 * 1024, file),
            inode,
            position: 0,
            line: 0,
            partial: Vec::new(),
            overlong: false,
            follow,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The next line; `None` at the end of the file (without `follow`) or
    /// once `stop` is set (with `follow`).
    pub fn next(&mut self, stop: &AtomicBool) -> io::Result<Option<Line>> {
        loop {
            if let Some(line) = self.read_line()? {
                return Ok(Some(line));
            }
            if !self.follow {
                if self.partial.is_empty() && !self.overlong {
                    return Ok(None);
                }
                return Ok(Some(self.take_line()));
            }
            if stop.load(Ordering::Relaxed) {
                return Ok(None);
            }
            std::thread::sleep(POLL_INTERVAL);
            if self.renamed() {
                // Drain what the old file still has, then move to the new one.
                if let Some(line) = self.read_line()? {
                    return Ok(Some(line));
                }
                if !self.partial.is_empty() {
                    return Ok(Some(self.take_line()));
                }
                self.reopen()?;
            } else if self.truncated() {
                // Copied and truncated in place: start again from the top.
                self.reader.seek(SeekFrom::Start(0))?;
                self.reset();
            }
        }
    }

    /// Reads until a newline; `None` at the current end of the file.
    fn read_line(&mut self) -> io::Result<Option<Line>> {
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                return Ok(None);
            }
            let (chunk, done) = match memchr::memchr(b'\n', buf) {
                Some(i) => (&buf[..i], i + 1),
                None => (buf, buf.len()),
            };
            let complete = done > chunk.len();
            if !self.overlong {
                if self.partial.len() + chunk.len() > MAX_LINE_BYTES {
                    self.overlong = true;
                    self.partial = Vec::new();
                } else {
                    self.partial.extend_from_slice(chunk);
                }
            }
            self.reader.consume(done);
            self.position += done as u64;
            if complete {
                return Ok(Some(self.take_line()));
            }
        }
    }

    fn take_line(&mut self) -> Line {
        self.line += 1;
        if std::mem::take(&mut self.overlong) {
            self.partial.clear();
            return Line::TooLong(self.line);
        }
        let mut text = std::mem::take(&mut self.partial);
        if text.last() == Some(&b'\r') {
            text.pop();
        }
        Line::Text(self.line, text)
    }

    /// Whether another file now has the path (rotation by rename). While
    /// the path is missing (between rename and creation), keep the old file.
    fn renamed(&self) -> bool {
        std::fs::metadata(&self.path).is_ok_and(|m| m.ino() != self.inode)
    }

    fn truncated(&self) -> bool {
        std::fs::metadata(&self.path)
            .is_ok_and(|m| m.ino() == self.inode && m.len() < self.position)
    }

    fn reopen(&mut self) -> io::Result<()> {
        let file = File::open(&self.path)?;
        self.inode = file.metadata()?.ino();
        self.reader = BufReader::with_capacity(256 * 1024, file);
        self.reset();
        Ok(())
    }

    fn reset(&mut self) {
        self.position = 0;
        self.line = 0;
        self.partial.clear();
        self.overlong = false;
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::Arc;
    use std::sync::mpsc;

    use super::*;

    fn append(path: &Path, text: &str) {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .unwrap();
        f.write_all(text.as_bytes()).unwrap();
    }

    #[test]
    fn reads_to_the_end_without_follow() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.log");
        append(&path, "a\r\nb\nlast");
        let mut f = Follower::open(&path, false).unwrap();
        let stop = AtomicBool::new(false);
        assert_eq!(f.next(&stop).unwrap(), Some(Line::Text(1, b"a".to_vec())));
        assert_eq!(f.next(&stop).unwrap(), Some(Line::Text(2, b"b".to_vec())));
        assert_eq!(
            f.next(&stop).unwrap(),
            Some(Line::Text(3, b"last".to_vec()))
        );
        assert_eq!(f.next(&stop).unwrap(), None);
    }

    #[test]
    fn skips_overlong_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.log");
        append(&path, &format!("{}\nok\n", "x".repeat(MAX_LINE_BYTES + 10)));
        let mut f = Follower::open(&path, false).unwrap();
        let stop = AtomicBool::new(false);
        assert_eq!(f.next(&stop).unwrap(), Some(Line::TooLong(1)));
        assert_eq!(f.next(&stop).unwrap(), Some(Line::Text(2, b"ok".to_vec())));
    }

    fn collect_in_background(path: &Path) -> (Arc<AtomicBool>, mpsc::Receiver<String>) {
        let stop = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel();
        let mut f = Follower::open(path, true).unwrap();
        let flag = stop.clone();
        std::thread::spawn(move || {
            while let Ok(Some(Line::Text(_, t))) = f.next(&flag) {
                if tx.send(String::from_utf8(t).unwrap()).is_err() {
                    break;
                }
            }
        });
        (stop, rx)
    }

    fn expect(rx: &mpsc::Receiver<String>, want: &[&str]) {
        for w in want {
            assert_eq!(rx.recv_timeout(Duration::from_secs(10)).unwrap(), *w);
        }
    }

    #[test]
    fn follows_rename_rotation() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.log");
        append(&path, "one\n");
        let (stop, rx) = collect_in_background(&path);
        expect(&rx, &["one"]);
        append(&path, "two\n");
        std::fs::rename(&path, dir.path().join("audit.log.1")).unwrap();
        append(&dir.path().join("audit.log.1"), "three\n");
        std::thread::sleep(POLL_INTERVAL * 2);
        append(&path, "four\n");
        expect(&rx, &["two", "three", "four"]);
        stop.store(true, Ordering::Relaxed);
    }

    #[test]
    fn follows_copytruncate_rotation() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.log");
        append(&path, "first line\nsecond line\n");
        let (stop, rx) = collect_in_background(&path);
        expect(&rx, &["first line", "second line"]);
        std::fs::copy(&path, dir.path().join("audit.log.1")).unwrap();
        std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(&path)
            .unwrap();
        std::thread::sleep(POLL_INTERVAL * 3);
        append(&path, "after\n");
        expect(&rx, &["after"]);
        stop.store(true, Ordering::Relaxed);
    }
}
