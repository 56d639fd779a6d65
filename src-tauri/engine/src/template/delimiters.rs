//! Finding the front matter in a template: where its `---` lines are, and the near misses (a
//! broken or diff-marked delimiter, a missing closing line) reported with a fix.

use crate::diagnostic::{Code, Diagnostic, Fix};

/// A source split into front matter and body.
#[derive(Debug)]
pub(crate) struct Split<'a> {
    /// The YAML text and the file line it starts on.
    pub yaml: Option<(&'a str, u32)>,
    /// The Markdown body and the file line it starts on.
    pub body: &'a str,
    pub body_line: u32,
    /// An opening `---` with no closing one.
    pub unterminated: bool,
}

/// Splits `---`-delimited front matter from the body. A closing `...` is accepted as YAML allows.
pub(crate) fn split(source: &str) -> Split<'_> {
    let src = source.strip_prefix('\u{feff}').unwrap_or(source);
    let first_end = src.find('\n').unwrap_or(src.len());
    if src[..first_end].trim_end() != "---" {
        return Split {
            yaml: None,
            body: src,
            body_line: 1,
            unterminated: false,
        };
    }
    let yaml_start = (first_end + 1).min(src.len());
    let mut offset = yaml_start;
    let mut line = 2u32;
    while offset < src.len() {
        let end = src[offset..].find('\n').map_or(src.len(), |i| offset + i);
        let text = src[offset..end].trim_end();
        if text == "---" || text == "..." {
            let body_start = (end + 1).min(src.len());
            return Split {
                yaml: Some((&src[yaml_start..offset], 2)),
                body: &src[body_start..],
                body_line: line + 1,
                unterminated: false,
            };
        }
        offset = end + 1;
        line += 1;
    }
    Split {
        yaml: None,
        body: src,
        body_line: 1,
        unterminated: true,
    }
}

/// A line of dashes that is not `---` (`--`, `----`, an en or em dash): a broken delimiter.
fn broken_delimiter(line: &str) -> bool {
    let l = line.trim();
    l != "---" && l.chars().count() >= 2 && l.chars().all(|c| matches!(c, '-' | '–' | '—'))
}

/// Keys written with a pasted diff marker (`-title:`, `+version:`).
pub(crate) const KNOWN_KEYS: [&str; 9] = [
    "title", "version", "lang", "fields", "provider", "subject", "keywords", "slug", "date",
];

fn diff_marked(line: &str) -> Option<&str> {
    let rest = line.strip_prefix(['-', '+'])?;
    KNOWN_KEYS
        .iter()
        .find(|k| rest.strip_prefix(**k).is_some_and(|r| r.starts_with(':')))
        .copied()
}

/// When a file has no front matter: is there a broken one (`--`/`----` delimiters, `-title:`
/// lines, Hugo's `+++`)? Said at its line, with the fix.
pub(crate) fn near_miss(src: &str, path: &str) -> Option<Diagnostic> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let lines: Vec<&str> = src.split('\n').collect();
    let first = lines.iter().position(|l| !l.trim().is_empty())?;
    let line = lines[first].trim_end_matches('\r');
    let n = first as u32 + 1;
    if line.trim() == "+++" {
        return Some(
            Diagnostic::error(
                Code::FrontMatter,
                "TOML front matter (`+++`, as Hugo writes it) is not read: its lines print as body text",
            )
            .with_path(path)
            .at(n, 1)
            .with_hint("write it as YAML between `---` lines: `title: …`, `version: 1.0.0`"),
        );
    }
    let looks_like_keys = lines[first + 1..].iter().take(3).any(|l| {
        KNOWN_KEYS.iter().any(|k| {
            l.trim_start_matches(['-', '+'])
                .starts_with(&format!("{k}:"))
        })
    });
    if broken_delimiter(line) && looks_like_keys {
        return Some(
            Diagnostic::error(
                Code::FrontMatter,
                format!(
                    "the front-matter delimiter `{}` is broken: front matter opens with exactly `---`, so its lines print as body text (a `title:` line above `--` becomes a heading)",
                    line.trim()
                ),
            )
            .with_path(path)
            .at(n, 1)
            .with_hint("write `---` on this line and on the closing one")
            .with_fix(Fix {
                line: n,
                column: 1,
                old: line.to_owned(),
                new: "---".into(),
            }),
        );
    }
    if let Some(key) = diff_marked(line) {
        let marker = &line[..1];
        return Some(
            Diagnostic::error(
                Code::FrontMatter,
                format!("`{marker}{key}:` looks like front matter pasted with a diff marker: it prints as body text"),
            )
            .with_path(path)
            .at(n, 1)
            .with_hint(format!("remove the leading `{marker}` and put the lines between `---` lines"))
            .with_fix(Fix {
                line: n,
                column: 1,
                old: format!("{marker}{key}:"),
                new: format!("{key}:"),
            }),
        );
    }
    None
}

/// For front matter that opens with `---` and never closes: a broken closing delimiter
/// (`--`, `----`) within it, at its line, with the fix.
pub(crate) fn broken_closing(src: &str, path: &str) -> Option<Diagnostic> {
    let (i, line) = src
        .split('\n')
        .enumerate()
        .skip(1)
        .take(200)
        .find(|(_, l)| broken_delimiter(l.trim_end_matches('\r')))?;
    let n = i as u32 + 1;
    Some(
        Diagnostic::error(
            Code::FrontMatter,
            format!(
                "the closing front-matter delimiter `{}` is broken: the front matter never ends",
                line.trim()
            ),
        )
        .with_path(path)
        .at(n, 1)
        .with_hint("write `---` on this line")
        .with_fix(Fix {
            line: n,
            column: 1,
            old: line.trim_end_matches('\r').to_owned(),
            new: "---".into(),
        }),
    )
}
