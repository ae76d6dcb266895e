//! Generation of circomlib's Poseidon parameters from first principles.
//!
//! circomlib (and circomlibjs, whose `poseidon_constants.js` holds the resulting tables) ran the
//! Poseidon authors' reference script `generate_parameters_grain.sage` once per width `t` as
//! `sage generate_parameters_grain.sage 1 0 254 t 8 R_P r`: a prime field, the `x^alpha` S-box,
//! 254-bit field elements, `R_F = 8` and the partial round count `R_P` of [`PARTIAL_ROUNDS`].
//! This module replays that procedure instead of embedding its output:
//!
//! 1. An 80-bit Grain LFSR `b[0..80]` is seeded with, in this order and most significant bit
//!    first: 2 bits field type (`0b01`), 4 bits S-box type (`0b0000`), 12 bits `n = 254`,
//!    12 bits `t`, 10 bits `R_F`, 10 bits `R_P`, then 30 one bits. Each step outputs
//!    `b[62] ^ b[51] ^ b[38] ^ b[23] ^ b[13] ^ b[0]`, drops `b[0]` and appends the new bit.
//!    The first 160 outputs are discarded.
//! 2. Self-shrinking: outputs are taken in pairs; a pair `(1, y)` yields the bit `y`, a pair
//!    `(0, _)` yields nothing.
//! 3. Round constants: `(R_F + R_P) * t` draws of 254 bits, most significant bit first; a draw
//!    `>= r` is thrown away and drawn again.
//! 4. MDS matrix: `2t` further draws of 254 bits, each reduced mod r, split into `x_0..x_t` and
//!    `y_0..y_t`; if two of the `2t` values coincide or some `x_i + y_j` is zero, all `2t` are
//!    drawn again. Then `M[i][j] = 1 / (x_i + y_j)` (a Cauchy matrix), applied as
//!    `state'[i] = sum_j M[i][j] * state[j]`.
//!
//! The reference script also runs three security checks on the MDS candidate (its
//! `algorithm_1`, `algorithm_2`, `algorithm_3`: no invariant subspaces over iterated rounds) and
//! draws a new candidate if one fails. For every width used here the first candidate passed: the
//! circomlibjs known-answer vectors (`shared/vectors/poseidon.json`, every arity 1 to 16) are
//! reproduced with the first candidate, and any other candidate would change them. The checks
//! are therefore not re-run here, and no per-width candidate index needs to be pinned. The whole
//! generated table is pinned by a SHA-256 digest test in the parent module.

use super::Params;
use crate::Fr;
use ark_ff::{BigInt, BigInteger, Field, PrimeField, Zero};

/// Full rounds (`R_F`): half before the partial rounds, half after.
pub(super) const FULL_ROUNDS: usize = 8;

/// Partial rounds (`R_P`) for `t = 2, 3, ..., 17`, as in circomlib's `poseidon.circom` and
/// circomlibjs (the paper's recommendation, rounded up).
pub(super) const PARTIAL_ROUNDS: [usize; 16] = [
    56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68,
];

/// Bits per draw: the bit length of the BN254 scalar field modulus.
const FIELD_BITS: usize = 254;

/// Grain LFSR in self-shrinking mode, as in the reference script.
struct Grain {
    /// `b[i]` is bit `i`; `b[0]` is the oldest bit, `b[79]` the newest.
    state: u128,
}

impl Grain {
    fn new(t: usize, full_rounds: usize, partial_rounds: usize) -> Self {
        let fields: [(u128, u32); 7] = [
            (1, 2),                   // field type: prime field
            (0, 4),                   // S-box type: x^alpha
            (FIELD_BITS as u128, 12), // n
            (t as u128, 12),
            (full_rounds as u128, 10),
            (partial_rounds as u128, 10),
            ((1 << 30) - 1, 30),
        ];
        let mut state = 0u128;
        let mut pos = 0u32;
        for (value, width) in fields {
            for k in (0..width).rev() {
                state |= ((value >> k) & 1) << pos;
                pos += 1;
            }
        }
        let mut grain = Grain { state };
        for _ in 0..160 {
            grain.step();
        }
        grain
    }

    /// One LFSR step: returns the new bit.
    #[inline]
    fn step(&mut self) -> u64 {
        let s = self.state;
        let bit = ((s >> 62) ^ (s >> 51) ^ (s >> 38) ^ (s >> 23) ^ (s >> 13) ^ s) & 1;
        self.state = (s >> 1) | (bit << 79);
        bit as u64
    }

