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
    /// What changed, in words: "Actie IV1-03 Bibob-toets horeca".
    pub subject: String,
    pub summary: String,
    /// The fields before and after; for an edit only the fields that changed.
    pub fields: Vec<FieldChange>,
    /// Whether there was a record before (an edit or a removal) and after (not a removal).
    pub has_before: bool,
    pub has_after: bool,
    /// Fields that an edit left as they were.
    pub unchanged: usize,
}

/// One field of a change, with a Dutch label and values in words.
pub struct FieldChange {
    pub label: String,
    pub before: String,
    pub after: String,
}

/// Dutch labels of the fields the audit log records; other fields get their own name
/// with spaces for underscores.
const FIELD_LABELS: [(&str, &str); 47] = [
    ("code", "Code"),
    ("title", "Titel"),
    ("name", "Naam"),
    ("description", "Beschrijving"),
    ("intended_result", "Beoogd resultaat"),
    ("theme_id", "Thema"),
    ("ambition_id", "Ambitie"),
    ("lead_subteam_id", "Trekker (subteam)"),
    ("contributing_subteam_ids", "Bijdragende subteams"),
    ("contributing_shares", "Aandelen in de uren"),
    ("partner_ids", "Partners"),
    ("opgave_ids", "Opgaven"),
    ("quarters", "Kwartalen"),
    ("planned_hours", "Geplande uren"),
    ("hours_spent", "Bestede uren"),
    ("priority", "Prioriteit"),
    ("origin", "Herkomst"),
    ("predecessor_id", "Voorganger"),
    ("status", "Status"),
    ("note", "Toelichting"),
    ("entry_date", "Datum"),
    ("last_progress_on", "Laatste melding"),
    ("year", "Jaar"),
    ("start_year", "Eerste jaar"),
    ("end_year", "Laatste jaar"),
    ("email", "E-mailadres"),
    ("role", "Rol"),
    ("subteam_id", "Subteam"),
    ("user_id", "Gebruiker"),
    ("parent_id", "Valt onder"),
    ("retired", "Vervallen"),
    ("position", "Volgorde"),
    ("fte", "Fte"),
    ("fte_hundredths", "Fte (honderdsten)"),
    ("place", "Plaats"),
    ("outcome", "Uitkomst"),
    ("reason", "Reden"),
    ("lesson", "Les"),
    ("text", "Tekst"),
    ("decided_on", "Besluitdatum"),
    ("decision_reference", "Kenmerk besluit"),
    ("letter_number", "Nummer raadsbrief"),
    ("letter_date", "Datum raadsbrief"),
    ("team", "Teamnaam"),
    ("colour", "Kleur"),
    ("sender", "Afzender"),
    ("addressee", "Geadresseerde"),
];

/// Fields that are bookkeeping rather than content.
const HIDDEN_FIELDS: [&str; 4] = ["id", "organisation_id", "version", "programme_id"];

fn field_label(key: &str) -> String {
    FIELD_LABELS.iter().find(|(k, _)| *k == key).map_or_else(
        || {
            let words = key.replace('_', " ");
            let mut chars = words.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        },
        |(_, label)| label.to_string(),
    )
}

/// A key as snake case: some records are written with camelCase keys (`plannedHours`).
fn snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Names for the ids the log holds, from the read model.
struct Names<'a> {
    catalogue: &'a crate::ops::actions::Catalogue,
    /// Action id → "2023 IV1-03".
    actions: std::collections::HashMap<i64, String>,
    /// User id → name.
    users: std::collections::HashMap<i64, String>,
}

