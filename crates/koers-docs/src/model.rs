//! The council package as structure: what is said, in which order, at which level. How it
//! looks is left to the renderers, which all read this same model; so a fact that is in one
//! format is in every format.
//!
//! Every string here is text as a person reads it, never markup of any format: a renderer
//! escapes it for its target (XML, HTML, typst data).

use serde::Serialize;

/// The raadsinformatiebrief with its annexes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pakket {
    /// The document title for metadata ("Evaluatie … 2023 en … 2024"), also the letter's subject.
    pub titel: String,
    /// "Gemeente Den Helder".
    pub organisatie: String,
    /// BCP 47 language of every text: "nl".
    pub taal: &'static str,
    pub huisstijl: Stijl,
    /// The date the package is of: the letter's date, else the college's decision; `None`
    /// for a concept. The PDF's creation date, so that rendering an adopted package again
    /// gives the same bytes (and the same SHA-256).
    pub datum: Option<chrono::NaiveDate>,
    /// The letter first, then bijlage 1 (evaluation N-1) and bijlage 2 (programme N). Each
    /// starts on a new page.
    pub documenten: Vec<Document>,
}

/// What the house style lends the layout.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stijl {
    /// "#1f5f8b", already checked to be a six-digit hex colour.
    pub kleur: String,
    pub logo: Option<crate::invoer::Logo>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    pub soort: DocumentSoort,
    /// "Bijlage 1"; empty for the letter.
    pub label: String,
    /// The document's own title (heading level 1).
    pub titel: String,
    pub blokken: Vec<Blok>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentSoort {
    Brief,
    Evaluatie,
    Programma,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// In JSON each block names its kind under `blok` (a chart has a `soort` of its own).
#[serde(tag = "blok", rename_all = "lowercase")]
pub enum Blok {
    /// A heading below the document title: niveau 2 is a section, 3 a subsection.
    Kop {
        niveau: u8,
        tekst: String,
    },
    Alinea {
        tekst: String,
    },
    /// A list; `genummerd` lists count 1., 2., ….
    Lijst {
        genummerd: bool,
        items: Vec<String>,
    },
    /// Label–value pairs, such as the letter's number, date and subject.
    Gegevens {
        paren: Vec<(String, String)>,
    },
    Tabel(Tabel),
    Grafiek(Grafiek),
    /// "Den Helder, 27 februari 2024."
    PlaatsDatum {
        tekst: String,
    },
    Ondertekening(Ondertekening),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tabel {
    /// Caption above the table; also what a screen reader announces.
    pub bijschrift: String,
    pub kolommen: Vec<Kolom>,
    pub rijen: Vec<Vec<String>>,
    /// A last row set apart ("Totaal"), if any.
    pub totaal: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kolom {
    pub kop: String,
    pub uitlijning: Uitlijning,
    /// A share of the table's width, relative to the other columns.
    pub breedte: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Uitlijning {
    Links,
    Rechts,
}

/// A bar chart. The renderers draw it with [`Grafiek::svg`], so it looks the same everywhere;
/// `tekstalternatief` says in words what it shows, and `tabel` gives its numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grafiek {
    pub titel: String,
    pub tekstalternatief: String,
    pub soort: GrafiekSoort,
    /// One bar (or group of bars) per category, in order.
    pub categorieen: Vec<String>,
    pub reeksen: Vec<Reeks>,
    /// The unit of the values, for the axis ("acties", "uur").
    pub eenheid: String,
    /// The same numbers as a table, for those who cannot see the chart.
    pub tabel: Tabel,
    /// The values are in units of 10^-decimalen (3: thousandths, so 62500 is drawn as 62,5);
    /// 0 for counts and hours. At most 3.
    #[serde(skip_serializing_if = "geen_decimalen")]
    pub decimalen: u32,
}

fn geen_decimalen(decimalen: &u32) -> bool {
    *decimalen == 0
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GrafiekSoort {
    /// The series stacked into one horizontal bar per category (outcomes per theme).
    Gestapeld,
    /// The series side by side per category (planned against spent hours per subteam).
    Naast,
}

/// A value in [`Reeks::waarden`] that is not there (an indicator not yet measured in a year): in
/// a chart of bars side by side it draws no bar and reads "–"; elsewhere it counts as zero.
pub const GEEN_WAARDE: i64 = i64::MIN;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reeks {
    pub naam: String,
    /// "#1f5f8b"; chosen by the builder so that every format uses the same colours.
    pub kleur: String,
    /// One value per category.
    pub waarden: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ondertekening {
    /// "Met vriendelijke groet,"
    pub groet: String,
    /// "burgemeester en wethouders van Den Helder,"
    pub afzender: String,
    pub ondertekenaars: Vec<crate::invoer::Ondertekenaar>,
}

impl Document {
    /// The running text: paragraphs and list items, without headings, tables and figures.
    /// What the readability report analyses; a reading-ease formula is made for sentences, and
    /// a title such as "Uitvoeringsprogramma Integrale Veiligheid en VTH-taken 2024" is not
    /// one.
    pub fn leestekst(&self) -> String {
        let mut out = Vec::new();
        for blok in &self.blokken {
            match blok {
                Blok::Alinea { tekst } => out.push(tekst.clone()),
                Blok::Lijst { items, .. } => out.extend(items.iter().cloned()),
                _ => {}
            }
        }
        out.join("\n\n")
    }
}
