//! The client's side: requests, presentations, and their verification.
//!
//! A [`Request`] names the verifier, a fresh nonce (at least 128 random bits), the schema, up to
//! four predicates on claim slots, an optional pseudonym scope label, the verifier's `now`, and
//! the fingerprint of the verifying key it trusts. [`Verifier::verify`] rebuilds every public
//! input from the request itself (DESIGN section 4) and takes from the presentation only the two
//! roots it names (each accepted only if the verifier trusts it) and the nullifier.
//!
//! Checks, in order, before any pairing: the request's own validity, the verifier id, the key
//! fingerprint, the clock window, the two roots, the nullifier/scope consistency, and the atomic
//! consumption of the challenge, which also refuses an expired request and a request other than
//! the one issued with the challenge ([`Request::digest`]). Errors are precise about these checks and deliberately coarse about the proof:
//! any proof that does not verify is [`VerifyError::InvalidProof`].

use crate::keys::{KeyError, PreparedVerifyingKey, Proof};
use crate::registry::{AcceptedRoots, RootStatus};
use ark_bn254::{Bn254, G1Affine};
use ark_ec::bn::G2Prepared;
use ark_ec::AffineRepr;
use ark_ec::CurveGroup;
use ark_ff::Zero;
use rand::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Mutex;
use vouchsafe_circuits::field::{self, hash_to_field};
use vouchsafe_circuits::presentation::{
    Op, Policy, PolicyError, Predicate, Statement, NUM_PUBLIC_INPUTS, PREDICATES,
};
use vouchsafe_circuits::tags::{CHALLENGE_DST, SCOPE_DST};
use vouchsafe_circuits::Fr;

/// Request and presentation JSON larger than this is refused before parsing.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;
/// Shortest accepted nonce, in bytes (128 bits).
pub const MIN_NONCE_BYTES: usize = 16;
/// Longest accepted nonce, in bytes.
pub const MAX_NONCE_BYTES: usize = 64;
/// Longest verifier id or scope label, in bytes.
pub const MAX_LABEL_BYTES: usize = 128;

/// Why a request, a presentation or a proof was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// Malformed input: JSON, encodings, sizes, versions.
    #[error("malformed input: {0}")]
    Malformed(String),
    /// A request for another verifying key than this verifier's.
    #[error("the request names another verifying key")]
    WrongKey,
    /// The number of public inputs does not match the circuit.
    #[error("expected {expected} public inputs, got {got}")]
    PublicInputCount {
        /// Inputs of the circuit.
        expected: usize,
        /// Inputs supplied.
        got: usize,
    },
    /// The challenge was never issued by this verifier.
    #[error("unknown challenge")]
    ChallengeUnknown,
    /// The challenge was already answered.
    #[error("challenge already used")]
    ChallengeReused,
    /// The request expired before it was answered.
    #[error("challenge expired")]
    ChallengeExpired,
    /// The request is not the one issued with this challenge (its policy, scope, times or key
    /// were changed): only the verifier's own request may be used to verify.
    #[error("the request differs from the one issued with this challenge")]
    RequestAltered,
    /// The presentation names an approved-provider or revocation root the verifier does not
    /// know (or the zero root).
    #[error("root not accepted")]
    RootNotAccepted,
    /// The presentation names a root that was replaced more than the verifier's window ago:
    /// the holder must prove again against a newer root.
    #[error("root is stale: replaced more than the accepted window ago")]
    RootStale,
    /// The request's `now` is too far from the verifier's clock.
    #[error("request time outside the clock window")]
    TimeOutOfWindow,
    /// A nullifier of 0 with a scope, or a non-zero nullifier without one.
    #[error("nullifier inconsistent with the scope")]
    ZeroValue,
    /// The proof does not verify, whatever was tampered with.
    #[error("invalid proof")]
    InvalidProof,
}

