//! Markdown with value tokens: parsing with comrak, mapping output positions back to template
//! positions, putting values into the syntax tree, and writing HTML and Markdown.

use std::cell::RefCell;

use comrak::nodes::{Ast, AstNode, NodeValue, Sourcepos};
use comrak::{Arena, Options};

use crate::token::{self, find_tokens};

pub use crate::template::source::Pos;

#[derive(Debug, Clone, Copy)]
struct Anchor {
    md_col: u32,
    pos: Pos,
}

/// A placeholder's extent, for anchoring columns around its token.
#[derive(Debug, Clone, Copy)]
pub struct SiteSpan {
    /// Index of the source file.
    pub file: u32,
    /// 1-based line.
    pub line: u32,
    /// 1-based column where the placeholder starts.
    pub column: u32,
    /// 1-based column where it ends.
    pub end_column: u32,
}

/// One Markdown text built from the rendered output, with some tokens kept and others removed,
/// and the map from its positions to template positions.
pub struct Variant {
    /// The Markdown.
    pub md: String,
    /// Where each output line starts in the template.
    line_starts: Vec<Pos>,
    /// Column anchors around tokens: (0-based output line, anchor), in output order.
    anchors: Vec<(usize, Anchor)>,
    /// For each output line, the line of the main template it belongs to (includes map to the
    /// nearest line of the main template before them).
    main_lines: Vec<u32>,
}

impl Variant {
    /// Builds a variant of `rendered`: tokens for which `keep` is false are removed.
    pub fn build(
        rendered: &str,
        lines: &[(u32, u32)],
        spans: &[SiteSpan],
        keep: impl Fn(usize) -> bool,
    ) -> Variant {
        let mut md = String::with_capacity(rendered.len());
        let mut anchors = Vec::new();
        let (mut line_idx, mut line_start, mut last) = (0usize, 0usize, 0usize);
        for t in find_tokens(rendered) {
            let seg = &rendered[last..t.start];
            if let Some(p) = seg.rfind('\n') {
                line_idx += seg.bytes().filter(|b| *b == b'\n').count();
                line_start = md.len() + p + 1;
            }
            md.push_str(seg);
            last = t.end;
            let Some(s) = spans.get(t.index).copied() else {
                continue;
            };
            let at = |md: &String| (md.len() - line_start) as u32 + 1;
            if keep(t.index) {
                let pos = Pos {
                    file: s.file,
                    line: s.line,
                    col: s.column,
                };
                anchors.push((
                    line_idx,
                    Anchor {
                        md_col: at(&md),
                        pos,
                    },
                ));
                md.push_str(&rendered[t.start..t.end]);
            }
            let pos = Pos {
                file: s.file,
                line: s.line,
                col: s.end_column,
            };
            anchors.push((
                line_idx,
                Anchor {
                    md_col: at(&md),
                    pos,
                },
            ));
        }
        md.push_str(&rendered[last..]);
        let count = md.bytes().filter(|b| *b == b'\n').count() + 1;
        let mut line_starts = Vec::with_capacity(count);
        let mut main_lines = Vec::with_capacity(count);
        let mut last_main = lines.first().map_or(1, |l| l.1);
        for i in 0..count {
            let (file, line) = lines.get(i).or(lines.last()).copied().unwrap_or((0, 1));
            if file <= 1 {
                last_main = line;
            }
            main_lines.push(last_main);
            line_starts.push(Pos { file, line, col: 1 });
        }
        Variant {
            md,
            line_starts,
            anchors,
            main_lines,
        }
    }

