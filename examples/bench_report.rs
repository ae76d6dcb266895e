//! A machine-readable benchmark report: one JSON object on stdout with the numbers measured in
//! this run (sizes, setup, witness generation, proving, peak memory of proving, single and
//! batch verification). Human-readable progress goes to stderr.
//!
//! Run with `cargo run --release --example bench_report`. Set `RUNS` to change the number of
//! timed proofs (default 5). Proving uses every core (rayon's default pool); verification,
//! single and batched, runs on one thread, as issue 5 specifies. `BENCHMARKS.md` explains each
//! field. Timings are medians; each ratio (batch against one by one, ours against stock
//! ark-groth16) is the median of per-round ratios of the two measured in alternating rounds.
//! `verify_fastest_round_ms` is the fastest of the single-verification rounds: on a shared host
//! it shows the machine's speed with quiet neighbours; `verify_ms` is the number to quote.
//!
//! With `VOUCHSAFE_BENCH_DUMP=DIR`, the run also writes the verified presentation's verifying
//! key (`vk.bin`), proof (`proof.bin`) and public inputs (`inputs.bin`, 32 bytes each, little
//! endian) into `DIR`, for `benches/ab_verify.sh`.

use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem, SynthesisMode};
use ark_serialize::CanonicalSerialize;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde_json::json;
use std::time::Instant;
use vouchsafe::credential::SignedCredential;
use vouchsafe::credential::{ClaimValue, CredentialBuilder};
use vouchsafe::holder::{Holder, HolderSecret};
use vouchsafe::keys::{setup_for_development, Proof, ProvingKey, VerifyingKey, PROOF_LEN};
use vouchsafe::primitives::presentation::{Op, Policy, Predicate, PresentationCircuit};
use vouchsafe::primitives::Fr;
use vouchsafe::provider::Provider;
use vouchsafe::registry::Registry;
use vouchsafe::revocation::RevocationList;
use vouchsafe::schema::Schema;
use vouchsafe::verifier::{verify_batch, verify_raw, TrustedRoots, Verifier, VerifierConfig};

type Error = Box<dyn std::error::Error + Send + Sync>;

const NOW: u64 = 1_800_000_000;

/// The median of `v` (the upper one of an even count).
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Median of the durations of `runs` calls of `f`, in milliseconds, after one warm-up call.
fn median_ms<F: FnMut() -> Result<(), Error>>(runs: usize, mut f: F) -> Result<f64, Error> {
    f()?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f()?;
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    Ok(median(times))
}

/// What [`paired_median_ms`] measured, in milliseconds.
struct Paired {
    /// Median duration of `f`.
    f: f64,
    /// Median duration of `g`.
    g: f64,
    /// Median of the per-round ratios `g / f`.
    ratio: f64,
    /// The fastest round of `f`: what the machine does when its neighbours are quiet.
    f_fastest: f64,
}

/// Alternating rounds of `f` and `g` (after one warm-up call of each). Taking the two in turn
/// keeps a ratio honest on a machine whose speed drifts between rounds (a shared host).
fn paired_median_ms<F, G>(runs: usize, mut f: F, mut g: G) -> Result<Paired, Error>
where
    F: FnMut() -> Result<(), Error>,
    G: FnMut() -> Result<(), Error>,
{
    f()?;
    g()?;
    let (mut tf, mut tg, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let t = Instant::now();
        f()?;
        let a = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        g()?;
        let b = t.elapsed().as_secs_f64() * 1e3;
        tf.push(a);
        tg.push(b);
        ratio.push(b / a);
    }
    let f_fastest = tf.iter().copied().fold(f64::INFINITY, f64::min);
    Ok(Paired {
        f: median(tf),
        g: median(tg),
        ratio: median(ratio),
        f_fastest,
    })
}

