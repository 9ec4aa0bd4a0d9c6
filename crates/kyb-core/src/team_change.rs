//! The one hash of a team draft's change: what the server's approvals are of, and what a desktop
//! or the CLI recomputes from a case file to check that a signed approval covers that file's
//! change.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// SHA-256 of the draft's change: [`crate::diff::diff_values`] from the base record (`{}` for a
/// new customer) to the record, as JSON.
pub fn change_hash(base: &Value, record: &Value) -> [u8; 32] {
    let changes = crate::diff::diff_values(base, record);
    let text = serde_json::to_string(&changes).unwrap_or_default();
    Sha256::digest(text.as_bytes()).into()
}

/// [`change_hash`] as lowercase hex, as signed approvals carry it.
pub fn change_hash_hex(base: &Value, record: &Value) -> String {
    hex::encode(change_hash(base, record))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_hash_follows_the_change_not_the_key_order() {
        let base = json!({"a": 1, "b": {"c": "x"}});
        let one = change_hash_hex(&base, &json!({"a": 2, "b": {"c": "x"}}));
        let same = change_hash_hex(&json!({"b": {"c": "x"}, "a": 1}), &json!({"b": {"c": "x"}, "a": 2}));
        assert_eq!(one, same);
        assert_ne!(one, change_hash_hex(&base, &json!({"a": 3, "b": {"c": "x"}})));
        assert_eq!(one.len(), 64);
    }
}
