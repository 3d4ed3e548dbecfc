//! Indicators (F6): what the organisation measures to see whether an ambition is reached. A
//! value is a decimal kept as thousandths ([`Waarde`]); an indicator has a direction (higher or
//! lower is better), a baseline, a target per year and measurements. [`per_jaar`] lays them
//! out across years and judges each year against its target.

use crate::validation::{FieldErrors, Lines, bounded_text, max, parse_date, required_text};
use crate::values::{Jaar, ValueError};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A measured or targeted value, in thousandths (62,5 = 62 500). Bounded to a billion either
/// way: an indicator counts burglaries or a share, never more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Waarde(i64);

impl Waarde {
    /// The largest value in whole units.
    pub const MAX_EENHEDEN: i64 = 1_000_000_000;
    const MAX: i64 = Self::MAX_EENHEDEN * 1000;

    pub fn from_milli(milli: i64) -> Result<Self, ValueError> {
        if (-Self::MAX..=Self::MAX).contains(&milli) {
            Ok(Self(milli))
        } else {
            Err(te_groot())
        }
    }

    /// A number from JSON: at most three decimals, within the bounds.
    pub fn from_f64(value: f64) -> Result<Self, ValueError> {
        if !value.is_finite() || value.abs() > Self::MAX_EENHEDEN as f64 {
            return Err(te_groot());
        }
        let milli = (value * 1000.0).round();
        if (milli - value * 1000.0).abs() > 1e-6 * value.abs().max(1.0) {
            return Err(ValueError::new(
                "Een waarde heeft hoogstens drie cijfers achter de komma.",
            ));
        }
        Self::from_milli(milli as i64)
    }

    /// What a user typed, the Dutch way: "62,5", "1.234", "1.234,5", "-3"; a dot followed by
    /// other than three digits is read as a decimal point ("62.5"), as a pasted number means.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let fout = || {
            ValueError::new("Vul een getal in, met een komma voor decimalen, bijvoorbeeld 62,5.")
        };
        let text = text.trim();
        let (negatief, text) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        // Dots in the whole part separate thousands when every group after the first has
        // three digits.
        let gegroepeerd = |deel: &str| -> Option<String> {
            let delen: Vec<&str> = deel.split('.').collect();
            (!delen[0].is_empty() && delen[1..].iter().all(|d| d.len() == 3))
                .then(|| delen.concat())
        };
        let (geheel, decimalen) = match text.split_once(',') {
            Some((_, "")) => return Err(fout()),
            Some((geheel, decimalen)) => (gegroepeerd(geheel).ok_or_else(fout)?, decimalen),
            None => match (gegroepeerd(text), text.split_once('.')) {
                (Some(geheel), _) => (geheel, ""),
                (None, Some((geheel, decimalen))) => (geheel.to_string(), decimalen),
                (None, None) => return Err(fout()),
            },
        };
        let cijfers = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if geheel.is_empty() || !cijfers(&geheel) || !cijfers(decimalen) {
            return Err(fout());
        }
        if decimalen.len() > 3 {
            return Err(ValueError::new(
                "Een waarde heeft hoogstens drie cijfers achter de komma.",
            ));
        }
        if geheel.len() > 10 {
            return Err(te_groot());
        }
        let geheel: i64 = geheel.parse().map_err(|_| fout())?;
        let fractie: i64 = format!("{decimalen:0<3}").parse().map_err(|_| fout())?;
        let milli = geheel * 1000 + fractie;
        Self::from_milli(if negatief { -milli } else { milli })
    }

    pub fn milli(self) -> i64 {
        self.0
    }

    /// As a JSON number.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    /// The Dutch way, with thousands separated and only the decimals that are there:
    /// "1.234,5", "62,5", "180".
    pub fn nl(self) -> String {
        let geheel = crate::nl::duizendtallen((self.0 / 1000).abs());
        let fractie = (self.0 % 1000).abs();
        let teken = if self.0 < 0 { "-" } else { "" };
        if fractie == 0 {
            format!("{teken}{geheel}")
        } else {
            let decimalen = format!("{fractie:03}");
            format!("{teken}{geheel},{}", decimalen.trim_end_matches('0'))
        }
    }

    /// As a form shows it again: the same as [`Waarde::nl`].
    pub fn invoer(self) -> String {
        self.nl()
    }
}

fn te_groot() -> ValueError {
    ValueError::new("Deze waarde is te groot (hoogstens een miljard).")
}

impl TryFrom<i64> for Waarde {
    type Error = ValueError;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Self::from_milli(value)
    }
}

impl From<Waarde> for i64 {
    fn from(value: Waarde) -> Self {
        value.0
    }
}

