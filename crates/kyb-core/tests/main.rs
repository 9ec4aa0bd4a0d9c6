//! kyb-core's integration tests, built as one binary: the public API only, as the app and the
//! command line use it.

mod desktop_support;
mod fuzz_corpus;
mod partner_profile;
mod response_shapes;
mod seed_roundtrip;
mod validation_props;
mod validation_sources;
mod validation_table;
