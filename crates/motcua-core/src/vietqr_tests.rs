//! The VietQR text against published examples, and every field's refusal.
//! An independent decoder checks the text from outside
//! (`crates/motcua-core/tests/vietqr.rs`).

use super::*;

fn transfer<'a>(bank_bin: &'a str, account: &'a str, amount: u64, purpose: &'a str) -> Transfer<'a> {
    Transfer {
        bank_bin,
        account,
        amount,
        purpose,
    }
}

#[test]
fn published_examples_are_made_character_for_character() {
    // The dynamic transfers of two public VietQR libraries' documentation
    // (vietnam-qr-pay's README; subiz/vietqr's README), both read by
    // banking apps; their CRCs checked by hand as well.
    assert_eq!(
        payload(&transfer("970416", "257678859", 10_000, "Chuyen tien")).unwrap(),
        "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA\
         53037045405100005802VN62150811Chuyen tien630453E6"
    );
    assert_eq!(
        payload(&transfer("970415", "0011001932418", 120_000, "ung ho lu lut")).unwrap(),
        "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA\
         530370454061200005802VN62170813ung ho lu lut6304C15C"
    );
}

#[test]
fn the_crc_is_ccitt_false() {
    // The catalogue's check value of CRC-16/CCITT-FALSE.
    assert_eq!(crc16_ccitt_false(b"123456789"), 0x29B1);
    assert_eq!(crc16_ccitt_false(b""), 0xFFFF);
}

#[test]
fn a_dossier_code_is_paid_for_without_its_dots_and_dashes() {
    assert_eq!(
        transfer_reference("000.00.01.H26-261128-0001").unwrap(),
        "0000001H262611280001"
    );
    // A 5-digit sequence, an offline 9-digit one, the centralised form.
    assert_eq!(
        transfer_reference("000.00.01.H26-260701-12000").unwrap(),
        "0000001H2626070112000"
    );
    assert_eq!(
        transfer_reference("000.00.01.H26-260701-921501500").unwrap(),
        "0000001H26260701921501500"
    );
    assert_eq!(
        transfer_reference("H26.22.10-250701-010001").unwrap(),
        "H262210250701010001"
    );
    let qr = fee_qr(Some(&Payment::example()), 50_000, "000.00.01.H26-261128-0001").unwrap();
    assert_eq!(qr.reference, "0000001H262611280001");
    assert!(qr.payload.contains("08200000001H262611280001"), "{}", qr.payload);
    assert!(qr.payload.contains("540550000"), "{}", qr.payload);
    assert!(qr.payload.contains("0112113366668888"), "{}", qr.payload);
}

#[test]
fn a_code_that_does_not_fit_is_refused_naming_the_field() {
    // 26 characters without its dots and dashes: one too many.
    let e = transfer_reference("000.00.01.H26-260701-9215015001").unwrap_err();
    assert_eq!(e, VietQrError::PurposeLength { found: 26, max: 25 });
    assert!(e.to_string().contains("62/08"), "{e}");
    assert!(e.text(Lang::Vi).contains("62/08"), "{}", e.text(Lang::Vi));
    // A long agency code (33 characters) never fits.
    let agency = format!("H26{}", ".01".repeat(10));
    assert!(matches!(
        transfer_reference(&format!("{agency}-260701-0001")),
        Err(VietQrError::PurposeLength { .. })
    ));
    assert_eq!(transfer_reference(""), Err(VietQrError::PurposeEmpty));
    assert_eq!(transfer_reference("..-"), Err(VietQrError::PurposeEmpty));
    assert_eq!(
        transfer_reference("000.00.01.H26 261128/0001"),
        Err(VietQrError::PurposeChar {
            position: 14,
            found: ' '
        })
    );
    assert_eq!(
        transfer_reference("Đ26-261128-0001"),
        Err(VietQrError::PurposeChar {
            position: 1,
            found: 'Đ'
        })
    );
}

