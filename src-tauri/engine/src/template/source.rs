//! Jinja source scanning: finds every placeholder (`{{ … }}` and legacy `%%NAME%%`) with its exact
//! position, and produces the *instrumented* source the renderer compiles, in which every
//! placeholder goes through `__slot` and every newline of template text through `__nl`. Nothing
//! here evaluates a template.
//!
//! Why instrument: the renderer must know, for every value in the output, which placeholder put
//! it there (to keep values out of the Markdown parser and to report positions), and for every
//! output line, which template line it came from (to report positions through `{% if %}` and
//! `{% include %}`). Line numbers are preserved: each rewritten newline keeps a newline inside the
//! tag, so minijinja's own error lines stay right.

mod lexer;

use lexer::{Tok, apply_trims, tokenize};

/// A position in a source file: file index, 1-based line, 1-based byte column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    /// Index of the source file.
    pub file: u32,
    /// 1-based line.
    pub line: u32,
    /// 1-based byte column.
    pub col: u32,
}

/// A placeholder as written in a template file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceholderSite {
    /// Global slot number, as passed to `__slot`.
    pub slot: u32,
    /// Index of the source file (see [`crate::template::SourceFile`]).
    pub file: u32,
    /// `{{ expr }}` or `%%NAME%%`.
    pub legacy: bool,
    /// The expression inside the braces, or the lower-cased legacy name.
    pub expr: String,
    /// 1-based line in the file.
    pub line: u32,
    /// 1-based byte column of the opening `{{` or `%%`.
    pub column: u32,
    /// 1-based byte column just after the closing `}}` or `%%`.
    pub end_column: u32,
    /// The field (and row and attribute) its value comes from, as far as the scopes show.
    pub target: Option<super::scope::Target>,
    /// How many loops enclose it in its macro (or top-level) scope.
    pub loop_depth: usize,
}

/// A tag as written, in source order: what field inference reads.
#[derive(Debug, Clone)]
pub struct ScannedTag {
    /// Which kind of tag.
    pub kind: TagKind,
    /// The text between the delimiters, without whitespace-control markers.
    pub inner: String,
    /// 1-based line where it starts.
    pub line: u32,
}

/// The extent of a `{% raw %}` block's content in its file: (line, byte column) of its start and
/// of its end. Template syntax printed from there is meant.
#[derive(Debug, Clone, Copy)]
pub struct RawSpan {
    /// Index of the source file.
    pub file: u32,
    /// Line and column where the block starts.
    pub start: (u32, u32),
    /// Line and column where it ends.
    pub end: (u32, u32),
}

impl RawSpan {
    /// Whether `line` of `file` holds part of the block. By line: output columns map back to
    /// template columns only approximately once tags on the line were removed.
    pub fn contains(&self, file: u32, line: u32) -> bool {
        file == self.file && (self.start.0..=self.end.0).contains(&line)
    }
}

/// The result of scanning one source text.
#[derive(Debug, Clone)]
pub struct Scan {
    /// The text with each placeholder replaced by its instrumented call.
    pub instrumented: String,
    /// Every placeholder, in source order.
    pub placeholders: Vec<PlaceholderSite>,
    /// Every tag, in source order.
    pub tags: Vec<ScannedTag>,
    /// Every `{% raw %}` block.
    pub raws: Vec<RawSpan>,
    /// Fields iterated by a loop that has an `else`.
    pub looped_with_else: std::collections::BTreeSet<String>,
    /// Tags kept for the serving runtime (see [`super::runtime`]), numbered from the
    /// `first_runtime` given to [`scan_with`].
    pub runtime_tags: Vec<super::runtime::RuntimeTag>,
}

/// Where a text starts inside its file: the body after front matter starts at a later line; a
/// title taken from front matter starts at a line and column.
#[derive(Debug, Clone, Copy)]
pub struct Origin {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

/// The three kinds of Jinja tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagKind {
    /// `{{ … }}`.
    Expr,
    /// `{% … %}`.
    Stmt,
    /// `{# … #}`.
    Comment,
}

/// Scans `text` (one file, or one part of it starting at `origin`) and instruments it. Slots are
/// numbered from `first_slot`.
pub fn scan(text: &str, file: u32, origin: Origin, first_slot: u32) -> Scan {
    scan_with(text, file, origin, first_slot, None)
}

