//! `cargo run -p pagos-example-receiver-actix`: see the library's docs.

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    match pagos_example_receiver_actix::demo().await {
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("receiver-actix example failed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
