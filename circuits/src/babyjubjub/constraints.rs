//! R1CS gadgets for Baby Jubjub (circomlib form): points, the complete twisted Edwards law,
//! and the two scalar multiplications EdDSA needs.
//!
//! Costs (pinned by tests; `circuits/README.md` compares them with circomlib):
//! - the on-curve check [`PointVar::enforce_on_curve`] costs 3 constraints;
//! - the complete addition [`PointVar::add`] 6 (3 when one point is a constant);
//! - the doubling [`PointVar::double`] 5;
//! - `[s] Base8` for a 251-bit `s` ([`mul_base8`]) 504;
//! - `[h] P` for any field element `h` (multiplied as its integer) and a point `P` of order
//!   exactly `l` ([`mul_prime_order`]) 2,201.
//!
//! The scalar multiplications run mostly on the birationally equivalent Montgomery curve
//! `v^2 = u^3 + 168698 u^2 + u` (`u = (1 + y) / (1 - y)`, `v = u / x`), whose affine addition
//! costs 3 constraints, and whose "double and add" `2T + Q` costs 5 (the Eisentraeger,
//! Lauter and Montgomery trick: `(T + Q) + T` without the middle `v`). Those formulas are
//! incomplete: they fail (or, where `T == Q`, leave a slope free) when the two points share
//! `u`. Each use below states why its operands are distinct multiples of one point of order
//! `l`, with both scalars, their sum and their difference non-zero modulo `l`; under that
//! invariant every slope has a non-zero denominator, so every witness is unique and soundness
//! holds unconditionally. Steps where the invariant could fail use the complete Edwards law.

use crate::babyjubjub::{subgroup_order, Point, A, D};
use crate::compare::constraints::{bits_to_fp, enforce_le_constant};
use crate::Fr;
use ark_ff::{AdditiveGroup, BigInt, BigInteger, Field, One, PrimeField, Zero};
use ark_r1cs_std::alloc::{AllocVar, AllocationMode};
use ark_r1cs_std::boolean::Boolean;
use ark_r1cs_std::eq::EqGadget;
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::fields::FieldVar;
use ark_r1cs_std::GR1CSVar;
use ark_relations::gr1cs::{ConstraintSystemRef, Namespace, SynthesisError};
use std::borrow::Borrow;
use std::sync::OnceLock;

/// The Montgomery coefficient `A_M = 2 (a + d) / (a - d) = 168698` (and `B_M = 4 / (a - d) = 1`).
const MONT_A: u64 = 168698;

/// A point of Baby Jubjub in affine twisted Edwards coordinates, inside a circuit.
#[derive(Clone, Debug)]
pub struct PointVar {
    /// The x coordinate.
    pub x: FpVar<Fr>,
    /// The y coordinate.
    pub y: FpVar<Fr>,
}

/// A point on the Montgomery form, inside a circuit (private to the scalar multiplications).
#[derive(Clone, Debug)]
struct MontVar {
    u: FpVar<Fr>,
    v: FpVar<Fr>,
}

/// Allocates a witness computed by `f` (whose errors, such as a missing assignment in setup
/// mode, pass through).
fn hint(
    cs: &ConstraintSystemRef<Fr>,
    f: impl FnOnce() -> Result<Fr, SynthesisError>,
) -> Result<FpVar<Fr>, SynthesisError> {
    FpVar::new_witness(cs.clone(), f)
}

fn cs_of(vars: &[&FpVar<Fr>]) -> ConstraintSystemRef<Fr> {
    vars.iter()
        .fold(ConstraintSystemRef::None, |acc, v| acc.or(v.cs()))
}

/// `num / den` with one constraint `q * den == num`. If `den` is zero the constraint holds only
/// for `num == 0`, and then `q` is free: callers only divide by values proven non-zero.
fn div(num: &FpVar<Fr>, den: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    if let (FpVar::Constant(n), FpVar::Constant(d)) = (num, den) {
        return Ok(FpVar::Constant(
            *n * d.inverse().ok_or(SynthesisError::DivisionByZero)?,
        ));
    }
    let cs = cs_of(&[num, den]);
    let q = hint(&cs, || {
        let d = den.value()?;
        Ok(num.value()? * d.inverse().unwrap_or(Fr::zero()))
    })?;
    q.mul_equals(den, num)?;
    Ok(q)
}