#[test]
fn every_bad_field_is_refused() {
    let ok = transfer("970415", "113366668888", 50_000, "HS0001");
    assert!(payload(&ok).is_ok());
    for bin in ["", "97041", "9704150", "97041a", "９７０４１５"] {
        assert_eq!(
            payload(&Transfer { bank_bin: bin, ..ok }),
            Err(VietQrError::BankBin),
            "{bin:?}"
        );
    }
    for account in ["", "12345678901234567890", "1133 6666", "113-366", "11336666888đ"] {
        assert_eq!(
            payload(&Transfer { account, ..ok }),
            Err(VietQrError::Account),
            "{account:?}"
        );
    }
    assert!(payload(&Transfer { account: "1", ..ok }).is_ok());
    assert!(
        payload(&Transfer {
            account: "99MM24011M348750801",
            ..ok
        })
        .is_ok()
    );
    for amount in [0, MAX_AMOUNT + 1, u64::MAX] {
        assert_eq!(
            payload(&Transfer { amount, ..ok }),
            Err(VietQrError::Amount { found: amount })
        );
    }
    let most = payload(&Transfer {
        amount: MAX_AMOUNT,
        ..ok
    })
    .unwrap();
    assert!(most.contains("54139999999999999"), "{most}");
    assert!(payload(&Transfer { amount: 1, ..ok }).unwrap().contains("540115802VN"));
    assert_eq!(payload(&Transfer { purpose: "", ..ok }), Err(VietQrError::PurposeEmpty));
    assert_eq!(
        payload(&Transfer {
            purpose: "phí hồ sơ",
            ..ok
        }),
        Err(VietQrError::PurposeChar {
            position: 3,
            found: 'í'
        })
    );
    assert_eq!(
        payload(&Transfer {
            purpose: "HS-0001",
            ..ok
        }),
        Err(VietQrError::PurposeChar {
            position: 3,
            found: '-'
        })
    );
    let long = "A".repeat(26);
    assert_eq!(
        payload(&Transfer { purpose: &long, ..ok }),
        Err(VietQrError::PurposeLength { found: 26, max: 25 })
    );
    assert!(
        payload(&Transfer {
            purpose: &long[..25],
            ..ok
        })
        .is_ok()
    );
}

#[test]
fn no_field_holds_more_than_99_characters() {
    assert_eq!(
        field("62", "62", &"x".repeat(100)),
        Err(VietQrError::FieldLength { tag: "62", found: 100 })
    );
    assert_eq!(
        field("62", "62", ""),
        Err(VietQrError::FieldLength { tag: "62", found: 0 })
    );
    assert_eq!(field("62", "62", &"x".repeat(99)).unwrap().len(), 103);
    assert_eq!(field("54", "54", "7").unwrap(), "54017");
}

#[test]
fn a_fee_with_no_account_names_the_key() {
    assert_eq!(
        fee_qr(None, 50_000, "000.00.01.H26-261128-0001"),
        Err(VietQrError::NoAccount)
    );
    let blank = Payment::default();
    assert_eq!(
        fee_qr(Some(&blank), 50_000, "000.00.01.H26-261128-0001"),
        Err(VietQrError::NoAccount)
    );
    let e = VietQrError::NoAccount;
    for lang in Lang::ALL {
        assert!(e.text(lang).contains("[payment] account"), "{}", e.text(lang));
    }
    assert!(e.to_string().contains("[payment] account"));
    // A bad account that slipped past the configuration is still refused.
    let bad = Payment {
        bank_bin: "97041".into(),
        ..Payment::example()
    };
    assert_eq!(fee_qr(Some(&bad), 50_000, "H26-261128-0001"), Err(VietQrError::BankBin));
    assert_eq!(
        fee_qr(Some(&Payment::example()), 0, "H26-261128-0001"),
        Err(VietQrError::Amount { found: 0 })
    );
}

#[test]
fn every_error_has_words_in_both_languages_naming_its_field() {
    for (e, vi, en) in [
        (VietQrError::NoAccount, "[payment] account", "[payment] account"),
        (VietQrError::BankBin, "[payment] bank_bin", "[payment] bank_bin"),
        (VietQrError::Account, "[payment] account", "[payment] account"),
        (VietQrError::Amount { found: 0 }, "Số tiền", "amount"),
        (VietQrError::PurposeEmpty, "Mã hồ sơ", "dossier code"),
        (
            VietQrError::PurposeChar {
                position: 3,
                found: '-',
            },
            "62/08",
            "62/08",
        ),
        (VietQrError::PurposeLength { found: 26, max: 25 }, "26", "26"),
        (VietQrError::FieldLength { tag: "38", found: 100 }, "38", "38"),
    ] {
        let (text_vi, text_en) = (e.text(Lang::Vi), e.text(Lang::En));
        assert!(text_vi.contains(vi), "{text_vi}");
        assert!(text_en.contains(en), "{text_en}");
        assert_ne!(text_vi, text_en);
        assert!(!text_vi.starts_with("vietqr-"), "{text_vi}");
    }
    assert!(
        VietQrError::Amount {
            found: 10_000_000_000_000
        }
        .text(Lang::Vi)
        .contains("10.000.000.000.000")
    );
}

