//! An indication of how readable a Dutch text is: the Flesch–Douma score with its band, the
//! average sentence length, sentences of more than 20 words, passive-voice hints and
//! officialese with plainer words. A formula counts words and syllables; it cannot tell whether
//! a reader understands the text, so every result is an indication, never a verdict.
//!
//! Sentence splitting knows Dutch abbreviations ("o.a.", "bijv.", "t.b.v."), numbered list
//! items ("1." at the start of a line) and numbers with a point or comma ("1.300", "3,5").

mod lists;
pub mod syllables;

use lists::{ABBREVIATIONS, NOT_PASSIVE, OFFICIALESE, SEPARABLE, WORDEN, ZIJN};
use serde::{Serialize, Serializer};

/// Sentences with more words than this are flagged as long.
pub const LONG_SENTENCE: usize = 20;

/// How many of the hardest sentences a result lists.
pub const HARDEST: usize = 3;

/// The Douma bands of the Flesch–Douma score (domain.md §6.2, DBNL labels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Band {
    ZeerMoeilijk,
    Moeilijk,
    TamelijkMoeilijk,
    Normaal,
    TamelijkGemakkelijk,
    Gemakkelijk,
    ZeerGemakkelijk,
}

impl Band {
    /// The band of a score; below 0 and above 100 fall in the outer bands.
    pub fn of(score: f64) -> Self {
        match score {
            s if s < 30.0 => Self::ZeerMoeilijk,
            s if s < 45.0 => Self::Moeilijk,
            s if s < 60.0 => Self::TamelijkMoeilijk,
            s if s < 70.0 => Self::Normaal,
            s if s < 80.0 => Self::TamelijkGemakkelijk,
            s if s < 90.0 => Self::Gemakkelijk,
            _ => Self::ZeerGemakkelijk,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ZeerMoeilijk => "zeer moeilijk",
            Self::Moeilijk => "moeilijk",
            Self::TamelijkMoeilijk => "tamelijk moeilijk",
            Self::Normaal => "normaal",
            Self::TamelijkGemakkelijk => "tamelijk gemakkelijk",
            Self::Gemakkelijk => "gemakkelijk",
            Self::ZeerGemakkelijk => "zeer gemakkelijk",
        }
    }

    /// The range of scores of the band, as shown to users.
    pub fn range(self) -> &'static str {
        match self {
            Self::ZeerMoeilijk => "onder 30",
            Self::Moeilijk => "30–45",
            Self::TamelijkMoeilijk => "45–60",
            Self::Normaal => "60–70",
            Self::TamelijkGemakkelijk => "70–80",
            Self::Gemakkelijk => "80–90",
            Self::ZeerGemakkelijk => "90 en hoger",
        }
    }

    /// A CSS-safe code.
    pub fn code(self) -> &'static str {
        match self {
            Self::ZeerMoeilijk | Self::Moeilijk => "moeilijk",
            Self::TamelijkMoeilijk => "tamelijk-moeilijk",
            _ => "normaal",
        }
    }
}

impl Serialize for Band {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.label())
    }
}

/// Flesch–Douma: 206.835 − 0.93 × words per sentence − 77 × syllables per word, rounded to one
/// decimal. No score without words.
pub fn flesch_douma(sentences: usize, words: usize, syllables: usize) -> Option<f64> {
    if words == 0 || sentences == 0 {
        return None;
    }
    let score = 206.835
        - 0.93 * (words as f64 / sentences as f64)
        - 77.0 * (syllables as f64 / words as f64);
    Some((score * 10.0).round() / 10.0)
}

/// One sentence of the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sentence {
    pub text: String,
    pub words: usize,
    pub syllables: usize,
    /// Flesch–Douma of this sentence alone.
    pub score: f64,
}

/// A form of "worden" or "zijn" with a past participle in one sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PassiveHint {
    /// "wordt … gecontroleerd".
    pub words: String,
    pub sentence: String,
}

/// An officialese word or phrase found in the text, with a plainer one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfficialeseHit {
    /// As it stands in the text, lowercase.
    pub found: String,
    pub plain: &'static str,
    /// How often it occurs.
    pub count: usize,
}

