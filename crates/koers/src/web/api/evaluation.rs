//! The evaluation of a programme year as JSON, read-only: texts, adoption, the outcome per
//! action, the conclusions per theme, the attention points and the figures Koers computes.

use super::ApiCaller;
use super::error::ApiError;
use crate::ops::evaluation::{self as ops, EvaluatedAction};
use axum::Json;
use axum::extract::Path;
use koers_domain::{Jaar, Telling, Uitkomst};
use koers_store::evaluation::AttentionPointRow;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
pub struct Ref {
    id: i64,
    naam: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutcomeJson {
    uitkomst: &'static str,
    reden: String,
    bereikt: String,
    les: String,
    geevalueerd_door: String,
    geevalueerd_op: chrono::DateTime<chrono::Utc>,
    versie: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionJson {
    code: String,
    titel: String,
    thema: Ref,
    trekker: Ref,
    geplande_uren: i64,
    bestede_uren: i64,
    laatste_status: &'static str,
    /// The outcome the last progress status suggests.
    voorstel: &'static str,
    /// `null` while the action has not been evaluated.
    evaluatie: Option<OutcomeJson>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CountJson {
    acties: u32,
    /// Keyed by the outcome's code in camelCase, as every key of the API.
    per_uitkomst: BTreeMap<String, u32>,
    niet_geevalueerd: u32,
    geplande_uren: i64,
    bestede_uren: i64,
    percentage_gerealiseerd: Option<u32>,
    percentage_geevalueerd: Option<u32>,
    percentage_uren_besteed: Option<u32>,
}

/// "deels_gerealiseerd" → "deelsGerealiseerd".
fn camel_case(code: &str) -> String {
    let mut words = code.split('_');
    let mut out = words.next().unwrap_or_default().to_string();
    for word in words {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

fn count(t: &Telling) -> CountJson {
    CountJson {
        acties: t.actions,
        per_uitkomst: Uitkomst::ALL
            .iter()
            .map(|o| (camel_case(o.code()), t.count(*o)))
            .collect(),
        niet_geevalueerd: t.unevaluated,
        geplande_uren: t.planned_hours,
        bestede_uren: t.spent_hours,
        percentage_gerealiseerd: t.percent_realised(),
        percentage_geevalueerd: t.percent_evaluated(),
        percentage_uren_besteed: t.percent_hours_spent(),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThemeCountJson {
    thema: Ref,
    #[serde(flatten)]
    telling: CountJson,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubteamCountJson {
    subteam: Ref,
    /// FTE of the subteam in the programme's year, e.g. 4.5.
    fte: Option<f64>,
    #[serde(flatten)]
    telling: CountJson,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FiguresJson {
    totaal: CountJson,
    per_thema: Vec<ThemeCountJson>,
    per_subteam: Vec<SubteamCountJson>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThemeConclusionJson {
    thema: Ref,
    conclusie: String,
    versie: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PointJson {
    id: i64,
    positie: i64,
    tekst: String,
    /// How it went, written in the next year's evaluation.
    vervolg: String,
    versie: i64,
}

fn point(p: &AttentionPointRow) -> PointJson {
    PointJson {
        id: p.id,
        positie: p.position,
        tekst: p.text.clone(),
        vervolg: p.follow_up.clone(),
        versie: p.version,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EvaluationJson {
    jaar: i64,
    status: &'static str,
    conclusies: String,
    trends: String,
    besluit_datum: Option<chrono::NaiveDate>,
    besluit_kenmerk: String,
    raadsbrief_nummer: String,
    raadsbrief_datum: Option<chrono::NaiveDate>,
    /// 0 while nothing of the evaluation as a whole has been saved.
    versie: i64,
    acties: Vec<ActionJson>,
    thema_conclusies: Vec<ThemeConclusionJson>,
    aandachtspunten: Vec<PointJson>,
    /// Last year's attention points with how they went; empty when last year has no
    /// evaluation.
    aandachtspunten_vorig_jaar: Vec<PointJson>,
    kengetallen: FiguresJson,
}

fn action(a: &EvaluatedAction) -> ActionJson {
    ActionJson {
        code: a.action.code.clone(),
        titel: a.action.title.clone(),
        thema: Ref {
            id: a.action.theme_id,
            naam: a.theme_label.clone(),
        },
        trekker: Ref {
            id: a.action.lead_subteam_id,
            naam: a.lead.clone(),
        },
        geplande_uren: a.action.planned_hours,
        bestede_uren: a.action.hours_spent,
        laatste_status: a.action.status.code(),
        voorstel: a.suggestion.code(),
        evaluatie: a.evaluation.as_ref().map(|e| OutcomeJson {
            uitkomst: e.outcome.code(),
            reden: e.reason.clone(),
            bereikt: e.achieved.clone(),
            les: e.lesson.clone(),
            geevalueerd_door: e.evaluated_by.clone(),
            geevalueerd_op: e.evaluated_at,
            versie: e.version,
        }),
    }
}

pub async fn show(
    ApiCaller(ctx): ApiCaller,
    Path(jaar): Path<String>,
) -> Result<Json<EvaluationJson>, ApiError> {
    let year = Jaar::parse(&jaar).map_err(|_| ApiError::NotFound)?;
    let view = ops::evaluation(&ctx, year).await?;
    let e = view.evaluation.as_ref();
    Ok(Json(EvaluationJson {
        jaar: year.into(),
        status: view.status.code(),
        conclusies: e.map(|e| e.conclusions.clone()).unwrap_or_default(),
        trends: e.map(|e| e.trends.clone()).unwrap_or_default(),
        besluit_datum: e.and_then(|e| e.decided_on),
        besluit_kenmerk: e.map(|e| e.decision_reference.clone()).unwrap_or_default(),
        raadsbrief_nummer: e
            .map(|e| e.council_letter_number.clone())
            .unwrap_or_default(),
        raadsbrief_datum: e.and_then(|e| e.council_letter_date),
        versie: e.map_or(0, |e| e.version),
        acties: view.actions.iter().map(action).collect(),
        thema_conclusies: view
            .themes
            .iter()
            .filter_map(|t| {
                t.conclusion.as_ref().map(|c| ThemeConclusionJson {
                    thema: Ref {
                        id: t.theme_id,
                        naam: t.label.clone(),
                    },
                    conclusie: c.conclusion.clone(),
                    versie: c.version,
                })
            })
            .collect(),
        aandachtspunten: view.attention_points.iter().map(point).collect(),
        aandachtspunten_vorig_jaar: view
            .previous
            .as_ref()
            .map(|(_, rows)| rows.iter().map(point).collect())
            .unwrap_or_default(),
        kengetallen: FiguresJson {
            totaal: count(&view.figures.total),
            per_thema: view
                .themes
                .iter()
                .map(|t| ThemeCountJson {
                    thema: Ref {
                        id: t.theme_id,
                        naam: t.label.clone(),
                    },
                    telling: count(&t.figures),
                })
                .collect(),
            per_subteam: view
                .subteams
                .iter()
                .map(|s| SubteamCountJson {
                    subteam: Ref {
                        id: s.subteam_id,
                        naam: s.name.clone(),
                    },
                    fte: s.fte.map(|f| f.hundredths() as f64 / 100.0),
                    telling: count(&s.figures),
                })
                .collect(),
        },
    }))
}
