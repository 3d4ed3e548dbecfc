//! Carrying actions over into next year's programme (doorschuiven), and the lineage of an
//! action across the years: each action continues at most one action of the year before
//! (`predecessor_id`, unique), so a lineage is a simple chain.

use crate::catalog::Kind;
use crate::connection::Exec;
use crate::{Actor, Result, Store, StoreError, Tx};
use koers_domain::{
    ActieCode, ActieGegevens, FieldErrors, Fte, Herkomst, Jaar, Personen, Status, Uitkomst, Uren,
    Vaststelling,
};
use serde::Serialize;

/// A lineage has at most one action per year; this bounds the walk even if data were odd.
const MAX_STEPS: usize = 100;

/// One action in the chain of an action across the years.
#[derive(Debug, Clone, Serialize)]
pub struct LineageStep {
    pub id: i64,
    pub year: i64,
    pub code: String,
    pub title: String,
    /// The last progress status.
    pub status: Status,
    /// How the year ended, once evaluated.
    pub outcome: Option<Uitkomst>,
}

#[derive(sqlx::FromRow)]
struct LineageRow {
    id: i64,
    predecessor_id: Option<i64>,
    year: i64,
    code: String,
    title: String,
    #[sqlx(try_from = "String")]
    status: Status,
    outcome: Option<String>,
}

impl LineageRow {
    fn step(self) -> LineageStep {
        LineageStep {
            id: self.id,
            year: self.year,
            code: self.code,
            title: self.title,
            status: self.status,
            outcome: self.outcome.as_deref().and_then(Uitkomst::from_code),
        }
    }
}

const LINEAGE_SELECT: &str = "SELECT a.id, a.predecessor_id, p.year, a.code, a.title, a.status, e.outcome \
     FROM actions a JOIN programmes p ON p.organisation_id = a.organisation_id AND p.id = a.programme_id \
     LEFT JOIN action_evaluations e ON e.organisation_id = a.organisation_id AND e.action_id = a.id \
     WHERE a.organisation_id = $1 AND ";

/// An action of last year that a new action can continue.
#[derive(Debug, Clone, Serialize)]
pub struct PredecessorChoice {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub status: Status,
    pub outcome: Option<Uitkomst>,
}

/// An action of a programme as the carry-over page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct CarryCandidate {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub theme_id: i64,
    pub status: Status,
    pub outcome: Option<Uitkomst>,
    pub reason: String,
    /// Where it went, as (year, code), when it already continues next year.
    pub successor: Option<(i64, String)>,
}

#[derive(sqlx::FromRow)]
struct ChoiceRow {
    id: i64,
    code: String,
    title: String,
    #[sqlx(try_from = "String")]
    status: Status,
    outcome: Option<String>,
}

#[derive(sqlx::FromRow)]
struct CandidateRow {
    id: i64,
    code: String,
    title: String,
    theme_id: i64,
    #[sqlx(try_from = "String")]
    status: Status,
    outcome: Option<String>,
    reason: Option<String>,
    successor_year: Option<i64>,
    successor_code: Option<String>,
}

/// One action the user confirmed: carry it over under `code`, in `theme_id`.
#[derive(Debug, Clone)]
pub struct CarryChoice {
    pub action_id: i64,
    pub code: ActieCode,
    pub theme_id: i64,
}

/// What a carry-over did.
#[derive(Debug, Clone)]
pub struct CarriedOver {
    pub programme_id: i64,
    pub programme_created: bool,
    /// (old code, new code) of each action created.
    pub created: Vec<(String, String)>,
}

/// The form field of an action's row on the carry-over page.
pub fn row_field(kind: &str, action_id: i64) -> String {
    format!("{kind}_{action_id}")
}

impl Store {
    /// The chain of `action_id` across the years, oldest first.
    pub async fn action_lineage(
        &self,
        organisation_id: i64,
        action_id: i64,
    ) -> Result<Vec<LineageStep>> {
        self.reads()
            .action_lineage(organisation_id, action_id)
            .await
    }

