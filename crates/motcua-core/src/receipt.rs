//! The QR receipt ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"): a compact
//! signed payload that lets any station prove offline that this office
//! issued it, and lets a citizen's lookup find the dossier, with no
//! personal data in it.
//!
//! Text form: `MC1:` + Base45 (RFC 9285) of `payload ‖ Ed25519 signature`,
//! all in the QR alphanumeric alphabet, encoded at error correction Q in a
//! QR of version 10 or lower.
//!
//! Payload, version 1 (big-endian):
//! `version u8 · key id u16 · received unix seconds u32 · appointment
//! days since 2000-01-01 u16 · lookup secret [u8; 8] · office (u8 length,
//! bytes) · dossier code (u8 length, bytes: the part after "office-",
//! or '=' and the whole code when it does not start so or that part
//! starts with '=') ·
//! procedure code (u8 length, bytes)`.
//!
//! Here the text is made and checked; the keys are kept, and the QR drawn,
//! by the device (`motcua::receipt`).

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use jiff::Timestamp;
use jiff::civil::Date;

use crate::i18n::{Lang, say};

/// The prefix of every receipt text; its digit is the format version.
pub const PREFIX: &str = "MC1:";
const VERSION: u8 = 1;
const EPOCH: Date = jiff::civil::date(2000, 1, 1);
/// The largest QR version a receipt may need.
pub const MAX_QR_VERSION: i16 = 10;

/// The key id of sample receipts (`motcua receipt sample`), signed with a
/// throwaway key that lives in memory only. Real keys are numbered from 1
/// (central hands out `max + 1`; a counter standing alone uses 1), so no
/// real receipt carries it, no keyring holds it and no station ever
/// calls a sample genuine.
pub const SAMPLE_KEY_ID: u16 = 0;

/// What a receipt says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payload {
    /// Id of the signing key, within the office.
    pub key_id: u16,
    /// Office code, e.g. `000.00.01.H26`.
    pub office: String,
    /// Dossier code, e.g. `000.00.01.H26-261128-0001`.
    pub dossier_code: String,
    /// National procedure code.
    pub procedure: String,
    /// When the dossier was received (to the second).
    pub received: Timestamp,
    /// The appointment day to return the result.
    pub appointment: Date,
    /// The random secret that, with the dossier code, opens the citizen's lookup.
    pub secret: [u8; 8],
}

/// Why a receipt text is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    #[error("not a motcua receipt (it does not start with MC and a version)")]
    Malformed,
    #[error("receipt format version {0} is not known to this version of motcua")]
    UnknownVersion(String),
    #[error("the receipt text is damaged: {0}")]
    Damaged(&'static str),
    #[error("no public key {key_id} is known for office {office}")]
    UnknownKey { office: String, key_id: u16 },
    #[error("the signature does not match: the receipt was altered or forged")]
    BadSignature,
    #[error("a field is too long to fit a receipt: {0}")]
    TooLong(&'static str),
    #[error("a sample receipt (MẪU / SAMPLE), signed with a throwaway key: not a real receipt")]
    Sample,
    #[error("receipt key {key_id} of office {office} was retired at {}, and the receipt says it was signed at {}, after that: it is not valid", shown(*retired), shown(*signed))]
    SignedAfterRetirement {
        office: String,
        key_id: u16,
        retired: Timestamp,
        signed: Timestamp,
    },
}

/// A time as the office reads it.
pub fn shown(at: Timestamp) -> String {
    crate::time::local(at).strftime("%H:%M:%S %d/%m/%Y").to_string()
}

/// A public key a station knows, with when central retired it, if it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownKey {
    pub key: VerifyingKey,
    pub retired: Option<Timestamp>,
}

/// A receipt that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub payload: Payload,
    /// When its key (`payload.key_id`) was retired, if it was: after the
    /// receipt was signed, or the receipt would have been refused.
    pub retired: Option<Timestamp>,
}

