//! The scanner through SANE's own command-line front end, `scanimage`
//! (Debian's sane-utils), run as a child process for each scan.
//!
//! Why the program and not a binding to libsane:
//! - nothing to link: building needs no libsane-dev, and a counter
//!   without sane-utils still runs (it says there is no scanner);
//! - a backend is C code, some of it vendors' binaries: one that crashes
//!   or hangs takes a child process down, never the counter's screen;
//! - cancelling is a signal: SIGINT makes scanimage call `sane_cancel`
//!   and stop cleanly, and SIGKILL ends one that does not;
//! - every backend works the same, network scanners through
//!   sane-airscan (eSCL) too;
//! - its exit status is SANE's status (jammed, cover open, busy…), so
//!   faults map without reading its messages, which are run in the C
//!   locale all the same.
//!
//! In batch mode scanimage writes each page into a scratch directory and
//! prints the file's name once the page is whole (`--batch-print`); each
//! page is read, handed on and its file removed as it comes. scanimage
//! does not check its own writes (a full disk leaves a short page and
//! exit status 0), so a page file that does not hold its whole image is
//! written to again here, to learn whether the disk is full.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{Cancel, Mode, Page, ScanError, ScanRequest, Scanner, Source};

/// How often a scan under way looks at its [`Cancel`].
const POLL: Duration = Duration::from_millis(25);
/// How long scanimage has to stop after SIGINT before it is killed.
const GRACE: Duration = Duration::from_secs(3);
/// How long a scanner may stay silent before it is taken to have hung: a
/// page, even a slow 1200 dpi colour one, comes well within it.
const SILENCE: Duration = Duration::from_secs(90);
/// The most of scanimage's messages kept (they say what failed).
const STDERR_MAX: u64 = 64 * 1024;
/// A page file larger than this is no page: 1200 dpi colour A3.
const PAGE_MAX: u64 = 2 * 1024 * 1024 * 1024;

/// A scanner SANE finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// Its SANE name, for `[scanner] device`.
    pub name: String,
    /// Vendor, model and kind, as the backend says.
    pub description: String,
}

/// The command for `scanner`'s program and device, in the C locale.
fn command(scanner: &Scanner, with_device: bool) -> Command {
    let program = if scanner.program.as_os_str().is_empty() {
        Path::new("scanimage")
    } else {
        scanner.program.as_path()
    };
    let mut command = Command::new(program);
    command.env("LC_ALL", "C");
    command.envs(scanner.env.iter().map(|(k, v)| (k, v)));
    if with_device && let Some(device) = &scanner.device {
        command.arg(format!("--device-name={device}"));
    }
    command.stdin(Stdio::null());
    command
}

/// An error of the scratch directory's file system.
pub(super) fn io_error(e: &std::io::Error) -> ScanError {
    if e.kind() == std::io::ErrorKind::StorageFull || e.raw_os_error() == Some(libc::ENOSPC) {
        ScanError::DiskFull
    } else {
        ScanError::Failed(format!("scratch directory: {e}"))
    }
}

fn spawn_error(scanner: &Scanner, e: std::io::Error) -> ScanError {
    if e.kind() == std::io::ErrorKind::NotFound {
        tracing::warn!(program = %scanner.program.display(), "no scanner program: install sane-utils");
        ScanError::NoScanner
    } else {
        ScanError::Failed(format!("{}: {e}", scanner.program.display()))
    }
}

/// Runs a short query of the program (`-L`, `-A`): its output, or the
/// error its exit status and messages say.
fn query(mut command: Command, scanner: &Scanner) -> Result<String, ScanError> {
    let out = command.output().map_err(|e| spawn_error(scanner, e))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(status_error(out.status, &stderr))
    }
}

/// Every device SANE finds.
pub(super) fn devices(scanner: &Scanner) -> Result<Vec<Device>, ScanError> {
    let mut command = command(scanner, false);
    // A separator no device name holds.
    command.arg("--formatted-device-list=%d\u{1f}%v %m (%t)%n");
    let out = query(command, scanner)?;
    Ok(out
        .lines()
        .filter_map(|line| line.split_once('\u{1f}'))
        .map(|(name, description)| Device {
            name: name.to_string(),
            description: description.to_string(),
        })
        .collect())
}

