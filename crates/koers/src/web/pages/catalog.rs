//! Forms for the catalogue items (domains, themes, ambitions, opgaven, subteams, partners) and
//! the buttons that order, retire, restore or delete them.

use super::{parse_id, redirect_with, render, render_with_status};
use crate::ops::OpsError;
use crate::ops::plan::{self as ops, ItemChange};
use crate::web::error::WebError;
use crate::web::form::FormData;
use crate::web::layout::{Layout, Section};
use crate::web::session::Current;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use koers_domain::FieldErrors;
use koers_store::catalog::{Item, ItemInput, Kind};
use serde::Deserialize;

fn kind_of(slug: &str) -> Result<Kind, WebError> {
    Kind::from_slug(slug).ok_or(WebError::NotFound)
}

/// The page an item is shown on, to go back to after a change.
fn home(kind: Kind) -> &'static str {
    match kind {
        Kind::Domain | Kind::Theme | Kind::Ambition => "/beleidsplan",
        Kind::Opgave => "/beleidsplan#opgaven",
        Kind::Subteam => "/beheer#subteams",
        Kind::Partner => "/beheer#partners",
    }
}

fn section(kind: Kind) -> Section {
    match kind {
        Kind::Subteam | Kind::Partner => Section::Beheer,
        _ => Section::Beleidsplan,
    }
}

#[derive(Template)]
#[template(path = "item_form.html")]
struct ItemForm {
    layout: Layout,
    kind_slug: &'static str,
    /// Where this item hangs, e.g. the theme of an ambition.
    parent: Option<Item>,
    input: ItemInput,
    errors: FieldErrors,
    /// Set when editing.
    id: Option<i64>,
    version: i64,
    conflict: Option<Item>,
    back: &'static str,
    shows_code: bool,
    code_hint: &'static str,
    /// The stored item when editing, for its order and status buttons.
    item: Option<Item>,
}

/// The hint under the code field, with codes that fit the kind.
fn code_hint(kind: Kind) -> &'static str {
    match kind {
        Kind::Subteam => "Kort, bijvoorbeeld TH of VE (hoogstens 20 tekens).",
        Kind::Partner => "Kort, bijvoorbeeld OM of GGD (hoogstens 20 tekens).",
        _ => "Kort, bijvoorbeeld IV of VTH (hoogstens 20 tekens).",
    }
}

/// The page title: "Nieuw thema", "Ambitie bewerken".
fn title(kind: Kind, editing: bool) -> String {
    let noun = noun(kind);
    if editing {
        format!("{} bewerken", capitalise(noun))
    } else if kind.label().starts_with("de ") {
        format!("Nieuwe {noun}")
    } else {
        format!("Nieuw {noun}")
    }
}

/// "thema" from "het thema".
fn noun(kind: Kind) -> &'static str {
    kind.label()
        .split_once(' ')
        .map_or(kind.label(), |(_, noun)| noun)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[derive(Deserialize)]
pub struct NewQuery {
    ouder: Option<String>,
}

fn parent_kind(kind: Kind) -> Option<Kind> {
    match kind {
        Kind::Theme => Some(Kind::Domain),
        Kind::Ambition => Some(Kind::Theme),
        _ => None,
    }
}

async fn load_parent(
    current: &Current,
    kind: Kind,
    parent_id: Option<i64>,
) -> Result<Option<Item>, WebError> {
    match (parent_kind(kind), parent_id) {
        (Some(parent_kind), Some(id)) => Ok(Some(ops::item(&current.ctx, parent_kind, id).await?)),
        (Some(_), None) => Err(WebError::BadRequest(
            "Kies eerst waar dit onder valt.".into(),
        )),
        (None, _) => Ok(None),
    }
}

fn form_page(
    current: &Current,
    kind: Kind,
    parent: Option<Item>,
    input: ItemInput,
    errors: FieldErrors,
    editing: Option<(i64, i64)>,
    conflict: Option<Item>,
) -> ItemForm {
    let (id, version) = match editing {
        Some((id, version)) => (Some(id), version),
        None => (None, 0),
    };
    ItemForm {
        layout: Layout::new(current, section(kind), title(kind, id.is_some())),
        kind_slug: kind.slug(),
        parent,
        input,
        errors,
        id,
        version,
        conflict,
        back: home(kind),
        shows_code: matches!(kind, Kind::Domain | Kind::Subteam | Kind::Partner),
        code_hint: code_hint(kind),
        item: None,
    }
}

pub async fn new_form(
    current: Current,
    Path(slug): Path<String>,
    Query(query): Query<NewQuery>,
) -> Result<Response, WebError> {
    let kind = kind_of(&slug)?;
    current.ctx.require(current.ctx.role().may_edit_plan())?;
    let parent_id = match query.ouder.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(id) => Some(parse_id(id)?),
    };
    let parent = load_parent(&current, kind, parent_id).await?;
    let page = form_page(
        &current,
        kind,
        parent,
        ItemInput::default(),
        FieldErrors::default(),
        None,
        None,
    );
    render(&current, &page)
}

