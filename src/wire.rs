//! Wire formats: the JSON conventions every vouchsafe object follows, the serde helpers for
//! field elements, and the one error type for decoding ([`DecodeError`]).
//!
//! Relation: a decoder accepts exactly the outputs of its encoder, up to JSON whitespace and
//! string escapes, and refuses everything else with a typed error. Concretely:
//!
//! - **Size first** (SECURITY.md A12): every `from_json` refuses an input longer than
//!   [`MAX_JSON_BYTES`] with [`DecodeError::TooLarge`] before looking at a single character.
//! - **Versioned** objects: every top-level object carries `"version": 1`
//!   ([`WIRE_VERSION`]); any other number is [`DecodeError::UnsupportedVersion`], checked before
//!   the rest of the object, so a future format is reported as such.
//! - **Strict shape**: unknown fields, missing fields, `null`, duplicate keys and a JSON array in
//!   place of an object are refused ([`DecodeError::Json`]).
//! - **Field elements as decimal strings** (the circom/snarkjs convention), parsed by
//!   [`field::parse_decimal`]: no sign, no leading zero, no whitespace, below r (SECURITY.md
//!   A01-A03). A JSON number is refused, never converted ([`DecodeError::Json`]); a malformed or
//!   out-of-range string is [`DecodeError::Field`], naming the field.
//!
//! [`fr_dec`], [`fr_dec_array`] and [`fr_dec_vec`] are `#[serde(with = ...)]` modules for
//! types that embed field elements; they are as strict, but report through serde's error
//! message only. The decoders of this crate read decimal strings first and parse them
//! afterwards, so that their errors stay typed.
//!
//! [`DecodeError`]: crate::wire::DecodeError
//! [`MAX_JSON_BYTES`]: crate::wire::MAX_JSON_BYTES
//! [`DecodeError::TooLarge`]: crate::wire::DecodeError::TooLarge
//! [`WIRE_VERSION`]: crate::wire::WIRE_VERSION
//! [`DecodeError::UnsupportedVersion`]: crate::wire::DecodeError::UnsupportedVersion
//! [`DecodeError::Json`]: crate::wire::DecodeError::Json
//! [`field::parse_decimal`]: crate::primitives::field::parse_decimal
//! [`DecodeError::Field`]: crate::wire::DecodeError::Field
//! [`fr_dec`]: crate::wire::fr_dec
//! [`fr_dec_array`]: crate::wire::fr_dec_array
//! [`fr_dec_vec`]: crate::wire::fr_dec_vec

