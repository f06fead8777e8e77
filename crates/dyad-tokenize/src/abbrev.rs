//! Word lists: abbreviations that keep their period, hyphen prefixes EWT keeps
//! whole, contractions written without an apostrophe, and emoticons.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Abbreviations (without the final period) that keep their period as part of the
/// token. Case-sensitive: `No.` is an abbreviation, `no.` ends a sentence.
const ABBREVIATIONS: &[&str] = &[
    // Titles and ranks.
    "Mr", "Mrs", "Ms", "Messrs", "Mme", "Mlle", "Dr", "Drs", "Prof", "Gen", "Lt", "Col", "Sgt",
    "Maj", "Capt", "Cpl", "Pvt", "Adm", "Brig", "Cmdr", "Cdr", "Gov", "Govs", "Pres", "Rep",
    "Reps", "Sen", "Sens", "Rev", "Hon", "Sr", "Jr", "Supt", "Insp", "Det", "Amb", "Atty", "Rt",
    "Fr", "Msgr", "Esq", "St", "Ste", "Mt", "Ft", "Pt",
    // Months and days (not "May", not "Sun").
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Mon",
    "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat",
    // Companies and organisations.
    "Inc", "Corp", "Co", "Cos", "Ltd", "Bros", "Assn", "Dept", "Univ", "Govt", "Mfg", "Intl", "Plc",
    "Cie", // Places and addresses (AP-style US states included).
    "Ave", "Blvd", "Rd", "Hwy", "Sq", "Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla",
    "Ga", "Ill", "Ind", "Kan", "Kans", "Ky", "La", "Md", "Mass", "Mich", "Minn", "Miss", "Mo",
    "Mont", "Neb", "Nev", "Okla", "Ore", "Pa", "Penn", "Tenn", "Tex", "Va", "Vt", "Wash", "Wis",
    "Wyo", // Miscellaneous.
    "No", "Nos", "Vol", "Vols", "Fig", "Figs", "Ch", "Art", "Sec", "Nr", "Tel", "Ref", "Approx",
    "vs", "v", "pop", "etc", "approx", "est", "cf", "al", "ca", "viz", "incl", "dept", "vol", "pp",
    "ed", "eds", "ft", "sq", "min", "max", "hr", "hrs", "mins", "sec", "secs", "yr", "yrs", "mos",
    "Ph", "Op", "Ed", "Lib", "Dem",
];

/// Abbreviations that keep their period only before a number (`No. 1`, `Art. 5`).
const ABBREVIATIONS_BEFORE_NUMBER: &[&str] =
    &["No", "Nos", "Art", "Sec", "Nr", "Ch", "Fig", "pp", "Vol"];

/// Lower-case prefixes that EWT keeps attached to the rest of a hyphenated word
/// (`e-mail`, `non-profit`, `co-workers`); every other letter-letter hyphen is split.
const HYPHEN_PREFIXES: &[&str] = &[
    "e", "non", "anti", "pre", "re", "mid", "co", "post", "pro", "multi", "ex", "semi", "counter",
    "sub", "vice", "psycho", "neo", "cross", "un", "socio", "mis", "micro", "intra", "inter",
    "over",
];

/// Name particles joined to a capitalised name by a hyphen (Arabic articles and kin terms).
const NAME_PARTICLES: &[&str] = &[
    "al", "el", "bin", "ibn", "abu", "abd", "ould", "ben", "bint",
];

pub fn is_name_particle(lower: &str) -> bool {
    NAME_PARTICLES.contains(&lower)
}

/// Contractions written without an apostrophe, split as EWT does: (lower-cased
/// word, byte length of the first part).
const BARE_CONTRACTIONS: &[(&str, usize)] = &[
    ("dont", 2),
    ("didnt", 3),
    ("doesnt", 4),
    ("cant", 2),
    ("wont", 2),
    ("isnt", 2),
    ("wasnt", 3),
    ("arent", 3),
    ("werent", 4),
    ("couldnt", 5),
    ("wouldnt", 5),
    ("shouldnt", 6),
    ("havent", 4),
    ("hasnt", 3),
    ("hadnt", 3),
    ("aint", 2),
    ("im", 1),
    ("ive", 1),
    ("youre", 3),
    ("theyre", 4),
    ("thats", 4),
    ("whats", 4),
    ("theres", 5),
    ("cannot", 3),
    ("gonna", 3),
    ("wanna", 3),
    ("gotta", 3),
    ("gimme", 3),
];

