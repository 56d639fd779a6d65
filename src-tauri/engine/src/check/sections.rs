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

static NUMBERED: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^\s*(\d+(?:\.\d+)*)\.?\s+(.+)$").ok());
static REFERENCE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)\bsections?\s+(\d+(?:\.\d+)*)").ok());

pub(crate) fn check<'a>(
    root: &'a AstNode<'a>,
    v: &Variant,
    hits: &[HitInfo],
    placer: &Placer,
    diags: &mut Vec<Diagnostic>,
) -> Vec<SectionHeading> {
    let (Some(numbered), Some(reference)) = (NUMBERED.as_ref(), REFERENCE.as_ref()) else {
        return vec![];
    };
    let mut anchorizer = comrak::Anchorizer::new();
    let mut sections = Vec::new();
    for node in root.descendants() {
        if !matches!(node.data.borrow().value, NodeValue::Heading(_)) {
            continue;
        }
        let raw = plain_text(node);
        let text = token::replace_tokens(&raw, |i| display_text(hits, i));
        let id = anchorizer.anchorize(&text);
        if let Some(c) = numbered.captures(&text) {
            sections.push(SectionHeading {
                number: c[1].to_owned(),
                title: c[2].trim().to_owned(),
                id,
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