fn constant(x: u64) -> FpVar<Fr> {
    FpVar::Constant(Fr::from(x))
}

impl PointVar {
    /// A constant point (no constraints).
    pub fn constant(p: &Point) -> Self {
        PointVar {
            x: FpVar::Constant(p.x()),
            y: FpVar::Constant(p.y()),
        }
    }

    /// Wraps two coordinates without any check.
    pub fn from_coordinates_unchecked(x: FpVar<Fr>, y: FpVar<Fr>) -> Self {
        PointVar { x, y }
    }

    /// Allocates a point with no check at all (not even on-curve). Callers must constrain it.
    pub fn new_witness_unchecked(
        cs: ConstraintSystemRef<Fr>,
        p: impl FnOnce() -> Result<Point, SynthesisError>,
    ) -> Result<Self, SynthesisError> {
        let p = p().ok();
        let x = FpVar::new_witness(cs.clone(), || {
            p.map(|p| p.x()).ok_or(SynthesisError::AssignmentMissing)
        })?;
        let y = FpVar::new_witness(cs, || {
            p.map(|p| p.y()).ok_or(SynthesisError::AssignmentMissing)
        })?;
        Ok(PointVar { x, y })
    }

    /// Enforces `a x^2 + y^2 == 1 + d x^2 y^2`: 3 constraints.
    pub fn enforce_on_curve(&self) -> Result<(), SynthesisError> {
        let xx = self.x.square()?;
        let yy = self.y.square()?;
        // (d * xx) * yy == a * xx + yy - 1
        (&xx * D).mul_equals(&yy, &(&xx * A + &yy - FpVar::one()))
    }

    /// The negation `(-x, y)`: free.
    pub fn neg(&self) -> Self {
        PointVar {
            x: self.x.negate().unwrap_or_else(|_| FpVar::zero()),
            y: self.y.clone(),
        }
    }

    /// Complete twisted Edwards addition: 6 constraints (3 if `other` is a constant).
    ///
    /// With `beta = x1 y2`, `gamma = y1 x2`, `delta = (y1 - a x1)(x2 + y2)`, `tau = beta gamma`:
    /// `x3 (1 + d tau) = beta + gamma` and `y3 (1 - d tau) = delta + a beta - gamma`. For points
    /// on the curve neither denominator vanishes (`d` is not a square), so the law is complete
    /// and `x3`, `y3` are unique. Both inputs must be on the curve.
    pub fn add(&self, other: &Self) -> Result<Self, SynthesisError> {
        let beta = &self.x * &other.y;
        let gamma = &self.y * &other.x;
        let delta = (&self.y - &self.x * A) * (&other.x + &other.y);
        let tau = &beta * &gamma;
        let x3 = div(&(&beta + &gamma), &(FpVar::one() + &tau * D))?;
        let y3 = div(&(delta + &beta * A - &gamma), &(FpVar::one() - &tau * D))?;
        Ok(PointVar { x: x3, y: y3 })
    }

    /// Doubling: 5 constraints. `x3 (a x^2 + y^2) = 2 x y` and `y3 (2 - a x^2 - y^2) =
    /// y^2 - a x^2`; on the curve `a x^2 + y^2 = 1 + d x^2 y^2` and `2 - a x^2 - y^2 =
    /// 1 - d x^2 y^2`, both non-zero. The input must be on the curve.
    pub fn double(&self) -> Result<Self, SynthesisError> {
        let xx = self.x.square()?;
        let yy = self.y.square()?;
        let xy = &self.x * &self.y;
        let axx = &xx * A;
        let x3 = div(&xy.double()?, &(&axx + &yy))?;
        let y3 = div(&(&yy - &axx), &(constant(2) - &axx - &yy))?;
        Ok(PointVar { x: x3, y: y3 })
    }

