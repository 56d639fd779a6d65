//! Section references: "section 2.1.3" must name a numbered heading. Resolved references are
//! reported as infos with the heading's title, so a reviewer can see the reference still points
//! at the right clause after renumbering.

use std::sync::LazyLock;

use comrak::nodes::{AstNode, NodeValue};
use regex::Regex;

use crate::check::Placer;
use crate::diagnostic::{Code, Diagnostic};
use crate::render::markdown::{Variant, plain_text};
use crate::render::{HitInfo, SectionHeading, display_text, token};

static REFERENCE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)sections?\s+(\d+(?:\.\d+)*)").ok());

pub(crate) fn check<'a>(
    root: &'a AstNode<'a>,
    v: &Variant,
    hits: &[HitInfo],
    placer: &Placer,
    diags: &mut Vec<Diagnostic>,
) -> Vec<SectionHeading> {
    let Some(reference) = REFERENCE.as_ref() else {
        return vec![];
    };
    let mut sections = Vec::new();
    for node in root.descendants() {
        if !matches!(node.data.borrow().value, NodeValue::Heading(_)) {
            continue;
        }
        let raw = plain_text(node);
        let text = token::replace_tokens(&raw, |i| display_text(hits, i));
        if let Some((number, title)) = split_number(&text) {
            sections.push(SectionHeading {
                number: number.to_owned(),
                title: title.to_owned(),
                line: v.main_line(node.data.borrow().sourcepos.start.line),
            });
        }
    }
    if sections.is_empty() {
        // A document without numbered headings cites other texts ("Section 512 of the DMCA").
        return sections;
    }
    for node in root.descendants() {
        let data = node.data.borrow();
        let NodeValue::Text(t) = &data.value else {
            continue;
        };
        for c in reference.captures_iter(t) {
            let Some(m) = c.get(0) else { continue };
            let after = t[m.end()..].trim_start();
            if t[m.end()..].starts_with('(') || after.starts_with("of ") {
                // "section 512(c)(3)", "section 7 of the GDPR": another text's sections.
                continue;
            }
            let number = c[1].trim_end_matches('.').to_owned();
            let pos = v.locate(
                data.sourcepos.start.line,
                data.sourcepos.start.column + m.start(),
            );
            match sections.iter().find(|s| s.number == number) {
                Some(s) => diags.push(
                    placer.at(
                        Diagnostic::info(
                            Code::SectionRef,
                            format!("section {number} is “{}” (line {})", s.title, s.line),
                        )
                        .with_hint("check the reference still means this clause")
                        .spanning(m.len() as u32),
                        pos,
                    ),
                ),
                None => diags.push(
                    placer.at(
                        Diagnostic::warning(
                            Code::DanglingSectionRef,
                            format!(
                                "section {number} does not exist: no heading is numbered {number}"
                            ),
                        )
                        .with_hint("renumber the reference, or the heading it meant")
                        .spanning(m.len() as u32),
                        pos,
                    ),
                ),
            }
        }
    }
    sections
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
