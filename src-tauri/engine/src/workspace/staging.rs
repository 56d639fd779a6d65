//! A publish run's writes, made durable together: the exported files, their inputs and
//! manifests (one [`Batch`]), and the history records that point at them. Files are committed
//! first and records appended after, so a crash can leave a file without its record (shown as
//! not exported yet, and exported again by the next publish), never a record without its file.

use std::path::Path;
use std::sync::Mutex;

use super::{ExportRecord, History};
use crate::atomic::Batch;
use crate::error::EngineError;

/// The files and records of one publish run (or one chunk of it), not yet on disk.
#[derive(Debug, Default)]
pub struct Staging {
    files: Batch,
    records: Mutex<Vec<ExportRecord>>,
}

impl Staging {
    /// Nothing staged yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stages `contents` for `path` (its folder must exist); nothing is visible until
    /// [`Staging::commit`].
    pub fn file(&self, path: &Path, contents: &[u8]) -> Result<(), EngineError> {
        self.files.stage(path, contents)
    }

    /// Stages a history record, appended after every staged file is on disk.
    pub fn record(&self, record: ExportRecord) {
        self.records
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(record);
    }

    /// Writes every staged file durably, then appends the records to `history` in the order
    /// they were staged, under one lock and with one sync.
    pub fn commit(self, history: &History) -> Result<(), EngineError> {
        self.files.commit()?;
        let records = self
            .records
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        history.append_all(&records)
    }
}