    /// One output bit of the self-shrinking generator.
    #[inline]
    fn next_bit(&mut self) -> u64 {
        loop {
            let keep = self.step();
            let bit = self.step();
            if keep == 1 {
                return bit;
            }
        }
    }

    /// `FIELD_BITS` output bits read as an integer, first bit most significant.
    fn next_integer(&mut self) -> BigInt<4> {
        let mut limbs = [0u64; 4];
        for k in (0..FIELD_BITS).rev() {
            limbs[k / 64] |= self.next_bit() << (k % 64);
        }
        BigInt::new(limbs)
    }

    /// A draw below r, drawing again on values `>= r` (round constants).
    fn next_rejecting(&mut self) -> Fr {
        loop {
            if let Some(x) = Fr::from_bigint(self.next_integer()) {
                return x;
            }
        }
    }

    /// A draw reduced mod r (MDS seeds).
    fn next_reduced(&mut self) -> Fr {
        Fr::from_le_bytes_mod_order(&self.next_integer().to_bytes_le())
    }
}

/// Generates the parameters for width `t` with `partial_rounds` partial rounds.
pub(super) fn generate(t: usize, partial_rounds: usize) -> Params {
    let mut grain = Grain::new(t, FULL_ROUNDS, partial_rounds);

    let round_constants: Vec<Fr> = (0..(FULL_ROUNDS + partial_rounds) * t)
        .map(|_| grain.next_rejecting())
        .collect();

    let mds = loop {
        let seeds: Vec<Fr> = (0..2 * t).map(|_| grain.next_reduced()).collect();
        if let Some(m) = cauchy(&seeds[..t], &seeds[t..]) {
            break m;
        }
    };

    Params::new(t, FULL_ROUNDS, partial_rounds, round_constants, mds)
}

/// `M[i][j] = 1 / (x_i + y_j)`, or `None` when the reference script would draw again: two equal
/// seeds, or some `x_i + y_j = 0`.
fn cauchy(xs: &[Fr], ys: &[Fr]) -> Option<Vec<Vec<Fr>>> {
    let mut all: Vec<Fr> = xs.iter().chain(ys).copied().collect();
    all.sort_unstable();
    if all.windows(2).any(|w| w[0] == w[1]) {
        return None;
    }
    xs.iter()
        .map(|x| {
            ys.iter()
                .map(|y| {
                    let sum = *x + y;
                    if sum.is_zero() {
                        None
                    } else {
                        sum.inverse()
                    }
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lfsr_seed_layout() {
        // The seed for t = 3, R_F = 8, R_P = 57 spelled out as a bit string (b[0] first), then
        // warmed up by hand: must match `Grain::new` bit for bit afterwards.
        let seed = [
            "01",           // field type: prime
            "0000",         // S-box: x^alpha
            "000011111110", // n = 254
            "000000000011", // t = 3
            "0000001000",   // R_F = 8
            "0000111001",   // R_P = 57
            "111111111111111111111111111111",
        ]
        .concat();
        assert_eq!(seed.len(), 80);
        let mut state = 0u128;
        for (i, c) in seed.chars().enumerate() {
            if c == '1' {
                state |= 1 << i;
            }
        }
        let mut by_hand = Grain { state };
        for _ in 0..160 {
            by_hand.step();
        }
        let mut generated = Grain::new(3, 8, 57);
        for _ in 0..1000 {
            assert_eq!(by_hand.step(), generated.step());
        }
    }

    #[test]
    fn cauchy_rejects_like_the_reference() {
        let one = Fr::from(1u64);
        let two = Fr::from(2u64);
        // Repeated seed.
        assert!(cauchy(&[one, two], &[one, Fr::from(3u64)]).is_none());
        // x_0 + y_0 = 0.
        assert!(cauchy(&[one, two], &[-one, Fr::from(3u64)]).is_none());
        let m = cauchy(&[one, two], &[Fr::from(3u64), Fr::from(4u64)]).unwrap();
        assert_eq!(m[1][0] * Fr::from(5u64), one);
        assert_eq!(m[0][1] * Fr::from(5u64), one);
    }

    #[test]
    fn table_shapes() {
        for (k, &rp) in PARTIAL_ROUNDS.iter().enumerate() {
            let t = k + 2;
            let p = crate::poseidon::params(t).unwrap();
            assert_eq!(
                (p.t(), p.full_rounds(), p.partial_rounds()),
                (t, FULL_ROUNDS, rp)
            );
            assert_eq!(p.round_constants().len(), (FULL_ROUNDS + rp) * t);
            assert_eq!(p.mds().len(), t);
            assert!(p.mds().iter().all(|row| row.len() == t));
        }
    }
}
