//! Signed credential JSON (FORMATS.md 2.2). Re-encoding needs the schema's name and version,
//! which the credential carries and its slot 0 commits to.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vouchsafe::credential::SignedCredential;
use vouchsafe::schema::Schema;

fn schema_named_in(text: &str) -> Option<Schema> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    let s = v.get("schema")?;
    let name = s.get("name")?.as_str()?;
    let version = u32::try_from(s.get("version")?.as_u64()?).ok()?;
    Schema::new(name, version, Vec::new()).ok()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if SignedCredential::from_json(text).is_err() {
        return;
    }
    let schema = schema_named_in(text).expect("an accepted credential names a valid schema");
    vouchsafe_fuzz::json_round_trip(data, SignedCredential::from_json, |c| {
        c.to_json(&schema)
            .expect("the credential is of the schema it names")
    });
});
