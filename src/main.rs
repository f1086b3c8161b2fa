//! The `makegood` binary: parse, run, map the result to a documented exit code.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match makegood::cli::Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version print as clap prints them; a usage error echoes the argument, so it
        // goes through the sanitiser like every other message.
        Err(e) if !e.use_stderr() => e.exit(),
        // A value its type refused reads like every other invalid input (exit 2 either way).
        Err(e) => {
            let text = match makegood::cli::invalid_value(&e) {
                Some(invalid) => format!("makegood: error: {invalid}\n"),
                None => e.render().to_string(),
            };
            let _ = write!(
                std::io::stderr(),
                "{}",
                makegood::output::sanitize::terminal(&text)
            );
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
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
