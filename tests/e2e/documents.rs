//! A rental agreement added to a tenant through the UI: listed with its
//! name, a renamed program refused by name, and the stored file encrypted.

use crate::desk::Desk;

/// A one-page PDF that says "Leave and licence agreement".
fn agreement_pdf() -> Vec<u8> {
    let stream = "BT /F1 18 Tf 72 720 Td (Leave and licence agreement) Tj ET";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

#[tokio::test]
async fn a_contract_pdf_is_added_to_a_tenant_and_listed() {
    let data = tempfile::tempdir().unwrap();
    let desk = Desk::open("documents", data.path()).await;
    desk.fill("Business name", "Demo PG Group").await;
    desk.click("Save").await;
    desk.click("Explore with sample data").await;
    desk.sees("Room 101").await;

    desk.click("Tenants").await;
    desk.fill("Search tenants", "Aarav Sharma").await;
    desk.click("Aarav Sharma").await;
    desk.sees("Documents").await;
    desk.sees("No documents yet.").await;

    let pdf = agreement_pdf();
    let to_add = data.path().join("to-add");
    std::fs::write(to_add.join("agreement.pdf"), &pdf).unwrap();
    let mut program = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
    program.resize(4096, 0);
    std::fs::write(to_add.join("setup.pdf"), &program).unwrap();

    desk.click("Add files…").await;
    desk.sees("agreement.pdf").await;
    desk.sees("Rental agreement ·").await;
    desk.sees("setup.pdf is not a PDF, JPEG, PNG or WebP file")
        .await;
    desk.screenshot("documents").await;

    // One file in the vault, and none of the PDF's bytes readable in it.
    let mut stored = Vec::new();
    for shard in std::fs::read_dir(data.path().join("documents")).unwrap() {
        let shard = shard.unwrap().path();
        if shard.is_dir() {
            for file in std::fs::read_dir(&shard).unwrap() {
                stored.push(file.unwrap().path());
            }
        }
    }
    assert_eq!(stored.len(), 1, "one stored document: {stored:?}");
    let bytes = std::fs::read(&stored[0]).unwrap();
    assert!(
        !bytes.windows(16).any(|w| pdf.windows(16).any(|p| p == w)),
        "the stored file is encrypted"
    );
    desk.quit().await;
}
