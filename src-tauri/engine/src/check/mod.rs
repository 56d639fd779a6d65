//! Checks: everything that can be wrong with a template and a tenant's values, as diagnostics with
//! template line and column. Each concern has its module; [`crate::render`] runs them on the same
//! rendering the preview shows.

pub mod emphasis;
pub mod foreign;
pub mod hostnames;
pub mod invisible;
pub mod leftover;
pub mod links;
pub mod sections;
pub mod title;
pub mod typos;
pub mod values;

use comrak::nodes::AstNode;

use crate::diagnostic::{Code, Diagnostic};
use crate::render::markdown::{Pos, SiteSpan, Variant};
use crate::render::{HitInfo, RenderMode, SectionHeading, render_notice};
use crate::template::NoticeTemplate;
use crate::values::TenantValues;

/// What every document check sees: the template, the placed hits, the rendered text and its
/// variants, and the syntax tree of the document with every value filled.
pub(crate) struct Context<'c, 'a> {
    pub template: &'c NoticeTemplate,
    pub placer: &'c Placer,
    /// The body's placeholders, in output order (a token's index is its hit's index).
    pub hits: &'c [HitInfo],
    /// The front-matter title as printed (values and `[Label]`s in it), if there is one.
    pub title: Option<&'c str>,
    /// The tree of [`Context::filled`].
    pub root: &'a AstNode<'a>,
    /// The body with every value's token kept.
    pub filled: &'c Variant,
    /// The body as Jinja printed it, with a token per value.
    pub rendered: &'c str,
    /// For each output line, its (file, line) in the template.
    pub lines: &'c [(u32, u32)],
    /// Each hit's place in the template.
    pub spans: &'c [SiteSpan],
}

impl Context<'_, '_> {
    /// The body with only the tokens `keep` accepts: `|_| false` is every value left empty.
    pub(crate) fn variant(&self, keep: impl Fn(usize) -> bool) -> Variant {
        Variant::build(self.rendered, self.lines, self.spans, keep)
    }
}

/// Every check of the rendered document, in one pass: emphasis, leftovers, sections and
/// references, title drift, links, foreign placeholders and likely typos. Returns the numbered
/// headings.
pub(crate) fn run_document_checks(
    ctx: &Context,
    diags: &mut Vec<Diagnostic>,
) -> Vec<SectionHeading> {
    emphasis::check(ctx, diags);
    let raws = ctx
        .template
        .registry
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .raws
        .clone();
    leftover::template_text(ctx.filled, &raws, ctx.placer, diags);
    let sections = sections::check(ctx, diags);
    title::check(ctx, diags);
    links::check(ctx, diags);
    foreign::check(ctx, diags);
    typos::check(ctx.template, ctx.placer, diags);
    sections
}

/// All diagnostics for a template and a tenant's values, in template order.
pub fn check_notice(t: &NoticeTemplate, values: &TenantValues) -> Vec<Diagnostic> {
    render_notice(t, values, RenderMode::Preview).diagnostics
}

/// Sorts diagnostics by position and removes exact duplicates.
pub(crate) fn finish(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.sort_by_key(Diagnostic::sort_key);
    diags.dedup();
    diags
}

/// Turns template positions (file index, byte column) into diagnostic positions (path,
/// character column).
pub(crate) struct Placer {
    files: Vec<std::sync::Arc<crate::render::jinja::SourceFile>>,
    body_line: u32,
}

impl Placer {
    pub(crate) fn new(t: &NoticeTemplate) -> Self {
        let r = t.registry.lock().unwrap_or_else(|e| e.into_inner());
        Placer {
            files: r.files.clone(),
            body_line: t.body_line,
        }
    }

    /// Places `d` at `pos`.
    pub(crate) fn at(&self, d: Diagnostic, pos: Pos) -> Diagnostic {
        let Some(f) = self.files.get(pos.file as usize) else {
            return d.at(pos.line, pos.col);
        };
        let col = f.char_column(pos.line, pos.col);
        d.with_path(f.path.clone()).at(pos.line, col)
    }

    /// The 1-based character column of `pos` on its line.
    pub(crate) fn char_column(&self, pos: Pos) -> u32 {
        self.files
            .get(pos.file as usize)
            .map_or(pos.col, |f| f.char_column(pos.line, pos.col))
    }

    /// The text of the line `pos` is on.
    pub(crate) fn line_text(&self, pos: Pos) -> Option<&str> {
        self.files.get(pos.file as usize)?.line(pos.line)
    }

    /// A minijinja runtime error as a diagnostic at its template line.
    pub(crate) fn render_error(&self, e: &minijinja::Error) -> Diagnostic {
        let message = match e.kind() {
            minijinja::ErrorKind::OutOfFuel => {
                "the template ran too long and was stopped (a runaway loop?)".to_owned()
            }
            _ => e
                .detail()
                .map_or_else(|| e.kind().to_string(), str::to_owned),
        };
        let d = Diagnostic::error(Code::RenderError, message)
            .with_hint("fix the template at this line; rendering stops at the first such error");
        let line = e.line().unwrap_or(1) as u32;
        match e.name() {
            Some(crate::render::jinja::BODY) => self.at(
                d,
                Pos {
                    file: 0,
                    line: self.body_line + line - 1,
                    col: 1,
                },
            ),
            Some(crate::render::jinja::TITLE) | None => self.at(
                d,
                Pos {
                    file: 0,
                    line: 1,
                    col: 1,
                },
            ),
            Some(other) => {
                let file = self
                    .files
                    .iter()
                    .position(|f| f.path.ends_with(other))
                    .unwrap_or(0);
                self.at(
                    d,
                    Pos {
                        file: file as u32,
                        line,
                        col: 1,
                    },
                )
            }
        }
    }
}
