//! Search across all years: the full-text index of migration 0012 (SQLite FTS5; PostgreSQL
//! `tsvector` with the Dutch configuration), kept in step by triggers in the writing
//! transaction. The query expression is built here from plain words
//! ([`koers_domain::search::Zoekvraag`]), never from the user's text.

use crate::connection::Dialect;
use crate::{Result, Store};
use koers_domain::Status;
use koers_domain::search::Zoekvraag;

/// One action found, with what the results list shows.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct SearchHit {
    pub action_id: i64,
    pub year: i64,
    pub code: String,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub lead_subteam: String,
}

/// A page of results and how many there are in all.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SearchResults {
    pub total: i64,
    pub hits: Vec<SearchHit>,
}

const SQLITE_HITS: &str = "SELECT a.id AS action_id, p.year, a.code, a.title, a.status, st.name AS lead_subteam \
     FROM action_search s \
     JOIN actions a ON a.id = s.rowid AND a.organisation_id = $1 \
     JOIN programmes p ON p.organisation_id = a.organisation_id AND p.id = a.programme_id \
     JOIN subteams st ON st.organisation_id = a.organisation_id AND st.id = a.lead_subteam_id \
     WHERE action_search MATCH $2 \
     ORDER BY bm25(action_search, 0.0, 10.0, 5.0, 1.0, 1.0), p.year DESC, a.code \
     LIMIT $3 OFFSET $4";

// The full-text query runs once, in the subquery: written as a join, SQLite may probe the
// index once per action of the organisation, which took seconds on 400 organisations.
const SQLITE_COUNT: &str = "SELECT COUNT(*) FROM actions a WHERE a.organisation_id = $1 \
     AND a.id IN (SELECT rowid FROM action_search WHERE action_search MATCH $2)";

const POSTGRES_HITS: &str = "SELECT a.id AS action_id, p.year, a.code, a.title, a.status, st.name AS lead_subteam \
     FROM action_search s \
     JOIN actions a ON a.organisation_id = s.organisation_id AND a.id = s.action_id \
     JOIN programmes p ON p.organisation_id = a.organisation_id AND p.id = a.programme_id \
     JOIN subteams st ON st.organisation_id = a.organisation_id AND st.id = a.lead_subteam_id \
     WHERE s.organisation_id = $1 AND s.document @@ to_tsquery('dutch', $2) \
     ORDER BY ts_rank(s.document, to_tsquery('dutch', $2)) DESC, p.year DESC, a.code \
     LIMIT $3 OFFSET $4";

const POSTGRES_COUNT: &str = "SELECT COUNT(*) FROM action_search s \
     WHERE s.organisation_id = $1 AND s.document @@ to_tsquery('dutch', $2)";

/// The FTS5 expression: the organisation's token, and every word as a prefix in the indexed
/// columns. Words hold only letters and digits, so quoting them is enough.
fn fts5_expression(organisation_id: i64, query: &Zoekvraag) -> String {
    let words: Vec<String> = query
        .woorden()
        .iter()
        .map(|w| format!("\"{w}\"*"))
        .collect();
    format!(
        "tenant : \"o{organisation_id}\" AND {{code title body progress}} : ({})",
        words.join(" AND ")
    )
}

/// The `to_tsquery` input: every word as a prefix (`:*`), all required.
fn tsquery_expression(query: &Zoekvraag) -> String {
    let words: Vec<String> = query.woorden().iter().map(|w| format!("{w}:*")).collect();
    words.join(" & ")
}

impl Store {
    /// The actions of every year of the organisation that contain all words of `query` (as
    /// the start of a word) in their code, title, description, intended result or progress
    /// notes; best matches first, then the newest year. At most `limit` from `offset`.
    pub async fn search_actions(
        &self,
        organisation_id: i64,
        query: &Zoekvraag,
        limit: i64,
        offset: i64,
    ) -> Result<SearchResults> {
        let (hits_sql, count_sql, expression) = match self.dialect() {
            Dialect::Sqlite => (
                SQLITE_HITS,
                SQLITE_COUNT,
                fts5_expression(organisation_id, query),
            ),
            Dialect::Postgres => (POSTGRES_HITS, POSTGRES_COUNT, tsquery_expression(query)),
        };
        let (total,): (i64,) = on_pool!(self, |conn| sqlx::query_as(count_sql)
            .bind(organisation_id)
            .bind(&expression)
            .fetch_one(conn)
            .await)?;
        let hits = on_pool!(self, |conn| sqlx::query_as(hits_sql)
            .bind(organisation_id)
            .bind(&expression)
            .bind(limit)
            .bind(offset)
            .fetch_all(conn)
            .await)?;
        Ok(SearchResults { total, hits })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_hold_only_the_words() {
        let q = Zoekvraag::parse("\"brand\" OR veilig*").unwrap().unwrap();
        assert_eq!(
            fts5_expression(7, &q),
            "tenant : \"o7\" AND {code title body progress} : (\"brand\"* AND \"or\"* AND \"veilig\"*)"
        );
        assert_eq!(tsquery_expression(&q), "brand:* & or:* & veilig:*");
    }
}
