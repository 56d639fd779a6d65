//! Legal sign-off from the command line against a real Secret Service: a private D-Bus session
//! with gnome-keyring-daemon (Debian packages `dbus`, `gnome-keyring`), started and stopped by
//! the test, so the user's own keychain is never touched. Covers storing, reading and deleting
//! a reviewer key, approving, the workspace's approval requirement, and `notice verify` on
//! exports that are untouched, edited, or signed by an untrusted key.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A D-Bus session bus with an unlocked gnome-keyring in it; stopped on drop.
struct SecretService {
    session: Child,
    address: String,
    home: tempfile::TempDir,
}

impl SecretService {
    fn start() -> Self {
        for tool in ["dbus-run-session", "gnome-keyring-daemon"] {
            assert!(
                Process::new("sh")
                    .args(["-c", &format!("command -v {tool}")])
                    .stdout(Stdio::null())
                    .status()
                    .unwrap()
                    .success(),
                "{tool} is missing: run scripts/setup.sh --test (Debian packages dbus, gnome-keyring)"
            );
        }
        let home = tempfile::tempdir().unwrap();
        let runtime = home.path().join("run");
        std::fs::create_dir_all(&runtime).unwrap();
        let ready = home.path().join("bus-address");
        // The keyring's password comes on stdin; `--unlock` creates and unlocks the login
        // keyring in this private HOME. The session lives as long as `sleep`.
        let script = format!(
            "printf test-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null && \
             printf %s \"$DBUS_SESSION_BUS_ADDRESS\" > '{}.tmp' && mv '{0}.tmp' '{0}' && exec sleep 600",
            ready.display()
        );
        let session = Process::new("dbus-run-session")
            .args(["--", "sh", "-c", &script])
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_RUNTIME_DIR", &runtime)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while !ready.exists() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "gnome-keyring did not start in 30 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let address = std::fs::read_to_string(&ready).unwrap();
        SecretService {
            session,
            address,
            home,
        }
    }

    fn notice(&self) -> Command {
        let mut c = Command::cargo_bin("notice").unwrap();
        c.env("NO_COLOR", "1")
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .env("HOME", self.home.path())
            .env("XDG_RUNTIME_DIR", self.home.path().join("run"))
            .env("SOURCE_DATE_EPOCH", "1795000000")
            .timeout(Duration::from_secs(60));
        c
    }
}

impl Drop for SecretService {
    fn drop(&mut self) {
        // Ending `sleep` ends the session: dbus-run-session stops the bus, and the keyring
        // daemon exits with it.
        let _ = Process::new("pkill")
            .args(["-P", &self.session.id().to_string()])
            .status();
        let _ = self.session.kill();
        let _ = self.session.wait();
    }
}

