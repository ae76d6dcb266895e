//! Registry snapshots: the JSON round trip and every refusal (SECURITY.md A01-A03, A12, A13,
//! C03, E07; F08's "never a panic" for the registry's decoder).

// Test code: a failed unwrap is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

// The module name makes `cargo test -p vouchsafe registry` select these tests; `cfg(test)`
// lets clippy treat the helpers as test code (they unwrap).
#[cfg(test)]
mod registry {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha20Rng;
    use serde_json::{json, Value};
    use vouchsafe::primitives::babyjubjub::PointError;
    use vouchsafe::primitives::eddsa::{PublicKey, SecretKey};
    use vouchsafe::primitives::field::{parse_decimal, to_decimal, FieldError};
    use vouchsafe::primitives::Fr;
    use vouchsafe::registry::{Registry, RegistryError, MAX_SNAPSHOT_BYTES};

    const R: &str = "21888242871839275222246405745257275088548364400416034343698204186575808495617";

    fn key(i: u8) -> PublicKey {
        SecretKey::from_seed([i; 32]).public_key()
    }

    /// Three slots (the first withdrawn), one provider with two schemas, five history entries.
    fn sample() -> Registry {
        let (bg, eo) = (Fr::from(11u64), Fr::from(22u64));
        let mut r = Registry::new_at(50);
        r.approve(&key(1), bg, 100).unwrap();
        r.approve(&key(2), bg, 200).unwrap();
        r.approve(&key(2), eo, 200).unwrap();
        r.withdraw(&key(1), bg, 300).unwrap();
        r
    }

    fn value() -> Value {
        serde_json::from_str(&sample().to_snapshot_json()).unwrap()
    }

    fn decode(v: &Value) -> Result<Registry, RegistryError> {
        Registry::from_snapshot_json(&v.to_string())
    }

    fn field_err(location: &str, source: FieldError) -> Result<Registry, RegistryError> {
        Err(RegistryError::Field {
            location: location.to_owned(),
            source,
        })
    }

    fn is_decode(r: Result<Registry, RegistryError>) -> bool {
        matches!(r, Err(RegistryError::Decode { .. }))
    }

