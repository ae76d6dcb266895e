//! The pairing check of verification (issue 5, item 3): arkworks' BN254 Miller loop, with the
//! lines multiplied together in pairs before they meet the accumulator and the lines of the
//! fixed G2 points (`-gamma`, `-delta`) scaled once so that their constant coefficient is one;
//! arkworks' final exponentiation with a shorter exponentiation by `x` (width-4 NAF, 16
//! multiplications instead of 23); `B`'s lines computed here ([`prepare_g2`]); and all of it
//! on the `Fq2` arithmetic of [`crate::tower`] (Karatsuba with lazy reduction). Everything is
//! pinned to arkworks' results by the tests below.
//!
//! Measured (callgrind, instructions per `verify_raw` of a presentation proof; the last
//! column adds `tower`'s one reduction per `Fq12` coefficient and branch-free sums):
//!
//! | part | arkworks | ours, arkworks' `Fq2` | ours, `crate::tower` | and branch-free |
//! |---|---:|---:|---:|---:|
//! | `B`'s lines | 0.99 M | 0.99 M | 0.82 M | 0.88 M |
//! | Miller loop | 5.45 M | 4.90 M | 4.45 M | 4.78 M |
//! | final exponentiation | 3.54 M | 3.03 M | 2.94 M | 3.43 M |
//! | mispredicted branches (simulated), whole verification | | | 44.7 k | 6.7 k |
//!
//! The instruction counts understate the last two steps: our `Fq2` product executes about as
//! many instructions as arkworks' but has three independent products where arkworks has two
//! dependent chains, and runs 20-32% faster; the branch-free sums execute more instructions
//! and save a misprediction (some 15 cycles) on about every other sum. Against stock
//! ark-groth16 verification in alternating rounds (`bench_report`), the whole verification
//! went from 1.49-1.58x to 1.63-1.80x with our `Fq2`, and the last step bought about 3% more
//! (median of in-process runs in turn; 9% in the fastest runs).
//!
//! Notation: `Fq12 = Fq6[w] / (w^2 - v)`, `Fq6 = Fq2[v] / (v^3 - xi)`. arkworks' BN254 twist is
//! a D-type twist: the line of step `k` at a G1 point `P = (x, y)` is
//! `l = c0 y + c1 x w + c2 v w`, where `(c0, c1, c2)` is `ell_coeffs[k]` of the prepared G2
//! point (arkworks' `Bn::ell`, `mul_by_034`).
//!
//! **Why scaling is allowed.** The final exponentiation raises to `(q^12 - 1) / r`, a multiple
//! of `q^2 - 1`, so it maps every nonzero element of `Fq2` to one. Dividing a line by
//! `c0 y` (`c0` in `Fq2`, `y` in `Fq`) therefore leaves the pairing unchanged: the Miller-loop
//! value differs from arkworks', its final exponentiation does not (pinned by the tests below).
//! The scaled line is `1 + a w + b v w` with `a = (c1 / c0) (x / y)` and `b = (c2 / c0) / y`:
//! `c1 / c0` and `c2 / c0` are computed once per key, `x / y` and `1 / y` once per loop.
//!
//! **Costs** (in `Fq2` multiplications, `M`): arkworks multiplies each line into the
//! accumulator `f` with `mul_by_034`, 13 M. Here two scaled lines multiply together in 3 M and
//! two general lines in 6 M, into an element with one zero coefficient out of six, which meets
//! `f` in 17 M. A single verification (lines of `B`, `-gamma`, `-delta` at every step) pays
//! 13 + 3 + 17 = 33 M per step instead of 39; a batch of `n` proofs pays about 11.5 M per proof
//! per step instead of 13.

use crate::tower::{
    add2, cyclotomic_sqr12, karatsuba3, mul12, mul12_by_034, mul12_by_pair, mul2, nr2, sqr12, sqr2,
    sub2,
};
use ark_bn254::{Config, Fq, Fq12, Fq2, Fq6, G1Affine, G2Affine};
use ark_ec::bn::{g2::EllCoeff, BnConfig, G2Prepared};
use ark_ec::short_weierstrass::SWCurveConfig;
use ark_ec::AffineRepr;
use ark_ff::{CyclotomicMultSubgroup, Field, One, Zero};

