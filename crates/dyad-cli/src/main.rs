//! `dyad`: turn news stories into political event data.

mod code_cmd;
mod driver;
mod ingest_cmd;
mod parse_cmd;
mod pipeline;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use dyad_store::{Store, DEFAULT_DB_PATH};

// The pipeline makes many small, short-lived allocations (token strings, phrase lookups,
// event records); mimalloc serves them faster than the system allocator.
#[global_allocator]
static GLOBAL: Mimalloc = Mimalloc;

/// mimalloc through its plain entry points where they suffice. (The `mimalloc` crate sends
/// every request through `mi_malloc_aligned`, whose extra checks were a tenth of the
/// allocation cost in the coder's profile.) Every mimalloc block is aligned to at least
/// [`PLAIN_ALIGN`]: block sizes are multiples of the word size and pages start 16-aligned.
struct Mimalloc;

/// The alignment every plain mimalloc allocation has.
const PLAIN_ALIGN: usize = 8;

// SAFETY: each method forwards to the mimalloc function with the same contract, choosing
// the aligned variant whenever the layout asks for more than `PLAIN_ALIGN`; `mi_free`
// releases blocks from either family.
unsafe impl std::alloc::GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_malloc, mi_malloc_aligned};
        if layout.align() <= PLAIN_ALIGN {
            mi_malloc(layout.size()).cast()
        } else {
            mi_malloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_zalloc, mi_zalloc_aligned};
        if layout.align() <= PLAIN_ALIGN {
            mi_zalloc(layout.size()).cast()
        } else {
            mi_zalloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        libmimalloc_sys::mi_free(ptr.cast());
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        use libmimalloc_sys::{mi_realloc, mi_realloc_aligned};
        if layout.align() <= PLAIN_ALIGN {
            mi_realloc(ptr.cast(), new_size).cast()
        } else {
            mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
        }
    }
}

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (libmimalloc-sys does not name it;
/// the test below checks that this index holds the option's default, 1000 ms).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keep freed memory mapped instead of returning it to the OS a second later: a batch run frees
/// and reallocates the same few hundred megabytes per document, and every purge meant fresh
/// page faults and zeroed pages again (a quarter of the system time of `dyad code`). Peak memory
/// is unchanged; the process just does not shrink between documents.
fn keep_freed_memory() {
    // SAFETY: called first thing in `main`, before any other thread exists (the option
    // setters are not thread-safe); the index is checked by `purge_delay_option_index`.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

#[derive(Debug, Parser)]
#[command(
    name = "dyad",
    version,
    about = "Turn news stories into political event data: who did what to whom, when, where.",
    long_about = None
)]
struct Cli {
    /// SQLite database to store documents and events in.
    #[arg(long, global = true, value_name = "PATH", default_value = DEFAULT_DB_PATH, env = "DYAD_DB")]
    db: PathBuf,
    /// No progress bar and no summary.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read stories (text, HTML, JSONL, RSS/Atom, PETRARCH XML, directories, stdin), clean,
    /// date and sentence-split them, and store them in the database.
    Ingest(ingest_cmd::IngestArgs),
    /// Code stories into CAMEO/PLOVER events (read, clean, analyse, code, store, write out).
    Code(code_cmd::CodeArgs),
    /// Print the analysis (tokens, POS, lemmas, UD dependencies) of any input as CoNLL-U.
    Parse(parse_cmd::ParseArgs),
    /// Train the tagger, lemmatiser or parser on a UD treebank.
    Train(dyad_analyze::TrainArgs),
    /// Evaluate dyad on reference data.
    Eval {
        #[command(subcommand)]
        what: EvalCommand,
    },
    /// Resolve a place name, or list the places of a document, with the choices and why.
    Geo(dyad_geo::GeoArgs),
    /// Check dictionaries and look phrases up in them.
    Dict {
        #[command(subcommand)]
        command: dyad_dict::cli::DictCommand,
    },
    /// Print a stored document as JSON.
    Show {
        /// Document id (or a unique prefix of it), as printed by `dyad ingest` and `dyad stats`.
        doc_id: String,
    },
    /// Counts of what the database holds.
    Stats {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Also list every document id.
        #[arg(long)]
        ids: bool,
    },
}

#[derive(Debug, Subcommand)]
enum EvalCommand {
    /// Sentence splitting and tokenisation against a CoNLL-U file's `# text` lines.
    Segment(dyad_tokenize::EvalSegmentArgs),
    /// UPOS, XPOS, features, lemmas, UAS and LAS against a CoNLL-U treebank.
    Ud(dyad_analyze::EvalUdArgs),
    /// Toponym resolution and recognition against LGL-style gold annotations.
    Geo(dyad_geo::EvalGeoArgs),
    /// Event coding against PETRARCH validation records, with PETRARCH dictionaries.
    Petrarch(dyad_petrarch::EvalPetrarchArgs),
}