impl From<KeyError> for VerifyError {
    fn from(e: KeyError) -> Self {
        VerifyError::Malformed(e.to_string())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str, what: &str) -> Result<Vec<u8>, VerifyError> {
    let bad = || VerifyError::Malformed(format!("{what}: lowercase hex expected"));
    if s.len() % 2 != 0 {
        return Err(bad());
    }
    let digit = |c: u8| {
        match c {
            b'0'..=b'9' => c.checked_sub(b'0'),
            b'a'..=b'f' => c.checked_sub(b'a').and_then(|v| v.checked_add(10)),
            _ => None,
        }
        .ok_or_else(bad)
    };
    // an even length: every chunk is a pair
    s.as_bytes()
        .chunks_exact(2)
        .map(|p| match p {
            [hi, lo] => Ok((digit(*hi)? << 4) | digit(*lo)?),
            _ => Err(bad()),
        })
        .collect()
}

fn length_prefixed(parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for p in parts {
        out.extend_from_slice(&(p.len() as u32).to_be_bytes());
        out.extend_from_slice(p);
    }
    out
}

/// The challenge of a request: `hash_to_field(CHALLENGE_DST, len||verifier_id || len||nonce)`.
pub fn challenge(verifier_id: &str, nonce: &[u8]) -> Fr {
    hash_to_field(
        CHALLENGE_DST,
        &length_prefixed(&[verifier_id.as_bytes(), nonce]),
    )
}

/// The pseudonym scope: `hash_to_field(SCOPE_DST, len||verifier_id || len||label)`, so two
/// verifiers that pick the same label still get different scopes. The holder computes it from
/// the request; a raw scope is never accepted.
pub fn scope(verifier_id: &str, label: &str) -> Fr {
    hash_to_field(
        SCOPE_DST,
        &length_prefixed(&[verifier_id.as_bytes(), label.as_bytes()]),
    )
}

/// One predicate as it travels in a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PredicateJson {
    slot: usize,
    op: String,
    value: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestJson {
    version: u32,
    verifier_id: String,
    nonce: String,
    schema_id: String,
    predicates: Vec<PredicateJson>,
    scope_label: Option<String>,
    now: u64,
    expires_at: u64,
    vk_fingerprint: String,
}

/// A verifier's request: what to prove, to whom, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    verifier_id: String,
    nonce: Vec<u8>,
    policy: Policy,
    scope_label: Option<String>,
    now: u64,
    expires_at: u64,
    vk_fingerprint: [u8; 32],
}

impl Request {
    fn validate(&self) -> Result<(), VerifyError> {
        let m = |s: &str| Err(VerifyError::Malformed(s.to_string()));
        if self.verifier_id.is_empty() || self.verifier_id.len() > MAX_LABEL_BYTES {
            return m("verifier id length");
        }
        if self.nonce.len() < MIN_NONCE_BYTES || self.nonce.len() > MAX_NONCE_BYTES {
            return m("nonce length");
        }
        if let Some(l) = &self.scope_label {
            if l.is_empty() || l.len() > MAX_LABEL_BYTES {
                return m("scope label length");
            }
        }
        if self.expires_at <= self.now {
            return m("request expires before it starts");
        }
        Ok(())
    }

    /// The verifier's id.
    pub fn verifier_id(&self) -> &str {
        &self.verifier_id
    }

    /// The nonce bytes.
    pub fn nonce(&self) -> &[u8] {
        &self.nonce
    }

    /// The policy (schema and predicates).
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The scope label, if a pseudonym is asked for.
    pub fn scope_label(&self) -> Option<&str> {
        self.scope_label.as_deref()
    }

    /// The verifier's time when it made the request (unix seconds): the circuit's `now`.
    pub fn now(&self) -> u64 {
        self.now
    }

    /// When the request stops being answerable.
    pub fn expires_at(&self) -> u64 {
        self.expires_at
    }

    /// The fingerprint of the verifying key the verifier will use.
    pub fn vk_fingerprint(&self) -> [u8; 32] {
        self.vk_fingerprint
    }

