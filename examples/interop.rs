//! The Rust half of the interoperability test against snarkjs and circomlibjs (issue 6, items
//! 3 and 4). `tests/interop/run.sh` drives it, with the Node half (`tests/interop/*.js`); see
//! `tests/interop/README.md`. Two steps, all data in files in `DIR`:
//!
//! - `cargo run --example interop -- prepare DIR` writes
//!   - `credential_template.json`: the 16 slots of a background-check credential for this
//!     example's holder, which `circomlibjs.js sign` hashes with circomlibjs' Poseidon and
//!     signs with `signPoseidon`;
//!   - `vouchsafe_signed.json`: a credential issued by a vouchsafe [`Provider`], for
//!     `circomlibjs.js verify` (circomlibjs' `verifyPoseidon`).
//! - `cargo run --example interop -- prove DIR` (after `circomlibjs.js sign`)
//!   - reads `circomlibjs_provider.json` and `circomlibjs_signed.json`, approves the
//!     circomlibjs provider's key, and has the holder accept, prove and the verifier verify the
//!     circomlibjs-signed credential; altered copies must be refused with
//!     [`ProveError::BadSignature`];
//!   - proves a presentation of a vouchsafe-issued credential and exports it with
//!     [`vouchsafe::export::snarkjs`] into `snarkjs/<case>/`, once as is and in altered forms,
//!     each with a file `expect` holding the message `snarkjs groth16 verify` must answer with
//!     (`OK!`, `Invalid proof` or `Proof commitments are not valid`). vouchsafe itself must give
//!     the same answers.
//!
//! Prints one `PASS`/`FAIL` line per check and exits with 1 if any check failed, 2 on bad
//! usage or input.

use ark_ec::{AffineRepr, CurveGroup};
use ark_serialize::CanonicalSerialize;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use vouchsafe::credential::{ClaimValue, CredentialBuilder, SignedCredential};
use vouchsafe::export::snarkjs;
use vouchsafe::holder::{Holder, HolderSecret, ProveError};
use vouchsafe::keys::{setup_for_development, Proof, ProvingKey, VerifyingKey};
use vouchsafe::primitives::field;
use vouchsafe::primitives::presentation::{Op, Policy, Predicate};
use vouchsafe::primitives::Fr;
use vouchsafe::provider::{self, Provider};
use vouchsafe::registry::Registry;
use vouchsafe::revocation::RevocationList;
use vouchsafe::schema::Schema;
use vouchsafe::verifier::{self, TrustedRoots, Verifier, VerifierConfig, VerifyError};

type Error = Box<dyn std::error::Error>;

const NOW: u64 = 1_800_000_000;
const DAY: u64 = 86_400;
const HOLDER_SECRET: [u8; 32] = [5; 32];
const PROVIDER_SEED: [u8; 32] = [9; 32];

const TEMPLATE: &str = "credential_template.json";
const VOUCHSAFE_SIGNED: &str = "vouchsafe_signed.json";
const CIRCOMLIBJS_PROVIDER: &str = "circomlibjs_provider.json";
const CIRCOMLIBJS_SIGNED: &str = "circomlibjs_signed.json";

/// Counts the checks and prints each.
#[derive(Default)]
struct Report {
    failed: usize,
}

impl Report {
    fn check(&mut self, ok: bool, what: &str, detail: impl std::fmt::Display) {
        if ok {
            println!("PASS  {what}");
        } else {
            self.failed += 1;
            println!("FAIL  {what}: {detail}");
        }
    }

    /// `result` must be exactly `Err(expected)`.
    fn refused<T, E: PartialEq + std::fmt::Debug>(
        &mut self,
        result: Result<T, E>,
        expected: &E,
        what: &str,
    ) {
        match result {
            Err(e) if e == *expected => self.check(true, what, ""),
            Err(e) => self.check(false, what, format!("refused with {e:?}, not {expected:?}")),
            Ok(_) => self.check(false, what, "accepted"),
        }
    }
}

fn holder() -> Result<Holder, Error> {
    Ok(Holder::new(HolderSecret::from_bytes(&HOLDER_SECRET)?))
}

fn background_credential(
    holder: &Holder,
    serial: u64,
) -> Result<vouchsafe::credential::Credential, Error> {
    let schema = Schema::background_check();
    Ok(CredentialBuilder::new(&schema)
        .holder(holder.commitment())
        .serial(Fr::from(serial))
        .validity(NOW - DAY, NOW + 365 * DAY)
        .claim("result", ClaimValue::U64(1))
        .claim("package_level", ClaimValue::U64(3))
        .claim("jurisdiction", ClaimValue::text("US-CA"))
        .claim(
            "checked_pii",
            ClaimValue::Pii {
                data: b"Jane Doe|123-45-6789".to_vec(),
                salt: [7; 32],
            },
        )
        .build()?)
}

