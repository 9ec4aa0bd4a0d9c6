//! Compiles the app's ACL: one `allow-<command>` permission per command (an app manifest), so a
//! command is callable only when capabilities/main.json grants it.

const COMMANDS: &[&str] = &[
    "get_session",
    "select_environment",
    "save_environment",
    "delete_environment",
    "set_credentials",
    "clear_credentials",
    "reference_data",
    "open_customer",
    "validate_record",
    "diff_record",
    "submit_update",
    "refresh_customer",
    "upload_document",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
