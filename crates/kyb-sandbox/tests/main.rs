//! The sandbox's integration tests, built as one binary: a raw HTTP client against a real
//! sandbox on loopback (`common`).

mod common;

mod api;
mod faults;
mod persistence;
mod strict;
