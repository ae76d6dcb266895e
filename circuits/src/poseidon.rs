//! circomlib Poseidon over the BN254 scalar field, 1 to [`MAX_INPUTS`] inputs.
//!
//! Relation: `hash([x_1, ..., x_n]) = y` iff `y` is the first element of the Poseidon
//! permutation of width `t = n + 1` applied to the state `[0, x_1, ..., x_n]`, with circomlib's
//! parameters: S-box `x^5`, `R_F = 8` full rounds (4 before and 4 after the partial rounds),
//! `R_P` partial rounds (56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68 for
//! `t = 2..=17`). Round `k` adds the `t` round constants `C[k*t..(k+1)*t]`, applies the S-box
//! to every element (full rounds) or to `state[0]` only (partial rounds), then replaces the
//! state by `M * state`, i.e. `state'[i] = sum_j M[i][j] * state[j]`.
//!
//! This is the function of circomlib's `Poseidon(n)` template and of circomlibjs'
//! `buildPoseidon` (version 0.1.7): every vector of `shared/vectors/poseidon.json` is reproduced
//! by the tests. The arity is part of the function (`t` selects the parameters), so
//! `hash([x]) != hash([x, 0])` in general; callers never need padding.
//!
//! The constants `C` and `M` are not embedded: they are generated on first use, per width, by the
//! Poseidon authors' Grain LFSR procedure (see the `constants` submodule), and the whole table is
//! pinned by [`table_digest`] in a test.
//!
//! The R1CS gadget is in [`constraints`]: `3 * (8t + R_P) - 3` constraints for `n` variable
//! inputs (213 for one input, 240 for two, 609 for sixteen), exactly circomlib's count.

// Parameter generation (the Grain LFSR and the MDS matrix): runs once per width, for the widths
// 2..=17 fixed at compile time; no input reaches it, and its indexes and loop bounds are
// those constants (SECURITY.md section 6.8).
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod constants;

// Gadget code: it lays out constraints over the prover's own witness, with indexes and sizes
// fixed by the circuit's shape; no input bytes reach it. It keeps the unwrap/expect/panic
// lints but not the crate's indexing and integer-arithmetic ones (SECURITY.md 6.8).
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
pub mod constraints;

use crate::Fr;
use ark_ff::{Field, Zero};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// The largest number of inputs a single Poseidon call accepts (width `t = 17`).
pub const MAX_INPUTS: usize = 16;

/// The largest state width `t`.
const MAX_WIDTH: usize = MAX_INPUTS + 1;

/// Why a Poseidon call was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PoseidonError {
    /// The number of inputs is 0 or more than [`MAX_INPUTS`].
    #[error("Poseidon takes 1 to 16 inputs, got {got}")]
    Arity {
        /// The number of inputs received.
        got: usize,
    },
}

/// The parameters of the Poseidon permutation of one width `t`.
#[derive(Debug)]
pub struct Params {
    t: usize,
    full_rounds: usize,
    partial_rounds: usize,
    /// `(full_rounds + partial_rounds) * t` constants, round by round.
    round_constants: Vec<Fr>,
    /// `t` rows of `t`.
    mds: Vec<Vec<Fr>>,
    /// `mds`, row-major in one allocation (for the native loop).
    mds_flat: Vec<Fr>,
}

impl Params {
    fn new(
        t: usize,
        full_rounds: usize,
        partial_rounds: usize,
        round_constants: Vec<Fr>,
        mds: Vec<Vec<Fr>>,
    ) -> Self {
        let mds_flat = mds.iter().flatten().copied().collect();
        Params {
            t,
            full_rounds,
            partial_rounds,
            round_constants,
            mds,
            mds_flat,
        }
    }

    /// The state width `t` (number of inputs plus one).
    pub fn t(&self) -> usize {
        self.t
    }

    /// The number of full rounds `R_F` (8), half of them before the partial rounds.
    pub fn full_rounds(&self) -> usize {
        self.full_rounds
    }

    /// The number of partial rounds `R_P`.
    pub fn partial_rounds(&self) -> usize {
        self.partial_rounds
    }

    /// The round constants, `t` per round, round after round: round `k` adds
    /// `round_constants()[k*t + i]` to `state[i]`.
    pub fn round_constants(&self) -> &[Fr] {
        &self.round_constants
    }

    /// The MDS matrix as `t` rows: the linear layer is `state'[i] = sum_j mds()[i][j] * state[j]`.
    pub fn mds(&self) -> &[Vec<Fr>] {
        &self.mds
    }

    /// Whether round `r` (counting from 0) is a full round.
    #[inline]
    fn is_full_round(&self, r: usize) -> bool {
        let half = self.full_rounds / 2;
        r < half || r >= half.saturating_add(self.partial_rounds)
    }
}

static TABLES: [OnceLock<Params>; MAX_INPUTS] = [const { OnceLock::new() }; MAX_INPUTS];

