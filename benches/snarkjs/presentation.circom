// The vouchsafe presentation statement (circuits/src/presentation/constraints.rs), written the
// way a circom developer would write it: circomlib 2.0.5 templates wherever circomlib has one,
// small templates of our own where it has none. It proves the same relation as our arkworks
// circuit, with the same 7 public inputs in the same order, so that snarkjs and vouchsafe can be
// compared on equal terms (benches/snarkjs/README.md maps it part by part, with counts).
//
// Compile: circom2 presentation.circom --r1cs --wasm --O2 -l node_modules -o build/

pragma circom 2.0.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/eddsaposeidon.circom";
include "circomlib/circuits/babyjub.circom";
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/mux2.circom";
include "circomlib/circuits/multiplexer.circom";

// The Poseidon domain tags of circuits/src/tags.rs: hash_to_field(FIELD_TAG_DST, name), i.e.
// SHA-256(len(dst) || dst || name) with the top three bits cleared, dst =
// "vouchsafe/v1/field-tag". A wrong tag makes every witness calculation fail (check.sh).
function TAG_ISSUER_LEAF() {
    // "issuer-leaf"
    return 4696008094697575162381822203015430104059376086853073385411914374174345517970;
}
function TAG_HOLDER_COMMITMENT() {
    // "holder-commitment"
    return 9887287424317588903204485910215020869773674555280292631461609926828084116955;
}
function TAG_NULLIFIER() {
    // "nullifier"
    return 302563396234437168609044356595296394040066040343318512343258881410101546203;
}
function TAG_REVOCATION_ID() {
    // "revocation-id"
    return 14017276173891989622066559805159981737781918268037254505959495937410403329129;
}
function TAG_REVOCATION_LEAF() {
    // "revocation-leaf"
    return 4002098690918376589465006005510847389569702920283978570411681674144363546433;
}
function TAG_POLICY() {
    // "policy"
    return 11564301732638085960215337503884897551089326478365580901005616926763162429952;
}

// One level of a 4-ary Poseidon Merkle path: `cur` is placed at position b[0] + 2 b[1] among
// the siblings, which keep their order (position 1: (s0, cur, s1, s2)), and the node is
// Poseidon(c0, c1, c2, c3). The bits must be boolean (QuadMerkleRoot takes them from Num2Bits).
template QuadLevel() {
    signal input cur;
    signal input sib[3];
    signal input b[2];
    signal output out;

    // child j at position k: cur if j == k, sib[j] if j < k, sib[j - 1] if j > k
    component mux = MultiMux2(4);
    for (var j = 0; j < 4; j++) {
        for (var k = 0; k < 4; k++) {
            if (j == k) {
                mux.c[j][k] <== cur;
            } else if (j < k) {
                mux.c[j][k] <== sib[j];
            } else {
                mux.c[j][k] <== sib[j - 1];
            }
        }
    }
    mux.s[0] <== b[0];
    mux.s[1] <== b[1];

    component h = Poseidon(4);
    for (var j = 0; j < 4; j++) {
        h.inputs[j] <== mux.out[j];
    }
    out <== h.out;
}

// The root of a 4-ary tree of fixed depth over `leaf` at `index` (base-4 digit i of the index
// is the position at level i, from the bottom).
template QuadMerkleRoot(depth) {
    signal input leaf;
    signal input index;
    signal input siblings[depth][3];
    signal output root;

    component bits = Num2Bits(2 * depth);
    bits.in <== index;

    component level[depth];
    for (var i = 0; i < depth; i++) {
        level[i] = QuadLevel();
        level[i].cur <== i == 0 ? leaf : level[i - 1].out;
        for (var k = 0; k < 3; k++) {
            level[i].sib[k] <== siblings[i][k];
        }
        level[i].b[0] <== bits.out[2 * i];
        level[i].b[1] <== bits.out[2 * i + 1];
    }
    root <== level[depth - 1].out;
}

// One predicate `claims[slot - 5] op value`, op coded none 0, eq 1, ne 2, lt 3, le 4, gt 5,
// ge 6. Order operators compare u64 values (the verifier checks that an order predicate's value
// is below 2^64 before it verifies; the value is bound by policy_hash); under eq/ne the
// operands of the order comparison are masked to 0, so eq/ne compare whole field elements.
// `pair` = slot + 16 op, as packed into the policy hash.
template Predicate(nClaims, firstSlot) {
    signal input claims[nClaims];
    signal input slot;
    signal input op;
    signal input value;
    signal output pair;

    // the selected claim: slot - firstSlot must be one of 0..nClaims-1
    component slotHot = Decoder(nClaims);
    slotHot.inp <== slot - firstSlot;
    slotHot.success === 1;
    component select = EscalarProduct(nClaims);
    for (var j = 0; j < nClaims; j++) {
        select.in1[j] <== claims[j];
        select.in2[j] <== slotHot.out[j];
    }
    signal x <== select.out;

    // the operator, one-hot
    component o = Decoder(7);
    o.inp <== op;
    o.success === 1;

    var isOrder = o.out[3] + o.out[4] + o.out[5] + o.out[6];
    signal xOrd <== isOrder * x;
    signal vOrd <== isOrder * value;
    component xRange = Num2Bits(64);
    xRange.in <== xOrd;
    component lt = LessThan(64);
    lt.in[0] <== xOrd;
    lt.in[1] <== vOrd;
    component eq = IsEqual();
    eq.in[0] <== x;
    eq.in[1] <== value;

    // holds = none + ne + gt + ge + eq (eq - ne + le - gt) + lt (lt + le - gt - ge) == 1
    signal t <== eq.out * (o.out[1] - o.out[2] + o.out[4] - o.out[5]);
    lt.out * (o.out[3] + o.out[4] - o.out[5] - o.out[6])
        === 1 - (o.out[0] + o.out[2] + o.out[5] + o.out[6] + t);

    pair <== slot + 16 * op;
}

