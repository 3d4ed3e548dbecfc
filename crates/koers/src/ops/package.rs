//! STAND-IN, only on the `style` branch: the app branch writes the real
//! `ops::package::invoer` (the package input from the frozen or living programme and
//! evaluation). This one gives the letter preview what it needs from the organisation, its
//! house style and template and the programme's particulars, with the programme's actions and
//! the evaluation left empty. On merge, the app branch's file replaces this one.

use super::{Ctx, OpsError};
use koers_docs::invoer::{BriefGegevens, PakketInvoer, Plan, Programma, ProgrammaKengetallen};
use koers_domain::Jaar;

pub async fn invoer(ctx: &Ctx, year: Jaar) -> Result<PakketInvoer, OpsError> {
    let style = ctx.store.house_style(ctx.org()).await?;
    let programme = ctx
        .store
        .programme(ctx.org(), year)
        .await?
        .ok_or(OpsError::NotFound)?;
    let plan = ctx.store.plan(ctx.org()).await?;
    let template = ctx
        .store
        .letter_template(ctx.org())
        .await?
        .map_or_else(|| koers_docs::sjabloon::STANDAARD.to_string(), |(t, _)| t);
    Ok(PakketInvoer {
        organisatie: super::house_style::organisatie(&style, &ctx.organisation),
        brief: BriefGegevens {
            nummer: programme.council_letter_number.clone(),
            datum: programme.council_letter_date,
            geadresseerde: style.addressee.clone(),
        },
        sjabloon: template,
        plan: Plan {
            titel: plan.as_ref().map(|p| p.title.clone()).unwrap_or_default(),
            van: plan.as_ref().map_or(programme.year, |p| p.start_year) as i32,
            tot: plan.as_ref().map_or(programme.year, |p| p.end_year) as i32,
            themagroepen: Vec::new(),
            opgaven: Vec::new(),
        },
        programma: Programma {
            jaar: programme.year as i32,
            titel: programme.title.clone(),
            acties: Vec::new(),
            kengetallen: ProgrammaKengetallen {
                acties: 0,
                geplande_uren: 0,
                per_thema: Vec::new(),
                formatie: Vec::new(),
            },
            opgaven: Vec::new(),
        },
        evaluatie: None,
        doorgeschoven: 0,
    })
}
