//! Printing: thermal documents rendered into 1-bit images (the text drawn
//! into the image, so every Vietnamese diacritic prints on any printer,
//! whatever its code pages), written as PNG for people and ESC/POS raster
//! jobs for thermal printers, and sent to a printer or a spool folder; A4
//! documents laid out in pages ([`page`]) and written as PDF with real,
//! searchable text ([`pdf`]).

pub mod device;
pub mod form;
pub mod forms;
pub mod page;
pub mod pdf;
pub mod receipt;
pub mod sample;
pub mod ticket;

use std::io;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use cosmic_text::{Align, Attrs, Buffer, Color, Family, FontSystem, Metrics, Shaping, SwashCache, Weight, Wrap};

/// Dots across an 80 mm paper roll at 203 dpi.
pub const THERMAL_WIDTH: u32 = 576;

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

/// How a block of text sits in its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Left,
    Center,
    Right,
}

/// A text style: size in dots, bold or not.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub size: f32,
    pub bold: bool,
    pub place: Place,
}

impl Style {
    pub const fn new(size: f32, bold: bool, place: Place) -> Self {
        Self { size, bold, place }
    }
}

/// A grayscale canvas of fixed width that grows downwards as blocks are
/// added. Blocks can be set side by side in columns.
pub struct Canvas {
    width: u32,
    margin: u32,
    ink: Vec<u8>,
    height: u32,
}

