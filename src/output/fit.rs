//! Fitting output to the terminal it is read on. At a terminal a table fits its width: long
//! free text is cut with "…" first, then the least important columns are left out; paragraphs
//! wrap at word boundaries. Into a pipe or a file nothing is cut or wrapped: scripts get it all.

use std::io::IsTerminal;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use dialoguer::console::{measure_text_width, truncate_str};

use crate::dates::{Zone, to_stored};
use crate::shop_zone;

/// How narrow free text is cut before less important columns are left out, and how narrow it is
/// cut when leaving columns out is not enough.
const COMFORTABLE: usize = 24;
const MIN_FREE: usize = 12;

/// Columns whose text may be cut: free text typed by people, long by nature.
const FREE: &[&str] = &[
    "summary",
    "description",
    "note",
    "what",
    "why",
    "how",
    "action",
    "product",
    "customer",
    "name",
    "email",
    "rule",
    "step",
];

/// Columns left out when cutting is not enough, least important first. Ids, dates, states and
/// the text that says what happened stay longest.
const DROP_ORDER: &[&str] = &[
    "currency",
    "credit_instead",
    "rule",
    "how",
    "channel",
    "phone",
    "first_seen",
    "product",
    "open_incidents",
    "csat",
    "who",
    "order_value",
    "value",
    "severity",
    "opened_at",
    "email",
    "category",
    // The due list's: `when` says the day in words, and the action says what kind of row it is.
    "due",
    "kind",
];

/// The width to fit: the terminal's when stdout is one (`COLUMNS` wins, as shells set it), none
/// when output goes to a pipe or a file.
pub fn width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0);
    let measured = dialoguer::console::Term::stdout()
        .size_checked()
        .map(|(_, cols)| usize::from(cols));
    Some(columns.or(measured).unwrap_or(80).max(40))
}

/// The shop's zone, once the command has settled it; times are shown on its clocks.
static SHOP_ZONE: OnceLock<Zone> = OnceLock::new();

/// Shows times from now on in the shop's `zone` (settled once per run; a second call with
/// the same zone changes nothing).
pub fn show_times_in(zone: Zone) {
    let _ = SHOP_ZONE.set(zone);
}

/// A moment as the person at a terminal reads it: the shop's local time with its zone named
/// (`2026-11-23 14:05 Berlin`). Into a pipe or a file it stays the stored UTC form, a contract.
pub fn time(at: DateTime<Utc>) -> String {
    if width().is_none() {
        return to_stored(at);
    }
    let zone = SHOP_ZONE.get().copied().unwrap_or_else(shop_zone::machine);
    format!(
        "{} {}",
        at.with_timezone(&zone).format("%Y-%m-%d %H:%M"),
        zone_name(zone)
    )
}

/// A zone's name, short: its city (`Europe/Berlin` is `Berlin`, `America/Los_Angeles` is
/// `Los Angeles`).
fn zone_name(zone: Zone) -> String {
    let name = zone.name();
    name.rsplit('/').next().unwrap_or(name).replace('_', " ")
}

/// The display width of `text` on a terminal.
pub fn text_width(text: &str) -> usize {
    measure_text_width(text)
}

/// How wide a quiet table is with these column widths: one space of padding each side and a
/// one-space border between columns.
fn table_width(widths: &[usize]) -> usize {
    widths.iter().sum::<usize>() + (3 * widths.len()).saturating_sub(1)
}

/// Decides which columns to keep and how wide each may be so the table fits `limit`. `natural`
/// is each column's widest cell (header included). Returns, per column, `None` (left out) or
/// its width.
pub fn plan(columns: &[&str], natural: &[usize], limit: usize) -> Vec<Option<usize>> {
    let mut last = Vec::new();
    for min in [COMFORTABLE, MIN_FREE] {
        let mut kept: Vec<bool> = vec![true; columns.len()];
        loop {
            let mut widths: Vec<usize> = natural.to_vec();
            let fits = shrink(columns, &kept, &mut widths, limit, min);
            last = widths
                .into_iter()
                .zip(&kept)
                .map(|(w, k)| k.then_some(w))
                .collect();
            if fits {
                return last;
            }
            let dropped = DROP_ORDER.iter().find_map(|name| {
                columns
                    .iter()
                    .position(|c| c == name)
                    .filter(|&i| kept[i] && kept.iter().filter(|k| **k).count() > 1)
            });
            match dropped {
                Some(i) => kept[i] = false,
                None => break,
            }
        }
    }
    last
}

