//! One export in any [`ExportFormat`], in two steps: the render, then the file. Between them a
//! caller can check what the render is (the approval is checked against the very render that is
//! written), so a document is rendered once per export.

use sha2::{Digest, Sha256};

use super::pdf::PdfSettings;
use super::{ExportFormat, ExportOptions, html, inputs_hash, markdown_document, refuse_errors};
use crate::check::checked_render;
use crate::diagnostic::Diagnostic;
use crate::error::EngineError;
use crate::render::{RenderMode, RenderedNotice};
use crate::template::NoticeTemplate;
use crate::values::TenantValues;

/// A document rendered for export in one format, not yet written.
#[derive(Debug)]
pub struct RenderedExport {
    format: ExportFormat,
    draft: bool,
    rendered: RenderedNotice,
    inputs_sha256: String,
}

/// An exported file's bytes, with their hashes and the render's diagnostics.
#[derive(Debug, Clone)]
pub struct ExportedBytes {
    /// The file as it is to be written.
    pub bytes: Vec<u8>,
    /// SHA-256 of `bytes`.
    pub sha256: String,
    /// SHA-256 of template and values ([`inputs_hash`]).
    pub inputs_sha256: String,
    /// Warnings and infos (errors refuse a non-draft export).
    pub diagnostics: Vec<Diagnostic>,
}

impl RenderedExport {
    /// Renders `t` with `values` for export in `format`. Never refused here: [`Self::finish`]
    /// refuses while errors remain.
    pub fn render(
        t: &NoticeTemplate,
        values: &TenantValues,
        format: ExportFormat,
        draft: bool,
    ) -> Self {
        RenderedExport {
            format,
            draft,
            rendered: checked_render(t, values, RenderMode::Export { draft }, format.output()),
            inputs_sha256: inputs_hash(t, values),
        }
    }

    /// The body as HTML, whatever the format: what an approval's document hash is taken over.
    pub fn body_html(&self) -> &str {
        &self.rendered.body_html
    }

    /// Writes the file. Refused (with the errors) while errors remain, unless the render was a
    /// draft; `pdf` sets paper and standards for a PDF.
    pub fn finish(
        self,
        t: &NoticeTemplate,
        opts: ExportOptions<'_>,
        pdf: &PdfSettings,
    ) -> Result<ExportedBytes, EngineError> {
        refuse_errors(&self.rendered, self.draft)?;
        let opts = ExportOptions {
            draft: self.draft,
            ..opts
        };
        let r = &self.rendered;
        let bytes = match self.format {
            ExportFormat::Html => html::document(t, r, &self.inputs_sha256, opts).into_bytes(),
            ExportFormat::Md => markdown_document(r, self.draft).into_bytes(),
            #[cfg(feature = "pdf")]
            ExportFormat::Pdf => super::pdf::pdf_of(t, r, &self.inputs_sha256, opts, pdf)?.0,
            #[cfg(not(feature = "pdf"))]
            ExportFormat::Pdf => {
                let _ = pdf;
                return Err(EngineError::Typeset {
                    message: "this build of Notice Studio has no PDF support".into(),
                });
            }
        };
        Ok(ExportedBytes {
            sha256: hex::encode(Sha256::digest(&bytes)),
            bytes,
            inputs_sha256: self.inputs_sha256,
            diagnostics: self.rendered.diagnostics,
        })
    }
}