use crate::credential::CredentialError;
use crate::schema::SchemaError;
use serde::de::{self, DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use vouchsafe_circuits::babyjubjub::PointError;
use vouchsafe_circuits::eddsa::SignatureError;
use vouchsafe_circuits::field::{self, FieldError};
use vouchsafe_circuits::Fr;

/// The largest JSON input any decoder reads: 64 KiB. Longer inputs are refused before parsing.
pub const MAX_JSON_BYTES: usize = 64 * 1024;

/// The version number every top-level JSON object of this release carries.
pub const WIRE_VERSION: u32 = 1;

/// Why an encoded object was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input is longer than the decoder accepts; nothing was parsed.
    #[error("input too large: at most {max} bytes, got {got}")]
    TooLarge {
        /// The maximum number of bytes.
        max: usize,
        /// The number of bytes received.
        got: usize,
    },
    /// Malformed JSON or the wrong shape: a syntax error, a missing, unknown or duplicate field,
    /// `null`, a number where a string belongs, an array in place of an object.
    #[error("malformed JSON: {message}")]
    Json {
        /// What the parser objected to.
        message: String,
    },
    /// The object's `version` is not one this release reads.
    #[error("unsupported version {got}: this release reads version {supported}")]
    UnsupportedVersion {
        /// The version found in the input.
        got: u64,
        /// The version this release reads.
        supported: u32,
    },
    /// A field element that is not a canonical decimal below r.
    #[error("invalid field element in `{field}`: {error}")]
    Field {
        /// Which field of the object (e.g. `slots[5]`, `provider.x`).
        field: &'static str,
        /// Why the element was refused.
        error: FieldError,
    },
    /// A public key refused: not on the curve, the identity, or outside the prime-order
    /// subgroup (SECURITY.md C03), or a bad packed encoding.
    #[error("invalid public key: {0}")]
    Point(#[source] PointError),
    /// A signature refused before verification: `S >= l` or `R8` not on the curve.
    #[error("invalid signature encoding: {0}")]
    Signature(#[source] SignatureError),
    /// A byte string or list of the wrong length.
    #[error("wrong length: expected {expected}, got {got}")]
    Length {
        /// The expected length.
        expected: usize,
        /// The length received.
        got: usize,
    },
    /// A hex string that is not exactly the expected number of lowercase hex digits. The
    /// offending text is not repeated: it may be secret.
    #[error("invalid hex in `{field}`")]
    Hex {
        /// Which field of the object.
        field: &'static str,
    },
    /// The object's `kind` is not the one this decoder reads.
    #[error("wrong kind of object: expected `{expected}`")]
    UnexpectedKind {
        /// The kind this decoder reads.
        expected: &'static str,
    },
    /// A credential whose `schema` name and version do not hash to its slot 0.
    #[error("the schema name and version do not match the credential's schema id")]
    SchemaMismatch,
    /// A credential whose slots are inconsistent (dates out of range or out of order).
    #[error("invalid credential: {0}")]
    Credential(#[source] CredentialError),
    /// A schema that breaks the schema rules (too many claims, duplicate or bad names).
    #[error("invalid schema: {0}")]
    Schema(#[source] SchemaError),
}

/// Refuses an input longer than [`MAX_JSON_BYTES`] (SECURITY.md A12): call before parsing.
pub fn check_size(input: &str) -> Result<(), DecodeError> {
    if input.len() > MAX_JSON_BYTES {
        return Err(DecodeError::TooLarge {
            max: MAX_JSON_BYTES,
            got: input.len(),
        });
    }
    Ok(())
}

/// Only the `version` of an object; other fields are skipped.
#[derive(Deserialize)]
struct VersionProbe {
    version: u64,
}

/// Checks the size, then that `input` is an object whose `version` is [`WIRE_VERSION`].
pub(crate) fn check_envelope(input: &str) -> Result<(), DecodeError> {
    check_size(input)?;
    check_object_version(input)
}

/// Checks that `input` is a JSON object whose `version` is [`WIRE_VERSION`], before any other
/// field is looked at (for decoders with a size limit of their own).
pub(crate) fn check_object_version(input: &str) -> Result<(), DecodeError> {
    if !input.trim_start().starts_with('{') {
        return Err(DecodeError::Json {
            message: "expected a JSON object".to_owned(),
        });
    }
    let probe: VersionProbe = serde_json::from_str(input).map_err(json_error)?;
    if probe.version != u64::from(WIRE_VERSION) {
        return Err(DecodeError::UnsupportedVersion {
            got: probe.version,
            supported: WIRE_VERSION,
        });
    }
    Ok(())
}

/// Decodes a versioned top-level object strictly: size, version, then the typed parse
/// (unknown fields are refused by `deny_unknown_fields` on `T`, duplicate keys by serde's
/// derive), then a shape check: re-encoding the result must give the same JSON value as the
/// input, which refuses arrays in place of objects and other alternative spellings that serde
/// would otherwise accept.
///
/// Not for secrets: the shape check copies every string of the input.
pub(crate) fn decode_versioned<T: DeserializeOwned + Serialize>(
    input: &str,
) -> Result<T, DecodeError> {
    check_envelope(input)?;
    let typed: T = serde_json::from_str(input).map_err(json_error)?;
    let parsed: serde_json::Value = serde_json::from_str(input).map_err(json_error)?;
    let again = serde_json::to_value(&typed).map_err(json_error)?;
    if parsed != again {
        return Err(DecodeError::Json {
            message: "non-canonical structure (an array in place of an object?)".to_owned(),
        });
    }
    Ok(typed)
}

/// Encodes a wire struct. Serialization of the crate's wire structs (strings, integers, lists
/// and nested structs with string keys) cannot fail; were it ever to, the result is `{}`,
/// which every decoder refuses (no `version`), so the failure cannot go unnoticed.
pub(crate) fn encode<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "{}".to_owned())
}

/// Maps a serde_json error to [`DecodeError::Json`].
pub(crate) fn json_error(e: serde_json::Error) -> DecodeError {
    DecodeError::Json {
        message: e.to_string(),
    }
}

/// A field element as it travels: its decimal string, not yet checked. Deserializing accepts
/// only a JSON string (a number or `null` is a serde error); [`DecString::parse`] then applies
/// [`field::parse_decimal`] and names the field in its error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct DecString(String);

impl DecString {
    /// The canonical decimal spelling of `x`.
    pub(crate) fn from_fr(x: &Fr) -> DecString {
        DecString(field::to_decimal(x))
    }

    /// Parses strictly; `field` names the field in the error.
    pub(crate) fn parse(&self, field: &'static str) -> Result<Fr, DecodeError> {
        field::parse_decimal(&self.0).map_err(|error| DecodeError::Field { field, error })
    }
}

/// Visits only strings, which must be canonical decimal field elements.
struct FrVisitor;

impl<'de> Visitor<'de> for FrVisitor {
    type Value = Fr;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field element as a canonical decimal string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Fr, E> {
        field::parse_decimal(v).map_err(|e| E::custom(format_args!("invalid field element: {e}")))
    }
}

/// A field element, strictly decoded through [`FrVisitor`].
struct FrDe(Fr);

impl<'de> Deserialize<'de> for FrDe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<FrDe, D::Error> {
        d.deserialize_str(FrVisitor).map(FrDe)
    }
}

/// A borrowed field element, encoded as its decimal string.
struct FrSer<'a>(&'a Fr);

