//! The catalogue of an organisation: domains, themes and ambitions of the policy plan, opgaven,
//! subteams and external partners. They share one table shape, so one code path creates, edits,
//! orders, retires and deletes them. Retired items stay (history refers to them); an item that
//! anything uses cannot be deleted.

use crate::audit::Change;
use crate::connection::Exec;
use crate::{Actor, Result, Store, StoreError, Tx};
use koers_domain::{FieldErrors, Fte, Personen, required_text};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Kind {
    Domain,
    Theme,
    Ambition,
    Opgave,
    Subteam,
    Partner,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Self::Domain,
        Self::Theme,
        Self::Ambition,
        Self::Opgave,
        Self::Subteam,
        Self::Partner,
    ];

    fn table(self) -> &'static str {
        match self {
            Self::Domain => "domains",
            Self::Theme => "themes",
            Self::Ambition => "ambitions",
            Self::Opgave => "opgaven",
            Self::Subteam => "subteams",
            Self::Partner => "partners",
        }
    }

    /// The table of the parent, for kinds that have one.
    fn parent_table(self) -> Option<&'static str> {
        match self {
            Self::Domain => Some("plans"),
            Self::Theme => Some("domains"),
            Self::Ambition => Some("themes"),
            _ => None,
        }
    }

    /// The name used in the audit log and in URLs.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Domain => "domein",
            Self::Theme => "thema",
            Self::Ambition => "ambitie",
            Self::Opgave => "opgave",
            Self::Subteam => "subteam",
            Self::Partner => "partner",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.slug() == slug)
    }

    /// "het thema", "de opgave": for messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::Domain => "het domein",
            Self::Theme => "het thema",
            Self::Ambition => "de ambitie",
            Self::Opgave => "de opgave",
            Self::Subteam => "het subteam",
            Self::Partner => "de partner",
        }
    }

    /// Queries that count the records using an item; deletion is refused while any is non-zero.
    fn usages(self) -> &'static [(&'static str, (&'static str, &'static str))] {
        match self {
            Self::Domain => &[(
                "SELECT COUNT(*) FROM themes WHERE organisation_id = $1 AND parent_id = $2",
                ("thema", "thema's"),
            )],
            Self::Theme => &[
                (
                    "SELECT COUNT(*) FROM ambitions WHERE organisation_id = $1 AND parent_id = $2",
                    ("ambitie", "ambities"),
                ),
                (
                    "SELECT COUNT(*) FROM actions WHERE organisation_id = $1 AND theme_id = $2",
                    ("actie", "acties"),
                ),
            ],
            Self::Ambition => &[(
                "SELECT COUNT(*) FROM actions WHERE organisation_id = $1 AND ambition_id = $2",
                ("actie", "acties"),
            )],
            Self::Opgave => &[
                (
                    "SELECT COUNT(*) FROM action_opgaven WHERE organisation_id = $1 AND opgave_id = $2",
                    ("actie", "acties"),
                ),
                (
                    "SELECT COUNT(*) FROM opgave_participation WHERE organisation_id = $1 AND opgave_id = $2",
                    ("jaar met deelname", "jaren met deelname"),
                ),
            ],
            Self::Subteam => &[
                (
                    "SELECT COUNT(*) FROM actions WHERE organisation_id = $1 AND lead_subteam_id = $2",
                    ("actie als trekker", "acties als trekker"),
                ),
                (
                    "SELECT COUNT(*) FROM action_subteams WHERE organisation_id = $1 AND subteam_id = $2",
                    ("actie als bijdrager", "acties als bijdrager"),
                ),
                (
                    "SELECT COUNT(*) FROM users WHERE organisation_id = $1 AND subteam_id = $2",
                    ("gebruiker", "gebruikers"),
                ),
                (
                    "SELECT COUNT(*) FROM subteam_capacity WHERE organisation_id = $1 AND subteam_id = $2",
                    ("jaar met formatie", "jaren met formatie"),
                ),
            ],
            Self::Partner => &[(
                "SELECT COUNT(*) FROM action_partners WHERE organisation_id = $1 AND partner_id = $2",
                ("actie", "acties"),
            )],
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Item {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub code: String,
    pub name: String,
    pub description: String,
    pub position: i64,
    pub retired: bool,
    pub is_example: bool,
    pub version: i64,
}

/// What a user typed for an item.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ItemInput {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
}

pub const NAME_MAX: usize = 300;
pub const CODE_MAX: usize = 20;

impl ItemInput {
    pub fn validate(&self, kind: Kind) -> std::result::Result<ItemInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let empty = match kind {
            Kind::Ambition => "Vul de ambitie in.",
            _ => "Vul een naam in.",
        };
        let name = errors.check("name", required_text(&self.name, NAME_MAX, empty));
        let code = self.code.trim().to_string();
        if code.chars().count() > CODE_MAX {
            errors.add(
                "code",
                format!("Een afkorting is hoogstens {CODE_MAX} tekens."),
            );
        }
        let description = self.description.trim().to_string();
        if description.chars().count() > 5_000 {
            errors.add(
                "description",
                "De toelichting is te lang (hoogstens 5000 tekens).",
            );
        }
        match name {
            Some(name) if errors.is_empty() => Ok(ItemInput {
                code,
                name,
                description,
            }),
            _ => Err(errors),
        }
    }
}

