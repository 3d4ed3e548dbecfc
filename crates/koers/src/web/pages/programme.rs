//! The yearly programme: actions grouped by theme, filters, totals, year switcher.

use super::{Choice, parse_year, redirect_with, render, thousands};
use crate::ops::OpsError;
use crate::ops::actions::{self as ops, Catalogue};
use crate::web::error::WebError;
use crate::web::form::FormData;
use crate::web::layout::{Layout, Section};
use crate::web::session::Current;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::action::parse_id;
use koers_domain::{Herkomst, Status};
use koers_store::actions::{ActionFilter, ActionRow};
use koers_store::catalog::Item;
use koers_store::programmes::Programme;
use serde::Deserialize;

pub async fn current(current: Current) -> Result<Response, WebError> {
    let year = ops::default_year(&current.ctx).await?;
    Ok(Redirect::to(&format!("/programma/{year}")).into_response())
}

/// The filter bar; its state lives in the URL so a filtered view can be shared.
#[derive(Debug, Default, Deserialize)]
pub struct FilterQuery {
    #[serde(default)]
    thema: String,
    #[serde(default)]
    subteam: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    opgave: String,
    #[serde(default)]
    herkomst: String,
    #[serde(default)]
    zoek: String,
    /// The column the tables are sorted by (`SORT_COLUMNS`); empty is by code.
    #[serde(default)]
    sorteer: String,
    /// `oplopend` (the default) or `aflopend`.
    #[serde(default)]
    richting: String,
}

/// The columns of the actions table one can sort by: (value in the URL, header).
const SORT_COLUMNS: [(&str, &str); 7] = [
    ("code", "Code"),
    ("actie", "Actie"),
    ("trekker", "Trekker (subteam)"),
    ("planning", "Planning"),
    ("uren", "Uren"),
    ("status", "Status"),
    ("melding", "Laatste melding"),
];

/// How the tables are sorted: an index into `SORT_COLUMNS`, and whether descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Sort {
    column: usize,
    descending: bool,
}

impl FilterQuery {
    /// The sort order asked for; an unknown column or direction is a 400, like other filters.
    fn sort(&self) -> Result<Sort, WebError> {
        let column = match self.sorteer.as_str() {
            "" => 0,
            value => SORT_COLUMNS
                .iter()
                .position(|(code, _)| *code == value)
                .ok_or_else(|| {
                    WebError::BadRequest(format!(
                        "Onbekende sortering. Sorteer op een van: {}.",
                        SORT_COLUMNS.map(|(code, _)| code).join(", ")
                    ))
                })?,
        };
        let descending = match self.richting.as_str() {
            "" | "oplopend" => false,
            "aflopend" => true,
            _ => {
                return Err(WebError::BadRequest(
                    "Onbekende sorteerrichting. Kies oplopend of aflopend.".into(),
                ));
            }
        };
        Ok(Sort { column, descending })
    }

    /// The filters (not the sort order) as a query string, to keep them in links.
    fn filter_query(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("thema", &self.thema),
            ("subteam", &self.subteam),
            ("status", &self.status),
            ("opgave", &self.opgave),
            ("herkomst", &self.herkomst),
            ("zoek", &self.zoek),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, v.as_str()))
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    fn filter(&self) -> ActionFilter {
        ActionFilter {
            theme_id: parse_id(&self.thema),
            subteam_id: parse_id(&self.subteam),
            status: Status::from_code(&self.status),
            opgave_id: parse_id(&self.opgave),
            origin: Herkomst::from_code(&self.herkomst),
            text: Some(self.zoek.trim().to_string()).filter(|t| !t.is_empty()),
        }
    }

    fn is_active(&self) -> bool {
        let f = self.filter();
        f.theme_id.is_some()
            || f.subteam_id.is_some()
            || f.status.is_some()
            || f.opgave_id.is_some()
            || f.origin.is_some()
            || f.text.is_some()
    }
}

/// One row of the actions table, with everything already in words.
pub struct Row {
    pub code: String,
    pub title: String,
    pub href: String,
    pub lead: String,
    pub quarters: String,
    pub hours: String,
    pub status_code: String,
    pub status: &'static str,
    pub last_update: String,
}

