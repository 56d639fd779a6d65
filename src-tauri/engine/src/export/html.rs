//! The self-contained HTML document: inline CSS for screen and print, metadata, no scripts and no
//! external resources, valid HTML5.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use time::format_description::well_known::Rfc3339;

use super::ExportOptions;
use super::signed::APPROVAL_META;
use crate::render::{RenderedNotice, html_escape};
use crate::template::NoticeTemplate;

/// The document stylesheet. Every rule is scoped to `.notice`, so the app's preview uses the very
/// same rules as the exported file.
pub const STYLESHEET: &str = r#".notice{--ink:#1d2329;--muted:#5b6670;--rule:#d8dde2;--accent:#0b5cad;max-width:46rem;margin:0 auto;padding:2.5rem 1.5rem 4rem;color:var(--ink);font:16px/1.6 "Iowan Old Style","Palatino Linotype",Palatino,Georgia,serif;background:#fff}
.notice h1,.notice h2,.notice h3,.notice h4,.notice h5,.notice h6{font-family:-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;line-height:1.25;margin:1.8em 0 .6em;break-after:avoid;page-break-after:avoid}
.notice h1{font-size:1.9rem;margin-top:0}
.notice h2{font-size:1.45rem;border-bottom:1px solid var(--rule);padding-bottom:.25em}
.notice h3{font-size:1.2rem}
.notice h4,.notice h5,.notice h6{font-size:1.02rem}
.notice p,.notice ul,.notice ol,.notice table,.notice blockquote,.notice pre{margin:0 0 1em}
.notice a{color:var(--accent)}
.notice blockquote{margin-left:0;padding-left:1em;border-left:3px solid var(--rule);color:var(--muted)}
.notice code,.notice pre{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.9em}
.notice pre{background:#f5f7f9;padding:.8em 1em;overflow-x:auto;border-radius:4px}
.notice table{border-collapse:collapse;width:100%}
.notice th,.notice td{border:1px solid var(--rule);padding:.35em .6em;text-align:left;vertical-align:top}
.notice hr{border:0;border-top:1px solid var(--rule);margin:2em 0}
.notice .doc-meta{color:var(--muted);font-size:.85rem;margin:0 0 2rem}
.notice .draft-banner{border:2px dashed #b3261e;color:#b3261e;background:#fdf1f0;text-align:center;font:700 1rem/1.4 -apple-system,"Segoe UI",Roboto,Arial,sans-serif;letter-spacing:.08em;padding:.6em;margin:0 0 2rem;text-transform:uppercase}
@media print{.notice{max-width:none;padding:0;font-size:11pt}.notice a{color:inherit}.notice h2{border-bottom:0}.notice .draft-banner{position:fixed;top:0;left:0;right:0}}
@page{size:A4;margin:22mm 20mm}
"#;

/// Builds the full HTML document for a rendered notice.
pub(crate) fn document(
    t: &NoticeTemplate,
    r: &RenderedNotice,
    inputs_sha256: &str,
    opts: ExportOptions<'_>,
) -> String {
    let title = r.title.clone().unwrap_or_else(|| t.id.clone());
    let version = r.version.clone().unwrap_or_default();
    let when = opts.rendered_at.format(&Rfc3339).unwrap_or_default();
    let mut h = String::with_capacity(r.body_html.len() + STYLESHEET.len() + 2048);
    h.push_str("<!DOCTYPE html>\n");
    h.push_str(&format!(
        "<html lang=\"{}\">\n<head>\n",
        html_escape(&t.lang)
    ));
    h.push_str("<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str(&format!("<title>{}</title>\n", html_escape(&title)));
    let meta = |name: &str, content: &str| {
        format!(
            "<meta name=\"{name}\" content=\"{}\">\n",
            html_escape(content)
        )
    };
    h.push_str(&meta("generator", crate::GENERATOR));
    h.push_str(&meta("dcterms.title", &title));
    h.push_str(&meta("dcterms.source", &t.id));
    h.push_str(&meta("dcterms.hasVersion", &version));
    h.push_str(&meta("dcterms.created", &when));
    h.push_str(&meta(
        "dcterms.identifier",
        &format!("sha256:{inputs_sha256}"),
    ));
    if opts.draft {
        h.push_str(&meta("robots", "noindex"));
    }
    let approval = opts.approval.filter(|_| !opts.draft);
    if let Some(a) = approval {
        h.push_str(&meta(
            "notice-studio.approved-by",
            &format!("{} <{}>", a.reviewer.name, a.reviewer.email),
        ));
        h.push_str(&meta("dcterms.dateAccepted", &a.approved_at));
        h.push_str(&meta(
            APPROVAL_META,
            &B64.encode(serde_json::to_vec(a).unwrap_or_default()),
        ));
    }
    h.push_str("<style>\n");
    h.push_str("html{background:#fff}body{margin:0}\n");
    h.push_str(STYLESHEET);
    h.push_str("</style>\n</head>\n<body>\n");
    h.push_str(&format!(
        "<main class=\"notice\" data-template=\"{}\" data-version=\"{}\" data-inputs-sha256=\"{inputs_sha256}\">\n",
        html_escape(&t.id),
        html_escape(&version)
    ));
    if opts.draft {
        h.push_str("<p class=\"draft-banner\" role=\"note\">DRAFT — not for distribution</p>\n");
    }
    h.push_str(&r.body_html);
    let approved = approval.map_or_else(String::new, |a| {
        format!(
            " · approved by {} on {}",
            html_escape(&a.reviewer.name),
            html_escape(a.approved_at.get(..10).unwrap_or(&a.approved_at))
        )
    });
    h.push_str(&format!(
        "<footer class=\"doc-meta\"><p>Version {} · generated {} by {}{approved}</p></footer>\n",
        html_escape(&version),
        html_escape(&when),
        html_escape(crate::GENERATOR)
    ));
    h.push_str("</main>\n</body>\n</html>\n");
    h
}
