//! Where the parallel path's chunks come from: a regular file is mapped into memory one window at
//! a time; stdin, pipes and gzip files are read into pooled buffers.
//!
//! Mapping spares the kernel's copy of every byte into a buffer (`BENCHMARKS.md` has the system
//! times of both on a 1 GB CSV replay). The file is mapped in windows, not whole: a mapped page counts in the
//! process's resident memory while it stays mapped, and each window is unmapped as soon as its
//! chunk is replayed, so memory stays flat whatever the file's size. Windows start where the last
//! chunk was cut, so that a record that crosses a window's end is mapped again with the next one
//! instead of being copied.
//!
//! The mapping reads the file as it was when it was opened: bytes appended later are not read.
//! A file that another program shortens while it is being replayed ends the process with a bus
//! error, as it does every program that maps its input; `--no-mmap` reads files into
//! buffers instead.

use std::fs::File;
use std::io::{self, Read};
use std::ops::Deref;
use std::sync::mpsc;

use crate::error::Error;
use crate::logs::input::{self, Input};

/// A chunk's bytes: read into a buffer, or a mapped window.
pub enum Bytes {
    Owned(Vec<u8>),
    /// A window of the file and how many of its bytes the chunk holds.
    Mapped(memmap2::Mmap, usize),
}

impl Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Owned(v) => v,
            Bytes::Mapped(m, len) => m.get(..*len).unwrap_or_default(),
        }
    }
}

impl Bytes {
    /// Keeps the first `n` bytes.
    fn truncate(&mut self, n: usize) {
        match self {
            Bytes::Owned(v) => v.truncate(n),
            Bytes::Mapped(_, len) => *len = n.min(*len),
        }
    }

    /// The buffer to give back to the pool, when the bytes were read into one.
    pub fn into_buffer(self) -> Option<Vec<u8>> {
        match self {
            Bytes::Owned(v) => Some(v),
            Bytes::Mapped(..) => None,
        }
    }
}

/// One input's bytes, taken window by window.
pub enum Feed<'p> {
    Map {
        file: File,
        /// The file's size when it was opened.
        len: u64,
        /// Where the next window starts.
        at: u64,
    },
    Read {
        reader: Box<dyn Read>,
        /// Bytes read but not taken yet: the start of the next window.
        carry: Vec<u8>,
        /// Buffers of replayed chunks, to read into again.
        pool: &'p mpsc::Receiver<Vec<u8>>,
    },
}

impl<'p> Feed<'p> {
    /// Maps `input` when it is a non-empty regular file and `mmap` allows it, reads it otherwise.
    pub fn open(
        input: &Input,
        pool: &'p mpsc::Receiver<Vec<u8>>,
        mmap: bool,
    ) -> Result<Feed<'p>, Error> {
        let reader: Box<dyn Read> = match input.plain_file().filter(|_| mmap) {
            Some(path) => {
                let read_error = |source| Error::Read {
                    path: input.name.clone(),
                    source,
                };
                let file = File::open(path).map_err(read_error)?;
                let meta = file.metadata().map_err(read_error)?;
                if meta.is_file() && meta.len() > 0 {
                    return Ok(Feed::Map {
                        file,
                        len: meta.len(),
                        at: 0,
                    });
                }
                // A named pipe or an empty file is read from the handle already open: opening a
                // pipe a second time would wait for a second writer.
                Box::new(file)
            }
            None => input::open_blocks(input)?,
        };
        Ok(Feed::Read {
            reader,
            carry: Vec::new(),
            pool,
        })
    }

    /// The bytes from the first one not taken yet: `want` of them, or all that are left when that
    /// is fewer (or all that an earlier window gave, when that was more), and whether they reach
    /// the end of the input.
    pub fn window(&mut self, want: usize) -> io::Result<(Bytes, bool)> {
        match self {
            Feed::Map { file, len, at } => {
                let left = *len - *at;
                let n = usize::try_from(left).map_or(want, |left| left.min(want));
                let at_end = n as u64 == left;
                if n == 0 {
                    return Ok((Bytes::Owned(Vec::new()), true));
                }
                let map = map(file, *at, n)?;
                Ok((Bytes::Mapped(map, n), at_end))
            }
            Feed::Read {
                reader,
                carry,
                pool,
            } => {
                let mut buf = pool.try_recv().unwrap_or_default();
                buf.clear();
                buf.append(carry);
                let need = want.saturating_sub(buf.len());
                let start = buf.len();
                buf.reserve(need);
                // `read_to_end` reads into the spare capacity without zeroing it first (and, from a
                // file, without a copy through a buffer).
                reader.take(need as u64).read_to_end(&mut buf)?;
                let at_end = buf.len() < start + need;
                Ok((Bytes::Owned(buf), at_end))
            }
        }
    }

    /// Takes the first `end` bytes of `bytes` (the last window), which keeps only those: the next
    /// window starts after them.
    pub fn take(&mut self, bytes: &mut Bytes, end: usize) {
        let end = end.min(bytes.len());
        match self {
            Feed::Map { at, .. } => *at += end as u64,
            Feed::Read { carry, .. } => carry.extend_from_slice(&bytes[end..]),
        }
        bytes.truncate(end);
    }

    /// Takes none of the last window: the next one starts at the same byte (and is asked to be
    /// longer).
    pub fn again(&mut self, bytes: Bytes) {
        if let (Feed::Read { carry, .. }, Bytes::Owned(buf)) = (self, bytes) {
            *carry = buf;
        }
    }
}

