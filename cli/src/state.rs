//! The command's own JSON files (docs/FORMATS.md 3.2 and 3.3): the holder secret and the
//! verifier state, each with a strict decoder and the one encoder that writes it. Separate
//! from the command's `main.rs` so that the fuzz targets (`fuzz/`) can call them. Errors are
//! messages, which the command prefixes with the file's path.

use serde::Deserialize;
use std::collections::BTreeMap;
use vouchsafe::holder::HolderSecret;
use vouchsafe::primitives::field;
use vouchsafe::verifier::IssuedChallenge;
use zeroize::Zeroizing;

/// The holder secret file: exactly `{"version":1,"holder_secret":"<64 lowercase hex>"}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolderFile<'a> {
    version: u64,
    holder_secret: &'a str,
}

/// Reads a holder secret file: version 1, the secret as 64 lowercase hex digits of its
/// little-endian encoding, below r.
pub fn parse_holder_secret(text: &str) -> Result<HolderSecret, String> {
    // borrowed from the text: the secret is not copied while parsing
    let f: HolderFile<'_> =
        serde_json::from_str(text).map_err(|_| "not a holder secret file".to_string())?;
    if f.version != 1 {
        return Err(format!(
            "holder secret version {} (this build reads version 1)",
            f.version
        ));
    }
    let mut bytes = Zeroizing::new([0u8; 32]);
    if !decode_hex32(f.holder_secret, &mut bytes) {
        return Err("the holder secret must be 64 lowercase hex digits".into());
    }
    HolderSecret::from_bytes(&bytes[..]).map_err(|e| e.to_string())
}

/// The holder secret file's text (a secret: write it owner-only).
pub fn holder_secret_json(secret: &HolderSecret) -> Zeroizing<String> {
    let bytes = secret.export_bytes();
    let mut text = Zeroizing::new(String::with_capacity(120));
    text.push_str("{\"version\":1,\"holder_secret\":\"");
    for b in bytes.iter() {
        push_hex(&mut text, *b);
    }
    text.push_str("\"}");
    text
}

/// Only the version of a file.
#[derive(Deserialize)]
struct VersionProbe {
    version: u64,
}

/// The verifier state file (docs/FORMATS.md 3.3), read strictly.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StateFile {
    #[allow(dead_code)]
    version: u64,
    verifier_id: String,
    challenges: BTreeMap<String, ChallengeEntry>,
}

/// One issued challenge.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChallengeEntry {
    request_sha256: String,
    expires_at: u64,
    used: bool,
}

/// A verifier's state: its id and its issued challenges, keyed by the challenge in decimal.
pub type VerifierState = (String, BTreeMap<String, IssuedChallenge>);

/// Reads a verifier state file: the version first (so that a newer file is reported as
/// such), then the whole file strictly, with every challenge key a canonical decimal field
/// element and every digest 64 lowercase hex digits.
pub fn parse_verifier_state(text: &str) -> Result<VerifierState, String> {
    let probe: VersionProbe =
        serde_json::from_str(text).map_err(|_| "not a verifier state file".to_string())?;
    if probe.version != 1 {
        return Err(format!(
            "verifier state version {} (this build reads version 1)",
            probe.version
        ));
    }
    let f: StateFile =
        serde_json::from_str(text).map_err(|e| format!("not a verifier state file: {e}"))?;
    let mut entries = BTreeMap::new();
    for (k, e) in f.challenges {
        let canonical = field::parse_decimal(&k)
            .map(|c| field::to_decimal(&c) == k)
            .unwrap_or(false);
        if !canonical {
            return Err(format!("challenge {k:?} is not a canonical field element"));
        }
        let mut request_digest = [0u8; 32];
        if !decode_hex32(&e.request_sha256, &mut request_digest) {
            return Err(format!(
                "request_sha256 of {k:?} is not 64 lowercase hex digits"
            ));
        }
        let issued = IssuedChallenge {
            request_digest,
            expires_at: e.expires_at,
            used: e.used,
        };
        entries.insert(k, issued);
    }
    Ok((f.verifier_id, entries))
}

/// The verifier state file's text.
pub fn verifier_state_json(
    verifier_id: &str,
    entries: &BTreeMap<String, IssuedChallenge>,
) -> String {
    let challenges: serde_json::Map<String, serde_json::Value> = entries
        .iter()
        .map(|(k, c)| {
            let entry = serde_json::json!({
                "request_sha256": to_hex(&c.request_digest),
                "expires_at": c.expires_at,
                "used": c.used,
            });
            (k.clone(), entry)
        })
        .collect();
    serde_json::json!({"version": 1, "verifier_id": verifier_id, "challenges": challenges})
        .to_string()
}

fn push_hex(out: &mut String, b: u8) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for nibble in [b >> 4, b & 0x0f] {
        if let Some(&d) = DIGITS.get(usize::from(nibble)) {
            out.push(char::from(d));
        }
    }
}

/// Lowercase hex.
pub fn to_hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len().saturating_mul(2));
    for b in bytes {
        push_hex(&mut s, *b);
    }
    s
}

/// Decodes exactly 64 lowercase hex digits into `out` (in place, so that a secret is never
/// copied); false, with `out` unspecified, for anything else.
pub fn decode_hex32(hex: &str, out: &mut [u8; 32]) -> bool {
    let h = hex.as_bytes();
    if h.len() != 64 || !h.iter().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')) {
        return false;
    }
    let nibble = |c: u8| match c {
        b'0'..=b'9' => c.checked_sub(b'0'),
        b'a'..=b'f' => c.checked_sub(b'a').and_then(|v| v.checked_add(10)),
        _ => None,
    };
    // 64 checked digits make 32 pairs: the `return false` below is never taken.
    for (b, pair) in out.iter_mut().zip(h.chunks_exact(2)) {
        let (Some(hi), Some(lo)) = (match pair {
            [hi, lo] => (nibble(*hi), nibble(*lo)),
            _ => (None, None),
        }) else {
            return false;
        };
        *b = hi << 4 | lo;
    }
    true
}
