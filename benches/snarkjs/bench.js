// Times snarkjs on the presentation circuit, warm and in one process: one groth16.fullProve to
// warm up (curve worker threads, wasm compilation caches), then RUNS (default 5) fullProves and
// RUNS verifies. Every verify must return true, and the public signals must be the 7 public
// inputs of the input JSON, in order. Prints one JSON object:
//   {"constraints", "prove_ms", "verify_ms", "runs", "prove_ms_all", "verify_ms_all"}
// with medians in prove_ms and verify_ms.
//
// Usage: node bench.js <circuit.r1cs> <circuit.wasm> <circuit.zkey> <vkey.json> <input.json>
// (run.sh passes them). The wasm and the zkey are read into memory once; fullProve still
// compiles the wasm and computes the witness on every call, as it does in an application.

"use strict";

const fs = require("fs");
const snarkjs = require("snarkjs");

const PUBLIC_INPUTS = [
    "issuers_root",
    "revocation_root",
    "now",
    "policy_hash",
    "challenge",
    "scope",
    "nullifier",
];

function median(xs) {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function fail(msg) {
    console.error(`bench.js: ${msg}`);
    process.exit(1);
}

function checkPublicSignals(publicSignals, input) {
    const expected = PUBLIC_INPUTS.map((name) => BigInt(input[name]).toString());
    const got = publicSignals.map((x) => BigInt(x).toString());
    if (got.length !== expected.length || got.some((x, i) => x !== expected[i])) {
        fail(`public signals ${JSON.stringify(got)} differ from the input's ${JSON.stringify(expected)}`);
    }
}

async function main() {
    const [r1csPath, wasmPath, zkeyPath, vkPath, inputPath] = process.argv.slice(2);
    if (!inputPath) {
        fail("usage: node bench.js <r1cs> <wasm> <zkey> <vkey.json> <input.json>");
    }
    const runs = Number.parseInt(process.env.RUNS || "5", 10);
    if (!(runs >= 1)) {
        fail(`RUNS must be a positive integer, got ${process.env.RUNS}`);
    }

    const r1cs = await snarkjs.r1cs.info(r1csPath);
    const wasm = { type: "mem", data: new Uint8Array(fs.readFileSync(wasmPath)) };
    const zkey = { type: "mem", data: new Uint8Array(fs.readFileSync(zkeyPath)) };
    const vk = JSON.parse(fs.readFileSync(vkPath, "utf8"));
    const input = JSON.parse(fs.readFileSync(inputPath, "utf8"));

    // warm-up
    const warm = await snarkjs.groth16.fullProve(input, wasm, zkey);
    checkPublicSignals(warm.publicSignals, input);
    if (!(await snarkjs.groth16.verify(vk, warm.publicSignals, warm.proof))) {
        fail("the warm-up proof does not verify");
    }

    const proveMs = [];
    const proofs = [];
    for (let i = 0; i < runs; i++) {
        const t = process.hrtime.bigint();
        const { proof, publicSignals } = await snarkjs.groth16.fullProve(input, wasm, zkey);
        proveMs.push(Number(process.hrtime.bigint() - t) / 1e6);
        checkPublicSignals(publicSignals, input);
        proofs.push({ proof, publicSignals });
    }

    const verifyMs = [];
    for (let i = 0; i < runs; i++) {
        const { proof, publicSignals } = proofs[i];
        const t = process.hrtime.bigint();
        const ok = await snarkjs.groth16.verify(vk, publicSignals, proof);
        verifyMs.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (ok !== true) {
            fail(`proof ${i} does not verify`);
        }
    }

    const round = (x) => Math.round(x * 100) / 100;
    console.log(
        JSON.stringify({
            constraints: r1cs.nConstraints,
            prove_ms: round(median(proveMs)),
            verify_ms: round(median(verifyMs)),
            runs,
            prove_ms_all: proveMs.map(round),
            verify_ms_all: verifyMs.map(round),
        })
    );

    if (globalThis.curve_bn128) {
        await globalThis.curve_bn128.terminate();
    }
    process.exit(0);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
