//! How Dutch readers expect numbers, dates and enumerations to be written. Pages and
//! documents both use these, so a figure reads the same on screen and on paper.

use chrono::{Datelike, NaiveDate};

/// Thousands with a dot: 12.345.
pub fn duizendtallen(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

const MAANDEN: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// "27 februari 2024".
pub fn datum(date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        date.day(),
        MAANDEN[date.month0() as usize],
        date.year()
    )
}

/// "a", "a en b", "a, b en c"; empty for no items.
pub fn opsomming(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [enig] => enig.clone(),
        [begin @ .., laatste] => format!("{} en {laatste}", begin.join(", ")),
    }
}

/// A count with its noun: "geen acties", "1 actie", "47 acties".
pub fn aantal(n: usize, enkelvoud: &str, meervoud: &str) -> String {
    match n {
        0 => format!("geen {meervoud}"),
        1 => format!("1 {enkelvoud}"),
        n => format!("{} {meervoud}", duizendtallen(n as i64)),
    }
}

/// Hundredths as a decimal with a comma: 350 → "3,50".
pub fn honderdsten(n: i64) -> String {
    let teken = if n < 0 { "-" } else { "" };
    let n = n.unsigned_abs();
    format!("{teken}{},{:02}", duizendtallen((n / 100) as i64), n % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_formats() {
        assert_eq!(duizendtallen(1_234_567), "1.234.567");
        assert_eq!(duizendtallen(-1300), "-1.300");
        assert_eq!(duizendtallen(999), "999");
        assert_eq!(
            datum(NaiveDate::from_ymd_opt(2024, 2, 27).unwrap()),
            "27 februari 2024"
        );
        assert_eq!(
            opsomming(&["a".into(), "b".into(), "c".into()]),
            "a, b en c"
        );
        assert_eq!(opsomming(&["a".into()]), "a");
        assert_eq!(aantal(0, "actie", "acties"), "geen acties");
        assert_eq!(aantal(1, "actie", "acties"), "1 actie");
        assert_eq!(aantal(1300, "uur", "uur"), "1.300 uur");
        assert_eq!(honderdsten(350), "3,50");
        assert_eq!(honderdsten(123_405), "1.234,05");
    }
}
