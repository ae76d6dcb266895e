// Checks an exported verification_key.json, proof.json and public.json with snarkjs' own curve
// code, beyond what `snarkjs groth16 verify` reads (see README.md in this folder):
// - the shape: protocol "groth16", curve "bn128", nPublic 7, 8 IC points, 7 public inputs;
// - every point is on its curve (ffjavascript's G1/G2 isValid);
// - vk_alphabeta_12 equals snarkjs' own pairing e(vk_alpha_1, vk_beta_2), as
//   `snarkjs zkey export verificationkey` would have written it.
//
//   node snarkjs_layout.js CASE_DIR
//
// Prints one PASS/FAIL line per check; exits with 1 if any failed, 2 on bad usage or input.

"use strict";

const fs = require("fs");
const path = require("path");
const snarkjs = require("snarkjs");

let failed = 0;

function check(ok, what, detail) {
    if (ok) {
        console.log(`PASS  ${what}`);
    } else {
        failed += 1;
        console.log(`FAIL  ${what}${detail === undefined ? "" : `: ${detail}`}`);
    }
}

// Decimal strings to BigInts, recursively (snarkjs' unstringifyBigInts, for our files).
function big(x) {
    if (Array.isArray(x)) return x.map(big);
    if (typeof x === "string" && /^(0|[1-9][0-9]*)$/.test(x)) return BigInt(x);
    throw new Error(`not a decimal string: ${JSON.stringify(x)}`);
}

async function main() {
    const dir = process.argv[2];
    if (!dir) {
        console.error("usage: node snarkjs_layout.js CASE_DIR");
        process.exit(2);
    }
    const read = (name) => JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));
    const vk = read("verification_key.json");
    const proof = read("proof.json");
    const pub = read("public.json");

    check(
        [vk, proof].every((j) => j.protocol === "groth16" && j.curve === "bn128"),
        "snarkjs layout: protocol groth16, curve bn128",
    );
    check(
        vk.nPublic === 7 && vk.IC.length === 8 && pub.length === 7,
        "snarkjs layout: nPublic 7, 8 IC, 7 public inputs",
        `nPublic ${vk.nPublic}, IC ${vk.IC.length}, public ${pub.length}`,
    );

    const curve = await snarkjs.curves.getCurveFromName("bn128");
    try {
        const g1 = (p) => curve.G1.fromObject(big(p));
        const g2 = (p) => curve.G2.fromObject(big(p));
        const g1s = [vk.vk_alpha_1, ...vk.IC, proof.pi_a, proof.pi_c].map(g1);
        const g2s = [vk.vk_beta_2, vk.vk_gamma_2, vk.vk_delta_2, proof.pi_b].map(g2);
        check(
            g1s.every((p) => curve.G1.isValid(p)) && g2s.every((p) => curve.G2.isValid(p)),
            "snarkjs layout: every point is on its curve ([c0, c1] order for G2)",
        );
        const ab = await curve.pairing(g1(vk.vk_alpha_1), g2(vk.vk_beta_2));
        const decimal = (_, v) => (typeof v === "bigint" ? v.toString() : v);
        const theirs = JSON.stringify(curve.Gt.toObject(ab), decimal);
        check(
            theirs === JSON.stringify(vk.vk_alphabeta_12),
            "snarkjs layout: vk_alphabeta_12 equals snarkjs' e(vk_alpha_1, vk_beta_2)",
            `snarkjs computes ${theirs.slice(0, 80)}...`,
        );
    } finally {
        await curve.terminate();
    }
    process.exit(failed === 0 ? 0 : 1);
}

main().catch((e) => {
    console.error(`snarkjs_layout.js: ${e.message}`);
    process.exit(2);
});
