//! The kiosk's configuration: one TOML file, every key optional, defaults
//! that run a whole demo office on one machine. Here it is read from its
//! text and checked; the device finds and reads the file (`motcua::config`).
//!
//! Unknown keys are warned about (a typo must not go unnoticed, nor stop a
//! kiosk); a value that is present but invalid stops start-up with a
//! message naming the key and what it accepts.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::queue::PriorityPolicy;

/// Where the configuration is read from when nothing else is said.
pub const DEFAULT_PATH: &str = "/etc/motcua/motcua.toml";

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Config {
    /// What `motcua` with no subcommand runs on this machine.
    pub role: Role,
    /// A name for this device in logs and in `motcua doctor`, e.g. "Kiosk sảnh 1".
    pub device_name: String,
    /// How the kiosk's screen stands.
    pub orientation: Orientation,
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
    pub printer: Option<Printer>,
    pub counter: Counter,
    /// The counter's document scanner.
    pub scanner: crate::scanner::Scanner,
    pub retention: Retention,
    pub admin: Admin,
    /// The office's account for fees by VietQR; none asked for without it.
    pub payment: Option<crate::vietqr::Payment>,
}

/// A configured printer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum Printer {
    /// Jobs are written as files into a folder.
    Folder { path: PathBuf },
    /// A USB printer device node.
    Usb { device: PathBuf },
    /// A network printer's raw port.
    Network { address: std::net::SocketAddr },
}

impl Printer {
    /// The spool folder under a data directory: the default printer.
    pub fn default_for(data_dir: &Path) -> Self {
        Printer::Folder {
            path: data_dir.join("spool"),
        }
    }
}

/// The part a machine plays in the office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    #[default]
    Kiosk,
    Counter,
    Board,
    Central,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    #[default]
    Portrait,
    Landscape,
}

/// How long personal data stays on a kiosk or counter once central has it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Retention {
    /// Days after central acknowledged a record before its personal data
    /// is deleted from the local store.
    pub days: u32,
}

impl Default for Retention {
    fn default() -> Self {
        Self { days: 7 }
    }
}

/// IT staff's way out of a locked-down kiosk.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Admin {
    /// Argon2 hash of the PIN that closes the kiosk (`motcua admin-pin`
    /// makes one). Without it the kiosk cannot be closed from its screen.
    pub exit_pin_hash: Option<String>,
}

/// The receiving counter.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
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
    /// The office's form layouts (wording, heading, signatures), a TOML
    /// file like `assets/forms/forms.toml`; the built-in ones when unset.
    pub forms: Option<String>,
    /// The register book the office keeps ("Sổ theo dõi hồ sơ"), e.g.
    /// "01/2026", printed on receipts with the entry's number; none when
    /// unset.
    pub register_book: Option<String>,
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
            forms: None,
            register_book: None,
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
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Central {
    /// Central's address; the first of [`Central::addresses`] when `urls`
    /// lists more.
    pub url: Option<String>,
    /// Several addresses of the same central (processes on one database,
    /// or one behind a load balancer): a device moves to the next when one
    /// does not answer. `url`, when also given, is the first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub urls: Option<Vec<String>>,
    /// How long to wait for central before issuing from the kiosk's own numbers.
    pub timeout_ms: u64,
    /// Central's own database, on a machine that runs central:
    /// `postgres://…` for a city's PostgreSQL; none for the SQLite file in
    /// central's data directory.
    pub database: Option<String>,
}

