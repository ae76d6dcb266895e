//! The approved-provider registry: approvals per schema, withdrawals, roots and paths, through
//! the public API.

// Test code: a failed unwrap is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

// The module name makes `cargo test -p vouchsafe registry` select these tests; `cfg(test)`
// lets clippy treat the helpers as test code (they unwrap).
#[cfg(test)]
mod registry {
    use vouchsafe::primitives::eddsa::{PublicKey, SecretKey};
    use vouchsafe::primitives::field::hash_to_field;
    use vouchsafe::primitives::merkle::MerklePath;
    use vouchsafe::primitives::presentation::{issuer_leaf, ISSUER_TREE_ARITY, ISSUER_TREE_DEPTH};
    use vouchsafe::primitives::Fr;
    use vouchsafe::registry::{ApprovalStatus, Registry, RegistryError};

    fn key(i: u32) -> PublicKey {
        let mut seed = [0u8; 32];
        seed[..4].copy_from_slice(&i.to_le_bytes());
        seed[31] = 0x5a;
        SecretKey::from_seed(seed).public_key()
    }

    fn schema(name: &str) -> Fr {
        hash_to_field(b"test/schema", name.as_bytes())
    }

    fn verifies(path: &MerklePath, root: Fr, provider: &PublicKey, schema_id: Fr) -> bool {
        path.verify(
            ISSUER_TREE_ARITY,
            ISSUER_TREE_DEPTH,
            root,
            issuer_leaf(&provider.point(), &schema_id),
        )
    }

    #[test]
    fn new_registry_publishes_the_empty_root() {
        let r = Registry::new();
        assert_eq!(r.history().len(), 1);
        assert_eq!(r.history()[0].root, r.root());
        assert_eq!(r.history()[0].published_at, 0);
        assert!(r.is_empty());
        assert_eq!(r.capacity(), 65_536);
        assert_eq!(Registry::new_at(1234).history()[0].published_at, 1234);
        assert_eq!(Registry::new_at(1234).root(), r.root());
    }

    #[test]
    fn approve_and_withdraw_change_the_root_and_publish_it() {
        let (a, b) = (key(1), key(2));
        let bg = schema("background-check");
        let mut r = Registry::new();
        let r0 = r.root();

        assert_eq!(r.approve(&a, bg, 100), Ok(0));
        let r1 = r.root();
        assert_ne!(r1, r0);
        assert_eq!(r.approve(&b, bg, 200), Ok(1));
        let r2 = r.root();
        assert_ne!(r2, r1);
        assert_eq!(r.withdraw(&a, bg, 300), Ok(()));
        let r3 = r.root();
        assert!(r3 != r0 && r3 != r1 && r3 != r2);

        let history: Vec<(Fr, u64)> = r
            .history()
            .iter()
            .map(|p| (p.root, p.published_at))
            .collect();
        assert_eq!(history, vec![(r0, 0), (r1, 100), (r2, 200), (r3, 300)]);
        assert_eq!(r.len(), 1);
        assert_eq!(r.last_published_at(), 300);
    }

    #[test]
    fn approval_paths_verify_against_the_root_and_only_for_their_leaf() {
        let (a, b) = (key(1), key(2));
        let (bg, eo) = (schema("background-check"), schema("eo-insurance"));
        let mut r = Registry::new();
        r.approve(&a, bg, 1).unwrap();
        r.approve(&b, eo, 2).unwrap();
        r.approve(&a, eo, 3).unwrap();
        let root = r.root();

        for (p, s, index) in [(&a, bg, 0), (&b, eo, 1), (&a, eo, 2)] {
            let path = r.approval_path(p, s).unwrap();
            assert_eq!(path.index, index);
            assert_eq!(path.depth(), ISSUER_TREE_DEPTH);
            assert!(verifies(&path, root, p, s));
        }
        // E01 natively: a valid path proves its own leaf only, not the same key under another
        // schema nor another key under the same schema.
        let path = r.approval_path(&b, eo).unwrap();
        assert!(!verifies(&path, root, &b, bg));
        assert!(!verifies(&path, root, &a, eo));
        // Against an older root the path does not verify.
        assert!(!verifies(&path, r.history()[2].root, &b, eo));
    }

    #[test]
    fn paths_follow_withdrawals() {
        let (a, b) = (key(1), key(2));
        let s = schema("id");
        let mut r = Registry::new();
        r.approve(&a, s, 1).unwrap();
        r.approve(&b, s, 2).unwrap();
        let old_path = r.approval_path(&b, s).unwrap();
        r.withdraw(&a, s, 3).unwrap();
        // b's path changed (its sibling emptied) and the new one verifies against the new root.
        let path = r.approval_path(&b, s).unwrap();
        assert!(verifies(&path, r.root(), &b, s));
        assert!(!verifies(&old_path, r.root(), &b, s));
        assert_eq!(r.approval_path(&a, s), Err(RegistryError::NotApproved));
    }

