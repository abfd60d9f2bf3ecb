//! A section's bytes as LZ4 frames of whole items, about [`CHUNK`] each, read back one frame at a
//! time through one small buffer: a restore never holds a whole section decompressed (378 MB at a
//! million dialogs, all of it fresh memory for the kernel to zero, P7). A frame is its compressed
//! length and the block's CRC-32 (u32s, little-endian), then an LZ4 block with its decompressed
//! size first: a block is checked before it is decoded, so damaged bytes never reach a decoder.
//! The previous container (`chatdRM\x01`) had one block per section and no frame header: it
//! reads as one frame, checked against the section's CRC-32 from the file's header.

use super::binary::Unreadable;
use serde::de::DeserializeOwned;

/// Bytes of encoded items after which a frame ends (at the next item's start).
pub const CHUNK: usize = 1 << 20;

/// Where the frames of an encoded section end: after the first item that reaches [`CHUNK`]
/// bytes past the last cut.
#[derive(Default)]
pub struct Cuts(Vec<usize>);

impl Cuts {
    /// Note the end of an item at `len` bytes.
    pub fn item_ends(&mut self, len: usize) {
        if len - self.0.last().copied().unwrap_or(0) >= CHUNK {
            self.0.push(len);
        }
    }
}

/// `raw` as frames cut at `cuts` (and at its end).
pub fn pack(raw: &[u8], cuts: &Cuts) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len() / 2);
    let mut start = 0;
    for end in cuts.0.iter().copied().chain([raw.len()]) {
        if end <= start {
            continue;
        }
        let block = lz4_flex::compress_prepend_size(&raw[start..end]);
        out.extend_from_slice(&(block.len() as u32).to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(&block).to_le_bytes());
        out.extend_from_slice(&block);
        start = end;
    }
    out
}

/// Bytes at an offset: the snapshot file, read where a frame is (so a restore holds no copy of
/// it), or a copy of it in memory (tests, the bench).
pub trait Source: Sync {
    fn read_at(&self, into: &mut [u8], at: u64) -> std::io::Result<()>;
}

impl Source for &[u8] {
    fn read_at(&self, into: &mut [u8], at: u64) -> std::io::Result<()> {
        let bytes = usize::try_from(at)
            .ok()
            .and_then(|at| self.get(at..at.checked_add(into.len())?))
            .ok_or(std::io::ErrorKind::UnexpectedEof)?;
        into.copy_from_slice(bytes);
        Ok(())
    }
}

impl Source for std::fs::File {
    fn read_at(&self, into: &mut [u8], at: u64) -> std::io::Result<()> {
        std::os::unix::fs::FileExt::read_exact_at(self, into, at)
    }
}

/// A section's frames, read one at a time from its span of the source.
pub struct Frames<'a> {
    src: &'a dyn Source,
    at: u64,
    end: u64,
    /// The previous container: the whole section is one block, checked against `crc`.
    whole: bool,
    crc: u32,
    block: Vec<u8>,
}

impl<'a> Frames<'a> {
    pub fn new(src: &'a dyn Source, at: u64, len: u64, crc: u32, whole: bool) -> Self {
        Frames {
            src,
            at,
            end: at + len,
            whole,
            crc,
            block: Vec::new(),
        }
    }

    /// The next `len` bytes of the section into `into`.
    fn read(&mut self, into: &mut Vec<u8>, len: u64) -> Result<(), Unreadable> {
        if len > self.left() {
            return Err(Unreadable::Damaged("a frame beyond its section"));
        }
        into.resize(len as usize, 0);
        self.src
            .read_at(into, self.at)
            .map_err(|_| Unreadable::Damaged("a section cannot be read"))?;
        self.at += len;
        Ok(())
    }

    /// The next frame's block (its decompressed size first), its checksum checked; `None`
    /// after the last.
    fn next_block(&mut self) -> Result<Option<&[u8]>, Unreadable> {
        if self.left() == 0 {
            return Ok(None);
        }
        let mut block = std::mem::take(&mut self.block);
        let crc = if self.whole {
            self.read(&mut block, self.left())?;
            self.crc
        } else {
            self.read(&mut block, 8)?;
            let word = |k: usize| u32::from_le_bytes(block[k..k + 4].try_into().expect("4 bytes"));
            let (len, crc) = (word(0), word(4));
            self.read(&mut block, u64::from(len))?;
            crc
        };
        if crc32fast::hash(&block) != crc {
            return Err(Unreadable::Damaged("a section's checksum differs"));
        }
        self.block = block;
        Ok(Some(&self.block))
    }

    /// Compressed bytes not read yet.
    fn left(&self) -> u64 {
        self.end - self.at
    }
}

/// A section's items, decoded frame by frame.
pub struct Chunked<'a> {
    frames: Frames<'a>,
    buf: Vec<u8>,
    at: usize,
    end: usize,
}

impl<'a> Chunked<'a> {
    pub fn new(frames: Frames<'a>) -> Self {
        Chunked {
            frames,
            buf: Vec::new(),
            at: 0,
            end: 0,
        }
    }

