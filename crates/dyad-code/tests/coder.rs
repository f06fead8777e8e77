//! Coder tests over hand-written parses (dyad's own sentences), with the built-in dictionaries:
//! they test the coding rules independently of the parser's accuracy.

mod common;

use common::docs;
use dyad_code::{Coder, CoderOptions, Event, Modality};
use dyad_core::Document;
use dyad_dict::Dictionaries;

/// A document of one sentence from `form lemma upos head deprel` lines.
fn doc(lines: &str, story: (i32, u32, u32)) -> Document {
    docs(&[lines], story)
}

fn code(d: &Document) -> Vec<Event> {
    let dict = Dictionaries::builtin().expect("built-in dictionaries load");
    Coder::new(&dict, CoderOptions::default()).code_document(d)
}

fn triples(events: &[Event]) -> Vec<(String, String, String)> {
    events
        .iter()
        .map(|e| {
            (
                e.source.code.clone(),
                e.target.code.clone(),
                e.cameo.clone(),
            )
        })
        .collect()
}

// 2023-03-14 was a Tuesday.
const TUESDAY: (i32, u32, u32) = (2023, 3, 14);

#[test]
fn coordinated_objects_give_one_event_each() {
    // "Turkish officials met Iraqi and Syrian diplomats on Tuesday ."
    let d = doc(
        "Turkish Turkish ADJ 2 amod
         officials official NOUN 3 nsubj
         met meet VERB 0 root
         Iraqi Iraqi ADJ 7 amod
         and and CCONJ 6 cc
         Syrian Syrian ADJ 4 conj
         diplomats diplomat NOUN 3 obj
         on on ADP 9 case
         Tuesday Tuesday PROPN 3 obl
         . . PUNCT 3 punct",
        TUESDAY,
    );
    let events = code(&d);
    assert_eq!(
        triples(&events),
        vec![
            ("TURGOV".into(), "IRQGOV".into(), "040".into()),
            ("TURGOV".into(), "SYRGOV".into(), "040".into()),
        ]
    );
    assert_eq!(events[0].date.as_deref(), Some("2023-03-14"));
    assert_eq!(events[0].modality, Modality::Asserted);
    assert_eq!(events[0].quad_class, 1);
    assert_eq!(events[0].evidence.trigger, "met");
}

#[test]
fn passive_by_agent_is_the_source() {
    // "Rebels were attacked by Syrian troops ."
    let d = doc(
        "Rebels rebel NOUN 3 nsubj:pass
         were be AUX 3 aux:pass
         attacked attack VERB 0 root
         by by ADP 6 case
         Syrian Syrian ADJ 6 amod
         troops troop NOUN 3 obl
         . . PUNCT 3 punct",
        TUESDAY,
    );
    // Rebels are not given the attacker's country (only state roles are).
    assert_eq!(
        triples(&code(&d)),
        vec![("SYRMIL".into(), "REB".into(), "190".into())]
    );
}

#[test]
fn negation_future_and_dates() {
    // "Russia did not attack Ukraine ."
    let d = doc(
        "Russia Russia PROPN 4 nsubj
         did do AUX 4 aux
         not not PART 4 advmod
         attack attack VERB 0 root
         Ukraine Ukraine PROPN 4 obj",
        TUESDAY,
    );
    let e = code(&d);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].modality, Modality::Negated);

    // "Iran will host Turkish officials on March 28 ."
    let d = doc(
        "Iran Iran PROPN 3 nsubj
         will will AUX 3 aux
         host host VERB 0 root
         Turkish Turkish ADJ 5 amod
         officials official NOUN 3 obj
         on on ADP 7 case
         March March PROPN 3 obl
         28 28 NUM 7 nummod",
        TUESDAY,
    );
    let e = code(&d);
    assert_eq!(
        triples(&e),
        vec![("IRN".into(), "TURGOV".into(), "043".into())]
    );
    assert_eq!(e[0].modality, Modality::Future);
    assert_eq!(e[0].date.as_deref(), Some("2023-03-28"));
    assert_eq!(e[0].date_precision.as_deref(), Some("day"));
}

