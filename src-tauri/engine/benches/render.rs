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

criterion_group!(benches, seed);
criterion_main!(benches);
