//! `notice render TEMPLATE --tenant FILE`: one document for one tenant, through the engine's one
//! export path (the same as the app's and `notice publish`'s), written to a file or stdout.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use notice_engine::approval::book::ApprovalBook;
use notice_engine::export::ExportFormat;
use notice_engine::workspace::export::{ExportRequest, export_document, write_export};
use notice_engine::workspace::family::sibling_keys_at;
use notice_engine::{
    Diagnostic, EngineError, NoticeTemplate, PdfSettings, Severity, Summary, TenantFile,
    tenant::tenant_id,
};

use crate::report;

/// The time written into exports: `SOURCE_DATE_EPOCH` when set (reproducible builds), else now.
pub(crate) fn export_time() -> time::OffsetDateTime {
    notice_engine::export::export_timestamp(
        std::env::var("SOURCE_DATE_EPOCH").ok().as_deref(),
        time::OffsetDateTime::now_utc(),
    )
}

/// What `notice render` of one template was asked for.
pub(crate) struct RenderArgs {
    pub template: PathBuf,
    pub tenant: Option<PathBuf>,
    pub to: ExportFormat,
    pub output: Option<PathBuf>,
    pub pdf: PdfSettings,
    pub draft: bool,
    pub strict: bool,
    pub json: bool,
}

/// Renders one template for one tenant.
pub(crate) fn render_one(args: RenderArgs) -> Result<ExitCode, EngineError> {
    let RenderArgs {
        template,
        tenant,
        to,
        output,
        mut pdf,
        draft,
        strict,
        json,
    } = args;
    if to == ExportFormat::Pdf
        && output.is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stdout())
    {
        eprintln!("error: a PDF is binary: pass -o FILE.pdf, or redirect the output");
        return Ok(ExitCode::from(2));
    }
    let Some(tenant) = tenant else {
        eprintln!("error: --tenant FILE is required to render a template");
        return Ok(ExitCode::from(2));
    };
    let t = NoticeTemplate::load(&template)?;
    let (file, _) = TenantFile::load(&tenant)?;
    pdf.tenant = Some(file.tenant.clone());
    let at = export_time();
    let book = (!draft).then(|| ApprovalBook::load(&tenant));
    let request = ExportRequest {
        tenant: &tenant_id(&tenant),
        template: &t,
        values: &file.values,
        sibling_keys: &sibling_keys_at(&template, &t)?,
        format: to,
        draft,
        at,
        pdf: &pdf,
        approvals: book.as_ref(),
    };
    let e = match export_document(&request) {
        Ok(e) => e,
        Err(e @ EngineError::ApprovalRequired { .. }) => {
            report::engine_error(&e);
            return Ok(ExitCode::from(1));
        }
        Err(e @ (EngineError::Refused { .. } | EngineError::Unrenderable { .. })) => {
            if json {
                report::json(&e);
            } else {
                report::diagnostics(&t, e.diagnostics());
                eprintln!(
                    "error: nothing written: {} error(s) remain; fix them, or pass --draft for a marked draft",
                    e.diagnostics().len()
                );
            }
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e),
    };
    let summary = Summary::of(&e.diagnostics);
    if strict && summary.warnings > 0 && !draft {
        report::diagnostics(&t, &e.diagnostics);
        eprintln!("error: nothing written: warnings remain and --strict was given");
        return Ok(ExitCode::from(1));
    }
    match &output {
        Some(p) => write_export(p, &t, &e, at)?,
        None => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(&e.bytes);
        }
    }
    if !json {
        let shown: Vec<Diagnostic> = e
            .diagnostics
            .into_iter()
            .filter(|d| d.severity != Severity::Info)
            .collect();
        report::diagnostics(&t, &shown);
        if let Some(p) = &output {
            eprintln!(
                "wrote {}{}",
                p.display(),
                if draft { " (draft)" } else { "" }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