/// The lines of a fixed G2 point, each divided by its constant coefficient: `(c1 / c0, c2 / c0)`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct FixedLines {
    lines: Vec<(Fq2, Fq2)>,
}

/// Public data, but one pair of `Fq2` elements per line of the loop: the count says enough (as for
/// `FixedBaseTable`).
impl std::fmt::Debug for FixedLines {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FixedLines")
            .field("lines", &self.lines.len())
            .finish()
    }
}

impl FixedLines {
    /// `None` for the identity, or if a line's constant coefficient is zero (which would need
    /// the point to have order dividing a loop multiple; no point of order `r` has).
    pub(crate) fn new(q: &G2Prepared<Config>) -> Option<Self> {
        if q.infinity {
            return None;
        }
        let mut inverses: Vec<Fq2> = q.ell_coeffs.iter().map(|c| c.0).collect();
        if inverses.iter().any(Zero::is_zero) {
            return None;
        }
        ark_ff::serial_batch_inversion_and_mul(&mut inverses, &Fq2::one());
        let lines = q
            .ell_coeffs
            .iter()
            .zip(&inverses)
            .map(|((_, c1, c2), inv)| (*c1 * inv, *c2 * inv))
            .collect();
        Some(Self { lines })
    }
}

/// `B`'s lines, computed here rather than by arkworks' `G2Prepared::from`: the same loop and
/// the same line per step up to a factor in `Fq` (which the final exponentiation removes), with
/// our `Fq2` products and without arkworks' two multiplications by `1/2` per doubling (and its
/// inversion of 2 per call). The result is arkworks' type, so arkworks' own Miller loop accepts
/// it too (the fallback path; pinned by a test).
///
/// Doubling, homogeneous projective `(X, Y, Z)` on `y^2 = x^3 + b'`, following arkworks'
/// formulas scaled by 4 (a projective point is unchanged by scaling, and the line's
/// coefficients below depend only on the input point): with `b = Y^2`, `c = Z^2`,
/// `e = 3 b' c`, `f = 3 e`, `h = (Y + Z)^2 - b - c`,
/// `X' = 2 X Y (b - f)`, `Y' = (b + f)^2 - 12 e^2`, `Z' = 4 b h`; line
/// `(-h, 3 X^2, e - b)`. Mixed addition of an affine `Q` is arkworks' formula.
pub(crate) fn prepare_g2(q: &G2Affine) -> G2Prepared<Config> {
    if q.is_zero() {
        return G2Prepared {
            ell_coeffs: Vec::new(),
            infinity: true,
        };
    }
    let mut r = (q.x, q.y, Fq2::one());
    let neg_q = -*q;
    let mut ell_coeffs = Vec::with_capacity(LINES);
    for digit in Config::ATE_LOOP_COUNT.iter().rev().skip(1) {
        ell_coeffs.push(double_step(&mut r));
        match digit {
            1 => ell_coeffs.push(add_step(&mut r, q)),
            -1 => ell_coeffs.push(add_step(&mut r, &neg_q)),
            _ => {}
        }
    }
    let q1 = mul_by_char(q);
    let mut q2 = mul_by_char(&q1);
    if Config::X_IS_NEGATIVE {
        r.1 = -r.1;
    }
    q2.y = -q2.y;
    ell_coeffs.push(add_step(&mut r, &q1));
    ell_coeffs.push(add_step(&mut r, &q2));
    G2Prepared {
        ell_coeffs,
        infinity: false,
    }
}

/// Lines per Miller loop: one per digit after the first, one more per nonzero digit, and two.
const LINES: usize = 64 + 21 + 2;

