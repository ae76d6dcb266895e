//! Wire formats of credentials, schemas and provider keys: round trips and strictness
//! (SECURITY.md A01-A03, A09, A12, C01-C04, J08), through the public API.

// Test helpers fail loudly on unexpected values.
#![allow(clippy::unwrap_used)]

use ark_ff::PrimeField;
use sha2::{Digest, Sha512};
use vouchsafe::credential::{
    ClaimValue, CredentialBuilder, CredentialError, SignedCredential, SLOTS,
};
use vouchsafe::primitives::babyjubjub::{Fs, Point, PointError};
use vouchsafe::primitives::eddsa::SignatureError;
use vouchsafe::primitives::field::{to_decimal, FieldError};
use vouchsafe::primitives::Fr;
use vouchsafe::provider::{
    public_key_from_bytes, public_key_from_json, public_key_to_bytes, public_key_to_json, Provider,
};
use vouchsafe::schema::{ClaimKind, Schema};
use vouchsafe::wire::{DecodeError, MAX_JSON_BYTES};

const R: &str = "21888242871839275222246405745257275088548364400416034343698204186575808495617";
const L: &str = "2736030358979909402780800718157159386076813972158567259200215660948447373041";

fn value_for(kind: ClaimKind, i: usize) -> ClaimValue {
    match kind {
        ClaimKind::U64 => ClaimValue::U64(1_000_000 + i as u64),
        ClaimKind::Text => ClaimValue::text(format!("text-{i}")),
        ClaimKind::Field => ClaimValue::Field(Fr::from(77 + i as u64)),
        ClaimKind::Pii => ClaimValue::Pii {
            data: format!("Jane Canary {i}").into_bytes(),
            salt: [i as u8; 32],
        },
    }
}

fn issue(schema: &Schema, provider: &Provider) -> SignedCredential {
    let mut b = CredentialBuilder::new(schema)
        .holder(Fr::from(4242u64))
        .serial(Fr::from(99u64))
        .validity(1_700_000_000, 1_731_536_000);
    for (i, c) in schema.claims().iter().enumerate() {
        b = b.claim(c.name.clone(), value_for(c.kind, i));
    }
    provider.issue(b.build().unwrap())
}

/// A background-check credential as JSON.
fn sample() -> String {
    let schema = Schema::background_check();
    issue(&schema, &Provider::from_seed([3; 32]))
        .to_json(&schema)
        .unwrap()
}

/// `sample()` with one JSON value replaced, through serde_json's tree.
fn edit(f: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value = serde_json::from_str(&sample()).unwrap();
    f(&mut v);
    v.to_string()
}

fn decode(s: &str) -> Result<SignedCredential, DecodeError> {
    SignedCredential::from_json(s)
}

fn is_json_error(r: Result<SignedCredential, DecodeError>) -> bool {
    matches!(r, Err(DecodeError::Json { .. }))
}

#[test]
fn a09_every_builtin_credential_round_trips_byte_exactly() {
    let p = Provider::from_seed([3; 32]);
    for schema in Schema::all_builtin() {
        let signed = issue(&schema, &p);
        let json = signed.to_json(&schema).unwrap();
        let back = decode(&json).unwrap();
        assert_eq!(back, signed);
        assert_eq!(back.to_json(&schema).unwrap(), json);
        assert_eq!(back.verify_signature(), Ok(()));
        assert_eq!(
            Schema::builtin_by_id(&back.credential().schema_id()),
            Some(schema)
        );
    }
}

#[test]
fn credential_json_layout() {
    let v: serde_json::Value = serde_json::from_str(&sample()).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["schema"]["name"], "vouchsafe/background-check");
    assert_eq!(v["schema"]["version"], 1);
    assert_eq!(v["slots"].as_array().unwrap().len(), 16);
    assert_eq!(v["slots"][3], "1700000000");
    assert!(v["provider"]["x"].is_string() && v["provider"]["y"].is_string());
    for k in ["r8x", "r8y", "s"] {
        assert!(v["signature"][k].is_string());
    }
    // Fields appear in a fixed order.
    let s = sample();
    let pos = |k: &str| s.find(&format!("\"{k}\"")).unwrap();
    assert!(pos("version") < pos("schema"));
    assert!(pos("schema") < pos("slots"));
    assert!(pos("slots") < pos("provider"));
    assert!(pos("provider") < pos("signature"));
}