    /// The template position of a 1-based output line and byte column.
    pub fn locate(&self, md_line: usize, md_col: usize) -> Pos {
        let i = md_line.saturating_sub(1);
        let Some(start) = self.line_starts.get(i).copied() else {
            return Pos {
                file: 0,
                line: self.main_lines.last().copied().unwrap_or(1),
                col: 1,
            };
        };
        let c = md_col.max(1) as u32;
        let from = self.anchors.partition_point(|(l, _)| *l < i);
        let to = self.anchors.partition_point(|(l, _)| *l <= i);
        // A line's anchors are in output order, so by column: the last one at or before `c`.
        let on_line = &self.anchors[from..to];
        let k = on_line.partition_point(|(_, a)| a.md_col <= c);
        let anchor = k.checked_sub(1).map(|k| on_line[k].1).unwrap_or(Anchor {
            md_col: 1,
            pos: start,
        });
        Pos {
            col: anchor.pos.col + (c - anchor.md_col),
            ..anchor.pos
        }
    }

    /// The main-template line of a 1-based output line.
    pub fn main_line(&self, md_line: usize) -> u32 {
        self.main_lines
            .get(md_line.saturating_sub(1))
            .or(self.main_lines.last())
            .copied()
            .unwrap_or(1)
    }
}

/// comrak options for notices: GFM tables, strikethrough and autolinks, heading ids. Raw HTML is
/// never passed through: the renderer removes template HTML from the tree itself, so the only
/// HTML in the tree is the renderer's own markup (`unsafe` lets that through).
pub fn options(sourcepos: bool) -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    o.extension.header_id_prefix = Some(String::new());
    o.render.r#unsafe = true;
    o.render.sourcepos = sourcepos;
    o
}

/// Parses a variant.
pub fn parse<'a>(arena: &'a Arena<'a>, v: &Variant) -> &'a AstNode<'a> {
    comrak::parse_document(arena, &v.md, &options(false))
}

/// A run of emphasis delimiters left as literal text.
#[derive(Debug, Clone, Copy)]
pub struct Stray {
    /// 1-based line in the Markdown.
    pub md_line: usize,
    /// 1-based byte column in the Markdown.
    pub md_col: usize,
    /// Length of the run in bytes.
    pub len: usize,
    /// The delimiter character.
    pub ch: char,
    /// Part of an identifier (`_pk_ref`, `__cfduid`) or a blank to fill in (`______`): CommonMark
    /// prints it as written, and nobody meant emphasis.
    pub literal: bool,
    /// Opens a word (`*word` with no partner): evidently meant as emphasis.
    pub opens_word: bool,
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || (!c.is_ascii() && !c.is_alphanumeric() && !c.is_whitespace() && !token::is_reserved(c))
}

/// Delimiter runs (`*`, `**`, `_`, `__`) that the parser left as text although they could open or
/// close emphasis (a run of exactly two delimiters always counts, `**` as `__`: printed, they are
/// never intended). Backslash-escaped delimiters are intended and not reported. Runs inside an
/// identifier or forming a blank are returned marked [`Stray::literal`].
pub fn strays<'a>(root: &'a AstNode<'a>, v: &Variant) -> Vec<Stray> {
    let mut lines: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    if !v.md.contains(['*', '_']) {
        return out;
    }
    lines.extend(v.md.split('\n'));
    for node in root.descendants() {
        let data = node.data.borrow();
        let NodeValue::Text(lit) = &data.value else {
            continue;
        };
        // Only the part up to the last delimiter needs walking.
        let Some(last) = lit
            .as_bytes()
            .iter()
            .rposition(|b| *b == b'*' || *b == b'_')
        else {
            continue;
        };
        let lit = &lit[..=last];
        let sp = data.sourcepos;
        let Some(line) = lines.get(sp.start.line.saturating_sub(1)) else {
            continue;
        };
        let start = sp.start.column.saturating_sub(1);
        let runs = if line.get(start..).is_some_and(|rest| rest.starts_with(lit)) {
            // The text is the source verbatim (no escapes or entities): offsets map directly.
            delimiter_runs(lit.bytes().enumerate().map(|(i, b)| (b, start + i, false)))
        } else {
            delimiter_runs(walk_source(lit, line, start).into_iter())
        };
        for (ch, s, e) in runs {
            let prev = line[..s].chars().next_back();
            let next = line[e..].chars().next();
            let ws = |c: Option<char>| c.is_none_or(char::is_whitespace);
            let punct = |c: Option<char>| c.is_some_and(is_punct);
            let left = !ws(next) && (!punct(next) || ws(prev) || punct(prev));
            let right = !ws(prev) && (!punct(prev) || ws(next) || punct(next));
            let could = if ch == '*' {
                left || right
            } else {
                (left && (!right || punct(prev))) || (right && (!left || punct(next)))
            };
            let len = e - s;
            let double = if ch == '*' { len >= 2 } else { len == 2 };
            if could || double {
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
                out.push(Stray {
                    md_line: sp.start.line,
                    md_col: s + 1,
                    len,
                    ch,
                    literal: ch == '_'
                        && (identifier_around(line, s, e)
                            || (len >= 3 && !word(prev) && !word(next))),
                    opens_word: ws(prev) && word(next),
                });
            }
        }
    }
    out
}

