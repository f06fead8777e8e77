//! WordPress/CMS shortcodes: `[name attr="v"]`, `[name attr="v" /]`, `[name]inner[/name]`.
//!
//! Scrapers often keep shortcodes that the CMS never rendered. They are removed from the body;
//! captions and image URLs they carry are kept as [`Caption`]s, because a caption is text dyad
//! reads for dates and events, but it is not body text. Runs on normalised text, so attribute
//! quotes are already ASCII.

use std::collections::HashMap;

use dyad_core::Caption;
use regex::Regex;
use std::sync::LazyLock;

/// The text with shortcodes removed, and what they carried.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ShortcodeOutput {
    pub text: String,
    pub captions: Vec<Caption>,
    pub warnings: Vec<String>,
}

/// What to do with the content between `[name]` and `[/name]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum InnerPolicy {
    /// The inner text is a caption (`[caption]…[/caption]`).
    Caption,
    /// The inner text is not story text (embeds, galleries, pull quotes repeating the body).
    Drop,
    /// Layout wrappers: the inner text is body text.
    Unwrap,
}

const CAPTION_NAMES: &[&str] = &[
    "caption",
    "wp_caption",
    "image",
    "figure",
    "aesop_image",
    "img",
];
const DROP_NAMES: &[&str] = &[
    "embed",
    "video",
    "audio",
    "gallery",
    "playlist",
    "tweet",
    "twitter",
    "instagram",
    "youtube",
    "vimeo",
    "soundcloud",
    "iframe",
    "pullquote",
    "aesop_quote",
    "aesop_gallery",
    "aesop_video",
    "aesop_audio",
    "aesop_map",
    "aesop_chapter",
    "aesop_parallax",
    "aesop_collection",
    "contact-form-7",
    "contact-form",
    "related",
    "ad",
    "ads",
    "adsense",
    "newsletter",
    "mc4wp_form",
    "script",
    "code",
];
const UNWRAP_NAMES: &[&str] = &[
    "quote",
    "dropcap",
    "aesop_content",
    "aesop_document",
    "column",
    "one_half",
    "one_third",
    "two_third",
    "row",
    "section",
    "highlight",
    "box",
    "note",
    "tab",
    "tabs",
    "toggle",
    "accordion",
];
/// Prefixes of page-builder shortcodes (Visual Composer, Divi, Avada, Enfold, Elementor…).
const BUILDER_PREFIXES: &[&str] = &[
    "vc_",
    "et_pb_",
    "fusion_",
    "av_",
    "elementor",
    "tie_",
    "su_",
];

const CAPTION_KEYS: &[&str] = &["caption", "captiontext", "description", "alt"];
const IMAGE_KEYS: &[&str] = &["img", "src", "image", "url", "imgurl"];

/// A policy for a known name; `None` for an unknown one.
fn policy(name: &str) -> Option<InnerPolicy> {
    let lower = name.to_ascii_lowercase();
    let n = lower.as_str();
    if CAPTION_NAMES.contains(&n) {
        Some(InnerPolicy::Caption)
    } else if DROP_NAMES.contains(&n) {
        Some(InnerPolicy::Drop)
    } else if UNWRAP_NAMES.contains(&n) || BUILDER_PREFIXES.iter().any(|p| n.starts_with(p)) {
        Some(InnerPolicy::Unwrap)
    } else {
        None
    }
}

#[derive(Debug)]
struct OpenTag {
    name: String,
    attrs: Vec<(String, String)>,
    /// Byte length of the tag in the text.
    len: usize,
    self_closing: bool,
    /// The tag ran to the end of the line without `]`.
    unclosed: bool,
}

/// Remove shortcodes from `text`, keeping captions and image URLs.
pub fn strip_shortcodes(text: &str) -> ShortcodeOutput {
    let closers = index_closers(text);
    let mut out = ShortcodeOutput::default();
    strip_into(text, 0, &closers, &mut out, 0);
    out
}

