//! `notice check`: one template, or every template below a folder as family-aware runs (a folder
//! of templates is a family: a name used by a sibling is known, a likely typo is judged against
//! all of them), with one exit code and a summary; output as compiler-style text, JSON or SARIF
//! 2.1.0 (for code review in template repositories).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use notice_engine::template::answers::answers_for;
use notice_engine::{
    Code, Diagnostic, EngineError, NoticeTemplate, Severity, Summary, TenantFile, TenantValues,
    check_notice,
};

use crate::report;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum CheckFormat {
    /// Compiler-style lines with the source line and a caret.
    Human,
    /// One JSON document on stdout.
    Json,
    /// SARIF 2.1.0 on stdout, for code-review tools.
    Sarif,
}

/// One checked template: its path, the template (None when it could not be read) and its
/// diagnostics.
struct Checked {
    path: PathBuf,
    template: Option<NoticeTemplate>,
    diagnostics: Vec<Diagnostic>,
}

/// Every `.md` below `dir`, sorted, skipping hidden folders and build output.
fn templates_below(dir: &Path) -> Result<Vec<PathBuf>, EngineError> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let rd = std::fs::read_dir(&d).map_err(|source| EngineError::Read {
            path: d.clone(),
            source,
        })?;
        for e in rd.filter_map(Result::ok) {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                if !name.starts_with('.') && name != "target" && name != "node_modules" {
                    stack.push(p);
                }
            } else if ft.is_file() && p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The tenant's values and, for its file, the problems of the file itself (duplicate keys).
fn tenant_values(
    tenant: Option<&Path>,
) -> Result<(Option<TenantFile>, TenantValues, Vec<Diagnostic>), EngineError> {
    let Some(p) = tenant else {
        return Ok((None, TenantValues::new(), vec![]));
    };
    let (t, report) = TenantFile::load(p)?;
    let diags = report
        .duplicates
        .iter()
        .map(|d| {
            Diagnostic::warning(
                Code::DuplicateKey,
                format!("the tenant file has a key twice: {d}"),
            )
            .with_path(p.display().to_string())
            .with_hint("remove the copy you do not mean")
        })
        .collect();
    let v = t.values.clone();
    Ok((Some(t), v, diags))
}

/// One template, or every template below a folder as one family-aware run.
fn check_target(target: &Path, values: &TenantValues) -> Result<Vec<Checked>, EngineError> {
    if target.is_dir() {
        return check_folder(target, values);
    }
    let t = NoticeTemplate::load(target)?;
    let diagnostics = check_notice(&t, values);
    Ok(vec![Checked {
        path: target.to_owned(),
        template: Some(t),
        diagnostics,
    }])
}

