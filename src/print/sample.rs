//! Sample documents for IT staff testing printers and checking their
//! office's form layouts: a ticket, a receipt, and every other form of the
//! set (Circular 03/2025, Annex I) for a demo dossier of a made-up citizen
//! filed under an authorisation, its result sent by post.
//!
//! The receipt is signed with a throwaway key made for the occasion and
//! dropped afterwards ([`Signer::sample`]): nothing is written into a data
//! directory, so a counter never ends up signing real receipts with a key
//! that other stations do not know. The receipt says it is a sample.

use std::path::{Path, PathBuf};

use ed25519_dalek::VerifyingKey;

use std::sync::Arc;

use super::form::{self, Letter};
use super::forms::{self, Facts};
use super::receipt::{self, FeeQrDoc, Item, ReceiptDoc};
use super::ticket::{self, PrintedTicket};
use super::write_atomically;
use crate::receipt::{Payload, keys::Signer, new_secret, secret_text};
use motcua_api::model::{Principal, StatusChange};
use motcua_core::forms::Layouts;
use motcua_core::time::local;
use motcua_core::vietqr::{Payment, fee_qr};

/// What [`write`] made.
#[derive(Debug)]
pub struct Samples {
    /// The files written, in order.
    pub files: Vec<PathBuf>,
    /// The public half of the throwaway key the receipt was signed with,
    /// to check the sample's signature; the secret half is gone.
    pub key: VerifyingKey,
}

