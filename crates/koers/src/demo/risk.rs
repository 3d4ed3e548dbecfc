//! The demo's risk analysis and LHS intervention matrix, written through the same checks and
//! store calls as the pages. The figures are invented, in the orders of magnitude of a
//! municipality of about 57,000 inhabitants; the filled-in matrix cells are the demo team's own
//! choice, not a national rule, and the other cells stay empty.
//!
//! The analyses are of the demo's task fields (`demo/vth.rs`), found by their codes.

use chrono::{NaiveDate, NaiveTime};
use koers_domain::lhs::LhsInvoer;
use koers_domain::risk::{AnalyseInvoer, Risicomodel};
use koers_store::risk::AnalysisBase;
use koers_store::{Actor, Tx};

/// Per task field code: kans, the effect scores of the four default criteria (gebied, fysieke
/// veiligheid, milieu, bestuurlijk imago) and the note.
const ANALYSES: [(&str, u8, [u8; 4], &str); 10] = [
    (
        "V-BOUW",
        3,
        [2, 4, 2, 3],
        "Zo'n 400 aanvragen per jaar; gebreken in constructie en brandveiligheid worden vooral bij grotere bouwwerken gevonden.",
    ),
    (
        "V-EVEN",
        4,
        [4, 4, 2, 4],
        "Sail Den Helder, de Marinedagen en ruim 150 kleinere evenementen; drukte en crowd management wegen zwaar.",
    ),
    (
        "V-APV",
        3,
        [2, 2, 1, 2],
        "Veel kleine vergunningen en ontheffingen, zoals standplaatsen en terrassen; per aanvraag is het risico klein.",
    ),
    (
        "V-ALC",
        3,
        [2, 3, 1, 4],
        "Een vergunning aan een ondernemer die de regels niet naleeft, geeft overlast en onveilige situaties in de horeca.",
    ),
    (
        "T-BRAND",
        2,
        [3, 5, 2, 4],
        "Weinig branden, maar in zorginstellingen en hotels kan een brand meerdere doden kosten.",
    ),
    (
        "T-BOUW",
        3,
        [2, 4, 3, 2],
        "Asbest bij sloop en veiligheid op de bouwplaats; naleving is gemiddeld.",
    ),
    (
        "T-APV",
        4,
        [2, 3, 1, 3],
        "Leeftijdsgrens en schenktijden worden in het uitgaansgebied vaak overtreden.",
    ),
    (
        "H-MELD",
        5,
        [2, 3, 3, 2],
        "Bijna dagelijks meldingen over geluid, afval en parkeren.",
    ),
    (
        "H-VERZ",
        2,
        [1, 2, 2, 4],
        "Enkele verzoeken per jaar; een trage afhandeling leidt tot dwangsommen en bezwaar.",
    ),
    (
        "H-ZAAK",
        2,
        [3, 4, 3, 4],
        "Weinig zaken, maar een zaak die blijft liggen tast het gezag van de gemeente aan.",
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
pub(crate) async fn write(tx: &mut Tx, author: &Actor) -> anyhow::Result<()> {
    let org = author.organisation_id;
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
