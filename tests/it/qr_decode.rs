//! Every QR code the kiosk makes reads with an ordinary QR reader
//! (`zbarimg`, from Debian's zbar-tools; `scripts/test` installs it).

use motcua::print::ticket::{PrintedTicket, reference, spool};
use motcua::store::Ticket;
use motcua_core::queue::{Lane, TicketNumber};
use motcua_testkit::zbarimg;
use std::path::Path;

#[test]
fn the_printed_ticket_qr_decodes_to_its_reference() {
    let at: jiff::Timestamp = "2026-11-28T02:41:00Z".parse().unwrap();
    let ticket = Ticket {
        id: 1,
        day: motcua_core::time::local_day(at),
        number: TicketNumber::new("C", 7),
        lane: Lane::Normal,
        procedure: None,
        issued_at: at,
        same_lane_ahead: 0,
        other_lane_waiting: 0,
    };
    let r = reference("000.00.01.H26", &ticket);
    let printed = PrintedTicket {
        office: "Trung tâm Phục vụ hành chính công phường Hoàn Kiếm".into(),
        unit: "Bộ phận Một cửa".into(),
        title: "SỐ THỨ TỰ".into(),
        number: "C-007".into(),
        priority: None,
        lines: vec!["Nhóm C".into()],
        footer: "Xin vui lòng chờ gọi số".into(),
        reference: r.clone(),
        file_stem: "qr-test".into(),
        large: false,
    };
    let dir = tempfile::tempdir().unwrap();
    let png = spool(&printed, dir.path()).unwrap();
    assert_eq!(zbarimg(&png), r);
    // In large print too: the larger number leaves the code as it was.
    let large = PrintedTicket {
        large: true,
        file_stem: "qr-test-large".into(),
        ..printed
    };
    let png = spool(&large, dir.path()).unwrap();
    assert_eq!(zbarimg(&png), r);
}

#[test]
fn the_on_screen_ticket_qr_decodes() {
    // The snapshot of the ticket screen, as a citizen's phone would see it.
    let png = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/ticket-portrait-tiny-skia.png");
    assert_eq!(zbarimg(&png), "MCT1:000.00.01.H26/261128/A-001");
}
