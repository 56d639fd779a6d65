//! Results of pure functions of a text, remembered by that text. A render checks Markdown in
//! which every value is an opaque token, so for one template that text is the same for every
//! tenant whose answers take the same branches: across a fleet, a check that reads only the
//! text (parsing it again with values left empty, scanning it for other tools' placeholders)
//! runs once per distinct text, not once per tenant. The text itself is compared on every hit,
//! so a remembered result is always the result.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Texts remembered at most per memo; past it the memo starts again (a fleet has a handful of
/// texts per template; an editing session makes a new one per keystroke).
const CAPACITY: usize = 64;

/// Remembered results by the text's hash, each with its text.
type Results<T> = HashMap<u64, (Arc<str>, Arc<T>)>;

/// One function's remembered results.
pub(crate) struct TextMemo<T> {
    hasher: RandomState,
    results: Mutex<Results<T>>,
}

impl<T> TextMemo<T> {
    /// An empty memo.
    pub(crate) fn new() -> Self {
        TextMemo {
            hasher: RandomState::new(),
            results: Mutex::new(HashMap::new()),
        }
    }

    /// `compute()`'s result for `text`: remembered, or computed (outside the lock) and kept.
    pub(crate) fn get(&self, text: &str, compute: impl FnOnce() -> T) -> Arc<T> {
        let key = self.hasher.hash_one(text);
        let known = self
            .lock()
            .get(&key)
            .filter(|(kept, _)| **kept == *text)
            .map(|(_, result)| Arc::clone(result));
        if let Some(result) = known {
            return result;
        }
        let result = Arc::new(compute());
        let mut results = self.lock();
        if results.len() >= CAPACITY {
            results.clear();
        }
        results.insert(key, (Arc::from(text), Arc::clone(&result)));
        result
    }

    fn lock(&self) -> MutexGuard<'_, Results<T>> {
        // A panic elsewhere while it was held leaves the map as it was: still usable.
        self.results.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn computes_once_per_text_and_never_mixes_texts() {
        let memo = TextMemo::new();
        let runs = Cell::new(0);
        let len = |t: &str| {
            runs.set(runs.get() + 1);
            t.len()
        };
        assert_eq!(*memo.get("abc", || len("abc")), 3);
        assert_eq!(*memo.get("abc", || len("abc")), 3);
        assert_eq!(*memo.get("abcd", || len("abcd")), 4);
        assert_eq!(runs.get(), 2);
    }

    #[test]
    fn starts_again_when_full() {
        let memo = TextMemo::new();
        for i in 0..CAPACITY * 3 {
            let text = i.to_string();
            assert_eq!(*memo.get(&text, || text.clone()), text);
        }
        assert!(memo.lock().len() <= CAPACITY);
    }
}
