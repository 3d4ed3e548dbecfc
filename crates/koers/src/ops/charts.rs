//! The charts of the pages, built as `koers_docs` charts so that a page draws them with the same
//! SVG writer as the council package; each carries its numbers as a table and a text
//! alternative in words.

use super::trends::Trends;
use koers_docs::model::{GEEN_WAARDE, Grafiek, GrafiekSoort, Kolom, Reeks, Tabel, Uitlijning};
use koers_domain::indicator::{Beoordeling, JaarStand};
use koers_domain::nl::{aantal, duizendtallen};
use koers_domain::{Status, indicator::Richting};

/// Colours of the statuses, the borders of their badges in `koers.css`.
fn status_colour(status: Status) -> &'static str {
    match status {
        Status::NietGestart => "#8a8a8a",
        Status::OpSchema => "#4a7fb0",
        Status::Vertraagd => "#b3261e",
        Status::Gerealiseerd => "#2e7d32",
        Status::Geannuleerd => "#5f5f5f",
    }
}

const PLANNED: &str = "#1f5f8b";
const SPENT: &str = "#e08214";
/// Years in a series, told apart by hue; the newest is the blue of Gepland.
const YEAR_COLOURS: [&str; 5] = ["#8a5a00", "#6a51a3", "#e08214", "#2e7d32", "#1f5f8b"];

fn column(head: &str, number: bool, width: u8) -> Kolom {
    Kolom {
        kop: head.to_string(),
        uitlijning: if number {
            Uitlijning::Rechts
        } else {
            Uitlijning::Links
        },
        breedte: width,
    }
}

fn percent(p: Option<u32>) -> String {
    p.map_or_else(|| "–".to_string(), |p| format!("{p}%"))
}

/// A stacked bar per theme with its actions per status.
pub fn status_per_theme(year: i64, themes: &[(String, [usize; 5])]) -> Grafiek {
    let reeksen = Status::ALL
        .iter()
        .enumerate()
        .map(|(i, status)| Reeks {
            naam: status.label().to_string(),
            kleur: status_colour(*status).to_string(),
            waarden: themes.iter().map(|(_, counts)| counts[i] as i64).collect(),
        })
        .collect();
    let total: usize = themes.iter().map(|(_, c)| c.iter().sum::<usize>()).sum();
    let realised: usize = themes.iter().map(|(_, c)| c[3]).sum();
    let delayed: usize = themes.iter().map(|(_, c)| c[2]).sum();
    let mut kolommen = vec![column("Thema", false, 5), column("Acties", true, 1)];
    kolommen.extend(Status::ALL.iter().map(|s| column(s.label(), true, 2)));
    let row = |name: &str, counts: &[usize; 5]| {
        let mut cells = vec![name.to_string(), counts.iter().sum::<usize>().to_string()];
        cells.extend(counts.iter().map(|n| n.to_string()));
        cells
    };
    let mut totals = [0usize; 5];
    for (_, counts) in themes {
        for (t, n) in totals.iter_mut().zip(counts) {
            *t += n;
        }
    }
    Grafiek {
        titel: format!("Status van de acties per thema, {year}"),
        tekstalternatief: format!(
            "Gestapelde staafgrafiek met per thema hoeveel acties van {year} welke status hebben. \
             Van {} zijn er {realised} gerealiseerd en {delayed} vertraagd.",
            aantal(total, "actie", "acties")
        ),
        soort: GrafiekSoort::Gestapeld,
        categorieen: themes.iter().map(|(name, _)| name.clone()).collect(),
        reeksen,
        eenheid: "acties".into(),
        decimalen: 0,
        tabel: Tabel {
            bijschrift: format!("Aantal acties per thema en status, {year}"),
            kolommen,
            rijen: themes.iter().map(|(n, c)| row(n, c)).collect(),
            totaal: Some(row("Totaal", &totals)),
        },
    }
}

