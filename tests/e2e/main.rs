//! End-to-end tests: the real MultiPMS binary in a real window (under Xvfb
//! when there is no display), driven through tauri-driver and WebKitWebDriver
//! the way a person uses it: by labels, button names and visible text.

mod desk;
mod display;

mod billing;
mod billing_rules;
mod dashboard;
mod documents;
mod foundation;
mod number_series;
mod onboarding;
mod portfolio;
mod reports;
mod sync;
