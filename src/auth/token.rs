//! Random tokens (session cookies, CSRF tokens, temporary passwords) and their hashes.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

/// 256 random bits, URL-safe text.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a session token: a stolen table gives no usable cookie.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A temporary password that is easy to read out over the phone: no 0/O, 1/l/I.
pub fn temporary_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 14];
    OsRng.fill_bytes(&mut bytes);
    let chars: String = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    format!("{}-{}-{}", &chars[0..4], &chars[4..9], &chars[9..14])
}

/// A CSRF token as a page carries it: a fresh random pad, then the token XORed with it. Each
/// page shows different bytes for the same secret, so a compressed page that also echoes what
/// an attacker typed leaks nothing about the token through its length (BREACH).
pub fn mask(token: &str) -> String {
    let Ok(raw) = URL_SAFE_NO_PAD.decode(token) else {
        return token.to_string();
    };
    let mut pad = vec![0u8; raw.len()];
    OsRng.fill_bytes(&mut pad);
    let mut out = pad.clone();
    out.extend(raw.iter().zip(&pad).map(|(r, p)| r ^ p));
    URL_SAFE_NO_PAD.encode(out)
}

/// Whether a token sent back (masked by a page, or as it is, in a header) is `expected`.
pub fn matches(given: &str, expected: &str) -> bool {
    if same(given, expected) {
        return true;
    }
    let (Ok(both), Ok(raw)) = (
        URL_SAFE_NO_PAD.decode(given),
        URL_SAFE_NO_PAD.decode(expected),
    ) else {
        return false;
    };
    if both.len() != raw.len() * 2 || raw.is_empty() {
        return false;
    }
    let (pad, masked) = both.split_at(raw.len());
    let unmasked: Vec<u8> = masked.iter().zip(pad).map(|(m, p)| m ^ p).collect();
    same(&URL_SAFE_NO_PAD.encode(unmasked), expected)
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn temporary_passwords_are_long_enough_and_readable() {
        let p = temporary_password();
        assert_eq!(p.chars().count(), 16);
        assert!(!p.contains(['0', 'O', '1', 'l', 'I']));
        assert!(crate::domain::user::check_password("someone", &p).is_ok());
    }

    #[test]
    fn a_masked_token_differs_each_time_and_still_matches() {
        let t = random_token();
        let (a, b) = (mask(&t), mask(&t));
        assert_ne!(a, b, "a fresh pad each time");
        assert!(matches(&a, &t) && matches(&b, &t) && matches(&t, &t));
        assert!(!matches(&mask(&random_token()), &t), "another token's mask");
        assert!(!matches("", &t) && !matches(&a[..40], &t));
    }

    #[test]
    fn same_compares_whole_strings() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
    }
}
