//! How fast invoices render: 500 varied invoices, one PDF each, on one
//! thread and on all cores; and the same invoice printed from HTML by
//! headless Chromium, the usual alternative.
//!
//! `cargo bench -p multipms-invoice-pdf --bench render`
//! (Chromium: Debian package `chromium`; skipped when missing.)

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use multipms_domain::dates::format_date;
use multipms_domain::payment::PaymentMode;
use multipms_domain::upi::UpiId;
use multipms_domain::Paise;
use multipms_invoice_pdf::samples::{exempt_line, gst_line, sample_invoice, totals_of};
use multipms_invoice_pdf::{render_invoice, InvoiceDocument, PaymentDoc, Period, UpiPayee};

const INVOICES: usize = 500;
const CHROMIUM_PRINTS: usize = 20;

/// A small deterministic generator, so every run benches the same invoices.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const FIRST: &[&str] = &[
    "Ananya", "Rahul", "Priya", "Mohammed", "Sneha", "Arjun", "Kavya", "Rohan", "Fatima", "Vikram",
    "Lakshmi", "Joseph", "Meera", "Sandeep", "Zoya", "Harpreet",
];
const LAST: &[&str] = &[
    "Iyer",
    "Sharma",
    "Reddy",
    "Khan",
    "Patil",
    "Nair",
    "Banerjee",
    "D'Souza",
    "Gupta",
    "Chatterjee",
    "Venkataraman",
    "Singh",
    "Menon",
    "Kulkarni",
];
const CHARGES: &[(&str, &str)] = &[
    ("Meals (breakfast and dinner)", "996331"),
    ("Housekeeping and laundry", "998533"),
    ("Wi-Fi", "998422"),
    ("Parking (two-wheeler)", "996743"),
    ("Gym access", "999723"),
    ("Late fee for March", "997212"),
];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn invoices() -> Vec<InvoiceDocument> {
    let mut rng = Lcg(42);
    (0..INVOICES)
        .map(|i| {
            let mut doc = sample_invoice();
            doc.number = format!("BLR{}/26-27/{:05}", 1 + i % 3, i + 1);
            doc.tenant_name = format!("{} {}", rng.pick(FIRST), rng.pick(LAST));
            doc.room_bed = format!(
                "Room {}{:02}, Bed {}",
                1 + rng.below(4),
                1 + rng.below(20),
                ["A", "B", "C"][rng.below(3) as usize]
            );
            let taxed = rng.below(2) == 0;
            let line = |d: &str, detail: Option<&str>, sac: &str, p: Paise| {
                if taxed {
                    gst_line(d, detail, sac, p)
                } else {
                    exempt_line(d, detail, sac, p)
                }
            };
            let rent = Paise(((6_000 + rng.below(14_000)) * 100) as i64);
            let mut lines = vec![line(
                "Rent for April 2026",
                (rng.below(3) == 0).then_some("prorated 12 of 30 days"),
                if taxed { "996311" } else { "997211" },
                rent,
            )];
            lines.push(line(
                "Electricity",
                Some("readings 1200 → 1320, 120 units × ₹9.00, split 10 of 30 days"),
                "996311",
                Paise((300 + rng.below(1_500)) as i64 * 100),
            ));
            let extra = 1 + rng.below(6) as usize;
            for k in 0..extra {
                let (d, sac) = CHARGES[(i + k) % CHARGES.len()];
                lines.push(line(
                    d,
                    None,
                    sac,
                    Paise((200 + rng.below(4_000)) as i64 * 100),
                ));
            }
            doc.totals = totals_of(&lines);
            doc.lines = lines;
            doc.title = if taxed {
                "Tax Invoice"
            } else {
                "Bill of Supply"
            }
            .into();
            doc.gst_note = Some(if taxed {
                "Taxable at 18% (CGST 9% + SGST 9%).".into()
            } else {
                "Exempt: residential dwelling (SAC 997211).".into()
            });
            let paid = if rng.below(2) == 0 {
                Paise(doc.totals.total.as_i64() / 2)
            } else {
                Paise::ZERO
            };
            doc.payments = if paid.is_zero() {
                Vec::new()
            } else {
                vec![PaymentDoc {
                    date: date(2026, 4, 3),
                    mode: PaymentMode::Upi,
                    reference: Some(format!("UTR {}", 600_000_000_000 + rng.below(99_999_999))),
                    amount: paid,
                }]
            };
            doc.amount_due = Paise(doc.totals.total.as_i64() - paid.as_i64());
            doc.upi = (rng.below(3) != 0).then(|| UpiPayee {
                vpa: UpiId::parse("saicomforts@okhdfcbank", "upi").unwrap(),
                name: "Sai Comforts Co-Living".into(),
            });
            doc.period = Period {
                from: date(2026, 4, 1),
                to: date(2026, 4, 30),
            };
            doc
        })
        .collect()
}

