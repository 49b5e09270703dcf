//! Digitising at the counter (Decree 118/2025): each document handed in
//! is scanned, checked on screen page by page, fixed (a page scanned
//! again, a page carrying a note scanned a second time, pages deleted or
//! put in order) and kept as one PDF with its checklist item; the result
//! can be scanned when it is returned.
//!
//! The scan desk takes the panel's place while it is open. Pages arrive
//! one by one ([`ScanMsg::Pages`]); the officer's "Xong" makes the PDF
//! off the UI thread ([`ScanMsg::Encoded`]) and the item is digitised.

use std::sync::Arc;

use iced::widget::image;
use jiff::Timestamp;

use super::*;
use crate::scan::{Cancel, Mode, Page, Pdf, ScanError, ScanRequest, Source};
use motcua_api::documents::{DOSSIER_MAX, FILE_MAX};

/// The width of a page's picture on screen, in pixels of the page's
/// thumbnail (shown at about half of it at the counter's scale).
pub const THUMB_WIDTH: u32 = 360;

/// A page as the desk holds it: the image and its picture on screen.
#[derive(Debug, Clone)]
pub struct ScannedPage {
    pub page: Page,
    pub thumb: image::Handle,
    /// A second image of a page carrying a note (Circular 01/2023: such a
    /// page is scanned twice).
    pub note: bool,
}

impl ScannedPage {
    pub fn of(page: Page) -> Self {
        let t = page.thumbnail(THUMB_WIDTH);
        Self {
            thumb: image::Handle::from_rgba(t.width, t.height, t.rgba),
            page,
            note: false,
        }
    }
}

/// A document scanned and made a PDF: what the dossier keeps.
#[derive(Debug, Clone)]
pub struct Digitised {
    /// The document's name: the checklist item, or the result's.
    pub title: String,
    pub pages: Vec<ScannedPage>,
    pub pdf: Arc<Pdf>,
    pub at: Timestamp,
}

/// What a scan desk is scanning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// An item of the procedure's checklist, by its place in it.
    Item(usize),
    /// The result, at its return.
    Result,
}

/// Where the next pages go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// After the last.
    End,
    /// In place of page `n` (scanned again).
    Replace(usize),
    /// Right after page `n`: the second image of a page carrying a note.
    NoteAfter(usize),
}

/// What the desk is doing.
#[derive(Debug, Clone)]
pub enum Busy {
    Scanning {
        cancel: Cancel,
        place: Place,
        arrived: usize,
    },
    Encoding,
}

/// The scan desk of one document.
#[derive(Debug, Clone)]
pub struct ScanDesk {
    pub target: Target,
    /// The document's name (the checklist item's wording, or the result's).
    pub title: String,
    pub pages: Vec<ScannedPage>,
    pub source: Source,
    pub mode: Mode,
    pub busy: Option<Busy>,
    /// Why the last scan or the PDF failed, said plainly.
    pub problem: Option<String>,
    /// Where the scanner takes paper from (the glass only until it says).
    pub sources: Vec<Source>,
    /// The page shown large, whose actions the desk offers.
    pub selected: usize,
}

/// A change on the scan desk.
#[derive(Debug, Clone)]
pub enum ScanMsg {
    Open(Target),
    Source(Source),
    Mode(Mode),
    /// Scan into the document, the pages going to `Place`.
    Start(Place),
    /// Pages that arrived from the scanner.
    Pages(Vec<ScannedPage>),
    /// The scanner finished (pages may have arrived before a failure).
    Finished(Result<(), ScanError>),
    /// A whole scan at once: its pages, then how it ended.
    Scanned(Vec<ScannedPage>, Result<(), ScanError>),
    /// Where the scanner can take paper from.
    Sources(Result<Vec<Source>, ScanError>),
    Cancel,
    /// Show page `n` large.
    Select(usize),
    MoveUp(usize),
    MoveDown(usize),
    Delete(usize),
    /// Make the PDF and keep the document.
    Done,
    Encoded(Result<Arc<Pdf>, String>),
    /// Close the desk, keeping what the document had before.
    Close,
    /// Drop the document's scan altogether.
    Discard(Target),
}

impl ScanDesk {
    pub fn new(target: Target, title: String, kept: Option<&Digitised>) -> Self {
        Self {
            target,
            title,
            pages: kept.map(|d| d.pages.clone()).unwrap_or_default(),
            source: Source::Flatbed,
            mode: Mode::Grey,
            busy: None,
            problem: None,
            sources: vec![Source::Flatbed],
            selected: 0,
        }
    }

    /// Starts a scan; `None` when one is under way.
    pub fn start(&mut self, place: Place, resolution: u32) -> Option<(ScanRequest, Cancel)> {
        if self.busy.is_some() {
            return None;
        }
        let cancel = Cancel::default();
        self.busy = Some(Busy::Scanning {
            cancel: cancel.clone(),
            place,
            arrived: 0,
        });
        self.problem = None;
        // A page scanned again or a note's second image is one sheet on
        // the glass.
        let source = match place {
            Place::End => self.source,
            Place::Replace(_) | Place::NoteAfter(_) => Source::Flatbed,
        };
        let request = ScanRequest {
            mode: self.mode,
            source,
            resolution,
        };
        Some((request, cancel))
    }

