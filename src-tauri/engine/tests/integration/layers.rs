//! The engine's layers hold: no module imports one above it. Reads every `crate::…` path (and
//! `super::super::…` that climbs out of a top-level module) in `engine/src` and fails naming the
//! file and line of each upward import. Paths through the crate root's re-exports
//! (`crate::render_notice`) count as imports of the module they come from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The layers, lowest first: a module may import only modules before it. The same order is in
/// the crate documentation (`engine/src/lib.rs`).
const LAYERS: &[&str] = &[
    // Leaves: no knowledge of templates.
    "token",
    "json_keys",
    "diagnostic",
    "error",
    "atomic",
    "values",
    // The pipeline.
    "template",
    "tenant",
    "render",
    "check",
    "export",
    // Above the pipeline.
    "approval",
    "workspace",
];

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|m| *m == module)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Root names re-exported by `lib.rs` (`pub use check::render_notice;`), each with its module.
fn root_reexports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let flat = lib.replace('\n', " ");
    for stmt in flat.split(';') {
        let Some(rest) = stmt.trim().strip_prefix("pub use ") else {
            continue;
        };
        let module = rest.split("::").next().unwrap_or("").trim().to_owned();
        let names = match (rest.find('{'), rest.rfind('}')) {
            (Some(a), Some(b)) => rest[a + 1..b].to_owned(),
            _ => rest.rsplit("::").next().unwrap_or("").to_owned(),
        };
        for n in names.split(',') {
            let n = n.trim();
            let n = n.rsplit(" as ").next().unwrap_or(n).trim();
            let n = n.rsplit("::").next().unwrap_or(n);
            if !n.is_empty() {
                out.insert(n.to_owned(), module.clone());
            }
        }
    }
    out
}

/// The identifiers right after `prefix` in `code`: `crate::a` gives `a`, `crate::{a::x, b}` gives
/// `a` and `b`.
fn targets_after<'c>(code: &'c str, prefix: &str) -> Vec<&'c str> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = code[from..].find(prefix) {
        let start = from + i;
        from = start + prefix.len();
        // `foo_crate::x` is not `crate::x`.
        let before = code[..start].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let rest = &code[from..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item_start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && (c.is_alphanumeric() || c == '_') => {
                        let end = group[j..]
                            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                            .map_or(group.len(), |e| j + e);
                        found.push(&group[j..end]);
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            found.push(&rest[..end]);
        }
    }
    found
}

/// Every upward import in `engine/src`, as `file:line: from -> to`.
fn upward_imports(src: &Path) -> Vec<String> {
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let reexports = root_reexports(&lib);
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut problems = Vec::new();
    for file in files {
        let rel = file.strip_prefix(src).unwrap();
        let parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
            .collect();
        let top = parts[0].clone();
        if top == "lib" {
            continue;
        }
        let Some(own) = rank(&top) else {
            problems.push(format!(
                "{}: top-level module `{top}` has no layer in tests/integration/layers.rs",
                rel.display()
            ));
            continue;
        };
        // The module path of this file: `render/mod.rs` is `render`, `render/jinja.rs` is
        // `render::jinja`.
        let mut module = parts.clone();
        if module.last().is_some_and(|m| m == "mod") {
            module.pop();
        }
        let climb_out = format!("{}::", vec!["super"; module.len()].join("::"));
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            let code = code.split(" //").next().unwrap_or(code);
            let mut targets = targets_after(code, "crate::");
            if module.len() > 1 {
                targets.extend(targets_after(code, &climb_out));
            }
            for t in targets {
                let target = reexports.get(t).map_or(t, String::as_str);
                if target == top {
                    continue;
                }
                if let Some(r) = rank(target)
                    && r > own
                {
                    problems.push(format!(
                        "{}:{}: `{top}` imports `{target}`, a layer above it",
                        rel.display(),
                        n + 1
                    ));
                }
            }
        }
    }
    problems
}

#[test]
fn no_module_imports_a_layer_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let problems = upward_imports(&src);
    assert!(
        problems.is_empty(),
        "{} upward import(s) (layers, lowest first: {}):\n{}",
        problems.len(),
        LAYERS.join(" → "),
        problems.join("\n")
    );
}

#[test]
fn the_check_sees_grouped_and_climbing_paths() {
    assert_eq!(
        targets_after("use crate::{render::x, check::{a, b}};", "crate::"),
        ["render", "check"]
    );
    assert_eq!(targets_after("notice_crate::x; crate::y", "crate::"), ["y"]);
    assert_eq!(
        targets_after("super::super::render::x", "super::super::"),
        ["render"]
    );
    let lib = "pub use check::render_notice;\npub use export::{A, B as C};";
    let r = root_reexports(lib);
    assert_eq!(r["render_notice"], "check");
    assert_eq!(r["C"], "export");
}
