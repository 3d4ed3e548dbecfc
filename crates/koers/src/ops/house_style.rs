//! The organisation's house style: what the council package shows of the organisation (team
//! name, colour, sender, addressee, signatories, logo). Everyone may read it, since it is in
//! every document; only a beheerder changes it.

pub mod logo;

use super::{Ctx, OpsError};
use koers_docs::invoer::{Huisstijl, Logo, LogoSoort, Ondertekenaar, Organisatie};
use koers_domain::validation::max;
use koers_domain::{FieldErrors, Lines, bounded_text, required_text};
use koers_store::accounts::Organisation;
use koers_store::house_style::{HouseStyle, HouseStyleData, LogoChange, LogoKind};

/// At most this many people sign the letter.
pub const MAX_SIGNATORIES: usize = 4;

/// WCAG AA for normal text; headings and table heads are drawn in the house colour on white.
const MIN_CONTRAST: f64 = 4.5;

/// The house style form as typed: every text as it came, signatories as (name, function) rows.
#[derive(Debug, Clone, Default)]
pub struct HouseStyleInput {
    pub team: String,
    pub colour: String,
    pub sender: String,
    pub addressee: String,
    pub signatories: Vec<(String, String)>,
}

impl HouseStyleInput {
    pub fn of(style: &HouseStyle) -> Self {
        Self {
            team: style.team.clone(),
            colour: style.colour.clone(),
            sender: style.sender.clone(),
            addressee: style.addressee.clone(),
            signatories: style.signatories.clone(),
        }
    }
}

/// What happens to the logo on a save.
#[derive(Debug, Clone)]
pub enum LogoUpload {
    Keep,
    Remove,
    /// An uploaded file: its first bytes (at most one more than [`logo::MAX_BYTES`], so an
    /// oversized upload need not be held in memory) and its full size.
    File {
        bytes: Vec<u8>,
        size: u64,
    },
}

/// The form field of the `n`th signatory's name (1-based), also its key in field errors.
pub fn signatory_name_field(n: usize) -> String {
    format!("signatory_name_{n}")
}

pub fn signatory_function_field(n: usize) -> String {
    format!("signatory_function_{n}")
}

/// The contrast ratio of a colour against white, from 1 to 21 (WCAG's formula, shared with the
/// documents' charts).
pub fn contrast_with_white(rgb: [u8; 3]) -> f64 {
    let hex = format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2]);
    koers_docs::grafiek::contrast(&hex, "#ffffff")
}

/// "#1F4E79" or "1f4e79" → ("#1f4e79", its channels).
fn parse_colour(text: &str) -> Option<(String, [u8; 3])> {
    let hex = text.trim();
    let hex = hex.strip_prefix('#').unwrap_or(hex);
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    let rgb = [channel(0)?, channel(2)?, channel(4)?];
    Some((format!("#{}", hex.to_ascii_lowercase()), rgb))
}

/// A house colour: six hex digits, dark enough for headings on white.
pub fn colour(text: &str) -> Result<String, String> {
    let Some((colour, rgb)) = parse_colour(text) else {
        return Err(
            "Vul de kleur in als # met zes hexadecimale tekens, bijvoorbeeld #1f4e79.".into(),
        );
    };
    let contrast = contrast_with_white(rgb);
    if contrast < MIN_CONTRAST {
        // Rounded down, so a ratio of 4.49 never reads as the 4,5 it falls short of.
        let shown = format!("{:.1}", (contrast * 10.0).floor() / 10.0).replace('.', ",");
        return Err(format!(
            "De kleur {colour} heeft op wit een contrast van {shown}:1; koppen in die kleur \
             zijn dan slecht leesbaar. Kies een donkerdere kleur (minstens 4,5:1)."
        ));
    }
    Ok(colour)
}

