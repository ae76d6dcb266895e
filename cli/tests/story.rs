//! The whole story through the `vouchsafe` command, as a user runs it: keys, a provider, a
//! registry, a holder, a client; prove, verify, replay, revoke, and a fresh request after the
//! revocation. Plus the file guarantees: no overwrite without `--force`, owner-only secrets,
//! unparseable state left untouched, and state that survives the command being killed.

// Test code: a failed unwrap is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_vouchsafe")
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run vouchsafe")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = run_in(dir, args);
    assert_eq!(
        code(&o),
        0,
        "{args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let mut a = vec!["--json"];
    a.extend_from_slice(args);
    serde_json::from_str(&ok(dir, &a)).unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "vouchsafe-cli-{name}-{}-{}",
        std::process::id(),
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// One setup for every test (the slow part), copied into each test's folder.
fn keys() -> &'static PathBuf {
    static KEYS: OnceLock<PathBuf> = OnceLock::new();
    KEYS.get_or_init(|| {
        let d = temp_dir("keys");
        let v = json(&d, &["setup", "--dir", "keys"]);
        assert_eq!(v["fingerprint"].as_str().unwrap().len(), 64);
        d.join("keys")
    })
}

/// A folder with keys, a provider approved for eo-insurance, a registry and a holder.
fn world(name: &str) -> (PathBuf, String) {
    let d = temp_dir(name);
    std::fs::create_dir_all(d.join("keys")).unwrap();
    for f in ["proving.key", "verifying.key"] {
        std::fs::copy(keys().join(f), d.join("keys").join(f)).unwrap();
    }
    ok(
        &d,
        &[
            "provider",
            "keygen",
            "--out",
            "provider.json",
            "--public",
            "provider.pub.json",
        ],
    );
    ok(
        &d,
        &[
            "registry",
            "init",
            "--registry",
            "registry.json",
            "--revocations",
            "revocations.json",
        ],
    );
    ok(
        &d,
        &[
            "registry",
            "approve",
            "--registry",
            "registry.json",
            "--provider",
            "provider.pub.json",
            "--schema",
            "eo-insurance",
        ],
    );
    let c = json(&d, &["holder", "init", "--out", "holder.json"]);
    (d, c["commitment"].as_str().unwrap().to_string())
}

fn issue(d: &Path, commitment: &str, serial: &str, out: &str) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let from = (now - 100).to_string();
    let until = (now + 86_400).to_string();
    ok(
        d,
        &[
            "provider",
            "issue",
            "--key",
            "provider.json",
            "--schema",
            "eo-insurance",
            "--holder",
            commitment,
            "--serial",
            serial,
            "--valid-from",
            &from,
            "--valid-until",
            &until,
            "--claim",
            "coverage=2000000",
            "--claim",
            "per_claim_limit=500000",
            "--claim",
            "policy_class=B",
            "--out",
            out,
        ],
    );
}

const FILES: [&str; 4] = [
    "--registry",
    "registry.json",
    "--revocations",
    "revocations.json",
];

fn request(d: &Path, out: &str) {
    ok(
        d,
        &[
            "verifier",
            "request",
            "--keys",
            "keys",
            "--state",
            "client.json",
            "--id",
            "acme",
            "--schema",
            "eo-insurance",
            "--predicate",
            "coverage>=1000000",
            "--scope",
            "hiring",
            "--out",
            out,
        ],
    );
}

fn prove(d: &Path, cred: &str, req: &str, out: &str) -> Output {
    let mut a = vec![
        "holder",
        "prove",
        "--keys",
        "keys",
        "--secret",
        "holder.json",
        "--credential",
        cred,
        "--request",
        req,
        "--out",
        out,
    ];
    a.extend_from_slice(&FILES);
    run_in(d, &a)
}

fn verify(d: &Path, req: &str, pres: &str) -> Output {
    let mut a = vec![
        "--json",
        "verifier",
        "verify",
        "--keys",
        "keys",
        "--state",
        "client.json",
        "--id",
        "acme",
        "--request",
        req,
        "--presentation",
        pres,
    ];
    a.extend_from_slice(&FILES);
    run_in(d, &a)
}

