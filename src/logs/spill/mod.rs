//! Holding is bounded (SPEC section 3): records of open conversations past `--memory` go to
//! temporary files, partitioned by conversation id, and come back one partition at a time.
//!
//! The holding grouper counts what it holds ([`footprint`]). When that outgrows the budget, every
//! record it holds, and every record read after, is written to one of [`FANOUT`] partition files
//! chosen by the conversation id's fingerprint, so that all records of a conversation meet in one
//! file, in file order. At the end of input each partition is read back, grouped and handed on
//! like a conversation held in memory; a partition that would itself outgrow the budget is split
//! again by the next bits of the fingerprint (up to [`LEVELS`] times: a single conversation is
//! never split, so one larger than the budget is held whole). Conversations come out partition
//! by partition rather than in the order of their first record; every fold merges in any order,
//! so reports are byte-identical to a run held in memory.
//!
//! The files live in a directory of their own under `--temp-dir` (default the system's), removed
//! however the run ends ([`temp`]).

pub mod codec;
pub mod size;
pub mod temp;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::logs::group::{Open, fingerprint, footprint};
use crate::logs::record::Message;

/// `--memory`'s default: 256 MiB.
pub const DEFAULT_MEMORY: u64 = 256 << 20;

/// Partitions a spill is split into, at each level: a power of two, so that each level takes the
/// next bits of the fingerprint.
pub const FANOUT: usize = 64;
const BITS: u32 = FANOUT.trailing_zeros();
/// How many times a partition may be split again: 64⁴ partitions of 256 MiB hold more than any
/// disk.
pub const LEVELS: u32 = 4;

/// Bytes buffered per open partition file before they are written.
const BUFFER: usize = 64 * 1024;

/// How much open conversations may hold, and where spilled records go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    /// Bytes (as [`footprint`] counts them) held before records spill.
    pub memory: u64,
    /// `--temp-dir`: where spill files go; `None` for the system's temporary directory.
    pub temp_dir: Option<PathBuf>,
}

impl Default for Hold {
    fn default() -> Hold {
        Hold {
            memory: DEFAULT_MEMORY,
            temp_dir: None,
        }
    }
}

impl Hold {
    /// The directory spill directories are made in.
    pub fn parent(&self) -> PathBuf {
        self.temp_dir.clone().unwrap_or_else(std::env::temp_dir)
    }
}

/// One partition file being written.
struct Part {
    path: PathBuf,
    out: BufWriter<File>,
    /// The [`footprint`] of its records: what reading it back will hold.
    held: u64,
}

/// The partitions of one level: the spill's first split, or a partition split again.
struct Level {
    level: u32,
    /// The file name every partition's name starts with.
    prefix: String,
    parts: Vec<Option<Part>>,
}

/// A partition written and closed, to be read back.
struct Written {
    path: PathBuf,
    level: u32,
    held: u64,
}

/// Spilled records: a directory of partition files.
pub struct Spill {
    dir: temp::SpillDir,
    /// The directory as the user named it (or the system's), for errors.
    parent: String,
    top: Level,
    /// Scratch for encoding one record.
    buf: Vec<u8>,
    /// Records pushed so far: the next one's key. Records of a partition are written and read in
    /// the order pushed, so the key only keeps the format one for every writer.
    pushed: u64,
}

impl Spill {
    /// A new, empty spill in a fresh directory under `hold`'s.
    pub fn new(hold: &Hold) -> Result<Spill, Error> {
        let parent = hold.parent();
        let name = parent.display().to_string();
        let dir = temp::SpillDir::new(&parent).map_err(|source| Error::TempFiles {
            dir: name.clone(),
            source,
        })?;
        Ok(Spill {
            dir,
            parent: name,
            top: Level::new(0, "p".into()),
            buf: Vec::new(),
            pushed: 0,
        })
    }

