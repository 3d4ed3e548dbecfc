//! Adoption of a programme and of its evaluation: the steps to the college and the council, the
//! frozen version of what the college adopted, what changed since, and `koers verify`.
//!
//! **Canonical content.** A frozen version is a JSON document built by [`programme_content`] or
//! [`evaluation_content`] from reads inside the step's own transaction, so it holds exactly what
//! was committed. It is written by [`canonical_json`]: object keys sorted by their UTF-8 bytes
//! (done here, not left to serde_json's map type), no whitespace, strings escaped as serde_json
//! escapes them, integers only (no floats). The same value therefore always gives the same bytes,
//! and the stored SHA-256 is the hash of those bytes. Names (of themes, subteams, partners,
//! opgaven) are copied in as they were that day, so renaming an item later does not change what
//! was adopted.

use super::{Ctx, OpsError};
use crate::ops::actions::numbered_themes;
use chrono::NaiveDate;
use koers_domain::adoption::{BesluitInvoer, RaadsbriefInvoer};
use koers_domain::{FieldErrors, GeevalueerdeActie, Jaar, Kengetallen, Stap, Telling, Uitkomst};
use koers_store::adoption::{
    AdoptionState, Document, FrozenVersion, ProgrammeContents, StepData, sha256_hex,
};
use koers_store::catalog::Item;
use koers_store::evaluation::EvaluationRecord;
use koers_store::programmes::Programme;
use koers_store::{Actor, Store, Tx};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Writes `value` as canonical JSON: keys sorted, no whitespace. See the module documentation.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (key, value)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(value, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

fn name_of(items: &[Item], id: i64) -> Value {
    let name = items
        .iter()
        .find(|i| i.id == id)
        .map_or_else(String::new, |i| i.name.clone());
    json!({ "id": id, "naam": name })
}

fn theme_of(c: &ProgrammeContents, id: i64) -> Value {
    let numbered = numbered_themes(&c.domains, &c.themes);
    match numbered.into_iter().find(|(_, _, t)| t.id == id) {
        Some((domain, number, theme)) => json!({
            "id": id,
            "naam": theme.name,
            "nummer": if theme.retired { String::new() } else { format!("{domain} {number}") },
        }),
        None => json!({ "id": id, "naam": "", "nummer": "" }),
    }
}

fn linked(pairs: &[(i64, i64)], action: i64, items: &[Item]) -> Value {
    Value::Array(
        pairs
            .iter()
            .filter(|(a, _)| *a == action)
            .map(|(_, id)| name_of(items, *id))
            .collect(),
    )
}

/// The canonical content of a programme as it stands: every action with every field and the
/// names of what it refers to, and the figures of the plan (actions and planned hours per theme
/// and in total; the subteams' FTE and the opgaven of that year). Progress during the year is
/// kept apart under `voortgang`, so that the comparison with the adopted version can leave it out.
pub fn programme_content(programme: &Programme, c: &ProgrammeContents) -> Value {
    let actions: Vec<Value> = c
        .actions
        .iter()
        .map(|a| {
            let predecessor = c.predecessors.iter().find(|(id, _, _)| *id == a.id).map_or(
                Value::Null,
                |(_, year, code)| json!({ "jaar": year, "code": code }),
            );
            json!({
                "code": a.code,
                "titel": a.title,
                "beschrijving": a.description,
                "beoogdResultaat": a.intended_result,
                "thema": theme_of(c, a.theme_id),
                "ambitie": a.ambition_id.map_or(Value::Null, |id| name_of(&c.ambitions, id)),
                "trekker": name_of(&c.subteams, a.lead_subteam_id),
                "bijdragendeSubteams": linked(&c.contributors, a.id, &c.subteams),
                "partners": linked(&c.partners, a.id, &c.partner_items),
                "opgaven": linked(&c.opgaven, a.id, &c.opgave_items),
                "kwartalen": a.quarters.numbers(),
                "geplandeUren": a.planned_hours,
                "prioriteit": a.priority.code(),
                "herkomst": a.origin.code(),
                "voorganger": predecessor,
                "voortgang": {
                    "status": a.status.code(),
                    "bestedeUren": a.hours_spent,
                    "laatsteMelding": a.last_progress_on,
                },
            })
        })
        .collect();
    let mut per_theme: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for a in &c.actions {
        let entry = per_theme.entry(a.theme_id).or_default();
        entry.0 += 1;
        entry.1 += a.planned_hours;
    }
    json!({
        "soort": Document::Programma.code(),
        "jaar": programme.year,
        "titel": programme.title,
        "acties": actions,
        "kengetallen": {
            "acties": c.actions.len(),
            "geplandeUren": c.actions.iter().map(|a| a.planned_hours).sum::<i64>(),
            "perThema": per_theme.iter().map(|(theme, (n, hours))| json!({
                "thema": theme_of(c, *theme),
                "acties": n,
                "geplandeUren": hours,
            })).collect::<Vec<_>>(),
            "formatie": c.capacity.iter().map(|(subteam, fte)| json!({
                "subteam": name_of(&c.subteams, *subteam),
                "fteHonderdsten": fte.hundredths(),
            })).collect::<Vec<_>>(),
        },
        "opgaven": c.participation.iter().map(|id| name_of(&c.opgave_items, *id)).collect::<Vec<_>>(),
    })
}

fn telling(t: &Telling) -> Value {
    let by_outcome: serde_json::Map<String, Value> = Uitkomst::ALL
        .iter()
        .map(|u| (u.code().to_string(), json!(t.count(*u))))
        .collect();
    json!({
        "acties": t.actions,
        "perUitkomst": by_outcome,
        "nietGeevalueerd": t.unevaluated,
        "geplandeUren": t.planned_hours,
        "bestedeUren": t.spent_hours,
        "procentGerealiseerd": t.percent_realised(),
        "procentGeevalueerd": t.percent_evaluated(),
        "procentUrenBesteed": t.percent_hours_spent(),
    })
}

/// The actions of a programme as the evaluation figures see them.
pub fn evaluated_actions(
    c: &ProgrammeContents,
    record: &EvaluationRecord,
) -> Vec<GeevalueerdeActie> {
    c.actions
        .iter()
        .map(|a| GeevalueerdeActie {
            theme_id: a.theme_id,
            lead_subteam_id: a.lead_subteam_id,
            planned_hours: a.planned_hours,
            spent_hours: a.hours_spent,
            outcome: record
                .actions
                .iter()
                .find(|e| e.action_id == a.id)
                .map(|e| e.outcome),
        })
        .collect()
}

/// Codes of the actions that have no outcome yet.
pub fn unevaluated_codes(c: &ProgrammeContents, record: &EvaluationRecord) -> Vec<String> {
    c.actions
        .iter()
        .filter(|a| !record.actions.iter().any(|e| e.action_id == a.id))
        .map(|a| a.code.clone())
        .collect()
}

/// Names the codes for a sentence: all of them up to twelve, otherwise the first ten and how
/// many more ("IV1-05, IV1-07, … en nog 31 andere").
pub fn named(codes: &[String]) -> String {
    if codes.len() <= 12 {
        codes.join(", ")
    } else {
        format!(
            "{} en nog {} andere",
            codes[..10].join(", "),
            codes.len() - 10
        )
    }
}

/// The canonical content of an evaluation: the texts, every action's outcome, theme
/// conclusions, attention points (this year's, and how last year's went) and the figures of
/// [`Kengetallen::of`].
pub fn evaluation_content(
    programme: &Programme,
    c: &ProgrammeContents,
    record: &EvaluationRecord,
    previous: Option<&EvaluationRecord>,
) -> Value {
    let actions: Vec<Value> = c
        .actions
        .iter()
        .map(|a| {
            let evaluation = record.actions.iter().find(|e| e.action_id == a.id);
            json!({
                "code": a.code,
                "titel": a.title,
                "beoogdResultaat": a.intended_result,
                "thema": theme_of(c, a.theme_id),
                "trekker": name_of(&c.subteams, a.lead_subteam_id),
                "uitkomst": evaluation.map(|e| e.outcome.code()),
                "reden": evaluation.map_or("", |e| e.reason.as_str()),
                "bereikt": evaluation.map_or("", |e| e.achieved.as_str()),
                "les": evaluation.map_or("", |e| e.lesson.as_str()),
                "geplandeUren": a.planned_hours,
                "bestedeUren": a.hours_spent,
            })
        })
        .collect();
    let figures = Kengetallen::of(&evaluated_actions(c, record));
    let fte = |subteam: i64| {
        c.capacity
            .iter()
            .find(|(s, _)| *s == subteam)
            .map(|(_, f)| f.hundredths())
    };
    let texts = record.evaluation.as_ref();
    json!({
        "soort": Document::Evaluatie.code(),
        "jaar": programme.year,
        "titel": programme.title,
        "conclusies": texts.map_or("", |e| e.conclusions.as_str()),
        "trendsEnOntwikkelingen": texts.map_or("", |e| e.trends.as_str()),
        "acties": actions,
        "themaConclusies": record.themes.iter().map(|t| json!({
            "thema": theme_of(c, t.theme_id),
            "conclusie": t.conclusion,
        })).collect::<Vec<_>>(),
        "aandachtspunten": record.attention_points.iter().map(|p| json!({
            "positie": p.position,
            "tekst": p.text,
        })).collect::<Vec<_>>(),
        "aandachtspuntenVorigJaar": previous.map(|r| r.attention_points.iter().map(|p| json!({
            "tekst": p.text,
            "hoeGingHet": p.follow_up,
        })).collect::<Vec<_>>()).unwrap_or_default(),
        "kengetallen": {
            "totaal": telling(&figures.total),
            "perThema": figures.per_theme.iter().map(|(theme, t)| json!({
                "thema": theme_of(c, *theme),
                "telling": telling(t),
            })).collect::<Vec<_>>(),
            "perSubteam": figures.per_subteam.iter().map(|(subteam, t)| json!({
                "subteam": name_of(&c.subteams, *subteam),
                "fteHonderdsten": fte(*subteam),
                "telling": telling(t),
            })).collect::<Vec<_>>(),
        },
    })
}

/// One field of an action that differs from the adopted version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub label: &'static str,
    pub old: String,
    pub new: String,
}