#[test]
fn the_whole_story() {
    let (d, commitment) = world("story");
    issue(&d, &commitment, "7", "cred.json");
    ok(
        &d,
        &[
            "holder",
            "accept",
            "--secret",
            "holder.json",
            "--credential",
            "cred.json",
            "--registry",
            "registry.json",
        ],
    );
    request(&d, "request.json");
    let o = prove(&d, "cred.json", "request.json", "pres.json");
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let o = verify(&d, "request.json", "pres.json");
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stdout));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["valid"], true);
    assert!(v["pseudonym"].as_str().is_some());

    // the snarkjs export (snarkjs itself checks these files in tests/interop)
    let e = json(
        &d,
        &[
            "export",
            "snarkjs",
            "--keys",
            "keys",
            "--request",
            "request.json",
            "--presentation",
            "pres.json",
            "--out",
            "snarkjs",
        ],
    );
    let public: Value = serde_json::from_str(
        &std::fs::read_to_string(d.join(e["public"].as_str().unwrap())).unwrap(),
    )
    .unwrap();
    assert_eq!(public.as_array().unwrap().len(), 7);
    let vk: Value = serde_json::from_str(
        &std::fs::read_to_string(d.join("snarkjs/verification_key.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(vk["protocol"], "groth16");
    assert_eq!(vk["IC"].as_array().unwrap().len(), 8);
    assert!(d.join("snarkjs/proof.json").exists());

    // the same presentation again: the challenge is spent (exit 1, invalid)
    let o = verify(&d, "request.json", "pres.json");
    assert_eq!(code(&o), 1);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["error"], "challenge already used");

    // a holder who edits the request (here: drops the pseudonym scope) can prove it, but the
    // verifier's state holds the digest of the request it issued: exit 1, nothing spent
    request(&d, "request-e.json");
    let mut j: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("request-e.json")).unwrap()).unwrap();
    j["scope_label"] = Value::Null;
    std::fs::write(d.join("request-e.json"), j.to_string()).unwrap();
    assert_eq!(
        code(&prove(&d, "cred.json", "request-e.json", "pres-e.json")),
        0
    );
    let o = verify(&d, "request-e.json", "pres-e.json");
    assert_eq!(code(&o), 1);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["error"],
        "the request differs from the one issued with this challenge"
    );

    // the witness of the credential: approved, not revoked
    let mut a = vec!["registry", "witness", "--credential", "cred.json"];
    a.extend_from_slice(&FILES);
    let w = json(&d, &a);
    assert_eq!(w["revoked"], false);
    assert_eq!(w["approval"]["siblings"].as_array().unwrap().len(), 8);
    assert_eq!(
        w["non_revocation"]["siblings"].as_array().unwrap().len(),
        10
    );

    // the provider revokes serial 7; the registry applies it
    ok(
        &d,
        &[
            "provider",
            "revoke",
            "--key",
            "provider.json",
            "--serial",
            "7",
            "--out",
            "revoke-7.json",
        ],
    );
    let mut a = vec!["registry", "revoke", "--request", "revoke-7.json"];
    a.extend_from_slice(&FILES);
    ok(&d, &a);
    let mut a = vec!["registry", "witness", "--credential", "cred.json"];
    a.extend_from_slice(&FILES);
    let w = json(&d, &a);
    assert_eq!(w["revoked"], true);
    assert!(w["non_revocation"].is_null());
    // publishing: the exported roots are the current ones
    let mut a = vec!["registry", "export", "--out", "public"];
    a.extend_from_slice(&FILES);
    let e = json(&d, &a);
    let mut a = vec!["registry", "root"];
    a.extend_from_slice(&FILES);
    let roots = json(&d, &a);
    assert_eq!(e["roots"]["issuers_root"], roots["issuers_root"]);
    assert_eq!(e["roots"]["revocation_root"], roots["revocation_root"]);
    assert_eq!(
        std::fs::read(d.join("public/revocations.json")).unwrap(),
        std::fs::read(d.join("revocations.json")).unwrap()
    );
    // a fresh request against the newest roots: the holder's prover refuses (bad input, 2)
    request(&d, "request2.json");
    let o = prove(&d, "cred.json", "request2.json", "pres2.json");
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("revoked"));
    assert!(!d.join("pres2.json").exists());
    // the old presentation, replayed against the fresh request: invalid (exit 1)
    let o = verify(&d, "request2.json", "pres.json");
    assert_eq!(code(&o), 1);
}

#[test]
fn files_are_never_clobbered_and_secrets_are_private() {
    let (d, _) = world("files");
    let before = std::fs::read(d.join("provider.json")).unwrap();
    let o = run_in(
        &d,
        &[
            "provider",
            "keygen",
            "--out",
            "provider.json",
            "--public",
            "provider.pub.json",
        ],
    );
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(std::fs::read(d.join("provider.json")).unwrap(), before);
    let o = run_in(&d, &["holder", "init", "--out", "holder.json"]);
    assert_eq!(code(&o), 2);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for f in ["provider.json", "holder.json"] {
            let mode = std::fs::metadata(d.join(f)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{f}");
        }
    }
    // --force replaces it
    ok(
        &d,
        &[
            "provider",
            "keygen",
            "--out",
            "provider.json",
            "--public",
            "provider.pub.json",
            "--force",
        ],
    );
    assert_ne!(std::fs::read(d.join("provider.json")).unwrap(), before);
}

