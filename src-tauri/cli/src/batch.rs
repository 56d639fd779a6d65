//! `notice render DIR --tenants DIR -o OUT`: every template for every tenant, with a progress bar
//! on a terminal and a summary of what failed and why.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use notice_engine::export::ExportFormat;
use notice_engine::template::answers::sibling_keys;
use notice_engine::workspace::export::{ExportRequest, export_document};
use notice_engine::{EngineError, NoticeTemplate, PdfSettings, TenantFile, atomic::write_atomic};

fn files_with(dir: &Path, ext: &str) -> Result<Vec<PathBuf>, EngineError> {
    let rd = std::fs::read_dir(dir).map_err(|source| EngineError::Read {
        path: dir.to_owned(),
        source,
    })?;
    let mut v: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == ext))
        .filter(|p| !p.to_string_lossy().ends_with(".fields.yaml"))
        .collect();
    v.sort();
    Ok(v)
}

pub fn render_all(
    templates_dir: &Path,
    tenants_dir: &Path,
    out: &Path,
    to: ExportFormat,
    pdf: &PdfSettings,
    draft: bool,
) -> Result<ExitCode, EngineError> {
    let templates = files_with(templates_dir, "md")?;
    let tenants = files_with(tenants_dir, "json")?;
    std::fs::create_dir_all(out).map_err(|source| EngineError::Write {
        path: out.to_owned(),
        source,
    })?;
    let loaded: Vec<NoticeTemplate> = templates
        .iter()
        .map(|p| NoticeTemplate::load(p))
        .collect::<Result<_, _>>()?;
    let total = (loaded.len() * tenants.len()) as u64;
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let at = crate::export_time();
    // The folder's templates are one family: answers only a sibling reads are not "unknown".
    let siblings: Vec<_> = loaded.iter().map(|t| sibling_keys(t, &loaded)).collect();
    let mut failures: Vec<String> = Vec::new();
    let mut written = 0u32;
    for tenant_path in &tenants {
        let stem = tenant_path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (values, pdf) = match TenantFile::load(tenant_path) {
            Ok((t, _)) => (
                t.values,
                PdfSettings {
                    tenant: Some(t.tenant),
                    ..pdf.clone()
                },
            ),
            Err(e) => {
                failures.push(e.to_string());
                bar.inc(loaded.len() as u64);
                continue;
            }
        };
        for (t, sibling_keys) in loaded.iter().zip(&siblings) {
            bar.set_message(format!("{stem} · {}", t.id));
            let doc = t
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            // Batch renders are never gated on approvals and recorded nowhere: they are drafts
            // of a folder, not a workspace's exports.
            let request = ExportRequest {
                tenant: &stem,
                template: t,
                values: &values,
                sibling_keys,
                format: to,
                draft,
                at,
                pdf: &pdf,
                approvals: None,
            };
            match export_document(&request) {
                Ok(e) => {
                    let bytes = e.bytes;
                    let target = out.join(&stem).join(format!("{doc}.{}", to.extension()));
                    let written_ok = target
                        .parent()
                        .map(std::fs::create_dir_all)
                        .transpose()
                        .map_err(|source| EngineError::Write {
                            path: target.clone(),
                            source,
                        })
                        .and_then(|_| write_atomic(&target, &bytes));
                    match written_ok {
                        Ok(()) => written += 1,
                        Err(e) => failures.push(e.to_string()),
                    }
                }
                Err(e) => {
                    let first: Vec<String> = e
                        .diagnostics()
                        .iter()
                        .take(3)
                        .map(|d| {
                            format!(
                                "    {}:{}: {}[{}]: {}",
                                t.path.display(),
                                d.line.unwrap_or(0),
                                d.severity.as_str(),
                                d.code.as_str(),
                                d.message
                            )
                        })
                        .collect();
                    failures.push(format!("{stem} × {}: {}\n{}", t.id, e, first.join("\n")));
                }
            }
            bar.inc(1);
        }
    }
    bar.finish_and_clear();
    eprintln!(
        "{written} of {total} documents written to {}",
        out.display()
    );
    if failures.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("{} failed:", failures.len());
        for f in &failures {
            eprintln!("  {f}");
        }
        Ok(ExitCode::from(1))
    }
}
