//! dyad-ingest: turn news inputs into [`dyad_core::Document`]s.
//!
//! Readers decode, extract text and metadata; they do **not** clean shortcodes,
//! datelines or credits (the `dyad-clean` stage works on `raw_text`).
//!
//! ```text
//! pub fn discover(paths: &[PathBuf], opts: &ReadOptions) -> (Vec<PathBuf>, Vec<IngestError>)
//! pub fn sniff(name: &str, bytes: &[u8]) -> Option<InputFormat>
//! pub fn read_path(path: &Path, opts: &ReadOptions) -> Vec<Result<Document, IngestError>>
//! pub fn read_bytes(name: &str, bytes: &[u8], opts: &ReadOptions) -> Vec<Result<Document, IngestError>>
//! pub fn read_paths(paths: &[PathBuf], opts: &ReadOptions) -> Vec<Result<Document, IngestError>>
//! pub fn parse_format(s: &str) -> Result<Option<InputFormat>, IngestError> // "auto" → None
//! pub fn parse_date(s: &str) -> Option<chrono::NaiveDate>
//! ```
//!
//! CLI wiring: `--format auto|text|html|jsonl|rss|atom|petrarch` → [`parse_format`] →
//! `ReadOptions::format`; `--max-bytes N` → `ReadOptions::max_bytes` (default
//! [`ReadOptions::DEFAULT_MAX_BYTES`]); `--jsonl-id/-text/-html/-date/-url/-title/
//! -publisher/-authors/-category/-parse NAME` → the fields of [`JsonlFields`].
//! For many files: `discover` once, then `read_path` per file (in parallel if wanted);
//! results keep input order within a file.
//!
//! Formats: plain text, HTML pages (main-text extraction + metadata), JSON Lines
//! (also a JSON array or one object), RSS 2.0/1.0, Atom, PETRARCH `<Sentence>` XML.
//! `-` is stdin. Directories are walked recursively in sorted order.
//!
//! Every Document has `origin` (path; line = JSONL line or 1-based item/record number;
//! format; source id), `raw_text`, `meta`, `date` (day precision, source `Metadata`)
//! when a metadata date parses, warnings for repairs, and its id assigned last.
//! Each file is independent: callers may read files in parallel.
//!
//! Errors never abort a file's other records: a bad JSONL line, a record without
//! text, or an XML fault after some items yields an `Err` next to the good documents.
//!
//! Field mapping beyond the obvious:
//! - JSONL: fields not named in [`JsonlFields`] go to `meta.extra` (strings as they
//!   are, other values as compact JSON); `conllu`/`ptb_parse` also fill `given_parse`;
//!   a numeric date is Unix seconds (or milliseconds).
//! - RSS/Atom: body = content:encoded > content > description > summary (HTML
//!   extracted); guid/id → source id; link → url and canonical url; channel/feed
//!   title → publisher; feed author when the entry has none; title used as text
//!   (with a warning) when an item has no body.
//! - PETRARCH: id → source id; date → published; category; `<Parse>` verbatim →
//!   `given_parse`; other `<Sentence>` attributes → `extra`; EventCodings with codes →
//!   `extra["expected_events"]` (JSON array of attribute objects); `noevents`/`error`
//!   → `extra`. An empty `<Text>` is rebuilt from the parse's words (with a warning).
//! - HTML: `<figure>`/`.wp-caption` captions → `meta.captions`; `url` = canonical.

mod date;
mod decode;
mod feed;
mod html;
mod jsonl;
mod petrarch;
mod textutil;

use std::io::Read;
use std::path::{Path, PathBuf};

use dyad_core::{Document, InputFormat, Origin};

pub use date::parse_date;

