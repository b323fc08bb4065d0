//! Reading one layer: decompression (gzip, zstd or none, told by the magic
//! bytes) under bomb limits, the tar stream, path checks, and the capture of
//! what inventory needs, all in one streaming pass with bounded buffers.
//! Nothing is written anywhere: a layer becomes a list of changes (entries,
//! whiteouts, opaque directories) plus the few file contents kept.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::io::{self, BufRead, BufReader, Read};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use md5::{Digest, Md5};

use crate::hashing::{self, BATCH_BYTES, Batcher};
use crate::inventory::{self, Interest, Package};
use crate::source::digest::{DigestCheck, mismatch_in};
use crate::tar::{self, TarReader};

/// Limits that keep a hostile image from exhausting time or memory. Each
/// bounds the work of one image, whatever its layers hold and however often
/// its manifest lists them.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Most uncompressed bytes one layer may expand to.
    pub max_layer_bytes: u64,
    /// Most uncompressed bytes read for one image: all layers, and the
    /// second reads of some (files reached through links, packaged files
    /// left unhashed), zero blocks included.
    pub max_image_bytes: u64,
    /// Most bytes of 512-byte blocks of zeros that the compressed layers of
    /// one image may expand to. The ratio guard leaves such blocks out, so
    /// that sparse files pass (the `lastlog` that `useradd` makes for a
    /// large uid compresses a thousandfold and more); this bounds what they
    /// cost instead. A layer stored uncompressed is read at the cost of its
    /// own size and is not counted.
    pub max_zero_bytes: u64,
    /// Most uncompressed bytes that are not zeros per compressed byte, once
    /// past `ratio_floor` of them.
    pub max_ratio: u64,
    pub ratio_floor: u64,
    /// Most entries in one image, all layers together (a layer listed
    /// twice counts twice: each listing is applied).
    pub max_entries: u64,
    /// Most times one manifest may list the same blob. Every distinct blob
    /// is read once however often it is listed; this bounds the listings
    /// applied (no runtime stacks more than about 128 layers).
    pub max_blob_listings: usize,
    /// Largest package database or lockfile kept in memory.
    pub max_capture: u64,
    /// Most package-database bytes kept in memory for one image, all layers
    /// together (each layer's copies are held until the layers are merged).
    pub max_capture_total: u64,
    /// Largest binary or archive read whole for embedded metadata.
    pub max_inspect: u64,
    /// Wall-clock time the reading of one image may take (Trivy's default
    /// `--timeout` is the same five minutes).
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_layer_bytes: 32 << 30,
            max_image_bytes: 64 << 30,
            max_zero_bytes: 4 << 30,
            max_ratio: 200,
            ratio_floor: 64 << 20,
            max_entries: 5_000_000,
            max_blob_listings: 128,
            max_capture: 64 << 20,
            max_capture_total: 128 << 20,
            max_inspect: 32 << 20,
            timeout: Duration::from_secs(300),
        }
    }
}

/// What one image's scan may still spend, shared by the layers read in
/// parallel: package-database bytes kept, uncompressed bytes read, zero
/// blocks inflated, entries, and time.
#[derive(Debug)]
pub struct Budget {
    limits: Limits,
    capture_left: AtomicU64,
    bytes_left: AtomicU64,
    zeros_left: AtomicU64,
    entries_left: AtomicU64,
    deadline: Option<Instant>,
}

/// Takes `n` from `left`, or says there were fewer.
fn spend(left: &AtomicU64, n: u64) -> bool {
    left.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |l| l.checked_sub(n))
        .is_ok()
}

impl Budget {
    /// The budget of one image, its clock started now.
    pub fn new(limits: &Limits) -> Budget {
        Budget {
            limits: *limits,
            capture_left: AtomicU64::new(limits.max_capture_total),
            bytes_left: AtomicU64::new(limits.max_image_bytes),
            zeros_left: AtomicU64::new(limits.max_zero_bytes),
            entries_left: AtomicU64::new(limits.max_entries),
            deadline: Instant::now().checked_add(limits.timeout),
        }
    }