impl Canvas {
    pub fn new(width: u32, margin: u32) -> Self {
        Self {
            width,
            margin,
            ink: Vec::new(),
            height: 0,
        }
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    /// The blank margin each side, in dots.
    pub fn margin(&self) -> u32 {
        self.margin
    }

    fn grow_to(&mut self, height: u32) {
        if height > self.height {
            self.height = height;
            self.ink.resize((self.width * self.height) as usize, 0);
        }
    }

    fn put(&mut self, x: i32, y: i32, coverage: u8) {
        if x < 0 || y < 0 || x >= self.width as i32 || y >= self.height as i32 {
            return;
        }
        let i = y as usize * self.width as usize + x as usize;
        self.ink[i] = self.ink[i].max(coverage);
    }

    /// Fills a rectangle black; in dots from the canvas's top left corner,
    /// the margin not added.
    fn fill(&mut self, x: f32, y: f32, w: f32, h: f32) {
        let (x0, y0) = (x.round() as i32, y.round() as i32);
        let (x1, y1) = ((x + w).round() as i32, (y + h).round() as i32);
        for py in y0..y1 {
            for px in x0..x1 {
                self.put(px, py, 255);
            }
        }
    }

    /// Draws `text` wrapped into the column from `x` (after the margin)
    /// `width` dots wide, its top at `top`; returns its bottom.
    pub fn text_at(&mut self, fonts: &mut Fonts, text: &str, style: Style, x: u32, width: u32, top: u32) -> u32 {
        let metrics = Metrics::new(style.size, (style.size * 1.3).ceil());
        let mut buffer = Buffer::new(&mut fonts.system, metrics);
        buffer.set_size(&mut fonts.system, Some(width as f32), None);
        buffer.set_wrap(&mut fonts.system, Wrap::WordOrGlyph);
        let weight = if style.bold { Weight::BOLD } else { Weight::NORMAL };
        let attrs = Attrs::new().family(Family::Name("Noto Sans")).weight(weight);
        let align = match style.place {
            Place::Left => Align::Left,
            Place::Center => Align::Center,
            Place::Right => Align::Right,
        };
        buffer.set_text(&mut fonts.system, text, &attrs, Shaping::Advanced, Some(align));
        buffer.shape_until_scroll(&mut fonts.system, false);
        let height = buffer
            .layout_runs()
            .map(|r| r.line_top + r.line_height)
            .fold(0.0f32, f32::max)
            .ceil() as u32;
        self.grow_to(top + height);
        let left = (self.margin + x) as i32;
        buffer.draw(
            &mut fonts.system,
            &mut fonts.cache,
            Color::rgb(0, 0, 0),
            |gx, gy, w, h, color| {
                for dy in 0..h as i32 {
                    for dx in 0..w as i32 {
                        self.put(left + gx + dx, top as i32 + gy + dy, color.a());
                    }
                }
            },
        );
        top + height
    }

    /// The width of the widest line of `text` set unwrapped, in dots.
    pub fn width_of(fonts: &mut Fonts, text: &str, style: Style) -> f32 {
        let metrics = Metrics::new(style.size, (style.size * 1.3).ceil());
        let mut buffer = Buffer::new(&mut fonts.system, metrics);
        buffer.set_size(&mut fonts.system, None, None);
        let weight = if style.bold { Weight::BOLD } else { Weight::NORMAL };
        let attrs = Attrs::new().family(Family::Name("Noto Sans")).weight(weight);
        buffer.set_text(&mut fonts.system, text, &attrs, Shaping::Advanced, None);
        buffer.shape_until_scroll(&mut fonts.system, false);
        buffer.layout_runs().map(|r| r.line_w).fold(0.0, f32::max)
    }

    /// The width text has across the whole width, in dots.
    pub fn inner_width(&self) -> u32 {
        self.width - 2 * self.margin
    }

    /// Text across the whole width, below what is there.
    pub fn text(&mut self, fonts: &mut Fonts, text: &str, style: Style) {
        let width = self.width - 2 * self.margin;
        let top = self.height;
        self.text_at(fonts, text, style, 0, width, top);
    }

    /// A horizontal line `from`–`to` dots across (after the margin).
    pub fn line_at(&mut self, from: u32, to: u32, y: u32, thickness: u32) {
        self.grow_to(y + thickness);
        for x in from..to {
            for dy in 0..thickness {
                self.put((self.margin + x) as i32, (y + dy) as i32, 255);
            }
        }
    }

    /// A rule across the whole width.
    pub fn rule(&mut self) {
        let y = self.height + 8;
        let width = self.width - 2 * self.margin;
        self.line_at(0, width, y, 2);
        self.grow_to(y + 10);
    }

    pub fn space(&mut self, rows: u32) {
        let h = self.height + rows;
        self.grow_to(h);
    }

    /// Draws a QR code with `module` dots per module and a quiet zone of
    /// four modules, its left edge at `x` (after the margin); returns its
    /// side in dots.
    pub fn qr_at(&mut self, code: &qrcode::QrCode, module: u32, x: u32, top: u32) -> u32 {
        let modules = code.width() as u32;
        let side = (modules + 8) * module;
        self.grow_to(top + side);
        for (i, c) in code.to_colors().iter().enumerate() {
            if *c != qrcode::Color::Dark {
                continue;
            }
            let (mx, my) = (i as u32 % modules, i as u32 / modules);
            for dy in 0..module {
                for dx in 0..module {
                    let px = self.margin + x + (mx + 4) * module + dx;
                    let py = top + (my + 4) * module + dy;
                    self.put(px as i32, py as i32, 255);
                }
            }
        }
        side
    }

    /// A QR code centred under what is there.
    pub fn qr(&mut self, code: &qrcode::QrCode, module: u32) {
        let side = (code.width() as u32 + 8) * module;
        let x = (self.width - 2 * self.margin).saturating_sub(side) / 2;
        let top = self.height;
        self.qr_at(code, module, x, top);
    }

    /// The canvas as 1 bit a dot: half coverage and more prints black, so
    /// the edge of a glyph stays crisp on a thermal head.
    pub fn into_raster(self) -> Raster {
        let bpr = self.width.div_ceil(8) as usize;
        let mut bits = vec![0u8; bpr * self.height as usize];
        for y in 0..self.height as usize {
            for x in 0..self.width as usize {
                if self.ink[y * self.width as usize + x] >= 128 {
                    bits[y * bpr + x / 8] |= 0x80 >> (x % 8);
                }
            }
        }
        Raster {
            width: self.width,
            height: self.height,
            bits,
        }
    }

    /// The canvas as 8-bit gray (white 255), for documents printed on
    /// office printers, which render shades.
    pub fn into_gray(self, height: u32) -> (u32, u32, Vec<u8>) {
        let mut pixels: Vec<u8> = self.ink.iter().map(|&c| 255 - c).collect();
        pixels.resize((self.width * height.max(self.height)) as usize, 255);
        (self.width, height.max(self.height), pixels)
    }
}

/// The font system of the printed documents.
pub struct Fonts {
    system: FontSystem,
    cache: SwashCache,
}

/// The embedded fonts only: no scan of the system's fonts, the same
/// output on every kiosk.
pub fn fonts() -> &'static Mutex<Fonts> {
    static FONTS: OnceLock<Mutex<Fonts>> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut db = cosmic_text::fontdb::Database::new();
        // The embedded bytes are used in place, not copied.
        for bytes in [crate::fonts::FONT_REGULAR_BYTES, crate::fonts::FONT_BOLD_BYTES] {
            db.load_font_source(cosmic_text::fontdb::Source::Binary(std::sync::Arc::new(bytes)));
        }
        db.set_sans_serif_family("Noto Sans");
        Mutex::new(Fonts {
            system: FontSystem::new_with_locale_and_db("vi-VN".into(), db),
            cache: SwashCache::new(),
        })
    })
}

/// Writes through a temporary file and a rename, so a printer watching the
/// folder never reads half a job.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    crate::atomic_file::write(path, bytes, crate::atomic_file::SHARED)
}
