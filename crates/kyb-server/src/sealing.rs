//! Partner credentials sealed at rest: XChaCha20-Poly1305 under the server's sealing key, with
//! the environment's name as associated data, so a sealed value moved to another row does not
//! open.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::config::KeyBytes;
use crate::error::ServerError;

/// A sealed value: a random 24-byte nonce and the ciphertext with its tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub nonce: Vec<u8>,
    pub ciphertext: Vec<u8>,
}

pub fn seal(key: &KeyBytes, label: &str, plaintext: &[u8]) -> Sealed {
    let cipher = XChaCha20Poly1305::new(key.bytes().into());
    let mut nonce = [0u8; 24];
    rand::Rng::fill(&mut rand::rng(), &mut nonce[..]);
    let ciphertext = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad: label.as_bytes() })
        // Encryption fails only for a message over ~256 GiB.
        .unwrap_or_default();
    Sealed { nonce: nonce.to_vec(), ciphertext }
}

pub fn open(key: &KeyBytes, label: &str, sealed: &Sealed) -> Result<Zeroizing<Vec<u8>>, ServerError> {
    if sealed.nonce.len() != 24 {
        return Err(ServerError::Unsealing(label.to_owned()));
    }
    let cipher = XChaCha20Poly1305::new(key.bytes().into());
    cipher
        .decrypt(XNonce::from_slice(&sealed.nonce), Payload { msg: &sealed.ciphertext, aad: label.as_bytes() })
        .map(Zeroizing::new)
        .map_err(|_| ServerError::Unsealing(label.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_only_with_its_key_and_label() {
        let key = KeyBytes::random();
        let sealed = seal(&key, "Production", b"secret-value");
        assert!(!sealed.ciphertext.windows(6).any(|w| w == b"secret"));
        assert_eq!(&open(&key, "Production", &sealed).unwrap()[..], b"secret-value");
        assert!(open(&key, "Staging", &sealed).is_err(), "moved to another environment");
        assert!(open(&KeyBytes::random(), "Production", &sealed).is_err(), "another key");
        let mut changed = sealed.clone();
        changed.ciphertext[0] ^= 1;
        assert!(open(&key, "Production", &changed).is_err(), "a changed byte");
    }
}