    #[test]
    fn approval_status_distinguishes_other_schemas_from_not_approved() {
        let (a, c) = (key(1), key(3));
        let (bg, eo) = (schema("background-check"), schema("eo-insurance"));
        let mut r = Registry::new();
        r.approve(&a, bg, 10).unwrap();

        assert_eq!(r.approval_status(&a, bg), ApprovalStatus::Approved);
        assert_eq!(r.approval_status(&a, eo), ApprovalStatus::OnlyOtherSchemas);
        assert_eq!(r.approval_status(&c, bg), ApprovalStatus::NotApproved);
        assert_eq!(r.approval_path(&a, eo), Err(RegistryError::NotApproved));

        // Once the only approval is withdrawn, the provider is not approved at all.
        r.withdraw(&a, bg, 20).unwrap();
        assert_eq!(r.approval_status(&a, bg), ApprovalStatus::NotApproved);
        assert_eq!(r.approval_status(&a, eo), ApprovalStatus::NotApproved);

        // Two schemas, one withdrawn: the other still counts.
        r.approve(&a, bg, 30).unwrap();
        r.approve(&a, eo, 30).unwrap();
        r.withdraw(&a, eo, 31).unwrap();
        assert_eq!(r.approval_status(&a, eo), ApprovalStatus::OnlyOtherSchemas);
        assert_eq!(r.approval_status(&a, bg), ApprovalStatus::Approved);
    }

    #[test]
    fn exact_error_variants_and_no_change_on_error() {
        let (a, b) = (key(1), key(2));
        let s = schema("credit");
        let mut r = Registry::new();
        r.approve(&a, s, 100).unwrap();
        let before = r.clone();

        assert_eq!(
            r.approve(&a, s, 101),
            Err(RegistryError::AlreadyApproved { index: 0 })
        );
        assert_eq!(r.withdraw(&b, s, 101), Err(RegistryError::NotApproved));
        assert_eq!(
            r.withdraw(&a, schema("other"), 101),
            Err(RegistryError::NotApproved)
        );
        assert_eq!(
            r.approve(&b, s, 99),
            Err(RegistryError::ClockRegression { last: 100, now: 99 })
        );
        assert_eq!(
            r.withdraw(&a, s, 99),
            Err(RegistryError::ClockRegression { last: 100, now: 99 })
        );
        assert_eq!(r, before);

        r.withdraw(&a, s, 100).unwrap();
        assert_eq!(r.withdraw(&a, s, 100), Err(RegistryError::NotApproved));
    }

    #[test]
    fn slots_are_not_reused() {
        let (a, b) = (key(1), key(2));
        let s = schema("background-check");
        let mut r = Registry::new();
        assert_eq!(r.approve(&a, s, 1), Ok(0));
        r.withdraw(&a, s, 2).unwrap();
        assert_eq!(r.approve(&b, s, 3), Ok(1));
        // Re-approving the withdrawn pair takes a fresh slot.
        assert_eq!(r.approve(&a, s, 4), Ok(2));
        assert_eq!(r.approval_path(&a, s).unwrap().index, 2);

        let entries: Vec<(u64, bool)> = r
            .entries()
            .iter()
            .map(|e| (e.index(), e.is_withdrawn()))
            .collect();
        assert_eq!(entries, vec![(0, true), (1, false), (2, false)]);
        let active: Vec<u64> = r.approvals().map(|e| e.index()).collect();
        assert_eq!(active, vec![1, 2]);
        for e in r.approvals() {
            assert_eq!(e.leaf(), issuer_leaf(&e.provider().point(), &e.schema_id()));
        }
    }

    #[test]
    fn withdrawing_the_newest_approval_restores_the_previous_root() {
        let (a, b) = (key(1), key(2));
        let s = schema("id");
        let mut r = Registry::new();
        let empty = r.root();
        r.approve(&a, s, 1).unwrap();
        let one = r.root();
        r.approve(&b, s, 2).unwrap();
        r.withdraw(&b, s, 3).unwrap();
        // The tree holds the same values as after the first approval.
        assert_eq!(r.root(), one);
        r.withdraw(&a, s, 4).unwrap();
        assert_eq!(r.root(), empty);
        assert_eq!(r.history().len(), 5);
    }

    #[test]
    fn two_thousand_approvals_build_and_their_paths_verify() {
        // 500 providers x 4 schemas.
        let keys: Vec<PublicKey> = (0..500).map(key).collect();
        let schemas: Vec<Fr> = ["bg", "id", "eo", "credit"]
            .iter()
            .map(|n| schema(n))
            .collect();
        let mut r = Registry::new();
        let mut n = 0u64;
        for s in &schemas {
            for k in &keys {
                assert_eq!(r.approve(k, *s, 1_000 + n), Ok(n));
                n += 1;
            }
        }
        assert_eq!(r.len(), 2_000);
        assert_eq!(r.history().len(), 2_001);
        let root = r.root();
        // A sample of paths, first and last included.
        for i in (0..2_000usize).step_by(97).chain([1_999]) {
            let (k, s) = (&keys[i % 500], schemas[i / 500]);
            let path = r.approval_path(k, s).unwrap();
            assert_eq!(path.index, i as u64);
            assert!(verifies(&path, root, k, s));
        }
        // The snapshot of a large registry reads back to the same registry.
        let json = r.to_snapshot_json();
        let back = Registry::from_snapshot_json(&json).unwrap();
        assert_eq!(back.root(), root);
        assert_eq!(back.to_snapshot_json(), json);
    }
}
