//! End-to-end tests of the readers on the fixtures in `tests/fixtures/`.

use std::path::{Path, PathBuf};

use dyad_core::{DatePrecision, DateSource, Document, InputFormat};
use dyad_ingest::{
    discover, read_bytes, read_path, sniff, ErrorKind, IngestError, JsonlFields, ReadOptions,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn read(name: &str) -> Vec<Result<Document, IngestError>> {
    read_path(&fixture(name), &ReadOptions::default())
}

fn ok_docs(results: &[Result<Document, IngestError>]) -> Vec<&Document> {
    results.iter().filter_map(|r| r.as_ref().ok()).collect()
}

fn errors(results: &[Result<Document, IngestError>]) -> Vec<&IngestError> {
    results.iter().filter_map(|r| r.as_ref().err()).collect()
}

fn ymd(d: &Document) -> String {
    d.date.map(|s| s.date.to_string()).unwrap_or_default()
}

#[test]
fn wordpress_article_main_text_and_metadata() {
    let r = read("article.html");
    assert_eq!(r.len(), 1);
    let d = r[0].as_ref().unwrap();
    let t = &d.raw_text;
    assert!(
        t.starts_with("GENEVA, Sept. 3 (Meridian) — Negotiators"),
        "{t}"
    );
    assert!(t.ends_with("Editing by Hugh Lawson)"), "{t}");
    // Paragraph structure kept; the shortcode left for the clean stage.
    assert_eq!(t.matches("\n\n").count(), 5, "{t}");
    assert!(t.contains("\n\n[aesop_image img=\"https://meridianpost.example/wp-content/uploads/2018/09/geneva-talks.jpg\""));
    assert!(t.contains("“We are not there yet, but the door is open again,”"));
    for boiler in [
        "Skip to content",
        "Read more",
        "Politics",
        "cookies",
        "Advertisement",
        "googletag",
        "Share this",
        "Twitter",
        "Related stories",
        "Villagers flee",
        "Finally some good news",
        "Post Comment",
        "newsletter",
        "Most read",
        "All rights reserved",
        "Posted in",
        "The OSCE mediator speaks", // caption, not body
        "Border talks resume",      // headline, not body
    ] {
        assert!(!t.contains(boiler), "boilerplate {boiler:?} in body:\n{t}");
    }
    let m = &d.meta;
    assert_eq!(
        m.title.as_deref(),
        Some("Border talks resume in Geneva after three-month pause")
    );
    assert_eq!(m.authors, vec!["Lena Okafor"]);
    assert_eq!(m.publisher.as_deref(), Some("The Meridian Post"));
    assert_eq!(m.language.as_deref(), Some("en-US"));
    assert_eq!(
        m.canonical_url.as_deref(),
        Some("https://meridianpost.example/2018/09/03/border-talks-resume-geneva/")
    );
    assert_eq!(m.published.as_deref(), Some("2018-09-03T14:20:00+02:00"));
    assert_eq!(ymd(d), "2018-09-03");
    let date = d.date.unwrap();
    assert_eq!(date.precision, DatePrecision::Day);
    assert_eq!(date.source, DateSource::Metadata);
    assert_eq!(m.captions.len(), 1);
    assert_eq!(m.captions[0].source, "figcaption");
    assert!(m.captions[0]
        .text
        .starts_with("The OSCE mediator speaks to reporters"));
    assert_eq!(
        m.captions[0].image_url.as_deref(),
        Some("https://meridianpost.example/wp-content/uploads/2018/09/mediator.jpg")
    );
    assert_eq!(d.origin.format, Some(InputFormat::Html));
    assert!(d.origin.path.as_deref().unwrap().ends_with("article.html"));
    assert_eq!(d.id, dyad_core::content_id(t));
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn truncated_html_gives_best_effort_text() {
    let r = read("truncated.html");
    let d = r[0].as_ref().unwrap();
    assert!(d.raw_text.starts_with("SAO PAULO, Nov 8 - Dock workers"));
    assert!(d
        .raw_text
        .ends_with("which the union said would last at least"));
    assert!(!d.raw_text.contains("Home"));
    assert_eq!(ymd(d), "2022-11-08");
}

#[test]
fn html_without_text_is_no_text() {
    let e = read("notext.html").remove(0).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NoText);
    assert!(e.to_string().contains("notext.html: no text"), "{e}");
}

#[test]
fn rss_items_become_documents() {
    let r = read("feed.rss");
    assert_eq!(r.len(), 3);
    let docs = ok_docs(&r);
    assert_eq!(docs.len(), 3);
    let lines: Vec<u64> = docs.iter().map(|d| d.origin.line.unwrap()).collect();
    assert_eq!(lines, vec![1, 2, 3]);
    let first = docs[0];
    // content:encoded is preferred over the teaser description; its HTML is extracted.
    assert!(first
        .raw_text
        .starts_with("CARACAS, Jan 23 (Harbor Courier) – Tens of thousands"));
    assert!(first.raw_text.contains("\n\nThe government accused"));
    assert!(!first.raw_text.contains("Tweet"));
    assert_eq!(first.meta.captions.len(), 1);
    assert_eq!(first.meta.authors, vec!["Marisol Vega"]);
    assert_eq!(
        first.meta.publisher.as_deref(),
        Some("Harbor Courier – World")
    );
    assert_eq!(first.meta.language.as_deref(), Some("en-GB"));
    assert_eq!(
        first.origin.source_id.as_deref(),
        Some("https://harborcourier.example/?p=10231")
    );
    assert_eq!(
        first.id,
        dyad_core::stable_id("https://harborcourier.example/?p=10231")
    );
    assert_eq!(ymd(first), "2019-01-23");
    // Escaped HTML in <description>.
    assert!(docs[1]
        .raw_text
        .starts_with("TOKYO – Japan and South Korea"));
    assert_eq!(docs[1].raw_text.matches("\n\n").count(), 1);
    assert_eq!(docs[1].meta.authors, vec!["Kenji Mori"]);
    // Plain-text description.
    assert!(docs[2]
        .raw_text
        .starts_with("The United Nations envoy for Yemen"));
    assert_eq!(
        docs[2].meta.url.as_deref(),
        Some("https://harborcourier.example/world/2019/01/25/yemen-envoy/")
    );
    assert!(docs
        .iter()
        .all(|d| d.origin.format == Some(InputFormat::Rss)));
}

#[test]
fn atom_entries_become_documents() {
    let r = read("feed.atom");
    let docs = ok_docs(&r);
    assert_eq!(docs.len(), 3);
    assert!(docs
        .iter()
        .all(|d| d.origin.format == Some(InputFormat::Atom)));
    let a = docs[0];
    assert_eq!(
        a.meta.title.as_deref(),
        Some("Poland and Lithuania sign energy pact")
    );
    assert!(a.raw_text.starts_with("WARSAW — Poland and Lithuania"));
    assert_eq!(
        a.meta.url.as_deref(),
        Some("https://northernledger.example/europe/2020/03/11/energy-pact")
    );
    assert_eq!(a.meta.authors, vec!["Agnieszka Nowak"]);
    assert_eq!(ymd(a), "2020-03-11"); // published, not updated
                                      // Inline XHTML content; feed author as fallback; updated as the date.
    assert!(docs[1]
        .raw_text
        .starts_with("ATHENS — The Greek coast guard"));
    assert!(docs[1].raw_text.contains("\n\nTwo people"));
    assert_eq!(docs[1].meta.authors, vec!["Northern Ledger Desk"]);
    assert_eq!(ymd(docs[1]), "2020-03-12");
    assert_eq!(docs[2].raw_text, "European Union foreign ministers will meet in Zagreb on Friday to discuss relations with Turkey.");
    assert_eq!(
        docs[2].meta.publisher.as_deref(),
        Some("Northern Ledger: Europe")
    );
}

#[test]
fn malformed_and_truncated_feeds_keep_earlier_items() {
    let r = read("malformed.rss");
    assert_eq!(ok_docs(&r).len(), 2);
    let e = errors(&r);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].kind, ErrorKind::Malformed);
    let msg = e[0].to_string();
    assert!(
        msg.contains("malformed.rss: malformed XML at line 8, byte"),
        "{msg}"
    );

    let r = read("truncated.rss");
    assert_eq!(ok_docs(&r).len(), 1);
    let e = errors(&r);
    assert_eq!(e[0].kind, ErrorKind::Malformed);
    assert!(e[0].message.contains("line 6"), "{}", e[0]);
}

