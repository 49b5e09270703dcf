//! The `motcua` command: the kiosk by default, and tools for IT staff. The
//! commands live in [`cli`], one module per command group.

mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use cli::KioskArgs;

#[derive(Parser, Debug)]
#[command(
    name = "motcua",
    version,
    about = "Kiosk for the one-stop-shop reception counters (Bộ phận Một cửa)"
)]
struct Cli {
    #[command(flatten)]
    kiosk: KioskArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

// Parsed once at start-up: the size of its largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
enum Command {
    /// Run the citizen kiosk (the default)
    Kiosk,
    /// Check or search a procedure catalog
    #[command(subcommand)]
    Catalog(cli::catalog::CatalogCommand),
    /// Run the receiving officer's counter station
    Counter,
    /// Add or change an officer of this counter (the PIN is read from standard input)
    CounterOfficer(cli::officer::OfficerArgs),
    /// Run the hall's display board (calls, waiting counts, voice)
    Board(cli::run::BoardArgs),
    /// Run the central processing system, or manage its devices
    Central(cli::central::CentralArgs),
    /// Enroll this device with central: exchange a one-time token for its credential
    Enroll(cli::enroll::EnrollArgs),
    /// Show what waits to be sent to central and what central refused
    SyncStatus(cli::sync_status::SyncStatusArgs),
    /// Check this machine: configuration, data directory, database, outbox, central and clock, printer, fonts
    Doctor(cli::doctor::DoctorArgs),
    /// Make the hash of the PIN that closes a locked-down kiosk (the PIN is read from standard input)
    AdminPin,
    /// QR receipts: write samples for printer tests, verify a receipt text
    #[command(subcommand)]
    Receipt(cli::receipt::ReceiptCommand),
    /// Tools for tests and diagnosis
    #[command(subcommand, hide = true)]
    Dev(cli::dev::DevCommand),
}

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    // Every HTTPS client and server of the process uses rustls on ring.
    motcua_central::tls::init();
    // glibc gives each thread that allocates its own arena; the kiosk's
    // threads (UI, sync, in-process central) would each keep one, costing
    // resident memory on a small machine for no speed we need.
    #[cfg(target_env = "gnu")]
    // SAFETY: mallopt only tunes the allocator; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
    let cli = Cli::parse();
    cli::init_log(&cli.kiosk.log_format);
    // No subcommand: the role the configuration gives this machine.
    let command = cli.command.unwrap_or_else(|| match cli::configured_role(&cli.kiosk) {
        motcua::config::Role::Kiosk => Command::Kiosk,
        motcua::config::Role::Counter => Command::Counter,
        motcua::config::Role::Board => Command::Board(cli::run::BoardArgs::default()),
        motcua::config::Role::Central => Command::Central(cli::central::CentralArgs::for_role()),
    });
    let args = cli.kiosk;
    match command {
        Command::Kiosk => cli::run::kiosk(args, started),
        Command::Catalog(c) => cli::catalog::catalog(c, args.catalog),
        Command::Counter => cli::run::counter(args),
        Command::Board(b) => cli::run::board(args, b.english),
        Command::CounterOfficer(o) => cli::officer::counter_officer(&o.id, &o.name, args),
        Command::Central(c) => cli::central::central(c, args),
        Command::Enroll(e) => cli::enroll::enroll(&e.url, &e.token, args),
        Command::SyncStatus(s) => cli::sync_status::sync_status(args, s.retry),
        Command::Doctor(d) => cli::doctor::doctor(&args, d.strict),
        Command::AdminPin => cli::officer::admin_pin(),
        Command::Receipt(r) => cli::receipt::receipt(r, args),
        Command::Dev(d) => cli::dev::dev(d, args),
    }
}
