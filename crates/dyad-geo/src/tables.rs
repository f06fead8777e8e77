//! Small hand-written word lists (facts and English function words) used by
//! recognition and resolution.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};

/// US state abbreviations: AP style ("Calif.", "N.Y.") and USPS codes, with the
/// GeoNames admin1 code of the state (which is the USPS code).
pub const US_STATE_ABBREVS: &[(&str, &str)] = &[
    ("Ala.", "AL"),
    ("Alas.", "AK"),
    ("Ariz.", "AZ"),
    ("Ark.", "AR"),
    ("Calif.", "CA"),
    ("Cal.", "CA"),
    ("Colo.", "CO"),
    ("Conn.", "CT"),
    ("Del.", "DE"),
    ("D.C.", "DC"),
    ("Fla.", "FL"),
    ("Ga.", "GA"),
    ("Ill.", "IL"),
    ("Ind.", "IN"),
    ("Kan.", "KS"),
    ("Kans.", "KS"),
    ("Ky.", "KY"),
    ("La.", "LA"),
    ("Md.", "MD"),
    ("Mass.", "MA"),
    ("Mich.", "MI"),
    ("Minn.", "MN"),
    ("Miss.", "MS"),
    ("Mo.", "MO"),
    ("Mont.", "MT"),
    ("Neb.", "NE"),
    ("Nebr.", "NE"),
    ("Nev.", "NV"),
    ("N.H.", "NH"),
    ("N.J.", "NJ"),
    ("N.M.", "NM"),
    ("N.Y.", "NY"),
    ("N.C.", "NC"),
    ("N.D.", "ND"),
    ("Okla.", "OK"),
    ("Ore.", "OR"),
    ("Oreg.", "OR"),
    ("Pa.", "PA"),
    ("Penn.", "PA"),
    ("R.I.", "RI"),
    ("S.C.", "SC"),
    ("S.D.", "SD"),
    ("Tenn.", "TN"),
    ("Tex.", "TX"),
    ("Vt.", "VT"),
    ("Va.", "VA"),
    ("Wash.", "WA"),
    ("W.Va.", "WV"),
    ("W. Va.", "WV"),
    ("Wis.", "WI"),
    ("Wisc.", "WI"),
    ("Wyo.", "WY"),
];

pub const US_POSTAL: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY",
];

/// The admin1 code of a US state abbreviation ("Calif." → "CA"); postal codes
/// only when `allow_postal` (they are ordinary words elsewhere: "IN", "OR", "ME").
pub fn us_state_code(word: &str, allow_postal: bool) -> Option<&'static str> {
    if let Some((_, code)) = US_STATE_ABBREVS.iter().find(|(a, _)| *a == word) {
        return Some(code);
    }
    if allow_postal {
        return US_POSTAL.iter().find(|c| **c == word).copied();
    }
    None
}

/// Canadian province abbreviations (Canadian Press style), with the GeoNames
/// admin1 code of the province.
pub const CA_PROVINCE_ABBREVS: &[(&str, &str)] = &[
    ("Alta.", "01"),
    ("B.C.", "02"),
    ("Man.", "03"),
    ("N.B.", "04"),
    ("N.L.", "05"),
    ("Nfld.", "05"),
    ("N.S.", "07"),
    ("Ont.", "08"),
    ("P.E.I.", "09"),
    ("Que.", "10"),
    ("Sask.", "11"),
];

/// Country and admin1 code of a first-level division abbreviation: US states
/// ("Ga.", "N.Y.", postal codes when `allow_postal`) and Canadian provinces ("Ont.").
pub fn admin1_abbrev(word: &str, allow_postal: bool) -> Option<(&'static str, &'static str)> {
    // Every abbreviation ends with a period, every postal code has two
    // letters: most words are rejected without a table scan.
    if !(word.ends_with('.') || (allow_postal && word.len() == 2)) {
        return None;
    }
    if let Some(code) = us_state_code(word, allow_postal) {
        return Some(("US", code));
    }
    CA_PROVINCE_ABBREVS
        .iter()
        .find(|(a, _)| *a == word)
        .map(|(_, code)| ("CA", *code))
}

