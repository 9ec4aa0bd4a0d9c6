//! `kyb validate FILE...`

use std::path::PathBuf;
use std::sync::Arc;

use kyb_core::partner_profile::PartnerProfile;

use kyb_core::validation::{validate_create, validate_update, ValidationContext};

use super::record_file::{self, RecordFile};
use crate::error::{CliError, EXIT_INVALID};
use crate::report::{render_human, FileReport};

pub fn run(files: &[PathBuf], json: bool, partner_profile: Arc<PartnerProfile>) -> Result<u8, CliError> {
    let ctx = ValidationContext::now_with(partner_profile);
    let reports: Vec<FileReport> = files
        .iter()
        .map(|path| {
            let text = match record_file::read(path) {
                Ok(text) => text,
                Err(err) => {
                    let mut report = FileReport::new(path, "update");
                    report.read_error = Some(err.to_string());
                    return report;
                }
            };
            let mut report = FileReport::new(path, record_file::kind_of(&text));
            match record_file::parse(&text) {
                Ok(RecordFile::Update(body)) => report.issues = validate_update(&body, &ctx),
                Ok(RecordFile::Create(body)) => report.issues = validate_create(&body, &ctx),
                Err(err) => {
                    report.parse_error = Some(err);
                    return report;
                }
            }
            report.valid = report.issues.is_empty();
            report
        })
        .collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&reports).expect("reports serialize"));
    } else {
        print!("{}", render_human(&reports));
    }
    Ok(if reports.iter().all(|r| r.valid) { 0 } else { EXIT_INVALID })
}
