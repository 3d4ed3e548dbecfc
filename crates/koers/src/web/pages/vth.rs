//! VTH task fields and capacity: the catalogue of task fields at `/taakvelden`, their figures
//! per year at `/programma/{jaar}/taakvelden`, the capacity per subteam at
//! `/programma/{jaar}/capaciteit` and its settings at `/beheer/capaciteit`.

use super::{Choice, parse_id, parse_year, redirect_with, render, render_with_status, thousands};
use crate::app::AppState;
use crate::ops::OpsError;
use crate::ops::actions::Catalogue;
use crate::ops::plan::ItemChange;
use crate::ops::vth::{self as ops, VthYear};
use crate::web::error::WebError;
use crate::web::form::FormData;
use crate::web::layout::{Layout, Section};
use crate::web::session::Current;
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use koers_domain::capacity::{Bezetting, Regel};
use koers_domain::vth::{Discipline, JaarcijfersInvoer, QUARTERS, TaakveldInvoer, whole_hours};
use koers_domain::{FieldErrors, Jaar};
use koers_store::catalog::Item;
use koers_store::vth::{CapacitySettings, TaskField, TaskFieldYear};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/taakvelden", get(list).post(create))
        .route("/taakvelden/nieuw", get(new_form))
        .route(
            "/taakvelden/{id}/bewerken",
            get(edit_form).post(edit_submit),
        )
        .route("/taakvelden/{id}/{handeling}", post(change))
        .route("/programma/{jaar}/taakvelden", get(year_page))
        .route(
            "/programma/{jaar}/taakvelden/{id}",
            get(figures_form).post(figures_submit),
        )
        .route("/programma/{jaar}/capaciteit", get(capacity_page))
        .route(
            "/beheer/capaciteit",
            get(settings_form).post(settings_submit),
        )
}

/// Hundredths of an hour as whole hours, the Dutch way: "1.234".
fn hours(hundredths: i64) -> String {
    thousands(whole_hours(hundredths))
}

fn subteam_choices(subteams: &[Item], chosen: &str, keep: Option<i64>) -> Vec<Choice> {
    Choice::list(
        subteams
            .iter()
            .filter(|s| !s.retired || Some(s.id) == keep)
            .map(|s| (s.id.to_string(), s.name.clone())),
        &[chosen.trim().to_string()],
    )
}

fn discipline_choices(chosen: &str) -> Vec<Choice> {
    Choice::list(
        Discipline::ALL
            .into_iter()
            .map(|d| (d.code().to_string(), d.label().to_string())),
        &[chosen.trim().to_string()],
    )
}

/// One task field in words.
pub struct FieldRow {
    pub field: TaskField,
    pub discipline: &'static str,
    pub lead: String,
    pub norm: String,
    pub term: String,
}

fn field_row(field: &TaskField, subteams: &[Item]) -> FieldRow {
    FieldRow {
        discipline: field.discipline.label(),
        lead: Catalogue::name(subteams, field.lead_subteam_id),
        norm: field.norm().to_string(),
        term: field
            .decision_term_weeks
            .map_or_else(|| "geen".to_string(), |w| format!("{w} weken")),
        field: field.clone(),
    }
}

#[derive(Template)]
#[template(path = "task_fields.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<FieldRow>,
    may_edit: bool,
    year: i64,
}

pub async fn list(current: Current) -> Result<Response, WebError> {
    let ctx = &current.ctx;
    let model = crate::ops::read_model::model(ctx).await?;
    let year = crate::ops::actions::default_year(ctx).await?;
    let fields =
        crate::ops::read_model::loaded(ctx, "taakvelden", 0, || ops::task_fields(ctx)).await?;
    let rows = fields
        .iter()
        .map(|f| field_row(f, &model.catalogue.subteams))
        .collect();
    let page = ListPage {
        layout: Layout::new(&current, Section::Beleidsplan, "Taakvelden"),
        rows,
        may_edit: ctx.role().may_edit_plan(),
        year: year.into(),
    };
    render(&current, &page)
}

#[derive(Template)]
#[template(path = "task_field_form.html")]
struct FieldForm {
    layout: Layout,
    input: TaakveldInvoer,
    errors: FieldErrors,
    id: Option<i64>,
    version: i64,
    conflict: Option<FieldRow>,
    subteams: Vec<Choice>,
    disciplines: Vec<Choice>,
}

