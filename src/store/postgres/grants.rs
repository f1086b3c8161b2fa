//! Giving a PostgreSQL role a shop (`db grant-shop`) or the whole chain to read
//! (`db grant-chain`). The privileges let the role in; the row-level security of schema
//! migration 2 keeps it to its rows. A role that bypasses row-level security (a superuser, or
//! one with BYPASSRLS) is refused: it would see every shop whatever this says.

use postgres::Client;

use super::schema::server_error;
use crate::error::{Error, Result};

/// The tables a shop's rows live in.
const SHOP_TABLES: &str =
    "customers, incidents, remedies, follow_ups, events, coupons, orders, budget_months";

/// Lets `role` read and write the shop named `shop`, and nothing of any other.
pub fn grant_shop(client: &mut Client, target: &str, shop: &str, role: &str) -> Result<()> {
    let sql = |e: postgres::Error| server_error(target, &e);
    let mut tx = client.transaction().map_err(sql)?;
    let shop_id: i64 = tx
        .query_opt("SELECT id FROM shops WHERE name = $1", &[&shop])
        .map_err(sql)?
        .ok_or_else(|| Error::not_found("shop", shop))?
        .get(0);
    check_role(&mut tx, target, role)?;
    match shop_of(&mut tx, target, role)? {
        Some(name) if name == shop => {}
        Some(name) => {
            return Err(Error::Conflict(format!(
                "role `{role}` is already the terminal of shop `{name}`; a role serves one shop \
                 (create another role for `{shop}`)"
            )));
        }
        None => {
            if is_chain_reader(&mut tx, target, role)? {
                return Err(Error::Conflict(format!(
                    "role `{role}` reads the whole chain; give the shop's terminal a role of \
                     its own"
                )));
            }
            tx.execute(
                "INSERT INTO shop_roles (role, shop_id) VALUES ($1, $2)",
                &[&role, &shop_id],
            )
            .map_err(sql)?;
        }
    }
    let who = quote_ident(role);
    let connect = connect_grant(&mut tx, target, &who)?;
    tx.batch_execute(&format!(
        "{connect}
         GRANT SELECT, INSERT, UPDATE, DELETE ON {SHOP_TABLES} TO {who};
         GRANT SELECT, UPDATE (last_incident, last_customer, last_follow_up) ON shops TO {who};
         GRANT SELECT ON makegood_schema TO {who};
         GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {who};"
    ))
    .map_err(sql)?;
    tx.commit().map_err(sql)
}

/// Lets `role` read every shop of the chain, and change nothing.
pub fn grant_chain(client: &mut Client, target: &str, role: &str) -> Result<()> {
    let sql = |e: postgres::Error| server_error(target, &e);
    let mut tx = client.transaction().map_err(sql)?;
    check_role(&mut tx, target, role)?;
    if let Some(shop) = shop_of(&mut tx, target, role)? {
        return Err(Error::Conflict(format!(
            "role `{role}` is the terminal of shop `{shop}`; give the chain's reader a role of \
             its own"
        )));
    }
    tx.execute(
        "INSERT INTO chain_roles (role) VALUES ($1) ON CONFLICT DO NOTHING",
        &[&role],
    )
    .map_err(sql)?;
    let who = quote_ident(role);
    let connect = connect_grant(&mut tx, target, &who)?;
    tx.batch_execute(&format!(
        "{connect}
         GRANT SELECT ON {SHOP_TABLES}, shops, makegood_schema TO {who};"
    ))
    .map_err(sql)?;
    tx.commit().map_err(sql)
}

/// The role exists and row-level security applies to it.
fn check_role(tx: &mut postgres::Transaction<'_>, target: &str, role: &str) -> Result<()> {
    let row = tx
        .query_opt(
            "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = $1",
            &[&role],
        )
        .map_err(|e| server_error(target, &e))?
        .ok_or_else(|| Error::NotFoundHint {
            what: "role",
            id: role.to_string(),
            hint: format!("create it first: CREATE ROLE \"{role}\" LOGIN"),
        })?;
    let bypasses: bool = row.get(0);
    if bypasses {
        return Err(Error::Conflict(format!(
            "role `{role}` is a superuser or bypasses row-level security: it would see every \
             shop; give the terminal an ordinary role"
        )));
    }
    Ok(())
}

/// The shop whose terminal `role` is, by name.
fn shop_of(tx: &mut postgres::Transaction<'_>, target: &str, role: &str) -> Result<Option<String>> {
    Ok(tx
        .query_opt(
            "SELECT s.name FROM shop_roles r JOIN shops s ON s.id = r.shop_id WHERE r.role = $1",
            &[&role],
        )
        .map_err(|e| server_error(target, &e))?
        .map(|row| row.get(0)))
}

fn is_chain_reader(tx: &mut postgres::Transaction<'_>, target: &str, role: &str) -> Result<bool> {
    Ok(tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM chain_roles WHERE role = $1)",
            &[&role],
        )
        .map_err(|e| server_error(target, &e))?
        .get(0))
}

/// `GRANT CONNECT` on this database and `USAGE` on its schema.
fn connect_grant(tx: &mut postgres::Transaction<'_>, target: &str, who: &str) -> Result<String> {
    let database: String = tx
        .query_one("SELECT current_database()", &[])
        .map_err(|e| server_error(target, &e))?
        .get(0);
    Ok(format!(
        "GRANT CONNECT ON DATABASE {} TO {who}; GRANT USAGE ON SCHEMA public TO {who};",
        quote_ident(&database)
    ))
}

/// A name as an SQL identifier, whatever it holds.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::quote_ident;

    #[test]
    fn identifiers_are_quoted_whatever_they_hold() {
        assert_eq!(quote_ident("north_till"), "\"north_till\"");
        assert_eq!(
            quote_ident("x\"; DROP TABLE shops; --"),
            "\"x\"\"; DROP TABLE shops; --\""
        );
    }
}
