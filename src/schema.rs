//! Schemas: what a credential of one claim type says, slot by slot.
//!
//! A [`Schema`] is a name, a version and up to [`MAX_CLAIMS`] named, typed claims. Claim `i`
//! (counting from 0, in declaration order) lives in credential slot
//! [`FIRST_CLAIM_SLOT`]` + i`, so the slots 5..=15 are the claims and the header (slots 0..=4) is
//! the same for every schema ([`crate::credential`]).
//!
//! The schema id, credential slot 0, is
//! `hash_to_field(SCHEMA_ID_DST, utf8(name) || 0x00 || BE32(version))`
//! ([`field::hash_to_field`], tag in [`tags::SCHEMA_ID_DST`]); the version's fixed width makes
//! the encoding injective. Two schemas, or two versions of one, have different ids, and the id
//! is what separates the signed messages of different claim types (SECURITY.md C06, D06 note).
//!
//! Four schemas ship built in ([`Schema::all_builtin`]): background check, identity
//! verification, errors-and-omissions insurance and credit check, all version 1.
//!
//! [`Schema`]: crate::schema::Schema
//! [`MAX_CLAIMS`]: crate::schema::MAX_CLAIMS
//! [`FIRST_CLAIM_SLOT`]: crate::credential::FIRST_CLAIM_SLOT
//! [`field::hash_to_field`]: crate::primitives::field::hash_to_field
//! [`tags::SCHEMA_ID_DST`]: crate::primitives::tags::SCHEMA_ID_DST
//! [`Schema::all_builtin`]: crate::schema::Schema::all_builtin

use crate::credential::{FIRST_CLAIM_SLOT, SLOTS};
use crate::wire::{self, DecodeError, WIRE_VERSION};
use serde::{Deserialize, Serialize};
use std::fmt;
use vouchsafe_circuits::field;
use vouchsafe_circuits::tags;
use vouchsafe_circuits::Fr;

/// The most claims a schema can declare: one per slot from [`FIRST_CLAIM_SLOT`] to 15.
pub const MAX_CLAIMS: usize = SLOTS - FIRST_CLAIM_SLOT;

/// The longest schema or claim name, in bytes.
pub const MAX_NAME_LEN: usize = 128;

/// The name of the built-in background-check schema.
pub const BACKGROUND_CHECK: &str = "vouchsafe/background-check";
/// The name of the built-in identity-verification schema.
pub const IDENTITY_VERIFICATION: &str = "vouchsafe/identity-verification";
/// The name of the built-in errors-and-omissions insurance schema.
pub const EO_INSURANCE: &str = "vouchsafe/eo-insurance";
/// The name of the built-in credit-check schema.
pub const CREDIT_CHECK: &str = "vouchsafe/credit-check";

/// The background check's `result` claim for a check that was passed.
pub const RESULT_PASS: u64 = 1;
/// The background check's `result` claim for a check that was failed.
pub const RESULT_FAIL: u64 = 0;

/// How a claim's value enters its slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// An unsigned 64-bit integer, as the field element of the same value; the only kind that
    /// the order predicates (`lt`, `le`, `gt`, `ge`) compare.
    U64,
    /// A string, entered as `hash_to_field(TEXT_DST, utf8(string))`; compared for equality only.
    Text,
    /// A raw field element.
    Field,
    /// Personal data, entered only as the salted commitment
    /// `hash_to_field(PII_DST, salt || data)` with a 32-byte salt; the data never enters the
    /// credential.
    Pii,
}

impl ClaimKind {
    /// The kind's name on the wire: `u64`, `text`, `field` or `pii`.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimKind::U64 => "u64",
            ClaimKind::Text => "text",
            ClaimKind::Field => "field",
            ClaimKind::Pii => "pii",
        }
    }
}

impl fmt::Display for ClaimKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One claim of a schema: its name and kind.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ClaimDef {
    /// The claim's name, unique within its schema.
    pub name: String,
    /// How its value enters the slot.
    pub kind: ClaimKind,
}

impl ClaimDef {
    /// The claim `name` of kind `kind`.
    pub fn new(name: impl Into<String>, kind: ClaimKind) -> ClaimDef {
        ClaimDef {
            name: name.into(),
            kind,
        }
    }
}

