//! SECURITY.md E07: which roots a verifier accepts, and for how long after they are replaced.
//!
//! The window is half-open: a root replaced at `t` is `WithinWindow` while `now - t < window`
//! and `Stale` from `now - t == window` on (documented in `vouchsafe::registry`).

// Test code: a failed unwrap is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

// The module name makes `cargo test -p vouchsafe registry` select these tests; `cfg(test)`
// lets clippy treat the helpers as test code (they unwrap).
#[cfg(test)]
mod registry {
    use vouchsafe::primitives::eddsa::{PublicKey, SecretKey};
    use vouchsafe::primitives::Fr;
    use vouchsafe::registry::{AcceptedRoots, PublishedRoot, Registry, RootStatus};

    const WINDOW: u64 = 600;

    fn key(i: u8) -> PublicKey {
        SecretKey::from_seed([i; 32]).public_key()
    }

    /// new() at t=0 (r0), approve at t=100 (r1), approve at t=200 (r2), withdraw at t=300 (r3).
    fn timeline() -> (Registry, [Fr; 4]) {
        let s = Fr::from(42u64);
        let mut r = Registry::new();
        let r0 = r.root();
        r.approve(&key(1), s, 100).unwrap();
        let r1 = r.root();
        r.approve(&key(2), s, 200).unwrap();
        let r2 = r.root();
        // Withdraw the first approval, so that r3 differs from every earlier root.
        r.withdraw(&key(1), s, 300).unwrap();
        let r3 = r.root();
        (r, [r0, r1, r2, r3])
    }

    /// Checks the registry and the verifier-side list agree, and returns the status.
    fn status(r: &Registry, root: &Fr, now: u64, window: u64) -> RootStatus {
        let from_registry = r.root_status(root, now, window);
        assert_eq!(r.accepted_roots().status(root, now, window), from_registry);
        assert_eq!(
            AcceptedRoots::from(r).status(root, now, window),
            from_registry
        );
        from_registry
    }

    #[test]
    fn e07_current_root_is_current_at_any_time() {
        let (r, [_, _, _, r3]) = timeline();
        for now in [0, 299, 300, 301, 10_000, u64::MAX] {
            assert_eq!(status(&r, &r3, now, WINDOW), RootStatus::Current);
            assert_eq!(status(&r, &r3, now, 0), RootStatus::Current);
        }
    }

    #[test]
    fn e07_replaced_roots_expire_exactly_at_the_window_boundary() {
        let (r, [r0, r1, r2, _]) = timeline();
        // (root, the time it was replaced)
        for (root, replaced_at) in [(r0, 100), (r1, 200), (r2, 300)] {
            // Replaced just now, and a second before the boundary.
            assert_eq!(
                status(&r, &root, replaced_at, WINDOW),
                RootStatus::WithinWindow
            );
            assert_eq!(
                status(&r, &root, replaced_at + WINDOW - 1, WINDOW),
                RootStatus::WithinWindow
            );
            // now - replaced_at == window: stale (half-open window).
            assert_eq!(
                status(&r, &root, replaced_at + WINDOW, WINDOW),
                RootStatus::Stale
            );
            assert_eq!(
                status(&r, &root, replaced_at + WINDOW + 1, WINDOW),
                RootStatus::Stale
            );
            assert!(!status(&r, &root, replaced_at + WINDOW, WINDOW).is_accepted());
            assert!(status(&r, &root, replaced_at + WINDOW - 1, WINDOW).is_accepted());
        }
    }

    #[test]
    fn e07_statuses_at_one_instant() {
        let (r, [r0, r1, r2, r3]) = timeline();
        // At t=750: r0 replaced 650 s ago, r1 550 s ago, r2 450 s ago.
        let at = |root: &Fr| status(&r, root, 750, WINDOW);
        assert_eq!(at(&r0), RootStatus::Stale);
        assert_eq!(at(&r1), RootStatus::WithinWindow);
        assert_eq!(at(&r2), RootStatus::WithinWindow);
        assert_eq!(at(&r3), RootStatus::Current);
        // At t=900 only the current root remains.
        assert_eq!(status(&r, &r2, 900, WINDOW), RootStatus::Stale);
        assert_eq!(status(&r, &r3, 900, WINDOW), RootStatus::Current);
    }

    #[test]
    fn e07_zero_window_accepts_only_the_current_root() {
        let (r, [r0, r1, r2, r3]) = timeline();
        for root in [r0, r1, r2] {
            assert_eq!(status(&r, &root, 300, 0), RootStatus::Stale);
        }
        assert_eq!(status(&r, &r3, 300, 0), RootStatus::Current);
        // A verifier clock behind the replacement: the root was still current at `now`.
        assert_eq!(status(&r, &r2, 299, 0), RootStatus::WithinWindow);
    }

    #[test]
    fn e06_unknown_roots() {
        let (r, _) = timeline();
        for root in [
            Fr::from(0u64),
            Fr::from(1u64),
            Fr::from(0xdead_beef_u64),
            -Fr::from(1u64),
        ] {
            assert_eq!(status(&r, &root, 300, WINDOW), RootStatus::Unknown);
            assert!(!RootStatus::Unknown.is_accepted());
        }
        assert_eq!(
            AcceptedRoots::default().status(&r.root(), 0, WINDOW),
            RootStatus::Unknown
        );
        assert_eq!(AcceptedRoots::default().current(), None);
    }

    #[test]
    fn e07_a_republished_root_is_current_again() {
        let s = Fr::from(42u64);
        let mut r = Registry::new();
        r.approve(&key(1), s, 100).unwrap();
        let r1 = r.root();
        r.approve(&key(2), s, 200).unwrap();
        let r2 = r.root();
        r.withdraw(&key(2), s, 300).unwrap();
        // Same approved set as after t=100: same root, current again.
        assert_eq!(r.root(), r1);
        assert_eq!(status(&r, &r1, 10_000, WINDOW), RootStatus::Current);
        assert_eq!(status(&r, &r2, 899, WINDOW), RootStatus::WithinWindow);
        assert_eq!(status(&r, &r2, 900, WINDOW), RootStatus::Stale);
    }

    #[test]
    fn accepted_roots_from_the_public_history_only() {
        let (r, [r0, _, r2, r3]) = timeline();
        // A verifier that keeps only the published list, e.g. received from the marketplace.
        let roots: Vec<PublishedRoot> = r.history().to_vec();
        let v = AcceptedRoots { roots };
        assert_eq!(v.current(), Some(r3));
        assert_eq!(v.status(&r2, 899, WINDOW), RootStatus::WithinWindow);
        assert_eq!(v.status(&r0, 700, WINDOW), RootStatus::Stale);
        // And from the snapshot.
        let v2 = AcceptedRoots::from_snapshot_json(&r.to_snapshot_json()).unwrap();
        assert_eq!(v2, v);
    }
}
