//! The `fileType` values that `POST /api/files/upload` accepts.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One of the six documented document kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum FileType {
    Invoice,
    Contract,
    #[serde(rename = "Business Registration")]
    BusinessRegistration,
    #[serde(rename = "Article of Association")]
    ArticleOfAssociation,
    #[serde(rename = "Main page")]
    MainPage,
    #[serde(rename = "Back page")]
    BackPage,
}

impl FileType {
    pub const ALL: [FileType; 6] = [
        FileType::Invoice,
        FileType::Contract,
        FileType::BusinessRegistration,
        FileType::ArticleOfAssociation,
        FileType::MainPage,
        FileType::BackPage,
    ];

    /// The exact label the API uses.
    pub fn label(self) -> &'static str {
        match self {
            FileType::Invoice => "Invoice",
            FileType::Contract => "Contract",
            FileType::BusinessRegistration => "Business Registration",
            FileType::ArticleOfAssociation => "Article of Association",
            FileType::MainPage => "Main page",
            FileType::BackPage => "Back page",
        }
    }
}

impl fmt::Display for FileType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A `fileType` that is not one of the six documented values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("fileType {given:?} is not one of: Invoice, Contract, Business Registration, Article of Association, Main page, Back page")]
pub struct UnknownFileType {
    pub given: String,
}

impl FromStr for FileType {
    type Err = UnknownFileType;

    /// Exact labels only: the API is case-sensitive, so "main page" is refused rather than guessed.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FileType::ALL
            .into_iter()
            .find(|t| t.label() == s)
            .ok_or_else(|| UnknownFileType { given: s.to_owned() })
    }
}
