//! Export: the finished document as one self-contained HTML file, a PDF ([`pdf`]), or Markdown. Export refuses
//! while errors remain unless a draft is asked for, which carries a visible DRAFT banner.

mod document;
mod html;
pub mod manifest;
pub mod pdf;
pub mod signed;
pub mod synapse;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::check::checked_render;
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::EngineError;
use crate::render::{Output, RenderMode, RenderedNotice};
use crate::template::NoticeTemplate;
use crate::values::TenantValues;
use signed::Approval;

pub use document::{ExportedBytes, RenderedExport};
pub use html::STYLESHEET;

/// A format a document is exported in: the one list the app, the CLI and publish share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum ExportFormat {
    /// One self-contained HTML file.
    Html,
    /// Markdown with front matter.
    Md,
    /// Tagged PDF, typeset in-process.
    Pdf,
}

impl ExportFormat {
    /// The file extension (also the name the CLI and the app use).
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Html => "html",
            ExportFormat::Md => "md",
            ExportFormat::Pdf => "pdf",
        }
    }

    /// What a render for this format produces.
    pub(crate) fn output(self) -> Output {
        match self {
            ExportFormat::Html => Output::Html,
            ExportFormat::Md => Output::Markdown,
            ExportFormat::Pdf => Output::Typst,
        }
    }
}

impl std::str::FromStr for ExportFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "html" => Ok(ExportFormat::Html),
            "md" => Ok(ExportFormat::Md),
            "pdf" => Ok(ExportFormat::Pdf),
            other => Err(format!("unknown format `{other}` (html, md or pdf)")),
        }
    }
}

/// How to export.
#[derive(Debug, Clone, Copy)]
pub struct ExportOptions<'a> {
    /// Export despite errors, with a DRAFT banner.
    pub draft: bool,
    /// The time written into the document (pass it in: exports are reproducible).
    pub rendered_at: OffsetDateTime,
    /// The legal approval this document carries (in its metadata and footer); the caller has
    /// checked that it holds. Never written into a draft.
    pub approval: Option<&'a Approval>,
}

/// An exported HTML document.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct HtmlExport {
    /// The document.
    pub html: String,
    /// SHA-256 of template and values: the same inputs give the same hash.
    pub inputs_sha256: String,
    /// SHA-256 of the HTML itself.
    pub sha256: String,
    /// Warnings and infos (errors block a non-draft export).
    pub diagnostics: Vec<Diagnostic>,
}

/// An exported Markdown document.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct MarkdownExport {
    /// The document: front matter, then the body.
    pub markdown: String,
    /// SHA-256 of the Markdown itself.
    pub sha256: String,
    /// Warnings and infos (errors block a non-draft export).
    pub diagnostics: Vec<Diagnostic>,
}

/// The time to write into an export: `source_date_epoch` (Unix seconds, as the reproducible-builds
/// `SOURCE_DATE_EPOCH` convention has it) when given and valid, else `now`.
pub fn export_timestamp(source_date_epoch: Option<&str>, now: OffsetDateTime) -> OffsetDateTime {
    source_date_epoch
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
        .unwrap_or(now)
}

/// SHA-256 over the template (and sidecar) hash and the values, in canonical JSON.
pub fn inputs_hash(t: &NoticeTemplate, values: &TenantValues) -> String {
    let mut h = Sha256::new();
    h.update(t.content_hash.as_bytes());
    h.update(b"\0");
    h.update(serde_json::to_string(values).unwrap_or_default().as_bytes());
    hex::encode(h.finalize())
}

pub(crate) fn render_for_export(
    t: &NoticeTemplate,
    values: &TenantValues,
    draft: bool,
    output: Output,
) -> Result<RenderedNotice, EngineError> {
    let r = checked_render(t, values, RenderMode::Export { draft }, output);
    refuse_errors(&r, draft)?;
    Ok(r)
}

/// Refused while errors remain, unless `draft`; a template that cannot render is refused always.
pub(crate) fn refuse_errors(r: &RenderedNotice, draft: bool) -> Result<(), EngineError> {
    let errors: Vec<Diagnostic> = r
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    if !r.rendered {
        return Err(EngineError::Unrenderable {
            message: errors
                .first()
                .map_or_else(|| "unknown error".to_owned(), |d| d.message.clone()),
            diagnostics: errors,
        });
    }
    if !draft && !errors.is_empty() {
        return Err(EngineError::Refused {
            diagnostics: errors,
        });
    }
    Ok(())
}

/// Exports HTML. Refused (with the errors) while errors remain, unless `draft`.
pub fn export_html(
    t: &NoticeTemplate,
    values: &TenantValues,
    opts: ExportOptions<'_>,
) -> Result<HtmlExport, EngineError> {
    let r = render_for_export(t, values, opts.draft, Output::Html)?;
    let inputs_sha256 = inputs_hash(t, values);
    let html = html::document(t, &r, &inputs_sha256, opts);
    let sha256 = hex::encode(Sha256::digest(html.as_bytes()));
    Ok(HtmlExport {
        html,
        inputs_sha256,
        sha256,
        diagnostics: r.diagnostics,
    })
}

/// Exports Markdown (with front matter holding the rendered title and version).
pub fn export_markdown(
    t: &NoticeTemplate,
    values: &TenantValues,
    opts: ExportOptions<'_>,
) -> Result<MarkdownExport, EngineError> {
    let r = render_for_export(t, values, opts.draft, Output::Markdown)?;
    let md = markdown_document(&r, opts.draft);
    Ok(MarkdownExport {
        sha256: hex::encode(Sha256::digest(md.as_bytes())),
        markdown: md,
        diagnostics: r.diagnostics,
    })
}

/// The Markdown file of a render: front matter with the title and version, then the body.
fn markdown_document(r: &RenderedNotice, draft: bool) -> String {
    let mut md = String::from("---\n");
    if let Some(title) = &r.title {
        md.push_str(&format!(
            "title: {}\n",
            serde_json::to_string(title).unwrap_or_default()
        ));
    }
    if let Some(v) = &r.version {
        md.push_str(&format!(
            "version: {}\n",
            serde_json::to_string(v).unwrap_or_default()
        ));
    }
    md.push_str("---\n\n");
    if draft {
        md.push_str("> **DRAFT — not for distribution**\n\n");
    }
    md.push_str(&r.markdown);
    md
}
