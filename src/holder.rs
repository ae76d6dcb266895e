//! The freelancer's side: the holder secret, accepting credentials, and proving.
//!
//! [`Holder::prove`] refuses, before any proving, a credential that cannot satisfy a request,
//! with a [`ProveError`] that says why (DESIGN section 4): it never produces a proof of a false
//! statement, and never burns seconds of proving on one.

use crate::credential::SignedCredential;
use crate::keys::ProvingKey;
use crate::registry::{ApprovalStatus, Registry};
use crate::revocation::RevocationList;
use crate::verifier::{Presentation, Request};
use ark_ff::UniformRand;
use rand::{CryptoRng, RngCore};
use std::fmt;
use vouchsafe_circuits::field;
use vouchsafe_circuits::presentation::{
    holder_commitment, nullifier, PresentationCircuit, Witness,
};
use vouchsafe_circuits::Fr;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Why a holder cannot (or will not) answer a request with a credential.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProveError {
    /// `now >= expires_at`.
    #[error("the credential has expired")]
    Expired,
    /// `now < issued_at`.
    #[error("the credential is not valid yet")]
    NotYetValid,
    /// The credential's schema is not the request's.
    #[error("the credential has another schema than the request's")]
    WrongSchema,
    /// The provider is not in the registry at all.
    #[error("the provider is not approved")]
    ProviderNotApproved,
    /// The provider is approved, but for other schemas only.
    #[error("the provider is approved only for other schemas")]
    ProviderNotApprovedForSchema,
    /// The provider's signature does not verify.
    #[error("the credential's signature is invalid")]
    BadSignature,
    /// The credential is bound to another holder's secret.
    #[error("the credential belongs to another holder")]
    NotThisHolder,
    /// A predicate of the request is false for this credential.
    #[error("predicate {index} of the request does not hold")]
    PredicateFalse {
        /// Which predicate (0 to 3).
        index: usize,
    },
    /// The request is for another verifying key than this proving key's.
    #[error("the request names another verifying key")]
    WrongKey,
    /// The credential has been revoked by its provider.
    #[error("the credential has been revoked")]
    Revoked,
    /// Proving failed inside arkworks (a bug if the checks above passed).
    #[error("proving failed: {0}")]
    Proving(String),
}

/// The holder's secret: a field element whose commitment sits in slot 1 of every credential
/// issued to the holder. Zeroized on drop, never printed, not serializable except through
/// [`HolderSecret::export_bytes`].
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct HolderSecret(Fr);

impl fmt::Debug for HolderSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HolderSecret").finish_non_exhaustive()
    }
}

impl HolderSecret {
    /// A fresh secret from `rng` (use the OS RNG).
    pub fn generate<G: RngCore + CryptoRng>(rng: &mut G) -> Self {
        HolderSecret(Fr::rand(rng))
    }

    /// The explicit export: 32 bytes, little-endian. Keep them secret.
    pub fn export_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(field::to_bytes_le(&self.0))
    }

    /// Reads an exported secret (exactly 32 bytes, below r).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, field::FieldError> {
        field::from_bytes_le(bytes).map(HolderSecret)
    }

    /// The commitment `Poseidon(TAG_HOLDER, secret)` that providers put in slot 1.
    pub fn commitment(&self) -> Fr {
        holder_commitment(&self.0)
    }
}

/// A holder: a secret and the operations on it.
#[derive(Debug)]
pub struct Holder {
    secret: HolderSecret,
}

impl Holder {
    /// A holder with the given secret.
    pub fn new(secret: HolderSecret) -> Self {
        Holder { secret }
    }

    /// A holder with a fresh secret.
    pub fn generate<G: RngCore + CryptoRng>(rng: &mut G) -> Self {
        Holder::new(HolderSecret::generate(rng))
    }

    /// The commitment to give providers.
    pub fn commitment(&self) -> Fr {
        self.secret.commitment()
    }

    /// The secret (for export).
    pub fn secret(&self) -> &HolderSecret {
        &self.secret
    }

    /// Checks a received credential: the signature, the binding to this holder, and the
    /// provider's approval for the credential's schema.
    pub fn accept(&self, cred: &SignedCredential, registry: &Registry) -> Result<(), ProveError> {
        cred.verify_signature()
            .map_err(|_| ProveError::BadSignature)?;
        if cred.credential().holder_commitment() != self.commitment() {
            return Err(ProveError::NotThisHolder);
        }
        match registry.approval_status(cred.provider(), cred.credential().schema_id()) {
            ApprovalStatus::Approved => Ok(()),
            ApprovalStatus::OnlyOtherSchemas => Err(ProveError::ProviderNotApprovedForSchema),
            _ => Err(ProveError::ProviderNotApproved),
        }
    }

