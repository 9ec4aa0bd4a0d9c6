//! Approvals signed by the team server: "reviewer R approved version V of draft D, whose change
//! hashes to H", signed with the server's Ed25519 key. A case exported from team mode carries
//! them, and the desktop and the CLI verify them offline against the server's public key, so a
//! hand-edited file naming another approver or another change is refused.

use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One signed approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct SignedApproval {
    pub draft_id: String,
    #[ts(type = "number")]
    pub version: i64,
    /// SHA-256 of the draft's change, hex.
    pub change_hash: String,
    /// The reviewer's subject at the identity provider.
    pub approved_by: String,
    pub approved_at: DateTime<Utc>,
    /// The server's public key, hex.
    pub server_key: String,
    /// Ed25519 over [`SignedApproval::message`], hex.
    pub signature: String,
}

/// Why a signed approval does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApprovalSignatureProblem {
    #[error("the approval is signed by another key than your team server's")]
    UnknownServer,
    #[error("the approval's signature does not verify: the approval was changed after the server signed it")]
    BadSignature,
    #[error("the approval is of version {approved}, but the draft is at version {current}")]
    OtherVersion { approved: i64, current: i64 },
    #[error("the approval is of another change than the draft's")]
    OtherChange,
}

impl SignedApproval {
    /// The bytes the server signs: every field but the signature, unambiguously.
    pub fn message(&self) -> Vec<u8> {
        let at = self.approved_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let mut text = String::from("kyb-desk-team-approval/v1\n");
        for field in [self.draft_id.as_str(), &self.version.to_string(), &self.change_hash, &self.approved_by, &at, &self.server_key] {
            text.push_str(&field.len().to_string());
            text.push(':');
            text.push_str(field);
            text.push('\n');
        }
        text.into_bytes()
    }

    /// Sign as the server holding `key`.
    pub fn sign(key: &SigningKey, draft_id: &str, version: i64, change_hash: &str, approved_by: &str, approved_at: DateTime<Utc>) -> Self {
        use chrono::SubsecRound;
        let mut approval = Self {
            draft_id: draft_id.to_owned(),
            version,
            change_hash: change_hash.to_owned(),
            approved_by: approved_by.to_owned(),
            approved_at: approved_at.trunc_subsecs(6),
            server_key: hex::encode(key.verifying_key().to_bytes()),
            signature: String::new(),
        };
        approval.signature = hex::encode(key.sign(&approval.message()).to_bytes());
        approval
    }

    /// Check the signature against the team server's public key (hex).
    pub fn verify(&self, trusted_server_key: &str) -> Result<(), ApprovalSignatureProblem> {
        if !self.server_key.eq_ignore_ascii_case(trusted_server_key.trim()) {
            return Err(ApprovalSignatureProblem::UnknownServer);
        }
        let key: [u8; 32] = hex::decode(&self.server_key)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or(ApprovalSignatureProblem::UnknownServer)?;
        let key = VerifyingKey::from_bytes(&key).map_err(|_| ApprovalSignatureProblem::UnknownServer)?;
        let signature: [u8; 64] = hex::decode(&self.signature)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or(ApprovalSignatureProblem::BadSignature)?;
        key.verify(&self.message(), &Signature::from_bytes(&signature)).map_err(|_| ApprovalSignatureProblem::BadSignature)
    }

    /// Verify, and check it covers this version of the draft and this change.
    pub fn verify_for(&self, trusted_server_key: &str, version: i64, change_hash: &str) -> Result<(), ApprovalSignatureProblem> {
        self.verify(trusted_server_key)?;
        if self.version != version {
            return Err(ApprovalSignatureProblem::OtherVersion { approved: self.version, current: version });
        }
        if !self.change_hash.eq_ignore_ascii_case(change_hash) {
            return Err(ApprovalSignatureProblem::OtherChange);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    #[test]
    fn a_signed_approval_verifies_only_unchanged_and_for_its_change() {
        let server = key(1);
        let trusted = hex::encode(server.verifying_key().to_bytes());
        let approval = SignedApproval::sign(&server, "d1", 3, &"ab".repeat(32), "rita", Utc::now());
        assert_eq!(approval.verify(&trusted), Ok(()));
        assert_eq!(approval.verify_for(&trusted, 3, &"AB".repeat(32)), Ok(()));
        assert_eq!(approval.verify_for(&trusted, 4, &"ab".repeat(32)), Err(ApprovalSignatureProblem::OtherVersion { approved: 3, current: 4 }));
        assert_eq!(approval.verify_for(&trusted, 3, &"cd".repeat(32)), Err(ApprovalSignatureProblem::OtherChange));

        // A hand edit naming a colleague, or the change recomputed: the signature no longer holds.
        let mut colleague = approval.clone();
        colleague.approved_by = "rex".into();
        assert_eq!(colleague.verify(&trusted), Err(ApprovalSignatureProblem::BadSignature));
        let mut rehashed = approval.clone();
        rehashed.change_hash = "cd".repeat(32);
        assert_eq!(rehashed.verify(&trusted), Err(ApprovalSignatureProblem::BadSignature));
        // Signed by someone's own key instead: not the team server's.
        let forged = SignedApproval::sign(&key(2), "d1", 3, &"ab".repeat(32), "rita", Utc::now());
        assert_eq!(forged.verify(&trusted), Err(ApprovalSignatureProblem::UnknownServer));
        let json = serde_json::to_string(&approval).unwrap();
        assert_eq!(serde_json::from_str::<SignedApproval>(&json).unwrap(), approval);
    }
}