/// An action as the comparison names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionChange {
    pub code: String,
    pub title: String,
    /// Empty for an added or removed action.
    pub fields: Vec<FieldChange>,
}

/// What changed in a programme since its adopted version, by action code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<ActionChange>,
    pub removed: Vec<ActionChange>,
    pub changed: Vec<ActionChange>,
    /// The programme's own fields (its title).
    pub programme: Vec<FieldChange>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.programme.is_empty()
    }

    /// "3 acties toegevoegd, 1 gewijzigd".
    pub fn summary(&self) -> String {
        let actions = |n: usize| if n == 1 { "actie" } else { "acties" };
        let mut parts = Vec::new();
        for (n, what) in [
            (self.added.len(), "toegevoegd"),
            (self.removed.len(), "verwijderd"),
            (self.changed.len(), "gewijzigd"),
        ] {
            if n > 0 {
                if parts.is_empty() {
                    parts.push(format!("{n} {} {what}", actions(n)));
                } else {
                    parts.push(format!("{n} {what}"));
                }
            }
        }
        if !self.programme.is_empty() {
            parts.push("de titel van het programma gewijzigd".into());
        }
        if parts.is_empty() {
            "geen wijzigingen".into()
        } else {
            parts.join(", ")
        }
    }
}

/// The fields of an action the comparison looks at, with their labels. Progress (`voortgang`)
/// is left out: it is expected to change during the year.
const COMPARED: [(&str, &str); 14] = [
    ("code", "Code"),
    ("titel", "Titel"),
    ("beschrijving", "Beschrijving"),
    ("beoogdResultaat", "Beoogd resultaat"),
    ("thema", "Thema"),
    ("ambitie", "Ambitie"),
    ("trekker", "Trekker (subteam)"),
    ("bijdragendeSubteams", "Bijdragende subteams"),
    ("partners", "Externe partners"),
    ("opgaven", "Opgaven"),
    ("kwartalen", "Kwartalen"),
    ("geplandeUren", "Geplande uren"),
    ("prioriteit", "Prioriteit"),
    ("herkomst", "Herkomst"),
];

