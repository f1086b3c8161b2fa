//! The customer's words in the owner's mouth. A summary is often typed as the customer said it
//! ("my scalp burned", "you charged me twice"); pasted into the owner's apology that reads as if
//! the owner's scalp burned. When a summary speaks as "I", its pronouns are turned around for the
//! note: I → you, my → your, and the shop's "you" → we. A summary with no "I", "me" or "my" is
//! the owner's own wording and is left exactly as typed.

/// Words that mark the customer speaking in the first person singular.
const FIRST_PERSON: &[&str] = &[
    "i", "i'm", "i've", "i'd", "i'll", "me", "my", "mine", "myself",
];

/// Words after which the shop's "you" is an object ("told you" → "told us").
const BEFORE_OBJECT: &[&str] = &[
    "to", "for", "with", "at", "from", "by", "about", "told", "asked", "called", "emailed",
    "phoned", "paid", "gave", "showed", "sent", "than", "and",
];

/// The summary as the owner says it to the customer.
pub(crate) fn owner_voice(summary: &str) -> String {
    let words: Vec<&str> = summary.split(' ').collect();
    let speaks_as_i = words
        .iter()
        .any(|w| FIRST_PERSON.contains(&bare(w).to_lowercase().as_str()));
    if !speaks_as_i {
        return summary.to_string();
    }
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    for (i, word) in words.iter().enumerate() {
        let core = bare(word);
        let previous = i
            .checked_sub(1)
            .map(|p| bare(words[p]).to_lowercase())
            .unwrap_or_default();
        let next = words.get(i + 1).map(|n| bare(n).to_lowercase());
        let swapped = swap(&core.to_lowercase(), &previous, next.as_deref());
        out.push(match swapped {
            Some(new) => word.replacen(core, &same_case(core, new), 1),
            None => (*word).to_string(),
        });
    }
    out.join(" ")
}

/// The word without the punctuation around it.
fn bare(word: &str) -> &str {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
}

fn swap(word: &str, previous: &str, next: Option<&str>) -> Option<&'static str> {
    Some(match (word, next) {
        ("was", _) if previous == "i" => "were",
        ("am", _) if previous == "i" => "are",
        ("i" | "we", _) => "you",
        ("i'm", _) => "you're",
        ("i've", _) => "you've",
        ("i'd", _) => "you'd",
        ("i'll", _) => "you'll",
        ("me" | "us", _) => "you",
        ("my" | "our", _) => "your",
        ("mine" | "ours", _) => "yours",
        ("myself", _) => "yourself",
        ("you", _) if BEFORE_OBJECT.contains(&previous) || next.is_none() => "us",
        ("you", _) => "we",
        ("your", _) => "our",
        ("yours", _) => "ours",
        ("you're", _) => "we're",
        ("you've", _) => "we've",
        _ => return None,
    })
}

/// `new` with the capital of `old`: "My" → "Your", "my" → "your". "I" (and "I'm") is always a
/// capital, so it says nothing about the sentence: "you" stays lowercase.
fn same_case(old: &str, new: &str) -> String {
    let always_capital = old == "I" || old.starts_with("I'");
    let capital = !always_capital && old.chars().next().is_some_and(char::is_uppercase);
    let mut chars = new.chars();
    match chars.next() {
        Some(c) if capital => c.to_uppercase().chain(chars).collect(),
        _ => new.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::owner_voice;

    #[test]
    fn a_summary_in_the_customers_words_is_turned_around() {
        for (said, wrote) in [
            ("the bleach burned my scalp", "the bleach burned your scalp"),
            ("I was charged twice", "you were charged twice"),
            (
                "you charged me for a battery you did not fit",
                "we charged you for a battery we did not fit",
            ),
            (
                "My face went red after the oil.",
                "Your face went red after the oil.",
            ),
            (
                "the man at the till was rude to my daughter",
                "the man at the till was rude to your daughter",
            ),
            (
                "the front brake failed two days after your service and I fell",
                "the front brake failed two days after our service and you fell",
            ),
            (
                "I waited 40 minutes and nobody told me why",
                "you waited 40 minutes and nobody told you why",
            ),
            ("I'm still waiting for you", "you're still waiting for us"),
        ] {
            assert_eq!(owner_voice(said), wrote, "{said}");
        }
    }

    #[test]
    fn the_owners_own_wording_is_left_as_typed() {
        for text in [
            "your card was charged twice for the same order",
            "we sent the wrong size",
            "The Mother's Day bouquet went to the wrong address.",
            "the parcel came three days late",
        ] {
            assert_eq!(owner_voice(text), text);
        }
    }
}
