//! Actions of a yearly programme and their append-only progress history.

use crate::audit::Change;
use crate::connection::Exec;
use crate::dynamic::{DynamicQuery, Param};
use crate::{Actor, Result, Store, StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use koers_domain::{
    ActieGegevens, FieldErrors, Herkomst, Kwartalen, Prioriteit, Status, Voortgang,
};
use serde::Serialize;

/// One action as listed in a programme.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct ActionRow {
    pub id: i64,
    pub programme_id: i64,
    pub code: String,
    pub title: String,
    pub description: String,
    pub intended_result: String,
    pub theme_id: i64,
    pub ambition_id: Option<i64>,
    pub lead_subteam_id: i64,
    #[sqlx(try_from = "String")]
    pub quarters: Kwartalen,
    pub planned_hours: i64,
    #[sqlx(try_from = "String")]
    pub priority: Prioriteit,
    #[sqlx(try_from = "String")]
    pub origin: Herkomst,
    pub predecessor_id: Option<i64>,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub hours_spent: i64,
    pub last_progress_on: Option<NaiveDate>,
    pub version: i64,
}

/// An action with everything linked to it.
#[derive(Debug, Clone, Serialize)]
pub struct ActionDetail {
    #[serde(flatten)]
    pub action: ActionRow,
    pub year: i64,
    pub contributing_subteam_ids: Vec<i64>,
    /// (subteam id, percent) of the contributing subteams that take a share of the hours.
    pub contributing_shares: Vec<(i64, i64)>,
    pub partner_ids: Vec<i64>,
    pub opgave_ids: Vec<i64>,
    /// The action this one continues, as (year, code).
    pub predecessor: Option<(i64, String)>,
    /// Actions in later programmes that continue this one, as (year, code).
    pub successors: Vec<(i64, String)>,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct ProgressEntry {
    pub id: i64,
    pub action_id: i64,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub note: String,
    pub hours_spent: i64,
    pub entry_date: NaiveDate,
    pub author_id: Option<i64>,
    pub author_name: String,
    pub recorded_at: DateTime<Utc>,
}

/// Filters on a programme's actions; `None` does not filter.
#[derive(Debug, Clone, Default)]
pub struct ActionFilter {
    pub theme_id: Option<i64>,
    /// Lead or contributing subteam.
    pub subteam_id: Option<i64>,
    pub status: Option<Status>,
    pub opgave_id: Option<i64>,
    pub origin: Option<Herkomst>,
    /// Words that must occur in code, title or description.
    pub text: Option<String>,
}

impl ActionFilter {
    /// Whether no filter is set, so the whole programme is listed.
    pub fn is_empty(&self) -> bool {
        self.theme_id.is_none()
            && self.subteam_id.is_none()
            && self.status.is_none()
            && self.opgave_id.is_none()
            && self.origin.is_none()
            && self.text.is_none()
    }
}

const ACTION_COLUMNS: &str = "a.id, a.programme_id, a.code, a.title, a.description, a.intended_result, a.theme_id, \
     a.ambition_id, a.lead_subteam_id, a.quarters, a.planned_hours, a.priority, a.origin, a.predecessor_id, \
     a.status, a.hours_spent, a.last_progress_on, a.version";

impl Store {
    /// The actions of a programme that pass the filter, ordered by code.
    pub async fn actions(
        &self,
        organisation_id: i64,
        programme_id: i64,
        filter: &ActionFilter,
    ) -> Result<Vec<ActionRow>> {
        let mut query = DynamicQuery::new(
            format!(
                "SELECT {ACTION_COLUMNS} FROM actions a WHERE a.organisation_id = $1 AND a.programme_id = $2"
            ),
            vec![Param::Int(organisation_id), Param::Int(programme_id)],
        );
        if let Some(theme) = filter.theme_id {
            query.and("a.theme_id = $n", Param::Int(theme));
        }
        if let Some(subteam) = filter.subteam_id {
            query.and(
                "(a.lead_subteam_id = $n OR EXISTS (SELECT 1 FROM action_subteams s \
                 WHERE s.organisation_id = a.organisation_id AND s.action_id = a.id AND s.subteam_id = $n))",
                Param::Int(subteam),
            );
        }
        if let Some(status) = &filter.status {
            query.and("a.status = $n", Param::Text(status.code().to_string()));
        }
        if let Some(opgave) = filter.opgave_id {
            query.and(
                "EXISTS (SELECT 1 FROM action_opgaven o WHERE o.organisation_id = a.organisation_id \
                 AND o.action_id = a.id AND o.opgave_id = $n)",
                Param::Int(opgave),
            );
        }
        if let Some(origin) = &filter.origin {
            query.and("a.origin = $n", Param::Text(origin.code().to_string()));
        }
        if let Some(text) = &filter.text {
            for word in text.split_whitespace().take(10) {
                let pattern = format!("%{}%", escape_like(&word.to_lowercase()));
                query.and(
                    "(LOWER(a.code) LIKE $n ESCAPE '\\' OR LOWER(a.title) LIKE $n ESCAPE '\\' \
                     OR LOWER(a.description) LIKE $n ESCAPE '\\')",
                    Param::Text(pattern),
                );
            }
        }
        query.push(" ORDER BY a.code");
        let rows = fetch_all_dynamic!(self, ActionRow, &query)?;
        Ok(rows)
    }

