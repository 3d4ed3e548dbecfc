//! The demo's year end: the evaluation of a year, carrying its unfinished actions over into the
//! next programme, and the college's adoption and the letter to the council. Each goes through
//! the same store and ops functions a user's request would, with the dates of the demo story.

use super::{DemoAction, DemoProgramme};
use crate::ops::adoption::{StapInvoer, take_step_in};
use chrono::{NaiveDate, NaiveTime};
use koers_domain::evaluation_forms::EvaluatieTekstenInvoer;
use koers_domain::{
    ActieCode, ActieEvaluatieInvoer, ActieGegevens, ActieInvoer, BesluitInvoer, Jaar,
    RaadsbriefInvoer, Stap, Status, Uitkomst,
};
use koers_store::adoption::Document;
use koers_store::carry_over::CarryChoice;
use koers_store::{Actor, Tx};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize, Clone)]
pub(crate) struct DemoEvaluation {
    /// The beleidsadviseur who writes the evaluation.
    pub(crate) author: String,
    pub(crate) evaluated_on: NaiveDate,
    pub(crate) conclusions: String,
    pub(crate) trends: String,
    /// Conclusion per theme key.
    pub(crate) themes: HashMap<String, String>,
    pub(crate) attention_points: Vec<String>,
    /// Per action code, where the outcome is not the one the last progress report suggests or
    /// there is more to say. Other actions get the suggested outcome and the last progress note
    /// as what was achieved.
    pub(crate) actions: HashMap<String, DemoOutcome>,
    pub(crate) adoption: Option<DemoAdoption>,
}

#[derive(Deserialize, Clone, Default)]
pub(crate) struct DemoOutcome {
    pub(crate) outcome: String,
    #[serde(default)]
    pub(crate) reason: String,
    #[serde(default)]
    pub(crate) achieved: Option<String>,
    #[serde(default)]
    pub(crate) lesson: String,
}

/// The road of a programme or evaluation to the council, with its dates.
#[derive(Deserialize, Clone)]
pub(crate) struct DemoAdoption {
    pub(crate) offered_on: NaiveDate,
    pub(crate) decided_on: NaiveDate,
    pub(crate) decision_reference: String,
    pub(crate) letter_number: String,
    pub(crate) letter_date: NaiveDate,
    /// The beleidsadviseur who records the steps.
    pub(crate) by: String,
}

/// The ids the demo's keys stand for, once their rows exist.
pub(crate) struct Ids<'a> {
    pub(crate) themes: &'a HashMap<String, i64>,
    pub(crate) ambitions: &'a HashMap<String, i64>,
    pub(crate) subteams: &'a HashMap<String, i64>,
    pub(crate) partners: &'a HashMap<String, i64>,
    pub(crate) opgaven: &'a HashMap<String, i64>,
    /// Account id and name per e-mail address.
    pub(crate) authors: &'a HashMap<String, (i64, String)>,
}

