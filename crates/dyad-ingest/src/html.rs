//! HTML → main text and metadata.
//!
//! The page is parsed once with html5ever (via `scraper`) and flattened into a
//! pre-order arena where every node knows its parent and the end of its subtree, so
//! every later pass (boilerplate marking, text statistics, scoring, serialisation) is
//! a linear loop with no recursion — deep or hostile nesting cannot overflow the stack.
//!
//! Main-text choice, best first: an `itemprop=articleBody` / `.entry-content`-like
//! container; the dominant `<article>`; else Readability-style scoring (paragraphs
//! give points to their parent and ancestors, damped by link density) with the top
//! candidate's good siblings. Boilerplate (nav, header, footer, aside, forms, scripts,
//! ad/share/related/comment blocks by class and id) is dropped before scoring; when
//! that leaves almost nothing, the class/id rules are relaxed and the page re-read.

use std::borrow::Cow;

use dyad_core::{Caption, Metadata};
use ego_tree::iter::Edge;
use scraper::node::Element;
use scraper::{Html, Node};
use serde_json::Value;

use crate::textutil::collapse_ws;

const NONE: usize = usize::MAX;

/// Whether the input is a whole page (pick the main text) or a fragment already known
/// to be the content (a feed item's `content:encoded`): keep all of it but boilerplate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Page,
    Fragment,
}

/// What the extractor found.
#[derive(Debug, Default)]
pub(crate) struct Extracted {
    pub text: String,
    /// Title, authors, url/canonical url, publisher, published, language, captions.
    pub meta: Metadata,
}

#[derive(Clone, Copy)]
enum Kind<'a> {
    Elem(&'a Element),
    Text(&'a str),
    Other,
}

struct N<'a> {
    kind: Kind<'a>,
    parent: usize,
    /// One past the last node of this node's subtree (pre-order).
    end: usize,
}

impl N<'_> {
    fn tag(&self) -> &str {
        match self.kind {
            Kind::Elem(e) => e.name(),
            _ => "",
        }
    }
    fn elem(&self) -> Option<&Element> {
        match self.kind {
            Kind::Elem(e) => Some(e),
            _ => None,
        }
    }
}

/// Extract body text and metadata from an HTML document or fragment.
pub(crate) fn extract(html: &str, mode: Mode) -> Extracted {
    let html = prepare(html);
    let doc = match mode {
        Mode::Page => Html::parse_document(&html),
        Mode::Fragment => Html::parse_fragment(&html),
    };
    let page = Page::new(&doc);
    let (mut meta, ld_body) = match mode {
        Mode::Page => page.metadata(),
        Mode::Fragment => (Metadata::default(), None),
    };
    let strict = page.content(mode, true);
    // Too little left: a page-wide wrapper probably matched a boilerplate class.
    let chosen = if strict.text.chars().count() < 140 {
        let relaxed = page.content(mode, false);
        // Only when the strict reading lost nearly everything: a short story next to
        // a long comment section must not take the comments in.
        if relaxed.text.len() > 4 * strict.text.len() {
            relaxed
        } else {
            strict
        }
    } else {
        strict
    };
    meta.captions = chosen.captions;
    // Script-rendered pages carry the story only in JSON-LD `articleBody`.
    let text = match ld_body {
        Some(body) if chosen.text.chars().count() < 140 && body.len() > chosen.text.len() => body,
        _ => chosen.text,
    };
    Extracted { text, meta }
}

/// Deepest element nesting passed to the parser. html5ever's scope checks scan the
/// stack of open elements for every tag, so nesting depth d costs O(d²): 20,000
/// nested `<div>`s take seconds. Real pages stay far below this.
const MAX_DEPTH: usize = 512;

/// A linear pre-scan before parsing that
/// - empties `<script>` (except JSON-LD) and `<style>` elements: never text, often
///   half a page's bytes, and the tokenizer would walk them character by character;
/// - drops start tags (and their end tags) nested deeper than [`MAX_DEPTH`].
///
/// All text is kept; input needing neither is returned unchanged, without a copy.
fn prepare(html: &str) -> Cow<'_, str> {
    let b = html.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0usize; // bytes of `html` already copied to `out`
    let mut depth = 0usize;
    let mut dropped = 0usize;
    let mut i = 0usize;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + off;
        let rest = &html[lt..];
        let skip_to = |pat: &str, from: usize| {
            rest[from..]
                .find(pat)
                .map_or(html.len(), |j| lt + from + j + pat.len())
        };
        if rest.starts_with("<!--") {
            i = skip_to("-->", 4);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            i = skip_to(">", 2);
            continue;
        }
        let closing = rest.as_bytes().get(1) == Some(&b'/');
        let name_start = if closing { 2 } else { 1 };
        let name_len = rest[name_start..]
            .bytes()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !rest.as_bytes()[name_start].is_ascii_alphabetic() {
            i = lt + 1;
            continue;
        }
        // Lower-cased into a small buffer: no allocation per tag.
        let mut buf = [0u8; 16];
        let raw_name = &rest.as_bytes()[name_start..name_start + name_len];
        let name = if name_len <= buf.len() {
            for (d, c) in buf.iter_mut().zip(raw_name) {
                *d = c.to_ascii_lowercase();
            }
            std::str::from_utf8(&buf[..name_len]).unwrap_or("")
        } else {
            ""
        };
        let end = skip_to(">", name_start + name_len);
        let self_closing = html[..end].ends_with("/>");
        let mut drop_tag = false;
        if closing {
            if !optional_end(name) {
                if dropped > 0 {
                    dropped -= 1;
                    drop_tag = true;
                } else {
                    depth = depth.saturating_sub(1);
                }
            }
        } else if !self_closing && !void_element(name) && !optional_end(name) {
            if depth >= MAX_DEPTH {
                dropped += 1;
                drop_tag = true;
            } else {
                depth += 1;
            }
        }
        if drop_tag {
            let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
            o.push_str(&html[copied..lt]);
            copied = end;
        }
        i = end;
        // Raw-text elements: their content is not markup.
        if !closing
            && !self_closing
            && matches!(name, "script" | "style" | "textarea" | "title" | "xmp")
        {
            let close = find_end_tag(b, i, name.as_bytes());
            let open_tag = &b[lt..end];
            let json_ld = open_tag
                .windows(7)
                .any(|w| w.eq_ignore_ascii_case(b"ld+json"));
            if matches!(name, "script" | "style") && !json_ld && close > end {
                let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
                o.push_str(&html[copied..end]);
                copied = close;
            }
            i = close;
        }
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut o) => {
            o.push_str(&html[copied..]);
            Cow::Owned(o)
        }
    }
}

/// Offset of the next `</name` (any case) at or after `from`, else the input length.
fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + off;
        let tag = &b[lt + 1..];
        if tag.first() == Some(&b'/')
            && tag.len() > name.len()
            && tag[1..=name.len()].eq_ignore_ascii_case(name)
        {
            return lt;
        }
        i = lt + 1;
    }
    b.len()
}

fn void_element(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
            | "frame"
    )
}