    /// Every check [`Holder::prove`] makes before proving.
    pub fn check(
        &self,
        request: &Request,
        cred: &SignedCredential,
        registry: &Registry,
        revocations: &RevocationList,
    ) -> Result<(), ProveError> {
        let c = cred.credential();
        if c.schema_id() != request.policy().schema_id {
            return Err(ProveError::WrongSchema);
        }
        self.accept(cred, registry)?;
        if request.now() < c.issued_at() {
            return Err(ProveError::NotYetValid);
        }
        if request.now() >= c.expires_at() {
            return Err(ProveError::Expired);
        }
        if revocations.is_revoked(cred.provider(), &c.serial()) {
            return Err(ProveError::Revoked);
        }
        for (index, p) in request.policy().predicates.iter().enumerate() {
            if !p.holds(c.slots()) {
                return Err(ProveError::PredicateFalse { index });
            }
        }
        Ok(())
    }

    /// The statement and the secret witness of a presentation answering `request` with `cred`,
    /// against the registry's and the revocation list's current roots, after every check of
    /// [`Holder::check`]. [`Holder::prove`] proves exactly this circuit; it is public for
    /// interoperability tests and benchmarks (for example, to feed the same witness to the
    /// circom version of the statement). The witness is secret: it holds the credential, the
    /// signature and the holder secret, prints redacted and is zeroized on drop.
    pub fn circuit(
        &self,
        request: &Request,
        cred: &SignedCredential,
        registry: &Registry,
        revocations: &RevocationList,
    ) -> Result<PresentationCircuit, ProveError> {
        self.check(request, cred, registry, revocations)?;
        let c = cred.credential();
        let path = registry
            .approval_path(cred.provider(), c.schema_id())
            .map_err(|_| ProveError::ProviderNotApproved)?;
        let scope = request.scope();
        let nullifier = nullifier(&self.secret.0, &scope);
        let non_revocation = revocations
            .witness(cred.provider(), &c.serial())
            .map_err(|_| ProveError::Revoked)?;
        let statement = request.statement(registry.root(), revocations.root(), nullifier);
        let witness = Witness::new(
            *c.slots(),
            &cred.provider().point(),
            cred.signature(),
            &path,
            &non_revocation,
            self.secret.0,
            request.policy(),
        );
        Ok(PresentationCircuit::new(statement, witness))
    }

    /// Answers `request` with `cred`: checks everything first, then proves against the
    /// registry's and the revocation list's current roots.
    pub fn prove<G: RngCore + CryptoRng>(
        &self,
        pk: &ProvingKey,
        request: &Request,
        cred: &SignedCredential,
        registry: &Registry,
        revocations: &RevocationList,
        rng: &mut G,
    ) -> Result<Presentation, ProveError> {
        if pk.verifying_key().fingerprint() != request.vk_fingerprint() {
            return Err(ProveError::WrongKey);
        }
        let circuit = self.circuit(request, cred, registry, revocations)?;
        let Some(statement) = circuit.statement else {
            return Err(ProveError::Proving("no statement".into()));
        };
        let proof = crate::prover::prove(&pk.0, circuit, rng)
            .map_err(|e| ProveError::Proving(e.to_string()))?;
        Ok(Presentation {
            issuers_root: statement.issuers_root,
            revocation_root: statement.revocation_root,
            nullifier: statement.nullifier,
            proof: crate::keys::Proof(proof),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn j08_secret_is_redacted_and_round_trips() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
        let s = HolderSecret::generate(&mut rng);
        let digits = field::to_decimal(&s.0);
        let printed = format!(
            "{s:?} {:?}",
            Holder::new(HolderSecret::from_bytes(&*s.export_bytes()).unwrap())
        );
        assert_eq!(
            printed,
            "HolderSecret { .. } Holder { secret: HolderSecret { .. } }"
        );
        assert!(!printed.contains(&digits[..12]));
        let back = HolderSecret::from_bytes(&*s.export_bytes()).unwrap();
        assert_eq!(back.commitment(), s.commitment());
        assert_eq!(
            HolderSecret::from_bytes(&[0xff; 32]).err(),
            Some(field::FieldError::Overflow)
        );
    }

    #[test]
    fn j08_secret_zeroizes() {
        let mut s = HolderSecret(Fr::from(1234u64));
        s.zeroize();
        assert_eq!(s.0, Fr::from(0u64));
    }
}
