//! Placeholder syntaxes of other tools left in the text (`%{name}`, `%(name)s`, `{name}`,
//! `$NAME`, `[INSERT CONTACT METHOD]`): they print as written. Reported as warnings naming the
//! field they seem to mean. Markdown reference links (`[FAQ]`) and code are not placeholders.

use std::sync::LazyLock;

use regex::Regex;

use super::memo::TextMemo;

use crate::diagnostic::{Code, Diagnostic, Fix};
use crate::render::Context;
use crate::render::markdown::Pos;
use crate::template::fields::suggest;

static FOREIGN: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(concat!(
        r"%\{(?P<ruby>[A-Za-z_][A-Za-z0-9_]*)\}",
        r"|%\((?P<py>[A-Za-z_][A-Za-z0-9_]*)\)[sd]",
        r"|\$\{(?P<shell>[A-Za-z_][A-Za-z0-9_]*)\}",
        r"|\$(?P<env>[A-Z][A-Z0-9_]{2,})\b",
        r"|\{(?P<brace>[A-Za-z_][A-Za-z0-9_]*)\}",
        r"|\[(?P<caps>(?:INSERT|ENTER|ADD|YOUR|NAME|COMPANY|DATE)\b[A-Z0-9 _/'&,.-]*|[A-Z][A-Z0-9_'&]*(?:[ _/-]+[A-Z0-9][A-Z0-9_'&]*)+)\]",
    ))
    .ok()
});

/// `[INSERT CONTACT METHOD]` → `contact_method`.
fn normalize(raw: &str) -> String {
    let lower = raw.to_lowercase();
    let mut words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    while words
        .first()
        .is_some_and(|w| ["insert", "enter", "add", "your", "the"].contains(w))
        && words.len() > 1
    {
        words.remove(0);
    }
    words.join("_")
}

/// Masks inline code spans (`` `x` ``) with spaces, keeping byte offsets.
fn mask_code(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    for c in line.chars() {
        if c == '`' {
            in_code = !in_code;
            out.push(' ');
        } else if in_code {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

/// Another tool's placeholder found in the text.
struct Found {
    /// 0-based line of the Markdown.
    line: usize,
    /// Byte offset in that line.
    start: usize,
    /// The placeholder as written.
    text: String,
    /// Which tool's syntax it is.
    kind: &'static str,
    /// The name inside it.
    name: String,
}

/// Other tools' placeholders in a document's Markdown, by its text (see [`TextMemo`]).
static FOUND: LazyLock<TextMemo<Vec<Found>>> = LazyLock::new(TextMemo::new);

/// Every placeholder of another tool in `md`, outside code.
fn scan(re: &Regex, md: &str) -> Vec<Found> {
    let mut found = Vec::new();
    let mut fence: Option<&str> = None;
    for (i, raw_line) in md.split('\n').enumerate() {
        let trimmed = raw_line.trim_start();
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            continue;
        }
        if raw_line.starts_with("    ") || raw_line.starts_with('\t') {
            continue;
        }
        let line = mask_code(raw_line);
        for c in re.captures_iter(&line) {
            let Some(m) = c.get(0) else { continue };
            let after = &line[m.end()..];
            let before = line[..m.start()].chars().next_back();
            let (kind, name) = if let Some(n) = c.name("caps") {
                // `[FAQ]: …`, `[text][ref]`, `[text](url)`: Markdown links, not placeholders.
                if after.starts_with(['(', '[', ':']) || before == Some(']') {
                    continue;
                }
                ("bracketed capitals", n.as_str())
            } else if let Some(n) = c.name("brace") {
                if before == Some('{') || after.starts_with('}') || before == Some('$') {
                    continue;
                }
                ("single braces", n.as_str())
            } else if let Some(n) = c.name("ruby") {
                ("`%{…}` (Ruby, Rails i18n)", n.as_str())
            } else if let Some(n) = c.name("py") {
                ("`%(…)s` (Python)", n.as_str())
            } else if let Some(n) = c.name("shell") {
                ("`${…}` (shell)", n.as_str())
            } else if let Some(n) = c.name("env") {
                if before.is_some_and(|b| b.is_alphanumeric()) {
                    continue;
                }
                ("`$NAME` (shell)", n.as_str())
            } else {
                continue;
            };
            found.push(Found {
                line: i,
                start: m.start(),
                text: m.as_str().to_owned(),
                kind,
                name: name.to_owned(),
            });
        }
    }
    found
}

pub(crate) fn check(ctx: &Context, diags: &mut Vec<Diagnostic>) {
    let Some(re) = FOREIGN.as_ref() else { return };
    let md = &ctx.filled.md;
    if !md.contains(['%', '$', '{', '[']) {
        return;
    }
    let found = FOUND.get(md, || scan(re, md));
    if found.is_empty() {
        return;
    }
    let known: Vec<&str> = ctx
        .template
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    for f in found.iter() {
        let (text, kind) = (f.text.as_str(), f.kind);
        let wanted = normalize(&f.name);
        let field = known
            .iter()
            .find(|k| **k == wanted)
            .copied()
            .or_else(|| suggest(&wanted, known.iter().copied()))
            .or_else(|| {
                known
                    .iter()
                    .find(|k| wanted.len() >= 4 && k.ends_with(&wanted))
                    .copied()
            });
        let (message, replacement) = match field {
            Some(f) => (
                format!(
                    "`{text}` is placeholder syntax of another tool ({kind}) and prints as written; it seems to mean field `{f}`"
                ),
                f.to_owned(),
            ),
            None => (
                format!(
                    "`{text}` is placeholder syntax of another tool ({kind}) and prints as written; no field matches it"
                ),
                wanted.clone(),
            ),
        };
        let pos = ctx.filled.locate(f.line + 1, f.start + 1);
        let mut d = Diagnostic::warning(Code::ForeignPlaceholder, message)
            .with_hint(format!("write {{{{ {replacement} }}}}"))
            .spanning(text.chars().count() as u32);
        if let Some(f) = field {
            d = d.with_field(f);
        }
        if let Some(tl) = ctx.placer.line_text(pos) {
            let from = (pos.col as usize).saturating_sub(1);
            if tl.get(from..).is_some_and(|r| r.starts_with(text)) {
                d = d.with_fix(Fix {
                    line: pos.line,
                    column: ctx.placer.char_column(Pos { ..pos }),
                    old: text.to_owned(),
                    new: format!("{{{{ {replacement} }}}}"),
                });
            }
        }
        diags.push(ctx.placer.at(d, pos));
    }
}
