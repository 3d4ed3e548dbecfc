//! Adoption (vaststelling) of a programme and of its evaluation, and the frozen versions of what
//! the college adopted.
//!
//! A step moves a document along concept → ter vaststelling → vastgesteld → ter kennisname, with
//! optimistic locking on the `version` of `programmes` or `evaluations`. At *vastgesteld* the same
//! transaction appends a row to `frozen_versions` with the canonical JSON the caller built (inside
//! this transaction, so it is exactly what was committed) and its SHA-256. The database refuses
//! any change to that table afterwards (migration 0005).

use crate::actions::ActionRow;
use crate::catalog::{Item, Kind};
use crate::connection::Exec;
use crate::evaluation::EvaluationRecord;
use crate::programmes::Programme;
use crate::{Actor, Result, Store, StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use koers_domain::adoption::{Besluit, Raadsbrief};
use koers_domain::{Fte, Stap, Vaststelling};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The two documents the college adopts each year: the programme of year N and the evaluation of
/// that programme (made a year later).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Document {
    Programma,
    Evaluatie,
}

impl Document {
    pub const ALL: [Document; 2] = [Self::Programma, Self::Evaluatie];

    /// The stored `kind` and the word in URLs.
    pub fn code(self) -> &'static str {
        match self {
            Self::Programma => "programma",
            Self::Evaluatie => "evaluatie",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.code() == code)
    }

    /// "Programma" or "Evaluatie", as in "Programma 2024 vastgesteld".
    pub fn label(self) -> &'static str {
        match self {
            Self::Programma => "Programma",
            Self::Evaluatie => "Evaluatie",
        }
    }
}

impl TryFrom<String> for Document {
    type Error = koers_domain::values::ValueError;

    fn try_from(code: String) -> std::result::Result<Self, Self::Error> {
        Self::from_code(&code).ok_or_else(|| {
            koers_domain::values::ValueError::new(format!("onbekend document: {code}"))
        })
    }
}

/// Where a programme or an evaluation stands on its way to the council.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AdoptionState {
    #[sqlx(try_from = "String")]
    pub status: Vaststelling,
    pub decided_on: Option<NaiveDate>,
    pub decision_reference: String,
    pub council_letter_number: String,
    pub council_letter_date: Option<NaiveDate>,
    /// The row's version for optimistic locking; 0 for an evaluation that has no row yet
    /// (which is a concept).
    pub version: i64,
}

impl AdoptionState {
    fn concept() -> Self {
        Self {
            status: Vaststelling::Concept,
            decided_on: None,
            decision_reference: String::new(),
            council_letter_number: String::new(),
            council_letter_date: None,
            version: 0,
        }
    }
}

/// What a step records besides the new status.
#[derive(Debug, Clone, Copy)]
pub enum StepData<'a> {
    /// Offering for adoption, or sending back to concept.
    Nothing,
    /// The college's decision, and the canonical JSON of what it adopted.
    Besluit {
        besluit: &'a Besluit,
        content: &'a str,
    },
    /// The letter that informed the council.
    Raadsbrief(&'a Raadsbrief),
}

/// One adopted version, as frozen on the day of the decision.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct FrozenVersion {
    pub id: i64,
    pub programme_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: Document,
    pub number: i64,
    pub decided_on: NaiveDate,
    pub decision_reference: String,
    /// Canonical JSON: sorted keys, no whitespace.
    pub content: String,
    /// Lowercase hex SHA-256 of the bytes of `content`.
    pub sha256: String,
    pub frozen_at: DateTime<Utc>,
    pub frozen_by: String,
}

/// A frozen version with the organisation and year it belongs to, for `koers verify`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FrozenVersionOf {
    pub organisation_code: String,
    pub year: i64,
    #[sqlx(flatten)]
    pub version: FrozenVersion,
}

/// Everything a programme holds on one day, with the names of what its actions refer to: the
/// material of the programme's canonical content.
#[derive(Debug, Clone, Default)]
pub struct ProgrammeContents {
    /// Ordered by code.
    pub actions: Vec<ActionRow>,
    /// (action id, subteam id), ordered.
    pub contributors: Vec<(i64, i64)>,
    /// (action id, partner id), ordered.
    pub partners: Vec<(i64, i64)>,
    /// (action id, opgave id), ordered.
    pub opgaven: Vec<(i64, i64)>,
    /// (action id, year, code) of each action's predecessor.
    pub predecessors: Vec<(i64, i64, String)>,
    pub domains: Vec<Item>,
    pub themes: Vec<Item>,
    pub ambitions: Vec<Item>,
    pub subteams: Vec<Item>,
    pub partner_items: Vec<Item>,
    pub opgave_items: Vec<Item>,
    /// FTE per subteam in the programme's year.
    pub capacity: Vec<(i64, Fte)>,
    /// Opgaven the organisation takes part in that year.
    pub participation: Vec<i64>,
}