/// The parameters of width `t`, generated on first use, or `None` unless `t` is in
/// `2..=MAX_WIDTH`.
fn table(t: usize) -> Option<&'static Params> {
    let i = t.checked_sub(2)?;
    let partial_rounds = *constants::PARTIAL_ROUNDS.get(i)?;
    Some(
        TABLES
            .get(i)?
            .get_or_init(|| constants::generate(t, partial_rounds)),
    )
}

/// The parameters for width `t` (`t = n + 1` for `n` inputs), or `None` unless `2 <= t <= 17`.
/// Generated on first use and cached for the life of the process.
pub fn params(t: usize) -> Option<&'static Params> {
    (2..=MAX_WIDTH).contains(&t).then(|| table(t)).flatten()
}

/// `x^5`.
#[inline(always)]
fn sbox(x: &mut Fr) {
    let x2 = x.square();
    let x4 = x2.square();
    *x *= x4;
}

/// The permutation of `[0, inputs...]`, first element. `inputs.len()` must be `p.t - 1`.
///
/// The state is the first `t` entries of a `MAX_WIDTH` array (`2 <= t <= MAX_WIDTH`); every
/// loop stops after `t` entries, through `take(t)` or a zip with a row or chunk of length `t`.
fn permute(p: &Params, inputs: &[Fr]) -> Fr {
    let t = p.t;
    let mut state = [Fr::zero(); MAX_WIDTH];
    let mut next = [Fr::zero(); MAX_WIDTH];
    for (x, input) in state.iter_mut().skip(1).zip(inputs) {
        *x = *input;
    }
    for (r, constants) in p.round_constants.chunks_exact(t).enumerate() {
        for (x, c) in state.iter_mut().zip(constants) {
            *x += c;
        }
        if p.is_full_round(r) {
            for x in state.iter_mut().take(t) {
                sbox(x);
            }
        } else if let Some(x) = state.first_mut() {
            sbox(x);
        }
        for (out, row) in next.iter_mut().zip(p.mds_flat.chunks_exact(t)) {
            let mut acc = Fr::zero();
            for (m, x) in row.iter().zip(state.iter()) {
                acc += *m * x;
            }
            *out = acc;
        }
        for (x, n) in state.iter_mut().zip(next.iter()).take(t) {
            *x = *n;
        }
    }
    let [first, ..] = state;
    first
}

/// Poseidon of 1 to [`MAX_INPUTS`] field elements (circomlib `Poseidon(n)`).
pub fn hash(inputs: &[Fr]) -> Result<Fr, PoseidonError> {
    let p = inputs
        .len()
        .checked_add(1)
        .and_then(params)
        .filter(|_| !inputs.is_empty())
        .ok_or(PoseidonError::Arity { got: inputs.len() })?;
    Ok(permute(p, inputs))
}

/// Poseidon of two elements (`Poseidon(2)`: binary Merkle nodes, key derivations).
pub fn hash2(a: Fr, b: Fr) -> Fr {
    // Width 3 is in the table: the fallback 0 is never taken.
    table(3).map_or(Fr::zero(), |p| permute(p, &[a, b]))
}

/// Poseidon of four elements (`Poseidon(4)`: 4-ary Merkle nodes).
pub fn hash4(x: [Fr; 4]) -> Fr {
    // Width 5 is in the table: the fallback 0 is never taken.
    table(5).map_or(Fr::zero(), |p| permute(p, &x))
}

/// SHA-256 over the tables as serialized by [`table_digest`].
fn digest_tables<'a>(tables: impl IntoIterator<Item = (&'a [Fr], &'a [Vec<Fr>])>) -> [u8; 32] {
    let mut h = Sha256::new();
    for (round_constants, mds) in tables {
        for c in round_constants {
            h.update(crate::field::to_bytes_be(c));
        }
        for m in mds.iter().flatten() {
            h.update(crate::field::to_bytes_be(m));
        }
    }
    h.finalize().into()
}

