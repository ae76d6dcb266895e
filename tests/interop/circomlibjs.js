// The circomlibjs half of the interoperability test (see README.md in this folder).
//
//   node circomlibjs.js sign DIR     a provider that signs with circomlibjs
//   node circomlibjs.js verify DIR   circomlibjs checks a vouchsafe signature
//
// sign: reads DIR/credential_template.json ({"schema": {"name", "version"}, "slots": [16
// decimal strings]}, written by `cargo run --example interop -- prepare DIR`), computes
// m = Poseidon(slots) with circomlibjs' Poseidon, signs it with eddsa.signPoseidon under a
// fixed private key, and writes in vouchsafe's JSON formats (src/credential.rs, src/provider.rs)
//   DIR/circomlibjs_provider.json   {"version":1,"x","y"}: prv2pub(priv)
//   DIR/circomlibjs_signed.json     the signed credential.
// verify: reads DIR/vouchsafe_signed.json (a credential issued by vouchsafe's Provider::issue),
// recomputes m = Poseidon(slots) and checks the signature with eddsa.verifyPoseidon; altered
// copies (a slot, S, R8) must not verify.
//
// Prints one PASS/FAIL line per check; exits with 1 if any failed, 2 on bad usage or input.

"use strict";

const fs = require("fs");
const path = require("path");
const { buildEddsa, buildPoseidon } = require("circomlibjs");

// The provider's private key: 32 fixed bytes (a test fixture, not a secret).
const PRIVATE_KEY = Buffer.from("vouchsafe interop: circomlibjs provider key".slice(0, 32), "utf8");
const SLOTS = 16;
// The order l of Baby Jubjub's prime-order subgroup.
const SUBGROUP_ORDER = 2736030358979909402780800718157159386076813972158567259200215660948447373041n;

let failed = 0;

function check(ok, what, detail) {
    if (ok) {
        console.log(`PASS  ${what}`);
    } else {
        failed += 1;
        console.log(`FAIL  ${what}${detail === undefined ? "" : `: ${detail}`}`);
    }
}

function readJson(file) {
    return JSON.parse(fs.readFileSync(file, "utf8"));
}

// A canonical decimal string (what vouchsafe writes and reads) as a BigInt.
function dec(s, what) {
    if (typeof s !== "string" || !/^(0|[1-9][0-9]*)$/.test(s)) {
        throw new Error(`${what}: a decimal string expected, got ${JSON.stringify(s)}`);
    }
    return BigInt(s);
}

function slotsOf(j) {
    if (!Array.isArray(j.slots) || j.slots.length !== SLOTS) {
        throw new Error(`${SLOTS} slots expected`);
    }
    return j.slots.map((s, i) => dec(s, `slots[${i}]`));
}

async function sign(dir) {
    const eddsa = await buildEddsa();
    const poseidon = await buildPoseidon();
    const F = eddsa.F;

    const template = readJson(path.join(dir, "credential_template.json"));
    const slots = slotsOf(template);
    const msg = poseidon(slots.map((x) => F.e(x)));
    const A = eddsa.prv2pub(PRIVATE_KEY);
    const sig = eddsa.signPoseidon(PRIVATE_KEY, msg);
    check(
        eddsa.verifyPoseidon(msg, sig, A),
        "circomlibjs: signPoseidon's signature verifies under verifyPoseidon",
    );
    check(sig.S < SUBGROUP_ORDER, "circomlibjs: S < l");

    const str = (x) => F.toObject(x).toString();
    const provider = { version: 1, x: str(A[0]), y: str(A[1]) };
    const signed = {
        version: 1,
        schema: template.schema,
        slots: slots.map(String),
        provider: { x: provider.x, y: provider.y },
        signature: { r8x: str(sig.R8[0]), r8y: str(sig.R8[1]), s: sig.S.toString() },
    };
    fs.writeFileSync(path.join(dir, "circomlibjs_provider.json"), JSON.stringify(provider) + "\n");
    fs.writeFileSync(path.join(dir, "circomlibjs_signed.json"), JSON.stringify(signed) + "\n");
    console.log(`circomlibjs: m = Poseidon(16 slots) = ${str(msg)}`);
    console.log(`circomlibjs: wrote circomlibjs_provider.json and circomlibjs_signed.json in ${dir}`);
}

async function verify(dir) {
    const eddsa = await buildEddsa();
    const poseidon = await buildPoseidon();
    const F = eddsa.F;

    const j = readJson(path.join(dir, "vouchsafe_signed.json"));
    const slots = slotsOf(j);
    const A = [F.e(dec(j.provider.x, "provider.x")), F.e(dec(j.provider.y, "provider.y"))];
    const sig = {
        R8: [F.e(dec(j.signature.r8x, "signature.r8x")), F.e(dec(j.signature.r8y, "signature.r8y"))],
        S: dec(j.signature.s, "signature.s"),
    };
    const message = (xs) => poseidon(xs.map((x) => F.e(x)));
    const Base8 = eddsa.babyJub.Base8;

    check(
        eddsa.verifyPoseidon(message(slots), sig, A),
        "circomlibjs: verifyPoseidon accepts vouchsafe's Provider::issue signature",
    );
    const changedSlot = slots.slice();
    changedSlot[6] += 1n;
    check(
        !eddsa.verifyPoseidon(message(changedSlot), sig, A),
        "circomlibjs: verifyPoseidon refuses it for a changed slot",
    );
    check(
        !eddsa.verifyPoseidon(message(slots), { R8: sig.R8, S: (sig.S + 1n) % SUBGROUP_ORDER }, A),
        "circomlibjs: verifyPoseidon refuses it with S + 1",
    );
    check(
        !eddsa.verifyPoseidon(message(slots), { R8: eddsa.babyJub.addPoint(sig.R8, Base8), S: sig.S }, A),
        "circomlibjs: verifyPoseidon refuses it with R8 + Base8",
    );
    check(
        !eddsa.verifyPoseidon(message(slots), sig, eddsa.prv2pub(PRIVATE_KEY)),
        "circomlibjs: verifyPoseidon refuses it under another public key",
    );
}

async function main() {
    const [cmd, dir] = process.argv.slice(2);
    if (!dir || (cmd !== "sign" && cmd !== "verify")) {
        console.error("usage: node circomlibjs.js (sign | verify) DIR");
        process.exit(2);
    }
    try {
        await (cmd === "sign" ? sign(dir) : verify(dir));
    } catch (e) {
        console.error(`circomlibjs.js: ${e.message}`);
        process.exit(2);
    }
    process.exit(failed === 0 ? 0 : 1);
}

main();