    /// The actions of the year before `programme_id`'s year that no other action continues yet
    /// (`except` is the action being edited, whose own link stays a choice), ordered by code.
    pub async fn predecessor_choices(
        &self,
        organisation_id: i64,
        programme_id: i64,
        except: Option<i64>,
    ) -> Result<Vec<PredecessorChoice>> {
        let sql = "SELECT a.id, a.code, a.title, a.status, e.outcome FROM actions a \
                   JOIN programmes p ON p.organisation_id = a.organisation_id AND p.id = a.programme_id \
                   JOIN programmes this ON this.organisation_id = a.organisation_id AND this.id = $2 \
                   LEFT JOIN action_evaluations e ON e.organisation_id = a.organisation_id AND e.action_id = a.id \
                   WHERE a.organisation_id = $1 AND p.year = this.year - 1 \
                   AND NOT EXISTS (SELECT 1 FROM actions s WHERE s.organisation_id = a.organisation_id \
                                   AND s.predecessor_id = a.id AND s.id <> $3) \
                   ORDER BY a.code";
        let rows: Vec<ChoiceRow> = on_pool!(self, |conn| sqlx::query_as(sql)
            .bind(organisation_id)
            .bind(programme_id)
            .bind(except.unwrap_or(0))
            .fetch_all(conn)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|r| PredecessorChoice {
                id: r.id,
                code: r.code,
                title: r.title,
                status: r.status,
                outcome: r.outcome.as_deref().and_then(Uitkomst::from_code),
            })
            .collect())
    }

    /// Every action of a programme with its outcome and where it went, ordered by code.
    pub async fn carry_candidates(
        &self,
        organisation_id: i64,
        programme_id: i64,
    ) -> Result<Vec<CarryCandidate>> {
        self.reads()
            .carry_candidates(organisation_id, programme_id)
            .await
    }

    /// Carries the chosen actions of `from_programme_id` (year N) over into the programme of
    /// N+1, in one transaction: creates that programme (concept, `title`) if it is missing,
    /// creates one action per choice that continues the old one with its fields as a starting
    /// point, and copies subteam FTE and opgave participation of N where N+1 has none yet.
    /// An action that already has a successor is skipped, so running it twice creates nothing
    /// twice. Any invalid choice (a code in use, a retired theme) fails the whole run with a
    /// field error per row ([`row_field`]: `code_{id}`, `thema_{id}`, `actie_{id}`).
    pub async fn carry_over(
        &self,
        actor: &Actor,
        from_programme_id: i64,
        title: &str,
        choices: &[CarryChoice],
    ) -> Result<CarriedOver> {
        let mut tx = self.begin().await?;
        let done = tx
            .carry_over(actor, from_programme_id, title, choices)
            .await?;
        tx.commit().await?;
        Ok(done)
    }
}

impl Tx {
    /// A message when another action than `own_id` already continues `predecessor`.
    pub(crate) async fn already_continued(
        &mut self,
        organisation_id: i64,
        predecessor: i64,
        own_id: i64,
    ) -> Result<Option<String>> {
        let sql = "SELECT a.code, ap.year, s.code, sp.year FROM actions s \
                   JOIN programmes sp ON sp.organisation_id = s.organisation_id AND sp.id = s.programme_id \
                   JOIN actions a ON a.organisation_id = s.organisation_id AND a.id = s.predecessor_id \
                   JOIN programmes ap ON ap.organisation_id = a.organisation_id AND ap.id = a.programme_id \
                   WHERE s.organisation_id = $1 AND s.predecessor_id = $2 AND s.id <> $3";
        let row: Option<(String, i64, String, i64)> = on_conn!(self, |conn| sqlx::query_as(sql)
            .bind(organisation_id)
            .bind(predecessor)
            .bind(own_id)
            .fetch_optional(conn)
            .await)?;
        Ok(row.map(|(code, year, next_code, next_year)| {
            format!("Actie {code} van {year} wordt al voortgezet door {next_code} in {next_year}.")
        }))
    }

