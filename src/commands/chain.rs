//! `makegood db migrate` (and `db compact`), `makegood shop add NAME`, `makegood shop list`: the schema and the
//! shops of a chain on PostgreSQL. They need `--db postgresql://…`; a SQLite file is one shop.

use crate::app::chain::{self, Answer, NewShop};
use crate::cli::{DbAction, DbArgs, ShopAction, ShopAddArgs, ShopArgs, ShopListArgs};
use crate::context::Context;
use crate::dates::to_stored;
use crate::error::{Error, Result};
use crate::output::{self, Cell, CsvOptions};
use crate::store::postgres::schema::Migrated;

// Connection warnings go to `output::message` even with `--quiet`: they say why a password
// was not used.

pub fn db(args: DbArgs, ctx: &mut Context) -> Result<()> {
    let uri = server(ctx, "db")?;
    match args.action {
        DbAction::Migrate => {
            let answer = chain::migrate(&uri, &mut output::message)?;
            verbose(ctx, &answer);
            ctx.say(&match answer.value {
                Migrated::UpToDate(v) => {
                    format!("{}: schema already at version {v}", answer.target)
                }
                Migrated::From { from, to } => {
                    format!(
                        "{}: schema migrated from version {from} to {to}",
                        answer.target
                    )
                }
            });
        }
        DbAction::GrantShop { shop, role } => {
            verbose(
                ctx,
                &chain::grant_shop(&uri, &shop, &role, &mut output::message)?,
            );
            ctx.say(&format!("role `{role}` now works on shop `{shop}` only"));
        }
        DbAction::GrantChain { role } => {
            verbose(ctx, &chain::grant_chain(&uri, &role, &mut output::message)?);
            ctx.say(&format!("role `{role}` now reads every shop of the chain"));
        }
        DbAction::Compact => {
            let answer = chain::compact(&uri, &mut output::message)?;
            verbose(ctx, &answer);
            ctx.say(&format!(
                "{}: tables rewritten; erased customers' text is gone from the table files \
                 (the server's write-ahead log and backups keep it until they are recycled)",
                answer.target
            ));
        }
    }
    Ok(())
}

pub fn shop(args: ShopArgs, ctx: &mut Context) -> Result<()> {
    match args.action {
        ShopAction::Add(args) => add(args, ctx),
        ShopAction::List(args) => list(args, ctx),
    }
}

fn add(args: ShopAddArgs, ctx: &mut Context) -> Result<()> {
    let uri = server(ctx, "shop add")?;
    // The zone in force here (MAKEGOOD_TZ, the policy's, the machine's) unless told.
    let timezone = match args.timezone {
        Some(tz) => tz,
        None => ctx.clock.zone().name().to_string(),
    };
    let currency = match args.currency {
        Some(code) => code,
        None => ctx.currency()?.code().to_string(),
    };
    let new = NewShop {
        name: &args.name,
        now: ctx.clock.now(),
        timezone: &timezone,
        currency: &currency,
    };
    let answer = chain::add_shop(&uri, &new, &mut output::message)?;
    verbose(ctx, &answer);
    let shop = answer.value;
    ctx.say(&format!(
        "shop `{}` added ({}, amounts in {})",
        shop.name, shop.timezone, shop.currency
    ));
    Ok(())
}

fn list(args: ShopListArgs, ctx: &mut Context) -> Result<()> {
    let uri = server(ctx, "shop list")?;
    let answer = chain::shops(&uri, &mut output::message)?;
    verbose(ctx, &answer);
    let columns = ["name", "timezone", "currency", "created_at"];
    let mut sink = output::sink(
        args.format.into(),
        &columns,
        ctx.out(),
        CsvOptions::default(),
    )?;
    for shop in &answer.value {
        sink.row(&[
            Cell::Text(shop.name.clone()),
            Cell::Text(shop.timezone.clone()),
            Cell::Text(shop.currency.clone()),
            Cell::Text(to_stored(shop.created_at)),
        ])?;
    }
    sink.finish()?;
    Ok(())
}

/// The PostgreSQL URI `--db` gives, or why this command cannot run on a file.
fn server(ctx: &Context, command: &str) -> Result<String> {
    match ctx.db_path.to_str() {
        Some(db) if crate::store::postgres::is_uri(db) => Ok(db.to_string()),
        _ => Err(Error::invalid(
            "--db",
            format!(
                "`makegood {command}` works on a chain's PostgreSQL database: give --db \
                 postgresql://… (a SQLite file is one shop and needs no shops or migrations)"
            ),
        )),
    }
}

fn verbose<T>(ctx: &Context, answer: &Answer<T>) {
    if ctx.verbose {
        output::message(&format!("makegood: connected to {}", answer.target));
    }
}
