//! The scanner's lexer: a source split into text, tags, raw blocks and legacy placeholders, with
//! Jinja's whitespace control applied.

use super::TagKind;

#[derive(Debug)]
pub(super) enum Tok {
    Text(usize, usize),
    Tag {
        kind: TagKind,
        start: usize,
        end: usize,
        inner: (usize, usize),
        trim_left: bool,
        trim_right: bool,
    },
    Raw {
        open: (usize, usize),
        content: (usize, usize),
        close: (usize, usize),
        trim_left: bool,
        trim_right: bool,
        /// `{%- raw` and `endraw -%}`: whitespace control on the text around the block.
        outer_left: bool,
        outer_right: bool,
    },
    Legacy(usize, usize),
    /// Newlines removed by whitespace control, kept in a comment for line numbering.
    KeptNewlines(usize),
}

/// Splits a source into text, tags, raw blocks and legacy placeholders. Unclosed tags end the scan
/// as text: the original source is compiled first, so such a source never gets here to render.
pub(super) fn tokenize(text: &str) -> Vec<Tok> {
    let b = text.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0;
    let mut text_start = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'{' && i + 1 < b.len() && matches!(b[i + 1], b'{' | b'%' | b'#') {
            let kind = match b[i + 1] {
                b'{' => TagKind::Expr,
                b'%' => TagKind::Stmt,
                _ => TagKind::Comment,
            };
            let Some(tag) = read_tag(b, i, kind) else {
                break;
            };
            if text_start < i {
                toks.push(Tok::Text(text_start, i));
            }
            let (inner, end, trim_left, trim_right) = tag;
            if kind == TagKind::Stmt
                && text[inner.0..inner.1].trim() == "raw"
                && let Some((content_end, close_end, close_trim_left, close_trim_right)) =
                    find_endraw(b, end)
            {
                let close_start = content_end;
                toks.push(Tok::Raw {
                    open: (i, end),
                    content: (end, content_end),
                    close: (close_start, close_end),
                    trim_left: trim_right,
                    trim_right: close_trim_left,
                    outer_left: trim_left,
                    outer_right: close_trim_right,
                });
                i = close_end;
                text_start = i;
                continue;
            }
            toks.push(Tok::Tag {
                kind,
                start: i,
                end,
                inner,
                trim_left,
                trim_right,
            });
            i = end;
            text_start = i;
            continue;
        }
        if c == b'%'
            && i + 1 < b.len()
            && b[i + 1] == b'%'
            && let Some(end) = read_legacy(b, i)
        {
            if text_start < i {
                toks.push(Tok::Text(text_start, i));
            }
            toks.push(Tok::Legacy(i, end));
            i = end;
            text_start = i;
            continue;
        }
        i += 1;
    }
    if text_start < b.len() {
        toks.push(Tok::Text(text_start, b.len()));
    }
    toks
}

/// Reads a tag starting at `start` (`{{`, `{%` or `{#`). Returns the inner range (without `-`/`+`
/// markers), the end offset, and whether it trims whitespace on its left and right.
#[allow(clippy::type_complexity)]
fn read_tag(b: &[u8], start: usize, kind: TagKind) -> Option<((usize, usize), usize, bool, bool)> {
    let close: &[u8] = match kind {
        TagKind::Expr => b"}}",
        TagKind::Stmt => b"%}",
        TagKind::Comment => b"#}",
    };
    let mut i = start + 2;
    let mut inner_start = i;
    let mut trim_left = false;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        trim_left = b[i] == b'-';
        i += 1;
        inner_start = i;
    }
    let mut quote: Option<u8> = None;
    while i + 1 < b.len() || (i < b.len() && quote.is_some()) {
        let c = b[i];
        if let Some(q) = quote {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        if kind != TagKind::Comment && (c == b'"' || c == b'\'') {
            quote = Some(c);
            i += 1;
            continue;
        }
        if c == close[0] && b[i + 1] == close[1] {
            let mut inner_end = i;
            let mut trim_right = false;
            if inner_end > inner_start && (b[inner_end - 1] == b'-' || b[inner_end - 1] == b'+') {
                trim_right = b[inner_end - 1] == b'-';
                inner_end -= 1;
            }
            return Some(((inner_start, inner_end), i + 2, trim_left, trim_right));
        }
        i += 1;
    }
    None
}