/// Hours planned against spent per lead subteam: (name, actions, planned, spent).
pub fn hours_per_subteam(year: i64, subteams: &[(String, usize, i64, i64)]) -> Grafiek {
    let row = |name: &str, actions: usize, planned: i64, spent: i64| {
        vec![
            name.to_string(),
            actions.to_string(),
            duizendtallen(planned),
            duizendtallen(spent),
            percent(
                u32::try_from(spent)
                    .ok()
                    .zip(u32::try_from(planned).ok())
                    .and_then(|(s, p)| koers_domain::evaluation::percent(s, p)),
            ),
        ]
    };
    let planned: i64 = subteams.iter().map(|s| s.2).sum();
    let spent: i64 = subteams.iter().map(|s| s.3).sum();
    let actions: usize = subteams.iter().map(|s| s.1).sum();
    let mut alt = format!(
        "Staafgrafiek met per trekkend subteam de geplande en de bestede uren aan acties in {year}. \
         Samen {} uur gepland en {} uur besteed.",
        duizendtallen(planned),
        duizendtallen(spent)
    );
    if let Some(most) = subteams
        .iter()
        .filter(|s| s.3 > s.2)
        .max_by_key(|s| s.3 - s.2)
    {
        alt.push_str(&format!(
            " {} besteedde het meest boven de planning: {} uur meer.",
            most.0,
            duizendtallen(most.3 - most.2)
        ));
    }
    Grafiek {
        titel: format!("Geplande en bestede uren per subteam, {year}"),
        tekstalternatief: alt,
        soort: GrafiekSoort::Naast,
        categorieen: subteams.iter().map(|s| s.0.clone()).collect(),
        reeksen: vec![
            Reeks {
                naam: "Gepland".into(),
                kleur: PLANNED.into(),
                waarden: subteams.iter().map(|s| s.2).collect(),
            },
            Reeks {
                naam: "Besteed".into(),
                kleur: SPENT.into(),
                waarden: subteams.iter().map(|s| s.3).collect(),
            },
        ],
        eenheid: "uur".into(),
        decimalen: 0,
        tabel: Tabel {
            bijschrift: format!("Acties en uren per trekkend subteam, {year}"),
            kolommen: vec![
                column("Subteam", false, 4),
                column("Acties", true, 1),
                column("Uren gepland", true, 2),
                column("Uren besteed", true, 2),
                column("Besteed %", true, 2),
            ],
            rijen: subteams
                .iter()
                .map(|(n, a, p, s)| row(n, *a, *p, *s))
                .collect(),
            totaal: Some(row("Totaal", actions, planned, spent)),
        },
    }
}