/// Cuts the widest free-text column a character at a time until the kept columns fit or every
/// free column is down to `min`. Returns whether they fit.
fn shrink(columns: &[&str], kept: &[bool], widths: &mut [usize], limit: usize, min: usize) -> bool {
    loop {
        let used: Vec<usize> = (0..widths.len())
            .filter(|&i| kept[i])
            .map(|i| widths[i])
            .collect();
        if table_width(&used) <= limit {
            return true;
        }
        let widest = (0..widths.len())
            .filter(|&i| kept[i] && FREE.contains(&columns[i]) && widths[i] > min)
            .max_by_key(|&i| widths[i]);
        match widest {
            Some(i) => widths[i] -= 1,
            None => return false,
        }
    }
}

/// `text` cut to `width` with "…" when longer.
pub fn cut(text: &str, width: usize) -> String {
    truncate_str(text, width, "…").into_owned()
}

/// Wraps `text` at word boundaries to `width`, keeping its own line breaks; each line after the
/// first is indented by `indent` spaces. A word longer than a line gets a line of its own.
pub fn wrap(text: &str, width: usize, indent: usize) -> String {
    let width = width.max(indent + 10);
    let mut lines: Vec<String> = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let room = width - if lines.is_empty() { 0 } else { indent };
            let needed = text_width(&line) + usize::from(!line.is_empty()) + text_width(word);
            if !line.is_empty() && needed > room {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    let pad = " ".repeat(indent);
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                l.clone()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &[&str] = &[
        "id",
        "opened_at",
        "customer",
        "category",
        "severity",
        "status",
        "order_value",
        "currency",
        "product",
        "summary",
    ];

    fn fitted(natural: &[usize], limit: usize) -> usize {
        let plan = plan(LIST, natural, limit);
        let widths: Vec<usize> = plan.into_iter().flatten().collect();
        table_width(&widths)
    }

    #[test]
    fn a_wide_table_fits_by_cutting_text_then_leaving_out_columns() {
        let natural = [2, 20, 7, 9, 8, 6, 11, 8, 10, 120];
        for limit in [80, 100, 120, 160] {
            assert!(fitted(&natural, limit) <= limit, "{limit}");
        }
        let plan = plan(LIST, &natural, 80);
        let name = |i: usize| LIST[i];
        let kept: Vec<&str> = (0..LIST.len())
            .filter(|&i| plan[i].is_some())
            .map(name)
            .collect();
        assert!(kept.contains(&"id") && kept.contains(&"summary") && kept.contains(&"status"));
        assert!(
            !kept.contains(&"currency"),
            "the least important goes first: {kept:?}"
        );
    }

    #[test]
    fn a_table_that_fits_is_left_alone() {
        let natural = [2, 20, 7, 9, 8, 6, 11, 8, 10, 14];
        let plan = plan(LIST, &natural, 200);
        assert_eq!(plan, natural.iter().map(|&w| Some(w)).collect::<Vec<_>>());
    }

    #[test]
    fn paragraphs_wrap_at_words_and_keep_their_breaks() {
        let text = "Dear Ann, we are sorry the bouquet went astray.\nThank you";
        let wrapped = wrap(text, 20, 2);
        assert_eq!(
            wrapped,
            "Dear Ann, we are\n  sorry the bouquet\n  went astray.\n  Thank you"
        );
        assert!(wrapped.lines().all(|l| text_width(l) <= 20));
    }

    #[test]
    fn cutting_marks_the_cut() {
        assert_eq!(cut("Mother's Day bouquet", 8), "Mother'…");
        assert_eq!(cut("short", 8), "short");
    }
}
