//! The receipts: the samples IT staff print decode with an ordinary QR
//! reader (`zbarimg`), call themselves samples and leave no key behind; a
//! counter's genuine receipts verify; the ESC/POS job parses back to the
//! raster; the A4 PDF is real text on A4 pages, as many as it needs, read
//! back with poppler's tools.

use std::path::Path;
use std::process::Command;

use motcua_testkit::zbarimg;

/// The moment the samples are dated: 09:41 on 28/11/2026 in Hà Nội.
const SAMPLED: &str = "2026-11-28T02:41:00Z";

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
        &[
            "receipt",
            "sample",
            "--at",
            SAMPLED,
            "--out",
            out.path().to_str().unwrap(),
        ],
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
    // The thermal and the A4 receipt both carry it, readable by any QR
    // reader, and beside it the fee's VietQR (into a sample account).
    for page in ["receipt-sample.png", "receipt-sample-a4.png"] {
        let mut read = motcua_testkit::zbarimg_all(&out.path().join(page));
        read.sort();
        assert_eq!(read.len(), 2, "{page}: {read:?}");
        assert!(
            read[0].starts_with("000201010212") && read[0].contains("0006000000"),
            "{page}: {read:?}"
        );
        assert_eq!(read[1], text, "{page}");
    }
    let payload = motcua::receipt::decode_unverified(&text).unwrap();
    assert_eq!(payload.key_id, motcua::receipt::keys::SAMPLE_KEY_ID);
    assert!(payload.dossier_code.starts_with("000.00.01.H26-"));
    assert_eq!(payload.procedure, "1.001193");
    // On paper too.
    let pdf_text = poppler("pdftotext", &[], &out.path().join("receipt-sample-a4.pdf"));
    assert!(pdf_text.contains("BẢN MẪU / SAMPLE"), "{pdf_text}");
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
        &[
            "receipt",
            "sample",
            "--at",
            SAMPLED,
            "--out",
            out.path().to_str().unwrap(),
        ],
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
            &[
                "receipt",
                "sample",
                "--at",
                SAMPLED,
                "--out",
                out.path().to_str().unwrap()
            ],
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

