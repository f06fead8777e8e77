//! Line handling shared by the PETRARCH dictionary readers: comments in `#`, `;` (legacy
//! KEDS/TABARI) and `<!-- … -->` form, the last possibly spanning several lines.

/// One meaningful line: its 1-based number and its content without comments.
pub(crate) struct Line {
    pub no: usize,
    /// Content with comments removed, right-trimmed (leading whitespace kept: it matters for
    /// actor date restrictions).
    pub text: String,
}

/// The lines of `text` that hold something once comments are removed. Unterminated `<!--`
/// comments are reported through `unclosed` (the line where they start).
/// [`content_lines`] for a dictionary file, with a never-closed `<!--` reported in `errors`.
pub(crate) fn dictionary_lines(
    file: &str,
    text: &str,
    errors: &mut Vec<crate::PetrError>,
) -> Vec<Line> {
    let mut unclosed = None;
    let lines = content_lines(text, &mut unclosed);
    if let Some(l) = unclosed {
        errors.push(crate::PetrError::new(
            file,
            l,
            "'<!--' comment is never closed",
        ));
    }
    lines
}

pub(crate) fn content_lines(text: &str, unclosed: &mut Option<usize>) -> Vec<Line> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut in_xml: Option<usize> = None;
    for (i, raw) in text.lines().enumerate() {
        let no = i + 1;
        let mut rest = raw;
        let mut kept = String::new();
        loop {
            if in_xml.is_some() {
                match rest.find("-->") {
                    Some(p) => {
                        in_xml = None;
                        rest = &rest[p + 3..];
                    }
                    None => break,
                }
            }
            match rest.find("<!--") {
                Some(p) => {
                    kept.push_str(&rest[..p]);
                    in_xml = Some(no);
                    rest = &rest[p + 4..];
                }
                None => {
                    kept.push_str(rest);
                    break;
                }
            }
        }
        let cut = kept
            .find(['#', ';'])
            .map_or(kept.as_str(), |p| &kept[..p])
            .trim_end()
            .to_string();
        if !cut.trim().is_empty() {
            out.push(Line { no, text: cut });
        }
    }
    *unclosed = in_xml;
    out
}

/// PETRARCH phrases join words with `_` or spaces; a trailing `_` (TABARI's "no stemming")
/// means nothing to a word-based matcher. Returns the words, uppercase.
pub(crate) fn phrase_words(s: &str) -> Vec<String> {
    s.split(|c: char| c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_uppercase())
        .collect()
}

/// "AL-QAEDA" → "Al-Qaeda": dyad treats a capitalised name as a proper name (it does not match
/// all-lowercase text), which is what the uppercase PETRARCH entries mean.
pub(crate) fn title_case(words: &[String]) -> String {
    let mut out = String::new();
    for (k, w) in words.iter().enumerate() {
        if k > 0 {
            out.push(' ');
        }
        let mut start = true;
        for ch in w.chars() {
            if start {
                out.extend(ch.to_uppercase());
            } else {
                out.extend(ch.to_lowercase());
            }
            start = !ch.is_alphanumeric() && ch != '\'' && ch != '.';
        }
    }
    out
}

/// Regular English singular of a noun written in uppercase or lowercase (for object lemmas).
pub(crate) fn singular(word: &str) -> String {
    let w = word.to_lowercase();
    if w.len() > 4 && w.ends_with("ies") {
        return format!("{}y", &w[..w.len() - 3]);
    }
    if w.len() > 4
        && (w.ends_with("sses") || w.ends_with("shes") || w.ends_with("ches") || w.ends_with("xes"))
    {
        return w[..w.len() - 2].to_string();
    }
    if w.len() > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
    {
        return w[..w.len() - 1].to_string();
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_all_comment_styles() {
        let text = "<!-- head -->\nA # note\n<!-- multi\nline -->\nB ; old\nC <!-- x --> D\n";
        let mut unclosed = None;
        let lines = content_lines(text, &mut unclosed);
        let got: Vec<(usize, &str)> = lines.iter().map(|l| (l.no, l.text.as_str())).collect();
        assert_eq!(got, vec![(2, "A"), (5, "B"), (6, "C  D")]);
        assert_eq!(unclosed, None);
        content_lines("<!-- open\nA\n", &mut unclosed);
        assert_eq!(unclosed, Some(1));
    }

    #[test]
    fn words_case_and_plurals() {
        assert_eq!(
            phrase_words("ULMARK_ great__king"),
            vec!["ULMARK", "GREAT", "KING"]
        );
        assert_eq!(
            title_case(&phrase_words("AL-QAEDA GEORGE_W._BUSH")),
            "Al-Qaeda George W. Bush"
        );
        assert_eq!(singular("TIES"), "tie");
        assert_eq!(singular("MINISTRIES"), "ministry");
        assert_eq!(singular("TALKS"), "talk");
        assert_eq!(singular("CRISIS"), "crisis");
        assert_eq!(singular("PRESS"), "press");
    }
}
