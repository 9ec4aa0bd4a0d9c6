//! The review workflow on the team server: queues, assignment, presence, document decisions
//! (four-eyes, kyb-core's rules), approval resting on accepted documents, the trail with display
//! names, and the submission's state. Real PostgreSQL, the demo provider, the partner sandbox.

use std::time::Duration;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use kyb_core::team_wire::{TeamDocument, TeamDraft, TeamDraftSummary, TeamOutboxState, TeamRefusalKind, TeamSubmission, TeamTrailEntry};

use crate::team::{key, Team, ENVIRONMENT};

fn read<T: DeserializeOwned>(status: StatusCode, body: Value) -> T {
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(body.clone()).unwrap_or_else(|err| panic!("{err}: {body}"))
}

fn refusal(body: &Value) -> TeamRefusalKind {
    serde_json::from_value(body["kind"].clone()).unwrap()
}

impl Team {
    /// A draft by `user` changing cus_demo_0002's website.
    async fn draft_by(&self, user: &str) -> TeamDraft {
        let base = self.current_record("cus_demo_0002").await;
        let mut record = base.clone();
        record["business_details"]["website"] = json!(format!("https://{user}-review.example.com"));
        let new = json!({"environment": ENVIRONMENT, "target": {"kind": "update", "customer_id": "cus_demo_0002"}, "base_record": base, "record": record, "idempotency_key": key()});
        let (status, body) = self.call(user, "POST", "/api/drafts", Some(new)).await;
        read(status, body)
    }

    async fn queue(&self, user: &str, queue: &str) -> Vec<TeamDraftSummary> {
        let (status, body) = self.call(user, "GET", &format!("/api/drafts?queue={queue}"), None).await;
        read(status, body)
    }

    async fn in_queue(&self, user: &str, queue: &str, draft: &str) -> bool {
        self.queue(user, queue).await.iter().any(|summary| summary.id == draft)
    }

    async fn upload(&self, user: &str, draft: &str, file_name: &str) -> TeamDocument {
        let form = reqwest::multipart::Form::new()
            .part("file", reqwest::multipart::Part::bytes(kyb_sandbox::demo::id_card_png(3, false)).file_name(file_name.to_owned()))
            .text("fileType", "Main page");
        let url = format!("{}/api/drafts/{draft}/documents", self.servers[0].base_url());
        let response = self.http.post(url).bearer_auth(&self.tokens[user]).multipart(form).send().await.unwrap();
        let status = response.status();
        read(status, response.json().await.unwrap())
    }

    async fn decide(&self, user: &str, draft: &str, file_id: &str, decision: Value) -> (StatusCode, Value) {
        self.call(user, "PUT", &format!("/api/drafts/{draft}/documents/{file_id}/decision"), Some(decision)).await
    }

    async fn approve(&self, user: &str, draft: &TeamDraft) -> (StatusCode, Value) {
        let body = json!({"version": draft.version, "change_hash": draft.change_hash});
        self.call(user, "POST", &format!("/api/drafts/{}/approve", draft.id), Some(body)).await
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn queues_assignment_presence_and_the_trail_name_people() {
    let Some(team) = Team::start(1, true).await else { return };
    let draft = team.draft_by("rex").await;

    // Waiting for review: a reviewer who did not prepare it sees it; its preparer does not; an
    // officer has no review queue.
    assert!(team.in_queue("rita", "waiting_for_my_review", &draft.id).await);
    assert!(!team.in_queue("rex", "waiting_for_my_review", &draft.id).await, "its preparer is not asked to review it");
    assert!(team.queue("olivia", "waiting_for_my_review").await.is_empty());
    assert!(team.in_queue("rex", "mine", &draft.id).await);
    assert!(!team.in_queue("rita", "mine", &draft.id).await);
    assert!(team.in_queue("olivia", "all", &draft.id).await);
    let (status, body) = team.call("rita", "GET", "/api/drafts?queue=someone_elses", None).await;
    assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("queue")), "{body}");

