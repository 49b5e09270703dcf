//! The receipt "Giấy tiếp nhận hồ sơ và hẹn trả kết quả": on the 80 mm
//! thermal printer and on A4 (a PDF of real text, over as many pages as
//! its content needs), both carrying the signed QR.
//!
//! The paper receipt is the legal form handed to the citizen, so it shows
//! the applicant's name, ID number, phone and address; the QR on it does
//! not: it holds only the signed payload (see [`crate::receipt`]).

use super::page::{Block, Document};
use super::{Canvas, Place, Raster, Style, THERMAL_WIDTH, fonts};

/// A document handed in, as listed on the receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub name: String,
    pub originals: u8,
    pub copies: u8,
}

/// Everything printed on a receipt, already formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptDoc {
    /// The receiving agency, e.g. "UBND phường Hoàn Kiếm".
    pub agency: String,
    /// "Bộ phận tiếp nhận và trả kết quả" or the centre's name.
    pub unit: String,
    /// Place for the date line, e.g. "Hà Nội".
    pub place: String,
    pub dossier_code: String,
    /// The signed receipt text for the QR.
    pub qr_text: String,
    /// The lookup secret as a citizen types it.
    pub lookup_secret: String,
    pub applicant: String,
    /// CCCD number or tax code.
    pub id_number: String,
    pub phone: String,
    pub address: String,
    /// "Nội dung yêu cầu giải quyết": the procedure.
    pub request: String,
    pub documents: Vec<Item>,
    pub sets: u8,
    /// Legal processing time, e.g. "05 ngày làm việc".
    pub legal_time: String,
    /// Hour and minute received, e.g. "09:41".
    pub received_time: String,
    /// Date received, `dd/mm/yyyy`.
    pub received_date: String,
    /// The appointment to return the result, `dd/mm/yyyy`.
    pub appointment: String,
    /// Where to collect the result.
    pub collect_at: String,
    /// Fees, formatted.
    pub fees: String,
    /// "Vào sổ theo dõi hồ sơ": the register reference.
    pub register: String,
    pub officer: String,
}

/// The line a sample receipt carries, in place of any claim to be genuine.
pub const SAMPLE_MARK: &str = "BẢN MẪU / SAMPLE – khóa ký thử, không có giá trị / not valid";

impl ReceiptDoc {
    /// Whether the QR is signed with a sample's throwaway key: such a
    /// receipt says so on paper, whoever made it.
    pub fn is_sample(&self) -> bool {
        crate::receipt::decode_unverified(&self.qr_text).is_ok_and(|p| p.key_id == crate::receipt::keys::SAMPLE_KEY_ID)
    }

    fn numbered_lines(&self) -> Vec<String> {
        vec![
            format!("Tiếp nhận hồ sơ của: {}", self.applicant),
            format!("Số CCCD/Mã số thuế: {}", self.id_number),
            format!("Số điện thoại: {}", self.phone),
            format!("Địa chỉ: {}", self.address),
            format!("Nội dung yêu cầu giải quyết: {}", self.request),
        ]
    }

    fn items(&self) -> Vec<(String, String)> {
        self.documents
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let mut counts = Vec::new();
                if d.originals > 0 {
                    counts.push(format!("{} bản chính", d.originals));
                }
                if d.copies > 0 {
                    counts.push(format!("{} bản sao", d.copies));
                }
                (format!("{}. {}", i + 1, d.name), counts.join(", "))
            })
            .collect()
    }

    fn numbered_facts(&self) -> Vec<String> {
        vec![
            format!("2. Số lượng hồ sơ: {:02} (bộ)", self.sets),
            format!("3. Thời gian giải quyết hồ sơ theo quy định là: {}", self.legal_time),
            format!(
                "4. Thời gian nhận hồ sơ: {} giờ {} phút, ngày {}",
                &self.received_time[..2.min(self.received_time.len())],
                self.received_time.get(3..5).unwrap_or("00"),
                self.received_date
            ),
            format!("5. Thời gian trả kết quả giải quyết hồ sơ: ngày {}", self.appointment),
            format!("6. Nơi nhận kết quả: {}", self.collect_at),
            format!("7. Phí, lệ phí: {}", self.fees),
        ]
    }
}