    /// Contributing subteams of every action of a programme: (action id, subteam id).
    pub async fn programme_contributors(
        &self,
        organisation_id: i64,
        programme_id: i64,
    ) -> Result<Vec<(i64, i64)>> {
        let sql = "SELECT s.action_id, s.subteam_id FROM action_subteams s JOIN actions a ON a.id = s.action_id \
                   WHERE s.organisation_id = $1 AND a.organisation_id = $1 AND a.programme_id = $2";
        Ok(on_pool!(self, |conn| sqlx::query_as(sql)
            .bind(organisation_id)
            .bind(programme_id)
            .fetch_all(conn)
            .await)?)
    }

    /// Partners and opgaven of every action of a programme, as (action id, item id) pairs:
    /// (partners, opgaven). For the programme's export.
    pub async fn programme_partners_and_opgaven(
        &self,
        organisation_id: i64,
        programme_id: i64,
    ) -> Result<(Vec<(i64, i64)>, Vec<(i64, i64)>)> {
        let partners = "SELECT l.action_id, l.partner_id FROM action_partners l JOIN actions a ON a.id = l.action_id \
                        WHERE l.organisation_id = $1 AND a.organisation_id = $1 AND a.programme_id = $2";
        let opgaven = "SELECT l.action_id, l.opgave_id FROM action_opgaven l JOIN actions a ON a.id = l.action_id \
                       WHERE l.organisation_id = $1 AND a.organisation_id = $1 AND a.programme_id = $2";
        let partners = on_pool!(self, |conn| sqlx::query_as(partners)
            .bind(organisation_id)
            .bind(programme_id)
            .fetch_all(conn)
            .await)?;
        let opgaven = on_pool!(self, |conn| sqlx::query_as(opgaven)
            .bind(organisation_id)
            .bind(programme_id)
            .fetch_all(conn)
            .await)?;
        Ok((partners, opgaven))
    }

    pub async fn action_by_code(
        &self,
        organisation_id: i64,
        programme_id: i64,
        code: &str,
    ) -> Result<ActionDetail> {
        self.reads()
            .action_by_code(organisation_id, programme_id, code)
            .await
    }

    pub async fn action(&self, organisation_id: i64, id: i64) -> Result<ActionDetail> {
        self.reads().action(organisation_id, id).await
    }

