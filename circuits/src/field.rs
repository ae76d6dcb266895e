//! Field elements of BN254's scalar field `Fr` on the wire: strict parsing, canonical encoding,
//! and hash-to-field.
//!
//! Relation: every accepted spelling denotes exactly one `x` with `0 <= x < r`, and every `x`
//! has exactly one accepted spelling per format. Values `>= r` are **rejected, never reduced**
//! (SECURITY.md A01, A02; `Fp::from_str` and `from_*_bytes_mod_order` reduce and must not see
//! wire data).
//!
//! Formats:
//! - decimal: ASCII digits only, no sign, no whitespace, no leading zero (except `"0"` itself),
//!   at most 77 digits (r has 77);
//! - hex: `0x` followed by exactly 64 lowercase hex digits, big-endian;
//! - bytes: exactly 32 bytes, little-endian ([`from_bytes_le`]) or big-endian ([`from_bytes_be`]).
//!
//! Hash-to-field ([`hash_to_field`]): `SHA-256(len(dst) as one byte || dst || msg)`, read as a
//! big-endian 256-bit integer with its top three bits cleared. The result is uniform on
//! `[0, 2^253)`, which lies below r, so no reduction happens at all.

use crate::Fr;
use ark_ff::{BigInt, BigInteger, PrimeField};
use sha2::{Digest, Sha256};

/// The number of decimal digits of r: no canonical decimal element is longer.
pub const MAX_DECIMAL_DIGITS: usize = 77;

/// Why a field element was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FieldError {
    /// The input was empty.
    #[error("empty field element")]
    Empty,
    /// A character outside the format's alphabet (signs, whitespace, exponents, uppercase hex…).
    #[error("invalid character at position {position}")]
    InvalidCharacter {
        /// Byte offset of the first offending character.
        position: usize,
    },
    /// A value spelled in a non-canonical way (a leading zero, a missing `0x` prefix).
    #[error("non-canonical spelling of a field element")]
    NonCanonical,
    /// More digits than any element of the field can have.
    #[error("field element too long: at most {max} digits, got {got}")]
    TooLong {
        /// The maximum number of digits.
        max: usize,
        /// The number of digits received.
        got: usize,
    },
    /// The value is at least the modulus r.
    #[error("value is not below the field modulus")]
    Overflow,
    /// A byte encoding of the wrong length.
    #[error("wrong length: expected {expected} bytes, got {got}")]
    Length {
        /// The expected number of bytes.
        expected: usize,
        /// The number of bytes received.
        got: usize,
    },
}

fn from_limbs(limbs: [u64; 4]) -> Result<Fr, FieldError> {
    Fr::from_bigint(BigInt::new(limbs)).ok_or(FieldError::Overflow)
}

/// Parses a canonical decimal string (see the module docs).
pub fn parse_decimal(s: &str) -> Result<Fr, FieldError> {
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return Err(FieldError::Empty);
    }
    if let Some(position) = bytes.iter().position(|b| !b.is_ascii_digit()) {
        return Err(FieldError::InvalidCharacter { position });
    }
    if bytes.len() > MAX_DECIMAL_DIGITS {
        return Err(FieldError::TooLong {
            max: MAX_DECIMAL_DIGITS,
            got: bytes.len(),
        });
    }
    if let [b'0', _, ..] = bytes {
        return Err(FieldError::NonCanonical);
    }
    // 77 digits fit in 256 bits (10^77 < 2^256), so the limbs cannot overflow. Within a step,
    // `limb * 10 + carry <= (2^64 - 1) * 10 + 9 < 2^68` fits a u128, so the saturating
    // operations below never saturate: they are exact.
    let mut limbs = [0u64; 4];
    for &b in bytes {
        // `b` is an ASCII digit (checked above): its value is `b - b'0'`, in 0..=9.
        let mut carry = u128::from(b.saturating_sub(b'0'));
        for limb in limbs.iter_mut() {
            let v = u128::from(*limb).saturating_mul(10).saturating_add(carry);
            *limb = v as u64;
            carry = v >> 64;
        }
        if carry != 0 {
            return Err(FieldError::Overflow);
        }
    }
    from_limbs(limbs)
}

