//! The policy plan and its catalogue: domains, themes, ambitions, opgaven, subteams, partners.

use super::{Ctx, OpsError};
use koers_domain::{FieldErrors, Fte};
use koers_store::catalog::{Direction, Item, ItemInput, Kind};
use koers_store::plan::{Plan, PlanInput};

/// Everything the plan page shows.
pub struct PlanView {
    pub plan: Option<Plan>,
    pub domains: Vec<Item>,
    pub themes: Vec<Item>,
    pub ambitions: Vec<Item>,
    pub opgaven: Vec<Item>,
    pub participation: Vec<(i64, i64)>,
}

pub async fn view(ctx: &Ctx) -> Result<PlanView, OpsError> {
    let store = &ctx.store;
    Ok(PlanView {
        plan: store.plan(ctx.org()).await?,
        domains: store.items(ctx.org(), Kind::Domain).await?,
        themes: store.items(ctx.org(), Kind::Theme).await?,
        ambitions: store.items(ctx.org(), Kind::Ambition).await?,
        opgaven: store.items(ctx.org(), Kind::Opgave).await?,
        participation: store.participation(ctx.org()).await?,
    })
}

pub async fn current_plan(ctx: &Ctx) -> Result<Option<Plan>, OpsError> {
    Ok(ctx.store.plan(ctx.org()).await?)
}

pub async fn items(ctx: &Ctx, kind: Kind) -> Result<Vec<Item>, OpsError> {
    Ok(ctx.store.items(ctx.org(), kind).await?)
}

/// What the beheer page shows: plan years, subteams with their FTE, partners.
pub struct Formation {
    pub years: Vec<i64>,
    pub subteams: Vec<Item>,
    /// (subteam id, year, FTE)
    pub capacity: Vec<(i64, i64, Fte)>,
    pub partners: Vec<Item>,
}

pub async fn formation(ctx: &Ctx) -> Result<Formation, OpsError> {
    require_catalogue_editor(ctx)?;
    let years = current_plan(ctx)
        .await?
        .map(|p| p.years().collect())
        .unwrap_or_default();
    Ok(Formation {
        years,
        subteams: items(ctx, Kind::Subteam).await?,
        capacity: ctx.store.capacity(ctx.org()).await?,
        partners: items(ctx, Kind::Partner).await?,
    })
}

/// Creates the plan, or saves it when `existing` gives its id and the version the user read.
pub async fn save_plan(
    ctx: &Ctx,
    existing: Option<(i64, i64)>,
    input: &PlanInput,
) -> Result<i64, OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    let data = input.validate()?;
    match existing {
        Some((id, version)) => {
            ctx.store
                .update_plan(&ctx.actor(), id, version, &data)
                .await?;
            Ok(id)
        }
        None => Ok(ctx.store.create_plan(&ctx.actor(), &data).await?),
    }
}

/// One catalogue item of the organisation; every role may read it.
pub async fn item(ctx: &Ctx, kind: Kind, id: i64) -> Result<Item, OpsError> {
    Ok(ctx.store.item(ctx.org(), kind, id).await?)
}

fn require_catalogue_editor(ctx: &Ctx) -> Result<(), OpsError> {
    ctx.require(ctx.role().may_edit_plan())
}

pub async fn create_item(
    ctx: &Ctx,
    kind: Kind,
    parent_id: Option<i64>,
    input: &ItemInput,
) -> Result<i64, OpsError> {
    require_catalogue_editor(ctx)?;
    let input = input.validate(kind)?;
    let parent_id = match kind {
        // Domains hang under the current plan, which the user does not choose.
        Kind::Domain => Some(
            ctx.store
                .plan(ctx.org())
                .await?
                .ok_or_else(|| OpsError::Refused("Leg eerst het beleidsplan vast.".into()))?
                .id,
        ),
        _ => parent_id,
    };
    Ok(ctx
        .store
        .create_item(&ctx.actor(), kind, parent_id, &input, false)
        .await?)
}

pub async fn update_item(
    ctx: &Ctx,
    kind: Kind,
    id: i64,
    version: i64,
    input: &ItemInput,
) -> Result<(), OpsError> {
    require_catalogue_editor(ctx)?;
    let input = input.validate(kind)?;
    Ok(ctx
        .store
        .update_item(&ctx.actor(), kind, id, version, &input)
        .await?)
}

/// The small changes on an item that need no form: order, retire, restore, delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemChange {
    Up,
    Down,
    Retire,
    Restore,
    Delete,
}

impl ItemChange {
    pub fn from_slug(slug: &str) -> Option<Self> {
        match slug {
            "omhoog" => Some(Self::Up),
            "omlaag" => Some(Self::Down),
            "intrekken" => Some(Self::Retire),
            "herstellen" => Some(Self::Restore),
            "verwijderen" => Some(Self::Delete),
            _ => None,
        }
    }
}

