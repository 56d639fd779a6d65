//! What crosses the boundary to the UI besides the engine's own types. TypeScript bindings are
//! generated from these (`cargo test --features ts export_bindings`), never written by hand.

use notice_engine::check::standalone::PreviewSource;
use notice_engine::{Diagnostic, TemplateSchema, TenantFile, TenantReport};
use serde::{Deserialize, Serialize};

/// A template the app can open.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TemplateEntry {
    pub id: String,
    pub path: String,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub title: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub version: Option<String>,
    /// Shipped with the app (as opposed to opened from disk).
    pub bundled: bool,
}

/// An opened template: its form and the problems found while loading it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct OpenedTemplate {
    /// In a family, `fields` is every field of the family once (one tenant file answers all).
    pub schema: TemplateSchema,
    pub diagnostics: Vec<Diagnostic>,
    /// The documents of its family in a workspace, itself included; empty outside one.
    pub family: Vec<FamilyDocument>,
    /// The texts the web view's engine previews from as you type; none for a template that
    /// includes other files (the app alone previews those).
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview: Option<PreviewSource>,
    /// Declares `runtime: synapse-consent`: exported for Synapse, previewed in its states.
    #[serde(default)]
    pub consent: bool,
}

/// One document of the open template's family: a tab of the preview.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FamilyDocument {
    pub path: String,
    /// The file name in words ("Privacy notice").
    pub name: String,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub version: Option<String>,
}

/// How one document of the family fares with the tenant's answers (a tab's badge).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FamilyProblems {
    pub path: String,
    pub errors: u32,
    pub warnings: u32,
}

/// An opened (or new) tenant.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct OpenedTenant {
    /// Where it is saved; none for a new, unsaved tenant.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub path: Option<String>,
    pub tenant: TenantFile,
    pub report: TenantReport,
}

/// The working state, written to the app's data folder every few seconds so nothing typed is lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct WorkingState {
    pub template_path: String,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub tenant_path: Option<String>,
    pub tenant: TenantFile,
    /// Unsaved changes relative to `tenant_path`.
    pub dirty: bool,
    /// RFC 3339 time of the autosave (set by the app).
    #[serde(default)]
    pub saved_at: String,
}

/// A workspace as the UI shows it: its documents and every tenant's status with each.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct WorkspaceView {
    pub root: String,
    pub documents: Vec<WorkspaceDocument>,
    pub tenants: Vec<WorkspaceTenant>,
    /// Tenant files and history lines that could not be read, with why.
    pub unreadable: Vec<String>,
    /// For each consent page whose users must accept again: the server notice to send.
    #[serde(default)]
    pub server_notices: Vec<notice_engine::workspace::consent::ServerNoticeDraft>,
}

/// One document (template) of a workspace.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct WorkspaceDocument {
    /// `<family>/<name>`.
    pub id: String,
    pub name: String,
    pub path: String,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub title: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub version: Option<String>,
}

/// One tenant of a workspace with its file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct WorkspaceTenant {
    pub path: String,
    pub status: notice_engine::workspace::status::TenantStatus,
}

/// Progress of a re-issue: `done` of `total` tenants, working on `tenant` (empty when finished).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ReissueProgress {
    pub done: u32,
    pub total: u32,
    pub tenant: String,
}

/// Progress of "Export all" for one tenant: `done` of `total` files, making `file` (such as
/// `privacy_notice.pdf`; empty when finished).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ExportProgress {
    pub done: u32,
    pub total: u32,
    pub file: String,
}

/// Progress of reading a workspace's status: `done` of `total` tenants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct StatusProgress {
    pub done: u32,
    pub total: u32,
}

/// Recently used files, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RecentFiles {
    pub templates: Vec<String>,
    pub tenants: Vec<String>,
    /// The last workspace opened, reopened at start.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace: Option<String>,
}

/// Everything the window needs to start.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Startup {
    pub templates: Vec<TemplateEntry>,
    pub template: OpenedTemplate,
    pub tenant: OpenedTenant,
    /// A working state left by a session that ended without saving (crash, kill): offer it.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub recovery: Option<WorkingState>,
    pub recent: RecentFiles,
    /// The document stylesheet, so the preview uses the export's own CSS.
    pub stylesheet: String,
    /// What the command line asked to open (`notice-studio FILE`), opened once the window is up.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub launch: Option<OpenRequest>,
    /// The app's version, for the About box.
    pub version: String,
}

/// A file or folder to open, from the command line or handed over by a second instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct OpenRequest {
    pub kind: OpenKind,
    pub path: String,
}

/// What an [`OpenRequest`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum OpenKind {
    Template,
    Tenant,
    Workspace,
}

/// A finished export.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ExportDone {
    pub path: String,
    pub sha256: String,
    /// The reviewer whose approval the export carries.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    pub draft: bool,
    pub warnings: u32,
}

/// A finished "Export for Synapse…": Synapse's `template_dir` written into `folder`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ConsentExportDone {
    pub folder: String,
    /// `user_consent.version`: the policy page is `en/<version>.html`.
    pub version: String,
    /// The files written, relative to `folder`.
    pub files: Vec<String>,
    /// The `user_consent:` section of `homeserver.yaml` (also written as `user_consent.yaml`).
    pub user_consent_yaml: String,
    /// The reviewer whose approval the export was checked against.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    pub warnings: u32,
}

/// The shape every command error takes in the UI: engine errors and app errors alike.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ErrorPayload {
    /// Stable kind: `read`, `write`, `not-utf8`, `too-large`, `json`, `tenant-shape`, `refused`,
    /// `unrenderable`, `dialog`, `no-template`.
    pub kind: String,
    pub message: String,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub path: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub line: Option<u32>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub column: Option<u32>,
    #[serde(default)]
    pub diagnostics: Vec<Diagnostic>,
}
