//! The HTML web application. Pages work without JavaScript; htmx only enhances.

mod api;
mod assets;
mod client;
mod error;
mod form;
mod layout;
mod pages;
mod request_log;
mod security;
mod session;

pub use error::WebError;
pub use session::{Current, SESSION_COOKIE};

use crate::app::AppState;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post};
use tower_http::set_header::SetResponseHeaderLayer;

pub fn router(state: AppState) -> Router {
    use pages::*;
    let routes = Router::new()
        .route("/", get(overview::root))
        .route("/inloggen", get(login::form).post(login::submit))
        .route("/uitloggen", post(login::logout))
        .route("/overzicht", get(overview::page))
        .route("/beleidsplan", get(plan::page))
        .route(
            "/beleidsplan/bewerken",
            get(plan::edit_form).post(plan::edit_submit),
        )
        .route("/beleidsplan/deelname", post(plan::participation))
        .route("/onderdelen/{soort}/nieuw", get(catalog::new_form))
        .route("/onderdelen/{soort}", post(catalog::create))
        .route(
            "/onderdelen/{soort}/{id}/bewerken",
            get(catalog::edit_form).post(catalog::edit_submit),
        )
        .route(
            "/onderdelen/{soort}/{id}/{handeling}",
            get(catalog::confirm).post(catalog::change),
        )
        .route(
            "/programma",
            get(programme::current).post(programme::create),
        )
        .route("/programma/{jaar}", get(programme::page))
        .route("/programma/{jaar}/export.xlsx", get(programme::export_xlsx))
        .route("/programma/{jaar}/export.csv", get(programme::export_csv))
        .route("/programma/{jaar}/vaststelling", get(adoption::show))
        .route(
            "/programma/{jaar}/vaststelling/{soort}",
            post(adoption::step),
        )
        .route(
            "/programma/{jaar}/vaststelling/{soort}/{bestand}",
            get(adoption::download),
        )
        .route("/programma/{jaar}/acties", post(action::create))
        .route("/programma/{jaar}/acties/nieuw", get(action::new_form))
        .route("/programma/{jaar}/acties/{code}", get(action::page))
        .route(
            "/programma/{jaar}/acties/{code}/bewerken",
            get(action::edit_form).post(action::edit_submit),
        )
        .route(
            "/programma/{jaar}/acties/{code}/voortgang",
            post(action::progress),
        )
        .route(
            "/programma/{jaar}/doorschuiven",
            get(carry_over::page).post(carry_over::submit),
        )
        .route("/programma/{jaar}/evaluatie", get(evaluation::page))
        .route(
            "/programma/{jaar}/evaluatie/acties/{code}",
            get(evaluation::action_form).post(evaluation::action_submit),
        )
        .route(
            "/programma/{jaar}/evaluatie/acties/{code}/uren",
            post(evaluation::correct_hours),
        )
        .route(
            "/programma/{jaar}/evaluatie/teksten",
            get(evaluation::texts_form).post(evaluation::texts_submit),
        )
        .route(
            "/programma/{jaar}/evaluatie/thema/{id}",
            get(evaluation::theme_form).post(evaluation::theme_submit),
        )
        .route(
            "/programma/{jaar}/evaluatie/aandachtspunten",
            post(evaluation::add_point),
        )
        .route(
            "/programma/{jaar}/evaluatie/aandachtspunten/{id}",
            get(evaluation::point_form).post(evaluation::point_submit),
        )
        .route(
            "/programma/{jaar}/evaluatie/aandachtspunten/{id}/{handeling}",
            post(evaluation::point_action),
        )
        .route(
            "/programma/{jaar}/evaluatie/vorig-jaar/{id}",
            post(evaluation::follow_up),
        )
        .route("/mijn-acties", get(rounds::my_actions))
        .route(
            "/programma/{jaar}/rondes",
            get(rounds::list).post(rounds::open),
        )
        .route("/programma/{jaar}/rondes/{id}", get(rounds::show))
        .route("/programma/{jaar}/rondes/{id}/sluiten", post(rounds::close))
        // Trends across years, hours per subteam and indicators.
        .route("/trends", get(trends::page))
        .route("/programma/{jaar}/uren", get(trends::hours))
        .route(
            "/indicatoren",
            get(indicators::list).post(indicators::create),
        )
        .route("/indicatoren/nieuw", get(indicators::new_form))
        .route("/indicatoren/{id}", get(indicators::page))
        .route(
            "/indicatoren/{id}/bewerken",
            get(indicators::edit_form).post(indicators::edit_submit),
        )
        .route(
            "/indicatoren/{id}/verwijderen",
            get(indicators::confirm_delete).post(indicators::delete),
        )
        .route(
            "/indicatoren/{id}/metingen",
            post(indicators::add_measurement),
        )
        .route(
            "/indicatoren/{id}/metingen/{meting}/verwijderen",
            post(indicators::delete_measurement),
        )
        .route("/leesbaarheid", post(readability::check))
        .route("/zoeken", get(search::page))
        .route("/beheer", get(admin::page))
        .route("/beheer/formatie", post(admin::capacity))
        .route(
            "/beheer/organisatie",
            get(admin::organisation_form).post(admin::save_organisation),
        )
        .route(
            "/beheer/gebruikers",
            get(admin::users).post(admin::create_user),
        )
        .route("/beheer/gebruikers/{id}", post(admin::update_user))
        .route(
            "/beheer/gebruikers/{id}/wachtwoord",
            get(admin::confirm_reset_password).post(admin::reset_password),
        )
        .route(
            "/beheer/briefsjabloon",
            get(letter_template::form).post(letter_template::submit),
        )
        .route(
            "/beheer/briefsjabloon/herstellen",
            get(letter_template::confirm_reset).post(letter_template::reset),
        )
        .route("/beheer/huisstijl/logo", get(house_style::logo_file))
        .route("/beheer/audit", get(audit::page))
        .route("/beheer/audit.csv", get(audit::csv))
        .route("/beheer/beveiliging", get(audit::security_log))
        .route("/static/{*path}", get(assets::serve))
        .route(
            "/account/api-sleutels",
            get(account::page).post(account::create),
        )
        .route(
            "/account/api-sleutels/{id}/intrekken",
            post(account::revoke),
        )
        .merge(package::routes())
        .merge(vth::routes())
        .merge(risk::routes())
        .merge(lhs::routes())
        .nest("/api/v1", api::router())
        .layer(tower_http::limit::RequestBodyLimitLayer::new(1024 * 1024))
        // The two logo uploads take a larger body than every other route, so that a logo over
        // 1 MB gets a message that says how large it is rather than a bare 413.
        .merge(uploads())
        .fallback(error::not_found)
        .with_state(state.clone());
    // The layers that every request passes wrap the routed application once, as one service.
    // Put on the router with `Router::layer`, each route would get its own copy of the stack,
    // and every request would clone that copy (a boxed service per layer, and the state).
    let secure_cookies = state.secure_cookies;
    let app = tower::ServiceBuilder::new()
        // Behind HTTPS, browsers are told to use nothing else for a year.
        .option_layer(secure_cookies.then(|| {
            SetResponseHeaderLayer::overriding(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=31536000"),
            )
        }))
        .option_layer(secure_cookies.then(|| axum::middleware::from_fn(security::secure_cookies)))
        .layer(axum::middleware::from_fn(request_log::log_request))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(axum::middleware::from_fn(security::headers))
        .layer(axum::middleware::from_fn_with_state(
            secure_cookies,
            security::same_origin_writes,
        ))
        // Keeps one `Arc` of the state, so that a request clones a pointer, not the state.
        .layer(axum::middleware::from_fn_with_state(
            std::sync::Arc::new(state),
            error::with_layout,
        ))
        .service(routes);
    Router::new().fallback_service(app)
}

/// The routes that take a logo upload, with their own body limit.
fn uploads() -> Router<AppState> {
    Router::new()
        .route(
            "/beheer/huisstijl",
            get(pages::house_style::form).post(pages::house_style::save),
        )
        .route("/api/v1/huisstijl/logo", api::logo_routes())
        .layer(axum::extract::DefaultBodyLimit::max(
            pages::house_style::UPLOAD_BODY_LIMIT,
        ))
}
