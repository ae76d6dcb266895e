//! Exports to other tools' formats: [`snarkjs`]'s Groth16 JSON files.
//!
//! [`snarkjs`]: crate::export::snarkjs

pub mod snarkjs {
    //! snarkjs' Groth16 JSON formats: `verification_key.json`, `proof.json` and `public.json`, the
    //! three files `snarkjs groth16 verify` reads, so that anyone with snarkjs (or any tool that
    //! reads its files) can check a vouchsafe proof without vouchsafe.
    //!
    //! ```no_run
    //! # use vouchsafe::export::snarkjs;
    //! # fn demo(
    //! #     vk: &vouchsafe::keys::VerifyingKey,
    //! #     request: &vouchsafe::verifier::Request,
    //! #     presentation: &vouchsafe::verifier::Presentation,
    //! # ) -> Result<(), snarkjs::ExportError> {
    //! let export = snarkjs::Export::for_presentation(vk, request, presentation);
    //! export.write_to_dir(std::path::Path::new("out"))?;
    //! // then: snarkjs groth16 verify out/verification_key.json out/public.json out/proof.json
    //! # Ok(())
    //! # }
    //! ```
    //!
    //! # Layout
    //!
    //! As snarkjs 0.7.6 writes them (and as `tests/interop/run.sh` checks with the `snarkjs`
    //! command itself):
    //!
    //! - **Numbers**: every coordinate and every public input is a canonical decimal string (no
    //!   sign, no leading zero), of the base field Fq for coordinates and of the scalar field Fr
    //!   for public inputs.
    //! - **G1 points** in projective coordinates with `Z = 1`: `[x, y, "1"]`; the identity is
    //!   `["0", "1", "0"]`.
    //! - **G2 points**: `[[x.c0, x.c1], [y.c0, y.c1], ["1", "0"]]`, where an Fq2 element is
    //!   `c0 + c1 * u` with `u^2 = -1` (arkworks' `c0`/`c1`): the real part first. The identity is
    //!   `[["0", "0"], ["1", "0"], ["0", "0"]]`. (Solidity verifiers and EIP-197 take the imaginary
    //!   part first; snarkjs' JSON files do not.)
    //! - `verification_key.json`: `protocol` (`"groth16"`), `curve` (`"bn128"`), `nPublic`
    //!   (7), `vk_alpha_1`, `vk_beta_2`, `vk_gamma_2`, `vk_delta_2`, `vk_alphabeta_12` (the
    //!   pairing `e(alpha, beta)` in Fq12, `[[[c0.c0.c0, c0.c0.c1], [c0.c1.c0, ..],
    //!   [c0.c2.c0, ..]], [[c1.c0.c0, ..], ..]]`; `groth16 verify` does not read it, snarkjs
    //!   writes it and so do we), and `IC`, the 8 input commitments `IC_0..IC_7` (arkworks'
    //!   `gamma_abc_g1`).
    //! - `proof.json`: `pi_a` (G1), `pi_b` (G2), `pi_c` (G1), `protocol`, `curve`.
    //! - `public.json`: the 7 public inputs, in the order of
    //!   [`PUBLIC_INPUT_NAMES`](crate::primitives::presentation::PUBLIC_INPUT_NAMES):
    //!   `issuers_root`, `revocation_root`, `now`, `policy_hash`, `challenge`, `scope`,
    //!   `nullifier`.
    //!
    //! Files are written as snarkjs writes them: JSON indented by one space, keys in snarkjs'
    //! order, with a final newline ([`to_json`]).
    //!
    //! A presentation's public inputs are not all in the presentation: the verifier rebuilds `now`,
    //! the policy hash, the challenge and the scope from its request. [`public_inputs_for`] does
    //! the same, so that the exported `public.json` is exactly what [`Verifier::verify`] checks the
    //! proof against. snarkjs checks the proof only: it knows nothing of challenges, roots or
    //! clocks, which remain the verifier's checks.
    //!
    //! [`Verifier::verify`]: crate::verifier::Verifier::verify

    use crate::keys::{Proof, VerifyingKey};
    use crate::verifier::{Presentation, Request};
    use ark_bn254::{Bn254, Fq, Fq12, Fq2, Fq6, G1Affine, G2Affine};
    use ark_ec::pairing::Pairing;
    use ark_ec::AffineRepr;
    use ark_ff::PrimeField;
    use serde::Serialize;
    use std::io::Write;
    use std::path::{Path, PathBuf};
    use vouchsafe_circuits::presentation::NUM_PUBLIC_INPUTS;
    use vouchsafe_circuits::{field, Fr};