    /// Takes `bytes` for the package database file at `path`, or fails
    /// when too few are left.
    fn capture(&self, bytes: u64, path: &str) -> Result<(), LayerError> {
        if spend(&self.capture_left, bytes) {
            Ok(())
        } else {
            Err(LayerError::CaptureBudget(
                self.limits.max_capture_total,
                path.to_owned(),
            ))
        }
    }

    /// Takes `n` entries (of a layer read, or of a listing applied again).
    pub fn entries(&self, n: u64) -> Result<(), LayerError> {
        if spend(&self.entries_left, n) {
            Ok(())
        } else {
            Err(LayerError::TooManyEntries(self.limits.max_entries))
        }
    }

    /// Takes `bytes` read, `zeros` of them in zero blocks of a compressed
    /// layer, and checks the clock.
    fn read(&self, bytes: u64, zeros: u64) -> Result<(), LayerError> {
        if !spend(&self.bytes_left, bytes) {
            return Err(LayerError::ImageTooLarge(self.limits.max_image_bytes));
        }
        if zeros > 0 && !spend(&self.zeros_left, zeros) {
            return Err(LayerError::Bomb(format!(
                "more than {} bytes of zero blocks from compressed layers (sparse files this large are not scanned)",
                self.limits.max_zero_bytes
            )));
        }
        if self.deadline.is_some_and(|d| Instant::now() > d) {
            return Err(LayerError::TimedOut(self.limits.timeout));
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LayerError {
    #[error("{0}")]
    Tar(#[from] tar::TarError),
    #[error("corrupt {format} data: {message}")]
    Compression {
        format: &'static str,
        message: String,
    },
    #[error("decompression bomb: {0}")]
    Bomb(String),
    #[error("entry `{path}` {why}")]
    Escape { path: String, why: &'static str },
    #[error("hard link `{path}` points at `{target}`, which the image does not hold")]
    MissingLinkTarget { path: String, target: String },
    #[error(
        "package database files add up to more than {0} bytes (at `{1}`); kubeward keeps them in memory and does not read further"
    )]
    CaptureBudget(u64, String),
    #[error("more than {0} entries in the image")]
    TooManyEntries(u64),
    #[error("the image expands to more than {0} bytes (all layers and reads together)")]
    ImageTooLarge(u64),
    #[error("reading the image took longer than its time budget of {} s", .0.as_secs())]
    TimedOut(Duration),
    /// The content is not what its digest names (the blob, or a docker
    /// archive layer's uncompressed tar).
    #[error("{0}")]
    Digest(String),
    #[error("{0}")]
    Io(String),
}

/// What kind of file-system object an entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Directory,
    Symlink,
    HardLink,
    Device,
    Fifo,
}

/// One file-system object as a layer sets it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Normalised relative path (`usr/bin/env`).
    pub path: String,
    pub kind: EntryKind,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub size: u64,
    /// Symlink target as written, or the normalised hard-link target.
    pub link: Option<String>,
    /// MD5 of a regular file's content (what dpkg records).
    pub md5: Option<[u8; 16]>,
    /// Starts with the ELF magic.
    pub elf: bool,
}

/// One change a layer makes, in archive order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Entry(Entry),
    /// `.wh.NAME`: deletes `path` (and what is under it) from lower layers.
    Whiteout(String),
    /// `.wh..wh..opq`: hides everything lower layers put under `path`.
    Opaque(String),
}

/// What a layer holds, as far as kubeward cares.
#[derive(Clone, Debug, Default)]
pub struct LayerSummary {
    pub changes: Vec<Change>,
    /// Package database files kept whole: (path, content).
    pub captured: Vec<(String, Arc<Vec<u8>>)>,
    /// Language packages found in files of this layer: (path, packages).
    pub packages: Vec<(String, Vec<Package>)>,
    /// Things that could not be read, said once each.
    pub notes: Vec<String>,
    /// Uncompressed bytes read.
    pub bytes: u64,
}

/// Counts bytes flowing through a reader.
struct Counted<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Where a layer stream keeps the limit it broke: the error reaches the
/// reader's caller as an `io::Error` (through the tar reader, as text), and
/// is told from this instead.
type Broken = Rc<Cell<Option<LayerError>>>;

