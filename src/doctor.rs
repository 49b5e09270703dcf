//! `motcua doctor`: what IT staff run on a kiosk that misbehaves. Each
//! check says pass or fail and why; any failure makes the exit code
//! non-zero.

use std::path::Path;
use std::time::Duration;

use crate::config::{Config, ConfigError, Loaded};
use crate::print::device::Printer;

/// Less free space than this on the data directory's disk fails.
pub const MIN_FREE_BYTES: u64 = 200 * 1024 * 1024;
/// A clock further than this from central's fails: ticket days, receipts
/// and appointment dates all depend on it.
pub const MAX_SKEW: Duration = Duration::from_secs(60);

/// One line of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub name: &'static str,
    pub ok: bool,
    pub detail: String,
}

impl Check {
    fn pass(name: &'static str, detail: impl Into<String>) -> Self {
        Self {
            name,
            ok: true,
            detail: detail.into(),
        }
    }

    fn fail(name: &'static str, detail: impl Into<String>) -> Self {
        Self {
            name,
            ok: false,
            detail: detail.into(),
        }
    }
}

/// Runs every check. `loaded` is what `Config::load` gave, `cfg` the
/// configuration the device runs with, `data_dir` its directory.
pub fn run(loaded: &Result<Loaded, ConfigError>, cfg: &Config, data_dir: &Path) -> Vec<Check> {
    let mut checks = vec![config_check(loaded)];
    checks.push(data_dir_check(data_dir));
    checks.push(free_space_check(data_dir));
    checks.push(database_check(data_dir));
    checks.extend(central_checks(cfg, data_dir));
    let printer = cfg.printer.clone().unwrap_or_else(|| Printer::default_for(data_dir));
    checks.push(match printer.status() {
        Ok(()) => Check::pass("printer", describe(&printer)),
        Err(e) => Check::fail("printer", format!("{}: {e} — {}", describe(&printer), e.vi())),
    });
    checks.push(fonts_check());
    checks
}

/// The table as printed, and whether everything passed.
pub fn table(checks: &[Check]) -> (String, bool) {
    let width = checks.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for c in checks {
        out.push_str(&format!(
            "{}  {:width$}  {}\n",
            if c.ok { "PASS" } else { "FAIL" },
            c.name,
            c.detail
        ));
    }
    let failed = checks.iter().filter(|c| !c.ok).count();
    if failed == 0 {
        out.push_str("all checks passed / mọi kiểm tra đều đạt\n");
    } else {
        out.push_str(&format!("{failed} check(s) failed / {failed} mục không đạt\n"));
    }
    (out, failed == 0)
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
                let keys: Vec<String> = l.unknown_keys.iter().map(ToString::to_string).collect();
                Check::pass("config", format!("{from}; unknown keys ignored: {}", keys.join(", ")))
            }
        }
        Err(e) => Check::fail("config", e.to_string()),
    }
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

fn free_space_check(dir: &Path) -> Check {
    let mib = |b: u64| b / (1024 * 1024);
    match free_bytes(dir) {
        Ok(free) if free >= MIN_FREE_BYTES => Check::pass("free space", format!("{} MiB free", mib(free))),
        Ok(free) => Check::fail(
            "free space",
            format!("{} MiB free; at least {} MiB needed", mib(free), mib(MIN_FREE_BYTES)),
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

fn central_checks(config: &Config, data_dir: &Path) -> Vec<Check> {
    let Some(url) = &config.central.url else {
        return vec![Check::pass(
            "central",
            "none configured: runs in-process on this machine",
        )];
    };
    let enrolled = match crate::sync::device::DeviceFile::load(data_dir) {
        Ok(Some(d)) if d.central_url.as_deref() == Some(url.as_str()) => {
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
    let (reach, clock) = match ask_time(url, timeout) {
        Ok(server) => {
            let now = jiff::Timestamp::now();
            let skew = now.duration_since(server).unsigned_abs();
            let reach = Check::pass("central", format!("{url} answers"));
            let detail = format!("{:.0} s from central's clock", skew.as_secs_f64());
            let clock = if skew <= MAX_SKEW {
                Check::pass("clock", detail)
            } else {
                Check::fail(
                    "clock",
                    format!("{detail} (at most {} s); check NTP (timedatectl)", MAX_SKEW.as_secs()),
                )
            };
            (reach, clock)
        }
        Err(e) => (
            Check::fail("central", format!("{url}: {e}")),
            Check::fail("clock", "not compared: central did not answer"),
        ),
    };
    vec![enrolled, reach, clock]
}

/// Central's clock, from the `Date` header of its health answer.
fn ask_time(url: &str, timeout: Duration) -> Result<jiff::Timestamp, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| e.to_string())?;
        let r = http
            .get(format!("{}/healthz", url.trim_end_matches('/')))
            .send()
            .await
            .map_err(|e| format!("no answer: {e}"))?;
        if !r.status().is_success() {
            return Err(format!("answered {}", r.status()));
        }
        let date = r
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|d| d.to_str().ok())
            .ok_or("no Date header in the answer")?;
        jiff::fmt::rfc2822::parse(date)
            .map(|z| z.timestamp())
            .map_err(|e| format!("Date header `{date}`: {e}"))
    })
}

/// Every Vietnamese letter the screens and tickets use, in both weights.
fn fonts_check() -> Check {
    use cosmic_text::skrifa::{FontRef, MetadataProvider};
    const LETTERS: &str = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ";
    let fonts = [
        ("Noto Sans", crate::ui::style::FONT_REGULAR_BYTES),
        ("Noto Sans Bold", crate::ui::style::FONT_BOLD_BYTES),
    ];
    let mut missing = Vec::new();
    for (name, bytes) in fonts {
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
