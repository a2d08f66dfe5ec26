//! The CLI's error and its exit code.
//!
//! | exit | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | a demo step, a Khipu notification check, a KashIO event check or a ComproPago webhook check did not match, or the sandbox could not run |
//! | 2 | usage, configuration or validation error: nothing was sent |
//! | 3 | the provider answered with an error |
//! | 4 | network failure or unknown outcome (timeout, connection lost, undecodable answer) |

use std::fmt;

use pagos::ErrorKind;

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: something else failed (a demo step, the sandbox).
pub const EXIT_FAILED: u8 = 1;
/// Exit code: rejected before sending (usage, configuration, validation).
pub const EXIT_REJECTED: u8 = 2;
/// Exit code: the provider said no.
pub const EXIT_PROVIDER: u8 = 3;
/// Exit code: the request never arrived or its outcome is unknown.
pub const EXIT_NETWORK: u8 = 4;

/// Why a command failed.
#[derive(Debug)]
pub enum CliError {
    /// An SDK error; its kind decides the exit code.
    Pagos(pagos::Error),
    /// A bad argument the SDK did not see (exit 2; nothing was sent).
    Usage(String),
    /// Anything else (exit 1).
    Failed(String),
}

impl CliError {
    /// A usage error.
    pub fn usage(message: impl Into<String>) -> CliError {
        CliError::Usage(message.into())
    }

    /// What to do about the request, for an SDK error that was sent or may have been:
    /// the line printed under the error.
    pub fn resend_advice(&self) -> Option<&'static str> {
        let CliError::Pagos(e) = self else {
            return None;
        };
        if e.kind() == ErrorKind::Rejected {
            return None;
        }
        Some(match e.resend() {
            pagos::Resend::Safe => "resend: safe to run the same command again",
            pagos::Resend::AfterLookup => {
                "resend: the provider may have acted; look the operation up before running it again"
            }
            _ => "resend: running the same command again will not help",
        })
    }

    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Pagos(e) => exit_code_of(e),
            CliError::Usage(_) => EXIT_REJECTED,
            CliError::Failed(_) => EXIT_FAILED,
        }
    }
}

/// The exit code for an SDK error, from [`pagos::Error::kind`].
pub fn exit_code_of(e: &pagos::Error) -> u8 {
    match e.kind() {
        ErrorKind::Rejected => EXIT_REJECTED,
        ErrorKind::Provider => EXIT_PROVIDER,
        ErrorKind::NotSent | ErrorKind::OutcomeUnknown => EXIT_NETWORK,
        // `ErrorKind` is non-exhaustive: a future family is reported as a failure.
        _ => EXIT_FAILED,
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The SDK's Display names the field or setting and carries the provider's
            // message; it never contains a credential.
            CliError::Pagos(e) => write!(f, "{e}"),
            CliError::Usage(m) | CliError::Failed(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for CliError {}

impl From<pagos::Error> for CliError {
    fn from(e: pagos::Error) -> Self {
        CliError::Pagos(e)
    }
}

impl From<pagos::ValidationError> for CliError {
    fn from(e: pagos::ValidationError) -> Self {
        CliError::Pagos(e.into())
    }
}

impl From<pagos::ConfigError> for CliError {
    fn from(e: pagos::ConfigError) -> Self {
        CliError::Pagos(e.into())
    }
}

/// `Result` with [`CliError`].
pub type CliResult<T> = Result<T, CliError>;
