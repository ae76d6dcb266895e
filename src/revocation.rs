//! Revocation: a provider withdraws an attestation, and no presentation of it verifies again.
//!
//! A provider signs a [`RevocationRequest`] for one of its credentials (by serial) with its
//! provider key: the message is `Poseidon(TAG_REVOCATION_REQUEST, serial)`. The marketplace's
//! [`RevocationList`] checks the signature and that the provider is approved (for some schema),
//! and adds the credential's revocation id `low252(Poseidon(TAG_REVOCATION_ID, Ax, Ay, serial))`
//! to an indexed Merkle tree (4-ary, depth 10: 1,048,576 slots). The revoked set is public
//! data: holders rebuild the tree from the list of ids and compute their own non-revocation
//! witnesses ([`witness_from_public_ids`]) without telling anyone their serial; the list also
//! serves witnesses directly ([`RevocationList::witness`]) for holders who prefer that. Each
//! revocation updates the tree in O(depth) hashes and publishes a new root with its time.
//!
//! **Guarantee.** A verifier accepts the newest revocation root and those replaced less than
//! its window ago (default 10 minutes, [`crate::verifier::RegistryRoots::window_secs`]),
//! so a revoked credential stops verifying at most one window after its revocation is
//! published, at every verifier that has fetched the new history (a verifier holding an old
//! copy keeps accepting its newest root), without the provider learning where the credential
//! is used.

use crate::provider::Provider;
use crate::registry::{AcceptedRoots, PublishedRoot, Registry};
use ark_ff::Zero;
use serde::de::{IgnoredAny, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;
use std::marker::PhantomData;
use vouchsafe_circuits::eddsa::{PublicKey, Signature};
use vouchsafe_circuits::field;
use vouchsafe_circuits::poseidon;
use vouchsafe_circuits::revocation::{
    revocation_id, NonMembershipWitness, RevocationError, RevocationTree, REVOCATION_TREE_DEPTH,
};
use vouchsafe_circuits::tags::FieldTag;
use vouchsafe_circuits::Fr;

/// Largest revocation-list JSON accepted (about 80 bytes per id; 1,048,576 ids fit).
pub const MAX_REVOCATIONS_JSON_BYTES: usize = 256 * 1024 * 1024;

/// Why a revocation request or a revocation list was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RevocationListError {
    /// The request's signature does not verify under the key it names.
    #[error("bad signature on the revocation request")]
    BadSignature,
    /// The key the request names is not an approved provider.
    #[error("the provider is not approved")]
    ProviderNotApproved,
    /// The credential is already revoked.
    #[error("already revoked")]
    AlreadyRevoked,
    /// A change dated before the last published root.
    #[error("time went backwards: last publication at {last}, now {now}")]
    ClockRegression {
        /// Time of the last publication.
        last: u64,
        /// The time given.
        now: u64,
    },
    /// The credential is revoked: no non-revocation witness exists.
    #[error("the credential is revoked")]
    Revoked,
    /// An error of the revocation tree (full, id out of range, malformed witness).
    #[error("revocation tree: {0}")]
    Tree(RevocationError),
    /// Malformed JSON.
    #[error("malformed revocation data: {0}")]
    Decode(String),
}

fn tree_err(e: RevocationError) -> RevocationListError {
    match e {
        RevocationError::Revoked => RevocationListError::Revoked,
        other => RevocationListError::Tree(other),
    }
}

/// The message a provider signs to revoke the credential with `serial`.
pub fn revocation_message(serial: &Fr) -> Fr {
    poseidon::hash(&[FieldTag::RevocationRequest.value(), *serial]).unwrap_or(Fr::zero())
}

/// A provider's signed request to revoke one of its credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevocationRequest {
    provider: PublicKey,
    serial: Fr,
    signature: Signature,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestWire {
    version: u32,
    kind: String,
    provider_x: String,
    provider_y: String,
    serial: String,
    r8x: String,
    r8y: String,
    s: String,
}

impl RevocationRequest {
    /// The provider signs a request to revoke its credential with `serial`.
    pub fn sign(provider: &Provider, serial: Fr) -> Self {
        RevocationRequest {
            provider: provider.public_key(),
            serial,
            signature: provider.sign_message(revocation_message(&serial)),
        }
    }

    /// A request from its parts (verified only when the list processes it).
    pub fn new(provider: PublicKey, serial: Fr, signature: Signature) -> Self {
        RevocationRequest {
            provider,
            serial,
            signature,
        }
    }