/// Elements whose end tag may be omitted: the parser closes them itself, so they
/// do not nest (a `<p>` closes the open `<p>`).
fn optional_end(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "dt"
            | "dd"
            | "tr"
            | "td"
            | "th"
            | "option"
            | "optgroup"
            | "thead"
            | "tbody"
            | "tfoot"
            | "colgroup"
            | "caption"
            | "rt"
            | "rp"
            | "body"
            | "html"
            | "head"
    )
}

/// HTML to plain text for short fields (feed titles, author names).
pub(crate) fn fragment_plain(s: &str) -> String {
    if !s.contains(['<', '&']) {
        return collapse_ws(s);
    }
    collapse_ws(&extract(s, Mode::Fragment).text)
}

struct Content {
    text: String,
    captions: Vec<Caption>,
}

struct Page<'a> {
    nodes: Vec<N<'a>>,
    /// Text length (non-whitespace chars) of each subtree ignoring boilerplate removal,
    /// but not counting script/style/head.
    raw_len: Vec<u32>,
    /// Number of `<p>` elements before each index (prefix sums), for "how many
    /// paragraphs does this subtree hold" in O(1).
    p_before: Vec<u32>,
    /// Classification from the element alone.
    tag_drop: Vec<bool>,
    class_drop: Vec<bool>,
    class_weight: Vec<i8>,
    /// Ancestors-or-self of the strong content container, never dropped.
    protected: Vec<bool>,
    strong: Option<usize>,
    articles: Vec<usize>,
}