fn input_of(form: &FormData) -> ItemInput {
    ItemInput {
        code: form.get("code"),
        name: form.get("name"),
        description: form.get("description"),
    }
}

pub async fn create(
    current: Current,
    Path(slug): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let kind = kind_of(&slug)?;
    let form = FormData::parse(&body);
    let input = input_of(&form);
    let parent_id = form.get("parent_id").parse::<i64>().ok();
    match ops::create_item(&current.ctx, kind, parent_id, &input).await {
        Ok(_) => Ok(redirect_with(
            home(kind),
            &format!(
                "{} '{}' is toegevoegd.",
                capitalise(noun(kind)),
                input.name.trim()
            ),
        )),
        Err(OpsError::Invalid(errors)) => {
            let parent = load_parent(&current, kind, parent_id).await.ok().flatten();
            let page = form_page(&current, kind, parent, input, errors, None, None);
            render_with_status(&current, &page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn edit_form(
    current: Current,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let kind = kind_of(&slug)?;
    let id = parse_id(&id)?;
    current.ctx.require(current.ctx.role().may_edit_plan())?;
    let item = ops::item(&current.ctx, kind, id).await?;
    let parent = load_parent(&current, kind, item.parent_id).await?;
    let input = ItemInput {
        code: item.code.clone(),
        name: item.name.clone(),
        description: item.description.clone(),
    };
    let mut page = form_page(
        &current,
        kind,
        parent,
        input,
        FieldErrors::default(),
        Some((id, item.version)),
        None,
    );
    page.item = Some(item);
    render(&current, &page)
}

pub async fn edit_submit(
    current: Current,
    Path((slug, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let kind = kind_of(&slug)?;
    let id = parse_id(&id)?;
    let form = FormData::parse(&body);
    let input = input_of(&form);
    let version = form.version();
    let conflicted = match ops::update_item(&current.ctx, kind, id, version, &input).await {
        Ok(()) => return Ok(redirect_with(home(kind), "De wijziging is opgeslagen.")),
        Err(OpsError::Invalid(errors)) => Err(errors),
        Err(OpsError::Conflict { .. }) => Ok(()),
        Err(other) => return Err(other.into()),
    };
    // After a conflict the stored version is shown next to the form; either way the page needs
    // the item as it is now.
    let item = ops::item(&current.ctx, kind, id).await?;
    let (errors, conflict) = match conflicted {
        Err(errors) => (errors, None),
        Ok(()) => (FieldErrors::default(), Some(item.clone())),
    };
    let parent = load_parent(&current, kind, item.parent_id).await?;
    let status = if conflict.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let version = conflict.as_ref().map_or(version, |c| c.version);
    let mut page = form_page(
        &current,
        kind,
        parent,
        input,
        errors,
        Some((id, version)),
        conflict,
    );
    page.item = Some(item);
    render_with_status(&current, &page, status)
}

pub async fn change(
    current: Current,
    Path((slug, id, action)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let kind = kind_of(&slug)?;
    let id = parse_id(&id)?;
    let change = ItemChange::from_slug(&action).ok_or(WebError::NotFound)?;
    match ops::change_item(&current.ctx, kind, id, change).await {
        Ok(()) => {
            let message = match change {
                ItemChange::Up | ItemChange::Down => "De volgorde is aangepast.",
                ItemChange::Retire => {
                    "Ingetrokken. Het blijft zichtbaar in de geschiedenis en kan worden hersteld."
                }
                ItemChange::Restore => "Hersteld.",
                ItemChange::Delete => "Verwijderd.",
            };
            Ok(redirect_with(home(kind), message))
        }
        Err(OpsError::Refused(message)) => Ok(redirect_with(home(kind), &message)),
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "item_delete.html")]
struct DeletePage {
    layout: Layout,
    kind_slug: &'static str,
    item: Item,
    in_use: Option<String>,
    back: &'static str,
}

/// Asks before deleting, and says up front when the item cannot be deleted.
pub async fn confirm(
    current: Current,
    Path((slug, id, action)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let kind = kind_of(&slug)?;
    let id = parse_id(&id)?;
    if action != "verwijderen" {
        return Err(WebError::NotFound);
    }
    let (item, in_use) = ops::deletion_check(&current.ctx, kind, id).await?;
    let page = DeletePage {
        layout: Layout::new(
            &current,
            section(kind),
            format!("{} verwijderen", capitalise(noun(kind))),
        ),
        kind_slug: kind.slug(),
        item,
        in_use,
        back: home(kind),
    };
    render(&current, &page)
}
