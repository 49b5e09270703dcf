//! Digitising at the counter, headless, against SANE's test backend
//! through the real `scanimage`: each document scanned, checked and fixed
//! page by page, kept with the dossier as one PDF; the faults a scanner
//! has; a full disk; the documents of a scanned receipt, looked at; the
//! result scanned at its return.

use std::process::Command;

use motcua::scan::{Mode, ScanRequest, Scanner, Source};
use motcua::ui::counter::{Message, Panel, Place, ScanMsg, Stage};
use motcua_api::documents::DocumentKind;
use motcua_testkit::sane::Sane;

use super::counter_ui::{Harness, the_receipt};

/// Low resolution keeps the tests quick; 300 dpi is the scanner tests'.
fn request() -> ScanRequest {
    ScanRequest {
        mode: Mode::Grey,
        source: Source::Flatbed,
        resolution: 75,
    }
}

/// An officer signed in at an offline counter with `scanner`, a chip
/// card's applicant on the form for the birth registration.
fn at_counter(scanner: Scanner) -> Harness {
    at_counter_scanning(scanner, request())
}

fn at_counter_scanning(scanner: Scanner, request: ScanRequest) -> Harness {
    let mut h = Harness::offline_with(None, scanner, request);
    h.type_into("officer-id", "CB07", false);
    h.type_into("officer-pin", "246810", true);
    h.send(Message::Form(motcua::ui::counter::Edit::Procedure("1.001193".into())));
    h.type_into(
        "cccd-scan",
        "001099012345|013456789|Nguyễn Văn An|15031999|Nam|Số 12 Hàng Bạc, Hoàn Kiếm, Hà Nội|20042021",
        true,
    );
    h.type_into("phone", "0912345678", false);
    h
}

fn form(h: &Harness) -> &motcua::ui::counter::Form {
    let Stage::Desk {
        panel: Panel::Intake(f),
        ..
    } = &h.c.stage
    else {
        panic!("no intake form on screen")
    };
    f
}

fn desk(h: &Harness) -> &motcua::ui::counter::ScanDesk {
    form(h).scan_desk.as_ref().expect("the scan desk is open")
}

/// The notes of the desk's pages, in order: which are a note's second image.
fn notes(h: &Harness) -> Vec<bool> {
    desk(h).pages.iter().map(|p| p.note).collect()
}

fn pdfinfo_pages(pdf: &[u8]) -> u32 {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), pdf).unwrap();
    let out = Command::new("pdfinfo").arg(file.path()).output().expect("pdfinfo runs");
    assert!(out.status.success(), "pdfinfo reads the document");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo says how many pages")
}

