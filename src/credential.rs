//! Credentials: sixteen field-element slots, signed by a provider as `m = Poseidon(slots)`.
//!
//! | slot | meaning |
//! |---|---|
//! | 0 | schema id ([`Schema::id`]) |
//! | 1 | holder commitment (to the holder's secret) |
//! | 2 | serial: random, unique per credential |
//! | 3 | `issued_at`, unix seconds, a u64 |
//! | 4 | `expires_at`, unix seconds, a u64, greater than `issued_at` |
//! | 5..=15 | the schema's claims in declaration order; slots the schema does not use are 0 |
//!
//! A credential is valid at `now` iff `issued_at <= now < expires_at`.
//!
//! The signed message is [`Credential::message`], circomlib's Poseidon of the 16 slots, without
//! a domain tag (circomlib compatibility); slot 0, the schema id, separates the messages of
//! different claim types (SECURITY.md C06, D06 note). Every slot is covered, so changing,
//! swapping or re-labelling any slot breaks the signature.
//!
//! Claim values enter their slots by kind ([`ClaimKind`]): a `u64` as itself, a text as
//! [`text_to_field`], a raw field element as itself, and personal data only as the salted
//! commitment [`pii_commitment`], so the data itself never enters the credential.
//!
//! Credentials are the holder's data, not secrets, and print in full; a [`ClaimValue::Pii`]
//! carries raw personal data, prints as `Pii { .. }` and is zeroized on drop.
//!
//! # JSON
//!
//! A [`SignedCredential`] travels as
//! `{"version":1,"schema":{"name":..,"version":..},"slots":[16 decimal strings],`
//! `"provider":{"x":..,"y":..},"signature":{"r8x":..,"r8y":..,"s":..}}`, decoded strictly
//! ([`crate::wire`]): the schema name and version must hash to slot 0, the dates must be u64 in
//! order, the provider key must be a prime-subgroup point other than the identity
//! (SECURITY.md C03), `R8` must be on the curve and `S < l` (C01). Decoding does not verify
//! the signature: call [`SignedCredential::verify_signature`].
//!
//! [`Schema::id`]: crate::schema::Schema::id
//! [`Credential::message`]: crate::credential::Credential::message
//! [`ClaimKind`]: crate::schema::ClaimKind
//! [`text_to_field`]: crate::credential::text_to_field
//! [`pii_commitment`]: crate::credential::pii_commitment
//! [`ClaimValue::Pii`]: crate::credential::ClaimValue::Pii
//! [`SignedCredential`]: crate::credential::SignedCredential
//! [`SignedCredential::verify_signature`]: crate::credential::SignedCredential::verify_signature

use crate::schema::{ClaimKind, Schema};
use crate::wire::{self, DecString, DecodeError, WIRE_VERSION};
use ark_ff::PrimeField;
use rand::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};
use std::fmt;
use vouchsafe_circuits::babyjubjub::{subgroup_order, Point};
use vouchsafe_circuits::eddsa::{PublicKey, Signature, SignatureError};
use vouchsafe_circuits::field::hash_to_field;
use vouchsafe_circuits::{poseidon, tags, Fr};
use zeroize::{Zeroize, Zeroizing};

/// The number of slots of a credential.
pub const SLOTS: usize = 16;
/// The first slot that holds a claim; slots before it are the header.
pub const FIRST_CLAIM_SLOT: usize = 5;
/// The slot of the schema id.
pub const SCHEMA_ID_SLOT: usize = 0;
/// The slot of the holder commitment.
pub const HOLDER_SLOT: usize = 1;
/// The slot of the serial.
pub const SERIAL_SLOT: usize = 2;
/// The slot of `issued_at`.
pub const ISSUED_AT_SLOT: usize = 3;
/// The slot of `expires_at`.
pub const EXPIRES_AT_SLOT: usize = 4;

