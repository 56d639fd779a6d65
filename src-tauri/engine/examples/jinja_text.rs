//! The engine's side of the Jinja2 differential tests (`tests/jinja/differential.py`): reads one
//! JSON object per line, `{"template": "…", "values": {…}}`, and answers one per line,
//! `{"text": "…"}` (the body as Jinja prints it) or `{"error": "…"}`, plus the diagnostics'
//! codes, so one process serves thousands of cases.

use std::io::{BufRead, Write};
use std::path::Path;

use notice_engine::{NoticeTemplate, TenantFile};

fn main() -> std::io::Result<()> {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let answer = answer(&line);
        writeln!(out, "{answer}")?;
        out.flush()?;
    }
    Ok(())
}

fn answer(line: &str) -> serde_json::Value {
    let case: serde_json::Value = match serde_json::from_str(line) {
        Ok(c) => c,
        Err(e) => return serde_json::json!({ "error": format!("bad request: {e}") }),
    };
    let template = case["template"].as_str().unwrap_or_default();
    let dir = case["dir"].as_str().map(std::path::PathBuf::from);
    let name = case["name"].as_str().unwrap_or("case.md");
    let path = dir.as_deref().unwrap_or(Path::new(".")).join(name);
    let t = NoticeTemplate::from_source(&path, template, dir.clone());
    let values_json =
        serde_json::json!({ "format": 1, "tenant": "case", "values": case["values"] });
    let values = match TenantFile::parse(&values_json.to_string(), Path::new("case.json")) {
        Ok((f, _)) => f.values,
        Err(e) => return serde_json::json!({ "error": format!("values: {e}") }),
    };
    let diagnostics: Vec<serde_json::Value> = notice_engine::check_notice(&t, &values)
        .iter()
        .map(|d| {
            serde_json::json!({
                "severity": d.severity.as_str(),
                "code": d.code.as_str(),
                "message": d.message,
                "line": d.line,
                "column": d.column,
            })
        })
        .collect();
    match notice_engine::render::jinja_text(&t, &values) {
        Ok(text) => serde_json::json!({ "text": text, "diagnostics": diagnostics }),
        Err(d) => serde_json::json!({ "error": d.message, "diagnostics": diagnostics }),
    }
}