/// A value of the content in words: names for references, lists joined, "—" for nothing.
fn readable(key: &str, value: Option<&Value>) -> String {
    let Some(value) = value else {
        return "—".into();
    };
    let text =
        match value {
            Value::Null => String::new(),
            Value::String(s) => match key {
                "prioriteit" => koers_domain::Prioriteit::from_code(s)
                    .map_or(s.clone(), |p| p.label().to_string()),
                "herkomst" => koers_domain::Herkomst::from_code(s)
                    .map_or(s.clone(), |h| h.label().to_string()),
                _ => s.clone(),
            },
            Value::Object(map) if map.contains_key("naam") => {
                let name = map.get("naam").and_then(Value::as_str).unwrap_or_default();
                match map.get("nummer").and_then(Value::as_str) {
                    Some(number) if !number.is_empty() => format!("{number}. {name}"),
                    _ => name.to_string(),
                }
            }
            Value::Object(map) => match (map.get("jaar"), map.get("code")) {
                (Some(year), Some(Value::String(code))) => format!("{code} ({year})"),
                _ => value.to_string(),
            },
            Value::Array(items) => items
                .iter()
                .map(|i| readable("", Some(i)))
                .collect::<Vec<_>>()
                .join(", "),
            other => other.to_string(),
        };
    if text.is_empty() { "—".into() } else { text }
}

