//! The second factor: time-based one-time passwords (TOTP, RFC 6238) over HMAC-SHA1
//! (RFC 2104, written here over the `sha1` digest), six digits, 30-second steps, the secret
//! shown as base32 (RFC 4648) and as an `otpauth://` URI that authenticator apps read.

use sha1::{Digest, Sha1};

/// Seconds per time step (RFC 6238 §4.1, the recommended default).
pub const STEP_SECONDS: i64 = 30;
/// Digits of a code.
pub const DIGITS: u32 = 6;
/// Steps accepted either side of the current one, for clocks that drift (RFC 6238 §5.2).
pub const WINDOW: i64 = 1;
/// Bytes of a new secret: 160 bits, the HMAC-SHA1 output size (RFC 4226 §4 R6).
pub const SECRET_BYTES: usize = 20;

/// HMAC-SHA1 of `msg` under `key` (RFC 2104).
pub fn hmac_sha1(key: &[u8], msg: &[u8]) -> [u8; 20] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..20].copy_from_slice(&Sha1::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha1::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(msg);
    let inner = inner.finalize();
    let mut outer = Sha1::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner);
    outer.finalize().into()
}

/// The HOTP value of `counter` (RFC 4226 §5.3), `digits` digits.
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> u32 {
    let mac = hmac_sha1(secret, &counter.to_be_bytes());
    let offset = usize::from(mac[19] & 0x0f);
    let bin = (u32::from(mac[offset] & 0x7f) << 24)
        | (u32::from(mac[offset + 1]) << 16)
        | (u32::from(mac[offset + 2]) << 8)
        | u32::from(mac[offset + 3]);
    bin % 10u32.pow(digits)
}

/// The time step of an instant (seconds since the Unix epoch).
pub fn step_of(unix_s: i64) -> i64 {
    unix_s.div_euclid(STEP_SECONDS)
}

/// The six-digit code of a time step, zero-padded.
pub fn code_at_step(secret: &[u8], step: i64) -> String {
    format!(
        "{:0width$}",
        hotp(secret, step.max(0) as u64, DIGITS),
        width = DIGITS as usize
    )
}

/// Checks a typed code at `unix_s`: the step it matches within the window, if it is later than
/// `last_step` (a code is used once). Spaces in the typed code are ignored.
pub fn verify(secret: &[u8], typed: &str, unix_s: i64, last_step: i64) -> Option<i64> {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != DIGITS as usize || !typed.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let now = step_of(unix_s);
    (now - WINDOW..=now + WINDOW)
        .filter(|s| *s > last_step)
        .find(|s| constant_time_eq(code_at_step(secret, *s).as_bytes(), typed.as_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Base32 (RFC 4648 §6) without padding, as authenticator apps take a secret.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buf = (buf << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(B32[((buf >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(B32[((buf << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Reads base32 (case, spaces and padding ignored); `None` on any other character.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let v = B32
            .iter()
            .position(|&x| char::from(x) == c.to_ascii_uppercase())?;
        buf = (buf << 5) | v as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
        buf &= (1 << bits) - 1;
    }
    Some(out)
}

fn uri_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The `otpauth://totp/…` URI of a secret (the Key Uri Format authenticator apps read).
pub fn otpauth_uri(issuer: &str, account: &str, secret_b32: &str) -> String {
    format!(
        "otpauth://totp/{}:{}?secret={secret_b32}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        uri_escape(issuer),
        uri_escape(account),
        uri_escape(issuer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_sha1_gives_the_rfc_2202_values() {
        assert_eq!(
            hex::encode(hmac_sha1(&[0x0b; 20], b"Hi There")),
            "b617318655057264e28bc0b6fb378c8ef146be00"
        );
        assert_eq!(
            hex::encode(hmac_sha1(b"Jefe", b"what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
        // A key longer than the block is hashed first.
        assert_eq!(
            hex::encode(hmac_sha1(
                &[0xaa; 80],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112"
        );
    }

    #[test]
    fn hotp_gives_the_rfc_4226_values() {
        let want = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        for (c, w) in want.iter().enumerate() {
            assert_eq!(hotp(b"12345678901234567890", c as u64, 6), *w);
        }
    }

    #[test]
    fn totp_gives_the_rfc_6238_sha1_values() {
        let secret = b"12345678901234567890";
        for (t, code) in [
            (59, "94287082"),
            (1111111109, "07081804"),
            (1111111111, "14050471"),
            (1234567890, "89005924"),
            (2000000000, "69279037"),
            (20000000000, "65353130"),
        ] {
            assert_eq!(
                format!("{:08}", hotp(secret, step_of(t) as u64, 8)),
                code,
                "T = {t}"
            );
        }
        assert_eq!(code_at_step(secret, step_of(59)), "287082");
    }

    #[test]
    fn a_code_is_taken_within_one_step_of_drift_once_and_not_after() {
        let secret = b"12345678901234567890";
        let t = 1_800_000_000;
        let code = code_at_step(secret, step_of(t));
        let step = verify(secret, &code, t, 0).unwrap();
        assert_eq!(step, step_of(t));
        assert_eq!(verify(secret, &code, t + 30, 0), Some(step));
        assert_eq!(verify(secret, &code, t - 30, 0), Some(step));
        assert_eq!(verify(secret, &code, t + 90, 0), None);
        // Used once: the same code at the same step is refused.
        assert_eq!(verify(secret, &code, t, step), None);
        assert_eq!(verify(secret, "12345", t, 0), None);
        assert_eq!(verify(secret, "abcdef", t, 0), None);
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(verify(secret, &spaced, t, 0), Some(step));
    }

    #[test]
    fn base32_round_trips_and_matches_rfc_4648() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_encode(b"f"), "MY");
        assert_eq!(base32_decode("MZXW6YTBOI======").unwrap(), b"foobar");
        assert_eq!(base32_decode("mzxw 6ytb oi").unwrap(), b"foobar");
        assert!(base32_decode("MZ1").is_none());
        let secret: Vec<u8> = (0..20).collect();
        assert_eq!(base32_decode(&base32_encode(&secret)).unwrap(), secret);
    }

    #[test]
    fn the_otpauth_uri_names_issuer_account_and_secret() {
        let uri = otpauth_uri("法治平台", "admin", "MZXW6YTBOI");
        assert!(uri.starts_with("otpauth://totp/%E6%B3%95"));
        assert!(uri.contains(":admin?secret=MZXW6YTBOI&issuer=%E6"));
        assert!(uri.ends_with("&digits=6&period=30"));
    }
}