fn run(c: &mut Command) -> (i32, String, String) {
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A workspace with the seed template and one tenant.
fn workspace(root: &Path) -> PathBuf {
    let family = root.join("templates/hosted-homeserver");
    std::fs::create_dir_all(&family).unwrap();
    std::fs::create_dir_all(root.join("tenants")).unwrap();
    for f in ["privacy_notice.md", "privacy_notice.fields.yaml"] {
        std::fs::copy(
            repo().join("templates/hosted-homeserver").join(f),
            family.join(f),
        )
        .unwrap();
    }
    let tenant = root.join("tenants/acme.json");
    std::fs::copy(
        repo().join("templates/hosted-homeserver/example-tenant.json"),
        &tenant,
    )
    .unwrap();
    tenant
}

#[test]
fn a_reviewer_key_in_a_real_secret_service_signs_approvals_that_exports_carry() {
    let ss = SecretService::start();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let tenant = workspace(root);
    let template = root.join("templates/hosted-homeserver/privacy_notice.md");
    let name = "Jane Q. Reviewer";

    // Store: the public line goes to stdout, the secret into the keychain.
    let (code, public_line, err) = run(ss.notice().args([
        "reviewer",
        "new",
        "--name",
        name,
        "--email",
        "jane@example.org",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(public_line.starts_with("ed25519:"), "{public_line}");
    assert!(
        public_line
            .trim_end()
            .ends_with("Jane Q. Reviewer <jane@example.org>")
    );
    // No key material on disk outside the keychain's own store.
    let leaked = Process::new("grep")
        .args(["-rl", "secret_key", root.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        leaked.stdout.is_empty(),
        "key material written to the workspace"
    );
    // A second key under the same name is refused (it would void the first one's approvals).
    let (code, _, err) = run(ss.notice().args([
        "reviewer",
        "new",
        "--name",
        name,
        "--email",
        "jane@example.org",
    ]));
    assert_eq!(code, 2);
    assert!(err.contains("already holds"), "{err}");
    // Read back.
    let (code, shown, _) = run(ss.notice().args(["reviewer", "show", name]));
    assert_eq!((code, shown.as_str()), (0, public_line.as_str()));

    // The workspace requires approval: publishing is refused before one exists.
    std::fs::write(root.join("settings.json"), "{\"require_approval\": true}\n").unwrap();
    let (code, out, err) = run(ss.notice().arg("publish").arg(root));
    assert_ne!(code, 0, "{out}{err}");
    assert!(format!("{out}{err}").contains("not approved"), "{out}{err}");

    // Approve with the key from the keychain; not trusted yet, so the tool says so.
    let (code, _, err) = run(ss
        .notice()
        .arg("approve")
        .arg(&template)
        .arg("--tenant")
        .arg(&tenant)
        .args(["--reviewer", name]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("not in trusted-reviewers.txt"), "{err}");
    assert!(root.join("tenants/acme.approvals.json").is_file());
    let (code, out, err) = run(ss.notice().arg("publish").arg(root));
    assert_ne!(code, 0);
    assert!(format!("{out}{err}").contains("not trusted"), "{out}{err}");

    // Trusted: publish writes HTML and PDF carrying the approval, and both verify.
    std::fs::write(root.join("trusted-reviewers.txt"), &public_line).unwrap();
    let (code, out, err) = run(ss
        .notice()
        .arg("publish")
        .arg(root)
        .args(["--formats", "html,pdf"]));
    assert_eq!(code, 0, "{out}{err}");
    let html = root.join("exports/acme/privacy_policy/en/privacy_notice.html");
    let pdf = root.join("exports/acme/privacy_policy/en/privacy_notice.pdf");
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(
        text.contains("approved by Jane Q. Reviewer on "),
        "footer names the approval"
    );
    let info = Process::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.contains("approved-by:Jane Q. Reviewer <jane@example.org>"),
        "the PDF's own metadata names the approval: {info}"
    );
    for f in [&html, &pdf] {
        let (code, out, _) = run(ss.notice().arg("verify").arg(f));
        assert_eq!(code, 0, "{}: {out}", f.display());
        assert!(
            out.contains("approved by Jane Q. Reviewer <jane@example.org>"),
            "{out}"
        );
        assert!(out.contains("verified"), "{out}");
    }

    // An edited export is caught, named, and exits 1.
    let body = text.find("<main").unwrap();
    let edited = format!(
        "{}{}",
        &text[..body],
        text[body..].replacen("Acme", "Acne", 1)
    );
    std::fs::write(&html, edited).unwrap();
    let (code, out, _) = run(ss.notice().arg("verify").arg(&html));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("changed after export"), "{out}");
    assert!(out.contains("differs from what was approved"), "{out}");
    let mut bytes = std::fs::read(&pdf).unwrap();
    let last = bytes.len() - 10;
    bytes[last] ^= 1;
    std::fs::write(&pdf, bytes).unwrap();
    let (code, out, _) = run(ss.notice().arg("verify").arg(&pdf));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("changed after export"), "{out}");

    // Verified against another trusted list, the same approval is an untrusted key's.
    let other = root.join("other-trust.txt");
    std::fs::write(&other, "# nobody\n").unwrap();
    let fresh = root.join("fresh.html");
    let (code, _, err) = run(ss
        .notice()
        .arg("render")
        .arg(&template)
        .arg("--tenant")
        .arg(&tenant)
        .arg("-o")
        .arg(&fresh));
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = run(ss.notice().arg("verify").arg(&fresh));
    assert_eq!(
        code, 0,
        "a single export is listed in its folder's manifest: {out}"
    );
    let (code, out, _) = run(ss
        .notice()
        .arg("verify")
        .arg(&fresh)
        .arg("--trusted")
        .arg(&other));
    assert_eq!(code, 1);
    assert!(out.contains("not trusted"), "{out}");

    // A changed value voids the approval for export.
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&tenant).unwrap()).unwrap();
    v["values"]["hhs_entity_name"] = "Acme Holdings Ltd".into();
    std::fs::write(&tenant, v.to_string()).unwrap();
    let (code, _, err) = run(ss
        .notice()
        .arg("render")
        .arg(&template)
        .arg("--tenant")
        .arg(&tenant)
        .arg("-o")
        .arg(root.join("after-change.html")));
    assert_eq!(code, 1);
    assert!(err.contains("changed since"), "{err}");
    assert!(
        err.contains("`hhs_entity_name`"),
        "the change is named: {err}"
    );
    assert!(!root.join("after-change.html").exists());

    // Delete: gone from the keychain.
    let (code, _, err) = run(ss.notice().args(["reviewer", "delete", name]));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(ss.notice().args(["reviewer", "show", name]));
    assert_eq!(code, 2);
    assert!(err.contains("no reviewer key"), "{err}");
}

#[test]
fn without_a_keychain_the_message_says_what_to_do_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("notice")
        .unwrap()
        .env("NO_COLOR", "1")
        .env("HOME", dir.path())
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("XDG_RUNTIME_DIR", dir.path().join("no-bus-here"))
        .current_dir(dir.path())
        .args(["reviewer", "new", "--name", "X", "--email", "x@example.org"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no OS keychain is available"), "{err}");
    assert!(err.contains("no key material was written"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_passphrase_protected_key_file_is_used_only_when_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let tenant = workspace(root);
    let template = root.join("templates/hosted-homeserver/privacy_notice.md");
    let key = root.join("jane.key");
    let notice = |pass: &str| {
        let mut c = Command::cargo_bin("notice").unwrap();
        c.env("NO_COLOR", "1")
            // No keychain reachable: a key file must not need one.
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env("XDG_RUNTIME_DIR", root.join("no-bus"))
            .env("NOTICE_KEY_PASSPHRASE", pass)
            .timeout(Duration::from_secs(60));
        c
    };
    let (code, line, err) = run(notice("correct horse battery")
        .args([
            "reviewer",
            "new",
            "--name",
            "Jane",
            "--email",
            "jane@example.org",
        ])
        .arg("--key-file")
        .arg(&key));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("encrypted under your passphrase"), "{err}");
    let (code, shown, _) = run(notice("")
        .args(["reviewer", "show", "--key-file"])
        .arg(&key));
    assert_eq!((code, shown.as_str()), (0, line.as_str()));

    let approve = |pass: &str| {
        run(notice(pass)
            .arg("approve")
            .arg(&template)
            .arg("--tenant")
            .arg(&tenant)
            .arg("--key-file")
            .arg(&key))
    };
    let (code, _, err) = approve("wrong horse battery");
    assert_eq!(code, 2);
    assert!(err.contains("jane.key: wrong passphrase"), "{err}");
    assert!(!root.join("tenants/acme.approvals.json").exists());
    let (code, _, err) = approve("correct horse battery");
    assert_eq!(code, 0, "{err}");
    assert!(root.join("tenants/acme.approvals.json").is_file());
    // A short passphrase is refused and writes nothing.
    let (code, _, err) = run(notice("short")
        .args(["reviewer", "new", "--name", "J", "--email", "j@example.org"])
        .arg("--key-file")
        .arg(root.join("weak.key")));
    assert_eq!(code, 2);
    assert!(err.contains("at least 12 characters"), "{err}");
    assert!(!root.join("weak.key").exists());
}