/// Why a credential could not be built or accepted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialError {
    /// A claim the schema does not declare.
    #[error("unknown claim {name:?}")]
    UnknownClaim {
        /// The claim's name.
        name: String,
    },
    /// A claim the schema declares but that was not given.
    #[error("missing claim {name:?}")]
    MissingClaim {
        /// The claim's name.
        name: String,
    },
    /// A claim value of another kind than the schema declares.
    #[error("claim {name:?} takes a {expected} value")]
    WrongKind {
        /// The claim's name.
        name: String,
        /// The kind the schema declares.
        expected: ClaimKind,
    },
    /// A claim given twice.
    #[error("claim {name:?} given twice")]
    DuplicateClaim {
        /// The claim's name.
        name: String,
    },
    /// `expires_at <= issued_at`: the credential would never be valid.
    #[error("expires_at ({expires_at}) must be after issued_at ({issued_at})")]
    BadValidity {
        /// The issue date, unix seconds.
        issued_at: u64,
        /// The expiry date, unix seconds.
        expires_at: u64,
    },
    /// No holder commitment was given.
    #[error("missing holder commitment")]
    MissingHolder,
    /// No validity period was given.
    #[error("missing validity period")]
    MissingValidity,
    /// No serial was given to [`CredentialBuilder::build`] (use
    /// [`CredentialBuilder::build_with_rng`] for a random one).
    #[error("missing serial")]
    MissingSerial,
    /// A date slot that does not hold a u64.
    #[error("slot {slot} does not hold a 64-bit value")]
    ValueOutOfRange {
        /// The slot.
        slot: usize,
    },
    /// The credential's slot 0 is not this schema's id.
    #[error("the credential is not of schema {schema:?}")]
    SchemaMismatch {
        /// The schema's name.
        schema: String,
    },
}

/// `x` as a u64, if it is below `2^64`.
fn fr_to_u64(x: &Fr) -> Option<u64> {
    let [low, a, b, c] = x.into_bigint().0;
    (a == 0 && b == 0 && c == 0).then_some(low)
}

/// A text claim as a field element: `hash_to_field(TEXT_DST, utf8(text))`.
pub fn text_to_field(text: &str) -> Fr {
    hash_to_field(tags::TEXT_DST, text.as_bytes())
}

/// The commitment to personal data: `hash_to_field(PII_DST, salt || data)`. The salt, 32
/// uniformly random bytes kept by the holder, hides low-entropy data such as a name and a
/// date of birth.
pub fn pii_commitment(salt: &[u8; 32], data: &[u8]) -> Fr {
    let mut msg = Zeroizing::new(Vec::with_capacity(salt.len().saturating_add(data.len())));
    msg.extend_from_slice(salt);
    msg.extend_from_slice(data);
    hash_to_field(tags::PII_DST, &msg)
}

/// The value of one claim, before it enters its slot.
#[derive(Clone)]
pub enum ClaimValue {
    /// For a [`ClaimKind::U64`] claim.
    U64(u64),
    /// For a [`ClaimKind::Text`] claim; enters as [`text_to_field`].
    Text(String),
    /// For a [`ClaimKind::Field`] claim.
    Field(Fr),
    /// For a [`ClaimKind::Pii`] claim; enters as [`pii_commitment`]`(salt, data)`. Zeroized on
    /// drop and never printed.
    Pii {
        /// The personal data.
        data: Vec<u8>,
        /// A fresh 32-byte random salt, which the holder keeps to open the commitment.
        salt: [u8; 32],
    },
}

impl ClaimValue {
    /// A text claim.
    pub fn text(s: impl Into<String>) -> ClaimValue {
        ClaimValue::Text(s.into())
    }

    /// The kind of claim this value fits.
    pub fn kind(&self) -> ClaimKind {
        match self {
            ClaimValue::U64(_) => ClaimKind::U64,
            ClaimValue::Text(_) => ClaimKind::Text,
            ClaimValue::Field(_) => ClaimKind::Field,
            ClaimValue::Pii { .. } => ClaimKind::Pii,
        }
    }

    /// The slot value: the integer, the text's hash, the element, or the PII commitment.
    pub fn to_field(&self) -> Fr {
        match self {
            ClaimValue::U64(v) => Fr::from(*v),
            ClaimValue::Text(s) => text_to_field(s),
            ClaimValue::Field(x) => *x,
            ClaimValue::Pii { data, salt } => pii_commitment(salt, data),
        }
    }
}

impl fmt::Debug for ClaimValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClaimValue::U64(v) => f.debug_tuple("U64").field(v).finish(),
            ClaimValue::Text(s) => f.debug_tuple("Text").field(s).finish(),
            ClaimValue::Field(x) => f.debug_tuple("Field").field(x).finish(),
            ClaimValue::Pii { .. } => f.debug_struct("Pii").finish_non_exhaustive(),
        }
    }
}

