//! RSS 2.0 (and RSS 1.0/RDF) and Atom feeds: one Document per `<item>`/`<entry>`.
//!
//! Streaming with quick-xml; a field's content is taken as the raw span between its
//! tags, so CDATA, escaped HTML and inline XHTML all reach the HTML extractor intact.
//! A well-formedness error stops the read: items finished before it are returned,
//! followed by one `Malformed` error naming the line and byte.

use dyad_core::{Document, InputFormat, Metadata};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::decode::Decoded;
use crate::html::{self, clean_authors, fragment_plain, split_authors, Mode};
use crate::textutil::{collapse_ws, line_of, xml_content};
use crate::{finish_doc, origin, ErrorKind, IngestError};

#[derive(Default)]
struct Item {
    title: Option<String>,
    url: Option<String>,
    guid: Option<String>,
    published: Option<String>,
    updated: Option<String>,
    authors: Vec<String>,
    /// (priority, content, kind): lower priority wins.
    body: Option<(u8, String, BodyKind)>,
    language: Option<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum BodyKind {
    Html,
    Text,
}

#[derive(Default)]
struct FeedInfo {
    title: Option<String>,
    language: Option<String>,
    authors: Vec<String>,
    kind: Option<InputFormat>,
}

fn local(qname: &[u8]) -> &[u8] {
    match qname.iter().rposition(|&b| b == b':') {
        Some(i) => &qname[i + 1..],
        None => qname,
    }
}

fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.html_attributes()
        .with_checks(false)
        .flatten()
        .find_map(|a| {
            (a.key.as_ref() == key.as_bytes())
                .then(|| crate::textutil::unescape(&String::from_utf8_lossy(&a.value)).into_owned())
        })
}

pub(crate) fn read(
    name: &str,
    d: &Decoded,
    requested: InputFormat,
) -> Vec<Result<Document, IngestError>> {
    let src = d.text.as_str();
    let mut reader = Reader::from_str(src);
    reader.config_mut().trim_text(false);
    let mut feed = FeedInfo::default();
    let mut items: Vec<Item> = Vec::new();
    let mut cur: Option<Item> = None;
    // Open elements (qualified names) outside the fields read whole.
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut fault: Option<IngestError> = None;
    loop {
        let tag_start = reader.buffer_position() as usize;
        let ev = reader.read_event();
        match ev {
            Ok(Event::Start(e)) => {
                let qn = e.name().as_ref().to_vec();
                let ln = local(&qn).to_vec();
                if stack.is_empty() && feed.kind.is_none() {
                    feed.kind = match ln.as_slice() {
                        b"rss" | b"RDF" => Some(InputFormat::Rss),
                        b"feed" => Some(InputFormat::Atom),
                        _ => None,
                    };
                }
                if matches!(ln.as_slice(), b"item" | b"entry") && cur.is_none() {
                    cur = Some(Item::default());
                    stack.push(qn);
                    continue;
                }
                let parent_local = stack.last().map(|p| local(p).to_vec()).unwrap_or_default();
                let in_item_field =
                    cur.is_some() && matches!(parent_local.as_slice(), b"item" | b"entry");
                let in_feed_field =
                    cur.is_none() && matches!(parent_local.as_slice(), b"channel" | b"feed");
                if !(in_item_field || in_feed_field) {
                    stack.push(qn);
                    continue;
                }
                let content_type = attr(&e, "type").map(|t| t.to_ascii_lowercase());
                let href = attr(&e, "href");
                let rel = attr(&e, "rel");
                let span = match reader.read_to_end(e.name()) {
                    Ok(s) => s,
                    Err(err) => {
                        fault = Some(xml_error(name, src, tag_start, &err));
                        break;
                    }
                };
                let raw = src
                    .get(span.start as usize..span.end as usize)
                    .unwrap_or("");
                if let Some(item) = cur.as_mut() {
                    item_field(
                        item,
                        &qn,
                        raw,
                        content_type.as_deref(),
                        href,
                        rel.as_deref(),
                    );
                } else {
                    feed_field(&mut feed, &qn, raw);
                }
            }
            Ok(Event::Empty(e)) => {
                let qn = e.name().as_ref().to_vec();
                if let Some(item) = cur.as_mut() {
                    let parent_is_item = stack
                        .last()
                        .is_some_and(|p| matches!(local(p), b"item" | b"entry"));
                    if parent_is_item && local(&qn) == b"link" {
                        let rel = attr(&e, "rel");
                        if let Some(h) = attr(&e, "href") {
                            set_link(item, h, rel.as_deref());
                        }
                    }
                }
            }
            Ok(Event::End(e)) => {
                let ln = local(e.name().as_ref()).to_vec();
                stack.pop();
                if matches!(ln.as_slice(), b"item" | b"entry") {
                    if let Some(item) = cur.take() {
                        items.push(item);
                    }
                }
            }
            Ok(Event::Eof) => {
                if let Some(open) = stack.last() {
                    let what = if cur.is_some() { "an item" } else { "the feed" };
                    fault = Some(IngestError::new(
                        name,
                        ErrorKind::Malformed,
                        format!(
                            "malformed XML: input ends inside {what} (<{}> not closed) at line {}, byte {}",
                            String::from_utf8_lossy(open),
                            line_of(src, src.len()),
                            src.len()
                        ),
                    ));
                }
                break;
            }
            Err(err) => {
                fault = Some(xml_error(name, src, fault_pos(&reader), &err));
                break;
            }
            Ok(_) => {}
        }
    }
    let format = feed.kind.unwrap_or(requested);
    let warnings = d.warnings();
    let mut out: Vec<Result<Document, IngestError>> = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| to_document(name, i as u64 + 1, item, &feed, format, &warnings))
        .collect();
    match fault {
        Some(f) => out.push(Err(f)),
        None if out.is_empty() => out.push(Err(IngestError::new(
            name,
            ErrorKind::NoText,
            "feed has no <item> or <entry> elements".to_string(),
        ))),
        None => {}
    }
    out
}

