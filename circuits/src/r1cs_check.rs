//! A small R1CS matrix checker of our own, for malicious-witness tests (SECURITY.md section 4).
//!
//! Honest synthesis fills a constraint system; [`R1cs::extract`] finalizes it and takes the A, B,
//! C matrices and the full assignment `z = instance || witness`. Tests then tamper with `z`
//! freely and ask [`R1cs::is_satisfied`], which evaluates `(A z) * (B z) == C z` row by row with
//! no cached values. [`R1cs::mutation_sweep`] changes one witness variable at a time by +1, -1
//! and a random amount and reports every variable whose change leaves the system satisfied.

use crate::Fr;
use ark_ff::{One, UniformRand};
use ark_relations::gr1cs::{ConstraintSystemRef, Matrix, Variable};
use rand::SeedableRng;

/// The finalized matrices and assignment of one constraint system.
pub(crate) struct R1cs {
    a: Matrix<Fr>,
    b: Matrix<Fr>,
    c: Matrix<Fr>,
    num_instance: usize,
    /// `instance || witness`, index 0 is the constant one.
    pub(crate) z: Vec<Fr>,
    /// For each variable index, the rows that mention it.
    rows_of: Vec<Vec<usize>>,
}

fn dot(row: &[(Fr, usize)], z: &[Fr]) -> Fr {
    row.iter().map(|(coeff, i)| *coeff * z[*i]).sum()
}

impl R1cs {
    /// Finalizes `cs` (inlining every linear combination) and extracts the R1CS matrices.
    pub(crate) fn extract(cs: &ConstraintSystemRef<Fr>) -> Self {
        cs.finalize();
        let mut m = cs.to_matrices().expect("matrices");
        let mut abc = m.remove("R1CS").expect("an R1CS predicate");
        assert_eq!(abc.len(), 3, "R1CS has three matrices");
        let c = abc.pop().expect("C");
        let b = abc.pop().expect("B");
        let a = abc.pop().expect("A");
        let instance = cs.instance_assignment().expect("instance");
        let witness = cs.witness_assignment().expect("witness");
        let num_instance = instance.len();
        let z: Vec<Fr> = instance.into_iter().chain(witness).collect();
        let mut rows_of = vec![Vec::new(); z.len()];
        for (r, ((ra, rb), rc)) in a.iter().zip(&b).zip(&c).enumerate() {
            for (_, i) in ra.iter().chain(rb).chain(rc) {
                if rows_of[*i].last() != Some(&r) {
                    rows_of[*i].push(r);
                }
            }
        }
        R1cs {
            a,
            b,
            c,
            num_instance,
            z,
            rows_of,
        }
    }

    fn row_ok(&self, r: usize, z: &[Fr]) -> bool {
        dot(&self.a[r], z) * dot(&self.b[r], z) == dot(&self.c[r], z)
    }

    /// The first unsatisfied row under assignment `z`, if any.
    pub(crate) fn first_unsatisfied(&self, z: &[Fr]) -> Option<usize> {
        (0..self.a.len()).find(|&r| !self.row_ok(r, z))
    }

    /// Whether every row holds under `z`.
    pub(crate) fn is_satisfied(&self, z: &[Fr]) -> bool {
        self.first_unsatisfied(z).is_none()
    }

    /// Index into `z` of an allocated variable (None for constants and symbolic LCs).
    pub(crate) fn index(&self, v: Variable) -> Option<usize> {
        if v.is_one() || v.is_instance() || v.is_witness() {
            v.get_variable_index(self.num_instance)
        } else {
            None
        }
    }

    /// Changes each witness variable alone by +1, -1 and a random amount, and returns the
    /// indices (into `z`) for which some change still satisfies every constraint, minus those
    /// on `allow` (variables reviewed as free, with a reason at the call site).
    pub(crate) fn mutation_sweep(&self, allow: &[usize]) -> Vec<usize> {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(0x5eed);
        let mut z = self.z.clone();
        let mut survivors = Vec::new();
        for i in self.num_instance..z.len() {
            if allow.contains(&i) {
                continue;
            }
            let orig = z[i];
            let deltas = [Fr::one(), -Fr::one(), Fr::rand(&mut rng)];
            let mut survived = false;
            for d in deltas {
                z[i] = orig + d;
                if self.rows_of[i].iter().all(|&r| self.row_ok(r, &z)) {
                    survived = true;
                }
            }
            z[i] = orig;
            if survived {
                survivors.push(i);
            }
        }
        survivors
    }

    /// Whether every row holds for the honest assignment.
    pub(crate) fn honest_ok(&self) -> bool {
        self.is_satisfied(&self.z)
    }
}
