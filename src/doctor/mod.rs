//! `motcua doctor`: what IT staff run on a kiosk that misbehaves. Each
//! check says PASS, WARN or FAIL and why; any failure makes the exit code
//! non-zero, and with `--strict` any warning does too.
//!
//! The checks: `config` (the file loads; an unknown key is a warning that
//! names the nearest known one), `data dir`, `free space`, `database`,
//! `central database` (on a machine whose role is central),
//! `outbox` (records central refused for good), `enrollment`, `central`,
//! `clock` (against central's), `keyring` (receipt keys; on stations that
//! keep one), `printer`, `scanner` (on a counter, or wherever
//! `[scanner] device` is set), `fonts`.

use std::path::Path;
use std::time::Duration;

use crate::config::{Config, ConfigError, Loaded};
use crate::print::device::{Print, Printer};

/// Less free space than this on the data directory's disk fails.
pub const MIN_FREE_BYTES: u64 = 200 * 1024 * 1024;
/// A clock further than this from central's fails: ticket days, receipts
/// and appointment dates all depend on it.
pub const MAX_SKEW: Duration = Duration::from_secs(60);

/// The verdict of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pass,
    /// Works, but not as the configuration says: fails under `--strict`.
    Warn,
    Fail,
}

impl Status {
    /// The mark printed in the table.
    pub fn mark(self) -> &'static str {
        match self {
            Self::Pass => "PASS",
            Self::Warn => "WARN",
            Self::Fail => "FAIL",
        }
    }
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub name: &'static str,
    pub status: Status,
    pub detail: String,
}

impl Check {
    fn pass(name: &'static str, detail: impl Into<String>) -> Self {
        Self {
            name,
            status: Status::Pass,
            detail: detail.into(),
        }
    }

    fn warn(name: &'static str, detail: impl Into<String>) -> Self {
        Self {
            name,
            status: Status::Warn,
            detail: detail.into(),
        }
    }

    fn fail(name: &'static str, detail: impl Into<String>) -> Self {
        Self {
            name,
            status: Status::Fail,
            detail: detail.into(),
        }
    }
}

/// Runs every check. `loaded` is what `config::load` gave, `cfg` the
/// configuration the device runs with, `data_dir` its directory.
pub fn run(loaded: &Result<Loaded, ConfigError>, cfg: &Config, data_dir: &Path) -> Vec<Check> {
    let mut checks = vec![config_check(loaded)];
    checks.push(forms_check(cfg));
    checks.push(data_dir_check(data_dir));
    checks.push(free_space_check(data_dir, MIN_FREE_BYTES));
    checks.push(database_check(data_dir));
    if cfg.role == crate::config::Role::Central {
        checks.push(central_database_check(central_location(data_dir, cfg)));
    }
    checks.push(outbox_check(data_dir));
    checks.push(loops_check(data_dir));
    checks.extend(keyring_check(data_dir));
    checks.extend(central_checks(cfg, data_dir));
    let printer = cfg.printer.clone().unwrap_or_else(|| Printer::default_for(data_dir));
    checks.push(printer_check(&printer));
    if cfg.role == crate::config::Role::Counter || cfg.scanner.device.is_some() {
        checks.push(scanner_check(&crate::scan::Scanner::from_config(&cfg.scanner)));
    }
    checks.push(fonts_check(&[
        ("Noto Sans", crate::fonts::FONT_REGULAR_BYTES),
        ("Noto Sans Bold", crate::fonts::FONT_BOLD_BYTES),
    ]));
    checks
}

/// The table as printed, and whether the machine passes: no failure, and
/// under `strict` no warning either.
pub fn table(checks: &[Check], strict: bool) -> (String, bool) {
    let width = checks.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for c in checks {
        out.push_str(&format!("{}  {:width$}  {}\n", c.status.mark(), c.name, c.detail));
    }
    let count = |s: Status| checks.iter().filter(|c| c.status == s).count();
    let (failed, warned) = (count(Status::Fail), count(Status::Warn));
    if failed > 0 {
        out.push_str(&format!("{failed} check(s) failed / {failed} mục không đạt\n"));
    }
    if warned > 0 {
        out.push_str(&format!(
            "{warned} warning(s){} / {warned} cảnh báo{}\n",
            if strict {
                ", which --strict counts as failures"
            } else {
                ""
            },
            if strict {
                ", --strict tính là không đạt"
            } else {
                ""
            }
        ));
    }
    if failed == 0 && warned == 0 {
        out.push_str("all checks passed / mọi kiểm tra đều đạt\n");
    }
    (out, failed == 0 && (!strict || warned == 0))
}