    // Rita takes it and says she is on it: both shown by name.
    let (status, body) = team.call("rita", "POST", &format!("/api/drafts/{}/assign", draft.id), Some(json!({}))).await;
    let assigned: TeamDraftSummary = read(status, body);
    assert_eq!(assigned.assigned_to.as_deref(), Some("Rita Reviewer"));
    assert_eq!(assigned.preparers, ["Rex Reviewer"]);
    assert!(team.in_queue("rita", "mine", &draft.id).await, "assigned to her, so hers");
    let url = format!("{}/api/drafts/{}/working", team.servers[0].base_url(), draft.id);
    let working = team.http.post(url).bearer_auth(&team.tokens["rita"]).send().await.unwrap();
    assert_eq!(working.status(), StatusCode::NO_CONTENT);
    let listed = team.queue("olivia", "all").await.into_iter().find(|summary| summary.id == draft.id).unwrap();
    assert_eq!(listed.working_now, ["Rita Reviewer"]);
    assert_eq!((listed.requires_approval, listed.submission.clone()), (true, None));
    // After the window, nobody is shown as working on it.
    sqlx::query("UPDATE draft_presence SET seen_at = now() - interval '3 minutes'").execute(&team.servers[0].pool).await.unwrap();
    let listed = team.queue("olivia", "all").await.into_iter().find(|summary| summary.id == draft.id).unwrap();
    assert!(listed.working_now.is_empty(), "{listed:?}");

    // Approved by Rita: it leaves her queue.
    team.accept_documents("rita", &draft.id).await;
    let (status, body) = team.approve("rita", &draft).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(!team.in_queue("rita", "waiting_for_my_review", &draft.id).await);
    let listed = team.queue("rex", "mine").await.into_iter().find(|summary| summary.id == draft.id).unwrap();
    assert_eq!(listed.approved_by, ["Rita Reviewer"]);

