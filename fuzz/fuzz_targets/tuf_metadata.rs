//! TUF metadata: the bytes as a trusted root (`sigstore_tuf::Client::new`), and as a timestamp
//! given to a client that trusts the npm registry's real root 15 (`load_trusted_timestamp`,
//! then `feed` at the timestamp step), and as that client's next root (`feed` at the root step).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sigstore_tuf::Client;
use sigstore_verifier::Time;

const ROOT: &[u8] = include_bytes!("../../tests/data/tuf/metadata/root_history/15.root.json");
// 2026-08-01T00:00:00Z: inside root 15's and the test timestamp's validity.
const NOW: Time = Time::from_unix(1_785_542_400);

/// (a client at the root step, a client at the timestamp step)
fn clients() -> &'static (Client, Client) {
    static C: OnceLock<(Client, Client)> = OnceLock::new();
    C.get_or_init(|| {
        let Ok(at_root) = Client::new(ROOT, NOW) else { std::process::abort() };
        let mut at_timestamp = at_root.clone();
        if at_timestamp.not_found().is_err() {
            std::process::abort()
        }
        (at_root, at_timestamp)
    })
}

fuzz_target!(|data: &[u8]| {
    let _ = Client::new(data, NOW);
    let (at_root, at_timestamp) = clients();
    let _ = at_root.clone().load_trusted_timestamp(data);
    let _ = at_timestamp.clone().feed(data);
    let _ = at_root.clone().feed(data);
});