/// "result == 1 and package_level >= 2".
fn policy() -> Result<Policy, Error> {
    let schema = Schema::background_check();
    let slot = |name: &str| schema.slot_of(name).ok_or("no such claim");
    let mut predicates = [Predicate::none(); 4];
    predicates[0] = Predicate::compare(slot("result")?, Op::Eq, 1)?;
    predicates[1] = Predicate::compare(slot("package_level")?, Op::Ge, 2)?;
    Ok(Policy {
        schema_id: schema.id(),
        predicates,
    })
}

fn write(path: &Path, contents: &str) -> Result<(), Error> {
    std::fs::write(path, contents).map_err(|e| format!("{}: {e}", path.display()).into())
}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()).into())
}

/// `prepare DIR`: the template for the circomlibjs provider and a vouchsafe-signed credential.
fn prepare(dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir)?;
    let schema = Schema::background_check();
    let holder = holder()?;
    let template = background_credential(&holder, 1001)?;
    let slots: Vec<String> = template.slots().iter().map(field::to_decimal).collect();
    let j = json!({
        "schema": { "name": schema.name(), "version": schema.version() },
        "slots": slots,
    });
    write(&dir.join(TEMPLATE), &format!("{j:#}\n"))?;

    let signed = Provider::from_seed(PROVIDER_SEED).issue(background_credential(&holder, 2002)?);
    write(
        &dir.join(VOUCHSAFE_SIGNED),
        &format!("{}\n", signed.to_json(&schema)?),
    )?;
    println!(
        "wrote {} and {} in {}",
        TEMPLATE,
        VOUCHSAFE_SIGNED,
        dir.display()
    );
    Ok(())
}

/// The parties of `prove`: keys, registry, revocations, holder, verifier.
struct World {
    pk: ProvingKey,
    vk: VerifyingKey,
    registry: Registry,
    revocations: RevocationList,
    holder: Holder,
}

impl World {
    fn verifier(&self, id: &str) -> Verifier<TrustedRoots> {
        Verifier::new(
            self.vk.prepare(),
            VerifierConfig::new(id),
            TrustedRoots {
                issuers: vec![self.registry.root()],
                revocations: vec![self.revocations.root()],
            },
        )
    }
}

/// Replaces one field of the credential JSON `j` (`pointer` as in RFC 6901) with `value`.
fn altered(j: &Value, pointer: &str, value: &str) -> Result<String, Error> {
    let mut j = j.clone();
    let slot = j.pointer_mut(pointer).ok_or("no such field")?;
    *slot = Value::String(value.to_owned());
    Ok(j.to_string())
}

/// `x + 1` as a decimal string.
fn plus_one(s: &Value) -> Result<String, Error> {
    let x = field::parse_decimal(s.as_str().ok_or("not a string")?)?;
    Ok(field::to_decimal(&(x + Fr::from(1u64))))
}