/// Finds `{% endraw %}` after a raw block's opening tag. Returns the content end, the end of the
/// closing tag and its trim markers.
fn find_endraw(b: &[u8], from: usize) -> Option<(usize, usize, bool, bool)> {
    let mut i = from;
    while i + 1 < b.len() {
        if b[i] == b'{'
            && b[i + 1] == b'%'
            && let Some(((s, e), end, tl, tr)) = read_tag(b, i, TagKind::Stmt)
            && std::str::from_utf8(&b[s..e]).is_ok_and(|t| t.trim() == "endraw")
        {
            return Some((i, end, tl, tr));
        }
        i += 1;
    }
    None
}

/// A legacy placeholder `%%NAME%%`: an upper-case identifier on one line.
fn read_legacy(b: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 2;
    if i >= b.len() || !b[i].is_ascii_uppercase() {
        return None;
    }
    while i < b.len() && (b[i].is_ascii_uppercase() || b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    if i + 1 < b.len() && b[i] == b'%' && b[i + 1] == b'%' {
        Some(i + 2)
    } else {
        None
    }
}

/// Applies `{%-`/`-%}` whitespace control to the neighbouring text, as Jinja does, so the
/// instrumented source (which has no trim markers) renders the same text.
pub(super) fn apply_trims(text: &str, mut toks: Vec<Tok>) -> Vec<Tok> {
    let b = text.as_bytes();
    let n = toks.len();
    for i in 0..n {
        let (tl, tr) = match &toks[i] {
            Tok::Tag {
                trim_left,
                trim_right,
                ..
            } => (*trim_left, *trim_right),
            Tok::Raw {
                outer_left,
                outer_right,
                ..
            } => (*outer_left, *outer_right),
            _ => (false, false),
        };
        if tl
            && i > 0
            && let Tok::Text(s, e) = &mut toks[i - 1]
        {
            while *e > *s && b[*e - 1].is_ascii_whitespace() {
                *e -= 1;
            }
        }
        if tr
            && i + 1 < n
            && let Tok::Text(s, e) = &mut toks[i + 1]
        {
            while *s < *e && b[*s].is_ascii_whitespace() {
                *s += 1;
            }
        }
        if let Tok::Raw {
            content,
            trim_left,
            trim_right,
            ..
        } = &mut toks[i]
        {
            if *trim_left {
                while content.0 < content.1 && b[content.0].is_ascii_whitespace() {
                    content.0 += 1;
                }
            }
            if *trim_right {
                while content.1 > content.0 && b[content.1 - 1].is_ascii_whitespace() {
                    content.1 -= 1;
                }
            }
        }
    }
    // Whitespace removed by trimming may hold newlines: keep them as comments so the line count
    // of the instrumented source matches the original.
    let mut with_kept_lines = Vec::with_capacity(toks.len());
    let mut cursor = 0usize;
    for t in toks {
        let (s, _) = match &t {
            Tok::Text(s, e) => (*s, *e),
            Tok::Tag { start, end, .. } => (*start, *end),
            Tok::Raw { open, close, .. } => (open.0, close.1),
            Tok::Legacy(s, e) => (*s, *e),
            Tok::KeptNewlines(_) => (cursor, cursor),
        };
        if s > cursor && b[cursor..s].contains(&b'\n') {
            let nl = b[cursor..s].iter().filter(|c| **c == b'\n').count();
            with_kept_lines.push(Tok::KeptNewlines(nl));
        }
        cursor = match &t {
            Tok::Text(_, e) => *e,
            Tok::Tag { end, .. } => *end,
            Tok::Raw { close, .. } => close.1,
            Tok::Legacy(_, e) => *e,
            Tok::KeptNewlines(_) => cursor,
        };
        with_kept_lines.push(t);
    }
    with_kept_lines
}
