//! Toponym recognition: capitalised token spans (or PROPN when a tagger ran)
//! matched against the gazetteer, longest first, then filtered with cues that
//! tell places from actors, people, demonyms and common words.

use std::collections::HashSet;

use dyad_core::{Sentence, Token};

use crate::gazetteer::{Gazetteer, FC_ADM1, FC_CONT, FC_PCLI, FC_PPLC};
use crate::normalize::normalize;
use crate::tables;

/// Longest name tried, in tokens ("Bosnia and Herzegovina", "Rio de Janeiro").
const MAX_SPAN_TOKENS: usize = 6;
/// Longest unknown name taken after a strong locative cue.
const MAX_UNKNOWN_TOKENS: usize = 4;
/// Population from which a place is known well enough to be taken sentence-initially.
const STRONG_POPULATION: u32 = 100_000;
/// Smallest population of a place taken from a bare capitalised word.
const MIN_BARE_POPULATION: u32 = 2_000;

/// A recognised span before resolution.
#[derive(Debug, Clone)]
pub(crate) struct Span {
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    pub cue: String,
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_uppercase())
}

fn is_name_token(t: &Token, tagged: bool) -> bool {
    if tagged && !t.upos.is_empty() {
        return t.upos == "PROPN"
            || (t.upos != "PUNCT" && starts_upper(&t.form) && t.upos == "ADJ");
    }
    starts_upper(&t.form) && t.form.chars().any(|c| c.is_alphabetic())
}

fn lower(t: &Token) -> String {
    t.form.to_lowercase()
}

/// Prefix of "Beirut-based", "Damascus-born".
fn based_prefix(form: &str) -> Option<&str> {
    for suf in ["-based", "\u{2013}based", "-born"] {
        if let Some(p) = form.strip_suffix(suf) {
            if !p.is_empty() {
                return Some(p);
            }
        }
    }
    None
}

pub(crate) struct Recognizer<'g> {
    pub gaz: &'g Gazetteer,
}

impl<'g> Recognizer<'g> {
    fn strong(&self, key: &str) -> bool {
        self.gaz.lookup_key(key).iter().take(8).any(|c| {
            let r = self.gaz.record(c.record);
            matches!(r.fcode, FC_PCLI | FC_ADM1 | FC_CONT | FC_PPLC)
                || (r.population >= STRONG_POPULATION && !c.alternate)
        })
    }

    fn country_or_capital(&self, key: &str) -> bool {
        self.gaz.lookup_key(key).iter().take(4).any(|c| {
            let r = self.gaz.record(c.record);
            r.fcode == FC_PCLI || (r.fcode == FC_PPLC && !c.alternate)
        })
    }

    /// The cue before token `i`: "in", "north of", "went to".
    fn cue_before(&self, toks: &[Token], i: usize) -> Option<String> {
        let p = toks.get(i.checked_sub(1)?)?;
        let pl = lower(p);
        if pl == "of" {
            let pp = toks.get(i.checked_sub(2)?)?;
            let ppl = lower(pp);
            if tables::is_direction(&ppl) || tables::division_hint(&ppl).is_some() {
                return Some(format!("after '{ppl} of'"));
            }
            return None;
        }
        if pl == "to" {
            let pp = toks.get(i.checked_sub(2)?)?;
            let ppl = lower(pp);
            return tables::is_motion_verb(&ppl).then(|| format!("after '{ppl} to'"));
        }
        tables::is_locative_prep(&pl).then(|| format!("after '{pl}'"))
    }

    /// A name in the text elsewhere, not at a sentence start: evidence that a
    /// sentence-initial capital is a name and not just capitalised.
    fn seen_mid_sentence(form: &str, sentences: &[Sentence]) -> bool {
        sentences.iter().any(|s| {
            s.tokens
                .iter()
                .enumerate()
                .skip(1)
                .any(|(k, t)| t.form == form && !s.tokens[k - 1].form.ends_with(['"', '\u{201c}']))
        })
    }