fn main() -> ExitCode {
    keep_freed_memory();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<i32> {
    match &cli.command {
        Command::Ingest(args) => ingest_cmd::run(args, &cli.db, cli.quiet),
        Command::Code(args) => code_cmd::run(args, &cli.db, cli.quiet),
        Command::Parse(args) => parse_cmd::run(args, cli.quiet),
        Command::Train(args) => dyad_analyze::run_train(args.clone()).map(|()| 0),
        Command::Eval { what } => match what {
            EvalCommand::Segment(args) => dyad_tokenize::run_eval(args).map(|()| 0),
            EvalCommand::Ud(args) => dyad_analyze::run_eval_ud(args.clone()).map(|()| 0),
            EvalCommand::Geo(args) => dyad_geo::run_eval_geo(args.clone()).map(|()| 0),
            EvalCommand::Petrarch(args) => {
                dyad_petrarch::run_eval_petrarch(args.clone()).map(|()| 0)
            }
        },
        Command::Geo(args) => dyad_geo::run_geo(args.clone()).map(|()| 0),
        Command::Dict { command } => dyad_dict::cli::run(command.clone()).map(|()| 0),
        Command::Show { doc_id } => {
            let store = open_existing(&cli.db)?;
            let doc = store
                .get_document(doc_id)?
                .with_context(|| format!("no document '{doc_id}' in {}", cli.db.display()))?;
            println!("{}", serde_json::to_string_pretty(&show_json(&doc))?);
            Ok(0)
        }
        Command::Stats { json, ids } => {
            let store = open_existing(&cli.db)?;
            let stats = store.stats()?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&stats)?);
            } else {
                println!("database        {}", cli.db.display());
                println!("schema version  {}", stats.schema_version);
                println!("documents       {}", stats.documents);
                println!("  dated         {}", stats.dated_documents);
                println!("  with warnings {}", stats.with_warnings);
                println!("sentences       {}", stats.sentences);
                println!("tokens          {}", stats.tokens);
                println!("captions        {}", stats.captions);
                if let (Some(a), Some(b)) = (&stats.earliest_date, &stats.latest_date) {
                    println!("story dates     {a} .. {b}");
                }
                for (format, n) in &stats.by_format {
                    println!("format {format:<8} {n}");
                }
            }
            if *ids {
                for id in store.document_ids()? {
                    println!("{id}");
                }
            }
            Ok(0)
        }
    }
}

/// Open a database that must already exist (reading commands should not create empty files).
fn open_existing(db: &Path) -> Result<Store> {
    anyhow::ensure!(
        db.exists(),
        "database {} does not exist; create it with `dyad ingest --db {} PATHS…`",
        db.display(),
        db.display()
    );
    Store::open(db).with_context(|| format!("opening the database {}", db.display()))
}

/// The document as JSON for `dyad show`: each sentence with its text, and every sentence and
/// token span also as character offsets (`char_start`, `char_end`: Unicode scalar values, as
/// Python's `str` counts) next to the UTF-8 byte offsets (`start`, `end`) dyad uses inside.
fn show_json(doc: &dyad_core::Document) -> serde_json::Value {
    // Character index of every byte offset that starts a character (and of the end).
    let mut char_at = vec![0usize; doc.text.len() + 1];
    let mut n = 0;
    for (b, _) in doc.text.char_indices() {
        char_at[b] = n;
        n += 1;
    }
    char_at[doc.text.len()] = n;
    let chars = |b: usize| char_at.get(b).copied().unwrap_or(n);
    let add_chars =
        |obj: &mut serde_json::Map<String, serde_json::Value>, start: usize, end: usize| {
            obj.insert("char_start".into(), chars(start).into());
            obj.insert("char_end".into(), chars(end).into());
        };
    let mut value = serde_json::to_value(doc).unwrap_or_default();
    if let Some(sentences) = value.get_mut("sentences").and_then(|s| s.as_array_mut()) {
        for (s, json) in doc.sentences.iter().zip(sentences.iter_mut()) {
            let Some(obj) = json.as_object_mut() else {
                continue;
            };
            obj.insert("text".into(), s.text(&doc.text).into());
            add_chars(obj, s.start, s.end);
            if let Some(tokens) = obj.get_mut("tokens").and_then(|t| t.as_array_mut()) {
                for (t, tj) in s.tokens.iter().zip(tokens.iter_mut()) {
                    if let Some(tobj) = tj.as_object_mut() {
                        add_chars(tobj, t.start, t.end);
                    }
                }
            }
        }
    }
    if let Some(obj) = value.as_object_mut() {
        obj.insert(
            "offsets".into(),
            "start/end: UTF-8 bytes; char_start/char_end: characters".into(),
        );
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocations_keep_their_alignment() {
        use std::alloc::{GlobalAlloc, Layout};
        // Sizes across mimalloc's small bins, with the plain path (align <= 8) and the
        // aligned one.
        for align in [1usize, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1usize, 7, 8, 12, 24, 40, 56, 100, 1000, 5000, 70_000] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: non-zero sizes; every block is freed with its own layout.
                unsafe {
                    let p = GLOBAL.alloc(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "size {size}, align {align}");
                    p.write_bytes(0xAB, size);
                    let q = GLOBAL.realloc(p, layout, size * 3);
                    assert_eq!(q as usize % align, 0, "realloc: size {size}, align {align}");
                    assert_eq!(*q.add(size - 1), 0xAB);
                    GLOBAL.dealloc(q, Layout::from_size_align(size * 3, align).unwrap());
                    let z = GLOBAL.alloc_zeroed(layout);
                    assert_eq!(z as usize % align, 0);
                    assert!((0..size).all(|i| *z.add(i) == 0));
                    GLOBAL.dealloc(z, layout);
                }
            }
        }
    }

    #[test]
    fn purge_delay_option_index() {
        // mimalloc 3 sets `purge_delay` to 1000 ms by default (options.c); the neighbouring
        // options default to other values (1 and 0), so a shifted enum would show here.
        // SAFETY: reading an option is a plain load; nothing else sets options in tests.
        let (delay, before, after) = unsafe {
            (
                libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY),
                libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY - 1),
                libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY + 1),
            )
        };
        assert_eq!(
            delay, 1000,
            "option {MI_OPTION_PURGE_DELAY} is not purge_delay"
        );
        assert_ne!(before, 1000);
        assert_ne!(after, 1000);
    }
}
