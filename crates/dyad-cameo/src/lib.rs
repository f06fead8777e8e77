//! dyad-cameo: the CAMEO code tables as static facts.
//!
//! Event codes (CAMEO codebook, Schrodt, Gerner et al.: code, name, root, Goldstein score) with
//! the two QuadClass conventions and the CAMEO→PLOVER mapping (PLOVER draft 0.8, 2021), plus the
//! actor code vocabulary (country prefixes, international prefixes, role and religion codes).
//!
//! API:
//! - [`event`]`(code) -> Option<&'static EventCode>`, [`root`]`(code) -> Option<&'static str>`,
//!   [`is_valid`]`(code) -> bool`, [`events`]`() -> &'static [EventCode]` (sorted by code).
//! - [`role`]`(code) -> Option<&'static RoleCode>`, [`roles`]`()`, [`country`]`(code) -> Option<&'static str>`
//!   (name of a country, region or international prefix).
//! - [`parse_actor_code`]`(s) -> Result<ActorCode, String>`: validates `IRNGOV`, `SYRREB`,
//!   `IGOWSTNAT`, `REB` …; [`ActorCode`] displays back as the code string.
//!
//! `src/table.rs` is generated from `../shared/reference/` by the test in `src/regen.rs`.

mod countries;
#[cfg(test)]
mod regen;
mod table;

use std::fmt;

/// One CAMEO event code.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventCode {
    /// Two to four digits, leading zero kept (`"042"`).
    pub code: &'static str,
    /// Short name from the codebook.
    pub name: &'static str,
    /// Two-digit root (`"04"`).
    pub root: &'static str,
    /// Goldstein conflict–cooperation score, -10..=10.
    pub goldstein: f32,
    /// GDELT convention: 1 verbal coop (01–05), 2 material coop (06–08), 3 verbal conflict
    /// (09–13), 4 material conflict (14–20).
    pub quad_class: u8,
    /// Phoenix convention: 0 neutral (01–02), 1 verbal coop (03–05), 2 material coop (06–08),
    /// 3 verbal conflict (09–13, 16), 4 material conflict (14, 15, 17–20).
    pub quad_class_phoenix: u8,
    /// PLOVER event type (`CONSULT`); `None` for roots 01 and 02, which PLOVER does not code.
    pub plover_type: Option<&'static str>,
    pub plover_mode: Option<&'static str>,
    /// PLOVER context; several are joined with `"; "`.
    pub plover_context: Option<&'static str>,
}

/// All event codes, sorted by code (string order).
pub fn events() -> &'static [EventCode] {
    table::EVENTS
}

/// The event code `code` (`"042"`), if CAMEO defines it.
pub fn event(code: &str) -> Option<&'static EventCode> {
    let code = code.trim();
    table::EVENTS
        .binary_search_by(|e| e.code.cmp(code))
        .ok()
        .map(|i| &table::EVENTS[i])
}

/// The root (`"04"`) of a valid event code.
pub fn root(code: &str) -> Option<&'static str> {
    event(code).map(|e| e.root)
}

/// Whether CAMEO defines the event code.
pub fn is_valid(code: &str) -> bool {
    event(code).is_some()
}

/// What a 3-letter actor code segment stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleKind {
    /// A domestic role (`GOV`, `MIL`, `REB`, …).
    Role,
    /// An international prefix (`IGO`, `NGO`, `IMG`, `MNC`); what follows it is an open-ended
    /// organisation code (`IGOWSTNAT`).
    International,
    /// A religion (`MOS`, `CHR`, …).
    Religion,
}

/// An actor role code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleCode {
    pub code: &'static str,
    pub name: &'static str,
    pub kind: RoleKind,
}

const fn r(code: &'static str, name: &'static str, kind: RoleKind) -> RoleCode {
    RoleCode { code, name, kind }
}

use RoleKind::{International as Intl, Religion as Rel, Role};

