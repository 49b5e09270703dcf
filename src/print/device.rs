//! Where print jobs go: a USB printer device (`/dev/usb/lp0`), a network
//! printer (raw TCP, port 9100), or a folder (a spool others pick up, and
//! the default). Before a job is sent to a real printer its status is asked
//! with `DLE EOT` so the officer hears "paper out" rather than nothing.
//! Every wait for the printer's answer is bounded: a printer that is
//! switched off, wedged or not an ESC/POS printer at all is reported as
//! "not answering" instead of hanging the job for ever.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use crate::i18n::{Lang, say};

pub use motcua_core::config::Printer;

/// Why a job did not print. The document stays saved either way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrintError {
    #[error("no printer at {0}")]
    NoDevice(String),
    #[error("the printer cover is open")]
    CoverOpen,
    #[error("the printer is out of paper")]
    PaperOut,
    #[error("the printer is offline or in error")]
    Offline,
    #[error("the printer does not answer")]
    NoAnswer,
    #[error("printing failed: {0}")]
    Io(String),
}

impl PrintError {
    /// The message for the officer, in Vietnamese.
    pub fn vi(&self) -> String {
        self.text(Lang::Vi)
    }

    /// The message in `lang`, from the Fluent resources (`messages.ftl`).
    /// In Vietnamese the screen says what to do; where and why go to the log.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Self::NoDevice(place) => say(lang, "print-error-no-device", &[("where", place.clone())]),
            Self::CoverOpen => say(lang, "print-error-cover-open", &[]),
            Self::PaperOut => say(lang, "print-error-paper-out", &[]),
            Self::Offline => say(lang, "print-error-offline", &[]),
            Self::NoAnswer => say(lang, "print-error-no-answer", &[]),
            Self::Io(e) => say(lang, "print-error-io", &[("reason", e.clone())]),
        }
    }
}

const DLE_EOT: u8 = 0x10;
/// How long to wait to connect to a network printer, and for any answer.
const TIMEOUT: Duration = Duration::from_secs(3);

/// Reads the printer's status bytes (DLE EOT 1, 2, 4) and says what stops
/// it; a printer that gives no answer within `timeout` is [`PrintError::NoAnswer`].
fn check_status(port: &mut Port, timeout: Duration) -> Result<(), PrintError> {
    let mut ask = |n: u8| -> Result<u8, PrintError> {
        port.wait_writable(timeout)?;
        port.write_all(&[DLE_EOT, 0x04, n])
            .and_then(|_| port.flush())
            .map_err(|e| PrintError::Io(e.to_string()))?;
        port.read_byte(timeout)
    };
    // ESC/POS: bit 3 of status 1 is "offline"; bit 2 of status 2 "cover
    // open"; bits 5–6 of status 4 "paper end".
    let printer = ask(1)?;
    if printer & 0x08 != 0 {
        let offline = ask(2)?;
        if offline & 0x04 != 0 {
            return Err(PrintError::CoverOpen);
        }
        if offline & 0x20 != 0 {
            return Err(PrintError::PaperOut);
        }
        return Err(PrintError::Offline);
    }
    if ask(4)? & 0x60 != 0 {
        return Err(PrintError::PaperOut);
    }
    Ok(())
}

/// An open line to a real printer.
enum Port {
    Usb(std::fs::File),
    Network(TcpStream),
}

impl Port {
    /// Waits until a device node takes bytes, at most `timeout`: a wedged
    /// printer whose buffer is full would block the status query itself.
    /// A socket has its own write timeout.
    fn wait_writable(&self, timeout: Duration) -> Result<(), PrintError> {
        match self {
            Port::Usb(f) => match ready_within(f, libc::POLLOUT, timeout) {
                Ok(true) => Ok(()),
                Ok(false) => Err(PrintError::NoAnswer),
                Err(e) => Err(PrintError::Io(e.to_string())),
            },
            Port::Network(_) => Ok(()),
        }
    }

    /// One byte from the printer, waiting at most `timeout` for it.
    fn read_byte(&mut self, timeout: Duration) -> Result<u8, PrintError> {
        match self {
            // A device node's read blocks until the printer sends
            // something, which a silent printer never does: wait for it
            // to become readable first, with a bound.
            Port::Usb(f) => {
                if !ready_within(f, libc::POLLIN, timeout).map_err(|e| PrintError::Io(e.to_string()))? {
                    return Err(PrintError::NoAnswer);
                }
            }
            Port::Network(t) => {
                let _ = t.set_read_timeout(Some(timeout));
            }
        }
        let mut b = [0u8; 1];
        match self.read(&mut b) {
            Ok(1) => Ok(b[0]),
            // The other end closed: nothing there will print.
            Ok(_) => Err(PrintError::Offline),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                Err(PrintError::NoAnswer)
            }
            Err(_) => Err(PrintError::Offline),
        }
    }
}