    /// SHA-256 of the request's canonical JSON ([`Request::to_json`]): what the nonce store
    /// keeps beside the challenge, so that verification uses exactly the issued request.
    pub fn digest(&self) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        Sha256::digest(self.to_json().as_bytes()).into()
    }

    /// The challenge bound into the proof.
    pub fn challenge(&self) -> Fr {
        challenge(&self.verifier_id, &self.nonce)
    }

    /// The scope (0 without a label).
    pub fn scope(&self) -> Fr {
        self.scope_label
            .as_deref()
            .map_or(Fr::zero(), |l| scope(&self.verifier_id, l))
    }

    /// The statement a presentation must prove, for the roots it names and its nullifier.
    pub fn statement(&self, issuers_root: Fr, revocation_root: Fr, nullifier: Fr) -> Statement {
        Statement {
            issuers_root,
            revocation_root,
            now: self.now,
            policy_hash: self.policy.hash(),
            challenge: self.challenge(),
            scope: self.scope(),
            nullifier,
        }
    }

    /// Versioned JSON (field elements as decimal strings, nonce and fingerprint in hex).
    pub fn to_json(&self) -> String {
        let j = RequestJson {
            version: 1,
            verifier_id: self.verifier_id.clone(),
            nonce: hex(&self.nonce),
            schema_id: field::to_decimal(&self.policy.schema_id),
            predicates: self
                .policy
                .predicates
                .iter()
                .map(|p| PredicateJson {
                    slot: p.slot(),
                    op: p.op().name().to_string(),
                    value: field::to_decimal(&p.value()),
                })
                .collect(),
            scope_label: self.scope_label.clone(),
            now: self.now,
            expires_at: self.expires_at,
            vk_fingerprint: hex(&self.vk_fingerprint),
        };
        serde_json::to_string(&j).unwrap_or_default()
    }

    /// Parses and validates a request: size cap before parsing, unknown fields and versions
    /// refused, strict field elements, valid predicates.
    pub fn from_json(s: &str) -> Result<Self, VerifyError> {
        if s.len() > MAX_MESSAGE_BYTES {
            return Err(VerifyError::Malformed(format!(
                "request larger than {MAX_MESSAGE_BYTES} bytes"
            )));
        }
        // size, object, version first, then the strict typed parse and shape check
        let j: RequestJson = crate::wire::decode_versioned(s)
            .map_err(|e| VerifyError::Malformed(format!("request: {e}")))?;
        // Exactly four, as `to_json` writes them (unused ones as `none`): one spelling per
        // request.
        if j.predicates.len() != PREDICATES {
            return Err(VerifyError::Malformed(format!(
                "{} predicates: exactly {PREDICATES} expected",
                j.predicates.len()
            )));
        }
        let field_err =
            |what: &str, e: field::FieldError| VerifyError::Malformed(format!("{what}: {e}"));
        let mut predicates = [Predicate::none(); PREDICATES];
        for (slot, p) in predicates.iter_mut().zip(&j.predicates) {
            let op = Op::from_name(&p.op)
                .ok_or_else(|| VerifyError::Malformed(format!("unknown operator {}", p.op)))?;
            let value = field::parse_decimal(&p.value).map_err(|e| field_err("value", e))?;
            *slot = Predicate::new(p.slot, op, value).map_err(policy_err)?;
        }
        let fp = unhex(&j.vk_fingerprint, "vk_fingerprint")?;
        let vk_fingerprint: [u8; 32] = fp
            .try_into()
            .map_err(|_| VerifyError::Malformed("vk_fingerprint: 32 bytes expected".into()))?;
        let r = Request {
            verifier_id: j.verifier_id,
            nonce: unhex(&j.nonce, "nonce")?,
            policy: Policy {
                schema_id: field::parse_decimal(&j.schema_id)
                    .map_err(|e| field_err("schema_id", e))?,
                predicates,
            },
            scope_label: j.scope_label,
            now: j.now,
            expires_at: j.expires_at,
            vk_fingerprint,
        };
        r.validate()?;
        Ok(r)
    }
}

fn policy_err(e: PolicyError) -> VerifyError {
    VerifyError::Malformed(e.to_string())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PresentationJson {
    version: u32,
    issuers_root: String,
    revocation_root: String,
    nullifier: String,
    proof: String,
}

/// A holder's answer to a request: the two roots it proved against, its nullifier (0 without a
/// scope), and the proof. Nothing else travels.
#[derive(Clone, Debug, PartialEq)]
pub struct Presentation {
    /// The approved-provider root the proof is about.
    pub issuers_root: Fr,
    /// The revocation root the proof is about.
    pub revocation_root: Fr,
    /// The pseudonym for the request's scope, or 0.
    pub nullifier: Fr,
    /// The Groth16 proof.
    pub proof: Proof,
}

impl Presentation {
    /// Versioned JSON: decimal field elements, the proof as 256 hex digits.
    pub fn to_json(&self) -> String {
        let j = PresentationJson {
            version: 1,
            issuers_root: field::to_decimal(&self.issuers_root),
            revocation_root: field::to_decimal(&self.revocation_root),
            nullifier: field::to_decimal(&self.nullifier),
            proof: hex(&self.proof.to_bytes()),
        };
        serde_json::to_string(&j).unwrap_or_default()
    }

    /// Parses a presentation strictly (size cap, unknown fields, version, field elements below
    /// r, a canonical 128-byte proof with valid points).
    pub fn from_json(s: &str) -> Result<Self, VerifyError> {
        if s.len() > MAX_MESSAGE_BYTES {
            return Err(VerifyError::Malformed(format!(
                "presentation larger than {MAX_MESSAGE_BYTES} bytes"
            )));
        }
        let j: PresentationJson = crate::wire::decode_versioned(s)
            .map_err(|e| VerifyError::Malformed(format!("presentation: {e}")))?;
        let f = |what: &str, v: &str| {
            field::parse_decimal(v).map_err(|e| VerifyError::Malformed(format!("{what}: {e}")))
        };
        Ok(Presentation {
            issuers_root: f("issuers_root", &j.issuers_root)?,
            revocation_root: f("revocation_root", &j.revocation_root)?,
            nullifier: f("nullifier", &j.nullifier)?,
            proof: Proof::from_bytes(&unhex(&j.proof, "proof")?)?,
        })
    }
}

/// Where a verifier keeps the challenges it issued, each with the digest of its whole request
/// ([`Request::digest`]), so that a presentation is verified against exactly the request the
/// verifier issued, never a copy a holder edited (weaker predicates, no scope, another `now`).
/// Consuming must be atomic: of two concurrent presentations for one challenge, at most one may
/// pass.
pub trait NonceStore: Send + Sync {
    /// Records a newly issued challenge and its request's digest, answerable until
    /// `expires_at`. A challenge already recorded is left as it is (a repeated nonce must not
    /// revive a spent challenge).
    fn register(&self, challenge: Fr, request_digest: [u8; 32], expires_at: u64);
    /// Marks the challenge used, or says why it cannot be: unknown, used, expired, or
    /// [`VerifyError::RequestAltered`] (then it stays unused).
    fn consume(&self, challenge: Fr, request_digest: [u8; 32], now: u64)
        -> Result<(), VerifyError>;
}

/// A challenge as a nonce store keeps it, with the one consumption rule every store applies
/// ([`IssuedChallenge::consume`]), so that stores differ in where they keep entries, never in
/// what they accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IssuedChallenge {
    /// [`Request::digest`] of the request issued with the challenge.
    pub request_digest: [u8; 32],
    /// The request's `expires_at`: answerable while `now <= expires_at`.
    pub expires_at: u64,
    /// Whether a presentation has consumed it.
    pub used: bool,
}

