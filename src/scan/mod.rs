//! Scanning at the counter: pages from a SANE scanner (`sane`, through
//! the `scanimage` program), thumbnails to check them on screen (`thumb`),
//! one PDF per document (`pdf`).

mod pdf;
mod sane;
mod thumb;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use motcua_core::i18n::{Lang, say};

pub use sane::Device;

/// Grey (the default for documents) or colour (photos, coloured seals).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Grey,
    Colour,
}

/// Where the paper is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Source {
    #[default]
    Flatbed,
    /// The document feeder: every sheet in it, one after another.
    Feeder,
    /// The feeder, both sides of each sheet.
    FeederDuplex,
}

/// How to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanRequest {
    pub mode: Mode,
    pub source: Source,
    /// Dots per inch; 300 by default.
    pub resolution: u32,
}

impl Default for ScanRequest {
    fn default() -> Self {
        Self {
            mode: Mode::Grey,
            source: Source::Flatbed,
            resolution: 300,
        }
    }
}

/// One scanned image: one side of one sheet.
#[derive(Clone, PartialEq, Eq)]
pub struct Page {
    pub width: u32,
    pub height: u32,
    pub dpi: u32,
    pub mode: Mode,
    /// 8-bit samples, row by row: 1 per pixel (grey) or 3 (RGB).
    pub pixels: Arc<Vec<u8>>,
}

impl std::fmt::Debug for Page {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Page")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("dpi", &self.dpi)
            .field("mode", &self.mode)
            .finish_non_exhaustive()
    }
}

/// A small picture of a page to check it on screen: RGBA, at most
/// `max_width` wide, the page's proportions kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumbnail {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

impl Page {
    /// The page shrunk to at most `max_width` pixels wide by averaging
    /// the pixels each thumbnail pixel covers (a box filter: fast, and
    /// thin strokes stay visible as grey rather than vanish).
    pub fn thumbnail(&self, max_width: u32) -> Thumbnail {
        thumb::thumbnail(self, max_width)
    }

    /// Samples per pixel: 1 grey, 3 colour.
    pub fn channels(&self) -> usize {
        match self.mode {
            Mode::Grey => 1,
            Mode::Colour => 3,
        }
    }

    /// Whether `pixels` holds exactly `width × height` pixels.
    pub fn is_whole(&self) -> bool {
        self.width > 0
            && self.height > 0
            && (self.width as usize)
                .checked_mul(self.height as usize)
                .and_then(|n| n.checked_mul(self.channels()))
                == Some(self.pixels.len())
    }
}

/// Why a scan gave no pages (or fewer than asked).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScanError {
    #[error("no scanner is installed or connected")]
    NoScanner,
    #[error("the scanner is busy")]
    Busy,
    #[error("paper jam")]
    Jammed,
    #[error("the scanner's cover is open")]
    CoverOpen,
    #[error("no paper in the feeder")]
    NoPaper,
    #[error("the scan was cancelled")]
    Cancelled,
    #[error("the disk is full")]
    DiskFull,
    #[error("the scanner failed: {0}")]
    Failed(String),
}

impl ScanError {
    /// What the officer reads, in `lang`: what happened and what to do
    /// (the counter's strings, `motcua.ftl`).
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Self::NoScanner => say(lang, "scan-error-no-scanner", &[]),
            Self::Busy => say(lang, "scan-error-busy", &[]),
            Self::Jammed => say(lang, "scan-error-jammed", &[]),
            Self::CoverOpen => say(lang, "scan-error-cover-open", &[]),
            Self::NoPaper => say(lang, "scan-error-no-paper", &[]),
            Self::Cancelled => say(lang, "scan-error-cancelled", &[]),
            Self::DiskFull => say(lang, "scan-error-disk-full", &[]),
            Self::Failed(reason) => say(lang, "scan-error-failed", &[("reason", reason.clone())]),
        }
    }
}

/// Stops a scan under way (from the UI's thread).
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// The counter's scanner.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scanner {
    /// The program (`scanimage`).
    pub program: PathBuf,
    /// The SANE device name; the first found when none.
    pub device: Option<String>,
    /// Environment for the program only (SANE_CONFIG_DIR in the tests).
    pub env: Vec<(String, String)>,
}

