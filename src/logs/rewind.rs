//! Reading stdin and named pipes a second time.
//!
//! Interleaved input is read again holding conversations open (SPEC section 3). A file can simply
//! be opened again; stdin and a named pipe cannot, so while they are read the first time every
//! byte taken from them is also copied to a temporary file, next to where records spill. When
//! the input turns out to be interleaved, the second pass reads that copy and then the rest of
//! the stream, which nobody has read yet: no `--interleaved` needed in advance, and grouped input
//! still streams with flat memory (the copy is on disk, not in memory). The copy is below any
//! buffering and decompression, so the second pass decodes the same bytes the first did.
//!
//! The copy is only needed if the input comes back interleaved; when it cannot be written (a full
//! disk), copying stops, and only a second pass reports the error, naming the directory.

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, Write};
use std::rc::Rc;

use crate::error::Error;
use crate::logs::input::{self, Input};
use crate::logs::spill::{Hold, temp::SpillDir};

/// The stream of one input that cannot be opened twice, shared by the reader of each pass.
struct Stream {
    raw: Box<dyn Read>,
    /// Where the bytes read are copied, while they may be needed again.
    copy: Option<BufWriter<File>>,
}

/// Copies of the inputs of one run that cannot be read twice.
pub struct Rewind {
    hold: Hold,
    /// Per input: its stream, once opened.
    streams: Vec<Option<Rc<RefCell<Stream>>>>,
    /// The copies, once one is made: the directory, and why it could not be made or written.
    dir: Option<Result<SpillDir, io::Error>>,
    failed: Option<io::Error>,
    /// Set once the input is being read the second time: streams are then read without copying.
    again: bool,
    /// The copies to read first in the second pass, by input.
    copies: Vec<Option<File>>,
}

/// Reads a shared stream, copying what it reads while the copy is kept.
struct Tee(Rc<RefCell<Stream>>);

impl Read for Tee {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut s = self.0.borrow_mut();
        let n = s.raw.read(buf)?;
        if let Some(copy) = &mut s.copy
            && copy.write_all(&buf[..n]).is_err()
        {
            // Noticed when the copy is needed: `Rewind::rewind` finds it missing.
            s.copy = None;
        }
        Ok(n)
    }
}

impl Rewind {
    pub fn new(inputs: &[Input], hold: &Hold) -> Rewind {
        Rewind {
            hold: hold.clone(),
            streams: inputs.iter().map(|_| None).collect(),
            dir: None,
            failed: None,
            again: false,
            copies: inputs.iter().map(|_| None).collect(),
        }
    }

    /// Opens input `i` for a pass, decompressed as [`input::open`] does.
    pub fn open(&mut self, i: usize, inp: &Input) -> Result<Box<dyn std::io::BufRead>, Error> {
        if inp.rereadable() {
            return input::open(inp);
        }
        if let (Some(stream), true) = (self.streams[i].clone(), self.again) {
            // The bytes the first pass read, then the rest of the stream.
            let copy: Box<dyn Read> = match self.copies[i].take() {
                Some(f) => Box::new(f),
                None => Box::new(io::empty()),
            };
            return input::wrap(inp, Box::new(copy.chain(Tee(stream))));
        }
        let raw = input::open_raw(inp)?;
        let copy = if self.again { None } else { self.copy_file(i) };
        let stream = Rc::new(RefCell::new(Stream { raw, copy }));
        self.streams[i] = Some(Rc::clone(&stream));
        input::wrap(inp, Box::new(Tee(stream)))
    }

    /// A new file for the copy of input `i`, or `None` (and the reason kept) when it cannot be made.
    fn copy_file(&mut self, i: usize) -> Option<BufWriter<File>> {
        let hold = &self.hold;
        let dir = self
            .dir
            .get_or_insert_with(|| SpillDir::new(&hold.parent()));
        let made = match dir {
            Ok(d) => File::create_new(d.path().join(format!("input-{i}"))),
            Err(e) => Err(io::Error::new(e.kind(), e.to_string())),
        };
        match made {
            Ok(f) => Some(BufWriter::with_capacity(256 * 1024, f)),
            Err(e) => {
                self.failed.get_or_insert(e);
                None
            }
        }
    }

    /// Makes the next pass read every stream from its start: its copy, then the rest. Fails, naming
    /// the directory, when a stream read so far has no complete copy.
    pub fn rewind(&mut self) -> Result<(), Error> {
        let parent = self.hold.parent().display().to_string();
        let error = |source| Error::TempFiles {
            dir: parent.clone(),
            source,
        };
        for (i, stream) in self.streams.iter().enumerate() {
            let Some(stream) = stream else { continue };
            let mut s = stream.borrow_mut();
            let Some(copy) = s.copy.take() else {
                let why = self.failed.take().unwrap_or_else(|| {
                    io::Error::other("the copy of the input could not be written")
                });
                return Err(error(why));
            };
            let mut file = copy
                .into_inner()
                .map_err(io::IntoInnerError::into_error)
                .map_err(error)?;
            file.rewind().map_err(error)?;
            self.copies[i] = Some(file);
        }
        self.again = true;
        Ok(())
    }
}