/// One doubling of `r`, and its line: 4 `Fq2` products and 6 squarings.
fn double_step(r: &mut (Fq2, Fq2, Fq2)) -> EllCoeff<Config> {
    let (x, y, z) = *r;
    let dbl = |a: &Fq2| add2(a, a);
    let b = sqr2(&y);
    let c = sqr2(&z);
    let e = mul2(
        &<Config as BnConfig>::G2Config::COEFF_B,
        &add2(&dbl(&c), &c),
    );
    let f = add2(&dbl(&e), &e);
    let h = sub2(&sub2(&sqr2(&add2(&y, &z)), &b), &c);
    let j = sqr2(&x);
    let e2 = sqr2(&e);
    let xy = mul2(&x, &y);
    let x3 = mul2(&dbl(&xy), &sub2(&b, &f));
    let y3 = sub2(&sqr2(&add2(&b, &f)), &dbl(&dbl(&add2(&dbl(&e2), &e2))));
    let z3 = dbl(&dbl(&mul2(&b, &h)));
    *r = (x3, y3, z3);
    (sub2(&Fq2::zero(), &h), add2(&dbl(&j), &j), sub2(&e, &b))
}

/// One mixed addition `r + q`, and its line: 11 `Fq2` products and 2 squarings.
fn add_step(r: &mut (Fq2, Fq2, Fq2), q: &G2Affine) -> EllCoeff<Config> {
    let (x, y, z) = *r;
    let theta = sub2(&y, &mul2(&q.y, &z));
    let lambda = sub2(&x, &mul2(&q.x, &z));
    let c = sqr2(&theta);
    let d = sqr2(&lambda);
    let e = mul2(&lambda, &d);
    let f = mul2(&z, &c);
    let g = mul2(&x, &d);
    let h = sub2(&add2(&e, &f), &add2(&g, &g));
    let x3 = mul2(&lambda, &h);
    let y3 = sub2(&mul2(&theta, &sub2(&g, &h)), &mul2(&e, &y));
    let z3 = mul2(&z, &e);
    *r = (x3, y3, z3);
    let j = sub2(&mul2(&theta, &q.x), &mul2(&lambda, &q.y));
    (lambda, sub2(&Fq2::zero(), &theta), j)
}

/// The twisted Frobenius `psi(Q)`.
fn mul_by_char(q: &G2Affine) -> G2Affine {
    let mut s = *q;
    s.x.frobenius_map_in_place(1);
    s.x = mul2(&s.x, &Config::TWIST_MUL_BY_Q_X);
    s.y.frobenius_map_in_place(1);
    s.y = mul2(&s.y, &Config::TWIST_MUL_BY_Q_Y);
    s
}

/// A line `c0 + c3 w + c4 v w`.
#[derive(Clone, Copy)]
struct Line {
    c0: Fq2,
    c3: Fq2,
    c4: Fq2,
}

/// A product of two lines: `c0 + (c3 + c4 v) w`, with `c0` a whole `Fq6`.
struct LinePair {
    c0: Fq6,
    c3: Fq2,
    c4: Fq2,
}

/// Two general lines: 6 M (Karatsuba on the three nonzero coefficients).
fn mul_lines(l: &Line, m: &Line) -> LinePair {
    let k = karatsuba3([&l.c0, &l.c3, &l.c4], [&m.c0, &m.c3, &m.c4]);
    let [m00, m33, m44] = k.d;
    // (c3 w + c4 v w)(c3' w + c4' v w) = c3 c3' v + (c3 c4' + c4 c3') v^2 + c4 c4' xi
    LinePair {
        c0: Fq6::new(add2(&m00, &nr2(&m44)), m33, k.c12),
        c3: k.c01,
        c4: k.c02,
    }
}

/// Two scaled lines `1 + a w + b v w`: 3 M.
fn mul_unit_lines((a1, b1): (Fq2, Fq2), (a2, b2): (Fq2, Fq2)) -> LinePair {
    let aa = mul2(&a1, &a2);
    let bb = mul2(&b1, &b2);
    let ab = sub2(&sub2(&mul2(&add2(&a1, &b1), &add2(&a2, &b2)), &aa), &bb);
    LinePair {
        c0: Fq6::new(add2(&Fq2::one(), &nr2(&bb)), aa, ab),
        c3: add2(&a1, &a2),
        c4: add2(&b1, &b2),
    }
}

/// `f *= s`: 17 M.
fn mul_by_pair(f: &mut Fq12, s: &LinePair) {
    *f = mul12_by_pair(f, &s.c0, &s.c3, &s.c4);
}

/// A varying pair: the G1 point and the iterator over its G2 point's lines.
struct Varying<'a> {
    x: Fq,
    y: Fq,
    lines: std::slice::Iter<'a, EllCoeff<Config>>,
}