/// Waits with poll(2) until `fd` is ready for `events` (or was hung up),
/// at most `timeout`; `false` if the time ran out.
fn ready_within(fd: &impl AsRawFd, events: libc::c_short, timeout: Duration) -> std::io::Result<bool> {
    let deadline = Instant::now() + timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let mut pfd = libc::pollfd {
            fd: fd.as_raw_fd(),
            events,
            revents: 0,
        };
        let ms = libc::c_int::try_from(left.as_millis()).unwrap_or(libc::c_int::MAX);
        // SAFETY: one valid pollfd, owned for the duration of the call.
        let n = unsafe { libc::poll(&mut pfd, 1, ms) };
        match n {
            0 => return Ok(false),
            n if n > 0 => return Ok(true),
            _ => {
                let e = std::io::Error::last_os_error();
                // A signal cut the wait short: wait for what is left.
                if e.kind() != std::io::ErrorKind::Interrupted {
                    return Err(e);
                }
            }
        }
    }
}

impl Read for Port {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Port::Usb(f) => f.read(buf),
            Port::Network(t) => t.read(buf),
        }
    }
}

impl Write for Port {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Port::Usb(f) => f.write(buf),
            Port::Network(t) => t.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Port::Usb(f) => f.flush(),
            Port::Network(t) => t.flush(),
        }
    }
}

/// Opens a real printer and checks it can print; `None` for a folder.
fn ready_port(printer: &Printer) -> Result<Option<Port>, PrintError> {
    let mut port = match printer {
        Printer::Folder { path } => {
            std::fs::create_dir_all(path).map_err(|e| PrintError::NoDevice(format!("{}: {e}", path.display())))?;
            return Ok(None);
        }
        Printer::Usb { device } => Port::Usb(
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(device)
                .map_err(|e| PrintError::NoDevice(format!("{}: {e}", device.display())))?,
        ),
        Printer::Network { address } => {
            let port = TcpStream::connect_timeout(address, TIMEOUT)
                .map_err(|e| PrintError::NoDevice(format!("{address}: {e}")))?;
            let _ = port.set_read_timeout(Some(TIMEOUT));
            let _ = port.set_write_timeout(Some(TIMEOUT));
            Port::Network(port)
        }
    };
    check_status(&mut port, TIMEOUT)?;
    Ok(Some(port))
}

/// What a configured [`Printer`] does.
pub trait Print {
    /// Sends an ESC/POS job. For a folder, writes `<name>.bin`.
    fn print(&self, name: &str, job: &[u8]) -> Result<(), PrintError>;

    /// Asks the printer whether it could print now, without printing.
    fn status(&self) -> Result<(), PrintError>;
}

impl Print for Printer {
    fn print(&self, name: &str, job: &[u8]) -> Result<(), PrintError> {
        match (ready_port(self)?, self) {
            (Some(mut port), _) => port
                .write_all(job)
                .and_then(|_| port.flush())
                .map_err(|e| PrintError::Io(e.to_string())),
            (None, Printer::Folder { path }) => super::write_atomically(&path.join(format!("{name}.bin")), job)
                .map_err(|e| PrintError::Io(e.to_string())),
            (None, _) => unreachable!("only a folder has no port"),
        }
    }

    fn status(&self) -> Result<(), PrintError> {
        if let (None, Printer::Folder { path }) = (ready_port(self)?, self) {
            let probe = path.join(".motcua-probe");
            std::fs::write(&probe, b"")
                .and_then(|_| std::fs::remove_file(&probe))
                .map_err(|e| PrintError::NoDevice(format!("{}: {e}", path.display())))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::SocketAddr;
    use std::net::TcpListener;
    use std::os::unix::net::UnixStream;

    /// Both languages come from the Fluent resources; the English one says
    /// what the log line says.
    #[test]
    fn every_failure_reads_in_both_languages() {
        let all = [
            PrintError::NoDevice("/dev/usb/lp0".into()),
            PrintError::CoverOpen,
            PrintError::PaperOut,
            PrintError::Offline,
            PrintError::NoAnswer,
            PrintError::Io("broken pipe".into()),
        ];
        for e in all {
            assert_eq!(e.text(Lang::En), e.to_string());
            assert!(!e.vi().contains("print-error"), "{}", e.vi());
        }
    }

    /// A network printer that answers DLE EOT with the given status bytes
    /// and keeps what it is sent.
    fn fake_printer(status: [u8; 3]) -> (SocketAddr, std::thread::JoinHandle<Vec<u8>>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let handle = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut received = Vec::new();
            let mut buf = [0u8; 4096];
            loop {
                let n = match s.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let mut i = 0;
                while i < n {
                    if i + 2 < n && buf[i] == DLE_EOT && buf[i + 1] == 0x04 {
                        let answer = match buf[i + 2] {
                            1 => status[0],
                            2 => status[1],
                            _ => status[2],
                        };
                        let _ = s.write_all(&[answer]);
                        i += 3;
                    } else {
                        received.push(buf[i]);
                        i += 1;
                    }
                }
            }
            received
        });
        (addr, handle)
    }