    /// Enforces equality of both coordinates: 2 constraints.
    pub fn enforce_equal(&self, other: &Self) -> Result<(), SynthesisError> {
        self.x.enforce_equal(&other.x)?;
        self.y.enforce_equal(&other.y)
    }

    /// The point's value, if assigned.
    pub fn value(&self) -> Result<Point, SynthesisError> {
        Ok(Point::new_unchecked(self.x.value()?, self.y.value()?))
    }

    fn to_montgomery(&self) -> Result<MontVar, SynthesisError> {
        // u (1 - y) = 1 + y; v x = u. Requires y != 1 and x != 0: true for points of order l.
        let u = div(&(FpVar::one() + &self.y), &(FpVar::one() - &self.y))?;
        let v = div(&u, &self.x)?;
        Ok(MontVar { u, v })
    }
}

impl AllocVar<Point, Fr> for PointVar {
    /// Allocates a point and enforces that it is on the curve (3 constraints) in every mode but
    /// `Constant`. Subgroup membership is not enforced here.
    fn new_variable<T: Borrow<Point>>(
        cs: impl Into<Namespace<Fr>>,
        f: impl FnOnce() -> Result<T, SynthesisError>,
        mode: AllocationMode,
    ) -> Result<Self, SynthesisError> {
        let ns = cs.into();
        let cs = ns.cs();
        let p = f().map(|p| *p.borrow());
        if mode == AllocationMode::Constant {
            return p.map(|p| PointVar::constant(&p));
        }
        let p = p.ok();
        let get = |c: fn(&Point) -> Fr| {
            move || p.as_ref().map(c).ok_or(SynthesisError::AssignmentMissing)
        };
        let x = FpVar::new_variable(cs.clone(), get(Point::x), mode)?;
        let y = FpVar::new_variable(cs, get(Point::y), mode)?;
        let point = PointVar { x, y };
        point.enforce_on_curve()?;
        Ok(point)
    }
}

fn mont_of(p: &Point) -> (Fr, Fr) {
    // Native map for table points (never the identity or (0, -1)).
    let u = (Fr::one() + p.y()) * (Fr::one() - p.y()).inverse().unwrap_or(Fr::zero());
    let v = u * p.x().inverse().unwrap_or(Fr::zero());
    (u, v)
}

impl MontVar {
    fn to_edwards(&self) -> Result<PointVar, SynthesisError> {
        // x v = u; y (u + 1) = u - 1. Requires v != 0 and u != -1: true for points of order l.
        let x = div(&self.u, &self.v)?;
        let y = div(&(&self.u - FpVar::one()), &(&self.u + FpVar::one()))?;
        Ok(PointVar { x, y })
    }

    /// `2 self`: 4 constraints; `lambda (2 v) = 3 u^2 + 2 A u + 1`. Requires `v != 0`.
    fn double(&self) -> Result<Self, SynthesisError> {
        let uu = self.u.square()?;
        let num = &uu * Fr::from(3u64) + &self.u * Fr::from(2 * MONT_A) + FpVar::one();
        let lambda = div(&num, &self.v.double()?)?;
        let u3 = lambda.square()? - constant(MONT_A) - self.u.double()?;
        let v3 = &lambda * (&self.u - &u3) - &self.v;
        Ok(MontVar { u: u3, v: v3 })
    }

    /// `self + q`: 3 constraints. Requires `self != +-q`.
    fn add(&self, q: &Self) -> Result<Self, SynthesisError> {
        let lambda = div(&(&q.v - &self.v), &(&q.u - &self.u))?;
        let u3 = lambda.square()? - constant(MONT_A) - &self.u - &q.u;
        let v3 = &lambda * (&self.u - &u3) - &self.v;
        Ok(MontVar { u: u3, v: v3 })
    }

