//! The single source of truth for what a valid record is.
//!
//! Every rule lives in this module (the desktop app, the CLI and the sandbox all call it), and
//! every problem is reported at once as an [`Issue`] with the JSON path of the field at fault,
//! e.g. `business_person_list[1].identification.id_expiration_date`.
//!
//! Layout: this file is the public API; [`tables`] holds the enumerations and [`limits`] the
//! length bounds (both meant to be edited); one submodule per section applies the rules, and one
//! per value kind (country, currency, phone, ...) knows how to check a single value.
//! `docs/VALIDATION.md` lists every rule, its code and its source (the partner's page, a
//! standard, or KYB Desk's own policy).

use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use crate::partner_profile::PartnerProfile;
use crate::model::{
    AccountUsage, BusinessDetails, BusinessPerson, CreateCustomerRequest, PrimaryContact, RegistrationAddress,
    UpdateCustomerRequest,
};

mod account_usage;
mod address;
mod amount;
mod business_details;
mod countries;
mod create;
mod currencies;
mod dates;
mod documents;
mod email;
mod enumerations;
pub mod limits;
mod path;
mod persons;
mod phone;
mod primary_contact;
mod registration_address;
mod report;
pub mod tables;
mod text;
mod value;
mod website;

pub use countries::is_country;
pub use currencies::is_active_currency;
pub use phone::{warm_up, PHONE_CACHE_CAPACITY};
pub use documents::validate_document_types;
pub use value::{parse_update_value, validate_update_value};
pub use report::POLICY_PREFIX;

use path::FieldPath;
use report::Report;

/// Machine-readable reason for an [`Issue`]; the UI branches on this, never on the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum IssueCode {
    /// Missing, empty or whitespace-only.
    Required,
    /// More characters than KYB Desk's sanity cap for the field.
    TooLong,
    /// A control character in text.
    InvalidCharacters,
    /// Not an ISO 3166-1 alpha-2 country code.
    InvalidCountry,
    /// A country code in lower or mixed case (`us` for `US`).
    LowercaseCountry,
    /// Not an ISO 4217 code for a currency (unknown, an X-code such as XAU, or a fund code).
    InvalidCurrency,
    /// An ISO 4217 code that has been withdrawn (HRK, SLL, ...).
    WithdrawnCurrency,
    /// A currency code in lower or mixed case (`usd` for `USD`).
    LowercaseCurrency,
    /// An amount below zero.
    Negative,
    /// An amount with more decimal places than its currency's ISO 4217 minor unit.
    TooManyDecimals,
    /// An amount above the sanity ceiling.
    TooLarge,
    /// Not a valid international (E.164) phone number.
    InvalidPhone,
    /// Not a plain, deliverable-looking email address.
    InvalidEmail,
    /// A website that is not `https://`.
    NotHttps,
    /// A website with `user:password@` in it.
    CredentialsInUrl,
    /// A website that is not a URL with a domain name.
    InvalidUrl,
    /// Two dates in the wrong order (an expiry on or before its start).
    DateOrder,
    /// A date that cannot be in the future (issue, start, birth).
    InFuture,
    /// A document that expired before today.
    Expired,
    /// A person younger than 18 today.
    TooYoung,
    /// A person older than 120 today (almost certainly a typo).
    TooOld,
    /// The same file ID twice in one list.
    DuplicateDocument,
    /// A file uploaded as a `fileType` its slot does not take (an invoice as an ID's front).
    WrongDocumentType,
    /// No person with a role that can represent the business.
    MissingRepresentative,
    /// The same identity document given for two people.
    DuplicatePerson,
    /// A value that cannot be read at all as its field's type (amount `12,5`, date `07/11/2023`).
    InvalidFormat,
    /// A field the record format does not have (usually a typo).
    UnknownField,
    /// A value outside a list the active partner profile marks closed (the partner's real list).
    NotInList,
}

