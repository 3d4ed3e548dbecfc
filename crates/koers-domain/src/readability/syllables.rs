//! Counting syllables of Dutch words: vowel groups with the Dutch vowel pairs and triples, a
//! diaeresis that starts a new syllable, and a list of loan words whose spelling misleads the
//! rule (a silent final e, English vowel pairs). Numbers count as they are spoken.

use super::lists::{ABBREVIATIONS, LOANS};

/// The most syllables a number counts for.
const MAX_NUMBER: usize = 3;

/// The syllables of one word as it appears in running text ("o.a.", "e-mail", "2024", "auto's").
pub fn token(raw: &str) -> usize {
    let lower = raw.to_lowercase();
    let trimmed = lower.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
    if let Some(abbreviation) = ABBREVIATIONS
        .iter()
        .find(|a| a.short == trimmed || a.short.trim_end_matches('.') == trimmed)
    {
        return word(abbreviation.spoken);
    }
    let core = raw.trim_matches(|c: char| !c.is_alphanumeric() && !matches!(c, '%' | '€'));
    if core.is_empty() {
        return 0;
    }
    let mut total = 0;
    let chars: Vec<char> = core.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || (matches!(chars[i], '.' | ',')
                        && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
            // Readers take in a number at a glance, and plain-language advice is to write
            // numbers as digits: a number counts as it is spoken, but as at most three
            // syllables, so "2024" weighs like a short word and not like seven syllables.
            total += number(&chars[start..i].iter().collect::<String>()).min(MAX_NUMBER);
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            let after_apostrophe = start > 0 && matches!(chars[start - 1], '\'' | '’');
            total += letters(&run, after_apostrophe);
        } else {
            total += match c {
                '%' | '€' => 2,
                '&' => 1,
                _ => 0,
            };
            i += 1;
        }
    }
    // "'s", "'t" and "'n" on their own are spoken as one syllable.
    total.max(usize::from(core.chars().any(char::is_alphanumeric)))
}

/// A run of letters inside a token.
fn letters(run: &str, after_apostrophe: bool) -> usize {
    let has_vowel = run.chars().any(|c| is_vowel_letter(base(c)));
    let upper = run.chars().all(char::is_uppercase);
    let length = run.chars().count();
    if !has_vowel {
        // "auto's": the s after an apostrophe adds nothing; "btw", "cd": letters are spelled.
        if after_apostrophe {
            return 0;
        }
        return if length <= 5 { length } else { 1 };
    }
    if upper && (2..=4).contains(&length) {
        // An acronym such as VTH or RIB is spelled letter by letter.
        return length;
    }
    word(&run.to_lowercase())
}

/// The syllables of one lowercase word made of letters only.
pub fn word(word: &str) -> usize {
    if word.contains([' ', '-']) {
        return word
            .split([' ', '-'])
            .filter(|part| !part.is_empty())
            .map(self::word)
            .sum();
    }
    if let Some(count) = loan(word) {
        return count;
    }
    nuclei(word).max(1)
}

/// A loan word from the list, with a Dutch ending or as part of a compound.
fn loan(word: &str) -> Option<usize> {
    for entry in LOANS {
        if word == entry.word {
            return Some(entry.syllables);
        }
        if let Some(rest) = word.strip_prefix(entry.word) {
            match rest {
                "s" | "'s" => return Some(entry.syllables),
                "n" if entry.word.ends_with('e') => return Some(entry.syllables + 1),
                "en" | "er" | "ers" | "ing" | "ingen" if !entry.word.ends_with('e') => {
                    return Some(entry.syllables + nuclei(rest));
                }
                _ => {}
            }
            if entry.compounds && rest.chars().count() >= 3 {
                return Some(entry.syllables + self::word(rest));
            }
        }
        if entry.compounds
            && let Some(first) = word.strip_suffix(entry.word)
            && first.chars().count() >= 3
        {
            return Some(self::word(first) + entry.syllables);
        }
        if entry.compounds
            && let Some(first) = word
                .strip_suffix('s')
                .and_then(|w| w.strip_suffix(entry.word))
            && first.chars().count() >= 3
        {
            return Some(self::word(first) + entry.syllables);
        }
    }
    None
}

const VOWEL_TRIPLES: [&str; 6] = ["aai", "ooi", "oei", "eeu", "ieu", "eau"];
const VOWEL_PAIRS: [&str; 17] = [
    "aa", "ee", "oo", "uu", "ie", "oe", "eu", "ui", "ei", "ij", "ou", "au", "ai", "oi", "ay", "ey",
    "oy",
];

/// Counts the vowel nuclei of a word: each single vowel, vowel pair or vowel triple is one,
/// and a letter with a diaeresis always starts a new one (be-ëin-di-gen, ru-ï-ne).
fn nuclei(word: &str) -> usize {
    let chars: Vec<char> = word.chars().collect();
    let mut count = 0;
    let mut i = 0;
    while i < chars.len() {
        if !is_vowel_at(&chars, i) {
            i += 1;
            continue;
        }
        count += 1;
        i += nucleus_length(&chars, i);
    }
    count
}