const PROGRAMME_COLUMNS: &str = "id, year, title, status, decided_on, decision_reference, \
     council_letter_number, council_letter_date, version";

const ACTION_COLUMNS: &str = "a.id, a.programme_id, a.code, a.title, a.description, a.intended_result, a.theme_id, \
     a.ambition_id, a.lead_subteam_id, a.quarters, a.planned_hours, a.priority, a.origin, a.predecessor_id, \
     a.status, a.hours_spent, a.last_progress_on, a.version";

const FROZEN_COLUMNS: &str = "f.id, f.programme_id, f.kind, f.number, f.decided_on, f.decision_reference, \
     f.content, f.sha256, f.frozen_at, f.frozen_by";

/// Lowercase hex SHA-256 of `content`'s bytes: the hash stored with a frozen version (and with
/// a council package's file).
pub fn sha256_hex(content: impl AsRef<[u8]>) -> String {
    Sha256::digest(content.as_ref())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn dutch(date: NaiveDate) -> String {
    date.format("%d-%m-%Y").to_string()
}

impl Store {
    /// The frozen versions of a programme and its evaluation, by kind and number.
    pub async fn frozen_versions(
        &self,
        organisation_id: i64,
        programme_id: i64,
    ) -> Result<Vec<FrozenVersion>> {
        let sql = format!(
            "SELECT {FROZEN_COLUMNS} FROM frozen_versions f \
             WHERE f.organisation_id = $1 AND f.programme_id = $2 ORDER BY f.kind DESC, f.number"
        );
        Ok(on_pool!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .bind(programme_id)
        .fetch_all(conn)
        .await)?)
    }

    pub async fn frozen_version(
        &self,
        organisation_id: i64,
        programme_id: i64,
        kind: Document,
        number: i64,
    ) -> Result<Option<FrozenVersion>> {
        let sql = format!(
            "SELECT {FROZEN_COLUMNS} FROM frozen_versions f WHERE f.organisation_id = $1 \
             AND f.programme_id = $2 AND f.kind = $3 AND f.number = $4"
        );
        Ok(on_pool!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .bind(programme_id)
        .bind(kind.code())
        .bind(number)
        .fetch_optional(conn)
        .await)?)
    }

    /// Every frozen version of every organisation, for `koers verify`. Not scoped to one
    /// organisation by design: the check runs on the whole database from the command line.
    pub async fn all_frozen_versions(&self) -> Result<Vec<FrozenVersionOf>> {
        let sql = format!(
            "SELECT o.code AS organisation_code, p.year, {FROZEN_COLUMNS} FROM frozen_versions f \
             JOIN organisations o ON o.id = f.organisation_id \
             JOIN programmes p ON p.organisation_id = f.organisation_id AND p.id = f.programme_id \
             ORDER BY o.code, p.year, f.kind DESC, f.number"
        );
        Ok(on_pool!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .fetch_all(conn)
        .await)?)
    }
}

