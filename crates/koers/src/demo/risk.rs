//! The demo's risk analysis and LHS intervention matrix, written through the same checks and
//! store calls as the pages. The figures are invented, in the orders of magnitude of a
//! municipality of about 57,000 inhabitants; the filled-in matrix cells are the demo team's own
//! choice, not a national rule, and the other cells stay empty.
//!
//! The risk analysis needs task fields. When the organisation has none yet, the demo adds the
//! ones below (with their lead subteam, unit, norm and legal term); when it has some, it
//! analyses those whose code it knows.

use chrono::{NaiveDate, NaiveTime};
use koers_domain::lhs::LhsInvoer;
use koers_domain::risk::{AnalyseInvoer, Risicomodel};
use koers_store::risk::{AnalysisBase, NewTaskField};
use koers_store::{Actor, Tx};
use std::collections::HashMap;

/// A demo task field: code, name, discipline, lead subteam key, unit, norm in hundredths of an
/// hour, legal decision term in weeks.
type Field = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    Option<i64>,
);

const FIELDS: [Field; 9] = [
    (
        "V-BOUW",
        "Omgevingsvergunning bouwen",
        "V",
        "VE",
        "aanvraag",
        1_200,
        Some(8),
    ),
    (
        "V-EVT",
        "Evenementenvergunningen",
        "V",
        "VE",
        "aanvraag",
        800,
        Some(8),
    ),
    (
        "V-BIBOB",
        "Bibob-toetsen",
        "V",
        "OND",
        "toets",
        1_000,
        Some(8),
    ),
    (
        "T-BOUW",
        "Toezicht bouwen en slopen",
        "T",
        "TH",
        "inspectie",
        400,
        None,
    ),
    (
        "T-BRAND",
        "Toezicht brandveilig gebruik",
        "T",
        "TH",
        "controle",
        500,
        None,
    ),
    (
        "T-ALC",
        "Alcoholwet en horeca",
        "T",
        "TH",
        "controle",
        300,
        None,
    ),
    (
        "T-KLM",
        "Klachten en meldingen",
        "T",
        "TH",
        "melding",
        150,
        None,
    ),
    (
        "H-APV",
        "APV-handhaving openbare ruimte",
        "H",
        "TH",
        "zaak",
        250,
        None,
    ),
    (
        "H-VERZ",
        "Handhavingsverzoeken",
        "H",
        "TH",
        "verzoek",
        1_600,
        Some(8),
    ),
];

/// Per task field code: kans, the effect scores of the four default criteria (gebied, fysieke
/// veiligheid, milieu, bestuurlijk imago) and the note.
const ANALYSES: [(&str, u8, [u8; 4], &str); 9] = [
    (
        "V-BOUW",
        3,
        [2, 4, 2, 3],
        "Ruim 600 aanvragen per jaar; gebreken in constructie en brandveiligheid worden vooral bij grotere bouwwerken gevonden.",
    ),
    (
        "V-EVT",
        4,
        [4, 4, 2, 4],
        "Sail Den Helder, de Marinedagen en ruim 150 kleinere evenementen; drukte en crowd management wegen zwaar.",
    ),
    (
        "V-BIBOB",
        2,
        [3, 3, 1, 5],
        "Weinig toetsen, maar een vergunning aan een crimineel samenwerkingsverband schaadt het bestuur ernstig.",
    ),
    (
        "T-BOUW",
        3,
        [2, 4, 3, 2],
        "Asbest bij sloop en veiligheid op de bouwplaats; naleving is gemiddeld.",
    ),
    (
        "T-BRAND",
        2,
        [3, 5, 2, 4],
        "Weinig branden, maar in zorginstellingen en hotels kan een brand meerdere doden kosten.",
    ),
    (
        "T-ALC",
        4,
        [2, 3, 1, 3],
        "Leeftijdsgrens en schenktijden worden in het uitgaansgebied vaak overtreden.",
    ),
    (
        "T-KLM",
        5,
        [2, 3, 3, 2],
        "Bijna dagelijks meldingen over geluid, afval en parkeren.",
    ),
    (
        "H-APV",
        5,
        [2, 2, 2, 2],
        "Veel kleine overtredingen in de openbare ruimte; het effect per geval is beperkt.",
    ),
    (
        "H-VERZ",
        2,
        [1, 2, 2, 4],
        "Enkele verzoeken per jaar; een trage afhandeling leidt tot dwangsommen en bezwaar.",
    ),
];