/// Receipt QR modules on the thermal printer: 4 dots = 0.5 mm at 203 dpi
/// (at least 0.34 mm, so cheap readers and phones read it).
const THERMAL_QR_MODULE: u32 = 4;

/// The 80 mm thermal receipt, 576 dots wide.
pub fn thermal(doc: &ReceiptDoc) -> Raster {
    let mut guard = fonts().lock().unwrap_or_else(|p| p.into_inner());
    let f = &mut *guard;
    let centre = |size, bold| Style::new(size, bold, Place::Center);
    let left = |size, bold| Style::new(size, bold, Place::Left);
    let mut c = Canvas::new(THERMAL_WIDTH, 12);
    c.space(8);
    c.text(f, &doc.agency.to_uppercase(), centre(24.0, true));
    c.text(f, &doc.unit, centre(22.0, false));
    c.rule();
    c.text(f, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", centre(23.0, true));
    c.text(f, &format!("Mã hồ sơ: {}", doc.dossier_code), centre(24.0, true));
    if doc.is_sample() {
        c.text(f, SAMPLE_MARK, centre(24.0, true));
    }
    c.space(6);
    for line in doc.numbered_lines() {
        c.text(f, &line, left(22.0, false));
    }
    c.text(f, "1. Thành phần hồ sơ:", left(22.0, true));
    for (name, counts) in doc.items() {
        c.text(f, &format!("{name} ({counts})"), left(22.0, false));
    }
    for line in doc.numbered_facts() {
        c.text(f, &line, left(22.0, false));
    }
    c.text(f, &doc.register, left(22.0, false));
    c.space(8);
    if let Ok(code) = crate::receipt::qr(&doc.qr_text) {
        c.qr(&code, THERMAL_QR_MODULE);
    }
    c.text(
        f,
        &format!(
            "Tra cứu: mã hồ sơ {} · mã tra cứu {}",
            doc.dossier_code, doc.lookup_secret
        ),
        centre(20.0, false),
    );
    c.text(f, &format!("Người tiếp nhận: {}", doc.officer), centre(22.0, false));
    c.space(40);
    c.into_raster()
}

/// A4 at 200 dpi, in dots.
const A4_DPI: f32 = 200.0;
const A4_W: f32 = 1654.0;
const A4_H: f32 = 2339.0;
const A4_MARGIN: f32 = 150.0;
/// Room kept at the foot of each page for its footer.
const A4_FOOTER: f32 = 70.0;
/// 0.5 mm modules at 200 dpi.
const A4_QR_MODULE: f32 = 4.0;

/// The A4 receipt laid out in pages: as many as its content needs, each
/// with a footer naming the dossier and the page when there are several.
pub fn a4_document(doc: &ReceiptDoc) -> Document {
    // The QR's payload decoded once, not once per page.
    let sample = doc.is_sample();
    let mut guard = fonts().lock().unwrap_or_else(|p| p.into_inner());
    let f = &mut *guard;
    let inner = A4_W - 2.0 * A4_MARGIN;
    let m = A4_MARGIN;
    let pt = |points: f32| points * A4_DPI / 72.0;
    let centre = |size, bold| Style::new(pt(size), bold, Place::Center);
    let body = |size| Style::new(pt(size), false, Place::Left);
    let bold = |size| Style::new(pt(size), true, Place::Left);
    let mut d = Document::new(A4_W, A4_H, A4_MARGIN, A4_H - A4_MARGIN - A4_FOOTER);

    // The heading: agency on the left, the national motto on the right.
    let left_w = inner * 2.0 / 5.0;
    let right_x = left_w + 40.0;
    let right_w = inner - right_x;
    let mut b = Block::new();
    let mut y = b.text(f, &doc.agency.to_uppercase(), centre(12.0, false), m, left_w, 0.0);
    y = b.text(f, &doc.unit.to_uppercase(), centre(12.0, true), m, left_w, y);
    b.rule(m + left_w / 4.0, m + left_w * 3.0 / 4.0, y + 6.0, 2.0);
    let mut ry = b.text(
        f,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        centre(12.0, true),
        m + right_x,
        right_w,
        0.0,
    );
    ry = b.text(
        f,
        "Độc lập - Tự do - Hạnh phúc",
        centre(13.0, true),
        m + right_x,
        right_w,
        ry,
    );
    b.rule(
        m + right_x + right_w / 4.0,
        m + right_x + right_w * 3.0 / 4.0,
        ry + 6.0,
        2.0,
    );
    let y = y.max(ry) + 40.0;
    let ly = b.text(
        f,
        &format!("Mã hồ sơ: {}", doc.dossier_code),
        centre(12.0, false),
        m,
        left_w,
        y,
    );
    let (day, month, year) = split_date(&doc.received_date);
    let date_line = format!("{}, ngày {day} tháng {month} năm {year}", doc.place);
    let ry = b.text(f, &date_line, centre(13.0, false), m + right_x, right_w, y);
    let y = ly.max(ry) + 50.0;
    let y = b.text(
        f,
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        centre(15.0, true),
        m,
        inner,
        y,
    );
    if sample {
        b.text(f, SAMPLE_MARK, centre(13.0, true), m, inner, y + 10.0);
    }
    d.place(b);
    d.skip(30.0);

    // The QR sits at the right of the first lines; the text wraps beside it.
    let mut b = Block::new();
    let qr_side = crate::receipt::qr(&doc.qr_text)
        .map(|code| {
            let side = (code.width() as f32 + 8.0) * A4_QR_MODULE;
            b.qr(&code, A4_QR_MODULE, m + inner - side, 0.0)
        })
        .unwrap_or(0.0);
    let beside = inner - qr_side - 30.0;
    let mut y = b.text(f, &format!("{} {}", doc.unit, doc.agency), body(13.0), m, beside, 0.0) + 8.0;
    for line in doc.numbered_lines() {
        y = b.text(f, &line, body(13.0), m, beside, y) + 6.0;
    }
    d.place(b);
    d.skip(10.0);

    // The documents, one block each; the heading goes with the first.
    let mut b = Block::new();
    let mut y = b.text(f, "1. Thành phần hồ sơ nộp gồm:", bold(13.0), m, inner, 0.0) + 6.0;
    for (name, counts) in doc.items() {
        b.text(f, &name, body(12.5), m + 40.0, inner * 3.0 / 4.0 - 40.0, y);
        b.text(
            f,
            &counts,
            Style::new(pt(12.5), false, Place::Right),
            m + inner * 3.0 / 4.0,
            inner / 4.0,
            y,
        );
        d.place(std::mem::take(&mut b));
        d.skip(4.0);
        y = 0.0;
    }
    if b.height() > 0.0 {
        d.place(b);
    }
    d.skip(6.0);
    for line in doc.numbered_facts() {
        let mut b = Block::new();
        b.text(f, &line, body(13.0), m, inner, 0.0);
        d.place(b);
        d.skip(6.0);
    }
    let mut b = Block::new();
    b.text(f, &doc.register, body(13.0), m, inner, 0.0);
    d.place(b);
    d.skip(6.0);
    let mut b = Block::new();
    b.text(
        f,
        &format!(
            "Tra cứu tình trạng hồ sơ tại ki-ốt hoặc quầy: quét mã QR, hoặc nhập mã hồ sơ và mã tra cứu {}",
            doc.lookup_secret
        ),
        Style::new(pt(11.0), false, Place::Left),
        m,
        inner,
        0.0,
    );
    d.place(b);
    d.skip(50.0);

    // Signatures, kept together.
    let half = inner / 2.0;
    let mut b = Block::new();
    let a = b.text(f, "NGƯỜI NỘP HỒ SƠ", centre(13.0, true), m, half, 0.0);
    b.text(f, "(Ký và ghi rõ họ tên)", centre(12.0, false), m, half, a);
    let s = b.text(f, "NGƯỜI TIẾP NHẬN HỒ SƠ", centre(13.0, true), m + half, half, 0.0);
    let s = b.text(f, "(Ký và ghi rõ họ tên)", centre(12.0, false), m + half, half, s);
    b.text(f, &doc.applicant, centre(13.0, true), m, half, s + 220.0);
    b.text(f, &doc.officer, centre(13.0, true), m + half, half, s + 220.0);
    d.place(b);

    // Footers: which dossier and which page, so loose pages find their
    // way back; a sample says so on every page.
    let pages = d.pages().len();
    for page in 0..pages {
        let mut parts = Vec::new();
        if pages > 1 {
            parts.push(format!("Mã hồ sơ: {} · Trang {}/{pages}", doc.dossier_code, page + 1));
        }
        if sample {
            parts.push("BẢN MẪU / SAMPLE".to_string());
        }
        if parts.is_empty() {
            continue;
        }
        let mut b = Block::new();
        b.text(f, &parts.join(" · "), centre(10.0, false), m, inner, 0.0);
        d.stamp(page, b, A4_H - A4_MARGIN - pt(10.0) * 1.3);
    }
    d
}

fn split_date(ddmmyyyy: &str) -> (&str, &str, &str) {
    let mut parts = ddmmyyyy.split('/');
    (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    )
}

/// The A4 receipt as a PDF: real text in the embedded Noto Sans (a subset),
/// the QR drawn as vector squares, as many pages as it needs.
pub fn a4_pdf(doc: &ReceiptDoc) -> Vec<u8> {
    let title = format!("Giấy tiếp nhận hồ sơ và hẹn trả kết quả {}", doc.dossier_code);
    super::pdf::write(&a4_document(doc), A4_DPI, &title)
}

/// The A4 receipt as PNG images at 200 dpi, one a page, to look at.
pub fn a4_png(doc: &ReceiptDoc) -> Vec<Vec<u8>> {
    let d = a4_document(doc);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> ReceiptDoc {
        ReceiptDoc {
            agency: "Ủy ban nhân dân phường Hoàn Kiếm".into(),
            unit: "Bộ phận tiếp nhận và trả kết quả".into(),
            place: "Hà Nội".into(),
            dossier_code: "000.00.01.H26-261128-0001".into(),
            qr_text: String::new(),
            lookup_secret: "0000000000000000".into(),
            applicant: "Nguyễn Văn A".into(),
            id_number: "001099000000".into(),
            phone: "0900000000".into(),
            address: "Hà Nội".into(),
            request: "Đăng ký khai sinh".into(),
            documents: vec![],
            sets: 1,
            legal_time: "05 ngày làm việc".into(),
            received_time: "9".into(),
            received_date: "".into(),
            appointment: "".into(),
            collect_at: "".into(),
            fees: "".into(),
            register: "".into(),
            officer: "".into(),
        }
    }

    #[test]
    fn text_taller_than_a_page_goes_on_over_pages_and_odd_fields_do_not_crash() {
        // No QR (a text that is not a receipt), no documents, a short time,
        // no date, and an address longer than any page.
        let mut d = doc();
        d.address = "Số nhà rất dài ".repeat(1500);
        let document = a4_document(&d);
        let pages = document.pages().len();
        assert!(pages >= 3, "{pages} pages");
        for page in document.pages() {
            assert!(!page.is_empty());
            for item in page {
                // Every line lies within the page; none is lost off its foot.
                assert!(
                    item.top >= 0.0 && item.top + item.height <= A4_H,
                    "{} {}",
                    item.top,
                    item.height
                );
            }
        }
        let pdf = a4_pdf(&d);
        assert!(pdf.starts_with(b"%PDF-") && pdf.len() < 400_000, "{}", pdf.len());
        // The sample mark is only on samples.
        assert!(!d.is_sample());
    }
}