#[test]
fn the_section_is_checked_field_by_field() {
    assert!(Payment::example().check().is_ok());
    let no_bank = Payment {
        bank_name: None,
        ..Payment::example()
    };
    assert!(no_bank.check().is_ok());
    for (payment, key, says) in [
        (
            Payment {
                bank_bin: String::new(),
                ..Payment::example()
            },
            "payment",
            "[payment] bank_bin",
        ),
        (
            Payment {
                bank_bin: "VCB".into(),
                ..Payment::example()
            },
            "payment.bank_bin",
            "6-digit",
        ),
        (
            Payment {
                account: String::new(),
                ..Payment::example()
            },
            "payment",
            "[payment] account",
        ),
        (
            Payment {
                account: "0011.0019.32418".into(),
                ..Payment::example()
            },
            "payment.account",
            "1 to 19",
        ),
        (
            Payment {
                account_name: " ".into(),
                ..Payment::example()
            },
            "payment",
            "[payment] account_name",
        ),
        (
            Payment {
                account_name: "A".repeat(71),
                ..Payment::example()
            },
            "payment.account_name",
            "70",
        ),
        (
            Payment {
                bank_name: Some("Vietin\nBank".into()),
                ..Payment::example()
            },
            "payment.bank_name",
            "one line",
        ),
    ] {
        let (k, message) = payment.check().unwrap_err();
        assert_eq!(k, key, "{payment:?}");
        assert!(message.contains(says), "{message}");
    }
}

#[test]
fn the_configuration_reads_the_section_and_names_a_bad_key_and_its_line() {
    use crate::config::Config;
    let (c, unknown) = Config::parse("").unwrap();
    assert!(unknown.is_empty());
    assert_eq!(c.payment, None);
    let text = "[payment]\nbank_bin = \"970415\"\naccount = \"113366668888\"\n\
                account_name = \"TRUNG TAM PHUC VU HANH CHINH CONG\"\nbank_name = \"VietinBank\"\n";
    let (c, unknown) = Config::parse(text).unwrap();
    assert!(unknown.is_empty(), "{unknown:?}");
    assert_eq!(c.payment.as_ref(), Some(&Payment::example()));
    let qr = fee_qr(c.payment.as_ref(), 25_000, "000.00.01.H26-261128-0001").unwrap();
    assert!(qr.payload.starts_with("000201010212"), "{}", qr.payload);

    for (text, key, line) in [
        ("[payment]\nbank_bin = \"97041\"\n", "payment.bank_bin", 2),
        ("\n[payment]\nbank_bin = \"970415\"\n", "[payment] account", 2),
        (
            "[payment]\nbank_bin = \"970415\"\n\naccount = \"0011-0019\"\n",
            "payment.account",
            4,
        ),
        (
            "[payment]\nbank_bin = \"970415\"\naccount = \"1\"\n",
            "[payment] account_name",
            1,
        ),
        (
            "[payment]\nbank_bin = \"970415\"\naccount = \"1\"\naccount_name = \"X\"\nbank_name = \"\"\n",
            "payment.bank_name",
            5,
        ),
        ("[payment]\nbank_bin = 970415\n", "bank_bin", 2),
    ] {
        let e = Config::parse(text).unwrap_err();
        assert!(e.contains(key), "{text:?}: {e}");
        assert!(e.contains(&format!("line {line}")), "{text:?}: {e}");
    }
    // A misspelt key is pointed at, as everywhere in the file.
    let (_, unknown) = Config::parse(
        "[payment]\nbank_bin = \"970415\"\naccount = \"1\"\naccount_name = \"X\"\naccount_number = \"2\"\n",
    )
    .unwrap();
    assert_eq!(unknown.len(), 1, "{unknown:?}");
    assert_eq!(unknown[0].key, "payment.account_number");
    assert_eq!(unknown[0].line, Some(5));
}
