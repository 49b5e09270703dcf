//! Scanning at the counter: pages from a SANE scanner, one PDF per
//! document.
//!
//! SKELETON: the types the counter is built against. The scanner itself
//! (`scanimage`), the thumbnails and the PDF encoder land next.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

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
    pub fn thumbnail(&self, max_width: u32) -> Thumbnail {
        let width = max_width.min(self.width).max(1);
        let height = ((self.height as u64 * width as u64) / self.width.max(1) as u64).max(1) as u32;
        Thumbnail {
            width,
            height,
            rgba: vec![255; (width * height * 4) as usize],
        }
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
    /// Scans, calling `on_page` as each page arrives; blocking.
    pub fn scan(
        &self,
        _request: &ScanRequest,
        _cancel: &Cancel,
        _on_page: &mut dyn FnMut(&Page),
    ) -> Result<Vec<Page>, ScanError> {
        Err(ScanError::NoScanner)
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
}

/// Makes one PDF of a document's pages, one image per page.
pub fn encode_pdf(pages: &[Page], _title: &str, _at: jiff::Timestamp) -> Result<Pdf, PdfError> {
    if pages.is_empty() {
        return Err(PdfError::NoPages);
    }
    Err(PdfError::NoPages)
}