impl IssueCode {
    /// Every code, in declaration order (for documentation and exhaustive UI mappings).
    pub const ALL: [IssueCode; 28] = [
        IssueCode::Required,
        IssueCode::TooLong,
        IssueCode::InvalidCharacters,
        IssueCode::InvalidCountry,
        IssueCode::LowercaseCountry,
        IssueCode::InvalidCurrency,
        IssueCode::WithdrawnCurrency,
        IssueCode::LowercaseCurrency,
        IssueCode::Negative,
        IssueCode::TooManyDecimals,
        IssueCode::TooLarge,
        IssueCode::InvalidPhone,
        IssueCode::InvalidEmail,
        IssueCode::NotHttps,
        IssueCode::CredentialsInUrl,
        IssueCode::InvalidUrl,
        IssueCode::DateOrder,
        IssueCode::InFuture,
        IssueCode::Expired,
        IssueCode::TooYoung,
        IssueCode::TooOld,
        IssueCode::DuplicateDocument,
        IssueCode::WrongDocumentType,
        IssueCode::MissingRepresentative,
        IssueCode::DuplicatePerson,
        IssueCode::InvalidFormat,
        IssueCode::UnknownField,
        IssueCode::NotInList,
    ];

    /// The snake_case name, as serialized (for logs and the CLI).
    pub fn as_str(self) -> &'static str {
        match self {
            IssueCode::Required => "required",
            IssueCode::TooLong => "too_long",
            IssueCode::InvalidCharacters => "invalid_characters",
            IssueCode::InvalidCountry => "invalid_country",
            IssueCode::LowercaseCountry => "lowercase_country",
            IssueCode::InvalidCurrency => "invalid_currency",
            IssueCode::WithdrawnCurrency => "withdrawn_currency",
            IssueCode::LowercaseCurrency => "lowercase_currency",
            IssueCode::Negative => "negative",
            IssueCode::TooManyDecimals => "too_many_decimals",
            IssueCode::TooLarge => "too_large",
            IssueCode::InvalidPhone => "invalid_phone",
            IssueCode::InvalidEmail => "invalid_email",
            IssueCode::NotHttps => "not_https",
            IssueCode::CredentialsInUrl => "credentials_in_url",
            IssueCode::InvalidUrl => "invalid_url",
            IssueCode::DateOrder => "date_order",
            IssueCode::InFuture => "in_future",
            IssueCode::Expired => "expired",
            IssueCode::TooYoung => "too_young",
            IssueCode::TooOld => "too_old",
            IssueCode::DuplicateDocument => "duplicate_document",
            IssueCode::WrongDocumentType => "wrong_document_type",
            IssueCode::MissingRepresentative => "missing_representative",
            IssueCode::DuplicatePerson => "duplicate_person",
            IssueCode::InvalidFormat => "invalid_format",
            IssueCode::UnknownField => "unknown_field",
            IssueCode::NotInList => "not_in_list",
        }
    }
}

impl IssueCode {
    /// Where the rule behind this code usually comes from; a few call sites override it (a
    /// section the partner's page marks required, a special ISO 4217 code refused by policy).
    pub fn source(self) -> IssueSource {
        use IssueCode::*;
        match self {
            InvalidFormat | UnknownField | NotInList => IssueSource::Partner,
            InvalidCountry | LowercaseCountry | InvalidCurrency | WithdrawnCurrency | LowercaseCurrency
            | TooManyDecimals | InvalidPhone | InvalidEmail | InvalidUrl => IssueSource::Standard,
            Negative | DateOrder | InFuture => IssueSource::Consistency,
            Required | TooLong | InvalidCharacters | TooLarge | NotHttps | CredentialsInUrl | Expired | TooYoung
            | TooOld | DuplicateDocument | WrongDocumentType | MissingRepresentative | DuplicatePerson => {
                IssueSource::Policy
            }
        }
    }
}

/// Who says a value is wrong: the officer and the UI can tell the partner's rules from KYB
/// Desk's own, stricter policy (a policy issue may be about a record the partner accepts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum IssueSource {
    /// The partner's API page: a section it marks required, a field it does not have, a value
    /// that is not of the field's JSON type.
    Partner,
    /// A standard the page's examples follow: ISO 3166-1, ISO 4217, E.164, RFC 5321/5322,
    /// URLs (WHATWG/RFC 3986).
    Standard,
    /// A value that contradicts itself or the calendar (an expiry before the issue date, a
    /// birth date in the future, a negative revenue): wrong whoever reads it.
    Consistency,
    /// KYB Desk's own rule, stricter than the partner on purpose; the message starts with
    /// "KYB Desk policy:".
    Policy,
}

impl std::fmt::Display for IssueCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Issue {
    pub path: String,
    pub code: IssueCode,
    /// Whose rule this is (the partner's, a standard's, or KYB Desk's policy).
    pub source: IssueSource,
    pub message: String,
}

/// What validation depends on besides the record itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationContext {
    /// "Today" for expiry and age rules (UTC date); injected so tests are deterministic.
    pub today: NaiveDate,
    /// The active partner profile: its enumerations (closed ones refuse other values) and bounds.
    pub profile: Arc<PartnerProfile>,
}

