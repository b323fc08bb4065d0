//! A streaming tar reader for untrusted archives.
//!
//! Written here rather than taken from the `tar` crate because image layers
//! are hostile input and that crate reads GNU long names and PAX headers into
//! memory without a bound; this reader caps every piece of metadata it keeps,
//! verifies header checksums, and never seeks. It understands ustar (with the
//! name prefix), GNU long names and links (`L`, `K`), PAX extended headers
//! (`x`: path, linkpath, size, uid, gid; `g` is skipped) and base-256 numbers.

use std::io::{self, Read, Seek};

const BLOCK: usize = 512;
/// The largest GNU long name or PAX header kept.
pub const MAX_META_BYTES: u64 = 1 << 20;
/// The longest path accepted (Linux's PATH_MAX).
pub const MAX_PATH_BYTES: usize = 4096;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TarError {
    #[error("corrupt tar header at byte {offset}: {message}")]
    Header { offset: u64, message: String },
    #[error("the archive ends inside an entry")]
    Truncated,
    #[error("{0}")]
    Io(String),
}

impl From<io::Error> for TarError {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            TarError::Truncated
        } else {
            TarError::Io(e.to_string())
        }
    }
}

/// What an entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    File,
    HardLink,
    Symlink,
    CharDevice,
    BlockDevice,
    Directory,
    Fifo,
    /// Anything else (contiguous files, sparse files and the like are read as
    /// files; unknown types keep their data but are not files).
    Other(u8),
}

/// One entry's header, with GNU and PAX extensions applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The raw path bytes as the archive spells them.
    pub path: Vec<u8>,
    /// The link target of hard and symbolic links.
    pub link: Vec<u8>,
    pub kind: Kind,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    /// Bytes of data that follow the header.
    pub size: u64,
}

/// Reads entries one after the other: call [`TarReader::next`], read the
/// entry's data through the reader itself (it stops at the entry's end), and
/// call `next` again (skipping whatever data was left).
#[derive(Debug)]
pub struct TarReader<R> {
    inner: R,
    /// Bytes read from `inner` so far.
    offset: u64,
    /// Data bytes of the current entry not read yet.
    remaining: u64,
    /// Padding after the current entry's data.
    padding: u64,
    done: bool,
    /// The end-of-archive marker (a zero block) was read.
    marker: bool,
}

fn parse_number(field: &[u8], offset: u64, name: &str) -> Result<u64, TarError> {
    let bad = |message: String| TarError::Header { offset, message };
    if field.first().is_some_and(|b| b & 0x80 != 0) {
        // Base-256: big-endian two's complement; negative values are refused.
        if field[0] & 0x40 != 0 {
            return Err(bad(format!("negative {name}")));
        }
        let mut n: u64 = u64::from(field[0] & 0x3f);
        for &b in &field[1..] {
            n = n
                .checked_mul(256)
                .and_then(|n| n.checked_add(u64::from(b)))
                .ok_or_else(|| bad(format!("{name} out of range")))?;
        }
        return Ok(n);
    }
    let text: Vec<u8> = field
        .iter()
        .copied()
        .skip_while(|&b| b == b' ')
        .take_while(|&b| b != 0 && b != b' ')
        .collect();
    if text.is_empty() {
        return Ok(0);
    }
    let mut n: u64 = 0;
    for b in text {
        if !(b'0'..=b'7').contains(&b) {
            return Err(bad(format!("{name} is not an octal number")));
        }
        n = n
            .checked_mul(8)
            .and_then(|n| n.checked_add(u64::from(b - b'0')))
            .ok_or_else(|| bad(format!("{name} out of range")))?;
    }
    Ok(n)
}

fn cstr(field: &[u8]) -> &[u8] {
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    &field[..end]
}

impl<R: Read + Seek> TarReader<R> {
    /// Like `next`, but passes over the previous entry's data with a seek:
    /// indexing a multi-gigabyte archive then reads only its headers.
    pub fn next_seeking(&mut self) -> Result<Option<Header>, TarError> {
        let leftover = self.remaining + self.padding;
        if leftover > 0 && !self.done {
            let jump = i64::try_from(leftover).map_err(|_| TarError::Truncated)?;
            self.inner.seek_relative(jump)?;
            self.offset += leftover;
            self.remaining = 0;
            self.padding = 0;
        }
        self.next()
    }
}

