//! The status cache: the render + check verdict of each document for each tenant, kept in
//! `<workspace>/.notice/status-cache.json` so that a status recomputes only documents whose
//! inputs changed. It owns that file and nothing else; what a status *is* stays in [`super::status`].
//!
//! Entries are keyed by the export inputs hash ([`crate::export::inputs_hash`]: the template's
//! content hash and the answers that document reads), so a changed template or answer is a
//! different key, never a stale hit. The file also names the engine version and a format number:
//! another engine's checks may count differently, so its cache is dropped whole. A file that
//! cannot be read or parsed is rebuilt; writing it is best effort (a read-only workspace still has
//! a status).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::atomic::write_atomic;
use crate::error::EngineError;

/// The folder of per-machine, rebuildable files inside a workspace (ignored by git: it holds its
/// own `.gitignore`).
pub const NOTICE_DIR: &str = ".notice";
/// The cache's file, inside [`NOTICE_DIR`].
pub const CACHE_FILE: &str = "status-cache.json";
/// Bumped whenever what a verdict holds, or how it is computed, changes.
const FORMAT: u32 = 1;

/// The expensive part of a document's status: what rendering and checking it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Errors that stop an export.
    pub errors: u32,
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    engine: String,
    /// Inputs hash → verdict. A `BTreeMap` so the file is the same for the same workspace.
    verdicts: BTreeMap<String, Verdict>,
}

/// Verdicts read from the cache file, and those asked for since. Shared by the threads of one
/// status.
#[derive(Debug)]
pub struct StatusCache {
    /// `None`: a disabled cache, which always computes (the reference a test compares against).
    path: Option<PathBuf>,
    stored: HashMap<String, Verdict>,
    used: Mutex<HashMap<String, Verdict>>,
}

impl StatusCache {
    /// The cache of the workspace at `root`; empty when the file is missing, unreadable, corrupt
    /// or written by another engine.
    pub fn load(root: &Path) -> Self {
        let path = root.join(NOTICE_DIR).join(CACHE_FILE);
        let stored = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<CacheFile>(&bytes).ok())
            .filter(|f| f.format == FORMAT && f.engine == env!("CARGO_PKG_VERSION"))
            .map(|f| f.verdicts.into_iter().collect())
            .unwrap_or_default();
        Self {
            path: Some(path),
            stored,
            used: Mutex::default(),
        }
    }

    /// A cache that remembers nothing: every verdict is computed.
    pub fn disabled() -> Self {
        Self {
            path: None,
            stored: HashMap::new(),
            used: Mutex::default(),
        }
    }

    /// The verdict for `key`, from the cache or from `compute` (then kept). `key` must cover
    /// everything `compute` reads.
    pub fn verdict(&self, key: &str, compute: impl FnOnce() -> Verdict) -> Verdict {
        if self.path.is_none() {
            return compute();
        }
        let v = match self.stored.get(key) {
            Some(v) => *v,
            None => compute(),
        };
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key.to_owned(), v);
        v
    }

    /// Writes the verdicts used since [`StatusCache::load`] (dropping those no document asked
    /// for, so the file does not grow with every edit), when they differ from what was read.
    pub fn save(self) -> Result<(), EngineError> {
        let Some(path) = self.path else {
            return Ok(());
        };
        let used = self.used.into_inner().unwrap_or_else(|e| e.into_inner());
        if used == self.stored {
            return Ok(());
        }
        let file = CacheFile {
            format: FORMAT,
            engine: env!("CARGO_PKG_VERSION").to_owned(),
            verdicts: used.into_iter().collect(),
        };
        let dir = path.parent().unwrap_or(Path::new("."));
        let mkdir_err = |source| EngineError::Write {
            path: dir.to_owned(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(mkdir_err)?;
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            write_atomic(
                &ignore,
                b"# Rebuilt by Notice Studio; never committed.\n*\n",
            )?;
        }
        let json = serde_json::to_vec(&file).map_err(|e| EngineError::Write {
            path: path.clone(),
            source: std::io::Error::other(e),
        })?;
        write_atomic(&path, &json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_verdict_is_read_back_and_a_corrupt_file_is_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let cache = StatusCache::load(dir.path());
        assert_eq!(
            cache.verdict("k", || Verdict { errors: 2 }),
            Verdict { errors: 2 }
        );
        cache.save().unwrap();
        assert!(dir.path().join(".notice/.gitignore").is_file());

        let cache = StatusCache::load(dir.path());
        let hit = cache.verdict("k", || panic!("a stored verdict is not recomputed"));
        assert_eq!(hit, Verdict { errors: 2 });

        let file = dir.path().join(NOTICE_DIR).join(CACHE_FILE);
        std::fs::write(&file, b"{\"format\":1,\"verd").unwrap();
        let cache = StatusCache::load(dir.path());
        assert_eq!(
            cache.verdict("k", || Verdict { errors: 0 }),
            Verdict { errors: 0 }
        );
        cache.save().unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains("\"k\":{\"errors\":0}"), "{text}");
    }

    #[test]
    fn another_engines_cache_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(NOTICE_DIR)).unwrap();
        std::fs::write(
            dir.path().join(NOTICE_DIR).join(CACHE_FILE),
            br#"{"format":1,"engine":"0.0.0-other","verdicts":{"k":{"errors":9}}}"#,
        )
        .unwrap();
        let cache = StatusCache::load(dir.path());
        assert_eq!(
            cache.verdict("k", || Verdict { errors: 1 }),
            Verdict { errors: 1 }
        );
    }
}