/// Runs one of poppler's tools (`scripts/test` installs poppler-utils).
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" { &["-"][..] } else { &[][..] })
        .output()
        .unwrap_or_else(|e| panic!("{tool} is installed (scripts/test installs poppler-utils): {e}"));
    assert!(out.status.success(), "{tool}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A dossier with many documents, as a citizen with a family's papers hands in.
fn long_receipt() -> motcua::print::receipt::ReceiptDoc {
    use motcua::print::receipt::{Item, ReceiptDoc};
    use motcua::receipt::keys::Signer;
    let office = "000.00.01.H26";
    let at: jiff::Timestamp = "2026-11-28T02:41:00Z".parse().unwrap();
    let qr_text = motcua::receipt::Payload {
        key_id: 1,
        office: office.into(),
        dossier_code: format!("{office}-261128-0042"),
        procedure: "1.001193".into(),
        received: at,
        appointment: jiff::civil::date(2026, 12, 4),
        secret: [9; 8],
    }
    .sign(&Signer::generate(office, 1).key().unwrap())
    .unwrap();
    ReceiptDoc {
        agency: "Ủy ban nhân dân phường Hoàn Kiếm".into(),
        unit: "Bộ phận tiếp nhận và trả kết quả".into(),
        place: "Hà Nội".into(),
        dossier_code: format!("{office}-261128-0042"),
        qr_text,
        lookup_secret: "0909090909090909".into(),
        // Typed with combining marks (as some keyboards send them): the
        // PDF gives back the ordinary, precomposed letters.
        applicant: "Nguye\u{302}\u{303}n Thị Ánh Tuyết".into(),
        id_number: "001199012345".into(),
        phone: "0912345678".into(),
        email: None,
        address: "Số 12 ngõ Hàng Bạc, phường Hoàn Kiếm, Hà Nội".into(),
        principal: None,
        request: "Đăng ký kết hôn có yếu tố nước ngoài".into(),
        documents: (1..=60)
            .map(|i| Item {
                name: format!("Giấy tờ kèm theo số {i:02}: bản dịch công chứng giấy xác nhận tình trạng hôn nhân"),
                originals: 1,
                copies: (i % 3) as u8,
            })
            .collect(),
        sets: 1,
        legal_time: "10 ngày làm việc".into(),
        received_time: "09:41".into(),
        received_date: "28/11/2026".into(),
        appointment: "04/12/2026".into(),
        appointment_time: "16:00".into(),
        collect_at: "Quầy số 3".into(),
        fees: "1.500.000 đồng".into(),
        register: Some("Quyển số 01/2026, số 0042".into()),
        officer: "Trần Thị Cán Bộ".into(),
        layouts: std::sync::Arc::new(motcua_core::forms::Layouts::builtin()),
        fee_qr: None,
    }
}

#[test]
fn a_long_a4_receipt_goes_on_over_a4_pages_of_real_text_with_a_readable_qr() {
    let doc = long_receipt();
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("receipt.pdf");
    let bytes = motcua::print::receipt::a4_pdf(&doc);
    std::fs::write(&pdf, &bytes).unwrap();
    // Text and vectors, a font subset: small enough to mail or archive.
    assert!(bytes.len() < 200_000, "{} bytes", bytes.len());

    let info = poppler("pdfinfo", &[], &pdf);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("{info}"));
    assert!(pages >= 2, "{pages} page(s): the content was squeezed onto one");
    let sizes = poppler("pdfinfo", &["-f", "1", "-l", &pages.to_string()], &pdf);
    let page_sizes: Vec<&str> = sizes
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains("size:"))
        .collect();
    assert_eq!(page_sizes.len(), pages, "{sizes}");
    for line in page_sizes {
        assert!(line.ends_with("595.28 x 841.89 pts (A4)"), "{line}");
    }

    // The text copies out as written, every diacritic in place.
    let text = poppler("pdftotext", &[], &pdf);
    // Lines wrap where they must: compare across them.
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Tiếp nhận hồ sơ của Ông (Bà)/Tổ chức: Nguyễn Thị Ánh Tuyết",
        "000.00.01.H26-261128-0042",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Địa chỉ: Số 12 ngõ Hàng Bạc, phường Hoàn Kiếm, Hà Nội",
        "Nội dung yêu cầu giải quyết: Đăng ký kết hôn có yếu tố nước ngoài",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
    ] {
        assert!(text.contains(expected), "{expected:?} not in the PDF's text:\n{text}");
    }
    // Every document listed once, none lost at a page break.
    for i in 1..=60 {
        let name = format!("Giấy tờ kèm theo số {i:02}:");
        assert_eq!(text.matches(&name).count(), 1, "{name}");
    }
    // The last page ends the receipt, and every page names its dossier.
    let last = poppler("pdftotext", &["-f", &pages.to_string(), "-l", &pages.to_string()], &pdf);
    assert!(last.contains("Trần Thị Cán Bộ"), "{last}");
    assert!(
        last.contains(&format!("Mã hồ sơ: 000.00.01.H26-261128-0042 · Trang {pages}/{pages}")),
        "{last}"
    );

    // The QR on the first page reads with an ordinary reader.
    let stem = dir.path().join("page");
    Command::new("pdftoppm")
        .args(["-r", "150", "-f", "1", "-l", "1", "-png", "-singlefile"])
        .arg(&pdf)
        .arg(&stem)
        .status()
        .expect("pdftoppm is installed (scripts/test installs poppler-utils)");
    assert_eq!(zbarimg(&dir.path().join("page.png")), doc.qr_text);
}

