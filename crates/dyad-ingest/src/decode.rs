//! Bytes → text: BOMs, UTF-16, a declared Latin-1/Windows-1252 charset, lossy UTF-8,
//! and the binary-file check that runs before any reader sees the input.

/// How much of the input the binary check samples: enough to catch NULs and control
/// bytes in a file's header without scanning a 50 MiB file twice.
const SAMPLE: usize = 8192;

/// The text of an input plus what decoding had to repair.
#[derive(Debug, Default)]
pub(crate) struct Decoded {
    pub text: String,
    /// Byte offsets in the *input* of invalid UTF-8 sequences (at most [`MAX_REPAIRS`]).
    pub invalid_at: Vec<usize>,
    /// Offsets in `text` where the U+FFFD for each entry of `invalid_at` was written.
    pub replaced_at: Vec<usize>,
    /// Total number of invalid sequences (may exceed `invalid_at.len()`).
    pub invalid_count: usize,
    /// A non-UTF-8 decoding that was chosen (UTF-16, Windows-1252), for a warning.
    pub note: Option<String>,
}

/// Enough positions to name in warnings; a file with more is reported by count.
const MAX_REPAIRS: usize = 1000;

impl Decoded {
    /// Warnings for the whole input.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(note) = &self.note {
            out.push(note.clone());
        }
        if let Some(first) = self.invalid_at.first() {
            out.push(lossy_message(*first, self.invalid_count));
        }
        out
    }

    /// Warnings for the part of `text` in `range` (a JSONL line): only the repairs inside it.
    pub fn warnings_in(&self, range: std::ops::Range<usize>) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(note) = &self.note {
            out.push(note.clone());
        }
        let start = self.replaced_at.partition_point(|&o| o < range.start);
        let end = self.replaced_at.partition_point(|&o| o < range.end);
        if start < end {
            out.push(lossy_message(self.invalid_at[start], end - start));
        }
        out
    }
}

fn lossy_message(first: usize, count: usize) -> String {
    if count > 1 {
        format!("invalid UTF-8 at byte {first} ({count} places in all) replaced with U+FFFD")
    } else {
        format!("invalid UTF-8 at byte {first} replaced with U+FFFD")
    }
}

/// Why an input is not text.
pub(crate) fn binary_reason(bytes: &[u8]) -> Option<String> {
    if utf16_bom(bytes).is_some() {
        return None;
    }
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    if let Some(pos) = memchr::memchr(0, sample) {
        return Some(format!("binary data (NUL byte at offset {pos})"));
    }
    // Control bytes other than the whitespace ones (and ESC, FF, which old wire texts use).
    let controls = sample
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)) || b == 0x7f)
        .count();
    if !sample.is_empty() && controls * 10 > sample.len() {
        return Some(format!(
            "binary data ({controls} control bytes in the first {} bytes)",
            sample.len()
        ));
    }
    // Mostly undecodable bytes: an image or archive without NULs in its header.
    let mut invalid = 0usize;
    for chunk in sample.utf8_chunks() {
        invalid += chunk.invalid().len();
    }
    // A sample cut inside a multi-byte character leaves up to 3 bytes "invalid".
    if sample.len() >= 64 && invalid.saturating_sub(3) * 4 > sample.len() {
        return Some(format!(
            "binary data ({invalid} undecodable bytes in the first {} bytes)",
            sample.len()
        ));
    }
    None
}

fn utf16_bom(bytes: &[u8]) -> Option<bool> {
    match bytes {
        [0xFF, 0xFE, ..] => Some(true),
        [0xFE, 0xFF, ..] => Some(false),
        _ => None,
    }
}

/// Decode `bytes` to text. Never fails: invalid sequences become U+FFFD and are recorded.
pub(crate) fn decode(bytes: &[u8]) -> Decoded {
    if let Some(little) = utf16_bom(bytes) {
        return decode_utf16(&bytes[2..], little);
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let offset = bytes.len() - body.len();
    if let Ok(s) = std::str::from_utf8(body) {
        return Decoded {
            text: s.to_string(),
            ..Default::default()
        };
    }
    if let Some(charset) = declared_single_byte_charset(body) {
        return Decoded {
            text: decode_cp1252(body),
            note: Some(format!(
                "not valid UTF-8; decoded as Windows-1252 (declared charset {charset})"
            )),
            ..Default::default()
        };
    }
    let mut out = Decoded {
        text: String::with_capacity(body.len() + 16),
        ..Default::default()
    };
    let mut pos = offset;
    for chunk in body.utf8_chunks() {
        out.text.push_str(chunk.valid());
        pos += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            if out.invalid_at.len() < MAX_REPAIRS {
                out.invalid_at.push(pos);
                out.replaced_at.push(out.text.len());
            }
            out.invalid_count += 1;
            out.text.push('\u{FFFD}');
            pos += chunk.invalid().len();
        }
    }
    out
}

