//! Notice Studio's engine: turns a notice template and one tenant's values into a checked,
//! self-contained document.
//!
//! The pipeline, one module per stage:
//! [`template`] (load, front matter, fields, placeholders) → [`render`] (values → Markdown → HTML,
//! with every value kept out of the Markdown parser) → [`check`] (diagnostics with template line and
//! column) → [`export`] (HTML document, Markdown). [`tenant`] reads and writes tenant files;
//! [`atomic`] is the one way files are written. [`approval`] signs and verifies legal sign-off
//! bound to the exact content.
//!
//! The engine knows nothing of windows, terminals or clocks: callers pass the time in, and all file
//! access goes through [`template::NoticeTemplate::load`], [`tenant`] and [`atomic`].

pub mod approval;
pub mod atomic;
pub mod check;
pub mod diagnostic;
pub mod error;
pub mod export;
pub mod json_keys;
pub mod render;
pub mod template;
pub mod tenant;
pub mod values;
pub mod workspace;

pub use check::check_notice;
pub use diagnostic::{Code, Diagnostic, Fix, Severity, Summary};
pub use error::EngineError;
pub use export::pdf::{PagePreview, Paper, PdfExport, PdfSettings, PdfStandard};
#[cfg(feature = "pdf")]
pub use export::pdf::{export_pdf, page_preview};
pub use export::{ExportOptions, HtmlExport, MarkdownExport, export_html, export_markdown};
pub use render::{RenderMode, RenderedNotice, render_notice};
pub use template::{Field, FieldType, NoticeTemplate, TemplateSchema};
pub use tenant::{TenantFile, TenantReport};
pub use values::{FieldValue, TenantValues};

/// The generator string written into exported documents.
pub const GENERATOR: &str = concat!("Notice Studio ", env!("CARGO_PKG_VERSION"));
