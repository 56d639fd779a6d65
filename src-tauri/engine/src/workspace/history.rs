//! The export history: one JSON object per line in `<workspace>/history.jsonl`, appended, never
//! rewritten. Each record is written with one `write` to a file opened for appending, under an
//! exclusive lock, then synced: a crash loses at most the record being written, and two app
//! windows (or the app and the CLI) appending at once cannot interleave or overwrite each other.
//! A line that is not a record (a torn write, a bad merge) is skipped and reported with its
//! line, never fatal, and never rewritten.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::EngineError;

/// The history file's name inside a workspace.
pub const HISTORY_FILE: &str = "history.jsonl";

/// One export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ExportRecord {
    /// The tenant's id (its file name without `.json`).
    pub tenant: String,
    /// `<family>/<document>`, such as `hosted-homeserver/privacy_notice`.
    pub document: String,
    /// The template version exported (empty when the template has none).
    pub version: String,
    /// `html` or `pdf`.
    pub format: String,
    /// Where the file was written, relative to the workspace when inside it.
    pub path: String,
    /// SHA-256 of the file written.
    pub sha256: String,
    /// SHA-256 of template and values: tells whether the tenant's answers changed since.
    pub inputs_sha256: String,
    /// RFC 3339.
    pub time: String,
    /// The pack its inputs are kept in ([`super::inputs`]); none in records written before
    /// inputs were packed (their inputs have a file of their own, if they were kept).
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inputs_pack: Option<String>,
}

/// The history of one workspace.
#[derive(Debug, Clone)]
pub struct History {
    path: PathBuf,
}

impl History {
    /// The history of the workspace at `workspace`.
    pub fn at(workspace: &Path) -> Self {
        Self {
            path: workspace.join(HISTORY_FILE),
        }
    }

    /// The workspace it is the history of.
    pub fn workspace(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// The history file (`history.jsonl`).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one record durably.
    pub fn append(&self, record: &ExportRecord) -> Result<(), EngineError> {
        self.append_all(std::slice::from_ref(record))
    }

    /// Appends records durably in their order, under one lock and with one sync: a publish
    /// batch records its documents together once their files are on disk.
    pub fn append_all(&self, records: &[ExportRecord]) -> Result<(), EngineError> {
        if records.is_empty() {
            return Ok(());
        }
        let write_err = |source| EngineError::Write {
            path: self.path.clone(),
            source,
        };
        let mut lines = String::new();
        for record in records {
            lines.push_str(
                &serde_json::to_string(record).map_err(|e| write_err(std::io::Error::other(e)))?,
            );
            lines.push('\n');
        }
        let mut f = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(write_err)?;
        f.lock().map_err(write_err)?;
        // A torn line left by a crash would glue onto these records: start on a fresh line.
        let needs_newline =
            f.metadata().map(|m| m.len() > 0).unwrap_or(false) && !ends_with_newline(&self.path);
        if needs_newline {
            lines.insert(0, '\n');
        }
        let result = f.write_all(lines.as_bytes()).and_then(|()| f.sync_data());
        let _ = f.unlock();
        result.map_err(write_err)
    }

    /// Every readable record, oldest first. A missing file is an empty history.
    pub fn load(&self) -> Result<Vec<ExportRecord>, EngineError> {
        Ok(self.read()?.0)
    }

    /// Every readable record, oldest first, and one error per line that is not a record (a torn
    /// write, a bad merge, a hand edit), naming its line. Such lines are skipped and the file is
    /// left exactly as it is: it is append-only, and what cannot be read may still matter to
    /// whoever repairs it.
    pub fn read(&self) -> Result<(Vec<ExportRecord>, Vec<EngineError>), EngineError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((vec![], vec![])),
            Err(source) => {
                return Err(EngineError::Read {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        let mut records = Vec::new();
        let mut unreadable = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<ExportRecord>(line) {
                Ok(r) => records.push(r),
                Err(e) => unreadable.push(EngineError::Json {
                    path: self.path.clone(),
                    line: u32::try_from(n + 1).unwrap_or(u32::MAX),
                    column: u32::try_from(e.column()).unwrap_or(u32::MAX).max(1),
                    message: format!(
                        "not an export record ({}); it is ignored and the file is left as it is: repair or remove the line",
                        e.to_string().split(" at line").next().unwrap_or_default()
                    ),
                }),
            }
        }
        Ok((records, unreadable))
    }
}

fn ends_with_newline(path: &Path) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    let Ok(mut f) = std::fs::File::open(path) else {
        return true;
    };
    let mut last = [0u8; 1];
    f.seek(SeekFrom::End(-1)).is_ok() && f.read_exact(&mut last).is_ok() && last[0] == b'\n'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(n: u32) -> ExportRecord {
        ExportRecord {
            tenant: format!("t{n}"),
            document: "f/doc".into(),
            version: "1.0.0".into(),
            format: "html".into(),
            path: "out/x.html".into(),
            sha256: "ab".into(),
            inputs_sha256: "cd".into(),
            time: "2026-11-27T00:00:00Z".into(),
            inputs_pack: None,
        }
    }

    #[test]
    fn appends_survive_a_torn_line_and_concurrent_writers() {
        let dir = tempfile::tempdir().unwrap();
        let h = History::at(dir.path());
        h.append(&record(1)).unwrap();
        // A crash mid-write leaves half a line.
        std::fs::OpenOptions::new()
            .append(true)
            .open(h.path())
            .unwrap()
            .write_all(b"{\"tenant\":\"half")
            .unwrap();
        h.append(&record(2)).unwrap();
        let threads: Vec<_> = (10..18)
            .map(|n| {
                let h = h.clone();
                std::thread::spawn(move || {
                    for i in 0..25 {
                        h.append(&record(n * 100 + i)).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let all = h.load().unwrap();
        assert_eq!(all.len(), 2 + 8 * 25, "no record lost or merged");
        assert_eq!(all[0].tenant, "t1");
        assert_eq!(all[1].tenant, "t2");
    }

    #[test]
    fn a_line_that_is_no_record_is_reported_with_its_line_and_left_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let h = History::at(dir.path());
        h.append(&record(1)).unwrap();
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(h.path())
            .unwrap();
        f.write_all(b"<<<<<<< HEAD\n").unwrap();
        drop(f);
        h.append(&record(2)).unwrap();
        let before = std::fs::read(h.path()).unwrap();
        let (records, bad) = h.read().unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].line(), Some(2));
        assert_eq!(bad[0].path(), Some(h.path()));
        assert!(
            bad[0].to_string().contains("repair or remove the line"),
            "{}",
            bad[0]
        );
        assert_eq!(std::fs::read(h.path()).unwrap(), before, "never rewritten");
    }
}