const ITEM_COLUMNS: &str =
    "id, parent_id, code, name, description, position, retired, is_example, version";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

impl Store {
    /// All items of a kind, retired ones included, in their order.
    pub async fn items(&self, organisation_id: i64, kind: Kind) -> Result<Vec<Item>> {
        self.reads().items(organisation_id, kind).await
    }

    pub async fn item(&self, organisation_id: i64, kind: Kind, id: i64) -> Result<Item> {
        self.reads().item(organisation_id, kind, id).await
    }

    pub async fn create_item(
        &self,
        actor: &Actor,
        kind: Kind,
        parent_id: Option<i64>,
        input: &ItemInput,
        is_example: bool,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx
            .create_item(actor, kind, parent_id, input, is_example)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_item(
        &self,
        actor: &Actor,
        kind: Kind,
        id: i64,
        expected_version: i64,
        input: &ItemInput,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let before = tx.reads().item(actor.organisation_id, kind, id).await?;
        let sql = format!(
            "UPDATE {} SET code = $1, name = $2, description = $3, version = version + 1 \
             WHERE organisation_id = $4 AND id = $5 AND version = $6",
            kind.table()
        );
        let changed = on_conn!(tx, |conn| sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(&input.code)
            .bind(&input.name)
            .bind(&input.description)
            .bind(actor.organisation_id)
            .bind(id)
            .bind(expected_version)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        let after = Item {
            code: input.code.clone(),
            name: input.name.clone(),
            description: input.description.clone(),
            version: before.version + 1,
            ..before.clone()
        };
        let change = Change {
            entity: kind.slug(),
            id,
            summary: format!("{} '{}' gewijzigd", capitalised(kind), input.name),
            before: &before,
            after: &after,
        };
        tx.finish_versioned_update(actor, changed, before.version, change)
            .await?;
        tx.commit().await
    }

    /// Retires an item (or brings it back): it disappears from choice lists, not from history.
    pub async fn set_item_retired(
        &self,
        actor: &Actor,
        kind: Kind,
        id: i64,
        retired: bool,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let before = tx.reads().item(actor.organisation_id, kind, id).await?;
        let sql = format!(
            "UPDATE {} SET retired = $1, version = version + 1 WHERE organisation_id = $2 AND id = $3",
            kind.table()
        );
        on_conn!(tx, |conn| sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(retired)
            .bind(actor.organisation_id)
            .bind(id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        let after = Item {
            retired,
            version: before.version + 1,
            ..before.clone()
        };
        let (operation, verb) = if retired {
            ("intrekken", "ingetrokken")
        } else {
            ("herstellen", "hersteld")
        };
        let summary = format!("{} '{}' {verb}", capitalised(kind), before.name);
        tx.audit(
            actor,
            kind.slug(),
            id,
            operation,
            &summary,
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await
    }

    /// Why the item cannot be deleted, or `None` when nothing uses it.
    pub async fn deletion_refusal(
        &self,
        organisation_id: i64,
        kind: Kind,
        id: i64,
    ) -> Result<Option<String>> {
        let mut reads = self.reads();
        let item = reads.item(organisation_id, kind, id).await?;
        reads.deletion_refusal(organisation_id, kind, &item).await
    }

    /// Deletes an item that nothing uses; otherwise explains what still uses it.
    pub async fn delete_item(&self, actor: &Actor, kind: Kind, id: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        let before = tx.reads().item(actor.organisation_id, kind, id).await?;
        if let Some(reason) = tx
            .reads()
            .deletion_refusal(actor.organisation_id, kind, &before)
            .await?
        {
            return Err(StoreError::Refused(reason));
        }
        let sql = format!(
            "DELETE FROM {} WHERE organisation_id = $1 AND id = $2",
            kind.table()
        );
        on_conn!(tx, |conn| sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(actor.organisation_id)
            .bind(id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        let summary = format!("{} '{}' verwijderd", capitalised(kind), before.name);
        tx.audit::<_, ()>(
            actor,
            kind.slug(),
            id,
            "verwijderen",
            &summary,
            Some(&before),
            None,
        )
        .await?;
        tx.commit().await
    }

    /// Swaps an item with its neighbour under the same parent.
    pub async fn move_item(
        &self,
        actor: &Actor,
        kind: Kind,
        id: i64,
        direction: Direction,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let item = tx.reads().item(actor.organisation_id, kind, id).await?;
        let siblings: Vec<Item> = tx
            .reads()
            .items(actor.organisation_id, kind)
            .await?
            .into_iter()
            .filter(|s| s.parent_id == item.parent_id)
            .collect();
        let Some(index) = siblings.iter().position(|s| s.id == id) else {
            return Err(StoreError::NotFound);
        };
        let neighbour = match direction {
            Direction::Up if index > 0 => &siblings[index - 1],
            Direction::Down if index + 1 < siblings.len() => &siblings[index + 1],
            _ => return Ok(()),
        };
        // Positions may have gaps or ties after deletions, so renumber the whole list while swapping.
        let mut order: Vec<i64> = siblings.iter().map(|s| s.id).collect();
        let other = order
            .iter()
            .position(|s| *s == neighbour.id)
            .unwrap_or(index);
        order.swap(index, other);
        let sql = format!(
            "UPDATE {} SET position = $1 WHERE organisation_id = $2 AND id = $3",
            kind.table()
        );
        for (position, sibling) in order.iter().enumerate() {
            on_conn!(tx, |conn| sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(position as i64 + 1)
                .bind(actor.organisation_id)
                .bind(*sibling)
                .execute(conn)
                .await
                .map(|r| r.rows_affected()))?;
        }
        let word = if direction == Direction::Up {
            "omhoog"
        } else {
            "omlaag"
        };
        let summary = format!("{} '{}' {word} verplaatst", capitalised(kind), item.name);
        tx.audit::<(), _>(
            actor,
            kind.slug(),
            id,
            "volgorde",
            &summary,
            None,
            Some(&serde_json::json!({ "order": order })),
        )
        .await?;
        tx.commit().await
    }

    /// Years in which the organisation takes part in each opgave: (opgave id, year).
    pub async fn participation(&self, organisation_id: i64) -> Result<Vec<(i64, i64)>> {
        let sql = "SELECT opgave_id, year FROM opgave_participation WHERE organisation_id = $1 ORDER BY opgave_id, year";
        Ok(on_pool!(self, |conn| sqlx::query_as(sql)
            .bind(organisation_id)
            .fetch_all(conn)
            .await)?)
    }

    /// Saves changed cells of the participation grid, (opgave, year, takes part), in one
    /// transaction: an opgave of another organisation fails the whole grid.
    pub async fn save_participation(
        &self,
        actor: &Actor,
        cells: &[(i64, i64, bool)],
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        for (opgave_id, year, participates) in cells {
            let opgave = tx
                .reads()
                .item(actor.organisation_id, Kind::Opgave, *opgave_id)
                .await?;
            tx.set_participation(actor, &opgave, *year, *participates)
                .await?;
        }
        tx.commit().await
    }

    /// FTE per subteam and year: (subteam id, year, FTE).
    pub async fn capacity(&self, organisation_id: i64) -> Result<Vec<(i64, i64, Fte)>> {
        let sql = "SELECT subteam_id, year, fte_hundredths FROM subteam_capacity WHERE organisation_id = $1 ORDER BY subteam_id, year";
        let rows: Vec<(i64, i64, i64)> = on_pool!(self, |conn| sqlx::query_as(sql)
            .bind(organisation_id)
            .fetch_all(conn)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|(s, y, f)| (s, y, Fte::from_hundredths(f).unwrap_or_default()))
            .collect())
    }

    /// The number of people per (subteam, year) where a beheerder filled it in.
    pub async fn headcounts(&self, organisation_id: i64) -> Result<Vec<(i64, i64, Personen)>> {
        let sql = "SELECT subteam_id, year, persons FROM subteam_capacity \
                   WHERE organisation_id = $1 AND persons IS NOT NULL ORDER BY subteam_id, year";
        let rows: Vec<(i64, i64, i64)> = on_pool!(self, |conn| sqlx::query_as(sql)
            .bind(organisation_id)
            .fetch_all(conn)
            .await)?;
        Ok(rows
            .into_iter()
            .filter_map(|(s, y, p)| Some((s, y, Personen::new(p).ok()?)))
            .collect())
    }

    /// Saves changed cells of the formation grid in one transaction: a subteam of another
    /// organisation fails the whole grid.
    pub async fn save_capacity(&self, actor: &Actor, cells: &[CapacityCell]) -> Result<()> {
        let mut tx = self.begin().await?;
        for cell in cells {
            let subteam = tx
                .reads()
                .item(actor.organisation_id, Kind::Subteam, cell.subteam_id)
                .await?;
            tx.set_capacity(actor, &subteam, cell.year, cell.fte, cell.persons)
                .await?;
        }
        tx.commit().await
    }
}

impl Tx {
    pub async fn create_item(
        &mut self,
        actor: &Actor,
        kind: Kind,
        parent_id: Option<i64>,
        input: &ItemInput,
        is_example: bool,
    ) -> Result<i64> {
        match (kind.parent_table(), parent_id) {
            (Some(table), Some(parent)) => {
                self.require_owned(actor.organisation_id, table, parent, "parent_id")
                    .await?
            }
            (Some(_), None) => {
                return Err(StoreError::invalid(
                    "parent_id",
                    "Kies waar dit onder valt.",
                ));
            }
            (None, _) => {}
        }
        let parent_id = kind.parent_table().and(parent_id);
        let table = kind.table();
        let sql = format!(
            "INSERT INTO {table} (organisation_id, parent_id, code, name, description, position, is_example) \
             VALUES ($1, $2, $3, $4, $5, \
             (SELECT COALESCE(MAX(position), 0) + 1 FROM {table} WHERE organisation_id = $1), $6) RETURNING id"
        );
        let (id,): (i64,) = on_conn!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(actor.organisation_id)
        .bind(parent_id)
        .bind(&input.code)
        .bind(&input.name)
        .bind(&input.description)
        .bind(is_example)
        .fetch_one(conn)
        .await)?;
        let after = serde_json::json!({ "parentId": parent_id, "code": input.code, "name": input.name, "description": input.description });
        let summary = format!("{} '{}' toegevoegd", capitalised(kind), input.name);
        self.audit::<(), _>(
            actor,
            kind.slug(),
            id,
            "aanmaken",
            &summary,
            None,
            Some(&after),
        )
        .await?;
        Ok(id)
    }

    pub async fn set_participation(
        &mut self,
        actor: &Actor,
        opgave: &Item,
        year: i64,
        participates: bool,
    ) -> Result<()> {
        let sql = if participates {
            "INSERT INTO opgave_participation (organisation_id, opgave_id, year) VALUES ($1, $2, $3) \
             ON CONFLICT (opgave_id, year) DO NOTHING"
        } else {
            "DELETE FROM opgave_participation WHERE organisation_id = $1 AND opgave_id = $2 AND year = $3"
        };
        on_conn!(self, |conn| sqlx::query(sql)
            .bind(actor.organisation_id)
            .bind(opgave.id)
            .bind(year)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        let summary = format!(
            "Deelname aan opgave '{}' in {year}: {}",
            opgave.name,
            if participates { "ja" } else { "nee" }
        );
        let after = serde_json::json!({ "year": year, "participates": participates });
        self.audit::<(), _>(
            actor,
            "opgave",
            opgave.id,
            "deelname",
            &summary,
            None,
            Some(&after),
        )
        .await
    }

    /// Sets a subteam's formation and, when known, its number of people in `year`.
    pub async fn set_capacity(
        &mut self,
        actor: &Actor,
        subteam: &Item,
        year: i64,
        fte: Fte,
        persons: Option<Personen>,
    ) -> Result<()> {
        let before: Option<(i64, Option<i64>)> = on_conn!(self, |conn| {
            sqlx::query_as(
            "SELECT fte_hundredths, persons FROM subteam_capacity WHERE organisation_id = $1 AND subteam_id = $2 AND year = $3"
        )
        .bind(actor.organisation_id)
        .bind(subteam.id)
        .bind(year)
        .fetch_optional(conn)
        .await
        })?;
        let upsert = "INSERT INTO subteam_capacity (organisation_id, subteam_id, year, fte_hundredths, persons) \
                      VALUES ($1, $2, $3, $4, $5) \
                      ON CONFLICT (subteam_id, year) DO UPDATE SET \
                      fte_hundredths = excluded.fte_hundredths, persons = excluded.persons";
        on_conn!(self, |conn| sqlx::query(upsert)
            .bind(actor.organisation_id)
            .bind(subteam.id)
            .bind(year)
            .bind(fte.hundredths())
            .bind(persons.map(Personen::get))
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        let summary = match persons {
            Some(p) => format!(
                "Formatie van subteam '{}' in {year}: {fte} fte, {} personen",
                subteam.name,
                p.get()
            ),
            None => format!(
                "Formatie van subteam '{}' in {year}: {fte} fte",
                subteam.name
            ),
        };
        let record = |fte: String, persons: Option<i64>| {
            let mut record = serde_json::json!({ "year": year, "fte": fte });
            if let Some(p) = persons {
                record["persons"] = p.into();
            }
            record
        };
        let before =
            before.map(|(h, p)| record(Fte::from_hundredths(h).unwrap_or_default().to_string(), p));
        let after = record(fte.to_string(), persons.map(Personen::get));
        self.audit(
            actor,
            "subteam",
            subteam.id,
            "formatie",
            &summary,
            before.as_ref(),
            Some(&after),
        )
        .await
    }
}

/// One cell of the formation grid: a subteam's FTE in a year and, when known, its people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapacityCell {
    pub subteam_id: i64,
    pub year: i64,
    pub fte: Fte,
    pub persons: Option<Personen>,
}

fn capitalised(kind: Kind) -> String {
    let label = kind.label();
    let noun = label.split_once(' ').map_or(label, |(_, noun)| noun);
    let mut chars = noun.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Exec<'_> {
    pub(crate) async fn items(&mut self, organisation_id: i64, kind: Kind) -> Result<Vec<Item>> {
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM {} WHERE organisation_id = $1 ORDER BY parent_id, position, id",
            kind.table()
        );
        Ok(on_exec!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .fetch_all(conn)
        .await)?)
    }

    pub(crate) async fn item(&mut self, organisation_id: i64, kind: Kind, id: i64) -> Result<Item> {
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM {} WHERE organisation_id = $1 AND id = $2",
            kind.table()
        );
        on_exec!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .bind(id)
        .fetch_optional(conn)
        .await)?
        .ok_or(StoreError::NotFound)
    }

    async fn deletion_refusal(
        &mut self,
        organisation_id: i64,
        kind: Kind,
        item: &Item,
    ) -> Result<Option<String>> {
        let mut in_use = Vec::new();
        for (sql, what) in kind.usages() {
            let (count,): (i64,) = on_exec!(self, |conn| sqlx::query_as(*sql)
                .bind(organisation_id)
                .bind(item.id)
                .fetch_one(conn)
                .await)?;
            if count > 0 {
                let (one, many) = what;
                in_use.push(format!("{count} {}", if count == 1 { one } else { many }));
            }
        }
        if in_use.is_empty() {
            return Ok(None);
        }
        Ok(Some(format!(
            "{} '{}' is in gebruik ({}) en kan daarom niet worden verwijderd. Trek het in: dan blijft de geschiedenis bewaard.",
            capitalised(kind),
            item.name,
            in_use.join(", ")
        )))
    }
}
