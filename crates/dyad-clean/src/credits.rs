//! Credits lines: `(Reporting by A; Additional reporting by B in Beirut Editing by C)`,
//! `Writing by …`, `Compiled by …`, `Editing by …`, "X in Y contributed to this report."

use dyad_core::Credits;
use regex::Regex;
use std::sync::LazyLock;

static ROLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(additional reporting by|reporting by|reported by|writing by|written by|editing by|edited by|compiled by|research by|graphics by|photos? by|produced by|fact-checking by)\b",
    )
    .unwrap()
});

static CONTRIBUTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:associated press |ap |afp |staff )?(?:writers? |reporters? |correspondents? )?(?P<who>.{2,300}?) contributed(?: reporting)?(?: to this (?:report|story|article))?\.?$",
    )
    .unwrap()
});

pub(crate) struct CreditsMatch {
    pub credits: Credits,
    /// What stays of the paragraph once the credits are removed (usually nothing).
    pub remainder: String,
}

/// Parse a credits line (with or without the surrounding parentheses). `None` when the line
/// does not consist of credits.
pub fn parse_credits(line: &str) -> Option<Credits> {
    let trimmed = line.trim();
    let inner = trimmed
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(trimmed)
        .trim();
    let first = ROLE.find(inner)?;
    // Credits start with their role phrase ("--" or "By" decorations aside).
    let lead = inner[..first.start()].trim_matches(|c: char| c == '-' || c == '—' || c == ' ');
    if !lead.is_empty() {
        return None;
    }
    let mut credits = Credits {
        raw: trimmed.to_string(),
        ..Default::default()
    };
    let roles: Vec<_> = ROLE.find_iter(inner).collect();
    for (i, role) in roles.iter().enumerate() {
        let end = roles.get(i + 1).map_or(inner.len(), |next| next.start());
        let names = inner[role.end()..end].trim_matches(|c: char| {
            c.is_whitespace() || matches!(c, ';' | ',' | '.' | '/' | '|' | '-')
        });
        let role_name = role.as_str().to_ascii_lowercase();
        for (name, place) in split_people(names) {
            let list = match role_name.as_str() {
                "additional reporting by" => &mut credits.additional_reporters,
                "reporting by" | "reported by" => &mut credits.reporters,
                "writing by" | "written by" => &mut credits.writers,
                "editing by" | "edited by" => &mut credits.editors,
                _ => &mut credits.compilers,
            };
            list.push(name);
            if let Some(place) = place {
                if !credits.places.contains(&place) {
                    credits.places.push(place);
                }
            }
        }
    }
    Some(credits)
}

/// "A and B in Beirut, C in Moscow" → [(A, Beirut), (B, Beirut), (C, Moscow)].
fn split_people(s: &str) -> Vec<(String, Option<String>)> {
    static SEP: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s*(?:,|;|&|\band\b)\s*").unwrap());
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    let mut waiting = 0; // names before an "in PLACE" that covers them too
    for piece in SEP.split(s) {
        let piece = piece.trim();
        if piece.is_empty() {
            continue;
        }
        if let Some((name, place)) = piece.split_once(" in ") {
            let place = place.trim().to_string();
            let n = out.len();
            for entry in &mut out[n - waiting..] {
                entry.1 = Some(place.clone());
            }
            waiting = 0;
            out.push((name.trim().to_string(), Some(place)));
        } else {
            out.push((piece.to_string(), None));
            waiting += 1;
        }
    }
    out.retain(|(n, _)| !n.is_empty() && n.chars().next().is_some_and(char::is_uppercase));
    out
}

/// Find the credits paragraph, searching from the end (credits close a story).
pub(crate) fn find_in_paragraphs(paragraphs: &[String]) -> Option<(usize, CreditsMatch)> {
    for (i, p) in paragraphs.iter().enumerate().rev().take(4) {
        if let Some(credits) = parse_credits(p) {
            return Some((
                i,
                CreditsMatch {
                    credits,
                    remainder: String::new(),
                },
            ));
        }
        // A final parenthesised credits block glued to the last sentence.
        if let Some(open) = p.rfind("(Reporting").or_else(|| p.rfind("(Writing")) {
            if p.ends_with(')') {
                if let Some(credits) = parse_credits(&p[open..]) {
                    return Some((
                        i,
                        CreditsMatch {
                            credits,
                            remainder: p[..open].trim_end().to_string(),
                        },
                    ));
                }
            }
        }
        if let Some(c) = CONTRIBUTED.captures(p) {
            let who = &c["who"];
            if who.split_whitespace().count() <= 30 {
                let mut credits = Credits {
                    raw: p.clone(),
                    ..Default::default()
                };
                for (name, place) in split_people(who) {
                    credits.additional_reporters.push(name);
                    if let Some(place) = place {
                        if !credits.places.contains(&place) {
                            credits.places.push(place);
                        }
                    }
                }
                if !credits.additional_reporters.is_empty() {
                    return Some((
                        i,
                        CreditsMatch {
                            credits,
                            remainder: String::new(),
                        },
                    ));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuters_credits_without_separator_before_editing() {
        let c = parse_credits("(Reporting by Ann Example; Additional reporting by Bo Writer in Beirut Editing by Cy Editor)").unwrap();
        assert_eq!(c.reporters, vec!["Ann Example"]);
        assert_eq!(c.additional_reporters, vec!["Bo Writer"]);
        assert_eq!(c.editors, vec!["Cy Editor"]);
        assert_eq!(c.places, vec!["Beirut"]);
    }

    #[test]
    fn several_names_places_and_roles() {
        let c = parse_credits(
            "(Reporting by Ann Example and Dee Doe in Cairo, Eve Roe in Moscow; Writing by Fay Poe; Editing by Gus Low and Hal Moe)",
        )
        .unwrap();
        assert_eq!(c.reporters, vec!["Ann Example", "Dee Doe", "Eve Roe"]);
        assert_eq!(c.places, vec!["Cairo", "Moscow"]);
        assert_eq!(c.writers, vec!["Fay Poe"]);
        assert_eq!(c.editors, vec!["Gus Low", "Hal Moe"]);
    }

    #[test]
    fn compiled_by_without_parentheses() {
        let c = parse_credits("Compiled by Ivy Soe; Edited by Jo Kay").unwrap();
        assert_eq!(c.compilers, vec!["Ivy Soe"]);
        assert_eq!(c.editors, vec!["Jo Kay"]);
    }

    #[test]
    fn prose_mentioning_reporting_is_not_credits() {
        assert!(parse_credits("The ministry denied reporting by local media.").is_none());
    }

    #[test]
    fn contributed_to_this_report() {
        let paras = vec![
            "Body.".to_string(),
            "Associated Press writer Kim Lee in Seoul contributed to this report.".to_string(),
        ];
        let (i, m) = find_in_paragraphs(&paras).unwrap();
        assert_eq!(i, 1);
        assert_eq!(m.credits.additional_reporters, vec!["Kim Lee"]);
        assert_eq!(m.credits.places, vec!["Seoul"]);
    }

    #[test]
    fn credits_glued_to_last_sentence() {
        let paras =
            vec!["The talks ended. (Reporting by Ann Example; Editing by Cy Editor)".to_string()];
        let (_, m) = find_in_paragraphs(&paras).unwrap();
        assert_eq!(m.remainder, "The talks ended.");
        assert_eq!(m.credits.editors, vec!["Cy Editor"]);
    }
}
