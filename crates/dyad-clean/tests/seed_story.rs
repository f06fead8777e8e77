//! The seed story from ../shared, when present: everything the clean stage must get right.

use std::path::Path;

use chrono::NaiveDate;
use dyad_clean::{clean, CleanOptions};
use dyad_core::{DateSource, Document, Origin};

const SEED: &str = "../../../shared/examples/reuters-idlib-2018-09-03.txt";

#[test]
fn seed_story_is_cleaned_and_dated() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED);
    let Ok(raw) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: {} not found", path.display());
        return;
    };
    let mut doc = Document::new(Origin::default(), raw);
    clean(&mut doc, &CleanOptions::default());

    for residue in [
        "aesop",
        "[",
        "]",
        "(Reuters)",
        "Reporting by",
        "Editing by",
        "Sept 3 (",
    ] {
        assert!(
            !doc.text.contains(residue),
            "residue {residue:?} in {}",
            doc.text
        );
    }
    assert!(doc.text.starts_with("Iran called on Monday"));
    assert!(doc.text.ends_with("according to Fars News."));

    let dl = doc.meta.dateline.as_ref().expect("dateline");
    assert_eq!(dl.agency.as_deref(), Some("Reuters"));
    assert_eq!((dl.month, dl.day), (Some(9), Some(3)));

    let date = doc.date.expect("story date");
    assert_eq!(date.date, NaiveDate::from_ymd_opt(2018, 9, 3).unwrap());
    assert_eq!(date.source, DateSource::DatelineCaptionYear);

    let credits = doc.meta.credits.as_ref().expect("credits");
    assert_eq!(credits.reporters, vec!["Babak Dehghanpisheh"]);
    assert_eq!(credits.additional_reporters, vec!["Lisa Barrington"]);
    assert_eq!(credits.editors, vec!["Toby Chopra"]);
    assert_eq!(credits.places, vec!["Beirut"]);

    assert_eq!(doc.meta.captions.len(), 1);
    let caption = &doc.meta.captions[0];
    assert!(caption.text.contains("September 3, 2018"));
    let url = caption.image_url.as_deref().expect("image url");
    assert!(
        url.starts_with("https://") && url.ends_with(".jpg"),
        "{url}"
    );
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
}