#[test]
fn a_state_file_that_does_not_parse_is_reported_and_left_untouched() {
    let (d, _) = world("garbage");
    std::fs::write(d.join("registry.json"), b"{\"version\":1,").unwrap();
    let o = run_in(
        &d,
        &[
            "registry",
            "approve",
            "--registry",
            "registry.json",
            "--provider",
            "provider.pub.json",
            "--schema",
            "credit-check",
        ],
    );
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("registry.json"));
    assert_eq!(
        std::fs::read(d.join("registry.json")).unwrap(),
        b"{\"version\":1,"
    );
    // a holder secret file must be exact: unknown fields and uppercase hex are refused
    let good = std::fs::read_to_string(d.join("holder.json")).unwrap();
    for bad in [
        good.replace("\"}", "\",\"extra\":1}"),
        good.to_uppercase()
            .replace("VERSION", "version")
            .replace("HOLDER_SECRET", "holder_secret"),
        good.replace("\"version\":1", "\"version\":2"),
    ] {
        std::fs::write(d.join("holder2.json"), &bad).unwrap();
        let o = run_in(
            &d,
            &[
                "holder",
                "accept",
                "--secret",
                "holder2.json",
                "--credential",
                "none.json",
                "--registry",
                "registry.json",
            ],
        );
        assert_eq!(code(&o), 2, "{bad}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("holder2.json"),
            "{bad}"
        );
        assert_eq!(
            std::fs::read_to_string(d.join("holder2.json")).unwrap(),
            bad
        );
    }
    // a verifier state file with an unknown field is refused and left as it is
    let state = "{\"version\":1,\"verifier_id\":\"acme\",\"challenges\":{},\"extra\":0}";
    std::fs::write(d.join("client.json"), state).unwrap();
    let o = run_in(
        &d,
        &[
            "verifier",
            "request",
            "--keys",
            "keys",
            "--state",
            "client.json",
            "--id",
            "acme",
            "--schema",
            "eo-insurance",
            "--out",
            "r.json",
        ],
    );
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("client.json"));
    assert_eq!(
        std::fs::read_to_string(d.join("client.json")).unwrap(),
        state
    );
    assert!(!d.join("r.json").exists());
    // bad usage is 2 too
    let o = run_in(&d, &["verifier", "frobnicate"]);
    assert_eq!(code(&o), 2);
    let o = run_in(
        &d,
        &[
            "provider",
            "issue",
            "--key",
            "provider.json",
            "--schema",
            "no-such",
            "--holder",
            "1",
            "--serial",
            "1",
            "--valid-from",
            "1",
            "--valid-until",
            "2",
            "--out",
            "x.json",
        ],
    );
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown schema"));
}

/// Approvals killed at every point of their run: the registry file always parses, and holds
/// either the approvals before the killed command or those after it.
#[test]
fn killing_the_command_mid_write_never_loses_the_state() {
    let (d, _) = world("kill");
    for i in 0..30u64 {
        let key = format!("p{i}.json");
        let public = format!("p{i}.pub.json");
        ok(
            &d,
            &["provider", "keygen", "--out", &key, "--public", &public],
        );
        let before = json(
            &d,
            &[
                "registry",
                "root",
                "--registry",
                "registry.json",
                "--revocations",
                "revocations.json",
            ],
        );
        let mut child = Command::new(bin())
            .current_dir(&d)
            .args([
                "registry",
                "approve",
                "--registry",
                "registry.json",
                "--provider",
                &public,
                "--schema",
                "eo-insurance",
            ])
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(300 * i));
        let _ = child.kill();
        let _ = child.wait();
        // parses, and is the old or the new state
        let after = json(
            &d,
            &[
                "registry",
                "root",
                "--registry",
                "registry.json",
                "--revocations",
                "revocations.json",
            ],
        );
        let approved = run_in(
            &d,
            &[
                "registry",
                "approve",
                "--registry",
                "registry.json",
                "--provider",
                &public,
                "--schema",
                "eo-insurance",
            ],
        );
        if after == before {
            assert_eq!(
                code(&approved),
                0,
                "state before the kill: the approval can be made"
            );
        } else {
            assert_eq!(code(&approved), 2, "state after the kill: already approved");
        }
        // a killed command may leave its temporary file behind; it is never read as state
        let leftovers: Vec<_> = std::fs::read_dir(&d)
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(".registry.json.tmp")
            })
            .collect();
        for e in leftovers {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
}

#[test]
fn batch_verification_of_a_folder() {
    let (d, commitment) = world("batch");
    issue(&d, &commitment, "9", "cred.json");
    std::fs::create_dir_all(d.join("inbox")).unwrap();
    for name in ["a", "b", "c"] {
        let req = format!("inbox/{name}.request.json");
        let pres = format!("inbox/{name}.presentation.json");
        request(&d, &req);
        // c answers its request with a's presentation
        if name != "c" {
            let o = prove(&d, "cred.json", &req, &pres);
            assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
        } else {
            std::fs::copy(d.join("inbox/a.presentation.json"), d.join(&pres)).unwrap();
        }
    }
    let mut a = vec![
        "--json",
        "verifier",
        "verify",
        "--keys",
        "keys",
        "--state",
        "client.json",
        "--id",
        "acme",
        "--batch",
        "inbox",
    ];
    a.extend_from_slice(&FILES);
    let o = run_in(&d, &a);
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stderr));
    let lines: Vec<&str> = std::str::from_utf8(&o.stdout).unwrap().lines().collect();
    let v: Value = serde_json::from_str(lines[0]).unwrap();
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["valid"], true);
    assert_eq!(results[1]["valid"], true);
    assert_eq!(results[2]["valid"], false);
    assert_eq!(results[2]["error"], "invalid proof");
    // every challenge is spent: the same folder again is all invalid
    let o = run_in(&d, &a);
    assert_eq!(code(&o), 1);
}