impl fmt::Display for Waarde {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.nl())
    }
}

/// Whether a higher or a lower value is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Richting {
    Hoger,
    Lager,
}

impl Richting {
    pub const ALL: [Richting; 2] = [Self::Hoger, Self::Lager];

    pub fn code(self) -> &'static str {
        match self {
            Self::Hoger => "hoger",
            Self::Lager => "lager",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Hoger => "Hoger is beter",
            Self::Lager => "Lager is beter",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whether `waarde` reaches `streef`: at or above it when higher is better, at or below it
    /// when lower is better.
    pub fn haalt(self, waarde: Waarde, streef: Waarde) -> bool {
        match self {
            Self::Hoger => waarde >= streef,
            Self::Lager => waarde <= streef,
        }
    }

    /// How `nu` compares with `eerder`, given the direction.
    pub fn ontwikkeling(self, eerder: Waarde, nu: Waarde) -> Ontwikkeling {
        match (nu.cmp(&eerder), self) {
            (std::cmp::Ordering::Equal, _) => Ontwikkeling::Gelijk,
            (std::cmp::Ordering::Greater, Self::Hoger)
            | (std::cmp::Ordering::Less, Self::Lager) => Ontwikkeling::Beter,
            _ => Ontwikkeling::Slechter,
        }
    }
}

/// How a value moved against an earlier one, in the indicator's direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Ontwikkeling {
    Beter,
    Gelijk,
    Slechter,
}

impl Ontwikkeling {
    pub fn label(self) -> &'static str {
        match self {
            Self::Beter => "verbeterd",
            Self::Gelijk => "gelijk gebleven",
            Self::Slechter => "verslechterd",
        }
    }
}

/// A year judged against its target: by the last measurement of that year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Beoordeling {
    OpKoers,
    NietOpKoers,
    /// Measured, but no target for that year.
    GeenStreefwaarde,
    /// A target, but nothing measured yet.
    NogNietGemeten,
}

impl Beoordeling {
    pub fn of(richting: Richting, streef: Option<Waarde>, gemeten: Option<Waarde>) -> Self {
        match (streef, gemeten) {
            (Some(streef), Some(gemeten)) if richting.haalt(gemeten, streef) => Self::OpKoers,
            (Some(_), Some(_)) => Self::NietOpKoers,
            (None, _) => Self::GeenStreefwaarde,
            (Some(_), None) => Self::NogNietGemeten,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::OpKoers => "op_koers",
            Self::NietOpKoers => "niet_op_koers",
            Self::GeenStreefwaarde => "geen_streefwaarde",
            Self::NogNietGemeten => "nog_niet_gemeten",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::OpKoers => "Op koers",
            Self::NietOpKoers => "Niet op koers",
            Self::GeenStreefwaarde => "Geen streefwaarde",
            Self::NogNietGemeten => "Nog niet gemeten",
        }
    }
}

/// One year of an indicator: its target, the last measurement in it and the judgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JaarStand {
    pub jaar: i32,
    pub streefwaarde: Option<Waarde>,
    /// The last measurement of the year (by date).
    pub gemeten: Option<Waarde>,
    pub beoordeling: Beoordeling,
}

/// Every year that has a target or a measurement, in order, each judged against its target.
/// `metingen` are (date, value) in any order; the last of a year counts.
pub fn per_jaar(
    richting: Richting,
    streefwaarden: &[(Jaar, Waarde)],
    metingen: &[(NaiveDate, Waarde)],
) -> Vec<JaarStand> {
    // Per year: the target, and the last measurement with its date.
    type Stand = (Option<Waarde>, Option<(NaiveDate, Waarde)>);
    let mut jaren: BTreeMap<i32, Stand> = BTreeMap::new();
    for (jaar, waarde) in streefwaarden {
        jaren.entry(jaar.get()).or_default().0 = Some(*waarde);
    }
    for (datum, waarde) in metingen {
        let laatste = &mut jaren.entry(datum.year()).or_default().1;
        if laatste.is_none_or(|(d, _)| *datum >= d) {
            *laatste = Some((*datum, *waarde));
        }
    }
    jaren
        .into_iter()
        .map(|(jaar, (streefwaarde, gemeten))| {
            let gemeten = gemeten.map(|(_, w)| w);
            JaarStand {
                jaar,
                streefwaarde,
                gemeten,
                beoordeling: Beoordeling::of(richting, streefwaarde, gemeten),
            }
        })
        .collect()
}

