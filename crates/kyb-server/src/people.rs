//! Who the people behind subjects are: every signed-in request refreshes the caller's name and
//! roles (at most once a minute per person), so lists and the trail show names while every other
//! table keeps the stable subject.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::Utc;
use sqlx::PgConnection;

use crate::error::ServerError;
use crate::identity::{Person, Role};

/// How often one person's row is refreshed at most.
const REFRESH_EVERY: Duration = Duration::from_secs(60);

/// When each person's row was last refreshed by this instance.
#[derive(Default)]
pub(crate) struct SeenPeople(Mutex<HashMap<String, (Instant, String)>>);

impl SeenPeople {
    /// Whether `person`'s row is due for a refresh (their name may have changed meanwhile).
    fn due(&self, person: &Person) -> bool {
        let Ok(mut seen) = self.0.lock() else { return true };
        let now = Instant::now();
        match seen.get(&person.subject) {
            Some((at, name)) if now.duration_since(*at) < REFRESH_EVERY && *name == person.name => false,
            _ => {
                seen.insert(person.subject.clone(), (now, person.name.clone()));
                true
            }
        }
    }

    /// Keep `person`'s name and roles (a failure is logged: it never stops their request).
    pub(crate) async fn saw(&self, pool: &sqlx::PgPool, person: &Person) {
        if !self.due(person) {
            return;
        }
        let roles: Vec<&str> = person
            .roles
            .iter()
            .map(|role| match role {
                Role::Officer => "officer",
                Role::Reviewer => "reviewer",
                Role::Admin => "admin",
            })
            .collect();
        let saved = sqlx::query(
            "INSERT INTO people (subject, name, roles, last_seen_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (subject) DO UPDATE SET name = EXCLUDED.name, roles = EXCLUDED.roles, last_seen_at = EXCLUDED.last_seen_at",
        )
        .bind(&person.subject)
        .bind(&person.name)
        .bind(&roles)
        .bind(Utc::now())
        .execute(pool)
        .await;
        if let Err(err) = saved {
            tracing::warn!(error = %err, "could not keep a person's name");
            if let Ok(mut seen) = self.0.lock() {
                seen.remove(&person.subject);
            }
        }
    }
}

/// Display names of subjects (a subject nobody has seen yet names itself).
pub struct Names(HashMap<String, String>);

impl Names {
    pub async fn of<'a>(conn: &mut PgConnection, subjects: impl IntoIterator<Item = &'a String>) -> Result<Names, ServerError> {
        let subjects: Vec<String> = subjects.into_iter().cloned().collect::<HashSet<_>>().into_iter().collect();
        if subjects.is_empty() {
            return Ok(Names(HashMap::new()));
        }
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT subject, name FROM people WHERE subject = ANY($1)").bind(&subjects).fetch_all(&mut *conn).await?;
        Ok(Names(rows.into_iter().collect()))
    }

    pub fn name(&self, subject: &str) -> String {
        self.0.get(subject).filter(|name| !name.trim().is_empty()).cloned().unwrap_or_else(|| subject.to_owned())
    }

    pub fn names(&self, subjects: &[String]) -> Vec<String> {
        subjects.iter().map(|subject| self.name(subject)).collect()
    }
}
