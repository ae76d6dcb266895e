//! A tour of vouchsafe's primitives: circomlib-compatible Poseidon, EdDSA-Poseidon on Baby
//! Jubjub, and the same signature check proven in zero knowledge with Groth16.
//!
//! Run with `cargo run --release --example primitives`.

use ark_bn254::Bn254;
use ark_groth16::Groth16;
use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::gr1cs::{
    ConstraintSynthesizer, ConstraintSystem, ConstraintSystemRef, SynthesisError,
};
use ark_serialize::CanonicalSerialize;
use ark_snark::SNARK;
use rand::SeedableRng;
use std::time::Instant;
use vouchsafe::primitives::{babyjubjub::Point, eddsa, field, poseidon, Fr};
use vouchsafe_circuits::babyjubjub::constraints::PointVar;
use vouchsafe_circuits::eddsa::constraints::{verify, SignatureVar, VERIFY_CONSTRAINTS};

/// "I know a message, whose Poseidon hash is public, and a signature on it by the public key `A`."
#[derive(Clone)]
struct KnowsSignature {
    a: Point,
    message: Fr,
    sig: Option<eddsa::Signature>,
}

impl ConstraintSynthesizer<Fr> for KnowsSignature {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let digest = poseidon::hash(&[self.message]).map_err(|_| SynthesisError::Unsatisfiable)?;
        let public = FpVar::new_input(cs.clone(), || Ok(digest))?;
        let m = FpVar::new_witness(cs.clone(), || Ok(self.message))?;
        vouchsafe_circuits::poseidon::constraints::hash(std::slice::from_ref(&m))?
            .enforce_equal(&public)?;
        let a = PointVar::from_coordinates_unchecked(
            FpVar::new_input(cs.clone(), || Ok(self.a.x()))?,
            FpVar::new_input(cs.clone(), || Ok(self.a.y()))?,
        );
        let sig = self.sig.ok_or(SynthesisError::AssignmentMissing);
        let r8 = PointVar::new_witness_unchecked(cs.clone(), || sig.map(|s| s.r8()))?;
        let s = FpVar::new_witness(cs.clone(), || sig.map(|s| s.s()))?;
        verify(&a, &m, &SignatureVar { r8, s })
    }
}

use ark_r1cs_std::eq::EqGadget;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("== Poseidon (circomlib parameters)");
    let h = poseidon::hash(&[Fr::from(1u64), Fr::from(2u64)])?;
    println!("Poseidon(1, 2) = {}", field::to_decimal(&h));

    println!("\n== EdDSA-Poseidon on Baby Jubjub");
    let provider = eddsa::SecretKey::from_seed([42u8; 32]);
    let a = provider.public_key();
    println!("provider key (packed) = {}", hex(&a.to_bytes()));
    let message = poseidon::hash(&[Fr::from(2026u64), Fr::from(1_000_000u64)])?;
    let sig = provider.sign(message);
    println!("signature (packed)    = {}", hex(&sig.to_bytes()));
    println!("native verification   = {:?}", a.verify(message, &sig));
    println!(
        "wrong message         = {:?}",
        a.verify(message + Fr::from(1u64), &sig)
    );

    println!("\n== The same check inside a circuit");
    let circuit = KnowsSignature {
        a: a.point(),
        message,
        sig: Some(sig),
    };
    let cs = ConstraintSystem::<Fr>::new_ref();
    circuit.clone().generate_constraints(cs.clone())?;
    println!(
        "constraints: {} = EdDSA verification {} (circomlib: 4,217) + Poseidon(1) 213 + 1",
        cs.num_constraints(),
        VERIFY_CONSTRAINTS
    );
    println!("satisfied: {}", cs.is_satisfied()?);

    println!("\n== Groth16 on BN254 (development setup; production keys need a ceremony)");
    let mut rng = rand_chacha::ChaCha20Rng::from_entropy();
    let t = Instant::now();
    let setup = KnowsSignature {
        sig: None,
        ..circuit.clone()
    };
    let (pk, vk) = Groth16::<Bn254>::circuit_specific_setup(setup, &mut rng)?;
    println!("setup:  {:?}", t.elapsed());
    let t = Instant::now();
    let proof = Groth16::<Bn254>::prove(&pk, circuit, &mut rng)?;
    println!("prove:  {:?}", t.elapsed());
    let pvk = Groth16::<Bn254>::process_vk(&vk)?;
    let digest = poseidon::hash(&[message])?;
    let t = Instant::now();
    let public = [a.point().x(), a.point().y(), digest];
    let ok = Groth16::<Bn254>::verify_with_processed_vk(&pvk, &public, &proof)?;
    println!("verify: {:?} -> {ok}", t.elapsed());
    let wrong = [a.point().x(), a.point().y(), digest + Fr::from(1u64)];
    let other = Groth16::<Bn254>::verify_with_processed_vk(&pvk, &wrong, &proof)?;
    println!("verify with another message hash -> {other}");
    println!("proof size: {} bytes (compressed)", proof.compressed_size());
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
