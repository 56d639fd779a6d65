//! Times render + check of the seed in whatever profile it is built in (debug builds included),
//! to see what the app's preview costs per keystroke: `cargo run --example time_seed`.

use std::path::PathBuf;
use std::time::Instant;

use notice_engine::{NoticeTemplate, RenderMode, TenantFile, render_notice};

fn main() -> Result<(), notice_engine::EngineError> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../templates/hosted-homeserver");
    let t = NoticeTemplate::load(&root.join("privacy_notice.md"))?;
    let (tenant, _) = TenantFile::load(&root.join("example-tenant.json"))?;
    let n = 200;
    let start = Instant::now();
    for _ in 0..n {
        std::hint::black_box(render_notice(&t, &tenant.values, RenderMode::Preview));
    }
    let per = start.elapsed() / n;
    println!("seed render + check (preview): {per:?} per render");
    let r = render_notice(&t, &tenant.values, RenderMode::Preview);
    println!("preview HTML: {} bytes", r.body_html.len());

    // The Pages view: a refresh after each keystroke, Typst's caches warm as in the app.
    let settings = notice_engine::PdfSettings::default();
    let at = time::OffsetDateTime::UNIX_EPOCH;
    let first = Instant::now();
    let p = notice_engine::page_preview(&t, &tenant.values, &settings, at)?;
    println!(
        "page preview, first: {:?} ({} pages, {} KB of SVG)",
        first.elapsed(),
        p.pages.len(),
        p.pages.iter().map(String::len).sum::<usize>() / 1024
    );
    if let Some(dir) = std::env::var_os("NOTICE_DUMP_SVG") {
        for (i, page) in p.pages.iter().enumerate() {
            let _ = std::fs::write(
                PathBuf::from(&dir).join(format!("page-{}.svg", i + 1)),
                page,
            );
        }
    }
    let mut values = tenant.values.clone();
    let n = 10;
    let start = Instant::now();
    for i in 0..n {
        values.insert(
            "hhs_entity_name".into(),
            notice_engine::FieldValue::Text(format!("Acme Corporation {i}")),
        );
        std::hint::black_box(notice_engine::page_preview(&t, &values, &settings, at)?);
    }
    println!("page preview after a keystroke: {:?}", start.elapsed() / n);
    Ok(())
}