/// Part 1: the circomlibjs-signed credential, accepted, proven and verified by vouchsafe.
fn circomlibjs_credential(dir: &Path, w: &mut World, report: &mut Report) -> Result<(), Error> {
    let schema = Schema::background_check();
    let provider_key =
        provider::public_key_from_json(read(&dir.join(CIRCOMLIBJS_PROVIDER))?.trim())?;
    w.registry
        .approve(&provider_key, schema.id(), NOW - 10 * DAY)?;
    let text = read(&dir.join(CIRCOMLIBJS_SIGNED))?;
    let cred = SignedCredential::from_json(text.trim());
    report.check(
        cred.is_ok(),
        "circomlibjs: the signed credential parses (SignedCredential::from_json)",
        format!("{:?}", cred.as_ref().err()),
    );
    let cred = cred?;
    report.check(
        *cred.provider() == provider_key,
        "circomlibjs: the credential names the circomlibjs provider's key (prv2pub)",
        "another key",
    );
    let accepted = w.holder.accept(&cred, &w.registry);
    report.check(
        accepted.is_ok(),
        "circomlibjs: Holder::accept takes the signPoseidon signature",
        format!("{accepted:?}"),
    );

    let v = w.verifier("interop-client");
    let req = v.request(
        policy()?,
        Some("interop"),
        NOW,
        &mut ChaCha20Rng::seed_from_u64(11),
    )?;
    let pres = w.holder.prove(
        &w.pk,
        &req,
        &cred,
        &w.registry,
        &w.revocations,
        &mut ChaCha20Rng::seed_from_u64(12),
    );
    report.check(
        pres.is_ok(),
        "circomlibjs: Holder::prove proves the circomlibjs-signed credential",
        format!("{:?}", pres.as_ref().err()),
    );
    let pres = pres?;
    let verified = v.verify(&req, &pres, NOW + 5);
    report.check(
        verified.is_ok(),
        "circomlibjs: Verifier::verify accepts the presentation",
        format!("{verified:?}"),
    );

    // Altered copies parse but must not be accepted.
    let j: Value = serde_json::from_str(&text)?;
    let s_plus_one = plus_one(&j["signature"]["s"])?;
    let level = Schema::background_check()
        .slot_of("package_level")
        .ok_or("no slot")?;
    let slot_plus_one = plus_one(&j["slots"][level])?;
    for (what, pointer, value) in [
        ("S + 1", "/signature/s", s_plus_one.as_str()),
        (
            "package_level 3 -> 4",
            &format!("/slots/{level}") as &str,
            slot_plus_one.as_str(),
        ),
    ] {
        let bad = SignedCredential::from_json(&altered(&j, pointer, value)?)?;
        report.refused(
            w.holder.accept(&bad, &w.registry),
            &ProveError::BadSignature,
            &format!("circomlibjs: a credential with {what} is refused (BadSignature)"),
        );
    }
    Ok(())
}

/// snarkjs' answer to a valid proof (exit status 0).
const ACCEPTED: &str = "OK!";
/// snarkjs' answer when the pairing check fails (exit status 1).
const INVALID_PROOF: &str = "Invalid proof";
/// snarkjs' answer when a proof point is not on its curve (exit status 1).
const INVALID_POINTS: &str = "Proof commitments are not valid";

/// One snarkjs case: the three files, and in `expect` the message snarkjs must answer with.
fn export_case(
    root: &Path,
    name: &str,
    export: &snarkjs::Export,
    expect: &str,
) -> Result<(), Error> {
    let dir = root.join(name);
    export.write_to_dir(&dir)?;
    write(&dir.join("expect"), &format!("{expect}\n"))?;
    println!("wrote {}/ (snarkjs must answer {expect:?})", dir.display());
    Ok(())
}

fn negate_a(proof: &Proof) -> Result<Proof, Error> {
    let mut p = proof.as_ark().clone();
    p.a = (-p.a.into_group()).into_affine();
    let mut bytes = Vec::new();
    p.serialize_compressed(&mut bytes)?;
    Ok(Proof::from_bytes(&bytes)?)
}

fn swap_g2(p: &mut snarkjs::G2Json) {
    for c in p.iter_mut() {
        c.swap(0, 1);
    }
}