fn nucleus_length(chars: &[char], i: usize) -> usize {
    for length in [3, 2] {
        let Some(group) = chars.get(i..i + length) else {
            continue;
        };
        // A diaeresis after the first letter splits the group: zee-ën, co-ör-di-na-tie.
        if group[1..].iter().any(|&c| has_diaeresis(c)) {
            continue;
        }
        let plain: String = group.iter().map(|&c| base(c)).collect();
        let known = if length == 3 {
            VOWEL_TRIPLES.contains(&plain.as_str())
        } else {
            VOWEL_PAIRS.contains(&plain.as_str())
        };
        if !known {
            continue;
        }
        let next = chars.get(i + length).copied();
        // "ieu" is one sound (nieuw, milieu), except in -ieus and -ieuze: se-ri-eus.
        if plain == "ieu" && matches!(next, Some('s' | 'z')) {
            continue;
        }
        // Mu-se-um, ju-bi-le-um: eu before a final m is two vowels.
        if plain == "eu" && next == Some('m') && i + 3 == chars.len() {
            continue;
        }
        return length;
    }
    1
}

fn is_vowel_at(chars: &[char], i: usize) -> bool {
    let c = base(chars[i]);
    match c {
        // y before a vowel is a consonant (yoga, royaal), otherwise a vowel (systeem, baby).
        'y' => !chars
            .get(i + 1)
            .is_some_and(|&n| is_vowel_letter(base(n)) && base(n) != 'y'),
        // The u after q is part of the consonant (quotum).
        'u' => !(i > 0 && base(chars[i - 1]) == 'q'),
        _ => is_vowel_letter(c),
    }
}

fn is_vowel_letter(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

fn has_diaeresis(c: char) -> bool {
    matches!(
        c,
        'ä' | 'ë' | 'ï' | 'ö' | 'ü' | 'ÿ' | 'Ä' | 'Ë' | 'Ï' | 'Ö' | 'Ü'
    )
}

/// The letter without its accent.
fn base(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'Á' | 'À' | 'Â' | 'Ä' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'Ó' | 'Ò' | 'Ô' | 'Ö' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        other => other.to_ascii_lowercase(),
    }
}

/// A number as it is read aloud: "1.300" is duizend driehonderd, "3,5" drie komma vijf.
fn number(text: &str) -> usize {
    if let Some((whole, fraction)) = text.split_once(',') {
        return number(whole)
            + 2
            + fraction
                .chars()
                .filter(char::is_ascii_digit)
                .map(digit)
                .sum::<usize>();
    }
    let groups: Vec<&str> = text.split('.').collect();
    let thousands =
        groups.len() > 1 && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3);
    let digits: String = if thousands {
        groups.concat()
    } else if groups.len() > 1 {
        // A version or section number, "3.2": each part, with "punt" between.
        return groups.iter().map(|g| number(g)).sum::<usize>() + groups.len() - 1;
    } else {
        text.to_string()
    };
    match digits.parse::<u64>() {
        Ok(n) if digits.len() <= 12 => spoken(n),
        _ => digits.chars().map(digit).sum(),
    }
}

fn digit(c: char) -> usize {
    // nul, een, twee, drie, vier, vijf, zes, ze-ven, acht, ne-gen
    match c {
        '7' | '9' => 2,
        _ => 1,
    }
}

/// Syllables of a whole number written out in Dutch.
fn spoken(n: u64) -> usize {
    const BELOW_TWENTY: [usize; 20] = [1, 1, 1, 1, 1, 1, 1, 2, 1, 2, 1, 1, 1, 2, 2, 2, 2, 3, 2, 3];
    // twintig, dertig, veertig, vijftig, zestig, zeventig, tachtig, negentig
    const TENS: [usize; 10] = [0, 0, 2, 2, 2, 2, 2, 3, 2, 3];
    let scaled = |n: u64, unit: u64, word: usize, one_silent: bool| {
        let head = n / unit;
        let rest = n % unit;
        let head = if head == 1 && one_silent {
            0
        } else {
            spoken(head)
        };
        head + word + if rest == 0 { 0 } else { spoken(rest) }
    };
    match n {
        0..20 => BELOW_TWENTY[n as usize],
        20..100 => {
            let unit = n % 10;
            // vier-en-twin-tig
            TENS[(n / 10) as usize]
                + if unit == 0 {
                    0
                } else {
                    BELOW_TWENTY[unit as usize] + 1
                }
        }
        100..1_000 => scaled(n, 100, 2, true),
        1_000..1_000_000 => scaled(n, 1_000, 2, true),
        1_000_000..1_000_000_000 => scaled(n, 1_000_000, 2, false),
        _ => scaled(n, 1_000_000_000, 2, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_count_as_spoken() {
        assert_eq!(number("7"), 2);
        assert_eq!(number("24"), 4); // vier-en-twin-tig
        assert_eq!(number("100"), 2);
        assert_eq!(number("1.300"), 5); // dui-zend-drie-hon-derd
        assert_eq!(number("3,5"), 4); // drie-kom-ma-vijf
        assert_eq!(number("2024"), 7); // twee-dui-zend-vier-en-twin-tig
        assert_eq!(number("3.2"), 3); // drie punt twee
        // Too long to read as one number: digit by digit (negen is two syllables).
        assert_eq!(number("99999999999999999999"), 40);
        // In running text a number counts as at most three syllables.
        assert_eq!(token("7"), 2);
        assert_eq!(token("2024"), 3);
        assert_eq!(token("25%"), 5);
        assert_eq!(token("2023-2026"), 6);
    }

    #[test]
    fn acronyms_and_apostrophes() {
        assert_eq!(token("VTH"), 3);
        assert_eq!(token("VTH-taken"), 5);
        assert_eq!(token("btw"), 3);
        assert_eq!(token("auto's"), 2);
        assert_eq!(token("'s"), 1);
        assert_eq!(token("o.a."), 5);
        assert_eq!(token("bijv."), 3);
        assert_eq!(token("—"), 0);
    }
}