    /// The `protocol` of every file: `"groth16"`.
    pub const PROTOCOL: &str = "groth16";
    /// The `curve` of every file: snarkjs' name for BN254, `"bn128"`.
    pub const CURVE: &str = "bn128";
    /// The verifying key's file name.
    pub const VERIFICATION_KEY_FILE: &str = "verification_key.json";
    /// The proof's file name.
    pub const PROOF_FILE: &str = "proof.json";
    /// The public inputs' file name.
    pub const PUBLIC_FILE: &str = "public.json";

    /// A G1 point as snarkjs writes it: `[x, y, z]`, decimal strings.
    pub type G1Json = [String; 3];
    /// A G2 point as snarkjs writes it: `[[x.c0, x.c1], [y.c0, y.c1], [z.c0, z.c1]]`.
    pub type G2Json = [[String; 2]; 3];
    /// An Fq12 element as snarkjs writes it: two Fq6 halves of three Fq2 elements each.
    pub type Fq12Json = [[[String; 2]; 3]; 2];

    /// `verification_key.json` (module docs). Serializes with snarkjs' field names and order.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
    pub struct VerificationKeyJson {
        /// `"groth16"`.
        pub protocol: String,
        /// `"bn128"`.
        pub curve: String,
        /// The number of public inputs: 7.
        #[serde(rename = "nPublic")]
        pub n_public: usize,
        /// `alpha` in G1.
        pub vk_alpha_1: G1Json,
        /// `beta` in G2.
        pub vk_beta_2: G2Json,
        /// `gamma` in G2.
        pub vk_gamma_2: G2Json,
        /// `delta` in G2.
        pub vk_delta_2: G2Json,
        /// `e(alpha, beta)`.
        pub vk_alphabeta_12: Fq12Json,
        /// The input commitments `IC_0..IC_7`: `nPublic + 1` points.
        #[serde(rename = "IC")]
        pub ic: Vec<G1Json>,
    }

    /// `proof.json` (module docs). Serializes with snarkjs' field names and order.
    #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
    pub struct ProofJson {
        /// `A` in G1.
        pub pi_a: G1Json,
        /// `B` in G2.
        pub pi_b: G2Json,
        /// `C` in G1.
        pub pi_c: G1Json,
        /// `"groth16"`.
        pub protocol: String,
        /// `"bn128"`.
        pub curve: String,
    }

    /// `public.json`: the public inputs as decimal strings, in circuit order.
    pub type PublicJson = [String; NUM_PUBLIC_INPUTS];

    /// Why an export could not be written.
    #[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
    #[non_exhaustive]
    pub enum ExportError {
        /// Creating the directory or writing a file failed.
        #[error("cannot write {}: {message}", path.display())]
        Io {
            /// The directory or file.
            path: PathBuf,
            /// The kind of I/O error.
            kind: std::io::ErrorKind,
            /// The operating system's message.
            message: String,
        },
    }

    fn io_error(path: &Path, e: &std::io::Error) -> ExportError {
        ExportError::Io {
            path: path.to_path_buf(),
            kind: e.kind(),
            message: e.to_string(),
        }
    }

    /// A base-field element as its decimal string.
    pub(crate) fn fq(x: &Fq) -> String {
        x.into_bigint().to_string()
    }

    fn fq2(x: &Fq2) -> [String; 2] {
        [fq(&x.c0), fq(&x.c1)]
    }

    fn fq6(x: &Fq6) -> [[String; 2]; 3] {
        [fq2(&x.c0), fq2(&x.c1), fq2(&x.c2)]
    }

    fn fq12(x: &Fq12) -> Fq12Json {
        [fq6(&x.c0), fq6(&x.c1)]
    }

    /// A G1 point: `[x, y, "1"]`, or `["0", "1", "0"]` for the identity.
    pub(crate) fn g1(p: &G1Affine) -> G1Json {
        match p.xy() {
            Some((x, y)) => [fq(&x), fq(&y), "1".to_owned()],
            None => ["0".to_owned(), "1".to_owned(), "0".to_owned()],
        }
    }