fn decode_utf16(body: &[u8], little: bool) -> Decoded {
    let units = body.chunks_exact(2).map(|p| {
        if little {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    let mut out = Decoded {
        text: String::with_capacity(body.len() / 2 + 16),
        note: Some(format!(
            "decoded as UTF-16{} (byte-order mark)",
            if little { "LE" } else { "BE" }
        )),
        ..Default::default()
    };
    let mut unit_index = 0usize;
    for r in char::decode_utf16(units) {
        match r {
            Ok(c) => {
                out.text.push(c);
                unit_index += c.len_utf16();
            }
            Err(_) => {
                if out.invalid_at.len() < MAX_REPAIRS {
                    out.invalid_at.push(2 + unit_index * 2);
                    out.replaced_at.push(out.text.len());
                }
                out.invalid_count += 1;
                out.text.push('\u{FFFD}');
                unit_index += 1;
            }
        }
    }
    if body.len() % 2 == 1 {
        out.invalid_count += 1;
        out.invalid_at.push(1 + body.len());
        out.replaced_at.push(out.text.len());
        out.text.push('\u{FFFD}');
    }
    // Unpaired surrogates are reported like invalid UTF-8 bytes, with UTF-16 offsets.
    out
}

/// A Latin-1/Windows-1252 charset declared in an HTML `<meta charset>` or an XML
/// declaration near the top of the input.
fn declared_single_byte_charset(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(2048)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    for key in ["charset=", "encoding="] {
        let mut from = 0;
        while let Some(i) = head[from..].find(key) {
            let rest = head[from + i + key.len()..].trim_start_matches(['"', '\'', ' ']);
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            match name.as_str() {
                "iso-8859-1" | "iso8859-1" | "latin1" | "latin-1" | "l1" => {
                    return Some("ISO-8859-1")
                }
                "windows-1252" | "cp1252" | "x-cp1252" => return Some("windows-1252"),
                "us-ascii" | "ascii" => return Some("us-ascii"),
                _ => {}
            }
            from += i + key.len();
        }
    }
    None
}

/// Windows-1252 is a superset of the printable ISO-8859-1, so one table serves both.
fn decode_cp1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => HIGH[(b - 0x80) as usize],
            _ => b as char,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_is_stripped() {
        let d = decode(b"\xEF\xBB\xBFHello");
        assert_eq!(d.text, "Hello");
        assert!(d.warnings().is_empty());
    }

    #[test]
    fn utf16_boms_decode() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Kyiv talks".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Kyiv talks".encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        assert_eq!(decode(&le).text, "Kyiv talks");
        assert_eq!(decode(&be).text, "Kyiv talks");
        assert!(binary_reason(&le).is_none());
    }

    #[test]
    fn invalid_utf8_is_replaced_and_located() {
        let d = decode(b"Caf\xE9 talks \xFF end");
        assert_eq!(d.text, "Caf\u{FFFD} talks \u{FFFD} end");
        assert_eq!(d.invalid_at, vec![3, 11]);
        let w = d.warnings();
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("byte 3"), "{w:?}");
        assert!(w[0].contains("2 places"), "{w:?}");
        let line = d.warnings_in(8..d.text.len());
        assert!(line[0].contains("byte 11"), "{line:?}");
    }

    #[test]
    fn declared_latin1_is_used() {
        let d = decode(b"<meta charset=\"iso-8859-1\"><p>Caf\xE9 \x93quoted\x94</p>");
        assert!(d.text.contains("Café “quoted”"), "{}", d.text);
        assert!(d.warnings()[0].contains("Windows-1252"));
    }

    #[test]
    fn binary_detection() {
        assert!(binary_reason(b"PK\x03\x04\x00\x00zip").is_some());
        assert!(binary_reason(&[0x01u8; 200]).is_some());
        assert!(binary_reason(b"Plain news text.\n").is_none());
        let mut latin = b"Caf\xE9 ".repeat(40);
        latin.extend_from_slice(b"and more words in English to make it prose");
        assert!(binary_reason(&latin).is_none());
    }
}