async fn field_form(
    current: &Current,
    input: TaakveldInvoer,
    errors: FieldErrors,
    editing: Option<(i64, i64)>,
    conflict: Option<TaskField>,
) -> Result<FieldForm, WebError> {
    let subteams =
        crate::ops::plan::items(&current.ctx, koers_store::catalog::Kind::Subteam).await?;
    let keep = conflict.as_ref().map(|c| c.lead_subteam_id);
    let title = if editing.is_some() {
        "Taakveld bewerken"
    } else {
        "Nieuw taakveld"
    };
    Ok(FieldForm {
        layout: Layout::new(current, Section::Beleidsplan, title),
        subteams: subteam_choices(&subteams, &input.lead_subteam_id, keep),
        disciplines: discipline_choices(&input.discipline),
        conflict: conflict.map(|c| field_row(&c, &subteams)),
        input,
        errors,
        id: editing.map(|(id, _)| id),
        version: editing.map_or(0, |(_, v)| v),
    })
}

fn field_input(form: &FormData) -> TaakveldInvoer {
    TaakveldInvoer {
        code: form.get("code"),
        name: form.get("name"),
        discipline: form.get("discipline"),
        lead_subteam_id: form.get("lead_subteam_id"),
        unit: form.get("unit"),
        norm: form.get("norm"),
        decision_term_weeks: form.get("decision_term_weeks"),
        description: form.get("description"),
    }
}

pub async fn new_form(current: Current) -> Result<Response, WebError> {
    current.ctx.require(current.ctx.role().may_edit_plan())?;
    let page = field_form(
        &current,
        TaakveldInvoer::default(),
        FieldErrors::default(),
        None,
        None,
    )
    .await?;
    render(&current, &page)
}

