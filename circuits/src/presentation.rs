//! The presentation statement of DESIGN section 4: the one relation vouchsafe proves, for every
//! schema and every policy, under one trusted setup.
//!
//! Public inputs, in this order ([`Statement::to_field_elements`]):
//! `issuers_root`, `revocation_root`, `now`, `policy_hash`, `challenge`, `scope`, `nullifier`.
//!
//! "I hold a credential (16 slots) signed by a provider key `A` (EdDSA-Poseidon over
//! `Poseidon(slots)`); the leaf `Poseidon(TAG_ISSUER, Ax, Ay, slot 0)` is in the approved-provider
//! tree at `issuers_root`; the credential's revocation id (from `A` and the serial, slot 2) is
//! not in the revoked set at `revocation_root`; slot 1 is `Poseidon(TAG_HOLDER, secret)`;
//! `issued_at <= now < expires_at`; the policy whose hash is `policy_hash` names schema `slot 0`
//! and four predicates on claim slots that all hold; `nullifier = Poseidon(TAG_NULLIFIER,
//! secret, scope)` if `scope != 0` and `0` otherwise; and `challenge` is bound."
//!
//! Native helpers beside the circuit compute the same values ([`holder_commitment`],
//! [`issuer_leaf`], [`nullifier`], [`Policy::hash`]) so that the library and the circuit cannot
//! drift apart. The gadget is [`PresentationCircuit`]; its cost is pinned in `circuits/README.md`.

use crate::babyjubjub::Point;
use crate::eddsa::Signature;
use crate::merkle::{Arity, MerklePath};
use crate::poseidon::{self, PoseidonError};
use crate::revocation::NonMembershipWitness;
use crate::tags::FieldTag;
use crate::Fr;
use ark_ff::{PrimeField, Zero};
use std::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop};

// Gadget code: it lays out constraints over the prover's own witness, with indexes and sizes
// fixed by the circuit's shape; no input bytes reach it. It keeps the unwrap/expect/panic
// lints but not the crate's indexing and integer-arithmetic ones (SECURITY.md 6.8).
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
pub mod constraints;
pub use constraints::PresentationCircuit;

/// Number of credential slots.
pub const SLOTS: usize = 16;
/// The first claim slot: slots 0 to 4 are the header (schema, holder, serial, issued, expires).
pub const FIRST_CLAIM_SLOT: usize = 5;
/// Number of predicates in every policy (unused ones are [`Predicate::none`]).
pub const PREDICATES: usize = 4;
/// The approved-provider tree: 4-ary, depth 8, 65,536 approvals.
pub const ISSUER_TREE_ARITY: Arity = Arity::Quaternary;
/// Depth of the approved-provider tree.
pub const ISSUER_TREE_DEPTH: usize = 8;
/// Number of public inputs.
pub const NUM_PUBLIC_INPUTS: usize = 7;
/// The names of the public inputs, in order.
pub const PUBLIC_INPUT_NAMES: [&str; NUM_PUBLIC_INPUTS] = [
    "issuers_root",
    "revocation_root",
    "now",
    "policy_hash",
    "challenge",
    "scope",
    "nullifier",
];

/// A predicate operator. Order operators compare unsigned 64-bit values; `Eq`/`Ne` compare whole
/// field elements (hashed strings too).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Op {
    /// Always true: an unused predicate.
    None = 0,
    /// `slot == value`
    Eq = 1,
    /// `slot != value`
    Ne = 2,
    /// `slot < value` (u64)
    Lt = 3,
    /// `slot <= value` (u64)
    Le = 4,
    /// `slot > value` (u64)
    Gt = 5,
    /// `slot >= value` (u64)
    Ge = 6,
}

impl Op {
    /// Every operator, indexed by its code.
    pub const ALL: [Op; 7] = [Op::None, Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge];

    /// The operator's code, as packed into the policy hash.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// Whether the operator compares u64 values.
    pub fn is_order(self) -> bool {
        matches!(self, Op::Lt | Op::Le | Op::Gt | Op::Ge)
    }

    /// The operator's name in requests (`none`, `eq`, `ne`, `lt`, `le`, `gt`, `ge`).
    pub fn name(self) -> &'static str {
        match self {
            Op::None => "none",
            Op::Eq => "eq",
            Op::Ne => "ne",
            Op::Lt => "lt",
            Op::Le => "le",
            Op::Gt => "gt",
            Op::Ge => "ge",
        }
    }

    /// Parses a name given by [`Op::name`].
    pub fn from_name(s: &str) -> Option<Op> {
        Op::ALL.iter().copied().find(|op| op.name() == s)
    }
}

/// Why a policy or a statement value is malformed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// A predicate addresses a slot outside the claim slots 5..=15.
    #[error("predicate slot {slot} is not a claim slot (5..=15)")]
    SlotOutOfRange {
        /// The slot given.
        slot: usize,
    },
    /// An order comparison against a value that is not a u64.
    #[error("the value of an order comparison must be below 2^64")]
    ValueOutOfRange,
    /// An unused predicate not in its canonical form (slot 5, value 0).
    #[error("an unused predicate must be written as slot 5, value 0")]
    NonCanonicalNone,
}