/// The cells the demo team filled in; the rest stays empty.
const LHS_CELLS: [(&str, &str); 5] = [
    (
        "A1",
        "Informeren en aanspreken. Geen vervolg als de overtreding direct stopt.",
    ),
    (
        "A2",
        "Waarschuwen met een termijn om te herstellen, daarna hercontrole.",
    ),
    (
        "B2",
        "Waarschuwen en een last onder dwangsom aankondigen; hercontrole na de termijn.",
    ),
    (
        "C3",
        "Last onder dwangsom of last onder bestuursdwang. Overleg met de politie over een proces-verbaal.",
    ),
    (
        "D4",
        "Last onder bestuursdwang en proces-verbaal, zo nodig sluiting. Altijd overleg met het Openbaar Ministerie en het RIEC.",
    ),
];

fn at(actor: &Actor, date: NaiveDate) -> Actor {
    Actor {
        now: date
            .and_time(NaiveTime::from_hms_opt(14, 0, 0).unwrap_or_default())
            .and_utc(),
        ..actor.clone()
    }
}

/// Writes the risk model (version 1, Koers' defaults), an analysis per task field, and the
/// first version of the LHS matrix, as `author` (a beleidsadviseur) in the caller's transaction.
pub(crate) async fn write(
    tx: &mut Tx,
    author: &Actor,
    subteams: &HashMap<String, i64>,
) -> anyhow::Result<()> {
    let org = author.organisation_id;
    if tx.task_field_refs(org).await?.is_empty() {
        let setup = at(author, date(2023, 10, 2)?);
        for (code, name, discipline, lead, unit, norm, term) in FIELDS {
            let lead_subteam_id = *subteams
                .get(lead)
                .ok_or_else(|| anyhow::anyhow!("demo task field {code}: no subteam {lead}"))?;
            tx.insert_task_field(
                &setup,
                &NewTaskField {
                    code,
                    name,
                    discipline,
                    lead_subteam_id,
                    unit,
                    norm_hundredths: norm,
                    decision_term_weeks: term,
                },
            )
            .await?;
        }
    }

    let model = Risicomodel::standaard()
        .check()
        .map_err(|e| anyhow::anyhow!("demo risk model: {e:?}"))?;
    tx.add_risk_model(&at(author, date(2023, 10, 9)?), 0, &model)
        .await?;
    let fields = tx.task_field_refs(org).await?;
    for (code, kans, effects, note) in ANALYSES {
        let Some(field) = fields.iter().find(|f| f.code == code) else {
            continue;
        };
        let input = AnalyseInvoer {
            kans: kans.to_string(),
            effecten: effects.iter().map(u8::to_string).collect(),
            toelichting: note.to_string(),
        };
        let analyse = input
            .validate(&model)
            .map_err(|e| anyhow::anyhow!("demo analysis {code}: {e:?}"))?;
        let base = AnalysisBase {
            analysis_number: 0,
            model_number: 1,
            model: &model,
        };
        tx.add_risk_analysis(&at(author, date(2023, 10, 16)?), field.id, base, &analyse)
            .await?;
    }

    let matrix = LhsInvoer {
        cellen: LHS_CELLS
            .iter()
            .map(|(cell, text)| ((*cell).to_string(), (*text).to_string()))
            .collect(),
        toelichting: "Eerste keuzes van het team bij de start van het beleidsplan. De andere cellen vullen we in na overleg met de juristen en de politie.".into(),
    }
    .validate()
    .map_err(|e| anyhow::anyhow!("demo LHS matrix: {e:?}"))?;
    tx.add_lhs_matrix(&at(author, date(2023, 11, 6)?), 0, &matrix)
        .await?;
    Ok(())
}

fn date(year: i32, month: u32, day: u32) -> anyhow::Result<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| anyhow::anyhow!("no such date"))
}