/// People of a US state or Canadian province ("Ohioans", "Texan"), with the
/// country and admin1 code. Singular and plural forms.
const ADMIN1_DEMONYMS: &[(&str, &str, &str)] = &[
    ("Alabamian", "US", "AL"),
    ("Alaskan", "US", "AK"),
    ("Arizonan", "US", "AZ"),
    ("Arkansan", "US", "AR"),
    ("Californian", "US", "CA"),
    ("Coloradan", "US", "CO"),
    ("Delawarean", "US", "DE"),
    ("Floridian", "US", "FL"),
    ("Hawaiian", "US", "HI"),
    ("Idahoan", "US", "ID"),
    ("Illinoisan", "US", "IL"),
    ("Hoosier", "US", "IN"),
    ("Iowan", "US", "IA"),
    ("Kansan", "US", "KS"),
    ("Kentuckian", "US", "KY"),
    ("Louisianian", "US", "LA"),
    ("Louisianan", "US", "LA"),
    ("Mainer", "US", "ME"),
    ("Marylander", "US", "MD"),
    ("Michigander", "US", "MI"),
    ("Minnesotan", "US", "MN"),
    ("Mississippian", "US", "MS"),
    ("Missourian", "US", "MO"),
    ("Montanan", "US", "MT"),
    ("Nebraskan", "US", "NE"),
    ("Nevadan", "US", "NV"),
    ("New Hampshirite", "US", "NH"),
    ("New Jerseyan", "US", "NJ"),
    ("New Mexican", "US", "NM"),
    ("New Yorker", "US", "NY"),
    ("North Carolinian", "US", "NC"),
    ("North Dakotan", "US", "ND"),
    ("Ohioan", "US", "OH"),
    ("Oklahoman", "US", "OK"),
    ("Oregonian", "US", "OR"),
    ("Pennsylvanian", "US", "PA"),
    ("Rhode Islander", "US", "RI"),
    ("South Carolinian", "US", "SC"),
    ("South Dakotan", "US", "SD"),
    ("Tennessean", "US", "TN"),
    ("Texan", "US", "TX"),
    ("Utahn", "US", "UT"),
    ("Vermonter", "US", "VT"),
    ("Virginian", "US", "VA"),
    ("Washingtonian", "US", "WA"),
    ("West Virginian", "US", "WV"),
    ("Wisconsinite", "US", "WI"),
    ("Wyomingite", "US", "WY"),
    ("Albertan", "CA", "01"),
    ("British Columbian", "CA", "02"),
    ("Manitoban", "CA", "03"),
    ("New Brunswicker", "CA", "04"),
    ("Newfoundlander", "CA", "05"),
    ("Nova Scotian", "CA", "07"),
    ("Ontarian", "CA", "08"),
    ("Quebecer", "CA", "10"),
    ("Quebecker", "CA", "10"),
    ("Saskatchewanian", "CA", "11"),
];

/// Adjectives of first-level divisions outside North America, with the
/// division's name as the gazetteer knows it.
const DIVISION_ADJECTIVES: &[(&str, &str)] = &[
    ("Abkhaz", "Abkhazia"),
    ("Abkhazian", "Abkhazia"),
    ("Bavarian", "Bavaria"),
    ("Catalan", "Catalonia"),
    ("Chechen", "Chechnya"),
    ("Crimean", "Crimea"),
    ("Dagestani", "Dagestan"),
    ("Scottish", "Scotland"),
    ("Sicilian", "Sicily"),
    ("Tibetan", "Tibet"),
    ("Welsh", "Wales"),
];

/// The division an adjective names ("Chechen" → "Chechnya"), singular or plural.
pub fn division_adjective(word: &str) -> Option<&'static str> {
    let w = word.strip_suffix('s').unwrap_or(word);
    DIVISION_ADJECTIVES
        .iter()
        .find(|(a, _)| *a == w || *a == word)
        .map(|(_, name)| *name)
}

/// The division whose people a word names ("Ohioans" → US/OH).
pub fn admin1_demonym(word: &str) -> Option<(&'static str, &'static str)> {
    // Sorted once: this runs for every mention. No entry ends in "s", so a
    // word and its singular cannot both match.
    static SORTED: OnceLock<Vec<(&str, &str, &str)>> = OnceLock::new();
    let sorted = SORTED.get_or_init(|| {
        let mut v = ADMIN1_DEMONYMS.to_vec();
        v.sort_unstable_by_key(|d| d.0);
        v
    });
    let find = |w: &str| {
        sorted
            .binary_search_by(|d| d.0.cmp(w))
            .ok()
            .map(|i| (sorted[i].1, sorted[i].2))
    };
    let w = word.strip_suffix('s').unwrap_or(word);
    // All end in "n", "r" or "e": most words are rejected before searching.
    if !w.ends_with(['n', 'r', 'e']) {
        return None;
    }
    find(w).or_else(|| find(word))
}

