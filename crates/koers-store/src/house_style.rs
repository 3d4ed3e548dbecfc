//! The organisation's house style (team name, colour, sender, addressee, signatories, logo) and
//! its own template of the council letter. Both are one row per organisation, or none: without
//! a row the organisation gets Koers' defaults, so reads always answer something.

use crate::audit::Change;
use crate::connection::Exec;
use crate::{Actor, Result, Store, StoreError, Tx};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A dark blue with a contrast of more than 8:1 against white, so headings in it pass WCAG AA.
pub const DEFAULT_COLOUR: &str = "#1f4e79";
pub const DEFAULT_ADDRESSEE: &str = "Aan de leden van de gemeenteraad";

/// Who sends the letter when the organisation set nothing: the college of its place.
pub fn default_sender(place: &str) -> String {
    format!("burgemeester en wethouders van {place}")
}

/// The two image formats a logo may have; the app checks the bytes before storing them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogoKind {
    Png,
    Svg,
}

impl LogoKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Svg => "svg",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "png" => Some(Self::Png),
            "svg" => Some(Self::Svg),
            _ => None,
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Svg => "image/svg+xml",
        }
    }

    /// "PNG", "SVG": how people name the format.
    pub fn label(self) -> &'static str {
        match self {
            Self::Png => "PNG",
            Self::Svg => "SVG",
        }
    }
}

/// The house style as documents use it; defaults where nothing is stored. `version` 0 means
/// nothing is stored yet.
#[derive(Debug, Clone, PartialEq)]
pub struct HouseStyle {
    pub team: String,
    pub colour: String,
    pub sender: String,
    pub addressee: String,
    /// (name, function), at most four.
    pub signatories: Vec<(String, String)>,
    pub logo: Option<(LogoKind, Vec<u8>)>,
    pub version: i64,
}

/// The checked texts of a house style (the app validates them).
#[derive(Debug, Clone, PartialEq)]
pub struct HouseStyleData {
    pub team: String,
    pub colour: String,
    pub sender: String,
    pub addressee: String,
    pub signatories: Vec<(String, String)>,
}

/// What a save does with the logo.
#[derive(Debug, Clone, PartialEq)]
pub enum LogoChange {
    Keep,
    /// A checked logo of at most 1 MB.
    Set(LogoKind, Vec<u8>),
    Remove,
}

/// How a logo appears in the audit log: its format, size and hash, never its bytes.
pub fn logo_description(kind: LogoKind, bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}, {} kB, sha256 {hex}",
        kind.label(),
        bytes.len().div_ceil(1024)
    )
}

#[derive(Serialize, Deserialize)]
struct Signatory {
    name: String,
    function: String,
}

/// The record as the audit log keeps it.
#[derive(Serialize)]
struct AuditedStyle<'a> {
    team: &'a str,
    colour: &'a str,
    sender: &'a str,
    addressee: &'a str,
    signatories: &'a [(String, String)],
    logo: Option<String>,
    version: i64,
}

impl HouseStyle {
    fn audited(&self) -> AuditedStyle<'_> {
        AuditedStyle {
            team: &self.team,
            colour: &self.colour,
            sender: &self.sender,
            addressee: &self.addressee,
            signatories: &self.signatories,
            logo: self.logo.as_ref().map(|(k, b)| logo_description(*k, b)),
            version: self.version,
        }
    }

    fn data(&self) -> HouseStyleData {
        HouseStyleData {
            team: self.team.clone(),
            colour: self.colour.clone(),
            sender: self.sender.clone(),
            addressee: self.addressee.clone(),
            signatories: self.signatories.clone(),
        }
    }
}

type StyleRow = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<Vec<u8>>,
    Option<i64>,
);

impl Store {
    /// The organisation's house style; Koers' defaults where it stored none.
    pub async fn house_style(&self, organisation_id: i64) -> Result<HouseStyle> {
        self.reads().house_style(organisation_id).await
    }

    /// Saves the house style if nobody else did since `expected_version` (0: nothing stored
    /// yet); `data` `None` keeps the texts and changes only the logo. Returns the new version.
    pub async fn save_house_style(
        &self,
        actor: &Actor,
        expected_version: i64,
        data: Option<&HouseStyleData>,
        logo: LogoChange,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let version = tx
            .save_house_style(actor, expected_version, data, logo)
            .await?;
        tx.commit().await?;
        Ok(version)
    }