fn printer_check(printer: &Printer) -> Check {
    match printer.status() {
        Ok(()) => Check::pass("printer", describe(printer)),
        Err(e) => Check::fail("printer", format!("{}: {e} — {}", describe(printer), e.vi())),
    }
}

/// The counter's scanner: the configured device answers (and where it
/// takes paper from), or SANE finds one to use.
fn scanner_check(scanner: &crate::scan::Scanner) -> Check {
    use crate::scan::ScanError;
    let program = scanner.program.display();
    let failed = |e: ScanError| match e {
        ScanError::NoScanner => format!(
            "{}: not found — is {program} installed (sane-utils), the scanner on and connected? / không tìm thấy máy quét",
            scanner.device.as_deref().unwrap_or("no device")
        ),
        e => format!("{e} — {}", e.text(motcua_core::i18n::Lang::Vi)),
    };
    match &scanner.device {
        Some(device) => match scanner.sources() {
            Ok(sources) => Check::pass("scanner", format!("{device} answers; sources: {sources:?}")),
            Err(e) => Check::fail("scanner", failed(e)),
        },
        None => match scanner.devices() {
            Ok(found) if found.is_empty() => Check::warn(
                "scanner",
                "SANE finds no scanner: documents cannot be scanned; set [scanner] device for a network scanner / không tìm thấy máy quét",
            ),
            Ok(found) => Check::pass(
                "scanner",
                format!(
                    "{} ({}), the first of {} SANE finds",
                    found[0].name,
                    found[0].description,
                    found.len()
                ),
            ),
            Err(e) => Check::fail("scanner", failed(e)),
        },
    }
}

fn describe(p: &Printer) -> String {
    match p {
        Printer::Folder { path } => format!("folder {}", path.display()),
        Printer::Usb { device } => format!("USB {}", device.display()),
        Printer::Network { address } => format!("network {address}"),
    }
}

fn config_check(config: &Result<Loaded, ConfigError>) -> Check {
    match config {
        Ok(l) => {
            let from = l
                .path
                .as_ref()
                .map_or("built-in defaults".to_string(), |p| p.display().to_string());
            if l.unknown_keys.is_empty() {
                Check::pass("config", from)
            } else {
                // An ignored key is a setting that did not take: the
                // machine runs on the default in its place.
                let keys: Vec<String> = l.unknown_keys.iter().map(ToString::to_string).collect();
                Check::warn(
                    "config",
                    format!(
                        "{from}: unknown key(s), ignored, the defaults used instead: {} / khóa không có, bị bỏ qua",
                        keys.join(", ")
                    ),
                )
            }
        }
        Err(e) => Check::fail("config", e.to_string()),
    }
}

/// The form layouts the counter prints with: the built-in ones, or the
/// office's file, read and checked as the counter will.
fn forms_check(cfg: &Config) -> Check {
    match (crate::config::form_layouts(cfg), &cfg.counter.forms) {
        (Ok(_), None) => Check::pass("forms", "built-in layouts"),
        (Ok(_), Some(path)) => Check::pass("forms", path.clone()),
        (Err(e), _) => Check::fail("forms", format!("{}: {}", e.path.display(), e.message)),
    }
}

/// The receipt keyring, on a station that keeps one: how many keys, how
/// many retired, and a warning if a download ever named a known key id
/// with another key (refused: the known key was kept).
fn keyring_check(dir: &Path) -> Option<Check> {
    if !dir.join(crate::receipt::keys::KEYRING_FILE).exists() {
        return None;
    }
    let ring = crate::receipt::keys::Keyring::load(dir);
    let keys: usize = ring.offices.values().map(|k| k.len()).sum();
    let retired: usize = ring.retired.values().map(|k| k.len()).sum();
    let known = format!("{keys} receipt key(s), {retired} retired");
    Some(if ring.refused > 0 {
        Check::warn(
            "keyring",
            format!(
                "{known}; {} downloaded key(s) named a known key id with another key and were refused (the known keys are kept): check what stands between this machine and central / {} khóa tải về trùng số với khóa đã biết và đã bị từ chối",
                ring.refused, ring.refused
            ),
        )
    } else {
        Check::pass("keyring", known)
    })
}