/// Sorted by code.
static ROLES: &[RoleCode] = &[
    r("AGR", "agriculture", Role),
    r("BUD", "Buddhist", Rel),
    r("BUS", "business", Role),
    r("CHR", "Christian", Rel),
    r("COP", "police", Role),
    r("CRM", "criminal", Role),
    r("CTH", "Catholic", Rel),
    r("CVL", "civilians", Role),
    r("DEV", "development", Role),
    r("EDU", "education", Role),
    r("ELI", "elites", Role),
    r("ENV", "environment", Role),
    r("GOV", "government", Role),
    r("HIN", "Hindu", Rel),
    r("HLH", "health", Role),
    r("HRI", "human rights", Role),
    r("IGO", "intergovernmental organization", Intl),
    r("IMG", "international militarized group", Intl),
    r("INS", "insurgents", Role),
    r("JEW", "Jewish", Rel),
    r("JUD", "judiciary", Role),
    r("LAB", "labour", Role),
    r("LEG", "legislature", Role),
    r("MED", "media", Role),
    r("MIL", "military", Role),
    r("MNC", "multinational corporation", Intl),
    r("MOD", "moderate", Role),
    r("MOS", "Muslim", Rel),
    r("NGM", "non-governmental movement", Role),
    r("NGO", "non-governmental organization", Intl),
    r("OPP", "political opposition", Role),
    r("ORT", "Orthodox", Rel),
    r("PRO", "Protestant", Rel),
    r("PTY", "political party", Role),
    r("RAD", "radical", Role),
    r("REB", "rebels", Role),
    r("REF", "refugees", Role),
    r("REL", "religious", Role),
    r("SEP", "separatists", Role),
    r("SET", "settlers", Role),
    r("SHI", "Shia", Rel),
    r("SIK", "Sikh", Rel),
    r("SPY", "intelligence", Role),
    r("SUN", "Sunni", Rel),
    r("UAF", "unaffiliated armed forces", Role),
    r("UIS", "unidentified state actor", Role),
];

/// All role, international and religion codes, sorted by code.
pub fn roles() -> &'static [RoleCode] {
    ROLES
}

/// The role code `code` (`"GOV"`).
pub fn role(code: &str) -> Option<&'static RoleCode> {
    ROLES
        .binary_search_by(|r| r.code.cmp(code))
        .ok()
        .map(|i| &ROLES[i])
}

/// CAMEO's regional codes and historical country codes, which are not in ISO 3166-1 today.
/// Sorted by code.
static CAMEO_COUNTRIES: &[(&str, &str)] = &[
    ("AFR", "Africa"),
    ("ARB", "Arab world"),
    ("ASA", "Asia"),
    ("BLK", "Balkans"),
    ("CAS", "Central Asia"),
    ("CAU", "Caucasus"),
    ("CEU", "Central Europe"),
    ("CFR", "Central Africa"),
    ("CRB", "Caribbean"),
    ("CSK", "Czechoslovakia"),
    ("DDR", "German Democratic Republic"),
    ("EAF", "East Africa"),
    ("EEU", "Eastern Europe"),
    ("EIN", "East Indies"),
    ("EUR", "Europe"),
    ("KSV", "Kosovo"),
    ("LAM", "Latin America"),
    ("MDT", "Mediterranean"),
    ("MEA", "Middle East"),
    ("NAF", "North Africa"),
    ("NMR", "North America"),
    ("PGS", "Persian Gulf"),
    ("ROM", "Romania"),
    ("SAF", "Southern Africa"),
    ("SAM", "South America"),
    ("SAS", "South Asia"),
    ("SCG", "Serbia and Montenegro"),
    ("SCN", "Scandinavia"),
    ("SEA", "Southeast Asia"),
    ("SUN", "Soviet Union"),
    ("TMP", "East Timor"),
    ("WAF", "West Africa"),
    ("WST", "the West"),
    ("XKX", "Kosovo"),
    ("YUG", "Yugoslavia"),
    ("ZAR", "Zaire"),
];

