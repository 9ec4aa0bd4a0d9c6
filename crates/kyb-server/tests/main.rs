//! The team server against a real PostgreSQL (a fresh database per test; see
//! `kyb_server::testing`), over its own pool and over HTTP.

mod audit_trail;
mod environments;
mod health;
mod review;
mod sign_in;
mod team;