#[test]
fn jsonl_lines_and_per_line_errors() {
    let r = read("stories.jsonl");
    assert_eq!(r.len(), 5, "blank line skipped");
    let docs = ok_docs(&r);
    assert_eq!(docs.len(), 3);
    let a = docs[0];
    assert_eq!(a.origin.line, Some(1));
    assert_eq!(a.origin.source_id.as_deref(), Some("wire-2021-0001"));
    assert_eq!(a.meta.authors, vec!["Dana Levi", "Omar Saleh"]);
    assert_eq!(a.meta.publisher.as_deref(), Some("Example Wire"));
    assert_eq!(
        a.meta.url.as_deref(),
        Some("https://wire.example/2021/05/10/gaza")
    );
    assert!(a
        .raw_text
        .contains("air strikes, officials on both sides said.\n\nThe Israeli"));
    assert_eq!(ymd(a), "2021-05-10");
    // html field → extractor; numeric id; unknown fields kept in extra.
    let b = docs[1];
    assert_eq!(b.origin.line, Some(2));
    assert_eq!(b.origin.source_id.as_deref(), Some("20210511"));
    assert!(b.raw_text.starts_with("CAIRO - Egypt offered"));
    assert!(!b.raw_text.contains("Home") && !b.raw_text.contains("footer"));
    assert_eq!(b.meta.title.as_deref(), Some("Egypt offers to mediate"));
    assert_eq!(b.meta.authors, vec!["Sara Mansour"]);
    assert_eq!(
        b.meta.extra.get("section").map(String::as_str),
        Some("Middle East")
    );
    assert_eq!(ymd(b), "2021-05-11");
    // Epoch-seconds date, "A and B" author string.
    let c = docs[2];
    assert_eq!(c.origin.line, Some(6));
    assert_eq!(ymd(c), "2021-05-13");
    assert_eq!(c.meta.authors, vec!["Laith Haddad", "Mira Khoury"]);

    let errs = errors(&r);
    assert_eq!(
        errs[0].name,
        format!("{}:4", fixture("stories.jsonl").display())
    );
    assert_eq!(errs[0].kind, ErrorKind::Malformed);
    assert!(errs[0].message.starts_with("invalid JSON"), "{}", errs[0]);
    assert!(errs[1].name.ends_with("stories.jsonl:5"));
    assert_eq!(errs[1].kind, ErrorKind::NoText);
}