fn action_list(content: &Value) -> Vec<&serde_json::Map<String, Value>> {
    content
        .get("acties")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_object).collect())
        .unwrap_or_default()
}

fn text_of(map: &serde_json::Map<String, Value>, key: &str) -> String {
    map.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn find<'a>(
    list: &[&'a serde_json::Map<String, Value>],
    code: &str,
) -> Option<&'a serde_json::Map<String, Value>> {
    list.iter()
        .find(|a| a.get("code").and_then(Value::as_str) == Some(code))
        .copied()
}

/// Compares the current content of a programme with an adopted one, action by action (matched
/// by code) and field by field. A renamed item shows up as a changed field, since the adopted
/// content holds the name as it was.
pub fn changes(adopted: &Value, current: &Value) -> Changes {
    let old = action_list(adopted);
    let new = action_list(current);
    let mut result = Changes::default();
    for action in &new {
        let code = text_of(action, "code");
        match find(&old, &code) {
            None => result.added.push(ActionChange {
                title: text_of(action, "titel"),
                code,
                fields: Vec::new(),
            }),
            Some(before) => {
                let fields: Vec<FieldChange> = COMPARED
                    .iter()
                    .filter(|(key, _)| before.get(*key) != action.get(*key))
                    .map(|(key, label)| FieldChange {
                        label,
                        old: readable(key, before.get(*key)),
                        new: readable(key, action.get(*key)),
                    })
                    // Two values that read the same (an id changed behind one name) are no
                    // change to a reader.
                    .filter(|f| f.old != f.new)
                    .collect();
                if !fields.is_empty() {
                    result.changed.push(ActionChange {
                        title: text_of(action, "titel"),
                        code,
                        fields,
                    });
                }
            }
        }
    }
    for action in &old {
        let code = text_of(action, "code");
        if find(&new, &code).is_none() {
            result.removed.push(ActionChange {
                title: text_of(action, "titel"),
                code,
                fields: Vec::new(),
            });
        }
    }
    if adopted.get("titel") != current.get("titel") {
        result.programme.push(FieldChange {
            label: "Titel van het programma",
            old: readable("titel", adopted.get("titel")),
            new: readable("titel", current.get("titel")),
        });
    }
    result
}

/// What a user sent to take a step: the step, the version they saw, and the decision or letter.
#[derive(Debug, Clone, Default)]
pub struct StapInvoer {
    pub step: String,
    pub besluit: BesluitInvoer,
    pub brief: RaadsbriefInvoer,
}

