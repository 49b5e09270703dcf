//! Fee payments kept with their dossier. The officer records that a fee
//! is asked for and not yet paid, or that it was paid (by VietQR transfer,
//! cash, card or otherwise). While a payment is asked for the dossier is in
//! status 6 ("chờ thanh toán"); once paid it goes back to the status it had
//! before the request: the step the fee held up (2 accepted, when the fee
//! is due at intake; 4 processing, when it falls due on the way) goes on
//! from where it stopped, and only the history knows which it was.
//!
//! The payment, the status change, its history line and the portal's
//! record are one transaction: all kept, or none.

use crate::sql::Conn;
use jiff::Timestamp;

use crate::dossier;
use crate::error::ApiError;
use crate::repo;
use motcua_api::model::{Dossier, PaymentIn};

/// How a fee may be paid.
pub const METHODS: [&str; 4] = ["vietqr", "cash", "card", "other"];

/// The longest transfer reference kept: a bank's is 20–40 characters.
pub const REFERENCE_MAX: usize = 64;

/// Statuses that end a dossier: no payment can be asked for then.
const CLOSED: [u8; 5] = [3, 7, 8, 9, 10];

/// A payment's problem, naming the field, in English and Vietnamese.
fn invalid(field: &str, en: &str, vi: &str) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_payment",
        format!("{field}: {en} / {field}: {vi}"),
    )
}

/// Checks a payment as recorded; the values themselves are not echoed
/// back (a reference may be anything).
pub fn check(p: &PaymentIn) -> Result<(), ApiError> {
    if p.amount <= 0 {
        return Err(invalid(
            "amount",
            "a fee is a whole number of đồng above 0",
            "số tiền phải là số đồng lớn hơn 0",
        ));
    }
    if !METHODS.contains(&p.method.as_str()) {
        return Err(invalid(
            "method",
            "is vietqr, cash, card or other",
            "hình thức thanh toán phải là vietqr, cash, card hoặc other",
        ));
    }
    if let Some(r) = &p.reference
        && (r.chars().count() > REFERENCE_MAX || r.chars().any(char::is_control))
    {
        return Err(invalid(
            "reference",
            "a transfer reference is at most 64 characters, without control characters",
            "mã tham chiếu giao dịch tối đa 64 ký tự, không có ký tự điều khiển",
        ));
    }
    if p.at.parse::<Timestamp>().is_err() {
        return Err(invalid(
            "at",
            "is not an RFC 3339 time like 2026-11-28T09:30:00+07:00",
            "thời điểm không đúng dạng RFC 3339, ví dụ 2026-11-28T09:30:00+07:00",
        ));
    }
    Ok(())
}

/// Records a payment with the dossier `code` of `office` at `now` and
/// moves its status as the module says; answers the dossier.
pub fn record(conn: &Conn, office: &str, code: &str, p: &PaymentIn, now: Timestamp) -> Result<Dossier, ApiError> {
    dossier::check_code(code)?;
    check(p)?;
    let d = dossier::get(conn, office, code, now)?
        .ok_or_else(|| ApiError::not_found(format!("no dossier {code} in this office")))?;
    let at = now.to_string();
    let status = d.data.status;
    let next = if p.paid {
        // Paid: back to the step the request held up, if it held one up.
        (status == 6).then(|| before_request(&d))
    } else if CLOSED.contains(&status) {
        return Err(ApiError::conflict(format!(
            "dossier {code} is closed (status {status}); no payment can be asked for / hồ sơ đã kết thúc (trạng thái {status}), không thể yêu cầu thanh toán"
        )));
    } else {
        (status != 6).then_some(6)
    };
    repo::due::add_payment(conn, office, code, p, &at)?;
    if let Some(next) = next {
        let note = if p.paid {
            "đã thanh toán phí, lệ phí"
        } else {
            "yêu cầu thanh toán phí, lệ phí"
        };
        dossier::set_status(conn, office, code, next, note, &at)?;
    }
    dossier::get(conn, office, code, now)?.ok_or_else(|| ApiError::internal("the dossier vanished"))
}

/// The status before the dossier's latest move to 6; 4 (processing) when
/// the history does not tell (it began at 6).
fn before_request(d: &Dossier) -> u8 {
    let request = d.history.iter().rposition(|h| h.status == 6).unwrap_or(d.history.len());
    d.history[..request]
        .iter()
        .rev()
        .map(|h| h.status)
        .find(|s| *s != 6)
        .unwrap_or(4)
}
