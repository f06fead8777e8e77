//! Versioned schema migrations. Each entry upgrades the schema by one version inside a
//! transaction; applied versions are recorded in `schema_migrations`. Never edit a released
//! migration: add a new one.

use rusqlite::{Connection, Transaction};

use crate::{Result, StoreError};

/// A data step run after a migration's SQL, in the same transaction, for conversions SQL
/// cannot express.
type DataStep = fn(&Transaction<'_>) -> Result<()>;

const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        r#"
CREATE TABLE documents (
    id             TEXT PRIMARY KEY,
    source_path    TEXT,
    source_line    INTEGER,
    format         TEXT,
    source_id      TEXT,
    title          TEXT,
    url            TEXT,
    canonical_url  TEXT,
    publisher      TEXT,
    published      TEXT,
    story_date     TEXT,          -- YYYY-MM-DD
    date_precision TEXT,
    date_source    TEXT,
    text           TEXT NOT NULL, -- clean body text; sentence offsets point into it
    raw_text       TEXT NOT NULL,
    origin_json    TEXT NOT NULL,
    meta_json      TEXT NOT NULL, -- captions, dateline, credits, authors, extra fields
    date_json      TEXT,
    warnings_json  TEXT NOT NULL,
    content_hash   TEXT NOT NULL,
    stored_at      TEXT NOT NULL
);
CREATE INDEX documents_story_date ON documents(story_date);
CREATE INDEX documents_source ON documents(source_path, source_line);

CREATE TABLE sentences (
    doc_id      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    start       INTEGER NOT NULL, -- UTF-8 byte offsets into documents.text
    end         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    n_tokens    INTEGER NOT NULL,
    tokens_json TEXT NOT NULL,
    PRIMARY KEY (doc_id, idx)
) WITHOUT ROWID;

CREATE TABLE captions (
    doc_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx       INTEGER NOT NULL,
    text      TEXT NOT NULL,
    image_url TEXT,
    source    TEXT NOT NULL,
    PRIMARY KEY (doc_id, idx)
) WITHOUT ROWID;
"#,
    ),
    (
        2,
        r#"
CREATE TABLE events (
    event_id       TEXT PRIMARY KEY,
    doc_id         TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    sentence       INTEGER NOT NULL,
    date           TEXT,
    date_precision TEXT,
    cameo          TEXT NOT NULL,
    cameo_root     TEXT NOT NULL,
    quad_class     INTEGER NOT NULL,
    goldstein      REAL NOT NULL,
    source_code    TEXT NOT NULL,
    target_code    TEXT NOT NULL,
    modality       TEXT NOT NULL,
    confidence     REAL NOT NULL,
    event_json     TEXT NOT NULL
);
CREATE INDEX events_doc ON events(doc_id, sentence);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_cameo ON events(cameo);
CREATE INDEX events_dyad ON events(source_code, target_code);
"#,
    ),
    (
        3,
        r#"
-- Tokens move from JSON to a compact tab-separated form (see tokens.rs), about a quarter
-- of the size; the data step converts stored rows, then this table replaces the old one.
-- A rowid table: rows of about a kilobyte overflow a WITHOUT ROWID table's pages, which
-- left 40% of them empty.
CREATE TABLE sentences_v3 (
    doc_id   TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx      INTEGER NOT NULL,
    start    INTEGER NOT NULL, -- UTF-8 byte offsets into documents.text
    end      INTEGER NOT NULL,
    text     TEXT NOT NULL,
    n_tokens INTEGER NOT NULL,
    tokens   TEXT NOT NULL,    -- one line per token: see dyad-store/src/tokens.rs
    PRIMARY KEY (doc_id, idx)
);
"#,
    ),
];

/// The data step of a version, if it has one.
fn data_step(version: i64) -> Option<DataStep> {
    match version {
        3 => Some(tokens_json_to_compact),
        _ => None,
    }
}

