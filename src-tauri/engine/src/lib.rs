//! Notice Studio's engine: turns a notice template and one tenant's values into a checked,
//! self-contained document.
//!
//! The engine is built in layers, lowest first; a module uses only the modules before it (a test,
//! `tests/integration/layers.rs`, fails on any import of a layer above):
//!
//! 1. Leaves, which know nothing of templates: [`token`] (the inert stand-ins that carry values
//!    through the Markdown parser), [`json_keys`], [`diagnostic`], [`error`], [`atomic`] (the one
//!    way files are written) and [`values`] (tenant values, field types and their validation).
//! 2. [`template`]: load a file, its front matter and fields, compile its body; the answers meant
//!    for one document of a family ([`template::answers`]).
//! 3. [`tenant`]: read and write tenant files.
//! 4. [`render`]: run the compiled template and build the document's tree (HTML, Markdown and
//!    Typst markup from one tree, every value kept out of the Markdown parser).
//! 5. [`check`]: the passes over one render's shared context, as diagnostics with template line
//!    and column; [`render_notice`] is a render with every check.
//! 6. [`export`]: the HTML document, Markdown, PDF, and the manifest and approval record an
//!    export carries.
//! 7. [`approval`]: legal sign-off bound to the exact content (signing, verifying, status).
//! 8. [`workspace`]: template families, tenants, history, status and publishing, and the one
//!    export path every host calls.
//!
//! The engine knows nothing of windows, terminals or clocks: callers pass the time in. There is no
//! single file-system seam: it reads the files a caller names (a template and its includes, a
//! tenant file, a workspace folder, an export to verify). It replaces files only through
//! [`atomic`]; besides that it appends to the history, creates the folders it writes into and
//! deletes a tenant file when asked to.

#![deny(missing_docs)]

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
pub mod token;
pub mod values;
pub mod workspace;

pub use check::check_notice;
pub use check::{render_notice, render_preview};
pub use diagnostic::{Code, Diagnostic, Fix, Severity, Summary};
pub use error::EngineError;
pub use export::pdf::{PagePreview, Paper, PdfExport, PdfSettings, PdfStandard};
#[cfg(feature = "pdf")]
pub use export::pdf::{export_pdf, page_preview};
pub use export::{ExportOptions, HtmlExport, MarkdownExport, export_html, export_markdown};
pub use render::{RenderMode, RenderedNotice};
pub use template::{Field, FieldType, NoticeTemplate, TemplateSchema};
pub use tenant::{TenantFile, TenantReport};
pub use values::{FieldValue, TenantValues};

/// The generator string written into exported documents.
pub const GENERATOR: &str = concat!("Notice Studio ", env!("CARGO_PKG_VERSION"));
