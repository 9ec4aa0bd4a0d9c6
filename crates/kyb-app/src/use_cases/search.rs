//! Find a customer by business name, customer id or partner customer id over everything this
//! desktop knows in the active environment: recently opened customers, drafts, the outbox and, in
//! the built-in Sandbox, its demo customers. The partner offers no search, so a lookup at the
//! partner stays an exact id (`customers::open_customer`).
//!
//! Matching folds case and accents ("andes cafe" finds "Andes Café"); matches are ranked by how
//! well they match (exact id, then a prefix, then the start of a word, then anywhere), then by
//! how recently this desktop touched them.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use kyb_core::drafts::DraftTarget;
use serde::Serialize;
use ts_rs::TS;
use unicode_normalization::UnicodeNormalization;

use crate::error::{draft_error, outbox_error, AppError};
use crate::state::{blocking, AppState};

/// How many matches an answer lists at most.
pub const MAX_MATCHES: usize = 20;

/// Where a match was found on this desktop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MatchSource {
    /// The recently opened customers.
    Recent,
    /// A draft (an existing customer's changes, or a new customer being prepared).
    Draft,
    /// A queued or sent submission.
    Outbox,
    /// One of the built-in Sandbox's demo customers.
    SandboxDemo,
}

/// Which of a candidate's values the query matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MatchedField {
    BusinessName,
    CustomerId,
    PartnerCustomerId,
}

/// One customer the query matched, with every place it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CustomerMatch {
    /// Absent for a new customer not created at the partner yet (open it through `draft_id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub customer_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub partner_customer_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub business_name: Option<String>,
    /// The draft of this customer, when there is one (a new customer opens only through it).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub draft_id: Option<String>,
    /// Every source it was found in, in [`MatchSource`] order.
    pub sources: Vec<MatchSource>,
    pub matched: MatchedField,
    /// What a demo customer of the built-in Sandbox is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub demo_purpose: Option<String>,
}

/// A demo customer of the built-in Sandbox and what to try with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DemoCustomer {
    pub customer_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub partner_customer_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub business_name: Option<String>,
    pub purpose: String,
}

/// `search_customers`' answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CustomerSearch {
    /// The query as searched (trimmed).
    pub query: String,
    /// The environment searched in.
    pub environment: String,
    /// Best first, at most [`MAX_MATCHES`].
    pub matches: Vec<CustomerMatch>,
    /// Where this search looked, in words, for the "nothing found" note.
    pub searched: String,
    /// How to find a customer that is not on this desktop, in words.
    pub hint: String,
    /// The built-in Sandbox's demo customers (empty in any other environment).
    pub demo_customers: Vec<DemoCustomer>,
}

/// One thing this desktop knows about a customer, before merging and ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub source: MatchSource,
    pub customer_id: Option<String>,
    pub partner_customer_id: Option<String>,
    pub business_name: Option<String>,
    pub draft_id: Option<String>,
    pub demo_purpose: Option<String>,
    /// When this desktop last touched it (opened, saved, queued); ties are broken newest first.
    pub touched_at: Option<DateTime<Utc>>,
}

/// Where a search looks, in words.
pub const SEARCHED: &str =
    "recent customers, drafts and the outbox on this desktop; the partner by customer id or partner customer id";
/// How to find a customer that is not on this desktop.
pub const HINT: &str =
    "The partner has no search: to open a customer this desktop has not seen, type its exact customer id \
    (for example cus_…) or partner customer id and choose Open at the partner.";

