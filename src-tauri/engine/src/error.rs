//! Engine errors: failures that stop an operation (a file that cannot be read, a refused export).
//! Problems *in* a template or in values are not errors but [`crate::Diagnostic`]s.

use std::path::{Path, PathBuf};

use serde::ser::SerializeStruct;

use crate::diagnostic::Diagnostic;

/// Why an engine operation could not be carried out.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A file could not be written; nothing at the target was changed.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A file is not UTF-8 text.
    #[error("{}:{line}: not UTF-8 text (invalid byte at offset {offset}); save the file as UTF-8", path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// Byte offset of the first invalid byte.
        offset: usize,
        /// The line it is on (1-based).
        line: u32,
    },
    /// A file is larger than the engine accepts.
    #[error("{} is too large ({size} bytes; the limit is {limit} bytes)", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The largest size accepted, in bytes.
        limit: u64,
    },
    /// A tenant file is not valid JSON.
    #[error("{}:{line}:{column}: invalid JSON: {message}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// Where the JSON stops parsing (1-based line and column).
        line: u32,
        /// See `line`.
        column: u32,
        /// serde_json's message, without its position.
        message: String,
    },
    /// A tenant file is JSON but not a tenant file.
    #[error("{}: not a tenant file: {message}", path.display())]
    TenantShape {
        /// The file.
        path: PathBuf,
        /// What is wrong with its shape.
        message: String,
    },
    /// Export refused because errors remain (export a draft to override).
    #[error("export refused: {} error(s) remain; fix them or export a draft", .diagnostics.len())]
    Refused {
        /// The errors that remain.
        diagnostics: Vec<Diagnostic>,
    },
    /// The template cannot be rendered at all (syntax error, runaway loop): see the diagnostics.
    #[error("the template cannot be rendered: {message}")]
    Unrenderable {
        /// The first error's message.
        message: String,
        /// Every error.
        diagnostics: Vec<Diagnostic>,
    },
    /// The PDF could not be typeset or does not meet the standard asked for.
    #[error("the PDF could not be made: {message}")]
    Typeset {
        /// Typst's or the standard's complaint.
        message: String,
    },
    /// The OS keychain is missing, locked or refused; the message says what to do.
    #[error("{message}")]
    Keychain {
        /// What happened and what to do.
        message: String,
    },
    /// A passphrase-protected key file could not be used (wrong passphrase, edited, not one).
    #[error("{}: {message}", path.display())]
    KeyFile {
        /// The key file.
        path: PathBuf,
        /// Why it could not be used.
        message: String,
    },
    /// No signing key is stored for this reviewer.
    #[error(
        "no reviewer key for `{reviewer}` in the OS keychain; create one first (in the app: Reviewer… ; from a terminal: notice reviewer new)"
    )]
    NoReviewerKey {
        /// The reviewer's name.
        reviewer: String,
    },
    /// The workspace requires a valid approval before a non-draft export, and this document
    /// has none that holds.
    #[error(
        "export refused: {document} is {status}; the workspace requires legal approval before export (approve it in review mode, or export a draft)"
    )]
    ApprovalRequired {
        /// The document's id.
        document: String,
        /// Its approval status, as one line.
        status: String,
    },
    /// A fix offered for a file no longer matches it: the file changed since it was checked.
    #[error("{}:{line}: {message}", path.display())]
    Stale {
        /// The file.
        path: PathBuf,
        /// The line the fix was for.
        line: u32,
        /// What no longer matches.
        message: String,
    },
}

impl EngineError {
    /// A JSON file that does not parse: the file, serde_json's line and column (column 1 at a
    /// line's start, where serde_json says 0), and its message without its own position.
    pub fn json(path: &Path, e: &serde_json::Error) -> Self {
        EngineError::Json {
            path: path.to_owned(),
            line: u32::try_from(e.line()).unwrap_or(u32::MAX),
            column: u32::try_from(e.column()).unwrap_or(u32::MAX).max(1),
            message: e
                .to_string()
                .split(" at line")
                .next()
                .unwrap_or_default()
                .to_owned(),
        }
    }