/// `notice check --fix`: applies every mechanical fix the checks offer to the file it names,
/// last position first so earlier ones stay where they were found, and says what it changed on
/// stderr (stdout stays the report that follows).
pub(crate) fn apply_fixes(target: &Path, tenant: Option<&Path>) -> Result<(), EngineError> {
    let (_, values, _) = tenant_values(tenant)?;
    let checked = check_target(target, &values)?;
    let mut fixes: Vec<(PathBuf, &notice_engine::Fix)> = checked
        .iter()
        .flat_map(|c| &c.diagnostics)
        .filter_map(|d| Some((PathBuf::from(d.path.as_ref()?), d.fix.as_deref()?)))
        .collect();
    fixes.sort_by(|a, b| (&b.0, b.1.line, b.1.column).cmp(&(&a.0, a.1.line, a.1.column)));
    fixes.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    for (path, fix) in fixes {
        match notice_engine::template::fix::apply_fix(&path, fix) {
            Ok(()) => eprintln!(
                "fixed {}:{}:{}: `{}` → `{}`",
                path.display(),
                fix.line,
                fix.column,
                fix.old,
                fix.new
            ),
            // Two fixes on one spot (a name both mistyped and foreign): the first one wins.
            Err(e @ EngineError::Stale { .. }) => eprintln!("not fixed: {e}"),
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Runs `notice check` on a file or a folder.
pub(crate) fn run(
    target: &Path,
    tenant: Option<&Path>,
    strict: bool,
    format: CheckFormat,
) -> Result<ExitCode, EngineError> {
    let (tf, values, tenant_diags) = tenant_values(tenant)?;
    let checked = check_target(target, &values)?;
    let all: Vec<&Diagnostic> = checked
        .iter()
        .flat_map(|c| &c.diagnostics)
        .chain(&tenant_diags)
        .collect();
    let summary = Summary::of(&all.iter().copied().cloned().collect::<Vec<_>>());
    let unreadable = checked.iter().filter(|c| c.template.is_none()).count();
    match format {
        CheckFormat::Json if !target.is_dir() => {
            let c = &checked[0];
            let mut diagnostics = c.diagnostics.clone();
            diagnostics.extend(tenant_diags.iter().cloned());
            report::json(&serde_json::json!({
                "template": c.template.as_ref().map(|t| t.id.clone()),
                "path": c.path.display().to_string(),
                "tenant": tf.map(|t| t.tenant),
                "summary": Summary::of(&diagnostics),
                "diagnostics": diagnostics,
            }));
        }
        CheckFormat::Json => report::json(&serde_json::json!({
            "path": target.display().to_string(),
            "tenant": tf.map(|t| t.tenant),
            "summary": summary,
            "templates": checked.iter().map(|c| serde_json::json!({
                "template": c.template.as_ref().map(|t| t.id.clone()),
                "path": c.path.display().to_string(),
                "summary": Summary::of(&c.diagnostics),
                "diagnostics": c.diagnostics,
            })).collect::<Vec<_>>(),
            "tenant_diagnostics": tenant_diags,
        })),
        CheckFormat::Sarif => report::json(&sarif(&all)),
        CheckFormat::Human => {
            for c in &checked {
                match &c.template {
                    Some(t) => report::diagnostics(t, &c.diagnostics),
                    None => {
                        for d in &c.diagnostics {
                            eprintln!("{}: error: {}", c.path.display(), d.message);
                        }
                    }
                }
            }
            for d in &tenant_diags {
                eprintln!(
                    "{}: warning[{}]: {}",
                    d.path.as_deref().unwrap_or(""),
                    d.code.as_str(),
                    d.message
                );
            }
            if target.is_dir() {
                let with_errors = checked
                    .iter()
                    .filter(|c| c.diagnostics.iter().any(|d| d.severity == Severity::Error))
                    .count();
                eprintln!(
                    "{} templates checked, {with_errors} with errors{}",
                    checked.len(),
                    if unreadable > 0 {
                        format!(", {unreadable} unreadable")
                    } else {
                        String::new()
                    }
                );
            }
            report::summary(summary);
        }
    }
    Ok(crate::exit_for(summary, strict))
}

/// Every template below `dir`, each folder as one family.
fn check_folder(dir: &Path, values: &TenantValues) -> Result<Vec<Checked>, EngineError> {
    let files = templates_below(dir)?;
    let mut out = Vec::new();
    let mut i = 0;
    while i < files.len() {
        let parent = files[i].parent().map(Path::to_owned);
        let mut j = i;
        while j < files.len() && files[j].parent().map(Path::to_owned) == parent {
            j += 1;
        }
        let loaded: Vec<(PathBuf, Result<NoticeTemplate, EngineError>)> = files[i..j]
            .iter()
            .map(|p| (p.clone(), NoticeTemplate::load(p)))
            .collect();
        let found: Vec<Option<Vec<Diagnostic>>> = {
            let family: Vec<&NoticeTemplate> =
                loaded.iter().filter_map(|(_, t)| t.as_ref().ok()).collect();
            let mut typos = notice_engine::check::typos::family(&family).into_iter();
            loaded
                .iter()
                .map(|(_, t)| {
                    let t = t.as_ref().ok()?;
                    let v = answers_for(t, family.iter().copied(), values);
                    let mut diagnostics = check_notice(t, &v);
                    diagnostics.extend(typos.next().unwrap_or_default());
                    diagnostics.sort_by_key(|d| (d.line.is_none(), d.line, d.column));
                    Some(diagnostics)
                })
                .collect()
        };
        for ((path, t), diagnostics) in loaded.into_iter().zip(found) {
            match t {
                Ok(t) => out.push(Checked {
                    path,
                    template: Some(t),
                    diagnostics: diagnostics.unwrap_or_default(),
                }),
                Err(e) => out.push(Checked {
                    diagnostics: vec![
                        Diagnostic::error(Code::Syntax, e.to_string())
                            .with_path(path.display().to_string()),
                    ],
                    path,
                    template: None,
                }),
            }
        }
        i = j;
    }
    Ok(out)
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a SARIF artifact URI: relative to the working folder where possible, `/`-separated.
fn artifact_uri(path: &str) -> String {
    let p = Path::new(path);
    let rel = std::env::current_dir()
        .ok()
        .and_then(|cwd| p.strip_prefix(&cwd).ok().map(Path::to_owned))
        .unwrap_or_else(|| p.to_owned());
    rel.to_string_lossy().replace('\\', "/").replace(' ', "%20")
}

/// The diagnostics as one SARIF 2.1.0 log.
fn sarif(diags: &[&Diagnostic]) -> serde_json::Value {
    let mut codes: Vec<Code> = diags.iter().map(|d| d.code).collect();
    codes.sort();
    codes.dedup();
    let rules: Vec<serde_json::Value> = codes
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": c.as_str(),
                "shortDescription": { "text": c.describe() },
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = diags
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(h) = &d.hint {
                text.push_str(&format!(" (help: {h})"));
            }
            let mut r = serde_json::json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": codes.iter().position(|c| *c == d.code).unwrap_or(0),
                "level": sarif_level(d.severity),
                "message": { "text": text },
            });
            if let Some(p) = &d.path {
                let mut region = serde_json::Map::new();
                if let Some(l) = d.line {
                    region.insert("startLine".into(), l.into());
                    if let Some(c) = d.column {
                        region.insert("startColumn".into(), c.into());
                        if let Some(n) = d.length {
                            region.insert("endColumn".into(), (c + n).into());
                        }
                    }
                }
                let mut physical = serde_json::json!({
                    "artifactLocation": { "uri": artifact_uri(p) },
                });
                if !region.is_empty() {
                    physical["region"] = serde_json::Value::Object(region);
                }
                r["locations"] = serde_json::json!([{ "physicalLocation": physical }]);
                if let Some(f) = &d.fix {
                    r["fixes"] = serde_json::json!([{
                        "description": { "text": format!("replace {:?} with {:?}", f.old, f.new) },
                        "artifactChanges": [{
                            "artifactLocation": { "uri": artifact_uri(p) },
                            "replacements": [{
                                "deletedRegion": {
                                    "startLine": f.line,
                                    "startColumn": f.column,
                                    "endColumn": f.column + f.old.chars().count() as u32,
                                },
                                "insertedContent": { "text": f.new },
                            }],
                        }],
                    }]);
                }
            }
            r
        })
        .collect();
    serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "notice",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    })
}
