//! The one integration-test binary: every test drives the real `makegood` binary.

mod chain;
mod chain_reads;
mod chain_report;
mod corpus;
mod currency;
mod data;
mod flow;
mod foundation;
mod fuzz;
mod hardening;
mod hardening_data;
mod hostile;
mod html;
mod ics;
mod insights;
mod payback;
mod policy;
mod report;
mod safety;
mod shell;
mod stress;
mod terminal;
mod upgrade;
mod util;
mod walks;
mod zone;
