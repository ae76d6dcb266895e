//! `Verifier::verify` on arbitrary presentations against one fixed request (the session of
//! `vouchsafe_fuzz::session`, whose nonce store lets the request be answered again and again).
//! Oracle: no panic, and nothing verifies but a presentation with exactly the public values
//! the honest one has (the proof may differ: Groth16 proofs are malleable, SECURITY.md 1.4).
#![no_main]
use libfuzzer_sys::fuzz_target;
use vouchsafe::verifier::Presentation;
use vouchsafe_fuzz::{check_committed_seed, session, NOW};

fuzz_target!(init: check_committed_seed(), |data: &[u8]| {
    let s = session();
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(p) = Presentation::from_json(text) else {
        return;
    };
    if s.verifier.verify(&s.request, &p, NOW).is_ok() {
        let honest = &s.presentation;
        assert_eq!(
            (p.issuers_root, p.revocation_root, p.nullifier),
            (honest.issuers_root, honest.revocation_root, honest.nullifier),
            "a presentation with other public values verified"
        );
    }
});