/// Checks the texts of the form; every problem at once, keyed by form field.
pub fn validate(input: &HouseStyleInput) -> Result<HouseStyleData, FieldErrors> {
    let mut errors = FieldErrors::default();
    let team = errors.check("team", bounded_text(&input.team, max::TITLE, Lines::One));
    let colour = match colour(&input.colour) {
        Ok(colour) => Some(colour),
        Err(message) => {
            errors.add("colour", message);
            None
        }
    };
    let sender = errors.check(
        "sender",
        required_text(
            &input.sender,
            max::TITLE,
            "Vul de afzender in, bijvoorbeeld: burgemeester en wethouders van Den Helder.",
        ),
    );
    let addressee = errors.check(
        "addressee",
        required_text(
            &input.addressee,
            max::TITLE,
            "Vul de geadresseerde in, bijvoorbeeld: Aan de leden van de gemeenteraad.",
        ),
    );
    if input.signatories.len() > MAX_SIGNATORIES {
        errors.add(
            &signatory_name_field(1),
            format!("Er ondertekenen hoogstens {MAX_SIGNATORIES} personen."),
        );
    }
    let mut signatories = Vec::new();
    for (i, (name, function)) in input.signatories.iter().enumerate().take(MAX_SIGNATORIES) {
        let n = i + 1;
        let name_field = signatory_name_field(n);
        let function_field = signatory_function_field(n);
        let name = errors.check(&name_field, bounded_text(name, max::TITLE, Lines::One));
        let function = errors.check(
            &function_field,
            bounded_text(function, max::TITLE, Lines::One),
        );
        match (name, function) {
            (Some(name), Some(function)) if name.is_empty() && function.is_empty() => {}
            (Some(name), Some(_)) if name.is_empty() => {
                errors.add(
                    &name_field,
                    format!("Vul de naam van ondertekenaar {n} in."),
                );
            }
            (Some(_), Some(function)) if function.is_empty() => errors.add(
                &function_field,
                format!("Vul de functie van ondertekenaar {n} in, bijvoorbeeld burgemeester."),
            ),
            (Some(name), Some(function)) => signatories.push((name, function)),
            _ => {}
        }
    }
    match (team, colour, sender, addressee) {
        (Some(team), Some(colour), Some(sender), Some(addressee)) if errors.is_empty() => {
            Ok(HouseStyleData {
                team,
                colour,
                sender,
                addressee,
                signatories,
            })
        }
        _ => Err(errors),
    }
}

/// The logo change an upload asks for, or the reason it cannot be the logo.
pub fn logo_change(upload: LogoUpload) -> Result<LogoChange, String> {
    match upload {
        LogoUpload::Keep => Ok(LogoChange::Keep),
        LogoUpload::Remove => Ok(LogoChange::Remove),
        LogoUpload::File { size, .. } if size > logo::MAX_BYTES as u64 => {
            Err(logo::too_large(size))
        }
        LogoUpload::File { bytes, .. } => {
            let kind = logo::check(&bytes)?;
            Ok(LogoChange::Set(kind, bytes))
        }
    }
}

/// The house style; for everyone of the organisation, since every document shows it.
pub async fn house_style(ctx: &Ctx) -> Result<HouseStyle, OpsError> {
    Ok(ctx.store.house_style(ctx.org()).await?)
}

/// The house style for its edit form: beheerders only.
pub async fn for_editing(ctx: &Ctx) -> Result<HouseStyle, OpsError> {
    ctx.require(ctx.role().may_administer())?;
    house_style(ctx).await
}

/// Saves the texts and the logo together, if nobody else saved since `version`; all problems,
/// the logo's included, come back at once and nothing is saved. Returns the new version.
pub async fn save(
    ctx: &Ctx,
    version: i64,
    input: &HouseStyleInput,
    upload: LogoUpload,
) -> Result<i64, OpsError> {
    ctx.require(ctx.role().may_administer())?;
    let data = validate(input);
    let logo = logo_change(upload);
    let (data, logo) = match (data, logo) {
        (Ok(data), Ok(logo)) => (data, logo),
        (data, logo) => {
            let mut errors = data.err().unwrap_or_default();
            if let Err(message) = logo {
                errors.add("logo", message);
            }
            return Err(errors.into());
        }
    };
    Ok(ctx
        .store
        .save_house_style(&ctx.actor(), version, Some(&data), logo)
        .await?)
}