/// Why the samples could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    #[error(transparent)]
    Key(#[from] crate::receipt::keys::KeyError),
    #[error(transparent)]
    Time(#[from] jiff::Error),
    #[error(transparent)]
    Sign(#[from] crate::receipt::ReceiptError),
    #[error("the fee QR: {0}")]
    Fee(#[from] motcua_core::vietqr::VietQrError),
    #[error("{}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
}

/// The account a sample's fee QR pays into when the configuration has
/// none: bank BIN 000000 belongs to no bank, so no banking app moves money
/// on a sample.
fn sample_account() -> Payment {
    Payment {
        bank_bin: "000000".into(),
        account: "0000000000".into(),
        account_name: "TAI KHOAN MAU - KHONG CHUYEN TIEN".into(),
        bank_name: None,
    }
}

/// Writes the samples for `office`, dated `now`, into `out`, worded by
/// `layouts`; the receipt asks for a fee by VietQR into `payment` (the
/// office's account) or, without one, into a sample account no bank has.
pub fn write(
    out: &Path,
    office: &str,
    layouts: Arc<Layouts>,
    payment: Option<&Payment>,
    now: jiff::Timestamp,
) -> Result<Samples, SampleError> {
    let signer = Signer::sample(office);
    let z = local(now);
    let key = signer.key()?;
    let code = format!("{}-{}-0001", signer.office, z.strftime("%y%m%d"));
    let secret = new_secret();
    let appointment = motcua_core::calendar::Calendar::builtin().add_working_days(z.date(), 5);
    let payload = Payload {
        key_id: signer.key_id,
        office: signer.office.clone(),
        dossier_code: code.clone(),
        procedure: "1.001193".into(),
        received: jiff::Timestamp::from_second(now.as_second())?,
        appointment,
        secret,
    };
    let qr_text = payload.sign(&key)?;
    let account = payment.cloned().unwrap_or_else(sample_account);
    let fee_amount = 50_000;
    let fee = fee_qr(Some(&account), fee_amount, &code)?;
    let doc = ReceiptDoc {
        agency: "Ủy ban nhân dân phường Hoàn Kiếm".into(),
        unit: "Bộ phận tiếp nhận và trả kết quả".into(),
        place: "Hà Nội".into(),
        dossier_code: code,
        qr_text: qr_text.clone(),
        lookup_secret: secret_text(&secret),
        applicant: "Nguyễn Văn Mẫu (dữ liệu mẫu)".into(),
        id_number: "001099000000".into(),
        phone: "0900000000".into(),
        email: Some("mau@example.vn".into()),
        address: "Số 1 phố Mẫu, phường Hoàn Kiếm, Hà Nội".into(),
        principal: Some(Principal {
            name: "Lê Thị Ủy Quyền (dữ liệu mẫu)".into(),
            id_number: "001199000000".into(),
            address: "Số 2 phố Mẫu, phường Hoàn Kiếm, Hà Nội".into(),
            phone: "0911000000".into(),
            email: None,
            authorisation: "Giấy ủy quyền số 01/UQ-MẪU".into(),
        }),
        request: "Thủ tục đăng ký khai sinh".into(),
        documents: vec![
            Item {
                name: "Tờ khai đăng ký khai sinh theo mẫu".into(),
                originals: 1,
                copies: 0,
            },
            Item {
                name: "Giấy chứng sinh".into(),
                originals: 1,
                copies: 0,
            },
        ],
        sets: 1,
        legal_time: "05 ngày làm việc".into(),
        received_time: z.strftime("%H:%M").to_string(),
        received_date: z.strftime("%d/%m/%Y").to_string(),
        appointment: appointment.strftime("%d/%m/%Y").to_string(),
        appointment_time: "16:00".into(),
        collect_at: "Dịch vụ bưu chính công ích, gửi đến: Số 2 phố Mẫu, phường Hoàn Kiếm, Hà Nội".into(),
        fees: "Lệ phí: 50.000 đồng".into(),
        register: Some("Quyển số 01/2026, số 0001".into()),
        officer: "Trần Thị Cán Bộ (mẫu)".into(),
        layouts: layouts.clone(),
        fee_qr: Some(FeeQrDoc {
            payload: fee.payload,
            reference: fee.reference,
            amount: fee_amount,
            account_name: account.account_name.clone(),
            bank_name: account.bank_name.clone(),
        }),
    };
    let write = |name: &str, bytes: &[u8]| -> Result<PathBuf, SampleError> {
        let path = out.join(name);
        match write_atomically(&path, bytes) {
            Ok(()) => Ok(path),
            Err(source) => Err(SampleError::Write { path, source }),
        }
    };
    let mut files = Vec::new();
    let ticket_doc = PrintedTicket {
        office: "Trung tâm Phục vụ hành chính công phường Hoàn Kiếm".into(),
        unit: "Bộ phận Một cửa".into(),
        title: "SỐ THỨ TỰ CỦA QUÝ KHÁCH".into(),
        number: "A-001".into(),
        priority: None,
        lines: vec![
            "Nhóm A: Tư pháp – Hộ tịch".into(),
            format!("Lấy lúc {}", z.strftime("%H:%M %d/%m/%Y")),
        ],
        footer: "Xin vui lòng chú ý màn hình và loa gọi số.".into(),
        reference: format!("MCT1:{}/{}/A-001", signer.office, z.strftime("%y%m%d")),
        file_stem: "ticket-sample".into(),
        large: false,
    };
    let raster = ticket::render(&ticket_doc);
    files.push(write("ticket-sample.png", &raster.to_png())?);
    files.push(write("ticket-sample.bin", &raster.to_escpos())?);
    let raster = receipt::thermal(&doc);
    files.push(write("receipt-sample.png", &raster.to_png())?);
    files.push(write("receipt-sample.bin", &raster.to_escpos())?);
    files.push(write("receipt-sample-a4.pdf", &receipt::a4_pdf(&doc))?);
    for (i, png) in receipt::a4_png(&doc).iter().enumerate() {
        let name = match i {
            0 => "receipt-sample-a4.png".to_string(),
            _ => format!("receipt-sample-a4-{}.png", i + 1),
        };
        files.push(write(&name, png)?);
    }
    files.push(write("receipt-sample.txt", qr_text.as_bytes())?);
    let due = appointment
        .to_datetime(jiff::civil::Time::constant(16, 0, 0, 0))
        .to_zoned(motcua_core::time::vietnam())?
        .timestamp();
    let facts = Facts {
        agency: doc.agency.clone(),
        unit: doc.unit.clone(),
        place: doc.place.clone(),
        code: doc.dossier_code.clone(),
        qr_text: Some(qr_text.clone()),
        applicant: doc.applicant.clone(),
        id_number: doc.id_number.clone(),
        procedure: doc.request.clone(),
        received: now,
        due,
        officer: doc.officer.clone(),
        at: now,
        sample: true,
    };
    let hour = jiff::SignedDuration::from_hours(1);
    let history: Vec<StatusChange> = [(2, 0), (4, 2), (9, 60), (10, 100)]
        .iter()
        .map(|&(status, hours)| StatusChange {
            status,
            at: (now + hour * hours).to_string(),
            note: String::new(),
        })
        .collect();
    let letters: [(&str, Letter); 5] = [
        (
            "form-02-supplement",
            forms::supplement(
                &facts,
                &layouts,
                &[
                    "Bản sao Giấy chứng nhận kết hôn".into(),
                    "Tờ khai ký đủ chữ ký của người đi khai".into(),
                ],
                "Hồ sơ thiếu giấy tờ theo quy định",
            ),
        ),
        (
            "form-03-refusal",
            forms::refusal(
                &facts,
                &layouts,
                "Thủ tục không thuộc thẩm quyền giải quyết của cơ quan",
            ),
        ),
        (
            "form-04-apology",
            forms::apology(
                &facts,
                &layouts,
                "Cần xác minh thêm thông tin với cơ quan khác",
                due + hour * 72,
            ),
        ),
        (
            "form-05-stop",
            forms::stop(&facts, &layouts, "Công dân đề nghị rút hồ sơ"),
        ),
        ("form-06-control", forms::control(&facts, &layouts, &history)),
    ];
    for (stem, letter) in &letters {
        files.push(write(&format!("{stem}-sample.pdf"), &form::pdf(letter))?);
        for (i, png) in form::png(letter).iter().enumerate() {
            let name = match i {
                0 => format!("{stem}-sample.png"),
                _ => format!("{stem}-sample-{}.png", i + 1),
            };
            files.push(write(&name, png)?);
        }
    }
    Ok(Samples {
        files,
        key: key.verifying_key(),
    })
}