#[test]
fn each_document_is_scanned_checked_fixed_and_kept_with_the_dossier_as_one_pdf() {
    let sane = Sane::with(&[("test-picture", "\"Grid\"")]);
    let mut h = at_counter(sane.scanner("test:0"));
    h.tap("doc-0-scan");
    // The test device has a glass and a feeder, no duplex: only those are
    // offered.
    assert_eq!(desk(&h).sources, [Source::Flatbed, Source::Feeder]);
    assert!(h.shows("Số hóa: Tờ khai đăng ký khai sinh theo mẫu"));
    assert!(h.shows("Chưa có trang nào. Đặt giấy lên mặt kính (hoặc vào khay nạp) rồi bấm \"Quét trang\"."));
    h.snapshot("counter-scan-empty");

    // One page from the glass, then the feeder's ten.
    h.tap("scan-start");
    assert_eq!(desk(&h).pages.len(), 1);
    h.tap("scan-feeder");
    h.tap("scan-start");
    assert_eq!(desk(&h).pages.len(), 11, "the feeder's pages follow the first");
    assert!(desk(&h).busy.is_none() && desk(&h).problem.is_none());

    // Page 2 carries a note: scanned once more, right after it; the new
    // image is shown large.
    h.tap("page-1");
    assert_eq!(desk(&h).selected, 1);
    h.tap("page-note");
    assert_eq!((desk(&h).pages.len(), desk(&h).selected), (12, 2));
    let mut expected = vec![false; 12];
    expected[2] = true;
    assert_eq!(notes(&h), expected);
    // Scanned again, a page keeps its place and what it is.
    h.tap("page-rescan");
    assert_eq!(notes(&h), expected);
    // Put in order (the page moved stays shown), then page 1 deleted.
    h.tap("page-up");
    expected.swap(1, 2);
    assert_eq!((notes(&h), desk(&h).selected), (expected.clone(), 1));
    h.tap("page-0");
    h.tap("page-delete");
    expected.remove(0);
    assert_eq!(notes(&h), expected);
    assert!(h.shows("Trang 1 (bản có ghi chú)"));
    h.snapshot("counter-scan-pages");

    h.tap("scan-done");
    let f = form(&h);
    assert!(f.scan_desk.is_none(), "done: back to the form");
    let scanned = f.scans[0].as_ref().expect("the item is digitised");
    assert_eq!(scanned.pages.len(), 11);
    assert_eq!(scanned.pdf.pages, 11);
    assert!(f.documents[0], "a scanned item is one handed in");
    let mb = scanned.pdf.bytes.len() as f64 / (1024.0 * 1024.0);
    assert!(h.shows(&format!("Đã số hóa: 11 trang, {mb:.1} MB")));
    assert!(f.scans[1].is_none());
    // Below the fold of the checklist now: ticked by its message.
    h.send(Message::Form(motcua::ui::counter::Edit::Document(1, true)));
    h.snapshot("counter-intake-digitised");

    // Taken in: the dossier and its one document, in the same commit.
    h.tap("take-in");
    let code = the_receipt(&h).taken.code.clone();
    assert!(the_receipt(&h).taken.undigitised.is_empty());
    let store = h.c.desk.store.lock().unwrap();
    let kept = store.documents(&code).unwrap();
    assert_eq!(kept.len(), 1, "one PDF per item scanned");
    assert_eq!(
        (kept[0].item.as_str(), kept[0].pages, kept[0].kind),
        ("Tờ khai đăng ký khai sinh theo mẫu", 11, DocumentKind::Intake)
    );
    let pdf = store.document_pdf(&code, &kept[0].sha256).unwrap().unwrap();
    assert_eq!(pdfinfo_pages(&pdf), 11, "poppler reads every page");
    assert_eq!(
        store.outbox_counts().unwrap().pending,
        2,
        "the dossier and its document wait for central"
    );
    drop(store);

    // The next citizen sees none of it.
    h.send(Message::ShowIntake);
    assert!(form(&h).scans.iter().all(Option::is_none));
}

#[test]
fn a_scanner_fault_is_said_plainly_and_the_dossier_goes_in_without_that_item() {
    let jammed = Sane::with(&[("read-status-code", "\"SANE_STATUS_JAMMED\"")]);
    let mut h = at_counter(jammed.scanner("test:0"));
    h.tap("doc-0-scan");
    h.tap("scan-start");
    assert!(desk(&h).pages.is_empty());
    assert!(h.shows("Máy quét bị kẹt giấy. Mở nắp, gỡ giấy ra rồi quét lại."));
    h.snapshot("counter-scan-jammed");
    h.tap("scan-close");
    assert!(form(&h).scans[0].is_none(), "not digitised");
    assert!(h.shows("Chưa số hóa"));
    h.tap("doc-0");
    h.tap("take-in");
    let code = the_receipt(&h).taken.code.clone();
    assert!(h.c.desk.store.lock().unwrap().documents(&code).unwrap().is_empty());

    // No scanner at all: said as soon as the desk opens.
    let mut h = at_counter(Scanner {
        program: "/nonexistent/scanimage".into(),
        device: None,
        env: Vec::new(),
    });
    h.tap("doc-0-scan");
    assert!(h.shows("Không tìm thấy máy quét. Kiểm tra cáp và nguồn của máy quét, rồi thử lại. Hồ sơ vẫn nhận được, mục này ghi là chưa số hóa."));

    // A scan the officer stops: the scanner is told, nothing is added.
    let sane = Sane::new();
    let mut h = at_counter(sane.scanner("test:0"));
    h.tap("doc-0-scan");
    let job = h.c.update(Message::Scan(ScanMsg::Start(Place::End)));
    h.send(Message::Scan(ScanMsg::Cancel));
    if let Some(m) = h.c.run_now(job) {
        h.send(m);
    }
    assert!(desk(&h).pages.is_empty() && desk(&h).busy.is_none());
    assert!(h.shows("Đã dừng quét. Các trang đã quét trước đó vẫn giữ nguyên."));
}

