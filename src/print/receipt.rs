//! The receipt "Giấy tiếp nhận hồ sơ và hẹn trả kết quả": on the 80 mm
//! thermal printer and on A4 (a PDF of real text, over as many pages as
//! its content needs), both carrying the signed QR.
//!
//! The paper receipt is the legal form handed to the citizen, so it shows
//! the applicant's name, ID number, phone and address; the QR on it does
//! not: it holds only the signed payload (see [`crate::receipt`]).

use std::sync::Arc;

use super::form::{self, Letter, Own, Part};
use super::page::Document;
use super::{Canvas, Place, Raster, Style, THERMAL_WIDTH, fonts};
use motcua_api::model::Principal;
use motcua_core::forms::{FormKind, Layouts, fill};

/// A document handed in, as listed on the receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub name: String,
    pub originals: u8,
    pub copies: u8,
}

/// A fee to pay by bank transfer: the VietQR and what is shown beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeQrDoc {
    /// The EMVCo payload the citizen's banking app reads.
    pub payload: String,
    /// The transfer content (the dossier code without its dots and dashes).
    pub reference: String,
    /// Whole đồng.
    pub amount: u64,
    pub account_name: String,
    pub bank_name: Option<String>,
}

impl FeeQrDoc {
    /// The lines printed beside the QR.
    pub fn caption(&self) -> Vec<String> {
        let mut to = self.account_name.clone();
        if let Some(bank) = &self.bank_name {
            to = format!("{to} – {bank}");
        }
        vec![
            format!(
                "Nộp phí, lệ phí bằng chuyển khoản: quét mã VietQR bằng ứng dụng ngân hàng. Số tiền: {} đồng",
                crate::i18n::group_thousands(self.amount)
            ),
            format!("Người nhận: {to}"),
            format!("Nội dung chuyển khoản: {}", self.reference),
        ]
    }

    /// The QR itself: byte mode at level M, as banking apps read VietQR.
    pub fn qr(&self) -> Option<qrcode::QrCode> {
        qrcode::QrCode::with_error_correction_level(self.payload.as_bytes(), qrcode::EcLevel::M).ok()
    }
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
    /// Personal ID number (số định danh cá nhân) or organisation code.
    pub id_number: String,
    pub phone: String,
    pub email: Option<String>,
    pub address: String,
    /// Whose dossier it is, when the applicant files it under an
    /// authorisation.
    pub principal: Option<Principal>,
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
    /// Its hour and minute, e.g. "16:00".
    pub appointment_time: String,
    /// Where to collect the result: the counter, or by post to an address.
    pub collect_at: String,
    /// Fees, formatted.
    pub fees: String,
    /// "Vào sổ theo dõi hồ sơ": the register book and number, when the
    /// office keeps one.
    pub register: Option<String>,
    pub officer: String,
    /// The office's form layouts (wording, heading, signatures).
    pub layouts: Arc<Layouts>,
    /// The fee to pay by VietQR, when one is due and an account is set.
    pub fee_qr: Option<FeeQrDoc>,
}

pub use super::form::SAMPLE_MARK;

/// "09 giờ 41 phút" of "09:41".
fn hour_minute(hhmm: &str) -> String {
    format!(
        "{} giờ {} phút",
        hhmm.get(..2).unwrap_or("00"),
        hhmm.get(3..5).unwrap_or("00")
    )
}

impl ReceiptDoc {
    /// Whether the QR is signed with a sample's throwaway key: such a
    /// receipt says so on paper, whoever made it.
    pub fn is_sample(&self) -> bool {
        crate::receipt::decode_unverified(&self.qr_text).is_ok_and(|p| p.key_id == crate::receipt::keys::SAMPLE_KEY_ID)
    }

    /// Who filed the dossier, and for whom: the lines beside the QR.
    fn numbered_lines(&self) -> Vec<String> {
        // Contacts share a line: the receipt should stay on one page.
        let contact = |phone: &str, email: Option<&str>| match email.filter(|e| !e.is_empty()) {
            Some(email) => format!("Số điện thoại: {phone}; thư điện tử: {email}"),
            None => format!("Số điện thoại: {phone}"),
        };
        let mut lines = vec![
            format!("Tiếp nhận hồ sơ của Ông (Bà)/Tổ chức: {}", self.applicant),
            format!("Số định danh cá nhân/Mã số tổ chức: {}", self.id_number),
            format!("Địa chỉ: {}", self.address),
            contact(&self.phone, self.email.as_deref()),
        ];
        if let Some(p) = &self.principal {
            lines.push(format!(
                "Nộp theo ủy quyền của Ông (Bà)/Tổ chức: {}; số định danh cá nhân/mã số tổ chức: {}",
                p.name, p.id_number
            ));
            lines.push(format!(
                "Địa chỉ: {}; {}",
                p.address,
                contact(&p.phone, p.email.as_deref()).to_lowercase()
            ));
            lines.push(format!("Văn bản ủy quyền: {}", p.authorisation));
        }
        lines.push(format!("Nội dung yêu cầu giải quyết: {}", self.request));
        lines
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
        let mut facts = vec![
            format!("2. Số lượng hồ sơ: {:02} (bộ)", self.sets),
            format!("3. Thời gian giải quyết hồ sơ theo quy định là: {}", self.legal_time),
            format!(
                "4. Thời gian nhận hồ sơ: {}, ngày {}",
                hour_minute(&self.received_time),
                self.received_date
            ),
            format!(
                "5. Thời gian trả kết quả giải quyết hồ sơ: {}, ngày {}",
                hour_minute(&self.appointment_time),
                self.appointment
            ),
            format!("6. Đăng ký nhận kết quả tại: {}", self.collect_at),
            format!("7. Phí, lệ phí: {}", self.fees),
        ];
        if let Some(register) = &self.register {
            facts.push(format!("8. Vào sổ theo dõi hồ sơ: {register}"));
        }
        facts
    }

