//! The VietQR text read back by a decoder of its own: a TLV reader written
//! from the EMVCo layout, not from the module, and the CRC of the `crc`
//! crate's catalogue (CRC-16/IBM-3740 is CCITT-FALSE). It checks every tag
//! and sub-tag, that the CRC comes last and matches, and that changing any
//! one character is caught.

use crc::{CRC_16_IBM_3740, Crc};
use motcua_core::vietqr::{Payment, Transfer, fee_qr, payload};

const CRC: Crc<u16> = Crc::<u16>::new(&CRC_16_IBM_3740);

/// Id and value of each data object of `text`, in order; `None` when the
/// text is not a sequence of whole objects.
fn objects(text: &str) -> Option<Vec<(String, String)>> {
    let mut rest = text;
    let mut out = Vec::new();
    while !rest.is_empty() {
        let id = rest.get(..2)?;
        let len: usize = rest.get(2..4)?.parse().ok()?;
        if !id.bytes().all(|b| b.is_ascii_digit()) || !rest.as_bytes()[2..4].iter().all(u8::is_ascii_digit) {
            return None;
        }
        let value = rest.get(4..4 + len)?;
        out.push((id.to_string(), value.to_string()));
        rest = &rest[4 + len..];
    }
    Some(out)
}

fn value<'a>(objects: &'a [(String, String)], id: &str) -> &'a str {
    let found: Vec<&str> = objects
        .iter()
        .filter(|(i, _)| i == id)
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(found.len(), 1, "object {id} in {objects:?}");
    found[0]
}

/// Whether the last object is a CRC of 4 capital hex digits matching all
/// that comes before its value.
fn crc_ok(text: &str) -> bool {
    let Some((data, written)) = text.len().checked_sub(4).map(|at| text.split_at(at)) else {
        return false;
    };
    data.ends_with("6304")
        && written
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
        && format!("{:04X}", CRC.checksum(data.as_bytes())) == written
}

/// What a banking app would read from a VietQR transfer text.
#[derive(Debug, PartialEq, Eq)]
struct Read {
    bin: String,
    account: String,
    amount: String,
    purpose: String,
}

/// Reads a dynamic transfer to an account, checking every tag on the way.
fn read(text: &str) -> Read {
    assert!(crc_ok(text), "CRC of {text}");
    let top = objects(text).unwrap_or_else(|| panic!("not TLV: {text}"));
    let ids: Vec<&str> = top.iter().map(|(i, _)| i.as_str()).collect();
    assert_eq!(ids, ["00", "01", "38", "53", "54", "58", "62", "63"], "{text}");
    assert_eq!(value(&top, "00"), "01");
    assert_eq!(value(&top, "01"), "12", "dynamic");
    assert_eq!(value(&top, "53"), "704");
    assert_eq!(value(&top, "58"), "VN");
    assert_eq!(value(&top, "63").len(), 4);
    let amount = value(&top, "54");
    assert!(
        (1..=13).contains(&amount.len()) && amount.bytes().all(|b| b.is_ascii_digit()) && !amount.starts_with('0'),
        "amount {amount:?}"
    );

    let account = objects(value(&top, "38")).expect("38 is TLV");
    let ids: Vec<&str> = account.iter().map(|(i, _)| i.as_str()).collect();
    assert_eq!(ids, ["00", "01", "02"]);
    assert_eq!(value(&account, "00"), "A000000727");
    assert_eq!(value(&account, "02"), "QRIBFTTA");
    let beneficiary = objects(value(&account, "01")).expect("38/01 is TLV");
    let ids: Vec<&str> = beneficiary.iter().map(|(i, _)| i.as_str()).collect();
    assert_eq!(ids, ["00", "01"]);
    let bin = value(&beneficiary, "00");
    assert!(bin.len() == 6 && bin.bytes().all(|b| b.is_ascii_digit()), "BIN {bin:?}");
    let number = value(&beneficiary, "01");
    assert!(
        (1..=19).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_alphanumeric()),
        "account {number:?}"
    );

    let additional = objects(value(&top, "62")).expect("62 is TLV");
    let ids: Vec<&str> = additional.iter().map(|(i, _)| i.as_str()).collect();
    assert_eq!(ids, ["08"]);
    let purpose = value(&additional, "08");
    assert!((1..=25).contains(&purpose.len()), "purpose {purpose:?}");
    Read {
        bin: bin.into(),
        account: number.into(),
        amount: amount.into(),
        purpose: purpose.into(),
    }
}

fn office() -> Payment {
    Payment {
        bank_bin: "970436".into(),
        account: "0011001932418".into(),
        account_name: "TRUNG TAM PHUC VU HANH CHINH CONG".into(),
        bank_name: Some("Vietcombank".into()),
    }
}

#[test]
fn the_decoder_reads_napas_own_example() {
    // NAPAS QR Switching v1.5.2, the dynamic transfer to an account
    // (it also carries a bill number, 62/01).
    let text = "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA\
                530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E";
    assert!(crc_ok(text));
    let top = objects(text).unwrap();
    assert_eq!(top.last().unwrap().0, "63");
    let additional = objects(value(&top, "62")).unwrap();
    assert_eq!(value(&additional, "08"), "thanh toan don hang");
    assert!(!crc_ok(&text.replace("180000", "190000")));
}

#[test]
fn a_fee_reads_back_field_by_field() {
    let qr = fee_qr(Some(&office()), 1_500_000, "000.00.01.H26-261128-0001").unwrap();
    assert_eq!(
        read(&qr.payload),
        Read {
            bin: "970436".into(),
            account: "0011001932418".into(),
            amount: "1500000".into(),
            purpose: "0000001H262611280001".into(),
        }
    );
    assert_eq!(qr.reference, "0000001H262611280001");
}

#[test]
fn every_length_of_every_field_reads_back() {
    let long_account = "9".repeat(19);
    let long_purpose = "Z".repeat(25);
    for account in ["1", "113366668888", long_account.as_str()] {
        for amount in [1, 9, 10, 2_000, 999_999_999, 9_999_999_999_999] {
            for purpose in ["A", "HS 0001", long_purpose.as_str()] {
                let text = payload(&Transfer {
                    bank_bin: "970415",
                    account,
                    amount,
                    purpose,
                })
                .unwrap();
                let got = read(&text);
                assert_eq!(
                    (got.account.as_str(), got.amount, got.purpose.as_str()),
                    (account, amount.to_string(), purpose)
                );
            }
        }
    }
    // A dossier code of every sequence length the office gives.
    for sequence in ["0001", "12000", "903007", "921501500"] {
        let code = format!("000.00.01.H26-260701-{sequence}");
        let qr = fee_qr(Some(&office()), 50_000, &code).unwrap();
        assert_eq!(read(&qr.payload).purpose, format!("0000001H26260701{sequence}"));
    }
}

#[test]
fn changing_any_one_character_breaks_the_crc() {
    let qr = fee_qr(Some(&office()), 50_000, "000.00.01.H26-261128-0001").unwrap();
    let text = qr.payload;
    assert!(crc_ok(&text));
    for (i, c) in text.char_indices() {
        for other in ['0', '1', '9', 'A', 'F', 'Z', 'a', ' '] {
            if other == c {
                continue;
            }
            let mut changed = text.clone();
            changed.replace_range(i..i + c.len_utf8(), other.encode_utf8(&mut [0; 4]));
            assert!(!crc_ok(&changed), "{changed} passes after changing character {i}");
        }
    }
    // Nor does a character dropped or added pass.
    assert!(!crc_ok(&text[1..]));
    assert!(!crc_ok(&format!("0{text}")));
}
