//! The live preview: called on every keystroke. The document's HTML is sent as blocks, and only
//! the blocks that differ from a render the UI already holds: a keystroke changes a sentence or
//! two, and carrying the whole document (45 KB for the seed) through the IPC every time cost more
//! than rendering it. A consent page can be shown as Synapse serves it in one of its states
//! instead (`consent`): one block, rendered here only (the web view's engine never sees it).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use notice_engine::check::render_preview as preview_of;
use notice_engine::export::synapse::{ConsentState, preview_as};
use notice_engine::{RenderedNotice, TenantFile};
use serde::{Deserialize, Serialize};
use tauri::State;
use time::OffsetDateTime;

use crate::error::AppError;
use crate::state::AppState;

/// How many recent renders are kept to diff against (the UI keeps as many).
const KEPT: usize = 16;

/// The blocks of recent renders, by id.
#[derive(Default)]
pub struct RecentBlocks {
    next: u32,
    recent: VecDeque<(u32, Arc<Vec<String>>)>,
}

impl RecentBlocks {
    /// Records `blocks` as a new render and returns its id and its changes against `base`.
    fn record(&mut self, blocks: Vec<String>, base: Option<u32>) -> BlockChanges {
        self.next = self.next.wrapping_add(1);
        let id = self.next;
        let old = base.and_then(|b| self.recent.iter().find(|(i, _)| *i == b));
        let (base, changed) = match old {
            // The same structure (values never change it): only the blocks whose text differs.
            Some((b, old)) if old.len() == blocks.len() => (
                Some(*b),
                blocks
                    .iter()
                    .enumerate()
                    .filter(|(i, html)| old[*i] != **html)
                    .map(|(i, html)| (i as u32, html.clone()))
                    .collect(),
            ),
            _ => (
                None,
                blocks
                    .iter()
                    .enumerate()
                    .map(|(i, h)| (i as u32, h.clone()))
                    .collect(),
            ),
        };
        let count = blocks.len() as u32;
        self.recent.push_back((id, Arc::new(blocks)));
        while self.recent.len() > KEPT {
            self.recent.pop_front();
        }
        BlockChanges {
            id,
            base,
            count,
            changed,
        }
    }
}

/// A render's blocks as changes against an earlier render.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct BlockChanges {
    /// This render: a `base` for the next requests.
    pub id: u32,
    /// The render the changes are against; none: `changed` holds every block.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<u32>,
    /// How many blocks the document has.
    pub count: u32,
    /// `[index, html]` of each block that differs from `base`'s.
    pub changed: Vec<(u32, String)>,
}

/// A preview render: the notice without its HTML, and the blocks as changes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PreviewAnswer {
    pub notice: RenderedNotice,
    pub blocks: BlockChanges,
}

/// Renders the open template with `tenant`'s values, in preview mode, with all diagnostics;
/// blocks are sent as changes against render `base` when it is still known. With `consent`, a
/// consent page's document is the page as Synapse serves it in that state; while errors keep it
/// from being exported, the ordinary preview (runtime tags shown as written) stays.
#[tauri::command]
pub async fn render_preview(
    state: State<'_, AppState>,
    tenant: TenantFile,
    base: Option<u32>,
    consent: Option<ConsentState>,
) -> Result<PreviewAnswer, AppError> {
    let open = state.open().ok_or(AppError::NoTemplate)?;
    let values = open.answers(&tenant.values);
    let mut r = preview_of(&open.current, &values);
    let served = consent
        .filter(|_| open.current.runtime.is_some())
        .and_then(|s| preview_as(&open.current, &values, s, OffsetDateTime::UNIX_EPOCH).ok());
    let blocks = match served {
        Some(page) => vec![page],
        None => std::mem::take(&mut r.blocks),
    };
    let changes = lock(state.preview_blocks()).record(blocks, base);
    Ok(PreviewAnswer {
        notice: r,
        blocks: changes,
    })
}

fn lock(m: &Mutex<RecentBlocks>) -> std::sync::MutexGuard<'_, RecentBlocks> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn only_changed_blocks_travel_and_unknown_bases_get_everything() {
        let mut r = RecentBlocks::default();
        let first = r.record(blocks(&["<h1>A</h1>", "<p>x</p>", "<p>y</p>"]), None);
        assert_eq!((first.id, first.base, first.changed.len()), (1, None, 3));

        let second = r.record(blocks(&["<h1>B</h1>", "<p>x</p>", "<p>y</p>"]), Some(1));
        assert_eq!(second.base, Some(1));
        assert_eq!(second.changed, vec![(0, "<h1>B</h1>".to_owned())]);

        // A structure change (a block more) sends everything.
        let third = r.record(
            blocks(&["<h1>B</h1>", "<p>x</p>", "<p>y</p>", "<p>z</p>"]),
            Some(2),
        );
        assert_eq!((third.base, third.changed.len(), third.count), (None, 4, 4));

        // A base long gone (or never seen) sends everything.
        for _ in 0..KEPT {
            r.record(blocks(&["<p>q</p>"]), None);
        }
        let late = r.record(blocks(&["<p>q</p>"]), Some(1));
        assert_eq!((late.base, late.changed.len()), (None, 1));
    }
}
