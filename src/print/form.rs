//! One A4 layout for every form of the set (Circular 03/2025, Annex I):
//! the two-column heading (agency and unit, the national motto), the
//! number and the date line, the title, the dossier's signed QR beside the
//! first lines, the form's paragraphs, lists and tables, the signature
//! blocks, and footers naming the dossier and the page. What each form
//! says is [`super::forms`]'; its wording is data ([`motcua_core::forms`]).

use super::page::{Block, Document};
use super::{Fonts, Place, Style, fonts};

/// A4 at 200 dpi, in dots.
pub const DPI: f32 = 200.0;
pub const WIDTH: f32 = 1654.0;
pub const HEIGHT: f32 = 2339.0;
/// 15 mm.
const MARGIN: f32 = 118.0;
/// Room kept at the foot of each page for its footer.
const FOOTER: f32 = 70.0;
/// 0.5 mm modules at 200 dpi.
const QR_MODULE: f32 = 4.0;

/// A part of a form's body, in order down the page.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// A paragraph, wrapped.
    Text(String),
    /// A paragraph in bold.
    Bold(String),
    /// Numbered items, each with a note set to the right (the documents
    /// handed in and how many of each).
    Items(Vec<(String, String)>),
    /// A ruled table: column headings with their share of the width, and
    /// rows of cells; a row never splits across pages.
    Table {
        columns: Vec<(String, f32)>,
        rows: Vec<Vec<String>>,
    },
    /// A QR of `payload` (byte mode, level M, as banking apps read
    /// VietQR) at the left, its caption beside it.
    Qr { payload: String, caption: Vec<String> },
}

/// A signature block as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    pub title: String,
    pub note: String,
    pub name: String,
}

/// A form filled in, ready to lay out.
#[derive(Debug, Clone, PartialEq)]
pub struct Letter {
    pub left: Vec<String>,
    pub right: Vec<String>,
    pub number: String,
    pub date: String,
    /// "Mẫu số 01".
    pub form: String,
    pub title: String,
    /// The dossier code, for the footers; may be empty (a refusal before
    /// any code was given).
    pub code: String,
    /// The signed receipt text for the QR; `None` for no QR.
    pub qr_text: Option<String>,
    /// The first paragraphs, set beside the QR.
    pub beside_qr: Vec<String>,
    pub parts: Vec<Part>,
    pub signatures: Vec<Signed>,
    /// A sample says so under its title and on every page.
    pub sample: bool,
    /// The PDF's title.
    pub pdf_title: String,
}

/// The line a sample carries, in place of any claim to be genuine.
pub const SAMPLE_MARK: &str = "BẢN MẪU / SAMPLE – khóa ký thử, không có giá trị / not valid";

/// The parts every form takes from its layout, around what is its own:
/// `beside_qr` (the first lines, set beside the QR) and `parts` (its body,
/// to which the layout's closing paragraphs are added), with every
/// placeholder filled from `values`.
pub struct Own {
    pub code: String,
    pub qr_text: Option<String>,
    pub beside_qr: Vec<String>,
    pub parts: Vec<Part>,
    pub sample: bool,
}

/// Form `kind` of `layouts`, filled from `values`, around what is `own`.
pub fn compose(
    layouts: &motcua_core::forms::Layouts,
    kind: motcua_core::forms::FormKind,
    values: &[(&str, &str)],
    own: Own,
) -> Letter {
    let f = |t: &str| motcua_core::forms::fill(t, values);
    let l = layouts.get(kind);
    let h = &layouts.heading;
    let mut parts = own.parts;
    parts.extend(l.closing.iter().map(|p| Part::Text(f(p))));
    let title = f(&l.title);
    Letter {
        left: h.left.iter().map(|t| f(t)).collect(),
        right: h.right.iter().map(|t| f(t)).collect(),
        number: f(&h.number),
        date: f(&h.date),
        form: f(&l.form),
        pdf_title: format!("{} {}", capitalised(&title), own.code).trim().to_string(),
        title,
        code: own.code,
        qr_text: own.qr_text,
        beside_qr: own.beside_qr,
        parts,
        signatures: l
            .signatures
            .iter()
            .map(|s| Signed {
                title: f(&s.title),
                note: f(&s.note),
                name: f(&s.name),
            })
            .collect(),
        sample: own.sample,
    }
}

