//! Where each tenant stands with each document: up to date, never exported, exported at an older
//! version (a major bump means its users must accept again), changed since, or blocked by problems.

use serde::{Deserialize, Serialize};

use super::{Document, ExportRecord, Tenant, Workspace};
use crate::diagnostic::Severity;
use crate::error::EngineError;
use crate::export::inputs_hash;
use crate::render::{RenderMode, render_notice};

/// One tenant × document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum DocStatus {
    /// Exported at the current version with the current answers.
    UpToDate {
        version: String,
    },
    /// Exported at the current version, but the answers or the template text changed since.
    Changed {
        version: String,
    },
    NeverExported,
    /// Last exported at an older version. `must_accept`: the major version changed.
    Outdated {
        exported: String,
        current: String,
        must_accept: bool,
    },
    /// Errors stop an export now.
    Problems {
        errors: u32,
    },
}

impl DocStatus {
    /// Short text for tables.
    pub fn label(&self) -> String {
        match self {
            DocStatus::UpToDate { version } => format!("up to date ({version})"),
            DocStatus::Changed { version } => format!("changed since {version}"),
            DocStatus::NeverExported => "never exported".into(),
            DocStatus::Outdated {
                exported,
                current,
                must_accept,
            } => format!(
                "outdated {exported} → {current}{}",
                if *must_accept {
                    " (users must accept again)"
                } else {
                    ""
                }
            ),
            DocStatus::Problems { errors } => format!("{errors} error(s)"),
        }
    }

    /// Needs a re-issue: behind the current version.
    pub fn is_outdated(&self) -> bool {
        matches!(self, DocStatus::Outdated { .. })
    }
}

/// A row of the status table.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TenantStatus {
    pub tenant: String,
    pub name: String,
    /// Per document id, in the workspace's document order.
    pub documents: Vec<(String, DocStatus)>,
}

/// The last export of `document` for `tenant`, if any.
pub fn last_export<'h>(
    history: &'h [ExportRecord],
    tenant: &str,
    document: &str,
) -> Option<&'h ExportRecord> {
    history
        .iter()
        .rev()
        .find(|r| r.tenant == tenant && r.document == document)
}

/// The status of one document for one tenant.
pub fn document_status(doc: &Document, tenant: &Tenant, history: &[ExportRecord]) -> DocStatus {
    let t = &doc.template;
    let current = t
        .version
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    let values = super::document_values(t, &tenant.file.values);
    let r = render_notice(t, &values, RenderMode::Export { draft: false });
    let errors = r
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count() as u32;
    let last = last_export(history, &tenant.id, &doc.id);
    match last {
        Some(rec) if rec.version != current => {
            let major = |v: &str| semver::Version::parse(v).ok().map(|v| v.major);
            DocStatus::Outdated {
                must_accept: major(&rec.version) != major(&current),
                exported: rec.version.clone(),
                current,
            }
        }
        _ if errors > 0 => DocStatus::Problems { errors },
        None => DocStatus::NeverExported,
        Some(rec) if rec.inputs_sha256 != inputs_hash(t, &values) => {
            DocStatus::Changed { version: current }
        }
        Some(_) => DocStatus::UpToDate { version: current },
    }
}

/// The whole table.
pub fn status(ws: &Workspace) -> Result<Vec<TenantStatus>, EngineError> {
    let history = ws.history().load()?;
    Ok(ws
        .tenants
        .iter()
        .map(|tenant| TenantStatus {
            tenant: tenant.id.clone(),
            name: tenant.file.tenant.clone(),
            documents: ws
                .documents
                .iter()
                .map(|d| (d.id.clone(), document_status(d, tenant, &history)))
                .collect(),
        })
        .collect())
}
