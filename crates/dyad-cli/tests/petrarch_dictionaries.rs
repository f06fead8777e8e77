//! `dyad code --dictionaries` with PETRARCH-format dictionaries: the small fixture dictionaries
//! of dyad-petrarch (invented actors and verbs, written for dyad's tests) code a story end to
//! end into dyad's event records.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../dyad-petrarch/tests/fixtures")
}

fn code(args: &[&str]) -> (i32, Vec<Value>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(args)
        .output()
        .expect("run dyad");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let events = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l}: {e}")))
        .collect();
    (
        out.status.code().unwrap_or(-1),
        events,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn story(dir: &tempfile::TempDir) -> String {
    let path = dir.path().join("story.txt");
    std::fs::write(&path, "Oskara met with Kestria on Monday.\n").unwrap();
    path.display().to_string()
}

fn assert_meeting(events: &[Value], stderr: &str) {
    let e = events
        .iter()
        .find(|e| e["cameo"] == "040")
        .unwrap_or_else(|| panic!("no 040 event in {events:?}\n{stderr}"));
    assert_eq!(e["source"]["code"], "OSK");
    assert_eq!(e["target"]["code"], "KST");
    assert_eq!(e["source"]["text"], "Oskara");
    // The phrase the coder read ("Kestria", or "Kestria on Monday" when the parser hangs the
    // time on the noun).
    assert!(
        e["target"]["text"].as_str().unwrap().starts_with("Kestria"),
        "{e}"
    );
    assert_eq!(e["cameo_root"], "04");
    assert_eq!(e["quad_class"], 1);
    assert_eq!(e["evidence"]["trigger"], "met");
    assert_eq!(
        e["evidence"]["sentence_text"],
        "Oskara met with Kestria on Monday."
    );
    assert!(e["evidence"]["rule"]
        .as_str()
        .unwrap()
        .starts_with("PETRARCH 040"));
    // The story date is a Wednesday: "on Monday" is two days before it.
    assert_eq!(e["story_date"], "2024-05-15");
    assert_eq!(e["date"], "2024-05-13");
    assert_eq!(e["modality"], "asserted");
}

#[test]
fn petrarch_dictionary_directory_codes_with_petrarch_semantics() {
    let dir = tempfile::tempdir().unwrap();
    let path = story(&dir);
    let dicts = fixtures().display().to_string();
    let (rc, events, stderr) = code(&[
        "code",
        "--no-store",
        "--quiet",
        "--date",
        "2024-05-15",
        &path,
        "--dictionaries",
        &dicts,
    ]);
    assert_eq!(rc, 0, "{stderr}");
    assert_meeting(&events, &stderr);
}

#[test]
fn petrarch_dictionary_files_given_one_by_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = story(&dir);
    let f = |n: &str| fixtures().join(n).display().to_string();
    let (verbs, actors) = (f("mini.verbs.txt"), f("mini.actors.txt"));
    let (rc, events, stderr) = code(&[
        "code",
        "--no-store",
        "--quiet",
        "--date",
        "2024-05-15",
        "--dictionaries",
        &verbs,
        "--dictionaries",
        &actors,
        &path,
    ]);
    assert_eq!(rc, 0, "{stderr}");
    assert_meeting(&events, &stderr);
}

#[test]
fn files_that_are_not_petrarch_dictionaries_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = story(&dir);
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "not a dictionary\n").unwrap();
    let verbs = fixtures().join("mini.verbs.txt").display().to_string();
    let notes = notes.display().to_string();
    let (rc, events, stderr) = code(&[
        "code",
        "--no-store",
        &format!("--dictionaries={verbs},{notes}"),
        &path,
    ]);
    assert_ne!(rc, 0);
    assert!(events.is_empty());
    assert!(stderr.contains("notes.txt"), "{stderr}");
}
