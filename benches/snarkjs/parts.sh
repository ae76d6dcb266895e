#!/usr/bin/env bash
# Constraint count of each part of presentation.circom: compiles every part template alone as
# a main component (all inputs private) with the same flags as run.sh (--O2) and prints a
# table. The parts are the templates the Presentation template is made of, so their sum is the
# circuit's count up to what --O2 can simplify across part boundaries. Runs from any directory
# (after `npm ci` in this folder); not needed by run.sh.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/build/parts"
CIRCOM="$HERE/node_modules/.bin/circom2"
mkdir -p "$OUT"

# the templates of presentation.circom without its main component
sed '/^component main/d' "$HERE/presentation.circom" > "$OUT/presentation_lib.circom"

PARTS=(
    "HolderBinding()"
    "CredentialSignature()"
    "Poseidon(16)"
    "EdDSAPoseidonVerifier()"
    "Approval()"
    "QuadLevel()"
    "NotRevoked()"
    "Validity()"
    "Predicate(11, 5)"
    "PolicyHash()"
    "Nullifier()"
    "Presentation()"
)

printf '%-26s %12s\n' "part" "constraints"
for part in "${PARTS[@]}"; do
    name="$(echo "$part" | tr -c 'A-Za-z0-9\n' '_')"
    dir="$OUT/$name"
    mkdir -p "$dir"
    printf 'pragma circom 2.0.0;\ninclude "presentation_lib.circom";\ncomponent main = %s;\n' \
        "$part" > "$dir/main.circom"
    (cd "$HERE" && "$CIRCOM" "$dir/main.circom" --r1cs --O2 -l node_modules -l "$OUT" \
        -o "$dir") > "$dir/log.txt" 2>&1
    n="$(grep -m1 'non-linear constraints' "$dir/log.txt" | grep -o '[0-9]*$')"
    l="$(grep -m1 '^linear constraints' "$dir/log.txt" | grep -o '[0-9]*$' || echo 0)"
    printf '%-26s %12s\n' "$part" "$((n + l))"
done