/// Byte positions of every `[/name]`, by lowercase name, in text order.
fn index_closers(text: &str) -> HashMap<String, Vec<(usize, usize)>> {
    static CLOSER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\[/([A-Za-z][A-Za-z0-9_-]{0,63})\s*\]").unwrap());
    let mut map: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    for m in CLOSER.captures_iter(text) {
        let whole = m.get(0).unwrap();
        map.entry(m[1].to_ascii_lowercase())
            .or_default()
            .push((whole.start(), whole.end()));
    }
    map
}

/// Nested shortcodes deeper than this are unwrapped without further parsing; it bounds recursion.
const MAX_DEPTH: usize = 32;

fn strip_into(
    text: &str,
    base: usize,
    closers: &HashMap<String, Vec<(usize, usize)>>,
    out: &mut ShortcodeOutput,
    depth: usize,
) {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    while let Some(offset) = memchr_bracket(&bytes[i..]) {
        let at = i + offset;
        i = at + 1;
        // A stray closing tag (its opener was missing or already handled): drop it.
        if let Some(len) = stray_closer_len(&text[at..]) {
            out.text.push_str(&text[copied..at]);
            copied = at + len;
            i = copied;
            continue;
        }
        let Some(tag) = parse_open(&text[at..]) else {
            continue;
        };
        let known = policy(&tag.name);
        // `key=value` attributes or an underscore name mark a shortcode; bare words after an
        // unknown name are prose in brackets.
        let keyed = tag.attrs.iter().any(|(k, _)| !k.is_empty());
        let looks_like_shortcode =
            known.is_some() || keyed || tag.name.contains('_') || tag.unclosed;
        if !looks_like_shortcode {
            continue; // "[sic]", "[1]", editorial brackets
        }
        out.text.push_str(&text[copied..at]);
        let tag_end = at + tag.len;
        let lname = tag.name.to_ascii_lowercase();
        if tag.unclosed {
            out.warnings.push(format!(
                "unclosed shortcode [{}] at byte {}: removed to the end of its line",
                tag.name,
                base + at
            ));
        } else if known.is_none() {
            out.warnings
                .push(format!("unknown shortcode [{}] removed", tag.name));
        }
        // A paired shortcode: find the first closer after the tag.
        let closer = if tag.self_closing || tag.unclosed {
            None
        } else {
            closers.get(&lname).and_then(|list| {
                let pos = list.partition_point(|&(s, _)| s < base + tag_end);
                list.get(pos).copied()
            })
        };
        let mut inner = "";
        let mut resume = tag_end;
        if let Some((cs, ce)) = closer {
            inner = &text[tag_end..cs - base];
            resume = ce - base;
        }
        let inner_policy = known.unwrap_or(InnerPolicy::Unwrap);
        let mut caption = caption_from_attrs(&tag);
        match inner_policy {
            InnerPolicy::Caption if !inner.is_empty() => {
                let (inner_text, inner_img) = html_fragment_text(inner);
                if caption.text.is_empty() {
                    caption.text = inner_text;
                }
                if caption.image_url.is_none() {
                    caption.image_url = inner_img;
                }
            }
            InnerPolicy::Unwrap if !inner.is_empty() => {
                if depth < MAX_DEPTH {
                    strip_into(inner, base + tag_end, closers, out, depth + 1);
                } else {
                    out.text.push_str(inner);
                }
            }
            _ => {}
        }
        if !caption.text.is_empty() || caption.image_url.is_some() {
            caption.source = tag.name.clone();
            out.captions.push(caption);
        }
        copied = resume;
        i = resume;
    }
    out.text.push_str(&text[copied..]);
}

fn memchr_bracket(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'[')
}

