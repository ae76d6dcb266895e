//! Fixed-base scalar multiplication in G1 with precomputed tables, for the verifying key's input
//! commitments: a verifier multiplies the same 8 points by every presentation's public inputs.
//!
//! A scalar is recoded into 33 signed radix-256 digits `d_i` in `[-128, 127]` (plus a final
//! carry digit), so `x = sum d_i 256^i`. The table holds `k 256^i P` for `k = 1..=128` and every
//! window `i`, in affine form: a multiplication is at most 33 mixed additions and no doubling.
//! Size: 33 * 128 affine points (270 KB) per base. Public inputs are public: the code is not
//! constant-time, and need not be.

use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ec::{AdditiveGroup, AffineRepr, CurveGroup};
use ark_ff::{BigInteger, PrimeField};

/// Window width in bits.
const W: usize = 8;
/// Largest digit magnitude, `2^(W-1)`.
const HALF: usize = 1 << (W - 1);
/// Windows: 256 bits of scalar plus one for the last carry.
const WINDOWS: usize = 256 / W + 1;

/// The precomputed multiples of one base point.
#[derive(Clone)]
pub(crate) struct FixedBaseTable {
    /// `table[i * HALF + (k - 1)] = k 256^i P`.
    table: Vec<G1Affine>,
}

impl std::fmt::Debug for FixedBaseTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FixedBaseTable")
            .field("points", &self.table.len())
            .finish()
    }
}

/// Signed radix-256 digits of a scalar, least significant first.
fn signed_digits(x: &Fr) -> [i16; WINDOWS] {
    let bytes = x.into_bigint().to_bytes_le();
    let mut digits = [0i16; WINDOWS];
    let mut carry = 0i16;
    for (i, d) in digits.iter_mut().enumerate() {
        // A byte plus a carry of 0 or 1: 0..=256, so `v - 256` is in -128..=0; i16 holds both
        // exactly, and the saturating operations never saturate.
        let v = i16::from(bytes.get(i).copied().unwrap_or(0)).saturating_add(carry);
        if v >= HALF as i16 {
            *d = v.saturating_sub(256);
            carry = 1;
        } else {
            *d = v;
            carry = 0;
        }
    }
    digits
}

impl FixedBaseTable {
    /// Precomputes the table of `base` (about 4,200 additions and one batch inversion).
    pub(crate) fn new(base: &G1Affine) -> Self {
        let mut projective = Vec::with_capacity(WINDOWS * HALF);
        let mut window_base = base.into_group();
        for _ in 0..WINDOWS {
            let mut acc = window_base;
            for _ in 0..HALF {
                projective.push(acc);
                acc += window_base;
            }
            for _ in 0..W {
                window_base.double_in_place();
            }
        }
        FixedBaseTable {
            table: G1Projective::normalize_batch(&projective),
        }
    }

    /// `x P`.
    #[cfg(test)]
    pub(crate) fn mul(&self, x: &Fr) -> G1Projective {
        let mut acc = G1Projective::default();
        self.mul_add_into(&mut acc, x);
        acc
    }

    /// `acc += x P`.
    pub(crate) fn mul_add_into(&self, acc: &mut G1Projective, x: &Fr) {
        // Window `i` owns `table[i * HALF..(i + 1) * HALF]`, and a digit `d != 0` has
        // `1 <= |d| <= HALF`: its point is entry `|d| - 1` of the window's chunk.
        for (window, &d) in self.table.chunks_exact(HALF).zip(signed_digits(x).iter()) {
            let Some(point) = usize::from(d.unsigned_abs())
                .checked_sub(1)
                .and_then(|k| window.get(k))
            else {
                // d == 0: nothing to add
                continue;
            };
            if d > 0 {
                *acc += point;
            } else {
                *acc -= point;
            }
        }
    }
}

/// Checks that the table agrees with plain scalar multiplication.
#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::PrimeGroup;
    use ark_ff::{Field, UniformRand, Zero};
    use rand::SeedableRng;

    #[test]
    fn table_matches_scalar_multiplication() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
        let base = (G1Projective::generator() * Fr::rand(&mut rng)).into_affine();
        let table = FixedBaseTable::new(&base);
        let mut cases = vec![
            Fr::zero(),
            Fr::ONE,
            -Fr::ONE,
            Fr::from(127u64),
            Fr::from(128u64),
            Fr::from(255u64),
            Fr::from(256u64),
            Fr::from(u64::MAX),
            Fr::from(2u64).pow([253u64]),
            -Fr::from(2u64).pow([253u64]),
        ];
        cases.extend((0..64).map(|_| Fr::rand(&mut rng)));
        for x in cases {
            assert_eq!(table.mul(&x), base * x, "x = {x}");
        }
    }

    #[test]
    fn digits_recompose() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(8);
        for _ in 0..256 {
            let x = Fr::rand(&mut rng);
            let digits = signed_digits(&x);
            assert!(digits.iter().all(|&d| (-128..128).contains(&d)));
            let mut y = Fr::zero();
            for &d in digits.iter().rev() {
                y = y * Fr::from(256u64) + Fr::from(i64::from(d));
            }
            assert_eq!(x, y);
        }
    }
}
