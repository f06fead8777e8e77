//! Documents from hand-written parses, shared by the coder's integration tests.

use chrono::NaiveDate;
use dyad_core::{DatePrecision, DateSource, Document, Origin, Sentence, StoryDate, Token};

/// A document of sentences written as `form lemma upos head deprel` lines, with a story date.
pub fn docs(sentences: &[&str], story: (i32, u32, u32)) -> Document {
    let mut d = Document::new(Origin::default(), String::new());
    for lines in sentences {
        if !d.text.is_empty() {
            d.text.push(' ');
        }
        let s_start = d.text.len();
        let mut tokens = Vec::new();
        for line in lines.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let f: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(f.len(), 5, "bad line {line}");
            if d.text.len() > s_start {
                d.text.push(' ');
            }
            let start = d.text.len();
            d.text.push_str(f[0]);
            tokens.push(Token {
                start,
                end: d.text.len(),
                form: f[0].into(),
                lemma: f[1].into(),
                upos: f[2].into(),
                head: Some(f[3].parse().unwrap()),
                deprel: f[4].into(),
                ..Default::default()
            });
        }
        d.sentences.push(Sentence {
            start: s_start,
            end: d.text.len(),
            tokens,
        });
    }
    d.id = "test".into();
    d.date = Some(StoryDate {
        date: NaiveDate::from_ymd_opt(story.0, story.1, story.2).unwrap(),
        precision: DatePrecision::Day,
        source: DateSource::Metadata,
    });
    d
}