/// The device's sources as it names them, each with the kind it is; a
/// device without a `--source` option has its flatbed alone.
pub(super) fn sources(scanner: &Scanner) -> Result<Vec<(Source, String)>, ScanError> {
    let mut command = command(scanner, true);
    command.arg("--all-options");
    let out = query(command, scanner)?;
    Ok(parse_sources(&out))
}

/// The `--source` line of `scanimage -A`: `--source Flatbed|ADF|ADF Duplex [Flatbed]`.
fn parse_sources(all_options: &str) -> Vec<(Source, String)> {
    let Some(list) = all_options
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--source "))
    else {
        return vec![(Source::Flatbed, String::new())];
    };
    let list = list.rsplit_once(" [").map_or(list, |(l, _)| l);
    let mut out: Vec<(Source, String)> = Vec::new();
    for name in list.split('|').map(str::trim).filter(|n| !n.is_empty()) {
        let kind = classify(name);
        if !out.iter().any(|(k, _)| *k == kind) {
            out.push((kind, name.to_string()));
        }
    }
    out
}

/// What a backend's name for a source stands for: "Flatbed", "ADF",
/// "Automatic Document Feeder", "ADF Duplex", "ADF Front", "Duplex".
fn classify(name: &str) -> Source {
    let n = name.to_lowercase();
    if n.contains("duplex") || n.contains("front and back") || n.contains("both sides") {
        Source::FeederDuplex
    } else if n.contains("adf") || n.contains("feeder") || n.contains("document") || n.contains("front") {
        Source::Feeder
    } else {
        Source::Flatbed
    }
}

/// SANE's standard names for the modes (`SANE_VALUE_SCAN_MODE_*`).
fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Grey => "Gray",
        Mode::Colour => "Color",
    }
}

/// A running scanimage: stopped (SIGINT, then SIGKILL) when dropped
/// before it ended, so that no return leaves it writing.
struct Running(Child);