impl ValidationContext {
    /// Today, with the built-in partner profile.
    pub fn now() -> Self {
        Self::on(chrono::Utc::now().date_naive())
    }

    /// `today`, with the built-in partner profile.
    pub fn on(today: NaiveDate) -> Self {
        Self::with_profile(today, PartnerProfile::shared_built_in())
    }

    /// Today, with `profile`.
    pub fn now_with(profile: Arc<PartnerProfile>) -> Self {
        Self::with_profile(chrono::Utc::now().date_naive(), profile)
    }

    /// `today`, with `profile`.
    pub fn with_profile(today: NaiveDate, profile: Arc<PartnerProfile>) -> Self {
        Self { today, profile }
    }
}

/// A value that passed validation. Only this module can make one, so holding a
/// `Validated<T>` proves the rules were checked (the client only sends these).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validated<T>(T);

impl<T> Validated<T> {
    pub fn get(&self) -> &T {
        &self.0
    }
    pub fn into_inner(self) -> T {
        self.0
    }
}

/// Every problem with an update body (empty when valid), in field order.
pub fn validate_update(request: &UpdateCustomerRequest, ctx: &ValidationContext) -> Vec<Issue> {
    let mut report = Report::for_profile(ctx.profile.clone());
    sections(
        &mut report,
        Sections {
            business_details: request.business_details.as_ref(),
            registration_address: request.registration_address.as_ref(),
            account_usage: request.account_usage.as_ref(),
            primary_contact: request.primary_contact.as_ref(),
            business_person_list: request.business_person_list.as_deref(),
        },
        ctx,
    );
    report.into_issues()
}

/// Every problem with a create body: the update rules plus `partner_customer_id`.
pub fn validate_create(request: &CreateCustomerRequest, ctx: &ValidationContext) -> Vec<Issue> {
    let mut report = Report::for_profile(ctx.profile.clone());
    create::partner_customer_id(
        &mut report,
        &FieldPath::root().field("partner_customer_id"),
        request.partner_customer_id.as_ref(),
    );
    sections(
        &mut report,
        Sections {
            business_details: request.business_details.as_ref(),
            registration_address: request.registration_address.as_ref(),
            account_usage: request.account_usage.as_ref(),
            primary_contact: request.primary_contact.as_ref(),
            business_person_list: request.business_person_list.as_deref(),
        },
        ctx,
    );
    report.into_issues()
}

/// The five sections, borrowed from either body.
struct Sections<'a> {
    business_details: Option<&'a BusinessDetails>,
    registration_address: Option<&'a RegistrationAddress>,
    account_usage: Option<&'a AccountUsage>,
    primary_contact: Option<&'a PrimaryContact>,
    business_person_list: Option<&'a [BusinessPerson]>,
}

/// The rules shared by update and create bodies.
fn sections(report: &mut Report, s: Sections<'_>, ctx: &ValidationContext) {
    let root = FieldPath::root();
    business_details::check(report, &root.field("business_details"), s.business_details, ctx);
    registration_address::check(report, &root.field("registration_address"), s.registration_address);
    account_usage::check(report, &root.field("account_usage"), s.account_usage, &ctx.profile);
    primary_contact::check(report, &root.field("primary_contact"), s.primary_contact);
    persons::check(report, &root.field("business_person_list"), s.business_person_list, ctx);
}

/// Check an update body, and wrap it as [`Validated`] when it has no issues.
pub fn check_update(
    request: UpdateCustomerRequest,
    ctx: &ValidationContext,
) -> Result<Validated<UpdateCustomerRequest>, Vec<Issue>> {
    let issues = validate_update(&request, ctx);
    if issues.is_empty() {
        Ok(Validated(request))
    } else {
        Err(issues)
    }
}

/// Check a create body, and wrap it as [`Validated`] when it has no issues.
pub fn check_create(
    request: CreateCustomerRequest,
    ctx: &ValidationContext,
) -> Result<Validated<CreateCustomerRequest>, Vec<Issue>> {
    let issues = validate_create(&request, ctx);
    if issues.is_empty() {
        Ok(Validated(request))
    } else {
        Err(issues)
    }
}

#[cfg(test)]
mod tests {
    use super::IssueCode;

    #[test]
    fn as_str_is_the_serialized_name() {
        for code in IssueCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
        let mut names: Vec<_> = IssueCode::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), IssueCode::ALL.len());
    }
}
