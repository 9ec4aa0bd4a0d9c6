//! Phone numbers: E.164 text (`+`, country code, number; digits only) that libphonenumber
//! (the `phonenumber` crate) also accepts as a valid number.
//!
//! libphonenumber is slow the first time (it decodes its metadata database and compiles the
//! patterns of a country on first use) and still costs tens of microseconds per number after
//! that. The desktop app validates the whole record on every keystroke, so results are kept in
//! a small bounded cache keyed by the exact input; see docs/VALIDATION.md for the measurements.

use std::collections::{HashMap, VecDeque};
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Mutex, OnceLock, PoisonError};


use super::path::FieldPath;
use super::report::Report;
use super::text::quoted;
use super::IssueCode;

/// How many distinct numbers the cache remembers (oldest forgotten first).
pub const PHONE_CACHE_CAPACITY: usize = 256;

/// Compiled patterns libphonenumber keeps. Its default of 100 holds the patterns of only a few
/// countries, so a batch that alternates countries recompiled regexes on every number (about
/// 1.6 ms each); 2048 covers the patterns of well over a hundred countries.
const REGEX_CACHE_CAPACITY: usize = 2048;

/// E.164 allows at most 15 digits after the `+`.
const MAX_DIGITS: usize = 15;

pub(crate) fn check_phone(report: &mut Report, path: &FieldPath, label: &(impl std::fmt::Display + ?Sized), phone: &str) {
    if let Err(problem) = e164_shape(phone) {
        report.push(
            path,
            IssueCode::InvalidPhone,
            format!("{label} {} {problem}.", quoted(phone)),
        );
        return;
    }
    if !is_valid_number_cached(phone) {
        report.push(
            path,
            IssueCode::InvalidPhone,
            format!(
                "{label} {} is not a valid phone number for its country code; check the digits (for example +8613800138000).",
                quoted(phone)
            ),
        );
    }
}

/// `+` then 1 to 15 digits, the first not 0. On failure, what is wrong (to follow the value).
fn e164_shape(phone: &str) -> Result<(), String> {
    let Some(digits) = phone.strip_prefix('+') else {
        return Err("must start with + and the country code, e.g. +8613800138000".to_owned());
    };
    if digits.is_empty() {
        return Err("has no digits after the +".to_owned());
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("must contain only digits after the + (no spaces, dashes, dots or brackets)".to_owned());
    }
    if digits.len() > MAX_DIGITS {
        return Err(format!(
            "has {} digits; an international number has at most {MAX_DIGITS}",
            digits.len()
        ));
    }
    if digits.starts_with('0') {
        return Err("must not have 0 right after the +; country codes start with 1 to 9".to_owned());
    }
    Ok(())
}

/// The E.164 number is valid per libphonenumber and written in its canonical form
/// (so `+44020...` with the national trunk 0 left in is refused).
fn is_valid_number(phone: &str) -> bool {
    enlarge_regex_cache();
    // The parser has panicked on odd input in past releases; the shape check above already
    // keeps it to `+digits`, and a panic is turned into "invalid" rather than crashing the app.
    panic::catch_unwind(AssertUnwindSafe(|| match phonenumber::parse(None, phone) {
        // E.164 is "+", the country code and the national number with its leading zeros: what
        // the crate's E164 formatter writes, without the national-format pattern matching it
        // runs first (most of the time of a phone check, and unused for E.164).
        Ok(number) => phonenumber::is_valid(&number) && is_e164_of(phone, number.country().code(), number.national()),
        Err(_) => false,
    }))
    .unwrap_or(false)
}

/// Whether `phone` is exactly `format!("+{code}{national}")`, compared piece by piece as it is
/// written out instead of building the string.
fn is_e164_of(phone: &str, code: u16, national: &impl std::fmt::Display) -> bool {
    use std::fmt::Write as _;

    /// Consumes `rest` while what is written matches it; `ok` turns false at the first difference.
    struct Matcher<'a> {
        rest: &'a str,
        ok: bool,
    }
    impl std::fmt::Write for Matcher<'_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            match self.rest.strip_prefix(s) {
                Some(rest) if self.ok => self.rest = rest,
                _ => self.ok = false,
            }
            Ok(())
        }
    }

    let mut matcher = Matcher { rest: phone, ok: true };
    let _ = write!(matcher, "+{code}{national}");
    matcher.ok && matcher.rest.is_empty()
}