/// Version 3: re-encode every stored sentence's tokens, then swap the tables.
fn tokens_json_to_compact(tx: &Transaction<'_>) -> Result<()> {
    {
        let mut read = tx.prepare(
            "SELECT s.doc_id, s.idx, s.start, s.end, s.text, s.n_tokens, s.tokens_json, d.text
             FROM sentences s JOIN documents d ON d.id = s.doc_id",
        )?;
        let mut write = tx.prepare(
            "INSERT INTO sentences_v3 (doc_id, idx, start, end, text, n_tokens, tokens)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut rows = read.query([])?;
        while let Some(r) = rows.next()? {
            let doc_id: String = r.get(0)?;
            let start: i64 = r.get(2)?;
            let json: String = r.get(6)?;
            let doc_text: String = r.get(7)?;
            let tokens: Vec<dyad_core::Token> =
                serde_json::from_str(&json).map_err(|source| StoreError::Corrupt {
                    id: doc_id.clone(),
                    source,
                })?;
            let compact = crate::tokens::encode_tokens(&tokens, &doc_text, start.max(0) as usize);
            write.execute(rusqlite::params![
                doc_id,
                r.get::<_, i64>(1)?,
                start,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                compact
            ])?;
        }
    }
    tx.execute_batch("DROP TABLE sentences; ALTER TABLE sentences_v3 RENAME TO sentences;")?;
    Ok(())
}

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

pub(crate) fn current_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        [],
        |r| r.get(0),
    )?)
}

pub(crate) fn apply(conn: &mut Connection, path: &str) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            applied_at TEXT NOT NULL
        );",
    )
    .map_err(|source| StoreError::Open {
        path: path.to_string(),
        source,
    })?;
    let current = current_version(conn)?;
    if current > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_string(),
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        if let Some(step) = data_step(*version) {
            step(&tx)?;
        }
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, datetime('now'))",
            [version],
        )?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_increasing() {
        for pair in MIGRATIONS.windows(2) {
            assert_eq!(pair[1].0, pair[0].0 + 1);
        }
        assert_eq!(MIGRATIONS[0].0, 1);
    }

    #[test]
    fn version_2_tokens_are_converted_to_the_compact_form() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);",
        )
        .unwrap();
        for (v, sql) in &MIGRATIONS[..2] {
            conn.execute_batch(sql).unwrap();
            conn.execute("INSERT INTO schema_migrations VALUES (?1, 'x')", [v])
                .unwrap();
        }
        conn.execute(
            "INSERT INTO documents (id, text, raw_text, origin_json, meta_json, warnings_json,
                content_hash, stored_at) VALUES ('d', 'Oh. Iran met Syria.', '', '{}', '{}', '[]', 'h', 'now')",
            [],
        )
        .unwrap();
        let json = r#"[{"start":4,"end":8,"form":"Iran","lemma":"Iran","upos":"PROPN","head":2,"deprel":"nsubj"},
                       {"start":9,"end":12,"form":"met","lemma":"meet","upos":"VERB","head":0,"deprel":"root"}]"#;
        conn.execute(
            "INSERT INTO sentences VALUES ('d', 1, 4, 19, 'Iran met Syria.', 2, ?1)",
            [json],
        )
        .unwrap();
        apply(&mut conn, "mem").unwrap();
        assert_eq!(current_version(&conn).unwrap(), SCHEMA_VERSION);
        let (tokens, n): (String, i64) = conn
            .query_row("SELECT tokens, n_tokens FROM sentences", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(n, 2);
        assert_eq!(
            tokens,
            "0\t4\t=\t=\tPROPN\t_\t_\t2\tnsubj\t-\n5\t8\t=\tmeet\tVERB\t_\t_\t0\troot\t-"
        );
        let expected: Vec<dyad_core::Token> = serde_json::from_str(json).unwrap();
        let back = crate::tokens::decode_tokens(&tokens, "Oh. Iran met Syria.", 4).unwrap();
        assert_eq!(back, expected);
    }

    #[test]
    fn newer_database_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply(&mut conn, "mem").unwrap();
        conn.execute(
            "INSERT INTO schema_migrations VALUES (?1, 'x')",
            [SCHEMA_VERSION + 1],
        )
        .unwrap();
        let err = apply(&mut conn, "mem").unwrap_err();
        assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
    }
}
