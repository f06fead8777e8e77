//! End-to-end tests: the `dyad` binary on dyad's own fixtures, every reader and every bad-input
//! case, plus the seed story from ../shared when it is present.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(name: &str) -> PathBuf {
    repo().join("crates/dyad-ingest/tests/fixtures").join(name)
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn dyad(args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dyad");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn db_in(dir: &tempfile::TempDir) -> String {
    dir.path().join("test.db").display().to_string()
}

fn stats(db: &str) -> Value {
    let r = dyad(&["stats", "--db", db, "--json"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

fn ids(db: &str) -> Vec<String> {
    let r = dyad(&["stats", "--db", db, "--ids", "--quiet"], None);
    r.stdout
        .lines()
        .filter(|l| l.starts_with("txt-") || l.starts_with("src-"))
        .map(str::to_string)
        .collect()
}

fn show(db: &str, id: &str) -> Value {
    let r = dyad(&["show", "--db", db, id], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

/// A Reuters story with a year-less dateline and a dated caption: no residue of the apparatus
/// in the body, the dateline parsed, the date completed from the caption's year.
fn assert_cleaned_wire_story(doc: &Value, residue: &[&str], (month, day): (u32, u32), date: &str) {
    let text = doc["text"].as_str().unwrap();
    for r in residue {
        assert!(!text.contains(r), "residue {r:?}");
    }
    assert_eq!(doc["meta"]["dateline"]["agency"], "Reuters");
    assert_eq!(doc["meta"]["dateline"]["month"], month);
    assert_eq!(doc["meta"]["dateline"]["day"], day);
    assert_eq!(doc["date"]["date"], date);
    assert_eq!(doc["date"]["source"], "dateline_caption_year");
}

fn sentence_texts(doc: &Value) -> Vec<String> {
    doc["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn example_story_is_cleaned_dated_split_and_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_in(&dir);
    let example = repo().join("examples/wire-story.txt");
    let r = dyad(&["ingest", "--db", &db, example.to_str().unwrap()], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("1 stored"), "{}", r.stderr);

    let ids = ids(&db);
    assert_eq!(ids.len(), 1);
    let doc = show(&db, &ids[0]);
    let text = doc["text"].as_str().unwrap();
    assert_cleaned_wire_story(
        &doc,
        &[
            "aesop",
            "[",
            "(Reuters)",
            "Reporting by",
            "Editing by",
            "March 14 (",
        ],
        (3, 14),
        "2023-03-14",
    );
    assert_eq!(doc["date"]["precision"], "day");
    assert_eq!(doc["meta"]["credits"]["reporters"][0], "Omar Example");
    assert_eq!(
        doc["meta"]["credits"]["additional_reporters"][0],
        "Ece Sample"
    );
    assert_eq!(doc["meta"]["credits"]["editors"][0], "Tom Placeholder");
    let captions = doc["meta"]["captions"].as_array().unwrap();
    assert_eq!(captions.len(), 1);
    assert!(captions[0]["text"]
        .as_str()
        .unwrap()
        .contains("March 14, 2023"));
    assert!(captions[0]["image_url"]
        .as_str()
        .unwrap()
        .ends_with("baghdad-talks.jpg"));

    let sentences = sentence_texts(&doc);
    assert_eq!(sentences.len(), 8, "{sentences:#?}");
    assert!(sentences[2].starts_with("U.S. Ambassador Jane Holt said"));
    assert!(sentences[2].ends_with("live with.\""));
    assert!(sentences[4].contains("on March 28 to sign"));
    // Token offsets slice the clean text to the token's form, in bytes and in characters.
    let chars: Vec<char> = text.chars().collect();
    for s in doc["sentences"].as_array().unwrap() {
        for t in s["tokens"].as_array().unwrap() {
            let (ca, cb) = (
                t["char_start"].as_u64().unwrap() as usize,
                t["char_end"].as_u64().unwrap() as usize,
            );
            let by_chars: String = chars[ca..cb].iter().collect();
            assert_eq!(by_chars, t["form"].as_str().unwrap());
            let (a, b) = (
                t["start"].as_u64().unwrap() as usize,
                t["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&text[a..b], t["form"].as_str().unwrap());
        }
    }
}

#[test]
fn every_reader_stores_its_documents() {
    let cases = [
        ("story.txt", 1, "text"),
        ("utf16.txt", 1, "text"),
        ("article.html", 1, "html"),
        ("feed.rss", 3, "rss"),
        ("feed.atom", 3, "atom"),
        ("records.xml", 3, "petrarch"),
    ];
    for (name, expected, format) in cases {
        let dir = tempfile::tempdir().unwrap();
        let db = db_in(&dir);
        let r = dyad(
            &["ingest", "--db", &db, fixture(name).to_str().unwrap()],
            None,
        );
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        let s = stats(&db);
        assert_eq!(s["documents"], expected, "{name}: {s}");
        assert_eq!(s["by_format"][0][0], format, "{name}");
        assert!(s["sentences"].as_i64().unwrap() >= expected, "{name}");
    }
}

#[test]
fn jsonl_bad_line_is_named_and_the_rest_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_in(&dir);
    let r = dyad(
        &[
            "ingest",
            "--db",
            &db,
            fixture("stories.jsonl").to_str().unwrap(),
        ],
        None,
    );
    // The fixture holds one malformed line among good ones.
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("stories.jsonl:"), "{}", r.stderr);
    assert!(stats(&db)["documents"].as_i64().unwrap() >= 3);
}

#[test]
fn jsonl_field_names_are_configurable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("custom.jsonl");
    std::fs::write(
        &path,
        "{\"doc\": \"a-1\", \"body\": \"Rebels seized the town on Friday.\", \"when\": \"2020-02-07\"}\n",
    )
    .unwrap();
    let db = db_in(&dir);
    let r = dyad(
        &[
            "ingest",
            "--db",
            &db,
            "--jsonl-id",
            "doc",
            "--jsonl-text",
            "body",
            "--jsonl-date",
            "when",
            path.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = show(&db, &ids(&db)[0]);
    assert_eq!(doc["origin"]["source_id"], "a-1");
    assert_eq!(doc["date"]["date"], "2020-02-07");
    assert_eq!(doc["date"]["source"], "metadata");
}

#[test]
fn bad_inputs_are_named_the_batch_goes_on_and_nothing_stored_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_in(&dir);
    // A document stored before the bad batch.
    let good = dyad(
        &[
            "ingest",
            "--db",
            &db,
            fixture("story.txt").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(good.code, 0, "{}", good.stderr);
    let before = ids(&db);

    let batch = dir.path().join("batch");
    std::fs::create_dir(&batch).unwrap();
    for name in [
        "binary.bin",
        "empty.txt",
        "blank.txt",
        "invalid-utf8.txt",
        "truncated.html",
        "notext.html",
        "malformed.rss",
        "truncated.rss",
        "article.html",
    ] {
        std::fs::copy(fixture(name), batch.join(name)).unwrap();
    }
    let r = dyad(&["ingest", "--db", &db, batch.to_str().unwrap()], None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for named in ["empty.txt", "blank.txt", "notext.html", "malformed.rss"] {
        assert!(
            r.stderr.contains(named),
            "{named} not reported:\n{}",
            r.stderr
        );
    }
    // invalid UTF-8 is decoded lossily with a warning, not refused.
    assert!(r.stderr.contains("invalid-utf8.txt"), "{}", r.stderr);
    let after = ids(&db);
    for id in &before {
        assert!(after.contains(id), "stored document {id} lost");
    }
    // story.txt + article.html + invalid-utf8.txt + truncated.html + the readable RSS items.
    assert!(after.len() >= before.len() + 3, "{after:?}");
}

#[test]
fn binary_files_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_in(&dir);
    let r = dyad(
        &[
            "ingest",
            "--db",
            &db,
            fixture("binary.bin").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("binary.bin"), "{}", r.stderr);
}

#[test]
fn files_over_max_bytes_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_in(&dir);
    let r = dyad(
        &[
            "ingest",
            "--db",
            &db,
            "--max-bytes",
            "100",
            fixture("article.html").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("article.html"), "{}", r.stderr);
    assert!(r.stderr.contains("100"), "{}", r.stderr);
}

#[test]
fn reingesting_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_in(&dir);
    let path = fixture("feed.rss");
    let first = dyad(&["ingest", "--db", &db, path.to_str().unwrap()], None);
    assert!(first.stderr.contains("3 stored"), "{}", first.stderr);
    let second = dyad(&["ingest", "--db", &db, path.to_str().unwrap()], None);
    assert_eq!(second.code, 0);
    assert!(
        second.stderr.contains("0 stored, 0 updated, 3 unchanged"),
        "{}",
        second.stderr
    );
    assert_eq!(stats(&db)["documents"], 3);
}

#[test]
fn stdin_with_date_option_and_format() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_in(&dir);
    let story = "BEIRUT (Reuters) - Israeli jets struck targets near Damascus, a monitor said.";
    let r = dyad(
        &[
            "ingest",
            "--db",
            &db,
            "--date",
            "2019-06-02",
            "--format",
            "text",
            "-",
        ],
        Some(story.as_bytes()),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = show(&db, &ids(&db)[0]);
    assert_eq!(doc["meta"]["dateline"]["place"], "BEIRUT");
    assert_eq!(doc["date"]["date"], "2019-06-02");
    assert_eq!(doc["date"]["source"], "option");
    assert!(doc["text"].as_str().unwrap().starts_with("Israeli jets"));
}

#[test]
fn unknown_and_unclosed_shortcodes_are_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sc.txt");
    std::fs::write(
        &path,
        "Troops left the city on Monday.\n[my_widget id=\"4\"]\nThe mayor thanked them.\n[aesop_image img=\"https://x.example/a.jpg\" caption=\"The mayor in the square",
    )
    .unwrap();
    let db = db_in(&dir);
    let r = dyad(&["ingest", "--db", &db, path.to_str().unwrap()], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("unknown shortcode [my_widget]"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("unclosed shortcode [aesop_image]"),
        "{}",
        r.stderr
    );
    let doc = show(&db, &ids(&db)[0]);
    assert_eq!(
        doc["text"],
        "Troops left the city on Monday.\n\nThe mayor thanked them."
    );
    assert_eq!(
        doc["meta"]["captions"][0]["text"],
        "The mayor in the square"
    );
    assert_eq!(doc["warnings"].as_array().unwrap().len(), 2);
}

#[test]
fn missing_database_for_show_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_in(&dir);
    let r = dyad(&["show", "--db", &db, "abc"], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("does not exist"), "{}", r.stderr);
    assert!(!Path::new(&db).exists());
}

/// `dyad parse` with either parser: CoNLL-U whose key arcs (subject, object,
/// oblique) are right on a sentence of our own.
#[test]
fn parse_prints_conllu_with_the_key_arcs() {
    let text = "The rebels released the hostages in Mosul on Friday.";
    for parser in ["fast", "accurate"] {
        let r = dyad(
            &["parse", "--format", "text", "--parser", parser, "-q", "-"],
            Some(text.as_bytes()),
        );
        assert_eq!(r.code, 0, "{parser}: {}", r.stderr);
        let rows: Vec<Vec<&str>> = r
            .stdout
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| l.split('\t').collect())
            .collect();
        let row = |form: &str| {
            rows.iter()
                .find(|c| c[1] == form)
                .unwrap_or_else(|| panic!("{parser}: no {form} in {}", r.stdout))
        };
        let released = row("released")[0];
        assert_eq!(
            (row("released")[6], row("released")[7]),
            ("0", "root"),
            "{parser}"
        );
        assert_eq!(
            (row("rebels")[6], row("rebels")[7]),
            (released, "nsubj"),
            "{parser}"
        );
        assert_eq!(
            (row("hostages")[6], row("hostages")[7]),
            (released, "obj"),
            "{parser}"
        );
        assert_eq!(row("Mosul")[6], released, "{parser}");
        assert!(row("Mosul")[7].starts_with("obl"), "{parser}");
        assert_eq!(row("released")[2], "release", "{parser}");
    }
}

#[test]
fn every_subcommand_has_help() {
    let top = dyad(&["--help"], None);
    assert_eq!(top.code, 0);
    let subcommands: Vec<String> = top
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // Command names are indented by two spaces; wrapped descriptions by more.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(
        subcommands.contains(&"ingest".to_string()),
        "{}",
        top.stdout
    );
    for sub in subcommands {
        let r = dyad(&[&sub, "--help"], None);
        assert_eq!(r.code, 0, "{sub} --help failed: {}", r.stderr);
        assert!(r.stdout.contains("Usage:"), "{sub}");
    }
}

/// The seed story of ../shared: everything issue #2 asks of it. Skipped when absent.
#[test]
fn seed_story_from_shared() {
    let seed = repo().join("../shared/examples/reuters-idlib-2018-09-03.txt");
    if !seed.exists() {
        eprintln!("skipping: {} not found", seed.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = db_in(&dir);
    let r = dyad(&["ingest", "--db", &db, seed.to_str().unwrap()], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = show(&db, &ids(&db)[0]);
    assert_cleaned_wire_story(
        &doc,
        &[
            "aesop",
            "[",
            "]",
            "(Reuters)",
            "Reporting by",
            "Editing by",
            "Toby",
        ],
        (9, 3),
        "2018-09-03",
    );
    let credits = &doc["meta"]["credits"];
    assert_eq!(
        credits["reporters"],
        serde_json::json!(["Babak Dehghanpisheh"])
    );
    assert_eq!(
        credits["additional_reporters"],
        serde_json::json!(["Lisa Barrington"])
    );
    assert_eq!(credits["editors"], serde_json::json!(["Toby Chopra"]));
    let captions = doc["meta"]["captions"].as_array().unwrap();
    assert_eq!(captions.len(), 1);
    assert!(captions[0]["image_url"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    assert!(captions[0]["text"].as_str().unwrap().contains("2018"));

    let sentences = sentence_texts(&doc);
    // One sentence per body line, except the "Last week" line that holds two.
    assert_eq!(sentences.len(), 12, "{sentences:#?}");
    assert!(sentences[9].starts_with("Last week, Iran's defence minister"));
    assert!(sentences[10].starts_with("Iranian foreign ministry spokesman"));
    for s in &sentences {
        assert!(!s.ends_with("Sept."), "split after Sept.: {s}");
        let quotes = s.matches('"').count();
        assert!(quotes % 2 == 0, "split inside a quote: {s}");
    }
    assert!(sentences
        .iter()
        .any(|s| s.contains("on Sept. 7 to discuss Idlib")));
}

fn code_events(args: &[&str]) -> (Run, Vec<Value>) {
    let r = dyad(args, None);
    let events = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l}: {e}")))
        .collect();
    (r, events)
}

fn has_event(events: &[Value], source: &str, target: &str, cameo_prefix: &str) -> bool {
    events.iter().any(|e| {
        e["source"]["code"] == source
            && e["target"]["code"] == target
            && e["cameo"].as_str().unwrap().starts_with(cameo_prefix)
    })
}

#[test]
fn code_the_example_story_stores_and_writes_events() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_in(&dir);
    let example = repo().join("examples/wire-story.txt");
    let (r, events) = code_events(&["code", "--db", &db, example.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(has_event(&events, "TURGOV", "IRQGOV", "04"), "{}", r.stdout);
    let visit = events
        .iter()
        .find(|e| e["cameo"] == "042" && e["source"]["code"] == "IRQGOV")
        .expect("announced visit to Ankara");
    assert_eq!(visit["target"]["code"], "TURGOV");
    assert_eq!(visit["modality"], "future");
    assert_eq!(visit["date"], "2023-03-28");
    for e in &events {
        for side in ["source", "target"] {
            let text = e[side]["text"].as_str().unwrap().to_lowercase();
            assert!(
                !["he", "she", "it", "they", "who"].contains(&text.as_str()),
                "{e}"
            );
        }
        assert!(e["evidence"]["rule"]
            .as_str()
            .unwrap()
            .contains("dictionaries/verbs/"));
        assert!(e["confidence"].as_f64().unwrap() > 0.0);
    }
    // Stored with the document.
    let s = stats(&db);
    assert_eq!(s["documents"], 1);
    assert_eq!(s["events"].as_u64().unwrap() as usize, events.len());
}

#[test]
fn code_output_formats() {
    let example = repo().join("examples/wire-story.txt");
    let path = example.to_str().unwrap();
    let gdelt = dyad(&["code", "--no-store", "-f", "gdelt", path], None);
    assert_eq!(gdelt.code, 0, "{}", gdelt.stderr);
    let rows: Vec<&str> = gdelt.stdout.lines().collect();
    assert!(!rows.is_empty());
    for row in &rows {
        let cols: Vec<&str> = row.split('\t').collect();
        assert_eq!(cols.len(), 61, "{row}");
        assert!(cols[1].starts_with("2023"), "{row}");
        assert!(cols[60].ends_with("wire-story.txt"), "{row}");
    }
    let csv = dyad(&["code", "--no-store", "-f", "csv", path], None);
    assert!(csv.stdout.starts_with("event_id,doc_id,sentence,date"));
    assert_eq!(csv.stdout.lines().count(), rows.len() + 1);
    let plover = dyad(&["code", "--no-store", "-f", "plover", path], None);
    for line in plover.stdout.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert!(v["event"].is_string());
        assert!(v["actor"]["code"].is_string() && v["recipient"]["code"].is_string());
    }
}

/// The seed story of ../shared: what issue #4 asks of `dyad code`. Skipped when absent.
#[test]
fn code_the_seed_story() {
    let seed = repo().join("../shared/examples/reuters-idlib-2018-09-03.txt");
    if !seed.exists() {
        eprintln!("skipping: {} not found", seed.display());
        return;
    }
    let (r, events) = code_events(&["code", "--no-store", seed.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let find = |s: &str, t: &str, c: &str| {
        events
            .iter()
            .filter(|e| {
                e["source"]["code"] == s
                    && e["target"]["code"].as_str().unwrap().starts_with(t)
                    && e["cameo"].as_str().unwrap().starts_with(c)
            })
            .collect::<Vec<_>>()
    };
    // Zarif meets Assad, Khamis and al-Muallem: one event each.
    let meetings = find("IRNGOV", "SYRGOV", "04");
    assert!(
        meetings.iter().filter(|e| e["cameo"] == "040").count() >= 3,
        "{}",
        r.stdout
    );
    assert!(meetings
        .iter()
        .filter(|e| e["cameo"] == "040")
        .all(|e| e["date"] == "2018-09-03"));
    assert!(
        !find("IRNGOV", "SYRGOV", "042").is_empty(),
        "visit to Damascus"
    );
    assert!(
        !find("SYRGOV", "IRN", "02").is_empty(),
        "appeal for Iran's support"
    );
    let threat = find("USAGOV", "SYRGOV", "13");
    assert!(
        threat
            .iter()
            .any(|e| e["modality"] == "future" || e["modality"] == "conditional"),
        "{}",
        r.stdout
    );
    assert!(
        events
            .iter()
            .any(|e| e["source"]["country"] == "IRN"
                && e["cameo"].as_str().unwrap().starts_with("10"))
    );
    let signing: Vec<_> = find("IRNGOV", "SYR", "057");
    assert!(!signing.is_empty(), "{}", r.stdout);
    assert_eq!(signing[0]["date"], "2018-08-27");
    assert_eq!(signing[0]["date_precision"], "week");
    let hosting: Vec<_> = events
        .iter()
        .filter(|e| e["evidence"]["trigger"] == "host")
        .collect();
    assert!(!hosting.is_empty(), "{}", r.stdout);
    for h in hosting {
        assert_eq!(h["date"], "2018-09-07");
        assert_eq!(h["modality"], "future");
    }
    for e in &events {
        let root = e["cameo_root"].as_str().unwrap();
        assert!(
            !["18", "19", "20"].contains(&root),
            "nobody was attacked: {e}"
        );
        for side in ["source", "target"] {
            let text = e[side]["text"].as_str().unwrap().to_lowercase();
            assert!(
                !["he", "she", "it", "they", "who", "his"].contains(&text.as_str()),
                "{e}"
            );
        }
    }
}

#[test]
fn show_gives_character_offsets_for_non_ascii_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_in(&dir);
    let story = "Café owners in Genève protested on Monday. Zürich's mayor met them.";
    let r = dyad(&["ingest", "--db", &db, "-"], Some(story.as_bytes()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = show(&db, &ids(&db)[0]);
    let chars: Vec<char> = doc["text"].as_str().unwrap().chars().collect();
    let mut checked = 0;
    for s in doc["sentences"].as_array().unwrap() {
        for t in s["tokens"].as_array().unwrap() {
            let (a, b) = (
                t["char_start"].as_u64().unwrap() as usize,
                t["char_end"].as_u64().unwrap() as usize,
            );
            let form: String = chars[a..b].iter().collect();
            assert_eq!(form, t["form"].as_str().unwrap());
            if !form.is_ascii() {
                assert_ne!(t["end"], t["char_end"].clone(), "{t}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 2);
}
