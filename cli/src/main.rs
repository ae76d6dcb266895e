//! `vouchsafe`: the command for every role, with all state in files.
//!
//! Exit codes: 0 success (a presentation verified), 1 a presentation that does not verify,
//! 2 bad input or usage. `--json` prints one JSON object instead of text. Run
//! `vouchsafe <command> --help` for an example of each command.

#![forbid(unsafe_code)]
// Panic-free on untrusted input (SECURITY.md section 6.8): outside tests, no unwrap, expect,
// panic, unchecked indexing or overflowing integer arithmetic anywhere in this crate, except
// where a narrow `#[allow]` says why (the gadget modules, which see only the prover's own
// witness and the circuit's fixed shape).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

mod files;

use vouchsafe_cli::state;

use clap::{Args, Parser, Subcommand};
use files::{read, read_text, write_atomic, Access};
use rand::rngs::OsRng;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use vouchsafe::credential::{ClaimValue, CredentialBuilder, SignedCredential};
use vouchsafe::holder::Holder;
use vouchsafe::keys::{setup_for_development, ProvingKey, VerifyingKey};
use vouchsafe::primitives::presentation::{Op, Policy, Predicate, PREDICATES};
use vouchsafe::primitives::{field, Fr};
use vouchsafe::provider::{public_key_from_json, public_key_to_json, Provider};
use vouchsafe::registry::Registry;
use vouchsafe::revocation::{RevocationList, RevocationRequest};
use vouchsafe::schema::{ClaimKind, Schema};
use vouchsafe::verifier::{
    IssuedChallenge, NonceStore, Presentation, RegistryRoots, Request, Verifier, VerifierConfig,
    VerifyError,
};
use zeroize::Zeroizing;

/// What went wrong, and the exit code it maps to.
#[derive(Debug)]
pub(crate) enum CliError {
    /// Bad input, a file that does not parse, a refused operation: exit 2.
    Input(String),
    /// A presentation that does not verify: exit 1.
    Invalid(String),
}

impl CliError {
    pub(crate) fn io(path: &Path, e: &std::io::Error) -> Self {
        CliError::Input(format!("{}: {e}", path.display()))
    }
}

fn bad<E: std::fmt::Display>(what: &str) -> impl FnOnce(E) -> CliError + '_ {
    move |e| CliError::Input(format!("{what}: {e}"))
}

#[derive(Parser)]
#[command(
    name = "vouchsafe",
    version,
    about = "Zero-knowledge credentials: prove claims about a verified attestation without revealing it"
)]
struct Cli {
    /// Print one JSON object instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Creates the proving and verifying keys (development setup: whoever runs it can forge).
    #[command(after_help = "Example:\n  vouchsafe setup --dir keys")]
    Setup {
        /// Folder for proving.key and verifying.key.
        #[arg(long)]
        dir: PathBuf,
        /// Overwrite existing keys.
        #[arg(long)]
        force: bool,
    },
    /// Provider: keys, credentials, revocation requests.
    #[command(subcommand)]
    Provider(ProviderCmd),
    /// The marketplace's approved-provider registry and revocation list.
    #[command(subcommand)]
    Registry(RegistryCmd),
    /// Freelancer: secret, credentials, presentations.
    #[command(subcommand)]
    Holder(HolderCmd),
    /// Client: requests and verification.
    #[command(subcommand)]
    Verifier(VerifierCmd),
    /// Exports for other tools.
    #[command(subcommand)]
    Export(ExportCmd),
}

#[derive(Subcommand)]
enum ExportCmd {
    /// Writes verification_key.json, proof.json and public.json for `snarkjs groth16 verify`.
    #[command(
        after_help = "Example:\n  vouchsafe export snarkjs --keys keys --request request.json --presentation presentation.json --out snarkjs/\n  npx snarkjs groth16 verify snarkjs/verification_key.json snarkjs/public.json snarkjs/proof.json"
    )]
    Snarkjs {
        /// The folder with verifying.key.
        #[arg(long)]
        keys: PathBuf,
        /// The request the presentation answers (its public inputs come from it).
        #[arg(long)]
        request: PathBuf,
        /// The presentation file.
        #[arg(long)]
        presentation: PathBuf,
        /// The output folder.
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum ProviderCmd {
    /// Creates a provider key: the secret (owner-only) and the public key beside it.
    #[command(
        after_help = "Example:\n  vouchsafe provider keygen --out provider.json --public provider.pub.json"
    )]
    Keygen {
        /// The secret key file.
        #[arg(long)]
        out: PathBuf,
        /// The public key file.
        #[arg(long)]
        public: PathBuf,
        /// Overwrite existing files.
        #[arg(long)]
        force: bool,
    },
    /// Signs a credential for a holder.
    #[command(
        after_help = "Example:\n  vouchsafe provider issue --key provider.json --schema eo-insurance \\\n    --holder 1234... --serial 7 --valid-from 1790000000 --valid-until 1820000000 \\\n    --claim coverage=2000000 --claim per_claim_limit=500000 --claim policy_class=B --out cred.json"
    )]
    Issue {
        /// The provider's secret key file.
        #[arg(long)]
        key: PathBuf,
        /// A built-in schema: background-check, identity-verification, eo-insurance, credit-check
        /// (the `vouchsafe/` prefix is optional).
        #[arg(long)]
        schema: String,
        /// The holder's commitment (decimal), from `vouchsafe holder init`.
        #[arg(long)]
        holder: String,
        /// The credential's serial number (used to revoke it).
        #[arg(long)]
        serial: u64,
        /// Valid from (Unix seconds).
        #[arg(long)]
        valid_from: u64,
        /// Valid until, exclusive (Unix seconds).
        #[arg(long)]
        valid_until: u64,
        /// A claim, name=value (repeat).
        #[arg(long = "claim")]
        claims: Vec<String>,
        /// The signed credential file.
        #[arg(long)]
        out: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Signs a revocation request for a credential's serial.
    #[command(
        after_help = "Example:\n  vouchsafe provider revoke --key provider.json --serial 7 --out revoke-7.json"
    )]
    Revoke {
        /// The provider's secret key file.
        #[arg(long)]
        key: PathBuf,
        /// The serial to revoke.
        #[arg(long)]
        serial: u64,
        /// The revocation request file.
        #[arg(long)]
        out: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Args)]