impl Tx {
    /// The programme of `year`, read inside this transaction.
    pub async fn programme_of_year(
        &mut self,
        organisation_id: i64,
        year: i64,
    ) -> Result<Option<Programme>> {
        let sql = format!(
            "SELECT {PROGRAMME_COLUMNS} FROM programmes WHERE organisation_id = $1 AND year = $2"
        );
        Ok(on_conn!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .bind(year)
        .fetch_optional(conn)
        .await)?)
    }

    /// Where the programme or its evaluation stands, read inside this transaction.
    pub async fn adoption_state(
        &mut self,
        organisation_id: i64,
        programme_id: i64,
        document: Document,
    ) -> Result<AdoptionState> {
        self.reads()
            .adoption_state(organisation_id, programme_id, document)
            .await
    }

    /// Everything the programme holds now, with names, for its canonical content.
    pub async fn programme_contents(
        &mut self,
        organisation_id: i64,
        programme: &Programme,
    ) -> Result<ProgrammeContents> {
        self.reads()
            .programme_contents(organisation_id, programme)
            .await
    }

    /// Takes `step` for the programme or its evaluation, if its version is still
    /// `expected_version` and the step can be taken from its status. Records the decision or
    /// letter of `data`, writes one audit row, and at *vastgesteld* appends the frozen version
    /// (returned) to `frozen_versions`.
    pub async fn take_adoption_step(
        &mut self,
        actor: &Actor,
        programme: &Programme,
        document: Document,
        expected_version: i64,
        step: Stap,
        data: StepData<'_>,
    ) -> Result<Option<FrozenVersion>> {
        let org = actor.organisation_id;
        let before = self.adoption_state(org, programme.id, document).await?;
        if before.version != expected_version {
            return Err(StoreError::Conflict {
                current: before.version,
            });
        }
        let Some(status) = before.status.after(step) else {
            return Err(StoreError::Refused(format!(
                "Vanuit de status '{}' kan de stap '{}' niet worden gezet.",
                before.status.label().to_lowercase(),
                step.label().to_lowercase()
            )));
        };
        let mut after = AdoptionState {
            status,
            version: before.version + 1,
            ..before.clone()
        };
        match data {
            StepData::Besluit { besluit, .. } => {
                after.decided_on = Some(besluit.decided_on);
                after.decision_reference = besluit.decision_reference.clone();
                // A new adoption has not been sent to the council yet.
                after.council_letter_number = String::new();
                after.council_letter_date = None;
            }
            StepData::Raadsbrief(brief) => {
                after.council_letter_number = brief.letter_number.clone();
                after.council_letter_date = Some(brief.letter_date);
            }
            StepData::Nothing => {}
        }
        let needs = match step {
            Stap::Vaststellen => matches!(data, StepData::Besluit { .. }),
            Stap::AanDeRaad => matches!(data, StepData::Raadsbrief(_)),
            Stap::AanbiedenTerVaststelling | Stap::TerugNaarConcept => {
                matches!(data, StepData::Nothing)
            }
        };
        if !needs {
            return Err(StoreError::Refused(
                "Bij deze stap hoort een collegebesluit of een raadsinformatiebrief.".into(),
            ));
        }
        let changed = if document == Document::Evaluatie && before.version == 0 {
            let sql = "INSERT INTO evaluations (organisation_id, programme_id, status, decided_on, \
                       decision_reference, council_letter_number, council_letter_date, version) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, 1)";
            on_conn!(self, |conn| sqlx::query(sql)
                .bind(org)
                .bind(programme.id)
                .bind(after.status.code())
                .bind(after.decided_on)
                .bind(&after.decision_reference)
                .bind(&after.council_letter_number)
                .bind(after.council_letter_date)
                .execute(conn)
                .await
                .map(|r| r.rows_affected()))
            .map_err(|e| match e.as_database_error() {
                // Someone else made the row first (a step or a save of the evaluation).
                Some(db) if db.is_unique_violation() => StoreError::Conflict { current: 1 },
                _ => e.into(),
            })?
        } else {
            let sql = format!(
                "UPDATE {} SET status = $1, decided_on = $2, decision_reference = $3, \
                 council_letter_number = $4, council_letter_date = $5, version = version + 1 \
                 WHERE organisation_id = $6 AND {} = $7 AND version = $8",
                table(document),
                key(document)
            );
            on_conn!(self, |conn| sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(after.status.code())
                .bind(after.decided_on)
                .bind(&after.decision_reference)
                .bind(&after.council_letter_number)
                .bind(after.council_letter_date)
                .bind(org)
                .bind(programme.id)
                .bind(expected_version)
                .execute(conn)
                .await
                .map(|r| r.rows_affected()))?
        };
        if changed == 0 {
            return Err(StoreError::Conflict {
                current: before.version,
            });
        }
        let name = format!("{} {}", document.label(), programme.year);
        let mut frozen = None;
        let summary = match data {
            StepData::Nothing if step == Stap::TerugNaarConcept => {
                format!("{name} teruggezet naar concept")
            }
            StepData::Nothing => format!("{name} aangeboden ter vaststelling"),
            StepData::Besluit { besluit, content } => {
                let version = self
                    .freeze(actor, programme.id, document, besluit, content)
                    .await?;
                let summary = format!(
                    "{name} vastgesteld door het college ({}, {}); vastgelegd als versie {}",
                    besluit.decision_reference,
                    dutch(besluit.decided_on),
                    version.number
                );
                frozen = Some(version);
                summary
            }
            StepData::Raadsbrief(brief) => format!(
                "{name} ter kennisname aan de raad gestuurd (raadsinformatiebrief {}, {})",
                brief.letter_number,
                dutch(brief.letter_date)
            ),
        };
        let entity_id = match document {
            Document::Programma => programme.id,
            Document::Evaluatie => {
                let (id,): (i64,) = on_conn!(self, |conn| {
                    sqlx::query_as(
                    "SELECT id FROM evaluations WHERE organisation_id = $1 AND programme_id = $2"
                )
                .bind(org)
                .bind(programme.id)
                .fetch_one(conn)
                .await
                })?;
                id
            }
        };
        self.audit(
            actor,
            document.code(),
            entity_id,
            step.code(),
            &summary,
            Some(&before),
            Some(&after),
        )
        .await?;
        Ok(frozen)
    }

    async fn freeze(
        &mut self,
        actor: &Actor,
        programme_id: i64,
        document: Document,
        besluit: &Besluit,
        content: &str,
    ) -> Result<FrozenVersion> {
        let org = actor.organisation_id;
        let (number,): (i64,) = on_conn!(self, |conn| sqlx::query_as(
            "SELECT CAST(COALESCE(MAX(number), 0) + 1 AS BIGINT) FROM frozen_versions \
             WHERE organisation_id = $1 AND programme_id = $2 AND kind = $3"
        )
        .bind(org)
        .bind(programme_id)
        .bind(document.code())
        .fetch_one(conn)
        .await)?;
        let sha256 = sha256_hex(content);
        let sql = "INSERT INTO frozen_versions (organisation_id, programme_id, kind, number, decided_on, \
                   decision_reference, content, sha256, frozen_at, frozen_by) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
        let (id,): (i64,) = on_conn!(self, |conn| sqlx::query_as(sql)
            .bind(org)
            .bind(programme_id)
            .bind(document.code())
            .bind(number)
            .bind(besluit.decided_on)
            .bind(&besluit.decision_reference)
            .bind(content)
            .bind(&sha256)
            .bind(actor.now)
            .bind(&actor.user_name)
            .fetch_one(conn)
            .await)?;
        Ok(FrozenVersion {
            id,
            programme_id,
            kind: document,
            number,
            decided_on: besluit.decided_on,
            decision_reference: besluit.decision_reference.clone(),
            content: content.to_string(),
            sha256,
            frozen_at: actor.now,
            frozen_by: actor.user_name.clone(),
        })
    }

    /// The newest frozen version of the document, read inside this transaction.
    pub async fn latest_frozen_version(
        &mut self,
        organisation_id: i64,
        programme_id: i64,
        document: Document,
    ) -> Result<Option<FrozenVersion>> {
        let sql = format!(
            "SELECT {FROZEN_COLUMNS} FROM frozen_versions f WHERE f.organisation_id = $1 \
             AND f.programme_id = $2 AND f.kind = $3 ORDER BY f.number DESC LIMIT 1"
        );
        Ok(on_conn!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .bind(programme_id)
        .bind(document.code())
        .fetch_optional(conn)
        .await)?)
    }
}