impl Verified {
    /// What to tell about the signing key, when it has been retired since:
    /// which key and when, in `lang`.
    pub fn retired_note(&self, lang: Lang) -> Option<String> {
        let at = self.retired?;
        Some(say(
            lang,
            "receipt-key-retired-after",
            &[("key_id", self.payload.key_id.to_string()), ("retired", shown(at))],
        ))
    }
}

impl ReceiptError {
    /// The reason in Vietnamese, for the counter's screen.
    pub fn vi(&self) -> String {
        self.text(Lang::Vi)
    }

    /// The reason in `lang`, from the Fluent resources (`messages.ftl`).
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Self::Malformed => say(lang, "receipt-error-malformed", &[]),
            Self::UnknownVersion(v) => say(lang, "receipt-error-unknown-version", &[("version", v.clone())]),
            Self::Damaged(why) => say(lang, "receipt-error-damaged", &[("reason", why.to_string())]),
            Self::UnknownKey { office, key_id } => say(
                lang,
                "receipt-error-unknown-key",
                &[("office", office.clone()), ("key_id", key_id.to_string())],
            ),
            Self::BadSignature => say(lang, "receipt-error-bad-signature", &[]),
            Self::TooLong(what) => say(lang, "receipt-error-too-long", &[("reason", what.to_string())]),
            Self::Sample => say(lang, "receipt-error-sample", &[]),
            Self::SignedAfterRetirement {
                office,
                key_id,
                retired,
                signed,
            } => say(
                lang,
                "receipt-error-retired-key",
                &[
                    ("office", office.clone()),
                    ("key_id", key_id.to_string()),
                    ("retired", shown(*retired)),
                    ("signed", shown(*signed)),
                ],
            ),
        }
    }
}

/// The lookup secret as the citizen types it: 16 hex digits.
pub fn secret_text(secret: &[u8; 8]) -> String {
    crate::ids::hex(secret).to_uppercase()
}

/// A fresh random lookup secret.
pub fn new_secret() -> [u8; 8] {
    let mut s = [0u8; 8];
    getrandom::fill(&mut s).expect("random bytes");
    s
}

fn push_str(out: &mut Vec<u8>, s: &str, what: &'static str) -> Result<(), ReceiptError> {
    let len = u8::try_from(s.len()).map_err(|_| ReceiptError::TooLong(what))?;
    out.push(len);
    out.extend_from_slice(s.as_bytes());
    Ok(())
}