struct RegistryFiles {
    /// The approved-provider registry file.
    #[arg(long)]
    registry: PathBuf,
    /// The revocation list file.
    #[arg(long)]
    revocations: PathBuf,
}

/// A provider and a schema, in a registry file: what approve and withdraw act on.
#[derive(Args)]
struct ApprovalArgs {
    /// The registry file.
    #[arg(long)]
    registry: PathBuf,
    /// The provider's public key file.
    #[arg(long)]
    provider: PathBuf,
    /// The schema.
    #[arg(long)]
    schema: String,
}

#[derive(Subcommand)]
enum RegistryCmd {
    /// Creates an empty registry and revocation list.
    #[command(
        after_help = "Example:\n  vouchsafe registry init --registry registry.json --revocations revocations.json"
    )]
    Init {
        #[command(flatten)]
        files: RegistryFiles,
        /// Overwrite existing files.
        #[arg(long)]
        force: bool,
    },
    /// Approves a provider for a schema.
    #[command(
        after_help = "Example:\n  vouchsafe registry approve --registry registry.json --provider provider.pub.json --schema eo-insurance"
    )]
    Approve {
        #[command(flatten)]
        approval: ApprovalArgs,
    },
    /// Withdraws a provider's approval for a schema.
    #[command(
        after_help = "Example:\n  vouchsafe registry withdraw --registry registry.json --provider provider.pub.json --schema eo-insurance"
    )]
    Withdraw {
        #[command(flatten)]
        approval: ApprovalArgs,
    },
    /// Applies a provider's signed revocation request.
    #[command(
        after_help = "Example:\n  vouchsafe registry revoke --registry registry.json --revocations revocations.json --request revoke-7.json"
    )]
    Revoke {
        #[command(flatten)]
        files: RegistryFiles,
        /// The revocation request file.
        #[arg(long)]
        request: PathBuf,
    },
    /// Prints the witness a credential's presentation uses: its approval path and the proof
    /// that it is not revoked (public data, computed from the public files).
    #[command(
        after_help = "Example:\n  vouchsafe --json registry witness --registry registry.json --revocations revocations.json --credential cred.json"
    )]
    Witness {
        #[command(flatten)]
        files: RegistryFiles,
        /// The signed credential file.
        #[arg(long)]
        credential: PathBuf,
    },
    /// Publishes the public state for holders and verifiers: copies of the registry and the
    /// revocation list, and the current roots, written atomically into a folder.
    #[command(
        after_help = "Example:\n  vouchsafe registry export --registry registry.json --revocations revocations.json --out public/"
    )]
    Export {
        #[command(flatten)]
        files: RegistryFiles,
        /// The output folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// Prints the current roots.
    #[command(
        after_help = "Example:\n  vouchsafe registry root --registry registry.json --revocations revocations.json"
    )]
    Root {
        #[command(flatten)]
        files: RegistryFiles,
    },
}

#[derive(Subcommand)]
enum HolderCmd {
    /// Creates a holder secret (owner-only) and prints its commitment for providers.
    #[command(after_help = "Example:\n  vouchsafe holder init --out holder.json")]
    Init {
        /// The holder secret file.
        #[arg(long)]
        out: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Checks a credential: signature, holder, approved provider.
    #[command(
        after_help = "Example:\n  vouchsafe holder accept --secret holder.json --credential cred.json --registry registry.json"
    )]
    Accept {
        /// The holder secret file.
        #[arg(long)]
        secret: PathBuf,
        /// The signed credential file.
        #[arg(long)]
        credential: PathBuf,
        /// The registry file.
        #[arg(long)]
        registry: PathBuf,
    },
    /// Answers a request with a presentation.
    #[command(
        after_help = "Example:\n  vouchsafe holder prove --keys keys --secret holder.json --credential cred.json \\\n    --request request.json --registry registry.json --revocations revocations.json --out presentation.json"
    )]
    Prove {
        /// The folder with proving.key.
        #[arg(long)]
        keys: PathBuf,
        /// The holder secret file.
        #[arg(long)]
        secret: PathBuf,
        /// The signed credential file.
        #[arg(long)]
        credential: PathBuf,
        /// The request file.
        #[arg(long)]
        request: PathBuf,
        #[command(flatten)]
        files: RegistryFiles,
        /// The presentation file.
        #[arg(long)]
        out: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
}