/// A column header of the actions tables: a link that sorts by it.
pub struct Header {
    pub label: &'static str,
    pub href: String,
    /// `ascending` or `descending` on the column sorted by.
    pub aria_sort: Option<&'static str>,
    pub numeric: bool,
}

fn headers(filter_query: &str, sort: Sort) -> Vec<Header> {
    SORT_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, (code, label))| {
            let sorted = i == sort.column;
            let richting = if sorted && !sort.descending {
                "aflopend"
            } else {
                "oplopend"
            };
            let sep = if filter_query.is_empty() { "" } else { "&" };
            Header {
                label,
                href: format!("?{filter_query}{sep}sorteer={code}&richting={richting}#acties"),
                aria_sort: sorted.then_some(if sort.descending {
                    "descending"
                } else {
                    "ascending"
                }),
                numeric: *code == "uren",
            }
        })
        .collect()
}

pub struct ThemeGroup {
    pub label: String,
    pub rows: Vec<Row>,
    pub hours: String,
}

/// The tables of the programme page, already in words.
struct Tables {
    groups: Vec<ThemeGroup>,
    /// The tables of `groups` as HTML (escaped by askama), or why rendering them failed.
    groups_html: Result<String, String>,
    /// Planned hours per lead subteam: (name, hours, number of actions).
    per_subteam: Vec<(String, String, usize)>,
}

fn tables(
    catalogue: &Catalogue,
    actions: &[ActionRow],
    year: i32,
    sort: Sort,
    headers: &[Header],
) -> Tables {
    let mut per_subteam: Vec<(String, String, usize)> = Vec::new();
    for subteam in &catalogue.subteams {
        let led: Vec<&ActionRow> = actions
            .iter()
            .filter(|a| a.lead_subteam_id == subteam.id)
            .collect();
        if !led.is_empty() {
            per_subteam.push((
                subteam.name.clone(),
                thousands(led.iter().map(|a| a.planned_hours).sum()),
                led.len(),
            ));
        }
    }
    let groups = groups(catalogue, actions, year, sort);
    let groups_html = GroupTables {
        groups: &groups,
        headers,
    }
    .render()
    .map_err(|e| e.to_string());
    Tables {
        groups,
        groups_html,
        per_subteam,
    }
}

#[derive(Template)]
#[template(path = "programme_groups.html")]
struct GroupTables<'a> {
    groups: &'a [ThemeGroup],
    headers: &'a [Header],
}

#[derive(Template)]
#[template(path = "programme.html")]
struct ProgrammePage<'a> {
    layout: Layout,
    year: i64,
    programme: Option<Programme>,
    years: Vec<i64>,
    /// Whether Koers has no programme of the next year yet, so the page offers to make it.
    next_year_missing: bool,
    groups: &'a [ThemeGroup],
    /// `groups` as HTML tables, from `programme_groups.html`.
    groups_html: &'a str,
    /// Planned hours per lead subteam: (name, hours, number of actions).
    per_subteam: &'a [(String, String, usize)],
    shown: usize,
    total_actions: usize,
    /// Planned hours of the actions shown.
    total_hours: String,
    /// Planned hours of all actions of the programme.
    all_hours: String,
    filtering: bool,
    /// The filters as a query string, for the export links.
    filter_query: String,
    themes: Vec<Choice>,
    subteams: Vec<Choice>,
    statuses: Vec<Choice>,
    opgaven: Vec<Choice>,
    origins: Vec<Choice>,
    zoek: String,
    /// How the programme compares with its adopted version, in one sentence; `None` when it was
    /// never adopted.
    since_adoption: Option<String>,
    /// The subteams short of hours this year, in words (see `/programma/{jaar}/capaciteit`).
    shortages: Vec<String>,
}

fn choices(items: impl Iterator<Item = (String, String)>, selected: &str) -> Vec<Choice> {
    Choice::list(items, &[selected.to_string()])
}

fn active(items: &[Item]) -> impl Iterator<Item = &Item> {
    items.iter().filter(|i| !i.retired)
}