/// Per year: actions, the share realised and the hours, as one table, and three charts.
pub fn trend_charts(trends: &Trends) -> Vec<Grafiek> {
    let years: Vec<String> = trends.years.iter().map(|y| y.year.to_string()).collect();
    let span = match (trends.years.first(), trends.years.last()) {
        (Some(first), Some(last)) if first.year != last.year => {
            format!("{}–{}", first.year, last.year)
        }
        (Some(only), _) => only.year.to_string(),
        _ => String::new(),
    };
    let table = Tabel {
        bijschrift: format!("Acties, realisatie en uren per jaar, {span}"),
        kolommen: vec![
            column("Jaar", false, 1),
            column("Acties", true, 1),
            column("Gerealiseerd", true, 1),
            column("Gerealiseerd %", true, 1),
            column("Uren gepland", true, 2),
            column("Uren besteed", true, 2),
        ],
        rijen: trends
            .years
            .iter()
            .map(|y| {
                let t = &y.figures.total;
                vec![
                    y.year.to_string(),
                    t.actions.to_string(),
                    t.realised.to_string(),
                    percent(t.percent_realised()),
                    duizendtallen(t.planned_hours),
                    duizendtallen(t.spent_hours),
                ]
            })
            .collect(),
        totaal: None,
    };
    let describe = |what: &str, values: Vec<String>| {
        let pairs: Vec<String> = years
            .iter()
            .zip(values)
            .map(|(y, v)| format!("{y}: {v}"))
            .collect();
        format!("Staafgrafiek met {what} per jaar. {}.", pairs.join("; "))
    };
    let actions = Grafiek {
        titel: format!("Aantal acties per jaar, {span}"),
        tekstalternatief: describe(
            "het aantal acties",
            trends
                .years
                .iter()
                .map(|y| y.figures.total.actions.to_string())
                .collect(),
        ),
        soort: GrafiekSoort::Naast,
        categorieen: years.clone(),
        reeksen: vec![Reeks {
            naam: "Acties".into(),
            kleur: PLANNED.into(),
            waarden: trends
                .years
                .iter()
                .map(|y| i64::from(y.figures.total.actions))
                .collect(),
        }],
        eenheid: "acties".into(),
        decimalen: 0,
        tabel: table.clone(),
    };
    let realised = Grafiek {
        titel: format!("Aandeel gerealiseerde acties per jaar, {span}"),
        tekstalternatief: describe(
            "het aandeel gerealiseerde acties (na de evaluatie volgens de uitkomst, daarvoor volgens de laatste status)",
            trends
                .years
                .iter()
                .map(|y| percent(y.figures.total.percent_realised()))
                .collect(),
        ),
        soort: GrafiekSoort::Naast,
        categorieen: years.clone(),
        reeksen: vec![Reeks {
            naam: "Gerealiseerd %".into(),
            kleur: status_colour(Status::Gerealiseerd).into(),
            waarden: trends
                .years
                .iter()
                .map(|y| i64::from(y.figures.total.percent_realised().unwrap_or(0)))
                .collect(),
        }],
        eenheid: "procent van de acties".into(),
        decimalen: 0,
        tabel: table.clone(),
    };
    let hours = Grafiek {
        titel: format!("Geplande en bestede uren per jaar, {span}"),
        tekstalternatief: describe(
            "de geplande en de bestede uren",
            trends
                .years
                .iter()
                .map(|y| {
                    format!(
                        "{} gepland, {} besteed",
                        duizendtallen(y.figures.total.planned_hours),
                        duizendtallen(y.figures.total.spent_hours)
                    )
                })
                .collect(),
        ),
        soort: GrafiekSoort::Naast,
        categorieen: years,
        reeksen: vec![
            Reeks {
                naam: "Gepland".into(),
                kleur: PLANNED.into(),
                waarden: trends
                    .years
                    .iter()
                    .map(|y| y.figures.total.planned_hours)
                    .collect(),
            },
            Reeks {
                naam: "Besteed".into(),
                kleur: SPENT.into(),
                waarden: trends
                    .years
                    .iter()
                    .map(|y| y.figures.total.spent_hours)
                    .collect(),
            },
        ],
        eenheid: "uur".into(),
        decimalen: 0,
        tabel: table,
    };
    vec![actions, realised, hours]
}

/// The share realised per theme, one bar per year; its table has per theme and year the
/// actions, the share realised and the hours.
pub fn trend_per_theme(trends: &Trends) -> Grafiek {
    let recent: Vec<_> = trends
        .years
        .iter()
        .rev()
        .take(YEAR_COLOURS.len())
        .rev()
        .collect();
    let offset = YEAR_COLOURS.len() - recent.len();
    let reeksen = recent
        .iter()
        .enumerate()
        .map(|(i, y)| Reeks {
            naam: y.year.to_string(),
            kleur: YEAR_COLOURS[offset + i].into(),
            waarden: trends
                .themes
                .iter()
                .map(|t| {
                    y.figures
                        .per_theme
                        .get(&t.id)
                        .and_then(|c| c.percent_realised())
                        .map_or(0, i64::from)
                })
                .collect(),
        })
        .collect();
    let mut rijen = Vec::new();
    for theme in &trends.themes {
        for y in &trends.years {
            let Some(c) = y.figures.per_theme.get(&theme.id) else {
                continue;
            };
            rijen.push(vec![
                theme_name(theme),
                y.year.to_string(),
                c.actions.to_string(),
                percent(c.percent_realised()),
                duizendtallen(c.planned_hours),
                duizendtallen(c.spent_hours),
            ]);
        }
    }
    Grafiek {
        titel: "Aandeel gerealiseerde acties per thema en jaar".into(),
        tekstalternatief: format!(
            "Staafgrafiek met per thema het aandeel gerealiseerde acties in {}. De tabel \
             eronder geeft per thema en jaar de acties, het aandeel gerealiseerd en de uren.",
            koers_domain::nl::opsomming(
                &recent
                    .iter()
                    .map(|y| y.year.to_string())
                    .collect::<Vec<_>>()
            )
        ),
        soort: GrafiekSoort::Naast,
        categorieen: trends.themes.iter().map(theme_name).collect(),
        reeksen,
        eenheid: "procent gerealiseerd".into(),
        decimalen: 0,
        tabel: Tabel {
            bijschrift: "Acties, realisatie en uren per thema en jaar".into(),
            kolommen: vec![
                column("Thema", false, 4),
                column("Jaar", false, 1),
                column("Acties", true, 1),
                column("Gerealiseerd %", true, 1),
                column("Uren gepland", true, 2),
                column("Uren besteed", true, 2),
            ],
            rijen,
            totaal: None,
        },
    }
}