#[test]
fn jsonl_custom_field_names() {
    let input = b"{\"guid\": \"g1\", \"body\": \"Troops crossed the river on Monday.\", \"when\": \"2017-07-04\", \"headline\": \"H\"}\n";
    let opts = ReadOptions {
        jsonl: JsonlFields {
            id: "guid".into(),
            text: "body".into(),
            date: "when".into(),
            title: "headline".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    let r = read_bytes("custom.jsonl", input, &opts);
    let d = r[0].as_ref().unwrap();
    assert_eq!(d.origin.source_id.as_deref(), Some("g1"));
    assert_eq!(d.raw_text, "Troops crossed the river on Monday.");
    assert_eq!(d.meta.title.as_deref(), Some("H"));
    assert_eq!(ymd(d), "2017-07-04");
    assert!(d.meta.extra.is_empty(), "{:?}", d.meta.extra);
}

#[test]
fn json_array_and_single_object() {
    let arr = br#"[{"id": "a", "text": "First story text."}, 7, {"id": "b", "text": "Second story text."}]"#;
    let r = read_bytes("stories.json", arr, &ReadOptions::default());
    assert_eq!(ok_docs(&r).len(), 2);
    assert!(errors(&r)[0].name.ends_with("stories.json:2"));
    let one = b"{\n  \"id\": \"x\",\n  \"text\": \"A pretty-printed story.\"\n}\n";
    let r = read_bytes("one.json", one, &ReadOptions::default());
    assert_eq!(r[0].as_ref().unwrap().raw_text, "A pretty-printed story.");
}

#[test]
fn invalid_utf8_in_jsonl_warns_on_its_line_only() {
    let input =
        b"{\"id\":\"1\",\"text\":\"clean line\"}\n{\"id\":\"2\",\"text\":\"caf\xe9 line\"}\n";
    let r = read_bytes("w.jsonl", input, &ReadOptions::default());
    let docs = ok_docs(&r);
    assert!(docs[0].warnings.is_empty());
    assert_eq!(docs[1].raw_text, "caf\u{FFFD} line");
    assert!(
        docs[1].warnings[0].contains("byte 52"),
        "{:?}",
        docs[1].warnings
    );
}

#[test]
fn petrarch_records_including_self_closed_sentence() {
    let r = read("records.xml");
    let docs = ok_docs(&r);
    assert_eq!(docs.len(), 3, "{:?}", errors(&r));
    let ids: Vec<&str> = docs
        .iter()
        .map(|d| d.origin.source_id.as_deref().unwrap())
        .collect();
    assert_eq!(ids, vec!["DYAD-TEST-01", "DYAD-TEST-02", "DYAD-TEST-03"]);
    let a = docs[0];
    assert_eq!(
        a.raw_text,
        "The French defence minister visited Bamako on Saturday to meet Malian officials."
    );
    assert_eq!(a.meta.category.as_deref(), Some("DEMO"));
    assert!(a
        .meta
        .given_parse
        .as_deref()
        .unwrap()
        .starts_with("(ROOT (S (NP (DT The)"));
    assert_eq!(
        a.meta.extra.get("sentence").map(String::as_str),
        Some("true")
    );
    assert_eq!(ymd(a), "2015-03-14");
    assert_eq!(a.origin.line, Some(1));
    assert_eq!(a.id, dyad_core::stable_id("DYAD-TEST-01"));
    let ev: serde_json::Value = serde_json::from_str(&a.meta.extra["expected_events"]).unwrap();
    assert_eq!(
        ev,
        serde_json::json!([{"sourcecode": "FRA", "targetcode": "MLI", "eventcode": "042"}])
    );

    let b = docs[1];
    assert_eq!(b.raw_text, "Kenya criticised Somali militia leaders after clashes on the border & fighting near Mandera.");
    assert!(b
        .meta
        .given_parse
        .as_deref()
        .unwrap()
        .contains("1\tKenya\tKenya\tPROPN"));
    let ev: serde_json::Value = serde_json::from_str(&b.meta.extra["expected_events"]).unwrap();
    assert_eq!(ev.as_array().unwrap().len(), 2);
    assert_eq!(
        b.meta.extra.get("evaluate").map(String::as_str),
        Some("true")
    );

    // Spaces around '=', a noevents coding, a Config element before it.
    let c = docs[2];
    assert_eq!(c.origin.source_id.as_deref(), Some("DYAD-TEST-03"));
    assert_eq!(ymd(c), "2015-03-20");
    assert_eq!(
        c.meta.extra.get("noevents").map(String::as_str),
        Some("True")
    );
    assert!(!c.meta.extra.contains_key("expected_events"));
    assert!(!c.meta.extra.contains_key("option"));
}

#[test]
fn malformed_petrarch_keeps_earlier_records() {
    let input = b"<Sentences>\n<Sentence id=\"a\" date=\"20200101\"><Text>One.</Text></Sentence>\n<Sentence id=\"b\"><Text>Two <bad</Text></Sentence>\n</Sentences>";
    let r = read_bytes("bad.xml", input, &ReadOptions::default());
    assert_eq!(ok_docs(&r).len(), 1);
    let e = errors(&r);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].kind, ErrorKind::Malformed);
    assert!(e[0].message.contains("line 3"), "{}", e[0]);
}

