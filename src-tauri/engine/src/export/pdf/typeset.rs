//! Typesetting with Typst (the `pdf` feature): the PDF export, the page preview, and the Typst
//! document around the converted body.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use typst::diag::SourceDiagnostic;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;

use super::{PagePreview, PdfExport, PdfSettings, PdfStandard, world};
use crate::diagnostic::Severity;
use crate::error::EngineError;
use crate::export::{ExportOptions, inputs_hash, render_for_export};
use crate::render::typst::string;
use crate::render::{Output, RenderedNotice};
use crate::template::NoticeTemplate;
use crate::values::TenantValues;

/// Exports a PDF. Refused (with the errors) while errors remain, unless `opts.draft`, which
/// puts a DRAFT watermark on every page.
pub fn export_pdf(
    t: &NoticeTemplate,
    values: &TenantValues,
    opts: ExportOptions<'_>,
    settings: &PdfSettings,
) -> Result<PdfExport, EngineError> {
    let r = render_for_export(t, values, opts.draft, Output::Typst)?;
    let inputs_sha256 = inputs_hash(t, values);
    let (pdf, pages) = pdf_of(t, &r, &inputs_sha256, opts, settings)?;
    Ok(PdfExport {
        sha256: hex::encode(Sha256::digest(&pdf)),
        pdf,
        inputs_sha256,
        pages,
        diagnostics: r.diagnostics,
    })
}

/// The PDF of a render (Typst output) and its page count.
pub(crate) fn pdf_of(
    t: &NoticeTemplate,
    r: &RenderedNotice,
    inputs_sha256: &str,
    opts: ExportOptions<'_>,
    settings: &PdfSettings,
) -> Result<(Vec<u8>, usize), EngineError> {
    let source = document(t, r, inputs_sha256, opts, settings);
    let doc = typeset(&source)?;
    let standards = standards(&settings.standards)?;
    let pdf_options = typst_pdf::PdfOptions {
        ident: Smart::Custom(inputs_sha256.to_owned()),
        creator: Smart::Custom(Some(crate::GENERATOR.to_owned())),
        timestamp: Some(typst_pdf::Timestamp::new_utc(datetime(opts.rendered_at))),
        page_ranges: None,
        standards,
        tagged: true,
        pretty: false,
    };
    let pdf = typst_pdf::pdf(&doc, &pdf_options).map_err(|e| typeset_error(&e))?;
    Ok((pdf, doc.pages().len()))
}

/// Typesets the pages for preview: what export would write, watermarked while errors remain.
/// Never refused: a template that cannot render at all is the only error.
pub fn page_preview(
    t: &NoticeTemplate,
    values: &TenantValues,
    settings: &PdfSettings,
    rendered_at: OffsetDateTime,
) -> Result<PagePreview, EngineError> {
    let started = std::time::Instant::now();
    // A draft render is never refused; only a template that cannot render at all fails.
    let r = render_for_export(t, values, true, Output::Typst)?;
    let draft = r.diagnostics.iter().any(|d| d.severity == Severity::Error);
    let opts = ExportOptions {
        draft,
        rendered_at,
        approval: None,
    };
    let source = document(t, &r, &inputs_hash(t, values), opts, settings);
    let doc = typeset(&source)?;
    let svg = typst_svg::SvgOptions {
        render_bleed: false,
        pretty: false,
    };
    let pages = draw_pages(doc.pages(), &svg);
    // Typst memoises layouts across compiles; keep only what recent edits can reuse.
    typst::comemo::evict(8);
    Ok(PagePreview {
        pages,
        draft,
        millis: started.elapsed().as_secs_f64() * 1000.0,
    })
}