impl Running {
    fn stop(&mut self) {
        if matches!(self.0.try_wait(), Ok(Some(_))) {
            return;
        }
        if let Ok(pid) = i32::try_from(self.0.id()) {
            // SAFETY: kill(2) on our own child's pid, not yet reaped.
            unsafe { libc::kill(pid, libc::SIGINT) };
        }
        let deadline = Instant::now() + GRACE;
        while Instant::now() < deadline {
            if matches!(self.0.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        tracing::warn!("scanimage did not stop on SIGINT: killed");
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Scans into `dir`; see [`Scanner::scan_into`].
pub(super) fn scan(
    scanner: &Scanner,
    dir: &Path,
    request: &ScanRequest,
    cancel: &Cancel,
    on_page: &mut dyn FnMut(&Page),
) -> Result<Vec<Page>, ScanError> {
    if cancel.is_cancelled() {
        return Err(ScanError::Cancelled);
    }
    // The flatbed is the device's own default; the feeder is named as
    // the device names it.
    let source = match request.source {
        Source::Flatbed => None,
        wanted => Some(
            sources(scanner)?
                .into_iter()
                .find(|(kind, _)| *kind == wanted)
                .map(|(_, name)| name)
                .ok_or_else(|| ScanError::Failed(format!("the device has no {wanted:?} source")))?,
        ),
    };
    let mut command = command(scanner, true);
    command
        .arg("--format=pnm")
        .arg(format!("--mode={}", mode_name(request.mode)))
        .arg(format!("--resolution={}", request.resolution))
        .arg(format!("--batch={}", dir.join("p%04d.pnm").display()))
        .arg("--batch-print");
    if let Some(source) = &source {
        command.arg(format!("--source={source}"));
    } else {
        command.arg("--batch-count=1");
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| spawn_error(scanner, e))?;
    let (stdout, stderr) = (child.stdout.take(), child.stderr.take());
    let mut running = Running(child);
    let (tx, names) = mpsc::channel();
    if let Some(stdout) = stdout {
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                if line.is_err() || tx.send(line).is_err() {
                    break;
                }
            }
        });
    }
    // Its messages, kept whole for the end and passed on line by line:
    // a failure it reports is known even if the driver then hangs.
    let (said_tx, said) = mpsc::channel::<String>();
    let messages = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(stderr) = stderr {
            for line in BufReader::new(stderr.take(STDERR_MAX)).lines() {
                let Ok(line) = line else { break };
                let _ = said_tx.send(line.clone());
                text.push_str(&line);
                text.push('\n');
            }
        }
        text
    });

    let mut pages = Vec::new();
    // The glass gives one page: once it is here, the scan is done.
    let last = if source.is_none() { Some(1) } else { None };
    let mut heard = Instant::now();
    let mut reported: Option<(i32, String, Instant)> = None;
    loop {
        if cancel.is_cancelled() {
            running.stop();
            return Err(ScanError::Cancelled);
        }
        if last.is_some_and(|n| pages.len() >= n) {
            // A driver can hang while closing (SANE's own test backend
            // sometimes does, in its reader thread): the page is whole,
            // so it is kept and the program stopped.
            if !exits_within(&mut running, GRACE) {
                tracing::warn!("scanimage did not end after its page: stopped");
                running.stop();
                return Ok(pages);
            }
            break;
        }
        while let Ok(line) = said.try_recv() {
            if reported.is_none()
                && let Some(code) = reported_status(&line)
            {
                reported = Some((code, line, Instant::now()));
            }
        }
        // It said why it stopped but does not end (a driver hung while
        // closing): what it said stands.
        if let Some((code, line, at)) = &reported
            && at.elapsed() > GRACE
            && !matches!(running.0.try_wait(), Ok(Some(_)))
        {
            tracing::warn!("scanimage did not end after reporting a failure: stopped");
            running.stop();
            return match code {
                7 if !pages.is_empty() => Ok(pages),
                _ => Err(code_error(Some(*code), line)),
            };
        }
        if heard.elapsed() > SILENCE {
            tracing::warn!(pages = pages.len(), "the scanner went silent: stopped");
            running.stop();
            return if pages.is_empty() {
                Err(ScanError::Failed("the scanner stopped answering".into()))
            } else {
                Ok(pages)
            };
        }
        match names.recv_timeout(POLL) {
            Ok(Ok(name)) => {
                let page = read_page(dir, name.trim(), request)?;
                on_page(&page);
                pages.push(page);
                heard = Instant::now();
            }
            Ok(Err(_)) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
    }
    // Its output is closed: scanimage is ending.
    let status = running
        .0
        .wait()
        .map_err(|e| ScanError::Failed(format!("scanimage: {e}")))?;
    if cancel.is_cancelled() {
        return Err(ScanError::Cancelled);
    }
    // Its messages, unless something it started keeps its stderr open.
    let deadline = Instant::now() + GRACE;
    while !messages.is_finished() && Instant::now() < deadline {
        std::thread::sleep(POLL);
    }
    let messages = if messages.is_finished() {
        messages.join().unwrap_or_default()
    } else {
        String::new()
    };
    outcome(status, &messages, pages)
}