/// The canonical decimal spelling of `x`.
pub fn to_decimal(x: &Fr) -> String {
    x.into_bigint().to_string()
}

/// Parses `0x` followed by exactly 64 lowercase hex digits (big-endian).
pub fn parse_hex(s: &str) -> Result<Fr, FieldError> {
    if s.is_empty() {
        return Err(FieldError::Empty);
    }
    let digits = s.strip_prefix("0x").ok_or(FieldError::NonCanonical)?;
    if let Some(i) = digits
        .bytes()
        .position(|b| !(b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
    {
        return Err(FieldError::InvalidCharacter {
            position: i.saturating_add(2),
        });
    }
    if digits.len() != 64 {
        return Err(if digits.len() > 64 {
            FieldError::TooLong {
                max: 64,
                got: digits.len(),
            }
        } else {
            FieldError::NonCanonical
        });
    }
    let mut be = [0u8; 32];
    for (out, pair) in be.iter_mut().zip(digits.as_bytes().chunks_exact(2)) {
        // Every digit was checked above, and 64 digits make 32 pairs: the fallback is never
        // taken.
        let (Some(hi), Some(lo)) = (match pair {
            [hi, lo] => (hex_val(*hi), hex_val(*lo)),
            _ => (None, None),
        }) else {
            return Err(FieldError::NonCanonical);
        };
        *out = (hi << 4) | lo;
    }
    from_bytes_be(&be)
}

/// The value of a lowercase hex digit.
fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => b.checked_sub(b'0'),
        b'a'..=b'f' => b.checked_sub(b'a').and_then(|v| v.checked_add(10)),
        _ => None,
    }
}

