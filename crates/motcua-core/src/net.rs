//! Addresses: which URLs stay on this machine.

/// Whether `url` is plain HTTP to this machine (127.0.0.0/8, ::1 or
/// localhost): the only place a device or central speaks without TLS.
pub fn is_loopback_http(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return false;
    }
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if !h.ends_with(':') && port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => authority,
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::is_loopback_http;

    #[test]
    fn only_loopback_is_plain() {
        for ok in [
            "http://127.0.0.1:8686",
            "http://localhost:1/v1",
            "http://[::1]:8686",
            "http://127.0.0.2",
            "http://LOCALHOST",
        ] {
            assert!(is_loopback_http(ok), "{ok}");
        }
        for no in [
            "https://127.0.0.1:8686",
            "http://10.0.0.5:8686",
            "http://localhost.evil.example:80",
            "http://127.0.0.1.nip.io",
            "http://127.0.0.1@evil.example",
            "ftp://127.0.0.1",
            "http://",
        ] {
            assert!(!is_loopback_http(no), "{no}");
        }
    }
}
