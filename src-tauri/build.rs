//! Compiles the app's ACL: one `allow-<command>` permission per command (an app manifest), so a
//! command is callable only when capabilities/main.json grants it.

include!("src/commands/names.rs");

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
