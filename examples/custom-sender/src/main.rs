//! `cargo run -p pagos-example-custom-sender`: see the library's docs.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match pagos_example_custom_sender::demo().await {
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("custom-sender example failed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