/// Enforces the bomb limits and the image's budget on the decompressed
/// stream, and checks its digest at the end where one is expected.
struct Guarded<'b, R> {
    inner: R,
    compressed: Rc<Cell<u64>>,
    out: u64,
    /// Of `out`, what lies outside blocks of zeros.
    not_zero: u64,
    limits: Limits,
    budget: &'b Budget,
    format: &'static str,
    diff_id: Option<DigestCheck>,
    broken: Broken,
}

impl<R> Guarded<'_, R> {
    fn check(&mut self, data: &[u8]) -> Result<(), LayerError> {
        self.out += data.len() as u64;
        if self.out > self.limits.max_layer_bytes {
            return Err(LayerError::Bomb(format!(
                "more than {} uncompressed bytes",
                self.limits.max_layer_bytes
            )));
        }
        let mut zeros = 0;
        if self.format != "tar" {
            let not_zero = not_zero_bytes(data);
            zeros = data.len() as u64 - not_zero;
            self.not_zero += not_zero;
            if self.not_zero > self.limits.ratio_floor {
                let compressed = self.compressed.get().max(1);
                if self.not_zero / compressed > self.limits.max_ratio {
                    return Err(LayerError::Bomb(format!(
                        "{} bytes that are not zeros from {compressed} compressed (ratio above {}:1)",
                        self.not_zero, self.limits.max_ratio
                    )));
                }
            }
        }
        self.budget.read(data.len() as u64, zeros)
    }
}

impl<R: Read> Read for Guarded<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf).map_err(|e| {
            if mismatch_in(&e).is_some() {
                return e;
            }
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("corrupt {} data: {e}", self.format),
            )
        })?;
        if let Some(check) = &mut self.diff_id {
            if n == 0 && !buf.is_empty() {
                check.verify()?;
            }
            check.update(&buf[..n]);
        }
        if let Err(e) = self.check(&buf[..n]) {
            let text = e.to_string();
            self.broken.set(Some(e));
            return Err(io::Error::other(text));
        }
        Ok(n)
    }
}

/// The bytes of `data` outside 512-byte blocks (a tar block) of zeros.
fn not_zero_bytes(data: &[u8]) -> u64 {
    data.chunks(512)
        .filter(|block| block.iter().any(|&b| b != 0))
        .map(|block| block.len() as u64)
        .sum()
}

/// Turns a tar path into a normalised relative path; refuses escapes.
pub fn normalize(raw: &[u8]) -> Result<Option<String>, LayerError> {
    let text = String::from_utf8_lossy(raw);
    if text.starts_with('/') {
        return Err(LayerError::Escape {
            path: text.into_owned(),
            why: "is an absolute path",
        });
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in text.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                return Err(LayerError::Escape {
                    path: text.into_owned(),
                    why: "climbs out of the image root with `..`",
                });
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        return Ok(None);
    }
    Ok(Some(parts.join("/")))
}

const WHITEOUT: &str = ".wh.";
const OPAQUE: &str = ".wh..wh..opq";

fn io_error(e: io::Error) -> LayerError {
    if let Some(mismatch) = mismatch_in(&e) {
        return LayerError::Digest(mismatch.to_string());
    }
    let text = e.to_string();
    if let Some(rest) = text.strip_prefix("corrupt ") {
        let (format, message) = rest.split_once(" data: ").unwrap_or(("layer", rest));
        LayerError::Compression {
            format: match format {
                "gzip" => "gzip",
                "zstd" => "zstd",
                _ => "layer",
            },
            message: message.to_owned(),
        }
    } else if e.kind() == io::ErrorKind::UnexpectedEof {
        LayerError::Tar(tar::TarError::Truncated)
    } else {
        LayerError::Io(text)
    }
}

/// The tar stream inside a layer blob, decompressed (gzip, zstd or none, told
/// by the magic bytes) under the bomb limits and the image's budget.
type LayerTar<'a> = TarReader<BufReader<Guarded<'a, Box<dyn Read + 'a>>>>;