/// Search the active environment (see the module documentation).
pub async fn search_customers(state: &AppState, query: &str) -> Result<CustomerSearch, AppError> {
    let environment = state.active_environment().await;
    let built_in = environment.is_built_in();
    let mut candidates = Vec::new();
    for recent in state.session().await?.recent {
        candidates.push(Candidate {
            source: MatchSource::Recent,
            customer_id: Some(recent.customer_id),
            partner_customer_id: recent.partner_customer_id,
            business_name: recent.business_name_english,
            draft_id: None,
            demo_purpose: None,
            touched_at: Some(recent.opened_at),
        });
    }
    // Drafts and the outbox need the keychain; without one they hold nothing to search.
    if let Ok(home) = state.drafts() {
        let home = home.clone();
        let name = environment.name.clone();
        let local = blocking(move || -> Result<Vec<Candidate>, AppError> {
            let library = home.store.list().map_err(|err| draft_error(None, err))?;
            let entries = home.outbox.entries().map_err(|err| outbox_error(None, err))?;
            let drafts = library.drafts.into_iter().filter(|d| d.environment == name).map(|d| {
                let (customer_id, partner_customer_id) = target_ids(&d.target);
                Candidate {
                    source: MatchSource::Draft,
                    customer_id,
                    partner_customer_id,
                    business_name: d.business_name_english,
                    draft_id: Some(d.id),
                    demo_purpose: None,
                    touched_at: Some(d.updated_at),
                }
            });
            let queued = entries.into_iter().filter(|e| e.environment == name).map(|e| {
                let (customer_id, partner_id) = target_ids(&e.target);
                Candidate {
                    source: MatchSource::Outbox,
                    customer_id,
                    partner_customer_id: partner_id
                        .or_else(|| e.base.as_ref().and_then(|b| b.partner_customer_id.clone())),
                    business_name: record_name(&e.record),
                    draft_id: Some(e.draft_id),
                    demo_purpose: None,
                    touched_at: Some(e.updated_at),
                }
            });
            Ok(drafts.chain(queued).collect())
        })
        .await??;
        candidates.extend(local);
    }
    let demo_customers = if built_in { demo_customers() } else { Vec::new() };
    candidates.extend(demo_customers.iter().map(|demo| Candidate {
        source: MatchSource::SandboxDemo,
        customer_id: Some(demo.customer_id.clone()),
        partner_customer_id: demo.partner_customer_id.clone(),
        business_name: demo.business_name.clone(),
        draft_id: None,
        demo_purpose: Some(demo.purpose.clone()),
        touched_at: None,
    }));
    let query = query.trim().to_owned();
    Ok(CustomerSearch {
        matches: rank(&query, candidates),
        query,
        environment: environment.name,
        searched: SEARCHED.to_owned(),
        hint: HINT.to_owned(),
        demo_customers,
    })
}

/// The built-in Sandbox's demo customers with what each is for (the sandbox owns the words).
pub fn demo_customers() -> Vec<DemoCustomer> {
    match kyb_sandbox::demo::notes() {
        Ok(notes) => notes
            .into_iter()
            .map(|note| DemoCustomer {
                customer_id: note.customer_id,
                partner_customer_id: note.partner_customer_id,
                business_name: note.business_name,
                purpose: note.purpose.to_owned(),
            })
            .collect(),
        Err(err) => {
            tracing::warn!(error = %err, "the sandbox's demo customers cannot be listed");
            Vec::new()
        }
    }
}

fn target_ids(target: &DraftTarget) -> (Option<String>, Option<String>) {
    match target {
        DraftTarget::Update { customer_id } => (Some(customer_id.clone()), None),
        DraftTarget::Create { partner_customer_id } => {
            (None, Some(partner_customer_id.trim().to_owned()).filter(|id| !id.is_empty()))
        }
    }
}

fn record_name(record: &serde_json::Value) -> Option<String> {
    record["business_details"]["business_name_english"]
        .as_str()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
}

