//! Authentication primitives: password hashing and random tokens. Sessions, throttling and
//! CSRF checks use these from the store and the web layer.

pub mod password;
pub mod token;
