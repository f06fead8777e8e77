//! The event coder: predicates of a UD parse matched against verb patterns, arguments resolved
//! to actors, each event dated, given a modality and an attribution.
//!
//! Per predicate (a `VERB` token that is not a participial modifier):
//! 1. pattern: the most specific verb pattern over lemma, particle, direct object (or, without
//!    one, the noun a preposition governs: `call_for [talk]`), prepositions and voice;
//! 2. source: the subject (the `by` agent in the passive), inherited through conjunction
//!    ("travelled … and signed"), control ("asked Iran to continue"), purpose clauses and
//!    relative pronouns ("al-Muallem, who asked");
//! 3. target: the pattern's preposition object, else the direct object (the passive subject),
//!    else the subject of a `for`/`that` clause, else the first other actor of a complement
//!    clause ("warned that Washington would respond to any attack by Damascus");
//! 4. one event per conjunct on either side ("met Assad, Khamis and al-Muallem" → three);
//! 5. date from the clause's time expression, modality from negation, auxiliaries and governing
//!    verbs, attribution from speech verbs and "according to".
//!
//! A predicate whose source or target resolves to no actor gives no event, unless text actors
//! are allowed; pronouns never stand as actors.

use chrono::NaiveDate;
use dyad_core::{Document, Sentence, Token};
use dyad_dict::{ActorResolution, Dictionaries, VerbPattern};

use crate::event::{Actor, Attribution, Event, Evidence, Modality, Plover};
use crate::timex;
use crate::tree::Tree;

#[derive(Debug, Clone, Default)]
pub struct CoderOptions {
    /// Keep events whose source or target resolves to no dictionary actor, with the text only.
    pub allow_unknown_actors: bool,
}

pub struct Coder<'d> {
    dict: &'d Dictionaries,
    opts: CoderOptions,
}

/// Verbs that report speech: their complements are attributed to their subject.
const SPEECH: &[&str] = &[
    "say", "tell", "state", "add", "report", "announce", "claim", "write", "note", "insist",
    "explain", "declare", "confirm", "quote", "cite",
];
/// Governors that make the governed event hypothetical (planned, wanted, considered).
const HYPOTHETICAL: &[&str] = &[
    "plan", "intend", "prepare", "aim", "want", "seek", "hope", "expect", "consider", "propose",
    "offer", "try", "attempt", "wish", "threaten", "vow", "pledge", "promise", "agree", "decide",
];
/// Governors that commit their subject to the governed event: CAMEO codes the commitment
/// itself, as an expression of intent (03x), when the event is cooperative ("offered to
/// mediate" → 039, "pledged to send aid" → 033).
const INTENT: &[&str] = &["offer", "promise", "pledge", "vow", "propose", "commit"];
/// Governors that make the governed event demanded.
const DEMANDING: &[&str] = &[
    "call", "urge", "ask", "demand", "appeal", "press", "request", "order", "push",
];
/// Roles of the state: a bare one ("the regime", "the army") acted on by a national actor is
/// taken to be that country's. Non-state roles (rebels, protesters) are not: their country
/// is often another.
const STATE_ROLES: &[&str] = &["GOV", "MIL", "COP", "JUD", "LEG", "SPY"];
/// Governors that deny the governed event ("refused to condemn").
const NEGATING: &[&str] = &["refuse", "decline", "fail", "reject", "deny"];
const RELATIVE: &[&str] = &["who", "which", "that", "whom"];
const PERSONAL: &[&str] = &["he", "she", "him", "her"];

/// One argument noun and how it was found.
#[derive(Debug, Clone, Copy)]
struct Arg {
    token: usize,
    /// Found through inheritance or a pronoun: less certain.
    indirect: bool,
}

/// A resolved actor with its token span.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    actor: Actor,
    span: (usize, usize),
    from_memory: bool,
}

/// Discourse memory across a document's sentences.
#[derive(Default)]
struct Memory {
    /// The last named person actor (for he/she).
    person: Option<Resolved>,
    /// The speaker of the last quotation (for quotation paragraphs that continue it).
    speaker: Option<Attribution>,
}

impl<'d> Coder<'d> {
    pub fn new(dict: &'d Dictionaries, opts: CoderOptions) -> Self {
        Coder { dict, opts }
    }

    /// Code every sentence of an analysed document.
    pub fn code_document(&self, doc: &Document) -> Vec<Event> {
        let story = doc.date.map(|d| d.date);
        let mut memory = Memory::default();
        let mut events = Vec::new();
        for (si, sentence) in doc.sentences.iter().enumerate() {
            self.code_sentence(doc, si, sentence, story, &mut memory, &mut events);
        }
        events
    }

