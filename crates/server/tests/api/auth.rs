//! Sign-in, sign-out, expiry, lockout, password change, disabling.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn sign_in_sign_out_and_expiry() {
    // Sessions are remembered for a second: sign-out must still end one at
    // once, and a change made behind the server's back within the second.
    let app = spawn_app_with(|s| s.session_cache_secs = 1).await;
    let (org, _, owner) = app.create_org("Sai Comforts").await;
    let (user_id, token) = app.add_user(org, "manager", vec![]).await;

    let (status, me) = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["user"]["role"], "manager");
    assert_eq!(me["org_name"], "Sai Comforts");

    // Only the token's SHA-256 is stored.
    let stored: Vec<Vec<u8>> = sqlx::query_scalar("SELECT token_hash FROM session")
        .fetch_all(&app.admin)
        .await
        .unwrap();
    assert!(stored.iter().all(|h| h.len() == 32));
    assert!(!stored.iter().any(|h| h == token.as_bytes()));

    let (status, _) = app
        .post("/api/v1/auth/sign-out", Some(&token), &json!({}))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "unauthorized");

    // An expired session is refused.
    let email: String = sqlx::query_scalar("SELECT email FROM app_user WHERE id = $1")
        .bind(user_id)
        .fetch_one(&app.admin)
        .await
        .unwrap();
    let token = app.sign_in(&email, PASSWORD).await;
    assert_eq!(app.get("/api/v1/me", Some(&token)).await.0, StatusCode::OK);
    sqlx::query("UPDATE session SET expires_at = now() - interval '1 second' WHERE user_id = $1")
        .bind(user_id)
        .execute(&app.admin)
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(
        app.get("/api/v1/me", Some(&token)).await.0,
        StatusCode::UNAUTHORIZED
    );

    // Garbage and missing tokens.
    assert_eq!(
        app.get("/api/v1/me", Some("mpms_nonsense")).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/api/v1/me", Some("x")).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/api/v1/me", None).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.get("/api/v1/me", Some(&owner)).await.0, StatusCode::OK);

    // Wrong password and unknown email answer alike.
    let (s1, b1) = app
        .post(
            "/api/v1/auth/sign-in",
            None,
            &json!({ "email": email, "password": "wrong password" }),
        )
        .await;
    let (s2, b2) = app
        .post(
            "/api/v1/auth/sign-in",
            None,
            &json!({ "email": "nobody@example.in", "password": "wrong password" }),
        )
        .await;
    assert_eq!(
        (s1, s2),
        (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED)
    );
    assert_eq!(b1, b2);
    assert_eq!(b1["message"], "Email or password is wrong");
    app.finish().await;
}

#[tokio::test]
async fn failed_sign_ins_lock_the_account() {
    let app = spawn_app_with(|s| {
        s.sign_in_lock_after_account = 3;
        s.sign_in_lock_after_address = 100;
        s.sign_in_slow_after = 2;
    })
    .await;
    let (_, owner_email, _) = app.create_org("Lock Test PG").await;
    let wrong = json!({ "email": owner_email, "password": "not the password" });
    let (s, _) = app.post("/api/v1/auth/sign-in", None, &wrong).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = app.post("/api/v1/auth/sign-in", None, &wrong).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // The third failure is slowed, then locks.
    let started = std::time::Instant::now();
    let (s, body) = app.post("/api/v1/auth/sign-in", None, &wrong).await;
    assert!(started.elapsed() >= std::time::Duration::from_millis(250));
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["code"], "locked");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("locked for 15 more minutes"),
        "{body}"
    );
    // Even the right password is refused while locked.
    let right = json!({ "email": owner_email, "password": PASSWORD });
    let (s, body) = app.post("/api/v1/auth/sign-in", None, &right).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["code"], "locked");
    // When the lock runs out, the right password works again.
    sqlx::query("UPDATE sign_in_failure SET locked_until = now() - interval '1 second'")
        .execute(&app.admin)
        .await
        .unwrap();
    let (s, body) = app.post("/api/v1/auth/sign-in", None, &right).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    app.finish().await;
}

#[tokio::test]
async fn failed_sign_ins_lock_the_address() {
    let app = spawn_app_with(|s| {
        s.sign_in_lock_after_account = 100;
        s.sign_in_lock_after_address = 3;
        s.sign_in_slow_after = 100;
    })
    .await;
    let (_, owner_email, _) = app.create_org("Address Lock PG").await;
    for i in 0..3 {
        let (s, _) = app
            .post(
                "/api/v1/auth/sign-in",
                None,
                &json!({ "email": format!("guess{i}@example.in"), "password": "guessing again" }),
            )
            .await;
        assert!(s == StatusCode::UNAUTHORIZED || s == StatusCode::TOO_MANY_REQUESTS);
    }
    let (s, body) = app
        .post(
            "/api/v1/auth/sign-in",
            None,
            &json!({ "email": owner_email, "password": PASSWORD }),
        )
        .await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["code"], "locked");
    app.finish().await;
}

