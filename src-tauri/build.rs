//! Declares the app's commands so capabilities can allow exactly the ones the UI uses.

const COMMANDS: &[&str] = &[
    "startup",
    "list_templates",
    "open_template",
    "family_problems",
    "apply_fix",
    "render_preview",
    "page_preview",
    "new_tenant",
    "open_tenant",
    "save_tenant",
    "recent_files",
    "export_document",
    "export_for_synapse",
    "write_autosave",
    "clear_autosave",
    "open_workspace",
    "workspace_status",
    "create_tenant",
    "duplicate_tenant",
    "rename_tenant",
    "delete_tenant",
    "publish_tenant",
    "reissue_outdated",
    "cancel_reissue",
    "redline_template",
    "redline_last_export",
    "save_redline",
    "migration_plan",
    "reviewer",
    "set_reviewer",
    "approval_status",
    "approve_document",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        println!("cargo::error={e:#}");
    }
}