    /// The store's checks of a form that the domain refused, so that the user hears of a code
    /// in use or a wrong predecessor together with the other errors, not on the next submit.
    /// `own_id` is the action being edited (0 for a new one). Changes nothing.
    pub async fn action_form_errors(
        &self,
        organisation_id: i64,
        programme_id: i64,
        own_id: i64,
        code: Option<&str>,
        predecessor: Option<i64>,
        origin: Option<Herkomst>,
    ) -> Result<FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut tx = self.begin().await?;
        tx.check_code_and_predecessor(
            organisation_id,
            programme_id,
            own_id,
            code,
            predecessor,
            origin,
            &mut errors,
        )
        .await?;
        // Dropped without commit: a read-only check.
        drop(tx);
        Ok(errors)
    }

    pub async fn create_action(
        &self,
        actor: &Actor,
        programme_id: i64,
        data: &ActieGegevens,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx.create_action(actor, programme_id, data).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Saves an edited action if nobody else saved it since `expected_version` was read.
    pub async fn update_action(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        data: &ActieGegevens,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.update_action(actor, id, expected_version, data).await?;
        tx.commit().await
    }

    pub async fn add_progress(
        &self,
        actor: &Actor,
        action_id: i64,
        progress: &Voortgang,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx.add_progress(actor, action_id, progress).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The progress history of an action, newest first.
    pub async fn progress(
        &self,
        organisation_id: i64,
        action_id: i64,
    ) -> Result<Vec<ProgressEntry>> {
        let sql = "SELECT id, action_id, status, note, hours_spent, entry_date, author_id, author_name, recorded_at \
                   FROM progress_entries WHERE organisation_id = $1 AND action_id = $2 \
                   ORDER BY entry_date DESC, id DESC";
        Ok(on_pool!(self, |conn| sqlx::query_as(sql)
            .bind(organisation_id)
            .bind(action_id)
            .fetch_all(conn)
            .await)?)
    }
}

/// Two people can pick the same free code at the same moment; the unique index decides, and the
/// loser gets the same message as when the code was taken before.
fn code_taken(error: sqlx::Error, data: &ActieGegevens) -> StoreError {
    match error.as_database_error() {
        Some(db) if db.is_unique_violation() && is_successor_index(db) => StoreError::invalid(
            "predecessor_id",
            "Deze actie van vorig jaar is intussen al voortgezet door een andere actie. Kies een andere.",
        ),
        Some(db) if db.is_unique_violation() => {
            StoreError::invalid("code", code_in_use(data.code.as_str()))
        }
        _ => error.into(),
    }
}

/// Whether a unique violation comes from `actions_one_successor` (PostgreSQL names the index,
/// SQLite the column).
fn is_successor_index(db: &dyn sqlx::error::DatabaseError) -> bool {
    db.constraint() == Some("actions_one_successor") || db.message().contains("predecessor_id")
}

fn code_in_use(code: &str) -> String {
    format!("De code {code} is in dit programma al in gebruik.")
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// The stored fields of an action, as written into the audit log.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ActionRecord {
    code: String,
    title: String,
    description: String,
    intended_result: String,
    theme_id: i64,
    ambition_id: Option<i64>,
    lead_subteam_id: i64,
    contributing_subteam_ids: Vec<i64>,
    /// [[subteam id, percent]]; left out when no subteam takes a share, as before shares existed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    contributing_shares: Vec<(i64, i64)>,
    partner_ids: Vec<i64>,
    opgave_ids: Vec<i64>,
    quarters: String,
    planned_hours: i64,
    priority: String,
    origin: String,
    predecessor_id: Option<i64>,
    version: i64,
}

impl ActionRecord {
    fn from_detail(detail: &ActionDetail) -> Self {
        let a = &detail.action;
        Self {
            code: a.code.clone(),
            title: a.title.clone(),
            description: a.description.clone(),
            intended_result: a.intended_result.clone(),
            theme_id: a.theme_id,
            ambition_id: a.ambition_id,
            lead_subteam_id: a.lead_subteam_id,
            contributing_subteam_ids: detail.contributing_subteam_ids.clone(),
            contributing_shares: detail.contributing_shares.clone(),
            partner_ids: detail.partner_ids.clone(),
            opgave_ids: detail.opgave_ids.clone(),
            quarters: a.quarters.storage(),
            planned_hours: a.planned_hours,
            priority: a.priority.code().to_string(),
            origin: a.origin.code().to_string(),
            predecessor_id: a.predecessor_id,
            version: a.version,
        }
    }

    fn from_data(data: &ActieGegevens, version: i64) -> Self {
        Self {
            code: data.code.to_string(),
            title: data.title.clone(),
            description: data.description.clone(),
            intended_result: data.intended_result.clone(),
            theme_id: data.theme_id,
            ambition_id: data.ambition_id,
            lead_subteam_id: data.lead_subteam_id,
            contributing_subteam_ids: data.contributing_subteam_ids.clone(),
            contributing_shares: data.contributing_shares.clone(),
            partner_ids: data.partner_ids.clone(),
            opgave_ids: data.opgave_ids.clone(),
            quarters: data.quarters.storage(),
            planned_hours: data.planned_hours.get(),
            priority: data.priority.code().to_string(),
            origin: data.origin.code().to_string(),
            predecessor_id: data.predecessor_id,
            version,
        }
    }
}

impl Tx {
    /// As [`Store::action_by_code`], inside this transaction.
    pub async fn action_by_code(
        &mut self,
        organisation_id: i64,
        programme_id: i64,
        code: &str,
    ) -> Result<ActionDetail> {
        self.reads()
            .action_by_code(organisation_id, programme_id, code)
            .await
    }

    /// As [`Store::update_action`], inside this transaction.
    pub async fn update_action(
        &mut self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        data: &ActieGegevens,
    ) -> Result<()> {
        let before = self.reads().action(actor.organisation_id, id).await?;
        if before.action.version != expected_version {
            return Err(StoreError::Conflict {
                current: before.action.version,
            });
        }
        self.check_action_references(
            actor.organisation_id,
            before.action.programme_id,
            Some(&before),
            data,
        )
        .await?;
        let sql = "UPDATE actions SET code = $1, title = $2, description = $3, intended_result = $4, theme_id = $5, \
                   ambition_id = $6, lead_subteam_id = $7, quarters = $8, planned_hours = $9, priority = $10, \
                   origin = $11, predecessor_id = $12, version = version + 1 \
                   WHERE organisation_id = $13 AND id = $14 AND version = $15";
        let changed = on_conn!(self, |conn| sqlx::query(sql)
            .bind(data.code.as_str())
            .bind(&data.title)
            .bind(&data.description)
            .bind(&data.intended_result)
            .bind(data.theme_id)
            .bind(data.ambition_id)
            .bind(data.lead_subteam_id)
            .bind(data.quarters.storage())
            .bind(data.planned_hours.get())
            .bind(data.priority.code())
            .bind(data.origin.code())
            .bind(data.predecessor_id)
            .bind(actor.organisation_id)
            .bind(id)
            .bind(expected_version)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))
        .map_err(|e| code_taken(e, data))?;
        let before_record = ActionRecord::from_detail(&before);
        let after_record = ActionRecord::from_data(data, before.action.version + 1);
        let change = Change {
            entity: "actie",
            id,
            summary: format!("Actie {} '{}' gewijzigd", data.code, data.title),
            before: &before_record,
            after: &after_record,
        };
        self.finish_versioned_update(actor, changed, before.action.version, change)
            .await?;
        self.replace_action_links(actor.organisation_id, id, data)
            .await?;
        Ok(())
    }

    pub async fn create_action(
        &mut self,
        actor: &Actor,
        programme_id: i64,
        data: &ActieGegevens,
    ) -> Result<i64> {
        let summary = format!("Actie {} '{}' toegevoegd", data.code, data.title);
        self.create_action_noted(actor, programme_id, data, &summary)
            .await
    }

    /// As [`Tx::create_action`], with `summary` as the line in the audit log.
    pub async fn create_action_noted(
        &mut self,
        actor: &Actor,
        programme_id: i64,
        data: &ActieGegevens,
        summary: &str,
    ) -> Result<i64> {
        self.require_owned(
            actor.organisation_id,
            "programmes",
            programme_id,
            "programme_id",
        )
        .await?;
        self.check_action_references(actor.organisation_id, programme_id, None, data)
            .await?;
        let sql = "INSERT INTO actions (organisation_id, programme_id, code, title, description, intended_result, \
                   theme_id, ambition_id, lead_subteam_id, quarters, planned_hours, priority, origin, predecessor_id) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id";
        let (id,): (i64,) = on_conn!(self, |conn| sqlx::query_as(sql)
            .bind(actor.organisation_id)
            .bind(programme_id)
            .bind(data.code.as_str())
            .bind(&data.title)
            .bind(&data.description)
            .bind(&data.intended_result)
            .bind(data.theme_id)
            .bind(data.ambition_id)
            .bind(data.lead_subteam_id)
            .bind(data.quarters.storage())
            .bind(data.planned_hours.get())
            .bind(data.priority.code())
            .bind(data.origin.code())
            .bind(data.predecessor_id)
            .fetch_one(conn)
            .await)
        .map_err(|e| code_taken(e, data))?;
        self.replace_action_links(actor.organisation_id, id, data)
            .await?;
        let after = ActionRecord::from_data(data, 1);
        self.audit::<(), _>(actor, "actie", id, "aanmaken", summary, None, Some(&after))
            .await?;
        Ok(id)
    }

    /// Checks, per field, that every chosen id belongs to the organisation and is still in use,
    /// that the ambition belongs to the theme, and that the code is free in this programme.
    /// Items already linked to the action may stay even when retired since.
    async fn check_action_references(
        &mut self,
        organisation_id: i64,
        programme_id: i64,
        existing: Option<&ActionDetail>,
        data: &ActieGegevens,
    ) -> Result<()> {
        let mut errors = FieldErrors::default();
        let kept = |field: &str| -> Vec<i64> {
            let Some(existing) = existing else {
                return Vec::new();
            };
            match field {
                "theme_id" => vec![existing.action.theme_id],
                "ambition_id" => existing.action.ambition_id.into_iter().collect(),
                "lead_subteam_id" | "contributing_subteam_ids" => {
                    let mut ids = existing.contributing_subteam_ids.clone();
                    ids.push(existing.action.lead_subteam_id);
                    ids
                }
                "partner_ids" => existing.partner_ids.clone(),
                "opgave_ids" => existing.opgave_ids.clone(),
                _ => Vec::new(),
            }
        };
        let checks: Vec<(&str, &str, Vec<i64>, &str)> = vec![
            (
                "theme_id",
                "themes",
                vec![data.theme_id],
                "Kies een thema uit de lijst.",
            ),
            (
                "ambition_id",
                "ambitions",
                data.ambition_id.into_iter().collect(),
                "Kies een ambitie uit de lijst.",
            ),
            (
                "lead_subteam_id",
                "subteams",
                vec![data.lead_subteam_id],
                "Kies een subteam uit de lijst.",
            ),
            (
                "contributing_subteam_ids",
                "subteams",
                data.contributing_subteam_ids.clone(),
                "Kies alleen subteams uit de lijst.",
            ),
            (
                "partner_ids",
                "partners",
                data.partner_ids.clone(),
                "Kies alleen partners uit de lijst.",
            ),
            (
                "opgave_ids",
                "opgaven",
                data.opgave_ids.clone(),
                "Kies alleen opgaven uit de lijst.",
            ),
        ];
        for (field, table, ids, message) in checks {
            let allowed_retired = kept(field);
            for id in ids {
                let sql =
                    format!("SELECT retired FROM {table} WHERE organisation_id = $1 AND id = $2");
                let row: Option<(bool,)> = on_conn!(self, |conn| sqlx::query_as(
                    sqlx::AssertSqlSafe(sql.as_str())
                )
                .bind(organisation_id)
                .bind(id)
                .fetch_optional(conn)
                .await)?;
                let usable = matches!(row, Some((false,)))
                    || (row.is_some() && allowed_retired.contains(&id));
                if !usable {
                    errors.add(field, message);
                    break;
                }
            }
        }
        if let Some(ambition) = data.ambition_id
            && errors.get("ambition_id").is_none()
            && errors.get("theme_id").is_none()
        {
            let (theme,): (i64,) = on_conn!(self, |conn| sqlx::query_as(
                "SELECT parent_id FROM ambitions WHERE organisation_id = $1 AND id = $2"
            )
            .bind(organisation_id)
            .bind(ambition)
            .fetch_one(conn)
            .await)?;
            if theme != data.theme_id {
                errors.add("ambition_id", "Deze ambitie hoort bij een ander thema. Kies een ambitie van het gekozen thema.");
            }
        }
        let own_id = existing.map_or(0, |e| e.action.id);
        self.check_code_and_predecessor(
            organisation_id,
            programme_id,
            own_id,
            Some(data.code.as_str()),
            data.predecessor_id,
            Some(data.origin),
            &mut errors,
        )
        .await?;
        if errors.is_empty() {
            Ok(())
        } else {
            Err(StoreError::Invalid(errors))
        }
    }

    /// The checks of an action's code (free in this programme) and predecessor (an action of
    /// last year's programme that nothing else continues; needed for a carried-over action),
    /// adding to `errors`. A value the form did not yield (`None`) is not checked.
    #[expect(
        clippy::too_many_arguments,
        reason = "each checked field of the form is a parameter"
    )]
    async fn check_code_and_predecessor(
        &mut self,
        organisation_id: i64,
        programme_id: i64,
        own_id: i64,
        code: Option<&str>,
        predecessor: Option<i64>,
        origin: Option<Herkomst>,
        errors: &mut FieldErrors,
    ) -> Result<()> {
        if let Some(predecessor) = predecessor {
            // Only an action of the previous year's programme can be continued.
            let sql = "SELECT COUNT(*) FROM actions a JOIN programmes p ON p.id = a.programme_id \
                       JOIN programmes this ON this.id = $3 AND this.organisation_id = $1 \
                       WHERE a.organisation_id = $1 AND p.organisation_id = $1 AND a.id = $2 \
                       AND p.year = this.year - 1";
            let (count,): (i64,) = on_conn!(self, |conn| sqlx::query_as(sql)
                .bind(organisation_id)
                .bind(predecessor)
                .bind(programme_id)
                .fetch_one(conn)
                .await)?;
            if count == 0 {
                errors.add(
                    "predecessor_id",
                    "Kies een actie uit het programma van vorig jaar.",
                );
            } else if let Some(message) = self
                .already_continued(organisation_id, predecessor, own_id)
                .await?
            {
                errors.add("predecessor_id", message);
            }
        } else if origin == Some(Herkomst::Doorgeschoven) {
            // In the first year in Koers there is nothing to link to; after that there is.
            let sql = "SELECT p.year FROM programmes p JOIN programmes this \
                       ON this.organisation_id = p.organisation_id AND this.id = $2 \
                       WHERE p.organisation_id = $1 AND p.year = this.year - 1";
            let previous: Option<(i64,)> = on_conn!(self, |conn| sqlx::query_as(sql)
                .bind(organisation_id)
                .bind(programme_id)
                .fetch_optional(conn)
                .await)?;
            if let Some((year,)) = previous {
                errors.add(
                    "predecessor_id",
                    format!(
                        "Een doorgeschoven actie zet een actie uit {year} voort. Kies bij 'Voortzetting van' welke, of kies een andere herkomst."
                    ),
                );
            }
        }
        let Some(code) = code else {
            return Ok(());
        };
        let taken: Option<(i64,)> = on_conn!(self, |conn| {
            sqlx::query_as(
            "SELECT id FROM actions WHERE organisation_id = $1 AND programme_id = $2 AND code = $3 AND id <> $4"
        )
        .bind(organisation_id)
        .bind(programme_id)
        .bind(code)
        .bind(own_id)
        .fetch_optional(conn)
        .await
        })?;
        if taken.is_some() {
            errors.add("code", code_in_use(code));
        }
        Ok(())
    }

    async fn replace_action_links(
        &mut self,
        organisation_id: i64,
        action_id: i64,
        data: &ActieGegevens,
    ) -> Result<()> {
        let links: [(&str, &str, &[i64]); 3] = [
            (
                "action_subteams",
                "subteam_id",
                &data.contributing_subteam_ids,
            ),
            ("action_partners", "partner_id", &data.partner_ids),
            ("action_opgaven", "opgave_id", &data.opgave_ids),
        ];
        for (table, column, ids) in links {
            let delete =
                format!("DELETE FROM {table} WHERE organisation_id = $1 AND action_id = $2");
            on_conn!(self, |conn| sqlx::query(sqlx::AssertSqlSafe(
                delete.as_str()
            ))
            .bind(organisation_id)
            .bind(action_id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
            let insert = format!(
                "INSERT INTO {table} (organisation_id, action_id, {column}) VALUES ($1, $2, $3)"
            );
            for id in ids {
                on_conn!(self, |conn| sqlx::query(sqlx::AssertSqlSafe(
                    insert.as_str()
                ))
                .bind(organisation_id)
                .bind(action_id)
                .bind(*id)
                .execute(conn)
                .await
                .map(|r| r.rows_affected()))?;
            }
        }
        for (subteam_id, percent) in &data.contributing_shares {
            on_conn!(self, |conn| sqlx::query(
                "UPDATE action_subteams SET share_percent = $1 \
                 WHERE organisation_id = $2 AND action_id = $3 AND subteam_id = $4"
            )
            .bind(*percent)
            .bind(organisation_id)
            .bind(action_id)
            .bind(*subteam_id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        }
        Ok(())
    }

    /// Appends a progress entry and brings the action's current status, hours spent and date of
    /// the last update up to date. It does not raise the action's version: progress and edits of
    /// the action's plan are separate, so a progress report never conflicts with an edit.
    pub async fn add_progress(
        &mut self,
        actor: &Actor,
        action_id: i64,
        progress: &Voortgang,
    ) -> Result<i64> {
        // Lock the action's row first. Concurrent reports on one action then run one after the
        // other, so the totals below see every committed entry (on PostgreSQL each statement
        // reads a fresh snapshot once the lock is granted; SQLite already serialises writers).
        let locked = "UPDATE actions SET version = version WHERE organisation_id = $1 AND id = $2";
        let found = on_conn!(self, |conn| sqlx::query(locked)
            .bind(actor.organisation_id)
            .bind(action_id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        if found == 0 {
            return Err(StoreError::NotFound);
        }
        let sql = "INSERT INTO progress_entries (organisation_id, action_id, status, note, hours_spent, entry_date, \
                   author_id, author_name, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
        let (id,): (i64,) = on_conn!(self, |conn| sqlx::query_as(sql)
            .bind(actor.organisation_id)
            .bind(action_id)
            .bind(progress.status.code())
            .bind(&progress.note)
            .bind(progress.hours_spent.get())
            .bind(progress.entry_date)
            .bind(actor.user_id)
            .bind(&actor.user_name)
            .bind(actor.now)
            .fetch_one(conn)
            .await)?;
        // The newest entry by date (then by id) decides the current status, so that a late report
        // about an earlier date does not overwrite a newer status.
        let update = "UPDATE actions SET \
             status = (SELECT status FROM progress_entries WHERE organisation_id = $1 AND action_id = $2 \
                       ORDER BY entry_date DESC, id DESC LIMIT 1), \
             hours_spent = (SELECT CAST(COALESCE(SUM(hours_spent), 0) AS BIGINT) FROM progress_entries \
                       WHERE organisation_id = $1 AND action_id = $2), \
             last_progress_on = (SELECT MAX(entry_date) FROM progress_entries WHERE organisation_id = $1 AND action_id = $2) \
             WHERE organisation_id = $1 AND id = $2";
        on_conn!(self, |conn| sqlx::query(update)
            .bind(actor.organisation_id)
            .bind(action_id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        let after = serde_json::json!({
            "status": progress.status.code(),
            "note": progress.note,
            "hoursSpent": progress.hours_spent,
            "entryDate": progress.entry_date,
        });
        let summary = format!("Voortgang gemeld: {}", progress.status.label());
        self.audit::<(), _>(
            actor,
            "actie",
            action_id,
            "voortgang",
            &summary,
            None,
            Some(&after),
        )
        .await?;
        Ok(id)
    }
}

impl Exec<'_> {
    pub(crate) async fn action_by_code(
        &mut self,
        organisation_id: i64,
        programme_id: i64,
        code: &str,
    ) -> Result<ActionDetail> {
        let sql = format!(
            "SELECT {ACTION_COLUMNS} FROM actions a WHERE a.organisation_id = $1 AND a.programme_id = $2 AND a.code = $3"
        );
        let row: ActionRow = on_exec!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .bind(programme_id)
        .bind(code)
        .fetch_optional(conn)
        .await)?
        .ok_or(StoreError::NotFound)?;
        self.action_detail(organisation_id, row).await
    }

    pub(crate) async fn action(&mut self, organisation_id: i64, id: i64) -> Result<ActionDetail> {
        let sql = format!(
            "SELECT {ACTION_COLUMNS} FROM actions a WHERE a.organisation_id = $1 AND a.id = $2"
        );
        let row: ActionRow = on_exec!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .bind(id)
        .fetch_optional(conn)
        .await)?
        .ok_or(StoreError::NotFound)?;
        self.action_detail(organisation_id, row).await
    }

    async fn action_detail(
        &mut self,
        organisation_id: i64,
        action: ActionRow,
    ) -> Result<ActionDetail> {
        let mut linked = Vec::with_capacity(3);
        for sql in [
            "SELECT subteam_id, share_percent FROM action_subteams WHERE organisation_id = $1 AND action_id = $2 ORDER BY subteam_id",
            "SELECT partner_id, CAST(0 AS BIGINT) FROM action_partners WHERE organisation_id = $1 AND action_id = $2 ORDER BY partner_id",
            "SELECT opgave_id, CAST(0 AS BIGINT) FROM action_opgaven WHERE organisation_id = $1 AND action_id = $2 ORDER BY opgave_id",
        ] {
            let rows: Vec<(i64, i64)> = on_exec!(self, |conn| sqlx::query_as(sql)
                .bind(organisation_id)
                .bind(action.id)
                .fetch_all(conn)
                .await)?;
            linked.push(rows);
        }
        let ids = |rows: &[(i64, i64)]| rows.iter().map(|(id, _)| *id).collect::<Vec<_>>();
        let contributing_shares: Vec<(i64, i64)> = linked[0]
            .iter()
            .copied()
            .filter(|(_, share)| *share > 0)
            .collect();
        let (contributing_subteam_ids, partner_ids, opgave_ids) =
            (ids(&linked[0]), ids(&linked[1]), ids(&linked[2]));
        let (year,): (i64,) = on_exec!(self, |conn| sqlx::query_as(
            "SELECT year FROM programmes WHERE organisation_id = $1 AND id = $2"
        )
        .bind(organisation_id)
        .bind(action.programme_id)
        .fetch_one(conn)
        .await)?;
        let linked = "SELECT p.year, a.code FROM actions a JOIN programmes p ON p.id = a.programme_id \
                      WHERE a.organisation_id = $1 AND p.organisation_id = $1 AND ";
        let predecessor = match action.predecessor_id {
            Some(id) => {
                let sql = format!("{linked} a.id = $2");
                on_exec!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
                    sql.as_str()
                ))
                .bind(organisation_id)
                .bind(id)
                .fetch_optional(conn)
                .await)?
            }
            None => None,
        };
        let sql = format!("{linked} a.predecessor_id = $2 ORDER BY p.year");
        let successors = on_exec!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .bind(action.id)
        .fetch_all(conn)
        .await)?;
        Ok(ActionDetail {
            action,
            year,
            contributing_subteam_ids,
            contributing_shares,
            partner_ids,
            opgave_ids,
            predecessor,
            successors,
        })
    }
}