#[tokio::test]
async fn one_time_password_must_be_changed_and_change_ends_other_sessions() {
    let app = spawn_app().await;
    let (org, _, owner) = app.create_org("OTP PG").await;
    let (status, created) = app
        .post(
            "/api/v1/users",
            Some(&owner),
            &json!({ "email": "Asha@Example.in", "full_name": "Asha Rao", "role": "accountant" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let otp = created["one_time_password"].as_str().unwrap().to_string();
    assert_eq!(created["user"]["email"], "asha@example.in");
    assert_eq!(created["user"]["must_change_password"], true);

    let first = app.sign_in("asha@example.in", &otp).await;
    let (status, body) = app.get("/api/v1/properties", Some(&first)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["code"], "password_change_required");
    let second = app.sign_in("asha@example.in", &otp).await;

    // Rules: too short, common, too long.
    for (new, expect) in [
        ("short", "at least 8"),
        ("password123", "most common"),
        (&"x1".repeat(33)[..], "at most 64"),
    ] {
        let (status, body) = app
            .post(
                "/api/v1/auth/change-password",
                Some(&first),
                &json!({ "current_password": otp, "new_password": new }),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["field"], "new_password");
        assert!(body["message"].as_str().unwrap().contains(expect), "{body}");
    }
    let (status, body) = app
        .post(
            "/api/v1/auth/change-password",
            Some(&first),
            &json!({ "current_password": "wrong one", "new_password": PASSWORD }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "current_password");

    let (status, _) = app
        .post(
            "/api/v1/auth/change-password",
            Some(&first),
            &json!({ "current_password": otp, "new_password": PASSWORD }),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/properties", Some(&first)).await.0,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/me", Some(&second)).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, _) = app
        .post(
            "/api/v1/auth/sign-in",
            None,
            &json!({ "email": "asha@example.in", "password": otp }),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.sign_in("asha@example.in", PASSWORD).await;

    // Argon2id with 19 MiB, 2 passes, 1 lane.
    let hash: String =
        sqlx::query_scalar("SELECT password_hash FROM app_user WHERE email = 'asha@example.in'")
            .fetch_one(&app.admin)
            .await
            .unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    let _ = org;
    app.finish().await;
}

#[tokio::test]
async fn disabling_a_user_ends_all_their_sessions() {
    let app = spawn_app().await;
    let (org, _, owner) = app.create_org("Disable PG").await;
    let (user, first) = app.add_user(org, "manager", vec![]).await;
    let email: String = sqlx::query_scalar("SELECT email FROM app_user WHERE id = $1")
        .bind(user)
        .fetch_one(&app.admin)
        .await
        .unwrap();
    let second = app.sign_in(&email, PASSWORD).await;
    let (status, body) = app
        .post(
            &format!("/api/v1/users/{user}/disable"),
            Some(&owner),
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["disabled"], true);
    for token in [&first, &second] {
        assert_eq!(
            app.get("/api/v1/me", Some(token)).await.0,
            StatusCode::UNAUTHORIZED
        );
    }
    let (status, body) = app
        .post(
            "/api/v1/auth/sign-in",
            None,
            &json!({ "email": email, "password": PASSWORD }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["code"], "account_disabled");
    let open: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM session WHERE user_id = $1 AND revoked_at IS NULL",
    )
    .bind(user)
    .fetch_one(&app.admin)
    .await
    .unwrap();
    assert_eq!(open, 0);
    // The owner cannot lock themself out.
    let me = app.get("/api/v1/me", Some(&owner)).await.1;
    let own_id = me["user"]["id"].as_str().unwrap();
    let (status, _) = app
        .post(
            &format!("/api/v1/users/{own_id}/disable"),
            Some(&owner),
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    app.finish().await;
}

#[tokio::test]
async fn requests_per_token_are_limited() {
    let app = spawn_app_with(|s| s.requests_per_minute = 5).await;
    let (_, _, owner) = app.create_org("Rate PG").await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(app.get("/api/v1/properties", Some(&owner)).await.0);
    }
    assert!(statuses.contains(&StatusCode::OK));
    let (status, body) = app.get("/api/v1/properties", Some(&owner)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["code"], "rate_limited");
    app.finish().await;
}
