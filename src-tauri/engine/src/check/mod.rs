//! Checks: everything that can be wrong with a template and a tenant's values, as diagnostics with
//! template line and column. Each concern has its module; all of them are passes over the one
//! [`Context`] a render builds, so what the preview shows, what the checks judge and what export
//! writes are one rendering. [`render_notice`] is a render with every pass.

pub mod emphasis;
pub mod foreign;
pub mod hostnames;
pub mod invisible;
pub mod leftover;
pub mod links;
mod memo;
pub mod sections;
pub mod standalone;
pub mod title;
pub mod typos;
pub mod values;

use crate::diagnostic::Diagnostic;
use crate::render::{
    Checks, Context, HitInfo, Output, Placer, RenderMode, RenderedNotice, SectionHeading, render,
};
use crate::template::NoticeTemplate;
use crate::template::source::Pos;
use crate::values::TenantValues;

/// The checks as a render runs them.
struct Passes;

impl Checks for Passes {
    fn values(
        &self,
        t: &NoticeTemplate,
        given: &TenantValues,
        effective: &TenantValues,
        placer: &Placer,
        diags: &mut Vec<Diagnostic>,
    ) {
        values::field_checks(t, given, effective, placer, diags);
    }

    fn hits(
        &self,
        t: &NoticeTemplate,
        effective: &TenantValues,
        body: &[HitInfo],
        title: &[HitInfo],
        placer: &Placer,
        diags: &mut Vec<Diagnostic>,
    ) {
        values::hit_checks(body, placer, diags);
        values::hit_checks(title, placer, diags);
        values::attribute_checks(t, effective, body, placer, diags);
    }

    fn document(&self, ctx: &Context, diags: &mut Vec<Diagnostic>) -> Vec<SectionHeading> {
        document_checks(ctx, diags)
    }

    fn destination(
        &self,
        url: &str,
        hits: &[HitInfo],
        pos: Pos,
        placer: &Placer,
        diags: &mut Vec<Diagnostic>,
    ) -> String {
        links::destination(url, hits, pos, placer, diags)
    }
}

/// Every check of the rendered document, in one pass: emphasis, leftovers, sections and
/// references, title drift, links, foreign placeholders and likely typos. Returns the numbered
/// headings.
fn document_checks(ctx: &Context, diags: &mut Vec<Diagnostic>) -> Vec<SectionHeading> {
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

/// Renders a template with a tenant's values and checks the result.
pub fn render_notice(
    t: &NoticeTemplate,
    values: &TenantValues,
    mode: RenderMode,
) -> RenderedNotice {
    let output = match mode {
        RenderMode::Preview => Output::Html,
        RenderMode::Export { .. } => Output::Markdown,
    };
    checked_render(t, values, mode, output)
}

/// The live preview's render: [`render_notice`] in preview mode with the document as blocks
/// only (the joined body and the Markdown are not shown, so they are not carried). The app's
/// backend and the web view's copy of the engine both call this, so their previews agree.
pub fn render_preview(t: &NoticeTemplate, values: &TenantValues) -> RenderedNotice {
    let mut r = render_notice(t, values, RenderMode::Preview);
    if r.blocks.is_empty() && !r.body_html.is_empty() {
        r.blocks.push(std::mem::take(&mut r.body_html));
    }
    r.body_html.clear();
    r.markdown.clear();
    r
}

/// The diagnostics of an export render, without the Markdown text [`render_notice`] also makes
/// in export mode: what a workspace status needs. The same passes run over the same tree, and no
/// check reads the Markdown, so the diagnostics are the same; skipping it saves about a sixth of
/// a cold status.
pub fn export_diagnostics(t: &NoticeTemplate, values: &TenantValues) -> Vec<Diagnostic> {
    checked_render(t, values, RenderMode::Export { draft: false }, Output::Html).diagnostics
}

/// All diagnostics for a template and a tenant's values, in template order.
pub fn check_notice(t: &NoticeTemplate, values: &TenantValues) -> Vec<Diagnostic> {
    render_notice(t, values, RenderMode::Preview).diagnostics
}

/// [`render_notice`], producing only the output asked for.
pub(crate) fn checked_render(
    t: &NoticeTemplate,
    values: &TenantValues,
    mode: RenderMode,
    output: Output,
) -> RenderedNotice {
    render(t, values, mode, output, &Passes)
}
