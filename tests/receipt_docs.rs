//! The receipt samples IT staff print: every QR decodes with an ordinary
//! reader (`zbarimg`) to a text that verifies; the ESC/POS job parses back
//! to the raster; the A4 PDF is a real one-page PDF.

use std::path::Path;
use std::process::Command;

fn motcua(args: &[&str], data: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env("MOTCUA_LOG", "error")
        .env("MOTCUA_CONFIG", "/dev/null")
        .output()
        .unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

fn zbarimg(png: &Path) -> String {
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(png)
        .output()
        .expect("zbarimg is installed (scripts/test installs zbar-tools)");
    assert!(out.status.success(), "no code found in {}", png.display());
    String::from_utf8(out.stdout).unwrap().trim_end().to_string()
}

/// Every file in `dir`, with its bytes.
fn files_in(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    all.sort();
    all
}

#[test]
fn sample_receipts_decode_say_they_are_samples_and_leave_no_key_behind() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let (ok, listing) = motcua(
        &["receipt", "sample", "--out", out.path().to_str().unwrap()],
        data.path(),
    );
    assert!(ok, "{listing}");
    for name in [
        "ticket-sample.png",
        "ticket-sample.bin",
        "receipt-sample.png",
        "receipt-sample.bin",
        "receipt-sample-a4.pdf",
    ] {
        assert!(out.path().join(name).exists(), "{name} missing");
    }
    // The throwaway key went nowhere: no signing key, no keyring entry.
    assert_eq!(
        files_in(data.path()),
        vec![],
        "the sample wrote into the data directory"
    );

    let text = std::fs::read_to_string(out.path().join("receipt-sample.txt")).unwrap();
    // The thermal and the A4 receipt both carry it, readable by any QR reader.
    assert_eq!(zbarimg(&out.path().join("receipt-sample.png")), text);
    assert_eq!(zbarimg(&out.path().join("receipt-sample-a4.png")), text);
    let payload = motcua::receipt::decode_unverified(&text).unwrap();
    assert_eq!(payload.key_id, motcua::receipt::keys::SAMPLE_KEY_ID);
    assert!(payload.dossier_code.starts_with("000.00.01.H26-"));
    assert_eq!(payload.procedure, "1.001193");
    // Any station, this one too, calls it a sample, never a valid receipt.
    let (ok, why) = motcua(&["receipt", "verify", &text], data.path());
    assert!(!ok);
    assert!(why.contains("sample receipt") && why.contains("biên nhận MẪU"), "{why}");
    // No personal data in the QR: the made-up applicant's details are not in it.
    for personal in ["001099000000", "0900000000", "Mẫu"] {
        assert!(!text.contains(personal));
    }
}

#[test]
fn a_sample_leaves_the_counters_real_key_untouched_and_its_receipts_verify() {
    use motcua::receipt::keys::{Keyring, Signer};
    let data = tempfile::tempdir().unwrap();
    // The counter's key, as `counter::prepare_keys` leaves it.
    let office = "000.00.01.H26";
    let signer = Signer::generate(office, 1);
    signer.save(data.path()).unwrap();
    let mut ring = Keyring::default();
    ring.add(office, 1, &signer.public_hex().unwrap());
    ring.save(data.path()).unwrap();
    let before = files_in(data.path());

    let out = tempfile::tempdir().unwrap();
    let (ok, listing) = motcua(
        &["receipt", "sample", "--out", out.path().to_str().unwrap()],
        data.path(),
    );
    assert!(ok, "{listing}");
    assert_eq!(files_in(data.path()), before, "the sample changed the counter's keys");

    // A genuine receipt of the counter still verifies; an altered one does not.
    let at: jiff::Timestamp = "2026-11-28T02:41:00Z".parse().unwrap();
    let text = motcua::receipt::Payload {
        key_id: 1,
        office: office.into(),
        dossier_code: format!("{office}-261128-0001"),
        procedure: "1.001193".into(),
        received: at,
        appointment: jiff::civil::date(2026, 12, 4),
        secret: [7; 8],
    }
    .sign(&signer.key().unwrap())
    .unwrap();
    let (ok, fields) = motcua(&["receipt", "verify", &text], data.path());
    assert!(ok, "{fields}");
    assert!(fields.contains("dossier code: 000.00.01.H26-261128-0001"), "{fields}");
    assert!(fields.contains("procedure: 1.001193"), "{fields}");

    let mut altered: Vec<char> = text.chars().collect();
    let i = altered.len() - 10;
    altered[i] = if altered[i] == 'A' { 'B' } else { 'A' };
    let altered: String = altered.into_iter().collect();
    let (ok, why) = motcua(&["receipt", "verify", &altered], data.path());
    assert!(!ok);
    assert!(why.contains("invalid receipt") && why.contains("không hợp lệ"), "{why}");

    // Another station without this office's key refuses it as unknown.
    let stranger = tempfile::tempdir().unwrap();
    let (ok, why) = motcua(&["receipt", "verify", &text], stranger.path());
    assert!(!ok);
    assert!(why.contains("no public key"), "{why}");
    let (ok, why) = motcua(&["receipt", "verify", "MC9:ABC"], data.path());
    assert!(!ok && why.contains("version 9"), "{why}");
}

#[test]
fn the_escpos_receipt_parses_back_to_a_576_dot_raster_and_the_pdf_is_a4() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    assert!(
        motcua(
            &["receipt", "sample", "--out", out.path().to_str().unwrap()],
            data.path()
        )
        .0
    );
    let job = std::fs::read(out.path().join("receipt-sample.bin")).unwrap();
    assert_eq!(&job[..2], &[0x1b, b'@'], "initialise");
    let (mut i, mut rows) = (2, 0usize);
    let mut ink = 0usize;
    while job[i..].starts_with(&[0x1d, b'v', b'0', 0]) {
        let bytes_per_row = u16::from_le_bytes([job[i + 4], job[i + 5]]) as usize;
        let n = u16::from_le_bytes([job[i + 6], job[i + 7]]) as usize;
        assert_eq!(bytes_per_row * 8, 576);
        ink += job[i + 8..i + 8 + bytes_per_row * n]
            .iter()
            .map(|b| b.count_ones() as usize)
            .sum::<usize>();
        rows += n;
        i += 8 + bytes_per_row * n;
    }
    assert!(rows > 800, "{rows} rows");
    assert!(ink > 20_000, "{ink} black dots");
    assert_eq!(&job[i..], &[0x1b, b'd', 4, 0x1d, b'V', 66, 0], "feed and cut");
    let png = image::open(out.path().join("receipt-sample.png")).unwrap();
    assert_eq!((png.width(), png.height() as usize), (576, rows));

    let pdf = std::fs::read(out.path().join("receipt-sample-a4.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/MediaBox [0 0 595.28 841.89]"), "A4");
    assert!(text.contains("/Count 1"));
    assert!(text.trim_end().ends_with("%%EOF"));
}
