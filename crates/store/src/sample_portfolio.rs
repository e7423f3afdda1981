//! A generated portfolio: realistic properties, rooms, beds, tenants and
//! stays, written in bulk. Benchmarks measure against it, and the app's
//! "Explore with sample data" can use a small one.

use chrono::{Days, NaiveDate};

use crate::clock::{iso, now};
use crate::database::Store;
use crate::error::StoreResult;

const FIRST_NAMES: &[&str] = &[
    "Aarav", "Vivaan", "Aditya", "Vihaan", "Arjun", "Sai", "Reyansh", "Ayaan", "Krishna", "Ishaan",
    "Ananya", "Diya", "Saanvi", "Aadhya", "Pari", "Anika", "Navya", "Myra", "Sara", "Lakshmi",
    "Rohan", "Karthik", "Priya", "Meera", "Farhan", "Imran", "Gurpreet", "Harpreet", "Deepa",
    "Sunita", "Ravi", "Kiran", "Anita", "Mohan", "Suresh", "Lalitha", "Venkat", "Nikhil", "Pooja",
    "Sneha",
];
const SURNAMES: &[&str] = &[
    "Sharma",
    "Verma",
    "Iyer",
    "Nair",
    "Reddy",
    "Rao",
    "Kumar",
    "Singh",
    "Patel",
    "Shah",
    "Gupta",
    "Mehta",
    "Das",
    "Ghosh",
    "Banerjee",
    "Mukherjee",
    "Pillai",
    "Menon",
    "Naidu",
    "Khan",
    "Ali",
    "Fernandes",
    "D'Souza",
    "Joshi",
    "Kulkarni",
    "Deshpande",
    "Chopra",
    "Malhotra",
    "Bose",
    "Narayanan",
];
const CITIES: &[(&str, &str, u32)] = &[
    ("Bengaluru", "Karnataka", 560034),
    ("Pune", "Maharashtra", 411001),
    ("Hyderabad", "Telangana", 500081),
    ("Chennai", "Tamil Nadu", 600041),
    ("Gurugram", "Haryana", 122002),
    ("Noida", "Uttar Pradesh", 201301),
];

/// Months of invoices and payments the sample business starts with.
const SAMPLE_MONTHS_BILLED: u32 = 3;

/// How large a portfolio to make.
#[derive(Debug, Clone, Copy)]
pub struct SampleSize {
    pub properties: u32,
    pub rooms_per_property: u32,
    /// Beds per room, 1–6.
    pub sharing: u32,
    /// Tenants in all; those beyond the beds that are let have past stays.
    pub tenants: u32,
    /// Share of beds let today, in percent.
    pub occupancy_percent: u32,
}

impl SampleSize {
    /// 50,000 beds and 60,000 tenants: the benchmark portfolio.
    pub const LARGE: SampleSize = SampleSize {
        properties: 100,
        rooms_per_property: 250,
        sharing: 2,
        tenants: 60_000,
        occupancy_percent: 90,
    };

    /// 56,000 beds, 90% let: over 50,000 active contracts, the billing
    /// benchmark's portfolio.
    pub const BILLING: SampleSize = SampleSize {
        properties: 100,
        rooms_per_property: 280,
        sharing: 2,
        tenants: 62_000,
        occupancy_percent: 90,
    };

    /// Two PGs of a dozen triple-sharing rooms: what a new user explores.
    pub const SMALL: SampleSize = SampleSize {
        properties: 2,
        rooms_per_property: 12,
        sharing: 3,
        tenants: 80,
        occupancy_percent: 85,
    };

    pub fn beds(&self) -> u32 {
        self.properties * self.rooms_per_property * self.sharing
    }
}

fn id(kind: u32, n: u32) -> String {
    // Deterministic UUID-shaped ids keep runs comparable.
    format!("00000000-0000-7000-{kind:04x}-{n:012x}")
}

/// Writes a portfolio of `size` into an empty store, in one transaction,
/// with stays around `today`, and builds the search index.
pub async fn generate(store: &Store, size: SampleSize, today: NaiveDate) -> StoreResult<()> {
    let mut tx = store.begin_write().await?;
    write_portfolio(&mut tx, size, today).await?;
    tx.commit().await?;
    Ok(())
}

