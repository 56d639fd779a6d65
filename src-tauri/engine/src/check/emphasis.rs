//! Emphasis checks: delimiters that print literally (`unpaired-emphasis`), and emphasis that only
//! works while fields are filled or nests bold in bold around a placeholder (`fragile-emphasis`).
//! `*`, `**`, `_` and `__` follow the same CommonMark rules; underscores inside identifiers
//! (`_pk_ref`, `__cfduid`) print as written and are never reported.

use std::collections::BTreeSet;
use std::sync::{Arc, LazyLock};

use comrak::Arena;
use comrak::nodes::{AstNode, NodeValue};

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::render::HitInfo;
use crate::render::markdown::{self, Pos, Stray, Variant};
use crate::render::{Context, Placer};
use crate::token;

use super::memo::TextMemo;

/// The strays of a variant parsed on its own, by its text.
static STRAYS: LazyLock<TextMemo<Vec<Stray>>> = LazyLock::new(TextMemo::new);

/// [`markdown::strays`] of `v` parsed on its own (remembered: see [`TextMemo`]).
fn strays_of(v: &Variant) -> Arc<Vec<Stray>> {
    STRAYS.get(&v.md, || {
        let arena = Arena::new();
        markdown::strays(markdown::parse(&arena, v), v)
    })
}

/// Both emphasis checks on the document: unpaired delimiters as printed now, and emphasis that
/// depends on values being filled.
pub(crate) fn check(ctx: &Context, diags: &mut Vec<Diagnostic>) {
    let filled_strays = markdown::strays(ctx.root, ctx.filled);
    if ctx.hits.iter().any(|h| h.unfilled) {
        let actual = ctx.variant(|i| !ctx.hits[i].unfilled);
        let filled_at: BTreeSet<(u32, u32, u32)> = filled_strays
            .iter()
            .map(|s| key(ctx.filled.locate(s.md_line, s.md_col)))
            .collect();
        unpaired(
            &strays_of(&actual),
            &actual,
            Some(&filled_at),
            ctx.placer,
            diags,
        );
    } else {
        unpaired(&filled_strays, ctx.filled, None, ctx.placer, diags);
    }
    if !ctx.hits.is_empty() {
        let empty = ctx.variant(|_| false);
        let empty_strays = strays_of(&empty);
        fragile(
            ctx.root,
            ctx.filled,
            &filled_strays,
            &empty,
            &empty_strays,
            ctx.hits,
            ctx.placer,
            diags,
        );
    }
}

fn key(p: Pos) -> (u32, u32, u32) {
    (p.file, p.line, p.col)
}

/// True when a stray run is only emphasis wrapped around placeholders that printed nothing
/// (`**{{ x }}**` with `x` empty): the empty value is the problem, reported as unfilled.
fn wraps_only_placeholders(placer: &Placer, s: &Stray, v: &Variant) -> bool {
    let p = v.locate(s.md_line, s.md_col);
    let Some(line) = placer.line_text(p) else {
        return false;
    };
    let b = line.as_bytes();
    let mut i = (p.col as usize).saturating_sub(1);
    let count = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i] == s.ch as u8 {
            *i += 1;
        }
        *i - start
    };
    let open = count(&mut i);
    let mut placeholders = 0;
    loop {
        // Output columns map to template columns only approximately: never slice mid-character.
        let rest = line.get(i.min(line.len())..).unwrap_or_default();
        let end = if rest.starts_with("{{") {
            rest.find("}}").map(|e| e + 2)
        } else if let Some(inner) = rest.strip_prefix("%%") {
            inner.find("%%").map(|e| e + 4)
        } else {
            None
        };
        match end {
            Some(e) => {
                i += e;
                placeholders += 1;
            }
            None => break,
        }
    }
    let close = count(&mut i);
    placeholders > 0 && open == close && open + close == s.len
}

