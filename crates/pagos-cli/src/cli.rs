//! The command line, with clap's derive API. Each provider's subcommands are defined
//! in its module under `commands/`.

use clap::{Args, Parser, Subcommand};

use crate::commands;

const AFTER_HELP: &str = "\
Configuration comes from PAGOS_<PROVIDER>_... environment variables (credentials only \
from there, never from flags); --base-url and a few other flags override the rest. \
PAGOS_PROXY (http://, https:// or socks5://) is the only proxy used: HTTP_PROXY, \
HTTPS_PROXY and ALL_PROXY are ignored.

Exit codes:
  0  success
  1  a demo step or a notification check did not match, or the sandbox could not run
  2  usage, configuration or validation error (nothing was sent)
  3  the provider answered with an error
  4  network failure or unknown outcome (timeout, connection lost, undecodable answer)";

/// pagos: drive Latin American payment APIs (Khipu, KashIO, ComproPago, Kashpay,
/// TelePagos) from the command line, run their offline sandbox, or run the end-to-end
/// demo.
#[derive(Debug, Parser)]
#[command(name = "pagos", version, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    /// Options shared by every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every command (accepted anywhere on the line).
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Print one machine-readable JSON document on stdout (the provider's answer as
    /// received, where the SDK keeps it) instead of aligned text.
    #[arg(long, global = true)]
    pub json: bool,

    /// Timeout of one HTTP attempt, in whole seconds (connection and body included).
    #[arg(
        long,
        global = true,
        value_name = "SECONDS",
        default_value_t = 30,
        value_parser = clap::value_parser!(u64).range(1..=3600)
    )]
    pub timeout: u64,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the offline simulator of all five APIs in the foreground (Ctrl-C stops it)
    /// and print each provider's base URL and the sandbox credentials it accepts.
    Sandbox(commands::sandbox::SandboxArgs),

    /// List the providers this build has: their operations, the PAGOS_* variables each
    /// reads (and whether they are set, never their values) and whether each can be
    /// built from the environment.
    Providers(commands::providers::ProvidersArgs),

    /// Start the sandbox in-process and run every provider's life cycle through the
    /// unified `PaymentProvider` trait; prints a table of steps and exits 0 only if
    /// every step matched.
    Demo(commands::demo::DemoArgs),

    /// Khipu (Chile): payments, refunds, banks, receivers, notifications, signatures.
    Khipu(commands::khipu::KhipuArgs),

    /// KashIO (Peru): invoices (payment orders) and events.
    Kashio(commands::kashio::KashioArgs),

    /// ComproPago (Mexico): SPEI orders, CLABEs, accounts and webhooks.
    Compropago(commands::compropago::CompropagoArgs),

    /// Kashpay / Onsigna (Mexico): session token and createOrder (SPEI transfers...).
    Kashpay(commands::kashpay::KashpayArgs),

    /// TelePagos (Argentina): CVU/CBU cash-out, QR and links, sale points, balance.
    Telepagos(commands::telepagos::TelepagosArgs),
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