fn data_dir_check(dir: &Path) -> Check {
    use std::os::unix::fs::PermissionsExt;
    if let Err(e) = std::fs::create_dir_all(dir) {
        return Check::fail("data dir", format!("{}: cannot create: {e}", dir.display()));
    }
    let mode = match std::fs::metadata(dir) {
        Ok(m) => m.permissions().mode(),
        Err(e) => return Check::fail("data dir", format!("{}: {e}", dir.display())),
    };
    if mode & 0o002 != 0 {
        return Check::fail(
            "data dir",
            format!(
                "{}: writable by everyone (mode {:o}); run chmod o-w on it",
                dir.display(),
                mode & 0o777
            ),
        );
    }
    let probe = dir.join(".motcua-doctor");
    match std::fs::write(&probe, b"").and_then(|_| std::fs::remove_file(&probe)) {
        Ok(()) => Check::pass("data dir", format!("{} (mode {:o})", dir.display(), mode & 0o777)),
        Err(e) => Check::fail(
            "data dir",
            format!(
                "{}: cannot write: {e}; it must belong to the user motcua runs as",
                dir.display()
            ),
        ),
    }
}

/// Free bytes for an unprivileged user on the file system holding `dir`.
pub fn free_bytes(dir: &Path) -> std::io::Result<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    let mut st = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: `path` is a valid C string and `st` a buffer statvfs fills.
    let rc = unsafe { libc::statvfs(path.as_ptr(), st.as_mut_ptr()) };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: statvfs succeeded, so it filled the buffer.
    let st = unsafe { st.assume_init() };
    // The field widths differ between targets; u64 holds them all.
    #[allow(clippy::useless_conversion)]
    let (blocks, size) = (u64::from(st.f_bavail), u64::from(st.f_frsize));
    Ok(blocks.saturating_mul(size))
}

fn free_space_check(dir: &Path, min: u64) -> Check {
    let mib = |b: u64| b / (1024 * 1024);
    match free_bytes(dir) {
        Ok(free) if free >= min => Check::pass("free space", format!("{} MiB free", mib(free))),
        Ok(free) => Check::fail(
            "free space",
            format!("{} MiB free; at least {} MiB needed", mib(free), mib(min)),
        ),
        Err(e) => Check::fail("free space", format!("{}: {e}", dir.display())),
    }
}

