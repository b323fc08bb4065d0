//! MD5 of small files off the reading thread. One layer is one thread's
//! stream and MD5 is most of a scan's time, so the reader packs small files
//! into batches of a mebibyte and the rayon pool hashes them while the
//! stream goes on. Memory stays bounded: at most `MAX_IN_FLIGHT` batches
//! wait; past that the reader hashes the batch itself, and spent batches are
//! reused rather than freed.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError, mpsc};

use md5::{Digest, Md5};

/// Bytes in one batch; also the largest file a batch takes.
pub(crate) const BATCH_BYTES: usize = 1 << 20;
const MAX_IN_FLIGHT: usize = 4;

/// File contents packed end to end, with where each ends.
#[derive(Default)]
struct Batch {
    bytes: Vec<u8>,
    /// (change index, end offset in `bytes`)
    files: Vec<(usize, usize)>,
}

/// What the reader and the hashing jobs of one layer share.
#[derive(Default)]
pub(crate) struct Shared {
    in_flight: AtomicUsize,
    spare: Mutex<Vec<Batch>>,
}

impl Shared {
    fn recycle(&self, mut batch: Batch) {
        batch.bytes.clear();
        batch.files.clear();
        self.spare
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(batch);
    }

    fn take(&self) -> Batch {
        self.spare
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
            .unwrap_or_else(|| Batch {
                bytes: Vec::with_capacity(BATCH_BYTES),
                files: Vec::new(),
            })
    }
}

/// Packs files into batches and hands full ones to the pool; each sum comes
/// back on `sums` with the index of its file's change.
pub(crate) struct Batcher<'a, 'scope> {
    scope: &'a rayon::Scope<'scope>,
    shared: &'scope Shared,
    sums: mpsc::Sender<(usize, [u8; 16])>,
    batch: Batch,
}

impl<'a, 'scope> Batcher<'a, 'scope> {
    pub(crate) fn new(
        scope: &'a rayon::Scope<'scope>,
        shared: &'scope Shared,
        sums: mpsc::Sender<(usize, [u8; 16])>,
    ) -> Self {
        let batch = shared.take();
        Batcher {
            scope,
            shared,
            sums,
            batch,
        }
    }

    /// Makes room for a file of `size` bytes (at most [`BATCH_BYTES`]).
    pub(crate) fn start(&mut self, size: usize) {
        if self.batch.bytes.len() + size > BATCH_BYTES {
            self.flush();
        }
    }

    pub(crate) fn push(&mut self, data: &[u8]) {
        self.batch.bytes.extend_from_slice(data);
    }

    /// Closes the file begun by the last `start`.
    pub(crate) fn end(&mut self, index: usize) {
        self.batch.files.push((index, self.batch.bytes.len()));
    }

    /// Sends the current batch to be hashed.
    pub(crate) fn flush(&mut self) {
        if self.batch.files.is_empty() {
            return;
        }
        let full = std::mem::replace(&mut self.batch, self.shared.take());
        if self.shared.in_flight.fetch_add(1, Ordering::Relaxed) >= MAX_IN_FLIGHT {
            self.shared.in_flight.fetch_sub(1, Ordering::Relaxed);
            hash(full, &self.sums, self.shared);
            return;
        }
        let sums = self.sums.clone();
        let shared = self.shared;
        self.scope.spawn(move |_| {
            hash(full, &sums, shared);
            shared.in_flight.fetch_sub(1, Ordering::Relaxed);
        });
    }
}

fn hash(batch: Batch, sums: &mpsc::Sender<(usize, [u8; 16])>, shared: &Shared) {
    let mut start = 0;
    for &(index, end) in &batch.files {
        // The receiver outlives every job (it is read after the scope ends).
        let _ = sums.send((index, Md5::digest(&batch.bytes[start..end]).into()));
        start = end;
    }
    shared.recycle(batch);
}