fn theme_name(theme: &super::trends::TrendTheme) -> String {
    if theme.retired {
        format!("{} (vervallen)", theme.label)
    } else {
        theme.label.clone()
    }
}

/// An indicator's targets and measured values per year, side by side.
pub fn indicator(name: &str, unit: &str, direction: Richting, years: &[JaarStand]) -> Grafiek {
    let value =
        |w: Option<koers_domain::indicator::Waarde>| w.map_or_else(|| "–".to_string(), |w| w.nl());
    let mut alt = format!(
        "Staafgrafiek met per jaar de streefwaarde en de gemeten waarde van {name} ({unit}); {}.",
        direction.label().to_lowercase()
    );
    for y in years {
        alt.push_str(&format!(
            " {}: streefwaarde {}, gemeten {}, {}.",
            y.jaar,
            value(y.streefwaarde),
            value(y.gemeten),
            y.beoordeling.label().to_lowercase()
        ));
    }
    let judgement = |b: Beoordeling| b.label().to_string();
    Grafiek {
        titel: format!("{name}: streefwaarde en meting per jaar"),
        tekstalternatief: alt,
        soort: GrafiekSoort::Naast,
        categorieen: years.iter().map(|y| y.jaar.to_string()).collect(),
        reeksen: vec![
            Reeks {
                naam: "Streefwaarde".into(),
                kleur: "#8a8a8a".into(),
                waarden: years
                    .iter()
                    .map(|y| y.streefwaarde.map_or(GEEN_WAARDE, |w| w.milli()))
                    .collect(),
            },
            Reeks {
                naam: "Gemeten (laatste meting van het jaar)".into(),
                kleur: PLANNED.into(),
                waarden: years
                    .iter()
                    .map(|y| y.gemeten.map_or(GEEN_WAARDE, |w| w.milli()))
                    .collect(),
            },
        ],
        eenheid: unit.to_string(),
        decimalen: 3,
        tabel: Tabel {
            bijschrift: format!("{name} per jaar"),
            kolommen: vec![
                column("Jaar", false, 1),
                column("Streefwaarde", true, 2),
                column("Gemeten", true, 2),
                column("Beoordeling", false, 2),
            ],
            rijen: years
                .iter()
                .map(|y| {
                    vec![
                        y.jaar.to_string(),
                        value(y.streefwaarde),
                        value(y.gemeten),
                        judgement(y.beoordeling),
                    ]
                })
                .collect(),
            totaal: None,
        },
    }
}

/// A chart ready for a page: its SVG (ids unique in the page) and its table.
pub struct ChartView {
    pub svg: String,
    pub table: Tabel,
    /// Per column whether it holds numbers (right-aligned).
    pub numeric: Vec<bool>,
}

impl ChartView {
    /// `id` must be unique in the page and a valid XML id.
    pub fn of(chart: &Grafiek, id: &str) -> Self {
        Self {
            svg: chart.svg_met_id(id),
            numeric: chart
                .tabel
                .kolommen
                .iter()
                .map(|k| k.uitlijning == Uitlijning::Rechts)
                .collect(),
            table: chart.tabel.clone(),
        }
    }
}
