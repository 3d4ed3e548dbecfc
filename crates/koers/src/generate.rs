//! `koers generate`: fills a database with many organisations for load and scale tests. Each
//! organisation is the demo (`demo/demo.json`) under its own code GM9000+i, with its own users,
//! plan, catalogue and one programme per year, written through the store's normal write methods
//! (so with every audit row) in one transaction per organisation.

use crate::demo::{self, Demo, DemoAction};
use crate::password;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use koers_store::Store;
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The code of the first generated organisation; the others follow it.
pub const FIRST_NUMBER: usize = 9000;
pub const MAX_ORGANISATIONS: usize = 1000;
pub const MAX_YEARS: i64 = 10;
pub const MAX_ACTIONS_PER_YEAR: usize = 500;

#[derive(Debug, Clone)]
pub struct Options {
    pub organisations: usize,
    pub years: i64,
    pub last_year: i64,
    pub actions_per_year: usize,
    /// Organisations written at once, each in its own transaction.
    pub jobs: usize,
}

/// What was written, to print.
#[derive(Debug, Clone)]
pub struct Summary {
    pub organisations: usize,
    pub programmes: usize,
    pub actions: usize,
    pub progress_entries: usize,
    pub users: usize,
    pub password: String,
    pub elapsed: Duration,
}

/// The code of generated organisation `i` (0-based).
pub fn code(i: usize) -> String {
    format!("GM{}", FIRST_NUMBER + i)
}

/// Checks the options; the message is the CLI's one-line error.
pub fn check(options: &Options) -> Result<(), String> {
    if !(1..=MAX_ORGANISATIONS).contains(&options.organisations) {
        return Err(format!(
            "--organisations moet tussen 1 en {MAX_ORGANISATIONS} liggen"
        ));
    }
    if !(1..=MAX_YEARS).contains(&options.years) {
        return Err(format!(
            "--years moet tussen 1 en {MAX_YEARS} liggen (een beleidsplan beslaat hoogstens tien jaar)"
        ));
    }
    let first = options.last_year - options.years + 1;
    if koers_domain::Jaar::new(first).is_err()
        || koers_domain::Jaar::new(options.last_year).is_err()
    {
        return Err(format!(
            "de jaren {first}–{} liggen niet tussen 2000 en 2100",
            options.last_year
        ));
    }
    if !(1..=MAX_ACTIONS_PER_YEAR).contains(&options.actions_per_year) {
        return Err(format!(
            "--actions-per-year moet tussen 1 en {MAX_ACTIONS_PER_YEAR} liggen"
        ));
    }
    if !(1..=16).contains(&options.jobs) {
        return Err("--jobs moet tussen 1 en 16 liggen".into());
    }
    Ok(())
}

