//! Sections: the numbering of headings (duplicates, gaps, skipped levels, several H1s) and
//! references to them, with or without the word "section" ("see 2.5", "as per 2.11"). Resolved
//! references are reported as infos with the heading's title, so a reviewer can see the
//! reference still points at the right clause after renumbering; statute references ("Section
//! 512(c)(3)", "Article 17") are another text's and left alone.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use comrak::nodes::NodeValue;
use regex::Regex;

use crate::diagnostic::{Code, Diagnostic};
use crate::render::Context;
use crate::render::markdown::{Pos, plain_text};
use crate::render::{SectionHeading, display_text};
use crate::token;

/// "section 2.5" (any number), or a cue such as "see 2.5", "as per 2.11", "explained at 2.3"
/// (numbers with a dot only: "see 5 examples" is no reference).
static REFERENCE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(?:(?:sections?|clauses?|paragraphs?)\s+(?P<n>\d+(?:\.\d+)*)|(?:see(?:\s+also)?|as\s+per|per|according\s+to|pursuant\s+to|(?:explained|described|set\s+out|outlined|detailed|referred\s+to|defined|mentioned|stated)\s+(?:at|in|under))\s+(?P<d>\d+(?:\.\d+)+))",
    )
    .ok()
});

struct Heading {
    level: u8,
    number: Option<String>,
    title: String,
    pos: Pos,
    line: u32,
}