impl Names<'_> {
    fn item(&self, key: &str, id: i64) -> String {
        let c = self.catalogue;
        let list: Vec<&[koers_store::catalog::Item]> = match key {
            "theme_id" => vec![&c.themes],
            "ambition_id" => vec![&c.ambitions],
            "lead_subteam_id" | "subteam_id" | "contributing_subteam_ids" => vec![&c.subteams],
            "partner_id" | "partner_ids" => vec![&c.partners],
            "opgave_id" | "opgave_ids" => vec![&c.opgaven],
            "domain_id" => vec![&c.domains],
            "predecessor_id" | "action_id" => {
                return self
                    .actions
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| format!("actie nr. {id}"));
            }
            "user_id" => {
                return self
                    .users
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| format!("gebruiker nr. {id}"));
            }
            // A theme's parent is a domain, an ambition's a theme.
            "parent_id" => vec![&c.domains, &c.themes],
            // An id of something else (a task field, an indicator, a round) is not looked up
            // in the catalogue, where the same number may name an unrelated item.
            _ => return format!("nr. {id}"),
        };
        list.into_iter()
            .flat_map(|items| items.iter())
            .find(|i| i.id == id)
            .map_or_else(|| format!("nr. {id}"), |i| i.name.clone())
    }

    /// A value in words: names for ids, labels for codes, "ja"/"nee", "—" for nothing.
    fn value(&self, key: &str, value: Option<&serde_json::Value>) -> String {
        use serde_json::Value;
        let Some(value) = value else {
            return String::new();
        };
        match value {
            Value::Null => "—".into(),
            Value::Bool(b) => if *b { "ja" } else { "nee" }.into(),
            Value::Number(n) if key.ends_with("_id") => n
                .as_i64()
                .map_or_else(|| n.to_string(), |id| self.item(key, id)),
            Value::Number(n) => n.to_string(),
            // [[subteam id, percent], …] → "Toezicht & Handhaving 25%".
            Value::Array(pairs) if key == "contributing_shares" => pairs
                .iter()
                .filter_map(|pair| Some((pair.get(0)?.as_i64()?, pair.get(1)?.as_i64()?)))
                .map(|(id, percent)| format!("{} {percent}%", self.item("subteam_id", id)))
                .collect::<Vec<_>>()
                .join(", "),
            Value::Array(items) if key.ends_with("_ids") => {
                let names: Vec<String> = items
                    .iter()
                    .filter_map(Value::as_i64)
                    .map(|id| self.item(key, id))
                    .collect();
                if names.is_empty() {
                    "—".into()
                } else {
                    names.join(", ")
                }
            }
            Value::String(text) => {
                let label = match key {
                    "status" => koers_domain::Status::from_code(text)
                        .map(|s| s.label())
                        .or_else(|| koers_domain::Vaststelling::from_code(text).map(|v| v.label())),
                    "priority" => koers_domain::Prioriteit::from_code(text).map(|p| p.label()),
                    "origin" => koers_domain::Herkomst::from_code(text).map(|h| h.label()),
                    "role" => koers_domain::Rol::from_code(text).map(|r| r.label()),
                    "outcome" => koers_domain::Uitkomst::from_code(text).map(|u| u.label()),
                    _ => None,
                };
                match (label, key) {
                    (Some(label), _) => label.to_string(),
                    (None, "quarters") => koers_domain::Kwartalen::parse(text)
                        .map_or_else(|_| text.clone(), |q| q.label()),
                    _ if text.is_empty() => "—".into(),
                    _ => text.clone(),
                }
            }
            other => other.to_string(),
        }
    }
}

/// What a row of the log says, in words.
fn describe(entry: koers_store::audit::AuditEntry, names: &Names<'_>) -> Row {
    let parse = |json: &Option<String>| {
        json.as_deref()
            .and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok())
    };
    let before = parse(&entry.before_json);
    let after = parse(&entry.after_json);
    let object = |v: &Option<serde_json::Value>| v.as_ref().and_then(|v| v.as_object().cloned());
    let (before_map, after_map) = (object(&before), object(&after));
    let mut keys: Vec<String> = Vec::new();
    for map in [&before_map, &after_map].into_iter().flatten() {
        for key in map.keys() {
            if !keys.contains(key) && !HIDDEN_FIELDS.contains(&snake(key).as_str()) {
                keys.push(key.clone());
            }
        }
    }
    let is_edit = before_map.is_some() && after_map.is_some();
    let mut unchanged = 0;
    let mut fields = Vec::new();
    for key in &keys {
        let old = before_map.as_ref().and_then(|m| m.get(key));
        let new = after_map.as_ref().and_then(|m| m.get(key));
        if is_edit && old == new {
            unchanged += 1;
            continue;
        }
        let name = snake(key);
        fields.push(FieldChange {
            label: field_label(&name),
            before: names.value(&name, old),
            after: names.value(&name, new),
        });
    }
    // A record that is not an object (a single value) is shown as one field.
    if before_map.is_none() && after_map.is_none() && (before.is_some() || after.is_some()) {
        fields.push(FieldChange {
            label: "Waarde".into(),
            before: names.value("", before.as_ref()),
            after: names.value("", after.as_ref()),
        });
    }
    let record = after_map.as_ref().or(before_map.as_ref());
    let text = |key: &str| {
        record
            .and_then(|m| m.get(key))
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let what = match (text("code"), text("title").or_else(|| text("name"))) {
        (Some(code), Some(title)) => format!("{code} {title}"),
        (None, Some(title)) => title,
        (Some(code), None) => code,
        (None, None) => record
            .and_then(|m| m.get("year"))
            .and_then(serde_json::Value::as_i64)
            .map_or_else(|| format!("nr. {}", entry.entity_id), |y| y.to_string()),
    };
    let mut entity = entry.entity.replace('-', " ");
    if let Some(first) = entity.get(..1) {
        entity = format!("{}{}", first.to_uppercase(), &entity[1..]);
    }
    Row {
        at: dutch_time(entry.occurred_at),
        who: entry.user_name,
        subject: format!("{entity} {what}"),
        summary: entry.summary,
        has_before: before.is_some(),
        has_after: after.is_some(),
        fields,
        unchanged,
    }
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
    let model = crate::ops::read_model::model(&current.ctx).await?;
    let lookup = Names {
        catalogue: &model.catalogue,
        actions: model
            .programmes
            .iter()
            .filter_map(|p| model.actions.get(&p.id).map(|l| (p.year, l)))
            .flat_map(|(year, l)| {
                l.actions
                    .iter()
                    .map(move |a| (a.id, format!("{} ({year})", a.code)))
            })
            .collect(),
        users: ops::users(&current.ctx)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect(),
    };
    let page = AuditPage {
        layout: Layout::new(&current, Section::Beheer, "Auditlog"),
        rows: entries.into_iter().map(|e| describe(e, &lookup)).collect(),
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
