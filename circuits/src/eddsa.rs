//! EdDSA-Poseidon over Baby Jubjub with circomlib's semantics: a signature `(R8, S)` on a
//! message `m` in `Fr` under a public key `A` is valid iff `S < l`, `A` and `R8` lie on the
//! curve, `8*A` is not the identity, and `S*Base8 == R8 + h*(8*A)`, where
//! `h = Poseidon(R8x, R8y, Ax, Ay, m)` multiplies as its full 254-bit integer (never reduced
//! mod `l`) and `8*A` is three doublings (circomlib `eddsaposeidon.circom`, circomlibjs
//! `verifyPoseidon`).
//!
//! # Keys
//!
//! A [`PublicKey`] is a point of the prime-order subgroup other than the identity; it can only
//! be built from a point that passes those checks (SECURITY.md C03). Signatures made by
//! circomlibjs verify under it, since circomlibjs keys are multiples of `Base8`. [`verify_raw`]
//! applies circomlib's weaker key checks (on the curve, not of small order) to raw coordinates,
//! as the circuit does.
//!
//! A [`SecretKey`] is derived from a 32-byte seed with SHA-2 (not circomlibjs's BLAKE-512
//! derivation, so a circomlibjs private key does not map to the same public key):
//! - secret scalar: `s = SHA-512(len || EDDSA_KEY_DST || seed)` read as a little-endian 512-bit
//!   integer, reduced mod `l`;
//! - nonce prefix: `prefix = SHA-256(len || EDDSA_PREFIX_DST || seed)`;
//! - public key: `A = s*Base8`.
//!
//! `len` is the tag's length as one byte; the tags live in [`crate::tags`].
//!
//! Should a reduction mod `l` give 0 (probability about `2^-251`), the hash is recomputed with
//! a counter `c = 1, 2, ...` appended as 8 little-endian bytes, and the first non-zero result is
//! taken; so `s` and `r` below are never 0 and no input makes key derivation or signing panic.
//!
//! # Signing
//!
//! Deterministic, as in RFC 8032: `r = SHA-512(len || EDDSA_NONCE_DST || prefix || LE32(m))`
//! mod `l` (non-zero as above), `R8 = r*Base8`, `h = Poseidon(R8x, R8y, Ax, Ay, m)`, and
//! `S = (r + 8*h*s) mod l`. The factor 8 matches verification, which multiplies `A` by the
//! cofactor: `S*Base8 = R8 + h*s*8*Base8 = R8 + h*(8*A)`. circomlibjs does the same with its
//! `s_pruned = 8*s_scalar`.
//!
//! # Encoding
//!
//! A public key is a packed point (32 bytes, [`crate::babyjubjub::Point::pack`]); a signature is
//! circomlib's `packSignature`: `pack(R8) || LE32(S)` (64 bytes). Decoding is strict: a
//! non-canonical point, `S >= l`, or a wrong length is refused.
//!
//! Secret material is zeroized when a [`SecretKey`] is dropped; temporaries inside the
//! arithmetic are not (arkworks is not constant-time either: SECURITY.md section 1, item 10).

use crate::babyjubjub::{self, Fs, Point, PointError};
use crate::tags::{EDDSA_KEY_DST, EDDSA_NONCE_DST, EDDSA_PREFIX_DST};
use crate::Fr;
use ark_ff::{AdditiveGroup, BigInteger, Field, PrimeField};
use rand::{CryptoRng, RngCore};
use sha2::digest::generic_array::GenericArray;
use sha2::{Digest, Sha256, Sha512};
use std::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop};

// Gadget code: it lays out constraints over the prover's own witness, with indexes and sizes
// fixed by the circuit's shape; no input bytes reach it. It keeps the unwrap/expect/panic
// lints but not the crate's indexing and integer-arithmetic ones (SECURITY.md 6.8).
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
pub mod constraints;

/// The number of bytes of a seed.
pub const SEED_LEN: usize = 32;

/// The number of bytes of a packed public key.
pub const PUBLIC_KEY_LEN: usize = babyjubjub::PACKED_LEN;

/// The number of bytes of a packed signature.
pub const SIGNATURE_LEN: usize = 64;

