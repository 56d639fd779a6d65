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

/// A placeholder as written in a template file.
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

/// A placeholder found in a template: where it is and what it prints.
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

#[derive(Debug)]
enum Tok {
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

/// Splits a source into text, tags, raw blocks and legacy placeholders. Unclosed tags end the scan
/// as text: the original source is compiled first, so such a source never gets here to render.
fn tokenize(text: &str) -> Vec<Tok> {
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
fn apply_trims(text: &str, mut toks: Vec<Tok>) -> Vec<Tok> {
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
