//! Beheer: subteams with their formation per year, partners, users.

use super::{Choice, parse_id, redirect_with, render, render_with_status};
use crate::ops::OpsError;
use crate::ops::admin::{self as ops, OrganisationInput, UserInput};
use crate::ops::plan::{TypedCell, formation, items, save_capacity};
use crate::web::error::WebError;
use crate::web::form::FormData;
use crate::web::layout::{Layout, Section};
use crate::web::session::Current;
use askama::Template;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use koers_domain::{FieldErrors, Rol};
use koers_store::accounts::User;
use koers_store::catalog::{Item, Kind};

pub struct CapacityRow {
    pub subteam: Item,
    pub cells: Vec<GridCell>,
}

/// One year of a subteam in the formation grid: its FTE and its number of people, each with
/// its field name, the value as typed or stored, and its error.
pub struct GridCell {
    pub year: i64,
    pub fte: (String, String, Option<String>),
    pub persons: (String, String, Option<String>),
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    layout: Layout,
    years: Vec<i64>,
    capacity: Vec<CapacityRow>,
    partners: Vec<Item>,
    subteams: Vec<Item>,
    has_errors: bool,
    /// A problem with the form as a whole rather than with one cell.
    grid_error: Option<String>,
}

async fn admin_page(
    current: &Current,
    typed: Option<&FormData>,
    errors: &FieldErrors,
) -> Result<AdminPage, WebError> {
    let formation = formation(&current.ctx).await?;
    let years = formation.years;
    let subteams = formation.subteams;
    let field = |name: String, stored: Option<String>| {
        let value = match typed {
            Some(form) => form.get(&name),
            None => stored.unwrap_or_default(),
        };
        let error = errors.get(&name).map(str::to_string);
        (name, value, error)
    };
    let capacity = subteams
        .iter()
        .filter(|s| !s.retired)
        .map(|subteam| CapacityRow {
            subteam: subteam.clone(),
            cells: years
                .iter()
                .map(|&year| {
                    let at = |(s, y): (&i64, &i64)| *s == subteam.id && *y == year;
                    GridCell {
                        year,
                        fte: field(
                            format!("fte_{}_{year}", subteam.id),
                            formation
                                .capacity
                                .iter()
                                .find(|(s, y, _)| at((s, y)))
                                .map(|(_, _, f)| f.to_string()),
                        ),
                        persons: field(
                            format!("personen_{}_{year}", subteam.id),
                            formation
                                .headcounts
                                .iter()
                                .find(|(s, y, _)| at((s, y)))
                                .map(|(_, _, p)| p.get().to_string()),
                        ),
                    }
                })
                .collect(),
        })
        .collect();
    Ok(AdminPage {
        layout: Layout::new(current, Section::Beheer, "Beheer"),
        years,
        capacity,
        partners: formation.partners,
        subteams,
        has_errors: !errors.is_empty(),
        grid_error: errors.get("formatie").map(str::to_string),
    })
}

pub async fn page(current: Current) -> Result<Response, WebError> {
    let page = admin_page(&current, None, &FieldErrors::default()).await?;
    render(&current, &page)
}