impl Store {
    /// Where the programme or its evaluation stands (outside a transaction).
    pub async fn adoption_state(
        &self,
        organisation_id: i64,
        programme_id: i64,
        document: Document,
    ) -> Result<AdoptionState> {
        self.reads()
            .adoption_state(organisation_id, programme_id, document)
            .await
    }

    /// Everything the programme holds now, for its current content (to compare with what was
    /// adopted).
    pub async fn programme_contents(
        &self,
        organisation_id: i64,
        programme: &Programme,
    ) -> Result<ProgrammeContents> {
        self.reads()
            .programme_contents(organisation_id, programme)
            .await
    }

    /// Everything stored about the evaluation of the programme before `programme`, if any.
    pub async fn previous_evaluation_record(
        &self,
        organisation_id: i64,
        programme: &Programme,
    ) -> Result<Option<EvaluationRecord>> {
        self.reads()
            .previous_evaluation_record(organisation_id, programme)
            .await
    }
}

impl Tx {
    /// As [`Store::previous_evaluation_record`], inside this transaction.
    pub async fn previous_evaluation_record(
        &mut self,
        organisation_id: i64,
        programme: &Programme,
    ) -> Result<Option<EvaluationRecord>> {
        self.reads()
            .previous_evaluation_record(organisation_id, programme)
            .await
    }
}

fn table(document: Document) -> &'static str {
    match document {
        Document::Programma => "programmes",
        Document::Evaluatie => "evaluations",
    }
}

fn key(document: Document) -> &'static str {
    match document {
        Document::Programma => "id",
        Document::Evaluatie => "programme_id",
    }
}