/// The shared PETRARCH validation files, when present (not part of the repository).
#[test]
fn shared_petrarch_files_read_completely() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/petrarch");
    if !dir.exists() {
        eprintln!("skipping: {} not present", dir.display());
        return;
    }
    for (file, expected) in [
        ("PETR2_GSR_validation.xml", 78),
        ("PETR.UnitTest.records.xml", 284),
    ] {
        let r = read_path(&dir.join(file), &ReadOptions::default());
        let errs = errors(&r);
        assert!(errs.is_empty(), "{file}: {errs:?}");
        let docs = ok_docs(&r);
        assert_eq!(docs.len(), expected, "{file}");
        assert!(docs
            .iter()
            .all(|d| !d.raw_text.is_empty() && d.meta.given_parse.is_some()));
        assert!(docs
            .iter()
            .all(|d| d.origin.format == Some(InputFormat::Petrarch)));
        let with_events = docs
            .iter()
            .filter(|d| d.meta.extra.contains_key("expected_events"))
            .count();
        assert!(
            with_events * 10 > expected * 7,
            "{file}: {with_events} records with codings"
        );
    }
}

#[test]
fn plain_text_and_encodings() {
    let d = read("story.txt").remove(0).unwrap();
    assert!(d.raw_text.starts_with("KABUL, Afghanistan (AP) — Taliban"));
    assert!(
        d.raw_text.ends_with("Editing by Example Editor)\n"),
        "text kept as is"
    );
    assert_eq!(d.origin.format, Some(InputFormat::Text));
    assert!(d.date.is_none());

    let d = read("invalid-utf8.txt").remove(0).unwrap();
    assert!(d.raw_text.starts_with("Le ministre a rencontr\u{FFFD} ses"));
    assert_eq!(d.warnings.len(), 1);
    assert!(
        d.warnings[0].contains("invalid UTF-8 at byte 22"),
        "{:?}",
        d.warnings
    );

    let d = read("utf16.txt").remove(0).unwrap();
    assert!(d
        .raw_text
        .starts_with("MOSCOW, March 2 — Russia and Belarus"));
    assert!(d.warnings[0].contains("UTF-16LE"));
}

