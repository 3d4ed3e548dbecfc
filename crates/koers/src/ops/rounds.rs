//! Progress rounds (voortgangsrondes), "Mijn acties" and the reminder run.
//!
//! An action needs a report in a round when it runs (not gerealiseerd or geannuleerd) or when
//! it reported in the round (an action that was finished during the round still counts, as
//! reported). It has reported when a progress entry is dated on or after the day the round
//! opened (`koers_domain::round::counts_for`).

use super::actions::Catalogue;
use super::{Ctx, OpsError};
use chrono::{DateTime, NaiveDate, Utc};
use koers_domain::round::{Momenten, RondeInvoer, counts_for, moment_label};
use koers_domain::{FieldErrors, Jaar, Rol};
use koers_store::actions::ActionRow;
use koers_store::programmes::Programme;
use koers_store::rounds::{NewRound, Reminder, ReminderClaim, Round};
use koers_store::{Actor, Store};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Running actions without a progress report for this many days ask for attention.
pub const STALE_DAYS: i64 = 90;

/// Whether a running action has gone without a report for more than [`STALE_DAYS`] on
/// `reference` (today, or the end of the programme's year when that lies before today).
pub fn is_stale(action: &ActionRow, reference: NaiveDate) -> bool {
    let last = action.last_progress_on.unwrap_or(NaiveDate::MIN);
    !action.status.is_closed() && (reference - last).num_days() > STALE_DAYS
}

/// The day staleness is measured on for the programme of `year`.
pub fn stale_reference(ctx: &Ctx, year: Jaar) -> NaiveDate {
    let today = ctx.today();
    NaiveDate::from_ymd_opt(year.get(), 12, 31)
        .unwrap_or(today)
        .min(today)
}

/// One action as a round sees it.
#[derive(Clone)]
pub struct RoundAction {
    pub action: ActionRow,
    pub reported: bool,
}

/// Reported and needed per lead subteam.
pub struct SubteamCount {
    pub subteam_id: i64,
    pub name: String,
    pub needed: usize,
    pub reported: usize,
}

impl SubteamCount {
    pub fn percent(&self) -> i64 {
        percent(self.reported, self.needed)
    }
}

pub fn percent(part: usize, whole: usize) -> i64 {
    // Nothing needed is complete.
    (part * 100).checked_div(whole).map_or(100, |p| p as i64)
}

/// A round with what it asks and what came in.
pub struct RoundView {
    pub year: Jaar,
    pub programme: Programme,
    pub round: Round,
    pub moments: Momenten,
    /// The actions that need a report in this round, missing ones first, then by code.
    pub actions: Vec<RoundAction>,
    pub per_subteam: Vec<SubteamCount>,
    pub reminders: Vec<Reminder>,
    pub catalogue: Arc<Catalogue>,
    pub may_manage: bool,
}

impl RoundView {
    pub fn needed(&self) -> usize {
        self.actions.len()
    }

    pub fn reported(&self) -> usize {
        self.actions.iter().filter(|a| a.reported).count()
    }

    pub fn missing(&self) -> impl Iterator<Item = &RoundAction> {
        self.actions.iter().filter(|a| !a.reported)
    }
}

/// Which actions of a programme need a report in `round`, and which have one.
pub fn round_actions(
    round: &Round,
    actions: &[ActionRow],
    progress_dates: &[(i64, NaiveDate)],
) -> Vec<RoundAction> {
    let reported: BTreeSet<i64> = progress_dates
        .iter()
        .filter(|(_, date)| counts_for(*date, round.opened_on, round.closed_on))
        .map(|(id, _)| *id)
        .collect();
    let mut list: Vec<RoundAction> = actions
        .iter()
        .map(|a| RoundAction {
            reported: reported.contains(&a.id),
            action: a.clone(),
        })
        .filter(|a| a.reported || !a.action.status.is_closed())
        .collect();
    list.sort_by(|a, b| {
        a.reported
            .cmp(&b.reported)
            .then_with(|| a.action.code.cmp(&b.action.code))
    });
    list
}

/// Completeness per lead subteam, in the catalogue's order.
pub fn per_subteam(catalogue: &Catalogue, actions: &[RoundAction]) -> Vec<SubteamCount> {
    let mut counts: BTreeMap<i64, (usize, usize)> = BTreeMap::new();
    for a in actions {
        let entry = counts.entry(a.action.lead_subteam_id).or_default();
        entry.0 += 1;
        if a.reported {
            entry.1 += 1;
        }
    }
    catalogue
        .subteams
        .iter()
        .filter_map(|s| {
            let (needed, reported) = counts.get(&s.id)?;
            Some(SubteamCount {
                subteam_id: s.id,
                name: s.name.clone(),
                needed: *needed,
                reported: *reported,
            })
        })
        .collect()
}