/// A fixed pair: `x / y`, `1 / y` of the G1 point, and the scaled lines of the G2 point.
struct Fixed<'a> {
    x_over_y: Fq,
    y_inv: Fq,
    lines: std::slice::Iter<'a, (Fq2, Fq2)>,
}

/// The product of the Miller loops of `varying` (G2 points prepared per call) and `fixed`
/// (G2 points with scaled lines), up to factors in `Fq2`: only its final exponentiation is
/// meaningful, and that equals arkworks' `final_exponentiation(multi_miller_loop(..))` on the
/// same pairs. Pairs with an identity point contribute one, as in arkworks. `None` only if a
/// prepared point's line list is shorter than the loop (impossible for arkworks' `G2Prepared`
/// of a point on the curve).
pub(crate) fn miller_loop(
    varying: &[(G1Affine, G2Prepared<Config>)],
    fixed: &[(G1Affine, &FixedLines)],
) -> Option<Fq12> {
    let mut var: Vec<Varying<'_>> = varying
        .iter()
        .filter(|(p, q)| !p.is_zero() && !q.infinity)
        .map(|(p, q)| Varying {
            x: p.x,
            y: p.y,
            lines: q.ell_coeffs.iter(),
        })
        .collect();
    // No point of G1 has y = 0 (it would have order 2); the inversion skips zeros anyway. The
    // serial inversion: arkworks' `batch_inversion` hands even two elements to rayon's pool,
    // which cost this loop about 10% in waiting.
    let fixed: Vec<&(G1Affine, &FixedLines)> = fixed.iter().filter(|(p, _)| !p.is_zero()).collect();
    let mut y_inv: Vec<Fq> = fixed.iter().map(|(p, _)| p.y).collect();
    ark_ff::serial_batch_inversion_and_mul(&mut y_inv, &Fq::one());
    let mut fix: Vec<Fixed<'_>> = fixed
        .iter()
        .zip(y_inv)
        .map(|((p, q), y_inv)| Fixed {
            x_over_y: p.x * y_inv,
            y_inv,
            lines: q.lines.iter(),
        })
        .collect();

    let mut general: Vec<Line> = Vec::with_capacity(var.len());
    let mut unit: Vec<(Fq2, Fq2)> = Vec::with_capacity(fix.len());
    // One step: every pair's next line, multiplied into `f`.
    let mut step = |f: &mut Fq12| -> Option<()> {
        general.clear();
        unit.clear();
        for v in &mut var {
            let (c0, c1, c2) = v.lines.next()?;
            let mut c0 = *c0;
            let mut c1 = *c1;
            c0.mul_assign_by_fp(&v.y);
            c1.mul_assign_by_fp(&v.x);
            general.push(Line {
                c0,
                c3: c1,
                c4: *c2,
            });
        }
        for q in &mut fix {
            let (a, b) = q.lines.next()?;
            let mut a = *a;
            let mut b = *b;
            a.mul_assign_by_fp(&q.x_over_y);
            b.mul_assign_by_fp(&q.y_inv);
            unit.push((a, b));
        }
        let mut units = unit.chunks_exact(2);
        for two in &mut units {
            if let [l, m] = two {
                mul_by_pair(f, &mul_unit_lines(*l, *m));
            }
        }
        if let [(a, b)] = units.remainder() {
            *f = mul12_by_034(f, &Fq2::one(), a, b);
        }
        let mut lines = general.chunks_exact(2);
        for two in &mut lines {
            if let [l, m] = two {
                mul_by_pair(f, &mul_lines(l, m));
            }
        }
        if let [l] = lines.remainder() {
            *f = mul12_by_034(f, &l.c0, &l.c3, &l.c4);
        }
        Some(())
    };

    // arkworks' loop: from the second most significant digit of ATE_LOOP_COUNT down, a
    // doubling line per pair and, for a nonzero digit, an addition line; then the two lines of
    // the Frobenius additions.
    let mut f = Fq12::one();
    for (j, digit) in Config::ATE_LOOP_COUNT.iter().rev().skip(1).enumerate() {
        if j != 0 {
            f = sqr12(&f);
        }
        step(&mut f)?;
        if *digit != 0 {
            step(&mut f)?;
        }
    }
    if Config::X_IS_NEGATIVE {
        f.cyclotomic_inverse_in_place();
    }
    step(&mut f)?;
    step(&mut f)?;
    Some(f)
}