    /// Pages arrived: put where the scan was asked to put them.
    pub fn arrived(&mut self, pages: Vec<ScannedPage>) {
        let Some(Busy::Scanning { place, arrived, .. }) = &mut self.busy else {
            return;
        };
        // The first page that arrives is shown large.
        if *arrived == 0 && !pages.is_empty() {
            self.selected = match *place {
                Place::End => self.pages.len(),
                Place::Replace(n) => n,
                Place::NoteAfter(n) => n + 1,
            };
        }
        for mut page in pages {
            match *place {
                Place::End => self.pages.push(page),
                Place::Replace(n) if *arrived == 0 && n < self.pages.len() => {
                    page.note = self.pages[n].note;
                    self.pages[n] = page;
                }
                Place::Replace(n) => self.pages.insert((n + *arrived).min(self.pages.len()), page),
                Place::NoteAfter(n) => {
                    page.note = true;
                    self.pages.insert((n + 1 + *arrived).min(self.pages.len()), page);
                }
            }
            *arrived += 1;
        }
    }

    pub fn finished(&mut self, result: Result<(), ScanError>, lang: Lang) {
        self.busy = None;
        if let Err(e) = result {
            self.problem = Some(e.text(lang));
        }
    }

    pub fn cancel(&self) {
        if let Some(Busy::Scanning { cancel, .. }) = &self.busy {
            cancel.cancel();
        }
    }

    pub fn move_page(&mut self, from: usize, up: bool) {
        if self.busy.is_some() {
            return;
        }
        let to = if up { from.checked_sub(1) } else { Some(from + 1) };
        if let Some(to) = to.filter(|t| *t < self.pages.len())
            && from < self.pages.len()
        {
            self.pages.swap(from, to);
            // The page moved stays the one shown.
            self.selected = to;
        }
    }

    pub fn delete(&mut self, n: usize) {
        if self.busy.is_none() && n < self.pages.len() {
            self.pages.remove(n);
            self.selected = self.selected.min(self.pages.len().saturating_sub(1));
        }
    }
}

/// Bytes as megabytes with one decimal, as the officer reads a size.
pub fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

/// Checks a document's PDF against the caps, with the dossier's other
/// documents (`others` bytes): the officer hears it at once, not when
/// central refuses the upload.
pub fn check_size(pdf: &Pdf, others: u64, lang: Lang, i18n: &I18n) -> Result<(), String> {
    let size = pdf.bytes.len() as u64;
    if size > FILE_MAX {
        return Err(i18n.ta(
            lang,
            "scan-too-large",
            &[("size", megabytes(size).into()), ("max", megabytes(FILE_MAX).into())],
        ));
    }
    if others + size > DOSSIER_MAX {
        return Err(i18n.ta(
            lang,
            "scan-dossier-too-large",
            &[
                ("size", megabytes(others + size).into()),
                ("max", megabytes(DOSSIER_MAX).into()),
            ],
        ));
    }
    Ok(())
}