    /// `2 self + q` as `(self + q) + self`: 5 constraints. Requires `self != +-q` and
    /// `self + q != +-self` (i.e. `2 self + q` and `q` non-zero... see the callers).
    fn double_and_add(&self, q: &Self) -> Result<Self, SynthesisError> {
        let cs = cs_of(&[&self.u, &self.v, &q.u, &q.v]);
        // R = self + q (u only)
        let l1 = div(&(&q.v - &self.v), &(&q.u - &self.u))?;
        let ur = l1.square()? - constant(MONT_A) - &self.u - &q.u;
        // S = R + self: (l1 + l2) (u_self - u_R) = 2 v_self
        let l2 = hint(&cs, || {
            let den = self.u.value()? - ur.value()?;
            Ok((self.v.value()?.double()) * den.inverse().unwrap_or(Fr::zero()) - l1.value()?)
        })?;
        (&l1 + &l2).mul_equals(&(&self.u - &ur), &self.v.double()?)?;
        let us = l2.square()? - constant(MONT_A) - &ur - &self.u;
        let vs = &l2 * (&self.u - &us) - &self.v;
        Ok(MontVar { u: us, v: vs })
    }
}

/// Selects one of eight constant `(u, v)` pairs by three bits (little-endian index):
/// 3 constraints (`b0 b1`, then one product with `b2` per coordinate).
fn lookup3(
    table: &[(Fr, Fr); 8],
    b: &[Boolean<Fr>],
) -> Result<(FpVar<Fr>, FpVar<Fr>), SynthesisError> {
    let b0 = FpVar::from(b[0].clone());
    let b1 = FpVar::from(b[1].clone());
    let b2 = FpVar::from(b[2].clone());
    let b01 = &b0 * &b1;
    let half = |e: &[(Fr, Fr)], pick: fn(&(Fr, Fr)) -> Fr| {
        let (e0, e1, e2, e3) = (pick(&e[0]), pick(&e[1]), pick(&e[2]), pick(&e[3]));
        FpVar::Constant(e0) + &b0 * (e1 - e0) + &b1 * (e2 - e0) + &b01 * (e3 - e2 - e1 + e0)
    };
    let mut out = Vec::with_capacity(2);
    for pick in [
        (|p: &(Fr, Fr)| p.0) as fn(&(Fr, Fr)) -> Fr,
        |p: &(Fr, Fr)| p.1,
    ] {
        let lo = half(&table[..4], pick);
        let hi = half(&table[4..], pick);
        out.push(&lo + &b2 * (&hi - &lo));
    }
    let v = out.pop().ok_or(SynthesisError::Unsatisfiable)?;
    let u = out.pop().ok_or(SynthesisError::Unsatisfiable)?;
    Ok((u, v))
}

/// Selects one of four constant points by two bits: 1 constraint (`b0 b1`).
fn lookup2(table: &[(Fr, Fr); 4], b: &[Boolean<Fr>]) -> (FpVar<Fr>, FpVar<Fr>) {
    let b0 = FpVar::from(b[0].clone());
    let b1 = FpVar::from(b[1].clone());
    let b01 = &b0 * &b1;
    let sel = |pick: fn(&(Fr, Fr)) -> Fr| {
        let (e0, e1, e2, e3) = (
            pick(&table[0]),
            pick(&table[1]),
            pick(&table[2]),
            pick(&table[3]),
        );
        FpVar::Constant(e0) + &b0 * (e1 - e0) + &b1 * (e2 - e0) + &b01 * (e3 - e2 - e1 + e0)
    };
    (sel(|p| p.0), sel(|p| p.1))
}

/// Number of scalar bits [`mul_base8`] takes.
pub const BASE8_SCALAR_BITS: usize = 251;
/// Windows of 3 bits computed on the Montgomery curve; the last, 2-bit window is Edwards.
const BASE8_MONT_WINDOWS: usize = 83;

struct Base8Tables {
    mont: Vec<[(Fr, Fr); 8]>,
    last: [(Fr, Fr); 4],
}