/// Lower-case, without accents (NFKD, combining marks dropped), for comparison only.
pub fn fold(text: &str) -> String {
    text.nfkd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// How well `query` (folded) matches `value` (folded): lower is better; `None` when it does not.
fn score(query: &str, value: &str, is_id: bool) -> Option<u8> {
    if query.is_empty() || !value.contains(query) {
        return None;
    }
    Some(if value == query {
        if is_id {
            0
        } else {
            1
        }
    } else if value.starts_with(query) {
        2
    } else if value.match_indices(query).any(|(at, _)| value[..at].ends_with(|c: char| !c.is_alphanumeric())) {
        3
    } else {
        4
    })
}

/// Merge the candidates that are one customer, keep those matching `query`, best first.
pub fn rank(query: &str, candidates: Vec<Candidate>) -> Vec<CustomerMatch> {
    let folded = fold(query.trim());
    if folded.is_empty() {
        return Vec::new();
    }
    // One customer: the same customer id, else (a new customer) the same draft. Every name and
    // id seen is searched (a draft may rename the customer); the one that matched is shown.
    struct Merged {
        first: Candidate,
        sources: BTreeSet<MatchSource>,
        values: Vec<(MatchedField, String)>,
    }
    let mut merged: Vec<Merged> = Vec::new();
    for candidate in candidates {
        let values: Vec<(MatchedField, String)> = [
            (MatchedField::CustomerId, &candidate.customer_id),
            (MatchedField::PartnerCustomerId, &candidate.partner_customer_id),
            (MatchedField::BusinessName, &candidate.business_name),
        ]
        .into_iter()
        .filter_map(|(field, value)| Some((field, value.clone()?)))
        .collect();
        let same = merged.iter_mut().find(|m| match (&m.first.customer_id, &candidate.customer_id) {
            (Some(a), Some(b)) => a == b,
            (None, None) => m.first.draft_id.is_some() && m.first.draft_id == candidate.draft_id,
            _ => false,
        });
        match same {
            Some(m) => {
                m.sources.insert(candidate.source);
                m.values.extend(values);
                let first = &mut m.first;
                first.partner_customer_id = first.partner_customer_id.take().or(candidate.partner_customer_id);
                first.business_name = first.business_name.take().or(candidate.business_name);
                first.draft_id = first.draft_id.take().or(candidate.draft_id);
                first.demo_purpose = first.demo_purpose.take().or(candidate.demo_purpose);
                first.touched_at = first.touched_at.max(candidate.touched_at);
            }
            None => merged.push(Merged { sources: BTreeSet::from([candidate.source]), values, first: candidate }),
        }
    }
    let mut ranked: Vec<(u8, CustomerMatch, Option<DateTime<Utc>>)> = merged
        .into_iter()
        .filter_map(|Merged { first: m, sources, values }| {
            let (best, matched, value) = values
                .iter()
                .filter_map(|(field, value)| {
                    Some((score(&folded, &fold(value), *field != MatchedField::BusinessName)?, *field, value))
                })
                .min_by_key(|(score, _, _)| *score)?;
            let business_name =
                if matched == MatchedField::BusinessName { Some(value.clone()) } else { m.business_name };
            let found = CustomerMatch {
                customer_id: m.customer_id,
                partner_customer_id: m.partner_customer_id,
                business_name,
                draft_id: m.draft_id,
                sources: sources.into_iter().collect(),
                matched,
                demo_purpose: m.demo_purpose,
            };
            Some((best, found, m.touched_at))
        })
        .collect();
    ranked.sort_by(|a, b| {
        a.0.cmp(&b.0).then_with(|| b.2.cmp(&a.2)).then_with(|| a.1.business_name.cmp(&b.1.business_name))
    });
    ranked.into_iter().take(MAX_MATCHES).map(|(_, found, _)| found).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(
        source: MatchSource,
        id: Option<&str>,
        partner: Option<&str>,
        name: &str,
        minutes_ago: i64,
    ) -> Candidate {
        Candidate {
            source,
            customer_id: id.map(str::to_owned),
            partner_customer_id: partner.map(str::to_owned),
            business_name: Some(name.to_owned()),
            draft_id: None,
            demo_purpose: None,
            touched_at: Some(Utc::now() - chrono::Duration::minutes(minutes_ago)),
        }
    }

    #[test]
    fn case_and_accents_are_folded() {
        assert_eq!(fold("Café ÉLAN Ltda."), "cafe elan ltda.");
        let found =
            rank("andes cafe", vec![candidate(MatchSource::Recent, Some("cus_1"), None, "Andes Café Exporters", 1)]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].matched, MatchedField::BusinessName);
        let found = rank("MÜLLER", vec![candidate(MatchSource::Recent, Some("cus_2"), None, "Muller GmbH", 1)]);
        assert_eq!(found.len(), 1, "ü folds to u");
    }

    #[test]
    fn exact_ids_first_then_prefix_then_word_start_then_anywhere_then_newest() {
        let found = rank(
            "acme",
            vec![
                candidate(MatchSource::Recent, Some("cus_a"), None, "Bigacme Holdings", 0),
                candidate(MatchSource::Recent, Some("cus_b"), None, "The Acme Group", 0),
                candidate(MatchSource::Recent, Some("cus_c"), None, "Acme Robotics", 5),
                candidate(MatchSource::Recent, Some("cus_d"), None, "Acme Foods", 1),
                candidate(MatchSource::Recent, Some("acme"), None, "Zeta", 9),
            ],
        );
        let ids: Vec<_> = found.iter().map(|m| m.customer_id.clone().unwrap()).collect();
        assert_eq!(ids, ["acme", "cus_d", "cus_c", "cus_b", "cus_a"]);
        assert_eq!(found[0].matched, MatchedField::CustomerId);
    }

    #[test]
    fn one_customer_found_in_several_places_is_one_match_naming_each() {
        let mut draft = candidate(MatchSource::Draft, Some("cus_1"), None, "Acme", 2);
        draft.draft_id = Some("u-1".into());
        let found = rank("p-10", vec![candidate(MatchSource::Recent, Some("cus_1"), Some("P-1001"), "Acme", 1), draft]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].sources, [MatchSource::Recent, MatchSource::Draft]);
        assert_eq!(found[0].matched, MatchedField::PartnerCustomerId);
        assert_eq!(found[0].draft_id.as_deref(), Some("u-1"));
    }

    #[test]
    fn nothing_matches_and_an_empty_query_lists_nothing() {
        let all = vec![candidate(MatchSource::Recent, Some("cus_1"), None, "Acme", 1)];
        assert!(rank("zeta", all.clone()).is_empty());
        assert!(rank("   ", all).is_empty());
    }
}