/// The text of a PDF, its lines joined, to compare across wraps.
fn pdf_words(pdf: &Path) -> String {
    poppler("pdftotext", &[], pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The QR on a PDF's first page, as an ordinary reader reads it.
fn pdf_qr(pdf: &Path, dir: &Path) -> String {
    let stem = dir.join("qr-page");
    let ok = Command::new("pdftoppm")
        .args(["-r", "150", "-f", "1", "-l", "1", "-png", "-singlefile"])
        .arg(pdf)
        .arg(&stem)
        .status()
        .expect("pdftoppm is installed (scripts/test installs poppler-utils)");
    assert!(ok.success());
    zbarimg(&dir.join("qr-page.png"))
}

#[test]
fn receipt_sample_writes_every_form_of_the_set_with_its_text_and_the_signed_qr() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let (ok, listing) = motcua(
        &[
            "receipt",
            "sample",
            "--at",
            SAMPLED,
            "--out",
            out.path().to_str().unwrap(),
        ],
        data.path(),
    );
    assert!(ok, "{listing}");
    let qr = std::fs::read_to_string(out.path().join("receipt-sample.txt")).unwrap();
    assert!(qr.starts_with("MC1:"), "{qr}");

    // The 2025 receipt: the applicant's ID number, the principal and the
    // authorisation, hour and minute of receipt and of the appointment,
    // the result by post, the register book.
    let receipt = pdf_words(&out.path().join("receipt-sample-a4.pdf"));
    for expected in [
        "Mẫu số 01",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Số định danh cá nhân/Mã số tổ chức: 001099000000",
        "Nộp theo ủy quyền của Ông (Bà)/Tổ chức: Lê Thị Ủy Quyền (dữ liệu mẫu); số định danh cá nhân/mã số tổ chức: 001199000000",
        "Văn bản ủy quyền: Giấy ủy quyền số 01/UQ-MẪU",
        "5. Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 00 phút, ngày",
        "6. Đăng ký nhận kết quả tại: Dịch vụ bưu chính công ích, gửi đến: Số 2 phố Mẫu",
        "8. Vào sổ theo dõi hồ sơ: Quyển số 01/2026, số 0001",
        "NGƯỜI NỘP HỒ SƠ",
    ] {
        assert!(
            receipt.contains(expected),
            "{expected:?} not in the receipt:\n{receipt}"
        );
    }
    assert!(
        receipt.contains("4. Thời gian nhận hồ sơ: ") && receipt.contains(" giờ "),
        "{receipt}"
    );

    let forms: [(&str, &[&str]); 5] = [
        (
            "form-02-supplement",
            &[
                "Mẫu số 02",
                "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
                "1. Bản sao Giấy chứng nhận kết hôn",
                "2. Tờ khai ký đủ chữ ký của người đi khai",
                "Lý do: Hồ sơ thiếu giấy tờ theo quy định",
                "NGƯỜI HƯỚNG DẪN",
            ],
        ),
        (
            "form-03-refusal",
            &[
                "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
                "Số định danh cá nhân/Mã số tổ chức: 001099000000",
                "Thủ tục không thuộc thẩm quyền giải quyết của cơ quan",
            ],
        ),
        (
            "form-04-apology",
            &[
                "PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
                "Thời gian hẹn trả kết quả giải quyết hồ sơ: 16 giờ 00 phút",
                "Lý do: Cần xác minh thêm thông tin với cơ quan khác",
                "xin hẹn trả kết quả vào: 16 giờ 00 phút",
                "THỦ TRƯỞNG CƠ QUAN",
            ],
        ),
        (
            "form-05-stop",
            &[
                "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
                "Lý do: Công dân đề nghị rút hồ sơ",
                "NGƯỜI ĐỀ NGHỊ",
            ],
        ),
        (
            "form-06-control",
            &[
                "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
                "TÊN CƠ QUAN",
                "1. Giao: Người nộp hồ sơ Nhận: Bộ phận tiếp nhận và trả kết quả",
                "Đã trả kết quả",
            ],
        ),
    ];
    for (stem, expected) in forms {
        let pdf = out.path().join(format!("{stem}-sample.pdf"));
        let text = pdf_words(&pdf);
        for e in expected {
            assert!(text.contains(e), "{e:?} not in {stem}:\n{text}");
        }
        // Every form names its dossier, says it is a sample, fills every
        // placeholder and carries the dossier's signed QR.
        assert!(text.contains("BẢN MẪU / SAMPLE"), "{stem}");
        assert!(text.contains("-0001"), "{stem}: no dossier code\n{text}");
        assert!(
            !text.contains('{') && !text.contains('}'),
            "{stem}: a placeholder left\n{text}"
        );
        let info = poppler("pdfinfo", &[], &pdf);
        assert!(info.contains("595.28 x 841.89 pts (A4)"), "{stem}: {info}");
        assert_eq!(pdf_qr(&pdf, out.path()), qr, "{stem}");
        assert!(out.path().join(format!("{stem}-sample.png")).exists(), "{stem}");
    }
    // The slip marks each handover against the appointment, beyond its
    // column heading's "Trước hạn/ đúng hạn/ quá hạn".
    let slip = pdf_words(&out.path().join("form-06-control-sample.pdf"));
    assert!(slip.matches("Trước hạn").count() >= 3, "{slip}");
}
