//! The evaluation of a year's programme: the outcome of every action, the figures Koers computes
//! from them, the texts, the conclusions per theme, the attention points for next year and how
//! last year's went. Every logged-in role reads it; a beleidsadviseur or beheerder writes it.

use super::actions::{Catalogue, programme_of_year};
use super::{Ctx, OpsError};
use koers_domain::evaluation_forms::{self as forms, EvaluatieTekstenInvoer, UrenCorrectieInvoer};
use koers_domain::{
    ActieEvaluatieInvoer, FieldErrors, Fte, GeevalueerdeActie, Jaar, Kengetallen, Telling,
    Uitkomst, Vaststelling, has_control,
};
use koers_store::actions::{ActionDetail, ActionRow, ProgressEntry};
use koers_store::evaluation::{
    ActionEvaluationRow, AttentionPointRow, EvaluationRecord, EvaluationRow, ThemeConclusionRow,
};
use koers_store::programmes::Programme;
use std::collections::BTreeMap;

/// One action of the programme as the evaluation shows it.
#[derive(Clone)]
pub struct EvaluatedAction {
    pub action: ActionRow,
    pub theme_label: String,
    pub lead: String,
    /// The note of the newest progress report, or "".
    pub last_note: String,
    /// The outcome the last progress status suggests, for the user to confirm.
    pub suggestion: Uitkomst,
    /// `None` while nobody has evaluated the action.
    pub evaluation: Option<ActionEvaluationRow>,
}

impl EvaluatedAction {
    pub fn outcome(&self) -> Option<Uitkomst> {
        self.evaluation.as_ref().map(|e| e.outcome)
    }
}

/// The figures of one theme, with its conclusion.
pub struct ThemeFigures {
    pub theme_id: i64,
    pub label: String,
    pub figures: Telling,
    pub conclusion: Option<ThemeConclusionRow>,
}

/// The figures of one lead subteam, with its FTE in the programme's year.
pub struct SubteamFigures {
    pub subteam_id: i64,
    pub name: String,
    pub fte: Option<Fte>,
    pub figures: Telling,
}

/// Which outcome the list shows: not yet evaluated, or one outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeFilter {
    Open,
    Is(Uitkomst),
}

impl OutcomeFilter {
    pub fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Is(outcome) => outcome.code(),
        }
    }
}

/// The filter behind every figure: the actions of a theme, of a lead subteam, with an outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EvaluationFilter {
    pub theme_id: Option<i64>,
    pub subteam_id: Option<i64>,
    pub outcome: Option<OutcomeFilter>,
}

impl EvaluationFilter {
    /// Reads the filter from the query string's values (`thema`, `subteam`, `uitkomst`); an
    /// empty value does not filter, a value that cannot be one is a field error.
    pub fn parse(thema: &str, subteam: &str, uitkomst: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let id = |text: &str, field: &str, errors: &mut FieldErrors| {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            let id = koers_domain::action::parse_id(text);
            if id.is_none() {
                errors.add(field, "Dit filter is geen geldig nummer.");
            }
            id
        };
        let theme_id = id(thema, "thema", &mut errors);
        let subteam_id = id(subteam, "subteam", &mut errors);
        let outcome = match uitkomst.trim() {
            "" => None,
            "open" => Some(OutcomeFilter::Open),
            code => {
                let outcome = Uitkomst::from_code(code).map(OutcomeFilter::Is);
                if outcome.is_none() {
                    errors.add("uitkomst", "Deze uitkomst bestaat niet.");
                }
                outcome
            }
        };
        if errors.is_empty() {
            Ok(Self {
                theme_id,
                subteam_id,
                outcome,
            })
        } else {
            Err(errors)
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    pub fn matches(&self, action: &EvaluatedAction) -> bool {
        self.theme_id.is_none_or(|t| action.action.theme_id == t)
            && self
                .subteam_id
                .is_none_or(|s| action.action.lead_subteam_id == s)
            && self.outcome.is_none_or(|o| match o {
                OutcomeFilter::Open => action.evaluation.is_none(),
                OutcomeFilter::Is(outcome) => action.outcome() == Some(outcome),
            })
    }

    /// The query string of this filter, "" when it filters nothing.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(t) = self.theme_id {
            parts.push(format!("thema={t}"));
        }
        if let Some(s) = self.subteam_id {
            parts.push(format!("subteam={s}"));
        }
        if let Some(o) = self.outcome {
            parts.push(format!("uitkomst={}", o.code()));
        }
        parts.join("&")
    }
}