impl Ids<'_> {
    fn id(map: &HashMap<String, i64>, key: &str) -> anyhow::Result<i64> {
        map.get(key)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("demo data refers to unknown key {key}"))
    }

    fn ids(map: &HashMap<String, i64>, keys: &[String]) -> anyhow::Result<Vec<String>> {
        keys.iter()
            .map(|k| Self::id(map, k).map(|id| id.to_string()))
            .collect()
    }

    /// An action of `year` as the form would send it, validated like the form's input.
    pub(crate) fn action_data(
        &self,
        action: &DemoAction,
        year: i64,
        codes_by_year: &HashMap<(i64, String), i64>,
    ) -> anyhow::Result<ActieGegevens> {
        let predecessor = match &action.predecessor {
            Some(code) => codes_by_year
                .get(&(year - 1, code.clone()))
                .map(i64::to_string)
                .ok_or_else(|| anyhow::anyhow!("unknown predecessor {code}"))?,
            None => String::new(),
        };
        let input = ActieInvoer {
            code: action.code.clone(),
            title: action.title.clone(),
            description: action.description.clone(),
            intended_result: action.intended_result.clone(),
            theme_id: Self::id(self.themes, &action.theme)?.to_string(),
            ambition_id: Self::id(self.ambitions, &action.ambition)?.to_string(),
            lead_subteam_id: Self::id(self.subteams, &action.lead)?.to_string(),
            contributing_subteam_ids: Self::ids(self.subteams, &action.contributors)?,
            contributing_shares: action
                .shares
                .iter()
                .map(|(key, percent)| {
                    Ok((
                        Self::id(self.subteams, key)?.to_string(),
                        percent.to_string(),
                    ))
                })
                .collect::<anyhow::Result<_>>()?,
            partner_ids: Self::ids(self.partners, &action.partners)?,
            opgave_ids: Self::ids(self.opgaven, &action.opgaven)?,
            quarters: action.quarters.iter().map(u8::to_string).collect(),
            planned_hours: action.hours.to_string(),
            priority: action.priority.clone(),
            origin: action.origin.clone(),
            predecessor_id: predecessor,
        };
        input
            .validate()
            .map_err(|e| anyhow::anyhow!("demo action {}: {e:?}", action.code))
    }

    /// The account with this address, acting on `date` in the afternoon.
    pub(crate) fn author(
        &self,
        organisation_id: i64,
        email: &str,
        date: NaiveDate,
    ) -> anyhow::Result<Actor> {
        let (id, name) = self
            .authors
            .get(email)
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("unknown author {email}"))?;
        Ok(Actor {
            organisation_id,
            user_id: Some(id),
            user_name: name,
            now: date
                .and_time(NaiveTime::from_hms_opt(15, 0, 0).unwrap_or_default())
                .and_utc(),
        })
    }
}

/// Who prepares next year from `last`'s evaluation, and when: the evaluation's author, on the
/// day of the evaluation.
pub(crate) fn planner(
    ids: &Ids<'_>,
    organisation_id: i64,
    last: &DemoProgramme,
) -> anyhow::Result<Actor> {
    let evaluation = last
        .evaluation
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("{} has no evaluation", last.year))?;
    ids.author(organisation_id, &evaluation.author, evaluation.evaluated_on)
}

/// What carrying over made: the programme and the new action per code.
pub(crate) struct Carried {
    pub(crate) programme_id: i64,
    pub(crate) created: HashMap<String, i64>,
}

/// Carries the actions of last year that `programme`'s actions continue into it; `None` when
/// none of them continues one.
pub(crate) async fn carry_over(
    tx: &mut Tx,
    planner: &Actor,
    last_programme_id: i64,
    programme: &DemoProgramme,
    ids: &Ids<'_>,
    codes_by_year: &HashMap<(i64, String), i64>,
) -> anyhow::Result<Option<Carried>> {
    let mut choices = Vec::new();
    for action in &programme.actions {
        let Some(predecessor) = &action.predecessor else {
            continue;
        };
        let action_id = codes_by_year
            .get(&(programme.year - 1, predecessor.clone()))
            .copied()
            .ok_or_else(|| anyhow::anyhow!("unknown predecessor {predecessor}"))?;
        choices.push(CarryChoice {
            action_id,
            code: ActieCode::parse(&action.code)?,
            theme_id: Ids::id(ids.themes, &action.theme)?,
        });
    }
    if choices.is_empty() {
        return Ok(None);
    }
    let carried = tx
        .carry_over(planner, last_programme_id, &programme.title, &choices)
        .await
        .map_err(|e| anyhow::anyhow!("carrying over into {}: {e:?}", programme.year))?;
    let mut created = HashMap::new();
    for (_, new_code) in &carried.created {
        let action = tx
            .action_by_code(planner.organisation_id, carried.programme_id, new_code)
            .await?;
        created.insert(new_code.clone(), action.action.id);
    }
    Ok(Some(Carried {
        programme_id: carried.programme_id,
        created,
    }))
}