    /// The key of the provider asking.
    pub fn provider(&self) -> &PublicKey {
        &self.provider
    }

    /// The serial of the credential to revoke.
    pub fn serial(&self) -> Fr {
        self.serial
    }

    /// Whether the signature verifies under the named key.
    pub fn verify(&self) -> Result<(), RevocationListError> {
        self.provider
            .verify(revocation_message(&self.serial), &self.signature)
            .map_err(|_| RevocationListError::BadSignature)
    }

    /// Versioned JSON.
    pub fn to_json(&self) -> String {
        let p = self.provider.point();
        let w = RequestWire {
            version: 1,
            kind: "vouchsafe-revocation-request".into(),
            provider_x: field::to_decimal(&p.x()),
            provider_y: field::to_decimal(&p.y()),
            serial: field::to_decimal(&self.serial),
            r8x: field::to_decimal(&self.signature.r8().x()),
            r8y: field::to_decimal(&self.signature.r8().y()),
            s: field::to_decimal(&self.signature.s()),
        };
        serde_json::to_string(&w).unwrap_or_default()
    }

    /// Parses a request strictly (size, fields, version, key and signature encodings).
    pub fn from_json(s: &str) -> Result<Self, RevocationListError> {
        let bad = |m: String| RevocationListError::Decode(m);
        if s.len() > crate::wire::MAX_JSON_BYTES {
            return Err(bad("revocation request too large".into()));
        }
        let w: RequestWire = crate::wire::decode_versioned(s)
            .map_err(|e| bad(format!("revocation request: {e}")))?;
        if w.kind != "vouchsafe-revocation-request" {
            return Err(bad(format!(
                "revocation request: kind {:?}, expected \"vouchsafe-revocation-request\"",
                w.kind
            )));
        }
        let f = |v: &str| field::parse_decimal(v).map_err(|e| bad(e.to_string()));
        let provider = PublicKey::from_xy(f(&w.provider_x)?, f(&w.provider_y)?)
            .map_err(|e| bad(e.to_string()))?;
        let r8 = vouchsafe_circuits::babyjubjub::Point::new(f(&w.r8x)?, f(&w.r8y)?)
            .map_err(|e| bad(e.to_string()))?;
        Ok(RevocationRequest {
            provider,
            serial: f(&w.serial)?,
            signature: Signature::new(r8, f(&w.s)?),
        })
    }
}

/// The marketplace's revoked set: the ids in revocation order, the tree, and the history of
/// published roots.
#[derive(Clone, Debug)]
pub struct RevocationList {
    tree: RevocationTree,
    ids: Vec<Fr>,
    history: Vec<PublishedRoot>,
}

impl Default for RevocationList {
    fn default() -> Self {
        RevocationList::new_at(0)
    }
}

impl RevocationList {
    /// An empty list whose first root is published at time 0.
    pub fn new() -> Self {
        RevocationList::default()
    }

    /// An empty list whose first root is published at `created_at`.
    pub fn new_at(created_at: u64) -> Self {
        let tree = RevocationTree::new();
        let history = vec![PublishedRoot {
            root: tree.root(),
            published_at: created_at,
        }];
        RevocationList {
            tree,
            ids: Vec::new(),
            history,
        }
    }

    /// Processes a provider's request: checks the signature and the provider's approval, then
    /// adds the credential's revocation id and publishes the new root at `now`. On error
    /// nothing changes.
    pub fn revoke(
        &mut self,
        request: &RevocationRequest,
        registry: &Registry,
        now: u64,
    ) -> Result<Fr, RevocationListError> {
        request.verify()?;
        if !registry
            .approvals()
            .any(|a| a.provider() == request.provider())
        {
            return Err(RevocationListError::ProviderNotApproved);
        }
        let last = self.history.last().map_or(0, |r| r.published_at);
        if now < last {
            return Err(RevocationListError::ClockRegression { last, now });
        }
        let id = revocation_id(&request.provider.point(), &request.serial);
        if self.tree.contains(id) {
            return Err(RevocationListError::AlreadyRevoked);
        }
        self.tree.insert(id).map_err(tree_err)?;
        self.ids.push(id);
        self.history.push(PublishedRoot {
            root: self.tree.root(),
            published_at: now,
        });
        Ok(id)
    }

    /// The current root.
    pub fn root(&self) -> Fr {
        self.tree.root()
    }

    /// Every published root with its time, oldest first.
    pub fn history(&self) -> &[PublishedRoot] {
        &self.history
    }

