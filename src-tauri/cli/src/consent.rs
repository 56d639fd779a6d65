//! `notice consent`: a consent template and a tenant become a Synapse `template_dir` and the
//! `user_consent:` section of `homeserver.yaml`. Output and exit codes only; the export itself
//! is the engine's (`export::synapse`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use notice_engine::export::synapse::{ConsentOptions, export_consent};
use notice_engine::{EngineError, NoticeTemplate, Severity, TenantFile};

use crate::report;

/// Writes `out/en/<version>.html`, `out/en/success.html` and `out/user_consent.yaml`, and prints
/// the YAML. `template_dir` is what the YAML names (default: `out`, absolute).
pub(crate) fn run(
    template: &Path,
    tenant: &Path,
    out: &Path,
    template_dir: Option<&str>,
) -> Result<ExitCode, EngineError> {
    let t = NoticeTemplate::load(template)?;
    let (tf, _) = TenantFile::load(tenant)?;
    let dir = match template_dir {
        Some(d) => d.to_owned(),
        None => absolute(out).display().to_string(),
    };
    let opts = ConsentOptions {
        template_dir: &dir,
        rendered_at: crate::export_time(),
    };
    let e = match export_consent(&t, &tf.values, opts) {
        Ok(e) => e,
        Err(e @ (EngineError::Refused { .. } | EngineError::Unrenderable { .. })) => {
            report::diagnostics(&t, e.diagnostics());
            if e.diagnostics().is_empty() {
                report::engine_error(&e);
            }
            eprintln!(
                "error: nothing written: {} error(s) remain (a page Synapse serves has no drafts)",
                e.diagnostics().len().max(1)
            );
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e),
    };
    let written = e.write_to(out)?;
    let shown: Vec<_> = e
        .diagnostics
        .into_iter()
        .filter(|d| d.severity != Severity::Info)
        .collect();
    report::diagnostics(&t, &shown);
    print!("{}", e.user_consent_yaml);
    eprintln!(
        "wrote {} (consent version {}; a new major version of the template is a new version users must accept)",
        written
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        e.version
    );
    Ok(ExitCode::SUCCESS)
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_owned())
}
