//! `eidpl` — the command line. Output contract: with `--json`, one JSON object on stdout (the
//! result, or `{"error": {code, message, details}}`); exit 0 valid, 1 verification failed,
//! 2 usage or configuration error.

mod demo;
mod keys;
mod signatures;
mod simulator;
mod verify;
mod wk;

use clap::{Parser, Subcommand};
use eidpl::{Error, ErrorCode};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "eidpl",
    version,
    about = "Węzeł Krajowy login and profil zaufany / XAdES verification"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Verifies a document signed with profil zaufany or XAdES (ePUAP documents included).
    Verify(verify::VerifyArgs),
    /// XML-Signature tools.
    Dsig {
        #[command(subcommand)]
        command: DsigCommand,
    },
    /// Service provider keys: generate the signing and encryption keys and their CSRs for COI.
    Keys {
        #[command(subcommand)]
        command: keys::KeysCommand,
    },
    /// Węzeł Krajowy service provider: requests, validation, logout, metadata.
    Wk {
        #[command(subcommand)]
        command: wk::WkCommand,
    },
    /// A local Węzeł Krajowy on loopback for development and tests.
    Simulator(simulator::SimulatorArgs),
    /// Shows what eidpl does, offline, on generated messages (and on real ones with --interop).
    Demo {
        /// Folder of interop vectors (../shared/interop) to verify as well.
        #[arg(long)]
        interop: Option<std::path::PathBuf>,
    },
}

#[derive(Subcommand)]
enum DsigCommand {
    /// Verifies every ds:Signature in FILE with the given pinned certificates or public keys.
    Verify(signatures::VerifyArgs),
}

/// How a command ended: a result to print, or an error.
pub(crate) enum Outcome {
    /// Printed; exit 0 when `valid`, else 1.
    Done { valid: bool },
    /// A usage/config error (exit 2) or a verification error (exit 1).
    Failed(Error),
}

/// Exit status for an error: configuration and usage problems are 2, everything else 1.
fn exit_code_for(e: &Error) -> u8 {
    match e.code() {
        ErrorCode::ConfigInvalid | ErrorCode::KeyInvalid | ErrorCode::IoError => 2,
        _ => 1,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (json, outcome) = match cli.command {
        Command::Dsig {
            command: DsigCommand::Verify(args),
        } => (args.json, signatures::verify(&args)),
        Command::Verify(args) => (args.json, verify::run(&args)),
        Command::Keys { command } => keys::run(&command),
        Command::Wk { command } => (command.json(), wk::run(&command)),
        Command::Simulator(args) => (false, simulator::run(&args)),
        Command::Demo { interop } => (false, demo::run(interop.as_deref())),
    };
    match outcome {
        Outcome::Done { valid } => ExitCode::from(if valid { 0 } else { 1 }),
        Outcome::Failed(e) => {
            if json {
                println!("{}", serde_json::json!({ "error": e.to_json() }));
            } else {
                eprintln!("eidpl: {e}");
            }
            ExitCode::from(exit_code_for(&e))
        }
    }
}
