//! The `primary_contact` section (optional; both fields optional).

use crate::model::PrimaryContact;

use super::email::check_email;
use super::path::FieldPath;
use super::phone::check_phone;
use super::report::Report;
use super::text::present;

pub(crate) fn check(report: &mut Report, path: &FieldPath, contact: Option<&PrimaryContact>) {
    let Some(c) = contact else { return };

    let phone_path = path.field("contact_phone");
    if let Some(phone) = present(report, &phone_path, "Contact phone", c.contact_phone.as_ref(), false) {
        check_phone(report, &phone_path, "Contact phone", phone);
    }

    let email_path = path.field("contact_email");
    if let Some(email) = present(report, &email_path, "Contact email", c.contact_email.as_ref(), false) {
        check_email(report, &email_path, "Contact email", email);
    }
}
