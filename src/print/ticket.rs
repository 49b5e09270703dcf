//! The printed queue ticket: an 80 mm thermal slip.

use std::io;
use std::path::{Path, PathBuf};

use super::{Canvas, Place, Raster, Style, THERMAL_WIDTH, fonts, write_atomically};

const MARGIN: u32 = 16;
/// The number's size in dots, and in large print (the kiosk's large-text
/// mode): at least 1.5 times larger, up to [`NUMBER_LARGE_MAX`] when it fits
/// on one line.
const NUMBER: f32 = 128.0;
const NUMBER_LARGE_MIN: f32 = NUMBER * 1.5;
const NUMBER_LARGE_MAX: f32 = NUMBER * 1.75;
/// Size of one QR module in dots (1 mm at 203 dpi).
const QR_MODULE: u32 = 8;
use crate::store::Ticket;
use motcua_core::time::local;

/// The reference a ticket's QR carries: office, day and number, nothing
/// about the person. Upper case only, so it fits QR alphanumeric mode.
pub fn reference(office_code: &str, ticket: &Ticket) -> String {
    let day = ticket.day;
    format!(
        "MCT1:{}/{:02}{:02}{:02}/{}",
        office_code.to_uppercase(),
        day.year() % 100,
        day.month(),
        day.day(),
        ticket.number
    )
}

/// What goes on a printed ticket, already in the citizen's language.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintedTicket {
    pub office: String,
    pub unit: String,
    pub title: String,
    pub number: String,
    /// The priority mark, for priority tickets.
    pub priority: Option<String>,
    /// Group, procedure, time, people ahead.
    pub lines: Vec<String>,
    pub footer: String,
    /// Encoded in the QR.
    pub reference: String,
    /// Used for the spool file name.
    pub file_stem: String,
    /// Large print, for a citizen who chose large text: the number at
    /// least 1.5 times larger.
    pub large: bool,
}

/// The number as printed, and its size: large print as large as fits on
/// the paper's width and never under 1.5 times the normal size; a number
/// too long for that goes on two lines, after its dash (B2- / 023).
fn number_lines(fonts: &mut super::Fonts, number: &str, large: bool, width: u32) -> (String, f32) {
    if !large {
        return (number.to_string(), NUMBER);
    }
    let fits = |fonts: &mut super::Fonts, text: &str| {
        let wide = Canvas::width_of(fonts, text, Style::new(NUMBER_LARGE_MAX, true, Place::Center));
        (NUMBER_LARGE_MAX * width as f32 / wide.max(1.0))
            .floor()
            .min(NUMBER_LARGE_MAX)
    };
    let size = fits(fonts, number);
    if size >= NUMBER_LARGE_MIN {
        return (number.to_string(), size);
    }
    let text = match number.split_once('-') {
        Some((group, n)) => format!("{group}-\n{n}"),
        None => number.to_string(),
    };
    let size = fits(fonts, &text).max(NUMBER_LARGE_MIN);
    (text, size)
}

/// Renders a ticket.
pub fn render(t: &PrintedTicket) -> Raster {
    let mut guard = fonts().lock().unwrap_or_else(|p| p.into_inner());
    let fonts = &mut *guard;
    let centred = |size, bold| Style::new(size, bold, Place::Center);
    let mut c = Canvas::new(THERMAL_WIDTH, MARGIN);
    c.space(8);
    c.text(fonts, &t.office, centred(26.0, true));
    c.text(fonts, &t.unit, centred(24.0, false));
    c.rule();
    c.text(fonts, &t.title, centred(28.0, false));
    let (number, size) = number_lines(fonts, &t.number, t.large, c.inner_width());
    c.text(fonts, &number, centred(size, true));
    if let Some(p) = &t.priority {
        c.text(fonts, &p.to_uppercase(), centred(32.0, true));
    }
    c.space(8);
    for line in &t.lines {
        c.text(fonts, line, centred(24.0, false));
    }
    c.space(8);
    if let Ok(code) = qrcode::QrCode::with_error_correction_level(&t.reference, qrcode::EcLevel::M) {
        c.qr(&code, QR_MODULE);
    }
    c.text(fonts, &t.footer, centred(24.0, false));
    c.space(24);
    c.into_raster()
}

/// Renders a ticket into the spool folder as `<stem>.png` and `<stem>.bin`
/// (ESC/POS); returns the PNG's path.
pub fn spool(t: &PrintedTicket, dir: &Path) -> io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let raster = render(t);
    let png = dir.join(format!("{}.png", t.file_stem));
    write_atomically(&png, &raster.to_png())?;
    write_atomically(&dir.join(format!("{}.bin", t.file_stem)), &raster.to_escpos())?;
    Ok(png)
}

/// Prints a ticket: into the spool folder as PNG and ESC/POS, or to a
/// printer as ESC/POS.
pub fn print(t: &PrintedTicket, printer: &super::device::Printer) -> Result<(), super::device::PrintError> {
    use super::device::Print;
    match printer {
        super::device::Printer::Folder { path } => spool(t, path)
            .map(|_| ())
            .map_err(|e| super::device::PrintError::NoDevice(format!("{}: {e}", path.display()))),
        other => other.print(&t.file_stem, &render(t).to_escpos()),
    }
}