// 3b. slot 1 opens to the holder secret: slot1 == Poseidon(TAG_HOLDER, secret)
template HolderBinding() {
    signal input secret;
    signal input slot1;
    component commitment = Poseidon(2);
    commitment.inputs[0] <== TAG_HOLDER_COMMITMENT();
    commitment.inputs[1] <== secret;
    slot1 === commitment.out;
}

// 1. the signature (R8, S) verifies under A for m = Poseidon(slots). circomlib's verifier does
// not check that A and R8 are on the curve; ours does, so BabyCheck both.
template CredentialSignature() {
    signal input slots[16];
    signal input Ax;
    signal input Ay;
    signal input R8x;
    signal input R8y;
    signal input S;

    component message = Poseidon(16);
    for (var i = 0; i < 16; i++) {
        message.inputs[i] <== slots[i];
    }
    component aOnCurve = BabyCheck();
    aOnCurve.x <== Ax;
    aOnCurve.y <== Ay;
    component r8OnCurve = BabyCheck();
    r8OnCurve.x <== R8x;
    r8OnCurve.y <== R8y;
    component sig = EdDSAPoseidonVerifier();
    sig.enabled <== 1;
    sig.Ax <== Ax;
    sig.Ay <== Ay;
    sig.S <== S;
    sig.R8x <== R8x;
    sig.R8y <== R8y;
    sig.M <== message.out;
}

// 2. leaf Poseidon(TAG_ISSUER, Ax, Ay, schema id) is in the approved tree (4-ary, depth 8)
template Approval() {
    signal input Ax;
    signal input Ay;
    signal input schema;
    signal input index;
    signal input siblings[8][3];
    signal input root;

    component leaf = Poseidon(4);
    leaf.inputs[0] <== TAG_ISSUER_LEAF();
    leaf.inputs[1] <== Ax;
    leaf.inputs[2] <== Ay;
    leaf.inputs[3] <== schema;
    component path = QuadMerkleRoot(8);
    path.leaf <== leaf.out;
    path.index <== index;
    path.siblings <== siblings;
    path.root === root;
}

// 5. not revoked: id = low252(Poseidon(TAG_REVOCATION_ID, Ax, Ay, serial)) from the strict
// decomposition of the hash; a leaf (v, n) of the indexed tree (4-ary, depth 10) with
// v, n < 2^252, v < id, and id < n or n == 0
template NotRevoked() {
    signal input Ax;
    signal input Ay;
    signal input serial;
    signal input lowValue;
    signal input lowNext;
    signal input index;
    signal input siblings[10][3];
    signal input root;

    component idHash = Poseidon(4);
    idHash.inputs[0] <== TAG_REVOCATION_ID();
    idHash.inputs[1] <== Ax;
    idHash.inputs[2] <== Ay;
    idHash.inputs[3] <== serial;
    component idBits = Num2Bits_strict();
    idBits.in <== idHash.out;
    component id = Bits2Num(252);
    for (var i = 0; i < 252; i++) {
        id.in[i] <== idBits.out[i];
    }

    component lowValueRange = Num2Bits(252);
    lowValueRange.in <== lowValue;
    component lowNextRange = Num2Bits(252);
    lowNextRange.in <== lowNext;

    component aboveLow = LessThan(252);
    aboveLow.in[0] <== lowValue;
    aboveLow.in[1] <== id.out;
    aboveLow.out === 1;

    component nextIsZero = IsZero();
    nextIsZero.in <== lowNext;
    component belowNext = LessThan(252);
    belowNext.in[0] <== id.out;
    belowNext.in[1] <== lowNext;
    (1 - nextIsZero.out) * (1 - belowNext.out) === 0;

    component leaf = Poseidon(3);
    leaf.inputs[0] <== TAG_REVOCATION_LEAF();
    leaf.inputs[1] <== lowValue;
    leaf.inputs[2] <== lowNext;
    component path = QuadMerkleRoot(10);
    path.leaf <== leaf.out;
    path.index <== index;
    path.siblings <== siblings;
    path.root === root;
}