/// The most pairs a `--batch` folder may hold (docs/FORMATS.md, section 3): the folder is
/// read no further, so its size bounds neither memory nor time.
const MAX_BATCH_PAIRS: usize = 10_000;

/// The pairs of a `--batch` folder, sorted by name.
fn batch_pairs(dir: &Path) -> Result<Vec<(String, Request, Presentation)>, CliError> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| CliError::io(dir, &e))?
        .filter_map(Result::ok)
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".request.json"))
                .map(str::to_string)
        })
        .take(MAX_BATCH_PAIRS.saturating_add(1))
        .collect();
    if names.len() > MAX_BATCH_PAIRS {
        return Err(CliError::Input(format!(
            "{}: more than {MAX_BATCH_PAIRS} NAME.request.json files; verify them in smaller batches",
            dir.display()
        )));
    }
    names.sort();
    if names.is_empty() {
        return Err(CliError::Input(format!(
            "{}: no NAME.request.json files",
            dir.display()
        )));
    }
    names
        .into_iter()
        .map(|n| {
            let rp = dir.join(format!("{n}.request.json"));
            let pp = dir.join(format!("{n}.presentation.json"));
            let r = Request::from_json(&read_text(&rp)?).map_err(bad(&rp.display().to_string()))?;
            let p = Presentation::from_json(&read_text(&pp)?)
                .map_err(bad(&pp.display().to_string()))?;
            Ok((n, r, p))
        })
        .collect()
}

#[derive(Subcommand)]
enum VerifierCmd {
    /// Makes a request: a policy, a fresh challenge, recorded in the verifier's state file.
    #[command(
        after_help = "Example:\n  vouchsafe verifier request --keys keys --state client.json --id acme-client \\\n    --schema eo-insurance --predicate 'coverage>=1000000' --scope hiring --out request.json"
    )]
    Request {
        /// The folder with verifying.key.
        #[arg(long)]
        keys: PathBuf,
        /// The verifier's state file (issued challenges); created if absent.
        #[arg(long)]
        state: PathBuf,
        /// This verifier's id.
        #[arg(long)]
        id: String,
        /// The schema.
        #[arg(long)]
        schema: String,
        /// A predicate `claim OP value` with OP one of == != < <= > >= (up to 4).
        #[arg(long = "predicate")]
        predicates: Vec<String>,
        /// A pseudonym scope label (same holder, same label: same pseudonym).
        #[arg(long)]
        scope: Option<String>,
        /// The request file.
        #[arg(long)]
        out: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Verifies a presentation against its request (exit 0 valid, 1 invalid).
    #[command(
        after_help = "Example:\n  vouchsafe verifier verify --keys keys --state client.json --id acme-client --request request.json \\\n    --presentation presentation.json --registry registry.json --revocations revocations.json"
    )]
    Verify {
        /// The folder with verifying.key.
        #[arg(long)]
        keys: PathBuf,
        /// The verifier's state file.
        #[arg(long)]
        state: PathBuf,
        /// This verifier's id.
        #[arg(long)]
        id: String,
        /// The request file.
        #[arg(long, required_unless_present = "batch", conflicts_with = "batch")]
        request: Option<PathBuf>,
        /// The presentation file.
        #[arg(long, required_unless_present = "batch", conflicts_with = "batch")]
        presentation: Option<PathBuf>,
        /// A folder of pairs NAME.request.json + NAME.presentation.json (at most 10,000),
        /// verified together (request checks one by one, proofs in one batch); exit 0 only if
        /// all are valid.
        #[arg(long)]
        batch: Option<PathBuf>,
        #[command(flatten)]
        files: RegistryFiles,
    },
}

fn now() -> Result<u64, CliError> {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .map_err(|_| CliError::Input("the clock is before 1970".into()))
}

fn schema(name: &str) -> Result<Schema, CliError> {
    let short = format!("vouchsafe/{}", name.replace('_', "-"));
    Schema::builtin(name)
        .or_else(|| Schema::builtin(&short))
        .ok_or_else(|| {
            let names: Vec<String> = Schema::all_builtin()
                .iter()
                .map(|s| s.name().to_string())
                .collect();
            CliError::Input(format!(
                "unknown schema {name:?}; built-in: {}",
                names.join(", ")
            ))
        })
}

fn parse_fr(s: &str, what: &str) -> Result<Fr, CliError> {
    field::parse_decimal(s).map_err(bad(what))
}