/// Whether scanimage ends by itself within `wait`.
fn exits_within(running: &mut Running, wait: Duration) -> bool {
    let deadline = Instant::now() + wait;
    loop {
        if matches!(running.0.try_wait(), Ok(Some(_))) {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(POLL);
    }
}

/// What the exit of a batch that gave `pages` means.
fn outcome(status: ExitStatus, messages: &str, pages: Vec<Page>) -> Result<Vec<Page>, ScanError> {
    match status.code() {
        // The feeder ran out: the end of a batch, unless it was empty.
        Some(0 | 7) if !pages.is_empty() => Ok(pages),
        Some(0 | 7) => Err(ScanError::NoPaper),
        _ => Err(status_error(status, messages)),
    }
}

/// SANE's status as scanimage's exit status (`SANE_Status`), and its
/// messages for the exits that carry none.
fn status_error(status: ExitStatus, messages: &str) -> ScanError {
    code_error(status.code(), messages)
}

/// [`status_error`] from the status alone (`None`: ended by a signal).
fn code_error(code: Option<i32>, messages: &str) -> ScanError {
    let said = last_message(messages);
    let error = match code {
        Some(2) => ScanError::Cancelled,
        Some(3) => ScanError::Busy,
        Some(6) => ScanError::Jammed,
        Some(7) => ScanError::NoPaper,
        Some(8) => ScanError::CoverOpen,
        // Said in words the officer can act on (they show in the message).
        Some(9) => ScanError::Failed("the connection to the scanner broke (SANE I/O error)".into()),
        Some(10) => ScanError::Failed("the scanner ran out of memory (SANE)".into()),
        Some(11) => {
            ScanError::Failed("access to the scanner was denied: is motcua in the group scanner? (SANE)".into())
        }
        Some(1) if messages.contains("no SANE devices found") || messages.contains("open of device") => {
            ScanError::NoScanner
        }
        Some(code) => ScanError::Failed(format!("{said} (exit status {code})")),
        None => ScanError::Failed(format!("scanimage ended by a signal: {said}")),
    };
    tracing::warn!(status = ?code, message = %said, "scan failed");
    error
}

/// The SANE status a line of scanimage's reports as why it stopped
/// (`scanimage: sane_read: Document feeder jammed`; SANE's own words,
/// scanimage running in the C locale).
fn reported_status(line: &str) -> Option<i32> {
    let (_, said) = line
        .split_once("sane_read: ")
        .or_else(|| line.split_once("sane_start: "))?;
    Some(match said.trim() {
        "Operation not supported" => 1,
        "Operation was canceled" | "Operation was cancelled" => 2,
        "Device busy" => 3,
        "Invalid argument" => 4,
        "Document feeder jammed" => 6,
        "Document feeder out of documents" => 7,
        "Scanner cover is open" => 8,
        "Error during device I/O" => 9,
        "Out of memory" => 10,
        "Access to resource has been denied" => 11,
        _ => return None,
    })
}

/// The last thing scanimage said that is not its progress report.
fn last_message(messages: &str) -> String {
    messages
        .lines()
        .filter(|l| {
            !(l.starts_with("Scanning")
                || l.starts_with("Scanned page")
                || l.starts_with("Batch terminated")
                || l.starts_with("Output format"))
        })
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or("no message")
        .trim()
        .to_string()
}

/// Reads the page scanimage just wrote into `dir` and removes its file.
fn read_page(dir: &Path, name: &str, request: &ScanRequest) -> Result<Page, ScanError> {
    let path = Path::new(name);
    if path.parent() != Some(dir) {
        return Err(ScanError::Failed(format!(
            "scanimage wrote {name}, outside its directory"
        )));
    }
    let whole = std::fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.is_file() && m.len() <= PAGE_MAX)
        .and_then(|_| std::fs::read(path).ok())
        .and_then(|bytes| decode(&bytes, request.resolution));
    match whole {
        Some(page) => {
            std::fs::remove_file(path).map_err(|e| io_error(&e))?;
            Ok(page)
        }
        None => Err(not_whole(path)),
    }
}

/// A page file that does not hold its image: scanimage could not write it
/// and did not say why. Writing there again tells whether the disk is full.
fn not_whole(path: &Path) -> ScanError {
    let probe = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(&vec![0; 1 << 20]).and_then(|()| f.sync_all()));
    let _ = std::fs::remove_file(path);
    match probe {
        Err(e) if matches!(io_error(&e), ScanError::DiskFull) => ScanError::DiskFull,
        _ => ScanError::Failed(format!("{} is not a whole page", path.display())),
    }
}