/// What a user typed into the indicator form. The targets are rows of a year and a value;
/// a row with both empty is skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorInvoer {
    pub name: String,
    pub unit: String,
    pub direction: String,
    pub baseline_value: String,
    pub baseline_year: String,
    pub description: String,
    pub target_years: Vec<String>,
    pub target_values: Vec<String>,
}

/// A validated indicator (without its ambitions, which the store checks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Indicator {
    pub name: String,
    pub unit: String,
    pub direction: Richting,
    pub baseline: Option<(Waarde, Jaar)>,
    pub description: String,
    /// By year, each year once.
    pub targets: Vec<(Jaar, Waarde)>,
}

/// At most this many targets per indicator (a plan of ten years, and some room).
pub const MAX_STREEFWAARDEN: usize = 20;
/// The longest unit ("aantal", "%", "meldingen per 1.000 inwoners").
pub const MAX_EENHEID: usize = 50;

impl IndicatorInvoer {
    /// Every problem at once. The fields of target row `i` are `target_year_{i}` and
    /// `target_value_{i}`.
    pub fn validate(&self) -> Result<Indicator, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = errors.check(
            "name",
            required_text(&self.name, max::TITLE, "Vul de naam van de indicator in."),
        );
        let unit = errors.check(
            "unit",
            required_text(
                &self.unit,
                MAX_EENHEID,
                "Vul de eenheid in, bijvoorbeeld aantal of %.",
            ),
        );
        let direction = Richting::from_code(self.direction.trim());
        if direction.is_none() {
            errors.add(
                "direction",
                "Kies of een hogere of een lagere waarde beter is.",
            );
        }
        let description = errors.check(
            "description",
            bounded_text(&self.description, max::TEXT, Lines::Many),
        );
        let baseline = match (self.baseline_value.trim(), self.baseline_year.trim()) {
            ("", "") => Some(None),
            (waarde, jaar) => {
                let waarde = if waarde.is_empty() {
                    errors.add("baseline_value", "Vul ook de waarde van de nulmeting in.");
                    None
                } else {
                    errors.check("baseline_value", Waarde::parse(waarde))
                };
                let jaar = if jaar.is_empty() {
                    errors.add("baseline_year", "Vul ook het jaar van de nulmeting in.");
                    None
                } else {
                    errors.check("baseline_year", Jaar::parse(jaar))
                };
                waarde.zip(jaar).map(Some)
            }
        };
        let rijen = self.target_years.len().max(self.target_values.len());
        let mut targets: Vec<(Jaar, Waarde)> = Vec::new();
        let mut gevuld = 0;
        for i in 0..rijen {
            let jaar = self.target_years.get(i).map_or("", |s| s.trim());
            let waarde = self.target_values.get(i).map_or("", |s| s.trim());
            if jaar.is_empty() && waarde.is_empty() {
                continue;
            }
            gevuld += 1;
            let jaar_veld = format!("target_year_{i}");
            let waarde_veld = format!("target_value_{i}");
            let jaar = if jaar.is_empty() {
                errors.add(&jaar_veld, "Vul het jaar van deze streefwaarde in.");
                None
            } else {
                errors.check(&jaar_veld, Jaar::parse(jaar))
            };
            let waarde = if waarde.is_empty() {
                errors.add(&waarde_veld, "Vul de streefwaarde voor dit jaar in.");
                None
            } else {
                errors.check(&waarde_veld, Waarde::parse(waarde))
            };
            if let Some(j) = jaar
                && targets.iter().any(|(t, _)| *t == j)
            {
                errors.add(
                    &jaar_veld,
                    format!("Voor {j} staat al een streefwaarde; geef elk jaar één keer op."),
                );
                continue;
            }
            if let (Some(jaar), Some(waarde)) = (jaar, waarde) {
                targets.push((jaar, waarde));
            }
        }
        if gevuld > MAX_STREEFWAARDEN {
            errors.add(
                "target_year_0",
                format!("Geef hoogstens {MAX_STREEFWAARDEN} streefwaarden op."),
            );
        }
        targets.sort_by_key(|(jaar, _)| *jaar);
        match (name, unit, direction, description, baseline) {
            (Some(name), Some(unit), Some(direction), Some(description), Some(baseline))
                if errors.is_empty() =>
            {
                Ok(Indicator {
                    name,
                    unit,
                    direction,
                    baseline,
                    description,
                    targets,
                })
            }
            _ => Err(errors),
        }
    }
}

/// What a user typed into the measurement form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetingInvoer {
    pub measured_on: String,
    pub value: String,
    pub source: String,
    pub note: String,
}

/// A validated measurement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Meting {
    pub measured_on: NaiveDate,
    pub value: Waarde,
    pub source: String,
    pub note: String,
}