impl IssuedChallenge {
    /// A fresh, unused challenge.
    pub fn new(request_digest: [u8; 32], expires_at: u64) -> Self {
        IssuedChallenge {
            request_digest,
            expires_at,
            used: false,
        }
    }

    /// Marks it used, or says why it cannot be, in this order: already used
    /// ([`VerifyError::ChallengeReused`]), another request ([`VerifyError::RequestAltered`],
    /// left unused), expired ([`VerifyError::ChallengeExpired`]).
    pub fn consume(&mut self, request_digest: [u8; 32], now: u64) -> Result<(), VerifyError> {
        if self.used {
            return Err(VerifyError::ChallengeReused);
        }
        if self.request_digest != request_digest {
            return Err(VerifyError::RequestAltered);
        }
        if now > self.expires_at {
            return Err(VerifyError::ChallengeExpired);
        }
        self.used = true;
        Ok(())
    }
}

/// The default nonce store: a mutex-guarded map in memory. Entries are kept for the life of
/// the store (a spent or expired challenge must stay refused); a long-running verifier should
/// use a store that drops entries once they have expired.
#[derive(Debug, Default)]
pub struct InMemoryNonceStore {
    entries: Mutex<HashMap<[u8; 32], IssuedChallenge>>,
}

impl NonceStore for InMemoryNonceStore {
    fn register(&self, challenge: Fr, request_digest: [u8; 32], expires_at: u64) {
        if let Ok(mut map) = self.entries.lock() {
            map.entry(field::to_bytes_le(&challenge))
                .or_insert(IssuedChallenge::new(request_digest, expires_at));
        }
    }

    fn consume(
        &self,
        challenge: Fr,
        request_digest: [u8; 32],
        now: u64,
    ) -> Result<(), VerifyError> {
        let mut map = self
            .entries
            .lock()
            .map_err(|_| VerifyError::ChallengeUnknown)?;
        map.get_mut(&field::to_bytes_le(&challenge))
            .ok_or(VerifyError::ChallengeUnknown)?
            .consume(request_digest, now)
    }
}

/// Which approved-provider and revocation roots a verifier accepts at a given time.
pub trait RootAcceptance {
    /// The status of an approved-provider root at `now`.
    fn issuers_root(&self, root: &Fr, now: u64) -> RootStatus;
    /// The status of a revocation root at `now`.
    fn revocation_root(&self, root: &Fr, now: u64) -> RootStatus;
}

/// Fixed sets of trusted roots (no windows: each is current or unknown).
#[derive(Clone, Debug, Default)]
pub struct TrustedRoots {
    /// Trusted approved-provider roots.
    pub issuers: Vec<Fr>,
    /// Trusted revocation roots.
    pub revocations: Vec<Fr>,
}

fn fixed(set: &[Fr], root: &Fr) -> RootStatus {
    if !root.is_zero() && set.contains(root) {
        RootStatus::Current
    } else {
        RootStatus::Unknown
    }
}

impl RootAcceptance for TrustedRoots {
    fn issuers_root(&self, root: &Fr, _now: u64) -> RootStatus {
        fixed(&self.issuers, root)
    }
    fn revocation_root(&self, root: &Fr, _now: u64) -> RootStatus {
        fixed(&self.revocations, root)
    }
}

