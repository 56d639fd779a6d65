//! Title drift: the front-matter title (used for the window, the PDF metadata and links) must say
//! what the document's first heading says.

use comrak::nodes::NodeValue;

use crate::diagnostic::{Code, Diagnostic};
use crate::render::Context;
use crate::render::display_text;
use crate::render::markdown::plain_text;
use crate::token;

pub(crate) fn check(ctx: &Context, diags: &mut Vec<Diagnostic>) {
    let (root, v, hits, placer) = (ctx.root, ctx.filled, ctx.hits, ctx.placer);
    let Some(title) = ctx.title else { return };
    let headings: Vec<_> = root
        .descendants()
        .filter_map(|n| match &n.data.borrow().value {
            NodeValue::Heading(h) => Some((n, h.level)),
            _ => None,
        })
        .collect();
    let Some((node, _)) = headings
        .iter()
        .find(|(_, l)| *l == 1)
        .or(headings.first())
        .copied()
    else {
        return;
    };
    let heading = token::replace_tokens(&plain_text(node), |i| display_text(hits, i));
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    if norm(&heading) == norm(title) {
        return;
    }
    let sp = node.data.borrow().sourcepos;
    diags.push(
        placer.at(
            Diagnostic::warning(
                Code::TitleMismatch,
                format!(
                    "the title and the first heading differ: title “{}”, heading “{}”",
                    norm(title),
                    norm(&heading)
                ),
            )
            .with_hint("make the front-matter title and the heading use the same fields"),
            v.locate(sp.start.line, sp.start.column),
        ),
    );
}