impl Payload {
    /// The bytes that are signed.
    pub fn encode(&self) -> Result<Vec<u8>, ReceiptError> {
        let mut out = Vec::with_capacity(64);
        out.push(VERSION);
        out.extend_from_slice(&self.key_id.to_be_bytes());
        let secs = u32::try_from(self.received.as_second()).map_err(|_| ReceiptError::TooLong("received"))?;
        out.extend_from_slice(&secs.to_be_bytes());
        let days = (self.appointment - EPOCH).get_days();
        let days = u16::try_from(days).map_err(|_| ReceiptError::TooLong("appointment"))?;
        out.extend_from_slice(&days.to_be_bytes());
        out.extend_from_slice(&self.secret);
        push_str(&mut out, &self.office, "office")?;
        // The code usually starts with the office code: carry only the
        // rest. Any other code, or one whose rest starts with the marker
        // '=' itself (it would read as a whole code), is carried whole
        // after the marker.
        let prefix = format!("{}-", self.office);
        let field = match self.dossier_code.strip_prefix(&prefix) {
            Some(rest) if !rest.starts_with('=') => rest.to_string(),
            _ => format!("={}", self.dossier_code),
        };
        push_str(&mut out, &field, "dossier code")?;
        push_str(&mut out, &self.procedure, "procedure")?;
        Ok(out)
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, ReceiptError> {
        let mut r = Reader(bytes);
        let version = r.u8()?;
        if version != VERSION {
            return Err(ReceiptError::UnknownVersion(format!("payload {version}")));
        }
        let key_id = u16::from_be_bytes(r.take::<2>()?);
        let secs = u32::from_be_bytes(r.take::<4>()?);
        let days = u16::from_be_bytes(r.take::<2>()?);
        let secret = r.take::<8>()?;
        let office = r.string()?;
        let suffix = r.string()?;
        let procedure = r.string()?;
        if !r.0.is_empty() {
            return Err(ReceiptError::Damaged("bytes after the payload"));
        }
        let dossier_code = match suffix.strip_prefix('=') {
            Some(whole) => whole.to_string(),
            None => format!("{office}-{suffix}"),
        };
        let appointment = EPOCH
            .checked_add(jiff::Span::new().days(i64::from(days)))
            .map_err(|_| ReceiptError::Damaged("appointment"))?;
        Ok(Self {
            key_id,
            office,
            dossier_code,
            procedure,
            received: Timestamp::from_second(i64::from(secs)).map_err(|_| ReceiptError::Damaged("received"))?,
            appointment,
            secret,
        })
    }

    /// Signs and encodes the receipt text for the QR.
    pub fn sign(&self, key: &SigningKey) -> Result<String, ReceiptError> {
        let mut bytes = self.encode()?;
        let signature = key.sign(&bytes);
        bytes.extend_from_slice(&signature.to_bytes());
        Ok(format!("{PREFIX}{}", base45::encode(&bytes)))
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], ReceiptError> {
        if self.0.len() < N {
            return Err(ReceiptError::Damaged("the payload is cut short"));
        }
        let (head, rest) = self.0.split_at(N);
        self.0 = rest;
        Ok(head.try_into().expect("N bytes"))
    }

    fn u8(&mut self) -> Result<u8, ReceiptError> {
        Ok(self.take::<1>()?[0])
    }

    fn string(&mut self) -> Result<String, ReceiptError> {
        let len = self.u8()? as usize;
        if self.0.len() < len {
            return Err(ReceiptError::Damaged("a field is cut short"));
        }
        let (s, rest) = self.0.split_at(len);
        self.0 = rest;
        let s = std::str::from_utf8(s).map_err(|_| ReceiptError::Damaged("a field is not text"))?;
        if s.chars().any(char::is_control) {
            return Err(ReceiptError::Damaged("a field has control characters"));
        }
        Ok(s.to_string())
    }
}

/// Reads a receipt text and checks its signature with the key `find`
/// gives for (office, key id), a key never retired. Whitespace around the
/// text (a scanner's Enter) is ignored; anything else must be exact.
pub fn verify(text: &str, find: impl Fn(&str, u16) -> Option<VerifyingKey>) -> Result<Payload, ReceiptError> {
    verify_known(text, |office, key_id| {
        find(office, key_id).map(|key| KnownKey { key, retired: None })
    })
    .map(|v| v.payload)
}

/// Reads a receipt text and checks it with the key `find` gives: the
/// signature, and that the receipt was signed (its `received` time) before
/// the key was retired, if it was. A receipt signed at or after the key's
/// retirement is refused; one signed before verifies and says when its key
/// was retired.
///
/// The signing time is what the receipt says: a stolen counter can still
/// date a receipt before its revocation. Such a receipt names the retired
/// key and its retirement, and its dossier is not on central.
pub fn verify_known(text: &str, find: impl Fn(&str, u16) -> Option<KnownKey>) -> Result<Verified, ReceiptError> {
    let text = text.trim();
    let Some(rest) = text.strip_prefix("MC") else {
        return Err(ReceiptError::Malformed);
    };
    let Some((version, body)) = rest.split_once(':') else {
        return Err(ReceiptError::Malformed);
    };
    if version != "1" {
        return Err(ReceiptError::UnknownVersion(version.chars().take(8).collect()));
    }
    let bytes = base45::decode(body).map_err(|_| ReceiptError::Damaged("not Base45"))?;
    // One text per receipt: a different spelling of the same bytes is refused.
    if base45::encode(&bytes) != body {
        return Err(ReceiptError::Damaged("not in canonical Base45"));
    }
    if bytes.len() < 64 {
        return Err(ReceiptError::Damaged("too short to hold a signature"));
    }
    let (payload_bytes, signature) = bytes.split_at(bytes.len() - 64);
    let payload = Payload::decode(payload_bytes)?;
    // A sample is never genuine, whatever key it names.
    if payload.key_id == SAMPLE_KEY_ID {
        return Err(ReceiptError::Sample);
    }
    let key = find(&payload.office, payload.key_id).ok_or_else(|| ReceiptError::UnknownKey {
        office: payload.office.clone(),
        key_id: payload.key_id,
    })?;
    let signature = Signature::from_slice(signature).map_err(|_| ReceiptError::BadSignature)?;
    key.key
        .verify_strict(payload_bytes, &signature)
        .map_err(|_| ReceiptError::BadSignature)?;
    if let Some(retired) = key.retired
        && payload.received >= retired
    {
        return Err(ReceiptError::SignedAfterRetirement {
            office: payload.office,
            key_id: payload.key_id,
            retired,
            signed: payload.received,
        });
    }
    Ok(Verified {
        payload,
        retired: key.retired,
    })
}

/// Reads a receipt text without checking its signature: for a citizen's
/// lookup, where central checks the lookup secret anyway.
pub fn decode_unverified(text: &str) -> Result<Payload, ReceiptError> {
    let text = text.trim();
    let body = text.strip_prefix(PREFIX).ok_or(ReceiptError::Malformed)?;
    let bytes = base45::decode(body).map_err(|_| ReceiptError::Damaged("not Base45"))?;
    if bytes.len() < 64 {
        return Err(ReceiptError::Damaged("too short to hold a signature"));
    }
    Payload::decode(&bytes[..bytes.len() - 64])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both languages come from the Fluent resources; the English one says
    /// what the log line says.
    #[test]
    fn every_refusal_reads_in_both_languages() {
        let all = [
            ReceiptError::Malformed,
            ReceiptError::UnknownVersion("9".into()),
            ReceiptError::Damaged("base45"),
            ReceiptError::UnknownKey {
                office: "000.00.01.H26".into(),
                key_id: 7,
            },
            ReceiptError::BadSignature,
            ReceiptError::TooLong("office"),
            ReceiptError::Sample,
            ReceiptError::SignedAfterRetirement {
                office: "000.00.01.H26".into(),
                key_id: 7,
                retired: "2026-11-29T01:00:00Z".parse().unwrap(),
                signed: "2026-11-29T02:00:00Z".parse().unwrap(),
            },
        ];
        for e in all {
            assert_eq!(e.text(Lang::En), e.to_string());
            assert!(!e.vi().contains("receipt-error"), "{}", e.vi());
        }
    }

    fn sample() -> Payload {
        Payload {
            key_id: 3,
            office: "000.00.01.H26".into(),
            dossier_code: "000.00.01.H26-261128-0001".into(),
            procedure: "1.001193".into(),
            received: "2026-11-28T02:41:07Z".parse().unwrap(),
            appointment: jiff::civil::date(2026, 12, 3),
            secret: [1, 2, 3, 4, 5, 6, 7, 8],
        }
    }

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[7u8; 32])
    }

    #[test]
    fn sign_then_verify_round_trips() {
        let text = sample().sign(&key()).unwrap();
        assert!(text.starts_with("MC1:"));
        let alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        assert!(text.chars().all(|c| alnum.contains(c)), "{text}");
        let public = key().verifying_key();
        let back = verify(&text, |o, k| (o == "000.00.01.H26" && k == 3).then_some(public)).unwrap();
        assert_eq!(back, sample());
        // A scanner's trailing Enter is fine.
        assert_eq!(verify(&format!("{text}\r\n"), |_, _| Some(public)).unwrap(), sample());
    }

    #[test]
    fn every_single_character_change_is_refused() {
        let text = sample().sign(&key()).unwrap();
        let public = key().verifying_key();
        let alphabet: Vec<char> = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".chars().collect();
        let chars: Vec<char> = text.chars().collect();
        let mut tried = 0;
        for i in 0..chars.len() {
            for &c in &alphabet {
                if c == chars[i] {
                    continue;
                }
                let mut changed = chars.clone();
                changed[i] = c;
                let changed: String = changed.into_iter().collect();
                // Spaces at the ends are trimmed as a scanner's noise; the
                // rest of the text is what is checked.
                if changed.trim() == text {
                    continue;
                }
                assert!(verify(&changed, |_, _| Some(public)).is_err(), "accepted: {changed}");
                tried += 1;
            }
        }
        assert!(tried > 7000, "{tried}");
    }

    #[test]
    fn refusals_say_why() {
        let text = sample().sign(&key()).unwrap();
        let public = key().verifying_key();
        assert_eq!(verify("hello", |_, _| Some(public)), Err(ReceiptError::Malformed));
        assert!(
            matches!(verify(&text.replacen("MC1", "MC2", 1), |_, _| Some(public)), Err(ReceiptError::UnknownVersion(v)) if v == "2")
        );
        assert!(matches!(
            verify(&text, |_, _| None),
            Err(ReceiptError::UnknownKey { key_id: 3, .. })
        ));
        let other = SigningKey::from_bytes(&[9u8; 32]);
        assert_eq!(
            verify(&sample().sign(&other).unwrap(), |_, _| Some(public)),
            Err(ReceiptError::BadSignature)
        );
        assert!(matches!(
            verify("MC1:ABC", |_, _| Some(public)),
            Err(ReceiptError::Damaged(_))
        ));
        assert!(!ReceiptError::BadSignature.vi().is_empty());
    }

    #[test]
    fn a_retired_key_verifies_what_it_signed_before_and_refuses_what_it_signed_after() {
        let text = sample().sign(&key()).unwrap();
        let public = key().verifying_key();
        let signed = sample().received;
        let retired = |at: Timestamp| {
            move |_: &str, _: u16| {
                Some(KnownKey {
                    key: public,
                    retired: Some(at),
                })
            }
        };
        // Retired an hour after the receipt was signed: valid, and says so.
        let later = signed + jiff::SignedDuration::from_hours(1);
        let v = verify_known(&text, retired(later)).unwrap();
        assert_eq!(v.payload, sample());
        assert_eq!(v.retired, Some(later));
        let note = v.retired_note(Lang::En).unwrap();
        assert!(note.contains("key 3") && note.contains("10:41:07 28/11/2026"), "{note}");
        assert!(v.retired_note(Lang::Vi).unwrap().contains("28/11/2026"));
        // Retired before it, or at the same second: refused, naming both times.
        for at in [signed - jiff::SignedDuration::from_secs(1), signed] {
            let e = verify_known(&text, retired(at)).unwrap_err();
            assert_eq!(
                e,
                ReceiptError::SignedAfterRetirement {
                    office: "000.00.01.H26".into(),
                    key_id: 3,
                    retired: at,
                    signed,
                }
            );
            assert!(e.to_string().contains("09:41:07 28/11/2026") || at == signed, "{e}");
        }
        // A forged receipt is still called forged, whatever the key's state.
        let other = SigningKey::from_bytes(&[9u8; 32]);
        assert_eq!(
            verify_known(&sample().sign(&other).unwrap(), retired(later)),
            Err(ReceiptError::BadSignature)
        );
        // A key in use: valid, nothing to tell.
        let v = verify_known(&text, |_, _| {
            Some(KnownKey {
                key: public,
                retired: None,
            })
        })
        .unwrap();
        assert_eq!(v.retired_note(Lang::En), None);
    }

    #[test]
    fn carries_no_personal_data_and_codes_of_other_shapes_survive() {
        let mut p = sample();
        p.dossier_code = "HS-2026-000123".into();
        let back = Payload::decode(&p.encode().unwrap()).unwrap();
        assert_eq!(back.dossier_code, "HS-2026-000123");
        // The payload holds exactly the fields above: nothing else can leak.
        assert!(sample().encode().unwrap().len() < 60);
    }

    /// Receipts printed before the dossier code's field changed read the
    /// same: these texts were made by the earlier encoder.
    #[test]
    fn receipts_printed_earlier_read_the_same() {
        let public = key().verifying_key();
        let find = |_: &str, _: u16| Some(public);
        let earlier = "MC1:V50KJ0DD10M8GCDKB0*M0DY0 01646446646Y$5Z96W59K$6TF6%96VF63W5646.86Z96646%96IA7002NLKY3ATXK8J3SO64:KBMFHTDUN0X.TOBCTR54C1 +V IB%JB.BOP P+ZL :0LBS5J7H7D.N8HUC 60HGS O96:3EFFZ7F";
        assert_eq!(verify(earlier, find), Ok(sample()));
        assert_eq!(sample().sign(&key()).unwrap(), earlier);
        let mut other = sample();
        other.dossier_code = "HS-2026-000123".into();
        let earlier = "MC1:V50KJ0DD10M8GCDKB0*M0DY0 01646446646Y$5Z96W59O$6SX78NANF6TF63W5646*96EK6Z96646%96IA7IG6*N1Z$HRGC5%HSAW+-7.4FJT3E/B.JCQHEFCKFJFRA42KHZFIJ7C%A343R6G16O9*JL%HNZ-O352W G2-EF47G8R7BW-QU";
        assert_eq!(verify(earlier, find), Ok(other.clone()));
        assert_eq!(other.sign(&key()).unwrap(), earlier);
        other.dossier_code = "000.00.01.H26-".into();
        let earlier = "MC1:V50KJ0DD10M8GCDKB0*M0DY0 01646446646Y$5Z96W599$6R11Y$57461A67O6H 7%6E.MH5B7MVR0-P14Q54COVO3-C96GVO8JJDC7IF7IE+ME%NZ1BZC9JT0N/1 -ML:5RB7/ SA6ILYTKDT1:1OLIBGJ50";
        assert_eq!(verify(earlier, find), Ok(other.clone()));
        assert_eq!(other.sign(&key()).unwrap(), earlier);
    }

    /// Found by the `receipt_verify` fuzz target: office "X" and the code
    /// "X-=2026-000123" read back as "2026-000123", the '=' after the
    /// office taken for the marker of a whole code.
    #[test]
    fn a_code_whose_rest_starts_with_the_marker_reads_back_whole() {
        let found = [
            0x01, 0xff, 0xff, 0x6b, 0x0a, 0x3f, 0x43, 0x26, 0x69, 1, 2, 3, 4, 5, 6, 7, 8, 0x01, b'X', 0x0f, b'=', b'X',
            b'-', b'=', b'2', b'0', b'2', b'6', b'-', b'0', b'0', b'0', b'1', b'2', b'3', 0x00,
        ];
        let payload = Payload::decode(&found).unwrap();
        assert_eq!(payload.office, "X");
        assert_eq!(payload.dossier_code, "X-=2026-000123");
        assert_eq!(Payload::decode(&payload.encode().unwrap()), Ok(payload.clone()));
        let public = key().verifying_key();
        let mut signed = payload.clone();
        signed.key_id = 3;
        let text = signed.sign(&key()).unwrap();
        assert_eq!(verify(&text, |_, _| Some(public)), Ok(signed));
        for code in ["X-=", "X-==", "=X-1", "X-", "X", "", "X-1=", "Y-=1"] {
            let mut p = payload.clone();
            p.dossier_code = code.into();
            assert_eq!(Payload::decode(&p.encode().unwrap()).unwrap().dossier_code, code);
        }
    }
}