/// The published root histories of the registry and the revocation list: the newest root is
/// accepted, and an older one while it was replaced less than `window_secs` ago.
#[derive(Clone, Debug)]
pub struct RegistryRoots {
    /// The approved-provider history ([`crate::registry::Registry::accepted_roots`]).
    pub issuers: AcceptedRoots,
    /// The revocation history ([`crate::revocation::RevocationList::accepted_roots`]).
    pub revocations: AcceptedRoots,
    /// How long a replaced root stays acceptable, in seconds (default 600).
    pub window_secs: u64,
}

impl RegistryRoots {
    /// Both histories with the default 10-minute window.
    pub fn new(issuers: AcceptedRoots, revocations: AcceptedRoots) -> Self {
        RegistryRoots {
            issuers,
            revocations,
            window_secs: 600,
        }
    }
}

fn windowed(h: &AcceptedRoots, root: &Fr, now: u64, window: u64) -> RootStatus {
    if root.is_zero() {
        RootStatus::Unknown
    } else {
        h.status(root, now, window)
    }
}

impl RootAcceptance for RegistryRoots {
    fn issuers_root(&self, root: &Fr, now: u64) -> RootStatus {
        windowed(&self.issuers, root, now, self.window_secs)
    }
    fn revocation_root(&self, root: &Fr, now: u64) -> RootStatus {
        windowed(&self.revocations, root, now, self.window_secs)
    }
}

fn root_check(status: RootStatus) -> Result<(), VerifyError> {
    match status {
        RootStatus::Current | RootStatus::WithinWindow => Ok(()),
        RootStatus::Stale => Err(VerifyError::RootStale),
        _ => Err(VerifyError::RootNotAccepted),
    }
}

/// What a verified presentation established.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// The policy that holds (schema and predicates).
    pub policy: Policy,
    /// The pseudonym for the request's scope, if one was asked for.
    pub nullifier: Option<Fr>,
    /// The approved-provider root it was proven against.
    pub issuers_root: Fr,
    /// The revocation root it was proven against.
    pub revocation_root: Fr,
}

/// Verifier settings.
#[derive(Clone, Debug)]
pub struct VerifierConfig {
    /// This verifier's id, as it appears in its requests.
    pub verifier_id: String,
    /// How far a request's `now` may be from the verifier's clock at verification (seconds).
    pub clock_window_secs: u64,
    /// How long a request stays answerable (seconds).
    pub request_ttl_secs: u64,
}

impl VerifierConfig {
    /// Defaults: a 5-minute clock window and 10-minute requests.
    pub fn new(verifier_id: impl Into<String>) -> Self {
        VerifierConfig {
            verifier_id: verifier_id.into(),
            clock_window_secs: 300,
            request_ttl_secs: 600,
        }
    }
}

/// A verifier: its prepared key, settings, trusted roots and nonce store.
pub struct Verifier<R: RootAcceptance, S: NonceStore = InMemoryNonceStore> {
    pvk: PreparedVerifyingKey,
    config: VerifierConfig,
    roots: R,
    nonces: S,
}

impl<R: RootAcceptance> Verifier<R, InMemoryNonceStore> {
    /// A verifier with the in-memory nonce store.
    pub fn new(pvk: PreparedVerifyingKey, config: VerifierConfig, roots: R) -> Self {
        Verifier::with_store(pvk, config, roots, InMemoryNonceStore::default())
    }
}

impl<R: RootAcceptance, S: NonceStore> Verifier<R, S> {
    /// A verifier with a nonce store of the caller's choice.
    pub fn with_store(
        pvk: PreparedVerifyingKey,
        config: VerifierConfig,
        roots: R,
        nonces: S,
    ) -> Self {
        Verifier {
            pvk,
            config,
            roots,
            nonces,
        }
    }

    /// Replaces the trusted roots (e.g. after fetching a newer registry history).
    pub fn set_roots(&mut self, roots: R) {
        self.roots = roots;
    }

    /// Makes a fresh request (a 32-byte nonce from `rng`, which should be the OS RNG) and
    /// registers its challenge.
    pub fn request<G: RngCore + CryptoRng>(
        &self,
        policy: Policy,
        scope_label: Option<&str>,
        now: u64,
        rng: &mut G,
    ) -> Result<Request, VerifyError> {
        let mut nonce = vec![0u8; 32];
        rng.fill_bytes(&mut nonce);
        let r = Request {
            verifier_id: self.config.verifier_id.clone(),
            nonce,
            policy,
            scope_label: scope_label.map(str::to_string),
            now,
            expires_at: now.saturating_add(self.config.request_ttl_secs),
            vk_fingerprint: self.pvk.fingerprint(),
        };
        r.validate()?;
        self.nonces
            .register(r.challenge(), r.digest(), r.expires_at);
        Ok(r)
    }

