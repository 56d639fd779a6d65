//! A fleet-sized workspace, generated and timed: `cargo run --release -p notice-engine --example
//! fleet -- <tenants> <folder> [publish-tenants]`. Writes `<folder>` (the seed family ×
//! `<tenants>` tenants, each with its own answers) when it has no tenants yet, then prints the
//! time of a cold status (no cache), a warm one, one after a template edit, and publish throughput
//! (HTML, `publish-tenants` tenants, default 500). `npm run bench` runs it; nothing asserts on it.
//! With `--generate-only` it writes the workspace and stops (the e2e uses that); with
//! `--publish-only` it times publish alone (for profiling it).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use notice_engine::TenantFile;
use notice_engine::export::ExportFormat;
use notice_engine::workspace::Workspace;
use notice_engine::workspace::publish::export_tenants;
use notice_engine::workspace::status::status;
use notice_engine::workspace::status_cache::{CACHE_FILE, NOTICE_DIR};

fn seed_family() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../templates/hosted-homeserver")
}

/// The seed family's templates and `n` tenants, answers from the seed's example tenants with
/// each tenant's own names.
fn generate(root: &Path, n: usize) {
    let family = root.join("templates/hosted-homeserver");
    std::fs::create_dir_all(&family).unwrap();
    std::fs::create_dir_all(root.join("tenants")).unwrap();
    for e in std::fs::read_dir(seed_family()).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".md") || name.ends_with(".fields.yaml") {
            std::fs::copy(&p, family.join(&name)).unwrap();
        }
    }
    let mut base = TenantFile::load(&seed_family().join("example-tenant.json"))
        .unwrap()
        .0;
    let extra = TenantFile::load(&seed_family().join("subprocessors.example-tenant.json"))
        .unwrap()
        .0;
    base.values.extend(extra.values);
    for i in 1..=n {
        let mut t = base.clone();
        t.tenant = format!("Tenant {i}");
        let text = |s: &str| notice_engine::FieldValue::Text(s.to_owned());
        t.values
            .insert("hhs_entity_name".into(), text(&format!("Tenant {i} Ltd")));
        t.values
            .insert("hhs_name".into(), text(&format!("tenant{i}")));
        t.values.insert(
            "our_server_fqdn".into(),
            text(&format!("tenant{i}.ems.host")),
        );
        t.values.insert(
            "their_server_name".into(),
            text(&format!("tenant{i}.example.org")),
        );
        // A plain write: the atomic, fsynced save would make generating the workspace the
        // slowest part of the benchmark.
        let json = serde_json::to_string_pretty(&t).unwrap();
        std::fs::write(root.join("tenants").join(format!("tenant-{i}.json")), json).unwrap();
    }
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let v = f();
    println!("{what}: {:.3} s", start.elapsed().as_secs_f64());
    v
}

/// Peak resident memory of this process (Linux), for the figure beside the times.
fn peak_memory_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = s
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let generate_only = args.iter().any(|a| a == "--generate-only");
    let publish_only = args.iter().any(|a| a == "--publish-only");
    let args: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let root = args
        .get(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join(format!("notice-fleet-{n}")));
    let publish_n: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(500);
    if !root.join("tenants").is_dir() {
        timed(&format!("generate {n} tenants"), || generate(&root, n));
    }
    if generate_only {
        println!("{}", root.display());
        return;
    }
    if !publish_only {
        statuses(&root);
    }
    publish(&root, publish_n);
    if let Some(mb) = peak_memory_mb() {
        println!("peak memory: {mb:.0} MB");
    }
}

/// Cold status, warm status, and status after one template edit.
fn statuses(root: &Path) {
    let _ = std::fs::remove_file(root.join(NOTICE_DIR).join(CACHE_FILE));
    let ws = timed("open", || Workspace::open(root).unwrap());
    let cells = ws.tenants.len() * ws.documents.len();
    println!(
        "{} tenants × {} documents = {cells} cells",
        ws.tenants.len(),
        ws.documents.len()
    );
    timed("cold status", || status(&ws).unwrap());
    timed("warm status (open + status)", || {
        let ws = Workspace::open(root).unwrap();
        status(&ws).unwrap()
    });
    let first = &ws.documents[0].template.path;
    let text = std::fs::read_to_string(first).unwrap();
    std::fs::write(first, format!("{text}\nOne more sentence.\n")).unwrap();
    timed("status after one template edit (open + status)", || {
        let ws = Workspace::open(root).unwrap();
        status(&ws).unwrap()
    });
    std::fs::write(first, text).unwrap();
}

/// Publish throughput: the first `publish_n` tenants to HTML.
fn publish(root: &Path, publish_n: usize) {
    let ws = Workspace::open(root).unwrap();
    let some: Vec<_> = ws.tenants.iter().take(publish_n).collect();
    let out = root.join("exports");
    // What generating and the statuses wrote is flushed first: publish syncs its filesystem, and
    // a real workspace's files are on disk long before it publishes.
    let _ = std::process::Command::new("sync").status();
    let start = Instant::now();
    let results = export_tenants(
        &ws,
        &some,
        &out,
        &[ExportFormat::Html],
        time::OffsetDateTime::now_utc(),
        &AtomicBool::new(false),
        |_, _, _| {},
    );
    let secs = start.elapsed().as_secs_f64();
    let written: usize = results.iter().map(|r| r.written.len()).sum();
    println!(
        "publish: {written} files for {} tenants in {secs:.3} s = {:.0} documents/s",
        results.len(),
        (some.len() * ws.documents.len()) as f64 / secs
    );
}