    fn code_sentence(
        &self,
        doc: &Document,
        si: usize,
        sentence: &Sentence,
        story: Option<NaiveDate>,
        memory: &mut Memory,
        out: &mut Vec<Event>,
    ) {
        let tokens = &sentence.tokens;
        if tokens.is_empty() || tokens.iter().all(|t| t.head.is_none()) {
            return;
        }
        if let Some(d) = self.dict.discard_in(tokens) {
            if d.kind == dyad_dict::DiscardKind::Sentence {
                return;
            }
        }
        let tree = Tree::new(tokens);
        let sentence_text = doc.text.get(sentence.start..sentence.end).unwrap_or("");
        let via = self.relay_source(&tree, story);
        let whole_quote = sentence_text.trim_start().starts_with('"')
            && !(0..tree.len()).any(|i| SPEECH.contains(&tree.lemma(i)));
        let mut produced = Vec::new();
        let sentence_speaker = self.sentence_speaker(&tree, story, memory, via.as_deref());

        for pred in 0..tree.len() {
            if tree.upos(pred) != "VERB"
                || matches!(tree.rel(pred), "amod" | "compound")
                || (tree.rel(pred) == "acl" && misread_root_noun(&tree, pred).is_none())
            {
                continue;
            }
            let lemma = tree.lemma(pred);
            let args = Args::collect(&tree, pred);
            let Some(source_arg) = self.source_of(&tree, pred, &args) else {
                continue;
            };
            let sources = self.resolve_conjuncts(&tree, source_arg, story, memory);
            if sources.is_empty() {
                continue;
            }
            // The most specific pattern whose target resolves to an actor.
            let mut chosen = None;
            let speech = SPEECH.contains(&lemma);
            for candidate in self.patterns(&tree, lemma, &args) {
                let pattern = candidate.pattern;
                let mut alternatives = self.target_of(&tree, pred, &args, &candidate);
                // "withdrew its troops", "put their forces on alert": the subject's own forces
                // are what it acts with, not a party it acts on.
                alternatives.retain(|a| !own_forces(&tree, a.token));
                // Speech verbs take no target from what was said: the reported clause is
                // coded on its own.
                if alternatives.is_empty() && !speech {
                    alternatives =
                        self.complement_actors(&tree, pred, &sources[0].actor.code, story, memory);
                }
                // The first alternative that names an actor ("the town of Afrin": Afrin, else
                // the town).
                let mut resolved: Vec<Resolved> = alternatives
                    .iter()
                    .map(|&t| self.resolve_conjuncts(&tree, t, story, memory))
                    .find(|r| !r.is_empty())
                    .unwrap_or_default();
                // "Saudi Arabia and Iran restored relations": conjoined sources act on each other.
                let coordinated_subject = tree.kids(source_arg.token, "conj").next().is_some();
                if resolved.is_empty()
                    && sources.len() > 1
                    && !speech
                    && !args.passive
                    && coordinated_subject
                {
                    resolved = sources.clone();
                }
                if !resolved.is_empty() {
                    chosen = Some((pattern, resolved));
                    break;
                }
            }
            let Some((pattern, mut target_resolved)) = chosen else {
                continue;
            };
            // A bare state role ("the regime", "police") acted on by a national actor is that
            // country's: "Iranian students protested against the regime" → IRNGOV.
            if let Some(country) = sources[0].actor.country.clone() {
                for t in &mut target_resolved {
                    let state_role = t
                        .actor
                        .agents
                        .iter()
                        .all(|a| STATE_ROLES.contains(&a.as_str()));
                    if t.actor.country.is_none()
                        && t.actor.name.is_none()
                        && !t.actor.agents.is_empty()
                        && state_role
                    {
                        t.actor.country = Some(country.clone());
                        t.actor.code = format!("{country}{}", t.actor.agents.concat());
                    }
                }
            }
            let mut modality = modality(&tree, pred);
            // A threat (13) is about what would happen: it takes the modality of its clause
            // ("warned that Washington would respond" → conditional/future).
            if pattern.code.starts_with("13") && modality == Modality::Asserted {
                if let Some(m) = tree
                    .kids(pred, "ccomp")
                    .map(|c| own_modality(&tree, c))
                    .find(|m| matches!(m, Modality::Future | Modality::Conditional))
                {
                    modality = m;
                }
            }
            // "Qatar offered to mediate": the event is Qatar's intent to mediate (039), as
            // asserted as the offer itself.
            let intent;
            let mut pattern = pattern;
            if modality == Modality::Hypothetical {
                if let Some((gov, code)) = intent_governor(&tree, pred)
                    .and_then(|g| intent_code(&pattern.code).map(|c| (g, c)))
                {
                    intent = VerbPattern {
                        code: code.to_string(),
                        text: format!("{} to: {} {}", tree.lemma(gov), pattern.code, pattern.text),
                        ..pattern.clone()
                    };
                    pattern = &intent;
                    modality = self::modality(&tree, gov);
                }
            }
            let (date, precision) = event_date(&tree, pred, story, modality, doc);
            let attribution = self
                .attribution(&tree, pred, story, memory)
                .map(|mut a| {
                    if a.via.is_none() {
                        a.via = via.clone();
                    }
                    a
                })
                .or_else(|| {
                    via.clone().map(|v| Attribution {
                        speaker: None,
                        via: Some(v),
                    })
                })
                .or_else(|| whole_quote.then(|| memory.speaker.clone()).flatten());
            let trigger = trigger_text(&tree, pred, &args);
            for s in &sources {
                for t in &target_resolved {
                    if s.actor.code == t.actor.code && !s.actor.code.is_empty() {
                        continue; // self-directed: no dyad
                    }
                    let confidence = confidence(pattern, s, t, source_arg.indirect);
                    produced.push(self.build(
                        doc,
                        si,
                        sentence_text,
                        pred,
                        &tree,
                        pattern,
                        &trigger,
                        s,
                        t,
                        modality,
                        (date, precision),
                        story,
                        attribution.clone(),
                        confidence,
                    ));
                }
            }
        }
        // Quoted demands: a quotation whose clause says what must or should happen is the
        // speaker's demand (CAMEO 10) when nothing stronger was coded from it.
        let speaker = sentence_speaker
            .clone()
            .or_else(|| whole_quote.then(|| memory.speaker.clone()).flatten());
        if let Some(speaker) = &speaker {
            if sentence_text.contains('"') {
                self.quoted_demands(
                    doc,
                    si,
                    sentence_text,
                    &tree,
                    speaker,
                    story,
                    memory,
                    &mut produced,
                );
            }
        }
        if sentence_speaker.is_some() {
            memory.speaker = sentence_speaker;
        } else if !whole_quote {
            memory.speaker = None;
        }
        self.remember_people(&tree, story, memory);

        // One event per (source, target, code) in a sentence: only this sentence's events are
        // compared, so a long document costs no more per sentence than a short one.
        let first = out.len();
        for mut e in produced {
            let dup = out[first..].iter().any(|o: &Event| {
                o.cameo == e.cameo
                    && o.source.code == e.source.code
                    && o.target.code == e.target.code
                    && o.source.text == e.source.text
                    && o.target.text == e.target.text
            });
            if !dup {
                e.event_id = format!("{}-{}-{}", doc.id, e.sentence, out.len());
                out.push(e);
            }
        }
    }

