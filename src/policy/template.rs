//! Note templates: `{name}` placeholders filled from the incident, `{{` and `}}` for braces.
//!
//! Templates are checked when the policy is parsed, so filling one never fails: an unknown name
//! is a parse error pointing at its line and column, not a blank in a customer's letter.

/// The placeholders a template may use.
pub const PLACEHOLDERS: &[&str] = &[
    "customer",
    "summary",
    "product",
    "remedy",
    "extras",
    "gestures",
    "shop",
    "incident",
    "order_value",
    "category",
];

/// A problem in a template: its byte offset within the template and what to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateProblem {
    pub offset: usize,
    /// The text to look for in the raw file to place the error precisely.
    pub needle: String,
    pub message: String,
}

enum Piece<'a> {
    Text(&'a str),
    Name(&'a str, usize),
}

/// Splits a template into text and placeholder names; `Err` on a brace that does not close.
fn pieces(template: &str) -> Result<Vec<Piece<'_>>, TemplateProblem> {
    let mut out = Vec::new();
    let mut rest = template;
    let mut base = 0;
    while let Some(i) = rest.find(['{', '}']) {
        out.push(Piece::Text(&rest[..i]));
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push(Piece::Text(&tail[..1]));
            rest = &tail[2..];
            base += i + 2;
            continue;
        }
        let close = tail.find('}').filter(|_| tail.starts_with('{'));
        let Some(close) = close else {
            return Err(TemplateProblem {
                offset: base + i,
                needle: tail.chars().take(12).collect(),
                message: "unmatched brace in template; write `{{` or `}}` for a literal brace"
                    .to_string(),
            });
        };
        out.push(Piece::Name(&tail[1..close], base + i));
        rest = &tail[close + 1..];
        base += i + close + 1;
    }
    out.push(Piece::Text(rest));
    Ok(out)
}

/// Every problem in a template (an empty list means it is fine).
pub fn check(template: &str) -> Vec<TemplateProblem> {
    match pieces(template) {
        Err(p) => vec![p],
        Ok(pieces) => pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Name(name, offset) if !PLACEHOLDERS.contains(name) => {
                    Some(TemplateProblem {
                        offset: *offset,
                        needle: format!("{{{name}}}"),
                        message: format!(
                            "unknown placeholder `{{{name}}}`; use one of: {}",
                            PLACEHOLDERS
                                .iter()
                                .map(|p| format!("{{{p}}}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    })
                }
                _ => None,
            })
            .collect(),
    }
}

/// Fills a checked template. Unknown names (impossible after `check`) are left as written.
pub fn fill(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    match pieces(template) {
        Err(_) => template.to_string(),
        Ok(pieces) => pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => (*t).to_string(),
                Piece::Name(name, _) => value(name).unwrap_or_else(|| format!("{{{name}}}")),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_placeholders_and_escapes() {
        let out = fill("Dear {customer}, {{sorry}} about {product}.", |n| match n {
            "customer" => Some("Ana".into()),
            "product" => Some("rose-serum".into()),
            _ => None,
        });
        assert_eq!(out, "Dear Ana, {sorry} about rose-serum.");
    }

    #[test]
    fn reports_unknown_names_and_unmatched_braces() {
        let problems = check("Hi {custmer} and {shop}");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].offset, 3);
        assert!(
            problems[0]
                .message
                .starts_with("unknown placeholder `{custmer}`")
        );
        assert_eq!(check("Hi {customer")[0].offset, 3);
        assert_eq!(check("a } b")[0].offset, 2);
        assert!(check("{{}} {incident}").is_empty());
    }
}