/// Everything the check finds in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    pub sentences: usize,
    pub words: usize,
    pub syllables: usize,
    /// None for a text without words.
    pub score: Option<f64>,
    pub band: Option<Band>,
    pub average_sentence_length: Option<f64>,
    pub long_sentences: Vec<Sentence>,
    pub passive: Vec<PassiveHint>,
    pub officialese: Vec<OfficialeseHit>,
    /// The sentences with the lowest score (the longest first when scores are equal), among
    /// those of five words or more when there are any.
    pub hardest: Vec<Sentence>,
}

impl Analysis {
    pub fn is_empty(&self) -> bool {
        self.words == 0
    }

    /// The score as shown: "62,4".
    pub fn score_text(&self) -> String {
        self.score
            .map(|s| format!("{s:.1}").replace('.', ","))
            .unwrap_or_default()
    }

    /// The average sentence length as shown: "14,5".
    pub fn average_text(&self) -> String {
        self.average_sentence_length
            .map(|s| format!("{s:.1}").replace('.', ","))
            .unwrap_or_default()
    }
}

/// Analyses a text.
pub fn analyse(text: &str) -> Analysis {
    let sentences: Vec<Vec<String>> = split_sentences(text);
    let mut reports = Vec::new();
    let mut passive = Vec::new();
    let mut officialese: Vec<OfficialeseHit> = Vec::new();
    let (mut words, mut syllables) = (0, 0);
    for tokens in &sentences {
        let counted: Vec<&String> = tokens.iter().filter(|t| is_word(t)).collect();
        if counted.is_empty() {
            continue;
        }
        let sentence_syllables: usize = counted.iter().map(|t| syllables::token(t)).sum();
        let text = tokens.join(" ");
        words += counted.len();
        syllables += sentence_syllables;
        let lower: Vec<String> = counted.iter().map(|t| normalise(t)).collect();
        if let Some(words) = passive_hint(&lower, &counted) {
            passive.push(PassiveHint {
                words,
                sentence: text.clone(),
            });
        }
        for (found, plain) in officialese_in(&lower) {
            match officialese.iter_mut().find(|h| h.found == found) {
                Some(hit) => hit.count += 1,
                None => officialese.push(OfficialeseHit {
                    found,
                    plain,
                    count: 1,
                }),
            }
        }
        reports.push(Sentence {
            score: flesch_douma(1, counted.len(), sentence_syllables).unwrap_or_default(),
            text,
            words: counted.len(),
            syllables: sentence_syllables,
        });
    }
    let score = flesch_douma(reports.len(), words, syllables);
    // A two-word heading or list item with one long word scores low but is not hard to read:
    // the hardest sentences are chosen among those of five words or more, when there are any.
    let mut hardest: Vec<Sentence> = reports.iter().filter(|s| s.words >= 5).cloned().collect();
    if hardest.is_empty() {
        hardest = reports.clone();
    }
    hardest.sort_by(|a, b| a.score.total_cmp(&b.score).then(b.words.cmp(&a.words)));
    hardest.truncate(HARDEST);
    Analysis {
        sentences: reports.len(),
        words,
        syllables,
        score,
        band: score.map(Band::of),
        average_sentence_length: (!reports.is_empty())
            .then(|| ((words as f64 / reports.len() as f64) * 10.0).round() / 10.0),
        long_sentences: reports
            .iter()
            .filter(|s| s.words > LONG_SENTENCE)
            .cloned()
            .collect(),
        passive,
        officialese,
        hardest,
    }
}

/// A token counts as a word when it holds a letter or a digit.
fn is_word(token: &str) -> bool {
    token.chars().any(char::is_alphanumeric)
}

/// The word in lowercase without the punctuation around it (dots of an abbreviation stay).
fn normalise(token: &str) -> String {
    let lower = token.to_lowercase();
    let trimmed = lower.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
    if ABBREVIATIONS.iter().any(|a| a.short == trimmed) {
        trimmed.to_string()
    } else {
        trimmed.trim_end_matches('.').to_string()
    }
}

