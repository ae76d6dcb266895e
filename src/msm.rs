//! Multi-scalar multiplication for the prover: Pippenger's bucket method with signed digits and
//! batched affine additions, for G1 and G2 alike (any short Weierstrass curve).
//!
//! - **Signed digits**: each scalar is cut into windows of `c` bits, recoded into digits in
//!   `(-2^(c-1), 2^(c-1)]`, so a window has `2^(c-1)` buckets, not `2^c - 1`: a negative digit
//!   adds the negated point, which is free.
//! - **Batched affine additions**: buckets are kept in affine form, and the additions of a
//!   window are made in batches that share one field inversion (Montgomery's trick). An affine
//!   addition then costs about 6 multiplications, against 11 for the mixed Jacobian addition
//!   arkworks uses. A bucket is touched at most once per batch; a second addition to it waits
//!   for the next batch. The rare additions whose operands share an `x` (doubling, or a point
//!   and its negation) are done directly.
//! - **Parallelism**: windows are independent and run as rayon tasks.
//!
//! Zero scalars and identity bases are skipped. The scalars are the prover's witness, so this
//! code runs in variable time: like arkworks' MSM, it leaks timing, not values, to someone who
//! can time the prover's machine.

use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ec::{AdditiveGroup, AffineRepr};
use ark_ff::{BigInt, Field, Zero};
use rayon::prelude::*;

/// Additions in one batch, sharing one inversion.
const BATCH: usize = 512;

/// Window width for `n` points.
fn window_bits(n: usize) -> usize {
    match n {
        0..=31 => 3,
        32..=1023 => 7,
        1024..=4095 => 10,
        4096..=32767 => 12,
        _ => 14,
    }
}

/// `c` bits of `s` from bit `offset` (bits past the top read as zero).
fn bits_at(s: &BigInt<4>, offset: usize, c: usize) -> u64 {
    let limb = offset / 64;
    if limb >= 4 {
        return 0;
    }
    let shift = offset % 64;
    let mut v = s.0[limb] >> shift;
    if shift + c > 64 && limb + 1 < 4 {
        v |= s.0[limb + 1] << (64 - shift);
    }
    v & ((1u64 << c) - 1)
}

/// Signed digits of every scalar, window-major: `digits[w * n + i]` is scalar `i`'s digit in
/// window `w`. Scalars are below 2^254, so `windows * c >= 255` leaves no final carry.
fn signed_digits(scalars: &[BigInt<4>], c: usize, windows: usize) -> Vec<i32> {
    let n = scalars.len();
    let mut digits = vec![0i32; windows * n];
    let half = 1i64 << (c - 1);
    for (i, s) in scalars.iter().enumerate() {
        let mut carry = 0i64;
        for w in 0..windows {
            let v = bits_at(s, w * c, c) as i64 + carry;
            let d = if v > half {
                carry = 1;
                v - (1 << c)
            } else {
                carry = 0;
                v
            };
            digits[w * n + i] = d as i32;
        }
    }
    digits
}

/// One window: the sum over buckets `k * B_k`, where bucket `B_k` collects the points whose
/// digit is `+-k`.
fn window_sum<P: SWCurveConfig>(
    bases: &[Affine<P>],
    digits: &[i32],
    buckets_len: usize,
) -> Projective<P> {
    let mut buckets = vec![Affine::<P>::identity(); buckets_len];
    // pending additions: (bucket, base index, negate)
    let mut pending: Vec<(u32, u32, bool)> = digits
        .iter()
        .enumerate()
        .filter(|(i, &d)| d != 0 && !bases[*i].is_zero())
        .map(|(i, &d)| ((d.unsigned_abs() - 1), i as u32, d < 0))
        .collect();
    // busy[b] == stamp: bucket b already has an addition in the current batch
    let mut busy = vec![0u32; buckets_len];
    let mut stamp = 1u32;
    let mut batch: Vec<(u32, Affine<P>)> = Vec::with_capacity(BATCH);
    let mut denominators: Vec<P::BaseField> = Vec::with_capacity(BATCH);
    let mut deferred = Vec::new();
    while !pending.is_empty() {
        for &(b, i, negate) in &pending {
            let bucket = b as usize;
            if busy[bucket] == stamp {
                deferred.push((b, i, negate));
                continue;
            }
            let p = if negate {
                -bases[i as usize]
            } else {
                bases[i as usize]
            };
            let acc = &mut buckets[bucket];
            if acc.is_zero() {
                *acc = p;
            } else if acc.x == p.x {
                // doubling or cancellation: rare, done at once
                *acc = (acc.into_group() + p).into();
            } else {
                busy[bucket] = stamp;
                denominators.push(p.x - acc.x);
                batch.push((b, p));
                if batch.len() == BATCH {
                    apply(&mut buckets, &mut batch, &mut denominators);
                    stamp += 1;
                }
            }
        }
        apply(&mut buckets, &mut batch, &mut denominators);
        stamp += 1;
        std::mem::swap(&mut pending, &mut deferred);
        deferred.clear();
    }
    // sum_k k B_k by running sums, from the top bucket down
    let mut running = Projective::<P>::zero();
    let mut sum = Projective::<P>::zero();
    for b in buckets.iter().rev() {
        running += b;
        sum += running;
    }
    sum
}

