//! The kiosk's configuration: one TOML file, every key optional, defaults
//! that run a whole demo office on one machine.
//!
//! Unknown keys are warned about (a typo must not go unnoticed, nor stop a
//! kiosk); a value that is present but invalid stops start-up with a
//! message naming the key and what it accepts.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::domain::queue::PriorityPolicy;
use crate::i18n::Lang;

/// Where the configuration is read from when nothing else is said.
pub const DEFAULT_PATH: &str = "/etc/motcua/motcua.toml";

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Code of the office, printed in ticket references.
    pub office_code: String,
    /// Name of the folder under `branding/`.
    pub branding: String,
    /// Language shown when the kiosk is idle.
    pub language: Lang,
    /// A catalog file; the built-in demo catalog when absent.
    pub catalog: Option<PathBuf>,
    /// Where the database and printed files live.
    pub data_dir: Option<PathBuf>,
    pub kiosk: Kiosk,
    pub queue: Queue,
    pub central: Central,
    /// Where tickets and receipts print; the spool folder in the data
    /// directory when absent.
    pub printer: Option<crate::print::device::Printer>,
    pub counter: Counter,
}

/// The receiving counter.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct Counter {
    /// The counter's number as called in the hall.
    pub number: String,
    /// Service groups it serves; all of the catalog's when empty.
    pub groups: Vec<String>,
    /// Dossiers received at or after this time (HH:MM) count from the
    /// next working day.
    pub cutoff: String,
    /// The agency on receipts; the branding's office name when empty.
    pub agency: String,
    /// The place in the receipt's date line.
    pub place: String,
    /// Where citizens collect results, printed on receipts.
    pub collect_at: String,
}

impl Default for Counter {
    fn default() -> Self {
        Self {
            number: "1".into(),
            groups: Vec::new(),
            cutoff: "16:00".into(),
            agency: String::new(),
            place: "Hà Nội".into(),
            collect_at: "Bộ phận tiếp nhận và trả kết quả".into(),
        }
    }
}

impl Counter {
    pub fn cutoff_time(&self) -> Option<jiff::civil::Time> {
        let (h, m) = self.cutoff.split_once(':')?;
        jiff::civil::Time::new(h.parse().ok()?, m.parse().ok()?, 0, 0).ok()
    }
}

/// Where central is. Without a URL the kiosk runs central in-process on
/// loopback, so one machine is a whole office.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct Central {
    pub url: Option<String>,
    /// How long to wait for central before issuing from the kiosk's own numbers.
    pub timeout_ms: u64,
}

impl Default for Central {
    fn default() -> Self {
        Self {
            url: None,
            timeout_ms: 3000,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct Kiosk {
    /// Seconds without a touch before the "are you still there?" warning.
    pub idle_timeout_secs: u64,
    /// Seconds the warning counts down before the kiosk resets.
    pub idle_warning_secs: u64,
    pub fullscreen: bool,
    /// Set on the citizen display of a counter: that counter's number. The
    /// display then asks each served citizen for a rating instead of giving
    /// out tickets.
    pub counter_display: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct Queue {
    /// Normal calls between two priority calls (0: priority always first).
    pub priority_every: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            office_code: "000.00.01.H26".into(),
            branding: "hanoi".into(),
            language: Lang::Vi,
            catalog: None,
            data_dir: None,
            kiosk: Kiosk::default(),
            queue: Queue::default(),
            central: Central::default(),
            printer: None,
            counter: Counter::default(),
        }
    }
}

impl Default for Kiosk {
    fn default() -> Self {
        Self {
            idle_timeout_secs: 60,
            idle_warning_secs: 20,
            fullscreen: false,
            counter_display: None,
        }
    }
}

impl Default for Queue {
    fn default() -> Self {
        Self {
            priority_every: PriorityPolicy::default().every,
        }
    }
}

/// A configuration that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
}

/// A loaded configuration and what deserves a warning in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub config: Config,
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    /// Keys this version does not know.
    pub unknown_keys: Vec<String>,
}

impl Config {
    /// Reads `explicit` (which must exist), else `MOTCUA_CONFIG`, else the
    /// default path if it exists, else the built-in defaults.
    pub fn load(explicit: Option<&Path>) -> Result<Loaded, ConfigError> {
        let env = std::env::var_os("MOTCUA_CONFIG").map(PathBuf::from);
        let path = match (explicit, env) {
            (Some(p), _) => Some(p.to_path_buf()),
            (None, Some(p)) => Some(p),
            (None, None) => Some(PathBuf::from(DEFAULT_PATH)).filter(|p| p.exists()),
        };
        let Some(path) = path else {
            return Ok(Loaded {
                config: Config::default(),
                path: None,
                unknown_keys: Vec::new(),
            });
        };
        let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let (config, unknown_keys) = Self::parse(&text).map_err(|message| ConfigError {
            path: path.clone(),
            message,
        })?;
        Ok(Loaded {
            config,
            path: Some(path),
            unknown_keys,
        })
    }