/// Part 2: a presentation of a vouchsafe-issued credential, exported for snarkjs as is and
/// altered.
fn snarkjs_cases(dir: &Path, w: &mut World, report: &mut Report) -> Result<(), Error> {
    let provider = Provider::from_seed(PROVIDER_SEED);
    let cred = provider.issue(background_credential(&w.holder, 3003)?);
    w.holder.accept(&cred, &w.registry)?;
    let v = w.verifier("interop-client");
    let mut presentations = Vec::new();
    for (i, seed) in [21u64, 23].into_iter().enumerate() {
        let req = v.request(
            policy()?,
            Some("interop"),
            NOW,
            &mut ChaCha20Rng::seed_from_u64(seed),
        )?;
        let pres = w.holder.prove(
            &w.pk,
            &req,
            &cred,
            &w.registry,
            &w.revocations,
            &mut ChaCha20Rng::seed_from_u64(seed + 1),
        )?;
        let verified = v.verify(&req, &pres, NOW + 5);
        report.check(
            verified.is_ok(),
            &format!("snarkjs export: vouchsafe verifies presentation {}", i + 1),
            format!("{verified:?}"),
        );
        presentations.push((req, pres));
    }
    let [(req, pres), (_, other)] = presentations.as_slice() else {
        return Err("two presentations expected".into());
    };

    let pvk = w.vk.prepare();
    let inputs = snarkjs::public_inputs_for(req, pres);
    let root = dir.join("snarkjs");
    let _ = std::fs::remove_dir_all(&root);

    let valid = snarkjs::Export::for_presentation(&w.vk, req, pres);
    let statement = req.statement(pres.issuers_root, pres.revocation_root, pres.nullifier);
    report.check(
        valid.public == snarkjs::public_inputs(&statement.to_field_elements()),
        "snarkjs export: public.json holds the statement's inputs in circuit order",
        "differs",
    );
    export_case(&root, "valid", &valid, ACCEPTED)?;

    // A changed public input: `now` + 1, then the nullifier + 1.
    for (name, index) in [
        ("tampered_public_now", 2usize),
        ("tampered_public_nullifier", 6),
    ] {
        let mut bad = inputs;
        bad[index] += Fr::from(1u64);
        report.refused(
            verifier::verify_raw(&pvk, &bad, &pres.proof),
            &VerifyError::InvalidProof,
            &format!("vouchsafe refuses {name}"),
        );
        export_case(
            &root,
            name,
            &snarkjs::Export::new(&w.vk, &pres.proof, &bad),
            INVALID_PROOF,
        )?;
    }

    // A changed proof: A negated (still a valid curve point).
    let negated = negate_a(&pres.proof)?;
    report.refused(
        verifier::verify_raw(&pvk, &inputs, &negated),
        &VerifyError::InvalidProof,
        "vouchsafe refuses tampered_proof_negated_a",
    );
    export_case(
        &root,
        "tampered_proof_negated_a",
        &snarkjs::Export::new(&w.vk, &negated, &inputs),
        INVALID_PROOF,
    )?;

    // A valid proof of another statement (another request's challenge).
    report.refused(
        verifier::verify_raw(&pvk, &inputs, &other.proof),
        &VerifyError::InvalidProof,
        "vouchsafe refuses proof_of_other_statement",
    );
    export_case(
        &root,
        "proof_of_other_statement",
        &snarkjs::Export::new(&w.vk, &other.proof, &inputs),
        INVALID_PROOF,
    )?;

    // The G2 coordinates in the other order ([c1, c0]), in the proof, then in the key: shows
    // that the order is not arbitrary. snarkjs checks that proof points are on the curve, not
    // key points.
    let mut swapped = valid.clone();
    swap_g2(&mut swapped.proof.pi_b);
    export_case(&root, "g2_order_swapped_in_proof", &swapped, INVALID_POINTS)?;
    let mut swapped = valid.clone();
    for p in [
        &mut swapped.verification_key.vk_beta_2,
        &mut swapped.verification_key.vk_gamma_2,
        &mut swapped.verification_key.vk_delta_2,
    ] {
        swap_g2(p);
    }
    export_case(&root, "g2_order_swapped_in_key", &swapped, INVALID_PROOF)?;
    Ok(())
}

/// `prove DIR`: one development setup, then both parts.
fn prove(dir: &Path) -> Result<usize, Error> {
    let started = std::time::Instant::now();
    let (pk, vk) = setup_for_development(&mut ChaCha20Rng::seed_from_u64(1))?;
    println!(
        "development setup: {:.1} s, verifying key {}",
        started.elapsed().as_secs_f64(),
        vk.fingerprint_hex()
    );
    let provider = Provider::from_seed(PROVIDER_SEED);
    let schema = Schema::background_check();
    let mut registry = Registry::new();
    registry.approve(&provider.public_key(), schema.id(), NOW - 10 * DAY)?;
    let mut revocations = RevocationList::new();
    for serial in [7u64, 8, 9] {
        revocations.revoke(&provider.revoke(Fr::from(serial)), &registry, NOW - DAY)?;
    }
    let mut w = World {
        pk,
        vk,
        registry,
        revocations,
        holder: holder()?,
    };
    let mut report = Report::default();
    if let Err(e) = circomlibjs_credential(dir, &mut w, &mut report) {
        report.check(false, "circomlibjs: the signed credential", e);
    }
    if let Err(e) = snarkjs_cases(dir, &mut w, &mut report) {
        report.check(false, "snarkjs export", e);
    }
    Ok(report.failed)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (cmd, dir) = match args.as_slice() {
        [cmd, dir] => (cmd.as_str(), PathBuf::from(dir)),
        _ => {
            eprintln!("usage: cargo run --example interop -- (prepare | prove) DIR");
            return ExitCode::from(2);
        }
    };
    let result = match cmd {
        "prepare" => prepare(&dir).map(|()| 0),
        "prove" => prove(&dir),
        other => Err(format!("unknown command {other:?}").into()),
    };
    match result {
        Ok(0) => ExitCode::SUCCESS,
        Ok(failed) => {
            println!("{failed} check(s) failed");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("interop: {e}");
            ExitCode::from(2)
        }
    }
}