pub async fn create(current: Current, body: Bytes) -> Result<Response, WebError> {
    let input = field_input(&FormData::parse(&body));
    match ops::create_task_field(&current.ctx, &input).await {
        Ok(_) => Ok(redirect_with(
            "/taakvelden",
            &format!("Taakveld '{}' is toegevoegd.", input.name.trim()),
        )),
        Err(OpsError::Invalid(errors)) => {
            let page = field_form(&current, input, errors, None, None).await?;
            render_with_status(&current, &page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => Err(other.into()),
    }
}

fn input_of(field: &TaskField) -> TaakveldInvoer {
    TaakveldInvoer {
        code: field.code.clone(),
        name: field.name.clone(),
        discipline: field.discipline.code().to_string(),
        lead_subteam_id: field.lead_subteam_id.to_string(),
        unit: field.unit.clone(),
        norm: field.norm().to_string(),
        decision_term_weeks: field
            .decision_term_weeks
            .map(|w| w.to_string())
            .unwrap_or_default(),
        description: field.description.clone(),
    }
}

pub async fn edit_form(current: Current, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    current.ctx.require(current.ctx.role().may_edit_plan())?;
    let field = ops::task_field(&current.ctx, id).await?;
    let page = field_form(
        &current,
        input_of(&field),
        FieldErrors::default(),
        Some((id, field.version)),
        None,
    )
    .await?;
    render(&current, &page)
}

pub async fn edit_submit(
    current: Current,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let form = FormData::parse(&body);
    let input = field_input(&form);
    let version = form.version();
    let (errors, conflict) = match ops::update_task_field(&current.ctx, id, version, &input).await {
        Ok(()) => return Ok(redirect_with("/taakvelden", "De wijziging is opgeslagen.")),
        Err(OpsError::Invalid(errors)) => (errors, None),
        Err(OpsError::Conflict { .. }) => (
            FieldErrors::default(),
            Some(ops::task_field(&current.ctx, id).await?),
        ),
        Err(other) => return Err(other.into()),
    };
    let status = if conflict.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let version = conflict.as_ref().map_or(version, |c| c.version);
    let page = field_form(&current, input, errors, Some((id, version)), conflict).await?;
    render_with_status(&current, &page, status)
}

pub async fn change(
    current: Current,
    Path((id, action)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let change = match ItemChange::from_slug(&action) {
        Some(ItemChange::Delete) | None => return Err(WebError::NotFound),
        Some(change) => change,
    };
    ops::change_task_field(&current.ctx, id, change).await?;
    let message = match change {
        ItemChange::Retire => {
            "Ingetrokken. Het taakveld blijft zichtbaar in de jaren met cijfers en kan worden hersteld."
        }
        ItemChange::Restore => "Hersteld.",
        _ => "De volgorde is aangepast.",
    };
    Ok(redirect_with("/taakvelden", message))
}

/// One task field in the year's table, in words.
pub struct YearRow {
    pub id: i64,
    pub name: String,
    pub code: String,
    pub discipline: &'static str,
    pub lead: String,
    pub unit: String,
    pub norm: String,
    pub planned_volume: String,
    pub planned_hours: String,
    pub realised_volume: String,
    pub realised_hours: String,
    pub in_term: String,
    pub retired: bool,
}

fn year_rows(year: &VthYear, subteams: &[Item]) -> (Vec<YearRow>, i64, i64) {
    let mut planned_total = 0;
    let mut realised_total = 0;
    let rows = year
        .shown_fields()
        .map(|field| {
            let figures = year.figures_of(field.id).map(TaskFieldYear::figures);
            let planned = year.planned_hundredths(field);
            planned_total += planned;
            let realised = figures.as_ref().filter(|f| f.any_realised());
            realised_total += realised.map_or(0, |f| f.realised_hours_total());
            YearRow {
                id: field.id,
                name: field.name.clone(),
                code: field.code.clone(),
                discipline: field.discipline.label(),
                lead: Catalogue::name(subteams, field.lead_subteam_id),
                unit: field.unit.clone(),
                norm: field.norm().to_string(),
                planned_volume: figures
                    .as_ref()
                    .map_or_else(|| "—".into(), |f| thousands(f.planned_volume.get())),
                planned_hours: if figures.is_some() {
                    hours(planned)
                } else {
                    "—".into()
                },
                realised_volume: realised
                    .map_or_else(|| "—".into(), |f| thousands(f.realised_volume_total())),
                realised_hours: realised
                    .map_or_else(|| "—".into(), |f| thousands(f.realised_hours_total())),
                in_term: match (&figures, field.decision_term_weeks) {
                    (_, None) => "geen termijn".into(),
                    (Some(f), Some(_)) => f
                        .share_in_term()
                        .map_or_else(|| "—".into(), |p| format!("{p}%")),
                    (None, Some(_)) => "—".into(),
                },
                retired: field.retired,
            }
        })
        .collect();
    (rows, planned_total, realised_total * 100)
}

#[derive(Template)]
#[template(path = "task_field_year.html")]
struct YearPage {
    layout: Layout,
    year: i64,
    rows: Vec<YearRow>,
    planned_total: String,
    realised_total: String,
    may_edit: bool,
    has_programme: bool,
}

pub async fn year_page(current: Current, Path(jaar): Path<String>) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let ctx = &current.ctx;
    let vth = ops::year_cached(ctx, year).await?;
    let catalogue = Catalogue::shared(ctx).await?;
    let (rows, planned, realised) = year_rows(&vth, &catalogue.subteams);
    let page = YearPage {
        layout: Layout::new(&current, Section::Programma, format!("Taakvelden {year}"))
            .with_year(year.into()),
        year: year.into(),
        rows,
        planned_total: hours(planned),
        realised_total: hours(realised),
        may_edit: ctx.role().may_edit_plan() || ctx.role() == koers_domain::Rol::Teamlid,
        has_programme: vth.programme.is_some(),
    };
    render(&current, &page)
}

/// One quarter of the figures form: (volume field, volume, its error, hours field, hours, its
/// error).
pub struct QuarterInput {
    pub quarter: u8,
    pub volume_field: String,
    pub volume: String,
    pub volume_error: Option<String>,
    pub hours_field: String,
    pub hours: String,
    pub hours_error: Option<String>,
}

#[derive(Template)]
#[template(path = "task_field_figures.html")]
struct FiguresForm {
    layout: Layout,
    year: i64,
    field: FieldRow,
    input: JaarcijfersInvoer,
    quarters: Vec<QuarterInput>,
    errors: FieldErrors,
    version: i64,
    may_plan: bool,
    planned_hours: String,
    conflict: Option<TaskFieldYear>,
}

fn quarters(input: &JaarcijfersInvoer, errors: &FieldErrors) -> Vec<QuarterInput> {
    QUARTERS
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let volume_field = format!("realised_volume_q{q}");
            let hours_field = format!("realised_hours_q{q}");
            QuarterInput {
                quarter: *q,
                volume_error: errors.get(&volume_field).map(str::to_string),
                hours_error: errors.get(&hours_field).map(str::to_string),
                volume_field,
                hours_field,
                volume: input.realised_volume[i].clone(),
                hours: input.realised_hours[i].clone(),
            }
        })
        .collect()
}

