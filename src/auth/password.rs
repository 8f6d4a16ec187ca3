//! Argon2id password hashing. Costs are configurable: the OWASP minimum by default, cheap in
//! tests. Hashing is CPU-heavy, so the web layer runs it on the blocking pool.

use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cost {
    pub m_kib: u32,
    pub t: u32,
    pub p: u32,
}

impl Cost {
    /// OWASP's minimum for Argon2id: 19 MiB, two passes, one lane.
    pub const OWASP: Cost = Cost {
        m_kib: 19 * 1024,
        t: 2,
        p: 1,
    };
}

#[derive(Clone)]
pub struct Hasher {
    cost: Cost,
    /// A hash of nothing anyone knows, verified for unknown users so that the time taken
    /// does not tell whether an account exists.
    dummy: String,
}

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

impl Hasher {
    pub fn new(cost: Cost) -> Result<Hasher, HashError> {
        let mut h = Hasher {
            cost,
            dummy: String::new(),
        };
        h.dummy = h.hash(&crate::auth::token::random_token())?;
        Ok(h)
    }

    fn argon2(&self) -> Result<Argon2<'static>, HashError> {
        let params = Params::new(self.cost.m_kib, self.cost.t, self.cost.p, None)
            .map_err(|e| HashError(e.to_string()))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    pub fn hash(&self, password: &str) -> Result<String, HashError> {
        let salt = SaltString::generate(&mut OsRng);
        self.argon2()?
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| HashError(e.to_string()))
    }

    /// True when `password` matches `stored`. A malformed stored hash never matches.
    /// The parameters stored with the hash are used, so old hashes keep working after a
    /// change of cost.
    pub fn verify(&self, password: &str, stored: &str) -> bool {
        match PasswordHash::new(stored) {
            Ok(parsed) => Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
            Err(_) => false,
        }
    }

    /// Spends the time of one verification and always fails.
    pub fn verify_dummy(&self, password: &str) -> bool {
        let _ = self.verify(password, &self.dummy);
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: Cost = Cost {
        m_kib: 64,
        t: 1,
        p: 1,
    };

    #[test]
    fn a_hash_verifies_its_own_password_only() {
        let h = Hasher::new(CHEAP).unwrap_or_else(|e| panic!("{e}"));
        let stored = h
            .hash("正确的密码 correct")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(stored.starts_with("$argon2id$"));
        assert!(h.verify("正确的密码 correct", &stored));
        assert!(!h.verify("wrong", &stored));
        assert!(!h.verify("anything", "not a hash"));
        assert!(!h.verify_dummy("anything"));
    }
}