    /// A G2 point: `[[x.c0, x.c1], [y.c0, y.c1], ["1", "0"]]`, or
    /// `[["0", "0"], ["1", "0"], ["0", "0"]]` for the identity.
    pub(crate) fn g2(p: &G2Affine) -> G2Json {
        let pair = |a: &str, b: &str| [a.to_owned(), b.to_owned()];
        match p.xy() {
            Some((x, y)) => [fq2(&x), fq2(&y), pair("1", "0")],
            None => [pair("0", "0"), pair("1", "0"), pair("0", "0")],
        }
    }

    /// The verifying key as snarkjs' `verification_key.json`, `vk_alphabeta_12` included
    /// (one pairing, a few milliseconds).
    pub fn verification_key(vk: &VerifyingKey) -> VerificationKeyJson {
        let vk = vk.as_ark();
        let alpha_beta = Bn254::pairing(vk.alpha_g1, vk.beta_g2);
        VerificationKeyJson {
            protocol: PROTOCOL.to_owned(),
            curve: CURVE.to_owned(),
            n_public: vk.gamma_abc_g1.len().saturating_sub(1),
            vk_alpha_1: g1(&vk.alpha_g1),
            vk_beta_2: g2(&vk.beta_g2),
            vk_gamma_2: g2(&vk.gamma_g2),
            vk_delta_2: g2(&vk.delta_g2),
            vk_alphabeta_12: fq12(&alpha_beta.0),
            ic: vk.gamma_abc_g1.iter().map(g1).collect(),
        }
    }

    /// The proof as snarkjs' `proof.json`.
    pub fn proof(proof: &Proof) -> ProofJson {
        let p = proof.as_ark();
        ProofJson {
            pi_a: g1(&p.a),
            pi_b: g2(&p.b),
            pi_c: g1(&p.c),
            protocol: PROTOCOL.to_owned(),
            curve: CURVE.to_owned(),
        }
    }

    /// The public inputs as snarkjs' `public.json`: decimal strings, in the order given (the
    /// circuit's order,
    /// [`PUBLIC_INPUT_NAMES`](crate::primitives::presentation::PUBLIC_INPUT_NAMES), for the
    /// output of [`public_inputs_for`] or of `Statement::to_field_elements`).
    pub fn public_inputs(inputs: &[Fr; NUM_PUBLIC_INPUTS]) -> PublicJson {
        inputs.each_ref().map(field::to_decimal)
    }

    /// The 7 public inputs against which a verifier checks `presentation` as the answer to
    /// `request`: the presentation's roots and nullifier, and everything else from the request
    /// (module docs).
    pub fn public_inputs_for(
        request: &Request,
        presentation: &Presentation,
    ) -> [Fr; NUM_PUBLIC_INPUTS] {
        request
            .statement(
                presentation.issuers_root,
                presentation.revocation_root,
                presentation.nullifier,
            )
            .to_field_elements()
    }

    /// `value` as snarkjs writes its JSON files (`JSON.stringify(value, null, 1)` and a final
    /// newline): indented by one space, fields in declaration order.
    pub fn to_json<T: Serialize>(value: &T) -> String {
        let mut out = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
        let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
        // The export types are strings, numbers and fixed-size lists: serializing them into
        // memory cannot fail. Were it to, the empty result is refused by every JSON reader.
        if value.serialize(&mut ser).is_err() {
            return String::new();
        }
        out.push(b'\n');
        String::from_utf8(out).unwrap_or_default()
    }

