//! The Groth16 prover of the presentation circuit.
//!
//! Two changes from arkworks' `Groth16::prove`, both measured (BENCHMARKS.md):
//! - **Matrices once.** arkworks rebuilds the constraint matrices on every proof: it synthesizes
//!   the circuit with matrices and inlines every linear combination, which cost about 300 ms of
//!   a 780 ms proof on our 2-core machine. The matrices depend on the circuit only, so vouchsafe
//!   builds them once per process ([`shape`]) and proves from the assignment alone, synthesized
//!   without matrices (about 10 ms).
//! - **The five multi-scalar multiplications run as parallel rayon tasks** (arkworks runs them
//!   one after the other). We also wrote a signed-digit Pippenger with batched affine bucket
//!   additions; it measured slower than arkworks 0.6's MSM on 16k-point inputs, so it is not
//!   used (BENCHMARKS.md has the numbers).
//!
//! The proof is the same function of `(pk, witness, r, s)` as arkworks' (a test checks equality
//! for fixed `r, s`). The prover checks nothing about the witness: [`crate::holder::Holder`]
//! checks the statement natively before proving, and a false witness gives a proof that fails
//! verification (tested).

use crate::keys::KeyError;
use ark_bn254::{Bn254, Fr};
use ark_bn254::{G1Projective, G2Projective};
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{BigInt, PrimeField, UniformRand};
use ark_groth16::r1cs_to_qap::{LibsnarkReduction, R1CSToQAP};
use ark_poly::GeneralEvaluationDomain;
use ark_relations::gr1cs::{
    ConstraintSynthesizer, ConstraintSystem, Matrix, OptimizationGoal, SynthesisMode,
    R1CS_PREDICATE_LABEL,
};
use rand::{CryptoRng, RngCore};
use rayon::prelude::*;
use std::sync::OnceLock;
use vouchsafe_circuits::presentation::PresentationCircuit;
use zeroize::Zeroize;

/// The circuit's shape: its R1CS matrices `A, B, C` and sizes.
pub(crate) struct Shape {
    matrices: Vec<Matrix<Fr>>,
    num_instance: usize,
    num_witness: usize,
    num_constraints: usize,
}

