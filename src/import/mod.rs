//! Reading an import file, whatever its table: opening it (or stdin) and checking its header
//! row (`input`), and keeping its bad rows for the message and the reject file (`rejects`).
//! Files only: the rows are checked by the commands and written by `app::import`.

pub mod input;
pub mod rejects;