/// A layer's tar stream, and where it keeps the limit it broke.
struct Stream<'a> {
    tar: LayerTar<'a>,
    broken: Broken,
    /// The blob is the tar itself, uncompressed.
    plain: bool,
}

impl Stream<'_> {
    /// `error`, or the limit behind it when the stream broke one.
    fn explain(&self, error: LayerError) -> LayerError {
        self.broken.take().unwrap_or(error)
    }

    /// Reads what follows the end marker, so that a corrupt stream tail or
    /// a blob that does not match its digest (checked at its end) is
    /// noticed.
    fn drain(self) -> Result<(), LayerError> {
        let broken = self.broken;
        io::copy(&mut self.tar.into_inner(), &mut io::sink())
            .map_err(|e| broken.take().unwrap_or_else(|| io_error(e)))?;
        Ok(())
    }
}

fn open_tar<'a>(
    blob: impl Read + 'a,
    limits: &Limits,
    budget: &'a Budget,
    diff_id: Option<DigestCheck>,
) -> Result<Stream<'a>, LayerError> {
    let compressed = Rc::new(Cell::new(0u64));
    let counted = Counted {
        inner: blob,
        count: compressed.clone(),
    };
    let mut buffered = BufReader::with_capacity(256 << 10, counted);
    let magic = buffered.fill_buf().map_err(io_error)?.to_vec();
    let (stream, format): (Box<dyn Read + 'a>, &'static str) = if magic.starts_with(&[0x1f, 0x8b]) {
        (
            Box::new(flate2::bufread::MultiGzDecoder::new(buffered)),
            "gzip",
        )
    } else if magic.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        let decoder = zstd::stream::read::Decoder::with_buffer(buffered).map_err(|e| {
            LayerError::Compression {
                format: "zstd",
                message: e.to_string(),
            }
        })?;
        (Box::new(decoder), "zstd")
    } else {
        (Box::new(buffered), "tar")
    };
    let broken = Broken::default();
    let guarded = Guarded {
        inner: stream,
        compressed,
        out: 0,
        not_zero: 0,
        limits: *limits,
        budget,
        format,
        diff_id,
        broken: broken.clone(),
    };
    Ok(Stream {
        tar: TarReader::new(BufReader::with_capacity(256 << 10, guarded)),
        broken,
        plain: format == "tar",
    })
}

/// The next header of a layer's tar, with stream errors told apart.
fn next_header<R: Read>(reader: &mut TarReader<R>) -> Result<Option<tar::Header>, LayerError> {
    match reader.next() {
        Ok(h) => Ok(h),
        Err(tar::TarError::Io(text)) => Err(io_error(io::Error::other(text))),
        Err(e) => Err(e.into()),
    }
}

/// Reads one layer blob (compressed or not) into a summary. With `hash`,
/// regular files' MD5 sums are computed as they stream by (large ones
/// aside, see `read_entries`); without, none is (the caller asks
/// [`hash_files`] later for the few it needs). With `diff_id`, the
/// uncompressed tar must have that digest: a mismatch fails the layer once
/// the stream ends, so that nothing read from it is used. What it reads and
/// keeps is charged to the image's `budget`.
pub fn read_layer(
    blob: impl Read,
    limits: &Limits,
    hash: bool,
    diff_id: Option<DigestCheck>,
    budget: &Budget,
) -> Result<LayerSummary, LayerError> {
    let mut stream = open_tar(blob, limits, budget, diff_id)?;
    let mut summary = LayerSummary::default();
    let shared = hashing::Shared::default();
    let (sums, arrived) = mpsc::channel();
    rayon::in_place_scope(|scope| {
        let mut batcher = hash.then(|| Batcher::new(scope, &shared, sums));
        read_entries(
            &mut stream.tar,
            limits,
            budget,
            stream.plain,
            batcher.as_mut(),
            &mut summary,
        )?;
        if let Some(batcher) = &mut batcher {
            batcher.flush();
        }
        Ok::<_, LayerError>(())
    })
    .map_err(|e| stream.explain(e))?;
    for (index, md5) in arrived.try_iter() {
        if let Some(Change::Entry(entry)) = summary.changes.get_mut(index) {
            entry.md5 = Some(md5);
        }
    }
    summary.bytes = stream.tar.offset();
    stream.drain()?;
    Ok(summary)
}

