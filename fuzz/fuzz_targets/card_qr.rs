//! What a USB scanner types from an ID card's QR: any bytes. The parser
//! answers a card or a reason, never panics; what it accepts is trimmed,
//! NFC and consistent with itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use motcua_core::citizen::parse_cccd_qr;
use unicode_normalization::is_nfc;

fuzz_target!(|data: &[u8]| {
    let today = jiff::civil::date(2026, 11, 28);
    let Ok(card) = parse_cccd_qr(data, today) else {
        return;
    };
    assert_eq!(card.id.len(), 12);
    assert!(card.id.bytes().all(|b| b.is_ascii_digit()));
    assert!(card.birth <= today);
    if let Some(issued) = card.issued {
        assert!(card.birth <= issued && issued <= today);
    }
    for text in [&card.name, &card.address] {
        assert_eq!(text.trim(), text.as_str());
        assert!(is_nfc(text));
        assert!(!text.contains('|'));
    }
    assert!(card.gender == "Nam" || card.gender == "Nữ", "{}", card.gender);
});