    /// The directory the files are in.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    fn error(&self, source: io::Error) -> Error {
        Error::TempFiles {
            dir: self.parent.clone(),
            source,
        }
    }

    /// Writes one record to its conversation's partition.
    pub fn push(&mut self, m: &Message<'_>) -> Result<(), Error> {
        self.buf.clear();
        codec::encode(m, self.pushed, &mut self.buf);
        self.pushed += 1;
        let fp = fingerprint(&m.conversation_id);
        let held = footprint(m);
        let (dir, buf) = (self.dir.path(), &self.buf);
        self.top
            .write(dir, fp, held, buf)
            .map_err(|source| Error::TempFiles {
                dir: self.parent.clone(),
                source,
            })
    }

    /// Reads every partition back, one at a time, and hands each of its conversations (records in
    /// file order, conversations in the order of their first record within the partition) to
    /// `each`. A partition that would hold more than `budget` is split again first. The files
    /// are removed as they are read, and the directory when the spill is dropped.
    pub fn drain(
        mut self,
        budget: u64,
        each: &mut dyn FnMut(Open<'static>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let top = std::mem::replace(&mut self.top, Level::new(0, String::new()));
        let mut queue = top.close().map_err(|e| self.error(e))?;
        // Depth first, so that at most one level of partition files is being written at a time.
        queue.reverse();
        while let Some(part) = queue.pop() {
            if part.held > budget && part.level + 1 < LEVELS {
                let mut split = self.split(&part).map_err(|e| self.error(e))?;
                split.reverse();
                queue.append(&mut split);
                continue;
            }
            let conversations = self.load(&part)?;
            for open in conversations {
                each(open)?;
            }
        }
        Ok(())
    }

    /// Splits a partition by the next bits of the fingerprint into partitions of the next level.
    fn split(&mut self, part: &Written) -> io::Result<Vec<Written>> {
        let name = part
            .path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let mut next = Level::new(part.level + 1, format!("{name}-"));
        // A partition split is larger than the budget: it is mapped, not read into memory, so
        // that its pages are the file's, which the kernel can drop once they are read.
        let file = File::open(&part.path)?;
        if file.metadata()?.len() > 0 {
            let map = map(&file)?;
            let mut bytes = &map[..];
            while let Some((key, m)) = codec::decode(&mut bytes)? {
                self.buf.clear();
                codec::encode(&m, key, &mut self.buf);
                next.write(
                    self.dir.path(),
                    fingerprint(&m.conversation_id),
                    footprint(&m),
                    &self.buf,
                )?;
            }
        }
        std::fs::remove_file(&part.path)?;
        next.close()
    }

    /// One partition's conversations, read back into memory; its file is removed.
    fn load(&self, part: &Written) -> Result<Vec<Open<'static>>, Error> {
        let read = || -> io::Result<Vec<Open<'static>>> {
            let bytes = std::fs::read(&part.path)?;
            std::fs::remove_file(&part.path)?;
            let mut grouper = crate::logs::group::Grouper::holding();
            let mut rest = &bytes[..];
            while let Some((_, m)) = codec::decode(&mut rest)? {
                grouper.push(m.into_owned());
            }
            Ok(grouper.finish())
        };
        read().map_err(|e| self.error(e))
    }
}

/// Maps a spill file, read-only.
pub fn map(file: &File) -> io::Result<memmap2::Mmap> {
    // SAFETY: the file is one of this run's own spill files, in a directory only this process
    // writes to, and it is no longer written: nothing changes or shortens it while it is mapped.
    let map = unsafe { memmap2::Mmap::map(file)? };
    let _ = map.advise(memmap2::Advice::Sequential);
    Ok(map)
}

impl Level {
    fn new(level: u32, prefix: String) -> Level {
        Level {
            level,
            prefix,
            parts: (0..FANOUT).map(|_| None).collect(),
        }
    }

    /// Appends an encoded record to the partition of fingerprint `fp`, opening its file on first
    /// use.
    fn write(&mut self, dir: &Path, fp: u64, held: u64, encoded: &[u8]) -> io::Result<()> {
        let slot = ((fp >> (BITS * self.level)) as usize) & (FANOUT - 1);
        let part = match &mut self.parts[slot] {
            Some(p) => p,
            empty => {
                let path = dir.join(format!("{}{slot:02}", self.prefix));
                let file = File::create_new(&path)?;
                empty.insert(Part {
                    path,
                    out: BufWriter::with_capacity(BUFFER, file),
                    held: 0,
                })
            }
        };
        part.held += held;
        part.out.write_all(encoded)
    }

    /// Flushes and closes every partition file: the partitions written, in order.
    fn close(self) -> io::Result<Vec<Written>> {
        let level = self.level;
        let mut written = Vec::new();
        for part in self.parts.into_iter().flatten() {
            let mut file = part
                .out
                .into_inner()
                .map_err(io::IntoInnerError::into_error)?;
            file.flush()?;
            written.push(Written {
                path: part.path,
                level,
                held: part.held,
            });
        }
        Ok(written)
    }
}