    /// The organisation's letter template and its version, if it stored one.
    pub async fn letter_template(&self, organisation_id: i64) -> Result<Option<(String, i64)>> {
        self.reads().letter_template(organisation_id).await
    }

    /// Saves the letter template if nobody else did since `expected_version` (0: none stored
    /// yet). Returns the new version.
    pub async fn save_letter_template(
        &self,
        actor: &Actor,
        expected_version: i64,
        text: &str,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let before = tx.reads().letter_template(actor.organisation_id).await?;
        let current = before.as_ref().map_or(0, |(_, v)| *v);
        let changed = if expected_version == 0 {
            on_conn!(tx, |conn| sqlx::query(
                "INSERT INTO letter_templates (organisation_id, text) VALUES ($1, $2) \
                 ON CONFLICT (organisation_id) DO NOTHING"
            )
            .bind(actor.organisation_id)
            .bind(text)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?
        } else {
            on_conn!(tx, |conn| sqlx::query(
                "UPDATE letter_templates SET text = $1, version = version + 1 \
                 WHERE organisation_id = $2 AND version = $3"
            )
            .bind(text)
            .bind(actor.organisation_id)
            .bind(expected_version)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?
        };
        let before_text = before.map(|(t, _)| t);
        let change = Change {
            entity: "briefsjabloon",
            id: actor.organisation_id,
            summary: "Briefsjabloon gewijzigd".to_string(),
            before: &serde_json::json!({ "text": before_text, "version": current }),
            after: &serde_json::json!({ "text": text, "version": expected_version + 1 }),
        };
        tx.finish_versioned_update(actor, changed, current, change)
            .await?;
        tx.commit().await?;
        Ok(expected_version + 1)
    }

    /// Removes the organisation's own template, so the standard wording applies again, if
    /// nobody changed it since `expected_version`. With nothing stored there is nothing to do.
    pub async fn reset_letter_template(&self, actor: &Actor, expected_version: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        let Some((text, current)) = tx.reads().letter_template(actor.organisation_id).await? else {
            return Ok(());
        };
        let changed = on_conn!(tx, |conn| sqlx::query(
            "DELETE FROM letter_templates WHERE organisation_id = $1 AND version = $2"
        )
        .bind(actor.organisation_id)
        .bind(expected_version)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        if changed == 0 {
            return Err(StoreError::Conflict { current });
        }
        tx.audit(
            actor,
            "briefsjabloon",
            actor.organisation_id,
            "verwijderen",
            "Briefsjabloon teruggezet op de standaardtekst",
            Some(&serde_json::json!({ "text": text, "version": current })),
            None::<&()>,
        )
        .await?;
        tx.commit().await
    }
}

impl Tx {
    /// As [`Store::house_style`], inside this transaction.
    pub async fn house_style(&mut self, organisation_id: i64) -> Result<HouseStyle> {
        self.reads().house_style(organisation_id).await
    }

    /// As [`Store::letter_template`], inside this transaction.
    pub async fn letter_template(&mut self, organisation_id: i64) -> Result<Option<(String, i64)>> {
        self.reads().letter_template(organisation_id).await
    }

    /// See [`Store::save_house_style`]; in the caller's transaction (the demo writes it so).
    pub async fn save_house_style(
        &mut self,
        actor: &Actor,
        expected_version: i64,
        data: Option<&HouseStyleData>,
        logo: LogoChange,
    ) -> Result<i64> {
        let before = self.reads().house_style(actor.organisation_id).await?;
        let data = data.cloned().unwrap_or_else(|| before.data());
        let signatories = serde_json::to_string(
            &data
                .signatories
                .iter()
                .map(|(name, function)| Signatory {
                    name: name.clone(),
                    function: function.clone(),
                })
                .collect::<Vec<_>>(),
        )
        .unwrap_or_else(|_| "[]".into());
        let new_logo = match logo {
            LogoChange::Keep => before.logo.clone(),
            LogoChange::Set(kind, bytes) => Some((kind, bytes)),
            LogoChange::Remove => None,
        };
        let (logo_kind, logo_bytes) = match &new_logo {
            Some((kind, bytes)) => (Some(kind.code()), Some(bytes.as_slice())),
            None => (None, None),
        };
        let changed = if expected_version == 0 {
            let sql = "INSERT INTO house_styles (organisation_id, team, colour, sender, addressee, \
                       signatories, logo_kind, logo) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                       ON CONFLICT (organisation_id) DO NOTHING";
            on_conn!(self, |conn| sqlx::query(sql)
                .bind(actor.organisation_id)
                .bind(&data.team)
                .bind(&data.colour)
                .bind(&data.sender)
                .bind(&data.addressee)
                .bind(&signatories)
                .bind(logo_kind)
                .bind(logo_bytes)
                .execute(conn)
                .await
                .map(|r| r.rows_affected()))?
        } else {
            let sql = "UPDATE house_styles SET team = $1, colour = $2, sender = $3, addressee = $4, \
                       signatories = $5, logo_kind = $6, logo = $7, version = version + 1 \
                       WHERE organisation_id = $8 AND version = $9";
            on_conn!(self, |conn| sqlx::query(sql)
                .bind(&data.team)
                .bind(&data.colour)
                .bind(&data.sender)
                .bind(&data.addressee)
                .bind(&signatories)
                .bind(logo_kind)
                .bind(logo_bytes)
                .bind(actor.organisation_id)
                .bind(expected_version)
                .execute(conn)
                .await
                .map(|r| r.rows_affected()))?
        };
        let after = HouseStyle {
            team: data.team.clone(),
            colour: data.colour.clone(),
            sender: data.sender.clone(),
            addressee: data.addressee.clone(),
            signatories: data.signatories.clone(),
            logo: new_logo,
            version: expected_version + 1,
        };
        let mut summary = "Huisstijl gewijzigd".to_string();
        match (&before.logo, &after.logo) {
            (Some(_), None) => summary.push_str("; logo verwijderd"),
            (old, Some((kind, bytes))) if old.as_ref() != Some(&(*kind, bytes.clone())) => {
                summary.push_str(&format!(
                    "; logo gewijzigd ({})",
                    logo_description(*kind, bytes)
                ));
            }
            _ => {}
        }
        let change = Change {
            entity: "huisstijl",
            id: actor.organisation_id,
            summary,
            before: &before.audited(),
            after: &after.audited(),
        };
        self.finish_versioned_update(actor, changed, before.version, change)
            .await?;
        Ok(after.version)
    }
}

impl Exec<'_> {
    pub(crate) async fn house_style(self, organisation_id: i64) -> Result<HouseStyle> {
        let sql = "SELECT o.place, h.team, h.colour, h.sender, h.addressee, h.signatories, \
                   h.logo_kind, h.logo, h.version \
                   FROM organisations o LEFT JOIN house_styles h ON h.organisation_id = o.id \
                   WHERE o.id = $1";
        let row: Option<StyleRow> = on_exec!(self, |conn| sqlx::query_as(sql)
            .bind(organisation_id)
            .fetch_optional(conn)
            .await)?;
        let (place, team, colour, sender, addressee, signatories, kind, logo, version) =
            row.ok_or(StoreError::NotFound)?;
        let signatories: Vec<Signatory> = signatories
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|e| StoreError::Refused(format!("stored signatories are not JSON: {e}")))?
            .unwrap_or_default();
        Ok(HouseStyle {
            team: team.unwrap_or_default(),
            colour: colour.unwrap_or_else(|| DEFAULT_COLOUR.to_string()),
            sender: sender.unwrap_or_else(|| default_sender(&place)),
            addressee: addressee.unwrap_or_else(|| DEFAULT_ADDRESSEE.to_string()),
            signatories: signatories
                .into_iter()
                .map(|s| (s.name, s.function))
                .collect(),
            logo: kind.as_deref().and_then(LogoKind::from_code).zip(logo),
            version: version.unwrap_or(0),
        })
    }

    pub(crate) async fn letter_template(
        self,
        organisation_id: i64,
    ) -> Result<Option<(String, i64)>> {
        let sql = "SELECT text, version FROM letter_templates WHERE organisation_id = $1";
        Ok(on_exec!(self, |conn| sqlx::query_as(sql)
            .bind(organisation_id)
            .fetch_optional(conn)
            .await)?)
    }
}
