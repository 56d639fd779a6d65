//! `notice fields` and `notice new-tenant`: a template's form schema, and a tenant file with
//! every field of a template, ready to fill in.

use std::path::Path;
use std::process::ExitCode;

use notice_engine::{Diagnostic, EngineError, NoticeTemplate, Severity, Summary, TenantFile};

use crate::report;

/// `notice fields`: prints the form schema; exit 1 when the template has load errors.
pub(crate) fn fields(template: &Path, json: bool) -> Result<ExitCode, EngineError> {
    let t = NoticeTemplate::load(template)?;
    let schema = t.schema();
    if json {
        report::json(&schema);
    } else {
        report::fields(&schema);
    }
    let problems: Vec<Diagnostic> = t
        .load_diagnostics()
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    if !json {
        report::diagnostics(&t, &problems);
    }
    Ok(crate::exit_for(Summary::of(&problems), false))
}

/// `notice new-tenant`: writes a skeleton tenant file (never over an existing one unless
/// `force`).
pub(crate) fn new_tenant(
    template: &Path,
    output: &Path,
    name: String,
    force: bool,
) -> Result<ExitCode, EngineError> {
    let t = NoticeTemplate::load(template)?;
    if output.exists() && !force {
        eprintln!(
            "error: {} exists; pass --force to replace it",
            output.display()
        );
        return Ok(ExitCode::from(2));
    }
    TenantFile::skeleton(&t, name).save(output)?;
    eprintln!(
        "wrote {} with {} fields; fill it in, then: notice check {} --tenant {}",
        output.display(),
        t.fields.len(),
        template.display(),
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}