    /// The three files of one exported presentation.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Export {
        /// `verification_key.json`.
        pub verification_key: VerificationKeyJson,
        /// `proof.json`.
        pub proof: ProofJson,
        /// `public.json`.
        pub public: PublicJson,
    }

    /// The paths [`Export::write_to_dir`] wrote.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct WrittenFiles {
        /// `<dir>/verification_key.json`.
        pub verification_key: PathBuf,
        /// `<dir>/proof.json`.
        pub proof: PathBuf,
        /// `<dir>/public.json`.
        pub public: PathBuf,
    }

    impl Export {
        /// The export of a proof and the public inputs it proves, under `vk`.
        pub fn new(vk: &VerifyingKey, proof: &Proof, inputs: &[Fr; NUM_PUBLIC_INPUTS]) -> Self {
            Export {
                verification_key: verification_key(vk),
                proof: self::proof(proof),
                public: public_inputs(inputs),
            }
        }

        /// The export of `presentation` as the answer to `request`, with the public inputs of
        /// [`public_inputs_for`]. Nothing is verified here: snarkjs accepts the files exactly
        /// when the proof verifies against them.
        pub fn for_presentation(
            vk: &VerifyingKey,
            request: &Request,
            presentation: &Presentation,
        ) -> Self {
            Export::new(
                vk,
                &presentation.proof,
                &public_inputs_for(request, presentation),
            )
        }

        /// Writes [`VERIFICATION_KEY_FILE`], [`PROOF_FILE`] and [`PUBLIC_FILE`] into `dir`
        /// (created if missing), replacing files of those names. Each file is written to a
        /// temporary file in `dir`, flushed to disk and renamed, so a reader never sees a
        /// partial file; a failure is [`ExportError::Io`] naming the path.
        pub fn write_to_dir(&self, dir: &Path) -> Result<WrittenFiles, ExportError> {
            std::fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
            let files = WrittenFiles {
                verification_key: dir.join(VERIFICATION_KEY_FILE),
                proof: dir.join(PROOF_FILE),
                public: dir.join(PUBLIC_FILE),
            };
            write_atomically(&files.verification_key, &to_json(&self.verification_key))?;
            write_atomically(&files.proof, &to_json(&self.proof))?;
            write_atomically(&files.public, &to_json(&self.public))?;
            Ok(files)
        }
    }

    /// Writes `contents` to `path` through a temporary file in the same directory: create,
    /// write, sync, rename. The temporary file is removed if any step fails.
    fn write_atomically(path: &Path, contents: &str) -> Result<(), ExportError> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
        let result = (|| {
            let mut f = std::fs::File::create(&tmp).map_err(|e| io_error(&tmp, &e))?;
            f.write_all(contents.as_bytes())
                .and_then(|()| f.sync_all())
                .map_err(|e| io_error(&tmp, &e))?;
            std::fs::rename(&tmp, path).map_err(|e| io_error(path, &e))
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use ark_ec::CurveGroup;
        use ark_ff::{One, UniformRand, Zero};
        use ark_serialize::CanonicalSerialize;
        use rand::SeedableRng;
        use std::str::FromStr;

        fn rng() -> rand_chacha::ChaCha20Rng {
            rand_chacha::ChaCha20Rng::seed_from_u64(6)
        }

        /// A well-formed (not circuit-derived) verifying key with random points: enough for
        /// the layout; the interop test checks a real key with snarkjs.
        fn random_vk() -> VerifyingKey {
            let mut rng = rng();
            let mut g1 = || (ark_bn254::G1Projective::rand(&mut rng)).into_affine();
            let alpha_g1 = g1();
            let gamma_abc_g1 = (0..=NUM_PUBLIC_INPUTS).map(|_| g1()).collect();
            let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
            let mut g2 = || (ark_bn254::G2Projective::rand(&mut rng)).into_affine();
            let vk = ark_groth16::VerifyingKey::<Bn254> {
                alpha_g1,
                beta_g2: g2(),
                gamma_g2: g2(),
                delta_g2: g2(),
                gamma_abc_g1,
            };
            let mut bytes = Vec::new();
            vk.serialize_compressed(&mut bytes).unwrap();
            VerifyingKey::from_bytes(&bytes).unwrap()
        }

        fn random_proof() -> Proof {
            let mut rng = rng();
            let p = ark_groth16::Proof::<Bn254> {
                a: ark_bn254::G1Projective::rand(&mut rng).into_affine(),
                b: ark_bn254::G2Projective::rand(&mut rng).into_affine(),
                c: ark_bn254::G1Projective::rand(&mut rng).into_affine(),
            };
            let mut bytes = Vec::new();
            p.serialize_compressed(&mut bytes).unwrap();
            Proof::from_bytes(&bytes).unwrap()
        }

        fn parse_fq(s: &str) -> Fq {
            assert!(s == "0" || !s.starts_with('0'), "{s}");
            assert!(s.bytes().all(|b| b.is_ascii_digit()), "{s}");
            let x = Fq::from_str(s).unwrap();
            assert_eq!(fq(&x), s, "canonical");
            x
        }

        fn parse_g1(p: &G1Json) -> G1Affine {
            assert_eq!(p[2], "1");
            let q = G1Affine::new(parse_fq(&p[0]), parse_fq(&p[1]));
            assert!(q.is_on_curve() && q.is_in_correct_subgroup_assuming_on_curve());
            q
        }

        fn parse_g2(p: &G2Json) -> G2Affine {
            assert_eq!(p[2], ["1", "0"]);
            let f = |c: &[String; 2]| Fq2::new(parse_fq(&c[0]), parse_fq(&c[1]));
            let q = G2Affine::new(f(&p[0]), f(&p[1]));
            assert!(q.is_on_curve() && q.is_in_correct_subgroup_assuming_on_curve());
            q
        }

        #[test]
        fn generators_as_snarkjs_writes_them() {
            // snarkjs' gamma is the G2 generator: these strings are its vk_gamma_2 as
            // `snarkjs zkey export verificationkey` wrote it (benches/snarkjs).
            assert_eq!(
                g2(&G2Affine::generator()),
                [
                    [
                        "10857046999023057135944570762232829481370756359578518086990519993285655852781",
                        "11559732032986387107991004021392285783925812861821192530917403151452391805634",
                    ],
                    [
                        "8495653923123431417604973247489272438418190587263600148770280649306958101930",
                        "4082367875863433681332203403145435568316851327593401208105741076214120093531",
                    ],
                    ["1", "0"],
                ]
                .map(|c| c.map(str::to_owned))
            );
            assert_eq!(
                g1(&G1Affine::generator()),
                ["1", "2", "1"].map(str::to_owned)
            );
        }

        #[test]
        fn identities_as_snarkjs_writes_them() {
            assert_eq!(g1(&G1Affine::zero()), ["0", "1", "0"].map(str::to_owned));
            assert_eq!(
                g2(&G2Affine::zero()),
                [["0", "0"], ["1", "0"], ["0", "0"]].map(|c| c.map(str::to_owned))
            );
        }

        #[test]
        fn points_round_trip_through_their_strings() {
            let mut rng = rng();
            for _ in 0..8 {
                let p = ark_bn254::G1Projective::rand(&mut rng).into_affine();
                assert_eq!(parse_g1(&g1(&p)), p);
                let q = ark_bn254::G2Projective::rand(&mut rng).into_affine();
                assert_eq!(parse_g2(&g2(&q)), q);
            }
            // the largest coordinate: p - 1, 77 digits
            let minus_one = -Fq::one();
            assert_eq!(
                fq(&minus_one),
                "21888242871839275222246405745257275088696311157297823662689037894645226208582"
            );
            assert_eq!(fq(&Fq::zero()), "0");
        }

        #[test]
        fn verification_key_layout() {
            let vk = random_vk();
            let j = verification_key(&vk);
            let ark = vk.as_ark();
            assert_eq!(
                (j.protocol.as_str(), j.curve.as_str()),
                ("groth16", "bn128")
            );
            assert_eq!(j.n_public, NUM_PUBLIC_INPUTS);
            assert_eq!(j.ic.len(), NUM_PUBLIC_INPUTS + 1);
            assert_eq!(parse_g1(&j.vk_alpha_1), ark.alpha_g1);
            assert_eq!(parse_g2(&j.vk_beta_2), ark.beta_g2);
            assert_eq!(parse_g2(&j.vk_gamma_2), ark.gamma_g2);
            assert_eq!(parse_g2(&j.vk_delta_2), ark.delta_g2);
            for (s, p) in j.ic.iter().zip(&ark.gamma_abc_g1) {
                assert_eq!(parse_g1(s), *p);
            }
            // e(alpha, beta), component by component
            let ab = Bn254::pairing(ark.alpha_g1, ark.beta_g2).0;
            let f2 = |c: &[String; 2]| Fq2::new(parse_fq(&c[0]), parse_fq(&c[1]));
            let f6 = |c: &[[String; 2]; 3]| Fq6::new(f2(&c[0]), f2(&c[1]), f2(&c[2]));
            assert_eq!(
                Fq12::new(f6(&j.vk_alphabeta_12[0]), f6(&j.vk_alphabeta_12[1])),
                ab
            );

            let v: serde_json::Value = serde_json::from_str(&to_json(&j)).unwrap();
            let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
            let mut expected = [
                "protocol",
                "curve",
                "nPublic",
                "vk_alpha_1",
                "vk_beta_2",
                "vk_gamma_2",
                "vk_delta_2",
                "vk_alphabeta_12",
                "IC",
            ];
            expected.sort_unstable();
            assert_eq!(keys, expected, "serde_json::Value sorts its keys");
            assert_eq!(v["nPublic"], 7);
            assert_eq!(v["IC"].as_array().unwrap().len(), 8);
        }

        #[test]
        fn files_keep_snarkjs_key_order_and_indentation() {
            let j = to_json(&proof(&random_proof()));
            let at = |k: &str| j.find(&format!("\"{k}\"")).unwrap();
            assert!(at("pi_a") < at("pi_b") && at("pi_b") < at("pi_c"));
            assert!(at("pi_c") < at("protocol") && at("protocol") < at("curve"));
            assert!(j.starts_with("{\n \"pi_a\": [\n  \""), "{j}");
            assert!(j.ends_with("\"bn128\"\n}\n"), "{j}");
            let vk = to_json(&verification_key(&random_vk()));
            let at = |k: &str| vk.find(&format!("\"{k}\"")).unwrap();
            assert!(at("protocol") < at("curve") && at("nPublic") < at("vk_alpha_1"));
            assert!(at("vk_delta_2") < at("vk_alphabeta_12") && at("vk_alphabeta_12") < at("IC"));
        }

        #[test]
        fn proof_layout() {
            let pr = random_proof();
            let j = proof(&pr);
            assert_eq!(parse_g1(&j.pi_a), pr.as_ark().a);
            assert_eq!(parse_g2(&j.pi_b), pr.as_ark().b);
            assert_eq!(parse_g1(&j.pi_c), pr.as_ark().c);
            assert_eq!((j.protocol.as_str(), j.curve.as_str()), (PROTOCOL, CURVE));
        }

        #[test]
        fn public_inputs_are_decimal_strings_in_order() {
            let inputs: [Fr; NUM_PUBLIC_INPUTS] = [
                Fr::from(0u64),
                Fr::from(1u64),
                Fr::from(1_800_000_000u64),
                -Fr::from(1u64),
                Fr::from(10u64),
                Fr::from(u64::MAX),
                Fr::from(12345u64),
            ];
            let j = public_inputs(&inputs);
            assert_eq!(
                j,
                [
                    "0",
                    "1",
                    "1800000000",
                    "21888242871839275222246405745257275088548364400416034343698204186575808495616",
                    "10",
                    "18446744073709551615",
                    "12345",
                ]
            );
            assert_eq!(
                to_json(&j),
                format!(
                    "[\n{}\n]\n",
                    j.iter()
                        .map(|s| format!(" \"{s}\""))
                        .collect::<Vec<_>>()
                        .join(",\n")
                )
            );
            for (s, x) in j.iter().zip(inputs) {
                assert_eq!(field::parse_decimal(s), Ok(x));
            }
        }

        #[test]
        fn write_to_dir_writes_the_three_files() {
            let dir =
                std::env::temp_dir().join(format!("vouchsafe-export-test-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            let inputs = [Fr::from(3u64); NUM_PUBLIC_INPUTS];
            let export = Export::new(&random_vk(), &random_proof(), &inputs);
            let files = export.write_to_dir(&dir.join("nested")).unwrap();
            let read = |p: &Path| std::fs::read_to_string(p).unwrap();
            assert_eq!(
                read(&files.verification_key),
                to_json(&export.verification_key)
            );
            assert_eq!(read(&files.proof), to_json(&export.proof));
            assert_eq!(read(&files.public), to_json(&export.public));
            assert_eq!(files.public, dir.join("nested").join(PUBLIC_FILE));
            // again: replaces the files, leaves no temporary file behind
            export.write_to_dir(&dir.join("nested")).unwrap();
            let mut names: Vec<String> = std::fs::read_dir(dir.join("nested"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            assert_eq!(
                names,
                ["proof.json", "public.json", "verification_key.json"]
            );

            // a file where the directory should be
            let blocked = dir.join("blocked");
            std::fs::write(&blocked, "x").unwrap();
            match export.write_to_dir(&blocked) {
                Err(ExportError::Io { path, .. }) => assert_eq!(path, blocked),
                other => panic!("{other:?}"),
            }
            std::fs::remove_dir_all(&dir).unwrap();
        }
    }
}