#[test]
fn to_json_needs_the_credentials_schema() {
    let schema = Schema::background_check();
    let signed = issue(&schema, &Provider::from_seed([3; 32]));
    assert_eq!(
        signed.to_json(&Schema::credit_check()),
        Err(CredentialError::SchemaMismatch {
            schema: "vouchsafe/credit-check".into()
        })
    );
}

#[test]
fn tampered_slot_decodes_but_does_not_verify() {
    let s = edit(|v| v["slots"][5] = "0".into());
    let signed = decode(&s).unwrap();
    assert_eq!(signed.verify_signature(), Err(SignatureError::Invalid));
}

#[test]
fn a03_field_element_as_json_number_refused() {
    assert!(is_json_error(decode(&edit(|v| v["slots"][5] = 1.into()))));
    assert!(is_json_error(decode(&edit(
        |v| v["provider"]["x"] = 5.into()
    ))));
    assert!(is_json_error(decode(&edit(
        |v| v["signature"]["s"] = 5.into()
    ))));
    // Replace the quoted date by the same digits unquoted.
    let unquoted = sample().replacen("\"1700000000\"", "1700000000", 1);
    assert!(is_json_error(decode(&unquoted)));
}

#[test]
fn a02_non_canonical_decimals_refused_with_the_field_named() {
    let cases: [(&str, FieldError); 7] = [
        ("-1", FieldError::InvalidCharacter { position: 0 }),
        ("+1", FieldError::InvalidCharacter { position: 0 }),
        ("01", FieldError::NonCanonical),
        (" 1", FieldError::InvalidCharacter { position: 0 }),
        ("1e3", FieldError::InvalidCharacter { position: 1 }),
        ("", FieldError::Empty),
        ("0x01", FieldError::InvalidCharacter { position: 1 }),
    ];
    for (bad, error) in cases {
        assert_eq!(
            decode(&edit(|v| v["slots"][7] = bad.into())),
            Err(DecodeError::Field {
                field: "slots[7]",
                error: error.clone()
            }),
            "{bad:?}"
        );
        assert_eq!(
            decode(&edit(|v| v["signature"]["r8y"] = bad.into())),
            Err(DecodeError::Field {
                field: "signature.r8y",
                error
            }),
            "{bad:?}"
        );
    }
}

#[test]
fn a02_values_at_or_above_r_refused() {
    let r_plus_1 = "21888242871839275222246405745257275088548364400416034343698204186575808495618";
    for (bad, error) in [
        (R, FieldError::Overflow),
        (r_plus_1, FieldError::Overflow),
        (&"9".repeat(78), FieldError::TooLong { max: 77, got: 78 }),
    ] {
        assert_eq!(
            decode(&edit(|v| v["slots"][0] = bad.into())),
            Err(DecodeError::Field {
                field: "slots[0]",
                error: error.clone()
            })
        );
        assert_eq!(
            decode(&edit(|v| v["provider"]["y"] = bad.into())),
            Err(DecodeError::Field {
                field: "provider.y",
                error
            })
        );
    }
    // r - 1 is a field element: refused later, as a schema mismatch, not as a field error.
    let r_minus_1 = to_decimal(&-Fr::from(1u64));
    assert_eq!(
        decode(&edit(|v| v["slots"][0] = r_minus_1.into())),
        Err(DecodeError::SchemaMismatch)
    );
}

