//! The two things a prompt does with the keyboard: read a line, and pick from a list by arrows or
//! by typing. Both read the terminal in raw mode key by key, so an answer ends only at Enter and
//! nothing typed is left over for the shell; Ctrl-C comes back as `Stop` (never a silent exit),
//! so the caller can say what was saved. Everything is drawn on stderr: stdout stays data.

use dialoguer::console::{Key, Term, measure_text_width, truncate_str};

/// How a prompt ended other than with an answer.
#[derive(Debug)]
pub enum Stop {
    /// Ctrl-C.
    Interrupted,
    /// The terminal failed (closed, not a terminal after all).
    Io(std::io::Error),
}

impl From<std::io::Error> for Stop {
    fn from(e: std::io::Error) -> Stop {
        Stop::Io(e)
    }
}

/// The terminal prompts are drawn on.
pub fn term() -> Term {
    Term::stderr()
}

/// While alive, the terminal sends Ctrl-C as a key instead of a signal and does not echo keys
/// typed ahead of the next read (the prompt echoes them itself). Made before a prompt is drawn,
/// so there is no moment at which Ctrl-C would kill the process without a word.
#[derive(Debug)]
pub struct KeysMode {
    #[cfg(unix)]
    original: Option<rustix::termios::Termios>,
}

impl KeysMode {
    pub fn start() -> KeysMode {
        #[cfg(unix)]
        {
            use rustix::termios::{LocalModes, OptionalActions, tcgetattr, tcsetattr};
            let stdin = std::io::stdin();
            let original = tcgetattr(&stdin).ok();
            if let Some(original) = &original {
                let mut keys = original.clone();
                keys.local_modes
                    .remove(LocalModes::ISIG | LocalModes::ICANON | LocalModes::ECHO);
                let _ = tcsetattr(&stdin, OptionalActions::Now, &keys);
            }
            KeysMode { original }
        }
        #[cfg(not(unix))]
        KeysMode {}
    }
}

impl Drop for KeysMode {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(original) = &self.original {
            let stdin = std::io::stdin();
            let _ =
                rustix::termios::tcsetattr(&stdin, rustix::termios::OptionalActions::Now, original);
        }
    }
}

/// Reads one line after `label`. Backspace and Ctrl-U edit it; Enter ends it.
pub fn line(term: &Term, label: &str) -> Result<String, Stop> {
    let _keys = KeysMode::start();
    term.write_str(&format!("{label}: "))?;
    term.flush()?;
    let mut text = String::new();
    loop {
        match term.read_key_raw()? {
            Key::Enter => {
                term.write_line("")?;
                return Ok(text);
            }
            Key::CtrlC => {
                term.write_line("")?;
                return Err(Stop::Interrupted);
            }
            Key::Backspace => {
                if let Some(gone) = text.pop() {
                    term.clear_chars(measure_text_width(&gone.to_string()).max(1))?;
                }
            }
            Key::Char('\u{15}') => {
                term.clear_chars(measure_text_width(&text))?;
                text.clear();
            }
            Key::Char(c) if !c.is_control() => {
                text.push(c);
                term.write_str(&c.to_string())?;
            }
            _ => {}
        }
        term.flush()?;
    }
}

/// One entry of a list: what is chosen, and what it means.
#[derive(Debug, Clone)]
pub struct Choice {
    pub name: String,
    pub description: String,
    /// Shown whatever is typed (`+ new customer` stays offered while a name is typed).
    pub always: bool,
}

