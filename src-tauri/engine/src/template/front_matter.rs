//! YAML front matter: parsing it (with Jinja placeholders inside values) and checking its shape:
//! a mapping with a `title` and a semver `version`, optional `lang` and `fields`. Finding it in
//! the file is [`super::delimiters`]'.

use serde::{Deserialize, Serialize};

pub(crate) use super::delimiters::{KNOWN_KEYS, broken_closing, near_miss, split};
use super::fields::FieldDecl;
use super::source::Origin;
use crate::diagnostic::{Code, Diagnostic, Fix};

/// What the front matter says, with its problems.
#[derive(Debug, Default)]
pub(crate) struct FrontMatter {
    /// The title as written (may hold placeholders), and where its value starts.
    pub title: Option<(String, Origin)>,
    pub version: Option<semver::Version>,
    pub lang: Option<String>,
    pub fields: Vec<(FieldDecl, u32)>,
    pub meta: DocumentMeta,
    /// `runtime:` and `consent:` (see [`super::runtime`]).
    pub runtime: Option<super::runtime::RuntimeDecl>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Document metadata for exports: who publishes the notice, what it is about, search keywords.
/// Read from front matter or the sidecar (`provider:`, `subject:`, `keywords:`); front matter wins.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentMeta {
    /// The provider publishing the document (the PDF's author).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// What the document is about (exported as its subject).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Keywords exported with the document.
    #[serde(default, deserialize_with = "one_or_many")]
    pub keywords: Vec<String>,
}

impl DocumentMeta {
    /// `self`, with gaps filled from `other`.
    pub(crate) fn or(self, other: DocumentMeta) -> DocumentMeta {
        DocumentMeta {
            provider: self.provider.or(other.provider),
            subject: self.subject.or(other.subject),
            keywords: if self.keywords.is_empty() {
                other.keywords
            } else {
                self.keywords
            },
        }
    }
}

/// `keywords: a` or `keywords: [a, b]`.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Option::<OneOrMany>::deserialize(d)? {
        None => vec![],
        Some(OneOrMany::One(s)) => s
            .split(',')
            .map(|k| k.trim().to_owned())
            .filter(|k| !k.is_empty())
            .collect(),
        Some(OneOrMany::Many(v)) => v,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct FieldsOnly {
    fields: Option<Vec<serde_saphyr::Spanned<FieldDecl>>>,
    #[serde(flatten)]
    meta: DocumentMeta,
}

