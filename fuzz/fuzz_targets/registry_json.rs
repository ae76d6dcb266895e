//! Registry snapshot JSON (FORMATS.md 2.5), through both decoders that read it.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vouchsafe::registry::{AcceptedRoots, Registry};

fuzz_target!(|data: &[u8]| {
    vouchsafe_fuzz::json_round_trip(
        data,
        Registry::from_snapshot_json,
        Registry::to_snapshot_json,
    );
    if let Ok(text) = std::str::from_utf8(data) {
        let registry = Registry::from_snapshot_json(text);
        let roots = AcceptedRoots::from_snapshot_json(text);
        match (registry, roots) {
            (Ok(r), Ok(a)) => assert_eq!(r.accepted_roots(), a),
            (Err(e), Err(f)) => assert_eq!(e.to_string(), f.to_string()),
            (r, a) => panic!("the two decoders disagree: {r:?} / {a:?}"),
        }
    }
});