/// One predicate `slot op value`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Predicate {
    slot: usize,
    op: Op,
    value: Fr,
}

impl Predicate {
    /// A validated predicate: `slot` in 5..=15; for order operators `value < 2^64`; an unused
    /// predicate must be [`Predicate::none`].
    pub fn new(slot: usize, op: Op, value: Fr) -> Result<Self, PolicyError> {
        if !(FIRST_CLAIM_SLOT..SLOTS).contains(&slot) {
            return Err(PolicyError::SlotOutOfRange { slot });
        }
        if op.is_order() && value.into_bigint().num_bits_u64() > 64 {
            return Err(PolicyError::ValueOutOfRange);
        }
        if op == Op::None && (slot != FIRST_CLAIM_SLOT || !value.is_zero()) {
            return Err(PolicyError::NonCanonicalNone);
        }
        Ok(Predicate { slot, op, value })
    }

    /// An order comparison on a u64 value.
    pub fn compare(slot: usize, op: Op, value: u64) -> Result<Self, PolicyError> {
        Predicate::new(slot, op, Fr::from(value))
    }

    /// The unused predicate: slot 5, `none`, value 0.
    pub fn none() -> Self {
        Predicate {
            slot: FIRST_CLAIM_SLOT,
            op: Op::None,
            value: Fr::zero(),
        }
    }

    /// The slot.
    pub fn slot(&self) -> usize {
        self.slot
    }

    /// The operator.
    pub fn op(&self) -> Op {
        self.op
    }

    /// The value compared with.
    pub fn value(&self) -> Fr {
        self.value
    }

    /// Evaluates the predicate on a credential's slots. Order operators on a slot that is not
    /// a u64 are false.
    pub fn holds(&self, slots: &[Fr; SLOTS]) -> bool {
        // `slot` is in 5..=15 (checked by `new`); a slot outside the credential holds nothing.
        let Some(&x) = slots.get(self.slot) else {
            return false;
        };
        let as_u64 = |v: Fr| {
            let b = v.into_bigint();
            (b.num_bits_u64() <= 64).then(|| b.0[0])
        };
        match self.op {
            Op::None => true,
            Op::Eq => x == self.value,
            Op::Ne => x != self.value,
            order => match (as_u64(x), as_u64(self.value)) {
                (Some(a), Some(b)) => match order {
                    Op::Lt => a < b,
                    Op::Le => a <= b,
                    Op::Gt => a > b,
                    _ => a >= b,
                },
                _ => false,
            },
        }
    }
}

trait NumBits {
    fn num_bits_u64(&self) -> u32;
}
impl NumBits for ark_ff::BigInt<4> {
    fn num_bits_u64(&self) -> u32 {
        ark_ff::BigInteger::num_bits(self)
    }
}

/// A policy: the schema and four predicates. Its hash is a public input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// The schema id every presentation under this policy must carry in slot 0.
    pub schema_id: Fr,
    /// The predicates; unused ones are [`Predicate::none`].
    pub predicates: [Predicate; PREDICATES],
}

impl Policy {
    /// `sum_i (slot_i + 16 op_i) 2^(7 i)`: slot (4 bits) and operator (3 bits) of each
    /// predicate, packed into one field element.
    pub fn packed_slots_and_ops(&self) -> Fr {
        // Horner's rule from the last predicate: `packed = (packed << 7) | field_i`. Each field
        // `slot + 16 op` is below 2^7 (slot < 16, op < 8), so the saturating operations are
        // exact and the fields do not overlap; four fields take 28 bits.
        let mut packed = 0u64;
        for p in self.predicates.iter().rev() {
            let field = (p.slot as u64).saturating_add(u64::from(p.op.code()).saturating_mul(16));
            packed = (packed << 7) | field;
        }
        Fr::from(packed)
    }

    /// `Poseidon(TAG_POLICY, schema_id, packed, v_0, v_1, v_2, v_3)`.
    pub fn hash(&self) -> Fr {
        let mut inputs = [Fr::zero(); 3 + PREDICATES];
        inputs[0] = FieldTag::Policy.value();
        inputs[1] = self.schema_id;
        inputs[2] = self.packed_slots_and_ops();
        for (input, p) in inputs.iter_mut().skip(3).zip(&self.predicates) {
            *input = p.value;
        }
        hash_or_zero(&inputs)
    }

    /// Whether every predicate holds on `slots`.
    pub fn holds(&self, slots: &[Fr; SLOTS]) -> bool {
        self.predicates.iter().all(|p| p.holds(slots))
    }
}

fn hash_or_zero(inputs: &[Fr]) -> Fr {
    // Every call site passes 2 to 7 inputs, within Poseidon's 1..=16.
    poseidon::hash(inputs).unwrap_or_else(|_: PoseidonError| Fr::zero())
}