#[test]
fn a_full_disk_takes_the_dossier_in_without_its_scans_and_says_which() {
    // A grid at 300 dpi: a PDF of some 300 kB.
    let sane = Sane::with(&[("test-picture", "\"Grid\"")]);
    let mut h = at_counter_scanning(sane.scanner("test:0"), ScanRequest::default());
    h.tap("doc-0-scan");
    h.tap("scan-start");
    h.tap("scan-done");
    assert!(form(&h).scans[0].is_some());
    // Room for a dossier, not for its scan.
    h.c.desk.store.lock().unwrap().limit_growth(16 * 1024).unwrap();
    h.tap("take-in");
    let taken = &the_receipt(&h).taken;
    assert_eq!(taken.undigitised, ["Tờ khai đăng ký khai sinh theo mẫu"]);
    assert!(h.shows("Ổ đĩa đầy: không lưu được bản quét. Hồ sơ đã được tiếp nhận; các mục sau ghi là chưa số hóa: Tờ khai đăng ký khai sinh theo mẫu"));
    let store = h.c.desk.store.lock().unwrap();
    assert!(store.dossier(&taken.code).unwrap().is_some(), "the dossier is kept");
    assert!(store.documents(&taken.code).unwrap().is_empty(), "no scan half kept");
}

#[test]
fn a_scanned_receipt_shows_the_dossiers_documents_and_the_result_is_scanned_at_its_return() {
    let sane = Sane::with(&[("test-picture", "\"Grid\"")]);
    let mut h = at_counter(sane.scanner("test:0"));
    h.tap("doc-0-scan");
    h.tap("scan-start");
    h.tap("scan-done");
    h.take_in_with_fixed_secret();
    let code = the_receipt(&h).taken.code.clone();
    let text = the_receipt(&h).taken.qr_text.clone();

    h.tap("tab-verify");
    h.type_into("receipt-scan", &text, true);
    let Stage::Desk {
        panel: Panel::Verify(v),
        ..
    } = &h.c.stage
    else {
        panic!("no verify panel")
    };
    let listed = v.documents.clone().expect("listed").expect("listed without error");
    assert_eq!(listed.len(), 1);
    assert!(!listed[0].complete, "this counter's own copy, not sent yet");
    let mb = listed[0].size as f64 / (1024.0 * 1024.0);
    assert!(h.shows(&format!("• Tờ khai đăng ký khai sinh theo mẫu: 1 trang, {mb:.1} MB")));
    assert!(h.shows("đang chờ gửi"));
    h.snapshot("counter-verify-documents");

    // Looked at, page by page, read back from the PDF.
    h.send(Message::ShowDocument(Some(listed[0].sha256.clone())));
    let Stage::Desk {
        panel: Panel::Verify(v),
        ..
    } = &h.c.stage
    else {
        panic!("no verify panel")
    };
    let viewing = v.viewing.as_ref().expect("a document on screen");
    let (item, shown) = (&viewing.item, &viewing.pages);
    assert_eq!(item, "Tờ khai đăng ký khai sinh theo mẫu");
    match shown {
        Some(Ok(pages)) => assert_eq!(pages.len(), 1),
        other => panic!("the pages are not shown: {other:?}"),
    }
    assert!(h.shows("Trang 1"));
    h.snapshot("counter-document-view");
    h.send(Message::ShowDocument(None));

    // The result is scanned before it is handed over and kept with the
    // return.
    h.tap("scan-result");
    assert!(h.shows("Số hóa: Kết quả giải quyết"));
    h.tap("scan-start");
    h.tap("scan-done");
    assert!(h.shows("Bản quét kết quả: 1 trang"));
    h.tap("return-result");
    let docs = h.c.desk.store.lock().unwrap().documents(&code).unwrap();
    assert_eq!(
        docs.iter().map(|d| (d.item.as_str(), d.kind)).collect::<Vec<_>>(),
        [
            ("Tờ khai đăng ký khai sinh theo mẫu", DocumentKind::Intake),
            ("Kết quả giải quyết", DocumentKind::Result)
        ]
    );
}
