//! Proving and verifying keys of the presentation circuit, and proofs: newtypes over arkworks'
//! Groth16 types on BN254, with strict binary encodings and a SHA-256 fingerprint.
//!
//! - Keys and proofs are read with exact lengths, full validation (on curve, in the prime-order
//!   subgroup) and a re-encode-and-compare check, so every accepted byte string is the canonical
//!   encoding of its value (SECURITY.md A04-A11).
//! - Every verifying key passes the weak-key checks of SECURITY.md B10 when it is loaded or
//!   created: no identity points, `gamma != delta`, neither is the G2 generator, and exactly
//!   [`NUM_PUBLIC_INPUTS`]` + 1` input commitments.
//! - The fingerprint is SHA-256 of the canonical compressed verifying key; requests name the
//!   fingerprint of the key they expect (B09).
//! - [`setup_for_development`] runs a local, single-party setup: whoever runs it can forge
//!   proofs. Production keys come from a multi-party ceremony (a later issue).

use crate::fixed_base::FixedBaseTable;
use crate::pairing::FixedLines;
use ark_bn254::{Bn254, Fr, G1Projective, G2Affine};
use ark_ec::AffineRepr;
use ark_groth16::Groth16;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use ark_snark::SNARK;
use rand::{CryptoRng, RngCore};
use sha2::{Digest, Sha256};
use vouchsafe_circuits::presentation::{PresentationCircuit, NUM_PUBLIC_INPUTS};

/// Size of a compressed proof: A (32), B (64), C (32).
pub const PROOF_LEN: usize = 128;
/// Largest key file accepted before parsing (the presentation proving key is about 2.6 MiB).
pub const MAX_KEY_BYTES: usize = 64 * 1024 * 1024;

/// Why a key or a proof was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// Wrong length for a fixed-size encoding.
    #[error("wrong length: expected {expected} bytes, got {got}")]
    Length {
        /// Expected length.
        expected: usize,
        /// Received length.
        got: usize,
    },
    /// More bytes than any valid key has.
    #[error("input too large: at most {max} bytes, got {got}")]
    TooLarge {
        /// The limit.
        max: usize,
        /// Received length.
        got: usize,
    },
    /// Bytes that do not decode to valid points (off the curve, outside the subgroup, a field
    /// element out of range, a truncated encoding).
    #[error("invalid encoding: {0}")]
    Invalid(String),
    /// Bytes left after a complete key.
    #[error("trailing bytes after the encoding")]
    TrailingBytes,
    /// A valid value written in a non-canonical way.
    #[error("non-canonical encoding")]
    NonCanonical,
    /// A verifying key that fails the weak-key checks (SECURITY.md B10).
    #[error("weak or malformed verifying key: {0}")]
    WeakVerifyingKey(&'static str),
    /// A key for another circuit (wrong number of public inputs).
    #[error("key for another circuit: {inputs} public inputs, expected {expected}")]
    WrongCircuit {
        /// Public inputs of the key.
        inputs: usize,
        /// Public inputs of the presentation circuit.
        expected: usize,
    },
    /// Setup or proving failed inside arkworks.
    #[error("synthesis failed: {0}")]
    Synthesis(String),
}

fn decode_exact<T: CanonicalDeserialize + CanonicalSerialize>(bytes: &[u8]) -> Result<T, KeyError> {
    let mut reader = bytes;
    let value = T::deserialize_with_mode(&mut reader, Compress::Yes, Validate::Yes)
        .map_err(|e| KeyError::Invalid(e.to_string()))?;
    if !reader.is_empty() {
        return Err(KeyError::TrailingBytes);
    }
    let mut again = Vec::with_capacity(bytes.len());
    value
        .serialize_compressed(&mut again)
        .map_err(|e| KeyError::Invalid(e.to_string()))?;
    if again != bytes {
        return Err(KeyError::NonCanonical);
    }
    Ok(value)
}

fn encode<T: CanonicalSerialize>(value: &T) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.compressed_size());
    // Serializing into a Vec cannot fail.
    let _ = value.serialize_compressed(&mut out);
    out
}

/// The verifying key of the presentation circuit.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifyingKey(ark_groth16::VerifyingKey<Bn254>);