async fn figures_page(
    current: &Current,
    year: Jaar,
    id: i64,
    input: Option<JaarcijfersInvoer>,
    errors: FieldErrors,
    version: Option<i64>,
    conflict: bool,
) -> Result<FiguresForm, WebError> {
    let ctx = &current.ctx;
    let (field, stored) = ops::year_figures(ctx, year, id).await?;
    let rights = ops::rights(ctx, &field);
    ctx.require(rights.plan || rights.realisation)?;
    let subteams = crate::ops::plan::items(ctx, koers_store::catalog::Kind::Subteam).await?;
    let input = input.unwrap_or_else(|| ops::input_of(stored.as_ref()));
    let planned_hours = stored.as_ref().map_or_else(
        || "0".to_string(),
        |s| {
            hours(koers_domain::vth::planned_hundredths(
                s.figures().planned_volume,
                field.norm(),
            ))
        },
    );
    let stored_version = stored.as_ref().map_or(0, |s| s.version);
    Ok(FiguresForm {
        layout: Layout::new(
            current,
            Section::Programma,
            format!("{} in {year}", field.name),
        )
        .with_year(year.into()),
        year: year.into(),
        quarters: quarters(&input, &errors),
        input,
        errors,
        version: if conflict {
            stored_version
        } else {
            version.unwrap_or(stored_version)
        },
        may_plan: rights.plan,
        planned_hours,
        conflict: if conflict { stored } else { None },
        field: field_row(&field, &subteams),
    })
}

