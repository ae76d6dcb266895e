//! Writes the seed corpora, `fuzz/seeds/<target>/`, from the fixed session of
//! `vouchsafe_fuzz::session` (deterministic: a fixed RNG seed), or with `--check` verifies that
//! the committed seeds are exactly what it would write (CI runs this, so that the `verify`
//! target's seed is a presentation that really verifies).
//!
//!   cargo run --release --manifest-path fuzz/Cargo.toml --example make_seeds [-- --check]

use ark_ff::Field;
use std::collections::BTreeMap;
use std::path::PathBuf;
use vouchsafe::provider::public_key_to_json;
use vouchsafe::schema::Schema;
use vouchsafe_circuits::field;
use vouchsafe_fuzz::session;

fn prefixed(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    v.extend_from_slice(body);
    v
}

fn seeds() -> BTreeMap<(&'static str, String), Vec<u8>> {
    let s = session();
    let mut out = BTreeMap::new();
    let mut put = |target: &'static str, name: &str, bytes: Vec<u8>| {
        out.insert((target, name.to_owned()), bytes);
    };
    let proof = s.presentation.proof.to_bytes();
    put("proof", "honest", proof.to_vec());
    put("verifying_key", "honest", s.vk.to_bytes());

    let key = s.provider.public_key();
    put(
        "babyjubjub_point",
        "point",
        prefixed(0, &key.point().pack()),
    );
    put(
        "babyjubjub_point",
        "public_key",
        prefixed(1, &key.to_bytes()),
    );
    put(
        "babyjubjub_point",
        "signature",
        prefixed(2, &s.credential.signature().to_bytes()),
    );

    let serial = s.credential.credential().serial();
    let r_minus_1 = -vouchsafe_circuits::Fr::from(1u64);
    put(
        "field_element",
        "decimal",
        prefixed(0, field::to_decimal(&serial).as_bytes()),
    );
    put(
        "field_element",
        "decimal_r_minus_1",
        prefixed(0, field::to_decimal(&r_minus_1).as_bytes()),
    );
    put(
        "field_element",
        "hex",
        prefixed(1, field::to_hex(&serial).as_bytes()),
    );
    put(
        "field_element",
        "le",
        prefixed(2, &field::to_bytes_le(&serial)),
    );
    put(
        "field_element",
        "be",
        prefixed(3, &field::to_bytes_be(&r_minus_1)),
    );
    put(
        "field_element",
        "holder_secret",
        prefixed(4, &field::to_bytes_le(&serial)),
    );

    for schema in Schema::all_builtin() {
        put(
            "schema_json",
            &schema.name().replace('/', "_"),
            schema.to_json().into_bytes(),
        );
    }
    put(
        "credential_json",
        "eo_insurance",
        s.credential
            .to_json(&s.schema)
            .expect("schema")
            .into_bytes(),
    );
    put(
        "provider_json",
        "public_key",
        prefixed(0, public_key_to_json(&key).as_bytes()),
    );
    put(
        "provider_json",
        "secret",
        prefixed(1, s.provider.export_secret_json().as_bytes()),
    );
    put(
        "registry_json",
        "one_approval",
        s.registry.to_snapshot_json().into_bytes(),
    );
    put(
        "revocation_request_json",
        "signed",
        s.revocation_request.to_json().into_bytes(),
    );
    put(
        "revocation_list_json",
        "one_revoked",
        s.revocations.to_json().into_bytes(),
    );
    put(
        "request_json",
        "with_scope",
        s.request.to_json().into_bytes(),
    );
    put(
        "presentation_json",
        "honest",
        s.presentation.to_json().into_bytes(),
    );
    let holder_secret = vouchsafe::holder::HolderSecret::from_bytes(&field::to_bytes_le(&serial))
        .expect("a field element is a holder secret");
    put(
        "cli_state_json",
        "holder_secret",
        prefixed(
            0,
            vouchsafe_cli::state::holder_secret_json(&holder_secret).as_bytes(),
        ),
    );
    let mut challenges = std::collections::BTreeMap::new();
    challenges.insert(
        field::to_decimal(&s.request.challenge()),
        vouchsafe::verifier::IssuedChallenge::new(s.request.digest(), s.request.expires_at()),
    );
    put(
        "cli_state_json",
        "verifier_state",
        prefixed(
            1,
            vouchsafe_cli::state::verifier_state_json("client:fuzz", &challenges).as_bytes(),
        ),
    );
    put("verify", "honest", s.presentation.to_json().into_bytes());
    // Edits (see the target): scale A by 2 and B by 1 + (r - 1) / 2, the inverse of 2, which
    // is a re-randomization and verifies; then the fuzzer mutates the factors.
    let half = (vouchsafe_circuits::Fr::from(2u64))
        .inverse()
        .expect("2 is invertible");
    let mut edits = vec![3u8];
    edits.extend_from_slice(&field::to_bytes_le(&vouchsafe_circuits::Fr::from(1u64)));
    edits.push(4);
    edits.extend_from_slice(&field::to_bytes_le(
        &(half - vouchsafe_circuits::Fr::from(1u64)),
    ));
    put("verify", "edits", edits);
    out
}

fn main() {
    let check = std::env::args().any(|a| a == "--check");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut stale = 0;
    for ((target, name), bytes) in seeds() {
        let path = root.join(target).join(name);
        if check {
            if std::fs::read(&path).ok().as_deref() != Some(&bytes[..]) {
                eprintln!("stale or missing seed: {}", path.display());
                stale += 1;
            }
        } else {
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, bytes).expect("write");
        }
    }
    if stale > 0 {
        eprintln!("{stale} seeds differ: run make_seeds without --check and commit fuzz/seeds");
        std::process::exit(1);
    }
    println!("seeds {}", if check { "match" } else { "written" });
}
