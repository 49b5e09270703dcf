//! The printed queue ticket: an 80 mm thermal slip rendered as a 1-bit
//! image 576 dots wide, with the text drawn into the image so every
//! Vietnamese diacritic prints on any printer, whatever its code pages.
//!
//! The image is written to a spool folder as PNG (to look at) and as an
//! ESC/POS raster job (`GS v 0`, to send to a printer as it is).

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use cosmic_text::{Align, Attrs, Buffer, Color, Family, FontSystem, Metrics, Shaping, SwashCache, Weight, Wrap};

use crate::domain::time::local;
use crate::store::Ticket;

/// Dots across an 80 mm paper roll at 203 dpi.
pub const WIDTH: u32 = 576;
const MARGIN: u32 = 16;
/// Size of one QR module in dots (1 mm at 203 dpi).
const QR_MODULE: u32 = 8;

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
}

/// A 1-bit image: rows of `WIDTH / 8` bytes, most significant bit first,
/// 1 for a black dot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raster {
    pub width: u32,
    pub height: u32,
    pub bits: Vec<u8>,
}

impl Raster {
    pub fn bytes_per_row(&self) -> usize {
        self.width.div_ceil(8) as usize
    }

    pub fn get(&self, x: u32, y: u32) -> bool {
        let i = y as usize * self.bytes_per_row() + (x / 8) as usize;
        self.bits[i] & (0x80 >> (x % 8)) != 0
    }

    /// The image as an 8-bit grayscale PNG (black and white only).
    pub fn to_png(&self) -> Vec<u8> {
        let mut pixels = Vec::with_capacity((self.width * self.height) as usize);
        for y in 0..self.height {
            for x in 0..self.width {
                pixels.push(if self.get(x, y) { 0u8 } else { 255 });
            }
        }
        let mut out = Vec::new();
        image::ImageEncoder::write_image(
            image::codecs::png::PngEncoder::new(&mut out),
            &pixels,
            self.width,
            self.height,
            image::ExtendedColorType::L8,
        )
        .expect("encoding a PNG into memory does not fail");
        out
    }

    /// An ESC/POS job: initialise, the raster in bands of `GS v 0`, feed
    /// and a partial cut.
    pub fn to_escpos(&self) -> Vec<u8> {
        const BAND: u32 = 128;
        let bpr = self.bytes_per_row();
        let mut out = vec![0x1b, b'@'];
        let mut y = 0;
        while y < self.height {
            let rows = BAND.min(self.height - y);
            out.extend_from_slice(&[0x1d, b'v', b'0', 0]);
            out.extend_from_slice(&(bpr as u16).to_le_bytes());
            out.extend_from_slice(&(rows as u16).to_le_bytes());
            let start = y as usize * bpr;
            out.extend_from_slice(&self.bits[start..start + rows as usize * bpr]);
            y += rows;
        }
        // Feed 4 lines, then cut.
        out.extend_from_slice(&[0x1b, b'd', 4, 0x1d, b'V', 66, 0]);
        out
    }
}

/// A grayscale canvas that grows downwards as blocks are added.
struct Canvas {
    ink: Vec<u8>,
    height: u32,
}

impl Canvas {
    fn new() -> Self {
        Self {
            ink: Vec::new(),
            height: 0,
        }
    }

    fn grow(&mut self, rows: u32) {
        self.height += rows;
        self.ink.resize((WIDTH * self.height) as usize, 0);
    }

    fn put(&mut self, x: i32, y: i32, coverage: u8) {
        if x < 0 || y < 0 || x >= WIDTH as i32 || y >= self.height as i32 {
            return;
        }
        let i = y as usize * WIDTH as usize + x as usize;
        self.ink[i] = self.ink[i].max(coverage);
    }

    fn text(&mut self, fonts: &mut Fonts, text: &str, size: f32, bold: bool) {
        let metrics = Metrics::new(size, (size * 1.3).ceil());
        let mut buffer = Buffer::new(&mut fonts.system, metrics);
        let width = (WIDTH - 2 * MARGIN) as f32;
        buffer.set_size(&mut fonts.system, Some(width), None);
        buffer.set_wrap(&mut fonts.system, Wrap::WordOrGlyph);
        let attrs =
            Attrs::new()
                .family(Family::Name("Noto Sans"))
                .weight(if bold { Weight::BOLD } else { Weight::NORMAL });
        buffer.set_text(&mut fonts.system, text, &attrs, Shaping::Advanced, Some(Align::Center));
        buffer.shape_until_scroll(&mut fonts.system, false);
        let height = buffer
            .layout_runs()
            .map(|r| r.line_top + r.line_height)
            .fold(0.0f32, f32::max)
            .ceil() as u32;
        let top = self.height as i32;
        self.grow(height);
        buffer.draw(
            &mut fonts.system,
            &mut fonts.cache,
            Color::rgb(0, 0, 0),
            |x, y, w, h, color| {
                for dy in 0..h as i32 {
                    for dx in 0..w as i32 {
                        self.put(MARGIN as i32 + x + dx, top + y + dy, color.a());
                    }
                }
            },
        );
    }