/// Splits a text into sentences, each a list of whitespace-separated tokens. A paragraph break,
/// a list item and a line that starts with a capital after a line without a full stop (a
/// heading) also end a sentence.
pub fn split_sentences(text: &str) -> Vec<Vec<String>> {
    let mut chunks: Vec<Vec<String>> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            flush(&mut chunks, &mut current);
            continue;
        }
        let mut tokens: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        if is_list_marker(&tokens[0]) {
            flush(&mut chunks, &mut current);
            tokens.remove(0);
        } else if let Some(previous) = current.last()
            && !ends_with_stop(previous)
            && !previous.ends_with([',', ';', ':'])
            && line.chars().next().is_some_and(char::is_uppercase)
        {
            flush(&mut chunks, &mut current);
        }
        current.extend(tokens);
    }
    flush(&mut chunks, &mut current);
    chunks.into_iter().flat_map(split_chunk).collect()
}

fn flush(chunks: &mut Vec<Vec<String>>, current: &mut Vec<String>) {
    if !current.is_empty() {
        chunks.push(std::mem::take(current));
    }
}

/// "1.", "2)", "a)", "-", "*", "•" at the start of a line.
fn is_list_marker(token: &str) -> bool {
    if matches!(token, "-" | "*" | "•" | "–" | "—" | "·") {
        return true;
    }
    let Some(head) = token.strip_suffix(['.', ')']) else {
        return false;
    };
    (!head.is_empty() && head.len() <= 3 && head.chars().all(|c| c.is_ascii_digit()))
        || (head.chars().count() == 1
            && head.chars().all(|c| c.is_ascii_lowercase())
            && token.ends_with(')'))
}

fn strip_closing(token: &str) -> &str {
    token.trim_end_matches(['"', '\'', ')', ']', '”', '’', '»'])
}

fn ends_with_stop(token: &str) -> bool {
    strip_closing(token).ends_with(['.', '!', '?', '…'])
}

fn starts_upper(token: Option<&String>) -> bool {
    token
        .and_then(|t| t.chars().find(|c| c.is_alphanumeric()))
        .is_some_and(char::is_uppercase)
}

