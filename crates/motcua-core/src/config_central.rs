//! Central's addresses: `[central] url`, and `urls` for a central with
//! several (processes on one database, or one behind a load balancer).
//!
//! `url`, when given with `urls`, is the first address rather than an
//! error: a device configured with one address gets more by adding a line,
//! and the address it was enrolled with stays where it was.

use super::Central;

/// What an address of central accepts, in both languages.
const ACCEPTS: &str = "accepts an https:// URL (plain http:// only to this machine, 127.0.0.1 or localhost) / \
                       chỉ nhận địa chỉ https:// (http:// chỉ dùng cho chính máy này)";

/// Whether `url` can reach central: over TLS across the network, plain
/// HTTP only on this machine.
fn reachable_safely(url: &str) -> bool {
    (url.starts_with("https://") && url.len() > "https://".len()) || crate::net::is_loopback_http(url)
}

impl Central {
    /// Every address of central, in order: `url` first, then `urls`; an
    /// address given twice counts once. Empty: the machine's own central.
    pub fn addresses(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for url in self.url.iter().chain(self.urls.iter().flatten()) {
            let url = url.trim_end_matches('/').to_string();
            if !out.contains(&url) {
                out.push(url);
            }
        }
        out
    }

    /// Checks `urls` as `url` is checked, each address by its place in
    /// the list; an empty list says nothing and is refused.
    pub(super) fn check_urls(&self) -> Result<(), (&'static str, String)> {
        let Some(urls) = &self.urls else {
            return Ok(());
        };
        if urls.is_empty() {
            return Err((
                "central.urls",
                "`central.urls` = []: accepts one address of central or more / cần ít nhất một địa chỉ máy chủ trung tâm"
                    .into(),
            ));
        }
        match urls.iter().enumerate().find(|(_, url)| !reachable_safely(url)) {
            Some((i, url)) => Err((
                "central.urls",
                format!(
                    "`central.urls` = \"{url}\" (address {} / địa chỉ thứ {}): {ACCEPTS}",
                    i + 1,
                    i + 1
                ),
            )),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Config;

    #[test]
    fn several_addresses_are_read_in_order_with_url_first() {
        let (c, unknown) = Config::parse("[central]\nurls = [\"https://a:8686\", \"https://b:8686/\"]\n").unwrap();
        assert!(unknown.is_empty(), "{unknown:?}");
        assert_eq!(c.central.addresses(), ["https://a:8686", "https://b:8686"]);
        assert_eq!(
            c.central.url.as_deref(),
            Some("https://a:8686"),
            "code asking for `url` finds the first"
        );
        let (c, _) =
            Config::parse("[central]\nurl = \"https://a:8686\"\nurls = [\"https://b:8686\", \"https://a:8686\"]\n")
                .unwrap();
        assert_eq!(
            c.central.addresses(),
            ["https://a:8686", "https://b:8686"],
            "url first, once"
        );
        let (c, _) = Config::parse("[central]\nurl = \"https://a:8686\"\n").unwrap();
        assert_eq!(c.central.addresses(), ["https://a:8686"]);
        assert!(Config::default().central.addresses().is_empty());
        let (c, _) = Config::parse("[central]\nurls = [\"http://127.0.0.1:1\", \"http://localhost:2\"]\n").unwrap();
        assert_eq!(c.central.addresses().len(), 2, "loopback may be plain");
    }

    #[test]
    fn a_bad_address_in_urls_is_named_with_its_place_and_line() {
        for (text, place, line) in [
            (
                "[central]\nurls = [\"https://a:8686\", \"http://10.0.0.5:8686\"]\n",
                "address 2",
                2,
            ),
            (
                "[central]\ntimeout_ms = 500\n\nurls = [\n  \"ftp://a\",\n]\n",
                "address 1",
                4,
            ),
            ("[central]\nurls = [\"https://\"]\n", "address 1", 2),
        ] {
            let e = Config::parse(text).unwrap_err();
            assert!(e.contains("central.urls") && e.contains(place), "{text:?}: {e}");
            assert!(e.contains(&format!("line {line}")), "{text:?}: {e}");
            assert!(e.contains("https://") && e.contains("địa chỉ"), "both languages: {e}");
        }
        let e = Config::parse("[central]\nurls = []\n").unwrap_err();
        assert!(
            e.contains("central.urls") && e.contains("line 2") && e.contains("ít nhất"),
            "{e}"
        );
        let e = Config::parse("[central]\nurls = \"https://a:8686\"\n").unwrap_err();
        assert!(e.contains("urls"), "a list, not one string: {e}");
    }
}
