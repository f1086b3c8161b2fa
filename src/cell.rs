//! One value in a row of a listing or an export: what the store and the use cases hand over,
//! and what every output format (table, CSV, JSON) renders in its own way.

/// One value in a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Free or categorical text; guarded against formulas in CSV.
    Text(String),
    Int(i64),
    /// An exact decimal (money) written as text in JSON and as a plain number in CSV.
    Decimal(String),
    /// A moment: stored UTC text in every format but the terminal table, which shows it in the
    /// shop's local time with the zone named.
    Time(chrono::DateTime<chrono::Utc>),
    Null,
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_string())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Int(n)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Cell {
        value.map_or(Cell::Null, Into::into)
    }
}

impl Cell {
    /// The cell as display text (empty for null).
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) | Cell::Decimal(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Time(at) => crate::dates::to_stored(*at),
            Cell::Null => String::new(),
        }
    }
}