pub async fn capacity(current: Current, body: Bytes) -> Result<Response, WebError> {
    let form = FormData::parse(&body);
    let mut cells: Vec<TypedCell> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (name, value) in form.pairs() {
        let (kind, rest) = match name.split_once('_') {
            Some((kind @ ("fte" | "personen"), rest)) => (kind, rest),
            _ => continue,
        };
        // A name that is not <kind>_<subteam>_<year> becomes a cell outside the grid, which
        // refuses the form instead of being ignored.
        let (subteam, year) = rest.split_once('_').unwrap_or_default();
        let (subteam, year) = (subteam.parse().unwrap_or(0), year.parse().unwrap_or(0));
        let cell = match cells
            .iter_mut()
            .position(|c| c.subteam_id == subteam && c.year == year)
        {
            Some(i) => &mut cells[i],
            None => {
                cells.push(TypedCell {
                    subteam_id: subteam,
                    year,
                    fte: String::new(),
                    persons: String::new(),
                });
                cells.last_mut().expect("just pushed")
            }
        };
        if kind == "fte" {
            cell.fte = value.clone();
        } else {
            cell.persons = value.clone();
        }
        if !seen.insert(name.as_str()) {
            // The same field twice: the cell appears twice, so the form is refused.
            cells.push(TypedCell {
                subteam_id: subteam,
                year,
                fte: String::new(),
                persons: String::new(),
            });
        }
    }
    match save_capacity(&current.ctx, &cells).await {
        Ok(()) => Ok(redirect_with(
            "/beheer#formatie",
            "De formatie is opgeslagen.",
        )),
        Err(OpsError::Invalid(errors)) => {
            let page = admin_page(&current, Some(&form), &errors).await?;
            render_with_status(&current, &page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => Err(other.into()),
    }
}

pub struct UserRow {
    pub user: User,
    pub roles: Vec<Choice>,
    pub subteam: String,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    layout: Layout,
    users: Vec<UserRow>,
    subteams: Vec<Item>,
    input: UserInput,
    roles: Vec<Choice>,
    errors: FieldErrors,
    new_password: Option<(String, String)>,
}

fn roles(selected: &str) -> Vec<Choice> {
    let roles = Rol::ALL
        .iter()
        .map(|r| (r.code().to_string(), r.label().to_string()));
    Choice::list(roles, &[selected.to_string()])
}

async fn users_page(
    current: &Current,
    input: UserInput,
    errors: FieldErrors,
    new_password: Option<(String, String)>,
) -> Result<UsersPage, WebError> {
    let users = ops::users(&current.ctx).await?;
    let subteams = items(&current.ctx, Kind::Subteam).await?;
    Ok(UsersPage {
        layout: Layout::new(current, Section::Beheer, "Gebruikers"),
        users: users
            .into_iter()
            .map(|user| UserRow {
                roles: roles(user.role.code()),
                subteam: user.subteam_id.map(|s| s.to_string()).unwrap_or_default(),
                user,
            })
            .collect(),
        subteams,
        roles: roles(&input.role),
        input,
        errors,
        new_password,
    })
}

pub async fn users(current: Current) -> Result<Response, WebError> {
    let input = UserInput {
        role: "lezer".into(),
        ..Default::default()
    };
    let page = users_page(&current, input, FieldErrors::default(), None).await?;
    render(&current, &page)
}

fn user_input(form: &FormData) -> UserInput {
    UserInput {
        email: form.get("email"),
        name: form.get("name"),
        role: form.get("role"),
        subteam_id: form.get("subteam_id"),
        active: form.has("active").then(|| form.get("active")),
    }
}

pub async fn create_user(current: Current, body: Bytes) -> Result<Response, WebError> {
    let input = user_input(&FormData::parse(&body));
    match ops::create_user(&current.ctx, &input).await {
        Ok(password) => {
            // The password is shown once, on this response only; it is not stored anywhere.
            let created = (input.email.trim().to_lowercase(), password);
            let page = users_page(
                &current,
                UserInput {
                    role: "lezer".into(),
                    ..Default::default()
                },
                FieldErrors::default(),
                Some(created),
            )
            .await?;
            render_with_status(&current, &page, StatusCode::CREATED)
        }
        Err(OpsError::Invalid(errors)) => {
            let page = users_page(&current, input, errors, None).await?;
            render_with_status(&current, &page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn update_user(
    current: Current,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let form = FormData::parse(&body);
    let input = user_input(&form);
    match ops::update_user(&current.ctx, id, form.version(), &input).await {
        Ok(()) => Ok(redirect_with(
            "/beheer/gebruikers",
            "Het account is bijgewerkt.",
        )),
        Err(OpsError::Invalid(errors)) => {
            let message = errors
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join(" ");
            Ok(redirect_with("/beheer/gebruikers", &message))
        }
        Err(OpsError::Conflict { .. }) => Ok(redirect_with(
            "/beheer/gebruikers",
            "Iemand anders heeft dit account intussen gewijzigd. Bekijk de huidige gegevens en probeer het opnieuw.",
        )),
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "password_confirm.html")]
struct PasswordConfirm {
    layout: Layout,
    id: i64,
    name: String,
    email: String,
}

/// Asks before a colleague's password is replaced: the reset ends their sessions and keys.
pub async fn confirm_reset_password(
    current: Current,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let user = ops::user(&current.ctx, id).await?;
    let page = PasswordConfirm {
        layout: Layout::new(
            &current,
            Section::Beheer,
            format!("Nieuw wachtwoord voor {}", user.name),
        ),
        id,
        name: user.name,
        email: user.email,
    };
    render(&current, &page)
}

pub async fn reset_password(
    current: Current,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let created = ops::reset_password(&current.ctx, id).await?;
    let input = UserInput {
        role: "lezer".into(),
        ..Default::default()
    };
    let page = users_page(&current, input, FieldErrors::default(), Some(created)).await?;
    render(&current, &page)
}

#[derive(Template)]
#[template(path = "organisation_form.html")]
struct OrganisationForm {
    layout: Layout,
    code: String,
    input: OrganisationInput,
    errors: FieldErrors,
    version: i64,
    conflict: Option<(String, String)>,
}

pub async fn organisation_form(current: Current) -> Result<Response, WebError> {
    current.ctx.require(current.ctx.role().may_administer())?;
    let organisation = &current.ctx.organisation;
    let page = OrganisationForm {
        layout: Layout::new(&current, Section::Beheer, "Organisatie"),
        code: organisation.code.clone(),
        input: OrganisationInput {
            name: organisation.name.clone(),
            place: organisation.place.clone(),
        },
        errors: FieldErrors::default(),
        version: organisation.version,
        conflict: None,
    };
    render(&current, &page)
}

pub async fn save_organisation(current: Current, body: Bytes) -> Result<Response, WebError> {
    let form = FormData::parse(&body);
    let input = OrganisationInput {
        name: form.get("name"),
        place: form.get("place"),
    };
    let (errors, conflict) =
        match ops::save_organisation(&current.ctx, form.version(), &input).await {
            Ok(()) => {
                return Ok(redirect_with(
                    "/beheer",
                    "De organisatiegegevens zijn opgeslagen.",
                ));
            }
            Err(OpsError::Invalid(errors)) => (errors, false),
            Err(OpsError::Conflict { .. }) => (FieldErrors::default(), true),
            Err(other) => return Err(other.into()),
        };
    // The request's organisation was read at its start, so after a conflict it is the stored one.
    let stored = &current.ctx.organisation;
    let page = OrganisationForm {
        layout: Layout::new(&current, Section::Beheer, "Organisatie"),
        code: stored.code.clone(),
        input,
        errors,
        version: if conflict {
            stored.version
        } else {
            form.version()
        },
        conflict: conflict.then(|| (stored.name.clone(), stored.place.clone())),
    };
    let status = if page.conflict.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_with_status(&current, &page, status)
}