/// Takes a step inside `tx`: checks the step against the status, validates the decision or
/// letter against `today`, refuses to adopt an evaluation with actions still unevaluated, and at
/// *vastgesteld* builds the canonical content from reads in this same transaction. With
/// `expected_version` `None` the current version is taken (for loading the demo). Role checks
/// are the caller's. Field errors are keyed `stap`, `decided_on`, `decision_reference`,
/// `letter_number` and `letter_date`.
#[expect(
    clippy::too_many_arguments,
    reason = "the parts of one step, usable without a request (the demo)"
)]
pub async fn take_step_in(
    tx: &mut Tx,
    actor: &Actor,
    today: NaiveDate,
    year: Jaar,
    document: Document,
    expected_version: Option<i64>,
    step: Stap,
    input: &StapInvoer,
) -> Result<Option<FrozenVersion>, OpsError> {
    let org = actor.organisation_id;
    let programme = tx
        .programme_of_year(org, i64::from(year))
        .await?
        .ok_or(OpsError::NotFound)?;
    let state = tx.adoption_state(org, programme.id, document).await?;
    let expected = expected_version.unwrap_or(state.version);
    if expected != state.version {
        return Err(OpsError::Conflict {
            current: state.version,
        });
    }
    if state.status.after(step).is_none() {
        return Err(FieldErrors::single(
            "stap",
            format!(
                "Deze stap kan nu niet: de {} staat op '{}'.",
                document.label().to_lowercase(),
                state.status.label().to_lowercase()
            ),
        )
        .into());
    }
    // An evaluation goes to the college only when every action has an outcome.
    if document == Document::Evaluatie
        && matches!(step, Stap::AanbiedenTerVaststelling | Stap::Vaststellen)
    {
        let contents = tx.programme_contents(org, &programme).await?;
        let record = tx.evaluation_record(org, programme.id).await?;
        let missing = unevaluated_codes(&contents, &record);
        if !missing.is_empty() {
            return Err(FieldErrors::single(
                "stap",
                format!(
                    "Nog niet geëvalueerd: {}. Geef eerst van elke actie de uitkomst.",
                    named(&missing)
                ),
            )
            .into());
        }
    }
    let frozen = match step {
        Stap::Vaststellen => {
            let besluit = input.besluit.validate(today)?;
            let contents = tx.programme_contents(org, &programme).await?;
            let content = match document {
                Document::Programma => programme_content(&programme, &contents),
                Document::Evaluatie => {
                    let record = tx.evaluation_record(org, programme.id).await?;
                    let previous = tx.previous_evaluation_record(org, &programme).await?;
                    evaluation_content(&programme, &contents, &record, previous.as_ref())
                }
            };
            let content = canonical_json(&content);
            let data = StepData::Besluit {
                besluit: &besluit,
                content: &content,
            };
            tx.take_adoption_step(actor, &programme, document, expected, step, data)
                .await?
        }
        Stap::AanDeRaad => {
            let Some(decided_on) = state.decided_on else {
                return Err(FieldErrors::single(
                    "stap",
                    "Er is nog geen collegebesluit vastgelegd.",
                )
                .into());
            };
            let brief = input.brief.validate(today, decided_on)?;
            tx.take_adoption_step(
                actor,
                &programme,
                document,
                expected,
                step,
                StepData::Raadsbrief(&brief),
            )
            .await?
        }
        Stap::AanbiedenTerVaststelling | Stap::TerugNaarConcept => {
            tx.take_adoption_step(
                actor,
                &programme,
                document,
                expected,
                step,
                StepData::Nothing,
            )
            .await?
        }
    };
    Ok(frozen)
}

/// The document named in a URL.
pub fn document(code: &str) -> Result<Document, OpsError> {
    Document::from_code(code).ok_or(OpsError::NotFound)
}

