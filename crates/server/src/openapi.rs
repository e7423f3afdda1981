//! The OpenAPI description, served at `/openapi.json`.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api;

/// The API's description.
#[derive(OpenApi)]
#[openapi(
    info(title = "MultiPMS server", description = "Accounts, roles, the portfolio and the books (contracts, invoices, payments, ledgers) of Indian rental businesses, and desk sync. Money is integer paise. Errors are JSON {code, message, field?}."),
    modifiers(&BearerAuth),
    paths(
        api::health::healthz, api::health::readyz,
        api::auth::sign_in, api::auth::sign_out, api::auth::change_password, api::auth::me,
        api::properties::list, api::properties::get_one, api::properties::create, api::properties::update,
        api::rooms::list, api::rooms::get_one, api::rooms::create,
        api::beds::list, api::beds::get_one, api::beds::create,
        api::tenants::list, api::tenants::get_one, api::tenants::create, api::tenants::update,
        api::allocations::list, api::allocations::get_one, api::allocations::create, api::allocations::move_out,
        api::users::list, api::users::create, api::users::disable, api::users::assign_properties,
        api::audit_log::list,
        api::contracts::list, api::contracts::create,
        api::billing::run,
        api::invoices::list, api::invoices::get_one,
        api::payments::list, api::payments::get_one, api::payments::record, api::payments::reverse,
        api::ledger::page, api::ledger::balance,
        api::sync::push, api::sync::changes, api::sync::status,
        api::sync_files::upload, api::sync_files::download,
    ),
    tags(
        (name = "auth", description = "Sign-in, sessions, passwords"),
        (name = "properties"), (name = "rooms"), (name = "beds"), (name = "tenants"),
        (name = "allocations"), (name = "users", description = "Owner only"),
        (name = "audit", description = "Owner only"), (name = "health"),
        (name = "contracts", description = "Not for caretakers"),
        (name = "invoices", description = "Not for caretakers; accountants read"),
        (name = "payments", description = "Not for caretakers; accountants read; owners and managers reverse"),
        (name = "ledger", description = "Not for caretakers; accountants read"),
        (name = "sync", description = "Desk sync: every role pulls (caretakers without money or KYC); pushes need what the same change needs over the API; document files by SHA-256"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The token from sign-in"))
                    .build(),
            ),
        );
    }
}

/// `GET /openapi.json`.
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
