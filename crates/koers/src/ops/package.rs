//! The council package (raadspakket) of a year: the raadsinformatiebrief with the evaluation of
//! the year before (bijlage 1) and the programme of the year (bijlage 2), as a file.
//!
//! [`invoer`] gathers what `koers_docs` needs. An adopted programme is taken from its newest
//! frozen version and an adopted evaluation from its own, so the package of an adopted year says
//! exactly what the college adopted, whatever changed since; a year not yet adopted is built
//! from the living data in the same JSON shape ([`adoption::programme_content`] and
//! [`adoption::evaluation_content`]) and is a concept. [`render`] builds and renders the
//! package; a package of an adopted programme is kept in `council_packages` with its SHA-256,
//! once per format and hash. Any role may see and download a package.

use super::adoption;
use super::{Ctx, OpsError};
use koers_docs::invoer::{
    BriefGegevens, Evaluatie, Opgave, Organisatie, PakketInvoer, Plan, Programma, Themagroep,
};
use koers_docs::model::Pakket;
use koers_docs::render::Formaat;
use koers_domain::Jaar;
use koers_domain::readability::{Analysis, analyse};
use koers_store::accounts::Organisation;
use koers_store::adoption::{Document, FrozenVersion, sha256_hex};
use koers_store::catalog::Kind;
use koers_store::council_packages::{CouncilPackage, NewCouncilPackage};
use koers_store::programmes::Programme;
use koers_store::{Actor, Store};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Who asks for a package: the organisation, and the name a kept package is recorded under.
/// Pages and the API ask as the signed-in user; the command line asks as itself.
pub struct Requester<'a> {
    pub store: &'a Store,
    pub organisation: &'a Organisation,
    pub actor: Actor,
}

impl<'a> From<&'a Ctx> for Requester<'a> {
    fn from(ctx: &'a Ctx) -> Self {
        Self {
            store: &ctx.store,
            organisation: &ctx.organisation,
            actor: ctx.actor(),
        }
    }
}

/// What a package is built from, besides its input.
#[derive(Debug, Clone)]
pub struct Sources {
    pub programme: Programme,
    /// The frozen programme version, when the programme is adopted; `None`: the living
    /// programme, a concept.
    pub programme_version: Option<FrozenVersion>,
    /// Whether the package holds an evaluation of the year before at all.
    pub has_evaluation: bool,
    /// The frozen evaluation version of the year before, when that evaluation is adopted.
    pub evaluation_version: Option<FrozenVersion>,
}

/// The input of a package and where it came from.
#[derive(Debug, Clone)]
pub struct Gathered {
    pub invoer: PakketInvoer,
    pub sources: Sources,
}

/// A rendered package, as a download.
#[derive(Debug, Clone)]
pub struct RenderedPackage {
    pub bytes: Vec<u8>,
    pub sha256: String,
    /// Whether the file is kept as the package of the adopted programme (now or before).
    pub stored: bool,
    /// "raadspakket-GM0400-2024.pdf": built from the organisation's code and the year only.
    pub filename: String,
    pub mime: &'static str,
}

/// The readability indication of one document of the package.
pub struct DocumentReadability {
    /// "Raadsinformatiebrief", "Bijlage 1: Evaluatie …".
    pub name: String,
    pub analysis: Analysis,
}

/// Everything the package page shows.
pub struct PackageView {
    pub sources: Sources,
    pub letter_number: String,
    pub letter_date: Option<chrono::NaiveDate>,
    pub pakket: Pakket,
    pub readability: Vec<DocumentReadability>,
    pub stored: Vec<CouncilPackage>,
}

/// The input of the package of `year` for the signed-in user's organisation.
pub async fn invoer(ctx: &Ctx, year: Jaar) -> Result<PakketInvoer, OpsError> {
    Ok(gather(&ctx.into(), year).await?.invoer)
}

