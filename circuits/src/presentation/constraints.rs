//! The one `ConstraintSynthesizer`: the presentation statement as R1CS. Each block enforces one
//! numbered condition of DESIGN section 4; `circuits/README.md` lists the cost of each.

use super::{
    Statement, Witness, FIRST_CLAIM_SLOT, ISSUER_TREE_ARITY, ISSUER_TREE_DEPTH, PREDICATES, SLOTS,
};
use crate::babyjubjub::constraints::PointVar;
use crate::compare::constraints::{
    enforce_less_or_equal, enforce_less_than, is_equal, less_than, U64Var,
};
use crate::eddsa::constraints::{verify, SignatureVar};
use crate::merkle::constraints::alloc_path;
use crate::poseidon::constraints::hash;
use crate::revocation::constraints::{alloc_non_membership, enforce_not_revoked};
use crate::tags::FieldTag;
use crate::Fr;

use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::boolean::Boolean;
use ark_r1cs_std::eq::EqGadget;
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::fields::FieldVar;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};

/// The presentation circuit. With `None` values (setup) it has the same shape as with values
/// (proving): setup and proving build the same type, so they cannot disagree on the shape.
#[derive(Clone, Default)]
pub struct PresentationCircuit {
    /// The public inputs (None in setup).
    pub statement: Option<Statement>,
    /// The private inputs (None in setup).
    pub witness: Option<Witness>,
}

impl std::fmt::Debug for PresentationCircuit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PresentationCircuit")
            .field("statement", &self.statement)
            .finish_non_exhaustive()
    }
}

impl PresentationCircuit {
    /// The shape only, for setup.
    pub fn blank() -> Self {
        PresentationCircuit::default()
    }

    /// A circuit with values, for proving.
    pub fn new(statement: Statement, witness: Witness) -> Self {
        PresentationCircuit {
            statement: Some(statement),
            witness: Some(witness),
        }
    }
}

/// A one-hot vector of `n` booleans whose set position is `value` (an error in proving mode if
/// `value >= n`): `n` booleanity constraints and one for `sum == 1`.
fn one_hot(
    cs: &ConstraintSystemRef<Fr>,
    n: usize,
    value: Option<usize>,
) -> Result<Vec<FpVar<Fr>>, SynthesisError> {
    let mut bits = Vec::with_capacity(n);
    for j in 0..n {
        let b = Boolean::new_witness(cs.clone(), || {
            value
                .map(|v| v == j)
                .ok_or(SynthesisError::AssignmentMissing)
        })?;
        bits.push(FpVar::from(b));
    }
    let sum = bits.iter().fold(FpVar::zero(), |acc, b| acc + b);
    sum.enforce_equal(&FpVar::one())?;
    Ok(bits)
}

