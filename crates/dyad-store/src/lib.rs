//! dyad's embedded store: SQLite (bundled), versioned migrations, documents with their metadata,
//! captions and sentences. Writes happen in transactions; re-storing a document with the same id
//! and the same content changes nothing.
//!
//! ```text
//! Store::open(path) -> Store          (creates the file, applies pending migrations)
//! store.put_documents(&[Document])    (one transaction; Inserted / Updated / Unchanged each)
//! store.get_document(id_or_prefix)    (the Document as stored)
//! store.put_coded(&[(EncodedDocument, Vec<Event>)])  (documents with their events; events replaced)
//! store.events(Some(doc_id))          (stored events, in document and sentence order)
//! store.stats()                       (counts, date range, schema version)
//! ```

mod migrations;
mod tokens;

use std::path::Path;

use dyad_code::Event;
use dyad_core::{Document, Origin, Sentence, StoryDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

pub use migrations::SCHEMA_VERSION;
pub use tokens::{decode_tokens, encode_tokens, TokenDecodeError};

/// The default database path, relative to the working directory.
pub const DEFAULT_DB_PATH: &str = "dyad.db";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}: {source}")]
    Open {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("database {path} has schema version {found}, newer than this dyad understands ({supported}); upgrade dyad")]
    TooNew {
        path: String,
        found: i64,
        supported: i64,
    },
    #[error("storing document {doc}: {source}")]
    Write {
        doc: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("database query: {0}")]
    Query(#[from] rusqlite::Error),
    #[error("document {id}: stored JSON is corrupt: {source}")]
    Corrupt {
        id: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("document {id}: stored tokens of sentence {sentence} are corrupt: {source}")]
    CorruptTokens {
        id: String,
        sentence: i64,
        #[source]
        source: TokenDecodeError,
    },
    #[error("document id prefix '{0}' is ambiguous; give more characters")]
    Ambiguous(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// What storing one document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutOutcome {
    Inserted,
    Updated,
    Unchanged,
}

/// Counts over the whole store.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Stats {
    pub schema_version: i64,
    pub documents: i64,
    pub sentences: i64,
    pub tokens: i64,
    pub captions: i64,
    pub events: i64,
    pub dated_documents: i64,
    pub earliest_date: Option<String>,
    pub latest_date: Option<String>,
    pub by_format: Vec<(String, i64)>,
    pub with_warnings: i64,
}

pub struct Store {
    conn: Connection,
    path: String,
}

