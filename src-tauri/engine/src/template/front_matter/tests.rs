//! Front matter: parsing, shape checks and near misses.

use super::*;

#[test]
fn splits_and_parses_a_title_with_placeholders() {
    let src = "---\ntitle: {{ a }} ({{ b }}) Notice\nversion: 1.0.0\n---\n\n# Body\n";
    let s = split(src);
    assert_eq!(s.body_line, 5);
    assert_eq!(s.body, "\n# Body\n");
    let (yaml, line) = s.yaml.unwrap();
    let fm = parse(yaml, line, "t.md");
    assert!(fm.diagnostics.is_empty(), "{:?}", fm.diagnostics);
    let (title, origin) = fm.title.unwrap();
    assert_eq!(title, "{{ a }} ({{ b }}) Notice");
    assert_eq!((origin.line, origin.column), (2, 8));
    assert_eq!(fm.version.unwrap().to_string(), "1.0.0");
}

#[test]
fn a_stray_carriage_return_does_not_move_an_error_past_the_end() {
    // Found by the front_matter fuzz target: YAML counts `\r` as a line break, files do not.
    let src = "---\ntitle: x\rversion: 1.0.0\rbad: {\n---\n# x\n";
    let s = split(src);
    let (yaml, line) = s.yaml.unwrap();
    let fm = parse(yaml, line, "t.md");
    let d = &fm.diagnostics[0];
    assert_eq!(d.line, Some(2), "{d:?}");
    assert!(d.column.unwrap() > 20, "{d:?}");
    assert_eq!(file_position("a\r\nb", 2, 1), (1, 1));
    assert_eq!(file_position("a\rb", 2, 1), (0, 3));
}

#[test]
fn a_list_is_reported_at_its_line() {
    let src = "---\n- title: X\n- version: 1.0.0\n---\nbody\n";
    let s = split(src);
    let (yaml, line) = s.yaml.unwrap();
    let fm = parse(yaml, line, "t.md");
    assert_eq!(fm.diagnostics[0].code, Code::FrontMatter);
    assert_eq!(fm.diagnostics[0].line, Some(2));
}

#[test]
fn unterminated_and_missing() {
    assert!(split("---\ntitle: x\n").unterminated);
    assert!(split("# no front matter\n").yaml.is_none());
}

#[test]
fn bad_version_and_yaml_errors_have_lines() {
    let fm = parse("title: x\nversion: one\n", 2, "t.md");
    assert_eq!(fm.diagnostics[0].line, Some(3));
    let fm = parse("title: [unclosed\n", 2, "t.md");
    assert_eq!(fm.diagnostics[0].code, Code::Syntax);
    assert!(fm.diagnostics[0].line.is_some());
}
