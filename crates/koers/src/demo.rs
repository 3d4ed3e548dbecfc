//! The demo organisation: the seed letter's municipality with an invented team, plan content,
//! actions and progress (see `demo/demo.json`). Everything is loaded in one transaction.

use crate::password;
use chrono::{DateTime, NaiveDate, Utc};
use koers_domain::{Jaar, Rol, Status, Uren, Voortgang};
use koers_store::accounts::NewUser;
use koers_store::adoption::Document;
use koers_store::catalog::{ItemInput, Kind};
use koers_store::plan::PlanData;
use koers_store::{Actor, Store, Tx};
use serde::Deserialize;
use std::collections::HashMap;

const DEMO_JSON: &str = include_str!("demo/demo.json");

#[derive(Deserialize, Clone)]
pub(crate) struct Demo {
    pub(crate) organisation: DemoOrganisation,
    pub(crate) plan: DemoPlan,
    pub(crate) domains: Vec<DemoDomain>,
    pub(crate) opgaven: Vec<DemoOpgave>,
    pub(crate) subteams: Vec<DemoSubteam>,
    pub(crate) partners: Vec<DemoPartner>,
    pub(crate) users: Vec<DemoUser>,
    pub(crate) programmes: Vec<DemoProgramme>,
    /// VTH task fields, their figures and the capacity settings.
    #[serde(default)]
    pub(crate) vth: Option<vth::DemoVth>,
}

mod house_style;
mod indicators;
mod risk;
mod vth;
mod year_end;
use year_end::Ids;
pub(crate) use year_end::{DemoAdoption, DemoEvaluation};

#[derive(Deserialize, Clone)]
pub(crate) struct DemoOrganisation {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) place: String,
    #[serde(default)]
    pub(crate) house_style: Option<house_style::DemoHouseStyle>,
}

#[derive(Deserialize, Clone)]
pub(crate) struct DemoPlan {
    pub(crate) title: String,
    pub(crate) start_year: i64,
    pub(crate) end_year: i64,
    pub(crate) description: String,
}

#[derive(Deserialize, Clone)]
pub(crate) struct DemoDomain {
    pub(crate) short: String,
    pub(crate) name: String,
    pub(crate) themes: Vec<DemoTheme>,
}

#[derive(Deserialize, Clone)]
pub(crate) struct DemoTheme {
    pub(crate) key: String,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) ambitions: Vec<DemoAmbition>,
}

#[derive(Deserialize, Clone)]
pub(crate) struct DemoAmbition {
    pub(crate) key: String,
    pub(crate) text: String,
}

#[derive(Deserialize, Clone)]
pub(crate) struct DemoOpgave {
    pub(crate) key: String,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) example: bool,
    pub(crate) participation: Vec<i64>,
}

#[derive(Deserialize, Clone)]
pub(crate) struct DemoSubteam {
    pub(crate) key: String,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) fte: HashMap<String, f64>,
    /// The number of people per year, where the demo states it.
    #[serde(default)]
    pub(crate) persons: HashMap<String, i64>,
}

#[derive(Deserialize, Clone)]
pub(crate) struct DemoPartner {
    pub(crate) key: String,
    pub(crate) name: String,
}

#[derive(Deserialize, Clone)]
pub(crate) struct DemoUser {
    pub(crate) email: String,
    pub(crate) name: String,
    pub(crate) role: String,
    pub(crate) subteam: Option<String>,
}

#[derive(Deserialize, Clone)]
pub(crate) struct DemoProgramme {
    pub(crate) year: i64,
    pub(crate) title: String,
    pub(crate) actions: Vec<DemoAction>,
    /// The evaluation at the end of this year, and its adoption.
    #[serde(default)]
    pub(crate) evaluation: Option<DemoEvaluation>,
    /// The college's adoption of this programme and the letter to the council.
    #[serde(default)]
    pub(crate) adoption: Option<DemoAdoption>,
    /// Progress rounds of this year, in the order they were opened.
    #[serde(default)]
    pub(crate) rounds: Vec<DemoRound>,
}