impl<'a> Page<'a> {
    fn new(doc: &'a Html) -> Self {
        let mut nodes: Vec<N<'a>> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        for edge in doc.tree.root().traverse() {
            match edge {
                Edge::Open(n) => {
                    let kind = match n.value() {
                        Node::Element(e) => Kind::Elem(e),
                        Node::Text(t) => Kind::Text(&t.text),
                        _ => Kind::Other,
                    };
                    let idx = nodes.len();
                    nodes.push(N {
                        kind,
                        parent: stack.last().copied().unwrap_or(NONE),
                        end: idx + 1,
                    });
                    stack.push(idx);
                }
                Edge::Close(_) => {
                    if let Some(idx) = stack.pop() {
                        nodes[idx].end = nodes.len();
                    }
                }
            }
        }
        let n = nodes.len();
        let mut page = Page {
            raw_len: vec![0; n],
            p_before: Vec::with_capacity(n + 1),
            tag_drop: vec![false; n],
            class_drop: vec![false; n],
            class_weight: vec![0; n],
            protected: vec![false; n],
            strong: None,
            articles: Vec::new(),
            nodes,
        };
        page.classify();
        page
    }

    fn classify(&mut self) {
        let n = self.nodes.len();
        let mut count = 0u32;
        let mut strong_candidates = Vec::new();
        for i in 0..n {
            self.p_before.push(count);
            let Some(e) = self.nodes[i].elem() else {
                continue;
            };
            let tag = e.name();
            if tag == "p" {
                count += 1;
            }
            if tag == "article" {
                self.articles.push(i);
            }
            let cls = ClassInfo::of(e);
            self.class_weight[i] = cls.weight();
            self.class_drop[i] = !matches!(tag, "html" | "body") && cls.drop();
            self.tag_drop[i] = tag_dropped(tag) || hidden(e);
            if is_strong_container(e, &cls) {
                strong_candidates.push(i);
            }
        }
        self.p_before.push(count);
        // Form wrappers around whole pages (ASP.NET) hold the article: keep forms
        // that contain several paragraphs.
        for i in 0..n {
            if self.nodes[i].tag() == "form" && self.p_count(i) >= 3 {
                self.tag_drop[i] = false;
            }
        }
        // Raw text lengths, skipping non-content containers.
        for i in (0..n).rev() {
            let node = &self.nodes[i];
            let own = match node.kind {
                Kind::Text(t) => nonws_len(t),
                Kind::Elem(e)
                    if matches!(
                        e.name(),
                        "script" | "style" | "noscript" | "template" | "head"
                    ) =>
                {
                    self.raw_len[i] = 0;
                    continue;
                }
                _ => 0,
            };
            self.raw_len[i] += own;
            let p = node.parent;
            if p != NONE {
                self.raw_len[p] += self.raw_len[i];
            }
        }
        self.strong = strong_candidates
            .into_iter()
            .filter(|&i| self.raw_len[i] >= 100)
            .max_by_key(|&i| self.raw_len[i]);
        let mut protect = self.strong;
        if protect.is_none() {
            protect = self.dominant_article_raw();
        }
        let mut cur = protect.unwrap_or(NONE);
        while cur != NONE {
            self.protected[cur] = true;
            cur = self.nodes[cur].parent;
        }
    }

    fn p_count(&self, i: usize) -> u32 {
        self.p_before[self.nodes[i].end] - self.p_before[i]
    }

    /// The `<article>` that clearly holds the story (not one teaser among many).
    fn dominant_article_raw(&self) -> Option<usize> {
        let top: Vec<usize> = self
            .articles
            .iter()
            .copied()
            .filter(|&a| !self.has_ancestor_in(a, &self.articles))
            .collect();
        let total: u32 = top.iter().map(|&a| self.raw_len[a]).sum();
        let best = top.into_iter().max_by_key(|&a| self.raw_len[a])?;
        (self.raw_len[best] >= 200 && self.raw_len[best] as f32 >= 0.4 * total as f32)
            .then_some(best)
    }

    fn has_ancestor_in(&self, i: usize, set: &[usize]) -> bool {
        let mut cur = self.nodes[i].parent;
        while cur != NONE {
            if set.binary_search(&cur).is_ok() {
                return true;
            }
            cur = self.nodes[cur].parent;
        }
        false
    }

    fn removed_flags(&self, use_class: bool) -> Vec<bool> {
        let n = self.nodes.len();
        let mut removed = vec![false; n];
        for i in 0..n {
            let p = self.nodes[i].parent;
            removed[i] = (p != NONE && removed[p])
                || (!self.protected[i] && (self.tag_drop[i] || (use_class && self.class_drop[i])));
        }
        removed
    }

    /// The body text (and captions) under the given removal policy.
    fn content(&self, mode: Mode, use_class: bool) -> Content {
        let removed = self.removed_flags(use_class);
        let stats = Stats::new(self, &removed);
        let (parts, scope) = match mode {
            Mode::Fragment => (vec![0], 0),
            Mode::Page => self.choose(&removed, &stats),
        };
        let mut out = Out::default();
        for &p in &parts {
            self.serialize(p, &removed, &stats, &mut out);
            out.brk(2);
        }
        let captions = self.captions(scope, &removed);
        Content {
            text: out.finish(),
            captions,
        }
    }

    /// The node(s) holding the story, and the scope to look for figures in.
    fn choose(&self, removed: &[bool], stats: &Stats) -> (Vec<usize>, usize) {
        let good = |i: usize| !removed[i] && stats.len[i] >= 100;
        if let Some(s) = self.strong.filter(|&s| good(s)) {
            return (vec![s], self.scope_of(s));
        }
        let top: Vec<usize> = self
            .articles
            .iter()
            .copied()
            .filter(|&a| !removed[a] && !self.has_ancestor_in(a, &self.articles))
            .collect();
        let total: u32 = top.iter().map(|&a| stats.len[a]).sum();
        if let Some(best) = top.into_iter().max_by_key(|&a| stats.len[a]) {
            if good(best) && stats.len[best] as f32 >= 0.4 * total as f32 {
                return (vec![best], best);
            }
        }
        if let Some((parts, top)) = self.readability(removed, stats) {
            let scope = self.scope_of(top);
            let scope = if scope == top {
                self.nodes[top].parent
            } else {
                scope
            };
            return (parts, if scope == NONE { top } else { scope });
        }
        let body = (0..self.nodes.len())
            .find(|&i| self.nodes[i].tag() == "body")
            .unwrap_or(0);
        (vec![body], body)
    }

    /// Nearest `<article>`/`<main>` ancestor-or-self: where the story's figures live.
    fn scope_of(&self, i: usize) -> usize {
        let mut cur = i;
        while cur != NONE {
            if matches!(self.nodes[cur].tag(), "article" | "main") {
                return cur;
            }
            cur = self.nodes[cur].parent;
        }
        i
    }

    /// Readability-style scoring: returns the parts to serialise and the top candidate.
    fn readability(&self, removed: &[bool], stats: &Stats) -> Option<(Vec<usize>, usize)> {
        let n = self.nodes.len();
        let mut score = vec![f32::NAN; n];
        let base = |i: usize| -> f32 {
            let tag_w = match self.nodes[i].tag() {
                "div" | "article" | "main" | "section" => 5.0,
                "pre" | "td" | "blockquote" => 3.0,
                "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
                _ => 0.0,
            };
            tag_w + self.class_weight[i] as f32
        };
        for (i, &gone) in removed.iter().enumerate() {
            if gone || stats.len[i] < 20 || !self.paragraph_like(i, stats) {
                continue;
            }
            let s = 1.0 + stats.commas[i] as f32 + (stats.len[i] as f32 / 85.0).min(3.0);
            let mut cur = self.nodes[i].parent;
            let mut level = 0;
            while cur != NONE && level < 5 {
                if score[cur].is_nan() {
                    score[cur] = base(cur);
                }
                score[cur] += match level {
                    0 => s,
                    1 => s / 2.0,
                    _ => s / (level as f32 * 3.0),
                };
                cur = self.nodes[cur].parent;
                level += 1;
            }
        }
        let final_score = |i: usize| -> f32 {
            if score[i].is_nan() || self.nodes[i].elem().is_none() {
                return f32::NAN;
            }
            score[i] * (1.0 - stats.link_density(i))
        };
        let top = (0..n)
            .filter(|&i| !final_score(i).is_nan())
            .max_by(|&a, &b| final_score(a).total_cmp(&final_score(b)))?;
        let top_score = final_score(top);
        let parent = self.nodes[top].parent;
        if parent == NONE || matches!(self.nodes[top].tag(), "body" | "html") {
            return Some((vec![top], top));
        }
        // Siblings that also look like story text (split article bodies).
        let threshold = (top_score * 0.2).max(10.0);
        let top_class = self.nodes[top].elem().and_then(|e| e.attr("class"));
        let mut parts = Vec::new();
        let mut c = parent + 1;
        while c < self.nodes[parent].end {
            let include = c == top
                || (!removed[c] && {
                    let bonus = match (
                        top_class,
                        self.nodes[c].elem().and_then(|e| e.attr("class")),
                    ) {
                        (Some(a), Some(b)) if !a.is_empty() && a == b => top_score * 0.2,
                        _ => 0.0,
                    };
                    let fs = final_score(c);
                    (!fs.is_nan() && fs + bonus >= threshold)
                        || (self.nodes[c].tag() == "p"
                            && stats.len[c] > 70
                            && stats.link_density(c) < 0.25)
                });
            if include {
                parts.push(c);
            }
            c = self.nodes[c].end;
        }
        Some((parts, top))
    }

    fn paragraph_like(&self, i: usize, stats: &Stats) -> bool {
        match self.nodes[i].tag() {
            "p" | "pre" | "td" => true,
            // A div with text but no block children is a paragraph in disguise.
            "div" | "section" => !stats.has_block_child[i],
            _ => false,
        }
    }

    fn serialize(&self, root: usize, removed: &[bool], stats: &Stats, out: &mut Out) {
        // (subtree end, break level, is pre)
        let mut open: Vec<(usize, u8, bool)> = Vec::new();
        let mut pre_depth = 0usize;
        let stop = self.nodes[root].end;
        let mut i = root;
        while i < stop {
            while let Some(&(end, lvl, is_pre)) = open.last() {
                if end > i {
                    break;
                }
                out.brk(lvl);
                if is_pre {
                    pre_depth -= 1;
                }
                open.pop();
            }
            let node = &self.nodes[i];
            if removed[i] {
                i = node.end;
                continue;
            }
            match node.kind {
                Kind::Text(t) => {
                    if pre_depth > 0 {
                        out.raw(t);
                    } else {
                        out.text(t);
                    }
                }
                Kind::Elem(e) => {
                    let tag = e.name();
                    if skip_in_text(tag, e) || (i != root && link_block(tag, i, stats)) {
                        i = node.end;
                        continue;
                    }
                    match tag {
                        "br" => out.br(),
                        "td" | "th" => out.space(),
                        _ => {}
                    }
                    let lvl = block_level(tag);
                    if lvl > 0 {
                        out.brk(lvl);
                        let is_pre = tag == "pre";
                        if is_pre {
                            pre_depth += 1;
                        }
                        open.push((node.end, lvl, is_pre));
                    }
                }
                Kind::Other => {}
            }
            i += 1;
        }
        for &(_, lvl, _) in open.iter().rev() {
            out.brk(lvl);
        }
    }

    /// Plain text of a subtree regardless of removal (titles, captions, names).
    fn plain_text(&self, i: usize) -> String {
        let mut s = String::new();
        for n in &self.nodes[i..self.nodes[i].end] {
            if let Kind::Text(t) = n.kind {
                s.push_str(t);
                s.push(' ');
            }
        }
        collapse_ws(&s)
    }

    fn captions(&self, scope: usize, removed: &[bool]) -> Vec<Caption> {
        let mut out = Vec::new();
        let stop = self.nodes[scope].end;
        let mut i = scope;
        while i < stop {
            let node = &self.nodes[i];
            if removed[i] {
                i = node.end;
                continue;
            }
            if let Some(e) = node.elem() {
                let wp = is_wp_caption(e);
                if e.name() == "figure" || wp {
                    if let Some(c) = self.caption_of(i, wp) {
                        out.push(c);
                    }
                    i = node.end;
                    continue;
                }
            }
            i += 1;
        }
        out
    }

    fn caption_of(&self, fig: usize, wp: bool) -> Option<Caption> {
        let mut text = None;
        let mut image_url = None;
        for j in fig + 1..self.nodes[fig].end {
            let Some(e) = self.nodes[j].elem() else {
                continue;
            };
            let is_caption = if wp {
                e.attr("class")
                    .is_some_and(|c| c.contains("wp-caption-text"))
            } else {
                e.name() == "figcaption"
            };
            if is_caption && text.is_none() {
                text = Some(self.plain_text(j)).filter(|t| !t.is_empty());
            }
            if e.name() == "img" && image_url.is_none() {
                image_url = ["src", "data-src", "data-lazy-src", "data-original"]
                    .iter()
                    .filter_map(|a| e.attr(a))
                    .map(str::trim)
                    .find(|s| !s.is_empty() && !s.starts_with("data:"))
                    .map(str::to_string);
            }
        }
        Some(Caption {
            text: text?,
            image_url,
            source: if wp { "wp-caption" } else { "figcaption" }.to_string(),
        })
    }

    /// Metadata, and the JSON-LD `articleBody` when the page has one.
    fn metadata(&self) -> (Metadata, Option<String>) {
        let mut m = MetaCollector::default();
        for (i, node) in self.nodes.iter().enumerate() {
            let Some(e) = node.elem() else {
                continue;
            };
            let tag = e.name();
            match tag {
                "html" if m.lang.is_none() => {
                    m.lang = e
                        .attr("lang")
                        .or_else(|| e.attr("xml:lang"))
                        .map(str::to_string);
                }
                "meta" => {
                    let key = e
                        .attr("property")
                        .or_else(|| e.attr("name"))
                        .or_else(|| e.attr("itemprop"))
                        .or_else(|| e.attr("http-equiv"));
                    if let (Some(k), Some(v)) = (key, e.attr("content")) {
                        let v = v.trim();
                        if !v.is_empty() {
                            let k = k.trim().to_ascii_lowercase();
                            if !m.metas.iter().any(|(kk, _)| *kk == k) {
                                m.metas.push((k, v.to_string()));
                            }
                        }
                    }
                }
                "title" if m.title_tag.is_none() => {
                    m.title_tag = Some(self.plain_text(i)).filter(|t| !t.is_empty());
                }
                "h1" if m.h1.is_none() => {
                    m.h1 = Some(self.plain_text(i)).filter(|t| !t.is_empty());
                }
                "link" => {
                    let rel = e.attr("rel").unwrap_or("").to_ascii_lowercase();
                    if rel.split_whitespace().any(|r| r == "canonical") && m.canonical.is_none() {
                        m.canonical = e.attr("href").map(|h| h.trim().to_string());
                    }
                }
                "a" => {
                    let rel = e.attr("rel").unwrap_or("");
                    if rel
                        .split_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("author"))
                    {
                        let t = self.plain_text(i);
                        if !t.is_empty() {
                            m.rel_authors.push(t);
                        }
                    }
                }
                "time" => {
                    if let Some(dt) = e.attr("datetime").map(str::trim).filter(|s| !s.is_empty()) {
                        let published = e.attr("pubdate").is_some()
                            || e.attr("itemprop")
                                .is_some_and(|p| p.eq_ignore_ascii_case("datePublished"))
                            || e.attr("class").is_some_and(|c| c.contains("publish"));
                        if published && m.time_published.is_none() {
                            m.time_published = Some(dt.to_string());
                        }
                        if m.time_first.is_none() {
                            m.time_first = Some(dt.to_string());
                        }
                    }
                }
                "script"
                    if e.attr("type")
                        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
                {
                    m.json_ld(&self.plain_text_raw(i));
                }
                _ => {}
            }
            if let Some(prop) = e.attr("itemprop") {
                for p in prop.split_whitespace() {
                    if p.eq_ignore_ascii_case("author") && tag != "meta" {
                        let name = (i + 1..node.end)
                            .find(|&j| {
                                self.nodes[j]
                                    .elem()
                                    .and_then(|c| c.attr("itemprop"))
                                    .is_some_and(|v| v.eq_ignore_ascii_case("name"))
                            })
                            .map(|j| {
                                self.nodes[j]
                                    .elem()
                                    .and_then(|c| c.attr("content"))
                                    .map(str::to_string)
                                    .unwrap_or_else(|| self.plain_text(j))
                            })
                            .unwrap_or_else(|| self.plain_text(i));
                        if !name.is_empty() {
                            m.itemprop_authors.push(name);
                        }
                    }
                    if p.eq_ignore_ascii_case("datePublished")
                        && tag != "meta"
                        && m.itemprop_date.is_none()
                    {
                        m.itemprop_date = e
                            .attr("content")
                            .or_else(|| e.attr("datetime"))
                            .map(str::to_string)
                            .or_else(|| Some(self.plain_text(i)).filter(|t| !t.is_empty()));
                    }
                }
            }
        }
        let body = m.ld_body.take();
        (m.finish(), body)
    }

    /// Text of a `<script>` without whitespace collapsing (JSON).
    fn plain_text_raw(&self, i: usize) -> String {
        let mut s = String::new();
        for n in &self.nodes[i..self.nodes[i].end] {
            if let Kind::Text(t) = n.kind {
                s.push_str(t);
            }
        }
        s
    }
}

