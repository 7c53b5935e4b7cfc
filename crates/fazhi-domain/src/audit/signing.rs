//! The keys that sign checkpoints: ed25519 (the default) or SM2 (GB/T 32918, for
//! 商用密码应用安全性评估; a configuration, `audit_signature_algorithm`). A checkpoint names its
//! algorithm, so checkpoints of both kinds stay verifiable side by side.

use ed25519_dalek::{Signer as _, Verifier as _};

/// The distinguishing identifier of an SM2 signature: the default user identity of
/// GB/T 35276-2017 (SM2 密码算法使用规范, §10) when none is agreed.
pub const SM2_DISTID: &str = "1234567812345678";

/// A checkpoint's signature algorithm.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SigAlg {
    /// Ed25519 (RFC 8032).
    #[default]
    Ed25519,
    /// SM2 with SM3 (GB/T 32918.2-2016).
    Sm2,
}

impl SigAlg {
    /// `ed25519` or `sm2`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ed25519 => "ed25519",
            Self::Sm2 => "sm2",
        }
    }

    /// From its configured or recorded name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ed25519" => Some(Self::Ed25519),
            "sm2" => Some(Self::Sm2),
            _ => None,
        }
    }
}

/// A key that signs checkpoints.
#[derive(Clone)]
pub enum CheckpointSigner {
    /// Ed25519.
    Ed25519(Box<ed25519_dalek::SigningKey>),
    /// SM2.
    Sm2(Box<sm2::dsa::SigningKey>),
}

impl std::fmt::Debug for CheckpointSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CheckpointSigner({})", self.alg().as_str())
    }
}

impl CheckpointSigner {
    /// The key of a 32-byte secret; `None` for an SM2 secret outside the curve's order.
    pub fn from_secret(alg: SigAlg, secret: &[u8; 32]) -> Option<Self> {
        match alg {
            SigAlg::Ed25519 => Some(Self::Ed25519(Box::new(
                ed25519_dalek::SigningKey::from_bytes(secret),
            ))),
            SigAlg::Sm2 => sm2::dsa::SigningKey::from_slice(SM2_DISTID, secret)
                .ok()
                .map(|k| Self::Sm2(Box::new(k))),
        }
    }

    /// Its algorithm.
    pub fn alg(&self) -> SigAlg {
        match self {
            Self::Ed25519(_) => SigAlg::Ed25519,
            Self::Sm2(_) => SigAlg::Sm2,
        }
    }

    /// The public key, hex (ed25519: 32 bytes; SM2: the uncompressed SEC1 point, 65 bytes).
    pub fn public_key_hex(&self) -> String {
        match self {
            Self::Ed25519(k) => hex::encode(k.verifying_key().to_bytes()),
            Self::Sm2(k) => hex::encode(k.verifying_key().to_sec1_bytes()),
        }
    }

    /// The signature of `msg`, hex (64 bytes for both).
    pub fn sign_hex(&self, msg: &[u8]) -> String {
        match self {
            Self::Ed25519(k) => hex::encode(k.sign(msg).to_bytes()),
            Self::Sm2(k) => {
                let s: sm2::dsa::Signature = k.sign(msg);
                hex::encode(s.to_bytes())
            }
        }
    }
}

/// Whether `signature_hex` is the signature of `msg` under `public_key_hex` with `alg` (a
/// checkpoint without an algorithm is ed25519).
pub fn verify(alg: Option<&str>, public_key_hex: &str, msg: &[u8], signature_hex: &str) -> bool {
    let (Ok(key), Ok(sig)) = (hex::decode(public_key_hex), hex::decode(signature_hex)) else {
        return false;
    };
    match alg.map_or(Some(SigAlg::Ed25519), SigAlg::parse) {
        Some(SigAlg::Ed25519) => {
            let key: Option<[u8; 32]> = key.try_into().ok();
            let sig: Option<[u8; 64]> = sig.try_into().ok();
            match (
                key.and_then(|k| ed25519_dalek::VerifyingKey::from_bytes(&k).ok()),
                sig,
            ) {
                (Some(k), Some(s)) => k
                    .verify(msg, &ed25519_dalek::Signature::from_bytes(&s))
                    .is_ok(),
                _ => false,
            }
        }
        Some(SigAlg::Sm2) => {
            match (
                sm2::dsa::VerifyingKey::from_sec1_bytes(SM2_DISTID, &key),
                sm2::dsa::Signature::from_slice(&sig),
            ) {
                (Ok(k), Ok(s)) => k.verify(msg, &s).is_ok(),
                _ => false,
            }
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_algorithms_sign_and_verify_and_refuse_a_changed_message_key_or_algorithm() {
        for alg in [SigAlg::Ed25519, SigAlg::Sm2] {
            let k = CheckpointSigner::from_secret(alg, &[7; 32]).unwrap();
            assert_eq!(k.alg(), alg);
            let pk = k.public_key_hex();
            let sig = k.sign_hex(b"fazhi");
            assert!(verify(Some(alg.as_str()), &pk, b"fazhi", &sig), "{alg:?}");
            assert!(!verify(Some(alg.as_str()), &pk, b"fazhj", &sig));
            let other = CheckpointSigner::from_secret(alg, &[8; 32]).unwrap();
            assert!(!verify(
                Some(alg.as_str()),
                &other.public_key_hex(),
                b"fazhi",
                &sig
            ));
            let wrong = if alg == SigAlg::Sm2 { "ed25519" } else { "sm2" };
            assert!(!verify(Some(wrong), &pk, b"fazhi", &sig));
            assert!(!verify(Some("rsa"), &pk, b"fazhi", &sig));
        }
        let ed = CheckpointSigner::from_secret(SigAlg::Ed25519, &[7; 32]).unwrap();
        assert!(verify(None, &ed.public_key_hex(), b"x", &ed.sign_hex(b"x")));
        assert_eq!(
            CheckpointSigner::from_secret(SigAlg::Sm2, &[7; 32])
                .unwrap()
                .public_key_hex()
                .len(),
            130
        );
    }
}