impl ConstraintSynthesizer<Fr> for PresentationCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let st = self.statement.as_ref();
        let w = self.witness.as_ref();
        let missing = SynthesisError::AssignmentMissing;
        let wv = |f: fn(&Witness) -> Fr| move || w.map(f).ok_or(missing);
        let sv = |f: fn(&Statement) -> Fr| move || st.map(f).ok_or(missing);

        // Public inputs, in the order of PUBLIC_INPUT_NAMES.
        let issuers_root = FpVar::new_input(cs.clone(), sv(|s| s.issuers_root))?;
        let revocation_root = FpVar::new_input(cs.clone(), sv(|s| s.revocation_root))?;
        let now = FpVar::new_input(cs.clone(), sv(|s| Fr::from(s.now)))?;
        let policy_hash = FpVar::new_input(cs.clone(), sv(|s| s.policy_hash))?;
        let challenge = FpVar::new_input(cs.clone(), sv(|s| s.challenge))?;
        let scope = FpVar::new_input(cs.clone(), sv(|s| s.scope))?;
        let nullifier = FpVar::new_input(cs.clone(), sv(|s| s.nullifier))?;

        // 3b. slot 1 opens to the holder secret: slot 1 is computed, never supplied
        let secret = FpVar::new_witness(cs.clone(), wv(|w| w.holder_secret))?;
        let commitment = hash(&[
            FpVar::Constant(FieldTag::HolderCommitment.value()),
            secret.clone(),
        ])?;
        let mut slots = Vec::with_capacity(SLOTS);
        for i in 0..SLOTS {
            if i == 1 {
                slots.push(commitment.clone());
            } else {
                slots.push(FpVar::new_witness(cs.clone(), || {
                    w.map(|w| w.slots[i]).ok_or(missing)
                })?);
            }
        }

        // 1. the signature verifies under the provider key for m = Poseidon(slots)
        let message = hash(&slots)?;
        let provider = PointVar::from_coordinates_unchecked(
            FpVar::new_witness(cs.clone(), wv(|w| w.provider_x))?,
            FpVar::new_witness(cs.clone(), wv(|w| w.provider_y))?,
        );
        let signature = SignatureVar {
            r8: PointVar::from_coordinates_unchecked(
                FpVar::new_witness(cs.clone(), wv(|w| w.r8x))?,
                FpVar::new_witness(cs.clone(), wv(|w| w.r8y))?,
            ),
            s: FpVar::new_witness(cs.clone(), wv(|w| w.s))?,
        };
        verify(&provider, &message, &signature)?;

        // 2. leaf(tag, provider key, schema id) is in the approved tree, same key as in 1
        let leaf = hash(&[
            FpVar::Constant(FieldTag::IssuerLeaf.value()),
            provider.x.clone(),
            provider.y.clone(),
            slots[0].clone(),
        ])?;
        let approval = w.map(|w| w.approval_path());
        let path = alloc_path(
            cs.clone(),
            ISSUER_TREE_ARITY,
            ISSUER_TREE_DEPTH,
            approval.as_ref(),
        )?;
        path.compute_root(&leaf)?.enforce_equal(&issuers_root)?;

        // 5. the credential's revocation id, from the same key and serial, is not revoked
        let non_revocation = w.map(|w| w.non_revocation());
        let nm = alloc_non_membership(cs.clone(), non_revocation.as_ref())?;
        enforce_not_revoked(&revocation_root, &provider.x, &provider.y, &slots[2], &nm)?;

        // 4. issued_at <= now < expires_at (64-bit; now is range-checked by the verifier)
        let issued_at = U64Var::range_checked(&slots[3])?;
        let expires_at = U64Var::range_checked(&slots[4])?;
        let now = U64Var::assume_checked(now);
        enforce_less_or_equal(&issued_at, &now)?;
        enforce_less_than(&now, &expires_at)?;

        // 6. every predicate holds (slot select, range check, compare, op select)
        let mut packed = FpVar::zero();
        let mut values = Vec::with_capacity(PREDICATES);
        let claims = &slots[FIRST_CLAIM_SLOT..];
        for i in 0..PREDICATES {
            let slot_hot = one_hot(
                &cs,
                claims.len(),
                w.map(|w| usize::from(w.predicate_slots[i]).wrapping_sub(FIRST_CLAIM_SLOT)),
            )?;
            let op = one_hot(&cs, 7, w.map(|w| usize::from(w.predicate_ops[i])))?;
            let value = FpVar::new_witness(cs.clone(), || {
                w.map(|w| w.predicate_values[i]).ok_or(missing)
            })?;
            // the selected slot: sum e_j slot_j
            let mut x = FpVar::zero();
            let mut slot_index = FpVar::zero();
            for (j, e) in slot_hot.iter().enumerate() {
                x += e * &claims[j];
                slot_index += e * Fr::from((FIRST_CLAIM_SLOT + j) as u64);
            }
            let mut op_code = FpVar::zero();
            for (k, o) in op.iter().enumerate() {
                op_code += o * Fr::from(k as u64);
            }
            let (o_none, o_eq, o_ne, o_lt, o_le, o_gt, o_ge) =
                (&op[0], &op[1], &op[2], &op[3], &op[4], &op[5], &op[6]);
            // order comparisons see the operands only when the operator is an order one, so a
            // hashed string under eq/ne need not fit in 64 bits
            let is_order = o_lt + o_le + o_gt + o_ge;
            let x_ord = U64Var::range_checked(&(&is_order * &x))?;
            // the verifier checks natively that an order predicate's value is below 2^64, and
            // the value is bound to the request through policy_hash
            let v_ord = U64Var::assume_checked(&is_order * &value);
            let lt = FpVar::from(less_than(&x_ord, &v_ord)?);
            let eq = is_equal(&x, &value)?;
            // result = none + ne + gt + ge + eq (eq - ne + le - gt) + lt (lt + le - gt - ge) == 1
            let t = &eq * (o_eq - o_ne + o_le - o_gt);
            let rest = o_none + o_ne + o_gt + o_ge + t;
            lt.mul_equals(&(o_lt + o_le - o_gt - o_ge), &(FpVar::one() - rest))?;
            let pair = slot_index + op_code * Fr::from(16u64);
            packed += pair * Fr::from(1u64 << (7 * i));
            values.push(value);
        }

        // 3a + 7. the policy hash names slot 0's schema and these predicates
        let mut policy_inputs = vec![
            FpVar::Constant(FieldTag::Policy.value()),
            slots[0].clone(),
            packed,
        ];
        policy_inputs.extend(values);
        hash(&policy_inputs)?.enforce_equal(&policy_hash)?;

        // 7. nullifier = Poseidon(tag, secret, scope) when scope != 0, and 0 otherwise
        let pseudonym = hash(&[
            FpVar::Constant(FieldTag::Nullifier.value()),
            secret,
            scope.clone(),
        ])?;
        let scope_is_zero = is_equal(&scope, &FpVar::zero())?;
        (FpVar::one() - scope_is_zero).mul_equals(&pseudonym, &nullifier)?;

        // 8. the challenge is bound by a constraint of its own
        let _ = challenge.square()?;
        Ok(())
    }
}