/// A field of /proc/self/status in MiB (Linux), if present.
fn proc_status_mib(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Resets the peak resident set size (Linux >= 4.0); false where unsupported.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn round(x: f64, digits: i32) -> f64 {
    let m = 10f64.powi(digits);
    (x * m).round() / m
}

struct Fixture {
    holder: Holder,
    cred: SignedCredential,
    registry: Registry,
    revocations: RevocationList,
    verifier: Verifier<TrustedRoots>,
    policy: Policy,
    issue_ms: f64,
}

/// The fixture of the benches: an E&O credential, an approved provider, 100 revocations.
fn fixture(vk: &VerifyingKey) -> Result<Fixture, Error> {
    let schema = Schema::eo_insurance();
    let provider = Provider::from_seed([1; 32]);
    let mut registry = Registry::new();
    registry.approve(&provider.public_key(), schema.id(), NOW - 10)?;
    let mut revocations = RevocationList::new();
    for serial in 0..100u64 {
        revocations.revoke(&provider.revoke(Fr::from(serial)), &registry, NOW - 5)?;
    }
    let holder = Holder::new(HolderSecret::from_bytes(&[2; 32])?);
    let credential = CredentialBuilder::new(&schema)
        .holder(holder.commitment())
        .serial(Fr::from(1_000_000u64))
        .validity(NOW - 100, NOW + 100_000)
        .claim("coverage", ClaimValue::U64(2_000_000))
        .claim("per_claim_limit", ClaimValue::U64(500_000))
        .claim("policy_class", ClaimValue::text("B"))
        .build()?;
    let t = Instant::now();
    let cred = provider.issue(credential);
    let issue_ms = t.elapsed().as_secs_f64() * 1e3;
    let policy = Policy {
        schema_id: schema.id(),
        predicates: [
            Predicate::compare(
                schema.slot_of("coverage").ok_or("no coverage slot")?,
                Op::Ge,
                1_000_000,
            )?,
            Predicate::none(),
            Predicate::none(),
            Predicate::none(),
        ],
    };
    let verifier = Verifier::new(
        vk.prepare(),
        VerifierConfig::new("bench"),
        TrustedRoots {
            issuers: vec![registry.root()],
            revocations: vec![revocations.root()],
        },
    );
    Ok(Fixture {
        holder,
        cred,
        registry,
        revocations,
        verifier,
        policy,
        issue_ms,
    })
}

/// The child process of `--prove-child PK`: loads the proving key, proves once (building the
/// circuit's matrices on the way), then once more, and prints the peak resident set sizes of
/// both in MiB as JSON.
fn prove_child(pk_path: &str) -> Result<(), Error> {
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let pk = ProvingKey::from_bytes(&std::fs::read(pk_path)?)?;
    let vk = pk.verifying_key();
    let f = fixture(&vk)?;
    let req = f.verifier.request(f.policy, Some("scope"), NOW, &mut rng)?;
    let loaded = proc_status_mib("VmHWM:");
    f.holder
        .prove(&pk, &req, &f.cred, &f.registry, &f.revocations, &mut rng)?;
    let first = proc_status_mib("VmHWM:");
    let warm = if reset_peak_rss() {
        f.holder
            .prove(&pk, &req, &f.cred, &f.registry, &f.revocations, &mut rng)?;
        proc_status_mib("VmHWM:")
    } else {
        None
    };
    println!(
        "{}",
        json!({ "after_load_mb": loaded, "first_proof_mb": first, "warm_proof_mb": warm })
    );
    Ok(())
}

/// Runs `prove_child` in a fresh process, so that setup's memory does not count.
fn prove_memory(pk: &ProvingKey) -> Result<serde_json::Value, Error> {
    let path = std::env::temp_dir().join(format!("vouchsafe-bench-pk-{}", std::process::id()));
    std::fs::write(&path, pk.to_bytes())?;
    let out = std::process::Command::new(std::env::current_exe()?)
        .arg("--prove-child")
        .arg(&path)
        .output();
    let _ = std::fs::remove_file(&path);
    let out = out?;
    if !out.status.success() {
        return Err(format!(
            "prove child failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(serde_json::from_slice(&out.stdout)?)
}

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 3 && args[1] == "--prove-child" {
        return prove_child(&args[2]);
    }
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5)
        .max(1);
    let one_thread = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let mut rng = ChaCha20Rng::seed_from_u64(1);

    eprintln!("setup...");
    let t = Instant::now();
    let (pk, vk) = setup_for_development(&mut rng)?;
    let setup_ms = t.elapsed().as_secs_f64() * 1e3;

    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_mode(SynthesisMode::Setup);
    PresentationCircuit::blank().generate_constraints(cs.clone())?;
    let constraints = cs.num_constraints();
    let witness_variables = cs.num_witness_variables();

    let Fixture {
        holder,
        cred,
        registry,
        revocations,
        verifier,
        policy,
        issue_ms,
    } = fixture(&vk)?;
    let req = verifier.request(policy, Some("scope"), NOW, &mut rng)?;

    eprintln!("witness generation...");
    // native witness (paths, signature, slots) and the circuit's assignment, no matrices
    let witness_ms = median_ms(runs, || {
        let circuit = holder.circuit(&req, &cred, &registry, &revocations)?;
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_mode(SynthesisMode::Prove {
            construct_matrices: false,
            generate_lc_assignments: false,
        });
        circuit.generate_constraints(cs.clone())?;
        std::hint::black_box(cs.witness_assignment()?);
        Ok(())
    })?;

    eprintln!(
        "proving ({runs} runs, {} threads)...",
        rayon::current_num_threads()
    );
    let prove_ms = median_ms(runs, || {
        holder.prove(&pk, &req, &cred, &registry, &revocations, &mut rng)?;
        Ok(())
    })?;
    let pres = holder.prove(&pk, &req, &cred, &registry, &revocations, &mut rng)?;
    eprintln!("peak memory of proving (fresh process)...");
    let memory = prove_memory(&pk)?;

    eprintln!("verification (one thread)...");
    let inputs = req
        .statement(pres.issuers_root, pres.revocation_root, pres.nullifier)
        .to_field_elements();
    let pvk = vk.prepare();
    if let Some(dir) = std::env::var_os("VOUCHSAFE_BENCH_DUMP") {
        let dir = std::path::PathBuf::from(dir);
        let mut bytes = Vec::new();
        for x in &inputs {
            x.serialize_compressed(&mut bytes)?;
        }
        std::fs::write(dir.join("vk.bin"), vk.to_bytes())?;
        std::fs::write(dir.join("proof.bin"), pres.proof.to_bytes())?;
        std::fs::write(dir.join("inputs.bin"), bytes)?;
    }
    // the baseline: stock ark-groth16 verification (prepared key, inputs prepared by arkworks'
    // scalar multiplications, arkworks' pairing), in alternating rounds with ours
    let ark_pvk = ark_groth16::prepare_verifying_key(vk.as_ark());
    let verify = one_thread.install(|| {
        paired_median_ms(
            9,
            || {
                for _ in 0..20 {
                    verify_raw(&pvk, &inputs, &pres.proof)?;
                }
                Ok(())
            },
            || {
                for _ in 0..20 {
                    let ok = ark_groth16::Groth16::<ark_bn254::Bn254>::verify_proof(
                        &ark_pvk,
                        pres.proof.as_ark(),
                        &inputs,
                    )?;
                    if !ok {
                        return Err("arkworks rejected the proof".into());
                    }
                }
                Ok(())
            },
        )
    })?;
    let (verify_ms, verify_arkworks_ms) = (verify.f / 20.0, verify.g / 20.0);
    let (verify_speedup, verify_fastest_ms) = (verify.ratio, verify.f_fastest / 20.0);

    eprintln!("batch verification (one thread)...");
    let mut proofs: Vec<([Fr; 7], Proof)> = Vec::new();
    for _ in 0..16 {
        let r = verifier.request(policy, None, NOW, &mut rng)?;
        let p = holder.prove(&pk, &r, &cred, &registry, &revocations, &mut rng)?;
        let x = r
            .statement(p.issuers_root, p.revocation_root, p.nullifier)
            .to_field_elements();
        proofs.push((x, p.proof));
    }
    let mut batch = serde_json::Map::new();
    for n in [1usize, 16, 64, 256] {
        let items: Vec<(&[Fr], &Proof)> = (0..n)
            .map(|i| {
                let (x, p) = &proofs[i % proofs.len()];
                (&x[..], p)
            })
            .collect();
        let rounds = if n >= 256 { 5 } else { 7 };
        let Paired {
            f: batch_ms,
            g: single_ms,
            ratio: speedup,
            ..
        } = one_thread.install(|| {
            paired_median_ms(
                rounds,
                || {
                    verify_batch(&pvk, &items)?;
                    Ok(())
                },
                || {
                    for (x, p) in &items {
                        verify_raw(&pvk, x, p)?;
                    }
                    Ok(())
                },
            )
        })?;
        batch.insert(
            n.to_string(),
            json!({
                "batch_ms_per_proof": round(batch_ms / n as f64, 4),
                "one_by_one_ms_per_proof": round(single_ms / n as f64, 4),
                "speedup": round(speedup, 2),
            }),
        );
    }
    let per_proof = |n: &str| {
        batch
            .get(n)
            .and_then(|b| b.get("batch_ms_per_proof"))
            .cloned()
    };

    // the larger of the fresh process's first proof and a warm proof after a peak reset
    let prove_peak_rss_mb = ["first_proof_mb", "warm_proof_mb"]
        .iter()
        .filter_map(|k| memory.get(*k).and_then(|v| v.as_f64()))
        .reduce(f64::max)
        .map(|x| round(x, 1));
    let report = json!({
        "constraints": constraints,
        "public_inputs": inputs.len(),
        "witness_variables": witness_variables,
        "setup_ms": round(setup_ms, 1),
        "issue_ms": round(issue_ms, 3),
        "witness_ms": round(witness_ms, 2),
        "prove_ms": round(prove_ms, 1),
        "witness_share_of_prove": round(witness_ms / prove_ms, 4),
        "prove_peak_rss_mb": prove_peak_rss_mb,
        "prove_memory": memory,
        "verify_ms": round(verify_ms, 4),
        "verify_fastest_round_ms": round(verify_fastest_ms, 4),
        "verify_arkworks_ms": round(verify_arkworks_ms, 4),
        "verify_speedup_vs_arkworks": round(verify_speedup, 2),
        "batch64_ms_per_proof": per_proof("64"),
        "batch256_ms_per_proof": per_proof("256"),
        "batch": batch,
        "proof_bytes": PROOF_LEN,
        "vk_bytes": vk.to_bytes().len(),
        "pk_bytes": pk.to_bytes().len(),
        "prove_threads": rayon::current_num_threads(),
        "verify_threads": 1,
        "runs": runs,
        "cpu": cpu_model(),
        // BENCHMARKS.md: BMI2/ADX make verification about 7% faster; set by RUSTFLAGS only
        "target_features": {
            "bmi2": cfg!(target_feature = "bmi2"),
            "adx": cfg!(target_feature = "adx"),
        },
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