#[test]
fn unknown_missing_and_null_fields_refused() {
    assert!(is_json_error(decode(&edit(|v| v["extra"] = 1.into()))));
    assert!(is_json_error(decode(&edit(
        |v| v["provider"]["z"] = "1".into()
    ))));
    assert!(is_json_error(decode(&edit(
        |v| v["signature"]["r8"] = "1".into()
    ))));
    assert!(is_json_error(decode(&edit(
        |v| v["schema"]["id"] = "1".into()
    ))));
    for key in ["schema", "slots", "provider", "signature"] {
        let s = edit(|v| {
            v.as_object_mut().unwrap().remove(key);
        });
        assert!(is_json_error(decode(&s)), "missing {key}");
        assert!(
            is_json_error(decode(&edit(|v| v[key] = serde_json::Value::Null))),
            "null {key}"
        );
    }
    assert!(is_json_error(decode(&edit(|v| {
        v["signature"].as_object_mut().unwrap().remove("s");
    }))));
    assert!(is_json_error(decode(&edit(
        |v| v["slots"][2] = serde_json::Value::Null
    ))));
    assert!(is_json_error(decode(&edit(
        |v| v["provider"]["x"] = serde_json::Value::Null
    ))));
    // Not an object at all, and trailing data.
    assert!(is_json_error(decode("[]")));
    assert!(is_json_error(decode("null")));
    assert!(is_json_error(decode("")));
    assert!(is_json_error(decode(&format!("{} {{}}", sample()))));
}

