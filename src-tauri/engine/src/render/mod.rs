//! Rendering: a template and a tenant's values become Markdown, then HTML, with every value kept
//! out of the Markdown parser. A render hands each of its stages to the checks it is given
//! ([`Checks`], implemented by `check`) over one shared [`Context`], so the checks judge the very
//! rendering the preview shows and export writes.
//!
//! How values stay inert: each placeholder prints a token ([`token`]); comrak parses Markdown in
//! which values are opaque words; the values' text is then put into the syntax tree as text nodes,
//! link destinations are checked, and comrak writes HTML, escaping that text.

mod context;
mod defaults;
mod hits;
pub mod jinja;
pub mod markdown;
mod place;
pub(crate) mod runtime;
pub(crate) mod typst;

use comrak::Arena;
use comrak::nodes::{AstNode, LineColumn, NodeValue, Sourcepos};
use serde::{Deserialize, Serialize};

pub(crate) use context::{Checks, Context};
pub(crate) use defaults::apply_defaults;
pub(crate) use hits::{HitInfo, display_text};
pub(crate) use place::Placer;

use crate::diagnostic::{Code, Diagnostic, finish};
use crate::template::NoticeTemplate;
use crate::template::jinja::{BODY, TITLE};
use crate::token;
use crate::values::TenantValues;
use markdown::{SiteSpan, Variant};

/// What a render is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum RenderMode {
    /// For the app: unfilled places marked, every value wrapped with its field name, template line
    /// numbers on every block.
    Preview,
    /// For customers: no markers. A draft shows unfilled places as `[Label]`.
    Export {
        /// Unfilled places are shown as `[Label]` and the document is marked DRAFT.
        draft: bool,
    },
}

/// A numbered heading ("2.1.3 Right to Erasure"), so section references can be resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SectionHeading {
    /// The heading's number as printed (`2.1.3`).
    pub number: String,
    /// The heading's text after the number.
    pub title: String,
    /// The heading's template line.
    pub line: u32,
}

/// The result of one render: document, diagnostics and what the form needs to show.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RenderedNotice {
    /// The document title as plain text (front matter, else the first heading).
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The title as HTML (with markers in preview).
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_html: Option<String>,
    /// The template version, when it declares one.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The body as an HTML fragment; empty when the template cannot render.
    pub body_html: String,
    /// Preview only: `body_html` split into its top-level blocks, one element each, so the app can
    /// replace just the blocks that changed on a keystroke.
    pub blocks: Vec<String>,
    /// The body as Markdown with values escaped (export mode only; empty in preview).
    pub markdown: String,
    /// Everything found, in template order.
    pub diagnostics: Vec<Diagnostic>,
    /// The numbered headings, in document order.
    pub sections: Vec<SectionHeading>,
    /// Values after defaults were applied.
    pub values: TenantValues,
    /// Fields whose value came from their default.
    pub derived: Vec<String>,
    /// False when a syntax or render error stopped the render.
    pub rendered: bool,
    /// The body as Typst markup (PDF export and page preview only).
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub(crate) typst: Option<typst::TypstBody>,
}

/// What a render produces besides the diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Output {
    /// HTML: the preview's blocks, or an export's body.
    Html,
    /// HTML and the body as Markdown.
    Markdown,
    /// The body as Typst markup, for PDF.
    Typst,
    /// HTML with runtime tags left as tokens, for the runtime's export
    /// (the Synapse consent export).
    RuntimeHtml,
}

/// The body exactly as Jinja prints it, before Markdown: every value as plain text and unfilled
/// places empty, as Python's Jinja2 would print them for the same template and data. What the
/// differential tests compare against Jinja2; documents are made by `check::render_notice`.
// The one error is a diagnostic, as every other problem is; boxing it only for this rare path
// would make callers unwrap a box.
#[allow(clippy::result_large_err)]
pub fn jinja_text(t: &NoticeTemplate, values: &TenantValues) -> Result<String, Diagnostic> {
    let mut diags = Vec::new();
    let rt = t.runtime.as_ref().map(|d| d.runtime);
    let own = crate::template::runtime::without_runtime_names(rt, values, &mut diags);
    let values = own.as_ref().unwrap_or(values);
    let placer = Placer::new(t);
    let (effective, _) = apply_defaults(t, values, &mut diags);
    let Some(program) = &t.program else {
        return Err(t
            .load_diagnostics
            .iter()
            .find(|d| d.code == Code::Syntax)
            .cloned()
            .unwrap_or_else(|| Diagnostic::error(Code::Syntax, "the template does not compile")));
    };
    let (text, rec) = program
        .run(BODY, &effective, (0, t.body_line))
        .map_err(|e| placer.render_error(&e))?;
    let text = token::replace_tokens(&text, |i| {
        rec.hits
            .get(i)
            .and_then(|h| h.text.clone())
            .unwrap_or_default()
    });
    Ok(runtime::verbatim(&text, &runtime::tag_texts(t)))
}

