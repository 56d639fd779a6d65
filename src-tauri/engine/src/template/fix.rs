//! Applying a diagnostic's mechanical [`Fix`] to the file it names: the one edit the app offers
//! ("Fix…") and `notice check --fix` makes. The file is read again and the fix applied only if
//! its `old` text is still where the check saw it, so a file edited meanwhile is never mangled;
//! line endings and every other byte stay as they were, and the write is atomic.

use std::path::Path;

use super::MAX_TEMPLATE_BYTES;
use crate::atomic::write_atomic;
use crate::diagnostic::Fix;
use crate::error::{EngineError, read_text};

/// The text of `source` with `fix` applied, or why it no longer applies.
pub fn fixed_text(source: &str, fix: &Fix) -> Result<String, String> {
    let line_index = fix.line.checked_sub(1).ok_or("line 0 does not exist")? as usize;
    let mut offset = 0;
    let mut lines = source.split_inclusive('\n');
    for _ in 0..line_index {
        offset += lines
            .next()
            .ok_or_else(|| format!("the file has fewer than {} lines now", fix.line))?
            .len();
    }
    let line = lines.next().unwrap_or("");
    let column = fix.column.checked_sub(1).ok_or("column 0 does not exist")? as usize;
    let start = match line.char_indices().nth(column) {
        Some((byte, _)) => byte,
        None if line.chars().count() == column => line.len(),
        None => return Err(format!("line {} is shorter now", fix.line)),
    };
    if !line[start..].starts_with(&fix.old) {
        return Err(format!(
            "`{}` is no longer at line {}, column {}",
            fix.old, fix.line, fix.column
        ));
    }
    let at = offset + start;
    let mut out = String::with_capacity(source.len() + fix.new.len());
    out.push_str(&source[..at]);
    out.push_str(&fix.new);
    out.push_str(&source[at + fix.old.len()..]);
    Ok(out)
}

/// Applies `fix` to the file at `path` (atomically). Fails with [`EngineError::Stale`] when the
/// file changed so that the fix no longer applies: check it again.
pub fn apply_fix(path: &Path, fix: &Fix) -> Result<(), EngineError> {
    let source = read_text(path, MAX_TEMPLATE_BYTES)?;
    let fixed = fixed_text(&source, fix).map_err(|why| EngineError::Stale {
        path: path.to_owned(),
        line: fix.line,
        message: format!("the fix no longer applies ({why}): the file changed since it was checked; check it again"),
    })?;
    write_atomic(path, fixed.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(line: u32, column: u32, old: &str, new: &str) -> Fix {
        Fix {
            line,
            column,
            old: old.into(),
            new: new.into(),
        }
    }

    #[test]
    fn replaces_only_the_text_at_its_place_and_keeps_line_endings() {
        let src = "---\r\ntitle: X\r\n---\r\nHello {{ nme }} and {{ nme }}.\r\n";
        let out = fixed_text(src, &fix(4, 24, "nme", "name")).unwrap();
        assert_eq!(
            out,
            "---\r\ntitle: X\r\n---\r\nHello {{ nme }} and {{ name }}.\r\n"
        );
    }

    #[test]
    fn counts_columns_in_characters() {
        let src = "é ü {{ typo }}\n";
        let out = fixed_text(src, &fix(1, 8, "typo", "type")).unwrap();
        assert_eq!(out, "é ü {{ type }}\n");
    }

    #[test]
    fn a_changed_file_is_left_alone() {
        let src = "one\ntwo\n";
        assert!(fixed_text(src, &fix(2, 1, "three", "3")).is_err());
        assert!(fixed_text(src, &fix(9, 1, "x", "y")).is_err());
        assert!(fixed_text(src, &fix(1, 9, "x", "y")).is_err());
        assert!(fixed_text(src, &fix(0, 1, "x", "y")).is_err());
    }

    #[test]
    fn the_file_is_rewritten_or_reported_stale() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.md");
        std::fs::write(&p, "--\ntitle: T\n").unwrap();
        apply_fix(&p, &fix(1, 1, "--", "---")).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "---\ntitle: T\n");
        let err = apply_fix(&p, &fix(2, 1, "version:", "x")).unwrap_err();
        assert_eq!(err.kind(), "stale");
        assert_eq!(err.line(), Some(2));
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "---\ntitle: T\n");
    }
}