pub async fn page(
    current: Current,
    OriginalUri(uri): OriginalUri,
    Path(jaar): Path<String>,
    Query(query): Query<FilterQuery>,
) -> Result<Response, WebError> {
    super::kept(&current, &uri, async || {
        let year = parse_year(&jaar)?;
        let sort = query.sort()?;
        let view = ops::programme(&current.ctx, year, &query.filter()).await?;
        let catalogue = &view.catalogue;
        let filter_query = query.filter_query();
        let headers = headers(&filter_query, sort);
        // Without filters and in the usual order the rows depend on the read model alone, so they
        // are made once per revision; otherwise they are made for this request.
        let tables = match &view.programme {
            Some(p) if !query.is_active() && sort == Sort::default() => {
                view.model.derived("programme", p.id, || {
                    tables(catalogue, &view.actions, year.get(), sort, &headers)
                })
            }
            _ => std::sync::Arc::new(tables(catalogue, &view.actions, year.get(), sort, &headers)),
        };
        let all_hours: i64 = match &view.programme {
            Some(p) => view
                .model
                .actions
                .get(&p.id)
                .map_or(0, |l| l.actions.iter().map(|a| a.planned_hours).sum()),
            None => 0,
        };
        let since_adoption = match &view.programme {
            Some(p) => crate::ops::read_model::since_adoption(&current.ctx, p)
                .await?
                .as_ref()
                .as_ref()
                .map(|(version, changes)| {
                    let when = super::dutch_date(version.decided_on);
                    if changes.is_empty() {
                        format!("Ongewijzigd sinds de vaststelling op {when}.")
                    } else {
                        format!(
                            "Gewijzigd sinds de vaststelling op {when}: {}.",
                            changes.summary()
                        )
                    }
                }),
            None => None,
        };
        let vth = crate::ops::vth::year_cached(&current.ctx, year).await?;
        let page = ProgrammePage {
            shortages: crate::ops::vth::shortages(&vth, &catalogue.subteams),
            since_adoption,
            layout: Layout::new(
                &current,
                Section::Programma,
                format!("Uitvoeringsprogramma {year}"),
            )
            .with_year(year.into()),
            year: year.into(),
            programme: view.programme,
            years: view.programmes.iter().map(|p| p.year).collect(),
            next_year_missing: !view
                .programmes
                .iter()
                .any(|p| p.year == i64::from(year) + 1),
            shown: view.actions.len(),
            total_actions: view.total_actions,
            total_hours: thousands(view.actions.iter().map(|a| a.planned_hours).sum()),
            all_hours: thousands(all_hours),
            per_subteam: &tables.per_subteam,
            filtering: query.is_active(),
            filter_query: filter_query.clone(),
            themes: choices(
                catalogue
                    .numbered_themes()
                    .into_iter()
                    .filter(|(_, _, t)| !t.retired)
                    .map(|(_, _, t)| (t.id.to_string(), catalogue.theme_label(t.id))),
                &query.thema,
            ),
            subteams: choices(
                active(&catalogue.subteams).map(|s| (s.id.to_string(), s.name.clone())),
                &query.subteam,
            ),
            statuses: choices(
                Status::ALL
                    .iter()
                    .map(|s| (s.code().to_string(), s.label().to_string())),
                &query.status,
            ),
            opgaven: choices(
                active(&catalogue.opgaven).map(|o| (o.id.to_string(), o.name.clone())),
                &query.opgave,
            ),
            origins: choices(
                Herkomst::ALL
                    .iter()
                    .map(|h| (h.code().to_string(), h.label().to_string())),
                &query.herkomst,
            ),
            zoek: query.zoek.clone(),
            groups: &tables.groups,
            groups_html: tables
                .groups_html
                .as_deref()
                .map_err(|e| WebError::Internal(anyhow::anyhow!("programme tables: {e}")))?,
        };
        render(&current, &page)
    })
    .await
}

