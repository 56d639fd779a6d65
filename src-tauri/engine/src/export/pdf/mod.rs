//! PDF export and the page preview, typeset in-process by Typst with fonts shipped inside the
//! program. The rendered syntax tree (the same one the HTML comes from) becomes Typst markup
//! ([`markup`]), which is compiled in a sealed world ([`world`]) to a tagged PDF, or to SVG pages
//! for the app's "Pages" view.
//!
//! Same inputs and the same timestamp give byte-identical PDFs: no system fonts, no clock, the
//! document identifier derived from the inputs.

#[cfg(feature = "pdf")]
mod typeset;
#[cfg(feature = "pdf")]
mod world;

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::error::EngineError;
use crate::export::render_for_export;
use crate::render::Output;
use crate::template::NoticeTemplate;
use crate::values::TenantValues;
#[cfg(feature = "pdf")]
pub(crate) use typeset::pdf_of;
#[cfg(feature = "pdf")]
pub use typeset::{export_pdf, page_preview};

/// Paper size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

impl Paper {
    #[cfg(feature = "pdf")]
    fn typst_name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "us-letter",
        }
    }
}

impl FromStr for Paper {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "a4" => Ok(Paper::A4),
            "letter" | "us-letter" => Ok(Paper::Letter),
            other => Err(format!("unknown paper size `{other}`: use a4 or letter")),
        }
    }
}

/// A PDF standard the file is checked against while it is written. Output is always tagged
/// (structure tree, reading order); these add conformance on top.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum PdfStandard {
    /// PDF/UA-1: accessible (the app's default).
    #[serde(rename = "ua-1")]
    Ua1,
    /// PDF/A-2a: archival, with structure (accessible).
    #[serde(rename = "a-2a")]
    A2a,
    /// PDF/A-2b: archival, visual appearance only.
    #[serde(rename = "a-2b")]
    A2b,
}

impl FromStr for PdfStandard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "ua-1" | "ua1" => Ok(PdfStandard::Ua1),
            "a-2a" | "a2a" => Ok(PdfStandard::A2a),
            "a-2b" | "a2b" => Ok(PdfStandard::A2b),
            other => Err(format!(
                "unknown PDF standard `{other}`: use ua-1, a-2a or a-2b"
            )),
        }
    }
}

/// How to lay out and what to declare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PdfSettings {
    /// The paper size.
    pub paper: Paper,
    /// Standards to conform to; several may be combined (one PDF/A with PDF/UA-1).
    pub standards: Vec<PdfStandard>,
    /// The tenant's display name, shown in the title block.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
}

impl Default for PdfSettings {
    fn default() -> Self {
        Self {
            paper: Paper::A4,
            standards: vec![PdfStandard::Ua1],
            tenant: None,
        }
    }
}

/// An exported PDF.
#[derive(Debug, Clone)]
pub struct PdfExport {
    /// The PDF file.
    pub pdf: Vec<u8>,
    /// SHA-256 of template and values.
    pub inputs_sha256: String,
    /// SHA-256 of the PDF file.
    pub sha256: String,
    /// Number of pages.
    pub pages: usize,
    /// Warnings and infos (errors block a non-draft export).
    pub diagnostics: Vec<Diagnostic>,
}

/// The pages as the PDF will show them, for the app's "Pages" view.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PagePreview {
    /// One self-contained SVG document per page.
    pub pages: Vec<String>,
    /// Whether the pages carry the DRAFT watermark (errors remain).
    pub draft: bool,
    /// Milliseconds spent typesetting and drawing, for the status bar.
    pub millis: f64,
}

/// The body as Typst markup, one string per block: what the PDF typesets (as a draft, so it is
/// never refused). For tests and fuzzing of the Markdown → Typst conversion.
pub fn typst_markup(t: &NoticeTemplate, values: &TenantValues) -> Result<Vec<String>, EngineError> {
    let r = render_for_export(t, values, true, Output::Typst)?;
    Ok(r.typst.map(|b| b.blocks).unwrap_or_default())
}
