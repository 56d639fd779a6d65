//! Atomic file writes: a reader (or a crash) sees the old content or the new, never a mix.
//! Every file the engine, the CLI or the app writes goes through [`write_atomic`].

use std::io::Write;
use std::path::Path;

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
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".notice-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(err)?;
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
}