/// Phrases naming institutions of one country's local government, police and
/// roads: a story that has them is set in that country.
const COUNTRY_CUES: &[(&str, &str)] = &[
    ("Sheriff", "US"),
    ("sheriff", "US"),
    ("Township", "US"),
    ("township", "US"),
    ("Interstate ", "US"),
    ("Highway Patrol", "US"),
    ("State Police", "US"),
    ("state police", "US"),
    ("County Commission", "US"),
    ("county commission", "US"),
    ("Police Department", "US"),
    ("police department", "US"),
    ("School District", "US"),
    ("school district", "US"),
    ("District Attorney", "US"),
    ("district attorney", "US"),
    ("state Rep.", "US"),
    ("state Sen.", "US"),
    ("Medicaid", "US"),
    ("(D-", "US"),
    ("(R-", "US"),
    ("Elks Lodge", "US"),
    ("Junior College", "US"),
    ("Board of Education", "US"),
    ("Board of Supervisors", "US"),
    ("Board of Commissioners", "US"),
    ("ZIP code", "US"),
    ("zip code", "US"),
    ("sales tax", "US"),
    ("City Manager", "US"),
    ("city manager", "US"),
    ("elementary school", "US"),
    ("Elementary School", "US"),
    ("Fire Department", "US"),
    ("fire department", "US"),
    // County jails and sheriffs' headquarters.
    ("Law Enforcement Center", "US"),
    // Agencies of a US state ("the state Department of Revenue").
    ("state Department of", "US"),
    ("Parks and Recreation", "US"),
    ("grand jury", "US"),
    // School grades and school sport ("a seventh-grader", "the junior varsity").
    ("th-grader", "US"),
    ("th grader", "US"),
    ("junior varsity", "US"),
    ("junior-varsity", "US"),
];

/// The country whose institutions the text names, when exactly one is named.
pub fn country_cue(text: &str) -> Option<&'static str> {
    static CUES: OnceLock<CueSet> = OnceLock::new();
    CUES.get_or_init(|| CueSet::new(COUNTRY_CUES)).country(text)
}

/// Countries whose newspapers write clock times "7:35 p.m." (AP and Canadian
/// Press style); British, Irish and Australian papers write "7.35pm".
pub const DOTTED_MERIDIEM_COUNTRIES: &[&str] = &["US", "CA"];

/// Whether the text writes a clock time with dotted "a.m."/"p.m." after a
/// number ("at 10 p.m.", "9 a.m.-1 p.m.", "7:35p.m."): a North American
/// house style, so a cue that the story is set in the US or Canada.
pub fn dotted_meridiem_time(text: &str) -> bool {
    let b = text.as_bytes();
    // ".m." is rare outside these times: one substring search, then a look back.
    text.match_indices(".m.").any(|(i, _)| {
        if i == 0 || !matches!(b[i - 1], b'a' | b'p') {
            return false;
        }
        let mut j = i - 1;
        if j > 0 && b[j - 1] == b' ' {
            j -= 1;
        }
        j > 0 && b[j - 1].is_ascii_digit()
    })
}

/// Country-code top-level domains sold worldwide as vanity names (".tv",
/// ".io", ".fm"): a site under one says nothing of where its publisher is.
const VANITY_TLDS: &[&str] = &[
    "ac", "ad", "ai", "am", "as", "bz", "cc", "cd", "co", "dj", "fm", "gg", "gl", "gs", "im", "io",
    "je", "la", "ly", "me", "ms", "mu", "nu", "pw", "sh", "so", "st", "sx", "tk", "to", "tv", "vc",
    "vg", "ws",
];

/// The ISO 3166-1 alpha-2 code (upper case) of the country-code top-level
/// domain of a URL or host ("https://www.example.co.uk/a" → "GB"), `None`
/// for generic (".com") and vanity (".tv") domains. The caller checks that
/// the code is a country it knows.
pub fn tld_country(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    // Drop user info and port.
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host).trim_end_matches('.');
    if !host.contains('.') {
        return None;
    }
    let tld = host.rsplit('.').next()?.to_ascii_lowercase();
    if tld.len() != 2 || !tld.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    if VANITY_TLDS.contains(&tld.as_str()) {
        return None;
    }
    // The one ccTLD that is not the ISO code.
    Some(if tld == "uk" {
        "GB".to_string()
    } else {
        tld.to_ascii_uppercase()
    })
}

/// Cue phrases with their countries, searched in one Aho-Corasick pass over
/// the text rather than one search per phrase.
struct CueSet {
    cues: &'static [(&'static str, &'static str)],
    ac: AhoCorasick,
    /// All cues name one country: any hit decides.
    one_country: bool,
}

impl CueSet {
    fn new(cues: &'static [(&'static str, &'static str)]) -> Self {
        let one_country = cues.iter().all(|c| c.1 == cues[0].1);
        // With one country, any hit decides: leftmost-first search has a
        // vectorised prefilter. Else every occurrence counts (overlapping
        // search, standard semantics).
        let kind = if one_country {
            MatchKind::LeftmostFirst
        } else {
            MatchKind::Standard
        };
        CueSet {
            cues,
            // A fixed list of short literals: building cannot fail.
            ac: AhoCorasick::builder()
                .match_kind(kind)
                .build(cues.iter().map(|c| c.0))
                .expect("cue automaton builds"),
            one_country,
        }
    }