pub struct EvaluationView {
    pub year: Jaar,
    pub programme: Programme,
    /// The evaluation row; `None` until someone first saves anything.
    pub evaluation: Option<EvaluationRow>,
    pub status: Vaststelling,
    /// Every action of the programme, ordered by code.
    pub actions: Vec<EvaluatedAction>,
    pub figures: Kengetallen,
    /// In the plan's order; only themes with actions.
    pub themes: Vec<ThemeFigures>,
    /// In the catalogue's order; only subteams that lead an action.
    pub subteams: Vec<SubteamFigures>,
    /// This year's attention points for next year, in order.
    pub attention_points: Vec<AttentionPointRow>,
    /// Last year's attention points, to say how each went; `None` when last year has no
    /// evaluation in Koers.
    pub previous: Option<(Jaar, Vec<AttentionPointRow>)>,
    /// Whether the user may edit and the evaluation is not adopted.
    pub may_edit: bool,
    pub may_edit_plan: bool,
}

impl EvaluationView {
    /// The version the texts form carries: an evaluation without a row gets version 1 when
    /// first saved.
    pub fn texts_version(&self) -> i64 {
        self.evaluation.as_ref().map_or(1, |e| e.version)
    }

    pub fn filtered(&self, filter: &EvaluationFilter) -> Vec<&EvaluatedAction> {
        self.actions.iter().filter(|a| filter.matches(a)).collect()
    }

    /// The first action without an evaluation after `code` (in code order, wrapping round).
    pub fn next_open(&self, code: &str) -> Option<&EvaluatedAction> {
        let at = self
            .actions
            .iter()
            .position(|a| a.action.code == code)
            .unwrap_or(0);
        self.actions[at..]
            .iter()
            .chain(self.actions[..at].iter())
            .find(|a| a.evaluation.is_none() && a.action.code != code)
    }

    pub fn action(&self, code: &str) -> Option<&EvaluatedAction> {
        self.actions.iter().find(|a| a.action.code == code)
    }
}

/// Why edits are not possible, for the page; `None` when they are.
pub fn read_only_reason(view: &EvaluationView) -> Option<&'static str> {
    if !view.may_edit_plan {
        Some(
            "U kunt deze evaluatie lezen. Alleen een beleidsadviseur of beheerder kan haar invullen.",
        )
    } else if view.status.is_adopted() {
        Some(koers_store::evaluation::ADOPTED)
    } else {
        None
    }
}