fn stray_closer_len(s: &str) -> Option<usize> {
    static STRAY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\[/([A-Za-z][A-Za-z0-9_-]{0,63})\s*\]").unwrap());
    let m = STRAY.captures(s)?;
    policy(&m[1])
        .is_some()
        .then(|| m.get(0).unwrap().end())
        .or_else(|| m[1].contains('_').then(|| m.get(0).unwrap().end()))
}

/// Parse `[name attrs…]` at the start of `s`.
fn parse_open(s: &str) -> Option<OpenTag> {
    let bytes = s.as_bytes();
    debug_assert_eq!(bytes.first(), Some(&b'['));
    let mut i = 1;
    let name_start = i;
    if !bytes.get(i)?.is_ascii_alphabetic() {
        return None;
    }
    while i < bytes.len()
        && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'-')
        && i - name_start < 64
    {
        i += 1;
    }
    let name = s[name_start..i].to_string();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        match bytes.get(i) {
            None | Some(b'\n') => {
                // Only a tag that started `key=value` attributes counts as an unclosed shortcode.
                if !attrs.iter().any(|(k, _): &(String, String)| !k.is_empty()) {
                    return None;
                }
                return Some(OpenTag {
                    name,
                    attrs,
                    len: i,
                    self_closing: true,
                    unclosed: true,
                });
            }
            Some(b']') => {
                return Some(OpenTag {
                    name,
                    attrs,
                    len: i + 1,
                    self_closing,
                    unclosed: false,
                })
            }
            Some(b'/') if bytes.get(i + 1) == Some(&b']') => {
                self_closing = true;
                i += 1;
            }
            Some(_) => {
                let (attr, used) = parse_attr(&s[i..])?;
                attrs.push(attr);
                i += used;
            }
        }
    }
}

/// One `key="value"`, `key='value'`, `key=value` or bare `value`; returns bytes used.
fn parse_attr(s: &str) -> Option<((String, String), usize)> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() && !matches!(bytes[i], b'=' | b' ' | b']' | b'\n') {
        if bytes[i] == b'"' || bytes[i] == b'\'' {
            // a bare quoted value
            break;
        }
        i += 1;
    }
    let key = s[..i].to_string();
    if bytes.get(i) != Some(&b'=') {
        if i == 0 {
            // Bare quoted value: `[embed "x"]`.
            let (value, used) = quoted(s)?;
            return Some(((String::new(), value), used));
        }
        return Some(((String::new(), key), i));
    }
    i += 1;
    let rest = &s[i..];
    if rest.starts_with('"') || rest.starts_with('\'') {
        let (value, used) = quoted(rest)?;
        Some(((key.to_ascii_lowercase(), value), i + used))
    } else {
        let end = rest.find([' ', ']', '\n']).unwrap_or(rest.len());
        Some(((key.to_ascii_lowercase(), rest[..end].to_string()), i + end))
    }
}

/// A value in matching quotes; a value left open runs to the end of the line.
fn quoted(s: &str) -> Option<(String, usize)> {
    let q = s.chars().next()?;
    let body = &s[1..];
    let line_end = body.find('\n').unwrap_or(body.len());
    match body[..line_end].find(q) {
        Some(end) => Some((body[..end].to_string(), end + 2)),
        None => Some((body[..line_end].to_string(), 1 + line_end)),
    }
}

fn caption_from_attrs(tag: &OpenTag) -> Caption {
    let get = |keys: &[&str]| {
        keys.iter().find_map(|k| {
            tag.attrs
                .iter()
                .find(|(key, v)| key == k && !v.trim().is_empty())
                .map(|(_, v)| v.trim().to_string())
        })
    };
    Caption {
        text: get(CAPTION_KEYS).unwrap_or_default(),
        image_url: get(IMAGE_KEYS).filter(|u| looks_like_url(u)),
        source: String::new(),
    }
}

fn looks_like_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://") || s.starts_with('/')
}