fn database_check(dir: &Path) -> Check {
    let file = dir.join(crate::store::DB_FILE);
    if !file.exists() {
        return Check::pass("database", format!("{}: not created yet", file.display()));
    }
    let result =
        rusqlite::Connection::open_with_flags(&file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).and_then(|c| {
            c.busy_timeout(Duration::from_secs(5))?;
            let mut q = c.prepare("PRAGMA integrity_check")?;
            q.query_map([], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()
        });
    match result {
        Ok(lines) if lines == ["ok"] => Check::pass("database", format!("{}: integrity ok", file.display())),
        Ok(lines) => Check::fail(
            "database",
            format!("{}: {}; restore it or move it aside", file.display(), lines.join("; ")),
        ),
        Err(e) => Check::fail(
            "database",
            format!("{}: {e}; restore it or move it aside", file.display()),
        ),
    }
}

/// Central's database on a machine whose role is central: the
/// configured one, else the one its data directory names, else the
/// SQLite file in it.
fn central_location(dir: &Path, cfg: &Config) -> Result<motcua_central::db::Location, String> {
    let named = std::fs::read_to_string(dir.join(motcua_central::db::URL_FILE)).ok();
    let database = cfg.central.database.clone().or(named);
    motcua_central::db::Location::of(dir, database.as_deref()).map_err(|e| e.to_string())
}

/// Central's database answers, its schema is this build's, and where
/// PostgreSQL reports replication, the replicas keep up.
fn central_database_check(location: Result<motcua_central::db::Location, String>) -> Check {
    const NAME: &str = "central database";
    let location = match location {
        Ok(l) => l,
        Err(e) => return Check::fail(NAME, e),
    };
    let h = motcua_central::health::health(&location);
    let shown = &h.shown;
    if let Err(e) = &h.reachable {
        return Check::fail(NAME, format!("{shown}: {e} / không kết nối được cơ sở dữ liệu"));
    }
    let known = h.known;
    let version = match h.schema {
        None => {
            return Check::pass(
                NAME,
                format!("{shown}: not created yet; central creates it when it starts"),
            );
        }
        Some(v) if v > known as i64 => {
            return Check::fail(
                NAME,
                format!(
                    "{shown}: schema version {v}, newer than this motcua knows ({known}): install the newer motcua \
                     / phiên bản {v} mới hơn bản motcua này ({known}): hãy cài bản mới hơn"
                ),
            );
        }
        Some(v) if v < known as i64 => {
            return Check::warn(
                NAME,
                format!(
                    "{shown}: schema version {v}, older than this motcua's ({known}); central upgrades it when it \
                     starts / phiên bản {v} cũ hơn: central nâng cấp khi khởi động"
                ),
            );
        }
        Some(v) => v,
    };
    let max = motcua_central::health::MAX_LAG;
    match h.lag() {
        Some(lag) if lag > max => Check::warn(
            NAME,
            format!(
                "{shown}: schema version {version}; replication lags {:.0} s (over {} s): a replica taking over \
                 now would lose that much / bản sao chậm {:.0} giây",
                lag.as_secs_f64(),
                max.as_secs(),
                lag.as_secs_f64()
            ),
        ),
        Some(lag) => Check::pass(
            NAME,
            format!(
                "{shown}: schema version {version}; replication lags {:.0} s",
                lag.as_secs_f64()
            ),
        ),
        None => Check::pass(NAME, format!("{shown}: schema version {version}")),
    }
}

/// Records central refused for good sit in the outbox until someone acts:
/// the device works on, but a dossier or ticket never reached central.
fn outbox_check(dir: &Path) -> Check {
    if !dir.join(crate::store::DB_FILE).exists() {
        return Check::pass("outbox", "nothing recorded yet");
    }
    // Read-only, as the database check: the doctor never migrates or
    // writes a database the device may be using.
    let refused = rusqlite::Connection::open_with_flags(
        dir.join(crate::store::DB_FILE),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .and_then(|c| {
        c.busy_timeout(Duration::from_secs(5))?;
        c.query_row("SELECT count(*) FROM outbox WHERE state = 'failed'", [], |r| {
            r.get::<_, u64>(0)
        })
    });
    match refused {
        Ok(0) => Check::pass("outbox", "nothing refused by central"),
        Ok(n) => Check::fail(
            "outbox",
            format!(
                "{n} record(s) refused by central for good and never delivered; see `motcua sync-status` \
                 / {n} bản ghi bị máy chủ từ chối, chưa gửi được: xem `motcua sync-status`"
            ),
        ),
        Err(e) => Check::fail("outbox", format!("not read: {e}")),
    }
}

/// The device's background loops (outbox sender, catalog pull, retention)
/// are started again when they die; each death is kept in the store, and
/// shown here so a loop that keeps dying does not go unseen.
fn loops_check(dir: &Path) -> Check {
    if !dir.join(crate::store::DB_FILE).exists() {
        return Check::pass("background", "nothing recorded yet");
    }
    let failures = rusqlite::Connection::open_with_flags(
        dir.join(crate::store::DB_FILE),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .and_then(|c| {
        c.busy_timeout(Duration::from_secs(5))?;
        crate::store::loop_failures(&c)
    });
    match failures {
        Ok(f) if f.is_empty() => Check::pass("background", "no background loop died"),
        Ok(f) => Check::warn(
            "background",
            f.iter()
                .map(|f| {
                    format!(
                        "{} died {} time(s) and was started again, last at {}: {}",
                        f.name, f.restarts, f.at, f.last_error
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
        Err(e) => Check::fail("background", format!("not read: {e}")),
    }
}

fn central_checks(config: &Config, data_dir: &Path) -> Vec<Check> {
    let addresses = config.central.addresses();
    let Some(url) = addresses.first() else {
        return vec![Check::pass(
            "central",
            "none configured: runs in-process on this machine",
        )];
    };
    let enrolled = match crate::sync::device::DeviceFile::load(data_dir) {
        Ok(Some(d)) if d.addresses().iter().any(|a| addresses.contains(a)) => {
            Check::pass("enrollment", format!("device {} of office {}", d.device_id, d.office))
        }
        Ok(Some(d)) => Check::fail(
            "enrollment",
            format!(
                "enrolled with {}, not {url}: run motcua enroll {url} TOKEN",
                d.central_url.as_deref().unwrap_or("the local central")
            ),
        ),
        Ok(None) => Check::fail("enrollment", format!("not enrolled: run motcua enroll {url} TOKEN")),
        Err(e) => Check::fail("enrollment", e),
    };
    let timeout = Duration::from_millis(config.central.timeout_ms.max(2000));
    let (trust, certificate) = if addresses.iter().any(|a| a.starts_with("https://")) {
        match crate::sync::tls::Trust::load(data_dir) {
            Ok(Some(t)) => {
                let check = match t.not_after() {
                    Some(end) if end > jiff::Timestamp::now() => Check::pass(
                        "certificate",
                        format!("valid until {end}; renewed by itself before then"),
                    ),
                    Some(end) => Check::fail("certificate", format!("expired {end}: enroll the device again")),
                    None => Check::fail("certificate", "unreadable: enroll the device again"),
                };
                (Some(t.config()), check)
            }
            Ok(None) => (
                None,
                Check::fail("certificate", format!("none: run motcua enroll {url} TOKEN")),
            ),
            Err(e) => (None, Check::fail("certificate", e.to_string())),
        }
    } else {
        (
            None,
            Check::pass("certificate", "none needed: central is on this machine"),
        )
    };
    let answers: Vec<_> = addresses
        .iter()
        .map(|a| (a.as_str(), ask_time(a, timeout, trust.clone())))
        .collect();
    let clock = match answers.iter().find_map(|(_, t)| t.as_ref().ok()) {
        Some(server) => clock_check(jiff::Timestamp::now(), *server),
        None => Check::fail("clock", "not compared: central did not answer"),
    };
    vec![enrolled, certificate, reach_check(&answers), clock]
}

/// Whether central answers at each of its addresses: passes while one
/// does, with a warning naming those that do not.
fn reach_check(answers: &[(&str, Result<jiff::Timestamp, TimeError>)]) -> Check {
    let dead: Vec<String> = answers
        .iter()
        .filter_map(|(url, t)| t.as_ref().err().map(|e| format!("{url}: {e}")))
        .collect();
    let alive: Vec<&str> = answers.iter().filter(|(_, t)| t.is_ok()).map(|(url, _)| *url).collect();
    match (alive.is_empty(), dead.is_empty()) {
        (true, _) => Check::fail("central", dead.join("; ")),
        (false, true) => Check::pass("central", format!("{} answers", alive.join(", "))),
        (false, false) => Check::warn(
            "central",
            format!(
                "{} answers; not answering, devices move past it: {} / địa chỉ không trả lời",
                alive.join(", "),
                dead.join("; ")
            ),
        ),
    }
}

/// This machine's clock `now` against central's `server`.
fn clock_check(now: jiff::Timestamp, server: jiff::Timestamp) -> Check {
    let skew = now.duration_since(server).unsigned_abs();
    let detail = format!("{:.0} s from central's clock", skew.as_secs_f64());
    if skew <= MAX_SKEW {
        Check::pass("clock", detail)
    } else {
        Check::fail(
            "clock",
            format!("{detail} (at most {} s); check NTP (timedatectl)", MAX_SKEW.as_secs()),
        )
    }
}

/// Why central's clock could not be read.
#[derive(Debug, thiserror::Error)]
enum TimeError {
    #[error("{0}")]
    Client(reqwest::Error),
    #[error("no answer: {0}")]
    NoAnswer(reqwest::Error),
    #[error("answered {0}")]
    Status(reqwest::StatusCode),
    #[error("no Date header in the answer")]
    NoDate,
    #[error("Date header `{date}`: {source}")]
    BadDate { date: String, source: jiff::Error },
}

/// Central's clock, from the `Date` header of its health answer.
fn ask_time(url: &str, timeout: Duration, tls: Option<rustls::ClientConfig>) -> Result<jiff::Timestamp, TimeError> {
    motcua_central::tls::init();
    crate::runtime::handle().block_on(async {
        let builder = reqwest::Client::builder().timeout(timeout);
        let builder = match tls {
            Some(config) => builder.tls_backend_preconfigured(config),
            None => builder,
        };
        let http = builder.build().map_err(TimeError::Client)?;
        let r = http
            .get(format!("{}/healthz", url.trim_end_matches('/')))
            .send()
            .await
            .map_err(TimeError::NoAnswer)?;
        if !r.status().is_success() {
            return Err(TimeError::Status(r.status()));
        }
        let date = r
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|d| d.to_str().ok())
            .ok_or(TimeError::NoDate)?;
        jiff::fmt::rfc2822::parse(date)
            .map(|z| z.timestamp())
            .map_err(|source| TimeError::BadDate {
                date: date.to_string(),
                source,
            })
    })
}

/// Every Vietnamese letter the screens and tickets use, in each of `fonts`.
fn fonts_check(fonts: &[(&str, &[u8])]) -> Check {
    use cosmic_text::skrifa::{FontRef, MetadataProvider};
    const LETTERS: &str = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ";
    let mut missing = Vec::new();
    for &(name, bytes) in fonts {
        let Ok(font) = FontRef::new(bytes) else {
            return Check::fail("fonts", format!("{name} cannot be read"));
        };
        let map = font.charmap();
        for c in LETTERS.chars().flat_map(|c| [c].into_iter().chain(c.to_uppercase())) {
            if map.map(c).is_none() {
                missing.push(format!("{name}: {c}"));
            }
        }
    }
    if missing.is_empty() {
        Check::pass("fonts", "Noto Sans (built in) draws every Vietnamese letter")
    } else {
        Check::fail("fonts", format!("missing glyphs: {}", missing.join(", ")))
    }
}

#[cfg(test)]
mod tests;