/// The evaluation of the programme of `year`, with every action and the figures.
pub async fn evaluation(ctx: &Ctx, year: Jaar) -> Result<EvaluationView, OpsError> {
    let model = super::read_model::model(ctx).await?;
    let programme = model
        .programmes
        .iter()
        .find(|p| p.year == i64::from(year))
        .cloned()
        .ok_or(OpsError::NotFound)?;
    let catalogue = &model.catalogue;
    let rows = model
        .actions
        .get(&programme.id)
        .map(|l| l.actions.as_ref().clone())
        .unwrap_or_default();
    let record: EvaluationRecord = ctx.store.evaluation_record(ctx.org(), programme.id).await?;
    let notes: BTreeMap<i64, String> = ctx
        .store
        .last_progress_notes(ctx.org(), programme.id)
        .await?
        .into_iter()
        .collect();
    let outcomes: BTreeMap<i64, ActionEvaluationRow> = record
        .actions
        .iter()
        .map(|e| (e.action_id, e.clone()))
        .collect();
    let actions: Vec<EvaluatedAction> = rows
        .into_iter()
        .map(|action| EvaluatedAction {
            theme_label: catalogue.theme_label(action.theme_id),
            lead: Catalogue::name(&catalogue.subteams, action.lead_subteam_id),
            last_note: notes.get(&action.id).cloned().unwrap_or_default(),
            suggestion: Uitkomst::suggested_by(action.status),
            evaluation: outcomes.get(&action.id).cloned(),
            action,
        })
        .collect();
    let counted: Vec<GeevalueerdeActie> = actions
        .iter()
        .map(|a| GeevalueerdeActie {
            theme_id: a.action.theme_id,
            lead_subteam_id: a.action.lead_subteam_id,
            planned_hours: a.action.planned_hours,
            spent_hours: a.action.hours_spent,
            outcome: a.outcome(),
        })
        .collect();
    let figures = Kengetallen::of(&counted);
    let themes = catalogue
        .numbered_themes()
        .into_iter()
        .filter_map(|(_, _, theme)| {
            figures.per_theme.get(&theme.id).map(|t| ThemeFigures {
                theme_id: theme.id,
                label: catalogue.theme_label(theme.id),
                figures: t.clone(),
                conclusion: record
                    .themes
                    .iter()
                    .find(|c| c.theme_id == theme.id)
                    .cloned(),
            })
        })
        .collect();
    let capacity = ctx.store.capacity(ctx.org()).await?;
    let subteams = catalogue
        .subteams
        .iter()
        .filter_map(|subteam| {
            figures
                .per_subteam
                .get(&subteam.id)
                .map(|t| SubteamFigures {
                    subteam_id: subteam.id,
                    name: subteam.name.clone(),
                    fte: capacity
                        .iter()
                        .find(|(s, y, _)| *s == subteam.id && *y == i64::from(year))
                        .map(|(_, _, fte)| *fte),
                    figures: t.clone(),
                })
        })
        .collect();
    let previous = match year.previous() {
        Some(previous_year) => {
            match model
                .programmes
                .iter()
                .find(|p| p.year == i64::from(previous_year))
            {
                Some(p) => {
                    let last = ctx.store.evaluation_record(ctx.org(), p.id).await?;
                    last.evaluation
                        .map(|_| (previous_year, last.attention_points))
                }
                None => None,
            }
        }
        None => None,
    };
    let status = record
        .evaluation
        .as_ref()
        .map_or(Vaststelling::Concept, |e| e.status);
    let may_edit_plan = ctx.role().may_edit_plan();
    Ok(EvaluationView {
        year,
        programme,
        status,
        may_edit: may_edit_plan && !status.is_adopted(),
        may_edit_plan,
        attention_points: record.attention_points,
        evaluation: record.evaluation,
        actions,
        figures,
        themes,
        subteams,
        previous,
    })
}

/// One action on its evaluation page: everything about it and its progress.
pub struct ActionEvaluationView {
    pub view: EvaluationView,
    pub detail: ActionDetail,
    pub progress: Vec<ProgressEntry>,
}

impl ActionEvaluationView {
    pub fn action(&self) -> &EvaluatedAction {
        // The detail was read by the code of an action in the view.
        self.view
            .action(&self.detail.action.code)
            .expect("the action is in its programme")
    }
}

/// The code of an action from a URL; one that cannot exist is not looked up.
fn lookup_code(code: &str) -> Result<&str, OpsError> {
    if has_control(code) || code.chars().count() > 20 {
        Err(OpsError::NotFound)
    } else {
        Ok(code)
    }
}

pub async fn action_evaluation(
    ctx: &Ctx,
    year: Jaar,
    code: &str,
) -> Result<ActionEvaluationView, OpsError> {
    let code = lookup_code(code)?;
    let view = evaluation(ctx, year).await?;
    let detail = ctx
        .store
        .action_by_code(ctx.org(), view.programme.id, code)
        .await?;
    if view.action(&detail.action.code).is_none() {
        // Added after the read model was built; the next request sees it.
        return Err(OpsError::NotFound);
    }
    let progress = ctx.store.progress(ctx.org(), detail.action.id).await?;
    Ok(ActionEvaluationView {
        view,
        detail,
        progress,
    })
}

/// Saves the evaluation of one action read at `version` (0 for a first evaluation). Returns
/// the code of the next action that still needs an evaluation, if any.
pub async fn save_action(
    ctx: &Ctx,
    year: Jaar,
    code: &str,
    version: i64,
    input: &ActieEvaluatieInvoer,
) -> Result<Option<String>, OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    let code = lookup_code(code)?;
    let programme = programme_of_year(ctx, year).await?;
    let detail = ctx
        .store
        .action_by_code(ctx.org(), programme.id, code)
        .await?;
    let data = input.validate()?;
    ctx.store
        .save_action_evaluation(&ctx.actor(), detail.action.id, version, &data)
        .await?;
    // Read again after the save: the saved action no longer counts as open.
    let after = evaluation(&fresh(ctx).await?, year).await?;
    Ok(after.next_open(code).map(|a| a.action.code.clone()))
}

