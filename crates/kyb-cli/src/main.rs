//! `kyb`: the KYB Desk command line. Every command is a thin wrapper over `kyb-core`; every
//! submission (`kyb submit`, `kyb drafts submit`) goes through the desktop app's own use cases
//! (`kyb-app`: its drafts, outbox, worker and audit trail), never straight to the partner.

mod app;
mod cli;
mod commands;
mod connection;
mod error;
mod report;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("KYB_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let args = cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::from(error::EXIT_USAGE);
        }
    };
    match runtime.block_on(commands::run(args)) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}