    /// Parses and checks a configuration text.
    pub fn parse(text: &str) -> Result<(Config, Vec<String>), String> {
        let mut unknown = Vec::new();
        let de = toml::Deserializer::parse(text).map_err(|e| e.to_string())?;
        let config: Config =
            serde_ignored::deserialize(de, |path| unknown.push(path.to_string())).map_err(|e| e.to_string())?;
        config.check()?;
        Ok((config, unknown))
    }

    fn check(&self) -> Result<(), String> {
        let range = |key: &str, v: u64, lo: u64, hi: u64| {
            if (lo..=hi).contains(&v) {
                Ok(())
            } else {
                Err(format!("`{key}` = {v}: accepts {lo} to {hi}"))
            }
        };
        range("kiosk.idle_timeout_secs", self.kiosk.idle_timeout_secs, 15, 3600)?;
        range("kiosk.idle_warning_secs", self.kiosk.idle_warning_secs, 5, 120)?;
        range("queue.priority_every", u64::from(self.queue.priority_every), 0, 20)?;
        range("central.timeout_ms", self.central.timeout_ms, 100, 60_000)?;
        if self.counter.cutoff_time().is_none() {
            return Err(format!(
                "`counter.cutoff` = \"{}\": accepts a time like 16:00",
                self.counter.cutoff
            ));
        }
        if self.counter.number.trim().is_empty() || self.counter.number.len() > 8 {
            return Err(format!(
                "`counter.number` = \"{}\": accepts 1 to 8 characters",
                self.counter.number
            ));
        }
        if let Some(n) = &self.kiosk.counter_display
            && (n.trim().is_empty() || n.len() > 8)
        {
            return Err(format!("`kiosk.counter_display` = \"{n}\": accepts 1 to 8 characters"));
        }
        if let Some(url) = &self.central.url
            && !url.starts_with("http://")
        {
            // TLS is not built in yet: an https:// URL would only fail later.
            return Err(format!(
                "`central.url` = \"{url}\": accepts an http:// URL (for now reach central over the office network or a VPN)"
            ));
        }
        if self.office_code.trim().is_empty()
            || !self
                .office_code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '.' || c == '-')
        {
            return Err(format!(
                "`office_code` = \"{}\": accepts capital letters, digits, dots and dashes, like 000.00.01.H26",
                self.office_code
            ));
        }
        if self.branding.is_empty()
            || !self
                .branding
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(format!(
                "`branding` = \"{}\": accepts a folder name like hanoi",
                self.branding
            ));
        }
        Ok(())
    }

    pub fn priority_policy(&self) -> PriorityPolicy {
        PriorityPolicy {
            every: self.queue.priority_every,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_means_defaults() {
        let (c, unknown) = Config::parse("").unwrap();
        assert_eq!(c, Config::default());
        assert!(unknown.is_empty());
    }

    #[test]
    fn values_are_read_and_unknown_keys_listed() {
        let (c, unknown) = Config::parse(
            "language = \"en\"\nbrandin = \"x\"\n[kiosk]\nidle_timeout_secs = 90\ncolour = 1\n[queue]\npriority_every = 2\n",
        )
        .unwrap();
        assert_eq!(c.language, Lang::En);
        assert_eq!(c.kiosk.idle_timeout_secs, 90);
        assert_eq!(c.priority_policy().every, 2);
        assert_eq!(unknown, vec!["brandin".to_string(), "kiosk.colour".to_string()]);
    }

    #[test]
    fn invalid_values_name_the_key() {
        let e = Config::parse("[kiosk]\nidle_timeout_secs = 2\n").unwrap_err();
        assert!(e.contains("kiosk.idle_timeout_secs") && e.contains("15 to 3600"), "{e}");
        let e = Config::parse("language = \"fr\"\n").unwrap_err();
        assert!(e.contains("language") || e.contains("fr"), "{e}");
        let e = Config::parse("[kiosk]\nidle_timeout_secs = \"soon\"\n").unwrap_err();
        assert!(e.contains("idle_timeout_secs"), "{e}");
        let e = Config::parse("office_code = \"văn phòng\"\n").unwrap_err();
        assert!(e.contains("office_code"), "{e}");
        let e = Config::parse("[central]\nurl = \"ftp://x\"\n").unwrap_err();
        assert!(e.contains("central.url"), "{e}");
        let (c, _) = Config::parse("[central]\nurl = \"http://10.0.0.5:8686\"\n").unwrap();
        assert_eq!(c.central.url.as_deref(), Some("http://10.0.0.5:8686"));
    }

    #[test]
    fn an_explicit_missing_file_is_an_error() {
        let e = Config::load(Some(Path::new("/nonexistent/motcua.toml"))).unwrap_err();
        assert_eq!(e.path, Path::new("/nonexistent/motcua.toml"));
    }
}