/// Field names of a JSON Lines record (`--jsonl-<field> NAME`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonlFields {
    pub id: String,
    /// Plain body text (preferred when present).
    pub text: String,
    /// HTML body, run through the HTML extractor when `text` is absent.
    pub html: String,
    pub date: String,
    pub url: String,
    pub title: String,
    pub publisher: String,
    /// A string ("A and B"), an array of strings or of `{name}` objects.
    /// With the default name, `author` is read too.
    pub authors: String,
    /// PETRARCH-style record category.
    pub category: String,
    /// A given parse kept verbatim in `meta.given_parse` (`conllu`, `ptb_parse` also read).
    pub parse: String,
}

impl Default for JsonlFields {
    fn default() -> Self {
        JsonlFields {
            id: "id".into(),
            text: "text".into(),
            html: "html".into(),
            date: "date".into(),
            url: "url".into(),
            title: "title".into(),
            publisher: "publisher".into(),
            authors: "authors".into(),
            category: "category".into(),
            parse: "parse".into(),
        }
    }
}

/// How to read inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Force a format for every file (else by extension, then by content).
    pub format: Option<InputFormat>,
    /// Larger inputs are refused with [`ErrorKind::TooLarge`] before being read.
    pub max_bytes: u64,
    pub jsonl: JsonlFields,
}

impl ReadOptions {
    /// 50 MiB.
    pub const DEFAULT_MAX_BYTES: u64 = 50 * 1024 * 1024;
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: None,
            max_bytes: Self::DEFAULT_MAX_BYTES,
            jsonl: JsonlFields::default(),
        }
    }
}

/// What went wrong with an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    Io,
    Binary,
    Empty,
    TooLarge,
    Malformed,
    NoText,
    UnknownFormat,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::Binary => "binary",
            ErrorKind::Empty => "empty",
            ErrorKind::TooLarge => "too_large",
            ErrorKind::Malformed => "malformed",
            ErrorKind::NoText => "no_text",
            ErrorKind::UnknownFormat => "unknown_format",
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An input (or one record of it) that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name}: {message}")]
pub struct IngestError {
    /// `path` or `path:line` (JSONL line, feed item or PETRARCH record number).
    pub name: String,
    pub kind: ErrorKind,
    pub message: String,
}

impl IngestError {
    pub fn new(name: &str, kind: ErrorKind, message: String) -> Self {
        IngestError {
            name: name.to_string(),
            kind,
            message,
        }
    }
}

/// Parse a `--format` value: `auto` (or empty) means sniff; an unknown name is an
/// [`ErrorKind::UnknownFormat`] error listing the accepted names.
pub fn parse_format(s: &str) -> Result<Option<InputFormat>, IngestError> {
    let t = s.trim();
    if t.is_empty() || t.eq_ignore_ascii_case("auto") {
        return Ok(None);
    }
    t.parse::<InputFormat>().map(Some).map_err(|_| {
        IngestError::new(
            "--format",
            ErrorKind::UnknownFormat,
            format!("unknown input format '{t}' (expected auto, text, html, jsonl, rss, atom or petrarch)"),
        )
    })
}

pub(crate) fn origin(
    path: &str,
    line: Option<u64>,
    format: InputFormat,
    source_id: Option<String>,
) -> Origin {
    Origin {
        path: Some(path.to_string()),
        line,
        format: Some(format),
        source_id: source_id
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
    }
}

/// Last step of every reader: the date from `meta.published` (unless the reader set
/// one), then the id.
pub(crate) fn finish_doc(mut doc: Document) -> Document {
    if doc.date.is_none() {
        if let Some(p) = doc.meta.published.as_deref() {
            doc.date = date::metadata_date(p);
            if doc.date.is_none() {
                doc.warnings
                    .push(format!("publication date '{p}' not understood"));
            }
        }
    }
    doc.assign_id();
    doc
}

/// Extensions read as documents when found in a directory.
const DOC_EXTS: &[&str] = &[
    "txt", "text", "html", "htm", "xhtml", "shtml", "jsonl", "ndjson", "json", "xml", "rss", "atom",
];