/// Window tables for `[s] Base8`: window `j < 83` holds `(w + 2) 8^j Base8` (Montgomery
/// coordinates) for `w` in `0..8`; the last window holds `w 8^83 Base8 - O Base8` (Edwards),
/// where `O = sum_{j<83} 2 8^j` undoes the offsets.
fn base8_tables() -> &'static Base8Tables {
    static T: OnceLock<Base8Tables> = OnceLock::new();
    T.get_or_init(|| {
        let mut mont = Vec::with_capacity(BASE8_MONT_WINDOWS);
        let mut base = Point::base8(); // 8^j Base8
        let mut offset = Point::identity(); // O Base8 so far
        for _ in 0..BASE8_MONT_WINDOWS {
            let two = base.double();
            let mut row = [(Fr::zero(), Fr::zero()); 8];
            let mut p = two;
            for entry in row.iter_mut() {
                *entry = mont_of(&p);
                p = p.add(&base);
            }
            mont.push(row);
            offset = offset.add(&two);
            base = base.double().double().double();
        }
        let neg_offset = offset.neg();
        let mut last = [(Fr::zero(), Fr::zero()); 4];
        let mut p = neg_offset;
        for entry in last.iter_mut() {
            *entry = (p.x(), p.y());
            p = p.add(&base);
        }
        Base8Tables { mont, last }
    })
}

/// `[s] Base8` for the little-endian 251-bit scalar `s` (bits already boolean-constrained):
/// 504 constraints.
///
/// Windows 0..82 (3 bits each) add table points `(w_j + 2) 8^j Base8` on the Montgomery curve.
/// Before window `j` the accumulator is `a Base8` with `2 (8^j - 1)/7 <= a <= 9 (8^j - 1)/7 <
/// 2 * 8^j <= t`, where `t` is the table scalar, and `a + t < 11 * 8^82 < l`: the two points
/// differ and are not opposite, so each incomplete addition is well defined. The last window
/// (bits 249 and 250) uses the complete Edwards law and a table that also subtracts the
/// offsets. Every `s < 2^251` is handled; callers needing `s < l` check it separately.
pub fn mul_base8(bits: &[Boolean<Fr>]) -> Result<PointVar, SynthesisError> {
    if bits.len() != BASE8_SCALAR_BITS {
        return Err(SynthesisError::Unsatisfiable);
    }
    let t = base8_tables();
    let (u, v) = lookup3(&t.mont[0], &bits[0..3])?;
    let mut acc = MontVar { u, v };
    for j in 1..BASE8_MONT_WINDOWS {
        let (u, v) = lookup3(&t.mont[j], &bits[3 * j..3 * j + 3])?;
        acc = acc.add(&MontVar { u, v })?;
    }
    let edwards = acc.to_edwards()?;
    let (x, y) = lookup2(&t.last, &bits[3 * BASE8_MONT_WINDOWS..]);
    edwards.add(&PointVar { x, y })
}

/// `34 l`: the multiple of `l` added to the scalar in [`mul_prime_order`], chosen so that
/// `[34 l, 34 l + r)` lies inside `[2^255, 2^256)` with the cheapest range checks.
fn offset_34l() -> BigInt<4> {
    let l = subgroup_order();
    let mut acc = BigInt::<4>::zero();
    for _ in 0..34 {
        acc.add_with_carry(&l);
    }
    acc
}

/// Number of final steps done with the complete Edwards law in [`mul_prime_order`].
const COMPLETE_TAIL: usize = 6;