/// Takes a step for the programme of `year` or its evaluation, as the signed-in user (a
/// beleidsadviseur or beheerder). Returns the new status.
pub async fn take_step(
    ctx: &Ctx,
    year: Jaar,
    document: Document,
    expected_version: i64,
    input: &StapInvoer,
) -> Result<Option<FrozenVersion>, OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    let step = Stap::from_code(&input.step)
        .ok_or_else(|| FieldErrors::single("stap", "Kies een van de stappen op deze pagina."))?;
    let mut tx = ctx.store.begin().await?;
    let frozen = take_step_in(
        &mut tx,
        &ctx.actor(),
        ctx.today(),
        year,
        document,
        Some(expected_version),
        step,
        input,
    )
    .await?;
    tx.commit().await?;
    Ok(frozen)
}

/// Everything the adoption page shows.
pub struct AdoptionView {
    pub programme: Programme,
    pub programme_state: AdoptionState,
    pub evaluation_state: AdoptionState,
    /// Both documents, by kind then number.
    pub versions: Vec<FrozenVersion>,
    /// What changed since the newest adopted programme version, with that version.
    pub changes: Option<(FrozenVersion, Changes)>,
    /// Codes of actions without an outcome.
    pub unevaluated: Vec<String>,
    pub may_edit: bool,
}

async fn programme_of(ctx: &Ctx, year: Jaar) -> Result<Programme, OpsError> {
    ctx.store
        .programme(ctx.org(), year)
        .await?
        .ok_or(OpsError::NotFound)
}

pub async fn view(ctx: &Ctx, year: Jaar) -> Result<AdoptionView, OpsError> {
    let programme = programme_of(ctx, year).await?;
    let org = ctx.org();
    let programme_state = ctx
        .store
        .adoption_state(org, programme.id, Document::Programma)
        .await?;
    let evaluation_state = ctx
        .store
        .adoption_state(org, programme.id, Document::Evaluatie)
        .await?;
    let versions = ctx.store.frozen_versions(org, programme.id).await?;
    let contents = ctx.store.programme_contents(org, &programme).await?;
    let record = ctx.store.evaluation_record(org, programme.id).await?;
    let changes = changes_against(&programme, &contents, &versions);
    Ok(AdoptionView {
        unevaluated: unevaluated_codes(&contents, &record),
        programme,
        programme_state,
        evaluation_state,
        versions,
        changes,
        may_edit: ctx.role().may_edit_plan(),
    })
}

fn changes_against(
    programme: &Programme,
    contents: &ProgrammeContents,
    versions: &[FrozenVersion],
) -> Option<(FrozenVersion, Changes)> {
    let latest = versions
        .iter()
        .filter(|v| v.kind == Document::Programma)
        .max_by_key(|v| v.number)?;
    let adopted: Value = serde_json::from_str(&latest.content).ok()?;
    let current = programme_content(programme, contents);
    Some((latest.clone(), changes(&adopted, &current)))
}

/// What changed in the programme of `year` since its newest adopted version; `None` when it was
/// never adopted.
pub async fn changes_since_adoption(
    ctx: &Ctx,
    programme: &Programme,
) -> Result<Option<(FrozenVersion, Changes)>, OpsError> {
    let versions = ctx.store.frozen_versions(ctx.org(), programme.id).await?;
    if !versions.iter().any(|v| v.kind == Document::Programma) {
        return Ok(None);
    }
    let contents = ctx.store.programme_contents(ctx.org(), programme).await?;
    Ok(changes_against(programme, &contents, &versions))
}

/// The frozen versions of the programme of `year` and its evaluation (any signed-in role).
pub async fn versions(ctx: &Ctx, year: Jaar) -> Result<Vec<FrozenVersion>, OpsError> {
    let programme = programme_of(ctx, year).await?;
    Ok(ctx.store.frozen_versions(ctx.org(), programme.id).await?)
}

/// One frozen version; a number that cannot exist is simply not found.
pub async fn version(
    ctx: &Ctx,
    year: Jaar,
    document: Document,
    number: &str,
) -> Result<FrozenVersion, OpsError> {
    let number = koers_domain::action::parse_id(number).ok_or(OpsError::NotFound)?;
    let programme = programme_of(ctx, year).await?;
    ctx.store
        .frozen_version(ctx.org(), programme.id, document, number)
        .await?
        .ok_or(OpsError::NotFound)
}