/// Lets the person pick one of `choices` (not empty), starting at `start`: arrows move, typed
/// letters filter by name or description, Enter chooses. Returns the index into `choices`.
pub fn pick(term: &Term, label: &str, choices: &[Choice], start: usize) -> Result<usize, Stop> {
    let _keys = KeysMode::start();
    let mut filter = String::new();
    let mut selected = start.min(choices.len().saturating_sub(1));
    let mut drawn = 0;
    loop {
        let shown = matching(choices, &filter);
        selected = selected.min(shown.len().saturating_sub(1));
        term.clear_last_lines(drawn)?;
        drawn = draw(term, label, choices, &shown, selected, &filter)?;
        match term.read_key_raw()? {
            Key::Enter => {
                if let Some(&index) = shown.get(selected) {
                    term.clear_last_lines(drawn)?;
                    term.write_line(&format!("{label}: {}", choices[index].name))?;
                    return Ok(index);
                }
            }
            Key::CtrlC => {
                term.clear_last_lines(drawn)?;
                return Err(Stop::Interrupted);
            }
            Key::ArrowDown | Key::Tab if !shown.is_empty() => {
                selected = (selected + 1) % shown.len();
            }
            Key::ArrowUp | Key::BackTab if !shown.is_empty() => {
                selected = (selected + shown.len() - 1) % shown.len();
            }
            Key::Backspace => {
                filter.pop();
                selected = 0;
            }
            Key::Char(c) if !c.is_control() => {
                filter.push(c);
                selected = 0;
            }
            _ => {}
        }
    }
}

/// The indexes of the choices whose name or description contains `filter` (any case).
fn matching(choices: &[Choice], filter: &str) -> Vec<usize> {
    let filter = filter.to_lowercase();
    (0..choices.len())
        .filter(|&i| {
            let choice = &choices[i];
            choice.always
                || choice.name.to_lowercase().contains(&filter)
                || choice.description.to_lowercase().contains(&filter)
        })
        .collect()
}

/// Draws the list, each line cut to the terminal's width; returns how many lines it took.
fn draw(
    term: &Term,
    label: &str,
    choices: &[Choice],
    shown: &[usize],
    selected: usize,
    filter: &str,
) -> std::io::Result<usize> {
    let width = usize::from(term.size().1).max(20) - 1;
    let name_width = choices
        .iter()
        .map(|c| measure_text_width(&c.name))
        .max()
        .unwrap_or(0);
    let hint = if filter.is_empty() {
        "↑/↓ to move, type to filter, Enter to choose".to_string()
    } else {
        format!("filter: {filter}▏ (Backspace to widen)")
    };
    term.write_line(&truncate_str(&format!("{label} ({hint})"), width, "…"))?;
    // A long list (customers) shows a window that follows the selection.
    let rows = usize::from(term.size().0).saturating_sub(4).clamp(3, 12);
    let first = selected.saturating_sub(rows - 1);
    for (row, &index) in shown.iter().enumerate().skip(first).take(rows) {
        let choice = &choices[index];
        let marker = if row == selected { ">" } else { " " };
        let pad = name_width.saturating_sub(measure_text_width(&choice.name));
        let text = format!(
            "{marker} {}{} {}",
            choice.name,
            " ".repeat(pad),
            choice.description
        );
        term.write_line(&truncate_str(text.trim_end(), width, "…"))?;
    }
    let drawn = shown.len().min(rows) + 1;
    if shown.is_empty() {
        term.write_line("  (nothing matches; Backspace to widen)")?;
        return Ok(drawn + 1);
    }
    if shown.len() > rows {
        term.write_line(&format!("  ({} in all; type to narrow)", shown.len()))?;
        return Ok(drawn + 1);
    }
    Ok(drawn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choices() -> Vec<Choice> {
        [
            ("late", "arrived after the promised day"),
            ("defective", "broke or failed"),
        ]
        .into_iter()
        .map(|(name, description)| Choice {
            name: name.into(),
            description: description.into(),
            always: false,
        })
        .collect()
    }

    #[test]
    fn a_filter_matches_names_and_descriptions_in_any_case() {
        assert_eq!(matching(&choices(), ""), vec![0, 1]);
        assert_eq!(matching(&choices(), "DEF"), vec![1]);
        assert_eq!(matching(&choices(), "promised"), vec![0]);
        assert!(matching(&choices(), "xyz").is_empty());
    }

    #[test]
    fn a_choice_offered_always_stays_whatever_is_typed() {
        let mut list = choices();
        list[0].always = true;
        assert_eq!(matching(&list, "DEF"), vec![0, 1]);
        assert_eq!(matching(&list, "xyz"), vec![0]);
    }
}
