//! Random identifiers: idempotency keys, tokens, credentials, secrets.

/// `n` random bytes as lowercase hex.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).expect("the operating system gives random bytes");
    hex(&bytes)
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Bytes from hex (either case); none when `text` is not whole hex bytes.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn random_and_hex() {
        assert_eq!(super::hex(&[0, 15, 255]), "000fff");
        let (a, b) = (super::random_hex(16), super::random_hex(16));
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert_eq!(super::unhex("000fFF"), Some(vec![0, 15, 255]));
        assert_eq!(super::unhex(&a).map(|b| super::hex(&b)), Some(a));
        assert_eq!(super::unhex("0"), None);
        assert_eq!(super::unhex("zz"), None);
        assert_eq!(super::unhex("+1"), None);
    }
}