/// BN254's curve parameter `x` (`Config::X`, positive) in width-4 NAF, most significant digit
/// first: odd digits in `[-7, 7]`, each nonzero digit followed by at least three zeros. 14
/// nonzero digits against 24 in the plain NAF arkworks uses, so an exponentiation by `x` takes
/// 16 multiplications (3 for the table of odd powers) instead of 23. Pinned by a test.
const X_WNAF4: [i8; 63] = [
    1, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, -3, 0, 0, 0, 3, 0, 0, 0, 0, 5, 0, 0, 0, -5, 0, 0, 0, -3, 0, 0,
    0, 1, 0, 0, 0, 0, 5, 0, 0, 0, 0, 7, 0, 0, 0, -7, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, -1, 0, 0, 0,
    1,
];

/// `f^x` for `f` in the cyclotomic subgroup (where inversion is conjugation).
fn cyclotomic_exp_by_x(f: &Fq12) -> Fq12 {
    let f2 = cyclotomic_sqr12(f);
    let f3 = mul12(f, &f2);
    let f5 = mul12(&f3, &f2);
    let f7 = mul12(&f5, &f2);
    let odd = [*f, f3, f5, f7];
    let power = |digit: i8| -> Option<Fq12> {
        let mut p = *odd.get(usize::from(digit.unsigned_abs() >> 1))?;
        if digit < 0 {
            p.cyclotomic_inverse_in_place();
        }
        Some(p)
    };
    let mut digits = X_WNAF4.iter();
    // the leading digit is 1: start from f itself
    let mut acc = *f;
    digits.next();
    for &digit in digits {
        acc = cyclotomic_sqr12(&acc);
        if digit != 0 {
            if let Some(p) = power(digit) {
                acc = mul12(&acc, &p);
            }
        }
    }
    acc
}