#[test]
fn bad_inputs_are_typed_errors() {
    let e = read("binary.bin").remove(0).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Binary);
    assert!(e.to_string().contains("binary.bin: binary data"), "{e}");
    assert_eq!(
        read("empty.txt").remove(0).unwrap_err().kind,
        ErrorKind::Empty
    );
    assert_eq!(
        read("blank.txt").remove(0).unwrap_err().kind,
        ErrorKind::Empty
    );
    let e = read_path(&fixture("does-not-exist.txt"), &ReadOptions::default())
        .remove(0)
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Io);
    // The size limit is checked before reading.
    let opts = ReadOptions {
        max_bytes: 1000,
        ..Default::default()
    };
    let e = read_path(&fixture("article.html"), &opts)
        .remove(0)
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::TooLarge);
    assert!(e.message.contains("over the limit of 1000 bytes"), "{e}");
    assert!(e.message.contains(
        &std::fs::metadata(fixture("article.html"))
            .unwrap()
            .len()
            .to_string()
    ));
}

#[test]
fn unknown_format_falls_back_to_text() {
    let r = read_bytes(
        "notes.dat",
        b"Officials said the ceasefire held overnight.",
        &ReadOptions::default(),
    );
    assert_eq!(
        r[0].as_ref().unwrap().origin.format,
        Some(InputFormat::Text)
    );
    let r = read_bytes("-", b"<?xml version='1.0'?><rss><channel><item><title>T</title><description>Body text.</description></item></channel></rss>", &ReadOptions::default());
    assert_eq!(r[0].as_ref().unwrap().origin.format, Some(InputFormat::Rss));
    assert_eq!(sniff("-", b"{\"text\": \"x\"}"), Some(InputFormat::Jsonl));
}

