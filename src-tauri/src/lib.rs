//! Notice Studio desktop app (Tauri). Thin glue over `notice-engine`.
