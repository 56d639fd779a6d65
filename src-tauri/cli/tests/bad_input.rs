//! The bad-input corpus (`tests/bad-input/`, and the cases built here at test time) through the
//! `notice` command: never a panic or a hang, always a message naming the file (and line where
//! there is one), and a refused or failed export never touches a file already at the target.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn corpus(name: &str) -> PathBuf {
    repo().join("tests/bad-input").join(name)
}

fn example() -> PathBuf {
    repo().join("templates/hosted-homeserver/example-tenant.json")
}

struct Run {
    code: i32,
    stderr: String,
}

/// Runs `notice args…`; a run still going after a minute is a hang and fails the test.
fn notice(args: &[&str]) -> Run {
    let out_file = tempfile::NamedTempFile::new().unwrap();
    let err_file = tempfile::NamedTempFile::new().unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("notice"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::from(out_file.reopen().unwrap()))
        .stderr(Stdio::from(err_file.reopen().unwrap()))
        .spawn()
        .unwrap();
    let until = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > until {
            let _ = child.kill();
            panic!("notice {args:?} hung (killed after a minute)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stderr = std::fs::read_to_string(err_file.path()).unwrap_or_default();
    assert!(
        !stderr.contains("panicked"),
        "notice {args:?} panicked:\n{stderr}"
    );
    let code = status
        .code()
        .unwrap_or_else(|| panic!("notice {args:?} died of a signal: {status:?}"));
    Run { code, stderr }
}

/// `check` and a refused or failed `render -o` onto an existing file, for one template.
fn template_case(path: &Path, check_code: i32, says: &str) {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let p = path.to_str().unwrap();
    let r = notice(&["check", p]);
    assert_eq!(r.code, check_code, "check {name}:\n{}", r.stderr);
    assert!(
        r.stderr.contains(&name),
        "check {name} names the file:\n{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(says),
        "check {name} says {says:?}:\n{}",
        r.stderr
    );

    if check_code != 0 {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.html");
        std::fs::write(&target, "previous export").unwrap();
        let tenant = example();
        let r = notice(&[
            "render",
            p,
            "--tenant",
            tenant.to_str().unwrap(),
            "-o",
            target.to_str().unwrap(),
        ]);
        assert_ne!(r.code, 0, "render {name} must fail");
        assert_eq!(
            std::fs::read_to_string(&target).unwrap(),
            "previous export",
            "a failed export of {name} left the existing file alone"
        );
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(
            names.len(),
            1,
            "no partial or temporary file left for {name}"
        );
    }
}

#[test]
fn corpus_files_give_clear_messages() {
    template_case(&corpus("not-utf8.md"), 2, "not-utf8.md:1: not UTF-8 text");
    template_case(&corpus("binary.md"), 2, "not UTF-8 text");
    template_case(
        &corpus("empty.md"),
        0,
        "warning[front-matter]: no front matter",
    );
    template_case(
        &corpus("front-matter-only.md"),
        0,
        "front-matter-only.md:5:1: warning[front-matter]: the template has no text after its front matter",
    );
    template_case(
        &corpus("unterminated-front-matter.md"),
        1,
        "unterminated-front-matter.md:1:1: error[front-matter]",
    );
    let seed = repo().join("templates/hosted-homeserver/privacy_notice.md");
    for (tenant, says) in [
        (
            "truncated-tenant.json",
            "truncated-tenant.json:2:1: invalid JSON",
        ),
        (
            "wrong-shape-tenant.json",
            "wrong-shape-tenant.json: not a tenant file",
        ),
    ] {
        let r = notice(&[
            "check",
            seed.to_str().unwrap(),
            "--tenant",
            corpus(tenant).to_str().unwrap(),
        ]);
        assert_eq!(r.code, 2, "{tenant}:\n{}", r.stderr);
        assert!(
            r.stderr.contains(says),
            "{tenant} says {says:?}:\n{}",
            r.stderr
        );
    }
}

#[test]
fn huge_and_deep_inputs_end_in_time_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    let big = d.join("fifty-megabytes.md");
    let line = "lorem ipsum {{ hhs_entity_name }} dolor sit amet\n";
    std::fs::write(&big, line.repeat(50 * 1024 * 1024 / line.len() + 1)).unwrap();
    template_case(&big, 2, "is too large");

    let lists = d.join("nested-lists.md");
    std::fs::write(&lists, format!("{}x\n", "- ".repeat(10_000))).unwrap();
    template_case(&lists, 0, "no front matter");
    let quotes = d.join("nested-quotes.md");
    std::fs::write(&quotes, format!("{}x\n", "> ".repeat(10_000))).unwrap();
    template_case(&quotes, 0, "no front matter");

    // 100,000 placeholders, none filled: every one is a problem, listed up to a bound.
    let many = d.join("many-placeholders.md");
    let body: Vec<String> = (0..100_000).map(|i| format!("{{{{ f{i} }}}}")).collect();
    std::fs::write(
        &many,
        format!(
            "---\ntitle: Many\nversion: 1.0.0\n---\n{}\n",
            body.join(" ")
        ),
    )
    .unwrap();
    template_case(&many, 1, "more not shown (`--format json` lists every one)");
}

#[test]
fn folders_that_loop_vanish_or_cannot_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let family = ws.join("templates/hosted-homeserver");
    std::fs::create_dir_all(&family).unwrap();
    std::fs::create_dir_all(ws.join("tenants")).unwrap();
    std::fs::copy(
        repo().join("templates/hosted-homeserver/privacy_notice.md"),
        family.join("privacy_notice.md"),
    )
    .unwrap();
    std::fs::copy(example(), ws.join("tenants/acme.json")).unwrap();
    // A folder that contains itself.
    std::os::unix::fs::symlink(ws.join("templates"), family.join("loop")).unwrap();
    std::os::unix::fs::symlink(ws.join("templates"), ws.join("templates/loop")).unwrap();
    let r = notice(&["status", ws.to_str().unwrap()]);
    assert!(r.code <= 1, "status with a symlink loop:\n{}", r.stderr);

    // An export folder that is not there (a vanished mount, a typo).
    let seed = repo().join("templates/hosted-homeserver/privacy_notice.md");
    let gone = dir.path().join("gone/deeper/out.html");
    let r = notice(&[
        "render",
        seed.to_str().unwrap(),
        "--tenant",
        example().to_str().unwrap(),
        "-o",
        gone.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("out.html"),
        "names the target:\n{}",
        r.stderr
    );
    assert!(!gone.exists());

    // A file that cannot be read (only where permissions bite: not as root).
    let locked = dir.path().join("locked.md");
    std::fs::write(&locked, "---\ntitle: x\nversion: 1.0.0\n---\nx\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_err() {
        let r = notice(&["check", locked.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr.contains("locked.md") && r.stderr.contains("ermission"),
            "{}",
            r.stderr
        );
    }
}

/// A full disk and a read-only export folder, on small tmpfs mounts made in a private mount
/// namespace (`unshare`; no root needed where user namespaces are allowed): the export and the
/// tenant save fail with a message naming the file, the existing file is untouched and no
/// temporary file is left behind.
#[test]
fn a_full_disk_and_a_read_only_folder_leave_existing_files_untouched() {
    let can_mount = Command::new("unshare")
        .args(["-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /tmp"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !can_mount {
        eprintln!(
            "SKIPPED: this machine allows no private mount namespace (unshare -rm), so no small disk can be made"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("full")).unwrap();
    std::fs::create_dir_all(d.join("ro")).unwrap();
    let seed = repo().join("templates/hosted-homeserver/privacy_notice.md");
    // Results are written outside the mounts, which vanish with the namespace.
    let script = r#"
        set -u
        d=$1 notice=$2 seed=$3 tenant=$4
        mount -t tmpfs -o size=256k tmpfs "$d/full" || exit 90
        printf 'previous export\n' > "$d/full/out.html"
        cp "$tenant" "$d/full/acme.json"
        dd if=/dev/zero of="$d/full/filler" bs=4k 2>/dev/null
        NO_COLOR=1 "$notice" render "$seed" --tenant "$tenant" -o "$d/full/out.html" 2> "$d/full.err"
        echo $? > "$d/full.code"
        NO_COLOR=1 "$notice" new-tenant "$seed" --force -o "$d/full/acme.json" 2> "$d/save.err"
        echo $? > "$d/save.code"
        cp "$d/full/out.html" "$d/full.after"; cp "$d/full/acme.json" "$d/save.after"
        ls -A "$d/full" > "$d/full.ls"
        mount -t tmpfs -o size=256k tmpfs "$d/ro" || exit 91
        printf 'previous export\n' > "$d/ro/out.html"
        mount -o remount,ro "$d/ro" || exit 92
        NO_COLOR=1 "$notice" render "$seed" --tenant "$tenant" -o "$d/ro/out.html" 2> "$d/ro.err"
        echo $? > "$d/ro.code"
        cp "$d/ro/out.html" "$d/ro.after"
    "#;
    let status = Command::new("unshare")
        .args(["-rm", "sh", "-c", script, "sh"])
        .arg(d)
        .arg(assert_cmd::cargo::cargo_bin("notice"))
        .arg(&seed)
        .arg(example())
        .status()
        .unwrap();
    assert!(status.success(), "the mount script failed: {status:?}");
    let read = |name: &str| std::fs::read_to_string(d.join(name)).unwrap();
    for (case, target) in [
        ("full", "out.html"),
        ("save", "acme.json"),
        ("ro", "out.html"),
    ] {
        let err = read(&format!("{case}.err"));
        assert_eq!(read(&format!("{case}.code")).trim(), "2", "{case}: {err}");
        assert!(
            err.contains(target),
            "{case}: the message names the file: {err}"
        );
        assert!(!err.contains("panicked"), "{case}: {err}");
    }
    assert!(
        read("full.err").contains("No space left on device"),
        "{}",
        read("full.err")
    );
    assert!(
        read("ro.err").contains("Read-only file system"),
        "{}",
        read("ro.err")
    );
    assert_eq!(read("full.after"), "previous export\n");
    assert_eq!(read("ro.after"), "previous export\n");
    assert_eq!(
        read("save.after"),
        std::fs::read_to_string(example()).unwrap()
    );
    let left: Vec<String> = read("full.ls").lines().map(str::to_owned).collect();
    assert_eq!(
        left,
        ["acme.json", "filler", "out.html"],
        "no temporary file left"
    );
}