/// An 8-bit PNM page (P5 grey, P6 colour; deeper samples are cut to 8).
fn decode(bytes: &[u8], dpi: u32) -> Option<Page> {
    use image::DynamicImage;
    let decoder = image::codecs::pnm::PnmDecoder::new(std::io::Cursor::new(bytes)).ok()?;
    let image = DynamicImage::from_decoder(decoder).ok()?;
    let (width, height) = (image.width(), image.height());
    let (mode, pixels) = match image {
        DynamicImage::ImageLuma8(i) => (Mode::Grey, i.into_raw()),
        DynamicImage::ImageRgb8(i) => (Mode::Colour, i.into_raw()),
        i if i.color().has_color() => (Mode::Colour, i.into_rgb8().into_raw()),
        i => (Mode::Grey, i.into_luma8().into_raw()),
    };
    let page = Page {
        width,
        height,
        dpi,
        mode,
        pixels: std::sync::Arc::new(pixels),
    };
    page.is_whole().then_some(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reported_failure_is_read_in_sanes_own_words() {
        assert_eq!(reported_status("scanimage: sane_read: Document feeder jammed"), Some(6));
        assert_eq!(reported_status("scanimage: sane_start: Device busy"), Some(3));
        assert_eq!(reported_status("scanimage: sane_read: Scanner cover is open"), Some(8));
        assert_eq!(reported_status("Scanned page 1. (scanner status = 5)"), None);
        assert_eq!(reported_status("scanimage: sane_read: something new"), None);
        // A hung driver's report stands.
        assert_eq!(
            code_error(Some(6), "scanimage: sane_read: Document feeder jammed"),
            ScanError::Jammed
        );
    }

    #[test]
    fn sources_are_read_as_each_backend_names_them() {
        let kinds = |line: &str| -> Vec<(Source, String)> { parse_sources(&format!("Options:\n  {line}\n")) };
        assert_eq!(
            kinds("--source Flatbed|Automatic Document Feeder [Flatbed]"),
            [
                (Source::Flatbed, "Flatbed".into()),
                (Source::Feeder, "Automatic Document Feeder".into())
            ]
        );
        // sane-airscan (eSCL) and hpaio.
        let airscan = kinds("--source Flatbed|ADF|ADF Duplex [Flatbed]");
        assert_eq!(airscan[2], (Source::FeederDuplex, "ADF Duplex".into()));
        // fujitsu: the first feeder name stands for the feeder.
        let fujitsu = kinds("--source ADF Front|ADF Back|ADF Duplex [ADF Front]");
        assert_eq!(
            fujitsu.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            [Source::Feeder, Source::FeederDuplex]
        );
        assert_eq!(fujitsu[0].1, "ADF Front");
        // No --source option: the flatbed alone.
        assert_eq!(
            parse_sources("Options:\n  --mode Gray|Color [Gray]\n")[0].0,
            Source::Flatbed
        );
    }

    #[test]
    fn a_page_is_read_from_pnm_and_a_short_one_refused() {
        let mut grey = b"P5\n# SANE data follows\n3 2\n255\n".to_vec();
        grey.extend([0, 10, 20, 30, 40, 50]);
        let page = decode(&grey, 300).unwrap();
        assert_eq!((page.width, page.height, page.mode), (3, 2, Mode::Grey));
        assert_eq!(*page.pixels, [0, 10, 20, 30, 40, 50]);
        let mut colour = b"P6\n1 2\n255\n".to_vec();
        colour.extend([1, 2, 3, 4, 5, 6]);
        let page = decode(&colour, 150).unwrap();
        assert_eq!((page.mode, page.dpi, page.pixels.len()), (Mode::Colour, 150, 6));
        assert!(decode(&grey[..grey.len() - 1], 300).is_none(), "a page cut short");
        assert!(decode(&[0; 64], 300).is_none(), "zeros, as /dev/full reads");
    }

    #[test]
    fn progress_lines_are_not_the_message() {
        let text = "Scanning page 1\nscanimage: sane_read: Document feeder jammed\nScanned page 1. (scanner status = 6)\nBatch terminated, 1 page scanned\n";
        assert_eq!(last_message(text), "scanimage: sane_read: Document feeder jammed");
    }
}
