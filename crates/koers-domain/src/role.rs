//! Roles (rollen) and what each may do. The server checks these on every request.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rol {
    /// Functional administrator: everything within the organisation.
    Beheerder,
    /// Policy advisor: edits the plan, programmes and actions.
    Beleidsadviseur,
    /// Team member: records progress on actions where their subteam leads or contributes.
    Teamlid,
    /// Reader: sees everything of the organisation, changes nothing.
    Lezer,
}

impl Rol {
    pub const ALL: [Rol; 4] = [
        Self::Beheerder,
        Self::Beleidsadviseur,
        Self::Teamlid,
        Self::Lezer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Beheerder => "beheerder",
            Self::Beleidsadviseur => "beleidsadviseur",
            Self::Teamlid => "teamlid",
            Self::Lezer => "lezer",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Beheerder => "Beheerder",
            Self::Beleidsadviseur => "Beleidsadviseur",
            Self::Teamlid => "Teamlid",
            Self::Lezer => "Lezer",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Plan, opgaven, subteams, partners, programmes and actions.
    pub fn may_edit_plan(self) -> bool {
        matches!(self, Self::Beheerder | Self::Beleidsadviseur)
    }

    /// Users, the organisation itself and the audit log.
    pub fn may_administer(self) -> bool {
        self == Self::Beheerder
    }

    /// Progress on an action, given whether the user's subteam leads or contributes to it.
    pub fn may_report_progress(self, involved: bool) -> bool {
        self.may_edit_plan() || (self == Self::Teamlid && involved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions() {
        assert!(Rol::Beheerder.may_administer());
        assert!(!Rol::Beleidsadviseur.may_administer());
        assert!(Rol::Beleidsadviseur.may_edit_plan());
        assert!(!Rol::Teamlid.may_edit_plan());
        assert!(Rol::Teamlid.may_report_progress(true));
        assert!(!Rol::Teamlid.may_report_progress(false));
        assert!(!Rol::Lezer.may_report_progress(true));
        assert_eq!(Rol::from_code("lezer"), Some(Rol::Lezer));
    }
}
