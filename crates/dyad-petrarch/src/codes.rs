//! Carrying PETRARCH codes through dyad's validated code space.
//!
//! dyad's dictionaries accept only CAMEO codes it knows (ISO/CAMEO countries, known roles,
//! CAMEO 2.0 event codes); PETRARCH dictionaries use others too: the validation suite's
//! invented countries (three-letter codes no country has), roles PETRARCH added (`FRM`, `MBR`), the null actor
//! `---`, WEIS-era event codes (`903`, `075A`) and the null event code `---`. Each such code is
//! given a stand-in that dyad accepts and that appears in none of the loaded dictionaries, so
//! the mapping is one-to-one; [`CodeMap::restore_actor`] and [`CodeMap::restore_event`] turn
//! dyad's output back into the PETRARCH codes.

use std::collections::{BTreeMap, BTreeSet};

use dyad_cameo::RoleKind;

/// PETRARCH code ↔ dyad stand-in, per kind.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CodeMap {
    /// Country-position segments (an invented `ULM` → an unused country code).
    pub prefixes: BTreeMap<String, String>,
    /// Role-position segments (`FRM` → an unused role code).
    pub roles: BTreeMap<String, String>,
    /// Event codes (`903`, `---` → an unused CAMEO event code).
    pub events: BTreeMap<String, String>,
    /// Role-position segments left out because no unused role code was left to stand in
    /// (segment → times): the actor keeps the rest of its code.
    pub dropped_segments: BTreeMap<String, usize>,
    #[serde(skip)]
    back_prefixes: BTreeMap<String, String>,
    #[serde(skip)]
    back_roles: BTreeMap<String, String>,
    #[serde(skip)]
    back_events: BTreeMap<String, String>,
    #[serde(skip)]
    prefix_pool: Vec<String>,
    #[serde(skip)]
    role_pool: Vec<String>,
    #[serde(skip)]
    event_pool: Vec<String>,
}

/// PETRARCH's null event code: the pattern blocks coding.
pub const NULL_EVENT: &str = "---";
/// PETRARCH's null actor code.
pub const NULL_ACTOR: &str = "---";

fn all_trigrams() -> Vec<String> {
    (0..26u32 * 26 * 26)
        .map(|n| {
            let letter = |k: u32| char::from(b'A' + (k % 26) as u8);
            format!("{}{}{}", letter(n / (26 * 26)), letter(n / 26), letter(n))
        })
        .collect()
}

fn segments(code: &str) -> Option<Vec<&str>> {
    if code.is_empty() || !code.len().is_multiple_of(3) || !code.is_ascii() {
        return None;
    }
    Some(
        (0..code.len() / 3)
            .map(|i| &code[i * 3..i * 3 + 3])
            .collect(),
    )
}

fn role_kind(seg: &str) -> Option<RoleKind> {
    dyad_cameo::role(seg).map(|r| r.kind)
}

impl CodeMap {
    /// A map whose stand-ins avoid every segment in `used_segments` and every event code in
    /// `used_events`.
    pub fn new(used_segments: &BTreeSet<String>, used_events: &BTreeSet<String>) -> Self {
        let prefix_pool = all_trigrams()
            .into_iter()
            .filter(|c| dyad_cameo::country(c).is_some() && dyad_cameo::role(c).is_none())
            .filter(|c| !used_segments.contains(c))
            .rev()
            .collect();
        let role_pool = all_trigrams()
            .into_iter()
            .filter(|c| matches!(role_kind(c), Some(RoleKind::Role)))
            // Roles the coder treats specially are not lent out.
            .filter(|c| !matches!(c.as_str(), "MED" | "GOV" | "MIL" | "REB"))
            .filter(|c| !used_segments.contains(c))
            .rev()
            .collect();
        let event_pool = dyad_cameo::events()
            .iter()
            .map(|e| e.code.to_string())
            .filter(|c| c.len() >= 3 && !used_events.contains(c))
            .rev()
            .collect();
        CodeMap {
            prefix_pool,
            role_pool,
            event_pool,
            ..Default::default()
        }
    }