/// Extensions that are never news documents: skipped in directories without a look.
const SKIP_EXTS: &[&str] = &[
    "jpg",
    "jpeg",
    "png",
    "gif",
    "webp",
    "svg",
    "ico",
    "bmp",
    "tif",
    "tiff",
    "avif",
    "heic",
    "mp3",
    "mp4",
    "m4a",
    "avi",
    "mov",
    "mkv",
    "wav",
    "ogg",
    "webm",
    "flac",
    "zip",
    "gz",
    "tgz",
    "bz2",
    "xz",
    "zst",
    "7z",
    "rar",
    "tar",
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "odt",
    "ods",
    "epub",
    "css",
    "js",
    "mjs",
    "map",
    "woff",
    "woff2",
    "ttf",
    "otf",
    "eot",
    "exe",
    "dll",
    "so",
    "dylib",
    "o",
    "a",
    "bin",
    "class",
    "jar",
    "pyc",
    "wasm",
    "db",
    "sqlite",
    "sqlite3",
    "parquet",
    "arrow",
    "npy",
    "npz",
    "pkl",
    "lock",
    "swp",
    "tmp",
    "bak",
    "part",
    "crdownload",
];

fn extension(name: &str) -> Option<String> {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (stem, ext) = file.rsplit_once('.')?;
    (!stem.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// Find the files to read. `-` (stdin) is kept; files named explicitly are kept
/// whatever their extension; directories are walked recursively in sorted order,
/// skipping hidden entries, choosing files by extension and, for unknown
/// extensions, by sniffing their first bytes.
pub fn discover(paths: &[PathBuf], opts: &ReadOptions) -> (Vec<PathBuf>, Vec<IngestError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut seen_dirs = std::collections::HashSet::new();
    for p in paths {
        if p.as_os_str() == "-" {
            files.push(p.clone());
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, opts, &mut files, &mut errors, &mut seen_dirs),
            Ok(_) => files.push(p.clone()),
            Err(e) => errors.push(IngestError::new(
                &p.to_string_lossy(),
                ErrorKind::Io,
                format!("cannot open: {e}"),
            )),
        }
    }
    (files, errors)
}

fn walk(
    dir: &Path,
    opts: &ReadOptions,
    files: &mut Vec<PathBuf>,
    errors: &mut Vec<IngestError>,
    seen: &mut std::collections::HashSet<PathBuf>,
) {
    // Symlinked directories can form cycles; visit each real directory once.
    let real = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if !seen.insert(real) {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            errors.push(IngestError::new(
                &dir.to_string_lossy(),
                ErrorKind::Io,
                format!("cannot list directory: {e}"),
            ));
            return;
        }
    };
    let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    names.sort();
    for path in names {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if file_name.starts_with('.') || file_name.ends_with('~') {
            continue;
        }
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                errors.push(IngestError::new(
                    &path.to_string_lossy(),
                    ErrorKind::Io,
                    format!("cannot open: {e}"),
                ));
                continue;
            }
        };
        if meta.is_dir() {
            walk(&path, opts, files, errors, seen);
            continue;
        }
        if !meta.is_file() {
            continue;
        }
        match extension(&file_name) {
            Some(ext) if DOC_EXTS.contains(&ext.as_str()) => files.push(path),
            Some(ext) if SKIP_EXTS.contains(&ext.as_str()) => {}
            _ => {
                let head = read_head(&path, 4096);
                let keep = match &head {
                    Ok(h) if opts.format.is_some() => {
                        decode::binary_reason(h).is_none() && !h.is_empty()
                    }
                    Ok(h) => sniff_content(h).is_some(),
                    Err(_) => true, // let read_path report the error
                };
                if keep {
                    files.push(path);
                }
            }
        }
    }
}

fn read_head(path: &Path, n: u64) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    std::fs::File::open(path)?.take(n).read_to_end(&mut buf)?;
    Ok(buf)
}

