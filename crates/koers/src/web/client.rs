//! The client's network address, for the login rate limit and the security log.

use crate::app::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

/// The client's IP address as text, or "onbekend" when there is none (a request in a test).
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let address = match &state.client_ip_header {
            // The proxy appends the address it saw to the header: the last entry is the one
            // it vouches for; earlier entries come from the client and can be anything.
            Some(header) => parts
                .headers
                .get_all(header)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .flat_map(|value| value.split(','))
                .next_back()
                .and_then(|last| last.trim().parse::<IpAddr>().ok()),
            None => parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(peer)| peer.ip()),
        };
        Ok(Self(address.map_or_else(
            || "onbekend".to_string(),
            |ip| ip.to_string(),
        )))
    }
}
