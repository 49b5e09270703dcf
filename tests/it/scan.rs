//! Scanning at the counter against SANE's own `test` backend, a virtual
//! device that makes real pages, through the real `scanimage`: pages,
//! the feeder, each fault the device reports, cancelling, a full disk;
//! and the document's PDF read back by poppler (`pdfinfo`, `pdftoppm`).

use std::path::Path;
use std::process::Command;

use motcua::scan::{Cancel, Mode, Page, ScanError, ScanRequest, Scanner, Source, encode_pdf};
use motcua_core::i18n::Lang;
use motcua_testkit::sane::Sane;
use sha2::Digest;

fn request(mode: Mode, source: Source, resolution: u32) -> ScanRequest {
    ScanRequest {
        mode,
        source,
        resolution,
    }
}

fn scan(scanner: &Scanner, request: &ScanRequest) -> Result<Vec<Page>, ScanError> {
    scanner.scan(request, &Cancel::default(), &mut |_| {})
}

/// How far `a` is from `b`, for sizes the device rounds.
fn near(a: u32, b: u32) -> bool {
    a.abs_diff(b) <= 1
}

#[test]
fn a_flatbed_page_is_one_a4_page_at_300_dpi_grey() {
    let sane = Sane::new();
    let pages = scan(&sane.scanner("test:0"), &ScanRequest::default()).unwrap();
    assert_eq!(pages.len(), 1);
    let page = &pages[0];
    // 210 × 297 mm at 300 dpi.
    assert!(near(page.width, 2480) && near(page.height, 3508), "{page:?}");
    assert_eq!((page.mode, page.dpi), (Mode::Grey, 300));
    assert_eq!(page.pixels.len(), (page.width * page.height) as usize);
    // The backend's default picture is solid black.
    assert!(page.pixels.iter().all(|&v| v == 0));
}

#[test]
fn a_colour_page_has_three_samples_a_pixel() {
    let sane = Sane::with(&[("test-picture", "\"Color pattern\"")]);
    let pages = scan(&sane.scanner("test:0"), &request(Mode::Colour, Source::Flatbed, 100)).unwrap();
    let page = &pages[0];
    assert_eq!(page.mode, Mode::Colour);
    assert!(near(page.width, 827) && near(page.height, 1169), "{page:?}");
    assert_eq!(page.pixels.len(), (page.width * page.height * 3) as usize);
    let colourful = page.pixels.chunks(3).filter(|p| p[0] != p[1] || p[1] != p[2]).count();
    assert!(colourful > page.pixels.len() / 30, "{colourful} coloured pixels");
}

#[test]
fn the_feeder_gives_every_sheet_each_as_it_arrives() {
    let sane = Sane::new();
    let scratch = tempfile::tempdir().unwrap();
    let mut arrived = 0;
    let pages = sane
        .scanner("test:0")
        .scan_in(
            scratch.path(),
            &request(Mode::Grey, Source::Feeder, 75),
            &Cancel::default(),
            &mut |page| {
                arrived += 1;
                assert!(page.is_whole());
            },
        )
        .unwrap();
    // The test backend's feeder holds 10 sheets; running out ends the batch.
    assert_eq!((pages.len(), arrived), (10, 10));
    assert!(pages.iter().all(|p| near(p.width, 620)));
    assert_eq!(
        std::fs::read_dir(scratch.path()).unwrap().count(),
        0,
        "the scratch is gone"
    );
}

#[test]
fn the_device_lists_its_sources_and_devices() {
    let sane = Sane::new();
    let scanner = sane.scanner("test:0");
    // The test device has a feeder but no duplex: the screen offers none.
    assert_eq!(scanner.sources().unwrap(), [Source::Flatbed, Source::Feeder]);
    let names: Vec<String> = scanner.devices().unwrap().into_iter().map(|d| d.name).collect();
    assert_eq!(names, ["test:0", "test:1"]);
    // Duplex asked of a device without it is refused before any paper moves.
    let e = scan(&scanner, &request(Mode::Grey, Source::FeederDuplex, 75)).unwrap_err();
    assert!(
        matches!(e, ScanError::Failed(ref m) if m.contains("FeederDuplex")),
        "{e:?}"
    );
}

