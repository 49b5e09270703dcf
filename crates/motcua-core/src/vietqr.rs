//! Fees by VietQR: the text of the dynamic QR a citizen's banking app
//! scans to pay a dossier's fee into the office's account.
//!
//! The layout is the State Bank's EMVCo merchant-presented QR (TCCS
//! 03:2018/NHNNVN) as NAPAS specifies it for transfers to an account
//! (NAPAS QR Switching, part IV, v1.5.2). Each field is a 2-digit id, a
//! 2-digit length and the value, in this order:
//!
//! | id | value |
//! | --- | --- |
//! | 00 | payload format, `01` |
//! | 01 | point of initiation, `12`: dynamic, one amount for one dossier |
//! | 38 | the account: 00 GUID `A000000727`; 01 the beneficiary (00 the bank's 6-digit BIN, 01 the account number); 02 service `QRIBFTTA`, a transfer to an account |
//! | 53 | currency, `704` (đồng) |
//! | 54 | amount, whole đồng |
//! | 58 | country, `VN` |
//! | 62 | additional data: 08 the purpose of the transaction, the transfer content |
//! | 63 | CRC-16/CCITT-FALSE of everything before its value, `6304` included, in 4 capital hex digits |
//!
//! The purpose is the dossier code, so that the office's bank statement
//! names the dossier each fee was paid for. NAPAS gives the purpose (62/08)
//! at most 25 characters, the EMVCo limit it keeps for every field of 62
//! (the spec's table as transcribed by public VietQR libraries: subiz/vietqr,
//! giautm/sgqr-go, liopayvn/vietqr-php). Banks carry a transfer's content
//! reliably only as ASCII letters, digits and spaces (no diacritics, no
//! signs: the VietQR generation APIs ask for exactly that, and
//! reconciliation services match letters and digits). So the content is
//! the dossier code without its dots and dashes ([`transfer_reference`]):
//! `000.00.01.H26-261128-0001` is paid as `0000001H262611280001`, 20
//! characters, and a code with a 9-digit offline sequence still fits. A
//! code that does not fit even so is refused, naming the field: a content
//! cut short could name another dossier, and a fee booked to the wrong
//! dossier is worse than one taken at the counter.
//!
//! No personal data goes into the QR: the office's account, the amount and
//! the dossier code only.

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, group_thousands, say};

/// NAPAS's GUID for VietQR (38/00).
pub const GUID: &str = "A000000727";
/// The service of a transfer to an account (38/02).
pub const SERVICE_TO_ACCOUNT: &str = "QRIBFTTA";
/// The largest amount field 54 holds: 13 digits.
pub const MAX_AMOUNT: u64 = 9_999_999_999_999;
/// The longest purpose of the transaction (62/08).
pub const MAX_PURPOSE: usize = 25;
/// The longest account number (38/01/01).
pub const MAX_ACCOUNT: usize = 19;
/// The longest value of any field.
const MAX_FIELD: usize = 99;
/// The longest account holder or bank name shown under the QR.
const MAX_NAME: usize = 70;

/// A transfer the QR asks a banking app to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transfer<'a> {
    /// The beneficiary bank's BIN, 6 digits (970415 for VietinBank).
    pub bank_bin: &'a str,
    /// The account number at that bank, 1–19 letters or digits.
    pub account: &'a str,
    /// Whole đồng, 1 to [`MAX_AMOUNT`].
    pub amount: u64,
    /// The transfer content: ASCII letters, digits and spaces, 1 to
    /// [`MAX_PURPOSE`] characters.
    pub purpose: &'a str,
}

/// Why no VietQR can be made. The English text ([`std::fmt::Display`]) is
/// for logs; [`VietQrError::text`] gives the words for a screen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VietQrError {
    #[error(
        "a fee is due but no bank account is configured for VietQR: set `[payment] account` (with bank_bin and account_name)"
    )]
    NoAccount,
    #[error("the bank BIN (`[payment] bank_bin`) must be exactly 6 digits")]
    BankBin,
    #[error("the account number (`[payment] account`) must be 1 to 19 letters or digits, with no spaces or signs")]
    Account,
    #[error("the fee amount must be from 1 to 9.999.999.999.999 dong, not {}", group_thousands(*.found))]
    Amount { found: u64 },
    #[error("the dossier code is empty: the transfer content (VietQR 62/08) needs it")]
    PurposeEmpty,
    /// `position` counts characters from 1.
    #[error(
        "the transfer content (VietQR 62/08) may hold only letters A–Z, digits and spaces: character {position} is {found:?}"
    )]
    PurposeChar { position: usize, found: char },
    #[error(
        "the transfer content (VietQR 62/08: the dossier code without dots and dashes) has {found} characters; at most {max} fit"
    )]
    PurposeLength { found: usize, max: usize },
    #[error("VietQR field {tag} would hold {found} characters; a field holds 1 to 99")]
    FieldLength { tag: &'static str, found: usize },
}

