//! Emphasis checks: delimiters that print literally (`unpaired-emphasis`), and emphasis that only
//! works while fields are filled or nests bold in bold around a placeholder (`fragile-emphasis`).

use std::collections::BTreeSet;

use comrak::nodes::{AstNode, NodeValue};

use crate::check::Placer;
use crate::diagnostic::{Code, Diagnostic};
use crate::render::HitInfo;
use crate::render::markdown::{Stray, Variant};
use crate::render::token;

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

/// Every delimiter run left as text in the document as it would be printed.
pub(crate) fn unpaired(
    strays: &[Stray],
    v: &Variant,
    placer: &Placer,
    diags: &mut Vec<Diagnostic>,
) {
    for s in strays {
        if wraps_only_placeholders(placer, s, v) {
            continue;
        }
        let run: String = std::iter::repeat_n(s.ch, s.len).collect();
        diags.push(
            placer.at(
                Diagnostic::error(
                    Code::UnpairedEmphasis,
                    format!("`{run}` pairs with nothing and would print literally"),
                )
                .with_hint("give it a partner, remove it, or escape it as \\".to_owned() + &run)
                .spanning(s.len as u32),
                v.locate(s.md_line, s.md_col),
            ),
        );
    }
}

/// Lines whose emphasis pairs only while placeholders have values, and bold nested in bold
/// around a placeholder.
#[allow(clippy::too_many_arguments)]
pub(crate) fn fragile<'a>(
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
        if filled_lines.contains(&(p.file, p.line)) || wraps_only_placeholders(placer, s, empty) {
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
