//! The circomlib Poseidon hash as an R1CS gadget.
//!
//! Relation: for inputs `x_1..x_n` (`1 <= n <= 16`) the output variable `y` is constrained to
//! `y = poseidon::hash([x_1, ..., x_n])`, the same function as the native [`super::hash`]
//! (circomlib `Poseidon(n)`).
//!
//! Cost: each S-box `x^5` on a variable is 3 constraints (`x2 = x*x`, `x4 = x2*x2`,
//! `x5 = x4*x`); round constants and MDS layers are linear combinations and cost nothing (one
//! symbolic linear combination per state element per round, the next round's constants folded
//! into it). With every input a variable that is `3 * (8t + R_P) - 3` constraints for width
//! `t = n + 1`, circomlib's count: the capacity element's first S-box acts on a constant and is
//! free. 213 constraints for one input, 240 for two, 609 for sixteen. Constant inputs are folded
//! and cost less; all-constant inputs cost nothing and give a constant.

use super::{table, Params, MAX_INPUTS};
use crate::Fr;
use ark_ff::Zero;
use ark_r1cs_std::{
    fields::fp::{AllocatedFp, FpVar},
    prelude::*,
};
use ark_relations::gr1cs::{ConstraintSystemRef, LinearCombination, SynthesisError, Variable};

/// `x^5` in 3 constraints (none if `x` is a constant).
fn sbox(x: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    let x2 = x.square()?;
    let x4 = x2.square()?;
    Ok(&x4 * x)
}

/// `state'[i] = sum_j M[i][j] * state[j] + add[i]`, each element one linear combination (no
/// constraint). Elements that depend on no variable stay constants.
fn linear_layer(
    cs: &ConstraintSystemRef<Fr>,
    p: &Params,
    state: &[FpVar<Fr>],
    add: &[Fr],
) -> Result<Vec<FpVar<Fr>>, SynthesisError> {
    p.mds_flat
        .chunks_exact(p.t)
        .zip(add)
        .map(|(row, add)| {
            let mut constant = *add;
            let mut terms = Vec::with_capacity(p.t + 1);
            let mut value = Some(Fr::zero());
            for (m, x) in row.iter().zip(state) {
                match x {
                    FpVar::Constant(c) => constant += *m * c,
                    FpVar::Var(v) => {
                        terms.push((*m, v.variable));
                        value = value.zip(v.value().ok()).map(|(acc, x)| acc + *m * x);
                    }
                }
            }
            if terms.is_empty() {
                return Ok(FpVar::Constant(constant));
            }
            if !constant.is_zero() {
                terms.push((constant, Variable::One));
            }
            let variable = cs.new_lc(|| LinearCombination(terms))?;
            let value = value.map(|v| v + constant);
            Ok(FpVar::Var(AllocatedFp::new(value, variable, cs.clone())))
        })
        .collect()
}

/// Constrains and returns Poseidon of 1 to [`MAX_INPUTS`] inputs (circomlib `Poseidon(n)`).
///
/// # Errors
/// [`SynthesisError::Unsatisfiable`] for 0 or more than [`MAX_INPUTS`] inputs (the relation is
/// undefined there, as `Poseidon(0)` and `Poseidon(17)` do not exist); otherwise any error of the
/// constraint system.
pub fn hash(inputs: &[FpVar<Fr>]) -> Result<FpVar<Fr>, SynthesisError> {
    if inputs.is_empty() || inputs.len() > MAX_INPUTS {
        return Err(SynthesisError::Unsatisfiable);
    }
    let p = table(inputs.len() + 1).ok_or(SynthesisError::Unsatisfiable)?;
    let t = p.t;
    let cs = inputs.cs();
    let zero = [Fr::zero(); MAX_INPUTS + 1];

    // Invariant: at the top of round r, `state` already includes round r's constants.
    let first = &p.round_constants[..t];
    let mut state: Vec<FpVar<Fr>> = Vec::with_capacity(t);
    state.push(FpVar::Constant(first[0]));
    state.extend(inputs.iter().zip(&first[1..]).map(|(x, c)| x + *c));

    let rounds = p.full_rounds + p.partial_rounds;
    for r in 0..rounds {
        if p.is_full_round(r) {
            for x in state.iter_mut() {
                *x = sbox(x)?;
            }
        } else {
            state[0] = sbox(&state[0])?;
        }
        let add = if r + 1 < rounds {
            &p.round_constants[(r + 1) * t..(r + 2) * t]
        } else {
            &zero[..t]
        };
        state = linear_layer(&cs, p, &state, add)?;
    }
    Ok(state.swap_remove(0))
}