/// Reads the registry, applies `change` to the provider and schema, writes the registry back
/// (atomically) and returns the change's result with the new root.
fn change_approval<T>(
    a: &ApprovalArgs,
    what: &str,
    change: impl FnOnce(
        &mut Registry,
        &vouchsafe::primitives::eddsa::PublicKey,
        Fr,
        u64,
    ) -> Result<T, vouchsafe::registry::RegistryError>,
) -> Result<(T, String), CliError> {
    let mut reg = read_registry(&a.registry)?;
    let key = public_key_from_json(&read_text(&a.provider)?)
        .map_err(bad(&a.provider.display().to_string()))?;
    let s = schema(&a.schema)?;
    let out = change(&mut reg, &key, s.id(), now()?).map_err(bad(what))?;
    write_atomic(
        &a.registry,
        reg.to_snapshot_json().as_bytes(),
        Access::Public,
        true,
    )?;
    Ok((out, field::to_decimal(&reg.root())))
}

fn read_registry(path: &Path) -> Result<Registry, CliError> {
    Registry::from_snapshot_json(&read_text(path)?).map_err(bad(&path.display().to_string()))
}

fn read_revocations(path: &Path) -> Result<RevocationList, CliError> {
    RevocationList::from_json(&read_text(path)?).map_err(bad(&path.display().to_string()))
}

fn read_vk(keys: &Path) -> Result<VerifyingKey, CliError> {
    let p = keys.join("verifying.key");
    VerifyingKey::from_bytes(&read(&p)?).map_err(bad(&p.display().to_string()))
}

fn read_provider(path: &Path) -> Result<Provider, CliError> {
    let text = Zeroizing::new(read_text(path)?);
    Provider::from_secret_json(&text).map_err(bad(&path.display().to_string()))
}

fn read_holder(path: &Path) -> Result<Holder, CliError> {
    let text = Zeroizing::new(read_text(path)?);
    let secret = state::parse_holder_secret(&text)
        .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
    Ok(Holder::new(secret))
}

fn parse_claim(schema: &Schema, s: &str) -> Result<(String, ClaimValue), CliError> {
    let (name, value) = s
        .split_once('=')
        .ok_or_else(|| CliError::Input(format!("claim {s:?}: expected name=value")))?;
    let def = schema.claim(name).ok_or_else(|| {
        CliError::Input(format!("schema {} has no claim {name:?}", schema.name()))
    })?;
    let v = match def.kind {
        ClaimKind::U64 => ClaimValue::U64(value.parse().map_err(bad(name))?),
        ClaimKind::Text => ClaimValue::text(value),
        ClaimKind::Field => ClaimValue::Field(parse_fr(value, name)?),
        ClaimKind::Pii => {
            return Err(CliError::Input(format!(
                "claim {name:?} is personal data: issue it from the library, which keeps its salt"
            )))
        }
    };
    Ok((name.to_string(), v))
}

fn parse_predicate(schema: &Schema, s: &str) -> Result<Predicate, CliError> {
    // longest operators first
    for (text, op) in [
        ("==", Op::Eq),
        ("!=", Op::Ne),
        ("<=", Op::Le),
        (">=", Op::Ge),
        ("<", Op::Lt),
        (">", Op::Gt),
    ] {
        if let Some((name, value)) = s.split_once(text) {
            let (name, value) = (name.trim(), value.trim());
            let slot = schema.slot_of(name).ok_or_else(|| {
                CliError::Input(format!("schema {} has no claim {name:?}", schema.name()))
            })?;
            let def = schema
                .claim(name)
                .ok_or_else(|| CliError::Input(format!("no claim {name:?}")))?;
            return if op.is_order() {
                let v: u64 = value.parse().map_err(bad(name))?;
                Predicate::compare(slot, op, v).map_err(bad(s))
            } else {
                let v = match def.kind {
                    ClaimKind::U64 => Fr::from(value.parse::<u64>().map_err(bad(name))?),
                    ClaimKind::Text => ClaimValue::text(value).to_field(),
                    _ => parse_fr(value, name)?,
                };
                Predicate::new(slot, op, v).map_err(bad(s))
            };
        }
    }
    Err(CliError::Input(format!(
        "predicate {s:?}: expected `claim OP value`, OP one of == != < <= > >="
    )))
}

/// The verifier's issued challenges, kept in its state file: registered when a request is
/// made, consumed (and written to disk) before the proof is checked.
struct FileNonceStore {
    path: PathBuf,
    entries: Mutex<BTreeMap<String, IssuedChallenge>>,
    error: Mutex<Option<String>>,
}

impl FileNonceStore {
    fn open(path: &Path, verifier_id: &str) -> Result<Self, CliError> {
        let mut entries = BTreeMap::new();
        if path.exists() {
            let text = read_text(path)?;
            let in_file = |e: String| CliError::Input(format!("{}: {e}", path.display()));
            let (id, read) = state::parse_verifier_state(&text).map_err(in_file)?;
            if id != verifier_id {
                return Err(in_file(format!(
                    "the state of verifier {id:?}, not {verifier_id:?}"
                )));
            }
            entries = read;
        }
        Ok(FileNonceStore {
            path: path.to_path_buf(),
            entries: Mutex::new(entries),
            error: Mutex::new(None),
        })
    }