impl Store {
    /// Open (or create) the database at `path` and bring its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path_str = path.as_ref().display().to_string();
        let conn = Connection::open(path.as_ref()).map_err(|source| StoreError::Open {
            path: path_str.clone(),
            source,
        })?;
        Self::init(conn, path_str)
    }

    /// A private in-memory store (tests, one-shot `dyad code` without `--db`).
    pub fn open_in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory().map_err(|source| StoreError::Open {
            path: ":memory:".into(),
            source,
        })?;
        Self::init(conn, ":memory:".into())
    }

    fn init(conn: Connection, path: String) -> Result<Self> {
        let open_err = |source| StoreError::Open {
            path: path.clone(),
            source,
        };
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(open_err)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 8192;",
        )
        .map_err(open_err)?;
        let mut store = Store { conn, path };
        migrations::apply(&mut store.conn, &store.path)?;
        Ok(store)
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn schema_version(&self) -> Result<i64> {
        migrations::current_version(&self.conn)
    }

    /// Store `docs` in one transaction: all of them or, on error, none (what was stored before
    /// stays as it was).
    pub fn put_documents(&mut self, docs: &[Document]) -> Result<Vec<PutOutcome>> {
        let tx = self.conn.transaction()?;
        let mut outcomes = Vec::with_capacity(docs.len());
        for doc in docs {
            let outcome = put_one(&tx, doc).map_err(|source| StoreError::Write {
                doc: format!("{} ({})", doc.display_name(), doc.id),
                source,
            })?;
            outcomes.push(outcome);
        }
        tx.commit()?;
        Ok(outcomes)
    }

    /// Store documents encoded beforehand (see [`EncodedDocument`]) in one transaction.
    pub fn put_encoded(&mut self, docs: &[EncodedDocument]) -> Result<Vec<PutOutcome>> {
        let tx = self.conn.transaction()?;
        let mut outcomes = Vec::with_capacity(docs.len());
        for e in docs {
            let outcome =
                put_one_encoded(&tx, &e.doc, &e.enc).map_err(|source| StoreError::Write {
                    doc: format!("{} ({})", e.doc.display_name(), e.doc.id),
                    source,
                })?;
            outcomes.push(outcome);
        }
        tx.commit()?;
        Ok(outcomes)
    }

    /// Store coded documents in one transaction: each document as [`Store::put_documents`]
    /// does, and its events replacing those stored for it before.
    pub fn put_coded(
        &mut self,
        coded: &[(EncodedDocument, Vec<Event>)],
    ) -> Result<Vec<PutOutcome>> {
        let tx = self.conn.transaction()?;
        let mut outcomes = Vec::with_capacity(coded.len());
        for (encoded, events) in coded {
            let doc = &encoded.doc;
            let name = || format!("{} ({})", doc.display_name(), doc.id);
            let outcome =
                put_one_encoded(&tx, doc, &encoded.enc).map_err(|source| StoreError::Write {
                    doc: name(),
                    source,
                })?;
            replace_events(&tx, &doc.id, events, &encoded.events_json).map_err(|source| {
                StoreError::Write {
                    doc: name(),
                    source,
                }
            })?;
            outcomes.push(outcome);
        }
        tx.commit()?;
        Ok(outcomes)
    }

    /// Stored events of one document, or of all documents, in document and sentence order.
    pub fn events(&self, doc_id: Option<&str>) -> Result<Vec<Event>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT event_id, event_json FROM events
             WHERE (?1 IS NULL OR doc_id = ?1) ORDER BY doc_id, sentence, rowid",
        )?;
        let mut rows = stmt.query([doc_id])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let json: String = r.get(1)?;
            out.push(
                serde_json::from_str(&json).map_err(|source| StoreError::Corrupt { id, source })?,
            );
        }
        Ok(out)
    }

    /// The document with this id, or with this unique id prefix.
    pub fn get_document(&self, id_or_prefix: &str) -> Result<Option<Document>> {
        let Some(id) = self.resolve_id(id_or_prefix)? else {
            return Ok(None);
        };
        let row = self
            .conn
            .query_row(
                "SELECT id, origin_json, raw_text, text, meta_json, date_json, warnings_json
                 FROM documents WHERE id = ?1",
                [&id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, String>(6)?,
                    ))
                },
            )
            .optional()?;
        let Some((id, origin, raw_text, text, meta, date, warnings)) = row else {
            return Ok(None);
        };
        let corrupt = |source| StoreError::Corrupt {
            id: id.clone(),
            source,
        };
        let origin: Origin = serde_json::from_str(&origin).map_err(corrupt)?;
        let meta = serde_json::from_str(&meta).map_err(corrupt)?;
        let date: Option<StoryDate> = match date {
            Some(d) => Some(serde_json::from_str(&d).map_err(corrupt)?),
            None => None,
        };
        let warnings = serde_json::from_str(&warnings).map_err(corrupt)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT idx, start, end, tokens FROM sentences WHERE doc_id = ?1 ORDER BY idx",
        )?;
        let mut sentences = Vec::new();
        let mut rows = stmt.query([&id])?;
        while let Some(r) = rows.next()? {
            let (idx, start): (i64, usize) = (r.get(0)?, r.get::<_, i64>(1)?.max(0) as usize);
            let tokens: String = r.get(3)?;
            sentences.push(Sentence {
                start,
                end: r.get::<_, i64>(2)?.max(0) as usize,
                tokens: decode_tokens(&tokens, &text, start).map_err(|source| {
                    StoreError::CorruptTokens {
                        id: id.clone(),
                        sentence: idx,
                        source,
                    }
                })?,
            });
        }
        Ok(Some(Document {
            id,
            origin,
            raw_text,
            text,
            meta,
            date,
            sentences,
            warnings,
        }))
    }

    fn resolve_id(&self, id_or_prefix: &str) -> Result<Option<String>> {
        let exact: Option<String> = self
            .conn
            .query_row(
                "SELECT id FROM documents WHERE id = ?1",
                [id_or_prefix],
                |r| r.get(0),
            )
            .optional()?;
        if exact.is_some() {
            return Ok(exact);
        }
        let escaped = id_or_prefix.replace(['%', '_'], "");
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM documents WHERE id LIKE ?1 || '%' LIMIT 2")?;
        let ids: Vec<String> = stmt
            .query_map([escaped], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        match ids.len() {
            0 => Ok(None),
            1 => Ok(ids.into_iter().next()),
            _ => Err(StoreError::Ambiguous(id_or_prefix.to_string())),
        }
    }

    /// Ids of all documents in id order (for listing and export).
    pub fn document_ids(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT id FROM documents ORDER BY id")?;
        let ids = stmt
            .query_map([], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        Ok(ids)
    }

    pub fn stats(&self) -> Result<Stats> {
        let count = |sql: &str| -> Result<i64> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        let mut stmt = self
            .conn
            .prepare("SELECT format, COUNT(*) FROM documents GROUP BY format ORDER BY format")?;
        let by_format = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                    r.get(1)?,
                ))
            })?
            .collect::<std::result::Result<_, _>>()?;
        let (earliest_date, latest_date) = self.conn.query_row(
            "SELECT MIN(story_date), MAX(story_date) FROM documents",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(Stats {
            schema_version: self.schema_version()?,
            documents: count("SELECT COUNT(*) FROM documents")?,
            sentences: count("SELECT COUNT(*) FROM sentences")?,
            tokens: count("SELECT COALESCE(SUM(n_tokens), 0) FROM sentences")?,
            captions: count("SELECT COUNT(*) FROM captions")?,
            events: count("SELECT COUNT(*) FROM events")?,
            dated_documents: count("SELECT COUNT(*) FROM documents WHERE story_date IS NOT NULL")?,
            earliest_date,
            latest_date,
            by_format,
            with_warnings: count("SELECT COUNT(*) FROM documents WHERE warnings_json <> '[]'")?,
        })
    }
}

