//! The shop's time zone, settled once per command at the edge: `MAKEGOOD_TZ` when set, else (on
//! a chain's database) the shop's own, else the policy's `timezone`, else the machine's (`TZ`,
//! then the system's setting), else UTC.
//!
//! The variable wins over the policy as every `MAKEGOOD_*` variable wins over a file: it is the
//! way to look at one shop's data from another zone, or to pin a test, without editing the
//! policy. Pure code never asks for a zone; it gets this one in the clock and in the policy's
//! calendar.

use std::ffi::OsStr;

use crate::dates::{UTC, Zone, parse_zone};
use crate::error::{Error, Result};

/// Environment variable naming the shop's time zone (`Europe/Berlin`).
pub const TZ_ENV: &str = "MAKEGOOD_TZ";

/// The zone set by `MAKEGOOD_TZ`, if it is set and not empty.
pub fn from_env() -> Result<Option<Zone>> {
    let Some(value) = std::env::var_os(TZ_ENV).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let name = value.to_str().ok_or_else(|| {
        Error::invalid(
            TZ_ENV,
            "is not UTF-8; write an IANA name like `Europe/Berlin`",
        )
    })?;
    parse_zone(name)
        .map(Some)
        .map_err(|e| Error::invalid(TZ_ENV, e))
}

/// The zone in force: `MAKEGOOD_TZ`, else the policy's (`declared`), else the machine's.
pub fn settle(declared: Option<Zone>) -> Result<Zone> {
    Ok(from_env()?.or(declared).unwrap_or_else(machine))
}

/// The machine's zone by its IANA name: `TZ` (`Europe/Berlin`, `:Europe/Berlin`, or a path into
/// a zoneinfo folder), else the system's setting. A zone known only by a rule (`CET-1CEST`) or
/// not at all reads as UTC, so a run never depends on what the C library would guess.
pub fn machine() -> Zone {
    std::env::var_os("TZ")
        .and_then(|tz| named(&tz))
        .or_else(|| {
            iana_time_zone::get_timezone()
                .ok()
                .and_then(|n| name_to_zone(&n))
        })
        .unwrap_or(UTC)
}

fn named(tz: &OsStr) -> Option<Zone> {
    name_to_zone(tz.to_str()?)
}

fn name_to_zone(text: &str) -> Option<Zone> {
    let name = text.trim_start_matches(':');
    let name = name.split_once("zoneinfo/").map_or(name, |(_, rest)| rest);
    parse_zone(name).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tz_values_name_a_zone_or_nothing() {
        let berlin = parse_zone("Europe/Berlin").ok();
        assert_eq!(name_to_zone("Europe/Berlin"), berlin);
        assert_eq!(name_to_zone(":Europe/Berlin"), berlin);
        assert_eq!(name_to_zone("/usr/share/zoneinfo/Europe/Berlin"), berlin);
        assert_eq!(name_to_zone("CET-1CEST"), None);
        assert_eq!(name_to_zone(""), None);
    }
}
