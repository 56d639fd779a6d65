//! Saves killed mid-write: a process saving a tenant file (as the app's Save does) and writing
//! its working state (as the app's autosave does) over and over is SIGKILLed at random moments,
//! many times. After every kill each file is whole: its old content or its new one, never a
//! truncated mix, so a restart always has a tenant file and an autosave to restore.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use notice_engine::atomic::write_atomic;
use notice_engine::{FieldValue, TenantFile};

const CHILD: &str = "NOTICE_SAVE_LOOP_DIR";

/// Two versions of a tenant: small, and big (slow to write, so kills land mid-write).
fn version(big: bool) -> TenantFile {
    let mut t = TenantFile::new(if big { "Big" } else { "Small" });
    let n = if big { 4000 } else { 3 };
    for i in 0..n {
        t.values.insert(
            format!("field_{i:05}"),
            FieldValue::Text(format!("value {i} {}", "x".repeat(200))),
        );
    }
    t
}

fn paths(dir: &Path) -> (PathBuf, PathBuf) {
    (dir.join("acme.json"), dir.join("autosave.json"))
}

/// The child: saves and autosaves the two versions in turn until killed.
#[test]
#[ignore = "run by a_save_killed_at_any_moment_leaves_a_whole_file as its child"]
fn save_loop_child() {
    let Some(dir) = std::env::var_os(CHILD) else {
        return;
    };
    let (tenant, autosave) = paths(Path::new(&dir));
    let versions = [version(false), version(true)];
    for i in 0.. {
        let v = &versions[i % 2];
        v.save(&tenant).unwrap();
        write_atomic(&autosave, v.to_json().as_bytes()).unwrap();
    }
}

#[test]
fn a_save_killed_at_any_moment_leaves_a_whole_file() {
    let dir = tempfile::tempdir().unwrap();
    let (tenant, autosave) = paths(dir.path());
    let small = version(false);
    let big = version(true);
    small.save(&tenant).unwrap();
    write_atomic(&autosave, small.to_json().as_bytes()).unwrap();
    // A small, fixed-seed generator: the kill moments vary but a failure can be replayed.
    let mut seed: u64 = 0x5eed_cafe;
    let mut next = move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        seed >> 33
    };
    let mut killed_running = 0;
    let mut seen_big = 0;
    for _ in 0..40 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "crash::save_loop_child",
                "--ignored",
                "--nocapture",
            ])
            .env(CHILD, dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(20 + next() % 120));
        if child.try_wait().unwrap().is_none() {
            killed_running += 1;
        }
        child.kill().unwrap(); // SIGKILL: no destructor, no cleanup runs
        child.wait().unwrap();
        for path in [&tenant, &autosave] {
            let (read, _) = TenantFile::load(path)
                .unwrap_or_else(|e| panic!("{} is not whole after a kill: {e}", path.display()));
            assert!(
                read == small || read == big,
                "{} holds neither version",
                path.display()
            );
            seen_big += usize::from(read == big);
        }
    }
    assert!(
        killed_running >= 30,
        "only {killed_running} of 40 kills hit a running save"
    );
    assert!(
        seen_big > 0 && seen_big < 80,
        "the kills should find each version sometimes ({seen_big} of 80 reads were the big one)"
    );
}