/// `[h] P` for any field element `h` (multiplied as its integer in `[0, r)`) and a point `P`
/// **of order exactly `l`** (the caller guarantees it, e.g. `P = 8 A` with `8 A != O`):
/// 2,201 constraints.
///
/// Since `P` has order `l`, `[h] P = [K] P` for `K = h + 34 l`, which always lies in
/// `[2^255, 2^256)`. `K` is decomposed into bits `k_0..k_254` (with `k_255 = 1`), tied to `h`
/// by `sum k_i 2^i + 2^255 == h + 34 l (mod r)` and made unique by the range checks
/// `34 l <= K <= 34 l + r - 1` (otherwise `K +- r` would also fit and multiply by another
/// scalar). With `K' = K + 1 - k_0` (odd) written in signed digits `e_255 = 1`,
/// `e_i = 2 k_{i+1} - 1`, the accumulator runs `m -> 2 m + e_i` from `m = 1`:
/// - digit 254 is always `+1`: `3 P` is computed directly (double, then add);
/// - digits 253 down to 6 use the 5-constraint `2T + Q` with `Q = e_i P`. Before digit `i`,
///   `3 <= m < 2^(255 - i) <= 2^249 < (l - 1)/2`, so `T != +-Q` and `T + Q != +-T`;
/// - digits 5 down to 0 (where `m` may exceed `l/2`) use the complete Edwards law;
/// - finally `P` is subtracted when `k_0 = 0`.
pub fn mul_prime_order(p: &PointVar, h: &FpVar<Fr>) -> Result<PointVar, SynthesisError> {
    let cs = cs_of(&[&p.x, &p.y, h]);
    let off = offset_34l();
    // K = h + 34 l as a 256-bit integer (no overflow: 34 l + r < 2^256).
    let k_value = h.value().ok().map(|h| {
        let mut k = h.into_bigint();
        k.add_with_carry(&off);
        k
    });
    let mut k_bits = Vec::with_capacity(256);
    for i in 0..255 {
        // booleanity: one constraint each
        k_bits.push(Boolean::new_witness(cs.clone(), || {
            k_value
                .map(|k| k.get_bit(i))
                .ok_or(SynthesisError::AssignmentMissing)
        })?);
    }
    k_bits.push(Boolean::TRUE);
    // sum k_i 2^i == h + 34 l (mod r)
    let off_fr = Fr::from_bigint(reduce_mod_r(off)).ok_or(SynthesisError::Unsatisfiable)?;
    bits_to_fp(&k_bits).enforce_equal(&(h + FpVar::Constant(off_fr)))?;
    // 34 l <= K: the complemented bits are <= the complemented constant
    let complement: Vec<Boolean<Fr>> = k_bits.iter().map(|b| !b.clone()).collect();
    let mut not_off = off;
    for limb in not_off.0.iter_mut() {
        *limb = !*limb;
    }
    enforce_le_constant(&complement, &not_off)?;
    // K <= 34 l + r - 1
    let mut hi = off;
    hi.add_with_carry(&Fr::MODULUS);
    hi.sub_with_borrow(&BigInt::from(1u64));
    enforce_le_constant(&k_bits, &hi)?;

    let digit = |i: usize| -> FpVar<Fr> {
        // e_i = 2 k_{i+1} - 1
        FpVar::from(k_bits[i + 1].clone())
            .double()
            .unwrap_or_else(|_| FpVar::zero())
            - FpVar::one()
    };

    let pm = p.to_montgomery()?;
    // m = 1 -> 3 (digit 254 is +1)
    let mut acc = pm.double()?.add(&pm)?;
    for i in (COMPLETE_TAIL..=253).rev() {
        let q = MontVar {
            u: pm.u.clone(),
            v: digit(i) * &pm.v,
        };
        acc = acc.double_and_add(&q)?;
    }
    let mut acc = acc.to_edwards()?;
    for i in (0..COMPLETE_TAIL).rev() {
        acc = acc.double()?;
        let q = PointVar {
            x: digit(i) * &p.x,
            y: p.y.clone(),
        };
        acc = acc.add(&q)?;
    }
    // subtract P when k_0 = 0: Q = k_0 ? O : -P
    let k0 = FpVar::from(k_bits[0].clone());
    let q = PointVar {
        x: (FpVar::one() - &k0) * p.x.negate()?,
        y: &p.y + &k0 * (FpVar::one() - &p.y),
    };
    acc.add(&q)
}

fn reduce_mod_r(mut x: BigInt<4>) -> BigInt<4> {
    while x >= Fr::MODULUS {
        x.sub_with_borrow(&Fr::MODULUS);
    }
    x
}

#[cfg(test)]
mod tests;