/// Text and first image URL of an HTML fragment inside a caption shortcode.
fn html_fragment_text(fragment: &str) -> (String, Option<String>) {
    static IMG_SRC: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"(?i)<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']"#).unwrap());
    static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").unwrap());
    let img = IMG_SRC.captures(fragment).map(|c| c[1].to_string());
    let text = TAG.replace_all(fragment, " ");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (text, img)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aesop_image_with_caption_and_url() {
        let s = "Before.\n[aesop_image img=\"https://x.org/a.jpg\" panorama=\"off\" caption=\"Leaders meet in Damascus, Syria September 3, 2018. SANA/Handout\" revealfx=\"off\"]\nAfter.";
        let out = strip_shortcodes(s);
        assert_eq!(out.text, "Before.\n\nAfter.");
        assert_eq!(out.captions.len(), 1);
        let c = &out.captions[0];
        assert_eq!(c.source, "aesop_image");
        assert_eq!(c.image_url.as_deref(), Some("https://x.org/a.jpg"));
        assert!(c.text.starts_with("Leaders meet in Damascus"));
        assert!(out.warnings.is_empty());
    }

    #[test]
    fn paired_caption_uses_inner_text_and_img() {
        let s = "A [caption id=\"attachment_1\" align=\"alignnone\"]<img src=\"/p.jpg\" /> Troops in the city.[/caption] B";
        let out = strip_shortcodes(s);
        assert_eq!(out.text, "A  B");
        assert_eq!(out.captions[0].text, "Troops in the city.");
        assert_eq!(out.captions[0].image_url.as_deref(), Some("/p.jpg"));
    }

    #[test]
    fn self_closing_and_single_quotes() {
        let out = strip_shortcodes("x [image src='https://a/b.png' caption='Cap' /] y");
        assert_eq!(out.text, "x  y");
        assert_eq!(out.captions[0].text, "Cap");
    }

    #[test]
    fn embeds_and_pullquotes_drop_their_content() {
        let out = strip_shortcodes(
            "a [embed]https://youtu.be/x[/embed] b [pullquote]Said twice.[/pullquote] c",
        );
        assert_eq!(out.text, "a  b  c");
        assert!(out.captions.is_empty());
    }

    #[test]
    fn layout_wrappers_keep_their_text_and_nest() {
        let out = strip_shortcodes(
            "[vc_row][vc_column_text]The army advanced.[/vc_column_text][/vc_row] Then it stopped.",
        );
        assert_eq!(out.text, "The army advanced. Then it stopped.");
    }

    #[test]
    fn editorial_brackets_are_not_shortcodes() {
        let s = "He said [the minister] would go [sic] to 3 sites [1].";
        let out = strip_shortcodes(s);
        assert_eq!(out.text, s);
        assert!(out.warnings.is_empty());
    }

    #[test]
    fn unknown_shortcode_is_removed_with_a_warning() {
        let out = strip_shortcodes("a [my_widget id=\"3\"] b");
        assert_eq!(out.text, "a  b");
        assert_eq!(out.warnings.len(), 1);
        assert!(out.warnings[0].contains("my_widget"));
    }

    #[test]
    fn unclosed_shortcode_is_cut_at_line_end_with_a_warning() {
        let out =
            strip_shortcodes("a [aesop_image img=\"https://x/y.jpg\" caption=\"Half\nNext line.");
        assert_eq!(out.text, "a \nNext line.");
        assert!(out.warnings[0].contains("unclosed shortcode [aesop_image]"));
        assert_eq!(out.captions[0].text, "Half");
    }

    #[test]
    fn stray_closer_is_dropped() {
        assert_eq!(strip_shortcodes("a [/caption] b").text, "a  b");
    }

    #[test]
    fn many_openers_without_closers_stay_linear() {
        let s = "[x_y] ".repeat(20_000);
        let out = strip_shortcodes(&s);
        assert_eq!(out.text.trim(), "");
        assert_eq!(out.warnings.len(), 20_000);
    }
}