impl Serialize for FrSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&field::to_decimal(self.0))
    }
}

/// `#[serde(with = "vouchsafe::wire::fr_dec")]` for an `Fr` field: a canonical decimal string;
/// JSON numbers, signs, leading zeros and values `>= r` are refused.
pub mod fr_dec {
    use super::{FrSer, FrVisitor};
    use serde::{Deserializer, Serialize, Serializer};
    use vouchsafe_circuits::Fr;

    /// Writes `x` as its canonical decimal string.
    pub fn serialize<S: Serializer>(x: &Fr, s: S) -> Result<S::Ok, S::Error> {
        FrSer(x).serialize(s)
    }

    /// Reads a canonical decimal string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Fr, D::Error> {
        d.deserialize_str(FrVisitor)
    }
}

/// `#[serde(with = "vouchsafe::wire::fr_dec_array")]` for an `[Fr; N]` field: a list of
/// exactly `N` canonical decimal strings.
pub mod fr_dec_array {
    use super::{FrDe, FrSer};
    use serde::de::{self, IgnoredAny, SeqAccess, Visitor};
    use serde::ser::SerializeSeq;
    use serde::{Deserializer, Serializer};
    use std::fmt;
    use vouchsafe_circuits::Fr;

    /// Writes the list of decimal strings.
    pub fn serialize<S: Serializer, const N: usize>(xs: &[Fr; N], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(N))?;
        for x in xs {
            seq.serialize_element(&FrSer(x))?;
        }
        seq.end()
    }

    struct ArrayVisitor<const N: usize>;

    impl<'de, const N: usize> Visitor<'de> for ArrayVisitor<N> {
        type Value = [Fr; N];

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a list of {N} field elements as decimal strings")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<[Fr; N], A::Error> {
            let mut out = [Fr::from(0u64); N];
            for (i, slot) in out.iter_mut().enumerate() {
                match seq.next_element::<FrDe>()? {
                    Some(FrDe(x)) => *slot = x,
                    None => return Err(de::Error::invalid_length(i, &self)),
                }
            }
            if seq.next_element::<IgnoredAny>()?.is_some() {
                return Err(de::Error::invalid_length(N.saturating_add(1), &self));
            }
            Ok(out)
        }
    }

    /// Reads exactly `N` canonical decimal strings.
    pub fn deserialize<'de, D: Deserializer<'de>, const N: usize>(
        d: D,
    ) -> Result<[Fr; N], D::Error> {
        d.deserialize_seq(ArrayVisitor::<N>)
    }
}

/// `#[serde(with = "vouchsafe::wire::fr_dec_vec")]` for a `Vec<Fr>` field: a list of canonical
/// decimal strings (its length is bounded by the input size cap, [`MAX_JSON_BYTES`]).
pub mod fr_dec_vec {
    use super::{FrDe, FrSer};
    use serde::de::{SeqAccess, Visitor};
    use serde::ser::SerializeSeq;
    use serde::{Deserializer, Serializer};
    use std::fmt;
    use vouchsafe_circuits::Fr;