/// The format of an input, from its name's extension, else its content
/// (`<rss`, `<feed`, `<Sentences`, `<!doctype html`, `{"...`, prose).
pub fn sniff(name: &str, bytes: &[u8]) -> Option<InputFormat> {
    match extension(name).as_deref() {
        Some("txt" | "text") => Some(InputFormat::Text),
        Some("html" | "htm" | "xhtml" | "shtml") => Some(InputFormat::Html),
        Some("jsonl" | "ndjson" | "json") => Some(InputFormat::Jsonl),
        Some("rss") => Some(InputFormat::Rss),
        Some("atom") => Some(InputFormat::Atom),
        _ => sniff_content(bytes),
    }
}

fn sniff_content(bytes: &[u8]) -> Option<InputFormat> {
    let head = &bytes[..bytes.len().min(65536)];
    let d = decode::decode(&head[..head.len().min(4096)]);
    let t = d.text.trim_start_matches('\u{feff}').trim_start();
    if t.is_empty() {
        return None;
    }
    // `[aesop_image ...]` opens many WordPress exports: only `[{` / `[]` is JSON.
    let json_like = match t.as_bytes()[0] {
        b'{' => t[1..].trim_start().starts_with(['"', '}']),
        b'[' => t[1..].trim_start().starts_with(['{', ']']),
        _ => false,
    };
    if json_like {
        return Some(InputFormat::Jsonl);
    }
    if t.starts_with('<') {
        return sniff_markup(t).or_else(|| {
            // Root unknown within the first KBs: look for record elements further on.
            let wide = String::from_utf8_lossy(head);
            if wide.contains("<Sentence ") || wide.contains("<Sentences>") {
                Some(InputFormat::Petrarch)
            } else if wide.contains("<item>") || wide.contains("<item ") {
                Some(InputFormat::Rss)
            } else if wide.contains("<entry>") || wide.contains("<entry ") {
                Some(InputFormat::Atom)
            } else {
                None
            }
        });
    }
    if decode::binary_reason(head).is_some() {
        return None;
    }
    // Prose: mostly letters among the visible characters.
    let visible = t.chars().filter(|c| !c.is_whitespace()).count();
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    (visible > 0 && letters * 2 >= visible).then_some(InputFormat::Text)
}

/// Format from the first element of a markup document.
fn sniff_markup(t: &str) -> Option<InputFormat> {
    let mut rest = t;
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("<?") {
            rest = &r[r.find("?>")? + 2..];
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = &r[r.find("-->")? + 3..];
        } else if let Some(r) = rest.strip_prefix("<!") {
            if r.get(..12)
                .is_some_and(|p| p.eq_ignore_ascii_case("doctype html"))
            {
                return Some(InputFormat::Html);
            }
            rest = &r[r.find('>')? + 1..];
        } else if let Some(r) = rest.strip_prefix('<') {
            let name: String = r
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, ':' | '-' | '_'))
                .collect();
            let local = name.rsplit(':').next().unwrap_or("");
            return match local.to_ascii_lowercase().as_str() {
                "rss" | "rdf" => Some(InputFormat::Rss),
                "feed" => Some(InputFormat::Atom),
                "sentences" | "sentence" | "validation" => Some(InputFormat::Petrarch),
                "html" | "head" | "body" | "div" | "p" | "article" | "meta" | "title"
                | "section" | "main" | "link" | "script" | "span" | "h1" | "h2" | "table" => {
                    Some(InputFormat::Html)
                }
                _ => None,
            };
        } else {
            return None;
        }
    }
}

/// Read one path: a file, a directory (walked as by [`discover`]) or `-` for stdin.
pub fn read_path(path: &Path, opts: &ReadOptions) -> Vec<Result<Document, IngestError>> {
    if path.as_os_str() == "-" {
        return read_stdin(opts);
    }
    let name = path.to_string_lossy().into_owned();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            return vec![Err(IngestError::new(
                &name,
                ErrorKind::Io,
                format!("cannot open: {e}"),
            ))]
        }
    };
    if meta.is_dir() {
        return read_paths(&[path.to_path_buf()], opts);
    }
    if meta.len() > opts.max_bytes {
        return vec![Err(too_large(&name, meta.len(), opts.max_bytes))];
    }
    match std::fs::read(path) {
        Ok(bytes) => read_bytes(&name, &bytes, opts),
        Err(e) => vec![Err(IngestError::new(
            &name,
            ErrorKind::Io,
            format!("cannot read: {e}"),
        ))],
    }
}

