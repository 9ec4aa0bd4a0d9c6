//! Signed checkpoints of the team server's audit trail: "the trail had `seq` entries ending in
//! `hash` at `signed_at`", signed with the server's Ed25519 key. The server signs them (from its
//! database); every desktop and the CLI verify them offline and keep the newest one they verified,
//! so a server that later shows a shorter chain, or another hash at that entry, is caught: its
//! history was rolled back or rewritten. This module owns the signed message's format.

use chrono::{DateTime, SubsecRound, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

/// A signed statement "the trail had `seq` entries ending in `hash` at `signed_at`" (or, asked
/// for an earlier entry, "entry `seq`'s hash is `hash` now").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    pub seq: i64,
    #[serde(with = "hex_bytes")]
    pub hash: [u8; 32],
    pub signed_at: DateTime<Utc>,
    #[serde(with = "hex_bytes")]
    pub public_key: [u8; 32],
    #[serde(with = "hex_bytes")]
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

impl Checkpoint {
    /// Sign as the server holding `key` (the time is kept to the microsecond, as signed).
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

    /// [`Checkpoint::verify`] against a key written in hex (the team connection keeps it so);
    /// a key that is not 32 bytes of hex trusts nothing.
    pub fn verify_hex(&self, trusted_hex: &str) -> Result<(), CheckpointProblem> {
        let trusted: [u8; 32] = hex::decode(trusted_hex.trim())
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or(CheckpointProblem::UnknownKey)?;
        self.verify(&trusted)
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

/// Fixed-size byte arrays as lowercase hex; a wrong length is a parse error, not a panic.
mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer, const N: usize>(bytes: &[u8; N], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&hex::encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>, const N: usize>(deserializer: D) -> Result<[u8; N], D::Error> {
        let text = String::deserialize(deserializer)?;
        let bytes = hex::decode(&text).map_err(serde::de::Error::custom)?;
        bytes.try_into().map_err(|_| serde::de::Error::custom(format!("expected {N} bytes of hex")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    #[test]
    fn a_checkpoint_verifies_only_unchanged_and_with_its_key() {
        let key = key(7);
        let trusted = key.verifying_key().to_bytes();
        let checkpoint = Checkpoint::sign(&key, 7, [3; 32], Utc::now());
        assert_eq!(checkpoint.verify(&trusted), Ok(()));
        assert_eq!(checkpoint.verify_hex(&hex::encode(trusted)), Ok(()));
        assert_eq!(checkpoint.verify_hex("not hex"), Err(CheckpointProblem::UnknownKey));
        let json = serde_json::to_string(&checkpoint).unwrap();
        assert_eq!(serde_json::from_str::<Checkpoint>(&json).unwrap(), checkpoint);
        let short = json.replacen(&hex::encode(checkpoint.hash), "abcd", 1);
        assert!(serde_json::from_str::<Checkpoint>(&short).is_err());

        let mut moved = checkpoint.clone();
        moved.seq = 8;
        assert_eq!(moved.verify(&trusted), Err(CheckpointProblem::BadSignature));
        let forged = Checkpoint::sign(&self::key(8), 7, [3; 32], Utc::now());
        assert_eq!(forged.verify(&trusted), Err(CheckpointProblem::UnknownKey));
    }

    #[test]
    fn a_kept_checkpoint_reports_rollback_and_rewrite() {
        let key = key(1);
        let kept = Checkpoint::sign(&key, 5, [1; 32], Utc::now());
        let later = Checkpoint::sign(&key, 9, [2; 32], Utc::now());
        assert_eq!(kept.still_holds(&later, Some([1; 32])), Ok(()));
        assert_eq!(kept.still_holds(&later, Some([4; 32])), Err(CheckpointProblem::Rewritten { seq: 5 }));
        let shorter = Checkpoint::sign(&key, 3, [2; 32], Utc::now());
        assert_eq!(kept.still_holds(&shorter, None), Err(CheckpointProblem::RolledBack { kept_seq: 5, server_head: 3 }));
    }
}
