//! The risk analysis of the task fields (F8): the organisation's risk model in versions, and an
//! analysis per task field scored with the model version it was made with. Everyone reads;
//! beleidsadviseurs and beheerders save a new model version or a new analysis.

use super::{Ctx, OpsError, read_model};
use chrono::{DateTime, Utc};
use koers_domain::risk::{AnalyseInvoer, Risicomodel, RisicomodelInvoer, Uitslag};
use koers_store::risk::{AnalysisBase, RiskAnalysis, RiskModelVersion, TaskFieldRef};
use std::collections::HashMap;

/// The model in force: the newest stored version, or Koers' default (number 0) before the
/// organisation saved one.
#[derive(Debug, Clone)]
pub struct CurrentModel {
    pub number: i64,
    pub model: Risicomodel,
    /// When and by whom it was saved; `None` for the default.
    pub saved: Option<(DateTime<Utc>, String)>,
}

impl CurrentModel {
    fn of(versions: &[RiskModelVersion]) -> Self {
        match versions.last() {
            Some(v) => Self {
                number: v.number,
                model: v.model.clone(),
                saved: Some((v.created_at, v.created_by.clone())),
            },
            None => Self {
                number: 0,
                model: Risicomodel::standaard(),
                saved: None,
            },
        }
    }
}

/// An analysis with its result under the model version it was made with.
#[derive(Debug, Clone)]
pub struct Scored {
    pub analysis: RiskAnalysis,
    pub model: Risicomodel,
    pub uitslag: Uitslag,
}

/// A task field with its analysis in force, if any.
#[derive(Debug, Clone)]
pub struct Row {
    pub field: TaskFieldRef,
    pub current: Option<Scored>,
}

/// What the risk analysis page shows.
#[derive(Debug, Clone)]
pub struct Overview {
    pub model: CurrentModel,
    pub versions: Vec<RiskModelVersion>,
    /// The task fields in use, and retired ones that have an analysis.
    pub rows: Vec<Row>,
}

impl Overview {
    /// How many analyses in force were made with an earlier model version.
    pub fn on_older_model(&self) -> usize {
        self.rows
            .iter()
            .filter_map(|r| r.current.as_ref())
            .filter(|s| s.analysis.model_number != self.model.number)
            .count()
    }
}

/// One task field's analyses, newest first, each with its own model version's result.
#[derive(Debug, Clone)]
pub struct FieldView {
    pub field: TaskFieldRef,
    pub model: CurrentModel,
    pub history: Vec<Scored>,
}

impl FieldView {
    /// The number of the analysis in force (0: none yet), the version a new one replaces.
    pub fn analysis_number(&self) -> i64 {
        self.history.first().map_or(0, |s| s.analysis.number)
    }
}

fn scored(models: &HashMap<i64, &Risicomodel>, analysis: RiskAnalysis) -> Option<Scored> {
    let model = (*models.get(&analysis.model_id)?).clone();
    Some(Scored {
        uitslag: model.uitslag(&analysis.analyse),
        model,
        analysis,
    })
}

async fn load(
    ctx: &Ctx,
) -> Result<(Vec<RiskModelVersion>, Vec<TaskFieldRef>, Vec<RiskAnalysis>), OpsError> {
    let store = &ctx.store;
    Ok((
        store.risk_models(ctx.org()).await?,
        store.task_field_refs(ctx.org()).await?,
        store.risk_analyses(ctx.org()).await?,
    ))
}

fn overview_of(
    versions: Vec<RiskModelVersion>,
    fields: Vec<TaskFieldRef>,
    analyses: Vec<RiskAnalysis>,
) -> Overview {
    let models: HashMap<i64, &Risicomodel> = versions.iter().map(|v| (v.id, &v.model)).collect();
    let mut newest: HashMap<i64, RiskAnalysis> = HashMap::new();
    for analysis in analyses {
        newest.insert(analysis.task_field_id, analysis);
    }
    let rows = fields
        .into_iter()
        .filter_map(|field| {
            let current = newest.remove(&field.id).and_then(|a| scored(&models, a));
            (!field.retired || current.is_some()).then_some(Row { field, current })
        })
        .collect();
    Overview {
        model: CurrentModel::of(&versions),
        rows,
        versions,
    }
}

/// The risk analysis page's data, through the organisation's cached model.
pub async fn overview(ctx: &Ctx) -> Result<std::sync::Arc<Overview>, OpsError> {
    read_model::loaded(ctx, "risicoanalyse", 0, || async {
        let (versions, fields, analyses) = load(ctx).await?;
        Ok(overview_of(versions, fields, analyses))
    })
    .await
}

/// The same from the database, for forms and the answers to writes.
pub async fn overview_fresh(ctx: &Ctx) -> Result<Overview, OpsError> {
    let (versions, fields, analyses) = load(ctx).await?;
    Ok(overview_of(versions, fields, analyses))
}

/// Every model version, oldest first, and the one in force; from the database.
pub async fn models(ctx: &Ctx) -> Result<(CurrentModel, Vec<RiskModelVersion>), OpsError> {
    let versions = ctx.store.risk_models(ctx.org()).await?;
    Ok((CurrentModel::of(&versions), versions))
}

/// Saves a new version of the model if nobody did since `expected` (0: the default is in force).
pub async fn save_model(
    ctx: &Ctx,
    expected: i64,
    input: &RisicomodelInvoer,
) -> Result<i64, OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    let model = input.validate()?;
    Ok(ctx
        .store
        .add_risk_model(&ctx.actor(), expected, &model)
        .await?)
}

/// One task field's analyses, from the database (the analysis form shows it).
pub async fn field(ctx: &Ctx, id: i64) -> Result<FieldView, OpsError> {
    let (versions, fields, analyses) = load(ctx).await?;
    let field = fields
        .into_iter()
        .find(|f| f.id == id)
        .ok_or(OpsError::NotFound)?;
    let models: HashMap<i64, &Risicomodel> = versions.iter().map(|v| (v.id, &v.model)).collect();
    let mut history: Vec<Scored> = analyses
        .into_iter()
        .filter(|a| a.task_field_id == id)
        .filter_map(|a| scored(&models, a))
        .collect();
    history.reverse();
    Ok(FieldView {
        field,
        model: CurrentModel::of(&versions),
        history,
    })
}

/// Saves a new analysis of task field `id`, scored against the model version `model_number`
/// (0: the default, which is then saved as version 1), if nobody saved an analysis of this
/// task field since `analysis_number`. Returns the new analysis' number.
pub async fn save_analysis(
    ctx: &Ctx,
    id: i64,
    analysis_number: i64,
    model_number: i64,
    input: &AnalyseInvoer,
) -> Result<i64, OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    let (current, _) = models(ctx).await?;
    if current.number != model_number {
        return Err(OpsError::Refused(
            "Het risicomodel is intussen gewijzigd. Open de analyse opnieuw en vul haar in met de criteria van het nieuwe model.".into(),
        ));
    }
    let analyse = input.validate(&current.model)?;
    let base = AnalysisBase {
        analysis_number,
        model_number,
        model: &current.model,
    };
    Ok(ctx
        .store
        .add_risk_analysis(&ctx.actor(), id, base, &analyse)
        .await?)
}