    fn save(
        &self,
        entries: &BTreeMap<String, IssuedChallenge>,
        verifier_id: &str,
    ) -> Result<(), CliError> {
        let doc = state::verifier_state_json(verifier_id, entries);
        write_atomic(&self.path, doc.as_bytes(), Access::Public, true)
    }
}

/// Adapter: the library's nonce store trait over the file, with the verifier id to save under.
struct StoreRef<'a> {
    store: &'a FileNonceStore,
    verifier_id: String,
}

impl NonceStore for StoreRef<'_> {
    fn register(&self, challenge: Fr, request_digest: [u8; 32], expires_at: u64) {
        if let Ok(mut map) = self.store.entries.lock() {
            map.entry(field::to_decimal(&challenge))
                .or_insert(IssuedChallenge::new(request_digest, expires_at));
            if let Err(CliError::Input(e) | CliError::Invalid(e)) =
                self.store.save(&map, &self.verifier_id)
            {
                if let Ok(mut err) = self.store.error.lock() {
                    *err = Some(e);
                }
            }
        }
    }

    fn consume(
        &self,
        challenge: Fr,
        request_digest: [u8; 32],
        now: u64,
    ) -> Result<(), VerifyError> {
        let mut map = self
            .store
            .entries
            .lock()
            .map_err(|_| VerifyError::ChallengeUnknown)?;
        map.get_mut(&field::to_decimal(&challenge))
            .ok_or(VerifyError::ChallengeUnknown)?
            .consume(request_digest, now)?;
        // on disk before the proof is checked; if it cannot be written, refuse
        self.store
            .save(&map, &self.verifier_id)
            .map_err(|_| VerifyError::ChallengeUnknown)
    }
}

/// Runs `f` while showing progress on stderr: a ticking elapsed time on a terminal, one line
/// otherwise (logs stay readable).
fn with_progress<T>(what: &str, f: impl FnOnce() -> T) -> T {
    use std::io::{IsTerminal, Write};
    use std::sync::atomic::{AtomicBool, Ordering};
    let done = AtomicBool::new(false);
    let start = Instant::now();
    std::thread::scope(|scope| {
        if std::io::stderr().is_terminal() {
            scope.spawn(|| {
                while !done.load(Ordering::Relaxed) {
                    eprint!("\r{what}... {:.1} s", start.elapsed().as_secs_f64());
                    let _ = std::io::stderr().flush();
                    std::thread::sleep(std::time::Duration::from_millis(200));
                }
                eprintln!("\r{what}: done in {:.1} s", start.elapsed().as_secs_f64());
            });
        } else {
            eprintln!("{what}...");
        }
        let out = f();
        done.store(true, Ordering::Relaxed);
        out
    })
}

fn output(json_mode: bool, text: String, value: Value) {
    if json_mode {
        println!("{value}");
    } else {
        println!("{text}");
    }
}