/// The final exponentiation `f^((q^12 - 1) / r)`, times the same exponent multiple arkworks
/// uses (`2x (6x^2 + 3x + 1)`, coprime to `r`), so the result equals arkworks'
/// `final_exponentiation` exactly and can be compared with `e(alpha, beta)` from
/// `prepare_verifying_key`. `None` for `f = 0`.
///
/// Easy part: `f^((q^6 - 1)(q^2 + 1))`, after which `f` is in the cyclotomic subgroup. Hard
/// part (Fuentes-Castaneda, Knapp, Rodriguez-Henriquez, "Faster hashing to G2", section 6):
/// `f^(e0 + e1 q + e2 q^2 + e3 q^3)` with
/// `e0 = 12x^3 + 12x^2 + 6x + 1`, `e1 = 12x^3 + 6x^2 + 4x`, `e2 = 12x^3 + 6x^2 + 6x`,
/// `e3 = 12x^3 + 6x^2 + 4x - 1`: three exponentiations by `x`, three squarings, ten
/// multiplications and three Frobenius maps. Our only change from arkworks is the
/// exponentiation by `x` (see [`X_WNAF4`]).
pub(crate) fn final_exponentiation(f: &Fq12) -> Option<Fq12> {
    // easy part
    let inv = f.inverse()?;
    let mut t = *f;
    t.cyclotomic_inverse_in_place(); // conjugation: f^(q^6)
    let t = mul12(&t, &inv); // f^(q^6 - 1)
    let mut t_q2 = t;
    t_q2.frobenius_map_in_place(2);
    let f = mul12(&t_q2, &t); // f^((q^6 - 1)(q^2 + 1))

    // hard part
    let a = cyclotomic_exp_by_x(&f); // x
    let a2 = cyclotomic_sqr12(&a); // 2x
    let a4 = cyclotomic_sqr12(&a2); // 4x
    let a6 = mul12(&a4, &a2); // 6x
    let b = cyclotomic_exp_by_x(&a6); // 6x^2
    let b2 = cyclotomic_sqr12(&b); // 12x^2
    let c = cyclotomic_exp_by_x(&b2); // 12x^3
    let e2 = mul12(&mul12(&c, &b), &a6); // 12x^3 + 6x^2 + 6x
    let mut a2_inv = a2;
    a2_inv.cyclotomic_inverse_in_place();
    let e1 = mul12(&e2, &a2_inv); // 12x^3 + 6x^2 + 4x
    let e0 = mul12(&mul12(&e2, &b), &f); // 12x^3 + 12x^2 + 6x + 1
    let mut f_inv = f;
    f_inv.cyclotomic_inverse_in_place();
    let mut e3 = mul12(&e1, &f_inv); // 12x^3 + 6x^2 + 4x - 1
    let mut e1 = e1;
    let mut e2 = e2;
    e1.frobenius_map_in_place(1);
    e2.frobenius_map_in_place(2);
    e3.frobenius_map_in_place(3);
    Some(mul12(&mul12(&mul12(&e0, &e1), &e2), &e3))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::{Bn254, G1Projective, G2Affine, G2Projective};
    use ark_ec::pairing::{MillerLoopOutput, Pairing};
    use ark_ec::{AffineRepr, CurveGroup};
    use ark_ff::UniformRand;
    use rand::SeedableRng;

    fn final_exp(f: Fq12) -> Fq12 {
        let ours = final_exponentiation(&f).unwrap();
        assert_eq!(
            ours,
            Bn254::final_exponentiation(MillerLoopOutput(f)).unwrap().0
        );
        ours
    }

    /// The digits are a width-4 NAF of x: they sum to x, are odd and below 8 in size, and a
    /// nonzero digit has three zeros below it.
    #[test]
    fn x_wnaf4_is_a_width_4_naf_of_x() {
        let mut sum: i128 = 0;
        for d in X_WNAF4 {
            sum = 2 * sum + i128::from(d);
        }
        assert_eq!(sum, i128::from(Config::X[0]));
        assert_eq!(Config::X.len(), 1);
        for (i, d) in X_WNAF4.iter().enumerate() {
            if *d != 0 {
                assert!(d % 2 != 0 && d.abs() < 8, "digit {i}: {d}");
                for below in X_WNAF4.iter().skip(i + 1).take(3) {
                    assert_eq!(*below, 0, "digit {i} is not followed by three zeros");
                }
            }
        }
        assert_eq!(X_WNAF4.iter().filter(|d| **d != 0).count(), 14);
    }

    /// Our final exponentiation equals arkworks' on arbitrary elements of Fq12 (not only
    /// Miller-loop outputs), and refuses zero.
    #[test]
    fn final_exponentiation_equals_arkworks() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(9);
        for _ in 0..8 {
            final_exp(Fq12::rand(&mut rng));
        }
        final_exp(Fq12::one());
        assert_eq!(final_exponentiation(&Fq12::zero()), None);
    }

    fn arkworks(g1: &[G1Affine], g2: &[G2Affine]) -> Fq12 {
        final_exp(Bn254::multi_miller_loop(g1.to_vec(), g2.to_vec()).0)
    }

    fn ours(var: &[(G1Affine, G2Affine)], fix: &[(G1Affine, G2Affine)]) -> Fq12 {
        let fix_lines: Vec<FixedLines> = fix
            .iter()
            .map(|(_, q)| FixedLines::new(&(*q).into()).unwrap())
            .collect();
        let v: Vec<(G1Affine, G2Prepared<Config>)> =
            var.iter().map(|(p, q)| (*p, (*q).into())).collect();
        let f: Vec<_> = fix
            .iter()
            .zip(&fix_lines)
            .map(|((p, _), q)| (*p, q))
            .collect();
        final_exp(miller_loop(&v, &f).unwrap())
    }

    fn random_pairs(rng: &mut rand_chacha::ChaCha20Rng, n: usize) -> Vec<(G1Affine, G2Affine)> {
        (0..n)
            .map(|_| {
                (
                    G1Projective::rand(rng).into_affine(),
                    G2Projective::rand(rng).into_affine(),
                )
            })
            .collect()
    }

    /// Every mix of general and scaled pairs, odd and even counts, against arkworks.
    #[test]
    fn equals_arkworks_pairing_for_every_mix() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(5);
        for n_var in 0..4 {
            for n_fix in 0..4 {
                let var = random_pairs(&mut rng, n_var);
                let fix = random_pairs(&mut rng, n_fix);
                let (g1, g2): (Vec<_>, Vec<_>) = var.iter().chain(&fix).copied().unzip();
                assert_eq!(
                    ours(&var, &fix),
                    arkworks(&g1, &g2),
                    "{n_var} general and {n_fix} fixed pairs"
                );
            }
        }
    }

    /// The verification shape: one general pair and two fixed, including pairs whose points
    /// are the identity (a hostile proof may send A or C = 0; B = 0 is rejected in decoding
    /// but the loop must still agree).
    #[test]
    fn identity_points_contribute_one() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(6);
        let pairs = random_pairs(&mut rng, 3);
        let zero1 = G1Affine::zero();
        let zero2 = G2Affine::zero();
        let cases: [[(G1Affine, G2Affine); 3]; 4] = [
            [(zero1, pairs[0].1), pairs[1], pairs[2]],
            [(pairs[0].0, zero2), pairs[1], pairs[2]],
            [pairs[0], (zero1, pairs[1].1), pairs[2]],
            [pairs[0], pairs[1], (zero1, pairs[2].1)],
        ];
        for case in cases {
            let (g1, g2): (Vec<_>, Vec<_>) = case.iter().copied().unzip();
            assert_eq!(ours(&case[..1], &case[1..]), arkworks(&g1, &g2));
        }
        assert_eq!(FixedLines::new(&zero2.into()), None);
    }

    /// The loop is a pairing: e(aP, Q) e(P, -aQ) = 1, with the scaled lines on either side,
    /// and a wrong point is not accepted (the comparison could fail).
    #[test]
    fn bilinear_and_sensitive() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
        let p = G1Projective::rand(&mut rng);
        let q = G2Projective::rand(&mut rng);
        let a = ark_bn254::Fr::rand(&mut rng);
        let lhs = (p * a).into_affine();
        let rhs = (-(q * a)).into_affine();
        let one = Fq12::one();
        assert_eq!(
            ours(&[(lhs, q.into_affine())], &[(p.into_affine(), rhs)]),
            one
        );
        assert_eq!(
            ours(&[], &[(lhs, q.into_affine()), (p.into_affine(), rhs)]),
            one
        );
        assert_eq!(
            ours(&[(lhs, q.into_affine()), (p.into_affine(), rhs)], &[]),
            one
        );
        let wrong = (p * (a + ark_bn254::Fr::one())).into_affine();
        assert_ne!(
            ours(&[(wrong, q.into_affine())], &[(p.into_affine(), rhs)]),
            one
        );
    }

    /// A prepared point whose line list is cut short is refused, not read past its end.
    /// Our preparation of a varying G2 point gives the same pairing as arkworks', through our
    /// Miller loop and through arkworks' (its lines differ from arkworks' by factors in `Fq`).
    #[test]
    fn prepared_g2_lines_give_arkworks_pairing() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(41);
        for (p, q) in random_pairs(&mut rng, 4) {
            let expected = arkworks(&[p], &[q]);
            let ours = prepare_g2(&q);
            assert_eq!(ours.ell_coeffs.len(), LINES);
            assert_ne!(ours.ell_coeffs, G2Prepared::<Config>::from(q).ell_coeffs);
            let f = miller_loop(&[(p, ours.clone())], &[]).and_then(|f| final_exponentiation(&f));
            assert_eq!(f, Some(expected));
            let theirs = Bn254::final_exponentiation(Bn254::multi_miller_loop([p], [ours]));
            assert_eq!(theirs.map(|x| x.0), Some(expected));
        }
        let identity = prepare_g2(&G2Affine::zero());
        assert!(identity.infinity && identity.ell_coeffs.is_empty());
    }

    #[test]
    fn short_line_list_is_none() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(8);
        let pairs = random_pairs(&mut rng, 1);
        let mut prepared: G2Prepared<Config> = pairs[0].1.into();
        prepared.ell_coeffs.pop();
        assert!(miller_loop(&[(pairs[0].0, prepared)], &[]).is_none());
    }
}