/// Replaces or removes only the logo (the API's logo resource). Returns the new version.
pub async fn change_logo(ctx: &Ctx, version: i64, upload: LogoUpload) -> Result<i64, OpsError> {
    ctx.require(ctx.role().may_administer())?;
    let logo = logo_change(upload).map_err(|message| FieldErrors::single("logo", message))?;
    Ok(ctx
        .store
        .save_house_style(&ctx.actor(), version, None, logo)
        .await?)
}

/// The organisation as the council package shows it.
pub fn organisatie(style: &HouseStyle, organisation: &Organisation) -> Organisatie {
    Organisatie {
        naam: organisation.name.clone(),
        plaats: organisation.place.clone(),
        team: style.team.clone(),
        huisstijl: Huisstijl {
            kleur: style.colour.clone(),
            logo: style.logo.as_ref().map(|(kind, bytes)| Logo {
                soort: match kind {
                    LogoKind::Png => LogoSoort::Png,
                    LogoKind::Svg => LogoSoort::Svg,
                },
                bytes: bytes.clone(),
            }),
            afzender: style.sender.clone(),
            ondertekenaars: style
                .signatories
                .iter()
                .map(|(naam, functie)| Ondertekenaar {
                    naam: naam.clone(),
                    functie: functie.clone(),
                })
                .collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use koers_store::house_style::DEFAULT_COLOUR;

    fn input() -> HouseStyleInput {
        HouseStyleInput {
            team: "Team OOV".into(),
            colour: "#1F4E79".into(),
            sender: "burgemeester en wethouders van Den Helder".into(),
            addressee: "Aan de leden van de gemeenteraad".into(),
            signatories: vec![
                ("J.A. (Jan) de Boer MSc.".into(), "burgemeester".into()),
                (String::new(), String::new()),
            ],
        }
    }

    #[test]
    fn the_default_colour_and_white_meet_wcag_aa() {
        let (_, rgb) = parse_colour(DEFAULT_COLOUR).unwrap();
        assert!(contrast_with_white(rgb) >= 7.0);
        assert!((contrast_with_white([0, 0, 0]) - 21.0).abs() < 1e-9);
        assert!((contrast_with_white([255, 255, 255]) - 1.0).abs() < 1e-9);
        // #767676 is the well-known lightest grey that passes AA on white.
        assert!(contrast_with_white([0x76, 0x76, 0x76]) >= 4.5);
        assert!(contrast_with_white([0x77, 0x77, 0x77]) < 4.5);
    }

    #[test]
    fn colours_are_six_hex_digits_dark_enough_for_headings() {
        assert_eq!(colour("1F4E79").unwrap(), "#1f4e79");
        for bad in ["", "#12345", "#1234567", "#gggggg", "blauw", "#1f4e7\u{0}"] {
            assert!(
                colour(bad).unwrap_err().contains("zes hexadecimale"),
                "{bad}"
            );
        }
        let light = colour("#ffcc00").unwrap_err();
        assert!(
            light.contains("#ffcc00") && light.contains("1,5:1"),
            "{light}"
        );
    }

    #[test]
    fn a_valid_form_keeps_filled_signatories_only() {
        let data = validate(&input()).unwrap();
        assert_eq!(data.colour, "#1f4e79");
        assert_eq!(
            data.signatories,
            vec![("J.A. (Jan) de Boer MSc.".into(), "burgemeester".into())]
        );
    }

    #[test]
    fn every_problem_is_named_at_its_field() {
        let mut bad = input();
        bad.colour = "rood".into();
        bad.sender = " ".into();
        bad.team = "Team\u{0}".into();
        bad.signatories = vec![("Iemand".into(), String::new())];
        let errors = validate(&bad).unwrap_err();
        for field in ["colour", "sender", "team", "signatory_function_1"] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
        bad = input();
        bad.signatories = vec![("a".into(), "b".into()); 5];
        assert!(validate(&bad).is_err());
    }
}