fn run(cli: Cli) -> Result<(), CliError> {
    let js = cli.json;
    match cli.command {
        Command::Setup { dir, force } => {
            std::fs::create_dir_all(&dir).map_err(|e| CliError::io(&dir, &e))?;
            for f in ["proving.key", "verifying.key"] {
                if !force && dir.join(f).exists() {
                    return Err(CliError::Input(format!(
                        "{} exists; pass --force to overwrite it",
                        dir.join(f).display()
                    )));
                }
            }
            let t = Instant::now();
            let (pk, vk) = with_progress("setup: synthesizing the circuit and making keys", || {
                setup_for_development(&mut OsRng)
            })
            .map_err(bad("setup"))?;
            write_atomic(
                &dir.join("proving.key"),
                &pk.to_bytes(),
                Access::Public,
                force,
            )?;
            write_atomic(
                &dir.join("verifying.key"),
                &vk.to_bytes(),
                Access::Public,
                force,
            )?;
            output(
                js,
                format!(
                    "keys written to {} in {:.1?}\nverifying key fingerprint: {}",
                    dir.display(),
                    t.elapsed(),
                    vk.fingerprint_hex()
                ),
                json!({"dir": dir, "fingerprint": vk.fingerprint_hex()}),
            );
        }
        Command::Provider(ProviderCmd::Keygen { out, public, force }) => {
            let p = Provider::generate(&mut OsRng);
            let pubjson = public_key_to_json(&p.public_key());
            write_atomic(
                &out,
                p.export_secret_json().as_bytes(),
                Access::Secret,
                force,
            )?;
            write_atomic(&public, pubjson.as_bytes(), Access::Public, force)?;
            output(
                js,
                format!(
                    "provider secret: {} (owner only)\npublic key: {}",
                    out.display(),
                    public.display()
                ),
                json!({"secret": out, "public": public}),
            );
        }
        Command::Provider(ProviderCmd::Issue {
            key,
            schema: name,
            holder,
            serial,
            valid_from,
            valid_until,
            claims,
            out,
            force,
        }) => {
            let provider = read_provider(&key)?;
            let s = schema(&name)?;
            let mut b = CredentialBuilder::new(&s)
                .holder(parse_fr(&holder, "--holder")?)
                .serial(Fr::from(serial))
                .validity(valid_from, valid_until);
            for c in &claims {
                let (n, v) = parse_claim(&s, c)?;
                b = b.claim(n, v);
            }
            let cred = provider.issue(b.build().map_err(bad("credential"))?);
            let text = cred.to_json(&s).map_err(bad("credential"))?;
            write_atomic(&out, text.as_bytes(), Access::Public, force)?;
            output(
                js,
                format!(
                    "credential {} (serial {serial}) written to {}",
                    s.name(),
                    out.display()
                ),
                json!({"credential": out, "schema": s.name(), "serial": serial}),
            );
        }
        Command::Provider(ProviderCmd::Revoke {
            key,
            serial,
            out,
            force,
        }) => {
            let provider = read_provider(&key)?;
            let req = provider.revoke(Fr::from(serial));
            write_atomic(&out, req.to_json().as_bytes(), Access::Public, force)?;
            output(
                js,
                format!(
                    "revocation request for serial {serial} written to {}",
                    out.display()
                ),
                json!({"request": out, "serial": serial}),
            );
        }
        Command::Registry(RegistryCmd::Init { files, force }) => {
            let t = now()?;
            write_atomic(
                &files.registry,
                Registry::new_at(t).to_snapshot_json().as_bytes(),
                Access::Public,
                force,
            )?;
            write_atomic(
                &files.revocations,
                RevocationList::new_at(t).to_json().as_bytes(),
                Access::Public,
                force,
            )?;
            output(
                js,
                format!(
                    "registry {} and revocation list {} created",
                    files.registry.display(),
                    files.revocations.display()
                ),
                json!({"registry": files.registry, "revocations": files.revocations}),
            );
        }
        Command::Registry(RegistryCmd::Approve { approval }) => {
            let (index, root) = change_approval(&approval, "approve", |reg, key, id, t| {
                reg.approve(key, id, t)
            })?;
            let s = schema(&approval.schema)?;
            output(
                js,
                format!(
                    "approved for {} at index {index}; new root {root}",
                    s.name()
                ),
                json!({"index": index, "schema": s.name(), "root": root}),
            );
        }
        Command::Registry(RegistryCmd::Withdraw { approval }) => {
            let (_, root) = change_approval(&approval, "withdraw", |reg, key, id, t| {
                reg.withdraw(key, id, t)
            })?;
            let s = schema(&approval.schema)?;
            output(
                js,
                format!("withdrawn for {}; new root {root}", s.name()),
                json!({"schema": s.name(), "root": root}),
            );
        }
        Command::Registry(RegistryCmd::Revoke { files, request }) => {
            let reg = read_registry(&files.registry)?;
            let mut list = read_revocations(&files.revocations)?;
            let req = RevocationRequest::from_json(&read_text(&request)?)
                .map_err(bad(&request.display().to_string()))?;
            let id = list.revoke(&req, &reg, now()?).map_err(bad("revoke"))?;
            write_atomic(
                &files.revocations,
                list.to_json().as_bytes(),
                Access::Public,
                true,
            )?;
            let root = field::to_decimal(&list.root());
            output(
                js,
                format!(
                    "revoked (id {}); new revocation root {root}",
                    field::to_decimal(&id)
                ),
                json!({"id": field::to_decimal(&id), "root": root}),
            );
        }
        Command::Registry(RegistryCmd::Witness { files, credential }) => {
            let reg = read_registry(&files.registry)?;
            let list = read_revocations(&files.revocations)?;
            let cred = SignedCredential::from_json(&read_text(&credential)?)
                .map_err(bad(&credential.display().to_string()))?;
            let c = cred.credential();
            let dec = |x: &Fr| field::to_decimal(x);
            let siblings = |levels: &[Vec<Fr>]| -> Vec<Vec<String>> {
                levels.iter().map(|l| l.iter().map(dec).collect()).collect()
            };
            let approval = reg
                .approval_path(cred.provider(), c.schema_id())
                .map_err(bad("approval"))?;
            let revoked = list.is_revoked(cred.provider(), &c.serial());
            let non_revocation = if revoked {
                Value::Null
            } else {
                let w = list
                    .witness(cred.provider(), &c.serial())
                    .map_err(bad("revocation witness"))?;
                json!({
                    "low_value": dec(&w.low_value),
                    "low_next": dec(&w.low_next),
                    "index": w.path.index,
                    "siblings": siblings(&w.path.siblings),
                })
            };
            let v = json!({
                "version": 1,
                "kind": "vouchsafe-witness",
                "issuers_root": dec(&reg.root()),
                "approval": {"index": approval.index, "siblings": siblings(&approval.siblings)},
                "revocation_root": dec(&list.root()),
                "revoked": revoked,
                "non_revocation": non_revocation,
            });
            output(
                js,
                format!(
                    "approved at index {}; {}",
                    approval.index,
                    if revoked { "REVOKED" } else { "not revoked" }
                ),
                v,
            );
        }
        Command::Registry(RegistryCmd::Export { files, out }) => {
            let reg = read_registry(&files.registry)?;
            let list = read_revocations(&files.revocations)?;
            std::fs::create_dir_all(&out).map_err(|e| CliError::io(&out, &e))?;
            let roots = json!({
                "version": 1,
                "issuers_root": field::to_decimal(&reg.root()),
                "revocation_root": field::to_decimal(&list.root()),
            });
            for (name, text) in [
                ("registry.json", reg.to_snapshot_json()),
                ("revocations.json", list.to_json()),
                ("roots.json", roots.to_string()),
            ] {
                write_atomic(&out.join(name), text.as_bytes(), Access::Public, true)?;
            }
            output(
                js,
                format!(
                    "registry.json, revocations.json and roots.json written to {}",
                    out.display()
                ),
                json!({"dir": out, "roots": roots}),
            );
        }
        Command::Registry(RegistryCmd::Root { files }) => {
            let reg = read_registry(&files.registry)?;
            let list = read_revocations(&files.revocations)?;
            let (a, b) = (
                field::to_decimal(&reg.root()),
                field::to_decimal(&list.root()),
            );
            output(
                js,
                format!("issuers root:    {a}\nrevocation root: {b}"),
                json!({"issuers_root": a, "revocation_root": b}),
            );
        }
        Command::Holder(HolderCmd::Init { out, force }) => {
            let holder = Holder::generate(&mut OsRng);
            let text = state::holder_secret_json(holder.secret());
            write_atomic(&out, text.as_bytes(), Access::Secret, force)?;
            let c = field::to_decimal(&holder.commitment());
            output(
                js,
                format!(
                    "holder secret: {} (owner only)\ncommitment (give it to providers): {c}",
                    out.display()
                ),
                json!({"secret": out, "commitment": c}),
            );
        }
        Command::Holder(HolderCmd::Accept {
            secret,
            credential,
            registry,
        }) => {
            let holder = read_holder(&secret)?;
            let cred = SignedCredential::from_json(&read_text(&credential)?)
                .map_err(bad(&credential.display().to_string()))?;
            let reg = read_registry(&registry)?;
            holder
                .accept(&cred, &reg)
                .map_err(bad("credential refused"))?;
            output(js, "credential accepted".into(), json!({"accepted": true}));
        }
        Command::Holder(HolderCmd::Prove {
            keys,
            secret,
            credential,
            request,
            files,
            out,
            force,
        }) => {
            let holder = read_holder(&secret)?;
            let cred = SignedCredential::from_json(&read_text(&credential)?)
                .map_err(bad(&credential.display().to_string()))?;
            let req = Request::from_json(&read_text(&request)?)
                .map_err(bad(&request.display().to_string()))?;
            let reg = read_registry(&files.registry)?;
            let list = read_revocations(&files.revocations)?;
            let p = keys.join("proving.key");
            let pk = ProvingKey::from_bytes(&read(&p)?).map_err(bad(&p.display().to_string()))?;
            let t = Instant::now();
            let pres = holder
                .prove(&pk, &req, &cred, &reg, &list, &mut OsRng)
                .map_err(bad("cannot prove"))?;
            write_atomic(&out, pres.to_json().as_bytes(), Access::Public, force)?;
            output(
                js,
                format!(
                    "presentation written to {} (proved in {:.1?})",
                    out.display(),
                    t.elapsed()
                ),
                json!({"presentation": out, "prove_ms": t.elapsed().as_millis() as u64}),
            );
        }
        Command::Verifier(VerifierCmd::Request {
            keys,
            state,
            id,
            schema: name,
            predicates,
            scope,
            out,
            force,
        }) => {
            let vk = read_vk(&keys)?;
            let s = schema(&name)?;
            if predicates.len() > PREDICATES {
                return Err(CliError::Input(format!("at most {PREDICATES} predicates")));
            }
            let mut preds = [Predicate::none(); PREDICATES];
            for (slot, p) in preds.iter_mut().zip(&predicates) {
                *slot = parse_predicate(&s, p)?;
            }
            let policy = Policy {
                schema_id: s.id(),
                predicates: preds,
            };
            let store = FileNonceStore::open(&state, &id)?;
            let verifier = Verifier::with_store(
                vk.prepare(),
                VerifierConfig::new(id.clone()),
                RegistryRoots::new(Default::default(), Default::default()),
                StoreRef {
                    store: &store,
                    verifier_id: id.clone(),
                },
            );
            let req = verifier
                .request(policy, scope.as_deref(), now()?, &mut OsRng)
                .map_err(bad("request"))?;
            if let Ok(Some(e)) = store.error.lock().map(|e| e.clone()) {
                return Err(CliError::Input(format!("state not saved: {e}")));
            }
            write_atomic(&out, req.to_json().as_bytes(), Access::Public, force)?;
            output(
                js,
                format!("request written to {}", out.display()),
                json!({"request": out}),
            );
        }
        Command::Export(ExportCmd::Snarkjs {
            keys,
            request,
            presentation,
            out,
        }) => {
            let v = export_snarkjs(&keys, &request, &presentation, &out)?;
            output(js, format!("snarkjs files written to {}", out.display()), v);
        }
        Command::Verifier(VerifierCmd::Verify {
            keys,
            state,
            id,
            request,
            presentation,
            batch,
            files,
        }) => {
            let vk = read_vk(&keys)?;
            let items = match (batch, request, presentation) {
                (Some(dir), _, _) => batch_pairs(&dir)?,
                (None, Some(rp), Some(pp)) => {
                    let r = Request::from_json(&read_text(&rp)?)
                        .map_err(bad(&rp.display().to_string()))?;
                    let p = Presentation::from_json(&read_text(&pp)?)
                        .map_err(bad(&pp.display().to_string()))?;
                    vec![(pp.display().to_string(), r, p)]
                }
                _ => {
                    return Err(CliError::Input(
                        "give --request and --presentation, or --batch".into(),
                    ))
                }
            };
            let single = items.len() == 1;
            let reg = read_registry(&files.registry)?;
            let list = read_revocations(&files.revocations)?;
            let store = FileNonceStore::open(&state, &id)?;
            let verifier = Verifier::with_store(
                vk.prepare(),
                VerifierConfig::new(id.clone()),
                RegistryRoots::new(reg.accepted_roots(), list.accepted_roots()),
                StoreRef {
                    store: &store,
                    verifier_id: id.clone(),
                },
            );
            let pairs: Vec<(&Request, &Presentation)> =
                items.iter().map(|(_, r, p)| (r, p)).collect();
            let results = verifier.verify_many(&pairs, now()?);
            let mut lines = Vec::new();
            let mut rows = Vec::new();
            let mut invalid = 0usize;
            for ((name, _, _), r) in items.iter().zip(&results) {
                match r {
                    Ok(v) => {
                        let n = v.nullifier.map(|n| field::to_decimal(&n));
                        let p = n
                            .as_ref()
                            .map(|n| format!("; pseudonym {n}"))
                            .unwrap_or_default();
                        lines.push(if single {
                            format!("VALID: the policy holds{p}")
                        } else {
                            format!("VALID {name}: the policy holds{p}")
                        });
                        rows.push(json!({"name": name, "valid": true, "pseudonym": n}));
                    }
                    Err(e) => {
                        if single {
                            return Err(CliError::Invalid(e.to_string()));
                        }
                        invalid = invalid.saturating_add(1);
                        lines.push(format!("INVALID {name}: {e}"));
                        rows.push(json!({"name": name, "valid": false, "error": e.to_string()}));
                    }
                }
            }
            if single {
                let row = rows.first().cloned().unwrap_or(Value::Null);
                let text = lines.first().cloned().unwrap_or_default();
                output(
                    js,
                    text,
                    json!({"valid": true, "pseudonym": row.get("pseudonym")}),
                );
                return Ok(());
            }
            output(
                js,
                lines.join("\n"),
                json!({"valid": invalid == 0, "results": rows}),
            );
            if invalid > 0 {
                return Err(CliError::Invalid(format!(
                    "{invalid} of {} presentations are invalid",
                    results.len()
                )));
            }
        }
    }
    Ok(())
}