/// Renders a template with a tenant's values, producing only the output asked for and running
/// `checks` on each stage.
pub(crate) fn render(
    t: &NoticeTemplate,
    values: &TenantValues,
    mode: RenderMode,
    output: Output,
    checks: &dyn Checks,
) -> RenderedNotice {
    let mut diags = t.load_diagnostics.clone();
    // Runtime names are the runtime's to give (template::runtime): never taken from a tenant.
    let rt = t.runtime.as_ref().map(|d| d.runtime);
    let own = crate::template::runtime::without_runtime_names(rt, values, &mut diags);
    let values = own.as_ref().unwrap_or(values);
    let placer = Placer::new(t);
    let (effective, derived) = apply_defaults(t, values, &mut diags);
    checks.values(t, values, &effective, &placer, &mut diags);
    let mut out = RenderedNotice {
        title: None,
        title_html: None,
        version: t.version.as_ref().map(ToString::to_string),
        body_html: String::new(),
        blocks: vec![],
        markdown: String::new(),
        diagnostics: vec![],
        sections: vec![],
        values: effective.clone(),
        derived,
        rendered: false,
        typst: None,
    };
    let Some(program) = &t.program else {
        out.diagnostics = finish(diags);
        return out;
    };
    let body = program.run(BODY, &effective, (0, t.body_line));
    let (md, rec) = match body {
        Ok(r) => r,
        Err(e) => {
            diags.push(placer.render_error(&e));
            out.diagnostics = finish(diags);
            return out;
        }
    };
    let title_run = match &t.title_source {
        Some(_) => match program.run(TITLE, &effective, (1, 1)) {
            Ok(r) => Some(r),
            Err(e) => {
                diags.push(placer.render_error(&e));
                None
            }
        },
        None => None,
    };

    let hits = hits::resolve_hits(t, &effective, &rec.hits);
    let title_hits = title_run
        .as_ref()
        .map(|(_, r)| hits::resolve_hits(t, &effective, &r.hits))
        .unwrap_or_default();
    checks.hits(t, &effective, &hits, &title_hits, &placer, &mut diags);

    let spans: Vec<SiteSpan> = hits.iter().map(|h| h.span).collect();
    let filled = Variant::build(&md, &rec.lines, &spans, |_| true);
    let arena = Arena::new();
    let root = markdown::parse(&arena, &filled);

    // Checks that need the document as the customer will read it.
    let title_text = title_run
        .as_ref()
        .map(|(s, _)| token::replace_tokens(s, |i| display_text(&title_hits, i)));
    let ctx = Context {
        template: t,
        placer: &placer,
        hits: &hits,
        title: title_text.as_deref(),
        root,
        filled: &filled,
        rendered: &md,
        lines: &rec.lines,
        spans: &spans,
    };
    out.sections = checks.document(&ctx, &mut diags);

    // The document itself.
    strip_raw_html(root, &filled, &placer, &mut diags);
    substitute(
        &arena, root, &hits, mode, &filled, &placer, checks, &mut diags,
    );
    if output != Output::RuntimeHtml {
        runtime::show_tags(&arena, root, &runtime::tag_texts(t));
    }
    let preview = mode == RenderMode::Preview;
    if preview {
        for node in root.descendants() {
            let mut d = node.data.borrow_mut();
            d.sourcepos = to_template_lines(d.sourcepos, &filled);
        }
    }
    let html_options = markdown::options(preview);
    if output == Output::Typst {
        out.typst = Some(typst::body(root));
    }
    if preview {
        for block in root.children() {
            let mut b = String::new();
            if comrak::format_html(block, &html_options, &mut b).is_ok() {
                out.blocks.push(b);
            }
        }
        out.body_html = out.blocks.concat();
    } else if comrak::format_html(root, &html_options, &mut out.body_html).is_err() {
        out.body_html.clear();
    }
    if output == Output::Markdown {
        let mut m = String::new();
        let mut o = markdown::options(false);
        o.render.width = 0;
        if comrak::format_commonmark(root, &o, &mut m).is_ok() {
            out.markdown = m;
        }
    }
    if let Some((s, _)) = &title_run {
        out.title_html = Some(inline_html(s, &title_hits, mode));
        out.title = title_text;
    } else {
        out.title = root
            .descendants()
            .find(|n| matches!(n.data.borrow().value, NodeValue::Heading(_)))
            .map(markdown::plain_text);
        out.title_html = out.title.as_deref().map(html_escape);
    }
    out.rendered = true;
    out.diagnostics = finish(diags);
    out
}

pub(crate) fn html_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

/// ` data-path="…"` for a value inside a list or record, so the app can focus its row.
fn path_attr(h: &HitInfo) -> String {
    match (&h.path, &h.field) {
        (Some(p), Some(f)) if p != f => format!(" data-path=\"{}\"", html_escape(p)),
        _ => String::new(),
    }
}

fn mark_html(h: &HitInfo) -> String {
    let field = html_escape(h.field.as_deref().unwrap_or(""));
    let label = html_escape(&h.label);
    let path = path_attr(h);
    format!(
        "<mark class=\"unfilled\" data-field=\"{field}\"{path} title=\"{label}: not filled in\">{label}</mark>"
    )
}

