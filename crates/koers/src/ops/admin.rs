//! Administration: users and the audit log (beheerder only).

use super::{Ctx, OpsError};
use crate::password;
use chrono::NaiveDate;
use koers_domain::validation::max;
use koers_domain::{FieldErrors, Jaar, Lines, Rol, bounded_text, has_control, required_text};
use koers_store::accounts::{NewUser, User};
use koers_store::audit::{AuditEntry, AuditFilter};
use koers_store::login_security::SecurityEvent;

#[derive(Debug, Clone, Default)]
pub struct OrganisationInput {
    pub name: String,
    pub place: String,
}

/// Saves the organisation's name and place (its code identifies it and does not change).
pub async fn save_organisation(
    ctx: &Ctx,
    version: i64,
    input: &OrganisationInput,
) -> Result<(), OpsError> {
    ctx.require(ctx.role().may_administer())?;
    let mut errors = FieldErrors::default();
    let name = errors.check(
        "name",
        required_text(
            &input.name,
            max::TITLE,
            "Vul de naam van de organisatie in.",
        ),
    );
    let place = errors.check(
        "place",
        required_text(&input.place, max::PLACE, "Vul de plaats in."),
    );
    let (Some(name), Some(place)) = (name, place) else {
        return Err(errors.into());
    };
    Ok(ctx
        .store
        .update_organisation(&ctx.actor(), version, &name, &place)
        .await?)
}

pub async fn users(ctx: &Ctx) -> Result<Vec<User>, OpsError> {
    ctx.require(ctx.role().may_administer())?;
    Ok(ctx.store.users(ctx.org()).await?)
}

/// One account of the organisation, for the administrator (the confirmation of a new password).
pub async fn user(ctx: &Ctx, id: i64) -> Result<User, OpsError> {
    ctx.require(ctx.role().may_administer())?;
    Ok(ctx.store.user(ctx.org(), id).await?)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct UserInput {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub subteam_id: String,
    #[serde(default)]
    pub active: Option<String>,
}

fn parse_role(text: &str) -> Result<Rol, koers_domain::ValueError> {
    Rol::from_code(text).ok_or_else(|| koers_domain::ValueError::new("Kies een rol."))
}

fn parse_subteam(text: &str) -> Option<i64> {
    koers_domain::action::parse_id(text)
}

/// Creates an account with a generated password, returned once to show to the administrator.
pub async fn create_user(ctx: &Ctx, input: &UserInput) -> Result<String, OpsError> {
    ctx.require(ctx.role().may_administer())?;
    let mut errors = FieldErrors::default();
    let email = input.email.trim().to_lowercase();
    if !valid_email(&email) {
        errors.add(
            "email",
            "Vul een geldig e-mailadres in, bijvoorbeeld naam@gemeente.nl.",
        );
    }
    let name = errors.check(
        "name",
        required_text(&input.name, max::TITLE, "Vul de naam in."),
    );
    let role = errors.check("role", parse_role(&input.role));
    let (Some(name), Some(role)) = (name, role) else {
        return Err(errors.into());
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let password = password::generate();
    let hash = password::hash_off_executor(password.clone()).await?;
    let user = NewUser {
        email: &email,
        name: &name,
        role,
        subteam_id: parse_subteam(&input.subteam_id),
        password_hash: &hash,
    };
    ctx.store.create_user(&ctx.actor(), &user).await?;
    Ok(password)
}

/// Gives an account a new generated password, shown once to the administrator; returns the
/// account's e-mail address and the password.
pub async fn reset_password(ctx: &Ctx, id: i64) -> Result<(String, String), OpsError> {
    ctx.require(ctx.role().may_administer())?;
    let user = ctx.store.user(ctx.org(), id).await?;
    let password = password::generate();
    ctx.store
        .set_password(
            &ctx.actor(),
            id,
            &password::hash_off_executor(password.clone()).await?,
        )
        .await?;
    Ok((user.email, password))
}

pub async fn update_user(
    ctx: &Ctx,
    id: i64,
    version: i64,
    input: &UserInput,
) -> Result<(), OpsError> {
    ctx.require(ctx.role().may_administer())?;
    let role = parse_role(&input.role).map_err(|e| FieldErrors::single("role", e.0))?;
    let active = input.active.is_some();
    if id == ctx.user.id && (!active || role != Rol::Beheerder) {
        return Err(FieldErrors::single(
            "role",
            "U kunt uw eigen beheerrechten niet intrekken; laat dat een andere beheerder doen.",
        )
        .into());
    }
    Ok(ctx
        .store
        .update_user(
            &ctx.actor(),
            id,
            version,
            role,
            parse_subteam(&input.subteam_id),
            active,
        )
        .await?)
}

/// The audit log's filters as they come from the page's query string.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery<'a> {
    pub entity: &'a str,
    pub user_name: &'a str,
    /// First day, `YYYY-MM-DD`, or empty.
    pub from: &'a str,
    /// Last day (included), `YYYY-MM-DD`, or empty.
    pub until: &'a str,
    /// 1-based page number, or empty for the first page.
    pub page: &'a str,
}

/// The highest page number of the audit log anyone can reach.
pub const AUDIT_MAX_PAGE: i64 = 1_000_000;

impl AuditQuery<'_> {
    /// The page number; a number that is not a page is refused.
    pub fn page_number(&self) -> Result<i64, OpsError> {
        let page = self.page.trim();
        if page.is_empty() {
            return Ok(1);
        }
        page.parse::<i64>()
            .ok()
            .filter(|p| (1..=AUDIT_MAX_PAGE).contains(p))
            .ok_or_else(|| OpsError::Refused("Deze pagina van het auditlog bestaat niet.".into()))
    }

    /// The filter for the store, `limit` rows per page. Dates outside the years Koers knows and
    /// texts with control characters are refused, so they never reach the database.
    pub fn filter(&self, limit: Option<i64>) -> Result<AuditFilter, OpsError> {
        let text = |label: &str, value: &str| -> Result<Option<String>, OpsError> {
            let value = bounded_text(value, max::FILTER, Lines::One)
                .map_err(|e| OpsError::Refused(format!("{label}: {e}")))?;
            Ok(Some(value).filter(|v| !v.is_empty()))
        };
        let date = |value: &str| -> Result<Option<NaiveDate>, OpsError> {
            let value = value.trim();
            if value.is_empty() {
                return Ok(None);
            }
            let first = NaiveDate::from_ymd_opt(Jaar::MIN, 1, 1);
            let last = NaiveDate::from_ymd_opt(Jaar::MAX, 12, 31);
            NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .ok()
                .filter(|d| Some(*d) >= first && Some(*d) <= last)
                .map(Some)
                .ok_or_else(|| {
                    OpsError::Refused(format!(
                        "Vul een datum in tussen 01-01-{} en 31-12-{}, bijvoorbeeld 2024-01-31.",
                        Jaar::MIN,
                        Jaar::MAX
                    ))
                })
        };
        let page = self.page_number()?;
        Ok(AuditFilter {
            entity: text("Onderdeel", self.entity)?,
            entity_id: None,
            user_name: text("Gebruiker", self.user_name)?,
            from: date(self.from)?
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc()),
            // "tot en met": the whole last day counts.
            until: date(self.until)?
                .and_then(|d| d.succ_opt())
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc()),
            limit,
            offset: limit.map_or(0, |l| (page - 1).saturating_mul(l)),
        })
    }
}

