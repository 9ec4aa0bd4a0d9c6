//! A fresh database per test on the PostgreSQL that the test command started
//! (`scripts/postgres.sh`: Debian's binaries, a temporary folder, a free port), named by
//! `KYB_TEST_DATABASE_URL` (a superuser's URL). Under `KYB_REQUIRE_POSTGRES=1` (the test command)
//! a missing server fails the test instead of skipping it.

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions as _, Connection as _, Executor as _};

use crate::config::{KeyBytes, ServerConfig};

pub const DATABASE_URL_ENV: &str = "KYB_TEST_DATABASE_URL";

/// A new, empty database with the schema applied, and a login role that has only the server's
/// grants (`kyb_desk_server`).
pub struct TestDatabase {
    pub name: String,
    /// The superuser, on this database (owner of the tables).
    pub admin_url: String,
    /// The server's own role, on this database.
    pub server_url: String,
}

impl TestDatabase {
    /// `None` when no test PostgreSQL is configured (and not required).
    pub async fn fresh() -> Option<Self> {
        let Ok(url) = std::env::var(DATABASE_URL_ENV) else {
            assert!(
                std::env::var("KYB_REQUIRE_POSTGRES").is_err(),
                "{DATABASE_URL_ENV} is not set: run the tests through scripts/test.sh or scripts/postgres.sh"
            );
            eprintln!("skipped: {DATABASE_URL_ENV} is not set (scripts/postgres.sh starts one)");
            return None;
        };
        let options: PgConnectOptions = url.parse().expect("KYB_TEST_DATABASE_URL is a PostgreSQL URL");
        let suffix = uuid::Uuid::new_v4().simple().to_string();
        let name = format!("kyb_test_{}", &suffix[..16]);
        let role = format!("kyb_srv_{}", &suffix[..16]);
        let mut admin = options.connect().await.expect("the test PostgreSQL answers");
        admin.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("database created");
        admin.execute(format!("CREATE ROLE {role} LOGIN PASSWORD 'test'").as_str()).await.expect("role created");
        admin.close().await.ok();

        let host = options.get_host().to_owned();
        let port = options.get_port();
        let superuser = options.get_username().to_owned();
        let admin_url = format!("postgres://{superuser}@{host}:{port}/{name}");
        let server_url = format!("postgres://{role}:test@{host}:{port}/{name}");
        let admin_options: PgConnectOptions = admin_url.parse().expect("URL");
        let mut on_db = admin_options.connect().await.expect("test database answers");
        crate::db::MIGRATOR.run(&mut on_db).await.expect("migrations apply");
        on_db.execute(format!("GRANT kyb_desk_server TO {role}").as_str()).await.expect("grant");
        on_db.close().await.ok();
        Some(Self { name, admin_url, server_url })
    }

    /// Run `statements` as the database's owner, in order: a test playing someone who can
    /// disable the audit triggers (a restore from an old copy, a rewritten entry).
    pub async fn execute_as_owner(&self, statements: &[&str]) -> Result<(), sqlx::Error> {
        let options: PgConnectOptions = self.admin_url.parse()?;
        let mut owner = options.connect().await?;
        for statement in statements {
            owner.execute(*statement).await?;
        }
        owner.close().await
    }

    /// A configuration for a server on this database, on a free loopback port, with fresh keys.
    pub fn server_config(&self) -> ServerConfig {
        ServerConfig {
            bind: "127.0.0.1:0".parse().expect("address"),
            database_url: self.server_url.clone(),
            admin_database_url: Some(self.admin_url.clone()),
            sealing_key: KeyBytes::random(),
            signing_key: KeyBytes::random(),
            oidc: None,
            outbox_interval: None,
        }
    }
}
