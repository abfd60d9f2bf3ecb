//! A section's bytes as LZ4 frames of whole items, about [`CHUNK`] each, read back one frame at a
//! time through one small buffer: a restore never holds a whole section decompressed (378 MB at a
//! million dialogs, all of it fresh memory for the kernel to zero, P7). A frame is its compressed
//! length (u32, little-endian) and an LZ4 block with its decompressed size first. The previous
//! container (`chatdRM\x01`) had one block per section and no length: it reads as one frame.

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
        out.extend_from_slice(&block);
        start = end;
    }
    out
}

/// Where a section's frames come from: bytes in memory, or its span of the snapshot file, read
/// at offsets a frame at a time (so a restore holds no copy of the file either), its CRC-32
/// checked when the last frame has been read.
pub enum Frames<'a> {
    Bytes(&'a [u8]),
    File {
        file: &'a std::fs::File,
        at: u64,
        end: u64,
        crc: crc32fast::Hasher,
        expected: u32,
        block: Vec<u8>,
    },
}

impl<'a> Frames<'a> {
    pub fn file(file: &'a std::fs::File, at: u64, len: u64, expected: u32) -> Self {
        Frames::File {
            file,
            at,
            end: at + len,
            crc: crc32fast::Hasher::new(),
            expected,
            block: Vec::new(),
        }
    }

    /// The next frame's block (its decompressed size first); `None` after the last.
    fn next_block(&mut self, whole: bool) -> Result<Option<&[u8]>, Unreadable> {
        match self {
            Frames::Bytes(rest) => {
                if rest.is_empty() {
                    return Ok(None);
                }
                if whole {
                    return Ok(Some(std::mem::take(rest)));
                }
                let len = rest
                    .get(..4)
                    .map(|s| u32::from_le_bytes(s.try_into().expect("4 bytes")) as usize)
                    .ok_or(Unreadable::Damaged("a frame without its length"))?;
                let frame = rest
                    .get(4..4 + len)
                    .ok_or(Unreadable::Damaged("a frame beyond its section"))?;
                *rest = &rest[4 + len..];
                Ok(Some(frame))
            }
            Frames::File {
                file,
                at,
                end,
                crc,
                block,
                ..
            } => {
                if *at == *end {
                    return Ok(None);
                }
                let left = *end - *at;
                let mut read = |len: u64, into: &mut Vec<u8>| {
                    if len > *end - *at {
                        return Err(Unreadable::Damaged("a frame beyond its section"));
                    }
                    into.resize(len as usize, 0);
                    std::os::unix::fs::FileExt::read_exact_at(*file, into, *at)
                        .map_err(|_| Unreadable::Damaged("a section cannot be read"))?;
                    crc.update(into);
                    *at += len;
                    Ok(())
                };
                let len = if whole {
                    left
                } else {
                    let mut prefix = Vec::with_capacity(4);
                    read(4, &mut prefix)?;
                    u32::from_le_bytes(prefix[..4].try_into().expect("4 bytes")) as u64
                };
                read(len, block)?;
                Ok(Some(block))
            }
        }
    }

    /// Compressed bytes not read yet.
    fn left(&self) -> u64 {
        match self {
            Frames::Bytes(rest) => rest.len() as u64,
            Frames::File { at, end, .. } => end - at,
        }
    }

    /// Every frame read: whether the bytes were the ones written.
    fn intact(&self) -> bool {
        match self {
            Frames::Bytes(rest) => rest.is_empty(),
            Frames::File {
                at,
                end,
                crc,
                expected,
                ..
            } => at == end && crc.clone().finalize() == *expected,
        }
    }
}

/// A section's items, decoded frame by frame.
pub struct Chunked<'a> {
    frames: Frames<'a>,
    /// The previous container: the whole section is one block.
    whole: bool,
    buf: Vec<u8>,
    at: usize,
    end: usize,
}

impl<'a> Chunked<'a> {
    pub fn new(frames: Frames<'a>, whole: bool) -> Self {
        Chunked {
            frames,
            whole,
            buf: Vec::new(),
            at: 0,
            end: 0,
        }
    }

    /// Decompress the next frame into the buffer; `false` when there is none.
    fn next_frame(&mut self) -> Result<bool, Unreadable> {
        let Some(block) = self.frames.next_block(self.whole)? else {
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

    pub fn done(&mut self) -> Result<(), Unreadable> {
        if self.at != self.end || self.frames.next_block(self.whole)?.is_some() {
            return Err(Unreadable::Damaged("bytes after the last item"));
        }
        match self.frames.intact() {
            true => Ok(()),
            false => Err(Unreadable::Damaged("a section's checksum differs")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            let mut r = Chunked::new(Frames::Bytes(section), is_whole);
            let back: Vec<(u64, String)> = r.seq().unwrap();
            assert_eq!(back, items);
            r.done().unwrap();
        }
        let mut short = Chunked::new(Frames::Bytes(&framed[..framed.len() - 3]), false);
        assert!(short.seq::<(u64, String)>().is_err());
        let mut longer = framed.clone();
        longer.extend(pack(b"\x01", &Cuts::default()));
        let mut r = Chunked::new(Frames::Bytes(&longer), false);
        r.seq::<(u64, String)>().unwrap();
        assert!(r.done().is_err(), "a frame after the last item");
    }
}