/// Why a signature was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// A signature encoding of the wrong length.
    #[error("wrong signature length: expected {expected} bytes, got {got}")]
    Length {
        /// The expected number of bytes.
        expected: usize,
        /// The number of bytes received.
        got: usize,
    },
    /// `S >= l`: `S` and `S + l` would otherwise both verify (SECURITY.md C01).
    #[error("signature scalar S is not below the subgroup order")]
    ScalarOutOfRange,
    /// `R8` is not a point of the curve, or its encoding was refused.
    #[error("invalid signature point R8")]
    InvalidR8(#[source] PointError),
    /// The public key given as raw coordinates to [`verify_raw`] is not on the curve or has
    /// small order.
    #[error("invalid public key")]
    InvalidKey(#[source] PointError),
    /// The verification equation `S*Base8 == R8 + h*(8*A)` does not hold.
    #[error("signature does not verify")]
    Invalid,
}

/// Poseidon through the crate's implementation; `None` only if it refuses the input count,
/// which never happens for the five inputs used here.
fn poseidon(inputs: &[Fr]) -> Option<Fr> {
    crate::poseidon::hash(inputs).ok()
}

/// The challenge `h = Poseidon(R8x, R8y, Ax, Ay, m)`.
///
/// Poseidon refuses only input counts outside `1..=16`, so this cannot fail; were it ever to,
/// the result would be 0, and [`PublicKey::verify`] and [`verify_raw`] (which do not go
/// through this function) would refuse every signature instead.
pub fn challenge(r8: &Point, a: &Point, m: Fr) -> Fr {
    poseidon(&challenge_inputs(r8, a, m)).unwrap_or(Fr::ZERO)
}

fn challenge_inputs(r8: &Point, a: &Point, m: Fr) -> [Fr; 5] {
    [r8.x(), r8.y(), a.x(), a.y(), m]
}

/// The verification equation `S*Base8 == R8 + h*(8*A)`, `h` and `S` as full integers. Fails
/// closed if the hash cannot be computed.
fn check_equation(a: &Point, r8: &Point, m: Fr, s: &Fr) -> Result<(), SignatureError> {
    let h = poseidon(&challenge_inputs(r8, a, m)).ok_or(SignatureError::Invalid)?;
    let lhs = Point::base8().mul_bigint(s.into_bigint().as_ref());
    let rhs = r8.add(&a.mul_by_cofactor().mul_bigint(h.into_bigint().as_ref()));
    if lhs == rhs {
        Ok(())
    } else {
        Err(SignatureError::Invalid)
    }
}

/// Whether `s < l` as integers.
fn scalar_in_range(s: &Fr) -> bool {
    s.into_bigint() < babyjubjub::subgroup_order()
}

/// An element of `Fs` as an element of `Fr`; exact, since `l < r`.
fn fs_to_fr(x: &Fs) -> Fr {
    Fr::from_le_bytes_mod_order(&x.into_bigint().to_bytes_le())
}

/// An element of `Fr` reduced mod `l`.
fn fr_to_fs(x: &Fr) -> Fs {
    Fs::from_le_bytes_mod_order(&x.into_bigint().to_bytes_le())
}

/// `SHA-512(len(dst) || dst || parts...)` mod `l`, recomputed with a counter appended while the
/// result is 0 (see the module docs).
fn hash_to_nonzero_scalar(dst: &[u8], parts: &[&[u8]]) -> Fs {
    let mut wide = [0u8; 64];
    for counter in 0..u64::MAX {
        let mut h = Sha512::new();
        let dst = dst.get(..255).unwrap_or(dst);
        h.update([u8::try_from(dst.len()).unwrap_or(u8::MAX)]);
        h.update(dst);
        for part in parts {
            h.update(part);
        }
        if counter > 0 {
            h.update(counter.to_le_bytes());
        }
        h.finalize_into(GenericArray::from_mut_slice(&mut wide));
        let s = Fs::from_le_bytes_mod_order(&wide);
        wide.zeroize();
        if s != Fs::ZERO {
            return s;
        }
    }
    // 2^64 independent hashes all divisible by l: not a physical possibility. Any non-zero
    // value keeps the function total.
    Fs::ONE
}

/// A public key: a point of the prime-order subgroup other than the identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PublicKey(Point);

impl PublicKey {
    /// The key `A = p` if `p` is on the curve, not the identity ([`PointError::Identity`]) and
    /// in the prime-order subgroup ([`PointError::NotInSubgroup`], which covers the points of
    /// order 2, 4 and 8 as well as `A + T` for a torsion point `T`).
    pub fn from_point(p: Point) -> Result<PublicKey, PointError> {
        if !p.is_on_curve() {
            return Err(PointError::NotOnCurve);
        }
        if p.is_identity() {
            return Err(PointError::Identity);
        }
        if !p.is_in_subgroup() {
            return Err(PointError::NotInSubgroup);
        }
        Ok(PublicKey(p))
    }

    /// The key with coordinates `(x, y)`, checked as in [`PublicKey::from_point`].
    pub fn from_xy(x: Fr, y: Fr) -> Result<PublicKey, PointError> {
        PublicKey::from_point(Point::new(x, y)?)
    }

    /// Decodes a packed key (32 bytes, [`babyjubjub::unpack`]), checked as in
    /// [`PublicKey::from_point`].
    pub fn from_bytes(bytes: &[u8]) -> Result<PublicKey, PointError> {
        PublicKey::from_point(babyjubjub::unpack(bytes)?)
    }

    /// The packed key (circomlib's `packPoint`).
    pub fn to_bytes(&self) -> [u8; PUBLIC_KEY_LEN] {
        self.0.pack()
    }

    /// The point `A`.
    pub fn point(&self) -> Point {
        self.0
    }

    /// Verifies `sig` on `m` (see the module docs for the relation). Checks `S < l`
    /// ([`SignatureError::ScalarOutOfRange`]), `R8` on the curve
    /// ([`SignatureError::InvalidR8`]) and the equation ([`SignatureError::Invalid`]).
    pub fn verify(&self, m: Fr, sig: &Signature) -> Result<(), SignatureError> {
        if !scalar_in_range(&sig.s) {
            return Err(SignatureError::ScalarOutOfRange);
        }
        if !sig.r8.is_on_curve() {
            return Err(SignatureError::InvalidR8(PointError::NotOnCurve));
        }
        check_equation(&self.0, &sig.r8, m, &sig.s)
    }
}

/// circomlib's verification on raw coordinates, with exactly its conditions: `S < l`
/// ([`SignatureError::ScalarOutOfRange`]), `A` on the curve and `8*A` not the identity
/// ([`SignatureError::InvalidKey`] with [`PointError::NotOnCurve`] or
/// [`PointError::SmallOrder`]), `R8` on the curve ([`SignatureError::InvalidR8`]), and the
/// equation ([`SignatureError::Invalid`]).
///
/// Unlike [`PublicKey`], `A` need not be in the prime-order subgroup: the equation only sees
/// `8*A`, while `h` hashes `A` itself. Prefer [`PublicKey::verify`].
pub fn verify_raw(ax: Fr, ay: Fr, m: Fr, r8x: Fr, r8y: Fr, s: Fr) -> Result<(), SignatureError> {
    if !scalar_in_range(&s) {
        return Err(SignatureError::ScalarOutOfRange);
    }
    let a = Point::new(ax, ay).map_err(SignatureError::InvalidKey)?;
    if a.is_small_order() {
        return Err(SignatureError::InvalidKey(PointError::SmallOrder));
    }
    let r8 = Point::new(r8x, r8y).map_err(SignatureError::InvalidR8)?;
    check_equation(&a, &r8, m, &s)
}

/// A signature `(R8, S)`.
///
/// [`Signature::new`] does not check anything: `S` may be any field element, and verification
/// refuses `S >= l`. [`Signature::from_bytes`] refuses it already.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Signature {
    r8: Point,
    s: Fr,
}

