//! A publish run's writes, made durable together: the exported files, their inputs and
//! manifests (one [`Batch`]), and the history records that point at them. Files are committed
//! first and records appended after, so a crash can leave a file without its record (shown as
//! not exported yet, and exported again by the next publish), never a record without its file.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::inputs::Pack;
use super::{ExportRecord, History};
use crate::approval::Approval;
use crate::atomic::Batch;
use crate::error::EngineError;
use crate::export::manifest::ManifestEntry;

/// What every file of one document's export is recorded with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Origin<'a> {
    /// The workspace root: history paths are relative to it.
    pub root: &'a Path,
    /// The tenant's id.
    pub tenant: &'a str,
    /// The document's id.
    pub document: &'a str,
    /// The template's version.
    pub version: &'a str,
    /// The inputs hash of template and answers.
    pub inputs_sha256: &'a str,
    /// The export time (RFC 3339).
    pub time: &'a str,
    /// The approval the document carries.
    pub approval: Option<&'a Approval>,
}

/// One exported file to stage: where it goes, its name in the tenant's manifest, and what it is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ExportedFile<'a> {
    /// Where the file is written.
    pub target: &'a Path,
    /// Its name in the manifest (relative to the tenant's folder, `/`-separated).
    pub manifest_name: &'a str,
    /// The history record's format (`html`, `pdf`, `synapse`).
    pub format: &'a str,
    /// The content.
    pub bytes: &'a [u8],
    /// SHA-256 of `bytes`.
    pub sha256: &'a str,
}

/// The files and records of one publish run (or one chunk of it), not yet on disk.
#[derive(Debug, Default)]
pub struct Staging {
    files: Batch,
    records: Mutex<Vec<ExportRecord>>,
    /// What [`Staging::file_once`] staged.
    once: Mutex<HashSet<PathBuf>>,
    /// Folders made for staged files (a tenant's files share a few).
    folders: Mutex<HashSet<PathBuf>>,
    /// The answers of the exports staged, written as one pack on commit.
    pack: Mutex<Pack>,
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

    /// [`Staging::file`], unless `path` was staged by this call already: for content-addressed
    /// files (the same name is the same content) that many tenants' exports share.
    pub(crate) fn file_once(
        &self,
        path: &Path,
        contents: impl FnOnce() -> String,
    ) -> Result<(), EngineError> {
        let first = self
            .once
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(path.to_owned());
        if first {
            self.file(path, contents().as_bytes())?;
        }
        Ok(())
    }

    /// How many files are staged.
    pub fn files_staged(&self) -> usize {
        self.files.len()
    }

    /// Adds to the answers packed on commit ([`super::inputs`]).
    pub(crate) fn with_pack(&self, add: impl FnOnce(&mut Pack)) {
        add(&mut self
            .pack
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner));
    }

    /// Stages a history record, appended after every staged file is on disk.
    pub fn record(&self, record: ExportRecord) {
        self.records
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(record);
    }

    /// Stages one exported file (creating its folder), its history record, and its entry in the
    /// tenant's `manifest` (replacing an entry for the same name): what publish does for every
    /// file it writes, a document's HTML or PDF or each file of a consent page.
    pub(crate) fn exported(
        &self,
        origin: &Origin<'_>,
        file: &ExportedFile<'_>,
        manifest: &mut Vec<ManifestEntry>,
    ) -> Result<(), EngineError> {
        let target = file.target;
        if let Some(parent) = target.parent() {
            self.make_folder(parent)
                .map_err(|source| EngineError::Write {
                    path: target.to_owned(),
                    source,
                })?;
        }
        self.file(target, file.bytes)?;
        self.record(ExportRecord {
            tenant: origin.tenant.to_owned(),
            document: origin.document.to_owned(),
            version: origin.version.to_owned(),
            format: file.format.to_owned(),
            path: target
                .strip_prefix(origin.root)
                .unwrap_or(target)
                .to_string_lossy()
                .into_owned(),
            sha256: file.sha256.to_owned(),
            inputs_sha256: origin.inputs_sha256.to_owned(),
            time: origin.time.to_owned(),
            inputs_pack: None, // named on commit, with the pack its answers go in
        });
        manifest.retain(|m| m.file != file.manifest_name);
        manifest.push(ManifestEntry {
            file: file.manifest_name.to_owned(),
            template: origin.document.to_owned(),
            version: origin.version.to_owned(),
            sha256: file.sha256.to_owned(),
            values_sha256: origin.inputs_sha256.to_owned(),
            time: origin.time.to_owned(),
            approval: origin.approval.cloned(),
        });
        Ok(())
    }

    /// Makes `folder` (and its parents) unless this staging made it already.
    fn make_folder(&self, folder: &Path) -> std::io::Result<()> {
        let made = |f: &Path| {
            self.folders
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .contains(f)
        };
        if !made(folder) {
            std::fs::create_dir_all(folder)?;
            self.folders
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(folder.to_owned());
        }
        Ok(())
    }

    /// Writes every staged file durably, then appends the records to `history` in the order
    /// they were staged, under one lock and with one sync.
    pub fn commit(self, history: &History) -> Result<(), EngineError> {
        let mut records = self
            .records
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let pack = self
            .pack
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        pack.stage(history.workspace(), &self.files, &mut records)?;
        self.files.commit()?;
        history.append_all(&records)
    }
}