impl Default for Central {
    fn default() -> Self {
        Self {
            url: None,
            urls: None,
            timeout_ms: 3000,
            database: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
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
    /// Where personal data (a name, an address, an ID number) may be read
    /// aloud in speech mode: through a headset only, never the speaker.
    pub headset: HeadsetMode,
    /// The speech volume each citizen starts at, from 1 (soft) to
    /// [`SPEECH_VOLUME_STEPS`] (loud); the citizen can step it up or down.
    pub speech_volume: u32,
    /// Speech rate in words a minute (espeak-ng's own is 175): a little
    /// slower for older citizens.
    pub speech_rate: u32,
    /// A portrait kiosk whose top is out of reach: where its screen is, so
    /// that every control stays within reach ([`crate::reach`]).
    pub reach: Option<crate::reach::Reach>,
}

/// How many volume steps speech has.
pub const SPEECH_VOLUME_STEPS: u32 = 6;

/// Whether a headset is plugged into the kiosk, to read personal data
/// aloud through it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HeadsetMode {
    /// Read from the sound card's headphone jack; when it cannot be read,
    /// taken as unplugged (personal data stays silent).
    #[default]
    Auto,
    /// Never: personal data is never spoken.
    Never,
    /// Always: the kiosk's only output is a handset or headphones.
    Always,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Queue {
    /// Normal calls between two priority calls (0: priority always first).
    pub priority_every: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            role: Role::default(),
            device_name: String::new(),
            orientation: Orientation::default(),
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
            scanner: crate::scanner::Scanner::default(),
            retention: Retention::default(),
            admin: Admin::default(),
            payment: None,
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
            headset: HeadsetMode::default(),
            speech_volume: 4,
            speech_rate: 145,
            reach: None,
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
    pub unknown_keys: Vec<UnknownKey>,
}

/// A key the configuration has and this version does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    /// Its dotted path, `kiosk.colour`.
    pub key: String,
    /// Its line in the file, from 1.
    pub line: Option<usize>,
    /// The known key it most likely stands for, as written in the file:
    /// `[kiosk] idle_timeout_secs`.
    pub suggestion: Option<String>,
}

impl std::fmt::Display for UnknownKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: `{}`", self.key)?,
            None => write!(f, "`{}`", self.key)?,
        }
        match &self.suggestion {
            Some(s) => write!(f, " (did you mean `{s}`? / có phải là `{s}`?)"),
            None => Ok(()),
        }
    }
}

/// Every key this version knows, dotted (`kiosk.idle_timeout_secs`), the
/// tables among them (`kiosk`). Read off the configuration type itself,
/// so a key added to it is known here without another list to keep.
pub fn known_keys() -> Vec<String> {
    fn walk(prefix: &str, table: &toml::Table, out: &mut Vec<String>) {
        for (key, value) in table {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            out.push(path.clone());
            if let toml::Value::Table(t) = value {
                walk(&path, t, out);
            }
        }
    }
    let mut out = Vec::new();
    match toml::Table::try_from(every_key_set()) {
        Ok(table) => walk("", &table, &mut out),
        Err(e) => tracing::error!(error = %e, "the configuration's keys cannot be listed"),
    }
    out
}

/// A valid configuration with every key written: those absent by default
/// are given a value.
fn every_key_set() -> Config {
    let mut sample = Config {
        catalog: Some(PathBuf::from("catalog.toml")),
        data_dir: Some(PathBuf::from("/var/lib/motcua")),
        printer: Some(Printer::Folder {
            path: PathBuf::from("spool"),
        }),
        ..Config::default()
    };
    sample.central.url = Some("http://127.0.0.1:8686".into());
    sample.central.urls = Some(vec!["http://127.0.0.1:8687".into()]);
    sample.kiosk.counter_display = Some("1".into());
    sample.kiosk.reach = Some(crate::reach::Reach::default());
    sample.scanner.device = Some("test:0".into());
    sample.payment = Some(crate::vietqr::Payment::example());
    sample.admin.exit_pin_hash =
        Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo".into());
    sample
}

/// A dotted key as it is written in the file: `[kiosk] idle_timeout_secs`,
/// `[kiosk]` for a table, `branding` at the top.
fn as_written(key: &str, is_table: bool) -> String {
    match (key.rsplit_once('.'), is_table) {
        (_, true) => format!("[{key}]"),
        (Some((table, leaf)), false) => format!("[{table}] {leaf}"),
        (None, false) => key.to_string(),
    }
}