/// Why a schema was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaError {
    /// More claims than there are claim slots.
    #[error("too many claims: at most {max}, got {got}")]
    TooManyClaims {
        /// The maximum, [`MAX_CLAIMS`].
        max: usize,
        /// The number of claims declared.
        got: usize,
    },
    /// An empty or over-long name, or one with control characters.
    #[error("invalid name {name:?}: 1 to {max} bytes without control characters")]
    InvalidName {
        /// The refused name.
        name: String,
        /// The maximum length in bytes, [`MAX_NAME_LEN`].
        max: usize,
    },
    /// Two claims of one schema with the same name.
    #[error("duplicate claim name {name:?}")]
    DuplicateClaim {
        /// The repeated name.
        name: String,
    },
}

/// A credential schema: a name, a version, and the claims in slot order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Schema {
    name: String,
    version: u32,
    claims: Vec<ClaimDef>,
}

fn check_name(name: &str) -> Result<(), SchemaError> {
    if name.is_empty() || name.len() > MAX_NAME_LEN || name.chars().any(char::is_control) {
        return Err(SchemaError::InvalidName {
            name: name.to_owned(),
            max: MAX_NAME_LEN,
        });
    }
    Ok(())
}

impl Schema {
    /// A schema, if it has at most [`MAX_CLAIMS`] claims ([`SchemaError::TooManyClaims`]),
    /// valid names ([`SchemaError::InvalidName`]: 1 to [`MAX_NAME_LEN`] bytes, no control
    /// characters) and no two claims of the same name ([`SchemaError::DuplicateClaim`]).
    pub fn new(
        name: impl Into<String>,
        version: u32,
        claims: Vec<ClaimDef>,
    ) -> Result<Schema, SchemaError> {
        let name = name.into();
        check_name(&name)?;
        if claims.len() > MAX_CLAIMS {
            return Err(SchemaError::TooManyClaims {
                max: MAX_CLAIMS,
                got: claims.len(),
            });
        }
        for (i, c) in claims.iter().enumerate() {
            check_name(&c.name)?;
            if claims.iter().take(i).any(|d| d.name == c.name) {
                return Err(SchemaError::DuplicateClaim {
                    name: c.name.clone(),
                });
            }
        }
        Ok(Schema {
            name,
            version,
            claims,
        })
    }

    /// A built-in schema, valid by construction (a test checks each through [`Schema::new`]).
    fn builtin_unchecked(name: &str, claims: &[(&str, ClaimKind)]) -> Schema {
        Schema {
            name: name.to_owned(),
            version: 1,
            claims: claims.iter().map(|(n, k)| ClaimDef::new(*n, *k)).collect(),
        }
    }

    /// `vouchsafe/background-check`, version 1:
    /// - `result` (u64): [`RESULT_PASS`] (1) if the check was passed, [`RESULT_FAIL`] (0) if not;
    /// - `package_level` (u64): the screening package, provider-defined, higher is more thorough;
    /// - `jurisdiction` (text): where the check was run, e.g. `US-CA`;
    /// - `checked_pii` (pii): a salted commitment to the personal data that was checked.
    pub fn background_check() -> Schema {
        Schema::builtin_unchecked(
            BACKGROUND_CHECK,
            &[
                ("result", ClaimKind::U64),
                ("package_level", ClaimKind::U64),
                ("jurisdiction", ClaimKind::Text),
                ("checked_pii", ClaimKind::Pii),
            ],
        )
    }

    /// `vouchsafe/identity-verification`, version 1:
    /// - `level` (u64): the assurance level reached, higher is stronger (e.g. NIST IAL 1 to 3);
    /// - `country` (text): the issuing country of the document, ISO 3166-1 alpha-2 (e.g. `DE`);
    /// - `pii` (pii): a salted commitment to the verified identity data.
    pub fn identity_verification() -> Schema {
        Schema::builtin_unchecked(
            IDENTITY_VERIFICATION,
            &[
                ("level", ClaimKind::U64),
                ("country", ClaimKind::Text),
                ("pii", ClaimKind::Pii),
            ],
        )
    }

    /// `vouchsafe/eo-insurance` (errors and omissions), version 1:
    /// - `coverage` (u64): the aggregate coverage, in whole US dollars;
    /// - `per_claim_limit` (u64): the limit per claim, in whole US dollars;
    /// - `policy_class` (text): the insurer's policy class.
    pub fn eo_insurance() -> Schema {
        Schema::builtin_unchecked(
            EO_INSURANCE,
            &[
                ("coverage", ClaimKind::U64),
                ("per_claim_limit", ClaimKind::U64),
                ("policy_class", ClaimKind::Text),
            ],
        )
    }