/// [`discover`] then [`read_path`] on each file, in order; discovery errors first.
pub fn read_paths(paths: &[PathBuf], opts: &ReadOptions) -> Vec<Result<Document, IngestError>> {
    let (files, errors) = discover(paths, opts);
    let mut out: Vec<Result<Document, IngestError>> = errors.into_iter().map(Err).collect();
    for f in files {
        out.extend(read_path(&f, opts));
    }
    out
}

fn read_stdin(opts: &ReadOptions) -> Vec<Result<Document, IngestError>> {
    let mut bytes = Vec::new();
    let limit = opts.max_bytes.saturating_add(1);
    if let Err(e) = std::io::stdin().lock().take(limit).read_to_end(&mut bytes) {
        return vec![Err(IngestError::new(
            "-",
            ErrorKind::Io,
            format!("cannot read stdin: {e}"),
        ))];
    }
    if bytes.len() as u64 > opts.max_bytes {
        return vec![Err(IngestError::new(
            "-",
            ErrorKind::TooLarge,
            format!(
                "stdin is over the limit of {} bytes (--max-bytes)",
                opts.max_bytes
            ),
        ))];
    }
    read_bytes("-", &bytes, opts)
}

fn too_large(name: &str, size: u64, limit: u64) -> IngestError {
    IngestError::new(
        name,
        ErrorKind::TooLarge,
        format!("input is {size} bytes, over the limit of {limit} bytes (--max-bytes)"),
    )
}

/// Read an input already in memory; `name` is used for the origin, messages and
/// (through its extension) the format when `opts.format` is not set.
pub fn read_bytes(
    name: &str,
    bytes: &[u8],
    opts: &ReadOptions,
) -> Vec<Result<Document, IngestError>> {
    if bytes.len() as u64 > opts.max_bytes {
        return vec![Err(too_large(name, bytes.len() as u64, opts.max_bytes))];
    }
    if let Some(reason) = decode::binary_reason(bytes) {
        return vec![Err(IngestError::new(name, ErrorKind::Binary, reason))];
    }
    let decoded = decode::decode(bytes);
    if decoded
        .text
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .is_empty()
    {
        return vec![Err(IngestError::new(
            name,
            ErrorKind::Empty,
            if bytes.is_empty() {
                "input is empty".to_string()
            } else {
                "input holds only whitespace".to_string()
            },
        ))];
    }
    let format = opts
        .format
        .or_else(|| sniff(name, decoded.text.as_bytes()))
        .unwrap_or(InputFormat::Text);
    match format {
        InputFormat::Text => vec![Ok(read_text(name, &decoded))],
        InputFormat::Html => vec![read_html(name, &decoded)],
        InputFormat::Jsonl => jsonl::read(name, &decoded, opts),
        InputFormat::Rss | InputFormat::Atom => feed::read(name, &decoded, format),
        InputFormat::Petrarch => petrarch::read(name, &decoded),
    }
}

fn read_text(name: &str, d: &decode::Decoded) -> Document {
    let mut doc = Document::new(origin(name, None, InputFormat::Text, None), d.text.clone());
    doc.warnings = d.warnings();
    finish_doc(doc)
}