impl Signature {
    /// The pair `(R8, S)`, unchecked.
    pub fn new(r8: Point, s: Fr) -> Signature {
        Signature { r8, s }
    }

    /// The point `R8`.
    pub fn r8(&self) -> Point {
        self.r8
    }

    /// The scalar `S`, as a field element.
    pub fn s(&self) -> Fr {
        self.s
    }

    /// circomlib's `packSignature`: `pack(R8) || LE32(S)`.
    pub fn to_bytes(&self) -> [u8; SIGNATURE_LEN] {
        let mut out = [0u8; SIGNATURE_LEN];
        out[..32].copy_from_slice(&self.r8.pack());
        out[32..].copy_from_slice(&crate::field::to_bytes_le(&self.s));
        out
    }

    /// Decodes a packed signature: exactly 64 bytes ([`SignatureError::Length`]), a canonical
    /// packed `R8` on the curve ([`SignatureError::InvalidR8`]), and `S < l` read as a 256-bit
    /// little-endian integer ([`SignatureError::ScalarOutOfRange`]).
    pub fn from_bytes(bytes: &[u8]) -> Result<Signature, SignatureError> {
        let Some((r8_bytes, s_bytes)) = bytes
            .split_first_chunk::<32>()
            .filter(|_| bytes.len() == SIGNATURE_LEN)
        else {
            return Err(SignatureError::Length {
                expected: SIGNATURE_LEN,
                got: bytes.len(),
            });
        };
        let r8 = babyjubjub::unpack(r8_bytes).map_err(SignatureError::InvalidR8)?;
        // Every value >= r is also >= l.
        let s =
            crate::field::from_bytes_le(s_bytes).map_err(|_| SignatureError::ScalarOutOfRange)?;
        if !scalar_in_range(&s) {
            return Err(SignatureError::ScalarOutOfRange);
        }
        Ok(Signature { r8, s })
    }
}

