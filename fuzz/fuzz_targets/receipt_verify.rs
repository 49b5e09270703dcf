//! Receipt texts. The first byte picks how the rest is used:
//! - even: as the text a station's scanner reads (any text). Verifying
//!   answers the receipt or why it is refused, never panics; whatever
//!   verifies is exactly the text the office's key makes for it (one text
//!   per receipt), and reading it without the key says the same;
//! - odd: as the signed bytes of a payload, signed here with the office's
//!   key (a fuzzer cannot forge a signature, so this is how it reaches
//!   everything past the signature check). A payload that reads is signed
//!   again and verifies as the very same receipt; with its key retired at
//!   the second it was signed it is refused, retired a second later it
//!   verifies and says when.
#![no_main]

use ed25519_dalek::{Signer, SigningKey};
use libfuzzer_sys::fuzz_target;
use motcua_core::receipt::{KnownKey, PREFIX, Payload, ReceiptError, decode_unverified, verify, verify_known};

/// The key the seed receipts are signed with (`fuzz/README.md`).
fn key() -> SigningKey {
    SigningKey::from_bytes(&[7u8; 32])
}

fn check_text(text: &str) {
    let unverified = decode_unverified(text);
    let public = key().verifying_key();
    let Ok(payload) = verify(text, |_, _| Some(public)) else {
        return;
    };
    assert_eq!(unverified.as_ref(), Ok(&payload));
    let signed = payload.sign(&key()).expect("a verified receipt signs again");
    assert_eq!(signed, text.trim());
}

fn check_payload(bytes: &[u8]) {
    let mut signed = bytes.to_vec();
    signed.extend_from_slice(&key().sign(bytes).to_bytes());
    let text = format!("{PREFIX}{}", base45::encode(&signed));
    let public = key().verifying_key();
    let Ok(payload) = Payload::decode(bytes) else {
        assert!(verify(&text, |_, _| Some(public)).is_err());
        return;
    };
    let again = payload.sign(&key()).expect("a payload that reads is signed again");
    match verify(&again, |_, _| Some(public)) {
        Ok(back) => assert_eq!(back, payload, "{again}"),
        Err(e) => {
            assert!(payload.key_id == 0, "{payload:?} signed as {again}: {e}");
            return;
        }
    }
    let retired_at = |at: jiff::Timestamp| {
        move |_: &str, _: u16| {
            Some(KnownKey {
                key: public,
                retired: Some(at),
            })
        }
    };
    let signed = payload.received;
    assert!(matches!(
        verify_known(&again, retired_at(signed)),
        Err(ReceiptError::SignedAfterRetirement { retired, signed: s, .. }) if retired == signed && s == signed
    ));
    if let Ok(later) = signed.checked_add(jiff::SignedDuration::from_secs(1)) {
        let verified = verify_known(&again, retired_at(later)).expect("signed before its key was retired");
        assert_eq!(verified.payload, payload);
        assert_eq!(verified.retired, Some(later));
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode & 1 == 1 {
        check_payload(rest);
    } else if let Ok(text) = std::str::from_utf8(rest) {
        check_text(text);
    }
});
