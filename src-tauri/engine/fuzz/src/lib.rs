//! The bodies of the fuzz targets, shared with the engine's regression test
//! (`engine/tests/integration/fuzz_regressions.rs` includes this file), so every input a fuzzer
//! ever crashed on is replayed by `cargo test`, through exactly the same checks.
//!
//! Each target asserts more than "no panic": positions point into the file, values typed by
//! users never reach the output as markup, and the generated Typst always parses.

use std::path::Path;

use notice_engine::{
    FieldValue, NoticeTemplate, RenderMode, TenantFile, TenantValues, render_notice,
};

/// Values tried in every field: the hostile ones are why the targets exist.
const VALUES: &[&str] = &[
    "<script>alert(1)</script>",
    "**bold** _x_ [link](javascript:alert(1)) `code` # heading",
    "{{ other }} {% if x %}",
    "#set page(width: 1pt) $x$ @ref <label> \\ ]",
    "acme.example.org",
    "",
];
const SCRIPT: &str = "<script>";

/// Splits an input into a template and values: the text before the first NUL is the template;
/// each `key=value` line after it sets a value. Fields with no value from the input get one of
/// [`VALUES`], chosen by position, so placeholders are exercised filled and unfilled.
pub fn template_and_values(data: &[u8]) -> (NoticeTemplate, TenantValues) {
    let text = String::from_utf8_lossy(data);
    let (source, rest) = text.split_once('\0').unwrap_or((&text, ""));
    let t = NoticeTemplate::from_source(Path::new("fuzz/input.md"), source, None);
    let mut values = TenantValues::new();
    for line in rest.lines() {
        if let Some((k, v)) = line.split_once('=') {
            values.insert(k.to_owned(), FieldValue::Text(v.to_owned()));
        }
    }
    for (i, f) in t.fields.iter().enumerate() {
        values
            .entry(f.name.clone())
            .or_insert_with(|| FieldValue::Text(VALUES[i % VALUES.len()].to_owned()));
    }
    (t, values)
}

/// Every diagnostic points into the text it names: a line that exists (lines end at `\n`,
/// `\r\n` or a lone `\r`, as in any editor), a column from 1.
fn positions_are_in_the_file(source: &str, diags: &[notice_engine::Diagnostic]) {
    let lines = source
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .split('\n')
        .count() as u32
        + 1;
    for d in diags {
        if let Some(l) = d.line {
            assert!(l >= 1 && l <= lines, "line {l} of {lines}: {d:?}");
        }
        if let Some(c) = d.column {
            assert!(c >= 1, "column {c}: {d:?}");
        }
    }
}

/// Template parse + render (preview and export) + checks.
pub fn render_check(data: &[u8]) {
    let (t, values) = template_and_values(data);
    let preview = render_notice(&t, &values, RenderMode::Preview);
    positions_are_in_the_file(&t.source, &preview.diagnostics);
    let export = render_notice(&t, &values, RenderMode::Export { draft: true });
    // A value holding a script tag must come out escaped, whatever the template around it
    // (raw HTML in the template itself is never rendered either).
    assert!(
        !export.body_html.contains(SCRIPT),
        "markup reached the document: {}",
        export.body_html
    );
    assert!(!preview.blocks.iter().any(|b| b.contains(SCRIPT)));
}

/// Tenant files: parse, and what parses saves and parses back the same.
pub fn tenant_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return; // the reader refuses non-UTF-8 before parsing, with its own test
    };
    let path = Path::new("fuzz/tenant.json");
    if let Ok((file, _report)) = TenantFile::parse(text, path) {
        let json = serde_json::to_string(&file).expect("a tenant serialises");
        let (again, _) = TenantFile::parse(&json, path).expect("what was read reads back");
        assert_eq!(file, again);
    }
    let _ = notice_engine::approval::TrustedReviewers::parse(text, None);
}

/// Front matter: the input is the YAML between the `---` fences of a small template.
pub fn front_matter(data: &[u8]) {
    let yaml = String::from_utf8_lossy(data);
    let source = format!("---\n{yaml}\n---\n# {{{{ title_field }}}}\n\nBody {{{{ name }}}}.\n");
    let t = NoticeTemplate::from_source(Path::new("fuzz/front.md"), &source, None);
    positions_are_in_the_file(&source, t.load_diagnostics());
    let _ = t.schema();
    let values: TenantValues = t
        .fields
        .iter()
        .map(|f| (f.name.clone(), FieldValue::Text("x".into())))
        .collect();
    positions_are_in_the_file(
        &source,
        &render_notice(&t, &values, RenderMode::Preview).diagnostics,
    );
}

/// Markdown → Typst: every block the PDF would typeset parses as Typst markup without errors,
/// so no value or template text can break out of its place in the document.
pub fn typst_markup(data: &[u8]) {
    let (t, values) = template_and_values(data);
    let Ok(blocks) = notice_engine::export::pdf::typst_markup(&t, &values) else {
        return; // a template that cannot render at all is reported, not typeset
    };
    for b in &blocks {
        let root = typst_syntax::parse(b);
        let (errors, _warnings) = root.errors_and_warnings();
        assert!(
            errors.is_empty(),
            "Typst syntax errors {errors:?} in block:\n{b}"
        );
    }
}