/// Writes the evaluation of `programme`: every action's outcome, the texts, a conclusion per
/// theme and the attention points for next year.
pub(crate) async fn evaluate(
    tx: &mut Tx,
    ids: &Ids<'_>,
    organisation_id: i64,
    programme: &DemoProgramme,
    programme_id: i64,
    codes_by_year: &HashMap<(i64, String), i64>,
    evaluation: &DemoEvaluation,
) -> anyhow::Result<()> {
    let author = ids.author(organisation_id, &evaluation.author, evaluation.evaluated_on)?;
    for action in &programme.actions {
        let action_id = codes_by_year
            .get(&(programme.year, action.code.clone()))
            .copied()
            .ok_or_else(|| anyhow::anyhow!("unknown action {}", action.code))?;
        let last = action.progress.last();
        let given = evaluation.actions.get(&action.code);
        let suggested = last
            .and_then(|entry| Status::from_code(&entry.status))
            .map_or(Uitkomst::NietGerealiseerd, Uitkomst::suggested_by);
        let input = ActieEvaluatieInvoer {
            outcome: given.map_or(suggested.code().to_string(), |g| g.outcome.clone()),
            reason: given.map(|g| g.reason.clone()).unwrap_or_default(),
            achieved: given
                .and_then(|g| g.achieved.clone())
                .or_else(|| last.map(|entry| entry.note.clone()))
                .unwrap_or_default(),
            lesson: given.map(|g| g.lesson.clone()).unwrap_or_default(),
        };
        let data = input
            .validate()
            .map_err(|e| anyhow::anyhow!("demo evaluation of {}: {e:?}", action.code))?;
        tx.save_action_evaluation(&author, action_id, 0, &data)
            .await?;
    }
    let texts = EvaluatieTekstenInvoer {
        conclusions: evaluation.conclusions.clone(),
        trends: evaluation.trends.clone(),
    }
    .validate()
    .map_err(|e| anyhow::anyhow!("demo evaluation texts: {e:?}"))?;
    // The row exists since the first outcome was saved, at version 1.
    tx.save_evaluation_texts(&author, programme_id, 1, &texts)
        .await?;
    let mut themes: Vec<_> = evaluation.themes.iter().collect();
    themes.sort();
    for (theme, conclusion) in themes {
        let theme_id = Ids::id(ids.themes, theme)?;
        tx.save_theme_conclusion(&author, programme_id, theme_id, 0, conclusion)
            .await?;
    }
    for point in &evaluation.attention_points {
        tx.add_attention_point(&author, programme_id, point).await?;
    }
    Ok(())
}

/// Takes a programme or evaluation of `year` along the road: offered, adopted by the college
/// (which freezes a version), and sent to the council.
pub(crate) async fn adopt(
    tx: &mut Tx,
    ids: &Ids<'_>,
    organisation_id: i64,
    year: Jaar,
    document: Document,
    adoption: &DemoAdoption,
) -> anyhow::Result<()> {
    let input = StapInvoer {
        step: String::new(),
        besluit: BesluitInvoer {
            decided_on: adoption.decided_on.to_string(),
            decision_reference: adoption.decision_reference.clone(),
        },
        brief: RaadsbriefInvoer {
            letter_number: adoption.letter_number.clone(),
            letter_date: adoption.letter_date.to_string(),
        },
    };
    for (step, on) in [
        (Stap::AanbiedenTerVaststelling, adoption.offered_on),
        (Stap::Vaststellen, adoption.decided_on),
        (Stap::AanDeRaad, adoption.letter_date),
    ] {
        let actor = ids.author(organisation_id, &adoption.by, on)?;
        take_step_in(tx, &actor, on, year, document, None, step, &input)
            .await
            .map_err(|e| anyhow::anyhow!("demo {year} {}: {e:?}", step.code()))?;
    }
    Ok(())
}
