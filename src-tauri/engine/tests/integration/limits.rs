//! Acceptance 4: runaway templates and includes outside the template folder end in clear errors,
//! never a hang or a read outside the folder.

use crate::common;

use notice_engine::{Code, NoticeTemplate, RenderMode, check_notice, render_notice};

#[test]
fn a_runaway_loop_runs_out_of_fuel() {
    let t = common::template(
        "# T\n\n{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}\n",
    );
    let r = render_notice(&t, &Default::default(), RenderMode::Preview);
    assert!(!r.rendered);
    let e = r
        .diagnostics
        .iter()
        .find(|d| d.code == Code::RenderError)
        .unwrap();
    assert!(e.message.contains("ran too long"), "{}", e.message);
    assert_eq!(e.line, Some(3));
}

#[test]
fn unbounded_recursion_is_an_error() {
    let t = common::template("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}\n");
    let r = render_notice(&t, &Default::default(), RenderMode::Preview);
    assert!(!r.rendered);
    assert!(r.diagnostics.iter().any(|d| d.code == Code::RenderError));
}

#[test]
fn includes_outside_the_folder_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let tdir = dir.path().join("family");
    std::fs::create_dir(&tdir).unwrap();
    std::fs::write(dir.path().join("secret.md"), "SECRET").unwrap();
    std::fs::write(tdir.join("part.md"), "Included for {{ who }}.\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("secret.md"), tdir.join("link.md")).unwrap();
    for (inc, ok) in [
        ("../../etc/passwd", false),
        ("/etc/passwd", false),
        ("../secret.md", false),
        ("link.md", false),
        ("part.md", true),
    ] {
        let main = tdir.join("main.md");
        std::fs::write(&main, format!("# T\n\n{{% include \"{inc}\" %}}\n")).unwrap();
        let t = NoticeTemplate::load(&main).unwrap();
        let v = common::values(&[("who", "Acme")]);
        let r = render_notice(&t, &v, RenderMode::Preview);
        if ok {
            assert!(r.rendered, "{inc}: {:#?}", r.diagnostics);
            assert!(r.body_html.contains("Included for"), "{inc}");
            assert!(
                t.field("who").is_some(),
                "fields of includes are discovered"
            );
        } else {
            assert!(!r.rendered, "{inc} must be refused");
            assert!(!r.body_html.contains("SECRET") && !r.body_html.contains("root:"));
            let e = r
                .diagnostics
                .iter()
                .find(|d| d.code == Code::RenderError)
                .unwrap();
            assert!(e.message.contains("refused"), "{inc}: {}", e.message);
            assert_eq!(e.line, Some(3), "{inc}");
        }
    }
}

#[test]
fn syntax_errors_have_exact_positions() {
    let t = common::template("---\ntitle: T\nversion: 1.0.0\n---\n\n# T\n\nHello {{ name \n");
    let d = check_notice(&t, &Default::default());
    let s = d.iter().find(|x| x.code == Code::Syntax).unwrap();
    assert_eq!(s.line, Some(8));
    let t = common::template("# T\n\n{% if x %}\nno end\n");
    let d = check_notice(&t, &Default::default());
    assert!(d.iter().any(|x| x.code == Code::Syntax));
    let t = common::template("---\ntitle: [\n---\n# x\n");
    let d = check_notice(&t, &Default::default());
    let s = d.iter().find(|x| x.code == Code::Syntax).unwrap();
    assert_eq!(s.line, Some(2));
}
