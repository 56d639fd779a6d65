//! PDF export checked with independent tools: poppler's pdftotext, pdfinfo and pdffonts, and
//! qpdf (Debian packages poppler-utils and qpdf; `scripts/setup.sh --test` installs them).

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{full_values, seed, template, values};
use notice_engine::{
    EngineError, ExportOptions, Paper, PdfSettings, PdfStandard, RenderMode, export_pdf,
    page_preview, render_notice,
};
use time::macros::datetime;

fn opts(draft: bool) -> ExportOptions<'static> {
    ExportOptions {
        draft,
        rendered_at: datetime!(2026-11-27 09:30:00 UTC),
        approval: None,
    }
}

fn settings() -> PdfSettings {
    PdfSettings {
        tenant: Some("Acme Corporation".into()),
        ..PdfSettings::default()
    }
}

/// Runs a tool on a file and returns its standard output; fails with what to install.
fn tool(name: &str, args: &[&str], file: &Path) -> (bool, String) {
    let out = Command::new(name)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| {
            panic!("{name} is needed for this test ({e}): run scripts/setup.sh --test, or apt install poppler-utils qpdf")
        });
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// `-raw` keeps the content stream's order (Typst writes reading order) and, unlike the default
/// mode, does not join a line ending in `-` with the next as if it were hyphenated.
/// Text with all whitespace removed: line breaks in the PDF fall wherever the layout puts them.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn headings(t: &notice_engine::NoticeTemplate, v: &notice_engine::TenantValues) -> Vec<String> {
    let html = render_notice(t, v, RenderMode::Export { draft: false }).body_html;
    let re = regex::Regex::new(r"(?s)<h[1-6][^>]*>(.*?)</h[1-6]>").unwrap();
    let tags = regex::Regex::new(r"<[^>]+>").unwrap();
    re.captures_iter(&html)
        .map(|c| {
            tags.replace_all(&c[1], "")
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
        })
        .collect()
}

#[test]
fn seed_pdf_holds_every_value_and_heading_in_order_and_passes_qpdf() {
    let t = seed();
    let v = full_values();
    let out = export_pdf(&t, &v, opts(false), &settings()).unwrap();
    assert!(out.pdf.starts_with(b"%PDF-"));
    assert!(out.pages >= 2, "{} pages", out.pages);
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(&dir, "seed.pdf", &out.pdf);

    let (ok, text) = tool("pdftotext", &["-raw", "-enc", "UTF-8"], &pdf);
    assert!(ok, "{text}");
    let text = std::fs::read_to_string(pdf.with_extension("txt")).unwrap();
    let flat = squash(&text);
    for (name, value) in &v {
        let value = value.as_text().into_owned();
        assert!(flat.contains(&squash(&value)), "{name} = {value} missing");
    }
    let mut at = 0;
    let hs = headings(&t, &v);
    assert!(hs.len() > 10, "{hs:?}");
    for h in &hs {
        let found = flat[at..].find(&squash(h));
        assert!(found.is_some(), "heading {h:?} missing or out of order");
        at += found.unwrap();
    }
    for leftover in ["{{", "}}", "{%", "%}", "%%", "**"] {
        assert!(!text.contains(leftover), "leftover {leftover}");
    }
    assert!(
        flat.contains(&squash(&format!("Page 1 of {}", out.pages))),
        "page numbers"
    );
    assert!(
        text.contains("Prepared for Acme Corporation"),
        "title block"
    );

    let (ok, report) = tool("qpdf", &["--check"], &pdf);
    assert!(ok, "qpdf --check failed:\n{report}");

    let (ok, fonts) = tool("pdffonts", &[], &pdf);
    assert!(ok, "{fonts}");
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type [encoding] emb sub uni object ID: `emb` is the fifth column from the end.
        assert_eq!(cols[cols.len() - 5], "yes", "font not embedded: {row}");
    }

    // The outline (bookmarks) has every heading.
    let (ok, json) = tool("qpdf", &["--json", "--json-key=outlines"], &pdf);
    assert!(ok, "{json}");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut titles = Vec::new();
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        for o in v.as_array().into_iter().flatten() {
            out.push(o["title"].as_str().unwrap_or_default().to_owned());
            walk(&o["kids"], out);
        }
    }
    walk(&json["outlines"], &mut titles);
    assert_eq!(
        titles.iter().map(|s| squash(s)).collect::<Vec<_>>(),
        hs.iter().map(|s| squash(s)).collect::<Vec<_>>()
    );
}