/// Per-subtree text statistics under one removal policy, computed bottom-up.
struct Stats {
    len: Vec<u32>,
    link_len: Vec<u32>,
    commas: Vec<u32>,
    has_block_child: Vec<bool>,
}

impl Stats {
    fn new(page: &Page<'_>, removed: &[bool]) -> Self {
        let n = page.nodes.len();
        let mut s = Stats {
            len: vec![0; n],
            link_len: vec![0; n],
            commas: vec![0; n],
            has_block_child: vec![false; n],
        };
        for i in (0..n).rev() {
            let node = &page.nodes[i];
            if removed[i] {
                continue;
            }
            match node.kind {
                Kind::Text(t) => {
                    s.len[i] = nonws_len(t);
                    s.commas[i] = t.bytes().filter(|&b| b == b',').count() as u32;
                }
                Kind::Elem(e) => {
                    let tag = e.name();
                    if skip_in_text(tag, e) || matches!(tag, "script" | "style" | "head") {
                        s.len[i] = 0;
                        s.link_len[i] = 0;
                        s.commas[i] = 0;
                        continue;
                    }
                    if tag == "a" {
                        s.link_len[i] = s.len[i];
                    }
                }
                Kind::Other => {}
            }
            let p = node.parent;
            if p != NONE {
                s.len[p] += s.len[i];
                s.link_len[p] += s.link_len[i];
                s.commas[p] += s.commas[i];
                if block_level(node.tag()) > 0 {
                    s.has_block_child[p] = true;
                }
            }
        }
        s
    }

    fn link_density(&self, i: usize) -> f32 {
        if self.len[i] == 0 {
            0.0
        } else {
            (self.link_len[i] as f32 / self.len[i] as f32).min(1.0)
        }
    }
}

/// Characters that are not ASCII whitespace (counting UTF-8 lead bytes: no decoding).
fn nonws_len(t: &str) -> u32 {
    t.bytes()
        .filter(|&b| !b.is_ascii_whitespace() && (b & 0xC0) != 0x80)
        .count() as u32
}

