//! The QR receipt ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"): its text is
//! made and checked in [`motcua_core::receipt`] (re-exported here); this
//! module keeps the keys ([`keys`]) and draws the QR.

pub mod keys;

pub use motcua_core::receipt::*;

/// The receipt's QR: error correction Q, version 10 at most.
pub fn qr(text: &str) -> Result<qrcode::QrCode, ReceiptError> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::Q)
        .map_err(|_| ReceiptError::TooLong("QR"))?;
    match code.version() {
        qrcode::Version::Normal(v) if v <= MAX_QR_VERSION => Ok(code),
        _ => Err(ReceiptError::TooLong("QR version")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_a_small_qr_at_level_q() {
        let payload = Payload {
            key_id: 3,
            office: "000.00.01.H26".into(),
            dossier_code: "000.00.01.H26-261128-0001".into(),
            procedure: "1.001193".into(),
            received: "2026-11-28T02:41:07Z".parse().unwrap(),
            appointment: jiff::civil::date(2026, 12, 3),
            secret: [1, 2, 3, 4, 5, 6, 7, 8],
        };
        let text = payload
            .sign(&ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]))
            .unwrap();
        let code = qr(&text).unwrap();
        let qrcode::Version::Normal(v) = code.version() else {
            panic!()
        };
        assert!(v <= 10, "version {v}");
        assert_eq!(code.error_correction_level(), qrcode::EcLevel::Q);
    }
}