/// Orders the rows of one table by the chosen column, then by code.
fn sort_rows(catalogue: &Catalogue, rows: &mut [&ActionRow], sort: Sort) {
    let status = |a: &ActionRow| Status::ALL.iter().position(|s| *s == a.status);
    rows.sort_by(|a, b| {
        let by_column = match SORT_COLUMNS[sort.column].0 {
            "actie" => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
            "trekker" => Catalogue::name(&catalogue.subteams, a.lead_subteam_id)
                .cmp(&Catalogue::name(&catalogue.subteams, b.lead_subteam_id)),
            "planning" => a.quarters.numbers().cmp(&b.quarters.numbers()),
            "uren" => a.planned_hours.cmp(&b.planned_hours),
            "status" => status(a).cmp(&status(b)),
            "melding" => a.last_progress_on.cmp(&b.last_progress_on),
            _ => std::cmp::Ordering::Equal,
        };
        let by_column = if sort.descending {
            by_column.reverse()
        } else {
            by_column
        };
        let by_code = if sort.descending && sort.column == 0 {
            b.code.cmp(&a.code)
        } else {
            a.code.cmp(&b.code)
        };
        by_column.then(by_code)
    });
}

fn groups(catalogue: &Catalogue, actions: &[ActionRow], year: i32, sort: Sort) -> Vec<ThemeGroup> {
    catalogue
        .numbered_themes()
        .into_iter()
        .filter_map(|(_, _, theme)| {
            let mut rows: Vec<&ActionRow> =
                actions.iter().filter(|a| a.theme_id == theme.id).collect();
            sort_rows(catalogue, &mut rows, sort);
            if rows.is_empty() {
                return None;
            }
            Some(ThemeGroup {
                label: catalogue.theme_label(theme.id),
                hours: thousands(rows.iter().map(|a| a.planned_hours).sum()),
                rows: rows.into_iter().map(|a| row(catalogue, a, year)).collect(),
            })
        })
        .collect()
}

fn row(catalogue: &Catalogue, a: &ActionRow, year: i32) -> Row {
    Row {
        code: a.code.clone(),
        title: a.title.clone(),
        href: format!("/programma/{year}/acties/{}", a.code),
        lead: Catalogue::name(&catalogue.subteams, a.lead_subteam_id),
        quarters: a.quarters.label(),
        hours: thousands(a.planned_hours),
        status_code: a.status.code().to_string(),
        status: a.status.label(),
        last_update: a
            .last_progress_on
            .map(|d| d.format("%d-%m-%Y").to_string())
            .unwrap_or_else(|| "—".into()),
    }
}

/// Creates an (empty) programme for a year.
pub async fn create(current: Current, body: Bytes) -> Result<Response, WebError> {
    let form = FormData::parse(&body);
    match ops::create_programme(&current.ctx, &form.get("jaar")).await {
        Ok(year) => Ok(redirect_with(
            &format!("/programma/{year}"),
            &format!("Het uitvoeringsprogramma {year} is aangemaakt."),
        )),
        Err(OpsError::Invalid(errors)) => {
            let message = errors
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join(" ");
            let back = koers_domain::Jaar::parse(&form.get("jaar"))
                .map_or_else(|_| "/programma".to_string(), |y| format!("/programma/{y}"));
            Ok(redirect_with(&back, &message))
        }
        Err(other) => Err(other.into()),
    }
}

/// The programme as a spreadsheet, with the filters of the URL applied (none: all actions).
async fn export(
    current: Current,
    jaar: String,
    query: FilterQuery,
    format: crate::ops::programme_export::Format,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let file =
        crate::ops::programme_export::export(&current.ctx, year, &query.filter(), format).await?;
    Ok(super::attachment(&file.filename, file.mime, file.bytes))
}

pub async fn export_xlsx(
    current: Current,
    Path(jaar): Path<String>,
    Query(query): Query<FilterQuery>,
) -> Result<Response, WebError> {
    export(
        current,
        jaar,
        query,
        crate::ops::programme_export::Format::Xlsx,
    )
    .await
}

pub async fn export_csv(
    current: Current,
    Path(jaar): Path<String>,
    Query(query): Query<FilterQuery>,
) -> Result<Response, WebError> {
    export(
        current,
        jaar,
        query,
        crate::ops::programme_export::Format::Csv,
    )
    .await
}