/// Gathers the input of the package of `year`. A year without a programme is
/// [`OpsError::Missing`] with a sentence that says so.
pub async fn gather(requester: &Requester<'_>, year: Jaar) -> Result<Gathered, OpsError> {
    let store = requester.store;
    let org = requester.organisation.id;
    let programme = store
        .programme(org, year)
        .await?
        .ok_or_else(|| OpsError::Missing(format!("Er is geen programma voor {year}.")))?;
    let (programma, programme_version) = programme_of(store, org, &programme).await?;
    let previous = match Jaar::new(programme.year - 1) {
        Ok(previous) => store.programme(org, previous).await?,
        Err(_) => None,
    };
    let (evaluatie, evaluation_version) = match &previous {
        Some(previous) => {
            let (evaluatie, version) = evaluation_of(store, org, previous).await?;
            (Some(evaluatie), version)
        }
        None => (None, None),
    };
    let (organisatie, sjabloon, geadresseerde) = organisation_and_template(requester).await?;
    let plan = plan_of(store, org, &programma).await?;
    let invoer = PakketInvoer {
        organisatie,
        brief: BriefGegevens {
            nummer: programme.council_letter_number.clone(),
            datum: programme.council_letter_date,
            geadresseerde,
            besluitdatum: programme.decided_on,
        },
        sjabloon,
        plan,
        doorgeschoven: programma
            .acties
            .iter()
            .filter(|a| a.voorganger.is_some())
            .count(),
        programma,
        evaluatie,
    };
    Ok(Gathered {
        invoer,
        sources: Sources {
            programme,
            programme_version,
            has_evaluation: previous.is_some(),
            evaluation_version,
        },
    })
}

/// The organisation with its house style, the letter's template and its addressee, as the
/// organisation stored them (`Store::house_style` gives the defaults where it stored none; no
/// template stored means Koers' standard wording).
async fn organisation_and_template(
    requester: &Requester<'_>,
) -> Result<(Organisatie, String, String), OpsError> {
    let organisation = requester.organisation;
    let style = requester.store.house_style(organisation.id).await?;
    let sjabloon = requester
        .store
        .letter_template(organisation.id)
        .await?
        .map_or_else(
            || koers_docs::sjabloon::STANDAARD.to_string(),
            |(text, _)| text,
        );
    Ok((
        super::house_style::organisatie(&style, organisation),
        sjabloon,
        style.addressee,
    ))
}

/// The programme as adopted (its newest frozen version) when it is adopted, otherwise as it
/// stands.
async fn programme_of(
    store: &Store,
    org: i64,
    programme: &Programme,
) -> Result<(Programma, Option<FrozenVersion>), OpsError> {
    if programme.status.is_adopted()
        && let Some(version) = newest(store, org, programme, Document::Programma).await?
    {
        return Ok((from_content(&version.content)?, Some(version)));
    }
    let contents = store.programme_contents(org, programme).await?;
    let content = adoption::programme_content(programme, &contents);
    Ok((from_value(content)?, None))
}

/// The evaluation of `programme` as adopted when it is, otherwise as it stands.
async fn evaluation_of(
    store: &Store,
    org: i64,
    programme: &Programme,
) -> Result<(Evaluatie, Option<FrozenVersion>), OpsError> {
    let state = store
        .adoption_state(org, programme.id, Document::Evaluatie)
        .await?;
    if state.status.is_adopted()
        && let Some(version) = newest(store, org, programme, Document::Evaluatie).await?
    {
        return Ok((from_content(&version.content)?, Some(version)));
    }
    let contents = store.programme_contents(org, programme).await?;
    let record = store.evaluation_record(org, programme.id).await?;
    let previous = store.previous_evaluation_record(org, programme).await?;
    let content = adoption::evaluation_content(programme, &contents, &record, previous.as_ref());
    Ok((from_value(content)?, None))
}

async fn newest(
    store: &Store,
    org: i64,
    programme: &Programme,
    document: Document,
) -> Result<Option<FrozenVersion>, OpsError> {
    Ok(store
        .frozen_versions(org, programme.id)
        .await?
        .into_iter()
        .filter(|v| v.kind == document)
        .max_by_key(|v| v.number))
}

fn from_content<T: DeserializeOwned>(content: &str) -> Result<T, OpsError> {
    let value: Value = serde_json::from_str(content)
        .map_err(|e| OpsError::Internal(anyhow::anyhow!("frozen version is no JSON: {e}")))?;
    from_value(value)
}

/// Reads canonical content into the documents' input. The content names what an action refers
/// to as `{"id": …, "naam": …}` (the id ties it to the catalogue); a document only prints the
/// name, so each such reference becomes its name first.
fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, OpsError> {
    serde_json::from_value(names_only(value)).map_err(|e| {
        OpsError::Internal(anyhow::anyhow!(
            "content does not fit the package input: {e}"
        ))
    })
}