/// Swap libphonenumber's shared regex cache for a larger one, once, before first use.
/// `Database::cache()` hands out the very `Arc<Mutex<RegexCache>>` every pattern compiles into.
fn enlarge_regex_cache() {
    static ENLARGED: OnceLock<()> = OnceLock::new();
    ENLARGED.get_or_init(|| {
        let cache = phonenumber::metadata::DATABASE.cache();
        *cache.lock().unwrap_or_else(PoisonError::into_inner) = regex_cache::RegexCache::new(REGEX_CACHE_CAPACITY);
    });
}

/// Bounded memo of [`is_valid_number`], keyed by the exact input string.
struct Cache {
    results: HashMap<String, bool>,
    order: VecDeque<String>,
}

fn cache() -> &'static Mutex<Cache> {
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    CACHE.get_or_init(|| {
        Mutex::new(Cache {
            results: HashMap::with_capacity(PHONE_CACHE_CAPACITY),
            order: VecDeque::with_capacity(PHONE_CACHE_CAPACITY),
        })
    })
}

fn is_valid_number_cached(phone: &str) -> bool {
    if let Some(&known) = cache()
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .results
        .get(phone)
    {
        return known;
    }
    // Computed outside the lock: two threads may both compute a new number, which is harmless.
    let valid = is_valid_number(phone);
    let mut cache = cache().lock().unwrap_or_else(PoisonError::into_inner);
    if !cache.results.contains_key(phone) {
        if cache.order.len() >= PHONE_CACHE_CAPACITY {
            if let Some(oldest) = cache.order.pop_front() {
                cache.results.remove(&oldest);
            }
        }
        cache.order.push_back(phone.to_owned());
        cache.results.insert(phone.to_owned(), valid);
    }
    valid
}

/// Load libphonenumber's metadata now (it is otherwise loaded on the first phone check, which
/// then takes tens of milliseconds). Call it once at start-up, off the UI thread if possible.
pub fn warm_up() {
    let _ = is_valid_number("+8613800138000");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape() {
        assert!(e164_shape("+8613800138000").is_ok());
        assert!(e164_shape("8613800138000").is_err());
        assert!(e164_shape("+86 138 0013 8000").is_err());
        assert!(e164_shape("+86-13800138000").is_err());
        assert!(e164_shape("+").is_err());
        assert!(e164_shape("+0123456789").is_err());
        assert!(e164_shape("+1234567890123456").is_err());
        assert!(e164_shape("+123456789012345").is_ok());
        assert!(e164_shape("+８613800138000").is_err());
    }

    #[test]
    fn libphonenumber_verdicts() {
        for good in [
            "+8613800138000",
            "+12015550123",
            "+447400123456",
            "+4930123456",
            "+6581234567",
        ] {
            assert!(is_valid_number(good), "{good}");
        }
        for bad in [
            "+86138001380001",
            "+1201555012",
            "+4407400123456",
            "+999123456789",
            "+1",
        ] {
            assert!(!is_valid_number(bad), "{bad}");
        }
    }

    #[test]
    fn canonical_form_is_the_crates_e164_format() {
        // Italian fixed lines keep their leading zero in E.164; a trunk 0 elsewhere does not.
        assert!(is_valid_number("+390612345678"));
        assert!(!is_valid_number("+4402071234567"));
        for phone in [
            "+390612345678",
            "+393123456789",
            "+8613800138000",
            "+12015550123",
            "+447400123456",
            "+4402071234567",
            "+4930123456",
            "+33612345678",
            "+81312345678",
            "+97122345678",
            "+35312345678",
        ] {
            let number = phonenumber::parse(None, phone).unwrap();
            let ours = format!("+{}{}", number.country().code(), number.national());
            let theirs = number.format().mode(phonenumber::Mode::E164).to_string();
            assert_eq!(ours, theirs, "{phone}");
            assert!(is_e164_of(&theirs, number.country().code(), number.national()), "{phone}");
            for other in [&theirs[..theirs.len() - 1], &format!("{theirs}0"), &theirs[1..], "", "+"] {
                assert!(!is_e164_of(other, number.country().code(), number.national()), "{phone} vs {other}");
            }
        }
    }

    #[test]
    fn cache_is_bounded_and_agrees() {
        for i in 0..(PHONE_CACHE_CAPACITY + 50) {
            let phone = format!("+1201555{:04}", i % 10_000);
            assert_eq!(is_valid_number_cached(&phone), is_valid_number(&phone));
        }
        let cache = cache().lock().unwrap_or_else(PoisonError::into_inner);
        assert!(cache.results.len() <= PHONE_CACHE_CAPACITY);
        assert_eq!(cache.results.len(), cache.order.len());
    }
}
