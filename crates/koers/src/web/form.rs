//! Reading `application/x-www-form-urlencoded` bodies, including repeated keys (checkbox lists),
//! which serde-based extractors cannot represent.

use axum::body::Bytes;

pub struct FormData(Vec<(String, String)>);

impl FormData {
    pub fn parse(body: &Bytes) -> Self {
        Self(form_urlencoded::parse(body).into_owned().collect())
    }

    /// The first value of `name`, or "" when absent.
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    pub fn version(&self) -> i64 {
        self.get("versie").trim().parse().unwrap_or(0)
    }
}