/// A digest of everything stored for a document, to tell an unchanged re-ingest from an update.
/// Hash of length-prefixed parts, the last one given in pieces (hashed as if
/// concatenated, without building the concatenation). XXH3-128: this detects change, it
/// does not guard against tampering, and SHA-256 cost as much as all the SQL writes.
fn content_hash(parts: &[&str], last: &[String]) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    let total: usize = last.iter().map(|p| p.len()).sum();
    h.update(&(total as u64).to_le_bytes());
    for p in last {
        h.update(p.as_bytes());
    }
    format!("{:032x}", h.digest128())
}

/// The stored form of a document: its JSON columns and content hash.
struct Encoded {
    origin_json: String,
    meta_json: String,
    date_json: Option<String>,
    warnings_json: String,
    sentence_tokens: Vec<String>,
    /// Token count of each sentence (the tokens themselves may be gone: see
    /// [`EncodedDocument`]).
    sentence_n_tokens: Vec<usize>,
    hash: String,
}

fn encode(doc: &Document) -> Encoded {
    // Straight to text: going through serde_json::Value first built and sorted a map per
    // value. Tokens use their own compact form (tokens.rs). The hash covers the stored
    // form, so documents stored by an older schema are re-written once, as "updated".
    fn to_json<T: serde::Serialize + ?Sized>(v: &T) -> String {
        serde_json::to_string(v).unwrap_or_else(|_| "null".into())
    }
    let origin_json = to_json(&doc.origin);
    let meta_json = to_json(&doc.meta);
    let date_json = doc.date.as_ref().map(to_json);
    let warnings_json = to_json(&doc.warnings);
    let sentence_tokens: Vec<String> = doc
        .sentences
        .iter()
        .map(|s| encode_tokens(&s.tokens, &doc.text, s.start))
        .collect();
    let spans: String = doc
        .sentences
        .iter()
        .map(|s| format!("{}:{};", s.start, s.end))
        .collect();
    let hash = content_hash(
        &[
            &origin_json,
            &doc.raw_text,
            &doc.text,
            &meta_json,
            date_json.as_deref().unwrap_or(""),
            &warnings_json,
            &spans,
        ],
        &sentence_tokens,
    );
    Encoded {
        origin_json,
        meta_json,
        date_json,
        warnings_json,
        sentence_tokens,
        sentence_n_tokens: doc.sentences.iter().map(|s| s.tokens.len()).collect(),
        hash,
    }
}