/// Numbering of the headings and the references to them. Returns the numbered headings.
pub(crate) fn check(ctx: &Context, diags: &mut Vec<Diagnostic>) -> Vec<SectionHeading> {
    let (v, placer) = (ctx.filled, ctx.placer);
    let mut headings = Vec::new();
    for node in ctx.root.descendants() {
        let NodeValue::Heading(h) = &node.data.borrow().value else {
            continue;
        };
        let raw = plain_text(node);
        let text = token::replace_tokens(&raw, |i| display_text(ctx.hits, i));
        let sp = node.data.borrow().sourcepos;
        let (number, title) = match split_number(&text) {
            Some((n, t)) => (Some(n.to_owned()), t.to_owned()),
            None => (None, text.trim().to_owned()),
        };
        headings.push(Heading {
            level: h.level,
            number,
            title,
            pos: v.locate(sp.start.line, sp.start.column),
            line: v.main_line(sp.start.line),
        });
    }
    numbering(&headings, ctx, diags);
    broken_headings(ctx, diags);
    let sections: Vec<SectionHeading> = headings
        .iter()
        .filter_map(|h| {
            Some(SectionHeading {
                number: h.number.clone()?,
                title: h.title.clone(),
                line: h.line,
            })
        })
        .collect();
    let Some(reference) = REFERENCE.as_ref() else {
        return sections;
    };
    if sections.is_empty() {
        // A document without numbered headings cites other texts ("Section 512 of the DMCA").
        return sections;
    }
    for node in ctx.root.descendants() {
        let data = node.data.borrow();
        let NodeValue::Text(t) = &data.value else {
            continue;
        };
        // Every reference has a number: most text has none, and the pattern is costly to run.
        if !t.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        for c in reference.captures_iter(t) {
            let Some(m) = c.get(0) else { continue };
            let Some(n) = c.name("n").or(c.name("d")) else {
                continue;
            };
            let after = &t[m.end()..];
            let next = after.chars().next();
            if next.is_some_and(|c| c == '(' || c.is_alphanumeric() || c == '%')
                || after.trim_start().starts_with("of ")
            {
                // "section 512(c)(3)", "section 7 of the GDPR", "see 2.5GB": another text's
                // sections, or no reference at all.
                continue;
            }
            let number = n.as_str().trim_end_matches('.').to_owned();
            let cited = m.as_str();
            let pos = v.locate(
                data.sourcepos.start.line,
                data.sourcepos.start.column + m.start(),
            );
            let found: Vec<&SectionHeading> =
                sections.iter().filter(|s| s.number == number).collect();
            let d = match found.as_slice() {
                [] => Diagnostic::warning(
                    Code::DanglingSectionRef,
                    format!("“{cited}”: no heading is numbered {number}"),
                )
                .with_hint("renumber the reference, or the heading it meant"),
                [s] => Diagnostic::info(
                    Code::SectionRef,
                    format!(
                        "“{cited}” is section {number} “{}” (line {})",
                        s.title, s.line
                    ),
                )
                .with_hint("check the reference still means this clause"),
                several => Diagnostic::warning(
                    Code::AmbiguousSectionRef,
                    format!(
                        "“{cited}” is ambiguous: {} headings are numbered {number} ({})",
                        several.len(),
                        several
                            .iter()
                            .map(|s| format!("“{}”, line {}", s.title, s.line))
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                )
                .with_hint("renumber the headings so each number is used once"),
            };
            diags.push(placer.at(d.spanning(cited.chars().count() as u32), pos));
        }
    }
    sections
}

/// Paragraphs that were meant as headings: `###` followed by a no-break space (pasted from a
/// word processor) is no heading in CommonMark, and prints as text.
fn broken_headings(ctx: &Context, diags: &mut Vec<Diagnostic>) {
    for node in ctx.root.children() {
        if !matches!(node.data.borrow().value, NodeValue::Paragraph) {
            continue;
        }
        let Some(first) = node.first_child() else {
            continue;
        };
        let data = first.data.borrow();
        let NodeValue::Text(t) = &data.value else {
            continue;
        };
        let hashes = t.chars().take_while(|c| *c == '#').count();
        if !(1..=6).contains(&hashes) || !t[hashes..].starts_with('\u{a0}') {
            continue;
        }
        let sp = data.sourcepos;
        diags.push(
            ctx.placer.at(
                Diagnostic::warning(
                    Code::SectionNumbering,
                    format!(
                        "`{}` is followed by a no-break space, so this line is no heading: it prints as text",
                        "#".repeat(hashes)
                    ),
                )
                .with_hint("replace the no-break space after the `#` with a plain space"),
                ctx.filled.locate(sp.start.line, sp.start.column),
            ),
        );
    }
}

/// Duplicate numbers, gaps between sibling numbers, skipped heading levels, several H1s.
fn numbering(headings: &[Heading], ctx: &Context, diags: &mut Vec<Diagnostic>) {
    let placer = ctx.placer;
    let h1s: Vec<&Heading> = headings.iter().filter(|h| h.level == 1).collect();
    if h1s.len() > 1 {
        for h in &h1s[1..] {
            diags.push(
                placer.at(
                    Diagnostic::warning(
                        Code::SectionNumbering,
                        format!(
                            "“{}” is a heading at the title's level: the document has {} H1 headings (the first at line {})",
                            h.title,
                            h1s.len(),
                            h1s[0].line
                        ),
                    )
                    .with_hint("make section headings `##`; keep one `#` heading, the title"),
                    h.pos,
                ),
            );
        }
    }
    let mut prev_level: Option<u8> = None;
    for h in headings {
        if let Some(p) = prev_level
            && h.level > p + 1
        {
            diags.push(
                placer.at(
                    Diagnostic::warning(
                        Code::SectionNumbering,
                        format!(
                            "heading level skips from h{p} to h{}: “{}”",
                            h.level, h.title
                        ),
                    )
                    .with_hint(format!(
                        "make it h{} ({}), so the outline (and the PDF bookmarks) nest properly",
                        p + 1,
                        "#".repeat(usize::from(p) + 1)
                    )),
                    h.pos,
                ),
            );
        }
        prev_level = Some(h.level);
    }
    let mut seen: BTreeMap<&str, &Heading> = BTreeMap::new();
    // The last number seen under each parent ("2.1" for "2.1.3"), to find gaps among siblings.
    let mut last_child: BTreeMap<String, u32> = BTreeMap::new();
    for h in headings {
        let Some(number) = h.number.as_deref() else {
            continue;
        };
        let parts: Option<Vec<u32>> = number.split('.').map(|p| p.parse().ok()).collect();
        let Some(parts) = parts.filter(|p| p.first().is_some_and(|f| *f < 1000)) else {
            // "2019 update": a year, not a section number.
            continue;
        };
        if let Some(first) = seen.get(number) {
            diags.push(
                placer.at(
                    Diagnostic::warning(
                        Code::SectionNumbering,
                        format!(
                            "section number {number} is used twice: “{}” (line {}) and “{}”",
                            first.title, first.line, h.title
                        ),
                    )
                    .with_hint("renumber one of them; references to this number are ambiguous"),
                    h.pos,
                ),
            );
            continue;
        }
        seen.insert(number, h);
        let Some((last, parent)) = parts.split_last() else {
            continue;
        };
        let parent = parent
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(".");
        if let Some(prev) = last_child.get(&parent).copied()
            && *last > prev + 1
        {
            let prefix = if parent.is_empty() {
                String::new()
            } else {
                format!("{parent}.")
            };
            let missing = if *last == prev + 2 {
                format!("{prefix}{}", prev + 1)
            } else {
                format!("{prefix}{}–{prefix}{}", prev + 1, last - 1)
            };
            diags.push(
                placer.at(
                    Diagnostic::warning(
                        Code::SectionNumbering,
                        format!("section {number} follows {prefix}{prev}: no {missing}"),
                    )
                    .with_hint("renumber the sections, or add the missing one"),
                    h.pos,
                ),
            );
        }
        last_child.insert(parent, *last);
    }
}

/// "2.1.3 Right to Erasure" → ("2.1.3", "Right to Erasure"); "1. Introduction" → ("1", …).
fn split_number(heading: &str) -> Option<(&str, &str)> {
    let h = heading.trim_start();
    let end = h
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(h.len());
    let number = h[..end].trim_end_matches('.');
    let rest = &h[end..];
    let valid = !number.is_empty()
        && number.split('.').all(|p| !p.is_empty())
        && rest.starts_with(char::is_whitespace);
    valid
        .then(|| (number, rest.trim()))
        .filter(|(_, t)| !t.is_empty())
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbered_headings() {
        use super::split_number;
        assert_eq!(
            split_number("2.1.3 Right to Erasure"),
            Some(("2.1.3", "Right to Erasure"))
        );
        assert_eq!(split_number("1. Introduction"), Some(("1", "Introduction")));
        assert_eq!(split_number("Federation"), None);
        assert_eq!(split_number("2019 update"), Some(("2019", "update")));
        assert_eq!(split_number("1..2 x"), None);
    }
}
