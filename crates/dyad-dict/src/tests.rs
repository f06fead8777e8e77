//! Tests over the fixtures in `tests/fixtures/` (written for these tests) and the built-in set.

use super::*;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn good() -> Dictionaries {
    Dictionaries::load_dir(fixture("good")).unwrap_or_else(|e| panic!("{e}"))
}

fn date(s: &str) -> Option<NaiveDate> {
    Some(parse_date(s, false).unwrap())
}

fn code(d: &Dictionaries, phrase: &str, when: Option<NaiveDate>) -> Option<String> {
    d.lookup_phrase(phrase, when).map(|r| r.code)
}

#[test]
fn good_fixture_loads_with_counts() {
    let d = good();
    assert_eq!(d.actors().len(), 6);
    assert_eq!(d.agents().len(), 4);
    assert_eq!(d.verbs().len(), 12);
    assert_eq!(d.discards().len(), 3);
    let f = d
        .files()
        .iter()
        .find(|f| f.file.ends_with("countries.txt"))
        .unwrap();
    assert_eq!((f.entries, f.codes, f.errors), (4, 4, 0));
    assert_eq!(f.kind, FileKind::Actors);
    assert_eq!(d.agents()[2].suffixes, vec!["ist"]);
    assert!(d.warnings().is_empty(), "{:?}", d.warnings());
}