    async fn is_active(&mut self, organisation_id: i64, table: &str, id: i64) -> Result<bool> {
        let sql = format!("SELECT retired FROM {table} WHERE organisation_id = $1 AND id = $2");
        let row: Option<(bool,)> = on_conn!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .bind(id)
        .fetch_optional(conn)
        .await)?;
        Ok(matches!(row, Some((false,))))
    }

    async fn active_only(
        &mut self,
        organisation_id: i64,
        table: &str,
        ids: &[i64],
    ) -> Result<Vec<i64>> {
        let mut kept = Vec::with_capacity(ids.len());
        for id in ids {
            if self.is_active(organisation_id, table, *id).await? {
                kept.push(*id);
            }
        }
        Ok(kept)
    }

    pub async fn carry_over(
        &mut self,
        actor: &Actor,
        from_programme_id: i64,
        title: &str,
        choices: &[CarryChoice],
    ) -> Result<CarriedOver> {
        let org = actor.organisation_id;
        let (year,): (i64,) = on_conn!(self, |conn| sqlx::query_as(
            "SELECT year FROM programmes WHERE organisation_id = $1 AND id = $2"
        )
        .bind(org)
        .bind(from_programme_id)
        .fetch_optional(conn)
        .await)?
        .ok_or(StoreError::NotFound)?;
        let next_year = Jaar::new(year + 1).map_err(|e| {
            StoreError::invalid(
                "acties",
                format!("Na {year} kan geen programma volgen: {e}"),
            )
        })?;
        let target: Option<(i64,)> = on_conn!(self, |conn| sqlx::query_as(
            "SELECT id FROM programmes WHERE organisation_id = $1 AND year = $2"
        )
        .bind(org)
        .bind(year + 1)
        .fetch_optional(conn)
        .await)?;
        let taken: Vec<String> = match target {
            Some((id,)) => {
                let rows: Vec<(String,)> = on_conn!(self, |conn| sqlx::query_as(
                    "SELECT code FROM actions WHERE organisation_id = $1 AND programme_id = $2"
                )
                .bind(org)
                .bind(id)
                .fetch_all(conn)
                .await)?;
                rows.into_iter().map(|(code,)| code).collect()
            }
            None => Vec::new(),
        };

        // Check every choice before anything is written, so the user sees all problems at once.
        let candidates = self
            .reads()
            .carry_candidates(org, from_programme_id)
            .await?;
        let mut errors = FieldErrors::default();
        let mut planned = Vec::new();
        let mut chosen: Vec<String> = Vec::new();
        for choice in choices {
            let Some(candidate) = candidates.iter().find(|c| c.id == choice.action_id) else {
                errors.add(
                    "acties",
                    "Kies alleen acties uit de lijst van dit programma.",
                );
                continue;
            };
            if candidate.successor.is_some() {
                continue;
            }
            if !candidate.outcome.is_some_and(Uitkomst::carries_over) {
                errors.add(
                    &row_field("actie", candidate.id),
                    format!(
                        "Actie {} is niet geëvalueerd als doorgeschoven, doorlopend of deels gerealiseerd, en gaat daarom niet mee.",
                        candidate.code
                    ),
                );
                continue;
            }
            let code = choice.code.as_str().to_string();
            if taken.contains(&code) {
                errors.add(
                    &row_field("code", candidate.id),
                    format!(
                        "De code {code} is in programma {next_year} al in gebruik. Kies een andere code voor {}.",
                        candidate.code
                    ),
                );
            } else if chosen.contains(&code) {
                errors.add(
                    &row_field("code", candidate.id),
                    format!(
                        "De code {code} is hierboven al gekozen voor een andere actie. Kies een andere code voor {}.",
                        candidate.code
                    ),
                );
            } else {
                chosen.push(code);
            }
            let (lead,): (i64,) = on_conn!(self, |conn| sqlx::query_as(
                "SELECT lead_subteam_id FROM actions WHERE organisation_id = $1 AND id = $2"
            )
            .bind(org)
            .bind(candidate.id)
            .fetch_one(conn)
            .await)?;
            if !self.is_active(org, "subteams", lead).await? {
                errors.add(
                    &row_field("actie", candidate.id),
                    format!(
                        "Het trekkende subteam van {} is niet meer in gebruik. Vink de actie uit en voeg haar daarna zelf toe met een ander trekkend subteam.",
                        candidate.code
                    ),
                );
            }
            if !self.is_active(org, "themes", choice.theme_id).await? {
                errors.add(
                    &row_field("thema", candidate.id),
                    format!("Kies een thema uit de lijst voor {}.", candidate.code),
                );
            }
            planned.push((candidate.clone(), choice.clone()));
        }
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }

        let (programme_id, programme_created) = match target {
            Some((id,)) => (id, false),
            None => (
                self.create_programme(actor, next_year, title, Vaststelling::Concept)
                    .await?,
                true,
            ),
        };
        let mut created = Vec::new();
        for (candidate, choice) in planned {
            let old = self.reads().action(org, candidate.id).await?;
            let a = &old.action;
            let ambition_id = match a.ambition_id {
                Some(id)
                    if choice.theme_id == a.theme_id
                        && self.is_active(org, "ambitions", id).await? =>
                {
                    Some(id)
                }
                _ => None,
            };
            // Shares carry over with their subteam; a retired subteam's share goes back to
            // the lead, as its hours would.
            let contributing = self
                .active_only(org, "subteams", &old.contributing_subteam_ids)
                .await?;
            let data = ActieGegevens {
                code: choice.code.clone(),
                title: a.title.clone(),
                description: a.description.clone(),
                intended_result: a.intended_result.clone(),
                theme_id: choice.theme_id,
                ambition_id,
                lead_subteam_id: a.lead_subteam_id,
                contributing_shares: old
                    .contributing_shares
                    .iter()
                    .copied()
                    .filter(|(id, _)| contributing.contains(id))
                    .collect(),
                contributing_subteam_ids: contributing,
                partner_ids: self.active_only(org, "partners", &old.partner_ids).await?,
                opgave_ids: self.active_only(org, "opgaven", &old.opgave_ids).await?,
                quarters: a.quarters,
                planned_hours: Uren::new(a.planned_hours).unwrap_or_default(),
                priority: a.priority,
                origin: Herkomst::Doorgeschoven,
                predecessor_id: Some(a.id),
            };
            let summary = format!(
                "Doorgeschoven uit {year} ({}): actie {} '{}' toegevoegd",
                a.code, data.code, data.title
            );
            match self
                .create_action_noted(actor, programme_id, &data, &summary)
                .await
            {
                Ok(_) => created.push((a.code.clone(), data.code.to_string())),
                // Checked above, so only a concurrent change gets here. Stop at once: on
                // PostgreSQL a refused statement ends the transaction.
                Err(StoreError::Invalid(found)) => {
                    let mut errors = FieldErrors::default();
                    for e in found.iter() {
                        let field = match e.field.as_str() {
                            "code" => row_field("code", a.id),
                            "theme_id" => row_field("thema", a.id),
                            _ => row_field("actie", a.id),
                        };
                        errors.add(&field, format!("{}: {}", a.code, e.message));
                    }
                    return Err(StoreError::Invalid(errors));
                }
                Err(other) => return Err(other),
            }
        }
        self.copy_year_settings(actor, year, i64::from(next_year))
            .await?;
        Ok(CarriedOver {
            programme_id,
            programme_created,
            created,
        })
    }

    /// Copies subteam FTE of `from` to `to` for subteams without FTE in `to`, and opgave
    /// participation when `to` has none at all (absence means "does not take part", so a year
    /// that already has participation was decided on).
    async fn copy_year_settings(&mut self, actor: &Actor, from: i64, to: i64) -> Result<()> {
        let org = actor.organisation_id;
        let capacity: Vec<(i64, i64, Option<i64>)> = on_conn!(self, |conn| {
            sqlx::query_as(
            "SELECT c.subteam_id, c.fte_hundredths, c.persons FROM subteam_capacity c \
             JOIN subteams s ON s.organisation_id = c.organisation_id AND s.id = c.subteam_id \
             WHERE c.organisation_id = $1 AND c.year = $2 AND NOT s.retired \
             AND NOT EXISTS (SELECT 1 FROM subteam_capacity n WHERE n.organisation_id = c.organisation_id \
                             AND n.subteam_id = c.subteam_id AND n.year = $3) \
             ORDER BY c.subteam_id"
        )
        .bind(org)
        .bind(from)
        .bind(to)
        .fetch_all(conn)
        .await
        })?;
        for (subteam_id, hundredths, persons) in capacity {
            let subteam = self.reads().item(org, Kind::Subteam, subteam_id).await?;
            let fte = Fte::from_hundredths(hundredths).unwrap_or_default();
            let persons = persons.and_then(|p| Personen::new(p).ok());
            self.set_capacity(actor, &subteam, to, fte, persons).await?;
        }
        let (existing,): (i64,) = on_conn!(self, |conn| sqlx::query_as(
            "SELECT COUNT(*) FROM opgave_participation WHERE organisation_id = $1 AND year = $2"
        )
        .bind(org)
        .bind(to)
        .fetch_one(conn)
        .await)?;
        if existing == 0 {
            let opgaven: Vec<(i64,)> = on_conn!(self, |conn| {
                sqlx::query_as(
                "SELECT x.opgave_id FROM opgave_participation x \
                 JOIN opgaven o ON o.organisation_id = x.organisation_id AND o.id = x.opgave_id \
                 WHERE x.organisation_id = $1 AND x.year = $2 AND NOT o.retired ORDER BY x.opgave_id"
            )
            .bind(org)
            .bind(from)
            .fetch_all(conn)
            .await
            })?;
            for (opgave_id,) in opgaven {
                let opgave = self.reads().item(org, Kind::Opgave, opgave_id).await?;
                self.set_participation(actor, &opgave, to, true).await?;
            }
        }
        Ok(())
    }
}