    /// The country of the cues found, `None` when none is or two countries are.
    fn country(&self, text: &str) -> Option<&'static str> {
        if self.one_country {
            // The prefiltered search stops at the first hit.
            return self
                .ac
                .find(text)
                .map(|m| self.cues[m.pattern().as_usize()].1);
        }
        let mut found: Option<&'static str> = None;
        for m in self.ac.find_overlapping_iter(text) {
            let iso = self.cues[m.pattern().as_usize()].1;
            match found {
                Some(f) if f != iso => return None,
                _ => found = Some(iso),
            }
        }
        found
    }
}

/// What a trailing or leading division word says about the feature type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TypeHint {
    /// province, governorate, state, region, oblast …
    Admin1,
    /// county, parish, district, borough
    Admin2,
    /// city, town, village
    Populated,
    /// country, nation, republic, kingdom
    Country,
}

pub fn division_hint(word: &str) -> Option<TypeHint> {
    // Lowercase on the stack: this runs for every mention.
    let w = word.trim_end_matches('.').as_bytes();
    let mut buf = [0u8; 16];
    if w.len() > buf.len() || !w.is_ascii() {
        return None;
    }
    buf[..w.len()].copy_from_slice(w);
    buf[..w.len()].make_ascii_lowercase();
    Some(match std::str::from_utf8(&buf[..w.len()]).unwrap_or("") {
        "province" | "provinces" | "governorate" | "governorates" | "state" | "region"
        | "oblast" | "prefecture" | "emirate" | "canton" | "territory" | "krai" | "wilayat"
        | "voivodeship" => TypeHint::Admin1,
        "county" | "co" | "counties" | "parish" | "district" | "borough" | "municipality" => {
            TypeHint::Admin2
        }
        "city" | "town" | "village" | "neighborhood" | "neighbourhood" | "suburb" => {
            TypeHint::Populated
        }
        "country" | "nation" | "republic" | "kingdom" => TypeHint::Country,
        _ => return None,
    })
}

/// Prepositions after which a capitalised name is most likely a place.
pub fn is_locative_prep(lower: &str) -> bool {
    matches!(
        lower,
        "in" | "at"
            | "near"
            | "from"
            | "to"
            | "into"
            | "outside"
            | "inside"
            | "across"
            | "around"
            | "toward"
            | "towards"
            | "throughout"
            | "via"
            | "through"
            | "within"
            | "between"
            | "visit"
            | "visited"
            | "visiting"
    )
}

pub fn is_direction(lower: &str) -> bool {
    matches!(
        lower,
        "north"
            | "south"
            | "east"
            | "west"
            | "northeast"
            | "northwest"
            | "southeast"
            | "southwest"
            | "outskirts"
            | "part"
            | "parts"
            | "suburbs"
            | "heart"
            | "center"
            | "centre"
    )
}

/// Tokens that, right after a country or capital, make it the subject of a
/// statement or action: an actor ("Washington said", "Tehran will host").
pub fn is_actor_verb(lower: &str) -> bool {
    matches!(
        lower,
        "said"
            | "says"
            | "say"
            | "would"
            | "will"
            | "has"
            | "have"
            | "had"
            | "warned"
            | "warns"
            | "announced"
            | "announces"
            | "accused"
            | "accuses"
            | "urged"
            | "urges"
            | "told"
            | "tells"
            | "denied"
            | "denies"
            | "rejected"
            | "rejects"
            | "called"
            | "calls"
            | "wants"
            | "wanted"
            | "plans"
            | "planned"
            | "agreed"
            | "agrees"
            | "added"
            | "claimed"
            | "claims"
            | "insisted"
            | "insists"
            | "threatened"
            | "threatens"
            | "signed"
            | "signs"
            | "sent"
            | "sends"
            | "condemned"
            | "condemns"
            | "demanded"
            | "demands"
            | "blamed"
            | "blames"
            | "responded"
            | "refused"
            | "refuses"
            | "hopes"
            | "hoped"
            | "must"
            | "should"
            | "could"
            | "can"
            | "may"
            | "might"
            | "views"
            | "viewed"
            | "supports"
            | "supported"
            | "backed"
            | "backs"
            | "opposes"
            | "opposed"
            | "launched"
            | "launches"
            | "imposed"
            | "imposes"
            | "expelled"
            | "recalled"
            | "welcomed"
            | "welcomes"
            | "criticized"
            | "criticised"
            | "hosted"
            | "hosts"
            | "offered"
            | "offers"
            | "asked"
            | "asks"
            | "promised"
            | "vowed"
            | "vows"
            | "sought"
            | "seeks"
            | "did"
            | "does"
    )
}