#[test]
fn metadata_tagging_and_standards() {
    let t = seed();
    let dir = tempfile::tempdir().unwrap();
    let ua = export_pdf(&t, &full_values(), opts(false), &settings()).unwrap();
    let pdf = write(&dir, "ua.pdf", &ua.pdf);
    let (ok, info) = tool("pdfinfo", &[], &pdf);
    assert!(ok, "{info}");
    assert!(
        info.contains("Title:") && info.contains("Homeserver Privacy Notice"),
        "{info}"
    );
    assert!(info.contains("Author:          New Vector Ltd"), "{info}");
    assert!(
        info.contains("Subject:         How the hosted Matrix"),
        "{info}"
    );
    assert!(
        info.contains("sha256:") && info.contains("version:1.0.0"),
        "{info}"
    );
    assert!(
        info.contains("template:hosted-homeserver/privacy_notice.md"),
        "{info}"
    );
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(info.contains("A4"), "{info}");
    let (_, xmp) = tool("pdfinfo", &["-meta"], &pdf);
    assert!(
        xmp.contains("pdfuaid:part>1<") || xmp.contains("pdfuaid:part=\"1\""),
        "{xmp}"
    );
    let (ok, structure) = tool("pdfinfo", &["-struct"], &pdf);
    assert!(
        ok && structure.contains("H1") && structure.contains("P"),
        "{structure}"
    );

    let archival = PdfSettings {
        standards: vec![PdfStandard::A2b],
        paper: Paper::Letter,
        ..settings()
    };
    let a = export_pdf(&t, &full_values(), opts(false), &archival).unwrap();
    let pdf = write(&dir, "a2b.pdf", &a.pdf);
    let (_, xmp) = tool("pdfinfo", &["-meta"], &pdf);
    assert!(
        xmp.contains("pdfaid:part>2<") || xmp.contains("pdfaid:part=\"2\""),
        "{xmp}"
    );
    assert!(
        xmp.contains("pdfaid:conformance>B<") || xmp.contains("pdfaid:conformance=\"B\""),
        "{xmp}"
    );
    let (_, info) = tool("pdfinfo", &[], &pdf);
    assert!(info.contains("612 x 792"), "letter paper: {info}");
    assert!(info.contains("Tagged:          yes"), "{info}");

    let both = PdfSettings {
        standards: vec![PdfStandard::A2a, PdfStandard::Ua1],
        ..settings()
    };
    let b = export_pdf(&t, &full_values(), opts(false), &both).unwrap();
    let (_, xmp) = tool("pdfinfo", &["-meta"], &write(&dir, "a2a-ua1.pdf", &b.pdf));
    assert!(xmp.contains("pdfaid") && xmp.contains("pdfuaid"), "{xmp}");
}

#[test]
fn same_inputs_and_timestamp_give_identical_bytes() {
    let t = seed();
    let a = export_pdf(&t, &full_values(), opts(false), &settings()).unwrap();
    let b = export_pdf(&seed(), &full_values(), opts(false), &settings()).unwrap();
    assert_eq!(a.sha256, b.sha256);
    assert!(a.pdf == b.pdf);
    let later = ExportOptions {
        rendered_at: datetime!(2027-01-01 00:00:00 UTC),
        ..opts(false)
    };
    let c = export_pdf(&t, &full_values(), later, &settings()).unwrap();
    assert_ne!(a.sha256, c.sha256, "the timestamp is part of the document");
}

#[test]
fn typst_syntax_in_values_and_template_text_stays_literal() {
    let nasty = r#"#set page(fill: red) $x^2$ *b* _i_ @ref <lbl> [c] \ `raw` // no comment /* nor */ #"s" ;"#;
    let t = template(
        "---\ntitle: Notice for {{ name }}\nversion: 1.0.0\n---\n\n# Notice for {{ name }}\n\nPlain template text with #hash, $dollar$ and @at and // slashes.\n\nValue: {{ name }}.\n",
    );
    let v = values(&[("name", nasty)]);
    let out = export_pdf(&t, &v, opts(false), &PdfSettings::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(&dir, "inj.pdf", &out.pdf);
    tool("pdftotext", &["-raw", "-enc", "UTF-8"], &pdf);
    let text = std::fs::read_to_string(pdf.with_extension("txt")).unwrap();
    let flat = squash(&text);
    assert!(flat.contains(&squash(nasty)), "value not literal:\n{text}");
    assert!(
        flat.contains(&squash(
            "Plain template text with #hash, $dollar$ and @at and // slashes."
        )),
        "{text}"
    );
}

#[test]
fn errors_refuse_export_and_drafts_are_watermarked() {
    let t = seed();
    let mut v = full_values();
    v.remove("our_server_fqdn");
    match export_pdf(&t, &v, opts(false), &settings()) {
        Err(EngineError::Refused { diagnostics }) => {
            assert!(
                diagnostics
                    .iter()
                    .any(|d| d.field.as_deref() == Some("our_server_fqdn"))
            )
        }
        other => panic!("expected refusal, got {:?}", other.map(|o| o.pages)),
    }
    let draft = export_pdf(&t, &v, opts(true), &settings()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(&dir, "draft.pdf", &draft.pdf);
    tool("pdftotext", &["-raw", "-enc", "UTF-8"], &pdf);
    let text = std::fs::read_to_string(pdf.with_extension("txt")).unwrap();
    let marks = squash(&text)
        .matches(&squash("DRAFT — not for distribution"))
        .count();
    assert_eq!(marks, draft.pages, "one watermark per page:\n{text}");
    assert!(text.contains("[Server host name]"), "unfilled places named");
}

#[test]
fn page_preview_draws_every_page_as_svg() {
    let t = seed();
    let p = page_preview(
        &t,
        &full_values(),
        &settings(),
        datetime!(2026-11-27 09:30:00 UTC),
    )
    .unwrap();
    let pdf = export_pdf(&t, &full_values(), opts(false), &settings()).unwrap();
    assert_eq!(p.pages.len(), pdf.pages);
    assert!(!p.draft);
    assert!(
        p.pages
            .iter()
            .all(|s| s.starts_with("<svg") && !s.contains("<script"))
    );
    let mut v = full_values();
    v.remove("our_server_fqdn");
    let d = page_preview(&t, &v, &settings(), datetime!(2026-11-27 09:30:00 UTC)).unwrap();
    assert!(d.draft, "errors remain: the pages say DRAFT");
}

#[test]
fn every_family_template_and_history_version_typesets() {
    let corpus = common::corpus();
    let mut count = 0;
    for dir in [
        corpus.join("hosted-homeserver"),
        corpus.join("privacy-notice-history"),
    ] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.extension().and_then(|e| e.to_str()) != Some("md") {
                continue;
            }
            let t = notice_engine::NoticeTemplate::load(&p).unwrap();
            let r = export_pdf(&t, &full_values(), opts(true), &PdfSettings::default());
            assert!(r.is_ok(), "{}: {:?}", p.display(), r.err());
            count += 1;
        }
    }
    assert!(count >= 12, "{count} templates");
}