/// Writes the organisations. Refuses, before writing anything, when one of their codes is taken.
pub async fn run(store: &Store, options: &Options, now: DateTime<Utc>) -> anyhow::Result<Summary> {
    check(options).map_err(anyhow::Error::msg)?;
    let started = Instant::now();
    let taken: HashSet<String> = store
        .organisations()
        .await?
        .into_iter()
        .map(|o| o.code)
        .collect();
    if let Some(code) = (0..options.organisations)
        .map(code)
        .find(|c| taken.contains(c))
    {
        anyhow::bail!(
            "er is al een organisatie met code {code}; genereer in een lege database of verwijder die organisaties eerst"
        );
    }
    let template = demo::template()?;
    // One password for every generated account, hashed once: argon2 per account would cost
    // minutes for thousands of accounts and tells nothing about the data.
    let password = password::generate();
    let hash = password::hash(&password)?;
    let shared = Arc::new((template, password.clone(), hash, options.clone()));
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..options.jobs.min(options.organisations) {
        let (store, shared, next, done) =
            (store.clone(), shared.clone(), next.clone(), done.clone());
        workers.spawn(async move {
            let (template, password, hash, options) = &*shared;
            let mut counts = (0usize, 0usize, 0usize);
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= options.organisations {
                    return anyhow::Ok(counts);
                }
                let org = organisation(template, i, options);
                counts.0 += org.users.len();
                counts.1 += org
                    .programmes
                    .iter()
                    .map(|p| p.actions.len())
                    .sum::<usize>();
                counts.2 += org
                    .programmes
                    .iter()
                    .flat_map(|p| &p.actions)
                    .map(|a| a.progress.len())
                    .sum::<usize>();
                let mut tx = store.begin().await?;
                let mut credentials = || Ok((password.clone(), hash.clone()));
                demo::insert(&mut tx, &org, false, now, &mut credentials).await?;
                tx.commit().await?;
                let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                if finished % 50 == 0 && finished < options.organisations {
                    println!(
                        "  {finished}/{} organisaties ({:.0} s)",
                        options.organisations,
                        started.elapsed().as_secs_f64()
                    );
                }
            }
        });
    }
    let mut summary = Summary {
        organisations: options.organisations,
        programmes: options.organisations * usize::try_from(options.years).unwrap_or_default(),
        actions: 0,
        progress_entries: 0,
        users: 0,
        password,
        elapsed: Duration::ZERO,
    };
    while let Some(result) = workers.join_next().await {
        let (users, actions, progress) = result??;
        summary.users += users;
        summary.actions += actions;
        summary.progress_entries += progress;
    }
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Organisation `i`: the demo under a new code and name, its accounts at its own domain, its
/// plan spanning the generated years and one programme per year.
fn organisation(template: &Demo, i: usize, options: &Options) -> Demo {
    let code = code(i);
    let domain = format!("{}.example", code.to_lowercase());
    let email = |address: &str| {
        let local = address.split('@').next().unwrap_or(address);
        format!("{local}@{domain}")
    };
    let first_year = options.last_year - options.years + 1;
    let years: Vec<i64> = (first_year..=options.last_year).collect();
    let mut org = template.clone();
    org.organisation.code = code.clone();
    org.organisation.name = format!("Gemeente Proef {}", FIRST_NUMBER + i);
    org.organisation.place = format!("Proef {}", FIRST_NUMBER + i);
    org.plan.start_year = first_year;
    org.plan.end_year = options.last_year;
    org.plan.title = format!(
        "Beleidsplan Integrale Veiligheid en VTH-taken {first_year}-{}",
        options.last_year
    );
    for user in &mut org.users {
        user.email = email(&user.email);
    }
    for opgave in &mut org.opgaven {
        opgave.participation = years.clone();
    }
    for subteam in &mut org.subteams {
        let fte = subteam
            .fte
            .values()
            .copied()
            .fold(0.0_f64, f64::max)
            .max(1.0);
        subteam.fte = years.iter().map(|y| (y.to_string(), fte)).collect();
    }
    // The pool of actions: the newest template programme first, then the older ones. Each
    // index keeps its code in every year, so an action carried over continues the action with
    // the same code of the year before.
    let mut programmes = template.programmes.clone();
    programmes.sort_by_key(|p| std::cmp::Reverse(p.year));
    let pool: Vec<(i64, &DemoAction)> = programmes
        .iter()
        .flat_map(|p| p.actions.iter().map(move |a| (p.year, a)))
        .collect();
    if pool.is_empty() {
        org.programmes.clear();
        return org;
    }
    let mut used = HashSet::new();
    let mut codes = Vec::with_capacity(options.actions_per_year);
    for n in 0..options.actions_per_year {
        let base = &pool[n % pool.len()].1.code;
        let mut candidate = base.clone();
        let mut suffix = 1;
        while !used.insert(candidate.clone()) {
            suffix += 1;
            candidate = format!("{base}.{suffix}");
        }
        codes.push(candidate);
    }
    org.programmes = years
        .iter()
        .map(|&year| {
            let mut programme = demo::DemoProgramme {
                year,
                title: format!("Uitvoeringsprogramma Integrale Veiligheid en VTH-taken {year}"),
                actions: Vec::new(),
                evaluation: None,
                adoption: None,
                rounds: Vec::new(),
            };
            programme.actions = codes
                .iter()
                .enumerate()
                .map(|(n, code)| {
                    let (template_year, source) = pool[n % pool.len()];
                    let mut action = source.clone();
                    action.code = code.clone();
                    action.predecessor = (action.origin == "doorgeschoven" && year > first_year)
                        .then(|| code.clone());
                    for entry in &mut action.progress {
                        entry.date = shift(entry.date, year - template_year);
                        entry.author = email(&entry.author);
                    }
                    action
                })
                .collect();
            programme
        })
        .collect();
    org
}

/// The same day `years` later (28 February for 29 February in a common year).
fn shift(date: NaiveDate, years: i64) -> NaiveDate {
    let year = date.year() + i32::try_from(years).unwrap_or_default();
    date.with_year(year)
        .or_else(|| NaiveDate::from_ymd_opt(year, date.month(), 28))
        .unwrap_or(date)
}