/// A block that is (almost) all links inside the story: "Read more: <a>…</a>",
/// lists of related links.
fn link_block(tag: &str, i: usize, stats: &Stats) -> bool {
    matches!(
        tag,
        "p" | "li"
            | "ul"
            | "ol"
            | "dl"
            | "div"
            | "section"
            | "table"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
    ) && stats.len[i] > 0
        && stats.link_density(i) >= 0.75
}

/// Elements whose content is never story text.
fn tag_dropped(tag: &str) -> bool {
    matches!(
        tag,
        "head"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "nav"
            | "header"
            | "footer"
            | "aside"
            | "form"
            | "iframe"
            | "button"
            | "select"
            | "textarea"
            | "input"
            | "label"
            | "svg"
            | "canvas"
            | "object"
            | "embed"
            | "video"
            | "audio"
            | "map"
            | "dialog"
            | "menu"
    )
}

/// Elements kept out of body text but not boilerplate: figures become captions, and
/// the page `<h1>` is the title.
fn skip_in_text(tag: &str, e: &Element) -> bool {
    matches!(tag, "figure" | "h1" | "img") || is_wp_caption(e)
}

fn is_wp_caption(e: &Element) -> bool {
    e.name() == "div"
        && e.attr("class")
            .is_some_and(|c| c.split_whitespace().any(|t| t == "wp-caption"))
}

fn hidden(e: &Element) -> bool {
    if e.attr("hidden").is_some() {
        return true;
    }
    if let Some(style) = e.attr("style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    matches!(
        e.attr("role")
            .map(|r| r.trim().to_ascii_lowercase())
            .as_deref(),
        Some(
            "navigation"
                | "banner"
                | "contentinfo"
                | "complementary"
                | "search"
                | "dialog"
                | "alertdialog"
        )
    )
}

/// Break emitted around a block element: 2 = paragraph, 1 = line, 0 = inline.
fn block_level(tag: &str) -> u8 {
    match tag {
        "p" | "div" | "section" | "article" | "main" | "blockquote" | "pre" | "h1" | "h2"
        | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "dl" | "table" | "hr" | "address"
        | "figure" | "header" | "footer" | "details" | "center" | "fieldset" | "body" | "html" => 2,
        "li" | "tr" | "dt" | "dd" | "summary" | "caption" | "thead" | "tbody" => 1,
        _ => 0,
    }
}

const CONTENT_CLASSES: &[&str] = &[
    "entry-content",
    "post-content",
    "article-body",
    "article-content",
    "article__body",
    "article__content",
    "articlebody",
    "story-body",
    "story-content",
    "post-body",
    "entry-body",
    "td-post-content",
];

fn is_strong_container(e: &Element, cls: &ClassInfo) -> bool {
    if e.attr("itemprop").is_some_and(|p| {
        p.split_whitespace()
            .any(|t| t.eq_ignore_ascii_case("articleBody"))
    }) {
        return true;
    }
    CONTENT_CLASSES
        .iter()
        .any(|c| cls.class_lc.split_whitespace().any(|t| t == *c))
}

/// Class/id evidence about an element.
struct ClassInfo {
    class_lc: String,
    strong_neg: bool,
    weak_neg: bool,
    pos: bool,
}

/// Always boilerplate, even inside an "article"-classed element.
const STRONG_EXACT: &[&str] = &[
    "ad",
    "ads",
    "adv",
    "adsbygoogle",
    "advertisement",
    "comment",
    "comments",
    "commentlist",
    "commentform",
    "respond",
    "rss",
    "pagination",
    "pager",
    "tags",
    "tagcloud",
    "bio",
    "skip",
];
/// Whole class names that hide an element. Matched whole because their parts are
/// innocent elsewhere: Bootstrap's `hidden-xs` only hides on small screens.
const HIDDEN_CLASSES: &[&str] = &[
    "hidden",
    "hide",
    "is-hidden",
    "d-none",
    "invisible",
    "sr-only",
    "screen-reader-text",
    "visually-hidden",
    "visuallyhidden",
];
const STRONG_STEM: &[&str] = &[
    "advert",
    "sponsor",
    "newsletter",
    "cookie",
    "sidebar",
    "share",
    "sharing",
    "social",
    "related",
    "promo",
    "subscri",
    "breadcrumb",
    "taboola",
    "outbrain",
    "disqus",
    "popup",
    "modal",
    "gdpr",
    "consent",
    "signup",
    "recommend",
    "trending",
    "popular",
];
/// Boilerplate unless a positive word also appears ("article-header" is kept out,
/// "content-header" too; "site-content" is kept in).
const WEAK_EXACT: &[&str] = &[
    "masthead",
    "menu",
    "nav",
    "banner",
    "byline",
    "author",
    "meta",
    "widget",
    "toolbar",
    "tools",
    "utility",
    "login",
    "search",
    "topbar",
    "extra",
    "supplemental",
    "community",
    "remark",
    "replies",
    "shoutbox",
    "skyscraper",
    "footnotes",
];
const WEAK_STEM: &[&str] = &["header", "footer", "navbar", "navigation", "subnav", "menu"];
const POS_EXACT: &[&str] = &["body", "text", "post", "hentry", "blog", "prose", "main"];
const POS_STEM: &[&str] = &["article", "content", "entry", "story"];

impl ClassInfo {
    fn of(e: &Element) -> Self {
        let mut class_lc = String::new();
        if let Some(c) = e.attr("class") {
            class_lc.push_str(&c.to_ascii_lowercase());
        }
        let mut all = class_lc.clone();
        if let Some(id) = e.attr("id") {
            all.push(' ');
            all.push_str(&id.to_ascii_lowercase());
        }
        let mut info = ClassInfo {
            class_lc,
            strong_neg: false,
            weak_neg: false,
            pos: false,
        };
        if all.is_empty() {
            return info;
        }
        if info
            .class_lc
            .split_whitespace()
            .any(|c| HIDDEN_CLASSES.contains(&c))
        {
            info.strong_neg = true;
        }
        for tok in all
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|t| !t.is_empty())
        {
            if STRONG_EXACT.contains(&tok) || STRONG_STEM.iter().any(|s| tok.starts_with(s)) {
                info.strong_neg = true;
            }
            if WEAK_EXACT.contains(&tok) || WEAK_STEM.iter().any(|s| tok.starts_with(s)) {
                info.weak_neg = true;
            }
            if POS_EXACT.contains(&tok) || POS_STEM.iter().any(|s| tok.starts_with(s)) {
                info.pos = true;
            }
        }
        info
    }

    fn drop(&self) -> bool {
        self.strong_neg || (self.weak_neg && !self.pos)
    }

    fn weight(&self) -> i8 {
        let mut w = 0;
        if self.pos {
            w += 25;
        }
        if self.strong_neg || self.weak_neg {
            w -= 25;
        }
        w
    }
}

/// Text output with HTML whitespace rules: runs collapse to one space, blocks
/// become line (`\n`) or paragraph (`\n\n`) breaks, never doubled.
#[derive(Default)]
struct Out {
    s: String,
    pending: u8,
    space: bool,
}