    fn rule(&mut self) {
        let y = self.height + 8;
        self.grow(18);
        for x in MARGIN..WIDTH - MARGIN {
            for dy in 0..2 {
                self.put(x as i32, (y + dy) as i32, 255);
            }
        }
    }

    fn space(&mut self, rows: u32) {
        self.grow(rows);
    }

    fn qr(&mut self, data: &str) {
        let Ok(code) = qrcode::QrCode::with_error_correction_level(data, qrcode::EcLevel::M) else {
            return;
        };
        let modules = code.width() as u32;
        // A quiet zone of 4 modules on each side, as readers expect.
        let side = (modules + 8) * QR_MODULE;
        let left = (WIDTH - side) / 2;
        let top = self.height;
        self.grow(side);
        let colors = code.to_colors();
        for (i, c) in colors.iter().enumerate() {
            if *c != qrcode::Color::Dark {
                continue;
            }
            let (mx, my) = (i as u32 % modules, i as u32 / modules);
            for dy in 0..QR_MODULE {
                for dx in 0..QR_MODULE {
                    let x = left + (mx + 4) * QR_MODULE + dx;
                    let y = top + (my + 4) * QR_MODULE + dy;
                    self.put(x as i32, y as i32, 255);
                }
            }
        }
    }

    fn into_raster(self) -> Raster {
        let bpr = WIDTH.div_ceil(8) as usize;
        let mut bits = vec![0u8; bpr * self.height as usize];
        for y in 0..self.height as usize {
            for x in 0..WIDTH as usize {
                // Half coverage and more prints black: the edge of a glyph
                // stays crisp on a thermal head.
                if self.ink[y * WIDTH as usize + x] >= 128 {
                    bits[y * bpr + x / 8] |= 0x80 >> (x % 8);
                }
            }
        }
        Raster {
            width: WIDTH,
            height: self.height,
            bits,
        }
    }
}

struct Fonts {
    system: FontSystem,
    cache: SwashCache,
}

/// The embedded fonts only: no scan of the system's fonts, the same
/// output on every kiosk.
fn fonts() -> &'static Mutex<Fonts> {
    static FONTS: OnceLock<Mutex<Fonts>> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut db = cosmic_text::fontdb::Database::new();
        // The embedded bytes are used in place, not copied.
        for bytes in [crate::ui::style::FONT_REGULAR_BYTES, crate::ui::style::FONT_BOLD_BYTES] {
            db.load_font_source(cosmic_text::fontdb::Source::Binary(std::sync::Arc::new(bytes)));
        }
        db.set_sans_serif_family("Noto Sans");
        Mutex::new(Fonts {
            system: FontSystem::new_with_locale_and_db("vi-VN".into(), db),
            cache: SwashCache::new(),
        })
    })
}

/// Renders a ticket.
pub fn render(t: &PrintedTicket) -> Raster {
    let mut guard = fonts().lock().unwrap_or_else(|p| p.into_inner());
    let fonts = &mut *guard;
    let mut c = Canvas::new();
    c.space(8);
    c.text(fonts, &t.office, 26.0, true);
    c.text(fonts, &t.unit, 24.0, false);
    c.rule();
    c.text(fonts, &t.title, 28.0, false);
    c.text(fonts, &t.number, 128.0, true);
    if let Some(p) = &t.priority {
        c.text(fonts, &p.to_uppercase(), 32.0, true);
    }
    c.space(8);
    for line in &t.lines {
        c.text(fonts, line, 24.0, false);
    }
    c.space(8);
    c.qr(&t.reference);
    c.text(fonts, &t.footer, 24.0, false);
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

/// Writes through a temporary file and a rename, so a printer watching the
/// folder never reads half a job.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = path.with_extension("part");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// The time and date of a ticket as printed: `09:41` and `28/11/2026`.
pub fn time_and_date(ticket: &Ticket) -> (String, String) {
    let z = local(ticket.issued_at);
    (z.strftime("%H:%M").to_string(), z.strftime("%d/%m/%Y").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::queue::{Lane, TicketNumber};

    fn ticket() -> Ticket {
        let at: jiff::Timestamp = "2026-11-28T02:41:00Z".parse().unwrap();
        Ticket {
            id: 7,
            day: crate::domain::time::local_day(at),
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