impl Counter {
    /// A change on the scan desk of the panel on screen.
    pub(super) fn scan(&mut self, msg: ScanMsg) -> Job {
        let (lang, i18n, now) = (self.lang, self.i18n.clone(), self.now);
        let resolution = self.desk.scan_defaults.resolution;
        let default_mode = self.desk.scan_defaults.mode;
        let Some(panel) = self.panel() else { return Job::None };
        let (slot, kept): (&mut Option<ScanDesk>, Kept<'_>) = match panel {
            Panel::Intake(f) => {
                let Form {
                    procedure,
                    scans,
                    documents,
                    scan_desk,
                    ..
                } = &mut **f;
                (
                    scan_desk,
                    Kept::Items {
                        checklist: procedure.as_ref().map(|p| p.documents.as_slice()).unwrap_or_default(),
                        scans,
                        handed_in: documents,
                    },
                )
            }
            Panel::Verify(v) if !v.returned && v.result.as_ref().is_some_and(Result::is_ok) => {
                (&mut v.scan_desk, Kept::Result(&mut v.result_scan))
            }
            _ => return Job::None,
        };
        match msg {
            ScanMsg::Open(target) => {
                if slot.is_none()
                    && let Some((title, before)) = kept.get(target, lang, &i18n)
                {
                    let mut desk = ScanDesk::new(target, title, before);
                    desk.mode = default_mode;
                    *slot = Some(desk);
                    return Job::Sources;
                }
                return Job::None;
            }
            ScanMsg::Discard(target) => {
                if slot.is_none() {
                    kept.set(target, None);
                }
                return Job::None;
            }
            _ => {}
        }
        let Some(desk) = slot.as_mut() else { return Job::None };
        match msg {
            ScanMsg::Open(_) | ScanMsg::Discard(_) => {}
            ScanMsg::Source(s) if desk.busy.is_none() => desk.source = s,
            ScanMsg::Mode(m) if desk.busy.is_none() => desk.mode = m,
            ScanMsg::Source(_) | ScanMsg::Mode(_) => {}
            ScanMsg::Start(place) => {
                if let Some((request, cancel)) = desk.start(place, resolution) {
                    return Job::Scan(request, cancel);
                }
            }
            ScanMsg::Pages(pages) => desk.arrived(pages),
            ScanMsg::Finished(result) => desk.finished(result, lang),
            ScanMsg::Scanned(pages, result) => {
                desk.arrived(pages);
                desk.finished(result, lang);
            }
            ScanMsg::Cancel => desk.cancel(),
            ScanMsg::Select(n) => {
                if n < desk.pages.len() {
                    desk.selected = n;
                }
            }
            // No scanner here says so at once; the glass stays offered, to
            // try again once it is plugged in.
            ScanMsg::Sources(Ok(sources)) if !sources.is_empty() => {
                if !sources.contains(&desk.source) {
                    desk.source = sources[0];
                }
                desk.sources = sources;
            }
            ScanMsg::Sources(Ok(_)) => {}
            ScanMsg::Sources(Err(e)) => desk.problem = Some(e.text(lang)),
            ScanMsg::MoveUp(n) => desk.move_page(n, true),
            ScanMsg::MoveDown(n) => desk.move_page(n, false),
            ScanMsg::Delete(n) => desk.delete(n),
            ScanMsg::Done => {
                if desk.busy.is_some() {
                    return Job::None;
                }
                if desk.pages.is_empty() {
                    // Every page deleted: the item is not digitised.
                    let target = desk.target;
                    *slot = None;
                    kept.set(target, None);
                    return Job::None;
                }
                desk.busy = Some(Busy::Encoding);
                desk.problem = None;
                let pages = desk.pages.iter().map(|p| p.page.clone()).collect();
                return Job::EncodeScan(pages, desk.title.clone(), now);
            }
            ScanMsg::Encoded(Ok(pdf)) => {
                if !matches!(desk.busy, Some(Busy::Encoding)) {
                    return Job::None;
                }
                desk.busy = None;
                let others = kept.others(desk.target);
                match check_size(&pdf, others, lang, &i18n) {
                    Ok(()) => {
                        let done = Digitised {
                            title: desk.title.clone(),
                            pages: std::mem::take(&mut desk.pages),
                            pdf,
                            at: now,
                        };
                        let target = desk.target;
                        *slot = None;
                        kept.set(target, Some(done));
                    }
                    Err(said) => desk.problem = Some(said),
                }
            }
            ScanMsg::Encoded(Err(reason)) => {
                desk.busy = None;
                tracing::error!(%reason, "a scanned document could not be made a PDF");
                desk.problem = Some(i18n.ta(lang, "scan-pdf-failed", &[("reason", reason.into())]));
            }
            ScanMsg::Close => {
                if desk.busy.is_none() {
                    *slot = None;
                }
            }
        }
        Job::None
    }
}

/// Where a panel keeps its digitised documents.
enum Kept<'a> {
    Items {
        checklist: &'a [motcua_core::catalog::Document],
        scans: &'a mut Vec<Option<Digitised>>,
        handed_in: &'a mut Vec<bool>,
    },
    Result(&'a mut Option<Digitised>),
}

impl Kept<'_> {
    /// The document's name and what it has so far.
    fn get(&self, target: Target, lang: Lang, i18n: &I18n) -> Option<(String, Option<&Digitised>)> {
        match (self, target) {
            (Kept::Items { checklist, scans, .. }, Target::Item(i)) => {
                Some((checklist.get(i)?.name.clone(), scans.get(i).and_then(Option::as_ref)))
            }
            (Kept::Result(r), Target::Result) => Some((i18n.t(lang, "scan-result-title"), r.as_ref())),
            _ => None,
        }
    }

    /// Keeps (or drops) a document; a scanned item is one handed in.
    fn set(self, target: Target, done: Option<Digitised>) {
        match (self, target) {
            (Kept::Items { scans, handed_in, .. }, Target::Item(i)) => {
                if done.is_some()
                    && let Some(on) = handed_in.get_mut(i)
                {
                    *on = true;
                }
                if let Some(s) = scans.get_mut(i) {
                    *s = done;
                }
            }
            (Kept::Result(r), Target::Result) => *r = done,
            _ => {}
        }
    }

    /// The bytes of the dossier's other documents.
    fn others(&self, target: Target) -> u64 {
        match (self, target) {
            (Kept::Items { scans, .. }, Target::Item(i)) => scans
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .filter_map(|(_, s)| s.as_ref())
                .map(|s| s.pdf.bytes.len() as u64)
                .sum(),
            _ => 0,
        }
    }
}