/// "GIẤY TIẾP NHẬN" as "Giấy tiếp nhận", for a PDF's title.
fn capitalised(title: &str) -> String {
    let lower = title.to_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn pt(points: f32) -> f32 {
    points * DPI / 72.0
}

fn centre(size: f32, bold: bool) -> Style {
    Style::new(pt(size), bold, Place::Center)
}

fn body(size: f32) -> Style {
    Style::new(pt(size), false, Place::Left)
}

/// The letter laid out in pages: as many as its content needs.
pub fn document(letter: &Letter) -> Document {
    let mut guard = fonts().lock().unwrap_or_else(|p| p.into_inner());
    let f = &mut *guard;
    let inner = WIDTH - 2.0 * MARGIN;
    let m = MARGIN;
    let mut d = Document::new(WIDTH, HEIGHT, MARGIN, HEIGHT - MARGIN - FOOTER);

    heading(f, &mut d, letter, inner);

    // The QR sits at the right of the first lines; the text wraps beside it.
    let mut b = Block::new();
    let qr_side = letter
        .qr_text
        .as_deref()
        .and_then(|t| crate::receipt::qr(t).ok())
        .map(|code| {
            let side = (code.width() as f32 + 8.0) * QR_MODULE;
            b.qr(&code, QR_MODULE, m + inner - side, 0.0)
        })
        .unwrap_or(0.0);
    let beside = if qr_side > 0.0 { inner - qr_side - 30.0 } else { inner };
    let mut y = 0.0;
    for line in &letter.beside_qr {
        y = b.text(f, line, body(12.0), m, beside, y) + 2.0;
    }
    if b.height() > 0.0 {
        d.place(b);
        d.skip(10.0);
    }

    for part in &letter.parts {
        match part {
            Part::Text(t) | Part::Bold(t) => {
                let mut b = Block::new();
                let style = Style::new(pt(12.0), matches!(part, Part::Bold(_)), Place::Left);
                b.text(f, t, style, m, inner, 0.0);
                d.place(b);
                d.skip(2.0);
            }
            Part::Items(items) => {
                for (name, note) in items {
                    let mut b = Block::new();
                    b.text(f, name, body(12.0), m + 40.0, inner * 3.0 / 4.0 - 40.0, 0.0);
                    b.text(
                        f,
                        note,
                        Style::new(pt(12.5), false, Place::Right),
                        m + inner * 3.0 / 4.0,
                        inner / 4.0,
                        0.0,
                    );
                    d.place(b);
                    d.skip(2.0);
                }
                d.skip(6.0);
            }
            Part::Table { columns, rows } => table(f, &mut d, columns, rows, inner),
            Part::Qr { payload, caption } => {
                let mut b = Block::new();
                let code = qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M).ok();
                // 0.38 mm modules: a phone reads them at arm's length.
                let side = code.as_ref().map(|c| b.qr(c, 3.0, m, 0.0)).unwrap_or(0.0);
                let x = m + side + 30.0;
                let mut y = QR_MODULE * 4.0;
                for line in caption {
                    y = b.text(f, line, body(12.0), x, inner - side - 30.0, y) + 2.0;
                }
                d.place(b);
                d.skip(6.0);
            }
        }
    }
    d.skip(12.0);
    signatures(f, &mut d, &letter.signatures, inner);
    footers(f, &mut d, letter, inner);
    d
}

fn heading(f: &mut Fonts, d: &mut Document, letter: &Letter, inner: f32) {
    let m = MARGIN;
    let left_w = inner * 0.47;
    let right_x = left_w + 30.0;
    let right_w = inner - right_x;
    let mut b = Block::new();
    // "Mẫu số 01", small, above the right column.
    let mut top = 0.0;
    if !letter.form.is_empty() {
        top = b.text(
            f,
            &letter.form,
            Style::new(pt(10.0), false, Place::Right),
            m,
            inner,
            0.0,
        ) + 6.0;
    }
    let last = letter.left.len().saturating_sub(1);
    let mut y = top;
    for (i, line) in letter.left.iter().enumerate() {
        y = b.text(f, &line.to_uppercase(), centre(12.0, i == last && i > 0), m, left_w, y);
    }
    b.rule(m + left_w / 4.0, m + left_w * 3.0 / 4.0, y + 10.0, 2.0);
    let mut ry = top;
    for (i, line) in letter.right.iter().enumerate() {
        ry = b.text(
            f,
            line,
            centre(if i == 0 { 12.0 } else { 13.0 }, true),
            m + right_x,
            right_w,
            ry,
        );
    }
    b.rule(
        m + right_x + right_w / 4.0,
        m + right_x + right_w * 3.0 / 4.0,
        ry + 10.0,
        2.0,
    );
    let y = y.max(ry) + 28.0;
    let ly = b.text(f, &letter.number, centre(12.0, false), m, left_w, y);
    let date = Style::new(pt(13.0), false, Place::Center);
    let ry = b.text(f, &letter.date, date, m + right_x, right_w, y);
    let y = ly.max(ry) + 34.0;
    let y = b.text(f, &letter.title, centre(15.0, true), m, inner, y);
    if letter.sample {
        b.text(f, SAMPLE_MARK, centre(13.0, true), m, inner, y + 10.0);
    }
    d.place(b);
    d.skip(18.0);
}