/// Maps `len` bytes of `file` from `offset`, read-only.
fn map(file: &File, offset: u64, len: usize) -> io::Result<memmap2::Mmap> {
    // SAFETY: the mapping is read-only, and only bytes that the file held when it was opened are
    // mapped. What `Mmap` cannot rule out is another program changing or shortening the file
    // meanwhile; the module header says what then happens and how to read without mapping.
    let map = unsafe {
        memmap2::MmapOptions::new()
            .offset(offset)
            .len(len)
            .map(file)?
    };
    // The chunk is read once from start to end: read ahead of it, and drop pages behind it.
    let _ = map.advise(memmap2::Advice::Sequential);
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The windows a feed gives when, each time, `steps` says how many bytes to ask for and how
    /// many of them to take (none: ask again for more).
    /// After taking none, the next window asked for is longer, as the reader asks for; after
    /// taking some, it is at least what was left.
    fn windows(mut feed: Feed<'_>, steps: &[(usize, usize)]) -> Vec<(Vec<u8>, bool)> {
        let mut seen = Vec::new();
        let mut floor = 0;
        for &(want, take) in steps {
            let (mut bytes, at_end) = feed.window(want.max(floor)).expect("reads");
            seen.push((bytes.to_vec(), at_end));
            if take == 0 {
                floor = bytes.len() + 1;
                feed.again(bytes);
            } else {
                // What is left of a window is given again whole.
                floor = bytes.len().saturating_sub(take);
                feed.take(&mut bytes, take);
                seen.push((bytes.to_vec(), at_end));
            }
        }
        seen
    }

    proptest! {
        /// A mapped file and the same file read into buffers give the same windows.
        #[test]
        fn mapped_and_read_windows_agree(
            content in proptest::collection::vec(any::<u8>(), 1..300),
            steps in proptest::collection::vec((1usize..64, 0usize..64), 1..20),
        ) {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("log.jsonl");
            std::fs::write(&path, &content).expect("writes");
            let (_tx, pool) = mpsc::channel();
            let mapped = Feed::Map {
                file: File::open(&path).expect("opens"),
                len: content.len() as u64,
                at: 0,
            };
            let read = Feed::Read {
                reader: Box::new(File::open(&path).expect("opens")),
                carry: Vec::new(),
                pool: &pool,
            };
            let (mapped, read) = (windows(mapped, &steps), windows(read, &steps));
            // The same bytes. A mapped file knows its size, so it can tell the end sooner: a
            // window that reaches it exactly ends a mapped file, a read input only when the next
            // window comes back short.
            for ((m, m_end), (r, r_end)) in mapped.iter().zip(&read) {
                prop_assert_eq!(m, r);
                prop_assert!(*m_end || !*r_end);
            }
            prop_assert_eq!(mapped.len(), read.len());
        }
    }
}
