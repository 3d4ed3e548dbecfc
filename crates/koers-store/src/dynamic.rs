//! Queries whose WHERE clause depends on which filters are set, with every value bound as a
//! parameter (never spliced into the SQL text).

use chrono::{DateTime, Utc};

#[derive(Debug, Clone)]
pub(crate) enum Param {
    Int(i64),
    Text(String),
    Time(DateTime<Utc>),
}

pub(crate) struct DynamicQuery {
    pub(crate) sql: String,
    pub(crate) params: Vec<Param>,
}

impl DynamicQuery {
    /// Starts from `sql`, whose placeholders `$1`, `$2`, … take `params` in order.
    pub(crate) fn new(sql: impl Into<String>, params: Vec<Param>) -> Self {
        Self {
            sql: sql.into(),
            params,
        }
    }

    /// Appends `condition`, with each `$n` in it standing for `param`.
    pub(crate) fn and(&mut self, condition: &str, param: Param) {
        self.params.push(param);
        let placeholder = format!("${}", self.params.len());
        self.sql.push_str(" AND ");
        self.sql.push_str(&condition.replace("$n", &placeholder));
    }

    pub(crate) fn push(&mut self, sql: &str) {
        self.sql.push_str(sql);
    }
}

/// Runs a [`DynamicQuery`] on the store's pool and collects the rows as `$row`.
macro_rules! fetch_all_dynamic {
    ($store:expr, $row:ty, $query:expr) => {{
        let query: &$crate::dynamic::DynamicQuery = $query;
        on_pool!($store, |conn| {
            let mut prepared = sqlx::query_as::<_, $row>(sqlx::AssertSqlSafe(query.sql.as_str()));
            for param in &query.params {
                prepared = match param {
                    $crate::dynamic::Param::Int(v) => prepared.bind(*v),
                    $crate::dynamic::Param::Text(v) => prepared.bind(v.clone()),
                    $crate::dynamic::Param::Time(v) => prepared.bind(*v),
                };
            }
            prepared.fetch_all(conn).await
        })
    }};
}