#[test]
fn versions_other_than_1_refused() {
    for version in [0u64, 2, u64::MAX] {
        assert_eq!(
            decode(&edit(|v| v["version"] = version.into())),
            Err(DecodeError::UnsupportedVersion {
                got: version,
                supported: 1
            })
        );
    }
    // A future version with fields we do not know is still reported as a version problem.
    assert_eq!(
        decode(r#"{"version":2,"something_new":[1,2,3]}"#),
        Err(DecodeError::UnsupportedVersion {
            got: 2,
            supported: 1
        })
    );
    assert!(is_json_error(decode(&edit(|v| v["version"] = "1".into()))));
    assert!(is_json_error(decode(&edit(|v| v["version"] = (-1).into()))));
    assert!(is_json_error(decode(&edit(|v| {
        v.as_object_mut().unwrap().remove("version");
    }))));
}

#[test]
fn a09_duplicate_keys_refused() {
    let s = sample();
    let dup_top = s.replacen("{\"version\":1,", "{\"version\":1,\"version\":1,", 1);
    assert!(is_json_error(decode(&dup_top)));
    let dup_nested = s.replacen("\"provider\":{", "\"provider\":{\"x\":\"1\",", 1);
    assert!(is_json_error(decode(&dup_nested)));
    let dup_schema = s.replacen(
        "\"schema\":{",
        "\"schema\":{\"name\":\"vouchsafe/credit-check\",",
        1,
    );
    assert!(is_json_error(decode(&dup_schema)));
    let slots_at = s.find("\"slots\":").unwrap();
    let dup_slots = format!("{}\"slots\":[],{}", &s[..slots_at], &s[slots_at..]);
    assert!(is_json_error(decode(&dup_slots)));
}

#[test]
fn arrays_in_place_of_objects_refused() {
    let v: serde_json::Value = serde_json::from_str(&sample()).unwrap();
    let (x, y) = (v["provider"]["x"].clone(), v["provider"]["y"].clone());
    assert!(is_json_error(decode(&edit(
        |v| v["provider"] = serde_json::json!([x, y])
    ))));
    let sig = serde_json::json!([
        v["signature"]["r8x"],
        v["signature"]["r8y"],
        v["signature"]["s"]
    ]);
    assert!(is_json_error(decode(&edit(|v| v["signature"] = sig))));
    assert!(is_json_error(decode(&edit(|v| {
        v["schema"] = serde_json::json!(["vouchsafe/background-check", 1])
    }))));
}

#[test]
fn a12_oversized_input_refused_before_parsing() {
    // Not even JSON: the size check comes first.
    let junk = "x".repeat(MAX_JSON_BYTES + 1);
    assert_eq!(
        decode(&junk),
        Err(DecodeError::TooLarge {
            max: MAX_JSON_BYTES,
            got: MAX_JSON_BYTES + 1
        })
    );
    // A valid credential padded with whitespace past the cap.
    let padded = format!("{}{}", sample(), " ".repeat(MAX_JSON_BYTES));
    assert!(matches!(decode(&padded), Err(DecodeError::TooLarge { .. })));
    assert!(matches!(
        Schema::from_json(&junk),
        Err(DecodeError::TooLarge { .. })
    ));
    assert!(matches!(
        public_key_from_json(&junk),
        Err(DecodeError::TooLarge { .. })
    ));
    assert!(matches!(
        Provider::from_secret_json(&junk),
        Err(DecodeError::TooLarge { .. })
    ));
    // Whitespace within the cap is fine.
    let spaced = format!("  {}  ", sample());
    assert!(decode(&spaced).is_ok());
}

#[test]
fn slot_count_must_be_16() {
    for n in [0usize, 15, 17] {
        let s = edit(|v| {
            let slots = v["slots"].as_array_mut().unwrap();
            slots.resize(n, serde_json::Value::from("0"));
        });
        assert_eq!(
            decode(&s),
            Err(DecodeError::Length {
                expected: SLOTS,
                got: n
            })
        );
    }
}

#[test]
fn k03_dates_must_be_u64_and_in_order() {
    let two64 = "18446744073709551616";
    assert_eq!(
        decode(&edit(|v| v["slots"][3] = two64.into())),
        Err(DecodeError::Credential(CredentialError::ValueOutOfRange {
            slot: 3
        }))
    );
    assert_eq!(
        decode(&edit(|v| v["slots"][4] = two64.into())),
        Err(DecodeError::Credential(CredentialError::ValueOutOfRange {
            slot: 4
        }))
    );
    assert_eq!(
        decode(&edit(|v| v["slots"][4] = "1700000000".into())),
        Err(DecodeError::Credential(CredentialError::BadValidity {
            issued_at: 1_700_000_000,
            expires_at: 1_700_000_000
        }))
    );
}

#[test]
fn schema_name_and_version_must_match_slot_0() {
    for (name, version) in [
        ("vouchsafe/credit-check", 1u64),
        ("vouchsafe/background-check", 2),
        ("vouchsafe/background-check ", 1),
    ] {
        let s = edit(|v| {
            v["schema"]["name"] = name.into();
            v["schema"]["version"] = version.into();
        });
        assert_eq!(
            decode(&s),
            Err(DecodeError::SchemaMismatch),
            "{name} {version}"
        );
    }
}

/// A point of order 2, on the curve, outside the prime-order subgroup.
fn order2() -> (Fr, Fr) {
    (Fr::from(0u64), -Fr::from(1u64))
}

#[test]
fn c03_bad_provider_keys_refused() {
    let good: serde_json::Value = serde_json::from_str(&sample()).unwrap();
    let gx = vouchsafe::primitives::field::parse_decimal(good["provider"]["x"].as_str().unwrap())
        .unwrap();
    let gy = vouchsafe::primitives::field::parse_decimal(good["provider"]["y"].as_str().unwrap())
        .unwrap();
    let key = Point::new(gx, gy).unwrap();
    let (tx, ty) = order2();
    let with_torsion = key.add(&Point::new(tx, ty).unwrap());
    let cases = [
        ((Fr::from(0u64), Fr::from(1u64)), PointError::Identity),
        (order2(), PointError::NotInSubgroup),
        (
            (with_torsion.x(), with_torsion.y()),
            PointError::NotInSubgroup,
        ),
        ((Fr::from(1u64), Fr::from(1u64)), PointError::NotOnCurve),
        ((gx, gy + Fr::from(1u64)), PointError::NotOnCurve),
    ];
    for ((x, y), error) in cases {
        let s = edit(|v| {
            v["provider"]["x"] = to_decimal(&x).into();
            v["provider"]["y"] = to_decimal(&y).into();
        });
        assert_eq!(decode(&s), Err(DecodeError::Point(error)));
        let pk_json = format!(
            r#"{{"version":1,"x":"{}","y":"{}"}}"#,
            to_decimal(&x),
            to_decimal(&y)
        );
        assert_eq!(
            public_key_from_json(&pk_json),
            Err(DecodeError::Point(error))
        );
    }
}

#[test]
fn c01_c02_signature_scalar_and_point_checked() {
    let v: serde_json::Value = serde_json::from_str(&sample()).unwrap();
    let s =
        vouchsafe::primitives::field::parse_decimal(v["signature"]["s"].as_str().unwrap()).unwrap();
    let l = vouchsafe::primitives::field::parse_decimal(L).unwrap();
    let l_minus_1 = l - Fr::from(1u64);
    for big in [l, s + l, s + l + l, -Fr::from(1u64)] {
        assert_eq!(
            decode(&edit(|v| v["signature"]["s"] = to_decimal(&big).into())),
            Err(DecodeError::Signature(SignatureError::ScalarOutOfRange))
        );
    }
    // S = l - 1 is in range: it decodes, and fails only at verification.
    let edge = decode(&edit(|v| {
        v["signature"]["s"] = to_decimal(&l_minus_1).into()
    }))
    .unwrap();
    assert_eq!(edge.verify_signature(), Err(SignatureError::Invalid));
    // R8 off the curve.
    assert_eq!(
        decode(&edit(|v| {
            v["signature"]["r8x"] = "1".into();
            v["signature"]["r8y"] = "1".into();
        })),
        Err(DecodeError::Signature(SignatureError::InvalidR8(
            PointError::NotOnCurve
        )))
    );
}

#[test]
fn public_key_formats_round_trip() {
    let p = Provider::from_seed([9; 32]);
    let pk = p.public_key();
    let json = public_key_to_json(&pk);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["x"], to_decimal(&pk.point().x()));
    assert_eq!(v["y"], to_decimal(&pk.point().y()));
    assert_eq!(public_key_from_json(&json), Ok(pk));
    assert_eq!(
        public_key_to_json(&public_key_from_json(&json).unwrap()),
        json
    );
    let bytes = public_key_to_bytes(&pk);
    assert_eq!(public_key_from_bytes(&bytes), Ok(pk));
    assert!(matches!(
        public_key_from_bytes(&bytes[..31]),
        Err(DecodeError::Point(PointError::Length {
            expected: 32,
            got: 31
        }))
    ));
    // The identity (0, 1) packed.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    assert_eq!(
        public_key_from_bytes(&identity),
        Err(DecodeError::Point(PointError::Identity))
    );
    assert!(matches!(
        public_key_from_json(&json.replace("\"version\":1", "\"version\":3")),
        Err(DecodeError::UnsupportedVersion { got: 3, .. })
    ));
    // A leading zero: non-canonical (or too long, for a 77-digit coordinate).
    assert!(matches!(
        public_key_from_json(&json.replacen("\"x\":\"", "\"x\":\"0", 1)),
        Err(DecodeError::Field {
            field: "x",
            error: FieldError::NonCanonical | FieldError::TooLong { .. }
        })
    ));
}

