use clap::Parser;
use clap::error::ErrorKind;

/// jemalloc returns memory once a load has passed; glibc's malloc kept a load's peak (one
/// arena per busy thread) for good. Measured in docs/BENCHMARKS.md.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's defaults hold freed pages 10 s and keep four arenas a core: a background thread
/// purges them within a second instead, over two arenas (the server's steady memory is what a
/// county's small machine has to spare). `MALLOC_CONF` in the environment still overrides.
#[cfg(not(target_env = "msvc"))]
#[allow(non_upper_case_globals)]
#[unsafe(export_name = "malloc_conf")]
pub static malloc_conf: &[u8] =
    b"background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0,narenas:2\0";

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