    /// Verifies `presentation` as the answer to `request`, at the verifier's time `now`.
    pub fn verify(
        &self,
        request: &Request,
        presentation: &Presentation,
        now: u64,
    ) -> Result<Verified, VerifyError> {
        let (inputs, verified) = self.check_and_consume(request, presentation, now)?;
        self.verify_raw(&inputs, &presentation.proof)?;
        Ok(verified)
    }

    /// Verifies many presentations, each the answer to its own request: every check of
    /// [`Verifier::verify`] except the proof runs item by item (and consumes the item's
    /// challenge), then the proofs of the items that passed are checked together with
    /// [`verify_batch`]. If the batch fails, each of its items is checked alone, so every result
    /// is exactly what [`Verifier::verify`] would have returned.
    pub fn verify_many(
        &self,
        items: &[(&Request, &Presentation)],
        now: u64,
    ) -> Vec<Result<Verified, VerifyError>> {
        let mut results = Vec::with_capacity(items.len());
        let mut batch: Vec<([Fr; NUM_PUBLIC_INPUTS], &Proof)> = Vec::new();
        let mut positions = Vec::new();
        for (i, (request, presentation)) in items.iter().enumerate() {
            match self.check_and_consume(request, presentation, now) {
                Ok((inputs, verified)) => {
                    batch.push((inputs, &presentation.proof));
                    positions.push(i);
                    results.push(Ok(verified));
                }
                Err(e) => results.push(Err(e)),
            }
        }
        let refs: Vec<(&[Fr], &Proof)> = batch.iter().map(|(x, p)| (&x[..], *p)).collect();
        if let Err(BatchError { bad }) = verify_batch(&self.pvk, &refs) {
            for b in bad {
                if let Some(result) = positions.get(b).and_then(|&i| results.get_mut(i)) {
                    *result = Err(VerifyError::InvalidProof);
                }
            }
        }
        results
    }

    /// Every check but the proof, then the challenge's consumption; returns the public inputs.
    fn check_and_consume(
        &self,
        request: &Request,
        presentation: &Presentation,
        now: u64,
    ) -> Result<([Fr; NUM_PUBLIC_INPUTS], Verified), VerifyError> {
        request.validate()?;
        if request.verifier_id != self.config.verifier_id {
            return Err(VerifyError::ChallengeUnknown);
        }
        if request.vk_fingerprint != self.pvk.fingerprint() {
            return Err(VerifyError::WrongKey);
        }
        if now.abs_diff(request.now) > self.config.clock_window_secs {
            return Err(VerifyError::TimeOutOfWindow);
        }
        root_check(self.roots.issuers_root(&presentation.issuers_root, now))?;
        root_check(
            self.roots
                .revocation_root(&presentation.revocation_root, now),
        )?;
        let scope = request.scope();
        if scope.is_zero() != presentation.nullifier.is_zero() {
            return Err(VerifyError::ZeroValue);
        }
        // consumed atomically, before the pairing: a replay never reaches the proof check
        self.nonces
            .consume(request.challenge(), request.digest(), now)?;
        let statement = request.statement(
            presentation.issuers_root,
            presentation.revocation_root,
            presentation.nullifier,
        );
        Ok((
            statement.to_field_elements(),
            Verified {
                policy: *request.policy(),
                nullifier: (!scope.is_zero()).then_some(presentation.nullifier),
                issuers_root: presentation.issuers_root,
                revocation_root: presentation.revocation_root,
            },
        ))
    }

    /// The bare proof check on raw public inputs: the count is checked first (ark-groth16 0.6
    /// would ignore extra inputs and read missing ones as zero).
    pub fn verify_raw(&self, public_inputs: &[Fr], proof: &Proof) -> Result<(), VerifyError> {
        verify_raw(&self.pvk, public_inputs, proof)
    }
}

/// [`Verifier::verify_raw`] without a verifier.
pub fn verify_raw(
    pvk: &PreparedVerifyingKey,
    public_inputs: &[Fr],
    proof: &Proof,
) -> Result<(), VerifyError> {
    if public_inputs.len() != NUM_PUBLIC_INPUTS {
        return Err(VerifyError::PublicInputCount {
            expected: NUM_PUBLIC_INPUTS,
            got: public_inputs.len(),
        });
    }
    let prepared = pvk.prepare_inputs(public_inputs);
    // e(A, B) * e(IC(x), -gamma) * e(C, -delta) == e(alpha, beta)
    let b = crate::pairing::prepare_g2(&proof.0.b);
    match pairing_check(pvk, &[(proof.0.a, b)], prepared.into_affine(), proof.0.c) {
        Some(out) if out == pvk.pvk.alpha_g1_beta_g2 => Ok(()),
        _ => Err(VerifyError::InvalidProof),
    }
}

