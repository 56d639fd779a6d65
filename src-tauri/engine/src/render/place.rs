//! Placing diagnostics: template positions (file index, byte column) become diagnostic positions
//! (path, character column).

use crate::diagnostic::{Code, Diagnostic};
use crate::template::NoticeTemplate;
use crate::template::jinja::{BODY, SourceFile, TITLE};
use crate::template::source::Pos;

/// Turns template positions (file index, byte column) into diagnostic positions (path,
/// character column).
pub(crate) struct Placer {
    files: Vec<std::sync::Arc<SourceFile>>,
    body_line: u32,
}

impl Placer {
    pub(crate) fn new(t: &NoticeTemplate) -> Self {
        let r = t.registry.lock().unwrap_or_else(|e| e.into_inner());
        Placer {
            files: r.files.clone(),
            body_line: t.body_line,
        }
    }

    /// Places `d` at `pos`.
    pub(crate) fn at(&self, d: Diagnostic, pos: Pos) -> Diagnostic {
        let Some(f) = self.files.get(pos.file as usize) else {
            return d.at(pos.line, pos.col);
        };
        let col = f.char_column(pos.line, pos.col);
        d.with_path(f.path.clone()).at(pos.line, col)
    }

    /// The 1-based character column of `pos` on its line.
    pub(crate) fn char_column(&self, pos: Pos) -> u32 {
        self.files
            .get(pos.file as usize)
            .map_or(pos.col, |f| f.char_column(pos.line, pos.col))
    }

    /// The text of the line `pos` is on.
    pub(crate) fn line_text(&self, pos: Pos) -> Option<&str> {
        self.files.get(pos.file as usize)?.line(pos.line)
    }

    /// A minijinja runtime error as a diagnostic at its template line.
    pub(crate) fn render_error(&self, e: &minijinja::Error) -> Diagnostic {
        let message = match e.kind() {
            minijinja::ErrorKind::OutOfFuel => {
                "the template ran too long and was stopped (a runaway loop?)".to_owned()
            }
            _ => e
                .detail()
                .map_or_else(|| e.kind().to_string(), str::to_owned),
        };
        let d = Diagnostic::error(Code::RenderError, message)
            .with_hint("fix the template at this line; rendering stops at the first such error");
        let line = e.line().unwrap_or(1) as u32;
        match e.name() {
            Some(BODY) => self.at(
                d,
                Pos {
                    file: 0,
                    line: self.body_line + line - 1,
                    col: 1,
                },
            ),
            Some(TITLE) | None => self.at(
                d,
                Pos {
                    file: 0,
                    line: 1,
                    col: 1,
                },
            ),
            Some(other) => {
                let file = self
                    .files
                    .iter()
                    .position(|f| f.path.ends_with(other))
                    .unwrap_or(0);
                self.at(
                    d,
                    Pos {
                        file: file as u32,
                        line,
                        col: 1,
                    },
                )
            }
        }
    }
}
