//! `makegood customer ID`, `customer export ID` (right of access) and `customer erase ID`
//! (right to erasure); `customer edit ID` is its own module.

use serde_json::{Map, Value, json};

use crate::app::{self, Who};
use crate::cli::{CustomerAction, CustomerArgs};
use crate::commands::{customer_edit, customer_order, customers};
use crate::context::Context;
use crate::dates::to_stored;
use crate::error::{Error, Result};
use crate::model::Customer;
use crate::money::{Currency, Money};

pub fn run(args: CustomerArgs, ctx: &mut Context) -> Result<()> {
    match (args.action, args.id) {
        (Some(CustomerAction::Export(export)), _) => {
            self::export(&export.id, export.output.as_deref(), ctx)
        }
        (Some(CustomerAction::Erase(erase)), _) => self::erase(&erase.id, erase.yes, ctx),
        (Some(CustomerAction::Edit(edit)), _) => customer_edit::run(edit, ctx),
        (Some(CustomerAction::Order(order)), _) => customer_order::run(order, ctx),
        (None, Some(id)) => customers::show(&id, args.format, ctx),
        (None, None) => Err(Error::Missing {
            flag: "ID".into(),
            hint: "give the customer's number or email, or `export ID` / `erase ID` / `edit ID`"
                .into(),
        }),
    }
}

fn export(id: &str, output: Option<&std::path::Path>, ctx: &mut Context) -> Result<()> {
    let protected = crate::output::Protected::database(&ctx.db_path);
    let target = output
        .map(|path| crate::output::Target::check(path, "--output", &protected))
        .transpose()?;
    let currency = ctx.currency()?;
    let (store, out) = ctx.backend_and_out()?;
    let data = app::privacy::customer_data(store, id)?;
    let mut customer_row = data.customer;
    decimal(&mut customer_row, "lifetime_spend", Some(currency));
    let incidents: Vec<Value> = data
        .incidents
        .into_iter()
        .map(|mut incident| {
            let own = row_currency(&incident);
            for key in ["order_value", "overcharged", "costs"] {
                decimal(&mut incident, key, own);
            }
            if let Some(Value::Array(coupons)) = incident.get_mut("coupons") {
                for coupon in coupons.iter_mut().filter_map(Value::as_object_mut) {
                    decimal(coupon, "order_value", own);
                }
            }
            if let Some(Value::Array(remedies)) = incident.get_mut("remedies") {
                for remedy in remedies.iter_mut().filter_map(Value::as_object_mut) {
                    let own = row_currency(remedy);
                    decimal(remedy, "value", own);
                }
            }
            Value::Object(incident)
        })
        .collect();
    let orders: Vec<Value> = data
        .orders
        .into_iter()
        .map(|mut order| {
            let own = row_currency(&order);
            decimal(&mut order, "value", own);
            Value::Object(order)
        })
        .collect();
    let value = json!({
        "customer": customer_row,
        "incidents": incidents,
        "orders": orders,
    });
    let write =
        |out: &mut dyn std::io::Write| Ok(crate::output::sanitize::write_json(out, &value)?);
    match &target {
        // A file holding one person's data: owner-only from its first byte, whatever the umask.
        Some(target) => crate::output::write_atomically(target, write),
        None => write(out),
    }
}

fn row_currency(row: &Map<String, Value>) -> Option<Currency> {
    row.get("currency")
        .and_then(Value::as_str)
        .and_then(Currency::from_code)
}

/// Money in JSON is an exact decimal string, never minor units or a float.
fn decimal(row: &mut Map<String, Value>, key: &str, currency: Option<Currency>) {
    let (Some(currency), Some(minor)) = (currency, row.get(key).and_then(Value::as_i64)) else {
        return;
    };
    row.insert(key.into(), Value::from(currency.format(Money(minor))));
}

fn erase(id: &str, yes: bool, ctx: &mut Context) -> Result<()> {
    let customer: Customer = app::privacy::find(ctx.backend()?, id)?;
    if customer.erased {
        return Err(Error::Conflict(format!(
            "customer #{} was already erased",
            customer.id
        )));
    }
    if !yes {
        if !ctx.interactive {
            return Err(Error::Missing {
                flag: "--yes".into(),
                hint: "erasing cannot be undone; add --yes to confirm when not at a terminal"
                    .into(),
            });
        }
        let question = format!(
            "Erase customer #{} ({}) for good? This cannot be undone; their incidents stay \
             for statistics without their text",
            customer.id,
            crate::output::sanitize::line(&customer.name)
        );
        let accepted = [format!("#{}", customer.id), customer.name.clone()];
        let confirmed = crate::commands::prompt::confirm_typed(&question, &accepted)?;
        if !confirmed {
            ctx.say("nothing erased");
            return Ok(());
        }
    }
    let now = ctx.clock.now();
    let actor = ctx.actor.clone();
    let who = Who { now, actor: &actor };
    let erasure = app::privacy::erase(ctx.backend()?, who, customer.id)?;
    let incidents = erasure.incidents;
    if !erasure.clean && ctx.on_server() {
        ctx.say(
            "makegood: warning: the old text is still in the server's table files: this role \
             does not own the tables (or another terminal held one); the chain's owner removes \
             it with `makegood db compact`",
        );
    } else if !erasure.clean {
        ctx.say(
            "makegood: warning: another process is reading the database, so its write-ahead log \
             could not be emptied yet; it is overwritten when that process finishes",
        );
    }
    ctx.say(&format!(
        "erased customer #{} at {}; {incidents} incident(s) kept for statistics without their text",
        customer.id,
        to_stored(now)
    ));
    if ctx.on_server() {
        ctx.say(SERVER_COPIES);
    }
    ctx.say(&copies_note(&ctx.db_path));
    Ok(())
}

/// What may still hold the customer on a chain's server: makegood keeps no ledger of the
/// terminals' files there, and the server's log and backups are beyond its reach.
const SERVER_COPIES: &str = "the server's write-ahead log keeps the old text until its \
     segments are recycled after checkpoints, and backups (pg_dump files, base backups, archived \
     WAL) keep it as long as they are kept: the chain's owner rotates them (README, erasure on a \
     chain); exports and reports written on other terminals may hold it too";

/// Which files makegood wrote before the erasure that may still hold the customer.
fn copies_note(db: &std::path::Path) -> String {
    let files = crate::output::ledger::existing(db);
    let elsewhere = "copies made elsewhere (exports to stdout, files copied by hand) may too";
    if files.is_empty() {
        return format!("makegood wrote no backup or export that still exists; {elsewhere}");
    }
    let mut text = String::from(
        "these files makegood wrote earlier may still hold the customer; replace or delete them:",
    );
    for (at, file) in files {
        text.push_str(&format!("\n  {} (written {at})", file.display()));
    }
    text.push_str(&format!("\n{elsewhere}"));
    text
}