#[test]
fn shared_subject_and_last_week() {
    // "Last week , Iran 's defence minister travelled to Damascus and signed an agreement with
    //  his Syrian counterpart ."
    let d = doc(
        "Last last ADJ 2 amod
         week week NOUN 8 obl:tmod
         , , PUNCT 2 punct
         Iran Iran PROPN 7 nmod:poss
         's 's PART 4 case
         defence defence NOUN 7 compound
         minister minister NOUN 8 nsubj
         travelled travel VERB 0 root
         to to ADP 10 case
         Damascus Damascus PROPN 8 obl
         and and CCONJ 12 cc
         signed sign VERB 8 conj
         an a DET 14 det
         agreement agreement NOUN 12 obj
         with with ADP 18 case
         his his PRON 18 nmod:poss
         Syrian Syrian ADJ 18 amod
         counterpart counterpart NOUN 12 obl
         . . PUNCT 8 punct",
        (2018, 9, 3),
    );
    let e = code(&d);
    let t = triples(&e);
    assert!(
        t.contains(&("IRNGOV".into(), "SYRGOV".into(), "042".into())),
        "{t:?}"
    );
    let sign = e.iter().find(|x| x.cameo == "057").expect("signing coded");
    assert_eq!(sign.source.code, "IRNGOV");
    assert_eq!(sign.target.country.as_deref(), Some("SYR"));
    assert_eq!(sign.date.as_deref(), Some("2018-08-27"));
    assert_eq!(sign.date_precision.as_deref(), Some("week"));
}

#[test]
fn relative_pronoun_and_for_clause_target() {
    // "Syrian officials , who asked for Iran to continue its support ."
    let d = doc(
        "Syrian Syrian ADJ 2 amod
         officials official NOUN 0 root
         , , PUNCT 5 punct
         who who PRON 5 nsubj
         asked ask VERB 2 acl:relcl
         for for SCONJ 9 mark
         Iran Iran PROPN 9 nsubj
         to to PART 9 mark
         continue continue VERB 5 advcl
         its its PRON 11 nmod:poss
         support support NOUN 9 obj",
        TUESDAY,
    );
    let e = code(&d);
    assert!(
        triples(&e).contains(&("SYRGOV".into(), "IRN".into(), "020".into())),
        "{:?}",
        triples(&e)
    );
}

#[test]
fn pronoun_actors_never_stand_alone() {
    // "They attacked it ."
    let d = doc(
        "They they PRON 2 nsubj
         attacked attack VERB 0 root
         it it PRON 2 obj",
        TUESDAY,
    );
    assert!(code(&d).is_empty());
}

#[test]
fn speech_and_relay_attribution() {
    // "Turkey warned that Washington would respond to any attack by Damascus , according to
    //  Fars News ."
    let d = doc(
        "Turkey Turkey PROPN 2 nsubj
         warned warn VERB 0 root
         that that SCONJ 6 mark
         Washington Washington PROPN 6 nsubj
         would would AUX 6 aux
         respond respond VERB 2 ccomp
         to to ADP 9 case
         any any DET 9 det
         attack attack NOUN 6 obl
         by by ADP 11 case
         Damascus Damascus PROPN 9 nmod
         , , PUNCT 15 punct
         according accord VERB 15 case
         to to ADP 13 fixed
         News News PROPN 2 obl",
        TUESDAY,
    );
    let e = code(&d);
    let warn = e.iter().find(|x| x.cameo == "130").expect("warning coded");
    assert_eq!(warn.source.code, "TUR");
    assert_eq!(warn.target.code, "USAGOV");
    let a = warn.attribution.as_ref().expect("relay kept");
    assert_eq!(a.via.as_deref(), Some("News"));
}