    #[test]
    fn a_ready_network_printer_gets_the_job() {
        let (address, printer) = fake_printer([0x12, 0x12, 0x12]);
        Printer::Network { address }.print("t", b"\x1b@hello").unwrap();
        assert_eq!(printer.join().unwrap(), b"\x1b@hello");
    }

    #[test]
    fn paper_out_and_cover_open_are_named() {
        let (address, _p) = fake_printer([0x12, 0x12, 0x72]);
        assert_eq!(Printer::Network { address }.print("t", b"x"), Err(PrintError::PaperOut));
        let (address, _p) = fake_printer([0x1a, 0x16, 0x12]);
        assert_eq!(
            Printer::Network { address }.print("t", b"x"),
            Err(PrintError::CoverOpen)
        );
        let (address, _p) = fake_printer([0x1a, 0x12, 0x12]);
        assert_eq!(Printer::Network { address }.print("t", b"x"), Err(PrintError::Offline));
        assert!(PrintError::PaperOut.vi().contains("hết giấy"));
    }

    /// A USB printer as the code sees it, over one end of a socket pair
    /// (a device node is read and written through one descriptor); the
    /// test holds the other end and plays the printer.
    fn usb_pair() -> (Port, UnixStream) {
        let (ours, theirs) = UnixStream::pair().unwrap();
        (Port::Usb(std::fs::File::from(std::os::fd::OwnedFd::from(ours))), theirs)
    }

    /// Runs the status check on a thread; a check that never returns fails
    /// the test instead of hanging it (the bound is generous: it guards
    /// against "for ever", it measures nothing).
    fn status_of(mut port: Port, timeout: Duration) -> Result<(), PrintError> {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(check_status(&mut port, timeout));
        });
        rx.recv_timeout(Duration::from_secs(60))
            .expect("the status check of a silent printer never returned")
    }

    #[test]
    fn a_silent_usb_printer_is_reported_as_not_answering() {
        let (port, mut printer) = usb_pair();
        let result = status_of(port, Duration::from_millis(20));
        assert_eq!(result, Err(PrintError::NoAnswer));
        // It was asked (DLE EOT 1) and said nothing.
        printer.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut asked = [0u8; 3];
        printer.read_exact(&mut asked).unwrap();
        assert_eq!(asked, [DLE_EOT, 0x04, 1]);
        let e = PrintError::NoAnswer;
        assert!(e.to_string().contains("does not answer"));
        assert!(e.vi().contains("không trả lời"), "{}", e.vi());
    }

    #[test]
    fn a_usb_printer_that_answers_is_ready_and_one_out_of_paper_is_named() {
        for (status, expected) in [
            ([0x12u8, 0x12, 0x12], Ok(())),
            ([0x12, 0x12, 0x72], Err(PrintError::PaperOut)),
        ] {
            let (port, mut printer) = usb_pair();
            // Every answer is there before it is asked for; the check reads
            // status 1 and, the printer being online, status 4.
            printer.write_all(&[status[0], status[2]]).unwrap();
            assert_eq!(status_of(port, Duration::from_secs(30)), expected);
        }
    }

    #[test]
    fn a_silent_network_printer_is_reported_as_not_answering() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let port = Port::Network(TcpStream::connect(address).unwrap());
        // Accepted, and never a byte back.
        let (_held, _) = listener.accept().unwrap();
        assert_eq!(status_of(port, Duration::from_millis(20)), Err(PrintError::NoAnswer));
    }

    #[test]
    fn no_printer_is_a_clear_error_and_a_folder_works() {
        let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
        assert!(matches!(
            Printer::Network { address: closed }.print("t", b"x"),
            Err(PrintError::NoDevice(_))
        ));
        let missing = Printer::Usb {
            device: "/dev/usb/lp-none".into(),
        };
        assert!(matches!(missing.print("t", b"x"), Err(PrintError::NoDevice(_))));
        let dir = tempfile::tempdir().unwrap();
        Printer::default_for(dir.path()).print("job", b"abc").unwrap();
        assert_eq!(std::fs::read(dir.path().join("spool/job.bin")).unwrap(), b"abc");
    }
}