/// Splits one chunk at the tokens that end a sentence.
fn split_chunk(tokens: Vec<String>) -> Vec<Vec<String>> {
    let mut sentences = Vec::new();
    let mut current = Vec::new();
    let count = tokens.len();
    for (i, token) in tokens.iter().enumerate() {
        current.push(token.clone());
        let next = tokens.get(i + 1);
        if i + 1 < count && ends_sentence(token, next) {
            sentences.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        sentences.push(current);
    }
    sentences
}

fn ends_sentence(token: &str, next: Option<&String>) -> bool {
    let bare = strip_closing(token);
    if bare.ends_with(['!', '?', '…']) {
        return true;
    }
    if !bare.ends_with('.') {
        return false;
    }
    if bare.ends_with("...") {
        return starts_upper(next);
    }
    let word = bare
        .trim_start_matches(['(', '"', '\'', '‘', '“', '«', '['])
        .to_lowercase();
    if let Some(abbreviation) = ABBREVIATIONS.iter().find(|a| a.short == word) {
        return abbreviation.may_end && starts_upper(next);
    }
    let core = word.trim_end_matches('.');
    // An initial ("J. de Vries") or an unknown abbreviation with inner dots ("a.s.o.").
    let letters: Vec<&str> = core.split('.').collect();
    if letters.iter().all(|part| part.chars().count() == 1) && !core.is_empty() {
        let is_letter = core.chars().all(|c| c.is_alphabetic() || c == '.');
        if is_letter
            && (letters.len() > 1 || bare.trim_end_matches('.').chars().all(char::is_uppercase))
        {
            return false;
        }
    }
    true
}

/// A past participle as the passive needs it: ge…d/t/en, with a separable part before "ge"
/// (vastgesteld, uitgevoerd), or be-, ver-, ont-, her- …d/t/en after a form of "worden".
fn participle(word: &str, strong: bool) -> bool {
    if word.chars().count() < 6 || NOT_PASSIVE.contains(&word) {
        return false;
    }
    if !word.ends_with(['d', 't']) && !word.ends_with("en") {
        return false;
    }
    if word.ends_with("ingen") || word.ends_with("heden") || word.ends_with("heid") {
        return false;
    }
    let ge = |rest: &str| rest.starts_with("ge");
    if ge(word) {
        return true;
    }
    if SEPARABLE.iter().any(|p| {
        word.strip_prefix(p)
            .is_some_and(|rest| ge(rest) && rest.chars().count() >= 5)
    }) {
        return true;
    }
    strong
        && ["be", "ver", "ont", "her", "er"]
            .iter()
            .any(|p| word.starts_with(p) && word.chars().count() >= 7)
}

/// "wordt … gecontroleerd": a form of "worden" with a participle anywhere in the sentence, or
/// a form of "zijn" with a ge-participle within a few words.
fn passive_hint(lower: &[String], original: &[&String]) -> Option<String> {
    for (i, word) in lower.iter().enumerate() {
        let (strong, reach) = if WORDEN.contains(&word.as_str()) {
            (true, lower.len())
        } else if ZIJN.contains(&word.as_str()) {
            (false, 6)
        } else {
            continue;
        };
        let start = i.saturating_sub(if strong { reach } else { 2 });
        let end = (i + reach + 1).min(lower.len());
        // A ge-participle beats a be-/ver- word (which may be a noun: "bedrijventerreinen"),
        // one after the verb beats one before it, and a near one a far one.
        // The verb and the participle stand in one clause: no ";" or ":" between them, and for
        // "zijn" no comma either ("Pas negen panden gecontroleerd; eigenaren zijn lastig").
        let separated = |j: usize| {
            let stops: &[char] = if strong {
                &[';', ':']
            } else {
                &[';', ':', ',']
            };
            (i.min(j)..i.max(j)).any(|k| original[k].ends_with(stops))
        };
        let found = (start..end)
            .filter(|&j| j != i && !separated(j))
            .filter(|&j| participle(&lower[j], strong))
            .min_by_key(|&j| (!participle(&lower[j], false), j < i, j.abs_diff(i)));
        if let Some(j) = found {
            let aux = clean(original[i]);
            let part = clean(original[j]);
            return Some(if j > i + 1 {
                format!("{aux} … {part}")
            } else if j == i + 1 {
                format!("{aux} {part}")
            } else if j + 1 == i {
                format!("{part} {aux}")
            } else {
                format!("{part} … {aux}")
            });
        }
    }
    None
}

fn clean(token: &str) -> String {
    token
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string()
}

/// The officialese in one sentence: (the words as found, the plainer alternative).
fn officialese_in(lower: &[String]) -> Vec<(String, &'static str)> {
    let mut hits = Vec::new();
    let mut i = 0;
    while i < lower.len() {
        let mut matched: Option<(usize, &str, &'static str)> = None;
        for entry in OFFICIALESE {
            for form in entry.forms {
                if let Some(end) = match_form(form, lower, i)
                    && matched.is_none_or(|(n, _, _)| end - i > n)
                {
                    matched = Some((end - i, form, entry.plain));
                }
            }
        }
        match matched {
            Some((n, form, plain)) => {
                let found = form.replace(" … ", " ");
                hits.push((found, plain));
                // A gap form only consumes its first word; the words in between may hold more.
                i += if form.contains('…') { 1 } else { n };
            }
            None => i += 1,
        }
    }
    hits
}

/// Where `form` ends when it starts at word `i`, if it does; "…" skips up to 25 words, to the
/// first occurrence of the next word, which must not close an "om … te" of its own.
fn match_form(form: &str, lower: &[String], i: usize) -> Option<usize> {
    const GAP: usize = 25;
    let mut at = i;
    let mut parts = form.split(' ').peekable();
    while let Some(part) = parts.next() {
        if part == "…" {
            let next = parts.next()?;
            let end = (at + GAP + 1).min(lower.len());
            let found = (at..end).find(|&j| lower[j] == next)?;
            if lower[at..found].iter().any(|w| w == "om") {
                return None;
            }
            at = found + 1;
        } else {
            if lower.get(at)? != part {
                return None;
            }
            at += 1;
        }
    }
    Some(at)
}

#[cfg(test)]
mod tests;
