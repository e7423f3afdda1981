//! What a printed invoice shows: the bed, and only the payments that still
//! stand against it, with what remains due.

mod fixtures;

use fixtures::{cash, d, fixture, month, upi, ACTOR};

#[tokio::test]
async fn a_printed_invoice_lists_standing_payments_and_what_is_due() {
    let f = fixture().await;
    let tenant = f
        .tenant(
            "Ravi Kumar",
            "9876543211",
            1,
            "2026-04-01",
            "8,000",
            "active",
        )
        .await;
    let run = f
        .store
        .run_billing(ACTOR, &f.property_id, month("2026-04"), d("2026-04-01"))
        .await
        .unwrap();
    let invoice_id = run.created[0].id.clone();
    f.store
        .record_payment(ACTOR, &tenant, &cash("3,000", "2026-04-03"))
        .await
        .unwrap();
    let wrong = f
        .store
        .record_payment(ACTOR, &tenant, &upi("2,000", "2026-04-04", "412345678901"))
        .await
        .unwrap();
    f.store
        .reverse_payment(
            ACTOR,
            &wrong.payment.id,
            d("2026-04-05"),
            "Another tenant's",
        )
        .await
        .unwrap();

    let print = f.store.invoice_for_print(&invoice_id).await.unwrap();
    assert_eq!(print.tenant_name, "Ravi Kumar");
    assert_eq!(print.property.name, "Sai Comforts PG");
    assert!(
        print.room_bed.starts_with("Room 204, bed "),
        "{}",
        print.room_bed
    );
    assert_eq!(print.payments.len(), 1, "the reversed payment is not shown");
    assert_eq!(print.payments[0].mode, "cash");
    assert_eq!(print.payments[0].amount_paise, 300_000);
    assert_eq!(print.amount_due_paise, print.invoice.total_paise - 300_000);

    let month_print = f
        .store
        .month_for_print(&f.property_id, month("2026-04"))
        .await
        .unwrap();
    assert_eq!(month_print.len(), 1);
    assert_eq!(month_print[0].invoice.number, print.invoice.number);
}