/// The secret scalar, computed independently from the documented derivation:
/// SHA-512(len || EDDSA_KEY_DST || seed), little-endian, mod l.
fn secret_scalar(seed: &[u8; 32]) -> Fs {
    let dst = b"vouchsafe/v1/eddsa/secret-scalar";
    let mut h = Sha512::new();
    h.update([dst.len() as u8]);
    h.update(dst);
    h.update(seed);
    Fs::from_le_bytes_mod_order(&h.finalize())
}

#[test]
fn j08_provider_debug_shows_only_the_public_key() {
    let seed = [0x5a_u8; 32];
    let p = Provider::from_seed(seed);
    let scalar = secret_scalar(&seed);
    // The independent derivation is right: it gives the public key.
    assert_eq!(Point::base8().mul_scalar(&scalar), p.public_key().point());
    let d = format!("{p:?}");
    let d_alt = format!("{p:#?}");
    assert!(d.starts_with("Provider { public_key:"), "{d}");
    let seed_hex: String = seed.iter().map(|b| format!("{b:02x}")).collect();
    let scalar_dec = scalar.into_bigint().to_string();
    for text in [&d, &d_alt] {
        assert!(!text.contains(&seed_hex));
        assert!(!text.contains("5a5a5a"));
        assert!(!text.contains("90, 90, 90")); // the seed bytes in decimal
        assert!(!text.contains(&scalar_dec));
    }
    assert!(d.contains(&format!("{:?}", p.public_key().point().x())));
}