impl Out {
    fn flush(&mut self) {
        if self.pending > 0 {
            if !self.s.is_empty() {
                while self.s.ends_with(' ') {
                    self.s.pop();
                }
                let have = self.s.bytes().rev().take_while(|&b| b == b'\n').count() as u8;
                for _ in have..self.pending {
                    self.s.push('\n');
                }
            }
            self.pending = 0;
            self.space = false;
        } else if self.space {
            if !self.s.is_empty() && !self.s.ends_with('\n') && !self.s.ends_with(' ') {
                self.s.push(' ');
            }
            self.space = false;
        }
    }

    fn text(&mut self, t: &str) {
        for c in t.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
                self.space = true;
            } else {
                if self.pending > 0 || self.space {
                    self.flush();
                }
                self.s.push(c);
            }
        }
    }

    fn raw(&mut self, t: &str) {
        if t.is_empty() {
            return;
        }
        self.flush();
        self.s.push_str(&t.replace("\r\n", "\n"));
    }

    fn space(&mut self) {
        self.space = true;
    }

    fn br(&mut self) {
        self.pending = if self.pending >= 1 { 2 } else { 1 };
    }

    fn brk(&mut self, level: u8) {
        self.pending = self.pending.max(level);
    }

    fn finish(mut self) -> String {
        let end = self.s.trim_end().len();
        self.s.truncate(end);
        self.s
    }
}

/// Metadata candidates gathered in one pass, resolved by priority in [`MetaCollector::finish`].
#[derive(Default)]
struct MetaCollector {
    lang: Option<String>,
    metas: Vec<(String, String)>,
    title_tag: Option<String>,
    h1: Option<String>,
    canonical: Option<String>,
    rel_authors: Vec<String>,
    itemprop_authors: Vec<String>,
    itemprop_date: Option<String>,
    time_published: Option<String>,
    time_first: Option<String>,
    ld_headline: Option<String>,
    ld_date: Option<String>,
    ld_authors: Vec<String>,
    ld_publisher: Option<String>,
    ld_url: Option<String>,
    ld_lang: Option<String>,
    ld_body: Option<String>,
    /// Whether the JSON-LD fields came from an Article-type object (better than WebPage).
    ld_is_article: bool,
}

const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "BlogPosting",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "LiveBlogPosting",
    "Report",
    "SocialMediaPosting",
];

impl MetaCollector {
    fn meta(&self, key: &str) -> Option<&str> {
        self.metas
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn json_ld(&mut self, text: &str) {
        let t = text
            .trim()
            .trim_start_matches("<!--")
            .trim_end_matches("-->")
            .trim()
            .trim_end_matches(';');
        let Ok(v) = serde_json::from_str::<Value>(t) else {
            return;
        };
        // Walk objects breadth-first (bounded) to find the article among @graph etc.
        let mut queue = vec![&v];
        let mut seen = 0;
        while let Some(cur) = queue.pop() {
            seen += 1;
            if seen > 2000 {
                break;
            }
            match cur {
                Value::Array(a) => queue.extend(a.iter().rev()),
                Value::Object(o) => {
                    let types: Vec<&str> = match o.get("@type") {
                        Some(Value::String(s)) => vec![s.as_str()],
                        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
                        _ => vec![],
                    };
                    let is_article = types.iter().any(|t| ARTICLE_TYPES.contains(t));
                    let is_page = types.iter().any(|t| t.ends_with("WebPage"));
                    if (is_article && !self.ld_is_article)
                        || (is_page && self.ld_date.is_none() && !self.ld_is_article)
                    {
                        self.take_ld(o, is_article);
                    }
                    if let Some(g) = o.get("@graph") {
                        queue.push(g);
                    }
                }
                _ => {}
            }
        }
    }

    fn take_ld(&mut self, o: &serde_json::Map<String, Value>, is_article: bool) {
        let s = |k: &str| {
            o.get(k)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let headline = s("headline").or_else(|| if is_article { s("name") } else { None });
        let date = s("datePublished").or_else(|| s("dateCreated"));
        let mut authors = Vec::new();
        if let Some(a) = o.get("author").or_else(|| o.get("creator")) {
            ld_names(a, &mut authors);
        }
        let publisher = o.get("publisher").and_then(|p| {
            let mut names = Vec::new();
            ld_names(p, &mut names);
            names.into_iter().next()
        });
        let url = s("url").or_else(|| match o.get("mainEntityOfPage") {
            Some(Value::String(u)) => Some(u.clone()),
            Some(Value::Object(m)) => m.get("@id").and_then(Value::as_str).map(str::to_string),
            _ => None,
        });
        if is_article {
            self.ld_is_article = true;
            self.ld_headline = headline;
            self.ld_date = date;
            self.ld_authors = authors;
            self.ld_publisher = publisher;
            self.ld_url = url;
            self.ld_lang = s("inLanguage");
            self.ld_body = o
                .get("articleBody")
                .and_then(Value::as_str)
                .map(|b| b.trim().to_string())
                .filter(|b| !b.is_empty());
        } else {
            self.ld_headline = self.ld_headline.take().or(headline);
            self.ld_date = self.ld_date.take().or(date);
            if self.ld_authors.is_empty() {
                self.ld_authors = authors;
            }
            self.ld_publisher = self.ld_publisher.take().or(publisher);
            self.ld_lang = self.ld_lang.take().or_else(|| s("inLanguage"));
        }
    }

    fn finish(self) -> Metadata {
        let first = |keys: &[&str]| keys.iter().find_map(|k| self.meta(k)).map(str::to_string);
        let title = first(&["og:title", "twitter:title"])
            .or_else(|| self.ld_headline.clone())
            .or_else(|| self.title_tag.clone())
            .or_else(|| self.h1.clone())
            .map(|t| collapse_ws(&t));
        let meta_authors: Vec<String> = [
            "author",
            "article:author",
            "dc.creator",
            "dcterms.creator",
            "sailthru.author",
            "parsely-author",
            "byl",
        ]
        .iter()
        .filter_map(|k| self.meta(k))
        .flat_map(split_authors)
        .collect();
        let authors = [
            meta_authors,
            self.ld_authors.clone(),
            self.itemprop_authors.clone(),
            self.rel_authors.clone(),
        ]
        .into_iter()
        .map(|list| clean_authors(list.iter().map(String::as_str)))
        .find(|l| !l.is_empty())
        .unwrap_or_default();
        // First date candidate that parses wins; candidates in order of reliability.
        let date_candidates = [
            first(&["article:published_time", "og:article:published_time"]),
            self.ld_date.clone(),
            self.itemprop_date.clone(),
            first(&["datepublished"]),
            self.time_published.clone(),
            first(&[
                "date",
                "pubdate",
                "publishdate",
                "publish-date",
                "publish_date",
                "dc.date",
                "dc.date.issued",
                "dc.date.created",
                "dcterms.date",
                "dcterms.issued",
                "dcterms.created",
                "sailthru.date",
                "parsely-pub-date",
                "article.published",
                "original-publish-date",
            ]),
            self.time_first.clone(),
        ];
        let published = date_candidates
            .iter()
            .flatten()
            .find(|d| crate::date::parse_date(d).is_some())
            .or_else(|| date_candidates.iter().flatten().next())
            .cloned();
        let canonical = self
            .canonical
            .clone()
            .filter(|c| !c.is_empty())
            .or_else(|| first(&["og:url"]))
            .or_else(|| self.ld_url.clone());
        let publisher = first(&["og:site_name"])
            .or_else(|| self.ld_publisher.clone())
            .or_else(|| first(&["dc.publisher", "application-name"]));
        let language = self
            .lang
            .clone()
            .filter(|l| !l.trim().is_empty())
            .or_else(|| first(&["content-language", "dc.language", "language"]))
            .or_else(|| self.ld_lang.clone())
            .or_else(|| first(&["og:locale"]).map(|l| l.replace('_', "-")))
            .map(|l| l.trim().to_string());
        Metadata {
            title: title.filter(|t| !t.is_empty()),
            authors,
            url: canonical.clone(),
            canonical_url: canonical,
            publisher: publisher.map(|p| collapse_ws(&p)),
            published,
            language,
            ..Default::default()
        }
    }
}

/// Names in a JSON-LD `author`/`publisher` value: a string, a Person/Organization, or a list.
fn ld_names(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.extend(split_authors(s)),
        Value::Object(o) => {
            if let Some(n) = o.get("name").and_then(Value::as_str) {
                out.push(n.to_string());
            }
        }
        Value::Array(a) => {
            for x in a.iter().take(50) {
                if !matches!(x, Value::Array(_)) {
                    ld_names(x, out);
                }
            }
        }
        _ => {}
    }
}

/// Split "Jane Doe and John Roe" / "Jane Doe; John Roe" / "Jane Doe, John Roe".
pub(crate) fn split_authors(s: &str) -> Vec<String> {
    let parts: Vec<&str> = s
        .split([';', '|'])
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split(" & "))
        .collect();
    let mut out = Vec::new();
    for p in parts {
        let commas: Vec<&str> = p
            .split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .collect();
        // "Doe, Jane" is one name; "Jane Doe, John Roe" is two.
        if commas.len() > 1 && commas.iter().all(|c| c.contains(' ')) {
            out.extend(commas.into_iter().map(str::to_string));
        } else {
            out.push(p.trim().to_string());
        }
    }
    out
}