#[test]
fn each_fault_the_device_reports_is_its_own_error_with_a_message() {
    for (status, expected, vi) in [
        ("SANE_STATUS_DEVICE_BUSY", ScanError::Busy, "bận"),
        ("SANE_STATUS_JAMMED", ScanError::Jammed, "kẹt giấy"),
        ("SANE_STATUS_COVER_OPEN", ScanError::CoverOpen, "Nắp máy quét"),
        ("SANE_STATUS_CANCELLED", ScanError::Cancelled, "dừng quét"),
        ("SANE_STATUS_NO_DOCS", ScanError::NoPaper, "Khay nạp"),
        (
            "SANE_STATUS_IO_ERROR",
            ScanError::Failed("the connection to the scanner broke (SANE I/O error)".into()),
            "Máy quét báo lỗi: the connection to the scanner broke",
        ),
        (
            "SANE_STATUS_ACCESS_DENIED",
            ScanError::Failed("access to the scanner was denied: is motcua in the group scanner? (SANE)".into()),
            "group scanner",
        ),
    ] {
        let sane = Sane::with(&[("read-status-code", &format!("\"{status}\""))]);
        let scratch = tempfile::tempdir().unwrap();
        let e = sane
            .scanner("test:0")
            .scan_in(
                scratch.path(),
                &request(Mode::Grey, Source::Feeder, 75),
                &Cancel::default(),
                &mut |_| panic!("{status}: no page arrives"),
            )
            .unwrap_err();
        assert_eq!(e, expected, "{status}");
        assert!(e.text(Lang::Vi).contains(vi), "{status}: {}", e.text(Lang::Vi));
        assert!(!e.text(Lang::En).starts_with("scan-error"), "{status}");
        assert_eq!(std::fs::read_dir(scratch.path()).unwrap().count(), 0, "{status}");
    }
}

#[test]
fn a_scan_cancelled_half_way_keeps_nothing() {
    let sane = Sane::new();
    let scratch = tempfile::tempdir().unwrap();
    let cancel = Cancel::default();
    let mut arrived = 0;
    let e = sane
        .scanner("test:0")
        .scan_in(
            scratch.path(),
            &request(Mode::Grey, Source::Feeder, 75),
            &cancel,
            &mut |_| {
                arrived += 1;
                cancel.cancel();
            },
        )
        .unwrap_err();
    assert_eq!(e, ScanError::Cancelled);
    assert_eq!(arrived, 1, "no page after the cancel");
    assert_eq!(
        std::fs::read_dir(scratch.path()).unwrap().count(),
        0,
        "the scratch is gone"
    );
}

#[test]
fn no_program_no_device_and_an_unknown_device_are_no_scanner() {
    let sane = Sane::new();
    let mut missing = sane.scanner("test:0");
    missing.program = "/nonexistent/scanimage".into();
    assert_eq!(scan(&missing, &ScanRequest::default()), Err(ScanError::NoScanner));
    assert_eq!(missing.devices(), Err(ScanError::NoScanner));

    // A name in the configuration that SANE does not know (a backend that
    // is not installed).
    let unknown = sane.scanner("nosuch:usb:001:004");
    assert_eq!(scan(&unknown, &ScanRequest::default()), Err(ScanError::NoScanner));
    assert_eq!(unknown.sources(), Err(ScanError::NoScanner));

    // SANE with no backend at all finds nothing.
    let empty = tempfile::tempdir().unwrap();
    std::fs::write(empty.path().join("dll.conf"), "").unwrap();
    let none = Scanner {
        program: "scanimage".into(),
        device: None,
        env: vec![("SANE_CONFIG_DIR".into(), empty.path().display().to_string())],
    };
    assert_eq!(scan(&none, &ScanRequest::default()), Err(ScanError::NoScanner));
    assert_eq!(none.devices(), Ok(Vec::new()));
}

/// The disk fills as the page is written: its file leads to /dev/full,
/// where every write fails with ENOSPC. scanimage ignores that failure;
/// the scan must not.
#[test]
fn a_full_disk_is_disk_full_and_leaves_nothing() {
    let sane = Sane::new();
    let scratch = tempfile::tempdir().unwrap();
    // scanimage writes p0001.pnm.part and renames it when the page is done
    // (older versions write p0001.pnm directly).
    for name in ["p0001.pnm.part", "p0001.pnm"] {
        std::os::unix::fs::symlink("/dev/full", scratch.path().join(name)).unwrap();
    }
    let e = sane
        .scanner("test:0")
        .scan_into(
            scratch.path(),
            &request(Mode::Grey, Source::Flatbed, 75),
            &Cancel::default(),
            &mut |_| panic!("no page arrives"),
        )
        .unwrap_err();
    assert_eq!(e, ScanError::DiskFull);
    assert!(e.text(Lang::Vi).contains("đầy"), "{}", e.text(Lang::Vi));
    let left: Vec<_> = std::fs::read_dir(scratch.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

/// A line of `pdfinfo`'s report: "Pages:           3" gives "3".
fn info_line<'a>(report: &'a str, name: &str) -> &'a str {
    report
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .map(|v| v.trim_start_matches(':').trim())
        .unwrap_or_else(|| panic!("no {name} in {report}"))
}

