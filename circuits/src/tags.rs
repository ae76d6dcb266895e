//! Every domain-separation tag of vouchsafe, as named constants in one module.
//!
//! Two kinds of tag exist:
//! - **byte-string tags** (`*_DST`) prefix the input of SHA-256 in [`crate::field::hash_to_field`];
//! - **field tags** (`TAG_*`) are the first input of a Poseidon hash, so that hashes made for
//!   different purposes can never be confused with each other (SECURITY.md D06). Each is the
//!   hash-to-field of a readable name under [`FIELD_TAG_DST`], computed once; [`all_field_tags`]
//!   lists them so that a test can check that no two coincide.
//!
//! The credential message is the one exception: it is Poseidon of the 16 slots without a tag,
//! for circomlib compatibility; slot 0, the schema id, separates it (SECURITY.md, D06 note).

use crate::field::hash_to_field;
use crate::Fr;
use std::sync::OnceLock;

/// Byte-string tag under which readable names become field tags.
pub const FIELD_TAG_DST: &[u8] = b"vouchsafe/v1/field-tag";
/// Byte-string tag for schema identifiers (name and version).
pub const SCHEMA_ID_DST: &[u8] = b"vouchsafe/v1/schema-id";
/// Byte-string tag for the verifier's challenge (verifier id and nonce).
pub const CHALLENGE_DST: &[u8] = b"vouchsafe/v1/challenge";
/// Byte-string tag for pseudonym scopes (verifier id and scope label).
pub const SCOPE_DST: &[u8] = b"vouchsafe/v1/scope";
/// Byte-string tag for salted commitments to personal data.
pub const PII_DST: &[u8] = b"vouchsafe/v1/pii";
/// Byte-string tag for deriving an EdDSA secret scalar from a 32-byte seed.
pub const EDDSA_KEY_DST: &[u8] = b"vouchsafe/v1/eddsa/secret-scalar";
/// Byte-string tag for deriving the EdDSA nonce prefix from a 32-byte seed.
pub const EDDSA_PREFIX_DST: &[u8] = b"vouchsafe/v1/eddsa/nonce-prefix";
/// Byte-string tag for the deterministic EdDSA nonce of one message.
pub const EDDSA_NONCE_DST: &[u8] = b"vouchsafe/v1/eddsa/nonce";
/// Byte-string tag for text claims: a string enters a credential as the hash-to-field of its
/// UTF-8 bytes under this tag.
pub const TEXT_DST: &[u8] = b"vouchsafe/v1/text";

/// The readable names of the Poseidon field tags, in a fixed order.
const FIELD_TAG_NAMES: [&str; 9] = [
    "merkle-leaf",
    "issuer-leaf",
    "holder-commitment",
    "nullifier",
    "revocation-id",
    "revocation-leaf",
    "policy",
    "challenge",
    "revocation-request",
];

/// Which Poseidon field tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(usize)]
pub enum FieldTag {
    /// A Merkle-tree leaf (hashed as Poseidon(TAG, value); inner nodes are untagged).
    MerkleLeaf = 0,
    /// An approved-provider leaf: Poseidon(TAG, Ax, Ay, schema id).
    IssuerLeaf = 1,
    /// The holder commitment: Poseidon(TAG, holder secret).
    HolderCommitment = 2,
    /// The pseudonym: Poseidon(TAG, holder secret, scope).
    Nullifier = 3,
    /// A revocation id: Poseidon(TAG, provider key, serial).
    RevocationId = 4,
    /// A leaf of the revocation tree.
    RevocationLeaf = 5,
    /// The policy hash.
    Policy = 6,
    /// The challenge binding inside the statement.
    Challenge = 7,
    /// A provider's signed revocation request: Poseidon(TAG, serial).
    RevocationRequest = 8,
}

fn table() -> &'static [Fr; 9] {
    static TABLE: OnceLock<[Fr; 9]> = OnceLock::new();
    TABLE.get_or_init(|| FIELD_TAG_NAMES.map(|name| hash_to_field(FIELD_TAG_DST, name.as_bytes())))
}

impl FieldTag {
    /// Every field tag, in order.
    pub const ALL: [FieldTag; 9] = [
        FieldTag::MerkleLeaf,
        FieldTag::IssuerLeaf,
        FieldTag::HolderCommitment,
        FieldTag::Nullifier,
        FieldTag::RevocationId,
        FieldTag::RevocationLeaf,
        FieldTag::Policy,
        FieldTag::Challenge,
        FieldTag::RevocationRequest,
    ];

    /// The readable name the tag is derived from.
    pub fn name(self) -> &'static str {
        // Every discriminant (0..=8) indexes the 9 names; "" is never returned.
        FIELD_TAG_NAMES.get(self as usize).copied().unwrap_or("")
    }

    /// The tag as a field element: `hash_to_field(FIELD_TAG_DST, name)`.
    pub fn value(self) -> Fr {
        // Every discriminant (0..=8) indexes the 9 values; 0 is never returned.
        table().get(self as usize).copied().unwrap_or_default()
    }
}

/// All field tags with their values, for the no-duplicates test and for documentation.
pub fn all_field_tags() -> Vec<(FieldTag, Fr)> {
    FieldTag::ALL.iter().map(|t| (*t, t.value())).collect()
}

/// All byte-string tags, for the no-duplicates test.
pub fn all_byte_tags() -> [&'static [u8]; 9] {
    [
        FIELD_TAG_DST,
        SCHEMA_ID_DST,
        CHALLENGE_DST,
        SCOPE_DST,
        PII_DST,
        EDDSA_KEY_DST,
        EDDSA_PREFIX_DST,
        EDDSA_NONCE_DST,
        TEXT_DST,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn d06_field_tags_are_distinct_and_nonzero() {
        let tags = all_field_tags();
        let set: HashSet<_> = tags.iter().map(|(_, v)| *v).collect();
        assert_eq!(set.len(), tags.len());
        assert!(tags.iter().all(|(_, v)| *v != Fr::from(0u64)));
        let names: HashSet<_> = FieldTag::ALL.iter().map(|t| t.name()).collect();
        assert_eq!(names.len(), FieldTag::ALL.len());
    }

    #[test]
    fn d06_byte_tags_are_distinct() {
        let tags = all_byte_tags();
        let set: HashSet<_> = tags.iter().collect();
        assert_eq!(set.len(), tags.len());
    }
}