fn read_html(name: &str, d: &decode::Decoded) -> Result<Document, IngestError> {
    let ex = html::extract(&d.text, html::Mode::Page);
    if ex.text.trim().is_empty() {
        return Err(IngestError::new(
            name,
            ErrorKind::NoText,
            "no text found in the HTML".to_string(),
        ));
    }
    let mut doc = Document::new(origin(name, None, InputFormat::Html, None), ex.text);
    doc.meta = ex.meta;
    doc.warnings = d.warnings();
    Ok(finish_doc(doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(name: &str, input: &str) -> Vec<Result<Document, IngestError>> {
        read_bytes(name, input.as_bytes(), &ReadOptions::default())
    }

    #[test]
    fn sniffing_by_name_and_content() {
        assert_eq!(sniff("a.HTM", b""), Some(InputFormat::Html));
        assert_eq!(sniff("a.ndjson", b""), Some(InputFormat::Jsonl));
        assert_eq!(
            sniff("-", b"<?xml version='1.0'?>\n<rss version=\"2.0\">"),
            Some(InputFormat::Rss)
        );
        assert_eq!(
            sniff(
                "x.xml",
                b"<?xml version='1.0'?><!-- c --><feed xmlns='http://www.w3.org/2005/Atom'>"
            ),
            Some(InputFormat::Atom)
        );
        assert_eq!(
            sniff("x.xml", b"<Sentences><Sentence id='a'>"),
            Some(InputFormat::Petrarch)
        );
        assert_eq!(
            sniff("-", b"<!DOCTYPE html><html>"),
            Some(InputFormat::Html)
        );
        assert_eq!(sniff("-", b"{\"id\": 1}\n"), Some(InputFormat::Jsonl));
        assert_eq!(
            sniff("-", b"[aesop_image img=\"x.jpg\"] Troops moved."),
            Some(InputFormat::Text)
        );
        assert_eq!(
            sniff("-", "KABUL, Afghanistan (AP) — Taliban fighters".as_bytes()),
            Some(InputFormat::Text)
        );
        assert_eq!(sniff("noext", b"\x00\x01\x02"), None);
        assert_eq!(sniff("data.xml", b"<catalog><book/></catalog>"), None);
        assert_eq!(sniff("-", "<!doctype htm\u{e9}l>".as_bytes()), None);
    }

    #[test]
    fn text_is_kept_as_is() {
        let r = docs("a.txt", "  Line one.\r\n\r\nLine two.  ");
        let d = r[0].as_ref().unwrap();
        assert_eq!(d.raw_text, "  Line one.\r\n\r\nLine two.  ");
        assert_eq!(d.origin.format, Some(InputFormat::Text));
        assert_eq!(
            d.id,
            dyad_core::content_id("  Line one.\r\n\r\nLine two.  ")
        );
    }

    #[test]
    fn empty_binary_and_too_large() {
        let e = docs("e.txt", " \n\t ").remove(0).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Empty);
        let e = read_bytes(
            "b.txt",
            b"\x89PNG\r\n\x1a\n\x00\x00",
            &ReadOptions::default(),
        )
        .remove(0)
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Binary);
        let opts = ReadOptions {
            max_bytes: 4,
            ..Default::default()
        };
        let e = read_bytes("big.txt", b"12345", &opts)
            .remove(0)
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::TooLarge);
        assert_eq!(
            e.to_string(),
            "big.txt: input is 5 bytes, over the limit of 4 bytes (--max-bytes)"
        );
    }

    #[test]
    fn format_names() {
        assert_eq!(parse_format("auto").unwrap(), None);
        assert_eq!(parse_format("RSS").unwrap(), Some(InputFormat::Rss));
        let e = parse_format("pdf").unwrap_err();
        assert_eq!(e.kind, ErrorKind::UnknownFormat);
        assert!(e
            .to_string()
            .starts_with("--format: unknown input format 'pdf'"));
    }

    #[test]
    fn forced_format_overrides_extension() {
        let opts = ReadOptions {
            format: Some(InputFormat::Html),
            ..Default::default()
        };
        let r = read_bytes(
            "page.txt",
            b"<p>Officials met in Cairo on Monday to discuss the border crossing.</p>",
            &opts,
        );
        let d = r[0].as_ref().unwrap();
        assert_eq!(
            d.raw_text,
            "Officials met in Cairo on Monday to discuss the border crossing."
        );
        assert_eq!(d.origin.format, Some(InputFormat::Html));
    }
}