impl VietQrError {
    /// The message in `lang`, from the Fluent resources (`messages.ftl`).
    pub fn text(&self, lang: Lang) -> String {
        use VietQrError as E;
        match self {
            E::NoAccount => say(lang, "vietqr-no-account", &[]),
            E::BankBin => say(lang, "vietqr-bank-bin", &[]),
            E::Account => say(lang, "vietqr-account", &[]),
            E::Amount { found } => say(lang, "vietqr-amount", &[("found", group_thousands(*found))]),
            E::PurposeEmpty => say(lang, "vietqr-purpose-empty", &[]),
            E::PurposeChar { position, found } => say(
                lang,
                "vietqr-purpose-char",
                &[
                    ("position", position.to_string()),
                    ("found_quoted", format!("{found:?}")),
                ],
            ),
            E::PurposeLength { found, max } => say(
                lang,
                "vietqr-purpose-length",
                &[("found", found.to_string()), ("max", max.to_string())],
            ),
            E::FieldLength { tag, found } => say(
                lang,
                "vietqr-field-length",
                &[("tag", (*tag).to_string()), ("found", found.to_string())],
            ),
        }
    }
}

/// The VietQR text of a transfer, CRC included.
pub fn payload(t: &Transfer<'_>) -> Result<String, VietQrError> {
    if !bin_ok(t.bank_bin) {
        return Err(VietQrError::BankBin);
    }
    if !account_ok(t.account) {
        return Err(VietQrError::Account);
    }
    if !(1..=MAX_AMOUNT).contains(&t.amount) {
        return Err(VietQrError::Amount { found: t.amount });
    }
    check_purpose(t.purpose)?;
    let beneficiary = field("38/01/00", "00", t.bank_bin)? + &field("38/01/01", "01", t.account)?;
    let account =
        field("38/00", "00", GUID)? + &field("38/01", "01", &beneficiary)? + &field("38/02", "02", SERVICE_TO_ACCOUNT)?;
    let mut out = String::new();
    for (tag, value) in [
        ("00", "01".to_string()),
        ("01", "12".to_string()),
        ("38", account),
        ("53", "704".to_string()),
        ("54", t.amount.to_string()),
        ("58", "VN".to_string()),
        ("62", field("62/08", "08", t.purpose)?),
    ] {
        out += &field(tag, tag, &value)?;
    }
    out += "6304";
    let crc = crc16_ccitt_false(out.as_bytes());
    out += &format!("{crc:04X}");
    Ok(out)
}

/// The transfer content that names a dossier: its code without dots and
/// dashes, when that fits the purpose field (see the module's text).
pub fn transfer_reference(dossier_code: &str) -> Result<String, VietQrError> {
    let mut reference = String::new();
    for (i, c) in dossier_code.chars().enumerate() {
        match c {
            '.' | '-' => {}
            c if c.is_ascii_alphanumeric() => reference.push(c),
            c => {
                return Err(VietQrError::PurposeChar {
                    position: i + 1,
                    found: c,
                });
            }
        }
    }
    check_purpose(&reference)?;
    Ok(reference)
}

/// One data object: id, 2-digit length, value.
fn field(tag: &'static str, id: &str, value: &str) -> Result<String, VietQrError> {
    // Every value here is ASCII, checked before: bytes are characters.
    let found = value.len();
    if !(1..=MAX_FIELD).contains(&found) {
        return Err(VietQrError::FieldLength { tag, found });
    }
    Ok(format!("{id}{found:02}{value}"))
}

fn check_purpose(purpose: &str) -> Result<(), VietQrError> {
    if purpose.is_empty() {
        return Err(VietQrError::PurposeEmpty);
    }
    if let Some((i, c)) = purpose
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == ' '))
    {
        return Err(VietQrError::PurposeChar {
            position: i + 1,
            found: c,
        });
    }
    let found = purpose.len();
    if found > MAX_PURPOSE {
        return Err(VietQrError::PurposeLength {
            found,
            max: MAX_PURPOSE,
        });
    }
    Ok(())
}

