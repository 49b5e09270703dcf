//! The receipt "Giấy tiếp nhận hồ sơ và hẹn trả kết quả": on the 80 mm
//! thermal printer and on A4 (PDF), both carrying the signed QR.
//!
//! The paper receipt is the legal form handed to the citizen, so it shows
//! the applicant's name, ID number, phone and address; the QR on it does
//! not: it holds only the signed payload (see [`crate::receipt`]).

use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref};

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
pub const SAMPLE_MARK: &str = "BẢN MẪU / SAMPLE – khóa ký thử, không có giá trị / throwaway key, not valid";

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

/// A4 at 200 dpi.
const A4_DPI: f32 = 200.0;
const A4_W: u32 = 1654;
const A4_H: u32 = 2339;
const A4_MARGIN: u32 = 150;
/// 0.5 mm modules at 200 dpi.
const A4_QR_MODULE: u32 = 4;

/// The A4 page as 8-bit gray: (width, height, pixels).
pub fn a4_page(doc: &ReceiptDoc) -> (u32, u32, Vec<u8>) {
    let mut guard = fonts().lock().unwrap_or_else(|p| p.into_inner());
    let f = &mut *guard;
    let inner = A4_W - 2 * A4_MARGIN;
    let pt = |points: f32| points * A4_DPI / 72.0;
    let mut c = Canvas::new(A4_W, A4_MARGIN);
    let top = A4_MARGIN;

    // The heading: agency on the left, the national motto on the right.
    let left_w = inner * 2 / 5;
    let right_x = left_w + 40;
    let right_w = inner - right_x;
    let centre = |size, bold| Style::new(pt(size), bold, Place::Center);
    let mut y = c.text_at(f, &doc.agency.to_uppercase(), centre(12.0, false), 0, left_w, top);
    y = c.text_at(f, &doc.unit.to_uppercase(), centre(12.0, true), 0, left_w, y);
    c.line_at(left_w / 4, left_w * 3 / 4, y + 6, 2);
    let mut ry = c.text_at(
        f,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        centre(12.0, true),
        right_x,
        right_w,
        top,
    );
    ry = c.text_at(
        f,
        "Độc lập - Tự do - Hạnh phúc",
        centre(13.0, true),
        right_x,
        right_w,
        ry,
    );
    c.line_at(right_x + right_w / 4, right_x + right_w * 3 / 4, ry + 6, 2);
    let y = y.max(ry) + 40;
    let ly = c.text_at(
        f,
        &format!("Mã hồ sơ: {}", doc.dossier_code),
        centre(12.0, false),
        0,
        left_w,
        y,
    );
    let (day, month, year) = split_date(&doc.received_date);
    let date_line = format!("{}, ngày {day} tháng {month} năm {year}", doc.place);
    let ry = c.text_at(f, &date_line, centre(13.0, false), right_x, right_w, y);
    let y = ly.max(ry) + 50;

    let y = c.text_at(
        f,
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        centre(15.0, true),
        0,
        inner,
        y,
    ) + 30;

    // The QR sits at the right of the first lines; the text wraps beside it.
    let qr_side = crate::receipt::qr(&doc.qr_text)
        .map(|code| {
            let side = (code.width() as u32 + 8) * A4_QR_MODULE;
            c.qr_at(&code, A4_QR_MODULE, inner - side, y)
        })
        .unwrap_or(0);
    let body = |size| Style::new(pt(size), false, Place::Left);
    let bold = |size| Style::new(pt(size), true, Place::Left);
    let beside = inner - qr_side - 30;
    let mut y = c.text_at(f, &format!("{} {}", doc.unit, doc.agency), body(13.0), 0, beside, y) + 8;
    for line in doc.numbered_lines() {
        y = c.text_at(f, &line, body(13.0), 0, beside, y) + 6;
    }
    y = y.max(c.height()) + 10;
    y = c.text_at(f, "1. Thành phần hồ sơ nộp gồm:", bold(13.0), 0, inner, y) + 6;
    for (name, counts) in doc.items() {
        let after_name = c.text_at(f, &name, body(12.5), 40, inner * 3 / 4 - 40, y);
        let after_counts = c.text_at(
            f,
            &counts,
            Style::new(pt(12.5), false, Place::Right),
            inner * 3 / 4,
            inner / 4,
            y,
        );
        y = after_name.max(after_counts) + 4;
    }
    y += 6;
    for line in doc.numbered_facts() {
        y = c.text_at(f, &line, body(13.0), 0, inner, y) + 6;
    }
    y = c.text_at(f, &doc.register, body(13.0), 0, inner, y) + 6;
    y = c.text_at(
        f,
        &format!(
            "Tra cứu tình trạng hồ sơ tại ki-ốt hoặc quầy: quét mã QR, hoặc nhập mã hồ sơ và mã tra cứu {}",
            doc.lookup_secret
        ),
        Style::new(pt(11.0), false, Place::Left),
        0,
        inner,
        y,
    ) + 50;

    // Signatures.
    let half = inner / 2;
    let a = c.text_at(f, "NGƯỜI NỘP HỒ SƠ", centre(13.0, true), 0, half, y);
    c.text_at(f, "(Ký và ghi rõ họ tên)", centre(12.0, false), 0, half, a);
    let b = c.text_at(f, "NGƯỜI TIẾP NHẬN HỒ SƠ", centre(13.0, true), half, half, y);
    let b = c.text_at(f, "(Ký và ghi rõ họ tên)", centre(12.0, false), half, half, b);
    c.text_at(f, &doc.applicant, centre(13.0, true), 0, half, b + 220);
    c.text_at(f, &doc.officer, centre(13.0, true), half, half, b + 220);
    c.into_gray(A4_H)
}

fn split_date(ddmmyyyy: &str) -> (&str, &str, &str) {
    let mut parts = ddmmyyyy.split('/');
    (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    )
}

/// The A4 receipt as a one-page PDF (the page as a compressed image).
pub fn a4_pdf(doc: &ReceiptDoc) -> Vec<u8> {
    let (w, h, pixels) = a4_page(doc);
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&pixels, 6);
    let (catalog, pages, page, content, image) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5));
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages).kids([page]).count(1);
    // A4 in points.
    let (pw, ph) = (595.28f32, 841.89f32);
    let mut p = pdf.page(page);
    p.parent(pages).media_box(Rect::new(0.0, 0.0, pw, ph)).contents(content);
    p.resources().x_objects().pair(Name(b"Page"), image);
    p.finish();
    let mut img = pdf.image_xobject(image, &compressed);
    img.filter(Filter::FlateDecode);
    img.width(w as i32);
    img.height(h as i32);
    img.color_space().device_gray();
    img.bits_per_component(8);
    img.finish();
    let mut c = Content::new();
    c.save_state();
    c.transform([pw, 0.0, 0.0, ph, 0.0, 0.0]);
    c.x_object(Name(b"Page"));
    c.restore_state();
    pdf.stream(content, &c.finish());
    pdf.finish()
}

/// The A4 page as PNG, to look at.
pub fn a4_png(doc: &ReceiptDoc) -> Vec<u8> {
    let (w, h, pixels) = a4_page(doc);
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
}
