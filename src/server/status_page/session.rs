//! Sessions of the status page, held in memory only (a restart logs everyone out), and the
//! throttle on failed logins.
//!
//! A session id is 32 random bytes from the operating system, sent to the browser once in the
//! cookie; the server keeps only its SHA-256, so neither a lookup's timing nor a memory dump
//! gives a usable id away. Each session has its own random CSRF token, which every form of
//! the page carries back. Sessions end [`SESSION_LIFETIME`] after login, at logout, or when
//! [`MAX_SESSIONS`] newer ones exist.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use crate::hash::hash_hex;

/// How long a login lasts (the cookie's `Max-Age` too).
pub const SESSION_LIFETIME: Duration = Duration::from_secs(12 * 60 * 60);
/// Sessions kept at most; logging in once more ends the oldest. Only the token's holder can
/// create sessions, so this only bounds memory.
pub const MAX_SESSIONS: usize = 32;
/// Failed logins allowed within [`FAILURE_WINDOW`]; further attempts, even with the right
/// token, are refused until the oldest failure leaves the window.
pub const MAX_FAILURES: usize = 10;
pub const FAILURE_WINDOW: Duration = Duration::from_secs(60);

/// The random source failed (no entropy from the operating system).
#[derive(Debug, thiserror::Error)]
#[error("the operating system gave no random bytes for a session: {0}")]
pub struct NoRandomness(getrandom::Error);

/// What the server remembers of one session.
struct Session {
    /// Compared with the `csrf` field of every POST made from the page.
    csrf: String,
    expires: Instant,
    /// Login order, so the oldest session is the one dropped past [`MAX_SESSIONS`].
    created: Instant,
}

/// Live sessions by the hash of their id.
#[derive(Default)]
pub struct Sessions {
    by_hash: HashMap<String, Session>,
}

impl Sessions {
    /// Starts a session at `now` and returns its id (for the cookie), dropping expired
    /// sessions and, past [`MAX_SESSIONS`], the oldest.
    pub fn create(&mut self, now: Instant) -> Result<String, NoRandomness> {
        let (id, csrf) = (random_hex()?, random_hex()?);
        self.by_hash.retain(|_, session| session.expires > now);
        while self.by_hash.len() >= MAX_SESSIONS {
            let oldest = self.by_hash.iter().min_by_key(|(_, s)| s.created).map(|(hash, _)| hash.clone());
            let Some(oldest) = oldest else { break };
            self.by_hash.remove(&oldest);
        }
        let session = Session { csrf, expires: now + SESSION_LIFETIME, created: now };
        self.by_hash.insert(hash_hex(id.as_bytes()), session);
        Ok(id)
    }

    /// The CSRF token of the live session `id`; `None` for an unknown or expired one.
    pub fn csrf_of(&mut self, id: &str, now: Instant) -> Option<String> {
        let hash = hash_hex(id.as_bytes());
        match self.by_hash.get(&hash) {
            Some(session) if session.expires > now => Some(session.csrf.clone()),
            Some(_) => {
                self.by_hash.remove(&hash);
                None
            }
            None => None,
        }
    }

    /// Ends the session `id` (logout).
    pub fn end(&mut self, id: &str) {
        self.by_hash.remove(&hash_hex(id.as_bytes()));
    }
}

/// Failed logins within the last [`FAILURE_WINDOW`], oldest first.
#[derive(Default)]
pub struct LoginThrottle {
    failures: VecDeque<Instant>,
}

impl LoginThrottle {
    /// Whether a login attempt may be checked at `now`.
    pub fn allows(&mut self, now: Instant) -> bool {
        while self.failures.front().is_some_and(|at| now.duration_since(*at) >= FAILURE_WINDOW) {
            self.failures.pop_front();
        }
        self.failures.len() < MAX_FAILURES
    }

    pub fn failed(&mut self, now: Instant) {
        self.failures.push_back(now);
    }
}

/// 32 random bytes from the operating system, as lowercase hex.
fn random_hex() -> Result<String, NoRandomness> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(NoRandomness)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_is_known_by_its_id_until_it_expires_or_ends() {
        let (mut sessions, now) = (Sessions::default(), Instant::now());
        let first = sessions.create(now).unwrap();
        let second = sessions.create(now).unwrap();
        assert_eq!(first.len(), 64);
        assert_ne!(first, second, "random ids");
        let (first_csrf, second_csrf) = (sessions.csrf_of(&first, now), sessions.csrf_of(&second, now));
        assert_eq!(first_csrf.as_ref().map(String::len), Some(64));
        assert_ne!(first_csrf, second_csrf, "a CSRF token per session");
        assert_eq!(sessions.csrf_of("guessed", now), None);
        assert!(!sessions.by_hash.contains_key(&first), "only the hash of an id is kept");
        sessions.end(&first);
        assert_eq!(sessions.csrf_of(&first, now), None, "logged out");
        let later = now + SESSION_LIFETIME;
        assert_eq!(sessions.csrf_of(&second, later), None, "expired");
        assert!(sessions.by_hash.is_empty(), "an expired session is dropped when met");
    }

    #[test]
    fn past_the_limit_the_oldest_session_ends() {
        let (mut sessions, start) = (Sessions::default(), Instant::now());
        let oldest = sessions.create(start).unwrap();
        for second in 1..MAX_SESSIONS as u64 {
            sessions.create(start + Duration::from_secs(second)).unwrap();
        }
        let now = start + Duration::from_secs(100);
        assert!(sessions.csrf_of(&oldest, now).is_some());
        let newest = sessions.create(now).unwrap();
        assert_eq!(sessions.by_hash.len(), MAX_SESSIONS);
        assert_eq!(sessions.csrf_of(&oldest, now), None);
        assert!(sessions.csrf_of(&newest, now).is_some());
    }

    #[test]
    fn failed_logins_are_throttled_within_the_window() {
        let (mut throttle, start) = (LoginThrottle::default(), Instant::now());
        for i in 0..MAX_FAILURES as u64 {
            let at = start + Duration::from_secs(i);
            assert!(throttle.allows(at), "attempt {i}");
            throttle.failed(at);
        }
        assert!(!throttle.allows(start + Duration::from_secs(30)), "too many failures this minute");
        assert!(throttle.allows(start + FAILURE_WINDOW), "the oldest failure left the window");
    }
}
