//! Passwords: Argon2id (19 MiB, 2 passes, 1 lane), 8 to 64 characters, no
//! composition rules, the most common ones refused.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand_core::{OsRng, RngCore};

use crate::error::{ApiError, ApiResult};

/// Fewest characters a password may have.
pub const MIN_CHARS: usize = 8;
/// Most characters a password may have.
pub const MAX_CHARS: usize = 64;

/// Passwords people pick first (lower case, 8 characters or more; shorter
/// ones fail the length rule anyway).
const COMMON: &[&str] = &[
    "password",
    "password1",
    "password12",
    "password123",
    "password1234",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "12345678",
    "123456789",
    "1234567890",
    "12345678910",
    "0123456789",
    "87654321",
    "987654321",
    "11111111",
    "111111111",
    "00000000",
    "88888888",
    "99999999",
    "12341234",
    "11223344",
    "12121212",
    "123123123",
    "1q2w3e4r",
    "1q2w3e4r5t",
    "1qaz2wsx",
    "qwertyui",
    "qwertyuiop",
    "qwerty123",
    "qwerty12",
    "qwerty1234",
    "asdfghjkl",
    "asdfasdf",
    "zxcvbnm1",
    "zaq12wsx",
    "abcd1234",
    "abc12345",
    "abcdefgh",
    "iloveyou",
    "iloveyou1",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "whatever",
    "trustno1",
    "superman",
    "starwars",
    "welcome1",
    "welcome123",
    "letmein1",
    "letmein123",
    "admin123",
    "administrator",
    "changeme",
    "changeme1",
    "computer",
    "internet",
    "michelle",
    "jennifer",
    "qazwsxedc",
    "1234qwer",
    "q1w2e3r4",
    "q1w2e3r4t5",
    "secret123",
    "mypassword",
    "goodluck",
    "football1",
    "master123",
    "hello123",
    "india123",
    "india@123",
    "bharat123",
    "krishna1",
    "krishna123",
    "ganesh123",
    "sairam123",
    "omsairam",
    "jaishreeram",
    "jaihind1",
    "mumbai123",
    "delhi123",
    "bangalore",
    "hyderabad",
    "chennai123",
    "pune1234",
    "cricket1",
    "cricket123",
    "sachin10",
    "dhoni007",
    "12345qwert",
    "abcd@1234",
    "admin@123",
    "pass@123",
    "pass@1234",
    "test1234",
    "test@123",
    "welcome@123",
    "qwerty@123",
    "password@123",
    "multipms",
];

/// The Argon2id hasher with the parameters OWASP recommends.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks a new password; errors name `field`.
pub fn check_new(password: &str, email: &str, field: &str) -> ApiResult<()> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(ApiError::invalid(
            field,
            format!("Password must have at least {MIN_CHARS} characters; a few words you will remember work well"),
        ));
    }
    if chars > MAX_CHARS {
        return Err(ApiError::invalid(
            field,
            format!("Password must have at most {MAX_CHARS} characters"),
        ));
    }
    let lower = password.to_lowercase();
    if COMMON.contains(&lower.as_str()) || (!email.is_empty() && lower == email.to_lowercase()) {
        return Err(ApiError::invalid(
            field,
            "This password is among the most common ones and is guessed first; choose another",
        ));
    }
    if password
        .chars()
        .all(|c| c == password.chars().next().unwrap_or(' '))
    {
        return Err(ApiError::invalid(
            field,
            "Password must not be one character repeated; choose another",
        ));
    }
    Ok(())
}

/// Hashes a password (PHC string). CPU-heavy: call from a blocking thread.
pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .expect("Argon2 hashing with valid parameters")
        .to_string()
}

/// True if `password` matches the PHC string. CPU-heavy.
pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Hashes on a blocking thread.
pub async fn hash_async(password: String) -> ApiResult<String> {
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .map_err(ApiError::internal)
}

/// Verifies on a blocking thread. With no hash (unknown account) it still
/// spends the same time, so the answer's speed tells nothing.
pub async fn verify_async(password: String, phc: Option<String>) -> ApiResult<bool> {
    tokio::task::spawn_blocking(move || match phc {
        Some(phc) => verify(&password, &phc),
        None => {
            let _ = verify(&password, dummy_hash());
            false
        }
    })
    .await
    .map_err(ApiError::internal)
}

fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash("not a real password, only spends time"))
}

/// A one-time password to hand over: 16 characters without look-alikes
/// (no 0/O, 1/l/I).
pub fn one_time() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_and_common() {
        assert!(check_new("short", "", "p").is_err());
        assert!(check_new(&"x".repeat(65), "", "p").is_err());
        assert!(check_new("Password123", "", "p").is_err());
        assert!(check_new("aaaaaaaaaa", "", "p").is_err());
        assert!(check_new("asha@example.in", "asha@example.in", "p").is_err());
        assert!(check_new("correct horse battery", "", "p").is_ok());
        assert!(check_new(&"ab".repeat(32), "", "p").is_ok());
        assert!(check_new("ಕನ್ನಡ ಪಾಸ್ವರ್ಡ್", "", "p").is_ok());
    }

    #[test]
    fn hash_and_verify() {
        let phc = hash("correct horse battery");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify("correct horse battery", &phc));
        assert!(!verify("correct horse batterY", &phc));
        assert!(!verify("x", "not a hash"));
    }

    #[test]
    fn one_time_passwords_pass_the_rules() {
        let a = one_time();
        assert_eq!(a.len(), 16);
        assert_ne!(a, one_time());
        check_new(&a, "", "p").unwrap();
    }
}