/// `prod e(P_i, Q_i) * e(ic, -gamma) * e(c, -delta)`, final exponentiation included: our Miller
/// loop with the key's scaled lines (`crate::pairing`), or arkworks' if the key has none.
/// `None` only where the final exponentiation of zero would be asked for (impossible for a
/// Miller-loop output).
fn pairing_check(
    pvk: &PreparedVerifyingKey,
    varying: &[(G1Affine, G2Prepared<ark_bn254::Config>)],
    ic: G1Affine,
    c: G1Affine,
) -> Option<ark_bn254::Fq12> {
    use ark_ec::pairing::Pairing;
    match &pvk.lines {
        Some((gamma, delta)) => {
            let f = crate::pairing::miller_loop(varying, &[(ic, gamma), (c, delta)])?;
            crate::pairing::final_exponentiation(&f)
        }
        None => {
            let g1 = varying.iter().map(|(p, _)| *p).chain([ic, c]);
            let g2 = varying.iter().map(|(_, q)| q.clone()).chain([
                pvk.pvk.gamma_g2_neg_pc.clone(),
                pvk.pvk.delta_g2_neg_pc.clone(),
            ]);
            Bn254::final_exponentiation(Bn254::multi_miller_loop(g1, g2)).map(|out| out.0)
        }
    }
}

/// Verifies many proofs under one key at once: a random linear combination with fresh 128-bit
/// scalars from the OS RNG, one multi-Miller loop over `n + 2` pairs and one final
/// exponentiation, checking
/// `prod e(r_i A_i, B_i) * e(sum r_i IC_i, -gamma) * e(sum r_i C_i, -delta) == e(alpha, beta)^(sum r_i)`,
/// where the input commitments of the whole batch fold into one multi-scalar multiplication.
/// A false proof passes only if the random scalars cancel its error: probability about
/// `2^-128`. On failure every item is checked alone and the indexes of the bad ones are
/// returned, so one bad presentation cannot hide among good ones. The request-level checks
/// (challenge, roots, clock) are [`Verifier::verify`]'s and still apply one by one.
pub fn verify_batch(
    pvk: &PreparedVerifyingKey,
    items: &[(&[Fr], &Proof)],
) -> Result<(), BatchError> {
    use ark_bn254::G1Projective;
    use ark_ec::VariableBaseMSM;
    use ark_ff::{CyclotomicMultSubgroup, PrimeField};
    use rand::rngs::OsRng;

    if items.is_empty() {
        return Ok(());
    }
    if let Some(i) = items.iter().position(|(x, _)| x.len() != NUM_PUBLIC_INPUTS) {
        return Err(BatchError { bad: vec![i] });
    }
    if let [(inputs, proof)] = items {
        // one item: the single check is cheaper than the batch equation's fixed costs
        return verify_raw(pvk, inputs, proof).map_err(|_| BatchError { bad: vec![0] });
    }
    let mut a_points = Vec::with_capacity(items.len());
    let mut b_points: Vec<G2Prepared<ark_bn254::Config>> = Vec::with_capacity(items.len());
    // sum_i r_i IC_i = (sum r_i) IC_0 + sum_j (sum_i r_i x_ij) IC_j: the public inputs of the
    // whole batch cost NUM_PUBLIC_INPUTS + 1 scalar multiplications, not that many per item
    let mut coeffs = [Fr::zero(); NUM_PUBLIC_INPUTS + 1];
    let mut c_points = Vec::with_capacity(items.len());
    let mut rs = Vec::with_capacity(items.len());
    let wnaf = ark_ec::scalar_mul::wnaf::WnafContext::new(4);
    for (inputs, proof) in items {
        let r = Fr::from(u128::from(OsRng.next_u64()) << 64 | u128::from(OsRng.next_u64()));
        coeffs[0] += r;
        for (c, x) in coeffs[1..].iter_mut().zip(inputs.iter()) {
            *c += r * x;
        }
        c_points.push(proof.0.c);
        rs.push(r);
        // r has 128 bits: a width-4 NAF takes 128 doublings and about 26 additions, where
        // arkworks' `*` (GLV, which splits any scalar into two of about 127 bits) took some 95
        // (`mul_with_table` is `None` only for a table shorter than the window, never here)
        let a = proof.0.a.into_group();
        a_points.push(
            wnaf.mul_with_table(&wnaf.table(a), &r)
                .unwrap_or_else(|| a * r),
        );
        b_points.push(crate::pairing::prepare_g2(&proof.0.b));
    }
    let g1 = G1Projective::normalize_batch(&a_points);
    let sum_r = coeffs[0];
    let sum_ic = pvk.commit_all(&coeffs);
    let sum_c = G1Projective::msm(&c_points, &rs).map_err(|_| BatchError { bad: vec![] })?;
    let varying: Vec<_> = g1.into_iter().zip(b_points).collect();
    // e(alpha, beta) is in the cyclotomic subgroup: the exponentiation may use cheap squarings
    let ok = pairing_check(pvk, &varying, sum_ic.into_affine(), sum_c.into_affine())
        .is_some_and(|out| out == pvk.pvk.alpha_g1_beta_g2.cyclotomic_exp(sum_r.into_bigint()));
    if ok {
        return Ok(());
    }
    let bad = items
        .iter()
        .enumerate()
        .filter(|(_, (x, p))| verify_raw(pvk, x, p).is_err())
        .map(|(i, _)| i)
        .collect();
    Err(BatchError { bad })
}

