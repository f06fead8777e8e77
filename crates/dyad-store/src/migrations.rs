//! Versioned schema migrations. Each entry upgrades the schema by one version inside a
//! transaction; applied versions are recorded in `schema_migrations`. Never edit a released
//! migration: add a new one.

use rusqlite::Connection;

use crate::{Result, StoreError};

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
];

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
