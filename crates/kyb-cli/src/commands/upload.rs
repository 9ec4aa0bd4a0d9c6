//! `kyb upload FILE --type T`

use std::path::Path;

use kyb_core::client::check_upload_size;
use kyb_core::model::FileType;

use crate::cli::TargetArgs;
use crate::connection::client_for;
use crate::error::CliError;

pub async fn run(path: &Path, file_type: &str, target: &TargetArgs) -> Result<u8, CliError> {
    // Checked before reading the file or touching the network.
    let file_type: FileType = file_type.parse().map_err(|err| CliError::Usage(format!("--type: {err}")))?;
    // The client's upload limit, checked on the file's size so a huge file is never read (a
    // usage error: nothing was sent).
    let size = std::fs::metadata(path).map_err(|source| CliError::ReadFile { path: path.into(), source })?.len();
    check_upload_size(size).map_err(|err| CliError::Usage(format!("{}: {err}", path.display())))?;
    let bytes = std::fs::read(path).map_err(|source| CliError::ReadFile { path: path.into(), source })?;
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("document").to_owned();
    let uploaded = client_for(target)?.upload_file(&file_name, bytes, file_type).await?;
    println!("{}", uploaded.file_id);
    Ok(0)
}