/// A progress round as a beleidsadviseur opened (and perhaps closed) it.
#[derive(Deserialize, Clone)]
pub(crate) struct DemoRound {
    pub(crate) name: String,
    pub(crate) by: String,
    pub(crate) opened_on: NaiveDate,
    pub(crate) deadline: NaiveDate,
    /// Days relative to the deadline, e.g. [-7, -1, 3].
    pub(crate) reminders: Vec<i64>,
    #[serde(default)]
    pub(crate) closed_on: Option<NaiveDate>,
}

#[derive(Deserialize, Clone)]
pub(crate) struct DemoAction {
    pub(crate) code: String,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) intended_result: String,
    pub(crate) theme: String,
    pub(crate) ambition: String,
    pub(crate) opgaven: Vec<String>,
    pub(crate) lead: String,
    pub(crate) contributors: Vec<String>,
    /// Percent of the hours a contributing subteam takes on, by subteam key; the rest counts
    /// for the lead.
    #[serde(default)]
    pub(crate) shares: std::collections::BTreeMap<String, i64>,
    pub(crate) partners: Vec<String>,
    pub(crate) quarters: Vec<u8>,
    pub(crate) hours: i64,
    pub(crate) priority: String,
    pub(crate) origin: String,
    pub(crate) predecessor: Option<String>,
    pub(crate) progress: Vec<DemoProgress>,
}

#[derive(Deserialize, Clone)]
pub(crate) struct DemoProgress {
    pub(crate) date: NaiveDate,
    pub(crate) status: String,
    pub(crate) note: String,
    pub(crate) hours: i64,
    pub(crate) author: String,
}

/// A demo account and its freshly generated password, to print once.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub email: String,
    pub name: String,
    pub role: Rol,
    pub password: String,
}

pub const DEMO_CODE: &str = "GM0400";

/// The demo data, also the template of `koers generate`.
pub(crate) fn template() -> anyhow::Result<Demo> {
    Ok(serde_json::from_str(DEMO_JSON)?)
}

/// Loads the demo organisation. Refuses when an organisation with its code exists.
pub async fn load(store: &Store, now: DateTime<Utc>) -> anyhow::Result<Vec<DemoAccount>> {
    let demo = template()?;
    let mut tx = store.begin().await?;
    let mut credentials = || -> anyhow::Result<(String, String)> {
        let password = password::generate();
        let hash = password::hash(&password)?;
        Ok((password, hash))
    };
    let accounts = insert(&mut tx, &demo, true, now, &mut credentials).await?;
    tx.commit().await?;
    Ok(accounts)
}