/// Emoticons kept as one token; longest first so `:-)` wins over `:-`.
pub const EMOTICONS: &[&str] = &[
    ":'(", ":-)", ":-(", ":-D", ":-P", ":-p", ";-)", "^_^", "^^", "<3", ":)", ":(", ":D", ":P",
    ":p", ";)", "=)", "=(", ":/", ":|", ":O", ":o", "XD",
];

/// Units written right after a number that EWT splits off (`5m`, `10am`, `3bn`).
const UNITS: &[&str] = &[
    "m", "k", "am", "pm", "b", "bn", "mm", "cm", "km", "ft", "x", "kb", "mb", "gb", "tb", "kg",
    "lb", "lbs", "hz", "khz", "mhz", "ghz", "hr", "hrs", "min", "mins", "sec", "secs", "mph",
    "kph", "kw", "mw", "ml", "yrs", "days", "percent", "mi", "oz", "bbl", "bpd", "tn", "trn",
];

/// File extensions that form a token with their period after punctuation.
const FILE_EXTENSIONS: &[&str] = &[
    "doc", "docx", "xls", "xlsx", "pdf", "jpg", "jpeg", "gif", "png", "txt", "ppt", "pptx", "zip",
    "htm", "html", "csv", "mp3", "exe",
];

pub fn is_unit(lower: &str) -> bool {
    UNITS.contains(&lower)
}

pub fn is_file_extension(lower: &str) -> bool {
    FILE_EXTENSIONS.contains(&lower)
}

pub fn is_abbreviation(word: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    // Abbreviations are short; skip the hash for long words.
    word.len() <= 7
        && SET
            .get_or_init(|| ABBREVIATIONS.iter().copied().collect())
            .contains(word)
}

pub fn is_abbreviation_before_number(word: &str) -> bool {
    ABBREVIATIONS_BEFORE_NUMBER.contains(&word)
}

/// Titles and name parts after which a period never ends a sentence.
pub fn is_title(word: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    word.len() <= 8
        && SET
            .get_or_init(|| TITLES.iter().copied().collect())
            .contains(word)
}

const TITLES: &[&str] = &[
    "Mr.", "Mrs.", "Ms.", "Messrs.", "Dr.", "Prof.", "Gen.", "Lt.", "Col.", "Sgt.", "Maj.",
    "Capt.", "Cpl.", "Pvt.", "Adm.", "Brig.", "Cmdr.", "Gov.", "Pres.", "Rep.", "Sen.", "Rev.",
    "Hon.", "St.", "Mt.", "Ft.", "No.", "Nos.", "Art.", "Sec.", "Vol.", "Fig.", "Jan.", "Feb.",
    "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec.", "vs.", "v.",
    "cf.", "Supt.", "Insp.", "Det.", "Amb.", "Atty.", "Msgr.", "Fr.", "Drs.",
];

pub fn is_hyphen_prefix(lower: &str) -> bool {
    HYPHEN_PREFIXES.contains(&lower)
}

/// Split point of a contraction written without apostrophe, if `word` is one.
pub fn bare_contraction_split(word: &str) -> Option<usize> {
    if word.len() > 8 || !word.is_ascii() {
        return None;
    }
    let mut buf = [0u8; 8];
    for (b, c) in buf.iter_mut().zip(word.bytes()) {
        *b = c.to_ascii_lowercase();
    }
    let lower = std::str::from_utf8(&buf[..word.len()]).ok()?;
    BARE_CONTRACTIONS
        .iter()
        .find(|(w, _)| *w == lower)
        .map(|&(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_answer_membership() {
        assert!(is_abbreviation("Sept"));
        assert!(!is_abbreviation("May"));
        assert!(is_abbreviation_before_number("No"));
        assert!(is_hyphen_prefix("e"));
        assert!(!is_hyphen_prefix("search"));
        assert_eq!(bare_contraction_split("Dont"), Some(2));
        assert_eq!(bare_contraction_split("cannot"), Some(3));
        assert_eq!(bare_contraction_split("donut"), None);
        assert!(is_title("Mr."));
    }
}