    /// The receipt as form 01 of the office's layouts.
    pub fn letter(&self) -> Letter {
        let layout = self.layouts.get(FormKind::Receipt);
        let (day, month, year) = split_date(&self.received_date);
        let sequence = self.dossier_code.rsplit_once('-').map(|(_, s)| s).unwrap_or("…");
        let register = self.register.clone().unwrap_or_default();
        let values = [
            ("agency", self.agency.as_str()),
            ("unit", self.unit.as_str()),
            ("place", self.place.as_str()),
            ("code", self.dossier_code.as_str()),
            ("applicant", self.applicant.as_str()),
            ("id_number", self.id_number.as_str()),
            ("procedure", self.request.as_str()),
            ("received", self.received_date.as_str()),
            ("due", self.appointment.as_str()),
            ("officer", self.officer.as_str()),
            ("day", day),
            ("month", month),
            ("year", year),
            ("sequence", sequence),
            ("collect_at", self.collect_at.as_str()),
            ("register", register.as_str()),
        ];
        let f = |t: &str| fill(t, &values);
        let mut beside_qr: Vec<String> = layout.intro.iter().map(|p| f(p)).collect();
        beside_qr.push(format!("Mã hồ sơ: {}", self.dossier_code));
        beside_qr.extend(self.numbered_lines());
        let mut parts = vec![Part::Bold("1. Thành phần hồ sơ nộp gồm:".into())];
        parts.push(Part::Items(self.items()));
        parts.extend(self.numbered_facts().into_iter().map(Part::Text));
        if let Some(fee) = &self.fee_qr {
            parts.push(Part::Qr {
                payload: fee.payload.clone(),
                caption: fee.caption(),
            });
        }
        parts.push(Part::Text(format!(
            "Tra cứu tình trạng hồ sơ tại ki-ốt hoặc quầy: quét mã QR, hoặc nhập mã hồ sơ và mã tra cứu {}",
            self.lookup_secret
        )));
        let own = Own {
            code: self.dossier_code.clone(),
            qr_text: Some(self.qr_text.clone()),
            beside_qr,
            parts,
            sample: self.is_sample(),
        };
        form::compose(&self.layouts, FormKind::Receipt, &values, own)
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
    // The receipt's QR, and the fee's VietQR beside it: two codes one
    // above the other confuse some readers, side by side they do not.
    let receipt_qr = crate::receipt::qr(&doc.qr_text).ok();
    match (doc.fee_qr.as_ref(), doc.fee_qr.as_ref().and_then(FeeQrDoc::qr)) {
        (Some(fee), Some(fee_code)) => {
            c.space(8);
            for line in fee.caption() {
                c.text(f, &line, left(20.0, false));
            }
            c.space(8);
            let top = c.height();
            let used = c.qr_at(&fee_code, THERMAL_QR_MODULE, 0, top);
            if let Some(code) = &receipt_qr {
                let side = (code.width() as u32 + 8) * THERMAL_QR_MODULE;
                let x = (THERMAL_WIDTH - 2 * c.margin()).saturating_sub(side);
                c.qr_at(code, THERMAL_QR_MODULE, x.max(used), top);
            }
        }
        _ => {
            c.space(8);
            if let Some(code) = &receipt_qr {
                c.qr(code, THERMAL_QR_MODULE);
            }
        }
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

/// The A4 receipt laid out in pages: as many as its content needs, each
/// with a footer naming the dossier and the page when there are several.
pub fn a4_document(doc: &ReceiptDoc) -> Document {
    form::document(&doc.letter())
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
    form::pdf(&doc.letter())
}

/// The A4 receipt as PNG images at 200 dpi, one a page, to look at.
pub fn a4_png(doc: &ReceiptDoc) -> Vec<Vec<u8>> {
    form::png(&doc.letter())
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
            email: None,
            address: "Hà Nội".into(),
            principal: None,
            request: "Đăng ký khai sinh".into(),
            documents: vec![],
            sets: 1,
            legal_time: "05 ngày làm việc".into(),
            received_time: "9".into(),
            received_date: "".into(),
            appointment: "".into(),
            appointment_time: "".into(),
            collect_at: "".into(),
            fees: "".into(),
            register: None,
            officer: "".into(),
            layouts: Arc::new(Layouts::builtin()),
            fee_qr: None,
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
                    item.top >= 0.0 && item.top + item.height <= form::HEIGHT,
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
