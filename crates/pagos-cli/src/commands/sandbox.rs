//! `pagos sandbox [--port N]`: the offline simulator in the foreground.

use clap::Args;
use pagos_sandbox::{Credentials, SandboxConfig};

use crate::error::{CliError, CliResult};
use crate::output::{Human, Output};

/// `pagos sandbox`.
#[derive(Debug, Args)]
#[command(
    after_help = "The sandbox accepts the credentials it prints: the PAGOS_* \
variables when set, otherwise its defaults (they are sandbox credentials, printing them is \
the point): Khipu 3.0 and PAC take PAGOS_KHIPU_API_KEY at PAGOS_KHIPU_V3_BASE_URL and sign \
their webhooks with PAGOS_KHIPU_SECRET. Paste the printed lines into your shell to point the \
SDK or this CLI at it; the control API under /_sandbox lets you act as the payer, move the clock, inject faults \
and read the request log."
)]
pub struct SandboxArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Seed for the generated ids (reproducible runs).
    #[arg(long)]
    pub seed: Option<u64>,
}

/// Runs the sandbox until Ctrl-C. `pagos_sandbox::run` prints every provider's base URL
/// and the credentials it accepts before serving.
pub async fn run(args: SandboxArgs) -> CliResult<Output> {
    let mut builder = SandboxConfig::builder()
        .port(args.port)
        .credentials(Credentials::from_env());
    if let Some(seed) = args.seed {
        builder = builder.seed(seed);
    }
    pagos_sandbox::run(builder.build())
        .await
        .map_err(|e| CliError::Failed(format!("the sandbox stopped: {e}")))?;
    Ok(Output::raw(
        r#"{"status":"stopped"}"#,
        Human::Text("pagos sandbox stopped".into()),
    ))
}
