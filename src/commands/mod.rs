//! One module per subcommand, each the same shape: `run(args, ctx)` parses its arguments into
//! typed values, calls the store and the pure logic, and renders.

mod ack;
mod backup;
mod calendar;
mod check;
mod close;
mod customer_data;
mod customers;
mod date;
mod demo;
mod due;
mod edit;
mod eval;
mod evaluation;
mod export;
pub mod fields;
mod follow_up;
mod import;
mod import_input;
mod import_rejects;
mod import_row;
mod list;
mod location;
mod log;
mod note;
mod policy_cmd;
mod prompt;
mod reopen;
mod report;
mod resolve;
mod shell;
mod show;
mod simulate;
pub mod views;

use crate::cli::{Cli, Command};
use crate::context::Context;
use crate::error::Result;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let mut ctx = Context::new(&cli.global)?;
    match cli.command {
        Command::Log(args) => log::run(args, &mut ctx)?,
        Command::List(args) => list::run(args, &mut ctx)?,
        Command::Show(args) => show::run(args, &mut ctx)?,
        Command::Edit(args) => edit::run(args, &mut ctx)?,
        Command::Note(args) => note::run(args, &mut ctx)?,
        Command::Eval(args) => eval::run(args, &mut ctx)?,
        Command::Resolve(args) => resolve::run(args, &mut ctx)?,
        Command::Ack(args) => ack::run(args, &mut ctx)?,
        Command::Due(args) => due::run(args, &mut ctx)?,
        Command::Done(args) => follow_up::done(args, &mut ctx)?,
        Command::Skip(args) => follow_up::skip(args, &mut ctx)?,
        Command::Close(args) => close::run(args, &mut ctx)?,
        Command::Reopen(args) => reopen::run(args, &mut ctx)?,
        Command::Calendar(args) => calendar::run(args, &mut ctx)?,
        Command::Policy(args) => policy_cmd::run(args, &mut ctx)?,
        Command::Customers(args) => customers::list(args, &mut ctx)?,
        Command::Customer(args) => customer_data::run(args, &mut ctx)?,
        Command::Report(args) => report::run(args, &mut ctx)?,
        Command::Export(args) => export::run(args, &mut ctx)?,
        Command::Import(args) => import::run(args, &mut ctx)?,
        Command::Demo(args) => demo::run(args, &mut ctx)?,
        Command::Completions(args) => shell::completions(args, &mut ctx)?,
        Command::Man => shell::man(&mut ctx)?,
        Command::Date(args) => date::run(args, &mut ctx)?,
        Command::Backup(args) => backup::run(args, &mut ctx)?,
        Command::Check(args) => check::run(args, &mut ctx)?,
    }
    ctx.flush()
}