    /// Surnames of the document: capitalised words seen right after a title, a
    /// given name or another capitalised non-place word ("Sheriff Bob Jones"),
    /// or right after "said" ("said Jones"). Later bare uses are the person too.
    fn person_names(&self, sentences: &[Sentence]) -> HashSet<String> {
        let mut out = HashSet::new();
        for s in sentences {
            for k in 1..s.tokens.len() {
                let (p, t) = (&s.tokens[k - 1], &s.tokens[k]);
                if !starts_upper(&t.form) || !t.form.chars().any(|c| c.is_lowercase()) {
                    continue;
                }
                let pl = lower(p);
                let after_name = starts_upper(&p.form)
                    && k - 1 > 0
                    && p.form.chars().any(|c| c.is_lowercase())
                    && !tables::is_stop_word(&pl)
                    && !tables::is_common_word(&pl)
                    && !tables::is_direction(&pl)
                    && self.gaz.lookup(&p.form).is_empty()
                    && !self.gaz.is_demonym(&p.form);
                let is_next_name = s.tokens.get(k + 1).is_some_and(|n| starts_upper(&n.form));
                // Well-known places after "said" are mostly subjects ("said Iran would").
                let weak = || !self.strong(&normalize(&t.form));
                if tables::is_title(&p.form)
                    || (tables::is_given_name(&p.form) && !is_next_name)
                    || (after_name && !is_next_name && weak())
                    || (matches!(pl.as_str(), "said" | "says" | "by") && !is_next_name && weak())
                    || (pl == "by" && is_next_name)
                {
                    out.insert(t.form.clone());
                }
            }
        }
        out
    }

    pub fn recognize(&self, text: &str, sentences: &[Sentence]) -> Vec<Span> {
        let mut out = Vec::new();
        let persons = self.person_names(sentences);
        for (si, sent) in sentences.iter().enumerate() {
            let toks = &sent.tokens;
            let tagged = toks.iter().any(|t| !t.upos.is_empty());
            let n = toks.len();
            let first_word = toks
                .iter()
                .position(|t| t.form.chars().any(|c| c.is_alphanumeric()))
                .unwrap_or(0);
            let mut i = 0;
            while i < n {
                let t = &toks[i];
                if let Some(prefix) = based_prefix(&t.form) {
                    if starts_upper(prefix) && !self.gaz.lookup(prefix).is_empty() {
                        out.push(Span {
                            sentence: si,
                            start: t.start,
                            end: t.start + prefix.len(),
                            cue: format!("'{}'", &t.form[prefix.len()..]),
                        });
                    }
                    i += 1;
                    continue;
                }
                // "Springfield, Ill.": the state abbreviation is a place too.
                if i > 0
                    && toks[i - 1].form == ","
                    && (tables::admin1_abbrev(&t.form, false).is_some()
                        || tables::admin1_abbrev(&format!("{}.", t.form), false).is_some())
                {
                    out.push(Span {
                        sentence: si,
                        start: t.start,
                        end: t.end,
                        cue: "US state abbreviation after a place".into(),
                    });
                    i += 1;
                    continue;
                }
                if !is_name_token(t, tagged) {
                    i += 1;
                    continue;
                }
                // Tokens a name may span: capitalised words and lowercase connectors.
                let mut valid_to = i + 1;
                while valid_to < n && valid_to < i + MAX_SPAN_TOKENS {
                    let u = &toks[valid_to];
                    if is_name_token(u, tagged)
                        || tables::is_name_connector(&lower(u))
                        || u.form == "."
                    {
                        valid_to += 1;
                    } else {
                        break;
                    }
                }
                let mut found: Option<(usize, String)> = None;
                for j in (i + 1..=valid_to).rev() {
                    let last = &toks[j - 1];
                    if !is_name_token(last, tagged) {
                        continue;
                    }
                    let span_text = &text[t.start..last.end];
                    let key = normalize(span_text);
                    if !self.gaz.lookup_key(&key).is_empty() {
                        found = Some((j, key));
                        break;
                    }
                }
                match found {
                    Some((j, key)) => {
                        let person = j == i + 1 && persons.contains(&t.form);
                        let accepted = self.accept(text, sentences, toks, i, j, &key, first_word);
                        if let Some(cue) = accepted.filter(|c| !person || c.starts_with("after")) {
                            out.push(Span {
                                sentence: si,
                                start: t.start,
                                end: toks[j - 1].end,
                                cue,
                            });
                        }
                        i = j;
                    }
                    None => {
                        if let Some((k, cue)) = self.unknown_with_cue(toks, i, tagged) {
                            out.push(Span {
                                sentence: si,
                                start: t.start,
                                end: toks[k - 1].end,
                                cue,
                            });
                            i = k;
                        } else {
                            i += 1;
                        }
                    }
                }
            }
        }
        out
    }