/// Makes the batched additions `bucket += p`, with one inversion for the whole batch.
fn apply<P: SWCurveConfig>(
    buckets: &mut [Affine<P>],
    batch: &mut Vec<(u32, Affine<P>)>,
    denominators: &mut Vec<P::BaseField>,
) {
    ark_ff::batch_inversion(denominators);
    for ((b, p), inv) in batch.iter().zip(denominators.iter()) {
        let acc = &mut buckets[*b as usize];
        let lambda = (p.y - acc.y) * inv;
        let x3 = lambda.square() - acc.x - p.x;
        let y3 = lambda * (acc.x - x3) - acc.y;
        *acc = Affine::new_unchecked(x3, y3);
    }
    batch.clear();
    denominators.clear();
}

/// `sum_i scalars[i] * bases[i]` over the first `min(len)` pairs. Scalars must be below 2^254
/// (any BN254 scalar field element is).
pub(crate) fn msm<P: SWCurveConfig>(bases: &[Affine<P>], scalars: &[BigInt<4>]) -> Projective<P> {
    let n = bases.len().min(scalars.len());
    let (bases, scalars) = (&bases[..n], &scalars[..n]);
    if n == 0 {
        return Projective::zero();
    }
    let c = window_bits(n);
    let windows = 255usize.div_ceil(c);
    let digits = signed_digits(scalars, c, windows);
    let sums: Vec<Projective<P>> = (0..windows)
        .into_par_iter()
        .map(|w| window_sum(bases, &digits[w * n..(w + 1) * n], 1 << (c - 1)))
        .collect();
    let mut total = Projective::<P>::zero();
    for sum in sums.iter().rev() {
        for _ in 0..c {
            total.double_in_place();
        }
        total += sum;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
    use ark_ec::{CurveGroup, PrimeGroup, VariableBaseMSM};
    use ark_ff::{PrimeField, UniformRand};
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    fn check<P: SWCurveConfig<ScalarField = Fr>>(bases: &[Affine<P>], scalars: &[Fr]) {
        let bigints: Vec<_> = scalars.iter().map(|s| s.into_bigint()).collect();
        let expected = Projective::<P>::msm(bases, scalars).unwrap();
        assert_eq!(msm(bases, &bigints), expected, "n = {}", bases.len());
    }

    fn random_bases(rng: &mut ChaCha20Rng, n: usize) -> Vec<G1Affine> {
        let g = G1Projective::generator();
        let v: Vec<G1Projective> = (0..n).map(|_| g * Fr::rand(rng)).collect();
        G1Projective::normalize_batch(&v)
    }

    #[test]
    fn matches_arkworks_on_random_inputs_of_every_window_size() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        for n in [1usize, 2, 31, 32, 100, 1024, 5000] {
            let bases = random_bases(&mut rng, n);
            let scalars: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            check(&bases, &scalars);
        }
    }

    /// The edge cases of the bucket method: zero, one, -1, small and top scalars, identity
    /// bases, a base repeated (doubling inside a bucket) and a base next to its negation
    /// (cancellation inside a bucket), and more additions to one bucket than a batch holds.
    #[test]
    fn edge_cases() {
        let mut rng = ChaCha20Rng::seed_from_u64(2);
        let mut bases = random_bases(&mut rng, 3000);
        let p = bases[0];
        for b in bases.iter_mut().take(40) {
            *b = p;
        }
        for b in bases.iter_mut().skip(40).take(40) {
            *b = -p;
        }
        for b in bases.iter_mut().skip(80).take(10) {
            *b = G1Affine::identity();
        }
        let mut scalars: Vec<Fr> = (0..3000u64)
            .map(|i| match i % 7 {
                0 => Fr::zero(),
                1 => Fr::from(1u64),
                2 => -Fr::from(1u64),
                3 => Fr::from(i),
                4 => -Fr::from(i),
                _ => Fr::rand(&mut rng),
            })
            .collect();
        // every repeated base with the same scalar: the same bucket in every window
        for s in scalars.iter_mut().take(80) {
            *s = Fr::from(12345u64);
        }
        check(&bases, &scalars);
        // all scalars equal: every addition goes to one bucket per window
        let same = vec![Fr::from(3u64); 3000];
        check(&bases, &same);
        let top = vec![-Fr::from(1u64); 3000];
        check(&bases, &top);
        check(&bases, &vec![Fr::zero(); 3000]);
    }

    #[test]
    fn g2_matches_arkworks() {
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let g = G2Projective::generator();
        let v: Vec<G2Projective> = (0..700).map(|_| g * Fr::rand(&mut rng)).collect();
        let bases: Vec<G2Affine> = G2Projective::normalize_batch(&v);
        let scalars: Vec<Fr> = (0..700).map(|_| Fr::rand(&mut rng)).collect();
        check(&bases, &scalars);
    }

    #[test]
    fn digits_recompose() {
        let mut rng = ChaCha20Rng::seed_from_u64(4);
        for c in [3usize, 7, 10, 12, 14] {
            let windows = 255usize.div_ceil(c);
            let mut scalars: Vec<Fr> = (0..50).map(|_| Fr::rand(&mut rng)).collect();
            scalars.push(-Fr::from(1u64));
            scalars.push(Fr::zero());
            let bigints: Vec<_> = scalars.iter().map(|s| s.into_bigint()).collect();
            let digits = signed_digits(&bigints, c, windows);
            let n = scalars.len();
            for (i, s) in scalars.iter().enumerate() {
                let mut x = Fr::zero();
                for w in (0..windows).rev() {
                    let d = digits[w * n + i];
                    assert!(d.unsigned_abs() <= 1 << (c - 1));
                    x = x * Fr::from(1u64 << c) + Fr::from(i64::from(d));
                }
                assert_eq!(&x, s);
            }
        }
    }
}
