//! Password hashing (argon2id) and generation of passwords and session tokens.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, Salt, SaltString};
use rand::rand_core::UnwrapErr;
use rand::rngs::SysRng;
use rand::{Rng, RngExt};
use sha2::{Digest, Sha256};

pub const MIN_LENGTH: usize = 12;

/// The operating system's random generator; it panics if the system cannot give randomness.
fn os_rng() -> UnwrapErr<SysRng> {
    UnwrapErr(SysRng)
}

pub fn hash(password: &str) -> anyhow::Result<String> {
    // argon2 0.5 takes a rand_core 0.6 generator, so the salt bytes come from rand here.
    let mut salt = [0u8; Salt::RECOMMENDED_LENGTH];
    os_rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| anyhow::anyhow!("encoding the salt failed: {e}"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing the password failed: {e}"))
}

pub fn verify(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash of a random password, to verify against when a login name is unknown.
pub fn unknown_user_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash(&generate()).unwrap_or_default())
}

/// A password people can type: four groups of letters and digits without look-alikes.
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = os_rng();
    (0..4)
        .map(|_| {
            (0..5)
                .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// A random session token (256 bits, hex) for the cookie.
pub fn session_token() -> String {
    let bytes: [u8; 32] = os_rng().random();
    to_hex(&bytes)
}

/// The database keeps only the hash of a session token, so a leaked table opens no session.
pub fn token_hash(token: &str) -> String {
    to_hex(&Sha256::digest(token.as_bytes()))
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks a new password; the message is shown to the user.
pub fn check_strength(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_LENGTH {
        return Err(format!(
            "Een wachtwoord heeft minstens {MIN_LENGTH} tekens."
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify() {
        let hashed = hash("correct paard batterij").unwrap();
        assert!(verify("correct paard batterij", &hashed));
        assert!(!verify("fout", &hashed));
        assert!(!verify("x", "not a hash"));
    }

    #[test]
    fn generated_passwords_are_strong_and_distinct() {
        let a = generate();
        assert!(check_strength(&a).is_ok());
        assert_ne!(a, generate());
        assert_eq!(session_token().len(), 64);
        assert_eq!(token_hash("a"), token_hash("a"));
    }
}