impl MetingInvoer {
    /// The date lies in a [`Jaar`] and not after `today`: a measurement is of what happened.
    pub fn validate(&self, today: NaiveDate) -> Result<Meting, FieldErrors> {
        let mut errors = FieldErrors::default();
        let measured_on = if self.measured_on.trim().is_empty() {
            errors.add("measured_on", "Vul de datum van de meting in.");
            None
        } else {
            errors
                .check("measured_on", parse_date(&self.measured_on))
                .and_then(|datum| {
                    if Jaar::new(i64::from(datum.year())).is_err() {
                        errors.add(
                            "measured_on",
                            format!("Vul een datum in tussen {} en {}.", Jaar::MIN, Jaar::MAX),
                        );
                        None
                    } else if datum > today {
                        errors.add("measured_on", "Een meting kan niet in de toekomst liggen.");
                        None
                    } else {
                        Some(datum)
                    }
                })
        };
        let value = if self.value.trim().is_empty() {
            errors.add("value", "Vul de gemeten waarde in.");
            None
        } else {
            errors.check("value", Waarde::parse(&self.value))
        };
        let source = errors.check("source", bounded_text(&self.source, max::TITLE, Lines::One));
        let note = errors.check("note", bounded_text(&self.note, max::NOTE, Lines::Many));
        match (measured_on, value, source, note) {
            (Some(measured_on), Some(value), Some(source), Some(note)) if errors.is_empty() => {
                Ok(Meting {
                    measured_on,
                    value,
                    source,
                    note,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str) -> Waarde {
        Waarde::parse(text).unwrap()
    }

    fn jaar(j: i64) -> Jaar {
        Jaar::new(j).unwrap()
    }

    fn datum(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn values_are_read_the_dutch_way() {
        assert_eq!(w("62,5").milli(), 62_500);
        assert_eq!(w("62.5").milli(), 62_500);
        assert_eq!(w("1.234").milli(), 1_234_000);
        assert_eq!(w("1.234,5").milli(), 1_234_500);
        assert_eq!(w("1.234.567").milli(), 1_234_567_000);
        assert_eq!(w(" -3 ").milli(), -3_000);
        assert_eq!(w("0,125").milli(), 125);
        assert_eq!(w("180").milli(), 180_000);
        for fout in [
            "", "abc", "1,2,3", "1,", ",5", "1e3", "--1", "1.2.3", "0,1234", "12a", "١٢",
        ] {
            assert!(Waarde::parse(fout).is_err(), "{fout:?}");
        }
        assert!(Waarde::parse("1000000000").is_ok());
        assert!(Waarde::parse("1000000001").is_err());
        assert!(Waarde::parse("99999999999999999999").is_err());
    }

    #[test]
    fn values_are_written_the_dutch_way_and_read_back() {
        for (milli, tekst) in [
            (62_500, "62,5"),
            (180_000, "180"),
            (1_234_500, "1.234,5"),
            (-3_250, "-3,25"),
            (-500, "-0,5"),
            (125, "0,125"),
        ] {
            let waarde = Waarde::from_milli(milli).unwrap();
            assert_eq!(waarde.nl(), tekst);
            assert_eq!(Waarde::parse(tekst).unwrap(), waarde);
        }
    }

    #[test]
    fn json_numbers_have_at_most_three_decimals() {
        assert_eq!(Waarde::from_f64(62.5).unwrap().milli(), 62_500);
        assert_eq!(Waarde::from_f64(0.001).unwrap().milli(), 1);
        assert!(Waarde::from_f64(0.0001).is_err());
        assert!(Waarde::from_f64(f64::NAN).is_err());
        assert!(Waarde::from_f64(2e9).is_err());
    }

    #[test]
    fn a_target_is_reached_in_the_indicators_direction() {
        assert!(Richting::Hoger.haalt(w("80"), w("80")));
        assert!(Richting::Hoger.haalt(w("81"), w("80")));
        assert!(!Richting::Hoger.haalt(w("79,9"), w("80")));
        assert!(Richting::Lager.haalt(w("150"), w("160")));
        assert!(!Richting::Lager.haalt(w("161"), w("160")));
        assert_eq!(
            Richting::Lager.ontwikkeling(w("180"), w("150")),
            Ontwikkeling::Beter
        );
        assert_eq!(
            Richting::Hoger.ontwikkeling(w("180"), w("150")),
            Ontwikkeling::Slechter
        );
        assert_eq!(
            Richting::Hoger.ontwikkeling(w("1"), w("1")),
            Ontwikkeling::Gelijk
        );
    }

    #[test]
    fn each_year_is_judged_by_its_last_measurement_against_its_target() {
        let targets = [(jaar(2024), w("170")), (jaar(2025), w("160"))];
        let metingen = [
            (datum("2024-12-31"), w("165")),
            (datum("2024-06-30"), w("190")),
            (datum("2025-06-30"), w("168")),
            (datum("2023-12-31"), w("182")),
        ];
        let jaren = per_jaar(Richting::Lager, &targets, &metingen);
        let samenvatting: Vec<(i32, Beoordeling)> =
            jaren.iter().map(|j| (j.jaar, j.beoordeling)).collect();
        assert_eq!(
            samenvatting,
            [
                (2023, Beoordeling::GeenStreefwaarde),
                (2024, Beoordeling::OpKoers),
                (2025, Beoordeling::NietOpKoers),
            ]
        );
        assert_eq!(jaren[1].gemeten, Some(w("165")));
        let alleen_doel = per_jaar(Richting::Hoger, &[(jaar(2026), w("90"))], &[]);
        assert_eq!(alleen_doel[0].beoordeling, Beoordeling::NogNietGemeten);
        // Every combination of direction, target and value agrees with `haalt`.
        for richting in Richting::ALL {
            for streef in 0..5 {
                for waarde in 0..5 {
                    let (s, m) = (
                        Waarde::from_milli(streef).unwrap(),
                        Waarde::from_milli(waarde).unwrap(),
                    );
                    let op_koers =
                        Beoordeling::of(richting, Some(s), Some(m)) == Beoordeling::OpKoers;
                    let verwacht = match richting {
                        Richting::Hoger => waarde >= streef,
                        Richting::Lager => waarde <= streef,
                    };
                    assert_eq!(op_koers, verwacht);
                }
            }
        }
    }

    fn invoer() -> IndicatorInvoer {
        IndicatorInvoer {
            name: "Woninginbraken".into(),
            unit: "aantal".into(),
            direction: "lager".into(),
            baseline_value: "182".into(),
            baseline_year: "2022".into(),
            description: String::new(),
            target_years: vec!["2024".into(), "2023".into(), String::new()],
            target_values: vec!["160".into(), "170".into(), String::new()],
        }
    }

    #[test]
    fn a_valid_indicator_has_its_targets_in_year_order() {
        let indicator = invoer().validate().unwrap();
        assert_eq!(indicator.direction, Richting::Lager);
        assert_eq!(indicator.baseline, Some((w("182"), jaar(2022))));
        assert_eq!(
            indicator.targets,
            [(jaar(2023), w("170")), (jaar(2024), w("160"))]
        );
    }

    #[test]
    fn every_problem_of_the_indicator_form_is_reported_at_once() {
        let fout = IndicatorInvoer {
            name: "  ".into(),
            unit: "aantal\0".into(),
            direction: "zijwaarts".into(),
            baseline_value: "veel".into(),
            baseline_year: String::new(),
            description: String::new(),
            target_years: vec!["1999".into(), "2024".into(), "2024".into(), "2025".into()],
            target_values: vec!["1".into(), "1".into(), "2".into(), String::new()],
        }
        .validate()
        .unwrap_err();
        for veld in [
            "name",
            "unit",
            "direction",
            "baseline_value",
            "baseline_year",
            "target_year_0",
            "target_year_2",
            "target_value_3",
        ] {
            assert!(fout.get(veld).is_some(), "{veld}: {fout:?}");
        }
        assert!(fout.get("target_year_1").is_none());
    }

    #[test]
    fn a_measurement_lies_in_the_past_within_the_years_koers_knows() {
        let today = datum("2025-03-01");
        let goed = MetingInvoer {
            measured_on: "31-12-2024".into(),
            value: "165".into(),
            source: "Politie, basisteam Kop van Noord-Holland".into(),
            note: String::new(),
        };
        assert_eq!(goed.validate(today).unwrap().value, w("165"));
        for (datum, waarde) in [
            ("2025-03-02", "1"),
            ("1999-12-31", "1"),
            ("2101-01-01", "1"),
            ("morgen", "1"),
            ("", "1"),
        ] {
            let fout = MetingInvoer {
                measured_on: datum.into(),
                value: waarde.into(),
                ..goed.clone()
            }
            .validate(today)
            .unwrap_err();
            assert!(fout.get("measured_on").is_some(), "{datum}");
        }
        let fout = MetingInvoer {
            value: "twaalf".into(),
            source: "a\nb".into(),
            ..goed
        }
        .validate(today)
        .unwrap_err();
        assert!(fout.get("value").is_some() && fout.get("source").is_some());
    }
}