/// How one file's MD5 is being computed.
enum FileHash<'h, 'a, 'scope> {
    Off,
    Streaming(Md5),
    /// Packed into a batch, hashed on the pool.
    Batched(&'h mut Batcher<'a, 'scope>),
}

impl FileHash<'_, '_, '_> {
    fn update(&mut self, data: &[u8]) {
        match self {
            FileHash::Streaming(hasher) => hasher.update(data),
            FileHash::Batched(batcher) => batcher.push(data),
            FileHash::Off => {}
        }
    }

    /// Sets the entry's sum, or has the batch it is in deliver it for the
    /// change at `index`.
    fn end(self, entry: &mut Entry, index: usize) {
        match self {
            FileHash::Streaming(hasher) => entry.md5 = Some(hasher.finalize().into()),
            FileHash::Batched(batcher) => batcher.end(index),
            FileHash::Off => {}
        }
    }
}

/// A file's content as read, passed through its hash on the way. A failure
/// of the layer stream itself is kept, so that it ends the layer's reading
/// as it would anywhere else, rather than be taken for a bad archive.
struct HashedRead<'r, 'h, 'a, 'scope, R> {
    reader: &'r mut TarReader<R>,
    hashing: &'r mut FileHash<'h, 'a, 'scope>,
    failed: Option<io::Error>,
}

impl<R: Read> Read for HashedRead<'_, '_, '_, '_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.failed.is_some() {
            return Err(io::Error::other("the layer could not be read"));
        }
        match self.reader.read(buf) {
            Ok(n) => {
                self.hashing.update(&buf[..n]);
                Ok(n)
            }
            Err(e) => {
                self.failed = Some(e);
                Err(io::Error::other("the layer could not be read"))
            }
        }
    }
}

/// The largest file hashed as it streams by on a layer's first read.
const STREAM_HASH_MAX: u64 = 64 << 20;

/// The entries of a layer's tar, in order, into `summary`. Where `hasher`
/// asks for MD5 sums, a file too large for a batch is hashed alone on the
/// reading thread, which the rest of the layer then waits for; most such
/// files belong to no package (apt lists, cached `.deb`s, data), and the
/// scan hashes the packaged ones it finds unhashed with a second read of
/// their layer. So a file too large for a batch is left unhashed where that
/// read is cheap (a `plain`, uncompressed layer), and one past
/// [`STREAM_HASH_MAX`] everywhere (its read is the large part of the cost).
fn read_entries<R: Read>(
    reader: &mut TarReader<R>,
    limits: &Limits,
    budget: &Budget,
    plain: bool,
    mut hasher: Option<&mut Batcher<'_, '_>>,
    summary: &mut LayerSummary,
) -> Result<(), LayerError> {
    // Entries are charged to the image's budget a thousand at a time.
    const ENTRY_BATCH: u64 = 1024;
    let mut buf: Vec<u8> = Vec::new();
    let mut entries: u64 = 0;
    while let Some(header) = next_header(reader)? {
        entries += 1;
        if entries == ENTRY_BATCH {
            budget.entries(entries)?;
            entries = 0;
        }
        let Some(path) = normalize(&header.path)? else {
            continue;
        };
        let (dir, name) = match path.rsplit_once('/') {
            Some((d, n)) => (d, n),
            None => ("", path.as_str()),
        };
        if name == OPAQUE {
            summary.changes.push(Change::Opaque(dir.to_owned()));
            continue;
        }
        if let Some(hidden) = name.strip_prefix(WHITEOUT) {
            let target = if dir.is_empty() {
                hidden.to_owned()
            } else {
                format!("{dir}/{hidden}")
            };
            summary.changes.push(Change::Whiteout(target));
            continue;
        }
        let kind = match header.kind {
            tar::Kind::File | tar::Kind::Other(_) => EntryKind::File,
            tar::Kind::Directory => EntryKind::Directory,
            tar::Kind::Symlink => EntryKind::Symlink,
            tar::Kind::HardLink => EntryKind::HardLink,
            tar::Kind::CharDevice | tar::Kind::BlockDevice => EntryKind::Device,
            tar::Kind::Fifo => EntryKind::Fifo,
        };
        let link = match kind {
            EntryKind::Symlink => Some(String::from_utf8_lossy(&header.link).into_owned()),
            EntryKind::HardLink => match normalize(&header.link)? {
                Some(target) => Some(target),
                None => {
                    return Err(LayerError::Escape {
                        path,
                        why: "is a hard link to the image root",
                    });
                }
            },
            _ => None,
        };
        let mut entry = Entry {
            path,
            kind,
            mode: header.mode,
            uid: u32::try_from(header.uid).unwrap_or(u32::MAX),
            gid: u32::try_from(header.gid).unwrap_or(u32::MAX),
            size: header.size,
            link,
            md5: None,
            elf: false,
        };
        if kind == EntryKind::File {
            let hashing = match hasher.as_deref_mut() {
                None => FileHash::Off,
                Some(batcher) => match usize::try_from(entry.size) {
                    Ok(size) if size <= BATCH_BYTES => {
                        batcher.start(size);
                        FileHash::Batched(batcher)
                    }
                    _ if entry.size > STREAM_HASH_MAX || plain => FileHash::Off,
                    _ => FileHash::Streaming(Md5::new()),
                },
            };
            read_file(
                reader, &mut entry, &mut buf, limits, budget, hashing, summary,
            )?;
        }
        summary.changes.push(Change::Entry(entry));
    }
    budget.entries(entries)
}