/// Every delimiter run left as text in the document as it would be printed. `filled_at` holds
/// the template positions of the runs that stay unpaired with every value filled (None: the
/// document is the filled one). An error when the run's printing depends on a value, or when it
/// is evidently meant as emphasis (`**`, `__`, or a delimiter opening a word); otherwise a
/// warning. Identifiers and blanks are never reported unless a value decides them.
pub(crate) fn unpaired(
    strays: &[Stray],
    v: &Variant,
    filled_at: Option<&BTreeSet<(u32, u32, u32)>>,
    placer: &Placer,
    diags: &mut Vec<Diagnostic>,
) {
    for s in strays {
        if wraps_only_placeholders(placer, s, v) {
            continue;
        }
        let pos = v.locate(s.md_line, s.md_col);
        let depends = filled_at.is_some_and(|f| !f.contains(&key(pos)));
        if s.literal && !depends {
            continue;
        }
        let severity = if depends || s.len == 2 || s.opens_word {
            Severity::Error
        } else {
            Severity::Warning
        };
        let run: String = std::iter::repeat_n(s.ch, s.len).collect();
        let why = if depends {
            "pairs with nothing while a value is empty and would print literally"
        } else {
            "pairs with nothing and would print literally"
        };
        diags.push(
            placer.at(
                Diagnostic::new(severity, Code::UnpairedEmphasis, format!("`{run}` {why}"))
                    .with_hint("give it a partner, remove it, or escape it as \\".to_owned() + &run)
                    .spanning(s.len as u32),
                pos,
            ),
        );
    }
}

/// Lines whose emphasis pairs only while placeholders have values, and bold nested in bold
/// around a placeholder.
#[allow(clippy::too_many_arguments)]
fn fragile<'a>(
    root: &'a AstNode<'a>,
    filled: &Variant,
    filled_strays: &[Stray],
    empty: &Variant,
    empty_strays: &[Stray],
    hits: &[HitInfo],
    placer: &Placer,
    diags: &mut Vec<Diagnostic>,
) {
    let mut reported = BTreeSet::new();
    let filled_lines: BTreeSet<(u32, u32)> = filled_strays
        .iter()
        .map(|s| {
            let p = filled.locate(s.md_line, s.md_col);
            (p.file, p.line)
        })
        .collect();
    for s in empty_strays {
        let p = empty.locate(s.md_line, s.md_col);
        if s.literal
            || filled_lines.contains(&(p.file, p.line))
            || wraps_only_placeholders(placer, s, empty)
        {
            continue;
        }
        let fields: BTreeSet<&str> = hits
            .iter()
            .filter(|h| h.span.file == p.file && h.span.line == p.line)
            .filter_map(|h| h.field.as_deref())
            .collect();
        if fields.is_empty() || !reported.insert((p.file, p.line)) {
            continue;
        }
        let names: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
        diags.push(placer.at(
            Diagnostic::warning(
                Code::FragileEmphasis,
                format!(
                    "emphasis on this line pairs only while {} {} filled; left empty, `{}` prints literally",
                    names.join(", "),
                    if names.len() == 1 { "is" } else { "are" },
                    std::iter::repeat_n(s.ch, s.len).collect::<String>()
                ),
            )
            .with_hint("keep emphasis markers next to fixed text, not next to a placeholder"),
            p,
        ));
    }
    for node in root.descendants() {
        if !matches!(node.data.borrow().value, NodeValue::Strong) {
            continue;
        }
        let Some(outer) = node
            .ancestors()
            .skip(1)
            .find(|a| matches!(a.data.borrow().value, NodeValue::Strong))
        else {
            continue;
        };
        let has_token = outer.descendants().any(|d| match &d.data.borrow().value {
            NodeValue::Text(t) => t.contains(token::OPEN),
            _ => false,
        });
        if !has_token {
            continue;
        }
        let sp = node.data.borrow().sourcepos;
        let p = filled.locate(sp.start.line, sp.start.column);
        if !reported.insert((p.file, p.line)) {
            continue;
        }
        diags.push(placer.at(
            Diagnostic::warning(
                Code::FragileEmphasis,
                "bold nested inside bold around a placeholder: the reader sees one bold run, and an empty value breaks it",
            )
            .with_hint("close the first `**` before opening the next one"),
            p,
        ));
    }
}