/// Titles and honorifics: a capitalised name after one is a person.
pub fn is_title(word: &str) -> bool {
    matches!(
        word.trim_end_matches('.'),
        "Mr" | "Mrs"
            | "Ms"
            | "Miss"
            | "Dr"
            | "Sen"
            | "Rep"
            | "Gov"
            | "Gen"
            | "Col"
            | "Lt"
            | "Capt"
            | "Sgt"
            | "Maj"
            | "Adm"
            | "Cpl"
            | "Det"
            | "Officer"
            | "President"
            | "Minister"
            | "Judge"
            | "Justice"
            | "Sheriff"
            | "Mayor"
            | "Governor"
            | "Senator"
            | "Secretary"
            | "Rev"
            | "Father"
            | "Pope"
            | "King"
            | "Queen"
            | "Prince"
            | "Princess"
            | "Sheikh"
            | "Ayatollah"
            | "Chief"
            | "Coach"
            | "Prof"
            | "Professor"
            | "Deputy"
            | "Trooper"
            | "Commissioner"
            | "Councilman"
            | "Councilwoman"
            | "Superintendent"
            | "Attorney"
    )
}

/// Words never taken as a place on their own: function words (several are
/// towns: "Of", "As", "Is", "Why"), months and days. Lowercase.
pub fn is_stop_word(lower: &str) -> bool {
    matches!(
        lower,
        // function words (several are towns: "Of", "As", "Is", "Why", "Hope")
        "a" | "an" | "the" | "of" | "as" | "is" | "in" | "on" | "at" | "by" | "to" | "for"
            | "and" | "or" | "but" | "if" | "so" | "no" | "not" | "it" | "its" | "he" | "she"
            | "we" | "they" | "you" | "i" | "me" | "my" | "our" | "his" | "her" | "their"
            | "this" | "that" | "these" | "those" | "there" | "here" | "why" | "how" | "what"
            | "when" | "where" | "who" | "which" | "while" | "after" | "before" | "since"
            | "until" | "with" | "without" | "about" | "over" | "under" | "some" | "all"
            | "any" | "many" | "more" | "most" | "one" | "two" | "three" | "also" | "just"
            | "now" | "then" | "still" | "even" | "yet" | "both" | "each" | "other" | "such"
            | "only" | "very" | "well" | "like" | "last" | "next" | "new" | "old" | "good"
            | "bad" | "big" | "long" | "high" | "low" | "early" | "late" | "first" | "second"
            | "say" | "said" | "see" | "go" | "come" | "get" | "make" | "take" | "mr" | "mrs"
            | "ms" | "dr"
            // months and days
            | "january" | "february" | "march" | "april" | "may" | "june" | "july" | "august"
            | "september" | "october" | "november" | "december" | "jan" | "feb" | "mar"
            | "apr" | "jun" | "jul" | "aug" | "sep" | "sept" | "oct" | "nov" | "dec"
            | "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday"
            | "sunday" | "today" | "tonight" | "yesterday" | "tomorrow"
    )
}

/// Common English nouns and adjectives that are also towns ("Mobile", "Reading",
/// "Bath"): taken as places only with a strong cue ("in Reading", "Mobile, Ala.").
pub fn is_common_word(lower: &str) -> bool {
    matches!(
        lower,
        "mobile"
            | "reading"
            | "bath"
            | "police"
            | "man"
            | "best"
            | "young"
            | "hope"
            | "victory"
            | "liberty"
            | "union"
            | "center"
            | "commerce"
            | "independence"
            | "enterprise"
            | "justice"
            | "energy"
            | "progress"
            | "unity"
            | "paradise"
            | "temple"
            | "church"
            | "post"
            | "price"
            | "page"
            | "story"
            | "money"
            | "sale"
            | "mission"
            | "friendship"
            | "harmony"
            | "deal"
            | "grand"
            | "royal"
            | "love"
            | "god"
            | "home"
            | "office"
            | "court"
            | "house"
            | "senate"
            | "congress"
            | "parliament"
            | "government"
            | "army"
            | "navy"
            | "ministry"
            | "president"
            | "minister"
            | "state"
            | "city"
            | "county"
            | "town"
            | "university"
            | "college"
            | "school"
            | "hospital"
            | "airport"
            | "station"
            | "bank"
            | "market"
            | "park"
            | "street"
            | "road"
            | "avenue"
            | "lake"
            | "river"
            | "mountain"
            | "valley"
            | "beach"
            | "island"
            | "north"
            | "south"
            | "east"
            | "west"
            | "central"
            | "western"
            | "eastern"
            | "northern"
            | "southern"
            | "middle"
            | "national"
            | "federal"
            | "international"
            | "general"
            | "republican"
            | "democrat"
            | "democratic"
            | "republic"
            | "kingdom"
            | "federation"
            | "union station"
            | "reuters"
            | "ap"
            | "afp"
            | "cnn"
            | "bbc"
            | "fox"
            | "nbc"
            | "cbs"
            | "abc"
            | "islam"
            | "christian"
            | "muslim"
            | "jewish"
            | "catholic"
            | "sunni"
            | "shiite"
            | "shia"
            | "kurdish"
            | "arab"
            | "western states"
            | "media"
            | "press"
            | "news"
            | "times"
            | "herald"
            | "tribune"
            | "daily"
            | "weekly"
            | "star"
            | "sun"
            | "globe"
            | "journal"
            | "magazine"
            | "radio"
            | "tv"
            | "television"
            | "online"
            | "internet"
            | "web"
            | "email"
            | "chairman"
            | "director"
            | "manager"
            | "officer"
            | "council"
            | "committee"
            | "board"
            | "department"
            | "agency"
            | "service"
            | "services"
            | "company"
            | "corporation"
            | "group"
            | "inc"
            | "corp"
            | "ltd"
            | "co"
            | "association"
            | "society"
            | "club"
            | "team"
            | "league"
            | "party"
            | "movement"
            | "forces"
            | "force"
            | "troops"
            | "guard"
            | "command"
            | "council of"
            | "summit"
            | "conference"
            | "war"
            | "peace"
            | "freedom"
            | "security"
            | "defense"
            | "defence"
            | "health"
            | "education"
            | "justice department"
            | "marine"
            | "marines"
            | "christmas"
            | "easter"
            | "ramadan"
            | "thanksgiving"
            | "halloween"
            | "fair"
            | "festival"
            | "garden"
            | "gardens"
            | "plaza"
            | "square"
            | "mall"
            | "bridge"
            | "tower"
            | "hall"
            | "theater"
            | "theatre"
            | "museum"
            | "library"
            | "zoo"
            | "stadium"
            | "arena"
            | "field"
            | "trail"
            | "highway"
            | "route"
            | "interstate"
            | "alliance"
            | "coalition"
            | "opposition"
            | "rebels"
            | "rebel"
            | "allied"
            | "faith"
            | "grace"
            | "joy"
            | "charity"
            | "patience"
            | "prosperity"
            | "sterling"
            | "early bird"
            | "sunrise"
            | "sunset"
            | "summit county"
            | "cash"
            | "gold"
            | "silver"
            | "diamond"
            | "pearl"
            | "ruby"
            | "amber"
            | "jade"
            | "opal"
            | "crystal"
            | "iron"
            | "steel"
            | "coal"
            | "oil"
            | "gas"
            | "salt"
            | "sugar"
            | "cotton"
            | "corn"
    )
}