/// SHA-256 of the whole parameter table: for `t = 2, 3, ..., 17` in order, the round
/// constants in order, then the MDS matrix row by row (`M[0][0], M[0][1], ..., M[t-1][t-1]`);
/// every element as 32 bytes big-endian, nothing else (no lengths, no separators). Generates
/// every width on first call.
pub fn table_digest() -> [u8; 32] {
    digest_tables(
        (2..=MAX_WIDTH)
            .filter_map(table)
            .map(|p| (p.round_constants(), p.mds())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::parse_decimal;

    /// Expected [`table_digest`]: pins every round constant and MDS entry of every width.
    const TABLE_DIGEST: &str = "5243c148ce09f35ab26d165cebb81c7effd00e89f3c0ae46df35177bebee4135";

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub(super) fn vectors() -> Vec<(Vec<Fr>, Fr)> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../vectors/poseidon.json");
        let text = std::fs::read_to_string(path).expect("poseidon.json");
        let json: serde_json::Value = serde_json::from_str(&text).expect("json");
        json["vectors"]
            .as_array()
            .expect("vectors")
            .iter()
            .map(|v| {
                let inputs: Vec<Fr> = v["inputs"]
                    .as_array()
                    .expect("inputs")
                    .iter()
                    .map(|x| parse_decimal(x.as_str().expect("string")).expect("decimal"))
                    .collect();
                assert_eq!(inputs.len() as u64, v["n"].as_u64().expect("n"));
                let output = parse_decimal(v["output"].as_str().expect("output")).expect("decimal");
                (inputs, output)
            })
            .collect()
    }

    #[test]
    fn known_answers() {
        let vectors = vectors();
        assert_eq!(vectors.len(), 26);
        for n in 1..=MAX_INPUTS {
            assert!(
                vectors.iter().any(|(i, _)| i.len() == n),
                "no vector for {n} inputs"
            );
        }
        for (inputs, output) in &vectors {
            assert_eq!(hash(inputs), Ok(*output), "inputs {inputs:?}");
            match inputs.len() {
                2 => assert_eq!(hash2(inputs[0], inputs[1]), *output),
                4 => assert_eq!(hash4([inputs[0], inputs[1], inputs[2], inputs[3]]), *output),
                _ => {}
            }
        }
    }

    #[test]
    fn table_digest_pinned() {
        assert_eq!(hex(&table_digest()), TABLE_DIGEST);
    }

    #[test]
    fn table_digest_detects_a_changed_constant() {
        let tables: Vec<(Vec<Fr>, Vec<Vec<Fr>>)> = (2..=MAX_WIDTH)
            .map(|t| {
                let p = params(t).unwrap();
                (p.round_constants().to_vec(), p.mds().to_vec())
            })
            .collect();
        let digest = |tables: &[(Vec<Fr>, Vec<Vec<Fr>>)]| {
            digest_tables(tables.iter().map(|(c, m)| (c.as_slice(), m.as_slice())))
        };
        assert_eq!(digest(&tables), table_digest());

        let mut changed = tables.clone();
        changed[7].0[100] += Fr::from(1u64);
        assert_ne!(digest(&changed), table_digest());

        let mut changed = tables.clone();
        changed[15].1[16][16] -= Fr::from(1u64);
        assert_ne!(digest(&changed), table_digest());

        let mut changed = tables;
        changed[0].0.swap(0, 1);
        assert_ne!(digest(&changed), table_digest());
    }

    #[test]
    fn params_shape() {
        assert!(params(0).is_none());
        assert!(params(1).is_none());
        assert!(params(18).is_none());
        for t in 2..=MAX_WIDTH {
            let p = params(t).unwrap();
            assert_eq!(p.t(), t);
            assert_eq!(p.full_rounds(), 8);
            assert_eq!(
                p.round_constants().len(),
                (p.full_rounds() + p.partial_rounds()) * t
            );
            assert_eq!(p.mds().len(), t);
            // Cauchy: no zero entry, and every entry is 1/(x_i + y_j), so
            // 1/M[i][j] - 1/M[i][k] is independent of i.
            let inv: Vec<Vec<Fr>> = p
                .mds()
                .iter()
                .map(|row| row.iter().map(|m| m.inverse().unwrap()).collect())
                .collect();
            for i in 1..t {
                for j in 1..t {
                    assert_eq!(inv[i][j] - inv[i][0], inv[0][j] - inv[0][0]);
                }
            }
        }
    }

    #[test]
    fn d01_arity_is_part_of_the_function() {
        let x = Fr::from(7u64);
        let z = Fr::zero();
        let h1 = hash(&[x]).unwrap();
        let h2 = hash(&[x, z]).unwrap();
        let h3 = hash(&[x, z, z]).unwrap();
        assert_ne!(h1, h2);
        assert_ne!(h1, h3);
        assert_ne!(h2, h3);
        let (a, b) = (Fr::from(1u64), Fr::from(2u64));
        assert_ne!(hash2(a, b), hash2(b, a));
        assert_ne!(hash(&[a, b]), hash(&[b, a]));
        // Zero-padding to a longer arity never collides with the shorter one.
        for n in 1..MAX_INPUTS {
            let short: Vec<Fr> = (1..=n as u64).map(Fr::from).collect();
            let mut long = short.clone();
            long.push(z);
            assert_ne!(hash(&short), hash(&long), "n = {n}");
        }
    }

    #[test]
    fn d01_bad_arity_refused() {
        assert_eq!(hash(&[]), Err(PoseidonError::Arity { got: 0 }));
        let too_many = vec![Fr::from(1u64); MAX_INPUTS + 1];
        assert_eq!(hash(&too_many), Err(PoseidonError::Arity { got: 17 }));
        assert!(hash(&too_many[..MAX_INPUTS]).is_ok());
        assert_eq!(
            PoseidonError::Arity { got: 17 }.to_string(),
            "Poseidon takes 1 to 16 inputs, got 17"
        );
    }
}