fn render_all(docs: &[InvoiceDocument]) -> usize {
    docs.iter()
        .map(|d| render_invoice(d).expect("renders").len())
        .sum()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The same invoice as a small HTML page, as a template engine would make it.
fn html(doc: &InvoiceDocument) -> String {
    let m = |p: Paise| p.to_indian_string();
    let mut rows = String::new();
    for l in &doc.lines {
        rows.push_str(&format!(
            "<tr><td>{}<div class=d>{}</div></td><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n><b>{}</b></td></tr>\n",
            escape(&l.description),
            escape(l.detail.as_deref().unwrap_or("")),
            escape(l.sac.as_deref().unwrap_or("")),
            m(l.taxable_value),
            m(l.cgst),
            m(if l.sgst.is_zero() { l.igst } else { l.sgst }),
            m(l.total)
        ));
    }
    let t = doc.totals;
    format!(
        r#"<!doctype html><html><head><meta charset="utf-8"><title>{title} {number}</title>
<style>
@page {{ size: A4; margin: 12.7mm }}
body {{ font-family: "Noto Sans", sans-serif; font-size: 8.5pt; color: #1a1c21 }}
h1 {{ color: #14457a; font-size: 15pt; margin: 0 }} h2 {{ text-align: right; font-size: 16pt; margin: 0 }}
.head {{ display: flex; justify-content: space-between; border-bottom: 1pt solid #14457a; padding-bottom: 8pt }}
table {{ width: 100%; border-collapse: collapse; margin-top: 12pt }}
th {{ background: #eef2f7; color: #14457a; text-align: left; padding: 4pt }}
td {{ border-bottom: .5pt solid #c7ccd4; padding: 4pt; vertical-align: top }}
.n {{ text-align: right }} .d {{ color: #61666f; font-size: 7.5pt }}
.due {{ background: #eef2f7; border-left: 3pt solid #14457a; padding: 8pt; width: 220pt; margin-left: auto; font-size: 17pt; font-weight: bold }}
</style></head><body>
<div class=head><div><h1>{seller}</h1>{address}</div><div><h2>{title}</h2>Invoice No. <b>{number}</b><br>Invoice date <b>{date}</b><br>Due date <b>{due}</b></div></div>
<p>BILL TO<br><b>{tenant}</b><br>{room}<br>Place of supply {state}</p>
<table><tr><th>Description</th><th>SAC</th><th class=n>Taxable</th><th class=n>CGST</th><th class=n>SGST</th><th class=n>Amount</th></tr>
{rows}</table>
<p>Taxable value {taxable} · CGST {cgst} · SGST {sgst} · Round off {round} · <b>Total {total}</b></p>
<p><b>{words}</b></p>
<div class=due>Amount due<br>{amount_due}</div>
<p style="font-size:7pt;color:#61666f">Computer-generated invoice. No signature required.</p>
</body></html>"#,
        title = escape(&doc.title),
        number = escape(&doc.number),
        seller = escape(&doc.seller.name),
        address = doc
            .seller
            .address_lines
            .iter()
            .map(|a| escape(a))
            .collect::<Vec<_>>()
            .join("<br>"),
        date = format_date(doc.date),
        due = format_date(doc.due_date),
        tenant = escape(&doc.tenant_name),
        room = escape(&doc.room_bed),
        state = escape(&doc.property_state),
        taxable = m(t.taxable_value),
        cgst = m(t.cgst),
        sgst = m(t.sgst),
        round = m(t.round_off),
        total = m(t.total),
        words = escape(&t.total.amount_in_words()),
        amount_due = m(doc.amount_due),
    )
}

fn chromium_binary() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// Prints `html_path` to PDF `CHROMIUM_PRINTS` times; the mean time per print.
fn chromium_prints(binary: &str, dir: &Path, html_path: &Path) -> Result<Duration, String> {
    let start = Instant::now();
    for i in 0..CHROMIUM_PRINTS {
        let profile = dir.join(format!("profile-{i}"));
        let out = dir.join(format!("chromium-{i}.pdf"));
        let status = Command::new(binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-pdf-header-footer",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--print-to-pdf={}", out.display()))
            .arg(format!("file://{}", html_path.display()))
            .output()
            .map_err(|e| e.to_string())?;
        let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        if !status.status.success() || size == 0 {
            return Err(format!(
                "print {i} failed: {}",
                String::from_utf8_lossy(&status.stderr)
            ));
        }
    }
    Ok(start.elapsed() / CHROMIUM_PRINTS as u32)
}

/// CPU time this process has used (user + system), from /proc/self/stat:
/// on a machine shared with other builds, wall time overstates our cost.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line, in clock
    // ticks (100 a second on Linux).
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

fn main() {
    let docs = invoices();
    let lines: usize = docs.iter().map(|d| d.lines.len()).sum();
    let with_qr = docs
        .iter()
        .filter(|d| d.upi.is_some() && d.amount_due > Paise::ZERO)
        .count();
    // Warm up: parse the fonts once, as a running app would have.
    render_invoice(&docs[0]).expect("renders");

    let cpu_start = cpu_time();
    let start = Instant::now();
    let bytes = render_all(&docs);
    let one_thread = start.elapsed();
    let one_thread_cpu = cpu_start.zip(cpu_time()).map(|(a, b)| b.saturating_sub(a));

    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let start = Instant::now();
    let chunk = docs.len().div_ceil(threads);
    let bytes_mt: usize = std::thread::scope(|s| {
        let handles: Vec<_> = docs
            .chunks(chunk)
            .map(|part| s.spawn(move || render_all(part)))
            .collect();
        handles.into_iter().map(|h| h.join().expect("thread")).sum()
    });
    let all_cores = start.elapsed();
    // Not byte-identical (each PDF gets fresh ids), but all rendered.
    assert!(bytes_mt > INVOICES * 1024);

    // The same single invoice, ours and Chromium's.
    let same = &docs[0];
    let start = Instant::now();
    for _ in 0..CHROMIUM_PRINTS {
        render_invoice(same).expect("renders");
    }
    let ours_same = start.elapsed() / CHROMIUM_PRINTS as u32;

    let rate = |n: usize, d: Duration| n as f64 / d.as_secs_f64();
    let per_ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!();
    println!(
        "Invoice PDF rendering ({INVOICES} invoices, {lines} lines, {with_qr} with a UPI QR code)"
    );
    println!("{:-<72}", "");
    println!(
        "{:<34} {:>12} {:>12} {:>10}",
        "", "invoices/s", "ms/invoice", "total s"
    );
    println!(
        "{:<34} {:>12.0} {:>12.2} {:>10.2}",
        "printpdf, 1 thread",
        rate(INVOICES, one_thread),
        per_ms(one_thread) / INVOICES as f64,
        one_thread.as_secs_f64()
    );
    println!(
        "{:<34} {:>12.0} {:>12.2} {:>10.2}",
        format!("printpdf, {threads} threads"),
        rate(INVOICES, all_cores),
        per_ms(all_cores) / INVOICES as f64,
        all_cores.as_secs_f64()
    );
    if let Some(cpu) = one_thread_cpu.filter(|c| !c.is_zero()) {
        println!(
            "{:<34} {:>12.0} {:>12.2} {:>10.2}",
            "printpdf, 1 thread, CPU time only",
            rate(INVOICES, cpu),
            per_ms(cpu) / INVOICES as f64,
            cpu.as_secs_f64()
        );
    }
    println!(
        "average PDF size: {:.1} KB",
        bytes as f64 / INVOICES as f64 / 1024.0
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let html_path = dir.path().join("invoice.html");
    std::fs::write(&html_path, html(same)).expect("html written");
    match chromium_binary() {
        None => println!("\nChromium: not installed, skipped (Debian package `chromium`)."),
        Some(binary) => match chromium_prints(binary, dir.path(), &html_path) {
            Err(e) => println!("\nChromium: {e}; skipped."),
            Ok(chromium) => {
                println!(
                    "\nThe same invoice, {CHROMIUM_PRINTS} times (ours 1 thread vs {binary} --headless --print-to-pdf):"
                );
                println!(
                    "{:<34} {:>12.0} {:>12.2}",
                    "printpdf",
                    rate(1, ours_same),
                    per_ms(ours_same)
                );
                println!(
                    "{:<34} {:>12.2} {:>12.1}",
                    "Chromium",
                    rate(1, chromium),
                    per_ms(chromium)
                );
                println!(
                    "ours / Chromium: {:.0}× faster",
                    chromium.as_secs_f64() / ours_same.as_secs_f64()
                );
            }
        },
    }
    println!("{:-<72}", "");
    println!("Note: a shared 2-core machine; other builds may run at the same time.");
}