/// The programme of `year` and its rounds, newest first.
pub async fn rounds(ctx: &Ctx, year: Jaar) -> Result<(Programme, Vec<Round>), OpsError> {
    let programme = programme(ctx, year).await?;
    let rounds = ctx.store.rounds(ctx.org(), programme.id).await?;
    Ok((programme, rounds))
}

async fn programme(ctx: &Ctx, year: Jaar) -> Result<Programme, OpsError> {
    let model = super::read_model::model(ctx).await?;
    model
        .programmes
        .iter()
        .find(|p| p.year == i64::from(year))
        .cloned()
        .ok_or_else(|| OpsError::Missing(format!("Er is geen programma voor {year}.")))
}

/// The open round of the programme of `year`, if any.
pub async fn open_round(ctx: &Ctx, year: Jaar) -> Result<Option<Round>, OpsError> {
    let (_, rounds) = rounds(ctx, year).await?;
    Ok(rounds.into_iter().find(|r| r.closed_on.is_none()))
}

/// A round of `year` with its completeness, read from the database (the page follows a write
/// that may have just raised it).
pub async fn round(ctx: &Ctx, year: Jaar, id: i64) -> Result<RoundView, OpsError> {
    let programme = programme(ctx, year).await?;
    let round = ctx.store.round(ctx.org(), id).await?;
    if round.programme_id != programme.id {
        return Err(OpsError::NotFound);
    }
    let model = super::read_model::model(ctx).await?;
    let listed = model
        .actions
        .get(&programme.id)
        .map(|l| l.actions.clone())
        .unwrap_or_default();
    let dates = ctx.store.progress_dates(ctx.org(), programme.id).await?;
    let actions = round_actions(&round, &listed, &dates);
    let catalogue = model.catalogue.clone();
    Ok(RoundView {
        year,
        per_subteam: per_subteam(&catalogue, &actions),
        moments: Momenten::from_storage(&round.reminder_days),
        reminders: ctx.store.reminders(ctx.org(), round.id).await?,
        actions,
        programme,
        round,
        catalogue,
        may_manage: ctx.role().may_edit_plan(),
    })
}

/// Opens a round for the programme of `year` today; returns its id.
pub async fn open(ctx: &Ctx, year: Jaar, input: &RondeInvoer) -> Result<i64, OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    let programme = programme(ctx, year).await?;
    let today = ctx.today();
    let round = input.validate(today, year)?;
    let storage = round.moments.storage();
    Ok(ctx
        .store
        .open_round(
            &ctx.actor(),
            &NewRound {
                programme_id: programme.id,
                name: &round.name,
                opened_on: today,
                deadline: round.deadline,
                reminder_days: &storage,
            },
        )
        .await?)
}

/// Closes a round read at `version`, today.
pub async fn close(ctx: &Ctx, year: Jaar, id: i64, version: i64) -> Result<(), OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    let programme = programme(ctx, year).await?;
    let round = ctx.store.round(ctx.org(), id).await?;
    if round.programme_id != programme.id {
        return Err(OpsError::NotFound);
    }
    // A round opened today and closed today still holds that day's reports.
    let closed_on = ctx.today().max(round.opened_on);
    ctx.store
        .close_round(&ctx.actor(), id, version, closed_on)
        .await?;
    Ok(())
}

/// The version a form or `If-Match` sent, as a number.
pub fn parse_version(text: &str) -> Result<i64, OpsError> {
    text.trim()
        .parse()
        .map_err(|_| FieldErrors::single("version", "Laad de pagina opnieuw.").into())
}

/// One action on "Mijn acties".
pub struct MyAction {
    pub action: ActionRow,
    /// Whether the user's subteam leads it (otherwise it contributes).
    pub leads: bool,
    /// In the open round: whether it has reported; `None` without an open round or when it
    /// needs no report.
    pub reported: Option<bool>,
    pub stale: bool,
}

impl MyAction {
    /// Whether it waits for a report: missing in the open round, or stale.
    pub fn waiting(&self) -> bool {
        self.reported == Some(false) || self.stale
    }
}

pub struct MyActions {
    pub year: Jaar,
    pub programme: Option<Programme>,
    /// The user's subteam (id, name); `None` when the user has none.
    pub subteam: Option<(i64, String)>,
    pub open_round: Option<Round>,
    /// The actions of the subteam, the ones waiting for a report first.
    pub actions: Vec<MyAction>,
    pub catalogue: Arc<Catalogue>,
    pub may_report: bool,
}

