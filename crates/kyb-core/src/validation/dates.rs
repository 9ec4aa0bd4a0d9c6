//! Date rules. Timestamps are compared by their UTC calendar date: "2026-06-15T23:59:59Z" is
//! the 15th, whatever the time of day.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::limits::{MAX_AGE, MIN_AGE};
use super::path::FieldPath;
use super::report::Report;
use super::IssueCode;

pub(crate) fn day(timestamp: &DateTime<Utc>) -> NaiveDate {
    timestamp.date_naive()
}

/// `in_future` when `date` is after today (today itself is fine).
pub(crate) fn not_in_future(report: &mut Report, path: &FieldPath, label: &(impl std::fmt::Display + ?Sized), date: NaiveDate, today: NaiveDate) {
    if date > today {
        report.push(
            path,
            IssueCode::InFuture,
            format!("{label} {date} is in the future (today is {today}); check the date."),
        );
    }
}

/// `date_order` when `end` is not strictly after `start`; reported on the end date.
pub(crate) fn end_after_start(
    report: &mut Report,
    end_path: &FieldPath,
    end_label: &(impl std::fmt::Display + ?Sized),
    end: NaiveDate,
    start_label: &(impl std::fmt::Display + ?Sized),
    start: NaiveDate,
) {
    if end <= start {
        report.push(
            end_path,
            IssueCode::DateOrder,
            format!("{end_label} {end} must be after the {start_label} {start}."),
        );
    }
}

/// `expired` when `expiry` is before today; expiring today is still valid.
pub(crate) fn not_expired(
    report: &mut Report,
    path: &FieldPath,
    what: &(impl std::fmt::Display + ?Sized),
    remedy: &str,
    expiry: NaiveDate,
    today: NaiveDate,
) {
    if expiry < today {
        report.push(
            path,
            IssueCode::Expired,
            format!("{what} expired on {expiry}; {remedy}."),
        );
    }
}

/// Whole calendar years from `birth` to `today` (the birthday must have been reached).
/// Someone born on 29 February turns a year older on 1 March in non-leap years.
pub(crate) fn age_on(birth: NaiveDate, today: NaiveDate) -> i64 {
    let years = i64::from(today.year()) - i64::from(birth.year());
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        years - 1
    } else {
        years
    }
}

/// Birth date in the past, age between the limits (inclusive) on `today`.
pub(crate) fn check_birth_date(report: &mut Report, path: &FieldPath, label: &(impl std::fmt::Display + ?Sized), birth: NaiveDate, today: NaiveDate) {
    if birth > today {
        report.push(
            path,
            IssueCode::InFuture,
            format!("{label} {birth} is in the future (today is {today}); check the date."),
        );
        return;
    }
    let age = age_on(birth, today);
    if age < MIN_AGE {
        report.push(
            path,
            IssueCode::TooYoung,
            format!("{label} {birth} makes this person {age} today; business persons must be at least {MIN_AGE}."),
        );
    } else if age > MAX_AGE {
        report.push(
            path,
            IssueCode::TooOld,
            format!("{label} {birth} makes this person {age} today, over the limit of {MAX_AGE}; check the year."),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn age_in_calendar_years() {
        assert_eq!(age_on(d(2008, 6, 15), d(2026, 6, 15)), 18);
        assert_eq!(age_on(d(2008, 6, 16), d(2026, 6, 15)), 17);
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 2, 28)), 17);
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 3, 1)), 18);
        assert_eq!(age_on(d(2008, 2, 29), d(2028, 2, 29)), 20);
        assert_eq!(
            age_on(NaiveDate::MIN, NaiveDate::MAX),
            i64::from(NaiveDate::MAX.year()) - i64::from(NaiveDate::MIN.year())
        );
    }
}
