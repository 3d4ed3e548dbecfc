//! Command line: `koers serve | migrate | demo | generate | verify | render | leesbaarheid | org add |
//! user add | user password`.
//! Errors are printed as one line and give a non-zero exit code.

use crate::config::{DatabaseArgs, ServeArgs, redact_url};
use crate::{app, demo, generate, password};
use anyhow::Context;
use chrono::{SubsecRound, Utc};
use clap::{Parser, Subcommand};
use koers_domain::Rol;
use koers_store::accounts::NewUser;
use koers_store::{Actor, Store, StoreError};
use std::io::BufRead;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "koers",
    version,
    about = "Koers: het uitvoeringsprogramma Integrale Veiligheid en VTH-taken, van beleidsplan tot raadsinformatiebrief."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Start the web application.
    Serve {
        #[command(flatten)]
        db: DatabaseArgs,
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Apply the database migrations.
    Migrate {
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// Load the demo organisation (GM0400) into the database.
    Demo {
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// Fill the database with generated organisations (GM9000 and on), for load and scale tests.
    Generate {
        /// Number of organisations (at most 1000).
        #[arg(long)]
        organisations: usize,
        /// Number of yearly programmes per organisation, ending at --last-year (at most 10).
        #[arg(long)]
        years: i64,
        /// Actions in each programme.
        #[arg(long, default_value_t = 45)]
        actions_per_year: usize,
        /// The newest programme year.
        #[arg(long, default_value_t = 2024)]
        last_year: i64,
        /// Organisations written at once, each in its own transaction (useful on PostgreSQL).
        #[arg(long, default_value_t = 1)]
        jobs: usize,
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// Check every adopted (frozen) version: recompute its SHA-256 from the stored content and
    /// print one line per version that does not match; exits non-zero if any does not.
    Verify {
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// Write the council package (raadspakket) of a year: the raadsinformatiebrief with the
    /// evaluation of the year before and the programme of the year. A package of an adopted
    /// programme is built from the adopted version and kept in the database with its SHA-256.
    Render {
        /// Code of the organisation, e.g. GM0400.
        #[arg(long)]
        org: String,
        /// The programme's year, e.g. 2024.
        #[arg(long)]
        year: String,
        /// pdf, odt, docx or html.
        #[arg(long)]
        format: String,
        /// The file to write; `-` writes to standard output.
        #[arg(long)]
        out: std::path::PathBuf,
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// Check how readable a Dutch text is: Flesch-Douma score and band, average sentence length,
    /// long sentences, passive-voice hints and officialese. An indication, not a verdict.
    Leesbaarheid {
        /// The text file; `-` reads standard input.
        file: std::path::PathBuf,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Manage organisations.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
}

#[derive(Subcommand, Debug)]
enum OrgCommand {
    /// Add an organisation (a municipality or omgevingsdienst).
    Add {
        /// Short code, e.g. the CBS municipality code GM0400.
        #[arg(long)]
        code: String,
        /// Name, e.g. "Gemeente Den Helder".
        #[arg(long)]
        name: String,
        /// Place, e.g. "Den Helder".
        #[arg(long)]
        place: String,
        #[command(flatten)]
        db: DatabaseArgs,
    },
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Give an account a new password (read from standard input with --password-stdin,
    /// otherwise generated and printed); its sessions end.
    Password {
        #[arg(long)]
        email: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// Add a user account; the password is read from standard input with --password-stdin,
    /// otherwise generated and printed.
    Add {
        /// Code of the organisation, e.g. GM0400.
        #[arg(long)]
        org: String,
        #[arg(long)]
        email: String,
        /// beheerder, beleidsadviseur, teamlid or lezer.
        #[arg(long)]
        role: String,
        /// Full name; defaults to the part of the e-mail address before the @.
        #[arg(long)]
        name: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: DatabaseArgs,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("koers: kan de runtime niet starten: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(run(cli.command));
    crate::logging::flush();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("koers: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes on one line.
fn one_line(error: &anyhow::Error) -> String {
    error
        .chain()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ")
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    // usvg warns for every chart label whose font family it resolves through typst's or
    // Koers' own font list rather than the system's; the labels are drawn all the same.
    let filter = EnvFilter::try_from_env("KOERS_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,usvg=error"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(crate::logging::stderr())
        // Colour codes only on a terminal, not in a log file.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

async fn open(db: &DatabaseArgs) -> anyhow::Result<Store> {
    let store = Store::connect(&db.database_url).await.with_context(|| {
        format!(
            "kan de database {} niet openen",
            redact_url(&db.database_url)
        )
    })?;
    store
        .migrate()
        .await
        .context("de migraties van de database zijn mislukt")?;
    Ok(store)
}

fn now() -> chrono::DateTime<Utc> {
    Utc::now().trunc_subsecs(0)
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve { db, serve } => {
            // Mail settings first: a wrong CA file stops the start before anything is printed
            // as running or written to the database.
            let mailer = crate::mail::SmtpMailer::from_args(&serve.smtp)?;
            let store = open(&db).await?;
            let organisations = store.organisations().await?;
            if organisations.is_empty() {
                if serve.demo {
                    load_demo(&store).await?;
                } else {
                    print_first_steps(&db.database_url);
                }
            } else if serve.demo {
                println!("De database bevat al gegevens; de demo wordt niet opnieuw geladen.");
            }
            let listener = tokio::net::TcpListener::bind(serve.bind)
                .await
                .with_context(|| format!("kan niet luisteren op {}", serve.bind))?;
            println!(
                "Koers draait op http://{} (database: {})",
                listener.local_addr()?,
                redact_url(&db.database_url)
            );
            let mut state = app::AppState::new(store, serve.secure_cookies);
            state.session_idle_seconds = i64::from(serve.session_idle_minutes) * 60;
            state.client_ip_header = serve.client_ip_header.clone();
            state.public_url = serve
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", serve.bind))
                .into();
            if let Some(mailer) = mailer {
                tracing::info!("reminders of progress rounds go out by mail");
                state.mailer = Some(std::sync::Arc::new(mailer));
            }
            app::serve(listener, state, shutdown_signal()).await
        }
        Command::Migrate { db } => {
            open(&db).await?;
            println!(
                "De database {} is bijgewerkt.",
                redact_url(&db.database_url)
            );
            Ok(())
        }
        Command::Demo { db } => {
            let store = open(&db).await?;
            load_demo(&store).await
        }
        Command::Generate {
            organisations,
            years,
            actions_per_year,
            last_year,
            jobs,
            db,
        } => {
            let options = generate::Options {
                organisations,
                years,
                last_year,
                actions_per_year,
                jobs,
            };
            generate::check(&options).map_err(anyhow::Error::msg)?;
            let store = open(&db).await?;
            let summary = generate::run(&store, &options, now())
                .await
                .context("het genereren is mislukt")?;
            println!(
                "{} organisaties gegenereerd ({}–{}) in {:.1} s: {} programma's, {} acties, \
                 {} voortgangsmeldingen, {} accounts.",
                summary.organisations,
                generate::code(0),
                generate::code(summary.organisations - 1),
                summary.elapsed.as_secs_f64(),
                summary.programmes,
                summary.actions,
                summary.progress_entries,
                summary.users
            );
            println!(
                "Alle accounts hebben het wachtwoord {} (bijvoorbeeld joost.vandijk@{}.example, lezer).",
                summary.password,
                generate::code(0).to_lowercase()
            );
            Ok(())
        }
        Command::Verify { db } => {
            let store = open(&db).await?;
            let (checked, mismatches) = crate::ops::adoption::verify(&store)
                .await
                .map_err(|e| anyhow::anyhow!("de controle is mislukt: {e}"))?;
            for m in &mismatches {
                println!(
                    "KLOPT NIET: {} {} {} versie {}: opgeslagen sha256 {}, berekend {}",
                    m.organisation,
                    m.year,
                    m.kind.code(),
                    m.number,
                    m.stored,
                    m.computed
                );
            }
            if mismatches.is_empty() {
                match checked {
                    0 => println!("Er zijn nog geen vastgestelde versies."),
                    1 => println!("De vastgestelde versie klopt."),
                    n => println!("Alle {n} vastgestelde versies kloppen."),
                }
                Ok(())
            } else {
                let wrong = mismatches.len();
                let verb = if wrong == 1 { "klopt" } else { "kloppen" };
                anyhow::bail!(
                    "{wrong} van de {checked} vastgestelde versies {verb} niet met de SHA-256 die bij de vaststelling is vastgelegd"
                )
            }
        }
        Command::Render {
            org,
            year,
            format,
            out,
            db,
        } => render(&org, &year, &format, &out, &db).await,
        Command::Leesbaarheid { file, json } => crate::readability::run(&file, json),
        Command::Org(OrgCommand::Add {
            code,
            name,
            place,
            db,
        }) => {
            let store = open(&db).await?;
            let code = code.trim().to_uppercase();
            if code.is_empty() || name.trim().is_empty() || place.trim().is_empty() {
                anyhow::bail!("code, naam en plaats mogen niet leeg zijn");
            }
            store
                .create_organisation(&code, name.trim(), place.trim(), false, now())
                .await
                .map_err(user_error)?;
            println!("Organisatie {code} ({}) is toegevoegd.", name.trim());
            println!(
                "Voeg een beheerder toe met: koers user add --org {code} --email NAAM@ORGANISATIE.NL --role beheerder"
            );
            Ok(())
        }
        Command::User(UserCommand::Add {
            org,
            email,
            role,
            name,
            password_stdin,
            db,
        }) => {
            let store = open(&db).await?;
            let organisation = store
                .organisation_by_code(&org.trim().to_uppercase())
                .await?
                .with_context(|| format!("er is geen organisatie met code {org}"))?;
            let role = Rol::from_code(&role).with_context(|| {
                format!("onbekende rol '{role}'; kies beheerder, beleidsadviseur, teamlid of lezer")
            })?;
            let email = email.trim().to_lowercase();
            if !crate::ops::admin::valid_email(&email) {
                anyhow::bail!("'{email}' is geen geldig e-mailadres");
            }
            let name =
                name.unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_string());
            let (password, generated) =
                new_password(password_stdin, &[&email, &name, &organisation.name])?;
            let hash = password::hash(&password)?;
            let actor = Actor {
                organisation_id: organisation.id,
                user_id: None,
                user_name: "koers user add".into(),
                now: now(),
            };
            let user = NewUser {
                email: &email,
                name: &name,
                role,
                subteam_id: None,
                password_hash: &hash,
            };
            store.create_user(&actor, &user).await.map_err(user_error)?;
            println!(
                "Account {email} ({}) is toegevoegd aan {}.",
                role.label(),
                organisation.name
            );
            if generated {
                println!("Wachtwoord: {password}");
            }
            Ok(())
        }
        Command::User(UserCommand::Password {
            email,
            password_stdin,
            db,
        }) => {
            let store = open(&db).await?;
            let email = email.trim().to_lowercase();
            let account = store
                .credentials(&email)
                .await?
                .with_context(|| format!("er is geen account met e-mailadres {email}"))?;
            let (password, generated) = new_password(password_stdin, &[&email])?;
            let actor = Actor {
                organisation_id: account.organisation_id,
                user_id: None,
                user_name: "koers user password".into(),
                now: now(),
            };
            store
                .set_password(&actor, account.id, &password::hash(&password)?)
                .await?;
            println!(
                "Het wachtwoord van {email} is vervangen; de sessies en API-sleutels van dit account \
                 werken niet meer."
            );
            if generated {
                println!("Wachtwoord: {password}");
            }
            Ok(())
        }
    }
}

/// `koers render`: checks the arguments before it opens the database, so a typo costs nothing.
async fn render(
    org: &str,
    year: &str,
    format: &str,
    out: &std::path::Path,
    db: &DatabaseArgs,
) -> anyhow::Result<()> {
    use crate::ops::{OpsError, package};
    use koers_docs::render::Formaat;
    use std::io::Write;
    let formaat = Formaat::from_code(format.trim())
        .with_context(|| format!("onbekend formaat '{format}'; kies pdf, odt, docx of html"))?;
    let year = koers_domain::Jaar::parse(year.trim())
        .map_err(|_| anyhow::anyhow!("'{year}' is geen jaar van 2000 tot en met 2100"))?;
    let store = open(db).await?;
    let organisation = store
        .organisation_by_code(&org.trim().to_uppercase())
        .await?
        .with_context(|| format!("er is geen organisatie met code {org}"))?;
    let requester = package::Requester {
        store: &store,
        organisation: &organisation,
        actor: Actor {
            organisation_id: organisation.id,
            user_id: None,
            user_name: "koers render".into(),
            now: now(),
        },
    };
    let rendered = package::render_as(&requester, year, formaat)
        .await
        .map_err(|e| match e {
            OpsError::Missing(message) | OpsError::Failed(message) => anyhow::anyhow!(message),
            other => anyhow::Error::new(other).context("het raadspakket kon niet worden gemaakt"),
        })?;
    let to_stdout = out.as_os_str() == "-";
    if to_stdout {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(&rendered.bytes)
            .and_then(|()| stdout.flush())
            .context("kan het raadspakket niet naar de standaarduitvoer schrijven")?;
    } else {
        std::fs::write(out, &rendered.bytes)
            .with_context(|| format!("kan {} niet schrijven", out.display()))?;
    }
    // With the file on standard output, what is said about it goes to standard error.
    let report = format!(
        "Raadspakket {year} van {} ({}) geschreven naar {}: {} bytes.\nSHA-256: {}\n{}",
        organisation.name,
        formaat.code(),
        if to_stdout {
            "de standaarduitvoer".to_string()
        } else {
            out.display().to_string()
        },
        rendered.bytes.len(),
        rendered.sha256,
        if rendered.stored {
            "Vastgelegd als het raadspakket van het vastgestelde programma."
        } else {
            "Concept: het programma is nog niet vastgesteld, dus het pakket is niet vastgelegd."
        }
    );
    if to_stdout {
        eprintln!("{report}");
    } else {
        println!("{report}");
    }
    Ok(())
}

/// The password for an account: the first line of stdin (checked for strength) when asked,
/// otherwise a generated one. The flag says whether it was generated, so it must be printed.
fn new_password(from_stdin: bool, personal: &[&str]) -> anyhow::Result<(String, bool)> {
    if !from_stdin {
        return Ok((password::generate(), true));
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("kan het wachtwoord niet lezen")?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    password::check_strength(&password, personal).map_err(anyhow::Error::msg)?;
    Ok((password, false))
}

/// Turns a store refusal into its Dutch message; other errors keep their cause chain.
fn user_error(error: StoreError) -> anyhow::Error {
    match error {
        StoreError::Invalid(errors) => {
            anyhow::anyhow!(
                errors
                    .iter()
                    .map(|e| e.message.clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        }
        other => other.into(),
    }
}

async fn load_demo(store: &Store) -> anyhow::Result<()> {
    if store.organisation_by_code(demo::DEMO_CODE).await?.is_some() {
        anyhow::bail!(
            "de demo-organisatie {} bestaat al in deze database",
            demo::DEMO_CODE
        );
    }
    let accounts = demo::load(store, now())
        .await
        .context("het laden van de demo is mislukt")?;
    println!(
        "De demo-organisatie Gemeente Den Helder ({}) is geladen. Demo-accounts:",
        demo::DEMO_CODE
    );
    for account in accounts {
        println!(
            "  {:<16} {:<36} wachtwoord: {}",
            account.role.label(),
            account.email,
            account.password
        );
    }
    println!("Deze wachtwoorden worden niet opgeslagen en niet opnieuw getoond.");
    Ok(())
}

fn print_first_steps(database_url: &str) {
    let db = if database_url == crate::config::DEFAULT_DATABASE_URL {
        String::new()
    } else {
        format!(" --database-url '{}'", redact_url(database_url))
    };
    println!("De database is nog leeg. Maak eerst een organisatie en een beheerder aan:");
    println!("  koers org add --code GM0000 --name \"Gemeente Voorbeeld\" --place Voorbeeld{db}");
    println!("  koers user add --org GM0000 --email beheer@voorbeeld.nl --role beheerder{db}");
    println!("Of start met demogegevens: koers serve --demo");
}

/// Stops on Ctrl-C and on SIGTERM (what systemd and container runtimes send), letting requests
/// in flight finish.
async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
    println!("Koers stopt.");
}