#[test]
fn secret_key_bytes_round_trip_and_length_checked() {
    let p = Provider::from_seed([0x11; 32]);
    let bytes = p.export_secret_bytes();
    assert_eq!(*bytes, [0x11; 32]);
    let q = Provider::from_secret_bytes(&bytes[..]).unwrap();
    assert_eq!(q.public_key(), p.public_key());
    for n in [0usize, 31, 33, 64] {
        assert_eq!(
            Provider::from_secret_bytes(&vec![0x11; n]).map(|p| p.public_key()),
            Err(DecodeError::Length {
                expected: 32,
                got: n
            })
        );
    }
}

#[test]
fn secret_key_json_round_trip_and_strictness() {
    let p = Provider::from_seed([0xc3; 32]);
    let json = p.export_secret_json();
    assert_eq!(
        json.as_str(),
        format!(
            r#"{{"version":1,"kind":"vouchsafe-provider-secret","seed":"{}"}}"#,
            "c3".repeat(32)
        )
    );
    let q = Provider::from_secret_json(&json).unwrap();
    assert_eq!(q.public_key(), p.public_key());
    assert_eq!(*q.export_secret_json(), *json);
    // A signature by the restored key verifies under the original key.
    let schema = Schema::credit_check();
    assert_eq!(issue(&schema, &q).verify_signature(), Ok(()));

    let pk = |s: &str| Provider::from_secret_json(s).map(|p| p.public_key());
    assert_eq!(
        pk(&json.replace("c3c3", "C3C3")),
        Err(DecodeError::Hex { field: "seed" })
    );
    assert_eq!(
        pk(&json.replacen("c3", "", 1)),
        Err(DecodeError::Hex { field: "seed" })
    );
    assert_eq!(
        pk(&json.replace("\"seed\":\"", "\"seed\":\"c3")),
        Err(DecodeError::Hex { field: "seed" })
    );
    assert_eq!(
        pk(&json.replace("provider-secret", "holder-secret")),
        Err(DecodeError::UnexpectedKind {
            expected: "vouchsafe-provider-secret"
        })
    );
    assert_eq!(
        pk(&json.replace("\"version\":1", "\"version\":2")),
        Err(DecodeError::UnsupportedVersion {
            got: 2,
            supported: 1
        })
    );
    for bad in [
        json.replace("}", ",\"extra\":1}"),
        json.replace("\"kind\"", "\"seed\":\"00\",\"kind\""),
        json.replace("{\"version\":1,", "{\"version\":1,\"version\":1,"),
        json.replace(",\"kind\":\"vouchsafe-provider-secret\"", ""),
        json.replace(&format!("\"{}\"", "c3".repeat(32)), "null"),
        format!("[{}]", json.as_str()),
    ] {
        let e = pk(&bad).unwrap_err();
        assert!(matches!(e, DecodeError::Json { .. }), "{bad}: {e:?}");
        assert!(!e.to_string().contains("c3c3"), "{e}");
    }
}

#[test]
fn schema_json_round_trips() {
    for s in Schema::all_builtin() {
        let j = s.to_json();
        assert_eq!(Schema::from_json(&j).as_ref(), Ok(&s));
        assert_eq!(Schema::from_json(&j).unwrap().to_json(), j);
    }
}
