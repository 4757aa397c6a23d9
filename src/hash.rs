//! The one content hash: lowercase hex SHA-256, for fetched bodies (servers that send no
//! validators), stub texts (was a stub edited?), served ETags, uploads and hashed item ids.
//! Pure.

use sha2::{Digest, Sha256};

/// Lowercase hex SHA-256 of `bytes`.
pub fn hash_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
#[test]
fn is_the_lowercase_hex_sha256() {
    assert_eq!(hash_hex(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_eq!(hash_hex(b"abc").len(), 64);
}
