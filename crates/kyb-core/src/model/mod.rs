//! Transport types of the partner API, named exactly as the seed names them.
//!
//! Every field is optional here: this is what arrives from files, forms and servers, before
//! validation. [`crate::validation`] turns it into a [`crate::validation::Validated`] value,
//! the only thing the client will send.

mod customer;
mod file_type;
mod missing;
mod parse;
mod requests;
mod sections;

pub use customer::{Customer, CustomerStatus, FileUploadResponse};
pub use file_type::{FileType, UnknownFileType};
pub use missing::MissingPart;
pub use parse::{parse_lenient, parse_strict, ParseError, ParseErrorKind};
pub use requests::{CreateCustomerRequest, UpdateCustomerRequest};
pub use sections::{
    AccountUsage, BasicInfo, BusinessDetails, BusinessPerson, Identification, PrimaryContact,
    RegistrationAddress, ResidentialAddress,
};
