//! Providers (issuers): the holders of an EdDSA-Poseidon signing key who sign credentials.
//!
//! Relation: `Provider::issue(c)` is the signature `(R8, S)` on `c.message()` under the
//! provider's key `A` (deterministic, circomlib-compatible verification:
//! [`vouchsafe_circuits::eddsa`]), returned as a [`SignedCredential`] that carries `A`.
//!
//! A [`Provider`] is a secret: it is not `Clone` or `Serialize`, prints only its public key, and
//! its key is zeroized on drop. Its only secret is a 32-byte seed, exported on request only:
//! - as bytes, [`Provider::export_secret_bytes`] / [`Provider::from_secret_bytes`];
//! - as JSON, [`Provider::export_secret_json`] / [`Provider::from_secret_json`]:
//!   `{"version":1,"kind":"vouchsafe-provider-secret","seed":"<64 lowercase hex digits>"}`.
//!
//! Public keys travel as JSON `{"version":1,"x":"<decimal>","y":"<decimal>"}`
//! ([`public_key_to_json`], [`public_key_from_json`]) or as circomlib's 32-byte packed point
//! ([`public_key_to_bytes`], [`public_key_from_bytes`]). Both decoders refuse points off the
//! curve, the identity and points outside the prime-order subgroup (SECURITY.md C03).
//!
//! [`vouchsafe_circuits::eddsa`]: crate::primitives::eddsa
//! [`SignedCredential`]: crate::credential::SignedCredential
//! [`Provider`]: crate::provider::Provider
//! [`Provider::export_secret_bytes`]: crate::provider::Provider::export_secret_bytes
//! [`Provider::from_secret_bytes`]: crate::provider::Provider::from_secret_bytes
//! [`Provider::export_secret_json`]: crate::provider::Provider::export_secret_json
//! [`Provider::from_secret_json`]: crate::provider::Provider::from_secret_json
//! [`public_key_to_json`]: crate::provider::public_key_to_json
//! [`public_key_from_json`]: crate::provider::public_key_from_json
//! [`public_key_to_bytes`]: crate::provider::public_key_to_bytes
//! [`public_key_from_bytes`]: crate::provider::public_key_from_bytes

use crate::credential::{Credential, SignedCredential};
use crate::wire::{self, DecString, DecodeError, WIRE_VERSION};
use rand::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};
use std::fmt;
use vouchsafe_circuits::eddsa::{PublicKey, SecretKey, PUBLIC_KEY_LEN, SEED_LEN};
use zeroize::Zeroizing;

/// The `kind` of a provider's secret-key JSON.
pub const SECRET_KIND: &str = "vouchsafe-provider-secret";

/// A provider's signing key. Secret: see the module docs.
pub struct Provider {
    key: SecretKey,
}

impl Provider {
    /// A provider with a fresh key from `rng`.
    pub fn generate(rng: &mut (impl RngCore + CryptoRng)) -> Provider {
        Provider {
            key: SecretKey::generate(rng),
        }
    }

    /// The provider whose key derives from `seed`. The caller should zeroize its own copy.
    pub fn from_seed(seed: [u8; SEED_LEN]) -> Provider {
        Provider {
            key: SecretKey::from_seed(seed),
        }
    }

    /// The public key, which the registry approves per schema.
    pub fn public_key(&self) -> PublicKey {
        self.key.public_key()
    }

    /// Signs `credential` (on [`Credential::message`]). The provider vouches for every slot:
    /// build the credential with [`crate::credential::CredentialBuilder`] after checking the
    /// holder.
    pub fn issue(&self, credential: Credential) -> SignedCredential {
        let signature = self.key.sign(credential.message());
        SignedCredential::new(credential, self.key.public_key(), signature)
    }

    /// Signs a message with the provider key (crate use: revocation requests sign
    /// `Poseidon(TAG_REVOCATION_REQUEST, serial)`, whose tag keeps them apart from credentials).
    pub(crate) fn sign_message(
        &self,
        message: vouchsafe_circuits::Fr,
    ) -> vouchsafe_circuits::eddsa::Signature {
        self.key.sign(message)
    }

    /// Signs a request to revoke the credential with `serial` (see [`crate::revocation`]).
    pub fn revoke(&self, serial: vouchsafe_circuits::Fr) -> crate::revocation::RevocationRequest {
        crate::revocation::RevocationRequest::sign(self, serial)
    }

    /// The 32-byte seed, the whole secret. Handle with care.
    pub fn export_secret_bytes(&self) -> Zeroizing<[u8; SEED_LEN]> {
        Zeroizing::new(*self.key.seed())
    }

    /// The provider of a seed exported by [`Provider::export_secret_bytes`]: exactly 32 bytes
    /// ([`DecodeError::Length`]).
    pub fn from_secret_bytes(bytes: &[u8]) -> Result<Provider, DecodeError> {
        let seed: Zeroizing<[u8; SEED_LEN]> =
            Zeroizing::new(bytes.try_into().map_err(|_| DecodeError::Length {
                expected: SEED_LEN,
                got: bytes.len(),
            })?);
        Ok(Provider::from_seed(*seed))
    }