    fn stand_in(
        map: &mut BTreeMap<String, String>,
        back: &mut BTreeMap<String, String>,
        pool: &mut Vec<String>,
        code: &str,
        what: &str,
    ) -> Result<String, String> {
        if let Some(s) = map.get(code) {
            return Ok(s.clone());
        }
        let s = pool
            .pop()
            .ok_or_else(|| format!("no unused dyad {what} code left to stand in for '{code}'"))?;
        map.insert(code.to_string(), s.clone());
        back.insert(s.clone(), code.to_string());
        Ok(s)
    }

    /// The dyad code for a PETRARCH actor code (uppercase).
    pub fn actor(&mut self, code: &str) -> Result<String, String> {
        let segs = segments(code)
            .ok_or_else(|| format!("actor code '{code}' is not made of 3-character segments"))?;
        let mut out = String::new();
        let mut free = false;
        for (i, seg) in segs.iter().enumerate() {
            if free {
                if !seg.bytes().all(|b| b.is_ascii_uppercase()) {
                    return Err(format!(
                        "actor code '{code}': organisation segment '{seg}' must be letters"
                    ));
                }
                out.push_str(seg);
                continue;
            }
            match role_kind(seg) {
                Some(k) => {
                    free = k == RoleKind::International;
                    out.push_str(seg);
                }
                None if i == 0 && dyad_cameo::country(seg).is_some() => out.push_str(seg),
                None if i == 0 => {
                    let s = Self::stand_in(
                        &mut self.prefixes,
                        &mut self.back_prefixes,
                        &mut self.prefix_pool,
                        seg,
                        "country",
                    )?;
                    out.push_str(&s);
                }
                None => self.role_or_drop(seg, &mut out),
            }
        }
        if out.is_empty() {
            return Err(format!("actor code '{code}' keeps no segment dyad accepts"));
        }
        dyad_cameo::parse_actor_code(&out).map_err(|e| format!("actor code '{code}': {e}"))?;
        Ok(out)
    }

    /// Append a stand-in for an unknown role segment, or count it as dropped when none is left.
    fn role_or_drop(&mut self, seg: &str, out: &mut String) {
        match Self::stand_in(
            &mut self.roles,
            &mut self.back_roles,
            &mut self.role_pool,
            seg,
            "role",
        ) {
            Ok(s) => out.push_str(&s),
            Err(_) => *self.dropped_segments.entry(seg.to_string()).or_default() += 1,
        }
    }

    /// The dyad roles code for a PETRARCH agent code (`~GOVFRM` → `GOV` + stand-in).
    pub fn agent(&mut self, code: &str) -> Result<String, String> {
        let segs = segments(code)
            .ok_or_else(|| format!("agent code '{code}' is not made of 3-letter segments"))?;
        let mut out = String::new();
        for seg in segs {
            match role_kind(seg) {
                Some(RoleKind::Role | RoleKind::Religion) => out.push_str(seg),
                Some(RoleKind::International) => {
                    return Err(format!(
                        "agent code '{code}': '{seg}' is an international prefix, which dyad agents cannot add"
                    ))
                }
                // A segment dyad reads as a country (`MUS`) or does not know: a stand-in role.
                None => self.role_or_drop(seg, &mut out),
            }
        }
        if out.is_empty() {
            return Err(format!("agent code '{code}' keeps no role dyad accepts"));
        }
        Ok(out)
    }

