//! The house style and the letter template as API resources: `/huisstijl` (texts as JSON),
//! `/huisstijl/logo` (the image itself, PNG or SVG) and `/briefsjabloon`. Writes name the
//! version they change in `If-Match`, as for actions.

use super::actions::{if_match, parse_body, with_etag};
use super::error::{ApiError, invalid};
use super::{ApiCaller, JsonBody};
use crate::ops::house_style::{self as ops, HouseStyleInput, LogoUpload};
use crate::ops::letter_template;
use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{MethodRouter, get};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use koers_domain::FieldErrors;
use koers_store::house_style::{HouseStyle, LogoKind};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignatoryJson {
    naam: String,
    functie: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogoJson {
    soort: &'static str,
    /// In bytes.
    grootte: usize,
    sha256: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HouseStyleJson {
    team: String,
    kleur: String,
    afzender: String,
    geadresseerde: String,
    ondertekenaars: Vec<SignatoryJson>,
    logo: Option<LogoJson>,
    versie: i64,
}

fn logo_json(kind: LogoKind, bytes: &[u8]) -> LogoJson {
    LogoJson {
        soort: kind.code(),
        grootte: bytes.len(),
        sha256: Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    }
}

fn house_style_json(style: &HouseStyle) -> Response {
    let json = HouseStyleJson {
        team: style.team.clone(),
        kleur: style.colour.clone(),
        afzender: style.sender.clone(),
        geadresseerde: style.addressee.clone(),
        ondertekenaars: style
            .signatories
            .iter()
            .map(|(naam, functie)| SignatoryJson {
                naam: naam.clone(),
                functie: functie.clone(),
            })
            .collect(),
        logo: style
            .logo
            .as_ref()
            .map(|(kind, bytes)| logo_json(*kind, bytes)),
        versie: style.version,
    };
    with_etag(style.version, Json(json))
}

/// The API's name for a field of the house style form.
fn field(name: &str) -> &'static str {
    match name {
        "team" => "team",
        "colour" => "kleur",
        "sender" => "afzender",
        "addressee" => "geadresseerde",
        "logo" => "logo",
        n if n.starts_with("signatory_") => "ondertekenaars",
        _ => "body",
    }
}

pub async fn show(ApiCaller(ctx): ApiCaller) -> Result<Response, ApiError> {
    Ok(house_style_json(&ops::house_style(&ctx).await?))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HouseStyleBody {
    #[serde(default)]
    team: String,
    kleur: String,
    afzender: String,
    geadresseerde: String,
    #[serde(default)]
    ondertekenaars: Vec<SignatoryJson>,
}

/// Replaces the texts of the house style; the logo stays as it is.
pub async fn update(
    ApiCaller(ctx): ApiCaller,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let version = if_match(&headers)?;
    let body: HouseStyleBody = parse_body(&body)?;
    let input = HouseStyleInput {
        team: body.team,
        colour: body.kleur,
        sender: body.afzender,
        addressee: body.geadresseerde,
        signatories: body
            .ondertekenaars
            .into_iter()
            .map(|s| (s.naam, s.functie))
            .collect(),
    };
    ops::save(&ctx, version, &input, LogoUpload::Keep)
        .await
        .map_err(|e| ApiError::from_ops(e, field))?;
    Ok(house_style_json(&ops::house_style(&ctx).await?))
}

/// `/huisstijl/logo`: the file as base64 in JSON, so that the API takes JSON only. Its body
/// limit is the upload's, larger than the API's usual one, so that a logo over 1 MB gets an
/// answer that says how large it is.
pub fn logo_routes() -> MethodRouter<crate::app::AppState> {
    get(logo_show)
        .put(logo_replace)
        .delete(logo_remove)
        .layer(axum::middleware::from_fn(super::version_header))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogoFileJson {
    #[serde(flatten)]
    logo: LogoJson,
    /// The file, base64 (RFC 4648).
    inhoud: String,
}

async fn logo_show(ApiCaller(ctx): ApiCaller) -> Result<Response, ApiError> {
    let style = ops::house_style(&ctx).await?;
    let Some((kind, bytes)) = &style.logo else {
        return Err(ApiError::NotFound);
    };
    Ok(with_etag(
        style.version,
        Json(LogoFileJson {
            logo: logo_json(*kind, bytes),
            inhoud: BASE64.encode(bytes),
        }),
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LogoBody {
    /// The PNG or SVG file, base64.
    inhoud: String,
}

async fn logo_replace(
    ApiCaller(ctx): ApiCaller,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let version = if_match(&headers)?;
    let body: LogoBody = parse_body(&body)?;
    let bytes = BASE64.decode(body.inhoud.trim()).map_err(|_| {
        invalid(
            &FieldErrors::single("logo", "Het logo moet als base64 worden meegestuurd."),
            |_| "inhoud",
        )
    })?;
    let size = bytes.len() as u64;
    ops::change_logo(&ctx, version, LogoUpload::File { bytes, size })
        .await
        .map_err(|e| ApiError::from_ops(e, |_| "inhoud"))?;
    Ok(house_style_json(&ops::house_style(&ctx).await?))
}

async fn logo_remove(ApiCaller(ctx): ApiCaller, headers: HeaderMap) -> Result<Response, ApiError> {
    let version = if_match(&headers)?;
    let version = ops::change_logo(&ctx, version, LogoUpload::Remove)
        .await
        .map_err(|e| ApiError::from_ops(e, |_| "inhoud"))?;
    Ok(with_etag(version, StatusCode::NO_CONTENT))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TemplateJson {
    tekst: String,
    /// Whether this is Koers' standard wording (nothing of the organisation's own stored).
    standaard: bool,
    versie: i64,
}

fn template_json(template: &letter_template::LetterTemplate) -> Response {
    with_etag(
        template.version,
        Json(TemplateJson {
            tekst: template.text.clone(),
            standaard: template.is_standard,
            versie: template.version,
        }),
    )
}

pub async fn template_show(ApiCaller(ctx): ApiCaller) -> Result<Response, ApiError> {
    Ok(template_json(&letter_template::template(&ctx).await?))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TemplateBody {
    tekst: String,
}

pub async fn template_update(
    ApiCaller(ctx): ApiCaller,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let version = if_match(&headers)?;
    let body: TemplateBody = parse_body(&body)?;
    letter_template::save(&ctx, version, &body.tekst)
        .await
        .map_err(|e| ApiError::from_ops(e, |_| "tekst"))?;
    Ok(template_json(&letter_template::template(&ctx).await?))
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn form_fields_have_api_names() {
        assert_eq!(field("colour"), "kleur");
        assert_eq!(field("signatory_name_3"), "ondertekenaars");
        assert_eq!(field("anything"), "body");
    }
}