/// Overrides from PAX or GNU extension entries, for the next entry.
#[derive(Debug, Default)]
struct Pending {
    path: Option<Vec<u8>>,
    link: Option<Vec<u8>>,
    size: Option<u64>,
    uid: Option<u64>,
    gid: Option<u64>,
}

impl<R: Read> TarReader<R> {
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            offset: 0,
            remaining: 0,
            padding: 0,
            done: false,
            marker: false,
        }
    }

    /// Whether the archive ended with its end-of-archive marker rather than
    /// with the end of the stream.
    pub fn saw_end_marker(&self) -> bool {
        self.marker
    }

    /// The underlying reader, positioned after what was read.
    pub fn into_inner(self) -> R {
        self.inner
    }

    /// Bytes consumed from the underlying reader.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    fn skip(&mut self, mut n: u64) -> Result<(), TarError> {
        let mut buf = [0u8; 8192];
        while n > 0 {
            let want = usize::try_from(n.min(buf.len() as u64)).unwrap_or(buf.len());
            let got = self.inner.read(&mut buf[..want])?;
            if got == 0 {
                return Err(TarError::Truncated);
            }
            self.offset += got as u64;
            n -= got as u64;
        }
        Ok(())
    }

    fn read_block(&mut self, block: &mut [u8; BLOCK]) -> Result<bool, TarError> {
        let mut filled = 0;
        while filled < BLOCK {
            let got = self.inner.read(&mut block[filled..])?;
            if got == 0 {
                if filled == 0 {
                    return Ok(false);
                }
                return Err(TarError::Truncated);
            }
            filled += got;
        }
        self.offset += BLOCK as u64;
        Ok(true)
    }

    /// Reads a whole extension entry's data (bounded) and its padding.
    fn read_meta(&mut self, size: u64) -> Result<Vec<u8>, TarError> {
        if size > MAX_META_BYTES {
            return Err(TarError::Header {
                offset: self.offset,
                message: format!("extended header of {size} bytes (limit {MAX_META_BYTES})"),
            });
        }
        let mut data = vec![0u8; usize::try_from(size).unwrap_or(0)];
        self.inner.read_exact(&mut data)?;
        self.offset += size;
        self.skip(size.next_multiple_of(BLOCK as u64) - size)?;
        Ok(data)
    }

    /// The next entry's header, or `None` at the end of the archive.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Header>, TarError> {
        if self.done {
            return Ok(None);
        }
        let leftover = self.remaining + self.padding;
        self.remaining = 0;
        self.padding = 0;
        self.skip(leftover)?;
        let mut pending = Pending::default();
        let mut block = [0u8; BLOCK];
        loop {
            let at = self.offset;
            if !self.read_block(&mut block)? || block.iter().all(|&b| b == 0) {
                // End of archive (one zero block is enough; the second is not
                // required, and nothing after it is read).
                self.done = true;
                self.marker = self.offset > at;
                return Ok(None);
            }
            let bad = |message: &str| TarError::Header {
                offset: at,
                message: message.to_owned(),
            };
            let stored = parse_number(&block[148..156], at, "checksum")?;
            let sum: u64 = block
                .iter()
                .enumerate()
                .map(|(i, &b)| {
                    if (148..156).contains(&i) {
                        32
                    } else {
                        u64::from(b)
                    }
                })
                .sum();
            if stored != sum {
                return Err(bad("checksum mismatch"));
            }
            let typeflag = block[156];
            let size = parse_number(&block[124..136], at, "size")?;
            match typeflag {
                b'L' => {
                    let mut name = self.read_meta(size)?;
                    name.truncate(cstr(&name).len());
                    pending.path = Some(name);
                    continue;
                }
                b'K' => {
                    let mut name = self.read_meta(size)?;
                    name.truncate(cstr(&name).len());
                    pending.link = Some(name);
                    continue;
                }
                b'x' => {
                    let data = self.read_meta(size)?;
                    apply_pax(&data, &mut pending).map_err(|m| bad(&m))?;
                    continue;
                }
                b'g' => {
                    self.read_meta(size)?;
                    continue;
                }
                _ => {}
            }
            let ustar = &block[257..263] == b"ustar\0" || &block[257..265] == b"ustar  \0";
            let mut path = cstr(&block[0..100]).to_vec();
            if ustar && &block[257..263] == b"ustar\0" {
                let prefix = cstr(&block[345..500]);
                if !prefix.is_empty() {
                    let mut full = prefix.to_vec();
                    full.push(b'/');
                    full.extend_from_slice(&path);
                    path = full;
                }
            }
            let kind = match typeflag {
                b'0' | 0 | b'7' | b'S' => Kind::File,
                b'1' => Kind::HardLink,
                b'2' => Kind::Symlink,
                b'3' => Kind::CharDevice,
                b'4' => Kind::BlockDevice,
                b'5' => Kind::Directory,
                b'6' => Kind::Fifo,
                other => Kind::Other(other),
            };
            let header = Header {
                path: pending.path.take().unwrap_or(path),
                link: pending
                    .link
                    .take()
                    .unwrap_or_else(|| cstr(&block[157..257]).to_vec()),
                kind,
                mode: u32::try_from(parse_number(&block[100..108], at, "mode")? & 0o7777)
                    .unwrap_or(0),
                uid: pending
                    .uid
                    .map_or_else(|| parse_number(&block[108..116], at, "uid"), Ok)?,
                gid: pending
                    .gid
                    .map_or_else(|| parse_number(&block[116..124], at, "gid"), Ok)?,
                size: pending.size.unwrap_or(size),
            };
            if header.path.len() > MAX_PATH_BYTES || header.link.len() > MAX_PATH_BYTES {
                return Err(bad("path longer than 4096 bytes"));
            }
            // Links and directories carry no data, whatever the size field says.
            let data = match kind {
                Kind::HardLink | Kind::Symlink | Kind::Directory => 0,
                Kind::CharDevice | Kind::BlockDevice | Kind::Fifo => 0,
                _ => header.size,
            };
            self.remaining = data;
            self.padding = data.next_multiple_of(BLOCK as u64) - data;
            return Ok(Some(Header {
                size: data,
                ..header
            }));
        }
    }
}