/// The presentation circuit's shape, synthesized on first use (a few hundred milliseconds).
pub(crate) fn shape() -> Result<&'static Shape, KeyError> {
    static SHAPE: OnceLock<Result<Shape, KeyError>> = OnceLock::new();
    SHAPE
        .get_or_init(|| {
            let err = |e: ark_relations::gr1cs::SynthesisError| KeyError::Synthesis(e.to_string());
            let cs = ConstraintSystem::<Fr>::new_ref();
            cs.set_optimization_goal(OptimizationGoal::Constraints);
            cs.set_mode(SynthesisMode::Setup);
            PresentationCircuit::blank()
                .generate_constraints(cs.clone())
                .map_err(err)?;
            cs.finalize();
            let mut all = cs.to_matrices().map_err(err)?;
            let matrices = all
                .remove(R1CS_PREDICATE_LABEL)
                .ok_or_else(|| KeyError::Synthesis("no R1CS matrices".into()))?;
            Ok(Shape {
                matrices,
                num_instance: cs.num_instance_variables(),
                num_witness: cs.num_witness_variables(),
                num_constraints: cs.num_constraints(),
            })
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// A proof of `circuit` (which carries its statement and witness) with fresh `r, s`.
pub(crate) fn prove<G: RngCore + CryptoRng>(
    pk: &ark_groth16::ProvingKey<Bn254>,
    circuit: PresentationCircuit,
    rng: &mut G,
) -> Result<ark_groth16::Proof<Bn254>, KeyError> {
    let mut r = Fr::rand(rng);
    let mut s = Fr::rand(rng);
    let proof = prove_with(pk, circuit, r, s);
    r.zeroize();
    s.zeroize();
    proof
}

/// The proof with the given blinding scalars `r, s`.
pub(crate) fn prove_with(
    pk: &ark_groth16::ProvingKey<Bn254>,
    circuit: PresentationCircuit,
    r: Fr,
    s: Fr,
) -> Result<ark_groth16::Proof<Bn254>, KeyError> {
    let shape = shape()?;
    let err = |e: ark_relations::gr1cs::SynthesisError| KeyError::Synthesis(e.to_string());
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(SynthesisMode::Prove {
        construct_matrices: false,
        generate_lc_assignments: false,
    });
    circuit.generate_constraints(cs.clone()).map_err(err)?;
    let mut assignment = cs.instance_assignment().map_err(err)?;
    let mut witness = cs.witness_assignment().map_err(err)?;
    drop(cs);
    if assignment.len() != shape.num_instance || witness.len() != shape.num_witness {
        return Err(KeyError::Synthesis(format!(
            "assignment of {} + {} variables for a shape of {} + {}",
            assignment.len(),
            witness.len(),
            shape.num_instance,
            shape.num_witness
        )));
    }
    assignment.append(&mut witness);
    let proof = prove_from_assignment(pk, shape, &assignment, r, s);
    assignment.zeroize();
    witness.zeroize();
    proof
}

/// Groth16's proof from the full assignment `(1, inputs, witness)`:
/// `A = alpha + sum a_i(x) z_i + r delta`, `B = beta + sum b_i(x) z_i + s delta` (in G2, and in
/// G1 for `C`), `C = sum_witness l_i z_i + h(x) t(x) / delta + s A + r B - r s delta`.
/// The five multi-scalar multiplications run as parallel tasks.
fn prove_from_assignment(
    pk: &ark_groth16::ProvingKey<Bn254>,
    shape: &Shape,
    assignment: &[Fr],
    r: Fr,
    s: Fr,
) -> Result<ark_groth16::Proof<Bn254>, KeyError> {
    let h = LibsnarkReduction::witness_map_from_matrices::<Fr, GeneralEvaluationDomain<Fr>>(
        &shape.matrices,
        shape.num_instance,
        shape.num_constraints,
        assignment,
    )
    .map_err(|e| KeyError::Synthesis(e.to_string()))?;
    let to_bigints =
        |v: &[Fr]| -> Vec<BigInt<4>> { v.par_iter().map(|x| x.into_bigint()).collect() };
    let mut h = to_bigints(&h);
    // without the constant 1: query[0] is added as is
    let mut z = to_bigints(assignment.get(1..).unwrap_or_default());
    // the witness part: after the instance variables (the constant 1 included, so at least 1)
    let aux = z
        .get(shape.num_instance.saturating_sub(1)..)
        .unwrap_or_default();
    let wrong_key =
        || KeyError::Synthesis("the proving key does not belong to this circuit".into());
    if pk.a_query.len() != assignment.len()
        || pk.b_g1_query.len() != assignment.len()
        || pk.b_g2_query.len() != assignment.len()
        || pk.l_query.len() != aux.len()
    {
        return Err(wrong_key());
    }
    // Each query has one entry per variable, the constant 1 first (the key comes from a file:
    // its shape is checked, not assumed).
    let (Some((a_one, a_query)), Some((b1_one, b1_query)), Some((b2_one, b2_query))) = (
        pk.a_query.split_first(),
        pk.b_g1_query.split_first(),
        pk.b_g2_query.split_first(),
    ) else {
        return Err(wrong_key());
    };
    let g1 = |bases: &[ark_bn254::G1Affine], scalars: &[BigInt<4>]| {
        G1Projective::msm_bigint(bases, scalars)
    };
    // five independent MSMs as rayon tasks: on 2 cores this beat arkworks' sequential order
    // (each MSM parallel inside) by 0-15% (BENCHMARKS.md)
    let ((a, b1), ((b2, l), hq)) = rayon::join(
        || rayon::join(|| g1(a_query, &z), || g1(b1_query, &z)),
        || {
            rayon::join(
                || {
                    rayon::join(
                        || G2Projective::msm_bigint(b2_query, &z),
                        || g1(&pk.l_query, aux),
                    )
                },
                || g1(&pk.h_query, &h),
            )
        },
    );
    h.zeroize();
    z.zeroize();
    let delta_g1 = pk.delta_g1.into_group();
    let g_a = delta_g1 * r + pk.vk.alpha_g1 + a_one + a;
    let g1_b = delta_g1 * s + pk.beta_g1 + b1_one + b1;
    let g2_b = pk.vk.delta_g2.into_group() * s + pk.vk.beta_g2 + b2_one + b2;
    let g_c = g_a * s + g1_b * r - delta_g1 * (r * s) + l + hq;
    Ok(ark_groth16::Proof {
        a: g_a.into_affine(),
        b: g2_b.into_affine(),
        c: g_c.into_affine(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential::{ClaimValue, CredentialBuilder};
    use crate::holder::{Holder, HolderSecret};
    use crate::keys::{setup_for_development, Proof, ProvingKey, VerifyingKey};
    use crate::provider::Provider;
    use crate::registry::Registry;
    use crate::revocation::RevocationList;
    use crate::schema::Schema;
    use crate::verifier::{verify_raw, TrustedRoots, Verifier, VerifierConfig, VerifyError};
    use ark_groth16::Groth16;
    use ark_relations::gr1cs::ConstraintSynthesizer;
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;
    use vouchsafe_circuits::presentation::{Op, Policy, Predicate, NUM_PUBLIC_INPUTS};

    const NOW: u64 = 1_800_000_000;

    fn fixture() -> (ProvingKey, VerifyingKey, PresentationCircuit) {
        let mut rng = ChaCha20Rng::seed_from_u64(11);
        let (pk, vk) = setup_for_development(&mut rng).unwrap();
        let schema = Schema::eo_insurance();
        let provider = Provider::from_seed([3; 32]);
        let mut registry = Registry::new();
        registry
            .approve(&provider.public_key(), schema.id(), NOW - 10)
            .unwrap();
        let mut revocations = RevocationList::new();
        revocations
            .revoke(&provider.revoke(Fr::from(1u64)), &registry, NOW - 5)
            .unwrap();
        let holder = Holder::new(HolderSecret::from_bytes(&[4; 32]).unwrap());
        let cred = provider.issue(
            CredentialBuilder::new(&schema)
                .holder(holder.commitment())
                .serial(Fr::from(2u64))
                .validity(NOW - 100, NOW + 100)
                .claim("coverage", ClaimValue::U64(2_000_000))
                .claim("per_claim_limit", ClaimValue::U64(1))
                .claim("policy_class", ClaimValue::text("A"))
                .build()
                .unwrap(),
        );
        let policy = Policy {
            schema_id: schema.id(),
            predicates: [
                Predicate::compare(schema.slot_of("coverage").unwrap(), Op::Ge, 1_000_000).unwrap(),
                Predicate::none(),
                Predicate::none(),
                Predicate::none(),
            ],
        };
        let verifier = Verifier::new(
            vk.prepare(),
            VerifierConfig::new("prover-test"),
            TrustedRoots {
                issuers: vec![registry.root()],
                revocations: vec![revocations.root()],
            },
        );
        let req = verifier
            .request(policy, Some("label"), NOW, &mut rng)
            .unwrap();
        let circuit = holder
            .circuit(&req, &cred, &registry, &revocations)
            .unwrap();
        (pk, vk, circuit)
    }

    fn inputs(c: &PresentationCircuit) -> [Fr; NUM_PUBLIC_INPUTS] {
        c.statement.unwrap().to_field_elements()
    }

    #[test]
    fn shape_matches_the_proving_key() {
        let (pk, _, _) = fixture();
        let shape = shape().unwrap();
        assert_eq!(shape.num_constraints, 13_630);
        assert_eq!(shape.num_instance, NUM_PUBLIC_INPUTS + 1);
        assert_eq!(shape.matrices.len(), 3);
        let pk = pk.as_ark();
        assert_eq!(pk.a_query.len(), shape.num_instance + shape.num_witness);
        assert_eq!(pk.l_query.len(), shape.num_witness);
    }

    /// The cached-matrix prover computes arkworks' proof exactly, for the same `r, s`.
    #[test]
    fn same_proof_as_arkworks_for_the_same_blinding() {
        let (pk, vk, circuit) = fixture();
        let mut rng = ChaCha20Rng::seed_from_u64(12);
        for _ in 0..2 {
            let (r, s) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
            let ours = prove_with(pk.as_ark(), circuit.clone(), r, s).unwrap();
            let theirs =
                Groth16::<Bn254>::create_proof_with_reduction(circuit.clone(), pk.as_ark(), r, s)
                    .unwrap();
            assert_eq!(ours, theirs);
            verify_raw(&vk.prepare(), &inputs(&circuit), &Proof(ours)).unwrap();
        }
    }

    /// The prover checks nothing: a witness that does not satisfy the circuit gives a proof,
    /// and that proof fails verification.
    #[test]
    fn unsatisfying_witness_gives_a_rejected_proof() {
        let (pk, vk, mut circuit) = fixture();
        if let Some(w) = circuit.witness.as_mut() {
            w.s += Fr::from(1u64);
        }
        let cs = ConstraintSystem::<Fr>::new_ref();
        circuit.clone().generate_constraints(cs.clone()).unwrap();
        assert!(!cs.is_satisfied().unwrap());
        let mut rng = ChaCha20Rng::seed_from_u64(13);
        let proof = prove(pk.as_ark(), circuit.clone(), &mut rng).unwrap();
        assert_eq!(
            verify_raw(&vk.prepare(), &inputs(&circuit), &Proof(proof)),
            Err(VerifyError::InvalidProof)
        );
    }
}
