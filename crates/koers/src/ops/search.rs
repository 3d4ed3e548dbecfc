//! Search across all years of the organisation's programmes (issue 10): the words of the
//! search field against the database's full-text index (`Store::search_actions`).
//!
//! Results depend on the query, so they are read from the database, not the read model.

use super::{Ctx, OpsError};
use koers_domain::FieldErrors;
use koers_domain::search::Zoekvraag;
use koers_store::search::SearchResults;

/// Results per page.
pub const PAGE_SIZE: i64 = 25;
/// The last page one may ask for (25,000 results).
pub const MAX_PAGE: i64 = 1_000;

/// A search as asked: its words (`None` for an empty search field) and the page.
pub struct SearchView {
    pub query: Option<Zoekvraag>,
    pub results: SearchResults,
    /// 1-based.
    pub page: i64,
    pub pages: i64,
}

/// A 1-based page number; empty is the first page. Anything else is refused (400).
pub fn page_number(text: &str) -> Result<i64, OpsError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(1);
    }
    text.parse::<i64>()
        .ok()
        .filter(|p| (1..=MAX_PAGE).contains(p))
        .ok_or_else(|| {
            OpsError::Refused(format!(
                "Deze pagina met zoekresultaten bestaat niet. Kies een pagina van 1 tot en met {MAX_PAGE}."
            ))
        })
}

/// Reads the search text: `field` names the form field for the message.
pub fn query(text: &str, field: &str) -> Result<Option<Zoekvraag>, OpsError> {
    Zoekvraag::parse(text)
        .map_err(|e| OpsError::Invalid(FieldErrors::single(field, format!("Zoektekst: {e}"))))
}

/// The actions of every year that hold all the words, best matches first. Every role may
/// search: it shows only what every user of the organisation may read.
pub async fn search(
    ctx: &Ctx,
    query: Option<Zoekvraag>,
    page: i64,
) -> Result<SearchView, OpsError> {
    let results = match &query {
        Some(q) => {
            ctx.store
                .search_actions(ctx.org(), q, PAGE_SIZE, (page - 1) * PAGE_SIZE)
                .await?
        }
        None => SearchResults {
            total: 0,
            hits: Vec::new(),
        },
    };
    let pages = (results.total + PAGE_SIZE - 1) / PAGE_SIZE;
    Ok(SearchView {
        query,
        results,
        page,
        pages,
    })
}