/// A frozen version whose stored hash does not match its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub organisation: String,
    pub year: i64,
    pub kind: Document,
    pub number: i64,
    pub stored: String,
    pub computed: String,
}

/// Recomputes the SHA-256 of every frozen version in the database (all organisations): the
/// number checked and the versions that do not match.
pub async fn verify(store: &Store) -> Result<(usize, Vec<Mismatch>), OpsError> {
    let all = store.all_frozen_versions().await?;
    let mismatches = all
        .iter()
        .filter_map(|f| {
            let computed = sha256_hex(&f.version.content);
            (computed != f.version.sha256).then(|| Mismatch {
                organisation: f.organisation_code.clone(),
                year: f.year,
                kind: f.version.kind,
                number: f.version.number,
                stored: f.version.sha256.clone(),
                computed,
            })
        })
        .collect();
    Ok((all.len(), mismatches))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_keys_at_every_level_without_whitespace() {
        let value = json!({ "b": [ { "z": 1, "a": "é\"\n" } ], "a": null, "B": true });
        assert_eq!(
            canonical_json(&value),
            r#"{"B":true,"a":null,"b":[{"a":"é\"\n","z":1}]}"#
        );
        // Parsing it back and writing it again gives the same bytes.
        let again: Value = serde_json::from_str(&canonical_json(&value)).unwrap();
        assert_eq!(canonical_json(&again), canonical_json(&value));
    }

    fn action(code: &str, title: &str, hours: i64, partners: &[&str]) -> Value {
        json!({
            "code": code,
            "titel": title,
            "geplandeUren": hours,
            "herkomst": "doorgeschoven",
            "thema": { "id": 1, "naam": "Ondermijning", "nummer": "IV 2" },
            "partners": partners.iter().map(|p| json!({ "id": 1, "naam": p })).collect::<Vec<_>>(),
            "voortgang": { "status": "niet_gestart" },
        })
    }

    #[test]
    fn changes_name_added_removed_and_changed_fields() {
        let adopted = json!({ "titel": "UP", "acties": [
            action("IV1-01", "Een", 40, &["Politie"]),
            action("IV1-02", "Twee", 80, &[]),
        ]});
        let mut same = adopted.clone();
        same["acties"][0]["voortgang"]["status"] = json!("vertraagd");
        assert!(changes(&adopted, &same).is_empty(), "progress is no change");

        let current = json!({ "titel": "UP", "acties": [
            action("IV1-01", "Een", 60, &["Politie", "Woonstichting"]),
            action("IV1-03", "Drie", 10, &[]),
        ]});
        let diff = changes(&adopted, &current);
        assert_eq!(diff.added.len(), 1);
        assert_eq!(diff.added[0].code, "IV1-03");
        assert_eq!(diff.removed[0].code, "IV1-02");
        assert_eq!(diff.changed.len(), 1);
        assert_eq!(
            diff.changed[0].fields,
            vec![
                FieldChange {
                    label: "Externe partners",
                    old: "Politie".into(),
                    new: "Politie, Woonstichting".into()
                },
                FieldChange {
                    label: "Geplande uren",
                    old: "40".into(),
                    new: "60".into()
                },
            ]
        );
        assert_eq!(
            diff.summary(),
            "1 actie toegevoegd, 1 verwijderd, 1 gewijzigd"
        );
        assert_eq!(
            readable("thema", adopted["acties"][0].get("thema")),
            "IV 2. Ondermijning"
        );
        let codes: Vec<String> = (1..=13).map(|n| format!("A-{n:02}")).collect();
        assert_eq!(named(&codes[..2]), "A-01, A-02");
        assert!(named(&codes).ends_with("A-10 en nog 3 andere"));
        assert_eq!(
            readable("herkomst", Some(&json!("doorgeschoven"))),
            "Doorgeschoven uit vorig jaar"
        );
    }
}
