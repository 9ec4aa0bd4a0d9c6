//! Signed checkpoints of the audit trail: the chain's head (sequence number and hash) signed with
//! the server's Ed25519 key. A desktop keeps the newest checkpoint it verified; if the server
//! later shows a shorter chain, or another hash at that sequence number, its history was rolled
//! back or rewritten, and the desktop says so.

use chrono::{DateTime, SubsecRound, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sqlx::{PgPool, Row};

use crate::config::KeyBytes;
use crate::error::ServerError;

/// A signed statement "the trail had `seq` entries ending in `hash` at `signed_at`".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub seq: i64,
    #[serde(with = "hex::serde")]
    pub hash: [u8; 32],
    pub signed_at: DateTime<Utc>,
    #[serde(with = "hex::serde")]
    pub public_key: [u8; 32],
    #[serde(with = "hex::serde")]
    pub signature: [u8; 64],
}

/// Why a checkpoint or a trail does not hold up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CheckpointProblem {
    #[error("the checkpoint is signed by another key than the team server's")]
    UnknownKey,
    #[error("the checkpoint's signature does not verify")]
    BadSignature,
    /// The server's trail is shorter than a checkpoint this desktop verified earlier.
    #[error("the server's audit trail ends at entry {server_head}, but this desktop saw it reach entry {kept_seq}: its history was rolled back")]
    RolledBack { kept_seq: i64, server_head: i64 },
    /// The entry at the checkpoint's sequence number is not the one that was signed.
    #[error("entry {seq} of the server's audit trail is not the one signed earlier: its history was rewritten")]
    Rewritten { seq: i64 },
}

/// The bytes the signature covers.
fn message(seq: i64, hash: &[u8; 32], signed_at: &DateTime<Utc>) -> Vec<u8> {
    format!(
        "kyb-desk-audit-checkpoint/v1\n{seq}\n{}\n{}",
        hex::encode(hash),
        signed_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    )
    .into_bytes()
}

pub fn signing_key(seed: &KeyBytes) -> SigningKey {
    SigningKey::from_bytes(seed.bytes())
}

impl Checkpoint {
    pub fn sign(key: &SigningKey, seq: i64, hash: [u8; 32], signed_at: DateTime<Utc>) -> Self {
        let signed_at = signed_at.trunc_subsecs(6);
        let signature = key.sign(&message(seq, &hash, &signed_at));
        Self { seq, hash, signed_at, public_key: key.verifying_key().to_bytes(), signature: signature.to_bytes() }
    }

    /// Check the signature against the team server's known public key.
    pub fn verify(&self, trusted: &[u8; 32]) -> Result<(), CheckpointProblem> {
        if &self.public_key != trusted {
            return Err(CheckpointProblem::UnknownKey);
        }
        let key = VerifyingKey::from_bytes(trusted).map_err(|_| CheckpointProblem::UnknownKey)?;
        key.verify(&message(self.seq, &self.hash, &self.signed_at), &Signature::from_bytes(&self.signature))
            .map_err(|_| CheckpointProblem::BadSignature)
    }

    /// Compare a checkpoint kept earlier with the server's newer one and the hash the server now
    /// has at the kept sequence number (`None` when it has no such entry).
    pub fn still_holds(&self, newer: &Checkpoint, hash_at_kept_seq: Option<[u8; 32]>) -> Result<(), CheckpointProblem> {
        if newer.seq < self.seq {
            return Err(CheckpointProblem::RolledBack { kept_seq: self.seq, server_head: newer.seq });
        }
        match hash_at_kept_seq {
            Some(hash) if hash == self.hash => Ok(()),
            Some(_) => Err(CheckpointProblem::Rewritten { seq: self.seq }),
            None => Err(CheckpointProblem::RolledBack { kept_seq: self.seq, server_head: newer.seq }),
        }
    }
}

/// Sign the chain's current head (storing the checkpoint), or `None` while the trail is empty.
pub async fn sign_head(pool: &PgPool, key: &SigningKey) -> Result<Option<Checkpoint>, ServerError> {
    let Some(row) = sqlx::query("SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1").fetch_optional(pool).await? else {
        return Ok(None);
    };
    let seq: i64 = row.try_get("seq")?;
    let hash: Vec<u8> = row.try_get("hash")?;
    let hash: [u8; 32] = hash.try_into().map_err(|_| ServerError::NotFound(format!("a 32-byte hash at entry {seq}")))?;
    let checkpoint = Checkpoint::sign(key, seq, hash, Utc::now());
    sqlx::query(
        "INSERT INTO audit_checkpoints (seq, hash, signed_at, public_key, signature) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (seq) DO NOTHING",
    )
    .bind(checkpoint.seq)
    .bind(checkpoint.hash.as_slice())
    .bind(checkpoint.signed_at)
    .bind(checkpoint.public_key.as_slice())
    .bind(checkpoint.signature.as_slice())
    .execute(pool)
    .await?;
    Ok(Some(checkpoint))
}

/// The hash the server's trail has at `seq`, if it has that entry.
pub async fn hash_at(pool: &PgPool, seq: i64) -> Result<Option<[u8; 32]>, ServerError> {
    let row = sqlx::query("SELECT hash FROM audit_entries WHERE seq = $1").bind(seq).fetch_optional(pool).await?;
    Ok(row.and_then(|row| row.try_get::<Vec<u8>, _>("hash").ok()).and_then(|hash| hash.try_into().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_verifies_only_unchanged_and_with_its_key() {
        let key = signing_key(&KeyBytes::random());
        let trusted = key.verifying_key().to_bytes();
        let checkpoint = Checkpoint::sign(&key, 7, [3; 32], Utc::now());
        assert_eq!(checkpoint.verify(&trusted), Ok(()));
        let json = serde_json::to_string(&checkpoint).unwrap();
        assert_eq!(serde_json::from_str::<Checkpoint>(&json).unwrap(), checkpoint);

        let mut moved = checkpoint.clone();
        moved.seq = 8;
        assert_eq!(moved.verify(&trusted), Err(CheckpointProblem::BadSignature));
        let other = signing_key(&KeyBytes::random());
        let forged = Checkpoint::sign(&other, 7, [3; 32], Utc::now());
        assert_eq!(forged.verify(&trusted), Err(CheckpointProblem::UnknownKey));
    }

    #[test]
    fn a_kept_checkpoint_reports_rollback_and_rewrite() {
        let key = signing_key(&KeyBytes::random());
        let kept = Checkpoint::sign(&key, 5, [1; 32], Utc::now());
        let later = Checkpoint::sign(&key, 9, [2; 32], Utc::now());
        assert_eq!(kept.still_holds(&later, Some([1; 32])), Ok(()));
        assert_eq!(kept.still_holds(&later, Some([4; 32])), Err(CheckpointProblem::Rewritten { seq: 5 }));
        let shorter = Checkpoint::sign(&key, 3, [2; 32], Utc::now());
        assert_eq!(kept.still_holds(&shorter, None), Err(CheckpointProblem::RolledBack { kept_seq: 5, server_head: 3 }));
    }
}