impl MyActions {
    pub fn waiting(&self) -> usize {
        self.actions.iter().filter(|a| a.waiting()).count()
    }
}

/// The actions of the user's subteam (lead or contributor) in the programme of `year`, the
/// ones waiting for a report first (missing in the open round, or stale), then by code.
pub async fn my_actions(ctx: &Ctx, year: Jaar) -> Result<MyActions, OpsError> {
    let model = super::read_model::model(ctx).await?;
    let catalogue = model.catalogue.clone();
    let subteam = ctx
        .user
        .subteam_id
        .map(|id| (id, Catalogue::name(&catalogue.subteams, id)));
    let programme = model
        .programmes
        .iter()
        .find(|p| p.year == i64::from(year))
        .cloned();
    let may_report = ctx.role().may_report_progress(true);
    let (Some(programme), Some((subteam_id, _))) = (&programme, &subteam) else {
        return Ok(MyActions {
            year,
            programme,
            subteam,
            open_round: None,
            actions: Vec::new(),
            catalogue,
            may_report,
        });
    };
    let Some(listed) = model.actions.get(&programme.id) else {
        return Err(OpsError::NotFound);
    };
    let open_round = ctx
        .store
        .rounds(ctx.org(), programme.id)
        .await?
        .into_iter()
        .find(|r| r.closed_on.is_none());
    let in_round: BTreeMap<i64, bool> = match &open_round {
        Some(round) => {
            let dates = ctx.store.progress_dates(ctx.org(), programme.id).await?;
            round_actions(round, &listed.actions, &dates)
                .into_iter()
                .map(|a| (a.action.id, a.reported))
                .collect()
        }
        None => BTreeMap::new(),
    };
    let reference = stale_reference(ctx, year);
    let mut actions: Vec<MyAction> = listed
        .actions
        .iter()
        .filter_map(|a| {
            let leads = a.lead_subteam_id == *subteam_id;
            let contributes = listed
                .contributors
                .get(&a.id)
                .is_some_and(|c| c.contains(subteam_id));
            (leads || contributes).then(|| MyAction {
                leads,
                reported: in_round.get(&a.id).copied(),
                stale: is_stale(a, reference),
                action: a.clone(),
            })
        })
        .collect();
    // Missing in the open round first, then stale, then the rest; the subteam's own (lead)
    // actions before those it contributes to.
    actions.sort_by(|a, b| {
        let missing = |m: &MyAction| m.reported == Some(false);
        missing(b)
            .cmp(&missing(a))
            .then_with(|| b.waiting().cmp(&a.waiting()))
            .then_with(|| b.leads.cmp(&a.leads))
            .then_with(|| a.action.code.cmp(&b.action.code))
    });
    Ok(MyActions {
        year,
        programme: Some(programme.clone()),
        subteam,
        open_round,
        actions,
        catalogue,
        may_report,
    })
}

/// Why the user may not report on an action, in words for the action page; `None` when they
/// may.
pub fn why_no_report(ctx: &Ctx, lead_name: &str, involved: bool) -> Option<String> {
    match ctx.role() {
        Rol::Beheerder | Rol::Beleidsadviseur => None,
        Rol::Teamlid if involved => None,
        Rol::Teamlid if ctx.user.subteam_id.is_none() => Some(
            "U kunt hier geen voortgang melden: uw account hoort nog bij geen subteam. Vraag een beheerder om uw subteam in te stellen.".into(),
        ),
        Rol::Teamlid => Some(format!(
            "U kunt hier geen voortgang melden: deze actie hoort bij {lead_name}, en uw subteam trekt haar niet en werkt er niet aan mee. Meld de voortgang van uw eigen acties via Mijn acties."
        )),
        Rol::Lezer => Some(
            "U kunt hier geen voortgang melden: als lezer kunt u alles bekijken maar niets wijzigen.".into(),
        ),
    }
}

/// One reminder mail, as the run hands it to the mailer.
#[derive(Debug, Clone)]
pub struct ReminderMail {
    pub to_name: String,
    pub to_email: String,
    pub subject: String,
    pub body: String,
}

/// Sends a reminder; an error is a sentence for the round page ("de mailserver weigerde …").
pub trait SendMail: Send + Sync {
    fn send(
        &self,
        mail: ReminderMail,
    ) -> std::pin::Pin<Box<dyn Future<Output = Result<(), String>> + Send + '_>>;
}

/// What one reminder run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RunReport {
    pub sent: usize,
    pub failed: usize,
}