/// The known key nearest to `unknown`, if one is near enough: the same
/// name in another table, a name that contains the other
/// (`idle_timeout` → `idle_timeout_secs`), or one a few letters away
/// (`brandin` → `branding`). A name in the same table wins a tie.
pub fn nearest_key(unknown: &str, known: &[String]) -> Option<String> {
    let split = |k: &str| -> (String, String) {
        match k.rsplit_once('.') {
            Some((t, l)) => (t.to_string(), l.to_string()),
            None => (String::new(), k.to_string()),
        }
    };
    let (table, leaf) = split(unknown);
    let leaf = leaf.to_lowercase();
    let mut best: Option<(f64, &String)> = None;
    for k in known {
        let (k_table, k_leaf) = split(k);
        let (short, long) = if leaf.len() <= k_leaf.len() {
            (&leaf, &k_leaf)
        } else {
            (&k_leaf, &leaf)
        };
        let mut score = if short.len() >= 4 && long.contains(short.as_str()) {
            0.9f64.max(strsim::normalized_damerau_levenshtein(&leaf, &k_leaf))
        } else {
            strsim::normalized_damerau_levenshtein(&leaf, &k_leaf)
        };
        if k_table == table {
            score += 0.05;
        }
        if score >= 0.7 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, k));
        }
    }
    best.map(|(_, k)| {
        let is_table = known.iter().any(|other| other.starts_with(&format!("{k}.")));
        as_written(k, is_table)
    })
}

/// The line (from 1) where the key at dotted `path` is written in `text`.
fn line_of(text: &str, path: &str) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let root = DeTable::parse(text).ok()?;
    let mut table = root.get_ref();
    let mut span = None;
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        let (key, value) = table.get_key_value(part)?;
        span = Some(key.span());
        if parts.peek().is_some() {
            match value.get_ref() {
                DeValue::Table(t) => table = t,
                _ => break,
            }
        }
    }
    let start = span?.start;
    Some(text[..start.min(text.len())].matches('\n').count() + 1)
}

impl Config {
    /// Parses and checks a configuration text. An error names the key,
    /// its line and what the key accepts.
    pub fn parse(text: &str) -> Result<(Config, Vec<UnknownKey>), String> {
        let mut unknown = Vec::new();
        let de = toml::Deserializer::parse(text).map_err(|e| e.to_string())?;
        // An optional table's path has a `?` for its `Some`: `payment.?.x`.
        let config: Config = serde_ignored::deserialize(de, |path| unknown.push(path.to_string().replace(".?", "")))
            .map_err(|e| e.to_string())?;
        let mut config = config;
        config.check().map_err(|(key, message)| match line_of(text, key) {
            Some(line) => format!("line {line}: {message}"),
            None => message,
        })?;
        // Code that asks whether a central is configured reads `url`.
        if config.central.url.is_none() {
            config.central.url = config.central.addresses().into_iter().next();
        }
        let known = if unknown.is_empty() { Vec::new() } else { known_keys() };
        let unknown = unknown
            .into_iter()
            .map(|key| UnknownKey {
                line: line_of(text, &key),
                suggestion: nearest_key(&key, &known),
                key,
            })
            .collect();
        Ok((config, unknown))
    }

    /// Checks the values; an error is the key and what is wrong with it.
    fn check(&self) -> Result<(), (&'static str, String)> {
        self.check_values()?;
        if let Some(payment) = &self.payment {
            payment.check()?;
        }
        if self.device_name.chars().count() > 60 {
            return Err(("device_name", "`device_name`: accepts up to 60 characters".into()));
        }
        let days = self.retention.days;
        if !(1..=365).contains(&days) {
            return Err(("retention.days", format!("`retention.days` = {days}: accepts 1 to 365")));
        }
        if let Some(hash) = &self.admin.exit_pin_hash
            && password_hash::PasswordHash::new(hash).is_err()
        {
            return Err((
                "admin.exit_pin_hash",
                "`admin.exit_pin_hash`: accepts an Argon2 hash made by `motcua admin-pin`".into(),
            ));
        }
        Ok(())
    }