fn run(program: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(program)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("{program} is installed (scripts/test installs poppler-utils): {e}"));
    assert!(
        out.status.success(),
        "{program}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A binary PGM's width, height and samples.
fn read_pgm(path: &Path) -> (u32, u32, Vec<u8>) {
    let bytes = std::fs::read(path).unwrap();
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P5");
    (
        fields[1].parse().unwrap(),
        fields[2].parse().unwrap(),
        bytes[at + 1..].to_vec(),
    )
}

#[test]
fn a_scanned_document_is_a_pdf_that_poppler_reads_and_renders() {
    let sane = Sane::with(&[("test-picture", "\"Grid\"")]);
    let scanner = sane.scanner("test:0");
    let mut pages = scan(&scanner, &request(Mode::Grey, Source::Feeder, 100)).unwrap();
    pages.truncate(2);
    pages.extend(scan(&scanner, &request(Mode::Colour, Source::Flatbed, 100)).unwrap());
    let at = jiff::Timestamp::from_second(1_795_000_000).unwrap();
    let pdf = encode_pdf(&pages, "Giấy khai sinh (bản sao)", at).unwrap();
    assert_eq!(pdf.pages, 3);
    assert_eq!(pdf.sha256, format!("{:x}", sha2::Sha256::digest(&pdf.bytes)));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.pdf");
    std::fs::write(&file, &pdf.bytes).unwrap();
    let info = run("pdfinfo", &[], &file);
    assert_eq!(info_line(&info, "Pages"), "3");
    assert_eq!(info_line(&info, "PDF version"), "1.7");
    assert_eq!(info_line(&info, "Title"), "Giấy khai sinh (bản sao)");
    assert_eq!(info_line(&info, "Encrypted"), "no");
    for (i, page) in pages.iter().enumerate() {
        let n = (i + 1).to_string();
        let info = run("pdfinfo", &["-f", &n, "-l", &n], &file);
        let size = info_line(&info, &format!("Page {n:>4} size"));
        let points: Vec<f32> = size.split(' ').filter_map(|v| v.parse().ok()).collect();
        let expected = [page.width as f32 * 0.72, page.height as f32 * 0.72];
        assert!(
            points.len() == 2 && (points[0] - expected[0]).abs() < 0.01 && (points[1] - expected[1]).abs() < 0.01,
            "page {n}: {size}, not {expected:?}"
        );
    }
    let meta = run("pdfinfo", &["-meta"], &file);
    assert!(meta.contains("<pdfaid:part>2</pdfaid:part>"), "{meta}");
    assert!(meta.contains("<pdfaid:conformance>B</pdfaid:conformance>"), "{meta}");

    // Rendered at the scan's own resolution, each page is its pixels again:
    // the grid's black lines on white.
    let rendered = Command::new("pdftoppm")
        .args(["-r", "100", "-gray"])
        .arg(&file)
        .arg(dir.path().join("page"))
        .status()
        .unwrap();
    assert!(rendered.success());
    // pdftoppm writes page-1.pgm … in the order of the pages.
    for (i, page) in pages.iter().enumerate() {
        let (w, h, samples) = read_pgm(&dir.path().join(format!("page-{}.pgm", i + 1)));
        assert!(near(w, page.width) && near(h, page.height), "page {}: {w} × {h}", i + 1);
        let dark = samples.iter().filter(|&&v| v < 64).count();
        let light = samples.iter().filter(|&&v| v > 192).count();
        assert!(dark > samples.len() / 20, "page {}: {dark} dark pixels", i + 1);
        assert!(light > samples.len() / 5, "page {}: {light} light pixels", i + 1);
    }
}

#[test]
fn the_same_pages_title_and_time_give_the_same_bytes() {
    let sane = Sane::with(&[("test-picture", "\"Grid\"")]);
    let pages = scan(&sane.scanner("test:0"), &request(Mode::Grey, Source::Feeder, 75)).unwrap();
    let at = jiff::Timestamp::from_second(1_795_000_000).unwrap();
    let one = encode_pdf(&pages[..3], "Sổ hộ khẩu", at).unwrap();
    let two = encode_pdf(&pages[..3], "Sổ hộ khẩu", at).unwrap();
    assert!(one.bytes == two.bytes, "two encodings differ");
    assert_eq!(one.sha256, two.sha256);
    // Another time is another file (its dates and identifier).
    let later = encode_pdf(
        &pages[..3],
        "Sổ hộ khẩu",
        at.checked_add(jiff::SignedDuration::from_secs(1)).unwrap(),
    )
    .unwrap();
    assert_ne!(one.sha256, later.sha256);
}
