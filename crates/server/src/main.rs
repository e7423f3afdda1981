//! `multipms-server`: serve, migrate, create-org, add-user.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use multipms_server::accounts::{self, NewUser};
use multipms_server::{db, Application, Settings};
use tracing_subscriber::EnvFilter;
use uuid::Uuid;

/// The MultiPMS central server.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Settings file (TOML); environment variables override it.
    #[arg(long, global = true, env = "MULTIPMS_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API.
    Serve,
    /// Bring the database schema up to date (as the owner of the tables:
    /// admin_database_url, else database_url).
    Migrate,
    /// Make an organisation and its owner; prints the owner's one-time
    /// password.
    CreateOrg {
        /// Business name.
        #[arg(long)]
        name: String,
        /// The owner's sign-in email.
        #[arg(long)]
        owner_email: String,
        /// The owner's name (defaults to the email).
        #[arg(long)]
        owner_name: Option<String>,
    },
    /// Add a user to an organisation; prints their one-time password.
    AddUser {
        /// The organisation's id (printed by create-org).
        #[arg(long)]
        org: Uuid,
        /// Sign-in email.
        #[arg(long)]
        email: String,
        /// Name.
        #[arg(long)]
        name: String,
        /// owner, manager, front_desk, caretaker or accountant.
        #[arg(long)]
        role: String,
        /// Property code (BLR1) a front desk user or caretaker works on;
        /// repeat for more.
        #[arg(long = "property")]
        properties: Vec<String>,
    },
}

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::load(cli.config.as_deref())?;
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|f| EnvFilter::try_new(f).ok())
        .or_else(|| EnvFilter::try_new(&settings.log_level).ok())
        .unwrap_or_else(|| EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).init();
    match cli.command {
        Command::Serve => {
            let app = Application::build(settings).await?;
            app.run_until_stopped().await
        }
        Command::Migrate => {
            settings.check_database()?;
            db::migrate(settings.admin_url())
                .await
                .context("migration failed")?;
            println!("Database schema is up to date.");
            Ok(())
        }
        Command::CreateOrg {
            name,
            owner_email,
            owner_name,
        } => {
            let pool = open(&settings).await?;
            let owner_name = owner_name.unwrap_or_else(|| owner_email.clone());
            let created = accounts::create_org(&pool, &name, &owner_email, &owner_name)
                .await
                .map_err(|e| anyhow::anyhow!(e.body.message))?;
            println!("Organisation: {}", created.org_id);
            println!("Owner:        {}", created.owner.email);
            println!(
                "One-time password (shown once; change it at first sign-in): {}",
                created.one_time_password
            );
            Ok(())
        }
        Command::AddUser {
            org,
            email,
            name,
            role,
            properties,
        } => {
            let pool = open(&settings).await?;
            let property_ids = accounts::property_ids_by_code(&pool, org, &properties)
                .await
                .map_err(|e| anyhow::anyhow!(e.body.message))?;
            let (user, one_time) = accounts::add_user(
                &pool,
                org,
                None,
                NewUser {
                    email,
                    full_name: name,
                    role,
                    property_ids,
                },
                None,
            )
            .await
            .map_err(|e| anyhow::anyhow!(e.body.message))?;
            println!("User: {} ({}, {})", user.email, user.role, user.id);
            println!(
                "One-time password (shown once; change it at first sign-in): {}",
                one_time.unwrap_or_default()
            );
            Ok(())
        }
    }
}

async fn open(settings: &Settings) -> anyhow::Result<sqlx::PgPool> {
    settings.check_database()?;
    let pool = db::connect(settings)
        .await
        .context("cannot connect to the database")?;
    db::check_app_role(&pool).await?;
    Ok(pool)
}
