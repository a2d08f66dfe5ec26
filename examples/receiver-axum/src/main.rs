//! `cargo run -p pagos-example-receiver-axum`: see the library's docs.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match pagos_example_receiver_axum::demo().await {
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("receiver-axum example failed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
