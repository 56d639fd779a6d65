//! What a render hands the checks: one shared context per render (the template, the placed
//! hits, the rendered text and the document's syntax tree), and the passes it asks for. The
//! passes are `check`'s; a render only calls them through [`Checks`].

use comrak::nodes::AstNode;

use super::SectionHeading;
use super::hits::HitInfo;
use super::markdown::{SiteSpan, Variant};
use super::place::Placer;
use crate::diagnostic::Diagnostic;
use crate::template::NoticeTemplate;
use crate::template::source::Pos;
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

/// The checks a render runs, in the order it runs them. Implemented by `check` (its passes over
/// one [`Context`]).
pub(crate) trait Checks {
    /// Before the run: the tenant's values against the fields (`given` as typed, `effective`
    /// after defaults).
    fn values(
        &self,
        t: &NoticeTemplate,
        given: &TenantValues,
        effective: &TenantValues,
        placer: &Placer,
        diags: &mut Vec<Diagnostic>,
    );
    /// After the run: the values printed in the body and in the title.
    fn hits(
        &self,
        t: &NoticeTemplate,
        effective: &TenantValues,
        body: &[HitInfo],
        title: &[HitInfo],
        placer: &Placer,
        diags: &mut Vec<Diagnostic>,
    );
    /// The document as the customer will read it. Returns its numbered headings.
    fn document(&self, ctx: &Context, diags: &mut Vec<Diagnostic>) -> Vec<SectionHeading>;
    /// The destination to write for a link `url` (which may hold tokens); empty when refused.
    fn destination(
        &self,
        url: &str,
        hits: &[HitInfo],
        pos: Pos,
        placer: &Placer,
        diags: &mut Vec<Diagnostic>,
    ) -> String;
}
