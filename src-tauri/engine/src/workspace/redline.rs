//! Redline for legal: the rendered document of one version against another, word by word, with
//! unchanged paragraphs folded, and whether the change is in the clause text or only in the
//! tenant's values. The comparison is of what the customer reads (the rendered text), not of
//! the template source.

use serde::{Deserialize, Serialize};
use similar::{Algorithm, ChangeTag, DiffOp, TextDiff, capture_diff_slices};

use comrak::nodes::NodeValue;

use crate::check::render_notice;
use crate::render::{RenderMode, html_escape, markdown};
use std::path::Path;

use crate::error::EngineError;
use crate::template::NoticeTemplate;
use crate::values::TenantValues;

use super::history::ExportRecord;
use super::status::last_export;

/// A comparison of two renderings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Redline {
    /// The redline as an HTML fragment (`<ins>`, `<del>`, folded `<details>`).
    pub html: String,
    /// The same as text, `[-deleted-]{+inserted+}` as `git diff --word-diff` writes it.
    pub text: String,
    /// The template's own wording changed (the documents differ with every value left empty).
    pub clause_changed: bool,
    /// The values differ.
    pub values_changed: bool,
    /// Words the new version adds.
    pub inserted_words: u32,
    /// Words it removes.
    pub deleted_words: u32,
}

impl Redline {
    /// Says in words where the change is.
    pub fn summary(&self) -> &'static str {
        match (self.clause_changed, self.values_changed) {
            (false, false) => "no change",
            (true, false) => "the clause text changed",
            (false, true) => "only the tenant's values changed",
            (true, true) => "the clause text and the tenant's values changed",
        }
    }
}

