//! The dues list a page at a time, on the sample business (three months
//! billed and paid): the pages are disjoint and together are the whole
//! list in its order, and every page carries the totals over all of it.

mod fixtures;

use chrono::Local;
use fixtures::ACTOR;
use multipms_domain::DomainError;
use multipms_store::ledger::TenantDues;
use multipms_store::{Store, StoreError};

#[tokio::test]
async fn pages_of_the_dues_list_add_up_to_the_whole_list() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    store.load_sample_portfolio(ACTOR).await.unwrap();
    let today = Local::now().date_naive();

    let whole = store.dues_with_ageing(today).await.unwrap();
    let owing: Vec<&TenantDues> = whole
        .tenants
        .iter()
        .filter(|t| t.outstanding_paise > 0)
        .collect();
    assert!(owing.len() > 10, "{} tenants owe", owing.len());

    for limit in [1, 7, 10, 1_000] {
        let mut paged: Vec<TenantDues> = Vec::new();
        let mut offset = 0;
        loop {
            let page = store.dues_page(today, offset, limit).await.unwrap();
            assert_eq!(page.offset, offset);
            assert_eq!(page.limit, limit);
            assert_eq!(page.as_of, whole.as_of);
            assert_eq!(page.owing_count as usize, owing.len());
            assert_eq!(page.total, whole.total);
            assert!(page.tenants.len() <= limit as usize);
            if page.tenants.is_empty() {
                break;
            }
            paged.extend(page.tenants);
            offset += limit;
        }
        // Disjoint and complete, in the whole list's order.
        let expected: Vec<TenantDues> = owing.iter().map(|t| (*t).clone()).collect();
        assert_eq!(paged, expected, "pages of {limit}");
    }

    // The totals are the sums over every tenant who owes or holds credit.
    let page = store.dues_page(today, 0, 5).await.unwrap();
    let sum = |f: fn(&TenantDues) -> i64| owing.iter().map(|t| f(t)).sum::<i64>();
    assert_eq!(page.total.total_paise, sum(|t| t.outstanding_paise));
    assert_eq!(
        page.total.days_0_30_paise,
        sum(|t| t.ageing.days_0_30_paise)
    );
    assert_eq!(
        page.total.days_31_60_paise,
        sum(|t| t.ageing.days_31_60_paise)
    );
    assert_eq!(
        page.total.days_61_90_paise,
        sum(|t| t.ageing.days_61_90_paise)
    );
    assert_eq!(page.total.over_90_paise, sum(|t| t.ageing.over_90_paise));
    let credit: Vec<&TenantDues> = whole
        .tenants
        .iter()
        .filter(|t| t.outstanding_paise == 0)
        .collect();
    assert_eq!(page.credit_count as usize, credit.len());
    assert_eq!(
        page.credit_paise,
        credit.iter().map(|t| t.credit_paise).sum::<i64>()
    );
    let summary = store.dues_summary(None, today).await.unwrap();
    assert_eq!(i64::from(page.owing_count), summary.tenants_owing);

    // Past the end: an empty page, the totals still there.
    let beyond = store.dues_page(today, page.owing_count, 200).await.unwrap();
    assert!(beyond.tenants.is_empty());
    assert_eq!(beyond.total, whole.total);
}

#[tokio::test]
async fn a_page_holds_1_to_1000_tenants() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let today = Local::now().date_naive();
    for limit in [0, 1_001] {
        match store.dues_page(today, 0, limit).await {
            Err(StoreError::Domain(DomainError::Invalid { field, .. })) => {
                assert_eq!(field, "limit")
            }
            other => panic!("limit {limit}: {other:?}"),
        }
    }
    let empty = store.dues_page(today, 0, 200).await.unwrap();
    assert_eq!(empty.owing_count, 0);
    assert!(empty.tenants.is_empty());
}
