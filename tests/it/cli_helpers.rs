//! Running the real binary: one run and what it printed, a server child read line by line,
//! killed if a test ends early. Shared by the CLI's tests and the trust suites.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What one run of the binary did.
pub struct Run {
    pub args: Vec<String>,
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn assert_ok(&self) -> &Self {
        assert!(
            self.status.success(),
            "xiaoan {:?} should succeed, got {}\nstdout: {}\nstderr: {}",
            self.args,
            self.status,
            self.stdout,
            self.stderr
        );
        self
    }

    /// Asserts a non-zero exit with exactly one non-empty line on stderr; returns that line.
    pub fn one_line_error(&self) -> String {
        assert!(
            !self.status.success(),
            "xiaoan {:?} should fail, but exited 0\nstdout: {}\nstderr: {}",
            self.args,
            self.stdout,
            self.stderr
        );
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "xiaoan {:?}: stderr should be exactly one line, got: {:?}",
            self.args,
            self.stderr
        );
        assert!(
            !lines[0].trim().is_empty(),
            "xiaoan {:?}: the error line is empty",
            self.args
        );
        lines[0].to_string()
    }
}

/// The binary with cheap hashing and no settings inherited from the environment.
pub fn xiaoan() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xiaoan"));
    cmd.env("XIAOAN_ARGON2_M_KIB", "64")
        .env("XIAOAN_ARGON2_T", "1")
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL")
        .env_remove("XIAOAN_DATA_DIR")
        .env_remove("XIAOAN_BIND")
        .env_remove("XIAOAN_TLS")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs the binary with this data dir (and database URL), writing `stdin` to it if given.
pub fn run_in(
    data_dir: &Path,
    database_url: Option<&str>,
    args: &[&str],
    stdin: Option<&str>,
) -> Run {
    let mut cmd = xiaoan();
    cmd.arg("--data-dir").arg(data_dir);
    if let Some(url) = database_url {
        cmd.arg("--database-url").arg(url);
    }
    cmd.args(args);
    if stdin.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd.spawn().expect("start xiaoan");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin pipe");
        // The binary may exit before reading (bad arguments): a broken pipe is fine then.
        let _ = pipe.write_all(input.as_bytes());
        drop(pipe);
    }
    let out = child.wait_with_output().expect("wait for xiaoan");
    Run {
        args: args.iter().map(|a| a.to_string()).collect(),
        status: out.status,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Forwards each line of a child's pipe to a channel; keeps draining after the receiver goes.
pub fn lines_of(pipe: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            let _ = tx.send(line);
        }
    });
    rx
}

/// Waits for a line containing `needle`; panics with everything seen after `timeout`.
pub fn wait_for_line(
    rx: &mpsc::Receiver<String>,
    needle: &str,
    timeout: Duration,
    what: &str,
) -> String {
    let deadline = Instant::now() + timeout;
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) if line.contains(needle) => return line,
            Ok(line) => seen.push(line),
            Err(_) => panic!("no line with {needle:?} on {what}; saw: {seen:#?}"),
        }
    }
}

/// Kills the child if the test ends before it exits.
pub struct Reaper(pub Child);

impl Drop for Reaper {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// Sends SIGTERM and waits up to 30 s for the exit.
pub fn sigterm_and_wait(child: &mut Child) -> ExitStatus {
    let kill = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .expect("run kill");
    assert!(kill.success(), "kill -TERM failed");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        assert!(
            Instant::now() < deadline,
            "serve did not stop within 30 s of SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A running `serve` on a free port of 127.0.0.1: the child, its address and what it printed
/// on stdout (the first admin's password, say).
pub struct Served {
    pub child: Reaper,
    pub base: String,
    pub stdout: mpsc::Receiver<String>,
    /// Its log lines after the ready line.
    pub stderr: mpsc::Receiver<String>,
}

/// Starts `xiaoan serve` over this data dir (and database URL) and waits for its ready line.
pub fn serve(data_dir: &Path, database_url: Option<&str>, extra: &[&str]) -> Served {
    let mut cmd = xiaoan();
    cmd.arg("--data-dir").arg(data_dir);
    if let Some(url) = database_url {
        cmd.arg("--database-url").arg(url);
    }
    cmd.args(["serve", "--bind", "127.0.0.1:0"])
        .args(extra)
        .env("RUST_LOG", "info");
    let mut child = Reaper(cmd.spawn().expect("start xiaoan serve"));
    let stdout = lines_of(child.0.stdout.take().expect("stdout"));
    let stderr = lines_of(child.0.stderr.take().expect("stderr"));
    let ready = wait_for_line(
        &stderr,
        "listening on http://127.0.0.1:",
        Duration::from_secs(60),
        "stderr",
    );
    let port: String = ready
        .split("listening on http://127.0.0.1:")
        .nth(1)
        .map(|rest| rest.chars().take_while(char::is_ascii_digit).collect())
        .unwrap_or_default();
    assert!(!port.is_empty(), "a port in the ready line: {ready}");
    Served {
        child,
        base: format!("http://127.0.0.1:{port}"),
        stdout,
        stderr,
    }
}
