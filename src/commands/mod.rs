//! One module per subcommand, each the same shape: `run(args, ctx)` parses its arguments into
//! typed values, calls the store and the pure logic, and renders.

mod ack;
mod backup;
mod calendar;
mod chain;
mod check;
mod close;
mod coupon_codes;
mod coupons;
mod customer_data;
mod customer_edit;
mod customer_order;
mod customers;
mod date;
mod demo;
mod due;
mod edit;
mod eval;
mod export;
pub mod fields;
mod follow_up;
mod import;
mod import_customers;
mod import_orders;
mod import_row;
mod import_source;
mod import_till;
mod insights;
mod insights_view;
mod list;
mod log;
mod log_ask;
mod note;
mod policy_cmd;
mod prompt;
mod redeem;
mod reopen;
mod report;
mod report_chain;
mod resolve;
mod shell;
mod show;
mod simulate;
mod transfer;
pub mod views;

use crate::cli::{Cli, Command, Lazy};
use crate::context::Context;
use crate::error::{Error, Result};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let mut ctx = Context::new(&cli.global)?;
    ctx.reads_only = reads_only(&cli.command);
    ctx.all_shops = matches!(&cli.command, Command::Report(Lazy(args)) if args.all_shops);
    if reads_the_clock(&cli.command) {
        ctx.settle_zone()?;
    }
    let result = dispatch(cli.command, &mut ctx).and_then(|()| ctx.flush());
    match result {
        // Once a change is committed, a later failure (output to a full disk, compacting after
        // an erasure) must not look like the change failed: a retry would repeat it.
        Err(e) if ctx.committed() && !e.is_broken_pipe() && !matches!(e, Error::Attention(_)) => {
            Err(Error::AfterCommit(Box::new(e)))
        }
        other => other,
    }
}

fn dispatch(command: Command, ctx: &mut Context) -> Result<()> {
    match command {
        Command::Log(Lazy(args)) => log::run(args, ctx)?,
        Command::List(Lazy(args)) => list::run(args, ctx)?,
        Command::Show(Lazy(args)) => show::run(args, ctx)?,
        Command::Edit(Lazy(args)) => edit::run(args, ctx)?,
        Command::Note(Lazy(args)) => note::run(args, ctx)?,
        Command::Eval(Lazy(args)) => eval::run(args, ctx)?,
        Command::Resolve(Lazy(args)) => resolve::run(args, ctx)?,
        Command::Ack(Lazy(args)) => ack::run(args, ctx)?,
        Command::Due(Lazy(args)) => due::run(args, ctx)?,
        Command::Done(Lazy(args)) => follow_up::done(args, ctx)?,
        Command::Skip(Lazy(args)) => follow_up::skip(args, ctx)?,
        Command::Close(Lazy(args)) => close::run(args, ctx)?,
        Command::Reopen(Lazy(args)) => reopen::run(args, ctx)?,
        Command::Calendar(Lazy(args)) => calendar::run(args, ctx)?,
        Command::Policy(args) => policy_cmd::run(args, ctx)?,
        Command::Customers(Lazy(args)) => customers::list(args, ctx)?,
        Command::Customer(args) => customer_data::run(args, ctx)?,
        Command::Report(Lazy(args)) => report::run(args, ctx)?,
        Command::Export(Lazy(args)) => export::run(args, ctx)?,
        Command::Import(Lazy(args)) => import::run(args, ctx)?,
        Command::Demo(Lazy(args)) => demo::run(args, ctx)?,
        Command::Completions(Lazy(args)) => shell::completions(args, ctx)?,
        Command::Man => shell::man(ctx)?,
        Command::Date(Lazy(args)) => date::run(args, ctx)?,
        Command::Backup(Lazy(args)) => backup::run(args, ctx)?,
        Command::Check(Lazy(args)) => check::run(args, ctx)?,
        Command::Coupons(Lazy(args)) => coupons::run(args, ctx)?,
        Command::Redeem(Lazy(args)) => redeem::run(args, ctx)?,
        Command::Db(args) => chain::db(args, ctx)?,
        Command::Shop(args) => chain::shop(args, ctx)?,
        Command::Insights(Lazy(args)) => insights::run(args, ctx)?,
        Command::Transfer(Lazy(args)) => transfer::run(args, ctx)?,
    }
    Ok(())
}

/// Commands whose days and times are the shop's, so its zone is settled first. The others
/// never read the clock (`policy simulate` reads the policy before it does; `transfer` works
/// on the databases it names, not on `--db`'s, and settles its zone from the policy).
fn reads_the_clock(command: &Command) -> bool {
    // `db` and `shop` manage the chain's server as a whole: no shop's days, and settling one
    // would open a shop's store (on a schema not yet migrated, or for a role seeing several).
    !matches!(
        command,
        Command::Policy(_)
            | Command::Completions(_)
            | Command::Man
            | Command::Backup(_)
            | Command::Check(_)
            | Command::Db(_)
            | Command::Shop(_)
            | Command::Transfer(_)
    )
}

/// Runs the follow-up catch-up migration 5 left, if still pending (`app::steps::catch_up`),
/// for a command that reads follow-ups without changing an incident.
pub(crate) fn catch_up(ctx: &mut Context) -> Result<()> {
    let policy = ctx.policy()?.clone();
    let actor = ctx.actor.clone();
    let who = crate::app::Who {
        now: ctx.clock.now(),
        actor: &actor,
    };
    crate::app::steps::catch_up(ctx.backend()?, &policy, who)
}

/// Commands that only read (or, like `customer erase`, act on what exists): pointed at a path
/// with no database they fail, so a cron job with a mistyped `--db` never reports "all clear".
fn reads_only(command: &Command) -> bool {
    matches!(
        command,
        Command::List(_)
            | Command::Show(_)
            | Command::Due(_)
            | Command::Report(_)
            | Command::Export(_)
            | Command::Calendar(_)
            | Command::Customers(_)
            | Command::Customer(_)
            | Command::Check(_)
            | Command::Eval(_)
            | Command::Backup(_)
            | Command::Coupons(_)
            | Command::Redeem(_)
            | Command::Insights(_)
    )
}
