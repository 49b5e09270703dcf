//! A mobile phone number and a tax code, as an officer types them.

use super::CitizenError;

/// A mobile number: 10 digits starting with 0, or +84 followed by 9 digits
/// (spaces, dots, dashes allowed and removed). Returns the normalized
/// national form "0xxxxxxxxx".
///
/// Decisions:
/// - "84" followed by 9 digits, without the "+" (11 digits, as copied from
///   some contact lists), is read as +84: no national number has 11 digits
///   starting with 84, so this is not ambiguous.
/// - "+84 0912…" (the trunk 0 kept after the country code) is refused: after
///   +84 come exactly 9 digits.
/// - A number starting with "00" is refused (that is the international
///   prefix, not a subscriber number). The network prefix is otherwise not
///   checked, so a newly assigned range keeps working.
/// - Only Vietnamese numbers: another country code is refused.
pub fn check_phone(input: &str) -> Result<String, CitizenError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(CitizenError::PhoneEmpty);
    }
    let (plus, rest) = match trimmed.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let mut digits = String::with_capacity(12);
    for c in rest.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !(c.is_whitespace() || c == '.' || c == '-') {
            return Err(CitizenError::PhoneInvalidChar { found: c });
        }
    }
    let national = if plus || (digits.len() == 11 && digits.starts_with("84")) {
        let Some(subscriber) = digits.strip_prefix("84") else {
            return Err(CitizenError::PhoneCountryCode);
        };
        if subscriber.len() != 9 {
            return Err(CitizenError::PhoneLength {
                expected: 9,
                found: subscriber.len(),
                international: true,
            });
        }
        format!("0{subscriber}")
    } else {
        if digits.len() != 10 {
            return Err(CitizenError::PhoneLength {
                expected: 10,
                found: digits.len(),
                international: false,
            });
        }
        if !digits.starts_with('0') {
            return Err(CitizenError::PhoneLeadingZero);
        }
        digits
    };
    if national.as_bytes()[1] == b'0' {
        return Err(CitizenError::PhoneInternationalPrefix);
    }
    Ok(national)
}

/// A tax code ("mã số thuế"): 10 digits, or 10 digits + "-" + 3 digits (a
/// dependent unit / branch). Surrounding whitespace is removed; 13 digits
/// without the dash are accepted and returned with it ("0101234567-001").
/// The branch part is 001–999. The check digit (10th) is not verified.
///
/// Since 1 July 2025 an individual's tax code is their 12-digit personal ID
/// number (Thông tư 86/2024/TT-BTC): check that one with [`check_cccd`]; a
/// 12-digit input here is refused with its length.
pub fn check_tax_code(input: &str) -> Result<String, CitizenError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(CitizenError::TaxCodeEmpty);
    }
    let first_dash = s.find('-');
    for (n, (at, c)) in s.char_indices().enumerate() {
        if !(c.is_ascii_digit() || (c == '-' && first_dash == Some(at))) {
            return Err(CitizenError::TaxCodeInvalidChar {
                position: n + 1,
                found: c,
            });
        }
    }
    // Only ASCII digits and one dash from here on.
    let (main, branch) = match s.split_once('-') {
        Some((main, branch)) => (main, Some(branch)),
        None if s.len() == 13 => (&s[..10], Some(&s[10..])),
        None => (s, None),
    };
    if main.len() != 10 {
        return Err(CitizenError::TaxCodeLength { found: main.len() });
    }
    match branch {
        None => Ok(main.to_owned()),
        Some(branch) if branch.len() != 3 => Err(CitizenError::TaxCodeBranchLength { found: branch.len() }),
        Some("000") => Err(CitizenError::TaxCodeBranchZero),
        Some(branch) => Ok(format!("{main}-{branch}")),
    }
}
