//! A month's invoices a page at a time, on the sample business: the pages
//! are disjoint and together are the month's list in its numbered order,
//! each invoice with its tenant's name, and every page carries the count
//! and total of the whole month.

mod fixtures;

use fixtures::ACTOR;
use multipms_domain::billing::BillingMonth;
use multipms_domain::DomainError;
use multipms_store::invoice_page::InvoiceListed;
use multipms_store::{Store, StoreError};

#[tokio::test]
async fn pages_of_a_months_invoices_add_up_to_the_month() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    store.load_sample_portfolio(ACTOR).await.unwrap();
    let property = store.properties().await.unwrap()[0].id.clone();
    let month: String = sqlx::query_scalar("SELECT max(month) FROM invoice WHERE property_id = ?")
        .bind(&property)
        .fetch_one(store.pool())
        .await
        .unwrap();
    let month = BillingMonth::parse(&month, "month").unwrap();
    let whole = store.invoices_for_month(&property, month).await.unwrap();
    assert!(whole.len() > 10, "{} invoices", whole.len());
    // One cancelled: still listed and counted, not in the total.
    store
        .cancel_invoice(
            ACTOR,
            &whole[3].id,
            multipms_store::today(),
            "Billed twice by mistake",
        )
        .await
        .unwrap();
    let issued: i64 = whole
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 3)
        .map(|(_, invoice)| invoice.total_paise)
        .sum();

    for limit in [1, 7, 1_000] {
        let mut paged: Vec<InvoiceListed> = Vec::new();
        let mut offset = 0;
        loop {
            let page = store
                .invoice_page(&property, month, offset, limit)
                .await
                .unwrap();
            assert_eq!((page.offset, page.limit), (offset, limit));
            assert_eq!(page.month, month.key());
            assert_eq!(page.count as usize, whole.len());
            assert_eq!(page.issued_total_paise, issued);
            assert!(page.invoices.len() <= limit as usize);
            if page.invoices.is_empty() {
                break;
            }
            paged.extend(page.invoices);
            offset += limit;
        }
        let numbers: Vec<&str> = paged.iter().map(|i| i.number.as_str()).collect();
        let expected: Vec<&str> = whole.iter().map(|i| i.number.as_str()).collect();
        assert_eq!(numbers, expected, "pages of {limit}");
        assert_eq!(paged[3].status, "cancelled");
        for (listed, invoice) in paged.iter().zip(&whole).take(12) {
            assert_eq!(listed.id, invoice.id);
            assert_eq!(listed.total_paise, invoice.total_paise);
            assert_eq!(listed.due_on, invoice.due_on);
            let tenant = store.tenant(&invoice.tenant_id).await.unwrap();
            assert_eq!(listed.tenant_name, tenant.full_name);
        }
    }
}

#[tokio::test]
async fn a_page_of_no_or_too_many_invoices_is_refused_on_limit() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).await.unwrap();
    let month = BillingMonth::parse("2026-04", "month").unwrap();
    for limit in [0, 1_001] {
        match store.invoice_page("any", month, 0, limit).await {
            Err(StoreError::Domain(DomainError::Invalid { field, .. })) => {
                assert_eq!(field, "limit")
            }
            other => panic!("limit {limit}: {other:?}"),
        }
    }
}