/// Sends the reminders that are due at `now` for every open round of every organisation,
/// each (round, moment, recipient) at most once across runs and instances: the claim commits
/// before the mail goes out, and a recipient whose claim already exists is skipped. `base_url`
/// starts the link to "Mijn acties" in the mail ("https://koers.example.nl").
pub async fn run_reminders(
    store: &Store,
    now: DateTime<Utc>,
    mailer: &dyn SendMail,
    base_url: &str,
) -> Result<RunReport, OpsError> {
    let today = super::dutch_date_of(now);
    let mut report = RunReport::default();
    for round in store.all_open_rounds().await? {
        let moments = Momenten::from_storage(&round.reminder_days);
        let Some(moment) = moments.due(round.opened_on, round.deadline, today) else {
            continue;
        };
        let organisation_id = round.organisation_id;
        let programmes = store.programmes(organisation_id).await?;
        let Some(programme) = programmes.iter().find(|p| p.id == round.programme_id) else {
            continue;
        };
        let actions = store
            .actions(organisation_id, programme.id, &Default::default())
            .await?;
        let dates = store.progress_dates(organisation_id, programme.id).await?;
        let missing: Vec<RoundAction> = round_actions(&round, &actions, &dates)
            .into_iter()
            .filter(|a| !a.reported)
            .collect();
        if missing.is_empty() {
            continue;
        }
        let mut per_subteam: BTreeMap<i64, usize> = BTreeMap::new();
        for a in &missing {
            *per_subteam.entry(a.action.lead_subteam_id).or_default() += 1;
        }
        let actor = Actor {
            organisation_id,
            user_id: None,
            user_name: "Koers (herinneringen)".into(),
            now,
        };
        let label = moment_label(moment);
        let users = store.users(organisation_id).await?;
        for user in users
            .iter()
            .filter(|u| u.active && u.role.may_report_progress(true) && u.subteam_id.is_some())
        {
            let Some(count) = user.subteam_id.and_then(|s| per_subteam.get(&s)).copied() else {
                continue;
            };
            let claim = ReminderClaim {
                round: &round,
                moment,
                moment_label: &label,
                user_id: user.id,
                user_name: &user.name,
                email: &user.email,
                missing: count as i64,
            };
            let Some(id) = store.claim_reminder(&actor, &claim).await? else {
                continue;
            };
            let mail = reminder_mail(
                &round,
                programme.year,
                moment,
                count,
                &user.name,
                &user.email,
                base_url,
            );
            let failure = match mailer.send(mail).await {
                Ok(()) => {
                    report.sent += 1;
                    String::new()
                }
                Err(reason) => {
                    report.failed += 1;
                    tracing::warn!(round = round.id, user = user.id, error = %reason, "reminder not sent");
                    reason
                }
            };
            store.finish_reminder(&actor, id, &failure).await?;
        }
    }
    Ok(report)
}

/// The reminder mail: plain Dutch text. Names and the round's name cannot hold a line break
/// (they are refused at the edge), and the mailer encodes the subject as a header.
pub fn reminder_mail(
    round: &Round,
    year: i64,
    moment: i64,
    missing: usize,
    name: &str,
    email: &str,
    base_url: &str,
) -> ReminderMail {
    let deadline = koers_domain::nl::datum(round.deadline);
    let acties = if missing == 1 { "actie" } else { "acties" };
    let link = format!("{}/mijn-acties?jaar={year}", base_url.trim_end_matches('/'));
    let when = if moment < 0 {
        format!("De deadline is {deadline}.")
    } else if moment == 0 {
        format!("De deadline is vandaag, {deadline}.")
    } else {
        format!("De deadline was {deadline}.")
    };
    let subject = format!(
        "Herinnering: voortgang melden voor {} ({missing} {acties})",
        one_line(&round.name)
    );
    let body = format!(
        "Beste {},\n\n\
         Voor de voortgangsronde \"{}\" mist nog een voortgangsmelding bij {missing} {acties} van uw subteam. {when}\n\n\
         U ziet de acties die op een melding wachten bovenaan in Mijn acties:\n{link}\n\n\
         Met vriendelijke groet,\nKoers\n\n\
         Dit bericht is automatisch verstuurd. U krijgt het omdat uw subteam bij deze acties de trekker is.\n",
        one_line(name),
        one_line(&round.name),
    );
    ReminderMail {
        to_name: one_line(name),
        to_email: email.to_string(),
        subject,
        body,
    }
}

/// Text for a header or one line of a mail: control characters (CR, LF) become spaces. The
/// edge already refuses them; this keeps a header safe even for data from elsewhere.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The id of a round as it comes from a URL.
pub fn round_id(text: &str) -> Result<i64, OpsError> {
    koers_domain::action::parse_id(text).ok_or(OpsError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_stay_on_one_line() {
        assert_eq!(one_line("Ronde\r\nBcc: x@y"), "Ronde  Bcc: x@y");
    }
}