impl Exec<'_> {
    pub(crate) async fn action_lineage(
        &mut self,
        organisation_id: i64,
        action_id: i64,
    ) -> Result<Vec<LineageStep>> {
        let by_id = format!("{LINEAGE_SELECT}a.id = $2");
        let by_predecessor = format!("{LINEAGE_SELECT}a.predecessor_id = $2");
        let first: LineageRow = on_exec!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            by_id.as_str()
        ))
        .bind(organisation_id)
        .bind(action_id)
        .fetch_optional(conn)
        .await)?
        .ok_or(StoreError::NotFound)?;
        let mut earlier = Vec::new();
        let mut previous = first.predecessor_id;
        while let Some(id) = previous {
            if earlier.len() >= MAX_STEPS {
                break;
            }
            let row: Option<LineageRow> = on_exec!(self, |conn| sqlx::query_as(
                sqlx::AssertSqlSafe(by_id.as_str())
            )
            .bind(organisation_id)
            .bind(id)
            .fetch_optional(conn)
            .await)?;
            let Some(row) = row else { break };
            previous = row.predecessor_id;
            earlier.push(row.step());
        }
        earlier.reverse();
        let mut next = first.id;
        earlier.push(first.step());
        for _ in 0..MAX_STEPS {
            let row: Option<LineageRow> = on_exec!(self, |conn| sqlx::query_as(
                sqlx::AssertSqlSafe(by_predecessor.as_str())
            )
            .bind(organisation_id)
            .bind(next)
            .fetch_optional(conn)
            .await)?;
            let Some(row) = row else { break };
            next = row.id;
            earlier.push(row.step());
        }
        Ok(earlier)
    }

    pub(crate) async fn carry_candidates(
        &mut self,
        organisation_id: i64,
        programme_id: i64,
    ) -> Result<Vec<CarryCandidate>> {
        let sql = "SELECT a.id, a.code, a.title, a.theme_id, a.status, e.outcome, e.reason, \
                   sp.year AS successor_year, s.code AS successor_code FROM actions a \
                   LEFT JOIN action_evaluations e ON e.organisation_id = a.organisation_id AND e.action_id = a.id \
                   LEFT JOIN actions s ON s.organisation_id = a.organisation_id AND s.predecessor_id = a.id \
                   LEFT JOIN programmes sp ON sp.organisation_id = s.organisation_id AND sp.id = s.programme_id \
                   WHERE a.organisation_id = $1 AND a.programme_id = $2 ORDER BY a.code";
        let rows: Vec<CandidateRow> = on_exec!(self, |conn| sqlx::query_as(sql)
            .bind(organisation_id)
            .bind(programme_id)
            .fetch_all(conn)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|r| CarryCandidate {
                id: r.id,
                code: r.code,
                title: r.title,
                theme_id: r.theme_id,
                status: r.status,
                outcome: r.outcome.as_deref().and_then(Uitkomst::from_code),
                reason: r.reason.unwrap_or_default(),
                successor: r.successor_year.zip(r.successor_code),
            })
            .collect())
    }
}