/// Drop URLs, "By " prefixes, blanks and duplicates.
pub(crate) fn clean_authors<'s>(names: impl Iterator<Item = &'s str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        let mut n = collapse_ws(n);
        for prefix in ["By ", "by ", "BY "] {
            if let Some(rest) = n.strip_prefix(prefix) {
                n = rest.trim().to_string();
            }
        }
        if n.is_empty() || n.contains("://") || n.starts_with("www.") || n.len() > 120 {
            continue;
        }
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&n)) {
            out.push(n);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_breaks() {
        let e = extract(
            "<html><body><div class='story'><p>First   para,\n with text that is long enough to count.</p>\
             <p>Second<br>line two of the second paragraph, long enough.</p></div></body></html>",
            Mode::Page,
        );
        assert_eq!(
            e.text,
            "First para, with text that is long enough to count.\n\nSecond\nline two of the second paragraph, long enough."
        );
    }

    #[test]
    fn boilerplate_is_dropped_and_article_kept() {
        let html = r#"<html lang="en"><head><title>T | Site</title>
            <meta property="og:title" content="Talks resume">
            <script>var x = "<p>not text</p>";</script></head>
            <body><nav><a href="/">Home</a></nav>
            <div class="sidebar"><p>Most read: something else entirely, a long teaser line.</p></div>
            <article><header><h1>Talks resume</h1></header>
            <p>Negotiators met on Monday in Geneva, officials said, to restart talks.</p>
            <div class="share-buttons">Share on Facebook</div>
            <p>The talks had stalled in March after a dispute over prisoners.</p>
            <figure><img src="a.jpg"><figcaption>Delegates arrive in Geneva.</figcaption></figure>
            </article>
            <footer>Copyright</footer></body></html>"#;
        let e = extract(html, Mode::Page);
        assert!(e.text.starts_with("Negotiators met"), "{}", e.text);
        assert!(e.text.contains("\n\nThe talks had stalled"));
        for bad in [
            "Home",
            "Most read",
            "Share",
            "Copyright",
            "not text",
            "Delegates",
        ] {
            assert!(!e.text.contains(bad), "{bad} in {}", e.text);
        }
        assert_eq!(e.meta.title.as_deref(), Some("Talks resume"));
        assert_eq!(e.meta.language.as_deref(), Some("en"));
        assert_eq!(e.meta.captions.len(), 1);
        assert_eq!(e.meta.captions[0].text, "Delegates arrive in Geneva.");
        assert_eq!(e.meta.captions[0].image_url.as_deref(), Some("a.jpg"));
    }

    #[test]
    fn readability_picks_dense_block() {
        let mut html = String::from("<html><body><div id='top'><a href='/a'>Link one</a> <a href='/b'>Link two</a></div><div id='x'>");
        for i in 0..5 {
            html.push_str(&format!("<p>Paragraph {i} reports that troops, police and officials met again, as planned.</p>"));
        }
        html.push_str("</div><div><ul><li><a href='/c'>Other story with a long link title here</a></li></ul></div></body></html>");
        let e = extract(&html, Mode::Page);
        assert!(e.text.starts_with("Paragraph 0"), "{}", e.text);
        assert!(!e.text.contains("Link one"));
        assert!(!e.text.contains("Other story"));
    }

    #[test]
    fn relaxed_retry_when_wrapper_has_sidebar_class() {
        let html = "<body><div class='layout-with-sidebar'><p>Protesters gathered outside parliament on Tuesday, demanding the resignation of the interior minister over the police response.</p><p>Police said 12 people were detained.</p></div></body>";
        let e = extract(html, Mode::Page);
        assert!(e.text.contains("Protesters gathered"), "{}", e.text);
    }

    #[test]
    fn json_ld_metadata() {
        let html = r#"<html><head><script type="application/ld+json">
            {"@context":"https://schema.org","@graph":[{"@type":"WebPage","name":"x"},
             {"@type":"NewsArticle","headline":"Ceasefire holds","datePublished":"2019-04-02T08:00:00+03:00",
              "author":[{"@type":"Person","name":"Amal Haddad"},{"@type":"Person","name":"Tom Reed"}],
              "publisher":{"@type":"Organization","name":"The Daily Ledger"}}]}
            </script></head><body><p>Body text here that is long enough to be a paragraph.</p></body></html>"#;
        let e = extract(html, Mode::Page);
        assert_eq!(e.meta.title.as_deref(), Some("Ceasefire holds"));
        assert_eq!(e.meta.authors, vec!["Amal Haddad", "Tom Reed"]);
        assert_eq!(e.meta.publisher.as_deref(), Some("The Daily Ledger"));
        assert_eq!(
            e.meta.published.as_deref(),
            Some("2019-04-02T08:00:00+03:00")
        );
    }

    #[test]
    fn authors_are_split_and_cleaned() {
        assert_eq!(
            split_authors("Jane Doe and John Roe"),
            vec!["Jane Doe", "John Roe"]
        );
        assert_eq!(split_authors("Doe, Jane"), vec!["Doe, Jane"]);
        assert_eq!(
            split_authors("Jane Doe, John Roe"),
            vec!["Jane Doe", "John Roe"]
        );
        let c =
            clean_authors(["By Jane Doe", "https://facebook.com/x", "jane doe", ""].into_iter());
        assert_eq!(c, vec!["Jane Doe"]);
    }

    #[test]
    fn fragment_keeps_everything_but_boilerplate() {
        let e = extract(
            "<p>One &amp; two.</p><div class='sharedaddy'>Share this</div><p>Three</p>",
            Mode::Fragment,
        );
        assert_eq!(e.text, "One & two.\n\nThree");
        assert_eq!(
            fragment_plain("A &lt;b&gt; <b>bold</b>  title"),
            "A <b> bold title"
        );
    }

    #[test]
    fn depth_limit_keeps_text_and_shallow_pages() {
        let shallow = format!("<div>{}</div>", "<p>para<br>".repeat(600));
        assert!(matches!(prepare(&shallow), Cow::Borrowed(_)));
        let deep = format!(
            "<script>if (a<b) x();</script>{}text{}",
            "<div>".repeat(600),
            "</DIV>".repeat(600)
        );
        let limited = prepare(&deep);
        assert_eq!(limited.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(limited.matches("</DIV>").count(), MAX_DEPTH);
        assert!(limited.contains("text") && limited.contains("<script></script>"));
        let scripts =
            "<head><script type='application/ld+json'>{\"a\":1}</script><STYLE>p{}</style>\
            <script src=x></script></head><body><script>var s = '</div>';</SCRIPT>Body</body>";
        assert_eq!(
            prepare(scripts),
            "<head><script type='application/ld+json'>{\"a\":1}</script><STYLE></style>\
            <script src=x></script></head><body><script></SCRIPT>Body</body>"
        );
    }

    #[test]
    fn hostile_nesting_is_linear_and_safe() {
        let n = 50_000;
        let start = std::time::Instant::now();
        let deep = format!(
            "{}Deeply nested text.{}",
            "<div>".repeat(n),
            "</div>".repeat(n)
        );
        assert_eq!(extract(&deep, Mode::Page).text, "Deeply nested text.");
        let formatting = format!("<p>{}bold</p>", "<b><i><u>".repeat(n / 3));
        assert!(extract(&formatting, Mode::Page).text.contains("bold"));
        let tables = format!("{}cell", "<table><tr><td>".repeat(2_000));
        assert!(extract(&tables, Mode::Page).text.contains("cell"));
        // Generous bound for a debug build on a busy machine; quadratic behaviour
        // at these sizes would take minutes.
        assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
    }

    #[test]
    fn old_table_layout_and_br_paragraphs() {
        let html = "<html><body><table><tr><td class='nav'><a href='/'>Home</a><br><a href='/w'>World</a></td>\
            <td><font size=2><b>LAGOS, May 2</b> - Gunmen kidnapped 12 students from a school in northern Nigeria on Tuesday, police said, the third such attack this month.<br><br>\
            The students were taken from their dormitory at night, a police spokesman said, adding that troops had been sent to the area.<br><br>\
            No group has claimed responsibility.</font></td></tr></table></body></html>";
        let e = extract(html, Mode::Page);
        assert!(
            e.text.starts_with("LAGOS, May 2 - Gunmen kidnapped"),
            "{}",
            e.text
        );
        assert!(e.text.contains("this month.\n\nThe students"), "{}", e.text);
        assert!(!e.text.contains("Home"));
    }

    #[test]
    fn article_body_itemprop_wins_and_drops_inner_ads() {
        let html = "<body><div class='teasers'><article><p>Teaser one about something else entirely, quite long indeed.</p></article></div>\
            <div itemprop='articleBody'><p>Rebels seized the town of Goma on Tuesday after days of fighting with the army, residents said.</p>\
            <div class='advertisement'>Buy now</div><p>The United Nations called for an immediate ceasefire.</p></div></body>";
        let e = extract(html, Mode::Page);
        assert_eq!(
            e.text,
            "Rebels seized the town of Goma on Tuesday after days of fighting with the army, residents said.\n\nThe United Nations called for an immediate ceasefire."
        );
    }

    #[test]
    fn metadata_fallbacks() {
        let html = "<html><head><title>Plain title</title><meta name='dc.date' content='2016-07-15'>\
            <meta property='og:url' content='https://x.example/a'></head><body>\
            <p>By <span itemprop='author'>Ana Ruiz</span></p><p>Some body text that is long enough.</p></body></html>";
        let e = extract(html, Mode::Page);
        assert_eq!(e.meta.title.as_deref(), Some("Plain title"));
        assert_eq!(e.meta.published.as_deref(), Some("2016-07-15"));
        assert_eq!(e.meta.canonical_url.as_deref(), Some("https://x.example/a"));
        assert_eq!(e.meta.authors, vec!["Ana Ruiz"]);
        let e = extract("<body><h1>Only heading</h1><time datetime='2020-01-02'>Jan 2</time><p>Text here.</p></body>", Mode::Page);
        assert_eq!(e.meta.title.as_deref(), Some("Only heading"));
        assert_eq!(e.meta.published.as_deref(), Some("2020-01-02"));
    }

    #[test]
    fn link_blocks_and_json_ld_body() {
        let html = "<article><p>Officials in Lima said the protests had ended peacefully on Sunday night.</p>\
            <p><strong>Read more:</strong> <a href='/x'>Peru's congress votes to remove the president</a></p>\
            <p>Police said 20 people were arrested.</p></article>";
        let e = extract(html, Mode::Page);
        assert!(!e.text.contains("Read more"), "{}", e.text);
        assert!(e.text.contains("20 people were arrested"));
        let spa = r#"<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"H",
            "articleBody":"Flooding displaced thousands in Bangladesh on Monday, officials said."}</script></head>
            <body><div id="root"></div><script>render()</script></body></html>"#;
        let e = extract(spa, Mode::Page);
        assert_eq!(
            e.text,
            "Flooding displaced thousands in Bangladesh on Monday, officials said."
        );
    }

    #[test]
    fn hiding_classes_match_whole_names() {
        let html = "<body><div class='hidden-xs col-md-8'><p>Troops withdrew from the town of Kidal on Friday, the defence ministry said in a statement.</p>\
            <span class='screen-reader-text'>Opens in a new window</span><div class='hidden'>Secret</div></div></body>";
        let e = extract(html, Mode::Page);
        assert!(e.text.starts_with("Troops withdrew"), "{}", e.text);
        assert!(
            !e.text.contains("Opens in") && !e.text.contains("Secret"),
            "{}",
            e.text
        );
    }

    #[test]
    fn pre_keeps_whitespace() {
        let e = extract(
            "<div><pre>a  b\n  c</pre><p>after</p></div>",
            Mode::Fragment,
        );
        assert_eq!(e.text, "a  b\n  c\n\nafter");
    }
}