/// Replaces `{{ … }}` and `{% … %}` with inert tokens so YAML sees plain scalars (an unquoted
/// `title: {{ name }}` would otherwise be a flow mapping), and returns the originals.
fn protect_jinja(yaml: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(yaml.len());
    let mut saved = Vec::new();
    let mut rest = yaml;
    while let Some(i) = rest.find(['{']) {
        let after = &rest[i..];
        let close = if after.starts_with("{{") {
            "}}"
        } else if after.starts_with("{%") {
            "%}"
        } else {
            out.push_str(&rest[..=i]);
            rest = &rest[i + 1..];
            continue;
        };
        match after[2..].find(close) {
            Some(j) if !after[2..2 + j].contains('\n') => {
                out.push_str(&rest[..i]);
                out.push('\u{E000}');
                out.push_str(&crate::token::token_digits(saved.len()));
                out.push('\u{E001}');
                saved.push(after[..j + 4].to_owned());
                rest = &after[j + 4..];
            }
            _ => {
                out.push_str(&rest[..=i]);
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    (out, saved)
}

fn restore_jinja(s: &str, saved: &[String]) -> String {
    crate::token::replace_tokens(s, |k| saved.get(k).cloned().unwrap_or_default())
}

/// Parses front matter YAML that starts on file line `first_line` of `path`.
pub(crate) fn parse(yaml: &str, first_line: u32, path: &str) -> FrontMatter {
    let mut fm = FrontMatter::default();
    let (protected, saved) = protect_jinja(yaml);
    let value: serde_json::Value = match serde_saphyr::from_str(&protected) {
        Ok(v) => v,
        Err(e) => {
            let (line, column) = e
                .location()
                .map(|l| file_position(&protected, l.line(), l.column()))
                .unwrap_or((0, 1));
            fm.diagnostics.push(
                Diagnostic::error(
                    Code::Syntax,
                    format!("front matter is not valid YAML: {}", first_message_line(&e)),
                )
                .with_path(path)
                .at(first_line + line, column)
                .with_hint(
                    "front matter is YAML between two `---` lines: `title: …` and `version: 1.0.0`",
                ),
            );
            return fm;
        }
    };
    let map = match value {
        serde_json::Value::Object(m) => m,
        serde_json::Value::Null => {
            fm.diagnostics.push(
                Diagnostic::error(Code::FrontMatter, "front matter is empty")
                    .with_path(path)
                    .at(first_line.saturating_sub(1).max(1), 1)
                    .with_hint("add `title: …` and `version: 1.0.0`"),
            );
            return fm;
        }
        serde_json::Value::Array(_) => {
            fm.diagnostics.push(
                Diagnostic::error(
                    Code::FrontMatter,
                    "front matter is a YAML list, not a mapping: its title and version are not read",
                )
                .with_path(path)
                .at(first_line, 1)
                .with_hint("remove the leading `- ` so each line reads `key: value`"),
            );
            return fm;
        }
        other => {
            fm.diagnostics.push(
                Diagnostic::error(
                    Code::FrontMatter,
                    format!("front matter is a single value ({other}), not a mapping"),
                )
                .with_path(path)
                .at(first_line, 1)
                .with_hint("write `title: …` and `version: 1.0.0` on their own lines"),
            );
            return fm;
        }
    };
    let key_line = |key: &str| -> (u32, u32) {
        for (i, l) in yaml.lines().enumerate() {
            if let Some(rest) = l.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
                let value_col = key.len() + 1 + (rest.len() - rest.trim_start().len()) + 1;
                let quoted = rest.trim_start().starts_with(['"', '\'']);
                return (first_line + i as u32, value_col as u32 + u32::from(quoted));
            }
        }
        (first_line, 1)
    };
    for key in map.keys() {
        let real = key
            .strip_prefix(['-', '+'])
            .and_then(|rest| KNOWN_KEYS.iter().find(|k| **k == rest).copied());
        if let Some(real) = real {
            let (line, _) = key_line(key);
            let marker = &key[..1];
            fm.diagnostics.push(
                Diagnostic::error(
                    Code::FrontMatter,
                    format!("`{key}:` looks like a pasted diff marker: it is read as the key `{key}`, not `{real}`"),
                )
                .with_path(path)
                .at(line, 1)
                .with_hint(format!("remove the leading `{marker}`"))
                .with_fix(Fix {
                    line,
                    column: 1,
                    old: format!("{key}:"),
                    new: format!("{real}:"),
                }),
            );
        }
    }
    match map.get("title") {
        Some(serde_json::Value::String(t)) => {
            let (line, column) = key_line("title");
            fm.title = Some((restore_jinja(t, &saved), Origin { line, column }));
        }
        Some(other) => {
            let (line, _) = key_line("title");
            fm.diagnostics.push(
                Diagnostic::error(
                    Code::FrontMatter,
                    format!("title must be text, found {other}"),
                )
                .with_path(path)
                .at(line, 1),
            );
        }
        None => fm.diagnostics.push(
            Diagnostic::error(Code::FrontMatter, "front matter has no title")
                .with_path(path)
                .at(first_line, 1)
                .with_hint("add `title: …`: it becomes the document title"),
        ),
    }
    let (vline, vcol) = key_line("version");
    match map.get("version") {
        Some(serde_json::Value::String(v)) => match semver::Version::parse(v.trim()) {
            Ok(ver) => fm.version = Some(ver),
            Err(e) => {
                let mut d = Diagnostic::error(
                    Code::FrontMatter,
                    format!("version {v:?} is not a semantic version: {e}"),
                )
                .with_path(path)
                .at(vline, vcol)
                .with_hint("write MAJOR.MINOR.PATCH, such as 1.0.0; a major bump means users must accept again");
                if let Some(fixed) = semver_guess(v) {
                    d = d.with_fix(Fix {
                        line: vline,
                        column: vcol,
                        old: v.clone(),
                        new: fixed,
                    });
                }
                fm.diagnostics.push(d);
            }
        },
        Some(other) => fm.diagnostics.push(
            Diagnostic::error(
                Code::FrontMatter,
                format!("version must be text such as \"1.0.0\", found {other}"),
            )
            .with_path(path)
            .at(vline, vcol)
            .with_hint("quote it: version: \"1.0.0\""),
        ),
        None => fm.diagnostics.push(
            Diagnostic::error(Code::FrontMatter, "front matter has no version")
                .with_path(path)
                .at(first_line, 1)
                .with_hint("add `version: 1.0.0` (semantic versioning)"),
        ),
    }
    if let Some(serde_json::Value::String(l)) = map.get("lang") {
        fm.lang = Some(l.clone());
    }
    // The serving runtime (`runtime:`, `consent:`), read by `super::runtime`.
    let (runtime, mut runtime_diags) = super::runtime::read_front_matter(
        &map,
        &|s| restore_jinja(s, &saved),
        &|k| key_line(k).0,
        path,
    );
    fm.runtime = runtime;
    fm.diagnostics.append(&mut runtime_diags);
    if ["fields", "provider", "subject", "keywords"]
        .iter()
        .any(|k| map.contains_key(*k))
    {
        match serde_saphyr::from_str::<FieldsOnly>(&protected) {
            Ok(f) => {
                fm.meta = f.meta;
                for s in f.fields.unwrap_or_default() {
                    let line = first_line
                        + file_position(&protected, s.referenced.line(), s.referenced.column()).0;
                    let mut decl = s.value;
                    decl.default = decl.default.map(|d| restore_jinja(&d, &saved));
                    fm.fields.push((decl, line));
                }
            }
            Err(e) => fm
                .diagnostics
                .push(field_decl_error(&e, &protected, first_line, path)),
        }
    }
    fm
}

/// `v1.0` → `1.0.0`, `2` → `2.0.0`: the semantic version a near miss means.
fn semver_guess(v: &str) -> Option<String> {
    let t = v.trim().trim_start_matches(['v', 'V']);
    let parts: Vec<&str> = t.split('.').collect();
    if parts.is_empty()
        || parts.len() > 3
        || !parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let n: Vec<u64> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    let g = format!(
        "{}.{}.{}",
        n.first()?,
        n.get(1).copied().unwrap_or(0),
        n.get(2).copied().unwrap_or(0)
    );
    semver::Version::parse(&g).ok().map(|_| g)
}

/// Parses a `<template>.fields.yaml` sidecar: `fields: [...]` or a bare list.
pub(crate) fn parse_sidecar(
    yaml: &str,
    path: &str,
) -> (Vec<(FieldDecl, u32)>, DocumentMeta, Vec<Diagnostic>) {
    let (protected, saved) = protect_jinja(yaml);
    let as_list = serde_saphyr::from_str::<Vec<serde_saphyr::Spanned<FieldDecl>>>(&protected);
    let decls = match as_list {
        Ok(v) => Ok((v, DocumentMeta::default())),
        Err(_) => serde_saphyr::from_str::<FieldsOnly>(&protected)
            .map(|f| (f.fields.unwrap_or_default(), f.meta)),
    };
    match decls {
        Ok((v, meta)) => (
            v.into_iter()
                .map(|s| {
                    let line =
                        1 + file_position(&protected, s.referenced.line(), s.referenced.column()).0;
                    let mut decl = s.value;
                    decl.default = decl.default.map(|d| restore_jinja(&d, &saved));
                    (decl, line)
                })
                .collect(),
            meta,
            vec![],
        ),
        Err(e) => (
            vec![],
            DocumentMeta::default(),
            vec![field_decl_error(&e, &protected, 1, path)],
        ),
    }
}

/// Where YAML's (line, column) is in the file: as a line offset from the YAML's first line and a
/// column. YAML breaks lines at `\r` as well as `\n`; the file (and every editor showing it)
/// only at `\n`, so a stray carriage return must not move a problem below the end of the file.
fn file_position(yaml: &str, line: u64, column: u64) -> (u32, u32) {
    let (mut yaml_line, mut file_line, mut col) = (1u64, 0u32, 0u64);
    let mut chars = yaml.chars().peekable();
    while yaml_line < line {
        match chars.next() {
            None => break,
            Some('\n') => {
                yaml_line += 1;
                file_line += 1;
                col = 0;
            }
            Some('\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                yaml_line += 1;
                file_line += 1;
                col = 0;
            }
            Some('\r') => {
                yaml_line += 1;
                col += 1;
            }
            Some(_) => col += 1,
        }
    }
    let column = u32::try_from(col + column.max(1)).unwrap_or(u32::MAX);
    (file_line, column)
}

fn field_decl_error(
    e: &serde_saphyr::Error,
    yaml: &str,
    first_line: u32,
    path: &str,
) -> Diagnostic {
    let (line, column) = e
        .location()
        .map(|l| file_position(yaml, l.line(), l.column()))
        .unwrap_or((0, 1));
    Diagnostic::error(
        Code::Syntax,
        format!("field declarations: {}", first_message_line(e)),
    )
    .with_path(path)
    .at(first_line + line, column)
    .with_hint("each field needs `name:`; known keys: label, type, required, help, example, default, group, options, renamed_from")
}

/// serde-saphyr renders a snippet under its message; the UI and CLI show their own.
fn first_message_line(e: &serde_saphyr::Error) -> String {
    let s = e.without_snippet().to_string();
    s.lines().next().unwrap_or_default().trim().to_owned()
}

#[cfg(test)]
mod tests;