fn lookup(table: &'static [(&'static str, &'static str)], code: &str) -> Option<&'static str> {
    table
        .binary_search_by(|(c, _)| c.cmp(&code))
        .ok()
        .map(|i| table[i].1)
}

/// The name of a country (ISO alpha-3 or CAMEO regional/historical code) or international prefix
/// (`IGO`, `NGO`, `IMG`, `MNC`) usable as the first segment of an actor code.
pub fn country(code: &str) -> Option<&'static str> {
    lookup(countries::ISO_COUNTRIES, code)
        .or_else(|| lookup(CAMEO_COUNTRIES, code))
        .or_else(|| role(code).filter(|r| r.kind == Intl).map(|r| r.name))
}

/// A parsed, validated CAMEO actor code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ActorCode {
    /// The 3-letter prefix: a country (`IRN`) or an international prefix (`IGO`). `None` for a
    /// bare role code (`REB`).
    pub country: Option<String>,
    /// The 3-letter segments after the prefix: roles, religions, or organisation codes.
    pub roles: Vec<String>,
}

impl ActorCode {
    /// Whether the prefix is `IGO`, `NGO`, `IMG` or `MNC`.
    pub fn is_international(&self) -> bool {
        self.country
            .as_deref()
            .and_then(role)
            .is_some_and(|r| r.kind == Intl)
    }

    /// Whether any segment after the prefix is a domestic role (`GOV`, `MIL`, …).
    pub fn has_role(&self) -> bool {
        self.roles
            .iter()
            .any(|s| role(s).is_some_and(|r| r.kind == Role))
    }
}

impl fmt::Display for ActorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(c) = &self.country {
            f.write_str(c)?;
        }
        for r in &self.roles {
            f.write_str(r)?;
        }
        Ok(())
    }
}

