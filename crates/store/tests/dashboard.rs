//! The dashboard's figures against the records they summarise, on the
//! sample business (three months billed and paid) and on a hand-made one.

mod fixtures;

use chrono::{Days, Local};
use fixtures::{fixture, ACTOR};
use multipms_store::Store;

#[tokio::test]
async fn the_sample_business_dashboard_adds_up() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    store.load_sample_portfolio(ACTOR).await.unwrap();
    let today = Local::now().date_naive();
    let all = store.dashboard(None, today).await.unwrap();

    assert_eq!(all.occupancy.total, 72);
    assert_eq!(all.occupancy_history.len(), 12);
    let now = all.occupancy_history.last().unwrap();
    assert_eq!(now.occupied, i64::from(all.occupancy.occupied));
    assert_eq!(now.beds, 72);

    // Three months billed and paid, most of it: the sample's history.
    let billed_months: Vec<_> = all.money.iter().filter(|m| m.billed_paise > 0).collect();
    assert_eq!(billed_months.len(), 3, "{:?}", all.money);
    let invoiced: i64 = sqlx::query_scalar("SELECT sum(total_paise) FROM invoice")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(
        all.money.iter().map(|m| m.billed_paise).sum::<i64>(),
        invoiced
    );
    let paid: i64 =
        sqlx::query_scalar("SELECT sum(amount_paise) FROM payment WHERE purpose = 'dues'")
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!(
        all.money.iter().map(|m| m.collected_paise).sum::<i64>(),
        paid
    );
    assert!(paid < invoiced, "some of the latest month is unpaid");

    let dues = store.dues_with_ageing(today).await.unwrap();
    let summary = store.dues_summary(None, today).await.unwrap();
    assert_eq!(summary.ageing, dues.total);
    assert_eq!(
        summary.tenants_owing,
        dues.tenants
            .iter()
            .filter(|t| t.outstanding_paise > 0)
            .count() as i64
    );
    assert!(summary.tenants_owing > 0);

    // Each property's figures add up to the whole business's.
    let properties = store.properties().await.unwrap();
    let mut billed = vec![0i64; 12];
    let mut beds = 0;
    let mut owing = 0;
    for p in &properties {
        owing += store
            .dues_summary(Some(&p.id), today)
            .await
            .unwrap()
            .tenants_owing;
        let one = store.dashboard(Some(&p.id), today).await.unwrap();
        assert_eq!(one.property_id.as_deref(), Some(p.id.as_str()));
        beds += one.occupancy.total;
        for (i, m) in one.money.iter().enumerate() {
            billed[i] += m.billed_paise;
        }
    }
    assert_eq!(beds, 72);
    assert!(
        owing >= summary.tenants_owing,
        "every owing tenant stayed in a property"
    );
    assert_eq!(
        billed,
        all.money.iter().map(|m| m.billed_paise).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn this_weeks_move_ins_and_move_outs_are_listed() {
    let f = fixture().await;
    let today = Local::now().date_naive();
    let in_three_days = (today + Days::new(3)).format("%Y-%m-%d").to_string();
    let next_month = (today + Days::new(30)).format("%Y-%m-%d").to_string();
    f.tenant(
        "Ravi Kumar",
        "9876543211",
        0,
        &in_three_days,
        "8,000",
        "active",
    )
    .await;
    f.tenant(
        "Meera Iyer",
        "9876543212",
        1,
        &next_month,
        "8,000",
        "active",
    )
    .await;
    let board = f.store.dashboard(None, today).await.unwrap();
    assert_eq!(board.moving_in.len(), 1, "{:?}", board.moving_in);
    assert_eq!(board.moving_in[0].full_name, "Ravi Kumar");
    assert_eq!(board.moving_in[0].room, "204");
    assert_eq!(board.moving_in[0].on, in_three_days);
    assert!(board.moving_out.is_empty());
    assert_eq!(board.occupancy.reserved, 2);
}

/// The beds and occupied beds of each month end, against the plain
/// definition asked of the tables day by day: stays that began, ended and
/// changed beds over the year, and a bed retired in the middle of it.
#[tokio::test]
async fn each_months_occupancy_agrees_with_the_stays_of_that_day() {
    let f = fixture().await;
    let today = Local::now().date_naive();
    let ago = |days: u64| (today - Days::new(days)).format("%Y-%m-%d").to_string();
    let stay = |name: &'static str, bed: usize, move_in: String, move_out: Option<String>| {
        let f = &f;
        async move {
            f.stay(
                name,
                "9876543210",
                &f.beds[bed],
                &move_in,
                move_out.as_deref(),
            )
            .await;
        }
    };
    stay("Kiran Rao", 2, ago(340), Some(ago(110))).await;
    stay("Asha Menon", 0, ago(200), None).await;
    stay("Ravi Kumar", 1, ago(150), Some(ago(70))).await;
    stay("Meera Iyer", 1, ago(40), None).await;
    f.store
        .retire_bed(ACTOR, &f.beds[2], today - Days::new(100))
        .await
        .unwrap();

    for property in [None, Some(f.property_id.as_str())] {
        let board = f.store.dashboard(property, today).await.unwrap();
        for month in &board.occupancy_history {
            let beds: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM bed WHERE retired_on IS NULL OR retired_on > ?",
            )
            .bind(&month.on)
            .fetch_one(f.store.pool())
            .await
            .unwrap();
            let occupied: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM allocation a JOIN bed b ON b.id = a.bed_id
                 WHERE a.move_in <= ?1 AND (a.move_out IS NULL OR a.move_out > ?1)
                   AND (b.retired_on IS NULL OR b.retired_on > ?1)",
            )
            .bind(&month.on)
            .fetch_one(f.store.pool())
            .await
            .unwrap();
            assert_eq!((month.beds, month.occupied), (beds, occupied), "{month:?}");
        }
        // Today: Asha and Meera, on the two beds still in service; a year
        // ago, Kiran alone, on three.
        let now = board.occupancy_history.last().unwrap();
        assert_eq!((now.beds, now.occupied), (2, 2));
        let first = &board.occupancy_history[0];
        assert_eq!(first.beds, 3);
        assert_eq!(first.occupied, 1, "{first:?}");
        let distinct: std::collections::BTreeSet<_> = board
            .occupancy_history
            .iter()
            .map(|m| (m.beds, m.occupied))
            .collect();
        assert!(distinct.len() >= 3, "the year changes: {distinct:?}");
    }
}