fn value_html(h: &HitInfo, text: &str) -> String {
    let field = html_escape(h.field.as_deref().unwrap_or(""));
    let path = path_attr(h);
    format!(
        "<span class=\"field-value\" data-field=\"{field}\"{path}>{}</span>",
        html_escape(text)
    )
}

/// A text with tokens as HTML: for the title.
fn inline_html(s: &str, hits: &[HitInfo], mode: RenderMode) -> String {
    let mut out = String::new();
    let mut last = 0;
    for t in token::find_tokens(s) {
        out.push_str(&html_escape(&s[last..t.start]));
        if let Some(h) = hits.get(t.index) {
            match (mode, h.unfilled) {
                (RenderMode::Preview, true) => out.push_str(&mark_html(h)),
                (RenderMode::Preview, false) => {
                    out.push_str(&value_html(h, h.text.as_deref().unwrap_or("")))
                }
                (_, _) => out.push_str(&html_escape(&display_text(hits, t.index))),
            }
        }
        last = t.end;
    }
    out.push_str(&html_escape(&s[last..]));
    out
}

fn to_template_lines(sp: Sourcepos, v: &Variant) -> Sourcepos {
    if sp.start.line == 0 {
        return sp;
    }
    let start = v.locate(sp.start.line, sp.start.column);
    let end = v.locate(sp.end.line, sp.end.column);
    let sl = v.main_line(sp.start.line) as usize;
    let el = v.main_line(sp.end.line).max(sl as u32) as usize;
    Sourcepos {
        start: LineColumn {
            line: sl,
            column: if start.file <= 1 {
                start.col as usize
            } else {
                1
            },
        },
        end: LineColumn {
            line: el,
            column: if end.file <= 1 { end.col as usize } else { 1 },
        },
    }
}

/// Template raw HTML is never rendered: it is removed from the tree and reported.
fn strip_raw_html<'a>(
    root: &'a AstNode<'a>,
    v: &Variant,
    placer: &Placer,
    diags: &mut Vec<Diagnostic>,
) {
    let raw: Vec<_> = root
        .descendants()
        .filter(|n| {
            matches!(
                n.data.borrow().value,
                NodeValue::HtmlBlock(_) | NodeValue::HtmlInline(_)
            )
        })
        .collect();
    for n in raw {
        let sp = n.data.borrow().sourcepos;
        diags.push(
            placer.at(
                Diagnostic::warning(Code::RawHtml, "raw HTML in the template is not rendered")
                    .with_hint(
                        "write it in Markdown; HTML is left out of previews and exports for safety",
                    ),
                v.locate(sp.start.line, sp.start.column),
            ),
        );
        n.detach();
    }
}

/// Puts values into the tree: text as text, link destinations checked, unfilled places marked
/// (preview) or shown as `[Label]` (draft export).
// The tree, its values and where to report: splitting them into a struct would only rename them.
#[allow(clippy::too_many_arguments)]
fn substitute<'a>(
    arena: &'a Arena<'a>,
    root: &'a AstNode<'a>,
    hits: &[HitInfo],
    mode: RenderMode,
    v: &Variant,
    placer: &Placer,
    checks: &dyn Checks,
    diags: &mut Vec<Diagnostic>,
) {
    let nodes: Vec<_> = root.descendants().collect();
    for node in nodes {
        let sp = node.data.borrow().sourcepos;
        let mut replace_text: Option<String> = None;
        {
            let mut data = node.data.borrow_mut();
            match &mut data.value {
                NodeValue::Text(t) if t.contains(token::OPEN) => {
                    replace_text = Some(t.to_string());
                }
                NodeValue::Code(c) => {
                    c.literal = token::replace_tokens(&c.literal, |i| display_text(hits, i));
                }
                NodeValue::CodeBlock(c) => {
                    c.literal = token::replace_tokens(&c.literal, |i| display_text(hits, i));
                }
                NodeValue::Link(l) | NodeValue::Image(l) => {
                    l.title = token::replace_tokens(&l.title, |i| display_text(hits, i));
                    let pos = v.locate(sp.start.line, sp.start.column);
                    l.url = checks.destination(&l.url, hits, pos, placer, diags);
                }
                _ => {}
            }
        }
        let Some(text) = replace_text else {
            continue;
        };
        let mut pending = String::new();
        let mut last = 0;
        let flush = |pending: &mut String| {
            if !pending.is_empty() {
                let n =
                    markdown::new_node(arena, NodeValue::Text(std::mem::take(pending).into()), sp);
                node.insert_before(n);
            }
        };
        for t in token::find_tokens(&text) {
            pending.push_str(&text[last..t.start]);
            last = t.end;
            let Some(h) = hits.get(t.index) else {
                continue;
            };
            match mode {
                RenderMode::Preview => {
                    flush(&mut pending);
                    let html = if h.unfilled {
                        mark_html(h)
                    } else {
                        value_html(h, h.text.as_deref().unwrap_or(""))
                    };
                    node.insert_before(markdown::new_node(arena, NodeValue::HtmlInline(html), sp));
                }
                RenderMode::Export { .. } => pending.push_str(&display_text(hits, t.index)),
            }
        }
        pending.push_str(&text[last..]);
        flush(&mut pending);
        node.detach();
    }
}
