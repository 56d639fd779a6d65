//! Atomic file writes: a reader (or a crash) sees the old content or the new, never a mix.
//! Every file the engine, the CLI or the app writes goes through [`write_atomic`], or, for many
//! files at once (publish, re-issue), through a [`Batch`], which makes them durable together.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::EngineError;

/// Writes `contents` to `path` atomically: a temporary file in the same folder is written and
/// fsynced, then renamed over the target, then the folder is fsynced so the rename survives a
/// crash. On any failure the target is untouched and the temporary file is removed.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), EngineError> {
    write(path, contents, Replace::Yes)
}

/// Like [`write_atomic`], for a file that must not exist yet: fails with
/// [`std::io::ErrorKind::AlreadyExists`] (and writes nothing) when it does, even when another
/// process creates it at the same moment.
pub fn write_new(path: &Path, contents: &[u8]) -> Result<(), EngineError> {
    write(path, contents, Replace::No)
}

#[derive(PartialEq)]
enum Replace {
    Yes,
    No,
}

fn write(path: &Path, contents: &[u8], replace: Replace) -> Result<(), EngineError> {
    let err = |source| EngineError::Write {
        path: path.to_owned(),
        source,
    };
    let dir = folder_of(path);
    let mut tmp = temporary_beside(path).map_err(err)?;
    tmp.write_all(contents).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    if replace == Replace::Yes {
        tmp.persist(path).map_err(|e| err(e.error))?;
    } else {
        tmp.persist_noclobber(path).map_err(|e| err(e.error))?;
    }
    // A folder fsync makes the rename durable; not every platform allows opening a folder.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Many atomic writes made durable together. Each [`Batch::stage`] writes its content to a
/// temporary file beside the target without syncing it; [`Batch::commit`] then syncs the file
/// system once, renames every staged file over its target, and syncs once more.
///
/// Why: a separate fsync per file (and per folder) made publish wait on the disk two or three
/// times per document (about 200 documents/s); two syncs per batch cost about the same as one
/// file. The guarantee is the same as [`write_atomic`]'s, per file: after a crash each target
/// holds its old content or its complete new content, and a committed batch is on disk. A batch
/// dropped without commit removes its temporary files and leaves every target as it was.
#[derive(Debug, Default)]
pub struct Batch {
    staged: Mutex<Vec<(tempfile::TempPath, PathBuf)>>,
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes `contents` for `path` to a temporary file in `path`'s folder. Nothing is visible
    /// at `path` until [`Batch::commit`]. Safe to call from many threads.
    pub fn stage(&self, path: &Path, contents: &[u8]) -> Result<(), EngineError> {
        let err = |source| EngineError::Write {
            path: path.to_owned(),
            source,
        };
        let mut tmp = temporary_beside(path).map_err(err)?;
        tmp.write_all(contents).map_err(err)?;
        // Closing the file keeps the number of open descriptors flat however big the batch is.
        let tmp = tmp.into_temp_path();
        self.staged
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((tmp, path.to_owned()));
        Ok(())
    }

    /// How many files are staged.
    pub fn len(&self) -> usize {
        self.staged
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }

    /// Whether nothing is staged.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Makes every staged file durable, then moves each over its target and makes the moves
    /// durable. Returns the targets written, in staging order. On a failure the targets
    /// already moved keep their new content, the rest keep their old, and the error names the
    /// file.
    pub fn commit(self) -> Result<Vec<PathBuf>, EngineError> {
        let staged = self
            .staged
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some((_, first)) = staged.first() else {
            return Ok(vec![]);
        };
        let first = first.clone();
        sync_everything(&staged, &first)?;
        let mut written = Vec::with_capacity(staged.len());
        for (tmp, target) in staged {
            tmp.persist(&target).map_err(|e| EngineError::Write {
                path: target.clone(),
                source: e.error,
            })?;
            written.push(target);
        }
        sync_folders(&written, &first)?;
        Ok(written)
    }
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn temporary_beside(path: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(".notice-")
        .suffix(".tmp")
        .tempfile_in(folder_of(path))
}

/// Flushes the staged files' content: one `syncfs` of their file system on Linux (batches never
/// span file systems in practice: they are one export folder), one fsync per file elsewhere.
fn sync_everything(
    staged: &[(tempfile::TempPath, PathBuf)],
    first: &Path,
) -> Result<(), EngineError> {
    let err = |path: &Path, source| EngineError::Write {
        path: path.to_owned(),
        source,
    };
    #[cfg(target_os = "linux")]
    {
        let _ = staged;
        let dir = std::fs::File::open(folder_of(first)).map_err(|e| err(first, e))?;
        rustix::fs::syncfs(&dir).map_err(|e| err(first, e.into()))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = first;
        for (tmp, target) in staged {
            std::fs::File::open(tmp)
                .and_then(|f| f.sync_all())
                .map_err(|e| err(target, e))?;
        }
        Ok(())
    }
}

/// Makes the renames durable: one `syncfs` on Linux, one fsync per distinct folder elsewhere.
fn sync_folders(written: &[PathBuf], first: &Path) -> Result<(), EngineError> {
    #[cfg(target_os = "linux")]
    {
        let _ = written;
        let dir = std::fs::File::open(folder_of(first)).map_err(|source| EngineError::Write {
            path: first.to_owned(),
            source,
        })?;
        rustix::fs::syncfs(&dir).map_err(|e| EngineError::Write {
            path: first.to_owned(),
            source: e.into(),
        })
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = first;
        let folders: std::collections::BTreeSet<&Path> =
            written.iter().map(|p| folder_of(p)).collect();
        for d in folders {
            if let Ok(f) = std::fs::File::open(d) {
                let _ = f.sync_all();
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("tenant.json");
        write_atomic(&target, b"old").unwrap();
        write_atomic(&target, b"new").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("tenant.json")]);
    }

    #[test]
    fn write_new_never_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("acme.json");
        write_new(&target, b"first").unwrap();
        let e = write_new(&target, b"second").unwrap_err();
        match e {
            EngineError::Write { source, .. } => {
                assert_eq!(source.kind(), std::io::ErrorKind::AlreadyExists);
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(std::fs::read(&target).unwrap(), b"first");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_missing_folder_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("gone").join("out.html");
        let e = write_atomic(&target, b"x").unwrap_err();
        assert_eq!(e.kind(), "write");
        assert!(e.to_string().contains("out.html"));
    }
    #[test]
    fn a_batch_shows_nothing_until_commit_then_everything() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("acme");
        std::fs::create_dir(&sub).unwrap();
        write_atomic(&sub.join("a.html"), b"old").unwrap();
        let batch = Batch::new();
        batch.stage(&sub.join("a.html"), b"new a").unwrap();
        batch.stage(&dir.path().join("b.html"), b"new b").unwrap();
        assert_eq!(batch.len(), 2);
        assert_eq!(std::fs::read(sub.join("a.html")).unwrap(), b"old");
        assert!(!dir.path().join("b.html").exists());
        let written = batch.commit().unwrap();
        assert_eq!(written, vec![sub.join("a.html"), dir.path().join("b.html")]);
        assert_eq!(std::fs::read(sub.join("a.html")).unwrap(), b"new a");
        assert_eq!(std::fs::read(dir.path().join("b.html")).unwrap(), b"new b");
        let names: Vec<_> = std::fs::read_dir(&sub)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.html")]);
    }

    #[test]
    fn a_dropped_batch_leaves_targets_and_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        write_atomic(&dir.path().join("a.html"), b"old").unwrap();
        let batch = Batch::new();
        batch.stage(&dir.path().join("a.html"), b"new").unwrap();
        drop(batch);
        assert_eq!(std::fs::read(dir.path().join("a.html")).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert!(Batch::new().commit().unwrap().is_empty());
    }

    #[test]
    fn staging_into_a_missing_folder_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let e = Batch::new()
            .stage(&dir.path().join("gone").join("x.html"), b"x")
            .unwrap_err();
        assert_eq!(e.kind(), "write");
        assert!(e.to_string().contains("x.html"));
    }
}