    // The draft's trail, in order, by name; presence is not in it.
    let (status, body) = team.call("olivia", "GET", &format!("/api/audit/entries?draft={}", draft.id), None).await;
    let trail: Vec<TeamTrailEntry> = read(status, body);
    let steps: Vec<(&str, &str)> = trail.iter().map(|entry| (entry.actor.as_str(), entry.action.as_str())).collect();
    let documents = steps.iter().filter(|step| **step == ("Rita Reviewer", "document_decided")).count();
    assert!(documents > 0, "the record's documents were decided: {steps:?}");
    let others: Vec<(&str, &str)> = steps.iter().copied().filter(|(_, action)| *action != "document_decided").collect();
    assert_eq!(others, [("Rex Reviewer", "draft_created"), ("Rita Reviewer", "draft_assigned"), ("Rita Reviewer", "draft_approved")]);
    assert!(trail.windows(2).all(|pair| pair[0].seq < pair[1].seq));
    assert!(trail.iter().all(|entry| entry.draft.as_deref() == Some(draft.id.as_str()) && entry.hash.len() == 64));
    let (status, body) = team.call("olivia", "GET", "/api/audit/entries", None).await;
    let whole: Vec<TeamTrailEntry> = read(status, body);
    assert!(whole.len() > trail.len(), "the whole trail has the environment's setup too");
    let no_token = team.http.get(format!("{}/api/audit/entries", team.servers[0].base_url())).send().await.unwrap();
    assert_eq!(no_token.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread")]
async fn decisions_follow_four_eyes_and_the_review_rules_and_approval_rests_on_them() {
    let Some(team) = Team::start(1, true).await else { return };
    let draft = team.draft_by("rex").await;
    let document = team.upload("rex", &draft.id, "passport-front.png").await;
    assert_eq!((document.uploaded_by.as_str(), document.decision.clone()), ("Rex Reviewer", None));

    // Its preparer may not decide, nor may an officer.
    let (status, body) = team.decide("rex", &draft.id, &document.file_id, json!({"decision": "verified"})).await;
    assert_eq!((status, refusal(&body)), (StatusCode::FORBIDDEN, TeamRefusalKind::Forbidden), "{body}");
    assert!(body["message"].as_str().unwrap().contains("four-eyes"), "{body}");
    let (status, _) = team.decide("olivia", &draft.id, &document.file_id, json!({"decision": "verified"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A rejection needs a reason (kyb-core's rule), named by field.
    let (status, body) = team.decide("rita", &draft.id, &document.file_id, json!({"decision": "rejected"})).await;
    assert_eq!((status, refusal(&body), body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, TeamRefusalKind::InvalidInput, Some("reason")));

    // Undecided: no approval, and the refusal names the file.
    let (status, body) = team.approve("rita", &draft).await;
    assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("documents")), "{body}");
    assert!(body["message"].as_str().unwrap().contains("passport-front.png"), "{body}");

    // Rejected with a reason: still no approval.
    let rejected = json!({"decision": "rejected", "reason": "illegible", "note": "  too dark  "});
    let (status, body) = team.decide("rita", &draft.id, &document.file_id, rejected).await;
    let decided: TeamDocument = read(status, body);
    let decision = decided.decision.unwrap();
    assert_eq!((decision.decided_by.as_str(), decision.note.as_deref()), ("Rita Reviewer", Some("too dark")));
    let (status, body) = team.approve("rita", &draft).await;
    assert_eq!((status, body["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("documents")), "{body}");
    assert!(body["message"].as_str().unwrap().contains("not accepted"), "{body}");

    // Verified: the listing shows the decision, and the approval goes through.
    let (status, body) = team.decide("rita", &draft.id, &document.file_id, json!({"decision": "verified"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = team.call("olivia", "GET", &format!("/api/drafts/{}/documents", draft.id), None).await;
    let listed: Vec<TeamDocument> = read(status, body);
    let decision = listed[0].decision.clone().unwrap();
    assert_eq!((decision.decision, decision.reason, decision.decided_by.as_str()), (kyb_core::review::Decision::Verified, None, "Rita Reviewer"));
    // The record's documents at the partner are listed without bytes, and decided too.
    assert!(listed[1..].iter().all(|d| !d.held) && listed.len() > 1, "{listed:?}");
    let (status, body) = team.approve("rita", &draft).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    team.accept_documents("rita", &draft.id).await;
    let (status, body) = team.approve("rita", &draft).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, body) = team.call("olivia", "GET", &format!("/api/audit/entries?draft={}", draft.id), None).await;
    let trail: Vec<TeamTrailEntry> = read(status, body);
    let decided: Vec<&str> = trail
        .iter()
        .filter(|e| e.action == "document_decided" && e.details["file_id"] == json!(document.file_id))
        .map(|e| e.details["decision"].as_str().unwrap())
        .collect();
    assert_eq!(decided, ["rejected", "verified"], "refused decisions leave no entry");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_submission_of_a_draft_shows_its_state() {
    let Some(team) = Team::start(1, false).await else { return };
    let draft = team.draft_by("olivia").await;
    let (status, body) = team.call("olivia", "GET", &format!("/api/drafts/{}/submission", draft.id), None).await;
    assert_eq!((status, body), (StatusCode::OK, Value::Null), "not submitted yet");

    let (status, body) = team.call("olivia", "POST", &format!("/api/drafts/{}/submit", draft.id), Some(json!({"version": draft.version}))).await;
    let queued: TeamSubmission = read(status, body);
    assert_eq!((queued.version, queued.queued_by.as_str()), (draft.version, "Olivia Officer"));
    let mut latest = queued.clone();
    for _ in 0..200 {
        let (status, body) = team.call("rita", "GET", &format!("/api/drafts/{}/submission", draft.id), None).await;
        latest = read::<Option<TeamSubmission>>(status, body).unwrap();
        if latest.state.is_settled() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        (latest.outbox_id.as_str(), latest.state, latest.customer_id.as_deref()),
        (queued.outbox_id.as_str(), TeamOutboxState::Sent, Some("cus_demo_0002"))
    );
    let listed = team.queue("olivia", "mine").await.into_iter().find(|summary| summary.id == draft.id).unwrap();
    assert_eq!(listed.submission.map(|s| s.state), Some(TeamOutboxState::Sent));
}