/// A secret signing key, derived from a 32-byte seed (see the module docs).
///
/// Not `Clone` (one owner; derive again from the seed if needed), zeroized on drop, and printed
/// as `SecretKey { .. }`.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct SecretKey {
    seed: [u8; SEED_LEN],
    scalar: Fs,
    prefix: [u8; 32],
    #[zeroize(skip)]
    public: PublicKey,
}

impl SecretKey {
    /// Derives the key from `seed`. The caller should zeroize its own copy of the seed.
    pub fn from_seed(seed: [u8; SEED_LEN]) -> SecretKey {
        let scalar = hash_to_nonzero_scalar(EDDSA_KEY_DST, &[&seed]);
        let mut h = Sha256::new();
        h.update([EDDSA_PREFIX_DST.len() as u8]);
        h.update(EDDSA_PREFIX_DST);
        h.update(seed);
        let mut prefix = [0u8; 32];
        h.finalize_into(GenericArray::from_mut_slice(&mut prefix));
        // s is in [1, l), so s*Base8 is a non-identity point of the subgroup.
        let public = PublicKey(Point::base8().mul_scalar(&scalar));
        SecretKey {
            seed,
            scalar,
            prefix,
            public,
        }
    }

    /// Draws a fresh seed from `rng` and derives the key from it.
    pub fn generate<R: RngCore + CryptoRng>(rng: &mut R) -> SecretKey {
        let mut seed = [0u8; SEED_LEN];
        rng.fill_bytes(&mut seed);
        let key = SecretKey::from_seed(seed);
        seed.zeroize();
        key
    }

    /// The seed the key was derived from: the only thing to store to keep the key. Secret.
    pub fn seed(&self) -> &[u8; SEED_LEN] {
        &self.seed
    }

    /// The public key `A = s*Base8`.
    pub fn public_key(&self) -> PublicKey {
        self.public
    }

    /// Signs `m` (deterministic; see the module docs).
    pub fn sign(&self, m: Fr) -> Signature {
        let m_bytes = crate::field::to_bytes_le(&m);
        let r = hash_to_nonzero_scalar(EDDSA_NONCE_DST, &[&self.prefix, &m_bytes]);
        sign_with_nonce(&self.scalar, &self.public.0, &r, m)
    }
}

/// `R8 = r*Base8`, `h = Poseidon(R8x, R8y, Ax, Ay, m)`, `S = r + 8*h*s mod l`.
fn sign_with_nonce(s: &Fs, a: &Point, r: &Fs, m: Fr) -> Signature {
    let r8 = Point::base8().mul_scalar(r);
    let h = fr_to_fs(&challenge(&r8, a, m));
    let big_s = *r + Fs::from(8u64) * h * s;
    Signature {
        r8,
        s: fs_to_fr(&big_s),
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretKey").finish_non_exhaustive()
    }
}