    /// `vouchsafe/credit-check`, version 1:
    /// - `score_band` (u64): the bureau's score band, higher is better;
    /// - `bureau_code` (text): the bureau that produced the score.
    pub fn credit_check() -> Schema {
        Schema::builtin_unchecked(
            CREDIT_CHECK,
            &[
                ("score_band", ClaimKind::U64),
                ("bureau_code", ClaimKind::Text),
            ],
        )
    }

    /// Every built-in schema.
    pub fn all_builtin() -> Vec<Schema> {
        vec![
            Schema::background_check(),
            Schema::identity_verification(),
            Schema::eo_insurance(),
            Schema::credit_check(),
        ]
    }

    /// The built-in schema of this name, if any.
    pub fn builtin(name: &str) -> Option<Schema> {
        Schema::all_builtin().into_iter().find(|s| s.name == name)
    }

    /// The built-in schema with this id (credential slot 0), if any.
    pub fn builtin_by_id(id: &Fr) -> Option<Schema> {
        Schema::all_builtin().into_iter().find(|s| s.id() == *id)
    }

    /// The schema's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The schema's version.
    pub fn version(&self) -> u32 {
        self.version
    }

    /// The claims, in slot order.
    pub fn claims(&self) -> &[ClaimDef] {
        &self.claims
    }

    /// The schema id: `hash_to_field(SCHEMA_ID_DST, utf8(name) || 0x00 || BE32(version))`.
    pub fn id(&self) -> Fr {
        Schema::id_for(&self.name, self.version)
    }

    /// The id a schema of this name and version has (see [`Schema::id`]).
    pub fn id_for(name: &str, version: u32) -> Fr {
        let mut msg = Vec::with_capacity(name.len().saturating_add(5));
        msg.extend_from_slice(name.as_bytes());
        msg.push(0);
        msg.extend_from_slice(&version.to_be_bytes());
        field::hash_to_field(tags::SCHEMA_ID_DST, &msg)
    }

    /// The credential slot of the claim `name`: [`FIRST_CLAIM_SLOT`] plus its position.
    pub fn slot_of(&self, name: &str) -> Option<usize> {
        self.claims
            .iter()
            .position(|c| c.name == name)
            .and_then(|i| FIRST_CLAIM_SLOT.checked_add(i))
    }

    /// The claim `name`, if the schema declares it.
    pub fn claim(&self, name: &str) -> Option<&ClaimDef> {
        self.claims.iter().find(|c| c.name == name)
    }

    /// The JSON form (see [`Schema::from_json`]).
    pub fn to_json(&self) -> String {
        wire::encode(&SchemaFileJson {
            version: u64::from(WIRE_VERSION),
            schema: SchemaBodyJson {
                name: self.name.clone(),
                version: self.version,
                claims: self
                    .claims
                    .iter()
                    .map(|c| ClaimDefJson {
                        name: c.name.clone(),
                        kind: c.kind,
                    })
                    .collect(),
            },
        })
    }

