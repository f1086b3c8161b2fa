//! The `makegood` binary: parse, run, map the result to a documented exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = makegood::cli::Cli::parse();
    match makegood::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        // Work done, but something needs attention (lints, overdue follow-ups): not an error.
        Err(makegood::error::Error::Attention(note)) => {
            makegood::output::message(&format!("makegood: {note}"));
            ExitCode::from(makegood::error::exit::ATTENTION)
        }
        Err(e) => {
            makegood::output::message(&format!("makegood: error: {}", makegood::error::chain(&e)));
            ExitCode::from(e.exit_code())
        }
    }
}
