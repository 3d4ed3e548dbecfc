//! The audit log for administrators (filters and CSV export), and the security log.

use super::{dutch_time, render};
use crate::ops::admin as ops;
use crate::web::error::WebError;
use crate::web::layout::{Layout, Section};
use crate::web::session::Current;
use askama::Template;
use axum::extract::Query;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use koers_store::catalog::Kind;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    onderdeel: String,
    #[serde(default)]
    gebruiker: String,
    #[serde(default)]
    van: String,
    #[serde(default)]
    tot: String,
    /// 1-based page number; read as text so that a wrong one gets a Dutch answer.
    #[serde(default)]
    pagina: String,
}

impl AuditQuery {
    fn ops(&self) -> ops::AuditQuery<'_> {
        ops::AuditQuery {
            entity: &self.onderdeel,
            user_name: &self.gebruiker,
            from: &self.van,
            until: &self.tot,
            page: &self.pagina,
        }
    }
}

pub struct Row {
    pub at: String,
    pub who: String,
    pub entity: String,
    pub entity_id: i64,
    pub summary: String,
    pub before: String,
    pub after: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    layout: Layout,
    rows: Vec<Row>,
    entities: Vec<(&'static str, bool)>,
    users: Vec<(String, bool)>,
    van: String,
    tot: String,
    csv_href: String,
    page_number: i64,
    newer_href: Option<String>,
    older_href: Option<String>,
}

const PAGE_SIZE: i64 = 100;

pub async fn page(current: Current, Query(query): Query<AuditQuery>) -> Result<Response, WebError> {
    // One row more than fits tells whether there is an older page.
    let mut entries = ops::audit(&current.ctx, &query.ops(), Some(PAGE_SIZE + 1)).await?;
    let has_older = entries.len() as i64 > PAGE_SIZE;
    entries.truncate(PAGE_SIZE as usize);
    let mut entities: Vec<&'static str> = vec![
        "organisatie",
        "gebruiker",
        "beleidsplan",
        "programma",
        "actie",
        "evaluatie",
        "actie-evaluatie",
        "aandachtspunt",
        "raadspakket",
    ];
    entities.extend(Kind::ALL.iter().map(|k| k.slug()));
    let names = ops::audit_user_names(&current.ctx).await?;
    let query_string = serde_urlencoded::to_string([
        ("onderdeel", &query.onderdeel),
        ("gebruiker", &query.gebruiker),
        ("van", &query.van),
        ("tot", &query.tot),
    ])
    .unwrap_or_default();
    let page_number = query.ops().page_number()?;
    let page = AuditPage {
        layout: Layout::new(&current, Section::Beheer, "Auditlog"),
        rows: entries
            .into_iter()
            .map(|e| Row {
                at: dutch_time(e.occurred_at),
                who: e.user_name,
                entity: e.entity,
                entity_id: e.entity_id,
                summary: e.summary,
                before: e.before_json.unwrap_or_default(),
                after: e.after_json.unwrap_or_default(),
            })
            .collect(),
        entities: entities
            .into_iter()
            .map(|e| (e, e == query.onderdeel))
            .collect(),
        users: names
            .into_iter()
            .map(|n| (n.clone(), n == query.gebruiker))
            .collect(),
        van: query.van.clone(),
        tot: query.tot.clone(),
        csv_href: format!("/beheer/audit.csv?{query_string}"),
        page_number,
        newer_href: (page_number > 1)
            .then(|| format!("/beheer/audit?{query_string}&pagina={}", page_number - 1)),
        older_href: has_older
            .then(|| format!("/beheer/audit?{query_string}&pagina={}", page_number + 1)),
    };
    render(&current, &page)
}

pub async fn csv(current: Current, Query(query): Query<AuditQuery>) -> Result<Response, WebError> {
    let entries = ops::audit(&current.ctx, &query.ops(), None).await?;
    let body = ops::audit_csv(&entries)?;
    let filename = crate::export::safe_file_name(&format!(
        "auditlog-{}-{}.csv",
        current.ctx.organisation.code,
        current.ctx.today().format("%Y%m%d")
    ));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response())
}

pub struct SecurityRow {
    pub at: String,
    pub event: &'static str,
    pub email: String,
    pub client: String,
}

#[derive(Template)]
#[template(path = "security_log.html")]
struct SecurityLogPage {
    layout: Layout,
    rows: Vec<SecurityRow>,
    limit: i64,
}

pub async fn security_log(current: Current) -> Result<Response, WebError> {
    let events = ops::security_events(&current.ctx, ops::SECURITY_LOG_ROWS).await?;
    let page = SecurityLogPage {
        layout: Layout::new(&current, Section::Beheer, "Beveiligingslog"),
        rows: events
            .into_iter()
            .map(|e| SecurityRow {
                at: chrono::DateTime::from_timestamp(e.at, 0).map_or_else(String::new, dutch_time),
                event: e.kind.label(),
                email: e.email,
                client: e.client_address,
            })
            .collect(),
        limit: ops::SECURITY_LOG_ROWS,
    };
    render(&current, &page)
}
