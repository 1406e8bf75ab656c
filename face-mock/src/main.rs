//! `face-mock`: runs the Face API emulator on a local port until interrupted.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use face_mock::{MockConfig, MockServer, Seed};

const USAGE: &str = "usage: face-mock [--port PORT] [--key KEY] [--token TOKEN]... [--any-token] [--seed FILE] [--training-polls N]";

/// The command line, parsed.
struct Args {
    port: u16,
    key: Option<String>,
    seed: Option<PathBuf>,
    training_polls: Option<u32>,
    tokens: Vec<String>,
    any_token: bool,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        port: 5005,
        key: None,
        seed: None,
        training_polls: None,
        tokens: Vec::new(),
        any_token: false,
    };
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--port" => {
                parsed.port = value()?
                    .parse()
                    .map_err(|_| format!("--port takes a number\n{USAGE}"))?;
            }
            "--key" => parsed.key = Some(value()?),
            "--token" => parsed.tokens.push(value()?),
            "--any-token" => parsed.any_token = true,
            "--seed" => parsed.seed = Some(PathBuf::from(value()?)),
            "--training-polls" => {
                parsed.training_polls = Some(
                    value()?
                        .parse()
                        .map_err(|_| format!("--training-polls takes a number\n{USAGE}"))?,
                );
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(parsed)
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let mut config = MockConfig::new();
    if let Some(key) = args.key {
        config = config.with_key(key);
    }
    if !args.tokens.is_empty() {
        config = config.with_bearer_tokens(args.tokens);
    }
    if args.any_token {
        config = config.with_any_bearer_token();
    }
    if let Some(polls) = args.training_polls {
        config = config.with_training_polls(polls);
    }
    if let Some(path) = &args.seed {
        match Seed::from_file(path) {
            Ok(seed) => config = config.with_seed(seed),
            Err(message) => {
                eprintln!("face-mock: {message}");
                return ExitCode::FAILURE;
            }
        }
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("face-mock: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let server =
            match MockServer::start_on(config, SocketAddr::from(([127, 0, 0, 1], args.port))).await
            {
                Ok(server) => server,
                Err(error) => {
                    eprintln!("face-mock: {error}");
                    return ExitCode::FAILURE;
                }
            };
        println!("face-mock listening");
        println!("endpoint: {}", server.endpoint());
        println!("key: {}", server.key());
        if let Some(token) = server.bearer_token() {
            println!("bearer token: {token}");
        }
        println!("faults: {}{}", server.endpoint(), face_mock::FAULTS_PATH);
        let _ = tokio::signal::ctrl_c().await;
        server.shutdown().await;
        ExitCode::SUCCESS
    })
}
