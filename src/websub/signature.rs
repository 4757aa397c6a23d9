//! `X-Hub-Signature: <method>=<hex>`: the HMAC of a notification's body under the
//! subscription's `hub.secret` (WebSub §8), with `method` one of `sha1`, `sha256`, `sha384`,
//! `sha512`. The digests are compared in constant time (`Mac::verify_slice`). Pure.

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Sha256, Sha384, Sha512};

/// The header hubs sign notifications with.
pub const HEADER: &str = "x-hub-signature";

/// Why a notification's signature does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("no X-Hub-Signature header")]
    Missing,
    #[error("X-Hub-Signature is not <method>=<hex digest>")]
    Malformed,
    #[error("X-Hub-Signature uses {0:?}, not sha1, sha256, sha384 or sha512")]
    UnknownMethod(String),
    #[error("X-Hub-Signature does not match the body")]
    Mismatch,
}

/// A digest a hub may sign with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl Method {
    pub const ALL: [Method; 4] = [Method::Sha1, Method::Sha256, Method::Sha384, Method::Sha512];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Sha1 => "sha1",
            Method::Sha256 => "sha256",
            Method::Sha384 => "sha384",
            Method::Sha512 => "sha512",
        }
    }

    fn parse(name: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str().eq_ignore_ascii_case(name))
    }

    /// The HMAC of `body` under `secret`.
    fn mac(self, secret: &[u8], body: &[u8]) -> Vec<u8> {
        match self {
            Method::Sha1 => mac::<Hmac<Sha1>>(secret, body).finalize().into_bytes().to_vec(),
            Method::Sha256 => mac::<Hmac<Sha256>>(secret, body).finalize().into_bytes().to_vec(),
            Method::Sha384 => mac::<Hmac<Sha384>>(secret, body).finalize().into_bytes().to_vec(),
            Method::Sha512 => mac::<Hmac<Sha512>>(secret, body).finalize().into_bytes().to_vec(),
        }
    }

    /// Whether `digest` is the HMAC of `body` under `secret`, compared in constant time; a
    /// digest of the wrong length never is.
    fn matches(self, secret: &[u8], body: &[u8], digest: &[u8]) -> bool {
        match self {
            Method::Sha1 => mac::<Hmac<Sha1>>(secret, body).verify_slice(digest).is_ok(),
            Method::Sha256 => mac::<Hmac<Sha256>>(secret, body).verify_slice(digest).is_ok(),
            Method::Sha384 => mac::<Hmac<Sha384>>(secret, body).verify_slice(digest).is_ok(),
            Method::Sha512 => mac::<Hmac<Sha512>>(secret, body).verify_slice(digest).is_ok(),
        }
    }
}

fn mac<M: Mac + KeyInit>(secret: &[u8], body: &[u8]) -> M {
    let mut mac = <M as KeyInit>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(body);
    mac
}

/// Checks `header` (the `X-Hub-Signature` value, if any) against `body` signed with `secret`.
pub fn verify(header: Option<&str>, body: &[u8], secret: &[u8]) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?.trim();
    let (name, hex) = header.split_once('=').ok_or(SignatureError::Malformed)?;
    let method =
        Method::parse(name).ok_or_else(|| SignatureError::UnknownMethod(name.chars().take(16).collect()))?;
    let digest = decode_hex(hex).ok_or(SignatureError::Malformed)?;
    method.matches(secret, body, &digest).then_some(()).ok_or(SignatureError::Mismatch)
}

/// `method=<hex HMAC of body under secret>`: the header a hub sends (the test hub uses it).
pub fn sign(method: Method, body: &[u8], secret: &[u8]) -> String {
    let hex: String = method.mac(secret, body).iter().map(|b| format!("{b:02x}")).collect();
    format!("{}={hex}", method.as_str())
}

/// Lower- or uppercase hex as bytes; `None` for an odd length or a non-hex character.
fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if hex.len() % 2 != 0 {
        return None;
    }
    let nibble = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    hex.as_bytes().chunks(2).map(|pair| Some(nibble(pair[0])? << 4 | nibble(pair[1])?)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = b"<feed><entry><yt:videoId>abc</yt:videoId></entry></feed>";
    const SECRET: &[u8] = b"0123456789abcdef";

    #[test]
    fn all_four_methods_verify_their_own_signature_and_nothing_else() {
        for method in Method::ALL {
            let header = sign(method, BODY, SECRET);
            assert_eq!(verify(Some(&header), BODY, SECRET), Ok(()), "{method:?}");
            assert_eq!(verify(Some(&header.to_uppercase()), BODY, SECRET), Ok(()), "{method:?}: uppercase");
            assert_eq!(
                verify(Some(&header), b"<feed/>", SECRET),
                Err(SignatureError::Mismatch),
                "{method:?}: other body"
            );
            assert_eq!(
                verify(Some(&header), BODY, b"another secret"),
                Err(SignatureError::Mismatch),
                "{method:?}: other secret"
            );
        }
    }

    #[test]
    fn the_known_answer_of_rfc_4231_case_2() {
        let expected = "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        assert_eq!(sign(Method::Sha256, b"what do ya want for nothing?", b"Jefe"), expected);
        assert_eq!(verify(Some(expected), b"what do ya want for nothing?", b"Jefe"), Ok(()));
    }

    #[test]
    fn missing_malformed_and_unknown_signatures_are_refused() {
        let good = sign(Method::Sha256, BODY, SECRET);
        let hex = good.trim_start_matches("sha256=");
        let cases = [
            (None, SignatureError::Missing),
            (Some(hex.to_owned()), SignatureError::Malformed),
            (Some(format!("sha256={}", &hex[1..])), SignatureError::Malformed),
            (Some(format!("sha256={}zz", &hex[2..])), SignatureError::Malformed),
            (Some(format!("sha256={}", &hex[2..])), SignatureError::Mismatch),
            (Some(format!("sha256={hex}00")), SignatureError::Mismatch),
            (Some("sha256=".to_owned()), SignatureError::Mismatch),
            (Some(format!("md5={hex}")), SignatureError::UnknownMethod("md5".into())),
        ];
        for (header, expected) in cases {
            assert_eq!(verify(header.as_deref(), BODY, SECRET), Err(expected), "{header:?}");
        }
    }

    #[test]
    fn hex_decoding() {
        assert_eq!(decode_hex("00ffA0"), Some(vec![0, 255, 160]));
        assert_eq!(decode_hex(""), Some(vec![]));
        assert_eq!(decode_hex("abc"), None);
        assert_eq!(decode_hex("é0"), None);
        assert_eq!(decode_hex("+1"), None);
    }
}
