//! Password hashing (argon2id) and generation of passwords and session tokens.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, Salt, SaltString};
use rand::rand_core::UnwrapErr;
use rand::rngs::SysRng;
use rand::{Rng, RngExt};
use sha2::{Digest, Sha256};

pub const MIN_LENGTH: usize = 12;
/// Matches `ops::auth::MAX_PASSWORD_LENGTH`: a longer password could never be used to log in.
pub const MAX_LENGTH: usize = crate::ops::auth::MAX_PASSWORD_LENGTH;

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

/// At most this many argon2 computations run at once, each on a blocking thread: a flood of
/// logins then waits in line instead of stalling the executor that serves every other request.
fn hashing_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    PERMITS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new(cores)
    })
}

/// [`verify`] on a blocking thread, within the bound on concurrent hashes.
pub async fn verify_off_executor(password: String, stored_hash: String) -> bool {
    let Ok(_permit) = hashing_permits().acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || verify(&password, &stored_hash))
        .await
        .unwrap_or(false)
}

/// [`hash`] on a blocking thread, within the bound on concurrent hashes.
pub async fn hash_off_executor(password: String) -> anyhow::Result<String> {
    let _permit = hashing_permits().acquire().await?;
    tokio::task::spawn_blocking(move || hash(&password)).await?
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

/// Lower-case hex, in one allocation: the session lookup hashes a token on every request.
fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        hex.push(char::from(DIGITS[usize::from(b >> 4)]));
        hex.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    hex
}

/// Words that make a Dutch password easy to guess, on top of zxcvbn's own (English) lists.
const GUESSABLE_WORDS: &[&str] = &[
    "wachtwoord",
    "welkom",
    "gemeente",
    "koers",
    "geheim",
    "zomer",
    "winter",
    "lente",
    "herfst",
    "maandag",
    "januari",
    "amsterdam",
    "rotterdam",
    "ajax",
    "feyenoord",
    "oranje",
    "holland",
    "nederland",
    "veiligheid",
    "handhaving",
    "toezicht",
    "vergunning",
    "wijzigen",
    "inloggen",
];

/// Checks a new password with the zxcvbn strength estimator: long enough, and not guessable
/// from common passwords, words, keyboard patterns, dates or the account's own details
/// (`personal`: e-mail address, name, organisation). The message is shown to the user.
pub fn check_strength(password: &str, personal: &[&str]) -> Result<(), String> {
    if password.chars().count() < MIN_LENGTH {
        return Err(format!(
            "Een wachtwoord heeft minstens {MIN_LENGTH} tekens."
        ));
    }
    if password.len() > MAX_LENGTH {
        return Err(format!(
            "Een wachtwoord heeft hoogstens {MAX_LENGTH} tekens."
        ));
    }
    let mut inputs: Vec<&str> = GUESSABLE_WORDS.to_vec();
    for text in personal {
        inputs.push(text);
        inputs.extend(
            text.split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.len() > 2),
        );
    }
    if zxcvbn::zxcvbn(password, &inputs).score() < zxcvbn::Score::Four {
        return Err(
            "Dit wachtwoord is te makkelijk te raden. Kies een langere zin van \
                    losse woorden, of laat Koers een wachtwoord maken."
                .to_string(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_hash_is_the_lower_case_hex_of_its_sha256() {
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(to_hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
    }

    #[test]
    fn hash_and_verify() {
        let hashed = hash("correct paard batterij").unwrap();
        assert!(verify("correct paard batterij", &hashed));
        assert!(!verify("fout", &hashed));
        assert!(!verify("x", "not a hash"));
    }

    #[test]
    fn weak_and_personal_passwords_are_refused() {
        for weak in [
            "            ",
            "wachtwoord123",
            "welkom2024!!",
            "aaaaaaaaaaaa",
            "qwertyuiop12",
            "Password1234",
            "januari2024!",
        ] {
            assert!(check_strength(weak, &[]).is_err(), "{weak:?} is weak");
        }
        assert!(check_strength("devries-denhelder", &["j.devries@denhelder.nl"]).is_err());
        assert!(check_strength("paars kompas lantaarn fietsbel", &[]).is_ok());
    }

    #[test]
    fn generated_passwords_are_strong_and_distinct() {
        let a = generate();
        assert!(check_strength(&a, &[]).is_ok());
        assert_ne!(a, generate());
        assert_eq!(session_token().len(), 64);
        assert_eq!(token_hash("a"), token_hash("a"));
    }
}
