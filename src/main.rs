use clap::Parser;
use clap::error::ErrorKind;

#[tokio::main(flavor = "multi_thread")]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = match xiaoan::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let _ = e.print();
            return std::process::ExitCode::SUCCESS;
        }
        Err(e) => {
            // One clear line, not a page of usage: clap's lines before "Usage:", joined.
            let text = e.to_string();
            let line = text
                .lines()
                .take_while(|l| !l.starts_with("Usage:"))
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            eprintln!(
                "{}",
                if line.is_empty() {
                    "invalid arguments"
                } else {
                    &line
                }
            );
            return std::process::ExitCode::from(2);
        }
    };
    match xiaoan::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(xiaoan::cli::Fail(message)) => {
            // One line, whatever the cause printed (libpq's messages span several).
            let line = message
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            eprintln!("error: {line}");
            std::process::ExitCode::FAILURE
        }
    }
}
