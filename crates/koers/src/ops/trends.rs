//! Trends across years (F21): per programme year, in total and per theme, the number of
//! actions, the share realised and the hours planned and spent, from the read model.

use super::read_model;
use super::{Ctx, OpsError};
use koers_domain::trend::{JaarCijfers, TrendActie};

/// One year of the trends.
pub struct TrendYear {
    pub year: i64,
    pub figures: JaarCijfers,
}

/// A theme as the trends show it: in plan order, retired ones marked.
pub struct TrendTheme {
    pub id: i64,
    pub label: String,
    pub retired: bool,
}

pub struct Trends {
    /// Every year with a programme, oldest first.
    pub years: Vec<TrendYear>,
    /// Every active theme, and every retired theme that has actions in some year.
    pub themes: Vec<TrendTheme>,
}

pub async fn trends(ctx: &Ctx) -> Result<Trends, OpsError> {
    let model = read_model::model(ctx).await?;
    let mut programmes = model.programmes.clone();
    programmes.sort_by_key(|p| p.year);
    let mut years = Vec::with_capacity(programmes.len());
    for programme in &programmes {
        let outcomes = read_model::outcomes(ctx, &model, programme.id).await?;
        let actions: Vec<TrendActie> = model
            .actions
            .get(&programme.id)
            .map(|l| l.actions.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|a| TrendActie {
                theme_id: a.theme_id,
                status: a.status,
                outcome: outcomes.get(&a.id).copied(),
                planned_hours: a.planned_hours,
                spent_hours: a.hours_spent,
            })
            .collect();
        years.push(TrendYear {
            year: programme.year,
            figures: JaarCijfers::of(&actions),
        });
    }
    let catalogue = &model.catalogue;
    let themes = catalogue
        .numbered_themes()
        .into_iter()
        .filter(|(_, _, theme)| {
            !theme.retired
                || years
                    .iter()
                    .any(|y| y.figures.per_theme.contains_key(&theme.id))
        })
        .map(|(_, _, theme)| TrendTheme {
            id: theme.id,
            label: catalogue.theme_label(theme.id),
            retired: theme.retired,
        })
        .collect();
    Ok(Trends { years, themes })
}