/// A verifying key prepared for fast verification, with its fingerprint.
#[derive(Clone, Debug)]
pub struct PreparedVerifyingKey {
    pub(crate) pvk: ark_groth16::PreparedVerifyingKey<Bn254>,
    /// Fixed-base tables of the input commitments `IC_0..IC_7`.
    ic: Vec<FixedBaseTable>,
    /// The scaled lines of `-gamma` and `-delta` for our Miller loop (`None` only for a key
    /// whose `gamma` or `delta` is the identity, which `VerifyingKey::check` rejects; such a
    /// key would fall back to arkworks' loop).
    pub(crate) lines: Option<(FixedLines, FixedLines)>,
    fingerprint: [u8; 32],
}

/// The proving key of the presentation circuit. Not secret, but large (megabytes).
#[derive(Clone)]
pub struct ProvingKey(pub(crate) ark_groth16::ProvingKey<Bn254>);

impl std::fmt::Debug for ProvingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProvingKey")
            .field(
                "verifying_key",
                &VerifyingKey(self.0.vk.clone()).fingerprint_hex(),
            )
            .finish_non_exhaustive()
    }
}

impl VerifyingKey {
    fn check(vk: ark_groth16::VerifyingKey<Bn254>) -> Result<Self, KeyError> {
        if vk.gamma_abc_g1.len() != NUM_PUBLIC_INPUTS + 1 {
            return Err(KeyError::WrongCircuit {
                inputs: vk.gamma_abc_g1.len().saturating_sub(1),
                expected: NUM_PUBLIC_INPUTS,
            });
        }
        let g2 = G2Affine::generator();
        if vk.alpha_g1.is_zero()
            || vk.beta_g2.is_zero()
            || vk.gamma_g2.is_zero()
            || vk.delta_g2.is_zero()
        {
            return Err(KeyError::WeakVerifyingKey("identity point"));
        }
        if vk.gamma_abc_g1.iter().any(|p| p.is_zero()) {
            return Err(KeyError::WeakVerifyingKey(
                "an input commitment is the identity",
            ));
        }
        if vk.gamma_g2 == vk.delta_g2 {
            return Err(KeyError::WeakVerifyingKey("gamma equals delta"));
        }
        if vk.delta_g2 == g2 {
            return Err(KeyError::WeakVerifyingKey("delta is the G2 generator"));
        }
        Ok(VerifyingKey(vk))
    }

    /// Reads a compressed verifying key: exact length, validated points, canonical encoding,
    /// and the weak-key checks.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        if bytes.len() > MAX_KEY_BYTES {
            return Err(KeyError::TooLarge {
                max: MAX_KEY_BYTES,
                got: bytes.len(),
            });
        }
        // The presentation key has a known size: refuse anything else before parsing.
        let expected = 32 + 3 * 64 + 8 + 32 * (NUM_PUBLIC_INPUTS + 1);
        if bytes.len() != expected {
            return Err(KeyError::Length {
                expected,
                got: bytes.len(),
            });
        }
        Self::check(decode_exact(bytes)?)
    }

    /// The canonical compressed encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        encode(&self.0)
    }

    /// SHA-256 of [`VerifyingKey::to_bytes`].
    pub fn fingerprint(&self) -> [u8; 32] {
        Sha256::digest(self.to_bytes()).into()
    }

    /// The fingerprint in lowercase hex.
    pub fn fingerprint_hex(&self) -> String {
        self.fingerprint()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Prepares the key for verification: the pairing `e(alpha, beta)`, the negated G2 points
    /// and fixed-base tables of the 8 input commitments (about 2 MB, 30 ms once), so that
    /// preparing a presentation's public inputs costs additions only.
    pub fn prepare(&self) -> PreparedVerifyingKey {
        let pvk = ark_groth16::prepare_verifying_key(&self.0);
        let lines =
            FixedLines::new(&pvk.gamma_g2_neg_pc).zip(FixedLines::new(&pvk.delta_g2_neg_pc));
        PreparedVerifyingKey {
            pvk,
            lines,
            ic: self
                .0
                .gamma_abc_g1
                .iter()
                .map(FixedBaseTable::new)
                .collect(),
            fingerprint: self.fingerprint(),
        }
    }

    /// The underlying arkworks key (for exports).
    pub fn as_ark(&self) -> &ark_groth16::VerifyingKey<Bn254> {
        &self.0
    }
}

impl PreparedVerifyingKey {
    /// The fingerprint of the key this was prepared from.
    pub fn fingerprint(&self) -> [u8; 32] {
        self.fingerprint
    }