// 4. issued_at <= now < expires_at, both dates range-checked to 64 bits (now is a u64 of the
// verifier's own request, checked natively)
template Validity() {
    signal input issuedAt;
    signal input expiresAt;
    signal input now;

    component issuedRange = Num2Bits(64);
    issuedRange.in <== issuedAt;
    component expiresRange = Num2Bits(64);
    expiresRange.in <== expiresAt;
    component notBefore = LessEqThan(64);
    notBefore.in[0] <== issuedAt;
    notBefore.in[1] <== now;
    notBefore.out === 1;
    component notAfter = LessThan(64);
    notAfter.in[0] <== now;
    notAfter.in[1] <== expiresAt;
    notAfter.out === 1;
}

// 3a + 7. policy_hash = Poseidon(TAG_POLICY, schema, packed, v0, v1, v2, v3) with
// packed = sum_i pair_i 2^(7 i)
template PolicyHash() {
    signal input schema;
    signal input pairs[4];
    signal input values[4];
    signal input policyHash;

    var packed = 0;
    for (var i = 0; i < 4; i++) {
        packed += pairs[i] * (1 << (7 * i));
    }
    component h = Poseidon(7);
    h.inputs[0] <== TAG_POLICY();
    h.inputs[1] <== schema;
    h.inputs[2] <== packed;
    for (var i = 0; i < 4; i++) {
        h.inputs[3 + i] <== values[i];
    }
    h.out === policyHash;
}

// 7. nullifier = Poseidon(TAG_NULLIFIER, secret, scope) when scope != 0, and 0 otherwise
template Nullifier() {
    signal input secret;
    signal input scope;
    signal input nullifier;

    component pseudonym = Poseidon(3);
    pseudonym.inputs[0] <== TAG_NULLIFIER();
    pseudonym.inputs[1] <== secret;
    pseudonym.inputs[2] <== scope;
    component scopeIsZero = IsZero();
    scopeIsZero.in <== scope;
    nullifier === (1 - scopeIsZero.out) * pseudonym.out;
}

template Presentation() {
    // public inputs, in the order of PUBLIC_INPUT_NAMES
    signal input issuers_root;
    signal input revocation_root;
    signal input now;
    signal input policy_hash;
    signal input challenge;
    signal input scope;
    signal input nullifier;

    // private inputs
    signal input slots[16];
    signal input provider_x;
    signal input provider_y;
    signal input r8x;
    signal input r8y;
    signal input s;
    signal input approval_index;
    signal input approval_siblings[8][3];
    signal input revocation_low_value;
    signal input revocation_low_next;
    signal input revocation_index;
    signal input revocation_siblings[10][3];
    signal input holder_secret;
    signal input predicate_slots[4];
    signal input predicate_ops[4];
    signal input predicate_values[4];

    // 3b. slot 1 opens to the holder secret
    component holder = HolderBinding();
    holder.secret <== holder_secret;
    holder.slot1 <== slots[1];

    // 1. the signature verifies under the provider key for m = Poseidon(slots)
    component signature = CredentialSignature();
    signature.slots <== slots;
    signature.Ax <== provider_x;
    signature.Ay <== provider_y;
    signature.R8x <== r8x;
    signature.R8y <== r8y;
    signature.S <== s;

    // 2. the provider is approved for the credential's schema, with the same key as in 1
    component approval = Approval();
    approval.Ax <== provider_x;
    approval.Ay <== provider_y;
    approval.schema <== slots[0];
    approval.index <== approval_index;
    approval.siblings <== approval_siblings;
    approval.root <== issuers_root;

    // 5. the credential (same key, serial in slot 2) is not revoked
    component notRevoked = NotRevoked();
    notRevoked.Ax <== provider_x;
    notRevoked.Ay <== provider_y;
    notRevoked.serial <== slots[2];
    notRevoked.lowValue <== revocation_low_value;
    notRevoked.lowNext <== revocation_low_next;
    notRevoked.index <== revocation_index;
    notRevoked.siblings <== revocation_siblings;
    notRevoked.root <== revocation_root;

    // 4. issued_at <= now < expires_at
    component validity = Validity();
    validity.issuedAt <== slots[3];
    validity.expiresAt <== slots[4];
    validity.now <== now;

    // 6. the four predicates on the claim slots 5..15
    component predicate[4];
    for (var i = 0; i < 4; i++) {
        predicate[i] = Predicate(11, 5);
        for (var j = 0; j < 11; j++) {
            predicate[i].claims[j] <== slots[5 + j];
        }
        predicate[i].slot <== predicate_slots[i];
        predicate[i].op <== predicate_ops[i];
        predicate[i].value <== predicate_values[i];
    }

    // 3a + 7. the policy hash names slot 0's schema and these predicates
    component policy = PolicyHash();
    policy.schema <== slots[0];
    for (var i = 0; i < 4; i++) {
        policy.pairs[i] <== predicate[i].pair;
        policy.values[i] <== predicate_values[i];
    }
    policy.policyHash <== policy_hash;

    // 7. the nullifier
    component pseudonym = Nullifier();
    pseudonym.secret <== holder_secret;
    pseudonym.scope <== scope;
    pseudonym.nullifier <== nullifier;

    // 8. the challenge is bound by a constraint of its own
    signal challengeSquared <== challenge * challenge;
}

component main {public [issuers_root, revocation_root, now, policy_hash, challenge, scope, nullifier]} = Presentation();