async fn write_portfolio(
    tx: &mut sqlx::SqliteConnection,
    size: SampleSize,
    today: NaiveDate,
) -> StoreResult<()> {
    let stamp = now();
    let mut bed_no = 0u32;
    let mut bed_ids = Vec::with_capacity(size.beds() as usize);
    for p in 0..size.properties {
        let (city, state, pin) = CITIES[p as usize % CITIES.len()];
        let property_id = id(1, p);
        sqlx::query(
            "INSERT INTO property (id, name, address_line1, city, state, state_code, pin_code, code, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, 29, ?, ?, ?, ?)",
        )
        .bind(&property_id)
        .bind(format!("{} Residency {}", SURNAMES[p as usize % SURNAMES.len()], p + 1))
        .bind(format!("{}, {} Main Road", 10 + p, p % 20 + 1))
        .bind(city)
        .bind(state)
        .bind(pin.to_string())
        .bind(format!("{}R{}", &SURNAMES[p as usize % SURNAMES.len()][..1], p + 1))
        .bind(&stamp)
        .bind(&stamp)
        .execute(&mut *tx)
        .await?;
        for r in 0..size.rooms_per_property {
            let room_id = id(2, p * 10_000 + r);
            let floor = r / 25 + 1;
            let number = format!("{floor}{:02}", r % 25 + 1);
            sqlx::query(
                "INSERT INTO room (id, property_id, floor, number, room_type, sharing, ac, rent_per_bed_paise, created_at, updated_at)
                 VALUES (?, ?, ?, ?, 'standard', ?, ?, ?, ?, ?)",
            )
            .bind(&room_id)
            .bind(&property_id)
            .bind(floor)
            .bind(&number)
            .bind(size.sharing)
            .bind(r % 3 == 0)
            .bind(i64::from(6_000 + (r % 7) * 1_000) * 100)
            .bind(&stamp)
            .bind(&stamp)
            .execute(&mut *tx)
            .await?;
            for b in 0..size.sharing {
                let bed_id = id(3, bed_no);
                bed_no += 1;
                sqlx::query(
                    "INSERT INTO bed (id, room_id, label, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                )
                .bind(&bed_id)
                .bind(&room_id)
                .bind(format!("{number}-{}", char::from(b'A' + b as u8)))
                .bind(&stamp)
                .bind(&stamp)
                .execute(&mut *tx)
                .await?;
                bed_ids.push(bed_id);
            }
        }
    }
    let let_beds = (size.beds() as u64 * u64::from(size.occupancy_percent) / 100) as usize;
    // Stays today began between a month and fourteen months ago; earlier
    // tenants came within the last three years and stayed ten months.
    let current_start = |slot: usize| {
        today
            .checked_sub_days(Days::new(30 + (slot as u64 * 37) % 400))
            .unwrap_or(today)
    };
    let past_start = |slot: usize| {
        today
            .checked_sub_days(Days::new(1_095 - (slot as u64 * 13) % 365))
            .unwrap_or(today)
    };
    for t in 0..size.tenants {
        let tenant_id = id(4, t);
        let first = FIRST_NAMES[t as usize % FIRST_NAMES.len()];
        let last = SURNAMES[(t as usize * 7 + t as usize / FIRST_NAMES.len()) % SURNAMES.len()];
        let mobile = format!("+91{}", 9_000_000_000u64 + u64::from(t) * 7 % 1_000_000_000);
        sqlx::query(
            "INSERT INTO tenant (id, full_name, mobile, police_verification, created_at, updated_at)
             VALUES (?, ?, ?, 'verified', ?, ?)",
        )
        .bind(&tenant_id)
        .bind(format!("{first} {last}"))
        .bind(&mobile)
        .bind(&stamp)
        .bind(&stamp)
        .execute(&mut *tx)
        .await?;
        // The first `let_beds` tenants stay today (every 10th on notice); the
        // rest stayed earlier on the same beds and have left.
        let slot = t as usize;
        let (bed, move_in, move_out, notice) = if slot < let_beds {
            let noticed = slot.is_multiple_of(10);
            (
                &bed_ids[slot],
                current_start(slot),
                noticed.then(|| today.checked_add_days(Days::new(20)).unwrap_or(today)),
                noticed.then(|| today.checked_sub_days(Days::new(10)).unwrap_or(today)),
            )
        } else {
            (
                &bed_ids[slot % bed_ids.len()],
                past_start(slot),
                Some(
                    past_start(slot)
                        .checked_add_days(Days::new(300))
                        .unwrap_or(today),
                ),
                None,
            )
        };
        sqlx::query(
            "INSERT INTO allocation (id, tenant_id, bed_id, move_in, move_out, notice_on, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id(5, t))
        .bind(&tenant_id)
        .bind(bed)
        .bind(iso(move_in))
        .bind(move_out.map(iso))
        .bind(notice.map(iso))
        .bind(&stamp)
        .bind(&stamp)
        .execute(&mut *tx)
        .await?;
    }
    // Every stay that runs today has an active contract at the room's rent,
    // two months' deposit, billed on the 1st with a month's notice.
    sqlx::query(
        "INSERT INTO contract (id, allocation_id, monthly_rent_paise, deposit_paise, billing_day,
            lock_in_months, notice_days, escalation_bp, starts_on, ends_on, status, created_at, updated_at)
         SELECT '00000000-0000-7000-0006-' || substr(a.id, 25), a.id, r.rent_per_bed_paise,
                2 * r.rent_per_bed_paise, 1, 3, 30, 500, a.move_in, NULL, 'active', ?, ?
         FROM allocation a JOIN bed b ON b.id = a.bed_id JOIN room r ON r.id = b.room_id
         WHERE a.move_out IS NULL OR a.move_out > ?",
    )
    .bind(&stamp)
    .bind(&stamp)
    .bind(iso(today))
    .execute(&mut *tx)
    .await?;
    // Stays that have ended had their contract, now ended.
    sqlx::query(
        "INSERT INTO contract (id, allocation_id, monthly_rent_paise, deposit_paise, billing_day,
            lock_in_months, notice_days, escalation_bp, starts_on, ends_on, status, created_at, updated_at)
         SELECT '00000000-0000-7000-0006-' || substr(a.id, 25), a.id, r.rent_per_bed_paise,
                2 * r.rent_per_bed_paise, 1, 3, 30, 500, a.move_in, date(a.move_out, '-1 day'),
                'ended', ?, ?
         FROM allocation a JOIN bed b ON b.id = a.bed_id JOIN room r ON r.id = b.room_id
         WHERE a.move_out IS NOT NULL AND a.move_out <= ?",
    )
    .bind(&stamp)
    .bind(&stamp)
    .bind(iso(today))
    .execute(&mut *tx)
    .await?;
    crate::search::rebuild(&mut *tx).await?;
    Ok(())
}

impl Store {
    /// Fills an empty desk with the small sample portfolio, its tenants'
    /// security deposits and its last three months of invoices and
    /// payments, so a new user sees a working business at once. Refused
    /// once any property exists.
    pub async fn load_sample_portfolio(&self, actor: &str) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let properties: i64 = sqlx::query_scalar("SELECT count(*) FROM property")
            .fetch_one(&mut *tx)
            .await?;
        if properties > 0 {
            return Err(multipms_domain::DomainError::conflict(
                "Sample data can only be loaded into an empty desk; this one already has properties",
            )
            .into());
        }
        let today = crate::clock::today();
        write_portfolio(&mut tx, SampleSize::SMALL, today).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEntry::<(), _> {
                desk_id: self.desk_id(),
                actor,
                action: "create",
                entity: "sample_portfolio",
                entity_id: "small",
                before: None,
                after: Some(&serde_json::json!({
                    "properties": SampleSize::SMALL.properties,
                    "beds": SampleSize::SMALL.beds(),
                    "tenants": SampleSize::SMALL.tenants,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        self.collect_sample_deposits(actor).await?;
        self.bill_sample_months(actor, today, SAMPLE_MONTHS_BILLED)
            .await?;
        Ok(())
    }
}