fn bin_ok(bin: &str) -> bool {
    bin.len() == 6 && bin.bytes().all(|b| b.is_ascii_digit())
}

fn account_ok(account: &str) -> bool {
    (1..=MAX_ACCOUNT).contains(&account.len()) && account.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// CRC-16/CCITT-FALSE (ISO/IEC 13239 as EMVCo uses it): polynomial 0x1021,
/// initial value 0xFFFF, no reflection, nothing xored at the end.
fn crc16_ccitt_false(bytes: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for &b in bytes {
        crc ^= u16::from(b) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// The office's account for fees (`[payment]` in the configuration).
/// Without it no fee can be asked for by QR.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct Payment {
    /// The bank's 6-digit BIN, as the State Bank lists it (970415).
    pub bank_bin: String,
    /// The account number at that bank.
    pub account: String,
    /// The account holder as the bank shows it, shown to the citizen under
    /// the QR so that they see whom they pay.
    pub account_name: String,
    /// The bank's name, shown with it.
    pub bank_name: Option<String>,
}

impl Payment {
    /// Why this section cannot be used: the key (dotted, for its line) and
    /// a sentence naming it and what it accepts. A key left out is
    /// reported on the table's line.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        let missing =
            |key: &str, accepts: &str| ("payment", format!("`[payment] {key}` is missing: accepts {accepts}"));
        if self.bank_bin.is_empty() {
            return Err(missing("bank_bin", "the bank's 6-digit BIN, like 970415"));
        }
        if !bin_ok(&self.bank_bin) {
            return Err((
                "payment.bank_bin",
                format!(
                    "`payment.bank_bin` = \"{}\": accepts the bank's 6-digit BIN, like 970415",
                    self.bank_bin
                ),
            ));
        }
        if self.account.is_empty() {
            return Err(missing(
                "account",
                "the office's account number, 1 to 19 letters or digits",
            ));
        }
        if !account_ok(&self.account) {
            return Err((
                "payment.account",
                format!(
                    "`payment.account` = \"{}\": accepts 1 to 19 letters or digits, with no spaces, dots or dashes",
                    self.account
                ),
            ));
        }
        if self.account_name.trim().is_empty() {
            return Err(missing("account_name", "the account holder as the bank shows it"));
        }
        name_ok("payment.account_name", &self.account_name)?;
        if let Some(bank) = &self.bank_name {
            name_ok("payment.bank_name", bank)?;
        }
        Ok(())
    }

    /// A valid section with every key set, for the list of known keys.
    pub(crate) fn example() -> Self {
        Self {
            bank_bin: "970415".into(),
            account: "113366668888".into(),
            account_name: "TRUNG TAM PHUC VU HANH CHINH CONG".into(),
            bank_name: Some("VietinBank".into()),
        }
    }
}

fn name_ok(key: &'static str, name: &str) -> Result<(), (&'static str, String)> {
    let count = name.chars().count();
    if name.trim().is_empty() || count > MAX_NAME || name.chars().any(char::is_control) {
        return Err((
            key,
            format!("`{key}`: accepts 1 to {MAX_NAME} characters on one line, as the bank writes it"),
        ));
    }
    Ok(())
}

/// A fee's QR: the text to draw, and the transfer content to show beside
/// it for a citizen who types the transfer in by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeQr {
    pub payload: String,
    pub reference: String,
}

/// The QR for a fee of `amount` đồng on the dossier `dossier_code`, paid
/// into the configured account.
pub fn fee_qr(payment: Option<&Payment>, amount: u64, dossier_code: &str) -> Result<FeeQr, VietQrError> {
    let payment = payment.ok_or(VietQrError::NoAccount)?;
    if payment.account.is_empty() {
        return Err(VietQrError::NoAccount);
    }
    let reference = transfer_reference(dossier_code)?;
    let payload = payload(&Transfer {
        bank_bin: &payment.bank_bin,
        account: &payment.account,
        amount,
        purpose: &reference,
    })?;
    Ok(FeeQr { payload, reference })
}

#[cfg(test)]
#[path = "vietqr_tests.rs"]
mod tests;
