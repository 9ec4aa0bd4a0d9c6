//! Four-eyes and exactly-once, enforced by the server: real PostgreSQL, the demo OpenID Connect
//! provider, the partner sandbox on loopback (its own counts tell what reached it).

use std::collections::HashMap;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};

use kyb_core::credentials::ApiCredentials;
use kyb_sandbox::SandboxHandle;
use kyb_server::identity::OidcSettings;
use kyb_server::testing::{DemoProvider, TestDatabase};
use kyb_server::ServerHandle;

pub(crate) const ENVIRONMENT: &str = "Partner sandbox";

pub(crate) struct Team {
    _db: TestDatabase,
    _provider: DemoProvider,
    _folder: tempfile::TempDir,
    pub(crate) servers: Vec<ServerHandle>,
    pub(crate) sandbox: SandboxHandle,
    pub(crate) http: reqwest::Client,
    pub(crate) tokens: HashMap<&'static str, String>,
}

impl Team {
    /// A team with `instances` servers on one database, each sending from the outbox, and an
    /// environment on the sandbox (approval required or not).
    pub(crate) async fn start(instances: usize, requires_approval: bool) -> Option<Self> {
        let db = TestDatabase::fresh().await?;
        let provider = DemoProvider::start()?;
        let folder = tempfile::tempdir().unwrap();
        let sandbox = kyb_server::testing::partner_sandbox(&folder.path().join("sandbox"), "team-key", "team-secret").await;
        let mut servers = Vec::new();
        let mut base = db.server_config();
        base.oidc = Some(OidcSettings::new(provider.issuer.clone()));
        base.outbox_interval = Some(Duration::from_millis(100));
        for _ in 0..instances {
            servers.push(kyb_server::start(base.clone()).await.unwrap());
        }
        let mut tokens = HashMap::new();
        for user in ["olivia", "oscar", "rita", "rex", "ada", "nina"] {
            tokens.insert(user, provider.device_sign_in(user).await.unwrap().access_token);
        }
        let team = Self { _db: db, _provider: provider, _folder: folder, servers, sandbox, http: reqwest::Client::new(), tokens };
        let settings = json!({"name": ENVIRONMENT, "base_url": team.sandbox.base_url(), "requires_approval": requires_approval, "is_production": false});
        let (status, body) = team.call("ada", "PUT", &format!("/api/environments/{ENVIRONMENT}"), Some(settings)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let credentials = json!({"api_key": "team-key", "api_secret": "team-secret"});
        let (status, body) = team.call("ada", "PUT", &format!("/api/environments/{ENVIRONMENT}/credentials"), Some(credentials)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        Some(team)
    }

    /// `user` accepts every document of draft `draft` without a decision (what an approval rests on).
    pub(crate) async fn accept_documents(&self, user: &str, draft: &str) {
        let (status, documents) = self.call(user, "GET", &format!("/api/drafts/{draft}/documents"), None).await;
        assert_eq!(status, StatusCode::OK, "{documents}");
        for document in documents.as_array().cloned().unwrap_or_default() {
            if document["decision"].is_null() {
                let path = format!("/api/drafts/{draft}/documents/{}/decision", document["file_id"].as_str().unwrap_or_default());
                let (status, body) = self.call(user, "PUT", &path, Some(json!({"decision": "verified"}))).await;
                assert_eq!(status, StatusCode::OK, "{body}");
            }
        }
    }

    pub(crate) async fn call(&self, user: &str, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.call_on(0, user, method, path, body).await
    }

    pub(crate) async fn call_on(&self, instance: usize, user: &str, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let url = format!("{}{path}", self.servers[instance].base_url());
        let mut request = self.http.request(method.parse().unwrap(), url).bearer_auth(&self.tokens[user]);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// A demo customer's record as the partner has it now (what a desktop starts a draft from).
    pub(crate) async fn current_record(&self, customer_id: &str) -> Value {
        let config = kyb_core::client::ClientConfig::new(
            self.sandbox.base_url().parse().unwrap(),
            ApiCredentials { api_key: "team-key".into(), api_secret: "team-secret".into() },
        );
        let client = kyb_core::client::PartnerClient::new(config).unwrap();
        kyb_core::outbox::fetch_current(&client, customer_id).await.unwrap().1
    }

    pub(crate) async fn wait_for(&self, entry: &str, state: &str) -> Value {
        for _ in 0..200 {
            let (_, body) = self.call("olivia", "GET", &format!("/api/outbox/{entry}"), None).await;
            if body["state"] == state {
                return body;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("entry {entry} never became {state}");
    }
}

pub(crate) fn key() -> String {
    format!("push-{}", uuid::Uuid::new_v4())
}

#[tokio::test(flavor = "multi_thread")]
async fn four_eyes_self_approval_roles_and_an_edit_voiding_the_approval() {
    let Some(team) = Team::start(1, true).await else { return };
    let customer = "cus_demo_0002";
    let base = team.current_record(customer).await;
    let mut record = base.clone();
    record["business_details"]["website"] = json!("https://team-edit.example.com");
    let new = json!({"environment": ENVIRONMENT, "target": {"kind": "update", "customer_id": customer}, "base_record": base, "record": record, "idempotency_key": key()});

    // Nobody without a role prepares.
    let (status, _) = team.call("nina", "POST", "/api/drafts", Some(new.clone())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, draft) = team.call("olivia", "POST", "/api/drafts", Some(new)).await;
    assert_eq!(status, StatusCode::OK, "{draft}");
    let id = draft["id"].as_str().unwrap().to_owned();
    assert_eq!(draft["preparers"], json!(["olivia"]));
    let approve = |draft: &Value| json!({"version": draft["version"], "change_hash": draft["change_hash"]});

    // An officer is not a reviewer; a reviewer who edited is a preparer.
    let (status, body) = team.call("olivia", "POST", &format!("/api/drafts/{id}/approve"), Some(approve(&draft))).await;
    assert_eq!((status, body["kind"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")), "{body}");
    let mut edited = draft["record"].clone();
    edited["primary_contact"]["contact_email"] = json!("rex.edit@example.com");
    let push = json!({"base_version": draft["version"], "record": edited, "idempotency_key": key()});
    let (status, draft) = team.call("rex", "PUT", &format!("/api/drafts/{id}"), Some(push)).await;
    assert_eq!(status, StatusCode::OK, "{draft}");
    assert_eq!(draft["preparers"], json!(["olivia", "rex"]));
    let (status, body) = team.call("rex", "POST", &format!("/api/drafts/{id}/approve"), Some(approve(&draft))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "self-approval: {body}");
    assert!(body["message"].as_str().unwrap().contains("four-eyes"), "{body}");

    // Rita approves the exact change she saw; a wrong hash or an old version is refused.
    let stale = json!({"version": 1, "change_hash": draft["change_hash"]});
    assert_eq!(team.call("rita", "POST", &format!("/api/drafts/{id}/approve"), Some(stale)).await.0, StatusCode::CONFLICT);
    let wrong = json!({"version": draft["version"], "change_hash": "00".repeat(32)});
    assert_eq!(team.call("rita", "POST", &format!("/api/drafts/{id}/approve"), Some(wrong)).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    team.accept_documents("rita", &id).await;
    let (status, approved) = team.call("rita", "POST", &format!("/api/drafts/{id}/approve"), Some(approve(&draft))).await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["approved_by"], json!(["rita"]));
    // The approval is signed by the server: verifiable offline, and refused once hand-edited.
    let (_, published) = team.call("olivia", "GET", "/api/server-key", None).await;
    let signed: kyb_core::team_approval::SignedApproval = serde_json::from_value(approved["approvals"][0].clone()).unwrap();
    let server_key = published["public_key"].as_str().unwrap();
    signed.verify_for(server_key, approved["version"].as_i64().unwrap(), approved["change_hash"].as_str().unwrap()).unwrap();
    let mut forged = signed.clone();
    forged.approved_by = "oscar".into();
    assert!(forged.verify(server_key).is_err());

    // Any edit voids it: the new version is unapproved and cannot be submitted.
    let mut again = approved["record"].clone();
    again["primary_contact"]["contact_email"] = json!("olivia.again@example.com");
    let push = json!({"base_version": approved["version"], "record": again, "idempotency_key": key()});
    let (_, draft) = team.call("olivia", "PUT", &format!("/api/drafts/{id}"), Some(push)).await;
    assert_eq!(draft["approved_by"], json!([]));
    let (status, body) = team.call("olivia", "POST", &format!("/api/drafts/{id}/submit"), Some(json!({"version": draft["version"]}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body["message"].as_str().unwrap().contains("requires approval"), "{body}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(team.sandbox.stats().updates_for(customer), 0, "an unapproved change never reaches the partner");

    // Approved again, submitted, sent once.
    let (_, draft) = team.call("rita", "POST", &format!("/api/drafts/{id}/approve"), Some(approve(&draft))).await;
    let (status, entry) = team.call("olivia", "POST", &format!("/api/drafts/{id}/submit"), Some(json!({"version": draft["version"]}))).await;
    assert_eq!(status, StatusCode::OK, "{entry}");
    let sent = team.wait_for(entry["outbox_id"].as_str().unwrap(), "sent").await;
    assert_eq!(sent["customer_id"], customer);
    assert_eq!(team.sandbox.stats().updates_for(customer), 1);

    // Every step is in the trail, and it verifies.
    let report = kyb_server::audit::verify(&team.servers[0].pool).await.unwrap();
    assert!(report.intact(), "{report:?}");
    let actions: Vec<String> =
        kyb_server::audit::entries_from(&team.servers[0].pool, 1).await.unwrap().into_iter().map(|e| format!("{}:{}", e.actor, e.action)).collect();
    for expected in ["olivia:draft_created", "rex:draft_changed", "rita:draft_approved", "olivia:draft_changed", "olivia:submission_queued"] {
        assert!(actions.contains(&expected.to_owned()), "{expected} not in {actions:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stale_push_is_refused_and_a_repeated_push_applies_once() {
    let Some(team) = Team::start(1, false).await else { return };
    let base = team.current_record("cus_demo_0001").await;
    let mut record = base.clone();
    record["business_details"]["website"] = json!("https://first.example.com");
    let new = json!({"environment": ENVIRONMENT, "target": {"kind": "update", "customer_id": "cus_demo_0001"}, "base_record": base, "record": record, "idempotency_key": key()});
    let (_, draft) = team.call("olivia", "POST", "/api/drafts", Some(new)).await;
    let id = draft["id"].as_str().unwrap().to_owned();

    // Opening and pushing it unchanged makes nobody a preparer.
    let unchanged = json!({"base_version": 1, "record": draft["record"], "idempotency_key": key()});
    let (_, same) = team.call("rita", "PUT", &format!("/api/drafts/{id}"), Some(unchanged)).await;
    assert_eq!((same["version"].as_i64(), &same["preparers"]), (Some(1), &json!(["olivia"])));

    let mut mine = draft["record"].clone();
    mine["primary_contact"]["contact_email"] = json!("oscar@example.com");
    let push = json!({"base_version": 1, "record": mine, "idempotency_key": "oscar-push-0001"});
    let (status, pushed) = team.call("oscar", "PUT", &format!("/api/drafts/{id}"), Some(push.clone())).await;
    assert_eq!((status, pushed["version"].as_i64()), (StatusCode::OK, Some(2)));
    // The same push again (its answer was lost): applied once.
    let (status, again) = team.call("oscar", "PUT", &format!("/api/drafts/{id}"), Some(push)).await;
    assert_eq!((status, again["version"].as_i64()), (StatusCode::OK, Some(2)));
    // Another desktop still at version 1: refused with the current version, to merge.
    let theirs = json!({"base_version": 1, "record": draft["record"], "idempotency_key": key()});
    let (status, body) = team.call("olivia", "PUT", &format!("/api/drafts/{id}"), Some(theirs)).await;
    assert_eq!((status, body["kind"].as_str(), body["current_version"].as_i64()), (StatusCode::CONFLICT, Some("stale"), Some(2)));
}

#[tokio::test(flavor = "multi_thread")]
async fn two_instances_on_one_database_send_each_queued_change_exactly_once() {
    let Some(team) = Team::start(2, false).await else { return };
    let record = team.current_record("cus_demo_0001").await;
    let mut entries = Vec::new();
    for n in 0..12 {
        let partner_id = format!("TEAM-{n:04}");
        let mut mine = record.clone();
        mine["business_details"]["business_name_english"] = json!(format!("Team Test {n} Ltd"));
        let new = json!({"environment": ENVIRONMENT, "target": {"kind": "create", "partner_customer_id": partner_id}, "base_record": {}, "record": mine, "idempotency_key": key()});
        let (status, draft) = team.call_on(n % 2, "olivia", "POST", "/api/drafts", Some(new)).await;
        assert_eq!(status, StatusCode::OK, "{draft}");
        let submit = json!({"version": draft["version"]});
        let (status, entry) = team.call_on(n % 2, "olivia", "POST", &format!("/api/drafts/{}/submit", draft["id"].as_str().unwrap()), Some(submit.clone())).await;
        assert_eq!(status, StatusCode::OK, "{entry}");
        // Submitting the same version twice queues it once.
        let (_, twice) = team.call_on((n + 1) % 2, "olivia", "POST", &format!("/api/drafts/{}/submit", draft["id"].as_str().unwrap()), Some(submit)).await;
        assert_eq!(twice["outbox_id"], entry["outbox_id"]);
        entries.push((partner_id, entry["outbox_id"].as_str().unwrap().to_owned()));
    }
    for (partner_id, entry) in &entries {
        let sent = team.wait_for(entry, "sent").await;
        assert!(sent["customer_id"].as_str().is_some_and(|id| id.starts_with("cus_")), "{sent}");
        assert_eq!(team.sandbox.stats().creates_for(partner_id), 1, "{partner_id}");
    }
    assert_eq!(team.sandbox.stats().total_creates(), 12);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_document_uploaded_by_one_person_is_read_by_a_reviewer_elsewhere() {
    let Some(team) = Team::start(2, true).await else { return };
    let base = team.current_record("cus_demo_0002").await;
    let new = json!({"environment": ENVIRONMENT, "target": {"kind": "update", "customer_id": "cus_demo_0002"}, "base_record": base, "record": base, "idempotency_key": key()});
    let (_, draft) = team.call("olivia", "POST", "/api/drafts", Some(new)).await;
    let id = draft["id"].as_str().unwrap().to_owned();
    let mut bytes = kyb_sandbox::demo::id_card_png(7, false);
    bytes.extend_from_slice(b"plaintext-marker-5521");

    // Olivia uploads through instance 0 (the server sends it to the partner).
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(bytes.clone()).file_name("front.png"))
        .text("fileType", "Main page");
    let url = format!("{}/api/drafts/{id}/documents", team.servers[0].base_url());
    let uploaded: Value = team.http.post(url).bearer_auth(&team.tokens["olivia"]).multipart(form).send().await.unwrap().json().await.unwrap();
    let file_id = uploaded["file_id"].as_str().unwrap_or_else(|| panic!("{uploaded}")).to_owned();
    assert_eq!(team.sandbox.stats().uploads, 1);

    // Rita, on another machine and instance, lists and reads the same bytes.
    let (_, listed) = team.call_on(1, "rita", "GET", &format!("/api/drafts/{id}/documents"), None).await;
    assert_eq!(listed[0]["file_id"], file_id.as_str());
    assert_eq!(listed[0]["file_type"], "Main page");
    assert_eq!(listed[0]["uploaded_by"], "Olivia Officer", "the uploader by display name");
    let url = format!("{}/api/drafts/{id}/documents/{file_id}", team.servers[1].base_url());
    let read = team.http.get(url).bearer_auth(&team.tokens["rita"]).send().await.unwrap();
    assert_eq!(read.headers()["x-content-sha256"], listed[0]["sha256"].as_str().unwrap());
    assert_eq!(read.bytes().await.unwrap().to_vec(), bytes);

    // Sealed at rest; the upload is in the trail.
    let stored: Vec<u8> = sqlx::query_scalar("SELECT ciphertext FROM documents").fetch_one(&team.servers[0].pool).await.unwrap();
    assert!(!stored.windows(21).any(|w| w == b"plaintext-marker-5521"));
    let trail = kyb_server::audit::entries_from(&team.servers[0].pool, 1).await.unwrap();
    assert!(trail.iter().any(|e| e.actor == "olivia" && e.action == "document_uploaded"));

    // Without a sign-in, nothing.
    let url = format!("{}/api/drafts/{id}/documents/{file_id}", team.servers[1].base_url());
    assert_eq!(team.http.get(url).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}