    /// Writes the list of decimal strings.
    pub fn serialize<S: Serializer>(xs: &[Fr], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(xs.len()))?;
        for x in xs {
            seq.serialize_element(&FrSer(x))?;
        }
        seq.end()
    }

    struct VecVisitor;

    impl<'de> Visitor<'de> for VecVisitor {
        type Value = Vec<Fr>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of field elements as decimal strings")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Fr>, A::Error> {
            // No capacity from the size hint: never allocate by a claimed length.
            let mut out = Vec::new();
            while let Some(FrDe(x)) = seq.next_element::<FrDe>()? {
                out.push(x);
            }
            Ok(out)
        }
    }

    /// Reads a list of canonical decimal strings.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Fr>, D::Error> {
        d.deserialize_seq(VecVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Sample {
        version: u64,
        #[serde(with = "fr_dec")]
        x: Fr,
        #[serde(with = "fr_dec_array")]
        xs: [Fr; 3],
        #[serde(with = "fr_dec_vec")]
        v: Vec<Fr>,
    }

    const R: &str = "21888242871839275222246405745257275088548364400416034343698204186575808495617";

    fn sample() -> Sample {
        Sample {
            version: 1,
            x: Fr::from(5u64),
            xs: [Fr::from(1u64), Fr::from(2u64), -Fr::from(1u64)],
            v: vec![Fr::from(7u64)],
        }
    }

    fn with(x: &str, xs: &str) -> String {
        format!(r#"{{"version":1,"x":{x},"xs":{xs},"v":["7"]}}"#)
    }

    #[test]
    fn serde_helpers_round_trip_byte_exactly() {
        let s = encode(&sample());
        assert_eq!(
            s,
            format!(
                r#"{{"version":1,"x":"5","xs":["1","2","{}"],"v":["7"]}}"#,
                field::to_decimal(&-Fr::from(1u64))
            )
        );
        let back: Sample = decode_versioned(&s).unwrap();
        assert_eq!(back, sample());
        assert_eq!(encode(&back), s);
    }

    #[test]
    fn a03_serde_helpers_refuse_numbers_and_bad_spellings() {
        let xs = r#"["1","2","3"]"#;
        for bad in [
            "5", "null", "\"-1\"", "\"01\"", "\" 5\"", "\"5 \"", "\"\"", "\"0x05\"",
        ] {
            let r = decode_versioned::<Sample>(&with(bad, xs));
            assert!(matches!(r, Err(DecodeError::Json { .. })), "{bad}: {r:?}");
        }
        let r = decode_versioned::<Sample>(&with(&format!("\"{R}\""), xs));
        match r {
            Err(DecodeError::Json { message }) => {
                assert!(message.contains("not below the field modulus"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        // Wrong lengths and numbers inside the array.
        for bad in [
            r#"["1","2"]"#,
            r#"["1","2","3","4"]"#,
            r#"["1",2,"3"]"#,
            "[]",
        ] {
            let r = decode_versioned::<Sample>(&with("\"5\"", bad));
            assert!(matches!(r, Err(DecodeError::Json { .. })), "{bad}: {r:?}");
        }
    }

    #[test]
    fn a09_duplicate_keys_refused_by_serde_derive() {
        let dup = r#"{"version":1,"x":"5","x":"6","xs":["1","2","3"],"v":[]}"#;
        match decode_versioned::<Sample>(dup) {
            Err(DecodeError::Json { message }) => {
                assert!(message.contains("duplicate field"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        let dup_version = r#"{"version":1,"version":1,"x":"5","xs":["1","2","3"],"v":[]}"#;
        assert!(matches!(
            decode_versioned::<Sample>(dup_version),
            Err(DecodeError::Json { .. })
        ));
    }

    #[test]
    fn shape_and_version_checks() {
        // serde's derive would accept a struct spelled as an array; the shape check refuses it.
        let object = r#"{"version":1,"x":"5","xs":["1","2","3"],"v":[]}"#;
        assert!(decode_versioned::<Sample>(object).is_ok());
        assert!(matches!(
            decode_versioned::<Sample>(r#"[1,"5",["1","2","3"],[]]"#),
            Err(DecodeError::Json { .. })
        ));
        assert_eq!(
            decode_versioned::<Sample>(r#"{"version":2,"future":true}"#),
            Err(DecodeError::UnsupportedVersion {
                got: 2,
                supported: 1
            })
        );
        for bad in [
            r#"{"x":"5","xs":["1","2","3"],"v":[]}"#,
            r#"{"version":"1","x":"5","xs":["1","2","3"],"v":[]}"#,
            r#"{"version":1.0,"x":"5","xs":["1","2","3"],"v":[]}"#,
            r#"{"version":null,"x":"5","xs":["1","2","3"],"v":[]}"#,
            r#"{"version":1,"x":"5","xs":["1","2","3"],"v":[],"extra":0}"#,
            r#"{"version":1,"x":"5","xs":["1","2","3"],"v":[]} x"#,
        ] {
            assert!(
                matches!(
                    decode_versioned::<Sample>(bad),
                    Err(DecodeError::Json { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn a12_size_checked_before_parsing() {
        let big = "[".repeat(MAX_JSON_BYTES + 1);
        assert_eq!(
            decode_versioned::<Sample>(&big),
            Err(DecodeError::TooLarge {
                max: MAX_JSON_BYTES,
                got: MAX_JSON_BYTES + 1
            })
        );
        assert!(check_size(&" ".repeat(MAX_JSON_BYTES)).is_ok());
    }

    #[test]
    fn dec_string_names_the_field() {
        let d = DecString(R.to_owned());
        assert_eq!(
            d.parse("provider.x"),
            Err(DecodeError::Field {
                field: "provider.x",
                error: FieldError::Overflow
            })
        );
        assert_eq!(
            DecString::from_fr(&Fr::from(42u64)).parse("x"),
            Ok(Fr::from(42u64))
        );
    }
}