    fn check_values(&self) -> Result<(), (&'static str, String)> {
        let range = |key: &'static str, v: u64, lo: u64, hi: u64| {
            if (lo..=hi).contains(&v) {
                Ok(())
            } else {
                Err((key, format!("`{key}` = {v}: accepts {lo} to {hi}")))
            }
        };
        range("kiosk.idle_timeout_secs", self.kiosk.idle_timeout_secs, 15, 3600)?;
        range("kiosk.idle_warning_secs", self.kiosk.idle_warning_secs, 5, 120)?;
        range(
            "kiosk.speech_volume",
            u64::from(self.kiosk.speech_volume),
            1,
            u64::from(SPEECH_VOLUME_STEPS),
        )?;
        range("kiosk.speech_rate", u64::from(self.kiosk.speech_rate), 80, 260)?;
        if let Some(reach) = &self.kiosk.reach {
            reach.check()?;
        }
        range("queue.priority_every", u64::from(self.queue.priority_every), 0, 20)?;
        range("central.timeout_ms", self.central.timeout_ms, 100, 60_000)?;
        self.scanner.check()?;
        if self.counter.cutoff_time().is_none() {
            return Err((
                "counter.cutoff",
                format!(
                    "`counter.cutoff` = \"{}\": accepts a time like 16:00",
                    self.counter.cutoff
                ),
            ));
        }
        // Central refuses a label the hall board could not show or speak:
        // say so here, before the first call fails (8 letters, not bytes:
        // "Quầy 12" is 7 letters and 9 bytes).
        let label_ok = |n: &str| n.chars().count() <= 8 && crate::queue::counter_label_ok(n);
        if !label_ok(&self.counter.number) {
            return Err((
                "counter.number",
                format!(
                    "`counter.number` = \"{}\": accepts 1 to 8 characters, letters, digits, spaces or '-'",
                    self.counter.number
                ),
            ));
        }
        if let Some(n) = &self.kiosk.counter_display
            && !label_ok(n)
        {
            return Err((
                "kiosk.counter_display",
                format!("`kiosk.counter_display` = \"{n}\": accepts 1 to 8 characters, letters, digits, spaces or '-'"),
            ));
        }
        if let Some(url) = &self.central.url
            && !(url.starts_with("https://") && url.len() > "https://".len())
            && !crate::net::is_loopback_http(url)
        {
            // Across the network central is reached over TLS only.
            return Err((
                "central.url",
                format!(
                    "`central.url` = \"{url}\": accepts an https:// URL (plain http:// only to this machine, 127.0.0.1 or localhost)"
                ),
            ));
        }
        if let Some(db) = &self.central.database
            && !["postgres://", "postgresql://", "sqlite:"]
                .iter()
                .any(|p| db.starts_with(p) && db.len() > p.len())
        {
            // Never the value itself: it may hold a password.
            return Err((
                "central.database",
                "`central.database`: accepts postgres://user@host:port/name (a city's PostgreSQL) or sqlite:PATH"
                    .to_string(),
            ));
        }
        self.central.check_urls()?;
        if let Err(e) = crate::dossier::check_agency_code(&self.office_code) {
            // Dossier codes are built from it: a code the national portal
            // cannot place is worse than a counter that does not start.
            return Err((
                "office_code",
                format!(
                    "`office_code` = \"{}\" {e}: the office's electronic agency code (QĐ 20/2020/QĐ-TTg), like H26.22.15, or 000.00.01.H26 as 2018 codes wrote it",
                    self.office_code
                ),
            ));
        }
        if self.branding.is_empty()
            || !self
                .branding
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err((
                "branding",
                format!("`branding` = \"{}\": accepts a folder name like hanoi", self.branding),
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

#[path = "config_central.rs"]
mod central;

#[cfg(test)]
#[path = "config_speech_tests.rs"]
mod speech_tests;

#[cfg(test)]
#[path = "config_scanner_tests.rs"]
mod scanner_tests;

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
