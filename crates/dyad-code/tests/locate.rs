//! Event locations from place mentions (dyad's own sentences, hand-written parses).

mod common;

use dyad_code::{locate_events, Coder, CoderOptions, Location, PlaceMention};
use dyad_core::Document;
use dyad_dict::Dictionaries;

fn docs(sentences: &[&str]) -> Document {
    common::docs(sentences, (2023, 3, 14))
}

fn place(d: &Document, sentence: usize, word: &str, country: &str) -> PlaceMention {
    let s = &d.sentences[sentence];
    let t = s.tokens.iter().find(|t| t.form == word).unwrap();
    PlaceMention {
        sentence,
        start: t.start,
        end: t.end,
        location: Location {
            name: word.into(),
            country: Some(country.into()),
            lat: Some(1.0),
            lon: Some(2.0),
            geonameid: Some(7),
            feature_code: Some("PPL".into()),
            admin1: None,
            admin1_code: None,
            country_fips: None,
        },
    }
}

#[test]
fn destination_oblique_and_previous_visit() {
    let d = docs(&[
        // "Zarif visited Baghdad ."
        "Zarif Zarif PROPN 2 nsubj
         visited visit VERB 0 root
         Baghdad Baghdad PROPN 2 obj
         . . PUNCT 2 punct",
        // "Zarif met Iraqi officials ."
        "Zarif Zarif PROPN 2 nsubj
         met meet VERB 0 root
         Iraqi Iraqi ADJ 4 amod
         officials official NOUN 2 obj
         . . PUNCT 2 punct",
        // "Turkish troops attacked Kurdish rebels near Erbil ."
        "Turkish Turkish ADJ 2 amod
         troops troop NOUN 3 nsubj
         attacked attack VERB 0 root
         Iraqi Iraqi ADJ 5 amod
         rebels rebel NOUN 3 obj
         near near ADP 7 case
         Erbil Erbil PROPN 3 obl
         . . PUNCT 3 punct",
    ]);
    let dict = Dictionaries::builtin().unwrap();
    let mut events = Coder::new(&dict, CoderOptions::default()).code_document(&d);
    let places = vec![place(&d, 0, "Baghdad", "IRQ"), place(&d, 2, "Erbil", "IRQ")];
    locate_events(&d, &places, None, &mut events);
    let by_sentence = |s: usize| events.iter().find(|e| e.sentence == s).unwrap();
    let visit = by_sentence(0);
    assert_eq!(visit.location.as_ref().unwrap().name, "Baghdad");
    assert_eq!(visit.location_source.as_deref(), Some("destination"));
    let meeting = by_sentence(1);
    assert_eq!(meeting.location.as_ref().unwrap().name, "Baghdad");
    assert_eq!(meeting.location_source.as_deref(), Some("previous_visit"));
    let attack = by_sentence(2);
    assert_eq!(attack.location.as_ref().unwrap().name, "Erbil");
    assert_eq!(attack.location_source.as_deref(), Some("oblique"));
}

#[test]
fn no_place_no_location_and_dateline_only_for_its_country() {
    let d = docs(&[
        // "Russia criticised Japan ."
        "Russia Russia PROPN 2 nsubj
         criticised criticise VERB 0 root
         Japan Japan PROPN 2 obj
         . . PUNCT 2 punct",
    ]);
    let dict = Dictionaries::builtin().unwrap();
    let coder = Coder::new(&dict, CoderOptions::default());
    let mut events = coder.code_document(&d);
    assert!(!events.is_empty());
    locate_events(&d, &[], None, &mut events);
    assert!(events[0].location.is_none() && events[0].location_source.is_none());

    let mut dateline = place(&d, 0, "Russia", "FRA").location;
    dateline.name = "Paris".into();
    let mut events = coder.code_document(&d);
    locate_events(&d, &[], Some(&dateline), &mut events);
    assert!(
        events[0].location.is_none(),
        "a Paris dateline does not place a Russia–Japan event"
    );
    dateline.country = Some("RUS".into());
    dateline.name = "Moscow".into();
    locate_events(&d, &[], Some(&dateline), &mut events);
    assert_eq!(events[0].location.as_ref().unwrap().name, "Moscow");
    assert_eq!(events[0].location_source.as_deref(), Some("dateline"));
}