/// Reads each regular file of a layer whose path is in `wanted` with
/// `read`. The whole stream is read: when a path repeats, the last copy is
/// what the image holds, so stopping at the first would let a decoy pass
/// for it.
fn read_wanted<T>(
    blob: impl Read,
    limits: &Limits,
    budget: &Budget,
    wanted: &HashSet<String>,
    mut read: impl FnMut(&mut LayerTar<'_>, &str, u64) -> Result<T, LayerError>,
) -> Result<HashMap<String, T>, LayerError> {
    let mut stream = open_tar(blob, limits, budget, None)?;
    let mut found = HashMap::with_capacity(wanted.len());
    let mut next = |reader: &mut LayerTar<'_>| -> Result<bool, LayerError> {
        let Some(header) = next_header(reader)? else {
            return Ok(false);
        };
        if !matches!(header.kind, tar::Kind::File | tar::Kind::Other(_)) {
            return Ok(true);
        }
        let Some(path) = normalize(&header.path)? else {
            return Ok(true);
        };
        if wanted.contains(&path) {
            let value = read(reader, &path, header.size)?;
            found.insert(path, value);
        }
        Ok(true)
    };
    loop {
        match next(&mut stream.tar) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(stream.explain(e)),
        }
    }
    stream.drain()?;
    Ok(found)
}

/// The MD5 of each regular file of a layer whose path is in `wanted`.
pub fn hash_files(
    blob: impl Read,
    limits: &Limits,
    budget: &Budget,
    wanted: &HashSet<String>,
) -> Result<HashMap<String, [u8; 16]>, LayerError> {
    let mut chunk = vec![0u8; 64 << 10];
    read_wanted(blob, limits, budget, wanted, |reader, _, _| {
        let mut hasher = Md5::new();
        loop {
            let n = reader.read(&mut chunk).map_err(io_error)?;
            if n == 0 {
                break;
            }
            hasher.update(&chunk[..n]);
        }
        Ok(hasher.finalize().into())
    })
}

/// The content of each regular file of a layer whose path is in `wanted`
/// (package databases reached through links), each at most
/// `limits.max_capture` bytes (a larger one is left out) and all charged to
/// `budget`.
pub fn capture_files(
    blob: impl Read,
    limits: &Limits,
    budget: &Budget,
    wanted: &HashSet<String>,
) -> Result<HashMap<String, Vec<u8>>, LayerError> {
    let found = read_wanted(blob, limits, budget, wanted, |reader, path, size| {
        if size > limits.max_capture {
            return Ok(None);
        }
        budget.capture(size, path)?;
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        reader.read_to_end(&mut bytes).map_err(io_error)?;
        Ok(Some(bytes))
    })?;
    Ok(found
        .into_iter()
        .filter_map(|(path, bytes)| Some((path, bytes?)))
        .collect())
}

