//! The commands the UI calls. Each one deserializes, calls the store or the
//! domain, and maps the error: nothing more.

pub mod app_info;
pub mod organisation;

/// Who is acting, for the audit log. Users and sign-in arrive with sync; until
/// then the desk itself is the actor.
pub(crate) const DESK_ACTOR: &str = "front desk";

#[cfg(test)]
mod tests;