/// A batch that did not verify, with the indexes of the items that fail alone.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("batch verification failed; bad items: {bad:?}")]
pub struct BatchError {
    /// Indexes of the failing items (empty if only the batch equation failed, which happens
    /// with probability about 2^-128 for valid items).
    pub bad: Vec<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::pairing::Pairing;
    use ark_ff::One;
    use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
    use ark_serialize::CanonicalSerialize;
    use ark_snark::SNARK;
    use rand::SeedableRng;

    /// A small circuit with the presentation's number of public inputs: `w * w = x_0`.
    #[derive(Clone)]
    struct Square {
        w: Fr,
    }

    impl ConstraintSynthesizer<Fr> for Square {
        fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
            let x0 = cs.new_input_variable(|| Ok(self.w * self.w))?;
            for i in 1..NUM_PUBLIC_INPUTS {
                let _ = cs.new_input_variable(|| Ok(Fr::from(i as u64)))?;
            }
            let w = cs.new_witness_variable(|| Ok(self.w))?;
            cs.enforce_r1cs_constraint(
                || ark_relations::lc!() + w,
                || ark_relations::lc!() + w,
                || ark_relations::lc!() + x0,
            )?;
            Ok(())
        }
    }

    /// Our pairing check and arkworks' (the fallback for a key without scaled lines) accept and
    /// reject the same proofs, single and batched.
    #[test]
    fn our_pairing_check_agrees_with_arkworks() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(11);
        let circuit = Square { w: Fr::from(7u64) };
        let (pk, vk) =
            ark_groth16::Groth16::<Bn254>::circuit_specific_setup(circuit.clone(), &mut rng)
                .unwrap();
        let mut bytes = Vec::new();
        vk.serialize_compressed(&mut bytes).unwrap();
        let vk = crate::keys::VerifyingKey::from_bytes(&bytes).unwrap();
        let ours = vk.prepare();
        assert!(ours.lines.is_some());
        let mut arkworks = ours.clone();
        arkworks.lines = None;

        let proof =
            Proof(ark_groth16::Groth16::<Bn254>::prove(&pk, circuit.clone(), &mut rng).unwrap());
        let inputs: Vec<Fr> = std::iter::once(Fr::from(49u64))
            .chain((1..NUM_PUBLIC_INPUTS).map(|i| Fr::from(i as u64)))
            .collect();
        let mut wrong_inputs = inputs.clone();
        wrong_inputs[0] = Fr::from(48u64);
        let mut scaled = proof.clone();
        scaled.0.a = (scaled.0.a * Fr::from(2u64)).into_affine();
        let mut swapped = proof.clone();
        swapped.0.c = proof.0.a;
        let mut zero_a = proof.clone();
        zero_a.0.a = <Bn254 as Pairing>::G1Affine::zero();

        for pvk in [&ours, &arkworks] {
            assert_eq!(verify_raw(pvk, &inputs, &proof), Ok(()));
            for (x, p) in [
                (&wrong_inputs, &proof),
                (&inputs, &scaled),
                (&inputs, &swapped),
                (&inputs, &zero_a),
            ] {
                assert_eq!(verify_raw(pvk, x, p), Err(VerifyError::InvalidProof));
            }
            let good = [(&inputs[..], &proof); 3];
            assert_eq!(verify_batch(pvk, &good), Ok(()));
            let mixed = [
                (&inputs[..], &proof),
                (&inputs[..], &scaled),
                (&inputs[..], &proof),
                (&wrong_inputs[..], &proof),
            ];
            assert_eq!(
                verify_batch(pvk, &mixed),
                Err(BatchError { bad: vec![1, 3] })
            );
        }
        assert!(ours.pvk.alpha_g1_beta_g2 != ark_bn254::Fq12::one());
    }
}