/// Streams one regular file: hashes it as `hashing` says, and keeps or
/// inspects what inventory wants.
fn read_file<R: Read>(
    reader: &mut TarReader<R>,
    entry: &mut Entry,
    buf: &mut Vec<u8>,
    limits: &Limits,
    budget: &Budget,
    mut hashing: FileHash,
    summary: &mut LayerSummary,
) -> Result<(), LayerError> {
    let interest = inventory::interest(&entry.path);
    // The entry is pushed right after this returns, at this index.
    let index = summary.changes.len();
    if interest == Interest::Archive && entry.size > limits.max_inspect {
        let mut hashed = HashedRead {
            reader,
            hashing: &mut hashing,
            failed: None,
        };
        let (found, stopped) = inventory::java::archive_stream(&entry.path, &mut hashed, 0);
        if let Some(e) = hashed.failed {
            return Err(io_error(e));
        }
        io::copy(&mut hashed, &mut io::sink()).map_err(io_error)?;
        hashing.end(entry, index);
        if !found.is_empty() {
            summary.packages.push((entry.path.clone(), found));
        }
        summary.notes.extend(stopped);
        return Ok(());
    }
    let mut chunk = [0u8; 16 << 10];
    buf.clear();
    // A database file is charged in full before it is read (its size is in
    // the header), and held in a buffer of exactly that size, so what is
    // kept never passes the budget, even for a moment.
    if interest == Interest::Capture && entry.size <= limits.max_capture {
        budget.capture(entry.size, &entry.path)?;
        *buf = Vec::with_capacity(usize::try_from(entry.size).unwrap_or(0));
    }
    let keep_limit = match interest {
        Interest::Capture => limits.max_capture,
        Interest::Parse(_) | Interest::Archive => limits.max_inspect,
        Interest::None => 0,
    };
    let mut first = true;
    let mut inspect_binary = false;
    let mut scanner = inventory::gobin::StreamScanner::default();
    loop {
        let n = reader.read(&mut chunk).map_err(io_error)?;
        if n == 0 {
            break;
        }
        let data = &chunk[..n];
        hashing.update(data);
        if first {
            entry.elf = data.starts_with(b"\x7fELF");
            inspect_binary = entry.elf && entry.size <= limits.max_inspect;
            first = false;
        }
        if keep_limit > 0 || inspect_binary {
            if (buf.len() + n) as u64 <= keep_limit.max(limits.max_inspect) {
                buf.extend_from_slice(data);
            }
        } else if entry.elf {
            scanner.feed(data);
        }
    }
    hashing.end(entry, index);
    let complete = buf.len() as u64 == entry.size;
    match interest {
        Interest::Capture if complete => {
            summary
                .captured
                .push((entry.path.clone(), Arc::new(std::mem::take(buf))));
        }
        Interest::Capture => summary.notes.push(format!(
            "{}: larger than {} bytes; not read",
            entry.path, limits.max_capture
        )),
        Interest::Parse(parser) if complete => {
            let found = inventory::parse(parser, &entry.path, buf);
            if !found.is_empty() {
                summary.packages.push((entry.path.clone(), found));
            }
        }
        Interest::Archive if complete => {
            let found = inventory::java::archive(&entry.path, buf, 0);
            if !found.is_empty() {
                summary.packages.push((entry.path.clone(), found));
            }
        }
        Interest::Parse(_) | Interest::Archive => summary.notes.push(format!(
            "{}: larger than {} bytes; not inspected",
            entry.path, limits.max_inspect
        )),
        Interest::None => {}
    }
    if entry.elf {
        let found = if inspect_binary && complete {
            inventory::binary(&entry.path, buf)
        } else {
            scanner.finish(&entry.path)
        };
        if !found.packages.is_empty() {
            summary.packages.push((entry.path.clone(), found.packages));
        }
        summary.notes.extend(found.note);
    }
    Ok(())
}
