#!/usr/bin/env bash
# Checks that presentation.circom proves the same relation as our circuit, on a witness made by
# our library (examples/snarkjs_input.rs, which also checks it against our own circuit):
# - the witness calculation succeeds and `snarkjs wtns check` passes (every R1CS constraint
#   holds);
# - tampered inputs make circom's witness calculation fail (a constraint or assert breaks):
#   public inputs, the signature, a claim, the secret, a predicate value, the low leaf;
# - the date boundaries agree with ours: now == issued_at passes, now == expires_at fails;
# - any challenge passes: like ours, the circuit only squares it, and the proof binds it as a
#   public input (a verifier rejects a proof for another challenge, not the witness).
# No trusted setup is needed. Runs from any directory; run.sh does not call it.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILD="$HERE/build"
SNARKJS="$HERE/node_modules/.bin/snarkjs"
R1CS="$BUILD/presentation.r1cs"
WASM="$BUILD/presentation_js/presentation.wasm"
WORK="$BUILD/check"

mkdir -p "$WORK"
if [[ ! -x "$SNARKJS" ]]; then
    (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
fi
if [[ ! -f "$R1CS" || ! -f "$WASM" || "$HERE/presentation.circom" -nt "$R1CS" ]]; then
    (cd "$HERE" && node_modules/.bin/circom2 presentation.circom --r1cs --wasm --O2 \
        -l node_modules -o "$BUILD/")
fi
(cd "$ROOT" && cargo run --release --example snarkjs_input) > "$WORK/input.json"

failures=0
pass() { echo "ok    $*"; }
bad() { echo "FAIL  $*"; failures=$((failures + 1)); }

# the valid witness
if "$SNARKJS" wtns calculate "$WASM" "$WORK/input.json" "$WORK/valid.wtns" >"$WORK/valid.log" 2>&1 \
    && "$SNARKJS" wtns check "$R1CS" "$WORK/valid.wtns" >"$WORK/check.log" 2>&1 \
    && grep -q "WITNESS IS CORRECT" "$WORK/check.log"; then
    pass "valid input: witness calculated, wtns check: WITNESS IS CORRECT"
else
    bad "valid input (see $WORK/valid.log, $WORK/check.log)"
fi

# mutate NAME JS: writes the input with the JS expression applied to `i` (the parsed input,
# values as BigInt-able strings), prints the file name
mutate() {
    local name="$1" js="$2" out="$WORK/$1.json"
    node -e '
      const fs = require("fs");
      const i = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
      const add = (x, d) => (BigInt(x) + BigInt(d)).toString();
      '"$js"';
      fs.writeFileSync(process.argv[2], JSON.stringify(i));' "$WORK/input.json" "$out"
    echo "$out"
}

# expect_fail NAME JS: the witness calculation must fail
expect_fail() {
    local file
    file="$(mutate "$1" "$2")"
    if "$SNARKJS" wtns calculate "$WASM" "$file" "$WORK/$1.wtns" >"$WORK/$1.log" 2>&1; then
        bad "$1: the witness calculation accepted it"
    else
        pass "$1: rejected ($(grep -m1 -o 'Error in template [^ ]*' "$WORK/$1.log" || echo failed))"
    fi
}

# expect_pass NAME JS: the witness calculation must succeed and the witness check pass
expect_pass() {
    local file
    file="$(mutate "$1" "$2")"
    if "$SNARKJS" wtns calculate "$WASM" "$file" "$WORK/$1.wtns" >"$WORK/$1.log" 2>&1 \
        && "$SNARKJS" wtns check "$R1CS" "$WORK/$1.wtns" >>"$WORK/$1.log" 2>&1; then
        pass "$1: accepted"
    else
        bad "$1: rejected (see $WORK/$1.log)"
    fi
}

expect_fail nullifier_plus_1 'i.nullifier = add(i.nullifier, 1)'
expect_fail signature_s_plus_1 'i.s = add(i.s, 1)'
expect_fail issuers_root_plus_1 'i.issuers_root = add(i.issuers_root, 1)'
expect_fail revocation_root_plus_1 'i.revocation_root = add(i.revocation_root, 1)'
expect_fail policy_hash_plus_1 'i.policy_hash = add(i.policy_hash, 1)'
expect_fail scope_zero 'i.scope = "0"'
expect_fail claim_slot_5_plus_1 'i.slots[5] = add(i.slots[5], 1)'
expect_fail holder_secret_plus_1 'i.holder_secret = add(i.holder_secret, 1)'
expect_fail predicate_value_changed 'i.predicate_values[0] = add(i.predicate_values[0], 1)'
expect_fail low_leaf_next_changed 'i.revocation_low_next = add(i.revocation_low_next, 1)'
expect_fail approval_index_changed 'i.approval_index = add(i.approval_index, 1)'
expect_fail now_is_expires_at 'i.now = i.slots[4]'
expect_pass now_is_issued_at 'i.now = i.slots[3]'
expect_pass challenge_changed 'i.challenge = add(i.challenge, 1)'

if (( failures > 0 )); then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "all checks passed"