/// [`hash`] of two inputs (`Poseidon(2)`): 240 constraints for two variables.
///
/// # Errors
/// Only errors of the constraint system.
pub fn hash2(a: &FpVar<Fr>, b: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    hash(&[a.clone(), b.clone()])
}

/// [`hash`] of four inputs (`Poseidon(4)`, for 4-ary Merkle nodes): 297 constraints for four
/// variables.
///
/// # Errors
/// Only errors of the constraint system.
pub fn hash4(x: &[FpVar<Fr>; 4]) -> Result<FpVar<Fr>, SynthesisError> {
    hash(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poseidon::params;
    use ark_relations::gr1cs::ConstraintSystem;
    use proptest::prelude::*;

    /// circomlib's count for `n` variable inputs.
    fn expected_constraints(n: usize) -> usize {
        let p = params(n + 1).unwrap();
        3 * (p.full_rounds() * p.t() + p.partial_rounds()) - 3
    }

    fn witnesses(cs: &ConstraintSystemRef<Fr>, xs: &[Fr]) -> Vec<FpVar<Fr>> {
        xs.iter()
            .map(|x| FpVar::new_witness(cs.clone(), || Ok(*x)).unwrap())
            .collect()
    }

    /// Synthesizes `hash` on fresh witnesses; returns (output value, constraints, satisfied).
    fn run(xs: &[Fr]) -> (Fr, usize, bool) {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let vars = witnesses(&cs, xs);
        let out = hash(&vars).unwrap();
        assert!(!out.is_constant());
        (
            out.value().unwrap(),
            cs.num_constraints(),
            cs.is_satisfied().unwrap(),
        )
    }

    #[test]
    fn constraint_counts_pinned() {
        let mut counts = Vec::new();
        for n in 1..=MAX_INPUTS {
            let xs: Vec<Fr> = (1..=n as u64).map(Fr::from).collect();
            let (_, count, ok) = run(&xs);
            assert!(ok);
            assert_eq!(count, expected_constraints(n), "n = {n}");
            counts.push(count);
        }
        assert_eq!(
            counts,
            [213, 240, 261, 297, 321, 354, 381, 402, 417, 459, 465, 504, 543, 537, 573, 609]
        );
    }

    #[test]
    fn known_answers_in_circuit() {
        for (inputs, output) in crate::poseidon::tests::vectors() {
            let (value, _, ok) = run(&inputs);
            assert!(ok);
            assert_eq!(value, output);
        }
    }

    #[test]
    fn output_is_bound() {
        // Enforcing a wrong output makes the system unsatisfiable.
        let cs = ConstraintSystem::<Fr>::new_ref();
        let vars = witnesses(&cs, &[Fr::from(1u64), Fr::from(2u64)]);
        let out = hash2(&vars[0], &vars[1]).unwrap();
        let wrong =
            FpVar::new_witness(cs.clone(), || Ok(out.value().unwrap() + Fr::from(1u64))).unwrap();
        out.enforce_equal(&wrong).unwrap();
        assert!(!cs.is_satisfied().unwrap());
    }

    #[test]
    fn every_witness_is_determined() {
        // Malicious-witness sweep on the finalized matrices: with the output public, changing
        // any single witness (an input or an S-box intermediate) breaks some constraint.
        for n in [1, 2, 5, 16] {
            let cs = ConstraintSystem::<Fr>::new_ref();
            let xs: Vec<Fr> = (0..n as u64).map(|i| Fr::from(i * i + 3)).collect();
            let vars = witnesses(&cs, &xs);
            let out = hash(&vars).unwrap();
            let public = FpVar::new_input(cs.clone(), || out.value()).unwrap();
            out.enforce_equal(&public).unwrap();
            assert_eq!(cs.num_constraints(), expected_constraints(n) + 1);
            let r1cs = crate::r1cs_check::R1cs::extract(&cs);
            assert!(r1cs.honest_ok());
            assert_eq!(r1cs.mutation_sweep(&[]), Vec::<usize>::new(), "n = {n}");
        }
    }

    #[test]
    fn constants_fold() {
        let xs = [
            Fr::from(3u64),
            Fr::from(4u64),
            Fr::from(5u64),
            Fr::from(6u64),
        ];
        let consts: Vec<FpVar<Fr>> = xs.iter().map(|x| FpVar::Constant(*x)).collect();
        let out = hash4(&[
            consts[0].clone(),
            consts[1].clone(),
            consts[2].clone(),
            consts[3].clone(),
        ])
        .unwrap();
        assert!(out.is_constant());
        assert_eq!(out.value().unwrap(), crate::poseidon::hash4(xs));

        // Mixed: one constant input saves its first S-box (3 constraints).
        let cs = ConstraintSystem::<Fr>::new_ref();
        let mut vars = witnesses(&cs, &xs[..3]);
        vars.push(consts[3].clone());
        let out = hash(&vars).unwrap();
        assert_eq!(out.value().unwrap(), crate::poseidon::hash4(xs));
        assert_eq!(cs.num_constraints(), expected_constraints(4) - 3);
        assert!(cs.is_satisfied().unwrap());
    }

    #[test]
    fn setup_mode_needs_no_values() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_mode(ark_relations::gr1cs::SynthesisMode::Setup);
        let vars: Vec<FpVar<Fr>> = (0..3)
            .map(|_| {
                FpVar::new_witness(cs.clone(), || -> Result<Fr, SynthesisError> {
                    Err(SynthesisError::AssignmentMissing)
                })
                .unwrap()
            })
            .collect();
        let out = hash(&vars).unwrap();
        assert!(out.value().is_err());
        assert_eq!(cs.num_constraints(), expected_constraints(3));
    }

    #[test]
    fn bad_arity_refused() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        assert_eq!(hash(&[]).unwrap_err(), SynthesisError::Unsatisfiable);
        let vars = witnesses(&cs, &[Fr::from(1u64); MAX_INPUTS + 1]);
        assert_eq!(hash(&vars).unwrap_err(), SynthesisError::Unsatisfiable);
        assert_eq!(cs.num_constraints(), 0);
        assert!(hash(&vars[..MAX_INPUTS]).is_ok());
    }

    fn field_element() -> impl Strategy<Value = Fr> {
        prop_oneof![
            any::<u64>().prop_map(Fr::from),
            any::<[u8; 32]>().prop_map(|b| <Fr as ark_ff::PrimeField>::from_le_bytes_mod_order(&b)),
            Just(Fr::zero()),
            Just(-Fr::from(1u64)),
        ]
    }

    fn native_equals_gadget(xs: &[Fr]) -> Result<(), TestCaseError> {
        let (value, count, ok) = run(xs);
        prop_assert!(ok);
        prop_assert_eq!(count, expected_constraints(xs.len()));
        prop_assert_eq!(Ok(value), crate::poseidon::hash(xs));
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn native_equals_gadget_1(xs in prop::collection::vec(field_element(), 1)) {
            native_equals_gadget(&xs)?;
        }

        #[test]
        fn native_equals_gadget_2(xs in prop::collection::vec(field_element(), 2)) {
            native_equals_gadget(&xs)?;
        }

        #[test]
        fn native_equals_gadget_4(xs in prop::collection::vec(field_element(), 4)) {
            native_equals_gadget(&xs)?;
        }

        #[test]
        fn native_equals_gadget_5(xs in prop::collection::vec(field_element(), 5)) {
            native_equals_gadget(&xs)?;
        }

        #[test]
        fn native_equals_gadget_16(xs in prop::collection::vec(field_element(), 16)) {
            native_equals_gadget(&xs)?;
        }
    }
}