/// [`scan`] for a template served by a runtime: tags reading the runtime's names become
/// `__runtime(N)`, numbered from `first_runtime`, and are returned verbatim in
/// [`Scan::runtime_tags`].
pub fn scan_with(
    text: &str,
    file: u32,
    origin: Origin,
    first_slot: u32,
    runtime: Option<(super::runtime::Runtime, u32)>,
) -> Scan {
    let mut runtime_blocks = runtime.map(|(r, _)| super::runtime::RuntimeBlocks::new(r));
    let first_runtime = runtime.map_or(0, |(_, n)| n);
    let mut runtime_tags = Vec::new();
    let toks = tokenize(text);
    let toks = apply_trims(text, toks);
    let lines = LineIndex::new(text);
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut placeholders = Vec::new();
    let mut tags = Vec::new();
    let mut raws = Vec::new();
    let mut scopes = super::scope::Scopes::default();
    let mut slot = first_slot;
    let pos = |offset: usize| -> (u32, u32) {
        let (l, c) = lines.locate(offset);
        let line = origin.line + l - 1;
        let column = if l == 1 { origin.column + c - 1 } else { c };
        (line, column)
    };
    let emit_text = |out: &mut String, s: usize, e: usize, in_raw: bool| {
        let mut from = s;
        for (i, b) in text.as_bytes()[s..e].iter().enumerate() {
            if *b == b'\n' {
                let at = s + i;
                out.push_str(&text[from..at]);
                let (line, _) = pos(at + 1);
                if in_raw {
                    out.push_str("{% endraw %}");
                }
                // The newline stays inside the tag so line numbers are unchanged.
                out.push_str(&format!("{{{{ __nl({file}, {line})\n}}}}"));
                if in_raw {
                    out.push_str("{% raw %}");
                }
                from = at + 1;
            }
        }
        out.push_str(&text[from..e]);
    };
    for tok in toks {
        match tok {
            Tok::Text(s, e) => emit_text(&mut out, s, e, false),
            Tok::Legacy(s, e) => {
                let (line, column) = pos(s);
                let name = text[s + 2..e - 2].to_ascii_lowercase();
                placeholders.push(PlaceholderSite {
                    slot,
                    file,
                    legacy: true,
                    target: scopes.placeholder(&name),
                    expr: name,
                    line,
                    column,
                    end_column: column + (e - s) as u32,
                    loop_depth: scopes.loop_depth(),
                });
                out.push_str(&format!("{{{{ __slot({slot}, none) }}}}"));
                slot += 1;
            }
            Tok::Tag {
                kind,
                start,
                end,
                inner,
                ..
            } => {
                let inner_text = &text[inner.0..inner.1];
                // Runtime tags (see `super::runtime`): never evaluated here, kept verbatim.
                if kind != TagKind::Comment
                    && let Some(b) = runtime_blocks.as_mut()
                    && b.claims(kind == TagKind::Stmt, inner_text)
                {
                    let (line, column) = pos(start);
                    let n = first_runtime as usize + runtime_tags.len();
                    out.push_str(&format!("{{{{ __runtime({n}) }}}}"));
                    let newlines = text[start..end].matches('\n').count();
                    if newlines > 0 {
                        out.push_str(&format!("{{#{}#}}", "\n".repeat(newlines)));
                    }
                    runtime_tags.push(super::runtime::RuntimeTag {
                        text: text[start..end].to_owned(),
                        file,
                        line,
                        column,
                    });
                    continue;
                }
                tags.push(ScannedTag {
                    kind,
                    inner: inner_text.trim().to_owned(),
                    line: pos(start).0,
                });
                match kind {
                    TagKind::Expr => {
                        let (line, column) = pos(start);
                        let (end_line, end_col) = pos(end);
                        placeholders.push(PlaceholderSite {
                            slot,
                            file,
                            legacy: false,
                            expr: inner_text.trim().to_owned(),
                            line,
                            column,
                            end_column: if end_line == line {
                                end_col
                            } else {
                                column + 2
                            },
                            target: scopes.placeholder(inner_text),
                            loop_depth: scopes.loop_depth(),
                        });
                        out.push_str(&format!("{{{{ __slot({slot}, ({inner_text})) }}}}"));
                        slot += 1;
                    }
                    TagKind::Stmt => {
                        out.push_str("{%");
                        out.push_str(inner_text);
                        out.push_str("%}");
                        // Each loop's `loop` is kept under its level, so a value printed inside
                        // nested loops can name its row in each (see `render::jinja`).
                        if let Some(level) = scopes.statement(inner_text) {
                            out.push_str(&format!("{{% set __loop{level} = loop %}}"));
                        }
                    }
                    TagKind::Comment => {
                        out.push_str("{#");
                        out.push_str(inner_text);
                        out.push_str("#}");
                    }
                }
            }
            Tok::KeptNewlines(n) => {
                out.push_str("{#");
                out.push_str(&"\n".repeat(n));
                out.push_str("#}");
            }
            Tok::Raw { content, .. } => {
                raws.push(RawSpan {
                    file,
                    start: pos(content.0),
                    end: pos(content.1),
                });
                out.push_str("{% raw %}");
                emit_text(&mut out, content.0, content.1, true);
                out.push_str("{% endraw %}");
            }
        }
    }
    Scan {
        instrumented: out,
        placeholders,
        tags,
        raws,
        looped_with_else: scopes.looped_with_else,
        runtime_tags,
    }
}

/// Byte offset → (line, column), both 1-based.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Self { starts }
    }

    /// The 1-based line and byte column of `offset`.
    pub fn locate(&self, offset: usize) -> (u32, u32) {
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        (line as u32 + 1, (offset - self.starts[line]) as u32 + 1)
    }
}