/// A ruled table: the heading row, then one block per row so a row is
/// never cut between pages; every cell is framed.
fn table(f: &mut Fonts, d: &mut Document, columns: &[(String, f32)], rows: &[Vec<String>], inner: f32) {
    let total: f32 = columns.iter().map(|(_, w)| w.max(0.0)).sum::<f32>().max(f32::EPSILON);
    let widths: Vec<f32> = columns.iter().map(|(_, w)| w.max(0.0) / total * inner).collect();
    let pad = 10.0;
    let line = 2.0;
    let row = |f: &mut Fonts, cells: &[String], bold: bool, first: bool| {
        let mut b = Block::new();
        let mut x = MARGIN;
        let mut bottom: f32 = 0.0;
        for (i, w) in widths.iter().enumerate() {
            let cell = cells.get(i).map(String::as_str).unwrap_or("");
            let style = Style::new(pt(11.5), bold, if bold { Place::Center } else { Place::Left });
            bottom = bottom.max(b.text(f, cell, style, x + pad, w - 2.0 * pad, pad));
            x += w;
        }
        let h = bottom + pad;
        if first {
            b.rule(MARGIN, MARGIN + inner, 0.0, line);
        }
        b.rule(MARGIN, MARGIN + inner, h, line);
        let mut x = MARGIN;
        for w in widths.iter().chain([&0.0]) {
            b.bar(x, 0.0, line, h + line);
            x += w;
        }
        b
    };
    let heads: Vec<String> = columns.iter().map(|(h, _)| h.clone()).collect();
    d.place(row(f, &heads, true, true));
    for cells in rows {
        d.place(row(f, cells, false, false));
    }
    d.skip(20.0);
}

fn signatures(f: &mut Fonts, d: &mut Document, signatures: &[Signed], inner: f32) {
    if signatures.is_empty() {
        return;
    }
    let m = MARGIN;
    let n = signatures.len() as f32;
    let w = inner / n;
    let mut b = Block::new();
    // One block, kept together; a single signature sits on the right, as
    // forms place the signer.
    let offset = if signatures.len() == 1 { inner / 2.0 } else { 0.0 };
    let w = if signatures.len() == 1 { inner / 2.0 } else { w };
    for (i, s) in signatures.iter().enumerate() {
        let x = m + offset + w * i as f32;
        let y = b.text(f, &s.title, centre(13.0, true), x, w, 0.0);
        let y = b.text(f, &s.note, centre(12.0, false), x, w, y);
        if !s.name.is_empty() {
            b.text(f, &s.name, centre(13.0, true), x, w, y + 125.0);
        }
    }
    d.place(b);
    if signatures.iter().all(|s| s.name.is_empty()) {
        // Room to sign and stamp even without a printed name.
        d.skip(200.0);
    }
}

/// Footers: which dossier and which page, so loose pages find their way
/// back; a sample says so on every page.
fn footers(f: &mut Fonts, d: &mut Document, letter: &Letter, inner: f32) {
    let pages = d.pages().len();
    for page in 0..pages {
        let mut parts = Vec::new();
        if pages > 1 {
            let mut p = format!("Trang {}/{pages}", page + 1);
            if !letter.code.is_empty() {
                p = format!("Mã hồ sơ: {} · {p}", letter.code);
            }
            parts.push(p);
        }
        if letter.sample {
            parts.push("BẢN MẪU / SAMPLE".to_string());
        }
        if parts.is_empty() {
            continue;
        }
        let mut b = Block::new();
        b.text(f, &parts.join(" · "), centre(10.0, false), MARGIN, inner, 0.0);
        d.stamp(page, b, HEIGHT - MARGIN - pt(10.0) * 1.3);
    }
}

/// The letter as a PDF: real text in the embedded Noto Sans (a subset),
/// the QR and the rules drawn as vector squares.
pub fn pdf(letter: &Letter) -> Vec<u8> {
    super::pdf::write(&document(letter), DPI, &letter.pdf_title)
}

/// The letter as PNG images at 200 dpi, one a page, to look at.
pub fn png(letter: &Letter) -> Vec<Vec<u8>> {
    let d = document(letter);
    let mut guard = fonts().lock().unwrap_or_else(|p| p.into_inner());
    (0..d.pages().len())
        .map(|page| {
            let (w, h, pixels) = d.gray(&mut guard, page);
            let mut out = Vec::new();
            image::ImageEncoder::write_image(
                image::codecs::png::PngEncoder::new(&mut out),
                &pixels,
                w,
                h,
                image::ExtendedColorType::L8,
            )
            .expect("encoding a PNG into memory does not fail");
            out
        })
        .collect()
}