pub async fn change_item(
    ctx: &Ctx,
    kind: Kind,
    id: i64,
    change: ItemChange,
) -> Result<(), OpsError> {
    require_catalogue_editor(ctx)?;
    let actor = ctx.actor();
    let store = &ctx.store;
    match change {
        ItemChange::Up => store.move_item(&actor, kind, id, Direction::Up).await?,
        ItemChange::Down => store.move_item(&actor, kind, id, Direction::Down).await?,
        ItemChange::Retire => store.set_item_retired(&actor, kind, id, true).await?,
        ItemChange::Restore => store.set_item_retired(&actor, kind, id, false).await?,
        ItemChange::Delete => store.delete_item(&actor, kind, id).await?,
    }
    Ok(())
}

/// The item to delete and, when something still uses it, why it cannot be deleted.
pub async fn deletion_check(
    ctx: &Ctx,
    kind: Kind,
    id: i64,
) -> Result<(Item, Option<String>), OpsError> {
    require_catalogue_editor(ctx)?;
    let item = item(ctx, kind, id).await?;
    let refusal = ctx.store.deletion_refusal(ctx.org(), kind, id).await?;
    Ok((item, refusal))
}

/// Sets participation in the opgaven for every year of the plan at once: `chosen` holds the
/// (opgave, year) pairs that were ticked. A pair that is not in the grid, or twice in it,
/// refuses the whole form; the changed cells are saved in one transaction.
pub async fn save_participation(ctx: &Ctx, chosen: &[(i64, i64)]) -> Result<(), OpsError> {
    require_catalogue_editor(ctx)?;
    let plan = ctx.store.plan(ctx.org()).await?.ok_or(OpsError::NotFound)?;
    let opgaven = ctx.store.items(ctx.org(), Kind::Opgave).await?;
    let in_grid = |(opgave, year): &(i64, i64)| {
        opgaven.iter().any(|o| o.id == *opgave) && plan.years().any(|y| y == *year)
    };
    let mut seen = std::collections::BTreeSet::new();
    if !chosen
        .iter()
        .all(|cell| in_grid(cell) && seen.insert(*cell))
    {
        return Err(FieldErrors::single(
            "deelname",
            "Het formulier bevat een opgave of jaar dat niet in de tabel staat, of een vakje twee keer. \
             Laad de pagina opnieuw en probeer het nog eens.",
        )
        .into());
    }
    let current = ctx.store.participation(ctx.org()).await?;
    let mut changes = Vec::new();
    for opgave in &opgaven {
        for year in plan.years() {
            let wanted = chosen.contains(&(opgave.id, year));
            if wanted != current.contains(&(opgave.id, year)) {
                changes.push((opgave.id, year, wanted));
            }
        }
    }
    Ok(ctx.store.save_participation(&ctx.actor(), &changes).await?)
}

/// Saves the formation grid: FTE as typed per (subteam, year). All cells are checked before
/// anything is stored, so one typing error changes nothing; a cell that is not in the grid, or
/// twice in it, refuses the whole form; the changed cells are saved in one transaction.
pub async fn save_capacity(ctx: &Ctx, cells: &[(i64, i64, String)]) -> Result<(), OpsError> {
    require_catalogue_editor(ctx)?;
    let formation = formation(ctx).await?;
    let mut errors = FieldErrors::default();
    let mut parsed = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (subteam, year, text) in cells {
        let field = format!("fte_{subteam}_{year}");
        let in_grid = formation
            .subteams
            .iter()
            .any(|s| s.id == *subteam && !s.retired)
            && formation.years.contains(year);
        if !in_grid || !seen.insert((*subteam, *year)) {
            errors.add(
                "formatie",
                "Het formulier bevat een subteam of jaar dat niet in de tabel staat, of een vakje \
                 twee keer. Laad de pagina opnieuw en probeer het nog eens.",
            );
            continue;
        }
        if let Some(fte) = errors.check(&field, Fte::parse(text)) {
            parsed.push((*subteam, *year, fte));
        }
    }
    if !errors.is_empty() {
        return Err(OpsError::Invalid(errors));
    }
    let current = formation.capacity;
    let changes: Vec<_> = parsed
        .into_iter()
        .filter(|(subteam, year, fte)| {
            let unchanged = current
                .iter()
                .any(|(s, y, f)| s == subteam && y == year && f == fte)
                || (*fte == Fte::default()
                    && !current.iter().any(|(s, y, _)| s == subteam && y == year));
            !unchanged
        })
        .collect();
    Ok(ctx.store.save_capacity(&ctx.actor(), &changes).await?)
}