/// The time and date of a ticket as printed: `09:41` and `28/11/2026`.
pub fn time_and_date(ticket: &Ticket) -> (String, String) {
    let z = local(ticket.issued_at);
    (z.strftime("%H:%M").to_string(), z.strftime("%d/%m/%Y").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use motcua_core::queue::{Lane, TicketNumber};

    fn ticket() -> Ticket {
        let at: jiff::Timestamp = "2026-11-28T02:41:00Z".parse().unwrap();
        Ticket {
            id: 7,
            day: motcua_core::time::local_day(at),
            number: TicketNumber::new("B", 23),
            lane: Lane::Priority,
            procedure: Some("1.001193".into()),
            issued_at: at,
            same_lane_ahead: 2,
            other_lane_waiting: 5,
        }
    }

    fn printed() -> PrintedTicket {
        PrintedTicket {
            office: "Trung tâm Phục vụ hành chính công phường Hoàn Kiếm".into(),
            unit: "Bộ phận Một cửa".into(),
            title: "SỐ THỨ TỰ".into(),
            number: "B-023".into(),
            priority: Some("Lượt ưu tiên".into()),
            lines: vec![
                "Nhóm B: Đất đai – Xây dựng".into(),
                "Lấy lúc 09:41 ngày 28/11/2026".into(),
            ],
            footer: "Xin vui lòng chờ gọi số".into(),
            reference: reference("000.00.01.H26", &ticket()),
            file_stem: "ticket-test".into(),
            large: false,
        }
    }

    #[test]
    fn the_reference_carries_no_personal_data_and_fits_alphanumeric_mode() {
        let r = reference("000.00.01.h26", &ticket());
        assert_eq!(r, "MCT1:000.00.01.H26/261128/B-023");
        let alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        assert!(r.chars().all(|c| alnum.contains(c)), "{r}");
    }

    #[test]
    fn the_ticket_is_576_dots_wide_with_ink_in_it() {
        let r = render(&printed());
        assert_eq!(r.width, 576);
        assert!(r.height > 600 && r.height < 2000, "height {}", r.height);
        let black = (0..r.height)
            .flat_map(|y| (0..r.width).map(move |x| (x, y)))
            .filter(|&(x, y)| r.get(x, y))
            .count();
        let share = black as f64 / (r.width * r.height) as f64;
        assert!(share > 0.03 && share < 0.5, "black share {share}");
        // Nothing is drawn in the side margins but the QR quiet zone is white too.
        assert!((0..r.height).all(|y| !r.get(0, y) && !r.get(575, y)));
    }

    /// The runs of rows with ink in them (top, height), top to bottom.
    fn bands(r: &Raster) -> Vec<(u32, u32)> {
        let mut bands = Vec::new();
        let mut start = None;
        for y in 0..=r.height {
            let ink = y < r.height && (0..r.width).any(|x| r.get(x, y));
            match (ink, start) {
                (true, None) => start = Some(y),
                (false, Some(s)) => {
                    bands.push((s, y - s));
                    start = None;
                }
                _ => {}
            }
        }
        bands
    }

    /// How tall the number prints, in dots: the tallest band of ink but
    /// the QR code's, which is the tallest of all.
    fn number_height(r: &Raster) -> u32 {
        let mut heights: Vec<u32> = bands(r).into_iter().map(|(_, h)| h).collect();
        heights.sort_unstable();
        heights[heights.len() - 2]
    }

    #[test]
    fn large_print_makes_the_number_half_as_large_again_on_the_same_paper() {
        let normal = render(&printed());
        let large = render(&PrintedTicket {
            large: true,
            ..printed()
        });
        let (n, l) = (number_height(&normal), number_height(&large));
        assert!((80..=110).contains(&n), "the number is {n} dots high");
        assert!(l * 2 >= n * 3, "large print: {l} dots against {n}");
        assert_eq!(large.width, 576);
        assert!((0..large.height).all(|y| (0..MARGIN / 2).all(|x| !large.get(x, y) && !large.get(575 - x, y))));
        // A long number still prints on the paper, at least as large, on
        // two lines.
        let long = render(&PrintedTicket {
            large: true,
            number: "B12-1234".into(),
            ..printed()
        });
        assert!((0..long.height).all(|y| (0..MARGIN / 2).all(|x| !long.get(x, y) && !long.get(575 - x, y))));
        let tall = bands(&long).iter().filter(|(_, h)| h * 2 >= n * 3).count();
        assert_eq!(tall, 3, "two lines of the number and the QR code");
    }

    #[test]
    fn escpos_job_parses_back_to_the_raster() {
        let r = render(&printed());
        let job = r.to_escpos();
        assert_eq!(&job[..2], &[0x1b, b'@']);
        let mut i = 2;
        let mut rows = Vec::new();
        while job[i..].starts_with(&[0x1d, b'v', b'0', 0]) {
            let bpr = u16::from_le_bytes([job[i + 4], job[i + 5]]) as usize;
            let n = u16::from_le_bytes([job[i + 6], job[i + 7]]) as usize;
            assert_eq!(bpr, 72);
            rows.extend_from_slice(&job[i + 8..i + 8 + bpr * n]);
            i += 8 + bpr * n;
        }
        assert_eq!(rows, r.bits);
        assert_eq!(&job[i..], &[0x1b, b'd', 4, 0x1d, b'V', 66, 0]);
    }

    #[test]
    fn spooling_writes_png_and_escpos() {
        let dir = tempfile::tempdir().unwrap();
        let png = spool(&printed(), dir.path()).unwrap();
        let img = image::load_from_memory(&std::fs::read(&png).unwrap()).unwrap();
        assert_eq!(img.width(), 576);
        assert!(dir.path().join("ticket-test.bin").exists());
        assert!(!dir.path().join("ticket-test.part").exists());
    }

    #[test]
    fn time_is_local() {
        assert_eq!(time_and_date(&ticket()), ("09:41".into(), "28/11/2026".into()));
    }
}