/// Applies PAX records (`"<len> <key>=<value>\n"`) to the next entry.
fn apply_pax(mut data: &[u8], pending: &mut Pending) -> Result<(), String> {
    while !data.is_empty() {
        let space = data
            .iter()
            .position(|&b| b == b' ')
            .ok_or("PAX record without a length")?;
        let len: usize = std::str::from_utf8(&data[..space])
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or("PAX record with a bad length")?;
        if len <= space + 1 || len > data.len() || data[len - 1] != b'\n' {
            return Err("PAX record with a bad length".to_owned());
        }
        let record = &data[space + 1..len - 1];
        let eq = record
            .iter()
            .position(|&b| b == b'=')
            .ok_or("PAX record without `=`")?;
        let (key, value) = (&record[..eq], &record[eq + 1..]);
        let number = || -> Result<u64, String> {
            std::str::from_utf8(value)
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| format!("PAX {} is not a number", String::from_utf8_lossy(key)))
        };
        match key {
            b"path" => pending.path = Some(value.to_vec()),
            b"linkpath" => pending.link = Some(value.to_vec()),
            b"size" => pending.size = Some(number()?),
            b"uid" => pending.uid = Some(number()?),
            b"gid" => pending.gid = Some(number()?),
            _ => {}
        }
        data = &data[len..];
    }
    Ok(())
}