    /// Decompress the next frame into the buffer; `false` when there is none.
    fn next_frame(&mut self) -> Result<bool, Unreadable> {
        let Some(block) = self.frames.next_block()? else {
            return Ok(false);
        };
        let (size, body) = block
            .split_first_chunk::<4>()
            .map(|(s, body)| (u32::from_le_bytes(*s) as usize, body))
            .ok_or(Unreadable::Damaged("a frame without its size"))?;
        // LZ4 expands at most 255 to 1: a larger size is damage, not memory to give.
        if size > block.len().saturating_mul(255) {
            return Err(Unreadable::Damaged("a frame larger than LZ4 allows"));
        }
        if self.buf.len() < size {
            self.buf.resize(size, 0);
        }
        let written = lz4_flex::decompress_into(body, &mut self.buf[..size])
            .map_err(|_| Unreadable::Damaged("a frame does not decompress"))?;
        if written != size {
            return Err(Unreadable::Damaged("a frame shorter than its size"));
        }
        (self.at, self.end) = (0, size);
        Ok(true)
    }

    pub fn take<T: DeserializeOwned>(&mut self) -> Result<T, Unreadable> {
        while self.at == self.end {
            if !self.next_frame()? {
                return Err(Unreadable::Damaged("an item past the section's end"));
            }
        }
        let (v, rest) = postcard::take_from_bytes(&self.buf[self.at..self.end])
            .map_err(|_| Unreadable::Damaged("an item does not decode"))?;
        self.at = self.end - rest.len();
        Ok(v)
    }

    /// A sequence's items, handed one by one to `each`.
    pub fn each<T: DeserializeOwned>(&mut self, each: impl FnMut(T)) -> Result<(), Unreadable> {
        let n = self.count()?;
        self.items(n, each)
    }

    /// How many items a sequence has.
    pub fn count(&mut self) -> Result<usize, Unreadable> {
        let n: u64 = self.take()?;
        // Each item takes at least a byte, and LZ4 expands at most 255 to 1: a count beyond
        // what is left is damage, not a reason to reserve memory.
        let left = (self.end - self.at) as u64 + self.frames.left().saturating_mul(255);
        if n > left {
            return Err(Unreadable::Damaged("a count beyond the section"));
        }
        Ok(n as usize)
    }

    pub fn items<T: DeserializeOwned>(
        &mut self,
        n: usize,
        mut each: impl FnMut(T),
    ) -> Result<(), Unreadable> {
        for _ in 0..n {
            each(self.take()?);
        }
        Ok(())
    }

    pub fn seq<T: DeserializeOwned>(&mut self) -> Result<Vec<T>, Unreadable> {
        let mut all = Vec::new();
        self.each(|t| all.push(t))?;
        Ok(all)
    }

    pub fn done(&self) -> Result<(), Unreadable> {
        match self.at == self.end && self.frames.left() == 0 {
            true => Ok(()),
            false => Err(Unreadable::Damaged("bytes after the last item")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Item = (u64, String);

    /// A section's items, read to its end (the section's checksum is the one of `bytes`).
    fn decoded(bytes: &[u8], whole: bool) -> Result<Vec<Item>, Unreadable> {
        let len = bytes.len() as u64;
        let mut r = Chunked::new(Frames::new(&bytes, 0, len, crc32fast::hash(bytes), whole));
        let items = r.seq()?;
        r.done()?;
        Ok(items)
    }

    /// Items cut into frames read back the same as from one whole block (the previous
    /// container), across many frames, and a frame cut short is damage.
    #[test]
    fn items_read_back_the_same_from_frames_and_from_one_whole_block() {
        let items: Vec<(u64, String)> = (0..60_000u64)
            .map(|i| (i, format!("item {i} {}", "x".repeat((i % 50) as usize))))
            .collect();
        let mut raw = Vec::new();
        let mut cuts = Cuts::default();
        raw.extend(postcard::to_stdvec(&(items.len() as u64)).unwrap());
        for item in &items {
            raw.extend(postcard::to_stdvec(item).unwrap());
            cuts.item_ends(raw.len());
        }
        assert!(cuts.0.len() >= 2, "several frames: {}", cuts.0.len());
        let framed = pack(&raw, &cuts);
        let whole = lz4_flex::compress_prepend_size(&raw);
        for (section, is_whole) in [(&framed, false), (&whole, true)] {
            assert_eq!(decoded(section, is_whole).as_ref(), Ok(&items));
        }
        assert!(decoded(&framed[..framed.len() - 3], false).is_err());
        // A byte changed in a later frame's block: refused by its checksum, not decoded.
        let mut bad = framed.clone();
        let at = bad.len() - 20;
        bad[at] ^= 0x5a;
        assert_eq!(
            decoded(&bad, false),
            Err(Unreadable::Damaged("a section's checksum differs"))
        );
        let mut longer = framed.clone();
        longer.extend(pack(b"\x01", &Cuts::default()));
        assert_eq!(
            decoded(&longer, false),
            Err(Unreadable::Damaged("bytes after the last item")),
            "a frame after the last item"
        );
    }
}