/// The audit rows that match `query`, `limit` per page.
pub async fn audit(
    ctx: &Ctx,
    query: &AuditQuery<'_>,
    limit: Option<i64>,
) -> Result<Vec<AuditEntry>, OpsError> {
    ctx.require(ctx.role().may_administer())?;
    let filter = query.filter(limit)?;
    Ok(ctx.store.audit_entries(ctx.org(), &filter).await?)
}

/// The names of people in the audit log, for its filter.
pub async fn audit_user_names(ctx: &Ctx) -> Result<Vec<String>, OpsError> {
    ctx.require(ctx.role().may_administer())?;
    Ok(ctx.store.audit_user_names(ctx.org()).await?)
}

/// The audit rows as CSV the way Dutch Excel opens it (see `export::dutch_csv`).
pub fn audit_csv(entries: &[AuditEntry]) -> anyhow::Result<Vec<u8>> {
    let headers = [
        "tijdstip",
        "gebruiker",
        "onderdeel",
        "id",
        "handeling",
        "omschrijving",
        "voor",
        "na",
    ];
    crate::export::dutch_csv(
        &headers,
        entries.iter().map(|e| {
            vec![
                e.occurred_at.to_rfc3339(),
                e.user_name.clone(),
                e.entity.clone(),
                e.entity_id.to_string(),
                e.operation.clone(),
                e.summary.clone(),
                e.before_json.clone().unwrap_or_default(),
                e.after_json.clone().unwrap_or_default(),
            ]
        }),
    )
}

/// How many of the newest security events the security log shows.
pub const SECURITY_LOG_ROWS: i64 = 500;

/// The newest logins, failed logins and lockouts of the organisation's accounts.
pub async fn security_events(ctx: &Ctx, limit: i64) -> Result<Vec<SecurityEvent>, OpsError> {
    ctx.require(ctx.role().may_administer())?;
    Ok(ctx.store.security_events(ctx.org(), limit).await?)
}

pub fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && !has_control(email)
}
