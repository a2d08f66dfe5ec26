//! `pagos providers [PROVIDER]`: the providers this build has, from the facade's
//! registry — what each supports through the unified API, the `PAGOS_*` variables it
//! reads and whether each is set (never its value), and whether it can be built from
//! the environment as it is.

use clap::Args;
use pagos::{ProviderConfig, ProviderDescriptor};
use serde_json::{Value, json};

use crate::config::{Overrides, Settings};
use crate::error::CliResult;
use crate::output::{Human, Output};

/// `pagos providers`.
#[derive(Debug, Args)]
#[command(
    after_help = "Lists every provider this build has (the facade's registry), or only \
PROVIDER: its unified operations, the PAGOS_* variables it reads (required or optional; \
credentials are never printed, only whether they are set) and whether it can be built \
from the environment as it is (nothing is sent)."
)]
pub struct ProvidersArgs {
    /// Only this provider (any case).
    #[arg(value_name = "PROVIDER")]
    pub provider: Option<String>,
}

/// Runs `pagos providers`.
pub fn run(args: ProvidersArgs, settings: Settings) -> CliResult<Output> {
    let providers: Vec<&'static ProviderDescriptor> = match &args.provider {
        Some(name) => vec![pagos::descriptor(name)?],
        None => pagos::registry().to_vec(),
    };
    let overrides = Overrides::new();
    let environment = overrides.config();
    let mut documents = Vec::new();
    let mut sections = Vec::new();
    for descriptor in providers {
        let (document, human) = describe(descriptor, &environment, &overrides, settings);
        documents.push(document);
        sections.push(human);
    }
    if sections.is_empty() {
        sections.push(Human::Text("this build has no provider".into()));
    }
    Ok(Output::value(
        &json!({ "providers": documents }),
        Human::Sections(sections),
    ))
}

/// One provider, as JSON and as text.
fn describe(
    descriptor: &ProviderDescriptor,
    environment: &ProviderConfig<'_>,
    overrides: &Overrides,
    settings: Settings,
) -> (Value, Human) {
    let operations: Vec<&str> = descriptor
        .capabilities
        .iter()
        .map(|op| op.as_str())
        .collect();
    // Building reads the variables and checks them; it sends nothing. The error names
    // the variable and never repeats its value.
    let built = overrides
        .shared(settings)
        .and_then(|config| Ok(descriptor.connect(&config)?));
    let ready = match &built {
        Ok(_) => "yes".to_string(),
        Err(e) => format!("no: {e}"),
    };
    let vars: Vec<Value> = descriptor
        .env
        .iter()
        .map(|var| {
            json!({
                "name": var.name,
                "required": var.required,
                "secret": var.secret,
                "set": environment.optional(var.name).is_some(),
                "help": var.help,
            })
        })
        .collect();
    let document = json!({
        "name": descriptor.name,
        "title": descriptor.title,
        "capabilities": operations,
        "env": vars,
        "ready": built.is_ok(),
        "problem": built.as_ref().err().map(ToString::to_string),
    });
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
    let rows = descriptor
        .env
        .iter()
        .map(|var| {
            vec![
                var.name.to_string(),
                yes_no(var.required),
                yes_no(var.secret),
                yes_no(environment.optional(var.name).is_some()),
                var.help.to_string(),
            ]
        })
        .collect();
    let human = Human::Sections(vec![
        Human::Fields(vec![
            ("provider".into(), descriptor.name.into()),
            ("title".into(), descriptor.title.into()),
            ("operations".into(), operations.join(", ")),
            ("ready".into(), ready),
        ]),
        Human::Table {
            headers: ["VARIABLE", "REQUIRED", "SECRET", "SET", "WHAT"]
                .map(String::from)
                .to_vec(),
            rows,
        },
    ]);
    (document, human)
}
