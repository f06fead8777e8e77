//! Small text helpers shared by the readers.

use std::borrow::Cow;

/// Collapse runs of whitespace to one space and trim.
pub(crate) fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// 1-based line of byte offset `pos` in `text`.
pub(crate) fn line_of(text: &str, pos: usize) -> usize {
    let end = pos.min(text.len());
    memchr::memchr_iter(b'\n', &text.as_bytes()[..end]).count() + 1
}

/// Decode XML/HTML character references. Unlike a strict XML unescaper this never
/// fails: feeds often carry HTML entities (`&nbsp;`, `&mdash;`) that XML does not
/// define, and an unknown or broken reference is kept as written.
pub(crate) fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        // References are short; a ';' further away means a bare ampersand.
        let semi = rest.as_bytes().iter().take(12).position(|&b| b == b';');
        let decoded = semi.and_then(|j| decode_reference(&rest[1..j]).map(|c| (c, j)));
        match decoded {
            Some((c, j)) => {
                out.push_str(c.as_ref());
                rest = &rest[j + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn decode_reference(name: &str) -> Option<Cow<'static, str>> {
    if let Some(num) = name.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse::<u32>().ok()?
        };
        let c = char::from_u32(code).filter(|&c| c != '\0')?;
        return Some(Cow::Owned(c.to_string()));
    }
    let s = match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        "nbsp" => "\u{a0}",
        "mdash" => "—",
        "ndash" => "–",
        "hellip" => "…",
        "lsquo" => "‘",
        "rsquo" => "’",
        "sbquo" => "‚",
        "ldquo" => "“",
        "rdquo" => "”",
        "bdquo" => "„",
        "laquo" => "«",
        "raquo" => "»",
        "middot" => "·",
        "bull" => "•",
        "copy" => "©",
        "reg" => "®",
        "trade" => "™",
        "deg" => "°",
        "euro" => "€",
        "pound" => "£",
        "yen" => "¥",
        "cent" => "¢",
        "sect" => "§",
        "para" => "¶",
        "times" => "×",
        "shy" => "\u{ad}",
        "thinsp" => "\u{2009}",
        "ensp" => "\u{2002}",
        "emsp" => "\u{2003}",
        "zwnj" => "\u{200c}",
        "zwj" => "\u{200d}",
        "aacute" => "á",
        "eacute" => "é",
        "iacute" => "í",
        "oacute" => "ó",
        "uacute" => "ú",
        "Aacute" => "Á",
        "Eacute" => "É",
        "Iacute" => "Í",
        "Oacute" => "Ó",
        "Uacute" => "Ú",
        "agrave" => "à",
        "egrave" => "è",
        "ograve" => "ò",
        "acirc" => "â",
        "ecirc" => "ê",
        "ocirc" => "ô",
        "auml" => "ä",
        "euml" => "ë",
        "iuml" => "ï",
        "ouml" => "ö",
        "uuml" => "ü",
        "Auml" => "Ä",
        "Ouml" => "Ö",
        "Uuml" => "Ü",
        "szlig" => "ß",
        "ntilde" => "ñ",
        "Ntilde" => "Ñ",
        "ccedil" => "ç",
        "Ccedil" => "Ç",
        "atilde" => "ã",
        "otilde" => "õ",
        "aring" => "å",
        "oslash" => "ø",
        _ => return None,
    };
    Some(Cow::Borrowed(s))
}

/// The text inside an XML element's raw content: CDATA sections verbatim, other
/// text unescaped. Markup between them is kept as written (callers that want plain
/// text run the HTML extractor on the result).
pub(crate) fn xml_content(raw: &str) -> String {
    const OPEN: &str = "<![CDATA[";
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find(OPEN) {
        out.push_str(&unescape(&rest[..i]));
        let inner = &rest[i + OPEN.len()..];
        match inner.find("]]>") {
            Some(j) => {
                out.push_str(&inner[..j]);
                rest = &inner[j + 3..];
            }
            None => {
                out.push_str(inner);
                rest = "";
            }
        }
    }
    out.push_str(&unescape(rest));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_xml_html_and_numeric() {
        assert_eq!(unescape("AT&amp;T &lt;b&gt;"), "AT&T <b>");
        assert_eq!(
            unescape("a&nbsp;b &mdash; c&#8217;s &#x41;"),
            "a\u{a0}b — c’s A"
        );
        assert_eq!(unescape("fish & chips &bogus; &"), "fish & chips &bogus; &");
        assert_eq!(unescape("&#0; &#xFFFFFFFF;"), "&#0; &#xFFFFFFFF;");
    }

    #[test]
    fn cdata_is_verbatim() {
        assert_eq!(
            xml_content("a &amp; <![CDATA[<p>x &amp; y</p>]]> b"),
            "a & <p>x &amp; y</p> b"
        );
        assert_eq!(xml_content("<![CDATA[unterminated"), "unterminated");
    }

    #[test]
    fn whitespace_and_lines() {
        assert_eq!(collapse_ws("  a\n\tb   c "), "a b c");
        assert_eq!(line_of("a\nb\nc", 4), 3);
        assert_eq!(line_of("abc", 99), 1);
    }
}