#[test]
fn discover_walks_directories_deterministically() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("b/nested")).unwrap();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(root.join("b/nested/z.html"), "<p>x</p>").unwrap();
    std::fs::write(root.join("a.txt"), "Story.").unwrap();
    std::fs::write(root.join("c.jsonl"), "{}").unwrap();
    std::fs::write(root.join(".hidden.txt"), "Hidden.").unwrap();
    std::fs::write(root.join(".git/config.txt"), "x").unwrap();
    std::fs::write(root.join("photo.jpg"), b"\xff\xd8\xff").unwrap();
    std::fs::write(root.join("README"), "Plain prose notes about the corpus.").unwrap();
    std::fs::write(root.join("blob.dat"), b"\x00\x01\x02\x03").unwrap();
    std::fs::write(
        root.join("feed.xml.1"),
        "<?xml version='1.0'?><rss version='2.0'>",
    )
    .unwrap();
    let (files, errs) = discover(
        &[root.to_path_buf(), PathBuf::from("-")],
        &ReadOptions::default(),
    );
    assert!(errs.is_empty());
    let rel: Vec<String> = files
        .iter()
        .map(|f| {
            f.strip_prefix(root)
                .map(|p| p.display().to_string())
                .unwrap_or_else(|_| f.display().to_string())
        })
        .collect();
    assert_eq!(
        rel,
        vec![
            "README",
            "a.txt",
            "b/nested/z.html",
            "c.jsonl",
            "feed.xml.1",
            "-"
        ]
    );
    // With a forced format, unknown extensions are taken unless binary.
    let forced = ReadOptions {
        format: Some(InputFormat::Html),
        ..Default::default()
    };
    std::fs::write(root.join("page.asp"), "<p>Officials met.</p>").unwrap();
    let (files, _) = discover(&[root.to_path_buf()], &forced);
    assert!(files.iter().any(|f| f.ends_with("page.asp")));
    assert!(!files
        .iter()
        .any(|f| f.ends_with("blob.dat") || f.ends_with("photo.jpg")));
    // Explicitly named files are kept whatever their extension.
    let (files, _) = discover(&[root.join("photo.jpg")], &ReadOptions::default());
    assert_eq!(files.len(), 1);
    let (_, errs) = discover(&[root.join("missing")], &ReadOptions::default());
    assert_eq!(errs[0].kind, ErrorKind::Io);
}

#[test]
fn reading_a_directory_reads_every_fixture() {
    let r = read_path(&fixture(""), &ReadOptions::default());
    let docs = ok_docs(&r);
    // article 1 + atom 3 + rss 3 + invalid-utf8 1 + malformed.rss 2 + records 3
    // + jsonl 3 + story 1 + truncated.html 1 + truncated.rss 1 + utf16 1
    assert_eq!(docs.len(), 20, "{:?}", errors(&r));
    assert!(docs
        .iter()
        .all(|d| !d.id.is_empty() && d.origin.path.is_some() && d.origin.format.is_some()));
}

/// Nothing panics on garbage: random bytes, and every prefix of every fixture.
#[test]
fn no_panics_on_random_or_truncated_input() {
    let opts = ReadOptions::default();
    // xorshift: deterministic pseudo-random bytes without a dependency.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..200 {
        let len = (next() % 600) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        for name in [
            "r.txt", "r.html", "r.jsonl", "r.rss", "r.atom", "r.xml", "-",
        ] {
            let _ = read_bytes(name, &bytes, &opts);
        }
        // Random bytes in markup-ish alphabets exercise the parsers rather than the binary check.
        // Multi-byte characters test slicing at char boundaries.
        let alphabet: Vec<char> =
            "<>/=\"' abc&;#x[]{}:,\n!?-é—€item entry Sentence Text doctype html"
                .chars()
                .collect();
        let markup: Vec<u8> = (0..len)
            .map(|_| alphabet[(next() as usize) % alphabet.len()])
            .collect::<String>()
            .into_bytes();
        for name in ["m.html", "m.jsonl", "m.rss", "m.atom", "m.xml"] {
            let _ = read_bytes(name, &markup, &opts);
        }
    }
    for entry in std::fs::read_dir(fixture("")).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // Every prefix for small files, a stride for larger ones.
        let step = (bytes.len() / 300).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            for r in read_bytes(&name, &bytes[..cut], &opts) {
                if let Err(e) = r {
                    assert!(!e.message.is_empty());
                }
            }
        }
    }
}

#[test]
fn stdin_name_is_sniffed() {
    let opts = ReadOptions::default();
    let r = read_bytes(
        "-",
        std::fs::read(fixture("feed.atom")).unwrap().as_slice(),
        &opts,
    );
    assert_eq!(ok_docs(&r).len(), 3);
    assert!(ok_docs(&r)
        .iter()
        .all(|d| d.origin.path.as_deref() == Some("-")));
    let r = read_bytes(
        "-",
        std::fs::read(fixture("article.html")).unwrap().as_slice(),
        &opts,
    );
    assert_eq!(
        r[0].as_ref().unwrap().origin.format,
        Some(InputFormat::Html)
    );
    let r = read_bytes(
        "-",
        std::fs::read(fixture("records.xml")).unwrap().as_slice(),
        &opts,
    );
    assert_eq!(ok_docs(&r).len(), 3);
}