/// Draws every page as SVG, spread over the machine's cores: drawing costs more than typesetting
/// on a text-heavy notice, and pages are independent.
fn draw_pages(pages: &[typst_layout::Page], opts: &typst_svg::SvgOptions) -> Vec<String> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(pages.len().max(1));
    let chunk = pages.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = pages
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|p| compact_svg(&typst_svg::svg(p, opts)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// Shrinks typst-svg's output by about half without changing a pixel: glyph ids are 128-bit
/// hashes referenced thousands of times per page, and every glyph repeats SVG's default fill. The
/// pages travel to the UI on every refresh, so their size is latency.
fn compact_svg(svg: &str) -> String {
    const DEFAULT_FILL: &str = " fill=\"#000000\" fill-rule=\"nonzero\"";
    // Dropping the default is only safe when no group sets a fill its children would inherit.
    let drop_fill = !svg.split("<g ").skip(1).any(|g| {
        g.split_once('>')
            .is_some_and(|(attrs, _)| attrs.contains("fill"))
    });
    let mut ids: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut out = String::with_capacity(svg.len() / 2);
    let mut rest = svg;
    // Glyph references look like `#g<32 hex>` (href) or `id="g<32 hex>"` (definition).
    while let Some(i) = rest.find("g") {
        let (before, after) = rest.split_at(i);
        let hex = after.get(1..33).filter(|h| {
            h.bytes().all(|b| b.is_ascii_hexdigit())
                && (before.ends_with('#') || before.ends_with("id=\""))
                && after.as_bytes().get(33) == Some(&b'"')
        });
        out.push_str(before);
        match hex {
            Some(h) => {
                let n = ids.len();
                let id = *ids.entry(h).or_insert(n);
                let _ = write!(out, "g{id:x}");
                rest = &after[33..];
            }
            None => {
                out.push('g');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    if drop_fill {
        out = out.replace(DEFAULT_FILL, "");
    }
    out
}

fn typeset(source: &str) -> Result<PagedDocument, EngineError> {
    let world = world::NoticeWorld::new(source.to_owned(), datetime(OffsetDateTime::UNIX_EPOCH));
    typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|e| typeset_error(&e))
}

fn standards(list: &[PdfStandard]) -> Result<typst_pdf::PdfStandards, EngineError> {
    let list: Vec<typst_pdf::PdfStandard> = list
        .iter()
        .map(|s| match s {
            PdfStandard::Ua1 => typst_pdf::PdfStandard::Ua_1,
            PdfStandard::A2a => typst_pdf::PdfStandard::A_2a,
            PdfStandard::A2b => typst_pdf::PdfStandard::A_2b,
        })
        .collect();
    typst_pdf::PdfStandards::new(&list).map_err(|e| EngineError::Typeset {
        message: e.message().to_string(),
    })
}

fn typeset_error(errors: &[SourceDiagnostic]) -> EngineError {
    let mut message = String::new();
    for e in errors.iter().take(3) {
        if !message.is_empty() {
            message.push_str("; ");
        }
        message.push_str(&e.message);
        for h in &e.hints {
            let _ = write!(message, " ({})", h.v);
        }
    }
    EngineError::Typeset { message }
}

fn datetime(t: OffsetDateTime) -> Datetime {
    let t = t.to_offset(time::UtcOffset::UTC);
    Datetime::from_ymd_hms(
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
    )
    .unwrap_or(Datetime::Date(time::Date::MIN))
}

/// The whole Typst document: settings, title block, body, colophon.
fn document(
    t: &NoticeTemplate,
    r: &RenderedNotice,
    inputs_sha256: &str,
    opts: ExportOptions<'_>,
    settings: &PdfSettings,
) -> String {
    let body = r.typst.clone().unwrap_or_default();
    let title = r.title.clone().unwrap_or_else(|| t.id.clone());
    let version = r.version.clone().unwrap_or_default();
    let when = opts.rendered_at.to_offset(time::UtcOffset::UTC);
    let date = when
        .format(time::macros::format_description!(
            "[day padding:none] [month repr:long] [year]"
        ))
        .unwrap_or_default();
    let mut keywords: Vec<String> = t.meta.keywords.clone();
    keywords.push(format!("template:{}", t.id));
    if !version.is_empty() {
        keywords.push(format!("version:{version}"));
    }
    keywords.push(format!("sha256:{inputs_sha256}"));
    if let Some(a) = opts.approval.filter(|_| !opts.draft) {
        // In the file's own metadata too (the manifest holds the full signed approval).
        keywords.push(format!(
            "approved-by:{} <{}>",
            a.reviewer.name, a.reviewer.email
        ));
        keywords.push(format!("approved-at:{}", a.approved_at));
        keywords.push(format!(
            "approval-key:{}",
            crate::export::signed::fingerprint(&a.public_key)
        ));
    }
    let list = |items: &[String]| -> String {
        let mut s = String::from("(");
        for i in items {
            s.push_str(&string(i));
            s.push_str(", ");
        }
        s.push(')');
        s
    };

    let mut d = String::with_capacity(body.blocks.iter().map(String::len).sum::<usize>() + 4096);
    let _ = writeln!(d, "#let notice-title = {}", string(&title));
    let _ = writeln!(d, "#let notice-version = {}", string(&version));
    let _ = write!(d, "#set document(title: notice-title");
    if let Some(p) = &t.meta.provider {
        let _ = write!(d, ", author: {}", string(p));
    }
    if let Some(s) = &t.meta.subject {
        let _ = write!(d, ", description: {}", string(s));
    }
    let _ = writeln!(
        d,
        ", keywords: {}, date: datetime(year: {}, month: {}, day: {}, hour: {}, minute: {}, second: {}))",
        list(&keywords),
        when.year(),
        u8::from(when.month()),
        when.day(),
        when.hour(),
        when.minute(),
        when.second()
    );
    let (lang, region) = t.lang.split_once(['-', '_']).unwrap_or((&t.lang, ""));
    let _ = write!(
        d,
        // No hyphenation: names, addresses and domains in a legal notice must not be split.
        "#set text(font: {}, size: 10.5pt, hyphenate: false, lang: {}",
        string(world::SERIF),
        string(&lang.to_ascii_lowercase())
    );
    if region.len() == 2 {
        let _ = write!(d, ", region: {}", string(&region.to_ascii_lowercase()));
    }
    d.push_str(")\n");
    let _ = writeln!(
        d,
        "#set page(paper: {}, margin: (top: 26mm, bottom: 24mm, x: 22mm),",
        string(settings.paper.typst_name())
    );
    d.push_str(PAGE_FURNITURE);
    if opts.draft {
        d.push_str(DRAFT_WATERMARK);
    }
    d.push_str(")\n");
    let _ = writeln!(
        d,
        "#show raw: set text(font: {}, size: 0.88em)",
        string(world::MONO)
    );
    d.push_str(STYLE);

    // Title block: after the document's own first heading when it has one.
    let mut meta_line = Vec::new();
    if let Some(tenant) = settings.tenant.as_deref().filter(|s| !s.trim().is_empty()) {
        meta_line.push(format!("Prepared for {tenant}"));
    }
    if !version.is_empty() {
        meta_line.push(format!("Version {version}"));
    }
    meta_line.push(date);
    let title_block = format!(
        "#block(below: 2em, text(size: 9.5pt, fill: luma(30%), {}))",
        string(&meta_line.join(" · "))
    );
    let mut blocks = body.blocks.iter();
    if body.starts_with_title {
        if let Some(first) = blocks.next() {
            d.push_str(first);
            d.push_str("\n\n");
        }
    } else {
        let _ = write!(d, "#heading(level: 1, {})\n\n", string(&title));
    }
    d.push_str(&title_block);
    d.push_str("\n\n");
    for b in blocks {
        d.push_str(b);
        d.push_str("\n\n");
    }
    let _ = writeln!(
        d,
        "#block(above: 2.5em, text(size: 8pt, fill: luma(40%), {}))",
        string(&format!(
            "{} · version {} · generated {} by {} · sha256:{}",
            t.id,
            if version.is_empty() { "—" } else { &version },
            when.format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            crate::GENERATOR,
            inputs_sha256
        ))
    );
    if let Some(a) = opts.approval.filter(|_| !opts.draft) {
        let _ = writeln!(
            d,
            "#block(above: 0.6em, text(size: 8pt, fill: luma(40%), {}))",
            string(&format!(
                "Approved by {} <{}> on {} · key {}",
                a.reviewer.name,
                a.reviewer.email,
                a.approved_at,
                crate::export::signed::fingerprint(&a.public_key)
            ))
        );
    }
    d
}

/// Running header (the title, from page 2 on) and "Page N of M" footer.
const PAGE_FURNITURE: &str = r#"  header: context {
    if here().page() > 1 {
      set text(size: 8.5pt, fill: luma(35%))
      notice-title
      h(1fr)
      if notice-version != "" { "Version " + notice-version }
    }
  },
  footer: context {
    set text(size: 8.5pt, fill: luma(35%))
    align(center)[Page #counter(page).display() of #counter(page).final().first()]
  },
"#;

const DRAFT_WATERMARK: &str = r#"  background: rotate(-42deg, text(size: 40pt, weight: "bold", fill: rgb(179, 38, 30, 70), "DRAFT — not for distribution")),
"#;

/// Typography matching the HTML stylesheet's intent: justified serif text, bold headings with a
/// rule under level 2, muted block quotes, light table rules, coloured links.
const STYLE: &str = r##"#set par(justify: true, leading: 0.62em, spacing: 0.95em)
#show heading: set block(above: 1.5em, below: 0.7em, sticky: true)
#show heading.where(level: 1): set text(size: 19pt)
#show heading.where(level: 2): set text(size: 14pt)
#show heading.where(level: 3): set text(size: 12pt)
#show heading.where(level: 2): it => block(width: 100%, stroke: (bottom: 0.5pt + luma(80%)), inset: (bottom: 3pt), it)
#show link: set text(fill: rgb("#0b5cad"))
#set table(stroke: 0.5pt + luma(75%), inset: 5pt)
#show quote.where(block: true): set text(fill: luma(30%))
#set list(indent: 0.6em)
#set enum(indent: 0.6em)
"##;