fn names_only(value: Value) -> Value {
    match value {
        Value::Object(map) if map.contains_key("id") && map.contains_key("naam") => {
            map.get("naam").cloned().unwrap_or(Value::Null)
        }
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| (key, names_only(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(names_only).collect()),
        other => other,
    }
}

/// The plan: its title and period, its active themes in their groups in the plan's order, and
/// every opgave with whether the organisation joins it in the programme's year (as the
/// programme, frozen or living, records it).
async fn plan_of(store: &Store, org: i64, programma: &Programma) -> Result<Plan, OpsError> {
    let plan = store.plan(org).await?;
    let domains = store.items(org, Kind::Domain).await?;
    let themes = store.items(org, Kind::Theme).await?;
    let opgaven = store.items(org, Kind::Opgave).await?;
    let themagroepen = domains
        .iter()
        .filter(|d| !d.retired)
        .map(|domain| Themagroep {
            naam: domain.name.clone(),
            themas: themes
                .iter()
                .filter(|t| t.parent_id == Some(domain.id) && !t.retired)
                .map(|t| t.name.clone())
                .collect(),
        })
        .filter(|g| !g.themas.is_empty())
        .collect();
    let opgaven = opgaven
        .iter()
        .map(|o| Opgave {
            naam: o.name.clone(),
            deelname: programma.opgaven.contains(&o.name),
        })
        .filter(|o| o.deelname || !opgaven.iter().any(|i| i.name == o.naam && i.retired))
        .collect();
    let year = programma.jaar;
    Ok(match plan {
        Some(plan) => Plan {
            titel: plan.title,
            van: i32::try_from(plan.start_year).unwrap_or(year),
            tot: i32::try_from(plan.end_year).unwrap_or(year),
            themagroepen,
            opgaven,
        },
        None => Plan {
            titel: String::new(),
            van: year,
            tot: year,
            themagroepen,
            opgaven,
        },
    })
}

fn built(invoer: &PakketInvoer) -> Result<Pakket, OpsError> {
    koers_docs::bouw::pakket(invoer)
        .map_err(|e| OpsError::Failed(format!("Het raadspakket kon niet worden samengesteld. {e}")))
}

/// The package page: what the package holds, where it comes from, how readable each document
/// is, and the kept files.
pub async fn view(ctx: &Ctx, year: Jaar) -> Result<PackageView, OpsError> {
    let gathered = gather(&ctx.into(), year).await?;
    let pakket = built(&gathered.invoer)?;
    let readability = pakket
        .documenten
        .iter()
        .map(|d| DocumentReadability {
            name: if d.label.is_empty() {
                d.titel.clone()
            } else {
                format!("{}: {}", d.label, d.titel)
            },
            analysis: analyse(&d.leestekst()),
        })
        .collect();
    let stored = ctx
        .store
        .council_packages(ctx.org(), gathered.sources.programme.id)
        .await?;
    Ok(PackageView {
        letter_number: gathered.invoer.brief.nummer.clone(),
        letter_date: gathered.invoer.brief.datum,
        sources: gathered.sources,
        pakket,
        readability,
        stored,
    })
}

/// Renders the package of `year` in `formaat` for the signed-in user.
pub async fn render(ctx: &Ctx, year: Jaar, formaat: Formaat) -> Result<RenderedPackage, OpsError> {
    render_as(&ctx.into(), year, formaat).await
}

/// Renders the package of `year`; when the programme is adopted the file is kept (once per
/// format and SHA-256), recorded under the requester's name.
pub async fn render_as(
    requester: &Requester<'_>,
    year: Jaar,
    formaat: Formaat,
) -> Result<RenderedPackage, OpsError> {
    let gathered = gather(requester, year).await?;
    let pakket = built(&gathered.invoer)?;
    // typst takes a while and holds the thread: off the async executor, and outside any
    // transaction, so no writer waits for it.
    let bytes = tokio::task::spawn_blocking(move || koers_docs::render::render(&pakket, formaat))
        .await
        .map_err(|e| OpsError::Internal(anyhow::anyhow!("render task: {e}")))?
        .map_err(|e| {
            OpsError::Failed(format!(
                "Het raadspakket kon niet als {} worden gemaakt. {e}",
                formaat.code().to_uppercase()
            ))
        })?;
    if bytes.is_empty() {
        return Err(OpsError::Failed(format!(
            "Het raadspakket kon niet als {} worden gemaakt: het bestand bleef leeg.",
            formaat.code().to_uppercase()
        )));
    }
    let sha256 = sha256_hex(&bytes);
    let stored = match &gathered.sources.programme_version {
        Some(version) => {
            let mut tx = requester.store.begin().await?;
            tx.keep_council_package(
                &requester.actor,
                &NewCouncilPackage {
                    programme_id: gathered.sources.programme.id,
                    format: formaat.code(),
                    bytes: &bytes,
                    programme_version: version.number,
                    evaluation_version: gathered
                        .sources
                        .evaluation_version
                        .as_ref()
                        .map(|v| v.number),
                },
            )
            .await?;
            tx.commit().await?;
            true
        }
        None => false,
    };
    Ok(RenderedPackage {
        filename: filename(&requester.organisation.code, year, formaat, None),
        mime: formaat.mime(),
        bytes,
        sha256,
        stored,
    })
}

/// The kept packages of `year`, newest first.
pub async fn stored(ctx: &Ctx, year: Jaar) -> Result<Vec<CouncilPackage>, OpsError> {
    let programme = ctx
        .store
        .programme(ctx.org(), year)
        .await?
        .ok_or_else(|| OpsError::Missing(format!("Er is geen programma voor {year}.")))?;
    Ok(ctx.store.council_packages(ctx.org(), programme.id).await?)
}

/// One kept package of `year` as a download; an id of another year or organisation, or one
/// that cannot be an id, is not found.
pub async fn stored_file(ctx: &Ctx, year: Jaar, id: &str) -> Result<RenderedPackage, OpsError> {
    let id = koers_domain::action::parse_id(id).ok_or(OpsError::NotFound)?;
    let (package, bytes) = ctx
        .store
        .council_package(ctx.org(), id)
        .await?
        .filter(|(p, _)| p.year == i64::from(year))
        .ok_or(OpsError::NotFound)?;
    let formaat = Formaat::from_code(&package.format).ok_or_else(|| {
        OpsError::Internal(anyhow::anyhow!("unknown stored format {}", package.format))
    })?;
    Ok(RenderedPackage {
        filename: filename(&ctx.organisation.code, year, formaat, Some(&package.sha256)),
        mime: formaat.mime(),
        sha256: package.sha256,
        stored: true,
        bytes,
    })
}

/// "raadspakket-GM0400-2024.pdf", or with the first characters of the hash for a kept file.
/// Built from the organisation's code and the year only, and of the code only letters, digits
/// and hyphens, so the name is safe in a Content-Disposition header and on every file system.
pub fn filename(code: &str, year: Jaar, formaat: Formaat, sha256: Option<&str>) -> String {
    let code: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(20)
        .collect();
    let hash = sha256.map_or_else(String::new, |h| format!("-{}", &h[..h.len().min(12)]));
    format!("raadspakket-{code}-{year}{hash}.{}", formaat.code())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_become_their_names() {
        let value = json!({
            "thema": { "id": 3, "naam": "Ondermijning", "nummer": "IV 2" },
            "partners": [{ "id": 1, "naam": "Politie" }],
            "voorganger": { "jaar": 2023, "code": "IV1-01" },
            "ambitie": null,
        });
        assert_eq!(
            names_only(value),
            json!({
                "thema": "Ondermijning",
                "partners": ["Politie"],
                "voorganger": { "jaar": 2023, "code": "IV1-01" },
                "ambitie": null,
            })
        );
    }

    #[test]
    fn file_names_hold_only_the_code_year_and_format() {
        let year = Jaar::new(2024).unwrap();
        assert_eq!(
            filename("GM0400", year, Formaat::Pdf, None),
            "raadspakket-GM0400-2024.pdf"
        );
        assert_eq!(
            filename(
                "GM\"04\r\n00;x=/..",
                year,
                Formaat::Docx,
                Some("abcdef0123456789")
            ),
            "raadspakket-GM0400x-2024-abcdef012345.docx"
        );
    }
}
