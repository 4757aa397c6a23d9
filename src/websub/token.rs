//! Callback tokens and `hub.secret`s: 32 bytes from the operating system's CSPRNG, as 64
//! lowercase hex digits. A token makes a callback URL unguessable, so only the hub it was
//! given to can reach a subscription; a path segment of any other shape is refused before
//! the store is read.

/// Hex digits in a token or secret (32 random bytes).
pub const LENGTH: usize = 64;

/// A fresh random token or secret.
pub fn random() -> std::io::Result<String> {
    let mut bytes = [0u8; LENGTH / 2];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Whether `segment` has the shape of a token we hand out (64 lowercase hex digits).
pub fn is_token(segment: &str) -> bool {
    segment.len() == LENGTH && segment.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_have_the_shape_they_are_checked_for() {
        let (a, b) = (random().unwrap(), random().unwrap());
        assert!(is_token(&a) && is_token(&b));
        assert_ne!(a, b);
    }

    #[test]
    fn other_segments_are_not_tokens() {
        let good = "0123456789abcdef".repeat(4);
        assert!(is_token(&good));
        for bad in [
            String::new(),
            good[1..].to_owned(),
            format!("{good}0"),
            good.to_uppercase(),
            good.replacen('0', "g", 1),
            good.replacen('0', "/", 1),
            format!("{}é", &good[..62]),
        ] {
            assert!(!is_token(&bad), "{bad:?}");
        }
    }
}