    /// The public history in the form verifiers use.
    pub fn accepted_roots(&self) -> AcceptedRoots {
        AcceptedRoots {
            roots: self.history.clone(),
        }
    }

    /// The revoked ids, in revocation order (public data).
    pub fn ids(&self) -> &[Fr] {
        &self.ids
    }

    /// Whether the credential of `provider` with `serial` is revoked.
    pub fn is_revoked(&self, provider: &PublicKey, serial: &Fr) -> bool {
        self.tree.contains(revocation_id(&provider.point(), serial))
    }

    /// Serves the non-revocation witness of a credential (for holders who prefer asking).
    pub fn witness(
        &self,
        provider: &PublicKey,
        serial: &Fr,
    ) -> Result<NonMembershipWitness, RevocationListError> {
        self.tree
            .non_membership(revocation_id(&provider.point(), serial))
            .map_err(tree_err)
    }

    /// Versioned JSON of the public data: the ids and the history.
    pub fn to_json(&self) -> String {
        let w = ListWire {
            version: 1,
            kind: "vouchsafe-revocations".into(),
            ids: self.ids.iter().map(field::to_decimal).collect(),
            history: self
                .history
                .iter()
                .map(|r| RootWire {
                    root: field::to_decimal(&r.root),
                    published_at: r.published_at,
                })
                .collect(),
        };
        serde_json::to_string(&w).unwrap_or_default()
    }

    /// Parses the public data and rebuilds the tree; the rebuilt root must be the last
    /// published one, and the history must have one root per revocation plus the first.
    pub fn from_json(s: &str) -> Result<Self, RevocationListError> {
        let bad = |m: String| RevocationListError::Decode(m);
        if s.len() > MAX_REVOCATIONS_JSON_BYTES {
            return Err(bad("revocation list too large".into()));
        }
        crate::wire::check_object_version(s).map_err(|e| bad(format!("revocation list: {e}")))?;
        // At most MAX_STORED_IDS ids and MAX_STORED_HISTORY entries are kept; longer lists are
        // counted ([`Capped`]) and refused below, so memory does not grow with their length.
        let w: ListWireIn = serde_json::from_str(s).map_err(|e| bad(e.to_string()))?;
        if w.kind != "vouchsafe-revocations" {
            return Err(bad(format!(
                "revocation list: kind {:?}, expected \"vouchsafe-revocations\"",
                w.kind
            )));
        }
        if w.ids.total.checked_add(1) != Some(w.history.total) {
            return Err(bad("history length".into()));
        }
        let ids = w
            .ids
            .items
            .iter()
            .map(|v| field::parse_decimal(v).map_err(|e| bad(e.to_string())))
            .collect::<Result<Vec<_>, _>>()?;
        let mut history = Vec::with_capacity(w.history.items.len());
        for r in &w.history.items {
            if history
                .last()
                .is_some_and(|p: &PublishedRoot| p.published_at > r.published_at)
            {
                return Err(bad("history out of order".into()));
            }
            history.push(PublishedRoot {
                root: field::parse_decimal(&r.root).map_err(|e| bad(e.to_string()))?,
                published_at: r.published_at,
            });
        }
        // More ids than the tree holds: the capacity + 1 ids kept make `from_ids` refuse with
        // `Tree(Full)` after checking the first `capacity` of them, as it would on the whole
        // list. Otherwise every id and (by the length check) every history entry was kept.
        let tree = RevocationTree::from_ids(ids.iter().copied()).map_err(tree_err)?;
        if w.history.total != history.len() || history.last().map(|r| r.root) != Some(tree.root()) {
            return Err(bad("the ids do not produce the last published root".into()));
        }
        Ok(RevocationList { tree, ids, history })
    }
}

/// The list as [`RevocationList::to_json`] writes it.
#[derive(Serialize)]
struct ListWire {
    version: u32,
    kind: String,
    ids: Vec<String>,
    history: Vec<RootWire>,
}

/// The most ids [`RevocationList::from_json`] keeps in memory: the tree's capacity
/// (`4^10 - 1`) plus one, enough for `RevocationTree::from_ids` to report a longer list as
/// full. Ids beyond are counted, not stored.
const MAX_STORED_IDS: usize = 1 << (2 * REVOCATION_TREE_DEPTH);

/// The most history entries [`RevocationList::from_json`] keeps: one per kept id plus the
/// first. A longer history belongs to a list that is refused anyway.
const MAX_STORED_HISTORY: usize = MAX_STORED_IDS + 1;

