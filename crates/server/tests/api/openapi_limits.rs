//! The limits the OpenAPI document states (patterns, lengths, enums,
//! minimum and maximum) agree with what the API accepts and refuses, so a
//! client or a fuzzer that follows the document sends what the API takes.

use regex::Regex;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

/// Whether `value` keeps the limits of the JSON schema `schema`, or the
/// first limit it breaks.
fn admitted(schema: &Value, value: &Value) -> Result<(), String> {
    if value.is_null() {
        return Ok(());
    }
    if let Some(choices) = schema["enum"].as_array() {
        if !choices.contains(value) {
            return Err(format!("{value} is not one of the enum"));
        }
    }
    if let Some(text) = value.as_str() {
        let chars = text.chars().count() as u64;
        if let Some(pattern) = schema["pattern"].as_str() {
            if !Regex::new(pattern).unwrap().is_match(text) {
                return Err(format!("{value} does not match {pattern}"));
            }
        }
        if schema["minLength"].as_u64().is_some_and(|min| chars < min) {
            return Err(format!("{value} is shorter than minLength"));
        }
        if schema["maxLength"].as_u64().is_some_and(|max| chars > max) {
            return Err(format!("{value} is longer than maxLength"));
        }
    }
    if let Some(n) = value.as_i64() {
        if schema["minimum"].as_i64().is_some_and(|min| n < min) {
            return Err(format!("{n} is below minimum"));
        }
        if schema["maximum"].as_i64().is_some_and(|max| n > max) {
            return Err(format!("{n} is above maximum"));
        }
    }
    Ok(())
}

/// A form's fields against the object schema `form`: each field's limits.
fn form_admitted(form_schema: &Value, form: &Value) -> Result<(), String> {
    for (field, value) in form.as_object().unwrap() {
        let schema = &form_schema["properties"][field];
        assert!(schema.is_object(), "{field} is not in the schema");
        admitted(schema, value).map_err(|why| format!("{field}: {why}"))?;
    }
    Ok(())
}

#[tokio::test]
async fn the_property_forms_documented_limits_are_the_apis() {
    let app = spawn_app().await;
    let (_, _, owner) = app.create_org("Limits PG").await;
    let (_, doc) = app.get("/openapi.json", None).await;
    let schema = &doc["components"]["schemas"]["PropertyForm"];
    assert!(schema["properties"].is_object(), "{schema}");
    let states = schema["properties"]["state"]["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("no list of states: {schema}"));
    assert_eq!(states.len(), 36, "28 states and 8 union territories");

    // A full form the API takes keeps every documented limit.
    let mut full = property_form("BLR1");
    full["gstin"] = json!("29AAGCB7383J1Z4");
    full["upi_id"] = json!("saicomforts@okhdfcbank");
    form_admitted(schema, &full).unwrap();
    let (status, body) = app.post("/api/v1/properties", Some(&owner), &full).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // And so does each state the document lists.
    for (i, state) in states.iter().enumerate() {
        let mut form = property_form(&format!("S{i}"));
        form["state"] = state.clone();
        form_admitted(schema, &form).unwrap();
        let (status, body) = app.post("/api/v1/properties", Some(&owner), &form).await;
        assert_eq!(status, StatusCode::CREATED, "{state}: {body}");
    }

    // What the document rules out, the API refuses, naming the field.
    for (field, bad) in [
        ("name", json!("")),
        ("name", json!("x".repeat(121))),
        ("city", json!("")),
        ("state", json!("Atlantis")),
        ("pin_code", json!("056003")),
        ("pin_code", json!("56003")),
        ("code", json!("B")),
        ("code", json!("BLR-12")),
        ("gstin", json!("29AAGCB7383J1")),
        ("upi_id", json!("saicomforts")),
        ("address_line2", json!("x".repeat(201))),
    ] {
        let mut form = property_form("BAD1");
        form[field] = bad.clone();
        assert!(
            form_admitted(schema, &form).is_err(),
            "{field} = {bad} keeps the documented limits"
        );
        let (status, body) = app.post("/api/v1/properties", Some(&owner), &form).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field} = {bad}: {body}"
        );
        assert_eq!(body["field"], field, "{body}");
    }

    // A page's limit and offset: the documented bounds are the API's.
    let params = doc["paths"]["/api/v1/properties"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let param = |name: &str| {
        &params
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("no {name} parameter"))["schema"]
    };
    for (name, value, accepted) in [
        ("limit", 1, true),
        ("limit", 200, true),
        ("limit", 0, false),
        ("limit", 201, false),
        ("offset", 0, true),
        ("offset", -1, false),
    ] {
        assert_eq!(
            admitted(param(name), &json!(value)).is_ok(),
            accepted,
            "{name}={value} against the document"
        );
        let (status, body) = app
            .get(&format!("/api/v1/properties?{name}={value}"), Some(&owner))
            .await;
        assert_eq!(
            status == StatusCode::OK,
            accepted,
            "{name}={value}: {status} {body}"
        );
    }
    app.finish().await;
}
