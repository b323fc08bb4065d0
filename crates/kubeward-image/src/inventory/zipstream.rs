//! A ZIP archive read front to back through its local headers, for archives
//! too large to hold in memory (fat JARs): the central directory, which the
//! `zip` crate reads, sits at the end, and a layer is a stream that cannot
//! seek back. The `zip` crate's own stream reader refuses entries whose sizes
//! follow their data (general-purpose flag bit 3), which the JDK's `jar` tool
//! writes for every deflated entry; here such an entry is inflated to find
//! its end.

use std::cell::Cell;
use std::io::{self, BufRead, BufReader, Cursor, Read};

use flate2::bufread::DeflateDecoder;

const LOCAL_HEADER: [u8; 4] = *b"PK\x03\x04";
const CENTRAL_HEADER: [u8; 4] = *b"PK\x01\x02";
const END_OF_CENTRAL: [u8; 4] = *b"PK\x05\x06";
const DATA_DESCRIPTOR: [u8; 4] = *b"PK\x07\x08";
/// How far into the stream the first local header may be: executable JARs
/// carry a launch script in front of the archive.
const MAX_PREAMBLE: u64 = 64 << 10;
const STORED: u16 = 0;
const DEFLATED: u16 = 8;
const ENCRYPTED: u16 = 1;
const SIZES_FOLLOW: u16 = 1 << 3;
const ZIP64_EXTRA: u16 = 0x0001;

/// One entry's local header.
#[derive(Debug)]
pub(crate) struct LocalEntry {
    pub name: String,
    /// Uncompressed size, when the header gives it.
    pub size: Option<u64>,
}

/// Why reading stopped before the central directory.
#[derive(Debug, thiserror::Error)]
pub(crate) enum StreamError {
    #[error("not a ZIP archive (no ZIP header in the first {MAX_PREAMBLE} bytes)")]
    NotZip,
    #[error("entry `{0}` gives no size and is not deflated, so its end cannot be found")]
    Unsized(String),
    #[error("unexpected bytes where a ZIP header should be")]
    BadSignature,
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// A reader of entry content that charges what it yields to a budget,
/// shared by an archive and the archives nested in it, and fails once that
/// is spent: deflate bombs, nested or not, cost bounded time.
pub(crate) struct Budgeted<'b, R> {
    pub inner: R,
    pub left: &'b Cell<u64>,
}

impl<R: Read> Read for Budgeted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let left = self.left.get();
        if n as u64 > left {
            self.left.set(0);
            return Err(io::Error::other(
                "its entries decompress to more bytes than kubeward reads of one archive",
            ));
        }
        self.left.set(left - n as u64);
        Ok(n)
    }
}