    /// Every pattern that matches the predicate, most specific first, each with the noun that
    /// satisfied its object constraint. The constrained noun is the direct object (the passive
    /// subject), with its modifiers first ("food aid" → `food_aid`, then `aid`), or the noun a
    /// preposition governs (`call_for [talk]`, "threatened Taiwan with war" → `threaten [war]`).
    /// Patterns are also tried without the prepositions, so that a place or time oblique cannot
    /// hide the plain verb pattern.
    fn patterns(&self, tree: &Tree<'_>, lemma: &str, args: &Args) -> Vec<Candidate<'d>> {
        let preps: Vec<&str> = args.all_preps();
        let particle = args.particle.as_deref();
        let object = if args.passive {
            args.pass_subj
        } else {
            args.obj
        };
        let mut nouns: Vec<(String, Constraint)> = Vec::new();
        if let Some(o) = object {
            for l in compound_lemmas(tree, o) {
                nouns.push((l, Constraint::Object));
            }
        }
        for (k, (_, noun)) in args.obls.iter().enumerate() {
            for l in compound_lemmas(tree, *noun) {
                nouns.push((l, Constraint::Oblique(k)));
            }
        }
        // "accused Israel of the attack" is often parsed with "of the attack" under Israel.
        for (k, (_, noun)) in args.obj_nmods.iter().enumerate() {
            for l in compound_lemmas(tree, *noun) {
                nouns.push((l, Constraint::ObjectModifier(k)));
            }
        }
        let mut out: Vec<Candidate<'d>> = Vec::new();
        for p in self.dict.verb_patterns(lemma) {
            let mut found = None;
            let mut compound_object = false;
            if p.objects.is_empty() {
                let obj_lemma = object.map(|o| tree.lemma(o));
                if p.matches(particle, obj_lemma, &preps, args.passive)
                    || p.matches(particle, obj_lemma, &[], args.passive)
                {
                    found = Some(Constraint::None);
                }
            } else {
                for (noun, constraint) in &nouns {
                    // With a direct object, a prepositional noun only constrains through its
                    // own preposition (the pattern's particle: "accused X of aggression") or
                    // as the theme of `with` ("threatened Taiwan with war").
                    let prep = match constraint {
                        Constraint::Oblique(k) => Some(args.obls[*k].0.as_deref()),
                        Constraint::ObjectModifier(k) => Some(args.obj_nmods[*k].0.as_deref()),
                        _ => None,
                    };
                    if let Some(prep) = prep {
                        let theme = prep == Some("with") && p.particle.is_none();
                        if object.is_some()
                            && !theme
                            && (p.particle.is_none() || p.particle.as_deref() != prep)
                        {
                            continue;
                        }
                    }
                    if p.matches(particle, Some(noun), &preps, args.passive)
                        || p.matches(particle, Some(noun), &[], args.passive)
                    {
                        found = Some(*constraint);
                        compound_object = noun.contains('_');
                        break;
                    }
                }
            }
            if let Some(constraint) = found {
                out.push(Candidate {
                    pattern: p,
                    constraint,
                    compound_object,
                });
            }
        }
        // Among equally constrained patterns, one naming the object with its modifier
        // ("humanitarian aid" → 073) is more specific than one naming the head ("aid" → 070).
        out.sort_by(|a, b| {
            b.pattern
                .specificity()
                .cmp(&a.pattern.specificity())
                .then(b.compound_object.cmp(&a.compound_object))
                .then(a.pattern.order.cmp(&b.pattern.order))
        });
        out
    }

    fn source_of(&self, tree: &Tree<'_>, pred: usize, args: &Args) -> Option<Arg> {
        if args.passive {
            return args
                .obls
                .iter()
                .find(|(p, _)| p.as_deref() == Some("by"))
                .map(|&(_, n)| Arg {
                    token: n,
                    indirect: false,
                });
        }
        if let Some(s) = args.subj {
            return Some(self.replace_relative(tree, pred, s));
        }
        self.inherited_subject(tree, pred, 0)
    }

    /// A relative pronoun subject stands for the noun its clause modifies.
    fn replace_relative(&self, tree: &Tree<'_>, pred: usize, arg: usize) -> Arg {
        let lemma = tree.lemma(arg);
        if RELATIVE.contains(&lemma) {
            if tree.rel(pred) == "acl:relcl" {
                if let Some(h) = tree.head(pred) {
                    return Arg {
                        token: h,
                        indirect: false,
                    };
                }
            }
            // The parser missed the relative clause: the antecedent is the nominal right
            // before the pronoun (", who asked"), climbed to the head of its name.
            if lemma != "that" {
                if let Some(a) = antecedent(tree, arg, lemma == "which") {
                    return Arg {
                        token: a,
                        indirect: true,
                    };
                }
            }
        }
        Arg {
            token: arg,
            indirect: false,
        }
    }

    /// A subject shared through conjunction, control or a purpose clause.
    fn inherited_subject(&self, tree: &Tree<'_>, pred: usize, depth: usize) -> Option<Arg> {
        if depth > 4 {
            return None;
        }
        let head = tree.head(pred)?;
        let rel = tree.rel(pred);
        let from_head = |h: usize| -> Option<Arg> {
            let args = Args::collect(tree, h);
            if args.passive {
                return None;
            }
            match args.subj {
                Some(s) => Some(Arg {
                    token: self.replace_relative(tree, h, s).token,
                    indirect: true,
                }),
                None => self.inherited_subject(tree, h, depth + 1),
            }
        };
        match rel {
            "conj" => from_head(head),
            "xcomp" => {
                // Object control ("asked Iran to continue"), else subject control.
                match tree.kid(head, "obj").or_else(|| tree.kid(head, "iobj")) {
                    Some(o) => Some(Arg {
                        token: o,
                        indirect: true,
                    }),
                    None => from_head(head),
                }
            }
            "advcl" if tree.mark_of(pred).as_deref() == Some("to") => from_head(head),
            _ => None,
        }
    }

    /// Target alternatives, best first; the caller keeps the first that names an actor.
    fn target_of(&self, tree: &Tree<'_>, pred: usize, args: &Args, c: &Candidate<'_>) -> Vec<Arg> {
        let p = c.pattern;
        let arg = |t: usize| Arg {
            token: t,
            indirect: false,
        };
        let mut out = Vec::new();
        let object = if args.passive {
            args.pass_subj
        } else {
            args.obj
        };
        if !p.preps.is_empty() {
            if let Some(&(_, n)) = args.obls.iter().chain(&args.obj_nmods).find(|(prep, _)| {
                prep.as_deref()
                    .is_some_and(|x| p.preps.iter().any(|w| w == x))
            }) {
                out.push(arg(n));
            }
            if let Some(&(_, clause)) = args.clauses.iter().find(|(mark, _)| {
                mark.as_deref()
                    .is_some_and(|x| p.preps.iter().any(|w| w == x))
            }) {
                if let Some(s) = clause_subject(tree, clause) {
                    out.push(arg(s));
                }
            }
            if !out.is_empty() {
                return out;
            }
        }
        // An oblique noun satisfied the object constraint: with a direct object, that object is
        // the target ("threatened Taiwan with war"); without one, the noun's owner or the
        // parties it names ("called for the release of Indian fishermen", "called for talks
        // between Serbia and Kosovo"), else the noun.
        if let Constraint::ObjectModifier(_) = c.constraint {
            if let Some(o) = object {
                return vec![arg(self.replace_relative(tree, pred, o).token)];
            }
        }
        if let Constraint::Oblique(k) = c.constraint {
            if let Some(o) = object {
                return vec![arg(self.replace_relative(tree, pred, o).token)];
            }
            let noun = args.obls[k].1;
            let mut out: Vec<Arg> = owners(tree, noun).into_iter().map(arg).collect();
            out.push(arg(noun));
            return out;
        }
        // A particle matched as a preposition governs the target: "called on Iran".
        if let Some(part) = &p.particle {
            if args.particle.is_none() {
                if let Some(&(_, n)) = args
                    .obls
                    .iter()
                    .find(|(prep, _)| prep.as_deref() == Some(part))
                {
                    if c.constraint == Constraint::None {
                        out.push(arg(n));
                    }
                }
                if let Some(&(_, clause)) = args
                    .clauses
                    .iter()
                    .find(|(m, _)| m.as_deref() == Some(part))
                {
                    if let Some(s) = clause_subject(tree, clause) {
                        out.push(arg(s));
                    }
                }
                if !out.is_empty() {
                    return out;
                }
            }
        }
        if let Some(o) = object {
            let o = self.replace_relative(tree, pred, o).token;
            if !p.objects.is_empty() {
                // "release of the Americans", "Iran's nuclear programme": the owner, else the
                // object itself.
                out.extend(owners(tree, o).into_iter().map(arg));
            }
            out.push(arg(o));
            return out;
        }
        // "asked for Iran to continue": the subject of a for-clause.
        if let Some(&(_, clause)) = args
            .clauses
            .iter()
            .find(|(m, _)| matches!(m.as_deref(), Some("for")))
        {
            if let Some(s) = clause_subject(tree, clause) {
                out.push(arg(s));
            }
        }
        out
    }

    /// Actors of a complement clause other than the source, for verbs whose target is named
    /// inside what was said ("warned that Washington would respond to any attack by Damascus").
    fn complement_actors(
        &self,
        tree: &Tree<'_>,
        pred: usize,
        source_code: &str,
        story: Option<NaiveDate>,
        memory: &Memory,
    ) -> Vec<Arg> {
        for c in tree.kids(pred, "ccomp") {
            let mut nouns: Vec<usize> = Vec::new();
            let mut stack = vec![c];
            while let Some(n) = stack.pop() {
                for &k in tree.children(n) {
                    match tree.base_rel(k) {
                        "nsubj" | "obj" | "obl" | "nmod" | "iobj" => {
                            nouns.push(k);
                            stack.push(k);
                        }
                        "ccomp" | "xcomp" | "advcl" | "conj" => stack.push(k),
                        _ => {}
                    }
                }
            }
            nouns.sort_unstable();
            for n in nouns {
                if let Some(r) = self.resolve_np(tree, n, &[], story, memory) {
                    if r.actor.code != source_code && !r.actor.code.is_empty() {
                        return vec![Arg {
                            token: n,
                            indirect: true,
                        }];
                    }
                }
            }
        }
        Vec::new()
    }

    /// The argument and its conjuncts, each resolved ("Assad, Khamis and al-Muallem"); shared
    /// coordinated modifiers give one actor each ("Russian and Iranian forces").
    fn resolve_conjuncts(
        &self,
        tree: &Tree<'_>,
        arg: Arg,
        story: Option<NaiveDate>,
        memory: &Memory,
    ) -> Vec<Resolved> {
        let mut heads = vec![arg.token];
        // Conjuncts, including those a parser chained onto another conjunct.
        let mut k = 0;
        while k < heads.len() && heads.len() < 64 {
            let more: Vec<usize> = tree
                .kids(heads[k], "conj")
                .filter(|&c| is_nominal(tree, c) && !heads.contains(&c))
                .collect();
            heads.extend(more);
            k += 1;
        }
        let mut out = Vec::new();
        for h in heads {
            // Coordinated modifiers inside the phrase ("Russian and Iranian forces", "the
            // leaders of Iran, Russia and Turkey"): one variant per conjunct.
            let coordinated: Vec<(usize, Vec<usize>)> = np_indices(tree, h, &[])
                .into_iter()
                .filter(|&m| m != h && matches!(tree.base_rel(m), "amod" | "nmod" | "compound"))
                .map(|m| {
                    (
                        m,
                        tree.kids(m, "conj")
                            .filter(|&c| is_nominal(tree, c))
                            .collect::<Vec<_>>(),
                    )
                })
                .filter(|(_, cs)| !cs.is_empty())
                .collect();
            if let Some((m, conjs)) = coordinated.first() {
                let mut variants = vec![(*m, *m)];
                variants.extend(conjs.iter().map(|&c| (*m, c)));
                for (replace, with) in variants {
                    let swap = [(replace, with)];
                    if let Some(r) = self.resolve_np(tree, h, &swap, story, memory) {
                        out.push(r);
                    }
                }
                continue;
            }
            if let Some(r) = self.resolve_np(tree, h, &[], story, memory) {
                out.push(r);
            } else if self.opts.allow_unknown_actors && tree.upos(h) != "PRON" {
                let idx = np_indices(tree, h, &[]);
                out.push(Resolved {
                    actor: Actor {
                        text: np_text(tree, &idx),
                        code: String::new(),
                        country: None,
                        agents: Vec::new(),
                        name: None,
                        geo: None,
                    },
                    span: tree.span(&idx),
                    from_memory: false,
                });
            }
        }
        out
    }

    /// Resolve the noun phrase headed by `head` (with coordinated modifiers swapped as given).
    fn resolve_np(
        &self,
        tree: &Tree<'_>,
        head: usize,
        swap: &[(usize, usize)],
        story: Option<NaiveDate>,
        memory: &Memory,
    ) -> Option<Resolved> {
        let lemma = tree.lemma(head);
        if tree.upos(head) == "PRON" {
            if PERSONAL.contains(&lemma) {
                return memory.person.clone().map(|mut p| {
                    p.from_memory = true;
                    p.span = tree.span(&[head]);
                    p.actor.text = tree.tokens[head].form.clone();
                    p
                });
            }
            return None;
        }
        // Past the pronouns nothing depends on discourse memory, so the answer holds for the
        // whole sentence.
        if swap.is_empty() {
            if let Some(known) = &tree.np_memo.borrow()[head] {
                return known.clone();
            }
        }
        let idx = np_indices(tree, head, swap);
        let resolution = self.resolve_indices(tree, &idx, story).or_else(|| {
            // An apposition names the same actor: "Zarif, Iran's foreign minister".
            tree.kids(head, "appos")
                .find_map(|a| self.resolve_indices(tree, &np_indices(tree, a, &[]), story))
        });
        let resolved = resolution.map(|resolution| Resolved {
            actor: actor_from(resolution, np_text(tree, &idx)),
            span: tree.span(&idx),
            from_memory: false,
        });
        if swap.is_empty() {
            tree.np_memo.borrow_mut()[head] = Some(resolved.clone());
        }
        resolved
    }

    /// The dictionaries' reading of the tokens at `idx` (ascending), borrowed in place when
    /// they are consecutive, as they nearly always are.
    fn resolve_indices(
        &self,
        tree: &Tree<'_>,
        idx: &[usize],
        story: Option<NaiveDate>,
    ) -> Option<dyad_dict::ActorResolution> {
        let (&first, &last) = (idx.first()?, idx.last()?);
        if idx.windows(2).all(|w| w[1] == w[0] + 1) {
            return self.dict.resolve_tokens(&tree.tokens[first..=last], story);
        }
        let toks: Vec<Token> = idx.iter().map(|&i| tree.tokens[i].clone()).collect();
        self.dict.resolve_tokens(&toks, story)
    }

    /// The speaker of the sentence's speech verb ("…," Zarif said, according to Fars News), if
    /// its subject names an actor.
    fn sentence_speaker(
        &self,
        tree: &Tree<'_>,
        story: Option<NaiveDate>,
        memory: &Memory,
        via: Option<&str>,
    ) -> Option<Attribution> {
        (0..tree.len()).find_map(|i| {
            if tree.upos(i) != "VERB" || !SPEECH.contains(&tree.lemma(i)) {
                return None;
            }
            let subj = tree.kid(i, "nsubj")?;
            let r = self.resolve_np(tree, subj, &[], story, memory)?;
            Some(Attribution {
                speaker: Some(r.actor.code),
                via: via.map(str::to_string),
            })
        })
    }

    /// The relay of everything in the sentence: "according to Fars News", or a news medium
    /// reporting it ("…, Iran's Fars news agency reported").
    fn relay_source(&self, tree: &Tree<'_>, story: Option<NaiveDate>) -> Option<String> {
        (0..tree.len()).find_map(|i| {
            if tree.case_of(i).as_deref() == Some("according to") {
                return Some(np_text(tree, &np_indices(tree, i, &[])));
            }
            if tree.upos(i) == "VERB" && SPEECH.contains(&tree.lemma(i)) {
                let subj = tree.kid(i, "nsubj")?;
                let r = self.resolve_np(tree, subj, &[], story, &Memory::default())?;
                if r.actor.agents.iter().any(|a| a == "MED") {
                    return Some(np_text(tree, &np_indices(tree, subj, &[])));
                }
            }
            None
        })
    }

    /// The speaker of a clause governed by a speech verb. A media speaker ("Fars news agency
    /// reported") is a relay, not a speaker.
    fn attribution(
        &self,
        tree: &Tree<'_>,
        pred: usize,
        story: Option<NaiveDate>,
        memory: &Memory,
    ) -> Option<Attribution> {
        // "…visited Damascus, Iran's Fars news agency reported": the parser may hang the
        // speech verb under the reported one.
        if let Some(gov) = tree
            .kids(pred, "parataxis")
            .find(|&k| SPEECH.contains(&tree.lemma(k)))
        {
            if let Some(a) = self.speaker_of(tree, gov, story, memory) {
                return Some(a);
            }
        }
        let mut child = pred;
        for gov in tree.ancestors(pred) {
            let rel = tree.base_rel(child);
            if SPEECH.contains(&tree.lemma(gov)) && matches!(rel, "ccomp" | "parataxis") {
                return self.speaker_of(tree, gov, story, memory);
            }
            child = gov;
        }
        None
    }

    /// Speaker of a speech verb: its subject's actor, or — for media ("Fars news agency
    /// reported") and unresolved subjects — a relay.
    fn speaker_of(
        &self,
        tree: &Tree<'_>,
        speech: usize,
        story: Option<NaiveDate>,
        memory: &Memory,
    ) -> Option<Attribution> {
        let subj = tree.kid(speech, "nsubj")?;
        let r = self.resolve_np(tree, subj, &[], story, memory);
        let text = np_text(tree, &np_indices(tree, subj, &[]));
        Some(match r {
            Some(r) if r.actor.agents.iter().any(|a| a == "MED") => Attribution {
                speaker: None,
                via: Some(text),
            },
            Some(r) => Attribution {
                speaker: Some(r.actor.code),
                via: None,
            },
            None => Attribution {
                speaker: None,
                via: Some(text),
            },
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn quoted_demands(
        &self,
        doc: &Document,
        si: usize,
        sentence_text: &str,
        tree: &Tree<'_>,
        speaker: &Attribution,
        story: Option<NaiveDate>,
        memory: &Memory,
        out: &mut Vec<Event>,
    ) {
        let Some(speaker_code) = speaker.speaker.clone() else {
            return;
        };
        let Some(pattern) = self.dict.match_verb("demand", None, None, &[], false) else {
            return;
        };
        for pred in 0..tree.len() {
            let demands = tree
                .kids(pred, "aux")
                .any(|a| matches!(tree.lemma(a), "must" | "should" | "ought"));
            if !demands
                || out
                    .iter()
                    .any(|e| e.evidence.trigger_span.0 == tree.tokens[pred].start)
            {
                continue;
            }
            let subj = tree
                .kid(pred, "nsubj:pass")
                .or_else(|| tree.kid(pred, "nsubj"));
            let Some(subj) = subj else { continue };
            let Some(target) = self.resolve_np(tree, subj, &[], story, memory) else {
                continue;
            };
            if target.actor.code == speaker_code {
                continue;
            }
            let source = Resolved {
                actor: Actor {
                    text: speaker_code.clone(),
                    code: speaker_code.clone(),
                    country: speaker_code.get(..3).map(str::to_string),
                    agents: Vec::new(),
                    name: None,
                    geo: None,
                },
                span: (0, 0),
                from_memory: true,
            };
            let mut source = source;
            if let Ok(code) = dyad_cameo::parse_actor_code(&speaker_code) {
                source.actor.country = code.country.clone();
                source.actor.agents = code.roles.clone();
            }
            let (date, precision) = event_date(tree, pred, story, Modality::Demanded, doc);
            let args = Args::collect(tree, pred);
            let mut e = self.build(
                doc,
                si,
                sentence_text,
                pred,
                tree,
                pattern,
                &trigger_text(tree, pred, &args),
                &source,
                &target,
                Modality::Demanded,
                (date, precision),
                story,
                Some(speaker.clone()),
                0.5,
            );
            e.evidence.rule = format!(
                "quoted demand (must/should) by the speaker; {}",
                e.evidence.rule
            );
            out.push(e);
        }
    }

    /// Remember the last named person (a named actor with roles) for he/she.
    fn remember_people(&self, tree: &Tree<'_>, story: Option<NaiveDate>, memory: &mut Memory) {
        for i in 0..tree.len() {
            if tree.base_rel(i) != "nsubj" || tree.upos(i) != "PROPN" {
                continue;
            }
            let memory_view = Memory::default();
            if let Some(r) = self.resolve_np(tree, i, &[], story, &memory_view) {
                if r.actor.name.is_some() && !r.actor.agents.is_empty() {
                    memory.person = Some(r);
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn build(
        &self,
        doc: &Document,
        si: usize,
        sentence_text: &str,
        pred: usize,
        tree: &Tree<'_>,
        pattern: &VerbPattern,
        trigger: &str,
        source: &Resolved,
        target: &Resolved,
        modality: Modality,
        (date, precision): (Option<NaiveDate>, Option<&'static str>),
        story: Option<NaiveDate>,
        attribution: Option<Attribution>,
        confidence: f32,
    ) -> Event {
        let info = dyad_cameo::event(&pattern.code);
        let t = &tree.tokens[pred];
        Event {
            event_id: String::new(),
            doc_id: doc.id.clone(),
            sentence: si,
            date: date.map(|d| d.to_string()),
            date_precision: precision.map(str::to_string),
            story_date: story.map(|d| d.to_string()),
            cameo: pattern.code.clone(),
            cameo_root: info.map_or_else(|| pattern.code[..2].to_string(), |i| i.root.to_string()),
            quad_class: info.map_or(0, |i| i.quad_class),
            goldstein: info.map_or(0.0, |i| i.goldstein),
            plover: Plover {
                kind: info.and_then(|i| i.plover_type).map(str::to_string),
                mode: info.and_then(|i| i.plover_mode).map(str::to_string),
            },
            source: source.actor.clone(),
            target: target.actor.clone(),
            location: None,
            location_source: None,
            modality,
            attribution,
            evidence: Evidence {
                sentence_text: sentence_text.to_string(),
                trigger: trigger.to_string(),
                trigger_span: (t.start, t.end),
                source_span: source.span,
                target_span: target.span,
                rule: format!("{} {} ({})", pattern.code, pattern.text, pattern.loc),
            },
            confidence,
        }
    }
}

/// Which noun satisfied a pattern's object constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Constraint {
    /// The pattern has no object constraint.
    None,
    /// The direct object (the passive subject).
    Object,
    /// The k-th oblique noun of the predicate.
    Oblique(usize),
    /// The k-th prepositional modifier of the direct object ("Israel of the attack").
    ObjectModifier(usize),
}

/// A matching pattern and how it matched.
#[derive(Debug, Clone, Copy)]
struct Candidate<'d> {
    pattern: &'d VerbPattern,
    constraint: Constraint,
    /// The object constraint matched a modifier + head lemma (`humanitarian_aid`).
    compound_object: bool,
}

/// Lemmas to try against an object constraint, most specific first: the head with a preceding
/// compound or adjective ("food_aid", "hunger_strike"), then the head alone.
///
/// A plural-only lemma ("troops", "arms": UD's `Number=Ptan`) is also tried without its "s",
/// as the dictionaries write object lemmas in the singular (`withdraw [troop]`).
fn compound_lemmas(tree: &Tree<'_>, noun: usize) -> Vec<String> {
    let lemma = tree.lemma(noun);
    let singular = (tree.tokens[noun].feats.contains("Number=Ptan") && lemma.len() > 3)
        .then(|| lemma.strip_suffix('s'))
        .flatten();
    let heads: Vec<&str> = std::iter::once(lemma).chain(singular).collect();
    let modifiers: Vec<usize> = tree
        .children(noun)
        .iter()
        .copied()
        .filter(|&m| m + 1 == noun && matches!(tree.rel(m), "compound" | "amod"))
        .collect();
    let mut out: Vec<String> = Vec::new();
    for &m in &modifiers {
        for head in &heads {
            out.push(format!("{}_{head}", tree.lemma(m)));
        }
    }
    out.extend(heads.iter().map(|h| h.to_string()));
    out
}

/// A noun phrase owned through "its"/"their" with no name or adjective of its own ("its
/// troops", "their police"): the subject's own means, not a separate actor.
fn own_forces(tree: &Tree<'_>, noun: usize) -> bool {
    tree.kids(noun, "nmod:poss").any(|p| {
        tree.upos(p) == "PRON"
            && matches!(tree.tokens[p].form.to_lowercase().as_str(), "its" | "their")
    }) && tree
        .children(noun)
        .iter()
        .all(|&c| !matches!(tree.upos(c), "PROPN" | "ADJ"))
}

/// "The rebels released three soldiers." parsed as a noun phrase: the root is the noun and the
/// sentence's finite verb hangs on it as `acl`. Such a verb is the predicate and the noun its
/// subject (a reduced relative would be a participle, not a finite form).
fn misread_root_noun(tree: &Tree<'_>, pred: usize) -> Option<usize> {
    let noun = tree.head(pred)?;
    let finite = matches!(tree.tokens[pred].xpos.as_str(), "VBD" | "VBZ" | "VBP");
    (tree.rel(pred) == "acl"
        && finite
        && tree.rel(noun) == "root"
        && matches!(tree.upos(noun), "NOUN" | "PROPN")
        && tree.kid(pred, "nsubj").is_none())
    .then_some(noun)
}

/// The arguments of one predicate.
struct Args {
    subj: Option<usize>,
    pass_subj: Option<usize>,
    obj: Option<usize>,
    passive: bool,
    particle: Option<String>,
    /// Oblique nominals with their preposition.
    obls: Vec<(Option<String>, usize)>,
    /// Nominal modifiers of the direct object ("agreement with X").
    obj_nmods: Vec<(Option<String>, usize)>,
    /// Clausal dependents with their marker ("for Iran to continue").
    clauses: Vec<(Option<String>, usize)>,
}

impl Args {
    fn collect(tree: &Tree<'_>, pred: usize) -> Args {
        let pass_subj = tree.kid(pred, "nsubj:pass");
        let passive = pass_subj.is_some() || tree.kid(pred, "aux:pass").is_some();
        // A clause has one subject. When the parser gives the verb a second one after it
        // ("Russia and China criticized the United States"), that one is the object.
        let mut subjects = tree.kids(pred, "nsubj");
        let first_subject = subjects.next();
        let misread_object = first_subject
            .filter(|&s| s < pred)
            .and_then(|_| subjects.find(|&s| s > pred));
        // "asked Iran to release …": a lone indirect object is the object.
        let obj = tree
            .kid(pred, "obj")
            .or_else(|| tree.kid(pred, "iobj"))
            .or(misread_object);
        let obls = tree
            .children(pred)
            .iter()
            .copied()
            .filter(|&c| tree.base_rel(c) == "obl" && !timex::is_time_nominal(tree, c))
            .map(|c| (tree.case_of(c), c))
            .collect();
        let obj_nmods = obj
            .map(|o| {
                tree.kids(o, "nmod")
                    .map(|n| (tree.case_of(n), n))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let clauses = tree
            .children(pred)
            .iter()
            .copied()
            .filter(|&c| matches!(tree.base_rel(c), "advcl" | "xcomp" | "ccomp"))
            .map(|c| (tree.mark_of(c), c))
            .collect();
        Args {
            subj: first_subject
                .or_else(|| misread_root_noun(tree, pred))
                .filter(|_| !passive),
            pass_subj,
            obj,
            passive,
            particle: tree
                .kid(pred, "compound:prt")
                .map(|p| tree.lemma(p).to_string()),
            obls,
            obj_nmods,
            clauses,
        }
    }

    fn all_preps(&self) -> Vec<&str> {
        self.obls
            .iter()
            .chain(&self.obj_nmods)
            .chain(&self.clauses)
            .filter_map(|(p, _)| p.as_deref())
            .collect()
    }
}

/// The nominal before a relative pronoun, skipping punctuation, climbed through name-internal
/// relations (flat, compound) to the head of the name; for "which" (things, not people) also
/// through nominal modifiers and conjuncts to the head of the whole phrase ("a summit between
/// the leaders of Iran, Russia and Turkey, which …" → summit).
fn antecedent(tree: &Tree<'_>, pronoun: usize, whole_phrase: bool) -> Option<usize> {
    let mut k = pronoun.checked_sub(1)?;
    while tree.upos(k) == "PUNCT" {
        k = k.checked_sub(1)?;
    }
    if !matches!(tree.upos(k), "NOUN" | "PROPN") {
        return None;
    }
    let mut steps = 0;
    let climbs = |rel: &str| {
        matches!(rel, "flat" | "compound" | "flat:name" | "fixed")
            || (whole_phrase && matches!(rel, "conj" | "nmod" | "nmod:poss"))
    };
    while climbs(tree.rel(k)) && steps < 16 {
        k = tree.head(k)?;
        steps += 1;
    }
    Some(k)
}

/// Who a constrained noun belongs to or is between: its possessor, then its `of`/`between`
/// modifiers ("Iran's programme", "the release of the Americans", "talks between X and Y").
fn owners(tree: &Tree<'_>, noun: usize) -> Vec<usize> {
    let mut out: Vec<usize> = tree.kid(noun, "nmod:poss").into_iter().collect();
    out.extend(
        tree.kids(noun, "nmod")
            .filter(|&n| matches!(tree.case_of(n).as_deref(), Some("of" | "between" | "among"))),
    );
    out
}

fn clause_subject(tree: &Tree<'_>, clause: usize) -> Option<usize> {
    tree.kid(clause, "nsubj")
        .or_else(|| tree.kid(clause, "nsubj:pass"))
}

fn is_nominal(tree: &Tree<'_>, i: usize) -> bool {
    matches!(
        tree.upos(i),
        "NOUN" | "PROPN" | "PRON" | "NUM" | "X" | "ADJ"
    )
}

/// Token indices of the noun phrase headed by `head`: its subtree without clauses,
/// appositions, conjuncts or its own preposition; `swap` replaces a coordinated modifier's
/// subtree by one of its conjuncts.
fn np_indices(tree: &Tree<'_>, head: usize, swap: &[(usize, usize)]) -> Vec<usize> {
    let skip = |r: &str| {
        matches!(
            r,
            "acl"
                | "acl:relcl"
                | "appos"
                | "conj"
                | "cc"
                | "parataxis"
                | "advcl"
                | "ccomp"
                | "xcomp"
                | "dep"
                | "discourse"
                | "vocative"
                | "reparandum"
        )
    };
    let mut idx = tree.subtree(head, &skip);
    // A verb has no adjectival or compound modifiers: such a word between the noun phrase
    // and its verb ("Amnesty International criticised …" with "International" on the verb)
    // is a misattached part of the phrase.
    if let (Some(&last), Some(verb)) = (idx.last(), tree.head(head)) {
        let mut j = last + 1;
        while j < verb
            && tree.upos(verb) == "VERB"
            && tree.head(j) == Some(verb)
            && matches!(tree.base_rel(j), "amod" | "compound" | "flat")
        {
            idx.push(j);
            j += 1;
        }
    }
    let own: Vec<usize> = tree
        .children(head)
        .iter()
        .copied()
        .filter(|&c| matches!(tree.base_rel(c), "case" | "mark"))
        .flat_map(|c| tree.subtree(c, &|_| false))
        .collect();
    idx.retain(|i| !own.contains(i));
    for &(replace, with) in swap {
        if replace != with {
            let old = tree.subtree(replace, &skip);
            idx.retain(|i| !old.contains(i));
            // The conjunct without its own comma or conjunction.
            idx.extend(
                tree.subtree(with, &skip)
                    .into_iter()
                    .filter(|&i| i == with || !matches!(tree.rel(i), "punct" | "cc")),
            );
            idx.sort_unstable();
        }
    }
    // Trim punctuation at the edges ("Assad ," or "“Idlib").
    while idx.len() > 1 && tree.upos(idx[0]) == "PUNCT" {
        idx.remove(0);
    }
    while idx.len() > 1 && tree.upos(*idx.last().unwrap()) == "PUNCT" {
        idx.pop();
    }
    idx
}

fn np_text(tree: &Tree<'_>, idx: &[usize]) -> String {
    let mut s = String::new();
    for (k, &i) in idx.iter().enumerate() {
        let t = &tree.tokens[i];
        if k > 0 {
            let prev = &tree.tokens[idx[k - 1]];
            if prev.end != t.start {
                s.push(' ');
            }
        }
        s.push_str(&t.form);
    }
    s
}

fn trigger_text(tree: &Tree<'_>, pred: usize, args: &Args) -> String {
    let form = &tree.tokens[pred].form;
    match &args.particle {
        Some(p) => format!("{form} {p}"),
        None => form.clone(),
    }
}

fn actor_from(r: ActorResolution, text: String) -> Actor {
    Actor {
        text,
        code: r.code,
        country: r.country,
        agents: r.roles,
        name: r.name,
        geo: None,
    }
}

/// Negation, auxiliaries, conditional clauses and governing verbs.
fn modality(tree: &Tree<'_>, pred: usize) -> Modality {
    let own = own_modality(tree, pred);
    if own != Modality::Asserted {
        return own;
    }
    // Conjuncts share the auxiliaries and negation of their first conjunct.
    let mut child = pred;
    for gov in tree.ancestors(pred) {
        let rel = tree.base_rel(child);
        match rel {
            "conj" => {
                let m = own_modality(tree, gov);
                if m != Modality::Asserted {
                    return m;
                }
            }
            "xcomp" | "ccomp" | "advcl" => {
                let lemma = tree.lemma(gov);
                if rel == "xcomp" && (has_negation(tree, gov) || NEGATING.contains(&lemma)) {
                    return Modality::Negated;
                }
                if DEMANDING.contains(&lemma) {
                    return Modality::Demanded;
                }
                if HYPOTHETICAL.contains(&lemma) && rel != "ccomp" {
                    return Modality::Hypothetical;
                }
                if rel == "ccomp" {
                    break; // reported speech keeps the clause's own modality
                }
            }
            _ => break,
        }
        child = gov;
    }
    Modality::Asserted
}

fn has_negation(tree: &Tree<'_>, i: usize) -> bool {
    tree.kids(i, "advmod")
        .any(|a| matches!(tree.lemma(a), "not" | "never" | "n't"))
}

/// The commitment verb ("offered to mediate", "promised to send and deliver") whose open
/// complement `pred` is, through `xcomp` and `conj` links, when the commitment is not denied.
fn intent_governor(tree: &Tree<'_>, pred: usize) -> Option<usize> {
    let mut child = pred;
    for gov in tree.ancestors(pred) {
        match tree.base_rel(child) {
            "conj" => {}
            "xcomp" => {
                let lemma = tree.lemma(gov);
                return (INTENT.contains(&lemma) && own_modality(tree, gov) != Modality::Negated)
                    .then_some(gov);
            }
            _ => return None,
        }
        child = gov;
    }
    None
}

/// The CAMEO "express intent to" code (03x) for a cooperative event code (04x–08x), as the
/// codebook pairs them; `None` for codes with no intent counterpart (statements, appeals,
/// and the conflictual roots, whose announced forms are threats).
fn intent_code(code: &str) -> Option<&'static str> {
    Some(match code {
        "040" | "041" | "042" | "043" | "044" | "046" => "036",
        "045" => "039",
        c if c.starts_with("05") => "032",
        // The dictionaries' bare "cooperate" is 060: intent to cooperate in general.
        "060" => "030",
        "061" => "0311",
        "062" => "0312",
        "063" => "0313",
        "064" => "0314",
        "070" | "075" => "033",
        "071" => "0331",
        "072" => "0332",
        "073" => "0333",
        "074" => "0334",
        "080" => "035",
        "081" => "0351",
        "082" => "0352",
        c if c.starts_with("083") => match c {
            "0831" => "0341",
            "0832" => "0342",
            "0833" => "0343",
            "0834" => "0344",
            _ => "034",
        },
        c if c.starts_with("084") => "0353",
        "085" => "0354",
        c if c.starts_with("086") => "0355",
        c if c.starts_with("087") => "0356",
        _ => return None,
    })
}

fn own_modality(tree: &Tree<'_>, pred: usize) -> Modality {
    if has_negation(tree, pred) {
        return Modality::Negated;
    }
    if tree.rel(pred) == "advcl" && matches!(tree.mark_of(pred).as_deref(), Some("if" | "unless")) {
        return Modality::Conditional;
    }
    let governed_by_speech = tree.head(pred).is_some_and(|h| {
        tree.rel(pred) == "ccomp" && (SPEECH.contains(&tree.lemma(h)) || tree.lemma(h) == "warn")
    });
    for a in tree.kids(pred, "aux") {
        match tree.lemma(a) {
            "will" | "shall" => return Modality::Future,
            "would" if governed_by_speech => return Modality::Future,
            "would" | "could" | "might" | "may" => return Modality::Conditional,
            "must" | "should" | "ought" => return Modality::Demanded,
            _ => {}
        }
    }
    Modality::Asserted
}

/// The event date: the clause's own time expression (or its first conjunct's / governor's),
/// else the story date.
fn event_date(
    tree: &Tree<'_>,
    pred: usize,
    story: Option<NaiveDate>,
    modality: Modality,
    _doc: &Document,
) -> (Option<NaiveDate>, Option<&'static str>) {
    let Some(story) = story else {
        return (None, None);
    };
    let mut cur = pred;
    let mut steps = 0;
    let expr = loop {
        if let Some(e) = timex::find(tree, cur) {
            break Some(e);
        }
        let rel = tree.base_rel(cur);
        match (rel, tree.head(cur)) {
            ("conj" | "xcomp", Some(h)) if steps < 4 => {
                cur = h;
                steps += 1;
            }
            ("advcl", Some(h)) if steps < 4 && tree.mark_of(cur).as_deref() == Some("to") => {
                cur = h;
                steps += 1;
            }
            _ => break None,
        }
    };
    let future = matches!(modality, Modality::Future);
    match expr.and_then(|e| timex::resolve(&e, story, future)) {
        Some(d) => (Some(d.date), Some(precision_name(d.precision))),
        None => (Some(story), Some("day")),
    }
}

fn precision_name(p: dyad_core::DatePrecision) -> &'static str {
    match p {
        dyad_core::DatePrecision::Day => "day",
        dyad_core::DatePrecision::Week => "week",
        dyad_core::DatePrecision::Month => "month",
        dyad_core::DatePrecision::Year => "year",
    }
}

/// Confidence: 0.55 base, +0.1 per pattern constraint (at most +0.2), +0.1 when both actors
/// have a country, −0.15 for an inherited source, −0.2 for an actor taken from pronoun memory.
fn confidence(p: &VerbPattern, s: &Resolved, t: &Resolved, inherited: bool) -> f32 {
    let mut c = 0.55 + 0.1 * (p.specificity().min(2) as f32);
    if s.actor.country.is_some() && t.actor.country.is_some() {
        c += 0.1;
    }
    if inherited {
        c -= 0.15;
    }
    if s.from_memory || t.from_memory {
        c -= 0.2;
    }
    // Two decimals: the figure is a coarse rule-based score, not a probability estimate.
    (c.clamp(0.05, 0.99) * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intent_codes_are_cameo_codes_of_root_03() {
        let cooperative = [
            "040", "041", "042", "043", "044", "045", "046", "050", "051", "057", "060", "061",
            "062", "063", "064", "070", "071", "072", "073", "074", "075", "080", "081", "082",
            "083", "0831", "0834", "084", "0841", "085", "086", "0861", "087", "0874",
        ];
        for code in cooperative {
            let intent = intent_code(code).unwrap_or_else(|| panic!("{code} has no intent code"));
            let info = dyad_cameo::event(intent).unwrap_or_else(|| panic!("{intent} not CAMEO"));
            assert_eq!(info.root, "03", "{code} -> {intent}");
        }
        // Statements, appeals and conflictual events have no intent form.
        for code in ["010", "020", "036", "112", "130", "190"] {
            assert_eq!(intent_code(code), None, "{code}");
        }
    }
}