/// Institutions named after their buildings or streets: metonyms, not places.
pub fn is_metonym(key: &str) -> bool {
    matches!(
        key,
        "white house"
            | "capitol hill"
            | "wall street"
            | "pentagon"
            | "kremlin"
            | "downing street"
            | "foggy bottom"
            | "whitehall"
            | "quai dorsay"
            | "elysee"
    )
}

/// Words a name may contain in lowercase: "Bosnia and Herzegovina", "Rio de Janeiro".
pub fn is_name_connector(lower: &str) -> bool {
    matches!(
        lower,
        "of" | "de"
            | "del"
            | "della"
            | "di"
            | "da"
            | "do"
            | "dos"
            | "das"
            | "du"
            | "des"
            | "la"
            | "le"
            | "les"
            | "el"
            | "al"
            | "and"
            | "upon"
            | "on"
            | "sur"
            | "am"
            | "im"
            | "an"
            | "der"
            | "den"
            | "van"
            | "von"
            | "y"
            | "e"
            | "bin"
            | "ibn"
            | "-"
            | "en"
    )
}

/// Motion verbs that make "to X" locative ("went to X").
pub fn is_motion_verb(lower: &str) -> bool {
    matches!(
        lower,
        "went"
            | "go"
            | "goes"
            | "going"
            | "travelled"
            | "traveled"
            | "travel"
            | "travels"
            | "fled"
            | "flee"
            | "moved"
            | "move"
            | "returned"
            | "return"
            | "headed"
            | "came"
            | "come"
            | "flew"
            | "drove"
            | "deployed"
            | "sent"
            | "trip"
            | "journey"
            | "road"
            | "way"
            | "route"
            | "back"
            | "relocated"
            | "evacuated"
            | "marched"
            | "advanced"
            | "withdrew"
            | "retreated"
    )
}