    /// `IC_0 + sum_j x_j IC_(j+1)`: the public inputs' commitment, from the tables. The caller
    /// has checked that there are [`NUM_PUBLIC_INPUTS`] inputs.
    pub(crate) fn prepare_inputs(&self, inputs: &[Fr]) -> G1Projective {
        // Every key was checked to have NUM_PUBLIC_INPUTS + 1 commitments (`VerifyingKey::check`),
        // so IC_0 exists; `skip(1)` pairs IC_(j+1)'s table with x_j.
        let mut acc: G1Projective = self
            .pvk
            .vk
            .gamma_abc_g1
            .first()
            .map(|ic0| (*ic0).into())
            .unwrap_or_default();
        for (x, table) in inputs.iter().zip(self.ic.iter().skip(1)) {
            table.mul_add_into(&mut acc, x);
        }
        acc
    }

    /// `x_0 IC_0 + sum_j x_(j+1) IC_(j+1)` for 8 scalars (batch verification).
    pub(crate) fn commit_all(&self, scalars: &[Fr; NUM_PUBLIC_INPUTS + 1]) -> G1Projective {
        let mut acc = G1Projective::default();
        for (x, table) in scalars.iter().zip(&self.ic) {
            table.mul_add_into(&mut acc, x);
        }
        acc
    }
}

impl ProvingKey {
    /// Reads a compressed proving key with full validation (points on curve and in subgroup,
    /// canonical encoding). Slow for megabyte keys: validation dominates.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        if bytes.len() > MAX_KEY_BYTES {
            return Err(KeyError::TooLarge {
                max: MAX_KEY_BYTES,
                got: bytes.len(),
            });
        }
        let pk: ark_groth16::ProvingKey<Bn254> = decode_exact(bytes)?;
        VerifyingKey::check(pk.vk.clone())?;
        Ok(ProvingKey(pk))
    }

    /// The canonical compressed encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        encode(&self.0)
    }

    /// The underlying arkworks key. Proving with it directly skips every check of
    /// [`crate::holder::Holder::prove`]; tests use it to force proofs of false statements.
    pub fn as_ark(&self) -> &ark_groth16::ProvingKey<Bn254> {
        &self.0
    }

    /// The verifying key that belongs to this proving key.
    pub fn verifying_key(&self) -> VerifyingKey {
        VerifyingKey(self.0.vk.clone())
    }
}

/// A Groth16 proof: 128 bytes compressed.
///
/// Groth16 proofs are malleable (anyone can re-randomize a valid proof into another valid proof
/// of the same statement), so never use proof bytes as an identifier or a replay key
/// (SECURITY.md section 1, item 4); vouchsafe's replay protection is the consumed challenge.
#[derive(Clone, Debug, PartialEq)]
pub struct Proof(pub(crate) ark_groth16::Proof<Bn254>);

impl Proof {
    /// Reads exactly [`PROOF_LEN`] bytes: validated, canonical.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        if bytes.len() != PROOF_LEN {
            return Err(KeyError::Length {
                expected: PROOF_LEN,
                got: bytes.len(),
            });
        }
        Ok(Proof(decode_exact(bytes)?))
    }

    /// The canonical compressed encoding.
    pub fn to_bytes(&self) -> [u8; PROOF_LEN] {
        // A compressed proof is exactly PROOF_LEN bytes.
        let mut out = [0u8; PROOF_LEN];
        for (o, b) in out.iter_mut().zip(encode(&self.0)) {
            *o = b;
        }
        out
    }

    /// The underlying arkworks proof (for exports).
    pub fn as_ark(&self) -> &ark_groth16::Proof<Bn254> {
        &self.0
    }
}

/// Creates proving and verifying keys with a local single-party setup, for development and
/// tests. Whoever knows this setup's randomness can forge proofs: production deployments must
/// use keys from a multi-party ceremony.
pub fn setup_for_development<R: RngCore + CryptoRng>(
    rng: &mut R,
) -> Result<(ProvingKey, VerifyingKey), KeyError> {
    let (pk, vk) = Groth16::<Bn254>::circuit_specific_setup(PresentationCircuit::blank(), rng)
        .map_err(|e| KeyError::Synthesis(e.to_string()))?;
    let vk = VerifyingKey::check(vk)?;
    Ok((ProvingKey(pk), vk))
}