    /// The dyad event code for a PETRARCH code. `013:012` style codes use their first part
    /// (the second goes in `note`); `---` gets a stand-in that [`Self::restore_event`] maps
    /// back to `---`, so a null pattern still blocks the more general one.
    pub fn event(&mut self, raw: &str, note: &mut Option<String>) -> Result<String, String> {
        let mut code = raw.trim();
        if let Some((a, b)) = code.split_once(':') {
            let (a, b) = (a.trim(), b.trim());
            *note = Some(format!(
                "compound code '{raw}': only '{}' is used",
                if a.is_empty() { b } else { a }
            ));
            code = if a.is_empty() { b } else { a };
        }
        if code.is_empty() {
            return Err(format!("empty event code '{raw}'"));
        }
        if code == NULL_EVENT {
            return Self::stand_in(
                &mut self.events,
                &mut self.back_events,
                &mut self.event_pool,
                code,
                "event",
            );
        }
        if dyad_cameo::is_valid(code) {
            return Ok(code.to_string());
        }
        if (2..=4).contains(&code.len())
            && code.bytes().all(|b| b.is_ascii_alphanumeric())
            && code.as_bytes()[0].is_ascii_digit()
        {
            return Self::stand_in(
                &mut self.events,
                &mut self.back_events,
                &mut self.event_pool,
                code,
                "event",
            );
        }
        Err(format!("'{raw}' is not an event code"))
    }

    /// The PETRARCH code for a dyad actor code produced with this map.
    pub fn restore_actor(&self, code: &str) -> String {
        let Some(segs) = segments(code) else {
            return code.to_string();
        };
        let mut out = String::new();
        let mut free = false;
        for (i, seg) in segs.iter().enumerate() {
            let back = if free {
                None
            } else if i == 0 {
                self.back_prefixes
                    .get(*seg)
                    .or_else(|| self.back_roles.get(*seg))
            } else {
                self.back_roles.get(*seg)
            };
            if !free && role_kind(seg) == Some(RoleKind::International) {
                free = true;
            }
            out.push_str(back.map_or(*seg, String::as_str));
        }
        out
    }

    /// The PETRARCH event code for a dyad event code produced with this map.
    pub fn restore_event(&self, code: &str) -> String {
        self.back_events
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }

    pub fn is_empty(&self) -> bool {
        self.prefixes.is_empty() && self.roles.is_empty() && self.events.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let used: BTreeSet<String> = ["USA", "GOV"].iter().map(|s| s.to_string()).collect();
        let mut m = CodeMap::new(&used, &BTreeSet::new());
        assert_eq!(m.actor("USAGOV").unwrap(), "USAGOV");
        let arn = m.actor("ULM").unwrap();
        assert_ne!(arn, "ULM");
        assert!(dyad_cameo::parse_actor_code(&arn).is_ok());
        let arn_frm = m.actor("ULMGOVFRM").unwrap();
        assert_eq!(m.restore_actor(&arn_frm), "ULMGOVFRM");
        assert_eq!(m.restore_actor(&format!("{arn}GOV")), "ULMGOV");
        let null = m.actor("---").unwrap();
        assert_eq!(m.restore_actor(&format!("{null}GOV")), "---GOV");
        assert_eq!(m.actor("IGOUNOXYZ").unwrap(), "IGOUNOXYZ");
        assert!(m.actor("ABCD").is_err());
        let mut note = None;
        assert_eq!(m.event("042", &mut note).unwrap(), "042");
        let w = m.event("903", &mut note).unwrap();
        assert!(dyad_cameo::is_valid(&w));
        assert_eq!(m.restore_event(&w), "903");
        let n = m.event("---", &mut note).unwrap();
        assert_eq!(m.restore_event(&n), "---");
        assert_eq!(m.event("013:012", &mut note).unwrap(), "013");
        assert!(note.is_some());
        assert!(m.event("+++", &mut note).is_err());
        assert_eq!(m.agent("GOV").unwrap(), "GOV");
        let frm = m.agent("GOVFRM").unwrap();
        assert_eq!(m.restore_actor(&format!("USA{frm}")), "USAGOVFRM");
        assert!(m.agent("NGO").is_err());
    }
}