/// Writes one organisation described like the demo, with everything in it, through the store's
/// normal write methods in the caller's transaction. `credentials` gives each account its
/// password and the password's hash.
pub(crate) async fn insert(
    tx: &mut Tx,
    demo: &Demo,
    is_demo: bool,
    now: DateTime<Utc>,
    credentials: &mut (dyn FnMut() -> anyhow::Result<(String, String)> + Send),
) -> anyhow::Result<Vec<DemoAccount>> {
    let org = &demo.organisation;
    let org_id = tx
        .create_organisation(&org.code, &org.name, &org.place, is_demo, now)
        .await?;
    let setup = Actor {
        organisation_id: org_id,
        user_id: None,
        user_name: "Koers demo".into(),
        now,
    };
    let item = |code: &str, name: &str, description: &str| ItemInput {
        code: code.to_string(),
        name: name.to_string(),
        description: description.to_string(),
    };

    if let Some(style) = &org.house_style {
        house_style::write(tx, &setup, &org.name, style).await?;
    }

    let plan = PlanData {
        title: demo.plan.title.clone(),
        start_year: Jaar::new(demo.plan.start_year)?,
        end_year: Jaar::new(demo.plan.end_year)?,
        description: demo.plan.description.clone(),
    };
    let plan_id = tx.create_plan(&setup, &plan).await?;

    let mut themes = HashMap::new();
    let mut ambitions = HashMap::new();
    for domain in &demo.domains {
        let domain_id = tx
            .create_item(
                &setup,
                Kind::Domain,
                Some(plan_id),
                &item(&domain.short, &domain.name, ""),
                false,
            )
            .await?;
        for theme in &domain.themes {
            // Theme names and order are the seed's; their descriptions are invented.
            let theme_id = tx
                .create_item(
                    &setup,
                    Kind::Theme,
                    Some(domain_id),
                    &item("", &theme.name, &theme.description),
                    true,
                )
                .await?;
            themes.insert(theme.key.clone(), theme_id);
            for ambition in &theme.ambitions {
                let id = tx
                    .create_item(
                        &setup,
                        Kind::Ambition,
                        Some(theme_id),
                        &item("", &ambition.text, ""),
                        true,
                    )
                    .await?;
                ambitions.insert(ambition.key.clone(), id);
            }
        }
    }

    let mut opgaven = HashMap::new();
    for opgave in &demo.opgaven {
        let id = tx
            .create_item(
                &setup,
                Kind::Opgave,
                None,
                &item("", &opgave.name, &opgave.description),
                opgave.example,
            )
            .await?;
        opgaven.insert(opgave.key.clone(), id);
        let stored = koers_store::catalog::Item {
            id,
            parent_id: None,
            code: String::new(),
            name: opgave.name.clone(),
            description: String::new(),
            position: 0,
            retired: false,
            is_example: opgave.example,
            version: 1,
        };
        for year in &opgave.participation {
            tx.set_participation(&setup, &stored, *year, true).await?;
        }
    }

    let mut subteams = HashMap::new();
    for subteam in &demo.subteams {
        let id = tx
            .create_item(
                &setup,
                Kind::Subteam,
                None,
                &item(&subteam.key, &subteam.name, &subteam.description),
                true,
            )
            .await?;
        subteams.insert(subteam.key.clone(), id);
        let stored = koers_store::catalog::Item {
            id,
            parent_id: None,
            code: subteam.key.clone(),
            name: subteam.name.clone(),
            description: String::new(),
            position: 0,
            retired: false,
            is_example: true,
            version: 1,
        };
        let mut years: Vec<_> = subteam.fte.iter().collect();
        years.sort_by(|a, b| a.0.cmp(b.0));
        for (year, fte) in years {
            let fte = koers_domain::Fte::parse(&format!("{fte:.2}"))?;
            let persons = match subteam.persons.get(year) {
                Some(count) => {
                    let persons = koers_domain::Personen::new(*count)?;
                    persons.check(fte)?;
                    Some(persons)
                }
                None => None,
            };
            tx.set_capacity(&setup, &stored, year.parse()?, fte, persons)
                .await?;
        }
    }

    let mut partners = HashMap::new();
    for partner in &demo.partners {
        let id = tx
            .create_item(
                &setup,
                Kind::Partner,
                None,
                &item(&partner.key, &partner.name, ""),
                false,
            )
            .await?;
        partners.insert(partner.key.clone(), id);
    }

    let mut accounts = Vec::new();
    let mut authors = HashMap::new();
    for user in &demo.users {
        let role = Rol::from_code(&user.role)
            .ok_or_else(|| anyhow::anyhow!("unknown role {}", user.role))?;
        let (password, hash) = credentials()?;
        let subteam_id = user.subteam.as_ref().and_then(|s| subteams.get(s).copied());
        let new = NewUser {
            email: &user.email,
            name: &user.name,
            role,
            subteam_id,
            password_hash: &hash,
        };
        let id = tx.create_user(&setup, &new).await?;
        authors.insert(user.email.clone(), (id, user.name.clone()));
        accounts.push(DemoAccount {
            email: user.email.clone(),
            name: user.name.clone(),
            role,
            password,
        });
    }

    if let Some(tasks) = &demo.vth {
        vth::insert(tx, &setup, tasks, &subteams).await?;
    }

    let ids = Ids {
        themes: &themes,
        ambitions: &ambitions,
        subteams: &subteams,
        partners: &partners,
        opgaven: &opgaven,
        authors: &authors,
    };
    let mut codes_by_year: HashMap<(i64, String), i64> = HashMap::new();
    let mut previous: Option<(&DemoProgramme, i64)> = None;
    for programme in &demo.programmes {
        let year = Jaar::new(programme.year)?;
        // Actions that continue last year's evaluated work are made by carrying them over, as
        // a user would, and then given this year's wording; the rest are new.
        let carried = match previous {
            Some((last, last_id)) if last.evaluation.is_some() => {
                let planner = year_end::planner(&ids, org_id, last)?;
                year_end::carry_over(tx, &planner, last_id, programme, &ids, &codes_by_year).await?
            }
            _ => None,
        };
        // A programme that the college adopts was written before it was offered.
        let writer = match &programme.adoption {
            Some(adoption) => ids.author(
                org_id,
                &adoption.by,
                adoption
                    .offered_on
                    .pred_opt()
                    .unwrap_or(adoption.offered_on),
            )?,
            None => setup.clone(),
        };
        let programme_id = match &carried {
            Some(carried) => carried.programme_id,
            None => {
                tx.create_programme(
                    &writer,
                    year,
                    &programme.title,
                    koers_domain::Vaststelling::Concept,
                )
                .await?
            }
        };
        let mut action_ids = Vec::new();
        for action in &programme.actions {
            let data = ids.action_data(action, programme.year, &codes_by_year)?;
            let action_id = match carried.as_ref().and_then(|c| c.created.get(&action.code)) {
                Some(&id) => {
                    tx.update_action(&writer, id, 1, &data).await?;
                    id
                }
                None => tx.create_action(&writer, programme_id, &data).await?,
            };
            codes_by_year.insert((programme.year, action.code.clone()), action_id);
            action_ids.push(action_id);
        }
        if let Some(adoption) = &programme.adoption {
            year_end::adopt(tx, &ids, org_id, year, Document::Programma, adoption).await?;
        }
        for (action, &action_id) in programme.actions.iter().zip(&action_ids) {
            for entry in &action.progress {
                let progress = Voortgang {
                    status: Status::from_code(&entry.status)
                        .ok_or_else(|| anyhow::anyhow!("unknown status {}", entry.status))?,
                    note: entry.note.clone(),
                    hours_spent: Uren::new(entry.hours)?,
                    entry_date: entry.date,
                };
                let author = ids.author(org_id, &entry.author, entry.date)?;
                tx.add_progress(&author, action_id, &progress).await?;
            }
        }
        for round in &programme.rounds {
            let days = round
                .reminders
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            let moments = koers_domain::round::Momenten::from_storage(&days).storage();
            let opener = ids.author(org_id, &round.by, round.opened_on)?;
            let round_id = tx
                .open_round(
                    &opener,
                    &koers_store::rounds::NewRound {
                        programme_id,
                        name: &round.name,
                        opened_on: round.opened_on,
                        deadline: round.deadline,
                        reminder_days: &moments,
                    },
                )
                .await?;
            if let Some(closed_on) = round.closed_on {
                let closer = ids.author(org_id, &round.by, closed_on)?;
                tx.close_round(&closer, round_id, 1, closed_on).await?;
            }
        }
        if let Some(evaluation) = &programme.evaluation {
            year_end::evaluate(
                tx,
                &ids,
                org_id,
                programme,
                programme_id,
                &codes_by_year,
                evaluation,
            )
            .await?;
            if let Some(adoption) = &evaluation.adoption {
                year_end::adopt(tx, &ids, org_id, year, Document::Evaluatie, adoption).await?;
            }
        }
        previous = Some((programme, programme_id));
    }
    if let Some(adviser) = demo.users.iter().find(|u| u.role == "beleidsadviseur") {
        let author = ids.author(org_id, &adviser.email, NaiveDate::MIN)?;
        risk::write(tx, &author).await?;
    }
    indicators::write(tx, &setup, &ambitions).await?;
    Ok(accounts)
}