#[cfg(test)]
// Tests fail loudly on unexpected values.
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::babyjubjub::{subgroup_order, torsion};
    use crate::field::to_decimal;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha20Rng;

    use crate::test_vectors::{dec, eddsa as vectors};

    fn hex(v: &serde_json::Value) -> Vec<u8> {
        let s = v.as_str().expect("hex string");
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// One vector signature with its key.
    struct Case {
        a: PublicKey,
        m: Fr,
        sig: Signature,
    }

    fn cases() -> Vec<Case> {
        let v = vectors();
        let mut out = Vec::new();
        for key in v["keys"].as_array().unwrap() {
            let a = PublicKey::from_xy(dec(&key["Ax"]), dec(&key["Ay"])).unwrap();
            for sig in key["signatures"].as_array().unwrap() {
                let r8 = Point::new(dec(&sig["R8x"]), dec(&sig["R8y"])).unwrap();
                out.push(Case {
                    a,
                    m: dec(&sig["msg"]),
                    sig: Signature::new(r8, dec(&sig["S"])),
                });
            }
        }
        assert_eq!(out.len(), 6);
        out
    }

    fn l_as_fr() -> Fr {
        Fr::from_bigint(subgroup_order()).unwrap()
    }

    fn raw(a: &PublicKey, m: Fr, sig: &Signature) -> Result<(), SignatureError> {
        let (a, r8) = (a.point(), sig.r8());
        verify_raw(a.x(), a.y(), m, r8.x(), r8.y(), sig.s())
    }

    #[test]
    fn vector_keys_decode_and_pack() {
        let v = vectors();
        for key in v["keys"].as_array().unwrap() {
            let a = PublicKey::from_xy(dec(&key["Ax"]), dec(&key["Ay"])).unwrap();
            let packed = hex(&key["A_packed"]);
            assert_eq!(a.to_bytes().to_vec(), packed);
            assert_eq!(PublicKey::from_bytes(&packed), Ok(a));
        }
    }

    #[test]
    fn vector_signatures_verify() {
        let v = vectors();
        for key in v["keys"].as_array().unwrap() {
            let a = PublicKey::from_xy(dec(&key["Ax"]), dec(&key["Ay"])).unwrap();
            for s in key["signatures"].as_array().unwrap() {
                let m = dec(&s["msg"]);
                let r8 = Point::new(dec(&s["R8x"]), dec(&s["R8y"])).unwrap();
                let sig = Signature::new(r8, dec(&s["S"]));
                assert_eq!(challenge(&r8, &a.point(), m), dec(&s["hm"]));
                assert_eq!(a.verify(m, &sig), Ok(()));
                assert_eq!(raw(&a, m, &sig), Ok(()));
                assert_eq!(r8.pack().to_vec(), hex(&s["R8_packed"]));
                let packed = hex(&s["sig_packed"]);
                assert_eq!(sig.to_bytes().to_vec(), packed);
                assert_eq!(Signature::from_bytes(&packed), Ok(sig));
            }
        }
    }

    #[test]
    fn signing_equation_matches_circomlibjs() {
        // With circomlibjs's own scalar and nonce, our signing equation gives its R8 and S.
        let v = vectors();
        for key in v["keys"].as_array().unwrap() {
            let s = fr_to_fs(&dec(&key["s_scalar"]));
            let a = Point::new(dec(&key["Ax"]), dec(&key["Ay"])).unwrap();
            assert_eq!(Point::base8().mul_scalar(&s), a);
            for sig in key["signatures"].as_array().unwrap() {
                let r = fr_to_fs(&dec(&sig["r"]));
                let ours = sign_with_nonce(&s, &a, &r, dec(&sig["msg"]));
                assert_eq!(ours.r8().x(), dec(&sig["R8x"]));
                assert_eq!(ours.r8().y(), dec(&sig["R8y"]));
                assert_eq!(ours.s(), dec(&sig["S"]));
            }
        }
    }

    #[test]
    fn tampered_vector_signatures_are_invalid() {
        let cases = cases();
        let other_key = PublicKey::from_point(Point::base8()).unwrap();
        for (i, c) in cases.iter().enumerate() {
            let other = &cases[(i + 1) % cases.len()];
            // changed message
            assert_eq!(
                c.a.verify(c.m + Fr::ONE, &c.sig),
                Err(SignatureError::Invalid)
            );
            assert_eq!(
                c.a.verify(other.m + Fr::from(7u64), &c.sig),
                Err(SignatureError::Invalid)
            );
            // changed R8 (still on the curve, in the subgroup)
            let r8 = c.sig.r8().add(&Point::base8());
            assert_eq!(
                c.a.verify(c.m, &Signature::new(r8, c.sig.s())),
                Err(SignatureError::Invalid)
            );
            assert_eq!(
                c.a.verify(c.m, &Signature::new(c.sig.r8().neg(), c.sig.s())),
                Err(SignatureError::Invalid)
            );
            assert_eq!(
                c.a.verify(c.m, &Signature::new(other.sig.r8(), c.sig.s())),
                Err(SignatureError::Invalid)
            );
            // changed S (still below l)
            for s in [
                c.sig.s() + Fr::ONE,
                c.sig.s() - Fr::ONE,
                Fr::ZERO,
                l_as_fr() - Fr::ONE,
            ] {
                let sig = Signature::new(c.sig.r8(), s);
                assert_eq!(c.a.verify(c.m, &sig), Err(SignatureError::Invalid));
                assert_eq!(raw(&c.a, c.m, &sig), Err(SignatureError::Invalid));
            }
            // changed key
            assert_eq!(other_key.verify(c.m, &c.sig), Err(SignatureError::Invalid));
            if other.a != c.a {
                assert_eq!(other.a.verify(c.m, &c.sig), Err(SignatureError::Invalid));
                assert_eq!(raw(&other.a, c.m, &c.sig), Err(SignatureError::Invalid));
            }
        }
    }

    #[test]
    fn c01_s_at_or_above_l_rejected() {
        let l = l_as_fr();
        let max253 = Fr::from_bigint(ark_ff::BigInt::new([
            u64::MAX,
            u64::MAX,
            u64::MAX,
            (1 << 61) - 1,
        ]))
        .unwrap();
        for c in cases() {
            let s = c.sig.s();
            // S + l passes the equation on its own: only the range check refuses it.
            let lhs = Point::base8().mul_bigint((s + l).into_bigint().as_ref());
            assert_eq!(lhs, Point::base8().mul_bigint(s.into_bigint().as_ref()));
            for bad in [s + l, s + l + l, l, max253, -Fr::ONE] {
                let sig = Signature::new(c.sig.r8(), bad);
                assert_eq!(c.a.verify(c.m, &sig), Err(SignatureError::ScalarOutOfRange));
                assert_eq!(raw(&c.a, c.m, &sig), Err(SignatureError::ScalarOutOfRange));
                // Packed: decoding refuses it already.
                assert_eq!(
                    Signature::from_bytes(&sig.to_bytes()),
                    Err(SignatureError::ScalarOutOfRange)
                );
            }
        }
    }

    #[test]
    fn c01_packed_s_at_or_above_l_or_r_rejected() {
        let c = &cases()[0];
        let good = c.sig.to_bytes();
        let l = subgroup_order();
        let r = Fr::MODULUS;
        let mut eight_l = l;
        for _ in 0..3 {
            let _ = eight_l.mul2();
        }
        let mut l_minus_1 = l;
        let _ = l_minus_1.sub_with_borrow(&ark_ff::BigInt::from(1u64));
        let mut l_plus_1 = l;
        let _ = l_plus_1.add_with_carry(&ark_ff::BigInt::from(1u64));
        for (s, ok) in [
            (l_minus_1.to_bytes_le(), true),
            (l.to_bytes_le(), false),
            (l_plus_1.to_bytes_le(), false),
            (eight_l.to_bytes_le(), false),
            (r.to_bytes_le(), false),
            (vec![0xff; 32], false),
        ] {
            let mut bytes = good;
            bytes[32..].copy_from_slice(&s);
            let decoded = Signature::from_bytes(&bytes);
            if ok {
                assert_eq!(decoded.map(|d| d.to_bytes()), Ok(bytes));
            } else {
                assert_eq!(decoded, Err(SignatureError::ScalarOutOfRange));
            }
        }
    }

    #[test]
    fn c02_bad_r8_rejected() {
        for c in cases() {
            // off the curve: raw coordinates, and a point built without the check
            let r8 = c.sig.r8();
            let off = Point::new_unchecked(r8.x(), r8.y() + Fr::ONE);
            assert_eq!(
                c.a.verify(c.m, &Signature::new(off, c.sig.s())),
                Err(SignatureError::InvalidR8(PointError::NotOnCurve))
            );
            let a = c.a.point();
            assert_eq!(
                verify_raw(a.x(), a.y(), c.m, off.x(), off.y(), c.sig.s()),
                Err(SignatureError::InvalidR8(PointError::NotOnCurve))
            );
            // identity, small order, and R8 + T: the equation puts R8 in the subgroup
            for t in torsion::all() {
                for bad in [t, r8.add(&t)] {
                    if bad == r8 {
                        continue;
                    }
                    let sig = Signature::new(bad, c.sig.s());
                    assert_eq!(c.a.verify(c.m, &sig), Err(SignatureError::Invalid));
                    assert_eq!(raw(&c.a, c.m, &sig), Err(SignatureError::Invalid));
                }
            }
            // packed R8 that does not decode
            let mut bytes = c.sig.to_bytes();
            bytes[..32].copy_from_slice(&Point::identity().pack());
            bytes[31] |= 0x80;
            assert_eq!(
                Signature::from_bytes(&bytes),
                Err(SignatureError::InvalidR8(PointError::NonCanonical))
            );
            bytes[..32].copy_from_slice(&Fr::MODULUS.to_bytes_le());
            assert_eq!(
                Signature::from_bytes(&bytes),
                Err(SignatureError::InvalidR8(PointError::FieldOverflow))
            );
        }
        let mut bytes = cases()[0].sig.to_bytes();
        let y = (2u64..)
            .map(Fr::from)
            .find(|y| babyjubjub::unpack(&crate::field::to_bytes_le(y)).is_err())
            .unwrap();
        bytes[..32].copy_from_slice(&crate::field::to_bytes_le(&y));
        assert_eq!(
            Signature::from_bytes(&bytes),
            Err(SignatureError::InvalidR8(PointError::NotOnCurve))
        );
    }

    #[test]
    fn c03_bad_public_keys_refused() {
        let a = cases()[0].a.point();
        // identity
        assert_eq!(
            PublicKey::from_point(Point::identity()),
            Err(PointError::Identity)
        );
        assert_eq!(
            PublicKey::from_xy(Fr::ZERO, Fr::ONE),
            Err(PointError::Identity)
        );
        assert_eq!(
            PublicKey::from_bytes(&Point::identity().pack()),
            Err(PointError::Identity)
        );
        // small order, and A + T
        for t in torsion::all().into_iter().skip(1) {
            assert_eq!(PublicKey::from_point(t), Err(PointError::NotInSubgroup));
            assert_eq!(
                PublicKey::from_xy(t.x(), t.y()),
                Err(PointError::NotInSubgroup)
            );
            assert_eq!(
                PublicKey::from_bytes(&t.pack()),
                Err(PointError::NotInSubgroup)
            );
            let at = a.add(&t);
            assert_eq!(PublicKey::from_point(at), Err(PointError::NotInSubgroup));
            assert_eq!(
                PublicKey::from_bytes(&at.pack()),
                Err(PointError::NotInSubgroup)
            );
        }
        // off the curve
        assert_eq!(
            PublicKey::from_xy(a.x(), a.y() + Fr::ONE),
            Err(PointError::NotOnCurve)
        );
        assert_eq!(
            PublicKey::from_point(Point::new_unchecked(a.x() + Fr::ONE, a.y())),
            Err(PointError::NotOnCurve)
        );
        // encodings
        let mut bytes = Point::identity().pack();
        bytes[31] |= 0x80;
        assert_eq!(PublicKey::from_bytes(&bytes), Err(PointError::NonCanonical));
        assert_eq!(
            PublicKey::from_bytes(&Fr::MODULUS.to_bytes_le()),
            Err(PointError::FieldOverflow)
        );
        for len in [0usize, 31, 33] {
            assert_eq!(
                PublicKey::from_bytes(&vec![0u8; len]),
                Err(PointError::Length {
                    expected: 32,
                    got: len
                })
            );
        }
    }

    #[test]
    fn verify_raw_applies_circomlibs_key_checks() {
        let c = &cases()[0];
        let (r8, s) = (c.sig.r8(), c.sig.s());
        let a = c.a.point();
        // off the curve
        assert_eq!(
            verify_raw(a.x(), a.y() + Fr::ONE, c.m, r8.x(), r8.y(), s),
            Err(SignatureError::InvalidKey(PointError::NotOnCurve))
        );
        // identity and small order (C09 natively)
        for t in torsion::all() {
            assert_eq!(
                verify_raw(t.x(), t.y(), c.m, r8.x(), r8.y(), s),
                Err(SignatureError::InvalidKey(PointError::SmallOrder))
            );
        }
        // A + T: the hash sees A + T, so the signature for A fails ...
        let t = torsion::order8();
        let at = a.add(&t);
        assert_eq!(
            verify_raw(at.x(), at.y(), c.m, r8.x(), r8.y(), s),
            Err(SignatureError::Invalid)
        );
        // ... but the holder of s can sign for A + T, and circomlib accepts that (8*(A+T) =
        // 8*A). PublicKey refuses A + T outright (C03).
        let sk = SecretKey::from_seed([9u8; 32]);
        let a = sk.public_key().point();
        let at = a.add(&t);
        let r = Fs::from(12345u64);
        let sig = sign_with_nonce(&sk.scalar, &at, &r, c.m);
        assert_eq!(
            verify_raw(at.x(), at.y(), c.m, sig.r8().x(), sig.r8().y(), sig.s()),
            Ok(())
        );
        assert_eq!(PublicKey::from_point(at), Err(PointError::NotInSubgroup));
    }

    #[test]
    fn own_keys_sign_and_verify() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        for _ in 0..8 {
            let sk = SecretKey::generate(&mut rng);
            let pk = sk.public_key();
            assert_eq!(PublicKey::from_point(pk.point()), Ok(pk));
            assert_eq!(PublicKey::from_bytes(&pk.to_bytes()), Ok(pk));
            for m in [Fr::ZERO, Fr::ONE, -Fr::ONE, Fr::from(rng.gen::<u64>())] {
                let sig = sk.sign(m);
                assert!(scalar_in_range(&sig.s()));
                assert_eq!(pk.verify(m, &sig), Ok(()));
                assert_eq!(raw(&pk, m, &sig), Ok(()));
                assert_eq!(pk.verify(m + Fr::ONE, &sig), Err(SignatureError::Invalid));
                // deterministic
                assert_eq!(sk.sign(m), sig);
                let bytes = sig.to_bytes();
                assert_eq!(Signature::from_bytes(&bytes), Ok(sig));
                assert_eq!(
                    Signature::from_bytes(&bytes).map(|s| s.to_bytes()),
                    Ok(bytes)
                );
            }
            assert_ne!(sk.sign(Fr::ZERO).r8(), sk.sign(Fr::ONE).r8());
        }
    }

    #[test]
    fn derivation_is_deterministic_and_documented() {
        let seed = [0x42u8; 32];
        let sk = SecretKey::from_seed(seed);
        assert_eq!(SecretKey::from_seed(seed).public_key(), sk.public_key());
        assert_eq!(sk.seed(), &seed);
        assert_ne!(
            SecretKey::from_seed([0x43; 32]).public_key(),
            sk.public_key()
        );
        // Independent recomputation of the documented derivation.
        let mut h = Sha512::new();
        h.update([EDDSA_KEY_DST.len() as u8]);
        h.update(EDDSA_KEY_DST);
        h.update(seed);
        let s = Fs::from_le_bytes_mod_order(&h.finalize());
        assert_eq!(sk.scalar, s);
        assert_eq!(sk.public_key().point(), Point::base8().mul_scalar(&s));
        let mut h = Sha256::new();
        h.update([EDDSA_PREFIX_DST.len() as u8]);
        h.update(EDDSA_PREFIX_DST);
        h.update(seed);
        let prefix: [u8; 32] = h.finalize().into();
        assert_eq!(sk.prefix, prefix);
        let m = Fr::from(99u64);
        let mut h = Sha512::new();
        h.update([EDDSA_NONCE_DST.len() as u8]);
        h.update(EDDSA_NONCE_DST);
        h.update(prefix);
        h.update(crate::field::to_bytes_le(&m));
        let r = Fs::from_le_bytes_mod_order(&h.finalize());
        assert_eq!(sk.sign(m).r8(), Point::base8().mul_scalar(&r));
    }

    #[test]
    fn hash_to_nonzero_scalar_separates_inputs() {
        let a = hash_to_nonzero_scalar(b"t", &[b"ab", b"c"]);
        assert_eq!(a, hash_to_nonzero_scalar(b"t", &[b"abc"]));
        assert_ne!(a, hash_to_nonzero_scalar(b"u", &[b"abc"]));
        assert_ne!(a, Fs::ZERO);
    }

    #[test]
    fn secret_key_debug_reveals_nothing() {
        let seed = [0xabu8; 32];
        let sk = SecretKey::from_seed(seed);
        let shown = format!("{sk:?}");
        assert_eq!(shown, "SecretKey { .. }");
        assert!(!shown.contains("ab"));
        assert!(!shown.contains(&sk.scalar.to_string()));
        assert!(!shown.contains(&to_decimal(&fs_to_fr(&sk.scalar))));
    }

    #[test]
    fn signature_length_checked() {
        let good = cases()[0].sig.to_bytes();
        for len in [0usize, 32, 63, 65, 128] {
            let mut v = good.to_vec();
            v.resize(len, 0);
            assert_eq!(
                Signature::from_bytes(&v),
                Err(SignatureError::Length {
                    expected: 64,
                    got: len
                })
            );
        }
    }

    #[test]
    fn zeroize_clears_the_secret() {
        let mut sk = SecretKey::from_seed([5u8; 32]);
        sk.zeroize();
        assert_eq!(sk.seed, [0u8; 32]);
        assert_eq!(sk.prefix, [0u8; 32]);
        assert_eq!(sk.scalar, Fs::ZERO);
    }
}
