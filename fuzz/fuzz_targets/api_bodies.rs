//! Every body of the API, as the other side could send it: the first byte
//! picks the type, the rest is the JSON text. Reading answers a value or
//! an error, never panics; what is read is written back to JSON that reads
//! again as the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use motcua_api::model::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn round_trip<T: Serialize + DeserializeOwned>(text: &[u8]) {
    let Ok(value) = serde_json::from_slice::<T>(text) else {
        return;
    };
    let first = serde_json::to_value(&value).expect("what was read is written");
    let again: T = serde_json::from_value(first.clone()).expect("what was written reads back");
    let second: Value = serde_json::to_value(&again).expect("written again");
    assert_eq!(first, second);
}

/// The request bodies first (what central reads), then the answers and
/// events (what the devices read).
const TYPES: &[fn(&[u8])] = &[
    round_trip::<EnrollRequest>,
    round_trip::<NewTicket>,
    round_trip::<OfflineTicket>,
    round_trip::<VoidTicket>,
    round_trip::<CallRequest>,
    round_trip::<CounterRequest>,
    round_trip::<TransferRequest>,
    round_trip::<DossierIn>,
    round_trip::<StatusUpdate>,
    round_trip::<LookupRequest>,
    round_trip::<RatingIn>,
    round_trip::<NewKey>,
    round_trip::<CallNumber>,
    round_trip::<Enrolled>,
    round_trip::<Device>,
    round_trip::<Ticket>,
    round_trip::<GroupWaiting>,
    round_trip::<QueueEvent>,
    round_trip::<DossierOut>,
    round_trip::<LookupAnswer>,
    round_trip::<BoardState>,
    round_trip::<Created>,
    round_trip::<PublicKey>,
    round_trip::<DossierCode>,
    round_trip::<ApiVersion>,
    round_trip::<motcua_api::error::ErrorBody>,
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, text)) = data.split_first() else {
        return;
    };
    TYPES[usize::from(pick) % TYPES.len()](text);
});