    /// Decodes the JSON form
    /// `{"version":1,"schema":{"name":..,"version":..,"claims":[{"name":..,"kind":"u64"},..]}}`
    /// strictly (see [`crate::wire`]), then checks the schema rules of [`Schema::new`]
    /// ([`DecodeError::Schema`]).
    pub fn from_json(input: &str) -> Result<Schema, DecodeError> {
        let file: SchemaFileJson = wire::decode_versioned(input)?;
        let body = file.schema;
        Schema::new(
            body.name,
            body.version,
            body.claims
                .into_iter()
                .map(|c| ClaimDef::new(c.name, c.kind))
                .collect(),
        )
        .map_err(DecodeError::Schema)
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemaFileJson {
    version: u64,
    schema: SchemaBodyJson,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemaBodyJson {
    name: String,
    version: u32,
    claims: Vec<ClaimDefJson>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimDefJson {
    name: String,
    kind: ClaimKind,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn builtins_pass_the_schema_rules() {
        for s in Schema::all_builtin() {
            let checked = Schema::new(s.name(), s.version(), s.claims().to_vec());
            assert_eq!(checked.as_ref(), Ok(&s));
            assert!(s.claims().len() <= MAX_CLAIMS);
        }
    }

    #[test]
    fn builtin_ids_and_names_are_distinct() {
        let all = Schema::all_builtin();
        let ids: HashSet<_> = all.iter().map(Schema::id).collect();
        let names: HashSet<_> = all.iter().map(|s| s.name().to_owned()).collect();
        assert_eq!(ids.len(), all.len());
        assert_eq!(names.len(), all.len());
        for s in &all {
            assert_eq!(Schema::builtin(s.name()).as_ref(), Some(s));
            assert_eq!(Schema::builtin_by_id(&s.id()).as_ref(), Some(s));
        }
        assert_eq!(Schema::builtin("vouchsafe/unknown"), None);
    }

    #[test]
    fn version_changes_the_id() {
        let a = Schema::id_for(BACKGROUND_CHECK, 1);
        let b = Schema::id_for(BACKGROUND_CHECK, 2);
        assert_ne!(a, b);
        assert_eq!(Schema::background_check().id(), a);
    }

    #[test]
    fn slots_follow_declaration_order() {
        let s = Schema::background_check();
        assert_eq!(s.slot_of("result"), Some(5));
        assert_eq!(s.slot_of("package_level"), Some(6));
        assert_eq!(s.slot_of("jurisdiction"), Some(7));
        assert_eq!(s.slot_of("checked_pii"), Some(8));
        assert_eq!(s.slot_of("nope"), None);
        assert_eq!(
            s.claim("jurisdiction").map(|c| c.kind),
            Some(ClaimKind::Text)
        );
    }

    #[test]
    fn schema_rules() {
        let many: Vec<_> = (0..12)
            .map(|i| ClaimDef::new(format!("c{i}"), ClaimKind::U64))
            .collect();
        assert_eq!(
            Schema::new("x", 1, many.clone()),
            Err(SchemaError::TooManyClaims { max: 11, got: 12 })
        );
        let full = Schema::new("x", 1, many[..11].to_vec()).unwrap();
        assert_eq!(full.slot_of("c10"), Some(15));
        assert_eq!(
            Schema::new(
                "x",
                1,
                vec![
                    ClaimDef::new("a", ClaimKind::U64),
                    ClaimDef::new("a", ClaimKind::Text)
                ]
            ),
            Err(SchemaError::DuplicateClaim { name: "a".into() })
        );
        assert!(matches!(
            Schema::new("", 1, vec![]),
            Err(SchemaError::InvalidName { .. })
        ));
        assert!(matches!(
            Schema::new("x", 1, vec![ClaimDef::new("a\nb", ClaimKind::U64)]),
            Err(SchemaError::InvalidName { .. })
        ));
        assert!(matches!(
            Schema::new("x".repeat(MAX_NAME_LEN + 1), 1, vec![]),
            Err(SchemaError::InvalidName { .. })
        ));
    }

    #[test]
    fn json_round_trip_and_strictness() {
        for s in Schema::all_builtin() {
            let j = s.to_json();
            let back = Schema::from_json(&j).unwrap();
            assert_eq!(back, s);
            assert_eq!(back.to_json(), j);
        }
        let j = Schema::credit_check().to_json();
        assert_eq!(
            j,
            concat!(
                r#"{"version":1,"schema":{"name":"vouchsafe/credit-check","version":1,"#,
                r#""claims":[{"name":"score_band","kind":"u64"},"#,
                r#"{"name":"bureau_code","kind":"text"}]}}"#
            )
        );
        let bad_kind = j.replace(r#""kind":"u64""#, r#""kind":"U64""#);
        assert!(matches!(
            Schema::from_json(&bad_kind),
            Err(DecodeError::Json { .. })
        ));
        let map_kind = j.replace(r#""kind":"u64""#, r#""kind":{"u64":null}"#);
        assert!(matches!(
            Schema::from_json(&map_kind),
            Err(DecodeError::Json { .. })
        ));
        let dup = j.replace(r#""bureau_code""#, r#""score_band""#);
        assert_eq!(
            Schema::from_json(&dup),
            Err(DecodeError::Schema(SchemaError::DuplicateClaim {
                name: "score_band".into()
            }))
        );
        let v2 = j.replacen(r#"{"version":1"#, r#"{"version":2"#, 1);
        assert_eq!(
            Schema::from_json(&v2),
            Err(DecodeError::UnsupportedVersion {
                got: 2,
                supported: 1
            })
        );
        let extra = j.replace(
            r#""version":1,"claims""#,
            r#""version":1,"id":"1","claims""#,
        );
        assert!(matches!(
            Schema::from_json(&extra),
            Err(DecodeError::Json { .. })
        ));
    }
}
