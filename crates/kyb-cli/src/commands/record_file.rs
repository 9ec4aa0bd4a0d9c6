//! Reading a record file: an update body, or a create body when it carries `partner_customer_id`.

use std::path::Path;

use kyb_core::model::{parse_strict, CreateCustomerRequest, ParseError, UpdateCustomerRequest};

/// A parsed record file.
pub enum RecordFile {
    Update(UpdateCustomerRequest),
    Create(CreateCustomerRequest),
}

/// Which body a file holds, judged before parsing so the error names the right rules.
pub fn kind_of(text: &str) -> &'static str {
    let is_create = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text)
        .map(|map| map.contains_key("partner_customer_id"))
        .unwrap_or(false);
    if is_create {
        "create"
    } else {
        "update"
    }
}

pub fn parse(text: &str) -> Result<RecordFile, ParseError> {
    match kind_of(text) {
        "create" => parse_strict(text).map(RecordFile::Create),
        _ => parse_strict(text).map(RecordFile::Update),
    }
}

pub fn read(path: &Path) -> std::io::Result<String> {
    std::fs::read_to_string(path)
}
