//! Markdown with value tokens: parsing with comrak, mapping output positions back to template
//! positions, putting values into the syntax tree, and writing HTML and Markdown.

use std::cell::RefCell;

use comrak::nodes::{Ast, AstNode, LineColumn, NodeValue, Sourcepos};
use comrak::{Arena, Options};

use super::token::{self, find_tokens};

/// A position in a source file: file index, 1-based line, 1-based byte column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub file: u32,
    pub line: u32,
    pub col: u32,
}

#[derive(Debug, Clone, Copy)]
struct Anchor {
    md_col: u32,
    pos: Pos,
}

/// A placeholder's extent, for anchoring columns around its token.
#[derive(Debug, Clone, Copy)]
pub struct SiteSpan {
    pub file: u32,
    pub line: u32,
    pub column: u32,
    pub end_column: u32,
}

/// One Markdown text built from the rendered output, with some tokens kept and others removed,
/// and the map from its positions to template positions.
pub struct Variant {
    pub md: String,
    anchors: Vec<Vec<Anchor>>,
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
        let mut main_lines = Vec::new();
        let mut last_main = lines.first().map_or(1, |l| l.1);
        for (i, line) in rendered.split('\n').enumerate() {
            if i > 0 {
                md.push('\n');
            }
            let (file, tline) = lines.get(i).or(lines.last()).copied().unwrap_or((0, 1));
            if file <= 1 {
                last_main = tline;
            }
            main_lines.push(last_main);
            let line_start = md.len();
            let mut a = vec![Anchor {
                md_col: 1,
                pos: Pos {
                    file,
                    line: tline,
                    col: 1,
                },
            }];
            let mut last = 0;
            for t in find_tokens(line) {
                md.push_str(&line[last..t.start]);
                let here = (md.len() - line_start) as u32 + 1;
                let span = spans.get(t.index).copied();
                if keep(t.index) {
                    if let Some(s) = span {
                        a.push(Anchor {
                            md_col: here,
                            pos: Pos {
                                file: s.file,
                                line: s.line,
                                col: s.column,
                            },
                        });
                    }
                    md.push_str(&line[t.start..t.end]);
                }
                if let Some(s) = span {
                    a.push(Anchor {
                        md_col: (md.len() - line_start) as u32 + 1,
                        pos: Pos {
                            file: s.file,
                            line: s.line,
                            col: s.end_column,
                        },
                    });
                }
                last = t.end;
            }
            md.push_str(&line[last..]);
            anchors.push(a);
        }
        Variant {
            md,
            anchors,
            main_lines,
        }
    }

    /// The template position of a 1-based output line and byte column.
    pub fn locate(&self, md_line: usize, md_col: usize) -> Pos {
        let Some(a) = self.anchors.get(md_line.saturating_sub(1)) else {
            return Pos {
                file: 0,
                line: self.main_lines.last().copied().unwrap_or(1),
                col: 1,
            };
        };
        let c = md_col.max(1) as u32;
        let anchor = a
            .iter()
            .rev()
            .find(|x| x.md_col <= c)
            .or(a.first())
            .copied();
        match anchor {
            Some(x) => Pos {
                col: x.pos.col + (c - x.md_col.min(c)),
                ..x.pos
            },
            None => Pos {
                file: 0,
                line: 1,
                col: 1,
            },
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

    /// The text of a 1-based output line.
    pub fn line_text(&self, md_line: usize) -> &str {
        self.md
            .split('\n')
            .nth(md_line.saturating_sub(1))
            .unwrap_or("")
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
    pub md_line: usize,
    pub md_col: usize,
    pub len: usize,
    pub ch: char,
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || (!c.is_ascii() && !c.is_alphanumeric() && !c.is_whitespace() && !token::is_reserved(c))
}

/// Delimiter runs (`*`, `**`, `_`, `__`) that the parser left as text although they could open or
/// close emphasis (a run of two or more `*` always counts: printed `**` is never intended).
/// Backslash-escaped delimiters are intended and not reported.
pub fn strays<'a>(root: &'a AstNode<'a>, v: &Variant) -> Vec<Stray> {
    let lines: Vec<&str> = v.md.split('\n').collect();
    let mut out = Vec::new();
    for node in root.descendants() {
        let data = node.data.borrow();
        let NodeValue::Text(lit) = &data.value else {
            continue;
        };
        if !lit.contains(['*', '_']) {
            continue;
        }
        let sp = data.sourcepos;
        let Some(line) = lines.get(sp.start.line.saturating_sub(1)) else {
            continue;
        };
        let mut j = sp.start.column.saturating_sub(1);
        // (char, start byte, end byte)
        let mut run: Option<(char, usize, usize)> = None;
        let mut runs = Vec::new();
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
            if (c == '*' || c == '_') && !escaped {
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
            if could || (ch == '*' && e - s >= 2) {
                out.push(Stray {
                    md_line: sp.start.line,
                    md_col: s + 1,
                    len: e - s,
                    ch,
                });
            }
        }
    }
    out
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

/// A zero position, for nodes the renderer adds.
pub fn no_pos() -> Sourcepos {
    Sourcepos {
        start: LineColumn { line: 0, column: 0 },
        end: LineColumn { line: 0, column: 0 },
    }
}