/// The request's context after a write: the organisation's revision has moved on, so the read
/// model is loaded again rather than served as it was when the request began.
async fn fresh(ctx: &Ctx) -> Result<Ctx, OpsError> {
    let mut ctx = ctx.clone();
    ctx.organisation = ctx
        .store
        .organisation(ctx.org())
        .await
        .map_err(OpsError::from)?;
    Ok(ctx)
}

/// The programme of `year`, for a user who may write its evaluation.
async fn programme_to_evaluate(ctx: &Ctx, year: Jaar) -> Result<Programme, OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    programme_of_year(ctx, year).await
}

pub async fn save_texts(
    ctx: &Ctx,
    year: Jaar,
    version: i64,
    input: &EvaluatieTekstenInvoer,
) -> Result<(), OpsError> {
    let programme = programme_to_evaluate(ctx, year).await?;
    let texts = input.validate()?;
    ctx.store
        .save_evaluation_texts(&ctx.actor(), programme.id, version, &texts)
        .await?;
    Ok(())
}

pub async fn save_theme_conclusion(
    ctx: &Ctx,
    year: Jaar,
    theme_id: i64,
    version: i64,
    text: &str,
) -> Result<(), OpsError> {
    let programme = programme_to_evaluate(ctx, year).await?;
    let conclusion = forms::thema_conclusie(text)?;
    ctx.store
        .save_theme_conclusion(&ctx.actor(), programme.id, theme_id, version, &conclusion)
        .await
        .map_err(|e| match e {
            // A theme of another organisation, or none at all, is not found.
            koers_store::StoreError::Invalid(_) => OpsError::NotFound,
            other => other.into(),
        })
}

pub async fn add_attention_point(ctx: &Ctx, year: Jaar, text: &str) -> Result<(), OpsError> {
    let programme = programme_to_evaluate(ctx, year).await?;
    let text = forms::aandachtspunt(text)?;
    ctx.store
        .add_attention_point(&ctx.actor(), programme.id, &text)
        .await?;
    Ok(())
}

pub async fn update_attention_point(
    ctx: &Ctx,
    year: Jaar,
    point_id: i64,
    version: i64,
    text: &str,
) -> Result<(), OpsError> {
    let programme = programme_to_evaluate(ctx, year).await?;
    let text = forms::aandachtspunt(text)?;
    ctx.store
        .update_attention_point(&ctx.actor(), programme.id, point_id, version, &text)
        .await?;
    Ok(())
}

pub async fn remove_attention_point(ctx: &Ctx, year: Jaar, point_id: i64) -> Result<(), OpsError> {
    let programme = programme_to_evaluate(ctx, year).await?;
    ctx.store
        .remove_attention_point(&ctx.actor(), programme.id, point_id)
        .await?;
    Ok(())
}

pub async fn move_attention_point(
    ctx: &Ctx,
    year: Jaar,
    point_id: i64,
    up: bool,
) -> Result<(), OpsError> {
    let programme = programme_to_evaluate(ctx, year).await?;
    ctx.store
        .move_attention_point(&ctx.actor(), programme.id, point_id, up)
        .await?;
    Ok(())
}

/// Records, in the evaluation of `year`, how one of last year's attention points went.
pub async fn save_follow_up(
    ctx: &Ctx,
    year: Jaar,
    point_id: i64,
    version: i64,
    text: &str,
) -> Result<(), OpsError> {
    let programme = programme_to_evaluate(ctx, year).await?;
    let follow_up = forms::vervolg(text)?;
    ctx.store
        .save_attention_follow_up(&ctx.actor(), programme.id, point_id, version, &follow_up)
        .await?;
    Ok(())
}

/// Corrects the hours spent on an action with a new progress entry, dated today (or the last
/// day a report on this programme may carry).
pub async fn correct_hours(
    ctx: &Ctx,
    year: Jaar,
    code: &str,
    input: &UrenCorrectieInvoer,
) -> Result<(), OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    let code = lookup_code(code)?;
    let programme = programme_of_year(ctx, year).await?;
    let detail = ctx
        .store
        .action_by_code(ctx.org(), programme.id, code)
        .await?;
    let correction = input.validate()?;
    let (first, last) = koers_domain::progress::date_window(year);
    let date = ctx.today().clamp(first, last);
    ctx.store
        .correct_hours(&ctx.actor(), detail.action.id, &correction, date)
        .await?;
    Ok(())
}
