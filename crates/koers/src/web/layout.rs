//! What every page shows around its content: organisation, navigation, user, messages.

use super::session::Current;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Overzicht,
    Beleidsplan,
    Programma,
    /// "Mijn acties", for users with a subteam.
    MijnActies,
    Beheer,
    /// Trends across years and the indicators.
    Trends,
    /// Search across all years (`/zoeken`).
    Zoeken,
    /// The user's own settings, outside the main navigation.
    Account,
    /// A page that belongs to no item of the navigation (the readability check).
    Elders,
}

pub struct Layout {
    pub title: String,
    pub section: Section,
    pub organisation: String,
    /// The team whose programme it is ("Team OOV"), next to the organisation; may be empty.
    pub team: String,
    pub is_demo: bool,
    pub user_name: String,
    pub role: String,
    pub may_administer: bool,
    pub may_edit_plan: bool,
    /// Whether the user belongs to a subteam, and so has "Mijn acties".
    pub has_subteam: bool,
    pub flash: Option<String>,
    pub flash_warning: Option<String>,
    /// The year the programme link points to, when the page is about a year.
    pub year: Option<i64>,
}

impl Layout {
    pub fn new(current: &Current, section: Section, title: impl Into<String>) -> Self {
        let role = current.ctx.role();
        Self {
            title: title.into(),
            section,
            organisation: current.ctx.organisation.name.clone(),
            team: current.team.clone(),
            is_demo: current.ctx.organisation.is_demo,
            user_name: current.ctx.user.name.clone(),
            role: role.label().to_string(),
            may_administer: role.may_administer(),
            may_edit_plan: role.may_edit_plan(),
            has_subteam: current.ctx.user.subteam_id.is_some(),
            flash: current.flash.clone(),
            flash_warning: current.flash_warning.clone(),
            year: None,
        }
    }

    pub fn with_year(mut self, year: i64) -> Self {
        self.year = Some(year);
        self
    }

    /// Whether the navigation item `name` ("overzicht", "beleidsplan", …) is the current one.
    pub fn at(&self, name: &str) -> bool {
        let current = match self.section {
            Section::Overzicht => "overzicht",
            Section::Beleidsplan => "beleidsplan",
            Section::Programma => "programma",
            Section::MijnActies => "mijn-acties",
            Section::Beheer => "beheer",
            Section::Trends => "trends",
            Section::Zoeken => "zoeken",
            Section::Account => "account",
            Section::Elders => "",
        };
        current == name
    }

    pub fn programme_href(&self) -> String {
        match self.year {
            Some(year) => format!("/programma/{year}"),
            None => "/programma".to_string(),
        }
    }
}