/// Common English given names: a capitalised name right after one is a
/// surname ("David Jones"), and the given name itself is no place ("Michael").
pub fn is_given_name(word: &str) -> bool {
    matches!(
        word,
        "James"
            | "John"
            | "Robert"
            | "Michael"
            | "William"
            | "David"
            | "Richard"
            | "Joseph"
            | "Thomas"
            | "Charles"
            | "Christopher"
            | "Daniel"
            | "Matthew"
            | "Anthony"
            | "Mark"
            | "Donald"
            | "Steven"
            | "Steve"
            | "Paul"
            | "Andrew"
            | "Joshua"
            | "Kenneth"
            | "Kevin"
            | "Brian"
            | "George"
            | "Timothy"
            | "Ronald"
            | "Edward"
            | "Jason"
            | "Jeffrey"
            | "Ryan"
            | "Jacob"
            | "Gary"
            | "Nicholas"
            | "Eric"
            | "Jonathan"
            | "Stephen"
            | "Larry"
            | "Justin"
            | "Scott"
            | "Brandon"
            | "Benjamin"
            | "Samuel"
            | "Gregory"
            | "Frank"
            | "Alexander"
            | "Raymond"
            | "Patrick"
            | "Jack"
            | "Dennis"
            | "Jerry"
            | "Aaron"
            | "Jose"
            | "Adam"
            | "Henry"
            | "Nathan"
            | "Douglas"
            | "Zachary"
            | "Peter"
            | "Kyle"
            | "Walter"
            | "Ethan"
            | "Jeremy"
            | "Harold"
            | "Keith"
            | "Christian"
            | "Roger"
            | "Noah"
            | "Gerald"
            | "Carl"
            | "Terry"
            | "Sean"
            | "Arthur"
            | "Jesse"
            | "Dylan"
            | "Bryan"
            | "Joe"
            | "Billy"
            | "Bruce"
            | "Albert"
            | "Willie"
            | "Gabriel"
            | "Alan"
            | "Juan"
            | "Wayne"
            | "Roy"
            | "Ralph"
            | "Randy"
            | "Vincent"
            | "Russell"
            | "Louis"
            | "Bobby"
            | "Philip"
            | "Johnny"
            | "Jim"
            | "Jimmy"
            | "Bill"
            | "Bob"
            | "Tom"
            | "Mike"
            | "Dave"
            | "Dan"
            | "Tim"
            | "Ken"
            | "Ron"
            | "Don"
            | "Rick"
            | "Ed"
            | "Ted"
            | "Fred"
            | "Ben"
            | "Sam"
            | "Tony"
            | "Chris"
            | "Matt"
            | "Nick"
            | "Greg"
            | "Pat"
            | "Buck"
            | "Barack"
            | "Mary"
            | "Patricia"
            | "Jennifer"
            | "Linda"
            | "Elizabeth"
            | "Barbara"
            | "Susan"
            | "Jessica"
            | "Sarah"
            | "Karen"
            | "Nancy"
            | "Lisa"
            | "Betty"
            | "Margaret"
            | "Sandra"
            | "Ashley"
            | "Kimberly"
            | "Emily"
            | "Donna"
            | "Michelle"
            | "Dorothy"
            | "Carol"
            | "Amanda"
            | "Melissa"
            | "Deborah"
            | "Stephanie"
            | "Rebecca"
            | "Sharon"
            | "Laura"
            | "Cynthia"
            | "Kathleen"
            | "Amy"
            | "Shirley"
            | "Angela"
            | "Helen"
            | "Anna"
            | "Brenda"
            | "Pamela"
            | "Nicole"
            | "Emma"
            | "Samantha"
            | "Katherine"
            | "Christine"
            | "Debra"
            | "Rachel"
            | "Catherine"
            | "Carolyn"
            | "Janet"
            | "Ruth"
            | "Maria"
            | "Heather"
            | "Diane"
            | "Julie"
            | "Joyce"
            | "Kelly"
            | "Christina"
            | "Lauren"
            | "Joan"
            | "Evelyn"
            | "Judith"
            | "Megan"
            | "Cheryl"
            | "Andrea"
            | "Hannah"
            | "Martha"
            | "Jacqueline"
            | "Frances"
            | "Gloria"
            | "Ann"
            | "Teresa"
            | "Kathryn"
            | "Sara"
            | "Janice"
            | "Jean"
            | "Alice"
            | "Doris"
            | "Abigail"
            | "Julia"
            | "Judy"
            | "Grace"
            | "Denise"
            | "Amber"
            | "Marilyn"
            | "Beverly"
            | "Danielle"
            | "Theresa"
            | "Sophia"
            | "Marie"
            | "Diana"
            | "Brittany"
            | "Natalie"
            | "Isabella"
            | "Rose"
            | "Alexis"
            | "Kayla"
            | "Sue"
            | "Mohammad"
            | "Mohammed"
            | "Muhammad"
            | "Ali"
            | "Ahmed"
            | "Ahmad"
            | "Hassan"
            | "Hussein"
            | "Omar"
            | "Abdullah"
            | "Ibrahim"
            | "Mahmoud"
            | "Khalid"
            | "Bashar"
            | "Vladimir"
            | "Sergei"
            | "Dmitry"
            | "Mikheil"
            | "Nicolas"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn division_abbreviations() {
        assert_eq!(admin1_abbrev("Calif.", false), Some(("US", "CA")));
        assert_eq!(admin1_abbrev("N.C.", false), Some(("US", "NC")));
        assert_eq!(admin1_abbrev("Ont.", false), Some(("CA", "08")));
        assert_eq!(admin1_abbrev("OR", false), None, "postal codes are words");
        assert_eq!(admin1_abbrev("OR", true), Some(("US", "OR")));
        assert_eq!(admin1_abbrev("Paris", true), None);
    }

    #[test]
    fn demonyms_and_adjectives_of_divisions() {
        assert_eq!(admin1_demonym("Minnesotans"), Some(("US", "MN")));
        assert_eq!(admin1_demonym("Texan"), Some(("US", "TX")));
        assert_eq!(admin1_demonym("Quebecers"), Some(("CA", "10")));
        assert_eq!(admin1_demonym("Texas"), None);
        assert_eq!(division_adjective("Chechens"), Some("Chechnya"));
        assert_eq!(division_adjective("Syrian"), None);
    }

    #[test]
    fn quick_filters_agree_with_the_tables() {
        // admin1_abbrev rejects words before scanning, and admin1_demonym
        // tries a word and its singular, on these properties of the tables.
        for (a, _) in US_STATE_ABBREVS.iter().chain(CA_PROVINCE_ABBREVS) {
            assert!(a.ends_with('.'), "{a}");
        }
        assert!(US_POSTAL.iter().all(|p| p.len() == 2));
        assert!(ADMIN1_DEMONYMS
            .iter()
            .all(|d| !d.0.ends_with('s') && d.0.ends_with(['n', 'r', 'e'])));
        assert_eq!(admin1_abbrev("Ohio", true), None);
        assert_eq!(admin1_abbrev("OH", true), Some(("US", "OH")));
        assert_eq!(admin1_abbrev("OH", false), None);
        assert_eq!(admin1_demonym("Mainers"), Some(("US", "ME")));
    }

    #[test]
    fn publisher_country_from_its_domain() {
        assert_eq!(
            tld_country("https://www.example.co.uk/news/1").as_deref(),
            Some("GB")
        );
        assert_eq!(tld_country("news.example.ge").as_deref(), Some("GE"));
        assert_eq!(
            tld_country("http://user@paper.example.ca:8080/a?b").as_deref(),
            Some("CA")
        );
        assert_eq!(tld_country("EXAMPLE.IE.").as_deref(), Some("IE"));
        // Generic, vanity and malformed domains say nothing.
        for url in [
            "https://example.com/x",
            "example.tv",
            "radio.example.fm",
            "localhost",
            "",
            "a.b1",
            "https://",
        ] {
            assert_eq!(tld_country(url), None, "{url}");
        }
    }

    #[test]
    fn dotted_meridiem_clock_times() {
        for text in [
            "The meeting starts at 7:30 p.m. Tuesday.",
            "Open from 9 a.m. to noon.",
            "Doors open 10a.m. sharp.",
            "Hours: 8 a.m.-4:30 p.m. weekdays.",
        ] {
            assert!(dotted_meridiem_time(text), "{text}");
        }
        for text in [
            "The attack happened between 4am and 4.15pm.",
            "The P.M. spoke at noon.",
            "Calls after p.m. hours go to voicemail.",
            "a.m.",
            "",
        ] {
            assert!(!dotted_meridiem_time(text), "{text}");
        }
    }

    #[test]
    fn school_court_and_state_agency_cues() {
        for text in [
            "The eighth-grader won the spelling bee.",
            "A grand jury returned an indictment.",
            "The junior varsity plays first.",
            "He was booked into the Law Enforcement Center.",
            "Apply to the state Department of Revenue.",
            "Parks and Recreation staff cleared the trail.",
        ] {
            assert_eq!(country_cue(text), Some("US"), "{text}");
        }
        // A university's "Varsity match" and a national "State Department" are no cue.
        assert_eq!(country_cue("The Varsity match was rowed on Sunday."), None);
        assert_eq!(
            country_cue("The State Department of the United States said."),
            None
        );
    }

    #[test]
    fn county_abbreviation_and_country_cues() {
        assert_eq!(division_hint("Co."), Some(TypeHint::Admin2));
        assert_eq!(division_hint("township"), None);
        assert_eq!(division_hint("PROVINCE"), Some(TypeHint::Admin1));
        assert_eq!(division_hint("Neighbourhood"), Some(TypeHint::Populated));
        assert_eq!(division_hint("provincesprovinces"), None);
        assert_eq!(division_hint("província"), None);
        assert_eq!(division_hint(""), None);
        assert_eq!(country_cue("The Sheriff's Office said."), Some("US"));
        assert_eq!(country_cue("Rebels shelled Idlib province."), None);
        // Overlapping cues all count; two countries cancel out.
        static TWO: &[(&str, &str)] = &[("Garda", "IE"), ("Gardaí", "IE"), ("RCMP", "CA")];
        let set = CueSet::new(TWO);
        assert!(!set.one_country);
        assert_eq!(set.country("Gardaí said"), Some("IE"));
        assert_eq!(set.country("the RCMP said"), Some("CA"));
        assert_eq!(set.country("Garda and RCMP officers"), None);
        assert_eq!(set.country("nothing here"), None);
    }
}
