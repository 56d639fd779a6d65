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
    Ok(())
}
