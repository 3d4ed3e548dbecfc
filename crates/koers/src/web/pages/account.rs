//! The user's own API keys.

use super::{dutch_time, parse_id, redirect_with, render, render_with_status};
use crate::ops::OpsError;
use crate::ops::account as ops;
use crate::web::error::WebError;
use crate::web::form::FormData;
use crate::web::layout::{Layout, Section};
use crate::web::session::Current;
use askama::Template;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use koers_domain::FieldErrors;

pub struct KeyRow {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub revoked: bool,
}

#[derive(Template)]
#[template(path = "api_keys.html")]
struct KeysPage {
    layout: Layout,
    keys: Vec<KeyRow>,
    /// The name typed for a new key, kept after an error.
    key_name: String,
    errors: FieldErrors,
    new_key: Option<String>,
}

async fn keys_page(
    current: &Current,
    name: String,
    errors: FieldErrors,
    new_key: Option<String>,
) -> Result<KeysPage, WebError> {
    let keys = ops::api_tokens(&current.ctx)
        .await?
        .into_iter()
        .map(|k| KeyRow {
            id: k.id,
            name: k.name,
            created: dutch_time(k.created_at),
            revoked: k.revoked,
        })
        .collect();
    Ok(KeysPage {
        layout: Layout::new(current, Section::Account, "API-sleutels"),
        keys,
        key_name: name,
        errors,
        new_key,
    })
}

pub async fn page(current: Current) -> Result<Response, WebError> {
    let page = keys_page(&current, String::new(), FieldErrors::default(), None).await?;
    render(&current, &page)
}

pub async fn create(current: Current, body: Bytes) -> Result<Response, WebError> {
    let name = FormData::parse(&body).get("name");
    match ops::create_api_token(&current.ctx, &name).await {
        Ok(key) => {
            // The key is shown on this response only; Koers keeps just its hash.
            let page =
                keys_page(&current, String::new(), FieldErrors::default(), Some(key)).await?;
            render_with_status(&current, &page, StatusCode::CREATED)
        }
        Err(OpsError::Invalid(errors)) => {
            let page = keys_page(&current, name, errors, None).await?;
            render_with_status(&current, &page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn revoke(current: Current, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    ops::revoke_api_token(&current.ctx, id).await?;
    Ok(redirect_with(
        "/account/api-sleutels",
        "De API-sleutel is ingetrokken; hij werkt niet meer.",
    ))
}
