//! Render + check of the seed, in process: the figure behind "under 1 ms per keystroke".
//! `npm run bench` runs this beside the CLI and the status-quo pipeline and prints ratios.

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use notice_engine::{NoticeTemplate, RenderMode, TenantFile, render_notice};

fn seed(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../templates/hosted-homeserver");
    let Ok(t) = NoticeTemplate::load(&root.join("privacy_notice.md")) else {
        return;
    };
    let Ok((tenant, _)) = TenantFile::load(&root.join("example-tenant.json")) else {
        return;
    };
    c.bench_function("seed_render_check_preview", |b| {
        b.iter(|| render_notice(&t, &tenant.values, RenderMode::Preview))
    });
    let at = time::OffsetDateTime::UNIX_EPOCH;
    c.bench_function("seed_render_check_export", |b| {
        b.iter(|| {
            notice_engine::export_html(
                &t,
                &tenant.values,
                notice_engine::ExportOptions {
                    draft: false,
                    rendered_at: at,
                    approval: None,
                },
            )
        })
    });
    let mut partial = tenant.values.clone();
    partial.remove("our_server_fqdn");
    c.bench_function("seed_render_check_with_unfilled", |b| {
        b.iter(|| render_notice(&t, &partial, RenderMode::Preview))
    });
    c.bench_function("seed_load_template", |b| {
        b.iter(|| NoticeTemplate::load(&root.join("privacy_notice.md")))
    });
}

/// PDF: a whole export with Typst's caches emptied first (as a fresh process has them), and a
/// page-preview refresh after a keystroke (caches warm from the previous refresh, as in the app).
fn pdf(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../templates/hosted-homeserver");
    let Ok(t) = NoticeTemplate::load(&root.join("privacy_notice.md")) else {
        return;
    };
    let Ok((tenant, _)) = TenantFile::load(&root.join("example-tenant.json")) else {
        return;
    };
    let at = time::OffsetDateTime::UNIX_EPOCH;
    let settings = notice_engine::PdfSettings::default();
    let mut group = c.benchmark_group("pdf");
    group.sample_size(20);
    group.bench_function("seed_pdf_export_cold", |b| {
        b.iter(|| {
            typst::comemo::evict(0);
            notice_engine::export_pdf(
                &t,
                &tenant.values,
                notice_engine::ExportOptions {
                    draft: false,
                    rendered_at: at,
                    approval: None,
                },
                &settings,
            )
        })
    });
    let mut values = tenant.values.clone();
    let mut n = 0u64;
    group.bench_function("seed_page_preview_keystroke", |b| {
        b.iter(|| {
            n += 1;
            values.insert(
                "hhs_entity_name".into(),
                notice_engine::FieldValue::Text(format!("Acme Corporation {n}")),
            );
            notice_engine::page_preview(&t, &values, &settings, at)
        })
    });
    group.finish();
}

/// Scale: render + check of a 1 MB template (the seed's body repeated) and of a template with
/// 500 fields, each keystroke's work in the app. Target: under 50 ms, so typing stays interactive.
fn scale(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../templates/hosted-homeserver");
    let (Ok(seed), Ok((tenant, _))) = (
        std::fs::read_to_string(root.join("privacy_notice.md")),
        TenantFile::load(&root.join("example-tenant.json")),
    ) else {
        return;
    };
    let body = seed.splitn(3, "---\n").nth(2).unwrap_or(&seed).to_owned();
    let mut big = String::from("---\ntitle: Privacy Notice\nversion: 1.0.0\n---\n");
    while big.len() < 1024 * 1024 {
        big.push_str(&body);
    }
    let big = NoticeTemplate::from_source(&root.join("big.md"), &big, Some(root.clone()));
    let mut group = c.benchmark_group("scale");
    group.sample_size(10);
    group.bench_function("one_megabyte_render_check_preview", |b| {
        b.iter(|| render_notice(&big, &tenant.values, RenderMode::Preview))
    });

    let mut many = String::from("---\ntitle: Many fields\nversion: 1.0.0\n---\n");
    let mut values = notice_engine::TenantValues::new();
    for i in 0..500 {
        many.push_str(&format!("Clause {i} applies to {{{{ field_{i} }}}}.\n\n"));
        values.insert(
            format!("field_{i}"),
            notice_engine::FieldValue::Text(format!("value {i}")),
        );
    }
    let many = NoticeTemplate::from_source(&root.join("many.md"), &many, None);
    group.bench_function("five_hundred_fields_render_check_preview", |b| {
        b.iter(|| render_notice(&many, &values, RenderMode::Preview))
    });
    group.finish();
}

criterion_group!(benches, seed, pdf, scale);
criterion_main!(benches);