/// Every error kind, each at its line.
#[test]
fn bad_fixture_reports_every_error_with_its_line() {
    let report = check_dir(fixture("bad"));
    let got: Vec<(String, usize, String)> = report
        .errors
        .iter()
        .map(|e| {
            let file = relative(&e.loc.file);
            (file, e.loc.line, e.message.clone())
        })
        .collect();
    let expect: &[(&str, usize, &str)] = &[
        ("actors/a.txt", 1, "indented line outside a block"),
        ("actors/a.txt", 2, "empty name"),
        ("actors/a.txt", 4, "'adjective:' has no names"),
        ("actors/a.txt", 5, "unknown field 'colour:'"),
        ("actors/a.txt", 6, "'Atlantis' has no code line"),
        ("actors/a.txt", 7, "'Zarif' has no code line"),
        ("actors/a.txt", 8, "invalid date '2021-02-30'"),
        ("actors/a.txt", 9, "ends before it starts"),
        ("actors/a.txt", 10, "bad date range '2013-08-15'"),
        ("actors/a.txt", 11, "unknown country or role code 'XYZ'"),
        ("actors/a.txt", 12, "multiple of 3"),
        ("actors/a.txt", 13, "unexpected 'extra'"),
        ("actors/a.txt", 14, "must be indented"),
        ("agents.txt", 2, "has no terms"),
        ("agents.txt", 3, "unexpected indentation"),
        ("agents.txt", 4, "'XXX'"),
        ("agents.txt", 5, "role codes only"),
        ("agents.txt", 6, "empty term"),
        ("agents.txt", 6, "'minister' is also defined at"),
        ("discards.txt", 2, "unexpected indentation"),
        ("discards.txt", 3, "'name:' has no phrase"),
        ("verbs/v.txt", 2, "unknown CAMEO event code '999'"),
        ("verbs/v.txt", 3, "'42x' is not an event code"),
        ("verbs/v.txt", 4, "has no pattern"),
        ("verbs/v.txt", 5, "unclosed bracket"),
        ("verbs/v.txt", 6, "unknown pattern element '<to>'"),
        ("verbs/v.txt", 7, "more than one [object]"),
        ("verbs/v.txt", 8, "!obj contradicts"),
        ("verbs/v.txt", 9, "both @passive and @active"),
        ("verbs/v.txt", 11, "can never apply"),
    ];
    for (file, line, msg) in expect {
        assert!(
            got.iter()
                .any(|(f, l, m)| f == file && l == line && m.contains(msg)),
            "missing {file}:{line}: {msg}\ngot:\n{}",
            report
                .errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    assert_eq!(got.len(), expect.len(), "unexpected extra errors: {got:#?}");
    // Non-fatal findings.
    let warned = |file: &str, line: usize, msg: &str| {
        report
            .warnings
            .iter()
            .any(|w| relative(&w.loc.file) == file && w.loc.line == line && w.message.contains(msg))
    };
    assert!(warned("actors/a.txt", 17, "overlaps"));
    assert!(warned("verbs/v.txt", 10, "repeats"));
    // Displayed as file:line: message, and loading fails with all of them.
    assert!(report.errors[0].to_string().contains("a.txt:1: indented"));
    let err = Dictionaries::load_dir(fixture("bad")).unwrap_err();
    assert_eq!(err.errors.len(), expect.len());
    assert!(err.to_string().starts_with("30 dictionary errors:"));
    // The per-file counts carry the errors too.
    let verbs = report
        .files
        .iter()
        .find(|f| f.kind == FileKind::Verbs)
        .unwrap();
    assert_eq!((verbs.entries, verbs.errors), (3, 9));
}

#[test]
fn names_defined_twice_warn_and_the_first_wins() {
    let d = Dictionaries::from_sources(&[
        (
            "actors/a.txt",
            "Georgia\n    GEO\n    adjective: Georgian\n",
        ),
        ("actors/b.txt", "Georgia | Peach State\n    USA\n"),
        ("agents.txt", "GOV minister\n"),
    ])
    .unwrap();
    assert_eq!(d.warnings().len(), 1, "{:?}", d.warnings());
    let w = d.warnings()[0].to_string();
    assert!(
        w.starts_with("actors/b.txt:1: 'Georgia' is also defined at actors/a.txt:1"),
        "{w}"
    );
    assert_eq!(d.lookup_phrase("Georgia", None).unwrap().code, "GEO");
    assert_eq!(
        d.lookup_phrase("the Peach State", None).unwrap().code,
        "USA"
    );
    assert_eq!(
        d.lookup_phrase("Georgian ministers", None).unwrap().code,
        "GEOGOV"
    );
}

#[test]
fn missing_or_empty_directory_is_an_error() {
    let err = Dictionaries::load_dir(fixture("no-such-dir")).unwrap_err();
    assert!(err.errors[0].message.contains("cannot read directory"));
    let err = Dictionaries::from_sources::<&str, &str>(&[]).unwrap_err();
    assert!(err.errors[0].message.contains("no dictionary files"));
}

#[test]
fn possessives_adjectives_and_agents() {
    let d = good();
    assert_eq!(
        code(&d, "Iran's foreign minister", None).as_deref(),
        Some("IRNGOV")
    );
    assert_eq!(
        code(&d, "Iran’s foreign ministers", None).as_deref(),
        Some("IRNGOV")
    );
    assert_eq!(code(&d, "the Syrian army", None).as_deref(), Some("SYRMIL"));
    assert_eq!(
        code(&d, "Syrian government forces", None).as_deref(),
        Some("SYRMIL")
    );
    assert_eq!(code(&d, "the Iranians", None).as_deref(), Some("IRN"));
    assert_eq!(code(&d, "rebels", None).as_deref(), Some("REB"));
    assert_eq!(
        code(&d, "the foreign minister of Iran", None).as_deref(),
        Some("IRNGOV")
    );
    assert_eq!(
        code(&d, "forces of the Syrian government", None).as_deref(),
        Some("SYRMIL")
    );
    assert_eq!(
        code(&d, "U.S. troops in Syria", None).as_deref(),
        Some("USAMIL")
    );
    assert_eq!(
        code(&d, "the Islamic Republic of Iran", None).as_deref(),
        Some("IRN")
    );
    assert_eq!(
        code(&d, "Iranian support for rebels", None).as_deref(),
        Some("IRN")
    );
    assert_eq!(
        code(&d, "soldiers from the U.S.", None).as_deref(),
        Some("USAMIL")
    );
    assert_eq!(code(&d, "the weather", None), None);
    let r = d.lookup_phrase("rebels", None).unwrap();
    assert_eq!((r.country, r.roles), (None, vec!["REB".to_string()]));
}

#[test]
fn capitals_are_governments() {
    let d = good();
    assert_eq!(code(&d, "Washington", None).as_deref(), Some("USAGOV"));
    assert_eq!(
        code(&d, "Tehran's military", None).as_deref(),
        Some("IRNMIL")
    );
    // `name:` discards shadow the capital inside a longer name.
    assert_eq!(code(&d, "the Washington Post", None), None);
    let r = d.lookup_phrase("Damascus", None).unwrap();
    assert!(r.why.contains("capital"), "{}", r.why);
}

#[test]
fn people_take_their_dated_code() {
    let d = good();
    let r = d
        .lookup_phrase(
            "Iranian Foreign Minister Mohammad Javad Zarif",
            date("2015-07-14"),
        )
        .unwrap();
    assert_eq!(r.code, "IRNGOV");
    assert_eq!(r.name.as_deref(), Some("Mohammad Javad Zarif"));
    assert!(r.why.contains("people.txt:3"), "{}", r.why);
    assert!(r.why.contains("2013-08-15..2021-08-25"), "{}", r.why);
    assert_eq!(
        code(&d, "Zarif", date("2022-01-01")).as_deref(),
        Some("IRNELI")
    );
    // Without a date: the open range that started last.
    assert_eq!(code(&d, "Zarif", None).as_deref(), Some("IRNELI"));
    // A date outside every range: no person code, so the rest of the phrase decides.
    assert_eq!(
        code(
            &d,
            "Iranian Foreign Minister Javad Zarif",
            date("2005-01-01")
        )
        .as_deref(),
        Some("IRNGOV")
    );
    assert_eq!(code(&d, "Zarif", date("2005-01-01")), None);
    // Partial dates, undated fallback, and `..TO`.
    assert_eq!(
        code(&d, "Hassan Example", date("2011-06-01")).as_deref(),
        Some("IRNELI")
    );
    assert_eq!(
        code(&d, "Hassan Example", date("2017-06-30")).as_deref(),
        Some("IRNGOV")
    );
    assert_eq!(
        code(&d, "Hassan Example", date("2017-07-01")).as_deref(),
        Some("IRNLEG")
    );
    assert_eq!(code(&d, "Example", None).as_deref(), Some("IRNLEG"));
}

#[test]
fn acronyms_and_international_codes() {
    let d = good();
    assert_eq!(code(&d, "US officials", None).as_deref(), Some("USAGOV"));
    assert_eq!(code(&d, "us", None), None);
    // International codes are not given domestic roles.
    assert_eq!(code(&d, "NATO forces", None).as_deref(), Some("IGOWSTNAT"));
}

#[test]
fn longest_match_and_raw_phrases() {
    let d = good();
    let toks = dyad_tokenize::tokenize("Syrian Arab Republic troops met Syria's foreign minister");
    let m = d.find_phrases(&toks);
    let text: Vec<(usize, usize, bool)> =
        m.iter().map(|m| (m.start, m.end, m.possessive)).collect();
    assert_eq!(
        text,
        vec![(0, 3, false), (3, 4, false), (5, 6, true), (7, 9, false)]
    );
    assert!(matches!(m[0].hits[0], Hit::Actor(_)));
    assert!(matches!(m[1].hits[0], Hit::Agent(_)));
}

#[test]
fn lemmas_from_the_parser_are_used() {
    let d = good();
    let mut toks = dyad_tokenize::tokenize("Syrian soldiery");
    assert_eq!(code(&d, "Syrian soldiery", None).as_deref(), Some("SYR"));
    toks[1].lemma = "soldier".into();
    assert_eq!(d.resolve_tokens(&toks, None).unwrap().code, "SYRMIL");
}

#[test]
fn verb_patterns_most_specific_first() {
    let d = good();
    let m = |lemma, part, obj, preps: &[&str], passive| {
        d.match_verb(lemma, part, obj, preps, passive)
            .map(|p| (p.code.as_str(), p.loc.line))
    };
    assert_eq!(
        m("visit", None, Some("capital"), &[], false),
        Some(("042", 2))
    );
    assert_eq!(m("travel", None, None, &["to"], false), Some(("042", 3)));
    assert_eq!(m("travel", None, None, &["from"], false), None);
    // Both sign patterns match; the one with more constraints wins.
    assert_eq!(
        m("sign", None, Some("agreement"), &["with"], false),
        Some(("057", 5))
    );
    assert_eq!(
        m("sign", None, Some("agreement"), &["with"], true),
        Some(("057", 4))
    );
    assert_eq!(
        m("sign", None, Some("deal"), &["with"], false),
        Some(("057", 4))
    );
    assert_eq!(m("sign", None, Some("letter"), &["with"], false), None);
    assert_eq!(
        m("release", None, Some("hostage"), &[], false),
        Some(("0841", 8))
    );
    assert_eq!(m("release", None, Some("statement"), &[], false), None);
    assert_eq!(m("detain", None, None, &[], true), Some(("173", 10)));
    assert_eq!(m("detain", None, None, &[], false), None);
    assert_eq!(m("say", None, None, &[], false), Some(("010", 11)));
    assert_eq!(m("say", None, Some("word"), &[], false), None);
    // Particles: as a particle or parsed as a preposition; not matched by a bare pattern.
    assert_eq!(m("call", Some("on"), None, &[], false), Some(("020", 7)));
    assert_eq!(m("call", None, None, &["on"], false), Some(("020", 7)));
    assert_eq!(m("arrest", Some("up"), None, &[], false), None);
    // Ties of specificity go to file order, across files.
    assert_eq!(m("meet", None, None, &["with"], false), Some(("046", 2)));
    assert_eq!(m("meet", None, None, &[], false), Some(("040", 3)));
    assert_eq!(m("MEET", None, None, &[], false), Some(("040", 3)));
    let p = d
        .match_verb("travel", None, None, &["in", "to"], false)
        .unwrap();
    assert_eq!(p.target_prep(&["in", "to"]), Some("to"));
    assert_eq!(d.verbs()[0].note, None);
    assert_eq!(d.verbs()[3].note.as_deref(), None);
    assert_eq!(
        d.verbs()
            .iter()
            .find(|p| p.lemma == "call")
            .unwrap()
            .particle
            .as_deref(),
        Some("on")
    );
}

#[test]
fn clauses_use_the_noun_a_particle_preposition_governs() {
    let d = Dictionaries::from_sources(&[(
        "verbs/x.txt",
        "020 call_for\n0241 call_for [resignation]\n036 express [willingness] {to}\n",
    )])
    .unwrap();
    let c = |obj, obliques: &[(&str, &str)]| {
        d.match_clause(&Clause {
            lemma: "call",
            particle: None,
            obj,
            obliques,
            passive: false,
        })
        .map(|p| p.code.as_str())
    };
    assert_eq!(c(None, &[("for", "resignation")]), Some("0241"));
    assert_eq!(c(None, &[("for", "calm")]), Some("020"));
    assert_eq!(c(None, &[("on", "calm")]), None);
    // A direct object is what `[…]` checks when there is one.
    assert_eq!(c(Some("resignation"), &[("for", "x")]), Some("0241"));
    let p = d.match_clause(&Clause {
        lemma: "express",
        obj: Some("willingness"),
        obliques: &[("to", "talk")],
        ..Default::default()
    });
    assert_eq!(p.map(|p| p.code.as_str()), Some("036"));
}

#[test]
fn sentence_discards() {
    let d = good();
    let hit = d.discard_in(&dyad_tokenize::tokenize(
        "The film topped the Box Office again.",
    ));
    assert_eq!(hit.map(|x| x.phrase.as_str()), Some("box office"));
    assert!(d
        .discard_in(&dyad_tokenize::tokenize("The office box was empty."))
        .is_none());
}

#[test]
fn odd_input_gives_errors_not_panics() {
    let junk =
        "\u{feff}[\n{\n|\n\t|\n#\n\u{0}\n…\n  ]\n042 [a|\n042 {}\n042 x [|]\n042 _\nGOV |\r\n";
    for kind in ["actors/x.txt", "agents.txt", "verbs/x.txt", "discards.txt"] {
        let report = {
            let d = Dictionaries::from_sources(&[(kind, junk)]);
            d.err().map(|e| e.errors.len()).unwrap_or(0)
        };
        assert!(report > 0, "{kind}");
    }
    // CRLF line ends and a byte-order mark are accepted.
    let d = Dictionaries::from_sources(&[(
        "actors/x.txt",
        "\u{feff}Iran\r\n    IRN\r\n    capital: Tehran\r\n",
    )])
    .unwrap();
    assert_eq!(d.lookup_phrase("Tehran", None).unwrap().code, "IRNGOV");
    assert_eq!(d.lookup_phrase("", None), None);
    assert_eq!(d.lookup_phrase("'s 's", None), None);
}

#[test]
fn comments_only_start_outside_words() {
    let (content, note) = entries::strip_comment("C# | F#   # languages");
    assert_eq!(content.trim(), "C# | F#");
    assert_eq!(note, Some("languages"));
}

#[test]
fn cli_report_lists_files_and_errors() {
    let text = cli::render_report(&check_dir(fixture("bad")));
    assert!(
        text.contains("verbs     3 patterns, 2 event codes, 9 error(s)"),
        "{text}"
    );
    assert!(text.contains("error: "), "{text}");
    assert!(
        text.contains("4 file(s), 30 error(s), 2 warning(s)"),
        "{text}"
    );
    assert!(cli::run(cli::DictCommand::Check {
        dir: Some(fixture("bad"))
    })
    .is_err());
    assert!(cli::run(cli::DictCommand::Check {
        dir: Some(fixture("good"))
    })
    .is_ok());
    assert!(cli::run(cli::DictCommand::Lookup {
        phrase: "Iran's foreign minister".into(),
        date: Some("2015-01-01".into()),
        dictionaries: Some(fixture("good")),
    })
    .is_ok());
    assert!(cli::run(cli::DictCommand::Lookup {
        phrase: "Iran".into(),
        date: Some("2015-13-01".into()),
        dictionaries: Some(fixture("good")),
    })
    .is_err());
}

/// The built-in dictionaries (written by hand under `dictionaries/`) must load cleanly and fast.
#[test]
fn builtin_dictionaries_load() {
    let started = std::time::Instant::now();
    let d = Dictionaries::builtin().unwrap_or_else(|e| panic!("{e}"));
    let ms = started.elapsed().as_secs_f64() * 1e3;
    eprintln!(
        "built-in: {} actors, {} agents, {} verb patterns, {} discards in {ms:.1} ms",
        d.actors().len(),
        d.agents().len(),
        d.verbs().len(),
        d.discards().len()
    );
    assert!(!d.actors().is_empty());
    let shared = Dictionaries::builtin_shared().unwrap();
    assert!(std::ptr::eq(
        shared,
        Dictionaries::builtin_shared().unwrap()
    ));
    assert_eq!(shared.verbs().len(), d.verbs().len());
}

#[test]
fn dictionaries_can_be_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Dictionaries>();
}