/// Calls `visit` with each entry and a reader of its uncompressed content
/// (empty for an entry neither stored nor deflated, or encrypted); what
/// `visit` leaves unread is skipped, without inflating it where the header
/// gives its size. Every byte of content read, by `visit` or to find an
/// entry's end, is charged to `budget`.
pub(crate) fn entries<R: Read>(
    mut input: R,
    budget: &Cell<u64>,
    mut visit: impl FnMut(&LocalEntry, &mut dyn Read) -> io::Result<()>,
) -> Result<(), StreamError> {
    let mut preamble = Vec::new();
    (&mut input).take(MAX_PREAMBLE).read_to_end(&mut preamble)?;
    // An archive of no entries is only its end record.
    let start = [LOCAL_HEADER, END_OF_CENTRAL]
        .iter()
        .filter_map(|signature| memchr::memmem::find(&preamble, signature))
        .min()
        .ok_or(StreamError::NotZip)?;
    let mut input = BufReader::with_capacity(64 << 10, Cursor::new(preamble).chain(input));
    io::copy(&mut (&mut input).take(start as u64), &mut io::sink())?;
    loop {
        let mut signature = [0u8; 4];
        input.read_exact(&mut signature)?;
        if signature == CENTRAL_HEADER || signature == END_OF_CENTRAL {
            return Ok(());
        }
        if signature != LOCAL_HEADER {
            return Err(StreamError::BadSignature);
        }
        let mut fixed = [0u8; 26];
        input.read_exact(&mut fixed)?;
        let u16_at = |i: usize| u16::from_le_bytes([fixed[i], fixed[i + 1]]);
        let u32_at =
            |i: usize| u32::from_le_bytes([fixed[i], fixed[i + 1], fixed[i + 2], fixed[i + 3]]);
        let (flags, method) = (u16_at(2), u16_at(4));
        let (mut compressed, mut size) = (u64::from(u32_at(14)), u64::from(u32_at(18)));
        let mut name = vec![0u8; usize::from(u16_at(22))];
        input.read_exact(&mut name)?;
        let mut extra = vec![0u8; usize::from(u16_at(24))];
        input.read_exact(&mut extra)?;
        let zip64 = zip64_sizes(&extra);
        if let Some((full_size, full_compressed)) = zip64 {
            if size == u64::from(u32::MAX) {
                size = full_size;
            }
            if compressed == u64::from(u32::MAX) {
                compressed = full_compressed;
            }
        }
        let sizes_follow = flags & SIZES_FOLLOW != 0;
        let entry = LocalEntry {
            name: String::from_utf8_lossy(&name).into_owned(),
            size: (!sizes_follow).then_some(size),
        };
        let readable = flags & ENCRYPTED == 0;
        if sizes_follow {
            if method != DEFLATED {
                return Err(StreamError::Unsized(entry.name));
            }
            let mut body = Budgeted {
                inner: DeflateDecoder::new(&mut input),
                left: budget,
            };
            if readable {
                visit(&entry, &mut body)?;
            }
            io::copy(&mut body, &mut io::sink())?;
            drop(body);
            skip_descriptor(&mut input, zip64.is_some())?;
        } else {
            let mut raw = (&mut input).take(compressed);
            match method {
                STORED if readable => visit(
                    &entry,
                    &mut Budgeted {
                        inner: &mut raw,
                        left: budget,
                    },
                )?,
                DEFLATED if readable => visit(
                    &entry,
                    &mut Budgeted {
                        inner: DeflateDecoder::new(&mut raw),
                        left: budget,
                    },
                )?,
                _ => visit(&entry, &mut io::empty())?,
            }
            io::copy(&mut raw, &mut io::sink())?;
        }
    }
}

/// The (uncompressed, compressed) sizes of a ZIP64 extra field, which a
/// local header must give in full.
fn zip64_sizes(mut extra: &[u8]) -> Option<(u64, u64)> {
    while extra.len() >= 4 {
        let id = u16::from_le_bytes([extra[0], extra[1]]);
        let len = usize::from(u16::from_le_bytes([extra[2], extra[3]]));
        let data = extra.get(4..4 + len)?;
        if id == ZIP64_EXTRA && len >= 16 {
            let u64_at = |i: usize| {
                let mut b = [0u8; 8];
                b.copy_from_slice(&data[i..i + 8]);
                u64::from_le_bytes(b)
            };
            return Some((u64_at(0), u64_at(8)));
        }
        extra = &extra[4 + len..];
    }
    None
}

/// Skips the data descriptor after an entry whose sizes follow it: an
/// optional signature, the CRC, then both sizes (eight bytes each for ZIP64).
fn skip_descriptor(input: &mut impl BufRead, zip64: bool) -> io::Result<()> {
    let mut first = [0u8; 4];
    input.read_exact(&mut first)?;
    let crc_and_sizes = if zip64 { 20 } else { 12 };
    let rest = if first == DATA_DESCRIPTOR {
        crc_and_sizes
    } else {
        crc_and_sizes - 4
    };
    io::copy(&mut input.take(rest), &mut io::sink())?;
    Ok(())
}