pub async fn figures_form(
    current: Current,
    Path((jaar, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let id = parse_id(&id)?;
    let page = figures_page(
        &current,
        year,
        id,
        None,
        FieldErrors::default(),
        None,
        false,
    )
    .await?;
    render(&current, &page)
}

fn figures_input(form: &FormData) -> JaarcijfersInvoer {
    JaarcijfersInvoer {
        planned_volume: form.get("planned_volume"),
        realised_volume: QUARTERS.map(|q| form.get(&format!("realised_volume_q{q}"))),
        realised_hours: QUARTERS.map(|q| form.get(&format!("realised_hours_q{q}"))),
        decided: form.get("decided"),
        decided_in_term: form.get("decided_in_term"),
    }
}

pub async fn figures_submit(
    current: Current,
    Path((jaar, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let id = parse_id(&id)?;
    let form = FormData::parse(&body);
    let input = figures_input(&form);
    let version = form.version();
    let (errors, conflict, status) =
        match ops::save_year(&current.ctx, year, id, version, &input).await {
            Ok(_) => {
                return Ok(redirect_with(
                    &format!("/programma/{year}/taakvelden"),
                    "De cijfers zijn opgeslagen.",
                ));
            }
            Err(OpsError::Invalid(errors)) => (errors, false, StatusCode::UNPROCESSABLE_ENTITY),
            Err(OpsError::Conflict { .. }) => (FieldErrors::default(), true, StatusCode::CONFLICT),
            Err(other) => return Err(other.into()),
        };
    let page = figures_page(
        &current,
        year,
        id,
        Some(input),
        errors,
        Some(version),
        conflict,
    )
    .await?;
    render_with_status(&current, &page, status)
}

/// One line of the capacity table, in words.
pub struct CapacityRow {
    pub name: String,
    pub fte: String,
    pub available: String,
    pub task_fields: String,
    pub actions: String,
    pub demand: String,
    pub balance: String,
    pub percent: String,
    pub state: &'static str,
    pub state_class: &'static str,
    pub realised: String,
    pub realised_task_fields: String,
    pub realised_actions: String,
}

fn capacity_row(name: String, fte: String, line: &Regel) -> CapacityRow {
    let state = line.bezetting();
    CapacityRow {
        name,
        fte,
        available: hours(line.available),
        task_fields: hours(line.task_fields),
        actions: hours(line.actions),
        demand: hours(line.demand()),
        balance: hours(line.balance()),
        percent: line
            .percent_used()
            .map_or_else(|| "—".into(), |p| format!("{p}%")),
        state: state.label(),
        state_class: match state {
            Bezetting::Ruim => "koers-tag",
            Bezetting::Krap => "koers-tag koers-tag--krap",
            Bezetting::Tekort => "koers-tag koers-tag--tekort",
        },
        realised: hours(line.realised()),
        realised_task_fields: hours(line.realised_task_fields),
        realised_actions: hours(line.realised_actions),
    }
}

#[derive(Template)]
#[template(path = "capacity.html")]
struct CapacityPage {
    layout: Layout,
    year: i64,
    settings: CapacitySettings,
    /// The productive hours per FTE as Dutch text: "1.300".
    hours_per_fte: String,
    rows: Vec<CapacityRow>,
    total: CapacityRow,
    /// (theme, hours, percent of all action hours)
    themes: Vec<(String, String, i64)>,
    shortages: Vec<String>,
    shows_realisation: bool,
    may_administer: bool,
}

pub async fn capacity_page(
    current: Current,
    Path(jaar): Path<String>,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let ctx = &current.ctx;
    let vth = ops::year_cached(ctx, year).await?;
    let catalogue = Catalogue::shared(ctx).await?;
    let capacity = vth.capacity();
    let fte_of = |id: i64| {
        vth.fte
            .iter()
            .find(|(s, _)| *s == id)
            .map_or_else(|| "0".to_string(), |(_, f)| f.to_string())
    };
    let rows = capacity
        .subteams
        .iter()
        .map(|(id, line)| {
            capacity_row(Catalogue::name(&catalogue.subteams, *id), fte_of(*id), line)
        })
        .collect();
    let total_fte: i64 = vth.fte.iter().map(|(_, f)| f.hundredths()).sum();
    let total = capacity_row(
        "Totaal".into(),
        koers_domain::values::format_hundredths(total_fte),
        &capacity.total,
    );
    let themes = catalogue
        .numbered_themes()
        .into_iter()
        .filter_map(|(domain, n, theme)| {
            let hundredths = *capacity.themes.get(&theme.id)?;
            Some((
                format!("{domain} {n}. {}", theme.name),
                hours(hundredths),
                capacity.theme_percent(theme.id),
            ))
        })
        .collect();
    let this_year = chrono::Datelike::year(&ctx.today());
    let page = CapacityPage {
        layout: Layout::new(&current, Section::Programma, format!("Capaciteit {year}"))
            .with_year(year.into()),
        year: year.into(),
        hours_per_fte: thousands(vth.settings.settings.productive_hours_per_fte),
        settings: vth.settings,
        rows,
        total,
        themes,
        shortages: ops::shortages(&vth, &catalogue.subteams),
        shows_realisation: year.get() < this_year || capacity.total.realised() > 0,
        may_administer: ctx.role().may_administer(),
    };
    render(&current, &page)
}

#[derive(Template)]
#[template(path = "capacity_settings.html")]
struct SettingsForm {
    layout: Layout,
    hours: String,
    overhead: String,
    errors: FieldErrors,
    version: i64,
    conflict: Option<CapacitySettings>,
    year: i64,
}

pub async fn settings_form(current: Current) -> Result<Response, WebError> {
    let ctx = &current.ctx;
    ctx.require(ctx.role().may_administer())?;
    let settings = ops::settings(ctx).await?;
    let year = crate::ops::actions::default_year(ctx).await?;
    let page = SettingsForm {
        layout: Layout::new(&current, Section::Beheer, "Capaciteit instellen"),
        hours: settings.settings.productive_hours_per_fte.to_string(),
        overhead: settings.settings.overhead_percent.to_string(),
        errors: FieldErrors::default(),
        version: settings.version,
        conflict: None,
        year: year.into(),
    };
    render(&current, &page)
}

pub async fn settings_submit(current: Current, body: Bytes) -> Result<Response, WebError> {
    let ctx = &current.ctx;
    let form = FormData::parse(&body);
    let hours = form.get("productive_hours_per_fte");
    let overhead = form.get("overhead_percent");
    let version = form.version();
    let year = crate::ops::actions::default_year(ctx).await?;
    let (errors, conflict, status) = match ops::save_settings(ctx, version, &hours, &overhead).await
    {
        Ok(_) => {
            return Ok(redirect_with(
                &format!("/programma/{year}/capaciteit"),
                "De instellingen voor de capaciteit zijn opgeslagen.",
            ));
        }
        Err(OpsError::Invalid(errors)) => (errors, None, StatusCode::UNPROCESSABLE_ENTITY),
        Err(OpsError::Conflict { .. }) => (
            FieldErrors::default(),
            Some(ops::settings(ctx).await?),
            StatusCode::CONFLICT,
        ),
        Err(other) => return Err(other.into()),
    };
    let page = SettingsForm {
        layout: Layout::new(&current, Section::Beheer, "Capaciteit instellen"),
        hours,
        overhead,
        errors,
        version: conflict.map_or(version, |c| c.version),
        conflict,
        year: year.into(),
    };
    render_with_status(&current, &page, status)
}
