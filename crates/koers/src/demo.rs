//! The demo organisation: the seed letter's municipality with an invented team, plan content,
//! actions and progress (see `demo/demo.json`). Everything is loaded in one transaction.

use crate::password;
use chrono::{DateTime, NaiveDate, Utc};
use koers_domain::{ActieInvoer, Jaar, Rol, Status, Uren, Voortgang};
use koers_store::accounts::NewUser;
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
}

#[derive(Deserialize, Clone)]
pub(crate) struct DemoOrganisation {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) place: String,
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
            tx.set_capacity(&setup, &stored, year.parse()?, fte).await?;
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

    let lookup = |map: &HashMap<String, i64>, key: &str| -> anyhow::Result<String> {
        map.get(key)
            .map(i64::to_string)
            .ok_or_else(|| anyhow::anyhow!("demo data refers to unknown key {key}"))
    };
    let lookup_all = |map: &HashMap<String, i64>, keys: &[String]| -> anyhow::Result<Vec<String>> {
        keys.iter().map(|k| lookup(map, k)).collect()
    };
    let mut codes_by_year: HashMap<(i64, String), i64> = HashMap::new();
    for programme in &demo.programmes {
        let year = Jaar::new(programme.year)?;
        let programme_id = tx
            .create_programme(
                &setup,
                year,
                &programme.title,
                koers_domain::Vaststelling::Concept,
            )
            .await?;
        for action in &programme.actions {
            let predecessor: Option<i64> = match &action.predecessor {
                Some(code) => Some(
                    *codes_by_year
                        .get(&(programme.year - 1, code.clone()))
                        .ok_or_else(|| anyhow::anyhow!("unknown predecessor {code}"))?,
                ),
                None => None,
            };
            let input = ActieInvoer {
                code: action.code.clone(),
                title: action.title.clone(),
                description: action.description.clone(),
                intended_result: action.intended_result.clone(),
                theme_id: lookup(&themes, &action.theme)?,
                ambition_id: lookup(&ambitions, &action.ambition)?,
                lead_subteam_id: lookup(&subteams, &action.lead)?,
                contributing_subteam_ids: lookup_all(&subteams, &action.contributors)?,
                partner_ids: lookup_all(&partners, &action.partners)?,
                opgave_ids: lookup_all(&opgaven, &action.opgaven)?,
                quarters: action.quarters.iter().map(u8::to_string).collect(),
                planned_hours: action.hours.to_string(),
                priority: action.priority.clone(),
                origin: action.origin.clone(),
                predecessor_id: predecessor.map(|id| id.to_string()).unwrap_or_default(),
            };
            let data = input
                .validate()
                .map_err(|e| anyhow::anyhow!("demo action {}: {e:?}", action.code))?;
            let action_id = tx.create_action(&setup, programme_id, &data).await?;
            codes_by_year.insert((programme.year, action.code.clone()), action_id);
            for entry in &action.progress {
                let (author_id, author_name) = authors
                    .get(&entry.author)
                    .cloned()
                    .ok_or_else(|| anyhow::anyhow!("unknown author {}", entry.author))?;
                let progress = Voortgang {
                    status: Status::from_code(&entry.status)
                        .ok_or_else(|| anyhow::anyhow!("unknown status {}", entry.status))?,
                    note: entry.note.clone(),
                    hours_spent: Uren::new(entry.hours)?,
                    entry_date: entry.date,
                };
                let at = entry
                    .date
                    .and_hms_opt(15, 0, 0)
                    .unwrap_or_default()
                    .and_utc();
                let author = Actor {
                    organisation_id: org_id,
                    user_id: Some(author_id),
                    user_name: author_name,
                    now: at,
                };
                tx.add_progress(&author, action_id, &progress).await?;
            }
        }
    }
    Ok(accounts)
}
