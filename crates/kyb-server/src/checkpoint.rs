//! Signed checkpoints of the audit trail, signed from the database: the chain's head, or an
//! earlier entry as the trail has it now (`?at=N`, so a desktop that kept a checkpoint at N can
//! check that entry N was not rewritten). A desktop keeps the newest checkpoint it verified
//! (`kyb_app::team::CheckpointKeeper`); if the server later shows a shorter chain, or another hash
//! at that sequence number, its history was rolled back or rewritten, and the desktop says so.

use chrono::Utc;
use ed25519_dalek::SigningKey;
use sqlx::{PgPool, Row};

use crate::config::KeyBytes;
use crate::error::ServerError;

/// The checkpoint, its signed message and its verification belong to kyb-core, so desktops and
/// the CLI verify offline with the same code; the server only signs from its database.
pub use kyb_core::team_checkpoint::{Checkpoint, CheckpointProblem};

pub fn signing_key(seed: &KeyBytes) -> SigningKey {
    SigningKey::from_bytes(seed.bytes())
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

/// Sign "entry `seq`'s hash is H now", or `None` when the trail has no entry `seq` (it is
/// shorter: to whoever kept a checkpoint there, proof of a rollback). Not stored: it states the
/// trail as it is, and the head's checkpoints are the ones kept.
pub async fn sign_at(pool: &PgPool, key: &SigningKey, seq: i64) -> Result<Option<Checkpoint>, ServerError> {
    Ok(hash_at(pool, seq).await?.map(|hash| Checkpoint::sign(key, seq, hash, Utc::now())))
}

/// The last entry's sequence number (0 for an empty trail).
pub async fn head_seq(pool: &PgPool) -> Result<i64, ServerError> {
    let row = sqlx::query("SELECT COALESCE(MAX(seq), 0) AS head FROM audit_entries").fetch_one(pool).await?;
    Ok(row.try_get("head")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configured_key_signs_checkpoints_that_verify_only_unchanged() {
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
}