impl Exec<'_> {
    async fn adoption_state(
        &mut self,
        organisation_id: i64,
        programme_id: i64,
        document: Document,
    ) -> Result<AdoptionState> {
        let table = table(document);
        let key = key(document);
        let sql = format!(
            "SELECT status, decided_on, decision_reference, council_letter_number, \
             council_letter_date, version FROM {table} WHERE organisation_id = $1 AND {key} = $2"
        );
        let state: Option<AdoptionState> = on_exec!(self, |conn| sqlx::query_as(
            sqlx::AssertSqlSafe(sql.as_str())
        )
        .bind(organisation_id)
        .bind(programme_id)
        .fetch_optional(conn)
        .await)?;
        match (state, document) {
            (Some(state), _) => Ok(state),
            (None, Document::Evaluatie) => Ok(AdoptionState::concept()),
            (None, Document::Programma) => Err(StoreError::NotFound),
        }
    }

    async fn previous_evaluation_record(
        &mut self,
        organisation_id: i64,
        programme: &Programme,
    ) -> Result<Option<EvaluationRecord>> {
        let previous: Option<(i64,)> = on_exec!(self, |conn| sqlx::query_as(
            "SELECT id FROM programmes WHERE organisation_id = $1 AND year = $2"
        )
        .bind(organisation_id)
        .bind(programme.year - 1)
        .fetch_optional(conn)
        .await)?;
        match previous {
            Some((id,)) => Ok(Some(self.evaluation_record(organisation_id, id).await?)),
            None => Ok(None),
        }
    }

    async fn programme_contents(
        &mut self,
        organisation_id: i64,
        programme: &Programme,
    ) -> Result<ProgrammeContents> {
        let sql = format!(
            "SELECT {ACTION_COLUMNS} FROM actions a WHERE a.organisation_id = $1 \
             AND a.programme_id = $2 ORDER BY a.code"
        );
        let actions: Vec<ActionRow> = on_exec!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .bind(programme.id)
        .fetch_all(conn)
        .await)?;
        let mut links = Vec::with_capacity(3);
        for (table, column) in [
            ("action_subteams", "subteam_id"),
            ("action_partners", "partner_id"),
            ("action_opgaven", "opgave_id"),
        ] {
            let sql = format!(
                "SELECT l.action_id, l.{column} FROM {table} l JOIN actions a \
                 ON a.organisation_id = l.organisation_id AND a.id = l.action_id \
                 WHERE l.organisation_id = $1 AND a.programme_id = $2 ORDER BY l.action_id, l.{column}"
            );
            let rows: Vec<(i64, i64)> = on_exec!(self, |conn| sqlx::query_as(
                sqlx::AssertSqlSafe(sql.as_str())
            )
            .bind(organisation_id)
            .bind(programme.id)
            .fetch_all(conn)
            .await)?;
            links.push(rows);
        }
        let [contributors, partners, opgaven]: [Vec<(i64, i64)>; 3] =
            links.try_into().unwrap_or_default();
        let predecessors = on_exec!(self, |conn| {
            sqlx::query_as(
            "SELECT a.id, pp.year, p.code FROM actions a \
             JOIN actions p ON p.organisation_id = a.organisation_id AND p.id = a.predecessor_id \
             JOIN programmes pp ON pp.organisation_id = p.organisation_id AND pp.id = p.programme_id \
             WHERE a.organisation_id = $1 AND a.programme_id = $2 ORDER BY a.id"
        )
        .bind(organisation_id)
        .bind(programme.id)
        .fetch_all(conn)
        .await
        })?;
        let capacity: Vec<(i64, i64)> = on_exec!(self, |conn| sqlx::query_as(
            "SELECT subteam_id, fte_hundredths FROM subteam_capacity \
             WHERE organisation_id = $1 AND year = $2 ORDER BY subteam_id"
        )
        .bind(organisation_id)
        .bind(programme.year)
        .fetch_all(conn)
        .await)?;
        let participation: Vec<(i64,)> = on_exec!(self, |conn| sqlx::query_as(
            "SELECT opgave_id FROM opgave_participation \
             WHERE organisation_id = $1 AND year = $2 ORDER BY opgave_id"
        )
        .bind(organisation_id)
        .bind(programme.year)
        .fetch_all(conn)
        .await)?;
        Ok(ProgrammeContents {
            actions,
            contributors,
            partners,
            opgaven,
            predecessors,
            domains: self.items(organisation_id, Kind::Domain).await?,
            themes: self.items(organisation_id, Kind::Theme).await?,
            ambitions: self.items(organisation_id, Kind::Ambition).await?,
            subteams: self.items(organisation_id, Kind::Subteam).await?,
            partner_items: self.items(organisation_id, Kind::Partner).await?,
            opgave_items: self.items(organisation_id, Kind::Opgave).await?,
            capacity: capacity
                .into_iter()
                .map(|(s, f)| (s, Fte::from_hundredths(f).unwrap_or_default()))
                .collect(),
            participation: participation.into_iter().map(|(o,)| o).collect(),
        })
    }
}
