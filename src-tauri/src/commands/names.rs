// Every command name, as the page invokes it. Shared by build.rs (which generates one
// `allow-<command>` permission each) and the invoke handler, so the two cannot drift.
pub const COMMANDS: &[&str] = &[
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
