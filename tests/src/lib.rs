//! What the cross-crate tests (one binary: `tests/tests/main.rs`) share with this crate's
//! programs: the end-to-end harness ([`e2e`]), also used by the measuring tools in `src/bin/`,
//! and the crash test's draft ([`crash_draft`]), also saved by `src/bin/draft_writer.rs`.

pub mod crash_draft;
pub mod e2e;