    #[test]
    fn round_trip_is_byte_exact() {
        let r = sample();
        let s = r.to_snapshot_json();
        let back = Registry::from_snapshot_json(&s).unwrap();
        assert_eq!(back, r);
        assert_eq!(back.to_snapshot_json(), s);
        assert_eq!(back.history(), r.history());
        assert_eq!(back.entries(), r.entries());

        // The format, spelled out.
        let v: Value = serde_json::from_str(&s).unwrap();
        let p = key(2).point();
        assert_eq!(v["version"], json!(1));
        assert_eq!(v["kind"], json!("vouchsafe-registry"));
        assert_eq!(v["tree"], json!({"arity": 4, "depth": 8}));
        assert_eq!(
            v["approvals"][2],
            json!({"index": 2, "x": to_decimal(&p.x()), "y": to_decimal(&p.y()),
               "schema_id": "22", "withdrawn": false})
        );
        assert_eq!(v["approvals"][0]["withdrawn"], json!(true));
        let times: Vec<u64> = v["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["published_at"].as_u64().unwrap())
            .collect();
        assert_eq!(times, vec![50, 100, 200, 200, 300]);
        assert_eq!(v["history"][4]["root"], json!(to_decimal(&r.root())));
        assert!(s.starts_with(r#"{"version":1,"kind":"vouchsafe-registry","tree":{"arity":4,"depth":8},"approvals":[{"index":0,"x":""#));
    }

    #[test]
    fn decoded_registry_keeps_working() {
        let mut back = Registry::from_snapshot_json(&sample().to_snapshot_json()).unwrap();
        let mut orig = sample();
        // The same next slot, the same refusals, the same roots.
        assert_eq!(back.approve(&key(1), Fr::from(11u64), 400), Ok(3));
        assert_eq!(orig.approve(&key(1), Fr::from(11u64), 400), Ok(3));
        assert_eq!(back.root(), orig.root());
        assert_eq!(
            back.approve(&key(2), Fr::from(22u64), 400),
            Err(RegistryError::AlreadyApproved { index: 2 })
        );
        assert_eq!(
            back.approve(&key(3), Fr::from(1u64), 299),
            Err(RegistryError::ClockRegression {
                last: 400,
                now: 299
            })
        );
    }

    #[test]
    fn pretty_printed_input_is_read_and_rewritten_canonically() {
        let s = sample().to_snapshot_json();
        let pretty = serde_json::to_string_pretty(&value()).unwrap();
        assert_ne!(pretty, s);
        assert_eq!(
            Registry::from_snapshot_json(&pretty)
                .unwrap()
                .to_snapshot_json(),
            s
        );
    }

    #[test]
    fn e07_tampered_roots_and_approvals_are_a_mismatch() {
        let mut v = value();
        v["history"][4]["root"] = json!("12345");
        assert_eq!(decode(&v), Err(RegistryError::SnapshotMismatch));

        // The newest root replaced by an older one.
        let mut v = value();
        v["history"][4]["root"] = v["history"][3]["root"].clone();
        assert_eq!(decode(&v), Err(RegistryError::SnapshotMismatch));

        // An approval moved to another schema.
        let mut v = value();
        v["approvals"][1]["schema_id"] = json!("33");
        assert_eq!(decode(&v), Err(RegistryError::SnapshotMismatch));

        // The withdrawal moved to another slot (same history length).
        let mut v = value();
        v["approvals"][0]["withdrawn"] = json!(false);
        v["approvals"][1]["withdrawn"] = json!(true);
        assert_eq!(decode(&v), Err(RegistryError::SnapshotMismatch));

        // Another key in a slot.
        let mut v = value();
        let p = key(9).point();
        v["approvals"][2]["x"] = json!(to_decimal(&p.x()));
        v["approvals"][2]["y"] = json!(to_decimal(&p.y()));
        assert_eq!(decode(&v), Err(RegistryError::SnapshotMismatch));
    }

    #[test]
    fn a01_a02_field_elements_are_strict() {
        let mut v = value();
        v["approvals"][1]["x"] = json!(R);
        assert_eq!(
            decode(&v),
            field_err("approvals[1].x", FieldError::Overflow)
        );

        let mut v = value();
        v["approvals"][2]["schema_id"] = json!(R);
        assert_eq!(
            decode(&v),
            field_err("approvals[2].schema_id", FieldError::Overflow)
        );

        // r + 22 would be schema 22 if reduced; it is refused.
        let r_plus_22 =
            "21888242871839275222246405745257275088548364400416034343698204186575808495639";
        assert!(parse_decimal(r_plus_22).is_err());
        let mut v = value();
        v["approvals"][2]["schema_id"] = json!(r_plus_22);
        assert_eq!(
            decode(&v),
            field_err("approvals[2].schema_id", FieldError::Overflow)
        );

        let mut v = value();
        v["history"][0]["root"] = json!(R);
        assert_eq!(
            decode(&v),
            field_err("history[0].root", FieldError::Overflow)
        );

        let mut v = value();
        v["approvals"][0]["y"] = json!("-1");
        assert_eq!(
            decode(&v),
            field_err(
                "approvals[0].y",
                FieldError::InvalidCharacter { position: 0 }
            )
        );

        let mut v = value();
        v["approvals"][2]["schema_id"] = json!("022");
        assert_eq!(
            decode(&v),
            field_err("approvals[2].schema_id", FieldError::NonCanonical)
        );

        let mut v = value();
        v["history"][2]["root"] = json!("");
        assert_eq!(decode(&v), field_err("history[2].root", FieldError::Empty));

        let mut v = value();
        v["approvals"][0]["x"] = json!("9".repeat(1_000_000));
        assert_eq!(
            decode(&v),
            field_err(
                "approvals[0].x",
                FieldError::TooLong {
                    max: 77,
                    got: 1_000_000
                }
            )
        );
    }

    #[test]
    fn a13_a_json_number_for_a_field_element_is_refused() {
        let mut v = value();
        v["approvals"][2]["schema_id"] = json!(22);
        assert!(is_decode(decode(&v)));
        let mut v = value();
        v["history"][0]["root"] = json!(1);
        assert!(is_decode(decode(&v)));
    }

    #[test]
    fn a13_unknown_missing_null_and_wrong_typed_fields_are_refused() {
        let mut v = value();
        v["extra"] = json!(1);
        assert!(is_decode(decode(&v)));
        let mut v = value();
        v["tree"]["leaf_tag"] = json!("1");
        assert!(is_decode(decode(&v)));
        let mut v = value();
        v["approvals"][0]["withdrawn_at"] = json!(5);
        assert!(is_decode(decode(&v)));
        let mut v = value();
        v["history"][0]["note"] = json!("x");
        assert!(is_decode(decode(&v)));

        let mut v = value();
        v["approvals"][1]
            .as_object_mut()
            .unwrap()
            .remove("withdrawn");
        assert!(is_decode(decode(&v)));
        let mut v = value();
        v.as_object_mut().unwrap().remove("history");
        assert!(is_decode(decode(&v)));
        let mut v = value();
        v.as_object_mut().unwrap().remove("version");
        assert!(is_decode(decode(&v)));

        let mut v = value();
        v["approvals"][1]["x"] = Value::Null;
        assert!(is_decode(decode(&v)));
        let mut v = value();
        v["history"] = Value::Null;
        assert!(is_decode(decode(&v)));
        let mut v = value();
        v["approvals"][1]["withdrawn"] = json!("false");
        assert!(is_decode(decode(&v)));
        let mut v = value();
        v["approvals"][1]["index"] = json!(1.0);
        assert!(is_decode(decode(&v)));
        let mut v = value();
        v["history"][1]["published_at"] = json!(-1);
        assert!(is_decode(decode(&v)));
        let mut v = value();
        v["kind"] = json!("vouchsafe-credential");
        assert!(is_decode(decode(&v)));
    }

    #[test]
    fn a13_duplicate_keys_are_refused() {
        let s = sample().to_snapshot_json();
        let dup_top = s.replacen(
            r#""kind":"vouchsafe-registry","#,
            r#""kind":"vouchsafe-registry","kind":"vouchsafe-registry","#,
            1,
        );
        assert!(is_decode(Registry::from_snapshot_json(&dup_top)));
        let dup_version = s.replacen(r#"{"version":1,"#, r#"{"version":1,"version":1,"#, 1);
        assert!(is_decode(Registry::from_snapshot_json(&dup_version)));
        let dup_nested = s.replacen(
            r#""withdrawn":true"#,
            r#""withdrawn":true,"withdrawn":false"#,
            1,
        );
        assert!(is_decode(Registry::from_snapshot_json(&dup_nested)));
    }

    #[test]
    fn a13_arrays_in_place_of_objects_are_refused() {
        let v = value();
        // The whole snapshot by position: serde's derive alone would read it.
        let positional = json!([
            1,
            "vouchsafe-registry",
            [4, 8],
            [],
            [v["history"][0].clone()]
        ]);
        assert!(is_decode(decode(&positional)));
        let mut w = value();
        w["tree"] = json!([4, 8]);
        assert!(is_decode(decode(&w)));
        let mut w = value();
        let a = &v["approvals"][1];
        w["approvals"][1] = json!([a["index"], a["x"], a["y"], a["schema_id"], a["withdrawn"]]);
        assert!(is_decode(decode(&w)));
        let mut w = value();
        w["history"][0] = json!([v["history"][0]["root"], 50]);
        assert!(is_decode(decode(&w)));
        for junk in [
            "",
            "null",
            "1",
            "\"x\"",
            "[]",
            "{}",
            "{",
            "[[[",
            "\u{feff}{}",
        ] {
            assert!(is_decode(Registry::from_snapshot_json(junk)), "{junk:?}");
        }
    }

    #[test]
    fn unsupported_version_is_reported_before_the_rest() {
        let mut v = value();
        v["version"] = json!(2);
        assert_eq!(
            decode(&v),
            Err(RegistryError::UnsupportedVersion { got: 2 })
        );
        // A future format with fields this release does not know is still a version error.
        v["new_field"] = json!({"anything": [1, 2, 3]});
        v.as_object_mut().unwrap().remove("approvals");
        assert_eq!(
            decode(&v),
            Err(RegistryError::UnsupportedVersion { got: 2 })
        );
        let mut v = value();
        v["version"] = json!(0);
        assert_eq!(
            decode(&v),
            Err(RegistryError::UnsupportedVersion { got: 0 })
        );
        let mut v = value();
        v["version"] = json!("1");
        assert!(is_decode(decode(&v)));
    }

    #[test]
    fn only_the_circuits_tree_is_accepted() {
        for (arity, depth) in [(2, 8), (4, 7), (4, 16), (0, 0)] {
            let mut v = value();
            v["tree"] = json!({"arity": arity, "depth": depth});
            assert_eq!(
                decode(&v),
                Err(RegistryError::UnsupportedTree { arity, depth })
            );
        }
    }

    #[test]
    fn c03_bad_keys_are_refused() {
        let p = key(2).point();
        let (x, y) = (p.x(), p.y());
        // (-x, -y) = A + (0, -1): on the curve, torsion component of order 2.
        let cases = [
            ((-x, -y), PointError::NotInSubgroup),
            ((Fr::from(0u64), Fr::from(1u64)), PointError::Identity),
            ((Fr::from(0u64), -Fr::from(1u64)), PointError::NotInSubgroup),
            ((Fr::from(1u64), Fr::from(1u64)), PointError::NotOnCurve),
            ((x, y + Fr::from(1u64)), PointError::NotOnCurve),
        ];
        for ((bx, by), source) in cases {
            let mut v = value();
            v["approvals"][1]["x"] = json!(to_decimal(&bx));
            v["approvals"][1]["y"] = json!(to_decimal(&by));
            assert_eq!(decode(&v), Err(RegistryError::BadKey { index: 1, source }));
        }
        // A withdrawn slot's key is checked as well.
        let mut v = value();
        v["approvals"][0]["x"] = json!(to_decimal(&-x));
        v["approvals"][0]["y"] = json!(to_decimal(&-y));
        assert_eq!(
            decode(&v),
            Err(RegistryError::BadKey {
                index: 0,
                source: PointError::NotInSubgroup
            })
        );
    }

    #[test]
    fn indexes_must_be_0_1_2_in_order() {
        let mut v = value();
        v["approvals"][2]["index"] = json!(1);
        assert_eq!(decode(&v), Err(RegistryError::DuplicateIndex { index: 1 }));

        let mut v = value();
        v["approvals"][2]["index"] = json!(5);
        assert_eq!(
            decode(&v),
            Err(RegistryError::IndexGap {
                position: 2,
                got: 5
            })
        );

        let mut v = value();
        v["approvals"][0]["index"] = json!(1);
        v["approvals"][1]["index"] = json!(0);
        assert_eq!(
            decode(&v),
            Err(RegistryError::IndexGap {
                position: 0,
                got: 1
            })
        );

        for index in [65_536u64, u64::MAX] {
            let mut v = value();
            v["approvals"][2]["index"] = json!(index);
            assert_eq!(
                decode(&v),
                Err(RegistryError::IndexOutOfRange {
                    index,
                    capacity: 65_536
                })
            );
        }
    }

    #[test]
    fn the_history_must_match_the_changes_and_go_forward() {
        let mut v = value();
        v["history"].as_array_mut().unwrap().remove(1);
        assert_eq!(
            decode(&v),
            Err(RegistryError::HistoryLength {
                expected: 5,
                got: 4
            })
        );

        let mut v = value();
        v["history"] = json!([]);
        assert_eq!(
            decode(&v),
            Err(RegistryError::HistoryLength {
                expected: 5,
                got: 0
            })
        );

        // An extra old root, e.g. injected to extend its acceptance.
        let mut v = value();
        let extra = json!({"root": "777", "published_at": 299});
        v["history"].as_array_mut().unwrap().insert(4, extra);
        assert_eq!(
            decode(&v),
            Err(RegistryError::HistoryLength {
                expected: 5,
                got: 6
            })
        );

        let mut v = value();
        v["history"][2]["published_at"] = json!(99);
        assert_eq!(decode(&v), Err(RegistryError::HistoryOrder { position: 2 }));

        // Equal times are fine (two changes in one second).
        let mut v = value();
        v["history"][1]["published_at"] = json!(50);
        assert!(decode(&v).is_ok());
    }

    #[test]
    fn the_same_pair_cannot_be_approved_twice_at_once() {
        let mut v = value();
        let mut dup = v["approvals"][2].clone();
        dup["index"] = json!(3);
        v["approvals"].as_array_mut().unwrap().push(dup);
        let last = v["history"][4].clone();
        v["history"].as_array_mut().unwrap().push(last);
        assert_eq!(
            decode(&v),
            Err(RegistryError::DuplicateApproval {
                first: 2,
                second: 3
            })
        );

        // Approved again after a withdrawal is fine: the snapshot of such a registry reads back.
        let mut r = sample();
        r.approve(&key(1), Fr::from(11u64), 400).unwrap();
        let s = r.to_snapshot_json();
        assert_eq!(
            Registry::from_snapshot_json(&s).unwrap().to_snapshot_json(),
            s
        );
    }

    #[test]
    fn a12_oversized_input_is_refused_before_parsing() {
        // Not JSON at all: only a size check can produce TooLarge.
        let big = "x".repeat(MAX_SNAPSHOT_BYTES + 1);
        assert_eq!(
            Registry::from_snapshot_json(&big),
            Err(RegistryError::TooLarge {
                max: MAX_SNAPSHOT_BYTES,
                got: MAX_SNAPSHOT_BYTES + 1
            })
        );
        // A valid snapshot padded past the limit with whitespace is refused the same way.
        let mut padded = sample().to_snapshot_json();
        padded.push_str(&" ".repeat(MAX_SNAPSHOT_BYTES + 1 - padded.len()));
        assert!(matches!(
            Registry::from_snapshot_json(&padded),
            Err(RegistryError::TooLarge { .. })
        ));
        // At exactly the limit it is read.
        padded.pop();
        assert!(Registry::from_snapshot_json(&padded).is_ok());
    }

    #[test]
    fn a12_the_size_limit_fits_a_full_registry() {
        // The longest approval and history entries (77-digit field elements, largest integers);
        // a full registry with every approval withdrawn has 65,536 of the first and 131,073 of the
        // second. Its snapshot must be readable.
        let d77 = "1".repeat(77);
        let approval = format!(
            r#"{{"index":65535,"x":"{d77}","y":"{d77}","schema_id":"{d77}","withdrawn":false}},"#
        );
        let entry = format!(r#"{{"root":"{d77}","published_at":{}}},"#, u64::MAX);
        let header = r#"{"version":1,"kind":"vouchsafe-registry","tree":{"arity":4,"depth":8},"approvals":[],"history":[]}"#;
        let worst = 65_536 * approval.len() + 131_073 * entry.len() + header.len();
        assert!(worst < MAX_SNAPSHOT_BYTES, "{worst}");
    }

    #[test]
    fn a12_deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(is_decode(Registry::from_snapshot_json(&deep)));
        let deep_obj = format!(
            r#"{{"version":1,"x":{}1{}}}"#,
            r#"{"a":"#.repeat(50_000),
            "}".repeat(50_000)
        );
        assert!(is_decode(Registry::from_snapshot_json(&deep_obj)));
    }

    #[test]
    fn k01_mutated_snapshots_never_panic() {
        let s = sample().to_snapshot_json();
        let bytes = s.as_bytes();
        // Every prefix.
        for cut in 0..bytes.len() {
            if let Ok(prefix) = std::str::from_utf8(&bytes[..cut]) {
                assert!(Registry::from_snapshot_json(prefix).is_err());
            }
        }
        // Seeded random byte edits.
        let mut rng = ChaCha20Rng::seed_from_u64(0x5eed);
        let alphabet = b"0123456789-+.eE\"{}[],: tfnx";
        let mut accepted = 0;
        for _ in 0..400 {
            let mut m = bytes.to_vec();
            for _ in 0..rng.gen_range(1..4) {
                let i = rng.gen_range(0..m.len());
                m[i] = alphabet[rng.gen_range(0..alphabet.len())];
            }
            if let Ok(text) = std::str::from_utf8(&m) {
                if let Ok(r) = Registry::from_snapshot_json(text) {
                    // Whatever is accepted is self-consistent.
                    accepted += 1;
                    assert_eq!(Registry::from_snapshot_json(&r.to_snapshot_json()), Ok(r));
                }
            }
        }
        // Edits that only touch whitespace-equivalent spots may be accepted; most are not.
        assert!(accepted < 100, "{accepted}");
    }
}
