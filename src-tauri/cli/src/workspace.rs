//! `notice status`, `notice reissue` and `notice diff`: the workspace commands.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use indicatif::{ProgressBar, ProgressStyle};
use notice_engine::atomic::write_atomic;
use notice_engine::export::ExportFormat;
use notice_engine::workspace::Workspace;
use notice_engine::workspace::consent::{ServerNoticeDraft, server_notices};
use notice_engine::workspace::order::{RowOrder, sort_rows};
use notice_engine::workspace::publish::{TenantResult, export_tenants, outdated_tenants, reissue};
use notice_engine::workspace::redline::{redline, redline_document, redline_title};
use notice_engine::workspace::status::status;
use notice_engine::{EngineError, NoticeTemplate, TenantFile};

/// Prints the tenants × documents table.
pub fn print_status(root: &Path, json: bool, order: RowOrder) -> Result<ExitCode, EngineError> {
    let ws = Workspace::open(root)?;
    let mut rows = status(&ws)?;
    sort_rows(&mut rows, order);
    if json {
        crate::report::json(&rows);
        return Ok(ExitCode::SUCCESS);
    }
    let docs: Vec<&str> = ws.documents.iter().map(|d| d.name.as_str()).collect();
    let tenant_w = rows
        .iter()
        .map(|r| r.tenant.len())
        .max()
        .unwrap_or(6)
        .max(6);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.documents.iter().map(|(_, s)| s.label()).collect())
        .collect();
    let widths: Vec<usize> = (0..docs.len())
        .map(|i| {
            cells
                .iter()
                .map(|c| c[i].chars().count())
                .chain([docs[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut line = format!("{:<tenant_w$}", "tenant");
    for (d, w) in docs.iter().zip(&widths) {
        line.push_str(&format!("  {d:<w$}"));
    }
    println!("{}", line.trim_end());
    for (r, c) in rows.iter().zip(&cells) {
        let mut line = format!("{:<tenant_w$}", r.tenant);
        for (cell, w) in c.iter().zip(&widths) {
            line.push_str(&format!("  {cell:<w$}"));
        }
        println!("{}", line.trim_end());
    }
    print_server_notices(&server_notices(&ws, &rows));
    for e in &ws.unreadable {
        eprintln!("warning: {e}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Under the table: for each consent page whose users must accept again, the server notice to
/// set as `server_notice_content.body` before re-issuing.
fn print_server_notices(drafts: &[ServerNoticeDraft]) {
    for d in drafts {
        println!(
            "\n{tenant}: users must accept {doc} version {v} again. Draft server notice \
             (user_consent.server_notice_content.body; review it and fill in the [...]):\n  {body}",
            tenant = d.tenant,
            doc = d.document,
            v = d.consent_version,
            body = d.body,
        );
        if d.url_known {
            println!(
                "  Synapse replaces %(consent_uri)s with each user's own link to {}?u=…&h=…",
                d.consent_url
            );
        } else {
            println!(
                "  Synapse replaces %(consent_uri)s with each user's own link to {} \
                 (the tenant has no our_server_fqdn: check the homeserver's public_baseurl)",
                d.consent_url
            );
        }
    }
}

/// Exports every document for the given tenants (all tenants when none are named).
pub fn run_publish(
    root: &Path,
    tenants: &[String],
    out: Option<PathBuf>,
    formats: &[ExportFormat],
) -> Result<ExitCode, EngineError> {
    let ws = Workspace::open(root)?;
    let out = out.unwrap_or_else(|| root.join("exports"));
    for id in tenants {
        if ws.tenant(id).is_none() {
            eprintln!(
                "error: no tenant `{id}` in {}",
                root.join("tenants").display()
            );
            return Ok(ExitCode::from(2));
        }
    }
    let chosen: Vec<_> = ws
        .tenants
        .iter()
        .filter(|t| tenants.is_empty() || tenants.contains(&t.id))
        .collect();
    let results = export_tenants(
        &ws,
        &chosen,
        &out,
        formats,
        crate::export_time(),
        &AtomicBool::new(false),
        |_, _, _| {},
    );
    Ok(report_results(&results, &out))
}

fn report_results(results: &[TenantResult], out: &Path) -> ExitCode {
    let mut failed = 0;
    for r in results {
        if r.ok() {
            println!("{}: exported {} file(s)", r.tenant, r.written.len());
            continue;
        }
        failed += 1;
        println!("{}: not exported", r.tenant);
        for (doc, diags) in &r.problems {
            for d in diags.iter().take(5) {
                println!(
                    "    {doc}:{}: {}[{}]: {}",
                    d.line.unwrap_or(0),
                    d.severity.as_str(),
                    d.code.as_str(),
                    d.message
                );
            }
        }
        if let Some(f) = &r.failure {
            println!("    {f}");
        }
    }
    eprintln!(
        "{} of {} tenant(s) exported into {}",
        results.len() - failed,
        results.len(),
        out.display()
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Re-issues every outdated tenant (or lists them with `--dry-run`).
pub fn run_reissue(
    root: &Path,
    out: Option<PathBuf>,
    formats: &[ExportFormat],
    dry_run: bool,
) -> Result<ExitCode, EngineError> {
    let ws = Workspace::open(root)?;
    if dry_run {
        let todo = outdated_tenants(&ws)?;
        for t in &todo {
            println!("{}", t.id);
        }
        eprintln!("{} tenant(s) would be re-issued", todo.len());
        return Ok(ExitCode::SUCCESS);
    }
    let out = out.unwrap_or_else(|| root.join("exports"));
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let cancel = AtomicBool::new(false);
    let results = reissue(
        &ws,
        &out,
        formats,
        crate::export_time(),
        &cancel,
        |done, total, tenant| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
            bar.set_message(tenant.to_owned());
        },
    )?;
    bar.finish_and_clear();
    Ok(report_results(&results, &out))
}

/// Compares two template versions for a tenant.
pub fn run_diff(
    old: &Path,
    new: &Path,
    tenant: &Path,
    old_tenant: Option<&Path>,
    html: bool,
    output: Option<&Path>,
) -> Result<ExitCode, EngineError> {
    let a = NoticeTemplate::load(old)?;
    let b = NoticeTemplate::load(new)?;
    let (t, _) = TenantFile::load(tenant)?;
    let old_values = match old_tenant {
        Some(p) => TenantFile::load(p)?.0.values,
        None => t.values.clone(),
    };
    let r = redline(&a, &old_values, &b, &t.values);
    let body = if html {
        redline_document(&redline_title(&a, &b, &t.tenant), &r)
    } else {
        r.text.clone()
    };
    match output {
        Some(p) => write_atomic(p, body.as_bytes())?,
        None => print!("{body}"),
    }
    eprintln!(
        "{}: {} word(s) inserted, {} deleted",
        r.summary(),
        r.inserted_words,
        r.deleted_words
    );
    Ok(ExitCode::SUCCESS)
}
