//! `pagos`: the pagos command line. See `pagos --help`.
//!
//! `main` parses the command line, builds the Tokio runtime, installs progress
//! logging (only when standard error is a terminal), dispatches, prints the output
//! and turns errors into exit codes (see [`error`]).
// Doc comments on clap arguments are the `--help` texts: example URLs stay bare there.
#![allow(rustdoc::bare_urls)]

mod cli;
mod commands;
mod config;
mod error;
mod output;
mod parse;

use std::io::IsTerminal as _;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser as _;

use crate::cli::{Cli, Command};
use crate::config::Settings;
use crate::error::CliResult;
use crate::output::Output;

fn main() -> ExitCode {
    // clap prints usage errors itself and exits with 2 (0 for --help/--version).
    let cli = Cli::parse();
    let settings = Settings {
        json: cli.global.json,
        timeout: Duration::from_secs(cli.global.timeout),
    };
    let progress = std::io::stderr().is_terminal();
    if progress {
        install_progress_logging();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(error::EXIT_FAILED);
        }
    };
    let outcome = runtime.block_on(dispatch(cli.command, settings));
    match outcome {
        Ok(output) => {
            output.print(settings.json);
            match &output.failure {
                Some(message) => {
                    eprintln!("error: {message}");
                    ExitCode::from(error::EXIT_FAILED)
                }
                None => ExitCode::from(error::EXIT_OK),
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            if let Some(advice) = e.resend_advice() {
                eprintln!("{advice}");
            }
            ExitCode::from(e.exit_code())
        }
    }
}

async fn dispatch(command: Command, settings: Settings) -> CliResult<Output> {
    match command {
        Command::Sandbox(args) => commands::sandbox::run(args).await,
        Command::Providers(args) => commands::providers::run(args, settings),
        Command::Demo(args) => commands::demo::run(args, settings).await,
        Command::Khipu(args) => commands::khipu::run(args, settings).await,
        Command::Kashio(args) => commands::kashio::run(args, settings).await,
        Command::Compropago(args) => commands::compropago::run(args, settings).await,
        Command::Kashpay(args) => commands::kashpay::run(args, settings).await,
        Command::Telepagos(args) => commands::telepagos::run(args, settings).await,
    }
}

/// Shows the transport's retries and transport failures on standard error (the
/// caller checks that it is a terminal; piped output stays quiet). `RUST_LOG`
/// replaces the default filter.
fn install_progress_logging() {
    use tracing_subscriber::filter::{EnvFilter, filter_fn};
    use tracing_subscriber::prelude::*;

    let custom = std::env::var("RUST_LOG")
        .ok()
        .filter(|v| !v.trim().is_empty());
    let env_filter = EnvFilter::new(custom.as_deref().unwrap_or("pagos_core=debug"));
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time();
    let registry = tracing_subscriber::registry().with(env_filter);
    if custom.is_some() {
        let _ = registry.with(fmt).try_init();
    } else {
        // By default only the retry ("retrying after a transient answer", which has a
        // `delay` field) and transport-failure (a `retry` field) events, inside their
        // `pagos.http` span; not every answer.
        let only_retries = filter_fn(|meta| {
            meta.is_span() || {
                let fields = meta.fields();
                fields.field("delay").is_some() || fields.field("retry").is_some()
            }
        });
        let _ = registry.with(fmt.with_filter(only_retries)).try_init();
    }
}