impl<R: Read> Read for TarReader<R> {
    /// Reads the current entry's data; 0 at its end.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.remaining == 0 {
            return Ok(0);
        }
        let want = usize::try_from(self.remaining.min(buf.len() as u64)).unwrap_or(buf.len());
        let got = self.inner.read(&mut buf[..want])?;
        if got == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        self.remaining -= got as u64;
        self.offset += got as u64;
        Ok(got)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds a ustar header block for tests.
    pub(crate) fn header(path: &str, typeflag: u8, size: u64, link: &str, mode: u32) -> [u8; 512] {
        let mut b = [0u8; 512];
        b[..path.len().min(100)].copy_from_slice(&path.as_bytes()[..path.len().min(100)]);
        b[100..107].copy_from_slice(format!("{mode:07o}").as_bytes());
        b[108..115].copy_from_slice(b"0000000");
        b[116..123].copy_from_slice(b"0000000");
        b[124..135].copy_from_slice(format!("{size:011o}").as_bytes());
        b[136..147].copy_from_slice(b"00000000000");
        b[156] = typeflag;
        b[157..157 + link.len()].copy_from_slice(link.as_bytes());
        b[257..263].copy_from_slice(b"ustar\0");
        b[263..265].copy_from_slice(b"00");
        b[148..156].copy_from_slice(b"        ");
        let sum: u32 = b.iter().map(|&x| u32::from(x)).sum();
        b[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
        b
    }

    pub(crate) fn entry(out: &mut Vec<u8>, path: &str, typeflag: u8, data: &[u8], link: &str) {
        out.extend_from_slice(&header(path, typeflag, data.len() as u64, link, 0o644));
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(512), 0);
    }

    #[test]
    fn reads_entries_and_data() {
        let mut tar = Vec::new();
        entry(&mut tar, "etc/", b'5', b"", "");
        entry(&mut tar, "etc/hostname", b'0', b"box\n", "");
        entry(&mut tar, "bin", b'2', b"", "usr/bin");
        tar.extend_from_slice(&[0u8; 1024]);
        let mut r = TarReader::new(&tar[..]);
        let h = r.next().unwrap().unwrap();
        assert_eq!((h.path.as_slice(), h.kind), (&b"etc/"[..], Kind::Directory));
        let h = r.next().unwrap().unwrap();
        assert_eq!(h.size, 4);
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        assert_eq!(s, "box\n");
        let h = r.next().unwrap().unwrap();
        assert_eq!(
            (h.kind, h.link.as_slice()),
            (Kind::Symlink, &b"usr/bin"[..])
        );
        assert_eq!(r.next().unwrap(), None);
    }

    #[test]
    fn long_names_and_pax() {
        let long = "d/".repeat(80) + "file";
        let mut tar = Vec::new();
        let mut name = long.clone().into_bytes();
        name.push(0);
        entry(&mut tar, "././@LongLink", b'L', &name, "");
        entry(&mut tar, "short", b'0', b"x", "");
        let pax = "29 path=pax/name/is/this/one\n";
        entry(&mut tar, "PaxHeader", b'x', pax.as_bytes(), "");
        entry(&mut tar, "ignored", b'0', b"", "");
        let mut r = TarReader::new(&tar[..]);
        assert_eq!(r.next().unwrap().unwrap().path, long.as_bytes());
        assert_eq!(r.next().unwrap().unwrap().path, b"pax/name/is/this/one");
        assert_eq!(r.next().unwrap(), None);
    }

    #[test]
    fn corrupt_and_hostile_headers() {
        let mut tar = Vec::new();
        entry(&mut tar, "a", b'0', b"data", "");
        tar[10] ^= 1;
        assert!(matches!(
            TarReader::new(&tar[..]).next(),
            Err(TarError::Header { .. })
        ));
        let mut tar = Vec::new();
        tar.extend_from_slice(&header("huge", b'x', 2 << 20, "", 0o644));
        assert!(matches!(
            TarReader::new(&tar[..]).next(),
            Err(TarError::Header { .. })
        ));
        let mut tar = Vec::new();
        entry(&mut tar, "a", b'0', &[7u8; 1000], "");
        tar.truncate(700);
        let mut r = TarReader::new(&tar[..]);
        r.next().unwrap();
        assert_eq!(r.next(), Err(TarError::Truncated));
    }
}