/// Where a reader error happened. Errors found only at the end of input leave no
/// error position; the reader's position is then the best guess.
pub(crate) fn fault_pos(reader: &Reader<&[u8]>) -> usize {
    let pos = match reader.error_position() {
        0 => reader.buffer_position(),
        p => p,
    };
    pos as usize
}

/// A `Malformed` error naming the line and byte of `pos`. For an element whose end
/// tag is never found, callers pass the position of its start tag.
pub(crate) fn xml_error(name: &str, src: &str, pos: usize, err: &quick_xml::Error) -> IngestError {
    IngestError::new(
        name,
        ErrorKind::Malformed,
        format!(
            "malformed XML at line {}, byte {pos}: {err}",
            line_of(src, pos)
        ),
    )
}

fn set_link(item: &mut Item, href: String, rel: Option<&str>) {
    // Atom entries list several links; the story is rel="alternate" (or no rel).
    let alternate = matches!(rel, None | Some("alternate"));
    if alternate && (item.url.is_none() || rel == Some("alternate")) {
        item.url = Some(href.trim().to_string());
    }
}

fn item_field(
    item: &mut Item,
    qn: &[u8],
    raw: &str,
    content_type: Option<&str>,
    href: Option<String>,
    rel: Option<&str>,
) {
    let plain = || fragment_plain(&xml_content(raw));
    match qn {
        b"title" => item.title = Some(plain()).filter(|t| !t.is_empty()),
        b"link" => match href {
            Some(h) => set_link(item, h, rel),
            None => {
                let t = plain();
                if !t.is_empty() {
                    item.url = Some(t);
                }
            }
        },
        b"guid" | b"id" => item.guid = Some(plain()).filter(|t| !t.is_empty()),
        b"pubDate" | b"published" | b"dc:date" | b"issued" => {
            if item.published.is_none() {
                item.published = Some(plain()).filter(|t| !t.is_empty());
            }
        }
        b"updated" | b"modified" | b"dc:modified" => {
            item.updated = Some(plain()).filter(|t| !t.is_empty())
        }
        b"author" | b"dc:creator" | b"creator" => {
            let names = if raw.contains("<name") {
                element_text(raw, "name").into_iter().collect()
            } else {
                split_authors(&rss_author(&plain()))
            };
            item.authors.extend(names);
        }
        b"dc:language" | b"language" => item.language = Some(plain()).filter(|t| !t.is_empty()),
        _ => {
            let priority = match qn {
                b"content:encoded" => 0,
                b"content" => 1,
                b"description" => 2,
                b"summary" => 3,
                _ => return,
            };
            let kind = match content_type {
                Some("text") | Some("text/plain") => BodyKind::Text,
                _ => BodyKind::Html,
            };
            let content = if content_type == Some("xhtml") {
                // Inline XHTML: the markup itself is the content.
                raw.to_string()
            } else {
                xml_content(raw)
            };
            if content.trim().is_empty() {
                return;
            }
            let better = match &item.body {
                None => true,
                Some((p, _, _)) => priority < *p,
            };
            if better {
                item.body = Some((priority, content, kind));
            }
        }
    }
}

