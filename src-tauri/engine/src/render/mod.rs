//! Rendering: a template and a tenant's values become Markdown, then HTML, with every value kept
//! out of the Markdown parser. The checks run on the same pass (see [`crate::check`]), so what the
//! preview shows, what the checks judge and what export writes are one rendering.
//!
//! How values stay inert: each placeholder prints a token ([`token`]); comrak parses Markdown in
//! which values are opaque words; the values' text is then put into the syntax tree as text nodes,
//! link destinations are checked, and comrak writes HTML, escaping that text.

pub mod jinja;
pub mod markdown;
mod pyjinja;
pub(crate) mod runtime;
pub mod standalone;
pub mod token;

use comrak::Arena;
use comrak::nodes::{AstNode, LineColumn, NodeValue, Sourcepos};
use serde::{Deserialize, Serialize};

pub(crate) use token::{replace_tokens, token_digits};

use crate::check::{self, Placer};
use crate::diagnostic::{Code, Diagnostic};
use crate::template::NoticeTemplate;
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
    Export { draft: bool },
}

/// A numbered heading ("2.1.3 Right to Erasure"), so section references can be resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SectionHeading {
    pub number: String,
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
    pub diagnostics: Vec<Diagnostic>,
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
    pub(crate) typst: Option<crate::export::pdf::markup::TypstBody>,
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
    /// ([`crate::export::synapse`]).
    RuntimeHtml,
}

/// One value a placeholder produced, resolved against the template.
#[derive(Debug, Clone)]
pub(crate) struct HitInfo {
    pub text: Option<String>,
    pub unfilled: bool,
    /// The top-level field the value belongs to.
    pub field: Option<String>,
    /// Where in that field: `subprocessors[1].name` (the field's name alone for a plain value).
    pub path: Option<String>,
    pub label: String,
    pub span: SiteSpan,
    pub slot: u32,
    /// Whether the value reached the document (a captured block may never be printed).
    pub printed: bool,
    /// A list or a record printed whole.
    pub compound: bool,
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
    render(t, values, mode, output)
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

/// The body exactly as Jinja prints it, before Markdown: every value as plain text and unfilled
/// places empty, as Python's Jinja2 would print them for the same template and data. What the
/// differential tests compare against Jinja2; documents are made by [`render_notice`].
// The one error is a diagnostic, as every other problem is; boxing it only for this rare path
// would make callers unwrap a box.
#[allow(clippy::result_large_err)]
pub fn jinja_text(t: &NoticeTemplate, values: &TenantValues) -> Result<String, Diagnostic> {
    let mut diags = Vec::new();
    let rt = t.runtime.as_ref().map(|d| d.runtime);
    let own = crate::template::runtime::without_runtime_names(rt, values, &mut diags);
    let values = own.as_ref().unwrap_or(values);
    let placer = Placer::new(t);
    let (effective, _) = check::values::apply_defaults(t, values, &mut diags);
    let Some(program) = &t.program else {
        return Err(t
            .load_diagnostics
            .iter()
            .find(|d| d.code == Code::Syntax)
            .cloned()
            .unwrap_or_else(|| Diagnostic::error(Code::Syntax, "the template does not compile")));
    };
    let (text, rec) = program
        .run(jinja::BODY, &effective, (0, t.body_line))
        .map_err(|e| placer.render_error(&e))?;
    let text = token::replace_tokens(&text, |i| {
        rec.hits
            .get(i)
            .and_then(|h| h.text.clone())
            .unwrap_or_default()
    });
    Ok(runtime::verbatim(&text, &runtime::tag_texts(t)))
}

/// [`render_notice`], producing only the output asked for.
pub(crate) fn render(
    t: &NoticeTemplate,
    values: &TenantValues,
    mode: RenderMode,
    output: Output,
) -> RenderedNotice {
    let mut diags = t.load_diagnostics.clone();
    // Runtime names are the runtime's to give (template::runtime): never taken from a tenant.
    let rt = t.runtime.as_ref().map(|d| d.runtime);
    let own = crate::template::runtime::without_runtime_names(rt, values, &mut diags);
    let values = own.as_ref().unwrap_or(values);
    let placer = Placer::new(t);
    let (effective, derived) = check::values::apply_defaults(t, values, &mut diags);
    check::values::field_checks(t, values, &effective, &placer, &mut diags);
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
        out.diagnostics = check::finish(diags);
        return out;
    };
    let body = program.run(jinja::BODY, &effective, (0, t.body_line));
    let (md, rec) = match body {
        Ok(r) => r,
        Err(e) => {
            diags.push(placer.render_error(&e));
            out.diagnostics = check::finish(diags);
            return out;
        }
    };
    let title_run = match &t.title_source {
        Some(_) => match program.run(jinja::TITLE, &effective, (1, 1)) {
            Ok(r) => Some(r),
            Err(e) => {
                diags.push(placer.render_error(&e));
                None
            }
        },
        None => None,
    };

    let hits = resolve_hits(t, &effective, &rec.hits);
    let title_hits = title_run
        .as_ref()
        .map(|(_, r)| resolve_hits(t, &effective, &r.hits))
        .unwrap_or_default();
    check::values::hit_checks(&hits, &placer, &mut diags);
    check::values::hit_checks(&title_hits, &placer, &mut diags);
    check::values::attribute_checks(t, &effective, &hits, &placer, &mut diags);

    let spans: Vec<SiteSpan> = hits.iter().map(|h| h.span).collect();
    let filled = Variant::build(&md, &rec.lines, &spans, |_| true);
    let arena = Arena::new();
    let root = markdown::parse(&arena, &filled);

