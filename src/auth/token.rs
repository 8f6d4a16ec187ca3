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

/// An anonymous tip's receipt code, `XXXX-XXXX-XXXX`: 60 random bits in capital letters and
/// digits without the ones misread (no I, O, 0, 1), so a pupil can copy it down by hand.
pub fn receipt_code() -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 12];
    OsRng.fill_bytes(&mut bytes);
    let chars: String = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    format!("{}-{}-{}", &chars[0..4], &chars[4..8], &chars[8..12])
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

/// The settings key of the secret that signs pre-login CSRF cookies.
pub const CSRF_SECRET_SETTING: &str = "secret.csrf";

/// How long a pre-login CSRF cookie is honoured after the server issued it.
pub const ANON_CSRF_LIFE_SECS: i64 = 12 * 3600;

fn signature(key: &[u8], nonce: &str, issued: i64) -> String {
    use hmac::{Hmac, Mac};
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(nonce.as_bytes());
    mac.update(b".");
    mac.update(issued.to_string().as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// A pre-login CSRF cookie issued now: `nonce.issued.signature`. The nonce is the token
/// forms carry; the signature proves this server issued it, so a cookie planted by someone
/// else (a sibling subdomain, a shared PC) is not accepted as a token.
pub fn issue_anon_csrf(key: &[u8], now_unix: i64) -> (String, String) {
    let nonce = random_token();
    let cookie = format!("{nonce}.{now_unix}.{}", signature(key, &nonce, now_unix));
    (nonce, cookie)
}

/// The token of a pre-login CSRF cookie this server issued and that has not expired.
pub fn verify_anon_csrf(key: &[u8], cookie: &str, now_unix: i64) -> Option<String> {
    let mut parts = cookie.split('.');
    let (nonce, issued, sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || nonce.len() != 43 {
        return None;
    }
    let issued: i64 = issued.parse().ok()?;
    let age = now_unix - issued;
    if !(0..=ANON_CSRF_LIFE_SECS).contains(&age) || !same(sig, &signature(key, nonce, issued)) {
        return None;
    }
    Some(nonce.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_receipt_code_is_three_groups_of_four_capitals_and_digits_never_twice_the_same() {
        let a = receipt_code();
        assert_eq!(a.len(), 14);
        let groups: Vec<&str> = a.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [4, 4, 4]
        );
        assert!(
            a.chars()
                .all(|c| c == '-' || c.is_ascii_uppercase() || c.is_ascii_digit()),
            "{a}"
        );
        assert!(!a.contains(['I', 'O', '0', '1']), "{a}");
        assert_ne!(a, receipt_code());
    }

    #[test]
    fn only_a_pre_login_cookie_this_server_signed_and_not_expired_is_a_token() {
        let (key, other) = (b"one key".as_slice(), b"another key".as_slice());
        let (token, cookie) = issue_anon_csrf(key, 1_000_000);
        assert_eq!(
            verify_anon_csrf(key, &cookie, 1_000_010),
            Some(token.clone())
        );
        assert_eq!(
            verify_anon_csrf(other, &cookie, 1_000_010),
            None,
            "another key"
        );
        let late = 1_000_000 + ANON_CSRF_LIFE_SECS + 1;
        assert_eq!(verify_anon_csrf(key, &cookie, late), None, "expired");
        assert_eq!(
            verify_anon_csrf(key, &cookie, 999_000),
            None,
            "from the future"
        );
        // A planted 43-character value, or a real token with a made-up signature.
        assert_eq!(verify_anon_csrf(key, &random_token(), 1_000_010), None);
        let forged = format!("{}.1000000.{}", random_token(), random_token());
        assert_eq!(verify_anon_csrf(key, &forged, 1_000_010), None);
        let swapped = cookie.replacen(&token, &random_token(), 1);
        assert_eq!(verify_anon_csrf(key, &swapped, 1_000_010), None);
    }

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