/// The list as [`RevocationList::from_json`] reads it: the same fields, with the two lists
/// capped in memory.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListWireIn {
    #[allow(dead_code)] // checked by `check_object_version`; read to refuse duplicates
    version: u32,
    kind: String,
    ids: Capped<String, MAX_STORED_IDS>,
    history: Capped<RootWire, MAX_STORED_HISTORY>,
}

/// A JSON list of which the first `N` elements are decoded and kept, and the rest only counted:
/// they are skipped without being stored (read as `IgnoredAny`), so a long list costs the
/// memory of `N` elements at most (SECURITY.md section 6.8).
struct Capped<T, const N: usize> {
    /// The first `N` elements (all of them if there are no more).
    items: Vec<T>,
    /// The number of elements of the list.
    total: usize,
}

struct CappedVisitor<T, const N: usize>(PhantomData<T>);

impl<'de, T: Deserialize<'de>, const N: usize> Visitor<'de> for CappedVisitor<T, N> {
    type Value = Capped<T, N>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Capped<T, N>, A::Error> {
        // No capacity from the size hint: never allocate by a claimed length.
        let mut items = Vec::new();
        while items.len() < N {
            match seq.next_element::<T>()? {
                Some(x) => items.push(x),
                None => {
                    return Ok(Capped {
                        total: items.len(),
                        items,
                    })
                }
            }
        }
        let mut total = items.len();
        while seq.next_element::<IgnoredAny>()?.is_some() {
            total = total.saturating_add(1);
        }
        Ok(Capped { items, total })
    }
}

impl<'de, T: Deserialize<'de>, const N: usize> Deserialize<'de> for Capped<T, N> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_seq(CappedVisitor(PhantomData))
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RootWire {
    root: String,
    published_at: u64,
}

/// A holder's own non-revocation witness, computed from the public list of revoked ids alone
/// (no query reveals its serial): the tree is rebuilt locally. Returns the root it is for.
pub fn witness_from_public_ids(
    ids: &[Fr],
    provider: &PublicKey,
    serial: &Fr,
) -> Result<(Fr, NonMembershipWitness), RevocationListError> {
    let tree = RevocationTree::from_ids(ids.iter().copied()).map_err(tree_err)?;
    let w = tree
        .non_membership(revocation_id(&provider.point(), serial))
        .map_err(tree_err)?;
    Ok((tree.root(), w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_lists_keep_n_elements_and_count_all() {
        let c: Capped<String, 2> = serde_json::from_str(r#"["a","b","c",4,{"x":[]}]"#).unwrap();
        assert_eq!(c.items, ["a", "b"]);
        assert_eq!(c.total, 5);
        let short: Capped<String, 2> = serde_json::from_str(r#"["a"]"#).unwrap();
        assert_eq!((short.items, short.total), (vec!["a".to_owned()], 1));
        // the kept elements are typed as before
        assert!(serde_json::from_str::<Capped<String, 2>>(r#"["a",1]"#).is_err());
        assert!(serde_json::from_str::<Capped<String, 2>>(r#"{"a":1}"#).is_err());
    }

    #[test]
    fn the_stored_ids_are_the_tree_capacity_plus_one() {
        assert_eq!(
            u64::try_from(MAX_STORED_IDS).unwrap(),
            RevocationTree::capacity() + 1
        );
    }

    /// More ids than the tree holds: refused as full, as before the cap, with only
    /// `MAX_STORED_IDS` of them decoded.
    #[test]
    fn a_list_longer_than_the_tree_is_refused_as_full() {
        let n = MAX_STORED_IDS + 1;
        let ids = vec![r#""1""#; n].join(",");
        let history = vec![r#"{"root":"1","published_at":0}"#; n + 1].join(",");
        let json = format!(
            r#"{{"version":1,"kind":"vouchsafe-revocations","ids":[{ids}],"history":[{history}]}}"#
        );
        assert_eq!(
            RevocationList::from_json(&json).unwrap_err(),
            RevocationListError::Tree(RevocationError::Full {
                capacity: RevocationTree::capacity()
            })
        );
        // and a history that does not match is still reported as such
        let short =
            format!(r#"{{"version":1,"kind":"vouchsafe-revocations","ids":[{ids}],"history":[]}}"#);
        assert_eq!(
            RevocationList::from_json(&short).unwrap_err(),
            RevocationListError::Decode("history length".into())
        );
    }
}
