//! What a user types into the search field, as the words a full-text search looks for.
//!
//! The search field takes free text. Quotes, `*`, `-`, `:`, `NEAR`-like syntax and other
//! operators of a database's query language mean nothing here: a query is only its words,
//! maximal runs of letters and digits, lower-cased. The store builds its own query expression
//! from these words, so no user text ever reaches the full-text query parser as syntax.

use crate::validation::{Lines, bounded_text, max};
use crate::values::ValueError;

/// The most words a search looks for; further words are ignored.
pub const MAX_WORDS: usize = 10;
/// The longest word kept; a longer run of letters is cut (no real Dutch word is this long).
pub const MAX_WORD: usize = 40;

/// A search: at least one word of letters and digits, at most [`MAX_WORDS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zoekvraag {
    woorden: Vec<String>,
}

impl Zoekvraag {
    /// Reads a search text. `Ok(None)` when it holds no word (empty, or only punctuation);
    /// an error when it is too long or holds a control character.
    pub fn parse(text: &str) -> Result<Option<Self>, ValueError> {
        let text = bounded_text(text, max::FILTER, Lines::One)?;
        let mut woorden: Vec<String> = Vec::new();
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if word.is_empty() {
                continue;
            }
            let word: String = word
                .chars()
                .take(MAX_WORD)
                .collect::<String>()
                .to_lowercase();
            // Lower-casing can produce characters that are not alphanumeric (rare, but
            // Unicode allows it); keep only letters and digits so the word stays plain.
            let word: String = word.chars().filter(|c| c.is_alphanumeric()).collect();
            if !word.is_empty() && !woorden.contains(&word) {
                woorden.push(word);
            }
            if woorden.len() == MAX_WORDS {
                break;
            }
        }
        Ok((!woorden.is_empty()).then_some(Self { woorden }))
    }

    /// The words, lower-cased, each made of letters and digits only, without repeats.
    pub fn woorden(&self) -> &[String] {
        &self.woorden
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        Zoekvraag::parse(text)
            .unwrap()
            .map(|z| z.woorden().to_vec())
            .unwrap_or_default()
    }

    #[test]
    fn query_syntax_is_only_words() {
        assert_eq!(words("Brandveilig"), ["brandveilig"]);
        assert_eq!(
            words("\"brand\" NEAR(veilig) -x* code:VTH1-03"),
            ["brand", "near", "veilig", "x", "code", "vth1", "03"]
        );
        assert_eq!(words("café's  café"), ["café", "s"]);
        assert!(words("\"* - : () {} ^ + \"").is_empty());
        assert!(words("").is_empty());
    }

    #[test]
    fn bounds() {
        assert!(Zoekvraag::parse("a\0b").is_err());
        assert!(Zoekvraag::parse("a\tb").is_err());
        assert!(Zoekvraag::parse(&"a".repeat(201)).is_err());
        let many = (0..30)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(words(&many).len(), MAX_WORDS);
        assert_eq!(words(&"x".repeat(200))[0].chars().count(), MAX_WORD);
    }

    /// Every character, alone and between words, gives only words of letters and digits.
    #[test]
    fn every_character_gives_plain_words() {
        for code in 0..0x3000u32 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let text = format!("a{c}b {c}");
            if let Ok(Some(z)) = Zoekvraag::parse(&text) {
                for w in z.woorden() {
                    assert!(
                        !w.is_empty() && w.chars().all(char::is_alphanumeric),
                        "{code:x}"
                    );
                }
            }
        }
    }
}
