//! The early state start (src-tauri/src/early_start.rs) guesses the folders before the app is
//! built; they must be the ones Tauri's path resolver gives, or every launch starts twice.

use kyb_desk_lib::early_start::expected_dirs;
use tauri::test::mock_builder;
use tauri::Manager;

#[test]
fn the_early_folders_are_the_path_resolvers() {
    let app = mock_builder().build(kyb_desk_lib::context()).expect("app builds");
    let identifier = app.config().identifier.clone();
    assert_eq!(identifier, "com.kybdesk.desktop");
    let (config_dir, data_dir) = expected_dirs(&identifier).expect("config and data folders are known");
    assert_eq!(config_dir, app.path().app_config_dir().unwrap());
    assert_eq!(data_dir, app.path().app_data_dir().unwrap());
    assert!(config_dir.ends_with(&identifier) && data_dir.ends_with(&identifier));
}