impl Drop for ClaimValue {
    fn drop(&mut self) {
        if let ClaimValue::Pii { data, salt } = self {
            data.zeroize();
            salt.zeroize();
        }
    }
}

/// A credential: 16 slots (see the module docs), with dates that are u64 and in order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Credential {
    slots: [Fr; SLOTS],
}

impl Credential {
    /// A credential from raw slots: refuses dates that are not u64
    /// ([`CredentialError::ValueOutOfRange`]) and `expires_at <= issued_at`
    /// ([`CredentialError::BadValidity`]). Claims are not checked against any schema.
    pub fn from_slots(slots: [Fr; SLOTS]) -> Result<Credential, CredentialError> {
        let date = |slot: usize| {
            slots
                .get(slot)
                .and_then(fr_to_u64)
                .ok_or(CredentialError::ValueOutOfRange { slot })
        };
        let issued_at = date(ISSUED_AT_SLOT)?;
        let expires_at = date(EXPIRES_AT_SLOT)?;
        if expires_at <= issued_at {
            return Err(CredentialError::BadValidity {
                issued_at,
                expires_at,
            });
        }
        Ok(Credential { slots })
    }

    /// Slot 0: the schema id.
    pub fn schema_id(&self) -> Fr {
        self.slots[SCHEMA_ID_SLOT]
    }

    /// Slot 1: the holder commitment.
    pub fn holder_commitment(&self) -> Fr {
        self.slots[HOLDER_SLOT]
    }

    /// Slot 2: the serial.
    pub fn serial(&self) -> Fr {
        self.slots[SERIAL_SLOT]
    }

    /// Slot 3: the issue date, unix seconds.
    pub fn issued_at(&self) -> u64 {
        // Every constructor checked that the slot holds a u64.
        fr_to_u64(&self.slots[ISSUED_AT_SLOT]).unwrap_or(0)
    }

    /// Slot 4: the expiry date, unix seconds (the first second at which it is no longer valid).
    pub fn expires_at(&self) -> u64 {
        // Every constructor checked that the slot holds a u64.
        fr_to_u64(&self.slots[EXPIRES_AT_SLOT]).unwrap_or(0)
    }

    /// Whether `issued_at <= now < expires_at`.
    pub fn is_valid_at(&self, now: u64) -> bool {
        self.issued_at() <= now && now < self.expires_at()
    }

    /// Slot `i`, or `None` if `i >= 16`.
    pub fn slot(&self, i: usize) -> Option<Fr> {
        self.slots.get(i).copied()
    }

    /// All 16 slots.
    pub fn slots(&self) -> &[Fr; SLOTS] {
        &self.slots
    }

    /// Whether the credential is of `schema` (slot 0 is its id).
    pub fn is_of(&self, schema: &Schema) -> bool {
        self.schema_id() == schema.id()
    }

    /// The slot value of the claim `name`, if the credential is of `schema` and the schema
    /// declares the claim (of any kind).
    pub fn claim(&self, schema: &Schema, name: &str) -> Option<Fr> {
        if !self.is_of(schema) {
            return None;
        }
        self.slot(schema.slot_of(name)?)
    }

    /// The value of the u64 claim `name`, if the credential is of `schema` and the schema
    /// declares it as [`ClaimKind::U64`].
    pub fn claim_u64(&self, schema: &Schema, name: &str) -> Option<u64> {
        if schema.claim(name)?.kind != ClaimKind::U64 {
            return None;
        }
        fr_to_u64(&self.claim(schema, name)?)
    }

    /// The signed message: circomlib's Poseidon of the 16 slots, untagged (module docs).
    pub fn message(&self) -> Fr {
        // Poseidon refuses only input counts outside 1..=16; 16 slots are always accepted.
        // Were it to refuse, 0 would be signed and checked alike, and the tests would catch it.
        poseidon::hash(&self.slots).unwrap_or(Fr::from(0u64))
    }
}