    /// Decide whether the gazetteer match `toks[i..j]` is a place here; the cue
    /// that supports it, or `None` to drop it.
    #[allow(clippy::too_many_arguments)]
    fn accept(
        &self,
        text: &str,
        sentences: &[Sentence],
        toks: &[Token],
        i: usize,
        j: usize,
        key: &str,
        first_word: usize,
    ) -> Option<String> {
        let single = j == i + 1;
        let first = &toks[i];
        let fl = lower(first);
        let fl = fl.trim_end_matches('.');
        if single
            && (tables::is_stop_word(fl)
                || tables::is_title(&first.form)
                || tables::is_given_name(&first.form))
        {
            return None;
        }
        let span_text = &text[first.start..toks[j - 1].end];
        if tables::is_metonym(key) {
            return None;
        }
        if self.gaz.is_demonym(span_text) && !self.country_or_capital(key) {
            return None;
        }
        let prev = i.checked_sub(1).map(|k| &toks[k]);
        let next = toks.get(j);
        let next_l = next.map(lower).unwrap_or_default();
        let cue = self.cue_before(toks, i);
        if let Some(p) = prev {
            if tables::is_title(&p.form) || tables::is_given_name(&p.form) {
                return None;
            }
            let pl = lower(p);
            // "George Washington", "Sheriff Beauregard": a capitalised word that is
            // not a place, a function word or a direction starts a person's name.
            let p_is_name = starts_upper(&p.form)
                && !tables::is_stop_word(&pl)
                && !tables::is_common_word(&pl)
                && !tables::is_direction(&pl)
                && !matches!(
                    pl.as_str(),
                    "northern" | "southern" | "eastern" | "western" | "central"
                )
                && p.form.chars().any(|c| c.is_lowercase())
                && self.gaz.lookup(&p.form).is_empty()
                && !self.gaz.is_demonym(&p.form);
            if p_is_name && single {
                return None;
            }
        }
        let strong = self.strong(key);
        let container_after = next.is_some_and(|n| n.form == ",")
            && toks.get(j + 1).is_some_and(|n| {
                starts_upper(&n.form)
                    && (tables::admin1_abbrev(&n.form, true).is_some()
                        || tables::admin1_abbrev(&format!("{}.", n.form), false).is_some()
                        || self.strong(&normalize(&n.form)))
            });
        let division_after = tables::division_hint(&next_l).is_some();
        // Actors: a country or capital right before a speech/action verb.
        if cue.is_none() && tables::is_actor_verb(&next_l) && self.country_or_capital(key) {
            return None;
        }
        // People: a surname-like place name before "said"/"told".
        if single
            && cue.is_none()
            && matches!(
                next_l.as_str(),
                "said" | "says" | "told" | "added" | "asked"
            )
            && !strong
        {
            return None;
        }
        if single && tables::is_common_word(fl) && cue.is_none() && !container_after {
            return None;
        }
        // Acronyms ("KBR", "SANA") are organisations unless they name a country ("USA").
        if single
            && cue.is_none()
            && first.form.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && first
                .form
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(|c| c.is_uppercase())
            && !self.country_or_capital(key)
        {
            return None;
        }
        // A small place named by a bare capitalised word with no cue at all is more
        // often a surname or a word in a name ("Jones", "Day", "Olympic").
        if single && !strong && cue.is_none() && !container_after && !division_after {
            let best_pop = self
                .gaz
                .lookup_key(key)
                .iter()
                .filter(|c| !c.alternate)
                .map(|c| self.gaz.record(c.record).population)
                .max()
                .unwrap_or(0);
            if best_pop < MIN_BARE_POPULATION {
                return None;
            }
        }
        if i == first_word
            && single
            && !strong
            && cue.is_none()
            && !container_after
            && !division_after
            && !Self::seen_mid_sentence(&first.form, sentences)
        {
            return None;
        }
        Some(if let Some(c) = cue {
            c
        } else if container_after {
            "followed by a containing place".into()
        } else if division_after {
            format!("before '{next_l}'")
        } else if strong {
            "well-known place name".into()
        } else {
            "capitalised gazetteer name".into()
        })
    }

    /// A capitalised run absent from the gazetteer right after a strong cue
    /// ("went to Sayeda Zeinab"): a place the gazetteer lacks.
    fn unknown_with_cue(&self, toks: &[Token], i: usize, tagged: bool) -> Option<(usize, String)> {
        let cue = self.cue_before(toks, i)?;
        if i == 0 {
            return None;
        }
        let mut k = i;
        while k < toks.len() && k < i + MAX_UNKNOWN_TOKENS && is_name_token(&toks[k], tagged) {
            let l = lower(&toks[k]);
            if tables::is_stop_word(&l)
                || tables::is_common_word(&l)
                || tables::is_title(&toks[k].form)
                || self.gaz.is_demonym(&toks[k].form)
                || toks[k].form.chars().all(|c| !c.is_lowercase())
            {
                return None;
            }
            k += 1;
        }
        if k == i {
            return None;
        }
        // The run must end the name: a following capital means we saw only part of it.
        if toks.get(k).is_some_and(|t| is_name_token(t, tagged)) {
            return None;
        }
        Some((k, format!("{cue}; not in the gazetteer")))
    }
}