/// A document with its stored form already computed. Encoding is pure and costs as much as
/// the SQL writes, so batch readers encode on their worker threads and keep the single writer
/// for SQL ([`Store::put_encoded`]).
pub struct EncodedDocument {
    /// The document without its sentences' tokens: they live on in `enc`, and dropping them
    /// on the encoding (worker) thread spares the single writer thread thousands of frees of
    /// memory another thread allocated, which cost more than the SQL of a document.
    doc: Document,
    enc: Encoded,
    /// JSON of the events coded from the document, when encoded with them
    /// ([`EncodedDocument::coded`]).
    events_json: Vec<String>,
}

impl EncodedDocument {
    pub fn new(mut doc: Document) -> Self {
        let enc = encode(&doc);
        for s in &mut doc.sentences {
            s.tokens = Vec::new();
        }
        EncodedDocument {
            doc,
            enc,
            events_json: Vec::new(),
        }
    }

    /// The document as stored, except that its sentences' tokens have been moved into the
    /// encoded form (`sentences[i].tokens` is empty; read them back with [`Store::get_document`]).
    pub fn document(&self) -> &Document {
        &self.doc
    }

    /// Encode a document with the events coded from it (in the order they will be stored),
    /// so that [`Store::put_coded`] need not serialise them again.
    pub fn coded(doc: Document, events: &[Event]) -> Self {
        let mut e = Self::new(doc);
        e.events_json = events.iter().map(event_json).collect();
        e
    }

    /// The stored JSON of event `i` given to [`EncodedDocument::coded`] (also the JSON Lines
    /// output form).
    pub fn event_json(&self, i: usize) -> Option<&str> {
        self.events_json.get(i).map(String::as_str)
    }
}

/// The JSON an event is stored as.
pub fn event_json(e: &Event) -> String {
    serde_json::to_string(e).unwrap_or_default()
}

fn put_one(tx: &rusqlite::Transaction<'_>, doc: &Document) -> rusqlite::Result<PutOutcome> {
    put_one_encoded(tx, doc, &encode(doc))
}