#[test]
fn relative_which_hosted_summit_is_future_and_dated() {
    // "… a summit between the leaders of Iran , Russia and Turkey , which Tehran will host on
    //  Sept. 7 ." (the parser made the relative clause an advcl of the main verb)
    let d = doc(
        "Officials official NOUN 2 nsubj
         discussed discuss VERB 0 root
         a a DET 4 det
         summit summit NOUN 2 obj
         between between ADP 7 case
         the the DET 7 det
         leaders leader NOUN 4 nmod
         of of ADP 9 case
         Iran Iran PROPN 7 nmod
         , , PUNCT 11 punct
         Russia Russia PROPN 9 conj
         and and CCONJ 13 cc
         Turkey Turkey PROPN 9 conj
         , , PUNCT 18 punct
         which which PRON 18 obj
         Tehran Tehran PROPN 18 nsubj
         will will AUX 18 aux
         host host VERB 2 advcl
         on on ADP 21 case
         Sept. September PROPN 21 nmod:unmarked
         7 7 NUM 18 obl",
        (2018, 9, 3),
    );
    let e = code(&d);
    let hosts: Vec<&Event> = e.iter().filter(|x| x.evidence.trigger == "host").collect();
    let targets: Vec<&str> = hosts.iter().map(|x| x.target.code.as_str()).collect();
    assert_eq!(targets, vec!["RUSGOV", "TURGOV"], "{:?}", triples(&e));
    for h in hosts {
        assert_eq!(h.source.code, "IRNGOV");
        assert_eq!(h.modality, Modality::Future);
        assert_eq!(h.date.as_deref(), Some("2018-09-07"));
    }
}

#[test]
fn commitments_to_cooperate_are_coded_as_intent() {
    // "Oman offered to mediate between Yemen and Sudan ."
    let offered = doc(
        "Oman Oman PROPN 2 nsubj
         offered offer VERB 0 root
         to to PART 4 mark
         mediate mediate VERB 2 xcomp
         between between ADP 6 case
         Yemen Yemen PROPN 4 obl
         and and CCONJ 8 cc
         Sudan Sudan PROPN 6 conj
         . . PUNCT 2 punct",
        TUESDAY,
    );
    let events = code(&offered);
    assert_eq!(
        triples(&events),
        vec![
            ("OMN".into(), "YEM".into(), "039".into()),
            ("OMN".into(), "SDN".into(), "039".into()),
        ]
    );
    assert!(events.iter().all(|e| e.modality == Modality::Asserted));
    assert!(events[0].evidence.rule.starts_with("039 offer to: 045"));

    // Trying is not committing: "Oman tried to mediate …" stays a hypothetical mediation.
    let tried = doc(
        "Oman Oman PROPN 2 nsubj
         tried try VERB 0 root
         to to PART 4 mark
         mediate mediate VERB 2 xcomp
         between between ADP 6 case
         Yemen Yemen PROPN 4 obl
         . . PUNCT 2 punct",
        TUESDAY,
    );
    let events = code(&tried);
    assert_eq!(
        triples(&events),
        vec![("OMN".into(), "YEM".into(), "045".into())]
    );
    assert_eq!(events[0].modality, Modality::Hypothetical);

    // A denied commitment is not an intent: "Oman did not offer to mediate …".
    let denied = doc(
        "Oman Oman PROPN 4 nsubj
         did do AUX 4 aux
         not not PART 4 advmod
         offer offer VERB 0 root
         to to PART 6 mark
         mediate mediate VERB 4 xcomp
         between between ADP 8 case
         Yemen Yemen PROPN 6 obl
         . . PUNCT 4 punct",
        TUESDAY,
    );
    let events = code(&denied);
    assert!(events.iter().all(|e| e.cameo != "039"), "{events:?}");
}

