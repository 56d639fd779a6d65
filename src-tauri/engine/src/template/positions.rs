//! Where a template's placeholders are, with the variables each reads: what the checks place
//! their diagnostics by.

use super::{NoticeTemplate, source};

impl NoticeTemplate {
    /// Placeholder sites with their variables and template positions (byte columns).
    pub(crate) fn placeholder_sites_internal(&self) -> Vec<(Vec<String>, source::Pos)> {
        let r = self.registry.lock().unwrap_or_else(|e| e.into_inner());
        r.sites
            .iter()
            .map(|s| {
                (
                    s.vars.clone(),
                    source::Pos {
                        file: s.at.file,
                        line: s.at.line,
                        col: s.at.column,
                    },
                )
            })
            .collect()
    }

    /// Legacy `%%NAME%%` sites: (field name, position).
    pub(crate) fn legacy_sites(&self) -> Vec<(String, source::Pos)> {
        let r = self.registry.lock().unwrap_or_else(|e| e.into_inner());
        r.sites
            .iter()
            .filter(|s| s.at.legacy)
            .map(|s| {
                (
                    s.at.expr.clone(),
                    source::Pos {
                        file: s.at.file,
                        line: s.at.line,
                        col: s.at.column,
                    },
                )
            })
            .collect()
    }
}
