//! The one integration-test binary: every test drives the real `makegood` binary.

mod data;
mod flow;
mod foundation;
mod fuzz;
mod hardening;
mod hostile;
mod html;
mod policy;
mod report;
mod safety;
mod shell;
mod stress;
mod terminal;
mod util;