/// The holder commitment stored in slot 1: `Poseidon(TAG_HOLDER, secret)`.
pub fn holder_commitment(secret: &Fr) -> Fr {
    hash_or_zero(&[FieldTag::HolderCommitment.value(), *secret])
}

/// The approved-provider leaf: `Poseidon(TAG_ISSUER, Ax, Ay, schema_id)`.
pub fn issuer_leaf(provider: &Point, schema_id: &Fr) -> Fr {
    hash_or_zero(&[
        FieldTag::IssuerLeaf.value(),
        provider.x(),
        provider.y(),
        *schema_id,
    ])
}

/// The pseudonym: `Poseidon(TAG_NULLIFIER, secret, scope)` for a non-zero scope, 0 otherwise.
pub fn nullifier(secret: &Fr, scope: &Fr) -> Fr {
    if scope.is_zero() {
        Fr::zero()
    } else {
        hash_or_zero(&[FieldTag::Nullifier.value(), *secret, *scope])
    }
}

/// The public inputs of one presentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Statement {
    /// Root of the approved-provider tree.
    pub issuers_root: Fr,
    /// Root of the revoked set.
    pub revocation_root: Fr,
    /// The verifier's time, unix seconds.
    pub now: u64,
    /// [`Policy::hash`] of the request's policy.
    pub policy_hash: Fr,
    /// The request's challenge.
    pub challenge: Fr,
    /// The pseudonym scope, or 0.
    pub scope: Fr,
    /// The pseudonym, 0 exactly when `scope` is 0.
    pub nullifier: Fr,
}

impl Statement {
    /// The public inputs in circuit order ([`PUBLIC_INPUT_NAMES`]).
    pub fn to_field_elements(&self) -> [Fr; NUM_PUBLIC_INPUTS] {
        [
            self.issuers_root,
            self.revocation_root,
            Fr::from(self.now),
            self.policy_hash,
            self.challenge,
            self.scope,
            self.nullifier,
        ]
    }
}

/// Everything the prover knows and the verifier must not learn. Zeroized on drop; `Debug`
/// prints nothing of it.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Witness {
    /// The 16 credential slots (slot 1 is recomputed from the secret in the circuit).
    pub slots: [Fr; SLOTS],
    /// The provider key's coordinates.
    pub provider_x: Fr,
    /// See `provider_x`.
    pub provider_y: Fr,
    /// The signature's `R8` coordinates and `S`.
    pub r8x: Fr,
    /// See `r8x`.
    pub r8y: Fr,
    /// See `r8x`.
    pub s: Fr,
    /// The approval path's index.
    pub approval_index: u64,
    /// The approval path's siblings, level by level.
    pub approval_siblings: Vec<Vec<Fr>>,
    /// The non-revocation witness: the low leaf's value and next value ...
    pub revocation_low_value: Fr,
    /// See `revocation_low_value`.
    pub revocation_low_next: Fr,
    /// ... and its path's index and siblings.
    pub revocation_index: u64,
    /// See `revocation_index`.
    pub revocation_siblings: Vec<Vec<Fr>>,
    /// The holder secret.
    pub holder_secret: Fr,
    /// The predicates' slots, operator codes and values (the verifier knows them; they enter
    /// the circuit only through `policy_hash`).
    pub predicate_slots: [u8; PREDICATES],
    /// See `predicate_slots`.
    pub predicate_ops: [u8; PREDICATES],
    /// See `predicate_slots`.
    pub predicate_values: [Fr; PREDICATES],
}

impl fmt::Debug for Witness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Witness").finish_non_exhaustive()
    }
}

impl Witness {
    /// Assembles a witness from its parts.
    pub fn new(
        slots: [Fr; SLOTS],
        provider: &Point,
        signature: &Signature,
        approval: &MerklePath,
        non_revocation: &NonMembershipWitness,
        holder_secret: Fr,
        policy: &Policy,
    ) -> Self {
        Witness {
            slots,
            provider_x: provider.x(),
            provider_y: provider.y(),
            r8x: signature.r8().x(),
            r8y: signature.r8().y(),
            s: signature.s(),
            approval_index: approval.index,
            approval_siblings: approval.siblings.clone(),
            revocation_low_value: non_revocation.low_value,
            revocation_low_next: non_revocation.low_next,
            revocation_index: non_revocation.path.index,
            revocation_siblings: non_revocation.path.siblings.clone(),
            holder_secret,
            predicate_slots: policy.predicates.map(|p| p.slot as u8),
            predicate_ops: policy.predicates.map(|p| p.op.code()),
            predicate_values: policy.predicates.map(|p| p.value),
        }
    }

    pub(crate) fn non_revocation(&self) -> NonMembershipWitness {
        NonMembershipWitness {
            low_value: self.revocation_low_value,
            low_next: self.revocation_low_next,
            path: MerklePath {
                index: self.revocation_index,
                siblings: self.revocation_siblings.clone(),
            },
        }
    }

    pub(crate) fn approval_path(&self) -> MerklePath {
        MerklePath {
            index: self.approval_index,
            siblings: self.approval_siblings.clone(),
        }
    }
}

#[cfg(test)]
mod tests;