/// True when the `_` run at `line[s..e]` belongs to an identifier: the word of letters, digits and
/// underscores around it holds a letter or digit and does not both start and end with `_` (which
/// would be emphasis that failed to pair).
fn identifier_around(line: &str, s: usize, e: usize) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let start = line[..s]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(s, |(i, _)| i);
    let end = line[e..]
        .char_indices()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(e, |(i, c)| e + i + c.len_utf8());
    let w = &line[start..end];
    w.chars().any(char::is_alphanumeric) && !(w.starts_with('_') && w.ends_with('_'))
}

/// Maps each character of a text node's literal to its byte offset in the source line, noting
/// characters that were backslash-escaped or written as entities. Stops where it loses track.
fn walk_source(lit: &str, line: &str, start: usize) -> Vec<(u8, usize, bool)> {
    let mut out = Vec::new();
    let mut j = start;
    for c in lit.chars() {
        let rest = line.get(j..).unwrap_or("");
        let (pos, escaped, step) = if rest.starts_with(c) {
            (j, false, c.len_utf8())
        } else if rest.starts_with('\\') && rest[1..].starts_with(c) {
            (j + 1, true, 1 + c.len_utf8())
        } else if rest.starts_with('&') {
            match rest.find(';') {
                Some(semi) => (j, true, semi + 1),
                None => break,
            }
        } else {
            break;
        };
        j += step;
        let b = if c.is_ascii() { c as u8 } else { 0 };
        out.push((b, pos, escaped));
    }
    out
}

/// Runs of the same unescaped delimiter (`*` or `_`) at consecutive offsets: (char, start, end).
fn delimiter_runs(chars: impl Iterator<Item = (u8, usize, bool)>) -> Vec<(char, usize, usize)> {
    let mut runs = Vec::new();
    let mut run: Option<(char, usize, usize)> = None;
    for (b, pos, escaped) in chars {
        if (b == b'*' || b == b'_') && !escaped {
            let c = b as char;
            match &mut run {
                Some((rc, _, end)) if *rc == c && *end == pos => *end = pos + 1,
                _ => {
                    if let Some(r) = run.take() {
                        runs.push(r);
                    }
                    run = Some((c, pos, pos + 1));
                }
            }
        } else if let Some(r) = run.take() {
            runs.push(r);
        }
    }
    if let Some(r) = run.take() {
        runs.push(r);
    }
    runs
}

/// Plain text of a node's subtree (text, code and line breaks as spaces).
pub fn plain_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut s = String::new();
    for d in node.descendants() {
        match &d.data.borrow().value {
            NodeValue::Text(t) => s.push_str(t),
            NodeValue::Code(c) => s.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => s.push(' '),
            _ => {}
        }
    }
    s
}

/// Allocates a new node.
pub fn new_node<'a>(arena: &'a Arena<'a>, value: NodeValue, sp: Sourcepos) -> &'a AstNode<'a> {
    arena.alloc(AstNode::new(RefCell::new(Ast::new_with_sourcepos(
        value, sp,
    ))))
}