/// Parse and validate an actor code: 3-letter uppercase segments; the first is a country, an
/// international prefix, or (for a country-less actor) a role; after a country only role and
/// religion codes are allowed; after an international prefix, any 3-letter organisation codes.
pub fn parse_actor_code(s: &str) -> Result<ActorCode, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("empty actor code".to_string());
    }
    if !s.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(format!(
            "actor code '{s}' must be uppercase letters A-Z only"
        ));
    }
    if !s.len().is_multiple_of(3) {
        return Err(format!(
            "actor code '{s}' must be made of 3-letter segments (length {} is not a multiple of 3)",
            s.len()
        ));
    }
    let segments: Vec<&str> = (0..s.len() / 3).map(|i| &s[i * 3..i * 3 + 3]).collect();
    let first = segments[0];
    let (country, rest) = match role(first) {
        Some(r) if r.kind == Intl => (Some(first), &segments[1..]),
        Some(_) => (None, &segments[..]),
        None if country(first).is_some() => (Some(first), &segments[1..]),
        None => {
            return Err(format!(
                "actor code '{s}': unknown country or role code '{first}'"
            ))
        }
    };
    let mut free = country.and_then(role).is_some_and(|r| r.kind == Intl);
    for seg in rest {
        if free {
            continue;
        }
        match role(seg) {
            Some(r) => free = r.kind == Intl,
            None => {
                return Err(format!("actor code '{s}': unknown role code '{seg}'"));
            }
        }
    }
    Ok(ActorCode {
        country: country.map(str::to_string),
        roles: rest.iter().map(|x| x.to_string()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_complete_and_consistent() {
        let all = events();
        assert_eq!(all.len(), 312);
        assert!(all.windows(2).all(|w| w[0].code < w[1].code));
        for e in all {
            assert!(e.code.starts_with(e.root), "{} root {}", e.code, e.root);
            assert!((2..=4).contains(&e.code.len()));
            assert!((-10.0..=10.0).contains(&e.goldstein), "{}", e.code);
            assert!(!e.name.is_empty());
        }
        let roots: Vec<_> = all.iter().filter(|e| e.code.len() == 2).collect();
        assert_eq!(roots.len(), 20);
        for (i, r) in roots.iter().enumerate() {
            assert_eq!(r.code, format!("{:02}", i + 1));
        }
    }

    #[test]
    fn lookups() {
        let e = event("042").unwrap();
        assert_eq!(e.root, "04");
        assert_eq!(e.name, "Make a visit");
        assert_eq!(root("0841"), Some("08"));
        assert!(is_valid("190") && is_valid(" 20 "));
        assert!(!is_valid("099") && !is_valid("") && !is_valid("abc"));
        assert_eq!(event("190").unwrap().goldstein, -10.0);
    }

    #[test]
    fn quad_classes() {
        let q = |c: &str| {
            let e = event(c).unwrap();
            (e.quad_class, e.quad_class_phoenix)
        };
        assert_eq!(q("010"), (1, 0));
        assert_eq!(q("036"), (1, 1));
        assert_eq!(q("0841"), (2, 2));
        assert_eq!(q("111"), (3, 3));
        assert_eq!(q("163"), (4, 3));
        assert_eq!(q("145"), (4, 4));
        assert_eq!(q("193"), (4, 4));
    }

    #[test]
    fn plover_mapping() {
        let e = event("042").unwrap();
        assert_eq!(
            (e.plover_type, e.plover_mode, e.plover_context),
            (Some("CONSULT"), Some("visit"), None)
        );
        let e = event("173").unwrap();
        assert_eq!(e.plover_type, Some("COERCE"));
        assert_eq!(e.plover_mode, Some("arrest"));
        assert_eq!(e.plover_context, Some("legal"));
        assert_eq!(
            event("091").unwrap().plover_context,
            Some("crime; corruption")
        );
        assert_eq!(event("010").unwrap().plover_type, None);
        assert_eq!(event("03").unwrap().plover_type, Some("AGREE"));
        // Root 08 is listed twice in the PLOVER table; the first (CONCEDE) applies.
        assert_eq!(event("08").unwrap().plover_type, Some("CONCEDE"));
        assert_eq!(event("0841").unwrap().plover_type, Some("RETREAT"));
    }

    #[test]
    fn role_and_country_tables() {
        for c in [
            "GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "LEG", "SPY", "MED", "EDU", "BUS",
            "CRM", "CVL", "REF", "HLH", "HRI", "LAB", "REL", "ELI", "AGR", "ENV", "UAF", "SET",
            "MOD", "RAD", "IGO", "NGO", "IMG", "MNC",
        ] {
            assert!(role(c).is_some(), "{c}");
        }
        assert!(ROLES.windows(2).all(|w| w[0].code < w[1].code));
        assert!(CAMEO_COUNTRIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(countries::ISO_COUNTRIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(role("GOV").unwrap().name, "government");
        assert_eq!(country("IRN"), Some("Iran"));
        assert_eq!(country("WST"), Some("the West"));
        assert!(country("XYZ").is_none());
    }

    #[test]
    fn actor_codes() {
        let a = parse_actor_code("IRNGOV").unwrap();
        assert_eq!(a.country.as_deref(), Some("IRN"));
        assert_eq!(a.roles, vec!["GOV"]);
        assert_eq!(a.to_string(), "IRNGOV");
        assert!(a.has_role() && !a.is_international());
        let a = parse_actor_code("REB").unwrap();
        assert_eq!(a.country, None);
        assert_eq!(a.roles, vec!["REB"]);
        let a = parse_actor_code("IGOWSTNAT").unwrap();
        assert!(a.is_international() && !a.has_role());
        assert_eq!(a.roles, vec!["WST", "NAT"]);
        assert_eq!(parse_actor_code("SYR").unwrap().roles.len(), 0);
        assert!(parse_actor_code("SYRREBSUN").is_ok());
        assert!(parse_actor_code("USANGOHRW").is_ok());
        assert!(parse_actor_code("").is_err());
        assert!(parse_actor_code("irngov").is_err());
        assert!(parse_actor_code("IRNGO")
            .unwrap_err()
            .contains("multiple of 3"));
        assert!(parse_actor_code("XYZGOV").unwrap_err().contains("'XYZ'"));
        assert!(parse_actor_code("IRNXXX").unwrap_err().contains("'XXX'"));
    }
}