    // Checks that need the document as the customer will read it.
    let title_text = title_run
        .as_ref()
        .map(|(s, _)| token::replace_tokens(s, |i| display_text(&title_hits, i)));
    let ctx = check::Context {
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
    out.sections = check::run_document_checks(&ctx, &mut diags);

    // The document itself.
    strip_raw_html(root, &filled, &placer, &mut diags);
    substitute(&arena, root, &hits, mode, &filled, &placer, &mut diags);
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
        out.typst = Some(crate::export::pdf::markup::body(root));
    } else if preview {
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
    out.diagnostics = check::finish(diags);
    out
}

fn resolve_hits(t: &NoticeTemplate, values: &TenantValues, hits: &[jinja::Hit]) -> Vec<HitInfo> {
    let r = t.registry.lock().unwrap_or_else(|e| e.into_inner());
    // By name: a template may have thousands of fields, and every hit looks some up.
    let fields: std::collections::HashMap<&str, &crate::template::Field> =
        t.fields.iter().map(|f| (f.name.as_str(), f)).collect();
    let known_target = |slot: u32, rows: &[u32]| {
        let site = r.sites.get(slot as usize)?;
        let target = site.at.target.as_ref()?;
        fields.contains_key(target.field.as_str()).then(|| {
            let value = target.lookup(values, rows);
            (target.field.clone(), target.path(rows), value)
        })
    };
    hits.iter()
        .map(|h| {
            let site = r.sites.get(h.slot as usize);
            let blank = h.text.as_deref().is_none_or(|s| s.trim().is_empty());
            let vars = site.map(|s| s.vars.as_slice()).unwrap_or(&[]);
            let missing = |v: &String| values.get(v).is_none_or(crate::FieldValue::is_blank);
            // The field to blame: where the scopes say the value comes from (through a loop, or
            // through the placeholder that printed a macro's output), else the first variable
            // without a value, else the first variable.
            let traced = known_target(h.slot, &h.rows).or_else(|| {
                h.via
                    .iter()
                    .find_map(|(slot, rows)| known_target(*slot, rows))
            });
            // Printing nothing is a gap only when a value it reads is missing (`{{ "s" if n != 1
            // }}` prints nothing on purpose) and that value is required.
            let (field, path, input_missing) = match traced {
                Some((f, p, value)) => (
                    Some(f),
                    Some(p),
                    value.is_none_or(crate::FieldValue::is_blank),
                ),
                None => {
                    let f = vars
                        .iter()
                        .find(|v| fields.contains_key(v.as_str()) && missing(v))
                        .or(vars.first())
                        .cloned();
                    (f.clone(), f, !vars.is_empty() && vars.iter().any(missing))
                }
            };
            let required = field
                .as_deref()
                .and_then(|f| fields.get(f))
                .is_none_or(|f| f.required || f.kind == crate::FieldType::Bool);
            let unfilled = blank && input_missing && required;
            let label = field
                .as_deref()
                .and_then(|f| fields.get(f))
                .map(|f| sub_label(f, path.as_deref()))
                .or_else(|| path.clone())
                .unwrap_or_else(|| "value".into());
            let span = site.map_or(
                SiteSpan {
                    file: 0,
                    line: 1,
                    column: 1,
                    end_column: 1,
                },
                |s| SiteSpan {
                    file: s.at.file,
                    line: s.at.line,
                    column: s.at.column,
                    end_column: s.at.end_column,
                },
            );
            HitInfo {
                text: h.text.clone(),
                unfilled,
                field,
                path,
                label,
                span,
                slot: h.slot,
                printed: h.printed,
                compound: h.compound,
            }
        })
        .collect()
}

/// A value's label: the field's, with the row and the sub-field's label for a value inside a
/// list or record ("Subprocessors, row 2: name").
fn sub_label(f: &crate::template::Field, path: Option<&str>) -> String {
    let Some(rest) = path.and_then(|p| p.strip_prefix(f.name.as_str())) else {
        return f.label.clone();
    };
    if rest.is_empty() {
        return f.label.clone();
    }
    let mut label = f.label.clone();
    let mut field = f;
    for part in rest.split_inclusive(['.', '[']).filter(|p| !p.is_empty()) {
        let part = part.trim_end_matches(['.', '[']);
        if let Some(row) = part.strip_suffix(']') {
            if let Ok(n) = row.parse::<u32>() {
                label.push_str(&format!(", row {}", n + 1));
            }
            if let Some(item) = field.item.as_deref() {
                field = item;
            }
        } else if !part.is_empty() {
            match field.sub_field(part) {
                Some(sub) => {
                    label.push_str(&format!(": {}", sub.label.to_lowercase()));
                    field = sub;
                }
                None => label.push_str(&format!(": {part}")),
            }
        }
    }
    label
}

/// The text a hit shows in plain-text contexts: its value, or `[Label]` when unfilled.
pub(crate) fn display_text(hits: &[HitInfo], i: usize) -> String {
    match hits.get(i) {
        Some(h) if !h.unfilled => h.text.clone().unwrap_or_default(),
        Some(h) => format!("[{}]", h.label),
        None => String::new(),
    }
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
fn substitute<'a>(
    arena: &'a Arena<'a>,
    root: &'a AstNode<'a>,
    hits: &[HitInfo],
    mode: RenderMode,
    v: &Variant,
    placer: &Placer,
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
                    l.url = check::links::destination(&l.url, hits, pos, placer, diags);
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