    /// Stable machine-readable kind, for the UI and `--format json`.
    pub fn kind(&self) -> &'static str {
        match self {
            EngineError::Read { .. } => "read",
            EngineError::Write { .. } => "write",
            EngineError::NotUtf8 { .. } => "not-utf8",
            EngineError::TooLarge { .. } => "too-large",
            EngineError::Json { .. } => "json",
            EngineError::TenantShape { .. } => "tenant-shape",
            EngineError::Refused { .. } => "refused",
            EngineError::Unrenderable { .. } => "unrenderable",
            EngineError::Typeset { .. } => "typeset",
            EngineError::Keychain { .. } => "keychain",
            EngineError::KeyFile { .. } => "key-file",
            EngineError::NoReviewerKey { .. } => "no-reviewer-key",
            EngineError::ApprovalRequired { .. } => "approval-required",
            EngineError::Stale { .. } => "stale",
        }
    }

    /// The file concerned, if any.
    pub fn path(&self) -> Option<&Path> {
        match self {
            EngineError::Read { path, .. }
            | EngineError::Write { path, .. }
            | EngineError::NotUtf8 { path, .. }
            | EngineError::TooLarge { path, .. }
            | EngineError::Json { path, .. }
            | EngineError::TenantShape { path, .. }
            | EngineError::KeyFile { path, .. }
            | EngineError::Stale { path, .. } => Some(path),
            EngineError::Refused { .. }
            | EngineError::Unrenderable { .. }
            | EngineError::Typeset { .. }
            | EngineError::Keychain { .. }
            | EngineError::NoReviewerKey { .. }
            | EngineError::ApprovalRequired { .. } => None,
        }
    }

    /// 1-based line in the file, where known.
    pub fn line(&self) -> Option<u32> {
        match self {
            EngineError::NotUtf8 { line, .. }
            | EngineError::Json { line, .. }
            | EngineError::Stale { line, .. } => Some(*line),
            _ => None,
        }
    }

    /// 1-based column in the file, where known.
    pub fn column(&self) -> Option<u32> {
        match self {
            EngineError::Json { column, .. } => Some(*column),
            _ => None,
        }
    }

    /// The diagnostics behind a refused export or an unrenderable template.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            EngineError::Refused { diagnostics }
            | EngineError::Unrenderable { diagnostics, .. } => diagnostics,
            _ => &[],
        }
    }
}

/// Serialized as `{kind, message, path?, line?, column?, diagnostics?}` so the UI can classify
/// errors without matching strings.
impl serde::Serialize for EngineError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("EngineError", 6)?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.to_string())?;
        s.serialize_field("path", &self.path().map(|p| p.display().to_string()))?;
        s.serialize_field("line", &self.line())?;
        s.serialize_field("column", &self.column())?;
        s.serialize_field("diagnostics", self.diagnostics())?;
        s.end()
    }
}

/// Reads a text file, refusing non-UTF-8 content and files over `limit` bytes with errors that name
/// the file (and the line of the first bad byte).
pub(crate) fn read_text(path: &Path, limit: u64) -> Result<String, EngineError> {
    let meta = std::fs::metadata(path).map_err(|source| EngineError::Read {
        path: path.to_owned(),
        source,
    })?;
    if meta.is_dir() {
        return Err(EngineError::Read {
            path: path.to_owned(),
            source: std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "is a folder, not a file",
            ),
        });
    }
    if meta.len() > limit {
        return Err(EngineError::TooLarge {
            path: path.to_owned(),
            size: meta.len(),
            limit,
        });
    }
    let bytes = std::fs::read(path).map_err(|source| EngineError::Read {
        path: path.to_owned(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..offset].iter().filter(|b| **b == b'\n').count() as u32 + 1;
        EngineError::NotUtf8 {
            path: path.to_owned(),
            offset,
            line,
        }
    })
}