#[test]
fn an_object_named_with_its_modifier_beats_the_bare_head() {
    // "Norway sent humanitarian aid to Haiti ." — `send [humanitarian_aid]` (073) and
    // `send [aid]` (070) are equally constrained; the modifier makes the first more specific.
    let d = doc(
        "Norway Norway PROPN 2 nsubj
         sent send VERB 0 root
         humanitarian humanitarian ADJ 4 amod
         aid aid NOUN 2 obj
         to to ADP 6 case
         Haiti Haiti PROPN 2 obl
         . . PUNCT 2 punct",
        TUESDAY,
    );
    assert_eq!(
        triples(&code(&d)),
        vec![("NOR".into(), "HTI".into(), "073".into())]
    );
}

#[test]
fn a_second_subject_after_the_verb_is_read_as_its_object() {
    // "Chile and Peru condemned the United States ." as the parser sometimes gives it: two
    // nsubj arcs, the second after the verb.
    let d = doc(
        "Chile Chile PROPN 4 nsubj
         and and CCONJ 3 cc
         Peru Peru PROPN 1 conj
         condemned condemn VERB 0 root
         the the DET 7 det
         United United ADJ 7 amod
         States State PROPN 4 nsubj
         . . PUNCT 4 punct",
        TUESDAY,
    );
    assert_eq!(
        triples(&code(&d)),
        vec![
            ("CHL".into(), "USA".into(), "111".into()),
            ("PER".into(), "USA".into(), "111".into()),
        ]
    );
}

#[test]
fn the_subjects_own_forces_are_not_its_target() {
    // "Chile withdrew its troops from Peru ."
    let d = doc(
        "Chile Chile PROPN 2 nsubj
         withdrew withdraw VERB 0 root
         its its PRON 4 nmod:poss
         troops troop NOUN 2 obj
         from from ADP 6 case
         Peru Peru PROPN 2 obl
         . . PUNCT 2 punct",
        TUESDAY,
    );
    assert_eq!(
        triples(&code(&d)),
        vec![("CHL".into(), "PER".into(), "087".into())]
    );
    // "Chile put its troops on alert ." names no other party: no event (not Chile → CHLMIL).
    let d = doc(
        "Chile Chile PROPN 2 nsubj
         put put VERB 0 root
         its its PRON 4 nmod:poss
         troops troop NOUN 2 obj
         on on ADP 6 case
         alert alert NOUN 2 obl
         . . PUNCT 2 punct",
        TUESDAY,
    );
    assert_eq!(triples(&code(&d)), vec![]);
}

#[test]
fn a_modifier_hung_on_the_verb_belongs_to_the_subject() {
    // "Amnesty International condemned Chile ." with "International" attached to the verb.
    let d = doc(
        "Amnesty Amnesty PROPN 3 nsubj
         International International ADJ 3 amod
         condemned condemn VERB 0 root
         Chile Chile PROPN 3 obj
         . . PUNCT 3 punct",
        TUESDAY,
    );
    let events = code(&d);
    assert_eq!(
        triples(&events),
        vec![("NGOAMN".into(), "CHL".into(), "111".into())]
    );
    assert_eq!(events[0].source.text, "Amnesty International");
}

#[test]
fn a_finite_verb_hung_on_a_root_noun_is_the_predicate() {
    // "The rebels freed two Chilean soldiers ." parsed as a noun phrase with "freed" as acl.
    let d = doc(
        "The the DET 2 det
         rebels rebel NOUN 0 root
         freed free VERB 2 acl
         two two NUM 6 nummod
         Chilean Chilean ADJ 6 amod
         soldiers soldier NOUN 3 obj
         . . PUNCT 2 punct",
        TUESDAY,
    );
    let with_xpos = |xpos: &str| {
        let mut d = d.clone();
        d.sentences[0].tokens[2].xpos = xpos.into();
        d
    };
    // A past tense is finite: the rebels freed the soldiers.
    assert_eq!(
        triples(&code(&with_xpos("VBD"))),
        vec![("REB".into(), "CHLMIL".into(), "0841".into())]
    );
    // A participle is a reduced relative ("the rebels freed by …"): no event.
    assert_eq!(triples(&code(&with_xpos("VBN"))), vec![]);
}