impl Scanner {
    /// The scanner of the configuration's `[scanner]` table.
    pub fn from_config(config: &motcua_core::scanner::Scanner) -> Self {
        Self {
            program: PathBuf::from(&config.program),
            device: config.device.clone(),
            env: Vec::new(),
        }
    }

    /// Scans, calling `on_page` as each page arrives; blocking. The pages
    /// pass through a directory of their own under the system's temporary
    /// directory, removed when the scan ends, however it ends.
    pub fn scan(
        &self,
        request: &ScanRequest,
        cancel: &Cancel,
        on_page: &mut dyn FnMut(&Page),
    ) -> Result<Vec<Page>, ScanError> {
        self.scan_in(&std::env::temp_dir(), request, cancel, on_page)
    }

    /// [`Scanner::scan`] with the pages passing through a new directory
    /// under `parent` (the data directory's disk, say), removed after.
    pub fn scan_in(
        &self,
        parent: &Path,
        request: &ScanRequest,
        cancel: &Cancel,
        on_page: &mut dyn FnMut(&Page),
    ) -> Result<Vec<Page>, ScanError> {
        let scratch = tempfile::Builder::new()
            .prefix("scan-")
            .tempdir_in(parent)
            .map_err(|e| sane::io_error(&e))?;
        let pages = self.scan_into(scratch.path(), request, cancel, on_page);
        drop(scratch);
        pages
    }

    /// [`Scanner::scan`] with the page files written into `dir`, which
    /// must exist and is left as it was found (each page file is removed
    /// once read).
    pub fn scan_into(
        &self,
        dir: &Path,
        request: &ScanRequest,
        cancel: &Cancel,
        on_page: &mut dyn FnMut(&Page),
    ) -> Result<Vec<Page>, ScanError> {
        sane::scan(self, dir, request, cancel, on_page)
    }

    /// Where the device can take paper from, so that the screen offers
    /// the feeder and duplex only where the device has them. Opens the
    /// device (a second or two for a network scanner).
    pub fn sources(&self) -> Result<Vec<Source>, ScanError> {
        Ok(sane::sources(self)?.into_iter().map(|(source, _)| source).collect())
    }

    /// Every device SANE finds (for `motcua doctor`); empty when none.
    pub fn devices(&self) -> Result<Vec<Device>, ScanError> {
        sane::devices(self)
    }
}

impl ScanRequest {
    /// The configuration's default resolution and mode, from the flatbed.
    pub fn from_config(config: &motcua_core::scanner::Scanner) -> Self {
        Self {
            mode: match config.mode {
                motcua_core::scanner::ScanMode::Grey => Mode::Grey,
                motcua_core::scanner::ScanMode::Colour => Mode::Colour,
            },
            source: Source::Flatbed,
            resolution: config.resolution,
        }
    }
}

/// One document's PDF.
#[derive(Clone, PartialEq, Eq)]
pub struct Pdf {
    pub bytes: Vec<u8>,
    /// SHA-256 of `bytes`, lowercase hex.
    pub sha256: String,
    pub pages: u32,
}

impl std::fmt::Debug for Pdf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pdf")
            .field("size", &self.bytes.len())
            .field("sha256", &self.sha256)
            .field("pages", &self.pages)
            .finish()
    }
}

/// Why pages could not be made a PDF.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("no pages")]
    NoPages,
    /// Its pixels do not fill its width and height, or it has no dpi.
    #[error("page {0} is not a whole image")]
    BadPage(usize),
    /// JPEG holds at most 65,535 pixels a side.
    #[error("page {page}: {message}")]
    Jpeg { page: usize, message: String },
}

/// Makes one PDF of a document's pages, one image per page, each page
/// the size of the paper it was scanned from: grey pages as grey JPEG,
/// colour ones as colour JPEG, PDF/A-2b. The same pages, title and time
/// give the same bytes.
pub fn encode_pdf(pages: &[Page], title: &str, at: jiff::Timestamp) -> Result<Pdf, PdfError> {
    pdf::encode(pages, title, at)
}
