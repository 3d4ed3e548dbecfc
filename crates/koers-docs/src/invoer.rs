//! What a council package is made of.
//!
//! The programme and the evaluation have the shape of their frozen versions (the canonical JSON
//! that adoption stores with its hash), so that a package of an adopted year is built from
//! exactly what was adopted: the app deserialises the frozen JSON into [`Programma`] and
//! [`Evaluatie`]. For a year not yet adopted the app builds the same JSON from the living data.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Everything [`crate::bouw::pakket`] needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PakketInvoer {
    pub organisatie: Organisatie,
    pub brief: BriefGegevens,
    /// The letter's text with named placeholders; see [`crate::sjabloon`].
    pub sjabloon: String,
    pub plan: Plan,
    /// Programme N.
    pub programma: Programma,
    /// The evaluation of N-1, if there is one.
    pub evaluatie: Option<Evaluatie>,
    /// How many actions of programme N continue an action of N-1 (carried over).
    pub doorgeschoven: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Organisatie {
    /// "Gemeente Den Helder".
    pub naam: String,
    /// "Den Helder": the place in "Den Helder, 27 februari 2024".
    pub plaats: String,
    /// The team whose programme it is ("Team OOV"); empty when the organisation set none.
    pub team: String,
    pub huisstijl: Huisstijl,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Huisstijl {
    /// "#1f5f8b": headings, table heads and the first chart series.
    pub kleur: String,
    pub logo: Option<Logo>,
    /// Who sends the letter: "burgemeester en wethouders van Den Helder".
    pub afzender: String,
    pub ondertekenaars: Vec<Ondertekenaar>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Logo {
    pub soort: LogoSoort,
    /// The file as uploaded (at most 1 MB; checked when it is set).
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogoSoort {
    Png,
    Svg,
}

impl LogoSoort {
    pub fn mime(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Svg => "image/svg+xml",
        }
    }

    pub fn extensie(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Svg => "svg",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ondertekenaar {
    /// "J.A. (Jan) de Boer MSc."
    pub naam: String,
    /// "burgemeester"
    pub functie: String,
}

/// The particulars of the letter itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BriefGegevens {
    /// The register number, "2024-007143"; empty before one is known.
    pub nummer: String,
    /// The date the letter is sent; `None` prints "datum nog niet bekend".
    pub datum: Option<NaiveDate>,
    /// "Aan de leden van de gemeenteraad".
    pub geadresseerde: String,
    /// When the college adopted the programme; `None` while it is a concept.
    #[serde(default)]
    pub besluitdatum: Option<NaiveDate>,
}

/// The policy plan the programme carries out.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    /// "Beleidsplan Integrale Veiligheid en VTH-taken".
    pub titel: String,
    pub van: i32,
    pub tot: i32,
    /// The themes in their groups, both in the plan's order.
    pub themagroepen: Vec<Themagroep>,
    /// All opgaven of the organisation, in order, with whether the team joins them in year N.
    pub opgaven: Vec<Opgave>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Themagroep {
    /// "Integrale Veiligheidsthema's".
    pub naam: String,
    pub themas: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Opgave {
    pub naam: String,
    pub deelname: bool,
}

/// A programme as its frozen version has it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Programma {
    pub jaar: i32,
    pub titel: String,
    pub acties: Vec<ProgrammaActie>,
    pub kengetallen: ProgrammaKengetallen,
    /// The opgaven the team joins that year.
    #[serde(default)]
    pub opgaven: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgrammaActie {
    pub code: String,
    pub titel: String,
    #[serde(default)]
    pub beschrijving: String,
    #[serde(default)]
    pub beoogd_resultaat: String,
    pub thema: String,
    pub ambitie: Option<String>,
    pub trekker: String,
    #[serde(default)]
    pub bijdragende_subteams: Vec<String>,
    #[serde(default)]
    pub partners: Vec<String>,
    #[serde(default)]
    pub opgaven: Vec<String>,
    #[serde(default)]
    pub kwartalen: Vec<u8>,
    pub geplande_uren: i64,
    pub prioriteit: String,
    pub herkomst: String,
    pub voorganger: Option<Voorganger>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Voorganger {
    pub jaar: i32,
    pub code: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgrammaKengetallen {
    pub acties: usize,
    pub geplande_uren: i64,
    pub per_thema: Vec<ThemaOmvang>,
    #[serde(default)]
    pub formatie: Vec<Formatie>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ThemaOmvang {
    pub thema: String,
    pub acties: usize,
    pub geplande_uren: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Formatie {
    pub subteam: String,
    pub fte_honderdsten: i64,
}

/// An evaluation as its frozen version has it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Evaluatie {
    pub jaar: i32,
    pub titel: String,
    #[serde(default)]
    pub conclusies: String,
    #[serde(default)]
    pub trends_en_ontwikkelingen: String,
    pub acties: Vec<EvaluatieActie>,
    #[serde(default)]
    pub thema_conclusies: Vec<ThemaConclusie>,
    #[serde(default)]
    pub aandachtspunten: Vec<Aandachtspunt>,
    #[serde(default)]
    pub aandachtspunten_vorig_jaar: Vec<AandachtspuntTerugblik>,
    pub kengetallen: EvaluatieKengetallen,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EvaluatieActie {
    pub code: String,
    pub titel: String,
    #[serde(default)]
    pub beoogd_resultaat: String,
    pub thema: String,
    pub trekker: String,
    /// The outcome's code ("gerealiseerd", "doorlopend", …); `None` when not evaluated.
    pub uitkomst: Option<String>,
    #[serde(default)]
    pub reden: String,
    #[serde(default)]
    pub bereikt: String,
    #[serde(default)]
    pub les: String,
    pub geplande_uren: i64,
    pub bestede_uren: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ThemaConclusie {
    pub thema: String,
    pub conclusie: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Aandachtspunt {
    pub positie: i64,
    pub tekst: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AandachtspuntTerugblik {
    pub tekst: String,
    #[serde(default)]
    pub hoe_ging_het: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EvaluatieKengetallen {
    pub totaal: Telling,
    pub per_thema: Vec<ThemaTelling>,
    pub per_subteam: Vec<SubteamTelling>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ThemaTelling {
    pub thema: String,
    pub telling: Telling,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubteamTelling {
    pub subteam: String,
    pub fte_honderdsten: Option<i64>,
    pub telling: Telling,
}

/// The computed figures of a group of actions (see `koers_domain::evaluation::Kengetallen`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Telling {
    pub acties: usize,
    /// Count per outcome code.
    pub per_uitkomst: BTreeMap<String, usize>,
    pub niet_geevalueerd: usize,
    pub geplande_uren: i64,
    pub bestede_uren: i64,
    pub procent_gerealiseerd: Option<i64>,
    pub procent_geevalueerd: Option<i64>,
    pub procent_uren_besteed: Option<i64>,
}