/// The document's paragraphs (headings, paragraphs, code blocks) as the customer reads them:
/// plain text with values filled in, no Markdown syntax.
fn paragraphs(t: &NoticeTemplate, values: &TenantValues) -> Vec<String> {
    let r = render_notice(t, values, RenderMode::Export { draft: true });
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, &r.markdown, &markdown::options(false));
    root.descendants()
        .filter(|n| {
            matches!(
                n.data.borrow().value,
                NodeValue::Paragraph
                    | NodeValue::Heading(_)
                    | NodeValue::CodeBlock(_)
                    | NodeValue::TableRow(_)
            )
        })
        .map(|n| {
            let text = match &n.data.borrow().value {
                NodeValue::CodeBlock(c) => c.literal.clone(),
                _ => markdown::plain_text(n),
            };
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// Compares `old` with `old_values` against `new` with `new_values`.
pub fn redline(
    old: &NoticeTemplate,
    old_values: &TenantValues,
    new: &NoticeTemplate,
    new_values: &TenantValues,
) -> Redline {
    let a = paragraphs(old, old_values);
    let b = paragraphs(new, new_values);
    let empty = TenantValues::new();
    let clause_changed = paragraphs(old, &empty) != paragraphs(new, &empty);
    let mut out = Redline {
        html: String::new(),
        text: String::new(),
        clause_changed,
        values_changed: old_values != new_values,
        inserted_words: 0,
        deleted_words: 0,
    };
    let ops = capture_diff_slices(Algorithm::Patience, &a, &b);
    let last = ops.len().saturating_sub(1);
    for (i, op) in ops.iter().enumerate() {
        match *op {
            DiffOp::Equal { old_index, len, .. } => {
                // Keep one paragraph of context on each side of a change; fold the rest.
                let keep_head = usize::from(i > 0);
                let keep_tail = usize::from(i < last);
                if len <= keep_head + keep_tail + 1 {
                    for p in &a[old_index..old_index + len] {
                        push_para(&mut out, "same", &html_escape(p), p);
                    }
                    continue;
                }
                for p in &a[old_index..old_index + keep_head] {
                    push_para(&mut out, "same", &html_escape(p), p);
                }
                let folded = &a[old_index + keep_head..old_index + len - keep_tail];
                out.html.push_str(&format!(
                    "<details class=\"folded\"><summary>{} unchanged paragraph{}</summary>",
                    folded.len(),
                    if folded.len() == 1 { "" } else { "s" }
                ));
                for p in folded {
                    out.html.push_str(&format!("<p>{}</p>", html_escape(p)));
                }
                out.html.push_str("</details>\n");
                out.text
                    .push_str(&format!("[… {} unchanged paragraphs …]\n\n", folded.len()));
                for p in &a[old_index + len - keep_tail..old_index + len] {
                    push_para(&mut out, "same", &html_escape(p), p);
                }
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                for p in &a[old_index..old_index + old_len] {
                    out.deleted_words += words(p);
                    push_para(
                        &mut out,
                        "deleted",
                        &format!("<del>{}</del>", html_escape(p)),
                        &format!("[-{p}-]"),
                    );
                }
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                for p in &b[new_index..new_index + new_len] {
                    out.inserted_words += words(p);
                    push_para(
                        &mut out,
                        "inserted",
                        &format!("<ins>{}</ins>", html_escape(p)),
                        &format!("{{+{p}+}}"),
                    );
                }
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let old_text = a[old_index..old_index + old_len].join("\n\n");
                let new_text = b[new_index..new_index + new_len].join("\n\n");
                let diff = TextDiff::configure()
                    .algorithm(Algorithm::Patience)
                    .diff_words(&old_text, &new_text);
                let (mut html, mut text) = (String::new(), String::new());
                for change in diff.iter_all_changes() {
                    let v = change.value();
                    match change.tag() {
                        ChangeTag::Equal => {
                            html.push_str(&html_escape(v));
                            text.push_str(v);
                        }
                        ChangeTag::Delete => {
                            out.deleted_words += words(v);
                            html.push_str(&format!("<del>{}</del>", html_escape(v)));
                            text.push_str(&format!("[-{v}-]"));
                        }
                        ChangeTag::Insert => {
                            out.inserted_words += words(v);
                            html.push_str(&format!("<ins>{}</ins>", html_escape(v)));
                            text.push_str(&format!("{{+{v}+}}"));
                        }
                    }
                }
                push_para(&mut out, "changed", &html, &text);
            }
        }
    }
    out
}

fn words(s: &str) -> u32 {
    s.split_whitespace().count() as u32
}

fn push_para(out: &mut Redline, class: &str, html: &str, text: &str) {
    out.html.push_str(&format!(
        "<p class=\"{class}\">{}</p>\n",
        html.replace("\n\n", "<br><br>")
    ));
    out.text.push_str(text);
    out.text.push_str("\n\n");
}

/// The last export of a document for a tenant against what it would be now.
#[derive(Debug)]
pub enum SinceExport {
    /// No export of this document for this tenant is recorded.
    NeverExported,
    /// The export is recorded, but what it was made from was not kept (an older history).
    InputsNotKept(ExportRecord),
    /// The export and the redline of the document now against it.
    Redline(ExportRecord, Redline),
}

/// Compares what `tenant` last received of `document` (its recorded inputs, from
/// [`super::inputs`]) with `current` rendered with `values` now.
pub fn since_last_export(
    root: &Path,
    history: &[ExportRecord],
    tenant: &str,
    document: &str,
    current: &NoticeTemplate,
    values: &TenantValues,
) -> Result<SinceExport, EngineError> {
    let Some(rec) = last_export(history, tenant, document) else {
        return Ok(SinceExport::NeverExported);
    };
    match super::inputs::load(root, rec)? {
        None => Ok(SinceExport::InputsNotKept(rec.clone())),
        Some((old, old_values)) => Ok(SinceExport::Redline(
            rec.clone(),
            redline(&old, &old_values, current, values),
        )),
    }
}

/// A heading for a redline of `old` against `new` for `tenant`: "privacy_notice 1.0.0 → 2.0.0,
/// for Acme" (file names, not titles: a title may hold placeholders).
pub fn redline_title(old: &NoticeTemplate, new: &NoticeTemplate, tenant: &str) -> String {
    let side = |t: &NoticeTemplate| {
        let name = t
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        match &t.version {
            Some(v) => format!("{name} {v}"),
            None => name,
        }
    };
    let (a, b) = (side(old), side(new));
    let head = if a == b {
        format!("{a}, two versions")
    } else {
        format!("{a} → {b}")
    };
    if tenant.trim().is_empty() {
        head
    } else {
        format!("{head}, for {}", tenant.trim())
    }
}

/// A self-contained HTML page of the redline for legal.
pub fn redline_document(title: &str, r: &Redline) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n<style>\
body{{font:16px/1.6 Georgia,serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1d2329}}\
ins{{background:#dafbe1;text-decoration:none}}del{{background:#ffebe9;color:#82071e}}\
p.same{{color:#5b6670}}details.folded{{color:#5b6670;margin:1em 0}}summary{{cursor:pointer;font-style:italic}}\
.summary{{border:1px solid #d8dde2;padding:.6em 1em;border-radius:4px}}\
</style>\n</head>\n<body>\n<h1>{t}</h1>\n<p class=\"summary\">{s}: {i} word(s) inserted, {d} deleted.</p>\n{h}</body>\n</html>\n",
        t = html_escape(title),
        s = html_escape(r.summary()),
        i = r.inserted_words,
        d = r.deleted_words,
        h = r.html
    )
}