    /// The seed as versioned JSON (module docs). Handle with care.
    pub fn export_secret_json(&self) -> Zeroizing<String> {
        /// The lowercase hex digit of the low four bits of `n` (`from_digit` of a value below
        /// 16 always succeeds; the fallback is never taken).
        fn hex_digit(n: u8) -> char {
            char::from_digit(u32::from(n & 0x0f), 16).unwrap_or('0')
        }
        let head = format!(r#"{{"version":{WIRE_VERSION},"kind":"{SECRET_KIND}","seed":""#);
        // Allocated once at its final size, so that no reallocation leaves a copy behind.
        let mut out = Zeroizing::new(String::with_capacity(
            head.len().saturating_add(2 * SEED_LEN + 2),
        ));
        out.push_str(&head);
        for b in self.key.seed() {
            out.push(hex_digit(b >> 4));
            out.push(hex_digit(*b));
        }
        out.push_str("\"}");
        out
    }

    /// Decodes [`Provider::export_secret_json`]'s format strictly: size and version first
    /// ([`crate::wire`]), no unknown, missing or duplicate fields ([`DecodeError::Json`], whose
    /// message gives only a position, never the input), `kind` equal to [`SECRET_KIND`]
    /// ([`DecodeError::UnexpectedKind`]) and a seed of exactly 64 lowercase hex digits
    /// ([`DecodeError::Hex`]).
    pub fn from_secret_json(input: &str) -> Result<Provider, DecodeError> {
        wire::check_envelope(input)?;
        // Strings are borrowed from the input, so the seed is never copied while parsing.
        let j: SecretJson<'_> = serde_json::from_str(input).map_err(|e| DecodeError::Json {
            message: format!(
                "malformed provider secret ({:?} error at line {}, column {})",
                e.classify(),
                e.line(),
                e.column()
            ),
        })?;
        if j.kind != SECRET_KIND {
            return Err(DecodeError::UnexpectedKind {
                expected: SECRET_KIND,
            });
        }
        let seed = decode_seed_hex(j.seed).ok_or(DecodeError::Hex { field: "seed" })?;
        Ok(Provider::from_seed(*seed))
    }
}

impl fmt::Debug for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Provider")
            .field("public_key", &self.public_key())
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SecretJson<'a> {
    #[allow(dead_code)] // checked by `wire::check_envelope`; read to refuse duplicates
    version: u64,
    kind: &'a str,
    seed: &'a str,
}

/// Exactly `2 * SEED_LEN` lowercase hex digits, into a zeroizing buffer.
fn decode_seed_hex(s: &str) -> Option<Zeroizing<[u8; SEED_LEN]>> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => c.checked_sub(b'0'),
            b'a'..=b'f' => c.checked_sub(b'a').and_then(|v| v.checked_add(10)),
            _ => None,
        }
    }
    let digits = s.as_bytes();
    if digits.len() != 2 * SEED_LEN {
        return None;
    }
    let mut seed = Zeroizing::new([0u8; SEED_LEN]);
    for (out, pair) in seed.iter_mut().zip(digits.chunks_exact(2)) {
        let [hi, lo] = pair else { return None };
        *out = (nibble(*hi)? << 4) | nibble(*lo)?;
    }
    Some(seed)
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PublicKeyJson {
    version: u64,
    x: DecString,
    y: DecString,
}

/// A public key as JSON: `{"version":1,"x":"<decimal>","y":"<decimal>"}`.
pub fn public_key_to_json(key: &PublicKey) -> String {
    let p = key.point();
    wire::encode(&PublicKeyJson {
        version: u64::from(WIRE_VERSION),
        x: DecString::from_fr(&p.x()),
        y: DecString::from_fr(&p.y()),
    })
}

/// Decodes [`public_key_to_json`]'s format strictly ([`crate::wire`]); the point must be on
/// the curve, not the identity and in the prime-order subgroup ([`DecodeError::Point`]).
pub fn public_key_from_json(input: &str) -> Result<PublicKey, DecodeError> {
    let j: PublicKeyJson = wire::decode_versioned(input)?;
    let x = j.x.parse("x")?;
    let y = j.y.parse("y")?;
    PublicKey::from_xy(x, y).map_err(DecodeError::Point)
}

/// A public key as circomlib's 32-byte packed point.
pub fn public_key_to_bytes(key: &PublicKey) -> [u8; PUBLIC_KEY_LEN] {
    key.to_bytes()
}

/// Decodes a packed public key: exactly 32 bytes, canonical, on the curve, not the identity,
/// in the prime-order subgroup ([`DecodeError::Point`]).
pub fn public_key_from_bytes(bytes: &[u8]) -> Result<PublicKey, DecodeError> {
    PublicKey::from_bytes(bytes).map_err(DecodeError::Point)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_hex_is_strict() {
        let good = "0f".repeat(32);
        assert_eq!(decode_seed_hex(&good).map(|s| *s), Some([0x0f; 32]));
        for bad in [
            "0F".repeat(32),
            "0f".repeat(31),
            "0f".repeat(33),
            format!("{}0g", "0f".repeat(31)),
            format!("{} f", "0f".repeat(31)),
            String::new(),
        ] {
            assert!(decode_seed_hex(&bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn secret_json_errors_do_not_echo_the_input() {
        let canary = "c0ffee".repeat(10);
        let input = format!(r#"{{"version":1,"kind":"{SECRET_KIND}","seed":"{canary}\n"}}"#);
        let e = Provider::from_secret_json(&input).unwrap_err();
        assert!(!e.to_string().contains("c0ffee"), "{e}");
        let number = r#"{"version":1,"kind":"vouchsafe-provider-secret","seed":123456789}"#;
        let e = Provider::from_secret_json(number).unwrap_err();
        assert!(matches!(e, DecodeError::Json { .. }));
        assert!(!e.to_string().contains("123456789"), "{e}");
    }
}