fn put_one_encoded(
    tx: &rusqlite::Transaction<'_>,
    doc: &Document,
    enc: &Encoded,
) -> rusqlite::Result<PutOutcome> {
    let Encoded {
        origin_json,
        meta_json,
        date_json,
        warnings_json,
        sentence_tokens,
        sentence_n_tokens,
        hash,
    } = enc;
    let existing: Option<String> = tx
        .prepare_cached("SELECT content_hash FROM documents WHERE id = ?1")?
        .query_row([&doc.id], |r| r.get(0))
        .optional()?;
    let outcome = match existing {
        Some(h) if &h == hash => return Ok(PutOutcome::Unchanged),
        Some(_) => {
            // Children go with the row (ON DELETE CASCADE); the new version replaces them.
            tx.execute("DELETE FROM documents WHERE id = ?1", [&doc.id])?;
            PutOutcome::Updated
        }
        None => PutOutcome::Inserted,
    };
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    tx.prepare_cached(
        "INSERT INTO documents (id, source_path, source_line, format, source_id, title, url,
            canonical_url, publisher, published, story_date, date_precision, date_source,
            text, raw_text, origin_json, meta_json, date_json, warnings_json, content_hash, stored_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
    )?
    .execute(params![
        doc.id,
        doc.origin.path,
        doc.origin.line.map(|l| l as i64),
        doc.origin.format.map(|f| f.as_str()),
        doc.origin.source_id,
        doc.meta.title,
        doc.meta.url,
        doc.meta.canonical_url,
        doc.meta.publisher,
        doc.meta.published,
        doc.date.map(|d| d.date.to_string()),
        doc.date.map(|d| enum_name(&d.precision)),
        doc.date.map(|d| enum_name(&d.source)),
        doc.text,
        doc.raw_text,
        origin_json,
        meta_json,
        date_json,
        warnings_json,
        hash,
        now,
    ])?;
    let mut caption_stmt = tx.prepare_cached(
        "INSERT INTO captions (doc_id, idx, text, image_url, source) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, c) in doc.meta.captions.iter().enumerate() {
        caption_stmt.execute(params![doc.id, i as i64, c.text, c.image_url, c.source])?;
    }
    let mut sentence_stmt = tx.prepare_cached(
        "INSERT INTO sentences (doc_id, idx, start, end, text, n_tokens, tokens)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (i, ((s, tokens), &n_tokens)) in doc
        .sentences
        .iter()
        .zip(sentence_tokens)
        .zip(sentence_n_tokens)
        .enumerate()
    {
        let text = doc.text.get(s.start..s.end).unwrap_or("");
        sentence_stmt.execute(params![
            doc.id,
            i as i64,
            s.start as i64,
            s.end as i64,
            text,
            n_tokens as i64,
            tokens
        ])?;
    }
    Ok(outcome)
}

/// Replace a document's events; `json` holds their JSON when it was computed beforehand.
fn replace_events(
    tx: &rusqlite::Transaction<'_>,
    doc_id: &str,
    events: &[Event],
    json: &[String],
) -> rusqlite::Result<()> {
    tx.prepare_cached("DELETE FROM events WHERE doc_id = ?1")?
        .execute([doc_id])?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO events (event_id, doc_id, sentence, date, date_precision, cameo, cameo_root,
            quad_class, goldstein, source_code, target_code, modality, confidence, event_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    let precomputed = json.len() == events.len();
    for (i, e) in events.iter().enumerate() {
        let own;
        let json = if precomputed {
            &json[i]
        } else {
            own = event_json(e);
            &own
        };
        stmt.execute(params![
            e.event_id,
            doc_id,
            e.sentence as i64,
            e.date,
            e.date_precision,
            e.cameo,
            e.cameo_root,
            e.quad_class,
            e.goldstein as f64,
            e.source.code,
            e.target.code,
            e.modality.as_str(),
            e.confidence as f64,
            json
        ])?;
    }
    Ok(())
}

/// The serde name of a unit enum variant (`"day"`, `"dateline_caption_year"`).
fn enum_name<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use dyad_core::{Caption, DatePrecision, DateSource, InputFormat, Token};

    fn sample(text: &str) -> Document {
        let mut doc = Document::new(
            Origin {
                path: Some("a.txt".into()),
                format: Some(InputFormat::Text),
                ..Default::default()
            },
            text.to_string(),
        );
        doc.text = text.to_string();
        doc.meta.captions.push(Caption {
            text: "A caption".into(),
            image_url: Some("https://x/y.jpg".into()),
            source: "aesop_image".into(),
        });
        doc.date = Some(StoryDate {
            date: NaiveDate::from_ymd_opt(2018, 9, 3).unwrap(),
            precision: DatePrecision::Day,
            source: DateSource::DatelineCaptionYear,
        });
        doc.sentences.push(Sentence {
            start: 0,
            end: text.len(),
            tokens: vec![Token {
                start: 0,
                end: text.len(),
                form: text.to_string(),
                ..Default::default()
            }],
        });
        doc.assign_id();
        doc
    }

    #[test]
    fn round_trip_and_idempotence() {
        let mut store = Store::open_in_memory().unwrap();
        let doc = sample("Hello.");
        assert_eq!(
            store.put_documents(std::slice::from_ref(&doc)).unwrap(),
            vec![PutOutcome::Inserted]
        );
        assert_eq!(
            store.put_documents(std::slice::from_ref(&doc)).unwrap(),
            vec![PutOutcome::Unchanged]
        );
        let back = store.get_document(&doc.id).unwrap().unwrap();
        assert_eq!(back, doc);
        let stats = store.stats().unwrap();
        assert_eq!(stats.documents, 1);
        assert_eq!(stats.sentences, 1);
        assert_eq!(stats.tokens, 1);
        assert_eq!(stats.captions, 1);
        assert_eq!(stats.earliest_date.as_deref(), Some("2018-09-03"));
        assert_eq!(stats.schema_version, SCHEMA_VERSION);
    }

    #[test]
    fn encoded_and_plain_writes_agree() {
        let mut store = Store::open_in_memory().unwrap();
        let doc = sample("Encoded.");
        let outcome = store
            .put_encoded(&[EncodedDocument::new(doc.clone())])
            .unwrap();
        assert_eq!(outcome, vec![PutOutcome::Inserted]);
        // The same content written the plain way is recognised as unchanged.
        assert_eq!(
            store.put_documents(std::slice::from_ref(&doc)).unwrap(),
            vec![PutOutcome::Unchanged]
        );
        assert_eq!(store.get_document(&doc.id).unwrap().unwrap(), doc);
    }

    #[test]
    fn changed_content_updates_in_place() {
        let mut store = Store::open_in_memory().unwrap();
        let doc = sample("Hello.");
        store.put_documents(std::slice::from_ref(&doc)).unwrap();
        let mut changed = doc.clone();
        changed.meta.title = Some("New title".into());
        assert_eq!(
            store.put_documents(&[changed.clone()]).unwrap(),
            vec![PutOutcome::Updated]
        );
        assert_eq!(store.stats().unwrap().documents, 1);
        assert_eq!(store.stats().unwrap().captions, 1);
        assert_eq!(store.get_document(&doc.id).unwrap().unwrap(), changed);
    }

    fn event(doc_id: &str, id: &str, cameo: &str) -> Event {
        serde_json::from_value(serde_json::json!({
            "event_id": id, "doc_id": doc_id, "sentence": 0, "date": "2018-09-03",
            "date_precision": "day", "story_date": "2018-09-03", "cameo": cameo, "cameo_root": &cameo[..2],
            "quad_class": 1, "goldstein": 1.9, "plover": {"type": "CONSULT", "mode": null},
            "source": {"text": "Iran", "code": "IRN", "country": "IRN", "agents": [], "name": "Iran"},
            "target": {"text": "Syria", "code": "SYR", "country": "SYR", "agents": [], "name": "Syria"},
            "location": null, "modality": "asserted", "attribution": null,
            "evidence": {"sentence_text": "x", "trigger": "met", "trigger_span": [0, 1],
                         "source_span": [0, 1], "target_span": [0, 1], "rule": "040 meet"},
            "confidence": 0.8
        }))
        .unwrap()
    }

    #[test]
    fn coded_documents_replace_their_events() {
        let mut store = Store::open_in_memory().unwrap();
        let doc = sample("Iran met Syria.");
        let first = vec![event(&doc.id, "e1", "040"), event(&doc.id, "e2", "042")];
        store
            .put_coded(&[(EncodedDocument::new(doc.clone()), first.clone())])
            .unwrap();
        assert_eq!(store.events(Some(&doc.id)).unwrap(), first);
        assert_eq!(store.stats().unwrap().events, 2);
        // Coding again (say, with new dictionaries) replaces the document's events.
        // Encoded with its events, the JSON is computed once and stored as is.
        let second = vec![event(&doc.id, "e3", "043")];
        let encoded = EncodedDocument::coded(doc.clone(), &second);
        assert_eq!(encoded.event_json(0), Some(event_json(&second[0]).as_str()));
        assert_eq!(encoded.event_json(1), None);
        store.put_coded(&[(encoded, second.clone())]).unwrap();
        assert_eq!(store.events(None).unwrap(), second);
    }

    #[test]
    fn prefix_lookup() {
        let mut store = Store::open_in_memory().unwrap();
        let doc = sample("Hello.");
        store.put_documents(std::slice::from_ref(&doc)).unwrap();
        assert!(store.get_document(&doc.id[..8]).unwrap().is_some());
        assert!(store.get_document("zzz").unwrap().is_none());
    }

    #[test]
    fn a_failed_batch_leaves_earlier_data_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let mut store = Store::open(&path).unwrap();
        let first = sample("First.");
        store.put_documents(std::slice::from_ref(&first)).unwrap();
        // Sabotage the table so the next insert fails half-way through a batch.
        store
            .conn
            .execute_batch("CREATE TRIGGER boom BEFORE INSERT ON sentences WHEN NEW.text = 'Bad.' BEGIN SELECT RAISE(ABORT, 'boom'); END;")
            .unwrap();
        let ok = sample("Fine.");
        let bad = sample("Bad.");
        let err = store.put_documents(&[ok, bad]).unwrap_err();
        assert!(err.to_string().contains("a.txt"), "{err}");
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.stats().unwrap().documents, 1);
        assert_eq!(store.get_document(&first.id).unwrap().unwrap(), first);
    }

    #[test]
    fn reopening_keeps_schema_and_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let doc = sample("Kept.");
        Store::open(&path)
            .unwrap()
            .put_documents(std::slice::from_ref(&doc))
            .unwrap();
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        assert!(store.get_document(&doc.id).unwrap().is_some());
    }
}