/// The canonical hex spelling of `x`: `0x` and 64 lowercase digits.
pub fn to_hex(x: &Fr) -> String {
    let mut s = String::with_capacity(66);
    s.push_str("0x");
    for b in to_bytes_be(x) {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Reads exactly 32 little-endian bytes; values `>= r` are refused.
pub fn from_bytes_le(bytes: &[u8]) -> Result<Fr, FieldError> {
    let arr: &[u8; 32] = bytes.try_into().map_err(|_| FieldError::Length {
        expected: 32,
        got: bytes.len(),
    })?;
    let mut limbs = [0u64; 4];
    for (limb, chunk) in limbs.iter_mut().zip(arr.chunks_exact(8)) {
        // `chunks_exact(8)` yields 8-byte chunks only, so the conversion always succeeds.
        if let Ok(w) = <[u8; 8]>::try_from(chunk) {
            *limb = u64::from_le_bytes(w);
        }
    }
    from_limbs(limbs)
}

/// Reads exactly 32 big-endian bytes; values `>= r` are refused.
pub fn from_bytes_be(bytes: &[u8]) -> Result<Fr, FieldError> {
    let mut le: [u8; 32] = bytes.try_into().map_err(|_| FieldError::Length {
        expected: 32,
        got: bytes.len(),
    })?;
    le.reverse();
    from_bytes_le(&le)
}

/// The canonical 32-byte little-endian encoding of `x`.
pub fn to_bytes_le(x: &Fr) -> [u8; 32] {
    // `to_bytes_le` of a 4-limb integer is exactly 32 bytes.
    let mut out = [0u8; 32];
    for (o, b) in out.iter_mut().zip(x.into_bigint().to_bytes_le()) {
        *o = b;
    }
    out
}

/// The canonical 32-byte big-endian encoding of `x`.
pub fn to_bytes_be(x: &Fr) -> [u8; 32] {
    let mut out = to_bytes_le(x);
    out.reverse();
    out
}

/// Hashes a byte string to a field element under the domain tag `dst` (at most 255 bytes; all
/// tags live in [`crate::tags`]): `SHA-256(len(dst) || dst || msg)`, big-endian, top three bits
/// cleared. Uniform on `[0, 2^253)`; never reduced.
pub fn hash_to_field(dst: &[u8], msg: &[u8]) -> Fr {
    let mut h = Sha256::new();
    // Tags are compile-time constants shorter than 256 bytes; the length byte keeps
    // (dst, msg) pairs from running into each other.
    let dst = dst.get(..255).unwrap_or(dst);
    h.update([u8::try_from(dst.len()).unwrap_or(u8::MAX)]);
    h.update(dst);
    h.update(msg);
    let mut digest: [u8; 32] = h.finalize().into();
    if let Some(top) = digest.first_mut() {
        *top &= 0x1f;
    }
    // A 253-bit value is always below r (r > 2^253).
    match from_bytes_be(&digest) {
        Ok(x) => x,
        Err(_) => unreachable_below_modulus(),
    }
}

#[cold]
fn unreachable_below_modulus() -> Fr {
    // 2^253 < r, so from_bytes_be cannot refuse a 253-bit value; keep a total function anyway.
    Fr::from(0u64)
}

/// The modulus r as a big integer (for tests and documentation).
pub fn modulus() -> BigInt<4> {
    Fr::MODULUS
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const R: &str = "21888242871839275222246405745257275088548364400416034343698204186575808495617";
    const R_MINUS_1: &str =
        "21888242871839275222246405745257275088548364400416034343698204186575808495616";

    #[test]
    fn a01_bytes_at_or_above_r_rejected() {
        let r_le = Fr::MODULUS.to_bytes_le();
        assert_eq!(from_bytes_le(&r_le), Err(FieldError::Overflow));
        let mut r_plus_1 = r_le.clone();
        r_plus_1[0] += 1;
        assert_eq!(from_bytes_le(&r_plus_1), Err(FieldError::Overflow));
        assert_eq!(from_bytes_le(&[0xff; 32]), Err(FieldError::Overflow));
        assert_eq!(from_bytes_be(&[0xff; 32]), Err(FieldError::Overflow));
        let mut r_minus_1 = r_le;
        r_minus_1[0] -= 1;
        assert_eq!(from_bytes_le(&r_minus_1), Ok(-Fr::from(1u64)));
    }

    #[test]
    fn a01_byte_length_checked() {
        assert_eq!(
            from_bytes_le(&[0u8; 31]),
            Err(FieldError::Length {
                expected: 32,
                got: 31
            })
        );
        assert_eq!(
            from_bytes_be(&[0u8; 33]),
            Err(FieldError::Length {
                expected: 32,
                got: 33
            })
        );
        assert_eq!(
            from_bytes_le(&[]),
            Err(FieldError::Length {
                expected: 32,
                got: 0
            })
        );
    }

    #[test]
    fn a02_decimal_strictness() {
        assert_eq!(parse_decimal(""), Err(FieldError::Empty));
        assert_eq!(
            parse_decimal("-1"),
            Err(FieldError::InvalidCharacter { position: 0 })
        );
        assert_eq!(
            parse_decimal("+1"),
            Err(FieldError::InvalidCharacter { position: 0 })
        );
        assert_eq!(
            parse_decimal(" 1"),
            Err(FieldError::InvalidCharacter { position: 0 })
        );
        assert_eq!(
            parse_decimal("1 "),
            Err(FieldError::InvalidCharacter { position: 1 })
        );
        assert_eq!(
            parse_decimal("1e3"),
            Err(FieldError::InvalidCharacter { position: 1 })
        );
        assert_eq!(
            parse_decimal("0x1"),
            Err(FieldError::InvalidCharacter { position: 1 })
        );
        assert_eq!(
            parse_decimal("١"),
            Err(FieldError::InvalidCharacter { position: 0 })
        );
        assert_eq!(parse_decimal("01"), Err(FieldError::NonCanonical));
        assert_eq!(parse_decimal("00"), Err(FieldError::NonCanonical));
        assert_eq!(
            parse_decimal(&"9".repeat(100)),
            Err(FieldError::TooLong { max: 77, got: 100 })
        );
        assert_eq!(parse_decimal(&"9".repeat(77)), Err(FieldError::Overflow));
        assert_eq!(parse_decimal(R), Err(FieldError::Overflow));
        let r_plus_5 =
            "21888242871839275222246405745257275088548364400416034343698204186575808495622";
        assert_eq!(parse_decimal(r_plus_5), Err(FieldError::Overflow));
        assert_eq!(parse_decimal(R_MINUS_1), Ok(-Fr::from(1u64)));
        assert_eq!(parse_decimal("0"), Ok(Fr::from(0u64)));
        assert_eq!(
            parse_decimal("18446744073709551616"),
            Ok(Fr::from(u64::MAX) + Fr::from(1u64))
        );
    }

    #[test]
    fn a02_hex_strictness() {
        let one = format!("0x{}1", "0".repeat(63));
        assert_eq!(parse_hex(&one), Ok(Fr::from(1u64)));
        assert_eq!(parse_hex(""), Err(FieldError::Empty));
        assert_eq!(parse_hex("0x"), Err(FieldError::NonCanonical));
        assert_eq!(parse_hex("0x1"), Err(FieldError::NonCanonical));
        assert_eq!(parse_hex(&one[2..]), Err(FieldError::NonCanonical));
        assert_eq!(
            parse_hex(&one.to_uppercase()),
            Err(FieldError::NonCanonical)
        );
        let upper = format!("0x{}A", "0".repeat(63));
        assert_eq!(
            parse_hex(&upper),
            Err(FieldError::InvalidCharacter { position: 65 })
        );
        assert_eq!(
            parse_hex(&format!("0x{}", "0".repeat(65))),
            Err(FieldError::TooLong { max: 64, got: 65 })
        );
        assert_eq!(
            parse_hex(&format!("0x{}", "f".repeat(64))),
            Err(FieldError::Overflow)
        );
        let r_hex = "0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001";
        assert_eq!(parse_hex(r_hex), Err(FieldError::Overflow));
        let r_minus_1 = "0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000000";
        assert_eq!(parse_hex(r_minus_1), Ok(-Fr::from(1u64)));
    }

    #[test]
    fn hash_to_field_is_below_2_253_and_tag_separated() {
        let a = hash_to_field(b"tag-a", b"msg");
        let b = hash_to_field(b"tag-b", b"msg");
        assert_ne!(a, b);
        // (dst, msg) boundaries cannot shift: "ab" + "c" differs from "a" + "bc".
        assert_ne!(hash_to_field(b"ab", b"c"), hash_to_field(b"a", b"bc"));
        for i in 0..64u32 {
            let x = hash_to_field(b"t", &i.to_le_bytes());
            assert!(x.into_bigint().num_bits() <= 253);
        }
    }

    #[test]
    fn hash_to_field_known_answer() {
        // Independent computation: sha256(0x01 || "t" || "abc") with the top 3 bits cleared.
        let mut h = Sha256::new();
        h.update([1u8, b't', b'a', b'b', b'c']);
        let mut d: [u8; 32] = h.finalize().into();
        d[0] &= 0x1f;
        let expect = Fr::from_be_bytes_mod_order(&d);
        assert_eq!(hash_to_field(b"t", b"abc"), expect);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn a09_encodings_round_trip(limbs in any::<[u64; 4]>()) {
            let x = Fr::from_le_bytes_mod_order(&limbs.iter().flat_map(|l| l.to_le_bytes()).collect::<Vec<_>>());
            let d = to_decimal(&x);
            prop_assert_eq!(parse_decimal(&d), Ok(x));
            prop_assert_eq!(to_decimal(&parse_decimal(&d).unwrap()), d);
            prop_assert_eq!(parse_hex(&to_hex(&x)), Ok(x));
            prop_assert_eq!(from_bytes_le(&to_bytes_le(&x)), Ok(x));
            prop_assert_eq!(from_bytes_be(&to_bytes_be(&x)), Ok(x));
        }
    }
}
