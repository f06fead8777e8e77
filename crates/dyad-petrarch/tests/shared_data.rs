//! Runs on the PETRARCH validation data in `../shared/eval/petrarch` when it is present (it is
//! other projects' data and is never copied into the repository); skips with a message
//! otherwise.

use std::path::{Path, PathBuf};

use dyad_petrarch::eval::{evaluate, load, Route};
use dyad_petrarch::records::parse_validation;

fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/petrarch");
    if dir.join("PETR.UnitTest.records.xml").is_file() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: {} not found (evaluation data is optional)",
            dir.display()
        );
        None
    }
}

#[test]
fn unit_test_records_read_and_select_278() {
    let Some(dir) = shared() else { return };
    let path = dir.join("PETR.UnitTest.records.xml");
    let text = std::fs::read_to_string(&path).unwrap();
    let v = parse_validation(&path.display().to_string(), &text);
    assert_eq!(v.records.len(), 284);
    assert_eq!(v.selected().count(), 278);
    assert!(v.records.iter().all(|r| r.parse.is_some()));
    // Options stay in force from their <Config> to the next one.
    assert!(v.records.iter().any(|r| !r.flag("require_dyad", true)));
    assert!(v
        .records
        .iter()
        .any(|r| r.number("new_actor_length") == Some(4)));
}

#[test]
fn gsr_records_tolerate_self_closed_sentences() {
    let Some(dir) = shared() else { return };
    let path = dir.join("PETR2_GSR_validation.xml");
    let text = std::fs::read_to_string(&path).unwrap();
    let v = parse_validation(&path.display().to_string(), &text);
    assert_eq!(v.selected().count(), 78);
    assert!(v
        .records
        .iter()
        .all(|r| matches!(r.parse, Some(dyad_petrarch::records::GivenParse::Conllu(_)))));
    assert_eq!(v.environment.actorfiles.len(), 3);
}

#[test]
fn unit_tests_with_given_parses_never_crash() {
    let Some(dir) = shared() else { return };
    let (v, coder, _, _) = load(&dir.join("PETR.UnitTest.records.xml"), &[]).unwrap();
    // The validation verbs file opens with <!-- lines; its patterns must still load.
    let patterns = coder.stats()["verb_patterns"].as_u64().unwrap();
    assert!(patterns > 400, "{patterns}");
    let report = evaluate(&v, &coder, Route::Given, None);
    assert_eq!(report.summary.records, 278);
    assert_eq!(report.summary.crashes, 0);
    // PETRARCH2 itself gets 89; the PETRARCH-compatible coder gets 265 (keep a little slack).
    assert!(report.summary.exact >= 255, "{:?}", report.summary);
}
