//! Notice Studio desktop app: Tauri glue over `notice-engine`.
//!
//! [`state`] holds the one open template; [`commands`] are the thin handlers the UI invokes,
//! grouped by feature; [`dialogs`] is the seam to native file dialogs (replaceable by environment
//! variables in tests); [`error`] is the structured error the UI receives; [`model`] the types that
//! cross the boundary; [`launch`] what `notice-studio FILE` (or a second instance) asks to open.

pub mod commands;
pub mod dialogs;
pub mod error;
pub mod launch;
pub mod model;
pub mod state;

use tauri::Manager;

/// Builds the app on `builder`: the real one in [`run`], a mock one in tests.
pub fn build_app<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .setup(|app| {
            let data_dir = state::data_dir(app.handle());
            app.manage(state::AppState::new(
                data_dir,
                state::templates_dir(app.handle()),
            ));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::startup::startup,
            commands::templates::list_templates,
            commands::templates::open_template,
            commands::templates::family_problems,
            commands::templates::apply_fix,
            commands::preview::render_preview,
            commands::pages::page_preview,
            commands::tenants::new_tenant,
            commands::tenants::open_tenant,
            commands::tenants::save_tenant,
            commands::tenants::recent_files,
            commands::export::export_document,
            commands::consent::export_for_synapse,
            commands::autosave::write_autosave,
            commands::autosave::clear_autosave,
            commands::workspace::open_workspace,
            commands::workspace::workspace_status,
            commands::workspace::create_tenant,
            commands::workspace::duplicate_tenant,
            commands::workspace::rename_tenant,
            commands::workspace::delete_tenant,
            commands::workspace::publish_tenant,
            commands::workspace::reissue_outdated,
            commands::workspace::cancel_reissue,
            commands::redline::redline_template,
            commands::redline::redline_last_export,
            commands::redline::save_redline,
            commands::workspace::migration_plan,
            commands::approval::reviewer,
            commands::approval::set_reviewer,
            commands::approval::approval_status,
            commands::approval::approve_document,
        ])
}

/// Starts the desktop app: one instance (a second one hands its file to the first and exits,
/// so it is registered first), with the window's size and position remembered.
pub fn run() {
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, argv, cwd| {
            launch::second_instance(app, argv, cwd)
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build());
    let app = build_app(builder).run(tauri::generate_context!());
    if let Err(e) = app {
        eprintln!("Notice Studio could not start: {e}");
        std::process::exit(1);
    }
}
