//! Citizen identity inputs at the counter: the personal identification number
//! printed on a CCCD / căn cước card ("số định danh cá nhân"), a mobile phone
//! number, a tax code, and the QR printed on either generation of ID card.
//!
//! Pure functions: no I/O, no clock (the caller passes `today`).
//!
//! Errors carry positions, counts, field names and what was expected, never
//! the citizen's data (no ID number, name, date or phone number in a
//! message): an error may end up in a log, and personal data must stay out of
//! logs (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15). The officer has the input
//! on screen anyway.

mod card_qr;
mod card_read;
mod cccd;
mod contact;
mod error;

pub use card_qr::{CccdQr, QrField, parse_cccd_qr};
pub use card_read::{CAN_CUOC_SINCE, CardKind, CardRead, Found, Shape, Sureness, Unrecognised, read_card_qr};
pub use cccd::{CccdNumber, Gender, REGISTERED_ABROAD, check_cccd, is_country_code, province_of_cccd, provinces};
pub use contact::{check_phone, check_tax_code};
pub use error::CitizenError;

#[cfg(test)]
mod card_read_tests;
#[cfg(test)]
mod tests;