/// Builds a [`Credential`] of one schema, checking every claim against it.
///
/// ```
/// use vouchsafe::credential::{ClaimValue, CredentialBuilder};
/// use vouchsafe::primitives::Fr;
/// use vouchsafe::schema::Schema;
///
/// let schema = Schema::eo_insurance();
/// let credential = CredentialBuilder::new(&schema)
///     .holder(Fr::from(1234u64))
///     .serial(Fr::from(1u64))
///     .validity(1_700_000_000, 1_731_536_000)
///     .claim("coverage", ClaimValue::U64(2_000_000))
///     .claim("per_claim_limit", ClaimValue::U64(1_000_000))
///     .claim("policy_class", ClaimValue::text("professional-liability"))
///     .build()?;
/// assert_eq!(credential.claim_u64(&schema, "coverage"), Some(2_000_000));
/// # Ok::<(), vouchsafe::credential::CredentialError>(())
/// ```
#[derive(Debug)]
pub struct CredentialBuilder<'a> {
    schema: &'a Schema,
    holder: Option<Fr>,
    serial: Option<Fr>,
    validity: Option<(u64, u64)>,
    claims: Vec<(String, ClaimValue)>,
}

impl<'a> CredentialBuilder<'a> {
    /// A builder for a credential of `schema`.
    pub fn new(schema: &'a Schema) -> CredentialBuilder<'a> {
        CredentialBuilder {
            schema,
            holder: None,
            serial: None,
            validity: None,
            claims: Vec::new(),
        }
    }

    /// Sets the holder commitment (slot 1).
    pub fn holder(mut self, commitment: Fr) -> Self {
        self.holder = Some(commitment);
        self
    }

    /// Sets the serial (slot 2). Serials must be unique per provider: prefer the random one of
    /// [`CredentialBuilder::build_with_rng`].
    pub fn serial(mut self, serial: Fr) -> Self {
        self.serial = Some(serial);
        self
    }

    /// Sets the validity period, unix seconds: valid iff `issued_at <= now < expires_at`.
    pub fn validity(mut self, issued_at: u64, expires_at: u64) -> Self {
        self.validity = Some((issued_at, expires_at));
        self
    }

    /// Sets the claim `name`. Checked by `build`.
    pub fn claim(mut self, name: impl Into<String>, value: ClaimValue) -> Self {
        self.claims.push((name.into(), value));
        self
    }

    /// Builds the credential with the serial given to [`CredentialBuilder::serial`]. Checks,
    /// in this order: the holder ([`CredentialError::MissingHolder`]), the validity
    /// ([`CredentialError::MissingValidity`], [`CredentialError::BadValidity`]), the serial
    /// ([`CredentialError::MissingSerial`]), then each claim in the order given
    /// ([`CredentialError::UnknownClaim`], [`CredentialError::DuplicateClaim`],
    /// [`CredentialError::WrongKind`]) and finally that every claim of the schema was given
    /// ([`CredentialError::MissingClaim`]).
    pub fn build(self) -> Result<Credential, CredentialError> {
        self.assemble(None)
    }

    /// As [`CredentialBuilder::build`], but if no serial was set, draws a uniformly random one
    /// from `rng`.
    pub fn build_with_rng(
        self,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<Credential, CredentialError> {
        let serial = match self.serial {
            Some(s) => s,
            None => {
                let mut bytes = [0u8; 64];
                rng.fill_bytes(&mut bytes);
                // 512 random bits reduced mod r: statistically uniform (bias < 2^-256).
                Fr::from_le_bytes_mod_order(&bytes)
            }
        };
        self.assemble(Some(serial))
    }

    fn assemble(self, serial: Option<Fr>) -> Result<Credential, CredentialError> {
        let holder = self.holder.ok_or(CredentialError::MissingHolder)?;
        let (issued_at, expires_at) = self.validity.ok_or(CredentialError::MissingValidity)?;
        if expires_at <= issued_at {
            return Err(CredentialError::BadValidity {
                issued_at,
                expires_at,
            });
        }
        let serial = serial
            .or(self.serial)
            .ok_or(CredentialError::MissingSerial)?;

        let mut slots = [Fr::from(0u64); SLOTS];
        let mut given = [false; SLOTS];
        slots[SCHEMA_ID_SLOT] = self.schema.id();
        slots[HOLDER_SLOT] = holder;
        slots[SERIAL_SLOT] = serial;
        slots[ISSUED_AT_SLOT] = Fr::from(issued_at);
        slots[EXPIRES_AT_SLOT] = Fr::from(expires_at);

        for (name, value) in &self.claims {
            let unknown = || CredentialError::UnknownClaim { name: name.clone() };
            let def = self.schema.claim(name).ok_or_else(unknown)?;
            let slot = self.schema.slot_of(name).ok_or_else(unknown)?;
            let (Some(seen), Some(out)) = (given.get_mut(slot), slots.get_mut(slot)) else {
                return Err(unknown());
            };
            if *seen {
                return Err(CredentialError::DuplicateClaim { name: name.clone() });
            }
            if value.kind() != def.kind {
                return Err(CredentialError::WrongKind {
                    name: name.clone(),
                    expected: def.kind,
                });
            }
            *out = value.to_field();
            *seen = true;
        }
        for (def, seen) in self
            .schema
            .claims()
            .iter()
            .zip(given.iter().skip(FIRST_CLAIM_SLOT))
        {
            if !seen {
                return Err(CredentialError::MissingClaim {
                    name: def.name.clone(),
                });
            }
        }
        Credential::from_slots(slots)
    }
}

/// A credential with its provider's public key and signature. Construction does not verify:
/// call [`SignedCredential::verify_signature`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedCredential {
    credential: Credential,
    provider: PublicKey,
    signature: Signature,
}

/// The field names of the slots, for [`DecodeError::Field`].
const SLOT_FIELDS: [&str; SLOTS] = [
    "slots[0]",
    "slots[1]",
    "slots[2]",
    "slots[3]",
    "slots[4]",
    "slots[5]",
    "slots[6]",
    "slots[7]",
    "slots[8]",
    "slots[9]",
    "slots[10]",
    "slots[11]",
    "slots[12]",
    "slots[13]",
    "slots[14]",
    "slots[15]",
];

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignedCredentialJson {
    version: u64,
    schema: SchemaRefJson,
    slots: Vec<DecString>,
    provider: PointJson,
    signature: SignatureJson,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemaRefJson {
    name: String,
    version: u32,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PointJson {
    x: DecString,
    y: DecString,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SignatureJson {
    r8x: DecString,
    r8y: DecString,
    s: DecString,
}

impl SignedCredential {
    /// Puts the parts together, unverified.
    pub fn new(credential: Credential, provider: PublicKey, signature: Signature) -> Self {
        SignedCredential {
            credential,
            provider,
            signature,
        }
    }

    /// The credential.
    pub fn credential(&self) -> &Credential {
        &self.credential
    }

    /// The provider's public key.
    pub fn provider(&self) -> &PublicKey {
        &self.provider
    }

    /// The signature.
    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// Verifies the signature on [`Credential::message`] under the provider key. Says nothing
    /// about whether the provider is approved: that is the registry's question.
    pub fn verify_signature(&self) -> Result<(), SignatureError> {
        self.provider
            .verify(self.credential.message(), &self.signature)
    }

    /// The JSON form (module docs). `schema` supplies the readable name and version; it must be
    /// the credential's schema ([`CredentialError::SchemaMismatch`]).
    pub fn to_json(&self, schema: &Schema) -> Result<String, CredentialError> {
        if !self.credential.is_of(schema) {
            return Err(CredentialError::SchemaMismatch {
                schema: schema.name().to_owned(),
            });
        }
        let a = self.provider.point();
        let r8 = self.signature.r8();
        Ok(wire::encode(&SignedCredentialJson {
            version: u64::from(WIRE_VERSION),
            schema: SchemaRefJson {
                name: schema.name().to_owned(),
                version: schema.version(),
            },
            slots: self
                .credential
                .slots
                .iter()
                .map(DecString::from_fr)
                .collect(),
            provider: PointJson {
                x: DecString::from_fr(&a.x()),
                y: DecString::from_fr(&a.y()),
            },
            signature: SignatureJson {
                r8x: DecString::from_fr(&r8.x()),
                r8y: DecString::from_fr(&r8.y()),
                s: DecString::from_fr(&self.signature.s()),
            },
        }))
    }

    /// Decodes the JSON form strictly (module docs and [`crate::wire`]). Refuses, besides
    /// malformed JSON: a slot count other than 16 ([`DecodeError::Length`]), a non-canonical
    /// field element ([`DecodeError::Field`]), bad dates ([`DecodeError::Credential`]), a
    /// schema name and version that do not give slot 0 ([`DecodeError::SchemaMismatch`]), a
    /// provider key that is off the curve, the identity or outside the prime-order subgroup
    /// ([`DecodeError::Point`]), and `R8` off the curve or `S >= l`
    /// ([`DecodeError::Signature`]). Does not verify the signature.
    pub fn from_json(input: &str) -> Result<SignedCredential, DecodeError> {
        let j: SignedCredentialJson = wire::decode_versioned(input)?;
        if j.slots.len() != SLOTS {
            return Err(DecodeError::Length {
                expected: SLOTS,
                got: j.slots.len(),
            });
        }
        let mut slots = [Fr::from(0u64); SLOTS];
        for ((out, s), name) in slots.iter_mut().zip(&j.slots).zip(SLOT_FIELDS) {
            *out = s.parse(name)?;
        }
        let ax = j.provider.x.parse("provider.x")?;
        let ay = j.provider.y.parse("provider.y")?;
        let r8x = j.signature.r8x.parse("signature.r8x")?;
        let r8y = j.signature.r8y.parse("signature.r8y")?;
        let s = j.signature.s.parse("signature.s")?;

        let credential = Credential::from_slots(slots).map_err(DecodeError::Credential)?;
        if Schema::id_for(&j.schema.name, j.schema.version) != credential.schema_id() {
            return Err(DecodeError::SchemaMismatch);
        }
        let provider = PublicKey::from_xy(ax, ay).map_err(DecodeError::Point)?;
        let r8 = Point::new(r8x, r8y)
            .map_err(|e| DecodeError::Signature(SignatureError::InvalidR8(e)))?;
        // S < l (SECURITY.md C01): S and S + l would otherwise both verify.
        if s.into_bigint() >= subgroup_order() {
            return Err(DecodeError::Signature(SignatureError::ScalarOutOfRange));
        }
        Ok(SignedCredential {
            credential,
            provider,
            signature: Signature::new(r8, s),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots_with_dates(issued: Fr, expires: Fr) -> [Fr; SLOTS] {
        let mut s = [Fr::from(9u64); SLOTS];
        s[ISSUED_AT_SLOT] = issued;
        s[EXPIRES_AT_SLOT] = expires;
        s
    }

    #[test]
    fn k03_from_slots_checks_the_u64_boundary() {
        let two64 = Fr::from(u64::MAX) + Fr::from(1u64);
        assert_eq!(
            Credential::from_slots(slots_with_dates(Fr::from(1u64), two64)),
            Err(CredentialError::ValueOutOfRange { slot: 4 })
        );
        assert_eq!(
            Credential::from_slots(slots_with_dates(-Fr::from(1u64), Fr::from(5u64))),
            Err(CredentialError::ValueOutOfRange { slot: 3 })
        );
        let c =
            Credential::from_slots(slots_with_dates(Fr::from(0u64), Fr::from(u64::MAX))).unwrap();
        assert_eq!((c.issued_at(), c.expires_at()), (0, u64::MAX));
        assert_eq!(
            Credential::from_slots(slots_with_dates(Fr::from(5u64), Fr::from(5u64))),
            Err(CredentialError::BadValidity {
                issued_at: 5,
                expires_at: 5
            })
        );
        assert!(c.is_valid_at(0) && c.is_valid_at(u64::MAX - 1) && !c.is_valid_at(u64::MAX));
    }

    #[test]
    fn message_is_untagged_poseidon_of_the_slots() {
        let c = Credential::from_slots(slots_with_dates(Fr::from(1u64), Fr::from(2u64))).unwrap();
        assert_eq!(c.message(), poseidon::hash(c.slots()).unwrap());
        assert_eq!(c.slot(16), None);
        assert_eq!(c.slot(15), Some(Fr::from(9u64)));
    }

    #[test]
    fn j08_pii_value_is_redacted() {
        let v = ClaimValue::Pii {
            data: b"Jane Canary 1980-01-01".to_vec(),
            salt: [0xab; 32],
        };
        let d = format!("{v:?}");
        assert_eq!(d, "Pii { .. }");
        assert_eq!(
            v.to_field(),
            hash_to_field(
                tags::PII_DST,
                &[&[0xab; 32][..], b"Jane Canary 1980-01-01"].concat()
            )
        );
    }
}