/// RSS `<author>` is "email (Name)" or just an email; keep the name.
fn rss_author(s: &str) -> String {
    if let (Some(open), Some(close)) = (s.find('('), s.rfind(')')) {
        if open < close {
            return s[open + 1..close].trim().to_string();
        }
    }
    if s.contains('@') && !s.contains(' ') {
        return String::new();
    }
    s.to_string()
}

/// Text of the first `<tag>` inside raw XML (Atom `<author><name>`).
fn element_text(raw: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}");
    let start = raw.find(&open)?;
    let after = start + raw[start..].find('>')? + 1;
    let end = after + raw[after..].find(&format!("</{tag}"))?;
    let t = fragment_plain(&xml_content(&raw[after..end]));
    (!t.is_empty()).then_some(t)
}

fn feed_field(feed: &mut FeedInfo, qn: &[u8], raw: &str) {
    match qn {
        b"title" if feed.title.is_none() => {
            feed.title = Some(fragment_plain(&xml_content(raw))).filter(|t| !t.is_empty())
        }
        b"language" | b"dc:language" => {
            feed.language = Some(collapse_ws(&xml_content(raw))).filter(|t| !t.is_empty())
        }
        b"author" => {
            if let Some(n) = element_text(raw, "name") {
                feed.authors.push(n);
            }
        }
        _ => {}
    }
}

fn to_document(
    name: &str,
    n: u64,
    item: Item,
    feed: &FeedInfo,
    format: InputFormat,
    warnings: &[String],
) -> Result<Document, IngestError> {
    let item_name = format!("{name}:{n}");
    let mut doc_warnings = warnings.to_vec();
    let mut meta = Metadata::default();
    let text = match &item.body {
        Some((_, content, BodyKind::Text)) => content.trim().to_string(),
        Some((_, content, BodyKind::Html)) => {
            let ex = html::extract(content, Mode::Fragment);
            meta.captions = ex.meta.captions;
            ex.text
        }
        None => String::new(),
    };
    let text = if text.trim().is_empty() {
        match &item.title {
            Some(t) => {
                doc_warnings.push(
                    "item has no content, description or summary text; the title is used as text"
                        .to_string(),
                );
                t.clone()
            }
            None => {
                return Err(IngestError::new(
                    &item_name,
                    ErrorKind::NoText,
                    "item has no title, content, description or summary text".to_string(),
                ))
            }
        }
    } else {
        text
    };
    meta.title = item.title;
    meta.url = item.url.clone();
    meta.canonical_url = item.url;
    meta.publisher = feed.title.clone();
    meta.language = item.language.or_else(|| feed.language.clone());
    meta.published = item.published.or(item.updated);
    let authors = if item.authors.is_empty() {
        &feed.authors
    } else {
        &item.authors
    };
    meta.authors = clean_authors(authors.iter().map(String::as_str));
    let mut doc = Document::new(origin(name, Some(n), format, item.guid), text);
    doc.meta = meta;
    doc.warnings = doc_warnings;
    Ok(finish_doc(doc))
}
