//! The store counts occupancy in SQL for speed; the rule is the domain's.
//! On random portfolios, both must give the same answer for every day.

use chrono::{Days, NaiveDate};
use multipms_domain::occupancy::occupancy_on;
use multipms_store::Store;
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Stay {
    bed: usize,
    start: u64,
    nights: Option<u64>,
    notice_after: Option<u64>,
}

fn day(n: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Days::new(n)
}

fn stays() -> impl Strategy<Value = (Vec<Option<u64>>, Vec<Stay>)> {
    let retired = prop::collection::vec(prop::option::weighted(0.2, 0u64..60), 6);
    let stays = prop::collection::vec(
        (
            0usize..6,
            0u64..60,
            prop::option::weighted(0.7, 1u64..30),
            prop::option::of(0u64..30),
        )
            .prop_map(|(bed, start, nights, notice_after)| Stay {
                bed,
                start,
                nights,
                notice_after,
            }),
        0..14,
    );
    (retired, stays)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn sql_counts_equal_the_domain_rule((retired, stays) in stays(), probe in 0u64..70) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(dir.path()).await.unwrap();
            // Two properties of three single beds each.
            for p in 0..2 {
                sqlx::query("INSERT INTO property (id, name, address_line1, city, state, state_code, pin_code, code, created_at, updated_at)
                             VALUES (?, 'P', 'A', 'C', 'S', 29, '560001', ?, 'x', 'x')")
                    .bind(format!("00000000-0000-7000-0001-00000000000{p}"))
                    .bind(format!("P{p}"))
                    .execute(store.pool()).await.unwrap();
            }
            for (b, retired_on) in retired.iter().enumerate() {
                sqlx::query("INSERT INTO room (id, property_id, floor, number, room_type, sharing, ac, rent_per_bed_paise, created_at, updated_at)
                             VALUES (?, ?, 1, ?, 'standard', 1, 0, 100, 'x', 'x')")
                    .bind(format!("00000000-0000-7000-0002-00000000000{b}"))
                    .bind(format!("00000000-0000-7000-0001-00000000000{}", b % 2))
                    .bind(format!("{b}"))
                    .execute(store.pool()).await.unwrap();
                sqlx::query("INSERT INTO bed (id, room_id, label, retired_on, created_at, updated_at) VALUES (?, ?, ?, ?, 'x', 'x')")
                    .bind(format!("00000000-0000-7000-0003-00000000000{b}"))
                    .bind(format!("00000000-0000-7000-0002-00000000000{b}"))
                    .bind(format!("{b}-A"))
                    .bind(retired_on.map(|d| day(d).to_string()))
                    .execute(store.pool()).await.unwrap();
            }
            sqlx::query("INSERT INTO tenant (id, full_name, mobile, created_at, updated_at) VALUES ('t', 'T', '+919000000000', 'x', 'x')")
                .execute(store.pool()).await.unwrap();
            for (i, s) in stays.iter().enumerate() {
                let move_out = s.nights.map(|n| day(s.start + n).to_string());
                let notice = s.notice_after.filter(|n| s.nights.is_none_or(|nights| *n < nights)).map(|n| day(s.start + n).to_string());
                // Overlapping stays are refused by the trigger; skip those.
                let _ = sqlx::query("INSERT INTO allocation (id, tenant_id, bed_id, move_in, move_out, notice_on, created_at, updated_at)
                                     VALUES (?, 't', ?, ?, ?, ?, 'x', 'x')")
                    .bind(format!("a{i}"))
                    .bind(format!("00000000-0000-7000-0003-00000000000{}", s.bed))
                    .bind(day(s.start).to_string())
                    .bind(move_out)
                    .bind(notice)
                    .execute(store.pool()).await;
            }
            let (beds, allocations) = store.occupancy_inputs().await.unwrap();
            let expected = occupancy_on(day(probe), &beds, &allocations);
            let actual = store.occupancy(day(probe)).await.unwrap();
            prop_assert_eq!(actual.overall, expected.overall);
            let expected_props: Vec<_> = expected.properties.into_iter().filter(|p| p.counts.total > 0).collect();
            prop_assert_eq!(actual.properties, expected_props);
            Ok(())
        })?;
    }
}