fn export_snarkjs(
    keys: &Path,
    request: &Path,
    presentation: &Path,
    out: &Path,
) -> Result<Value, CliError> {
    let vk = read_vk(keys)?;
    let req =
        Request::from_json(&read_text(request)?).map_err(bad(&request.display().to_string()))?;
    let pres = Presentation::from_json(&read_text(presentation)?)
        .map_err(bad(&presentation.display().to_string()))?;
    let files = vouchsafe::export::snarkjs::Export::for_presentation(&vk, &req, &pres)
        .write_to_dir(out)
        .map_err(bad("export"))?;
    Ok(json!({
        "verification_key": files.verification_key,
        "proof": files.proof,
        "public": files.public,
    }))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let js = cli.json;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Invalid(e)) => {
            if js {
                println!("{}", json!({"valid": false, "error": e}));
            } else {
                println!("INVALID: {e}");
            }
            ExitCode::from(1)
        }
        Err(CliError::Input(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_folder_holds_at_most_max_batch_pairs() {
        let dir = std::env::temp_dir().join(format!("vouchsafe-batch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for i in 0..=MAX_BATCH_PAIRS {
            std::fs::write(dir.join(format!("{i}.request.json")), b"").unwrap();
        }
        let result = batch_pairs(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
        match result {
            Err(CliError::Input(m)) => {
                assert!(m.contains("more than 10000 NAME.request.json files"), "{m}")
            }
            Err(CliError::Invalid(m)) => panic!("not an input error: {m}"),
            Ok(pairs) => panic!("{} pairs accepted", pairs.len()),
        }
    }
}
