//! A programme as a spreadsheet: one row per action with every field, as XLSX (a real
//! workbook: text as text, numbers as numbers, a frozen header row) or as CSV for Dutch Excel
//! (`crate::export::dutch_csv`). The page's filter applies, or none.

use super::actions::{Catalogue, programme};
use super::{Ctx, OpsError};
use koers_docs::render::xlsx::{Cel, Kolom, Werkblad, werkmap};
use koers_domain::Jaar;
use koers_store::actions::{ActionFilter, ActionRow};
use std::collections::BTreeMap;

/// The two file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::Csv => "csv",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Csv => "text/csv; charset=utf-8",
        }
    }
}

/// A file to download.
pub struct ExportFile {
    pub filename: String,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

/// The columns, in order, with their width in the workbook (characters).
const COLUMNS: [(&str, u16); 20] = [
    ("Code", 10),
    ("Titel", 45),
    ("Thema", 30),
    ("Ambitie", 30),
    ("Trekker (subteam)", 22),
    ("Bijdragende subteams", 30),
    ("Partners", 30),
    ("Opgaven", 25),
    ("Kwartalen", 12),
    ("Geplande uren", 10),
    ("Bestede uren", 10),
    ("Prioriteit", 10),
    ("Herkomst", 24),
    ("Status", 14),
    ("Laatste melding", 14),
    ("Beschrijving", 60),
    ("Beoogd resultaat", 60),
    ("Voorganger", 12),
    ("Jaar", 6),
    ("Versie", 7),
];

/// The names of `ids`, in catalogue order, joined with "; ".
fn names(items: &[koers_store::catalog::Item], ids: &[i64]) -> String {
    items
        .iter()
        .filter(|i| ids.contains(&i.id))
        .map(|i| i.name.clone())
        .collect::<Vec<_>>()
        .join("; ")
}

fn group(pairs: Vec<(i64, i64)>) -> BTreeMap<i64, Vec<i64>> {
    let mut map: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (action, item) in pairs {
        map.entry(action).or_default().push(item);
    }
    map
}

/// The rows of the export: every field of every action, names instead of ids.
fn rows(
    catalogue: &Catalogue,
    year: i64,
    actions: &[ActionRow],
    contributors: &BTreeMap<i64, Vec<i64>>,
    partners: &BTreeMap<i64, Vec<i64>>,
    opgaven: &BTreeMap<i64, Vec<i64>>,
    predecessors: &BTreeMap<i64, String>,
) -> Vec<Vec<Cel>> {
    let text = |s: String| {
        if s.is_empty() {
            Cel::Leeg
        } else {
            Cel::Tekst(s)
        }
    };
    let none = Vec::new();
    actions
        .iter()
        .map(|a| {
            vec![
                Cel::Tekst(a.code.clone()),
                Cel::Tekst(a.title.clone()),
                text(catalogue.theme_label(a.theme_id)),
                text(
                    a.ambition_id
                        .map(|id| Catalogue::name(&catalogue.ambitions, id))
                        .unwrap_or_default(),
                ),
                text(Catalogue::name(&catalogue.subteams, a.lead_subteam_id)),
                text(names(
                    &catalogue.subteams,
                    contributors.get(&a.id).unwrap_or(&none),
                )),
                text(names(
                    &catalogue.partners,
                    partners.get(&a.id).unwrap_or(&none),
                )),
                text(names(
                    &catalogue.opgaven,
                    opgaven.get(&a.id).unwrap_or(&none),
                )),
                text(a.quarters.label()),
                Cel::Getal(a.planned_hours),
                Cel::Getal(a.hours_spent),
                Cel::Tekst(a.priority.label().to_string()),
                Cel::Tekst(a.origin.label().to_string()),
                Cel::Tekst(a.status.label().to_string()),
                text(
                    a.last_progress_on
                        .map(|d| d.format("%d-%m-%Y").to_string())
                        .unwrap_or_default(),
                ),
                text(a.description.clone()),
                text(a.intended_result.clone()),
                text(
                    a.predecessor_id
                        .and_then(|id| predecessors.get(&id).cloned())
                        .unwrap_or_default(),
                ),
                Cel::Getal(year),
                Cel::Getal(a.version),
            ]
        })
        .collect()
}

/// A cell as CSV text: numbers as digits (whole hours, so no decimal separator is needed),
/// text as is; `dutch_csv` neutralises formulas.
fn csv_text(cel: &Cel) -> String {
    match cel {
        Cel::Tekst(t) => t.clone(),
        Cel::Getal(n) => n.to_string(),
        Cel::Leeg => String::new(),
    }
}

/// The programme of `year` with the actions that pass `filter` (all when it is empty).
pub async fn export(
    ctx: &Ctx,
    year: Jaar,
    filter: &ActionFilter,
    format: Format,
) -> Result<ExportFile, OpsError> {
    let view = programme(ctx, year, filter).await?;
    let Some(current) = &view.programme else {
        return Err(OpsError::NotFound);
    };
    let (partners, opgaven) = ctx
        .store
        .programme_partners_and_opgaven(ctx.org(), current.id)
        .await?;
    // Predecessors are actions of last year's programme, listed in the read model.
    let predecessors: BTreeMap<i64, String> = view
        .programmes
        .iter()
        .filter(|p| p.year == current.year - 1)
        .filter_map(|p| view.model.actions.get(&p.id))
        .flat_map(|l| l.actions.iter().map(|a| (a.id, a.code.clone())))
        .collect();
    let rows = rows(
        &view.catalogue,
        current.year,
        &view.actions,
        &view.contributors,
        &group(partners),
        &group(opgaven),
        &predecessors,
    );
    let bytes = match format {
        Format::Xlsx => werkmap(&Werkblad {
            naam: format!("Acties {}", current.year),
            kolommen: COLUMNS
                .iter()
                .map(|(kop, breedte)| Kolom {
                    kop: kop.to_string(),
                    breedte: *breedte,
                })
                .collect(),
            rijen: rows,
        })
        .map_err(|e| OpsError::Internal(anyhow::anyhow!(e)))?,
        Format::Csv => crate::export::dutch_csv(
            &COLUMNS.map(|(kop, _)| kop),
            rows.iter().map(|row| row.iter().map(csv_text).collect()),
        )
        .map_err(OpsError::Internal)?,
    };
    let filtered = if filter.is_empty() { "" } else { "-gefilterd" };
    Ok(ExportFile {
        filename: crate::export::safe_file_name(&format!(
            "uitvoeringsprogramma-{}-{}{filtered}.{}",
            ctx.organisation.code,
            current.year,
            format.extension()
        )),
        mime: format.mime(),
        bytes,
    })
}
