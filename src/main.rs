//! The `motcua` command: the kiosk by default, and tools for IT staff.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use motcua::i18n::Lang;
use motcua::setup::{self, Fault, Options};
use motcua::store::{Store, TicketRequest};
use motcua_core::catalog::Catalog;
use motcua_core::queue::Lane;
use motcua_core::search;

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

#[derive(Args, Debug, Clone, Default)]
struct KioskArgs {
    /// Configuration file [default: $MOTCUA_CONFIG, else /etc/motcua/motcua.toml if present]
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Where the database and print spool live [default: the user's data directory]
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// A procedure catalog file [default: the built-in demo catalog]
    #[arg(long, global = true)]
    catalog: Option<PathBuf>,
    /// Branding folder name under branding/ [default: hanoi]
    #[arg(long)]
    branding: Option<String>,
    /// Language of the idle kiosk
    #[arg(long, value_parser = ["vi", "en"])]
    lang: Option<String>,
    /// Fill the screen without window decorations (real kiosks)
    #[arg(long, global = true)]
    fullscreen: bool,
    /// Open a landscape window (1920×1080) instead of portrait (1080×1920)
    #[arg(long, global = true)]
    landscape: bool,
    /// Log lines as text or as JSON objects (under systemd the log goes to the journal)
    #[arg(long, global = true, value_parser = ["text", "json"], default_value = "text")]
    log_format: String,
    /// Be the citizen display of this counter (asks for a rating when it completes a ticket)
    #[arg(long, value_name = "COUNTER")]
    counter_display: Option<String>,
    /// Walk every screen, print the time to first frame and peak memory, exit
    #[arg(long, hide = true)]
    tour: bool,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the citizen kiosk (the default)
    Kiosk,
    /// Check or search a procedure catalog
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Run the receiving officer's counter station
    Counter,
    /// Add or change an officer of this counter (the PIN is read from standard input)
    CounterOfficer {
        #[arg(long)]
        id: String,
        #[arg(long)]
        name: String,
    },
    /// Run the hall's display board (calls, waiting counts, voice)
    Board {
        /// Also announce calls in English
        #[arg(long)]
        english: bool,
    },
    /// Run the central processing system, or manage its devices
    Central(CentralArgs),
    /// Enroll this device with central: exchange a one-time token for its credential
    Enroll {
        /// Central's URL, e.g. http://10.0.0.5:8686
        url: String,
        /// The one-time token from `motcua central enroll`
        token: String,
    },
    /// Show what waits to be sent to central and what central refused
    SyncStatus {
        /// Put the refused records back in line, once their cause is fixed
        /// (e.g. after `motcua central replace`)
        #[arg(long)]
        retry: bool,
    },
    /// Check this machine: configuration, data directory, database, outbox, central and clock, printer, fonts
    Doctor {
        /// Fail on warnings too (an unknown configuration key, for one)
        #[arg(long)]
        strict: bool,
    },
    /// Make the hash of the PIN that closes a locked-down kiosk (the PIN is read from standard input)
    AdminPin,
    /// QR receipts: write samples for printer tests, verify a receipt text
    #[command(subcommand)]
    Receipt(ReceiptCommand),
    /// Tools for tests and diagnosis
    #[command(subcommand, hide = true)]
    Dev(DevCommand),
}

#[derive(Args, Debug)]
struct CentralArgs {
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1:8686")]
    listen: std::net::SocketAddr,
    /// Requests per second allowed per device
    #[arg(long, default_value_t = 2000.0)]
    rate_limit: f64,
    /// Days the answers to devices' writes are kept (they hold personal data), 1 to 365
    /// [default: the configuration's `[retention] days`]
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=365))]
    retention_days: Option<u32>,
    #[command(subcommand)]
    command: Option<CentralCommand>,
}

#[derive(Subcommand, Debug)]
enum CentralCommand {
    /// Create a one-time enrollment token for a device (printed once)
    Enroll {
        /// Office code, e.g. 000.00.01.H26
        #[arg(long)]
        office: String,
        #[arg(long, value_parser = ["kiosk", "counter", "board"])]
        role: String,
        /// A name for the device, e.g. "Kiosk sảnh 1"
        #[arg(long)]
        name: String,
        /// The device (id) this one replaces: it sends what the old one left
        /// unsent, and the old one is revoked when it enrolls
        #[arg(long)]
        replaces: Option<i64>,
    },
    /// Revoke a device's credential
    Revoke {
        #[arg(long)]
        device: i64,
    },
    /// Name an enrolled device the successor of a broken one of the same
    /// office and role: central accepts what the old one left unsent from
    /// the new one, once; the old one is revoked
    Replace {
        /// The broken device's id
        #[arg(long)]
        device: i64,
        /// The new device's id
        #[arg(long)]
        with: i64,
    },
    /// Print an office's report: tickets, waiting and service times, no-shows, satisfaction, over at most 366 days
    Report {
        #[arg(long)]
        office: String,
        /// First day, YYYY-MM-DD
        #[arg(long)]
        from: String,
        /// Last day, YYYY-MM-DD
        #[arg(long)]
        to: String,
        #[arg(long, default_value = "text", value_parser = ["text", "json", "csv"])]
        format: String,
        /// Also write the waiting-time-by-hour chart as SVG here
        #[arg(long)]
        chart: Option<PathBuf>,
    },
    /// Set the notice line the office's boards show (empty to clear)
    Notice {
        #[arg(long)]
        office: String,
        text: String,
    },
    /// Load a catalog file as an office's catalog (validated first)
    Catalog {
        #[arg(long)]
        office: String,
        file: PathBuf,
    },
    /// Send an office's dossiers on to a national-portal style system
    #[command(subcommand)]
    Portal(PortalCommand),
}

#[derive(Args, Debug)]
struct PortalSet {
    #[arg(long)]
    office: String,
    /// The portal's base URL, e.g. http://lgsp.hanoi.gov.vn:8080/dvcqg
    #[arg(long)]
    url: String,
    #[arg(long)]
    username: String,
    /// The routing header (`dstcode`) the gateway expects
    #[arg(long, default_value = "")]
    dstcode: String,
    /// The agency code (`madonvi`), e.g. 000.00.01.H26
    #[arg(long)]
    madonvi: String,
    /// The agency's name, sent with the satisfaction totals
    #[arg(long)]
    tendonvi: String,
    #[arg(long, default_value = motcua_central::portal::AUTH_PATH)]
    auth_path: String,
    #[arg(long, default_value = motcua_central::portal::INTEGRATION_PATH)]
    integration_path: String,
    #[arg(long, default_value = motcua_central::portal::SHARE_PATH)]
    share_path: String,
    /// How long to wait for an answer
    #[arg(long, default_value_t = 6000)]
    timeout_ms: u64,
    /// A status mapping table [default: assets/portal/mapping.toml, built in]
    #[arg(long)]
    mapping: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum PortalCommand {
    /// Connect an office to its portal (the password is read from standard input)
    Set(Box<PortalSet>),
    /// Stop sending an office's dossiers on (central is the system of record)
    Off {
        #[arg(long)]
        office: String,
    },
    /// Log in and list the first procedures, to test the connection
    Check {
        #[arg(long)]
        office: String,
    },
    /// Pull the portal's procedures into the office's catalog (local queue groups kept)
    Import {
        #[arg(long)]
        office: String,
    },
    /// What waits to be sent, what was sent, and what the portal refused
    Status {
        #[arg(long)]
        office: String,
    },
}

#[derive(Subcommand, Debug)]
enum CatalogCommand {
    /// Validate a catalog file and list every problem (exit 0 when valid, 1 otherwise)
    Check { file: PathBuf },
    /// Print the kiosk's search results for a query
    Search {
        query: Vec<String>,
        /// Results to print
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
}

#[derive(Subcommand, Debug)]
enum ReceiptCommand {
    /// Write a sample ticket and receipt (PNG, ESC/POS .bin, A4 PDF) for a demo dossier
    Sample {
        #[arg(long)]
        out: PathBuf,
    },
    /// Check a receipt text (what a scanner reads from its QR); exit 0 if valid, 1 if not
    Verify { text: String },
}

#[derive(Subcommand, Debug)]
enum DevCommand {
    /// Deliver the outbox to the enrolled central, printing each record sent
    Sync {
        /// Send only this device's records, as a role sharing the data
        /// directory with others does; without it the records an earlier
        /// device left (a replaced machine's) go out too
        #[arg(long)]
        only_mine: bool,
    },
    /// Issue tickets in a loop, printing each number once committed
    IssueBurst {
        #[arg(long, default_value = "A")]
        group: String,
        #[arg(long, default_value_t = 1000)]
        count: u32,
        /// The kiosk's numbering slot: above 0 each ticket is also queued for central
        #[arg(long, default_value_t = 0)]
        slot: u32,
        /// The time the tickets are issued at (RFC 3339); now if not given
        #[arg(long)]
        at: Option<jiff::Timestamp>,
    },
    /// Run a seeded simulation of one office on loopback and check it each day
    Simulate {
        /// Working days to simulate
        #[arg(long, default_value_t = 7)]
        days: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where the office's data goes (kept afterwards); a temporary directory if not given
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    // glibc gives each thread that allocates its own arena; the kiosk's
    // threads (UI, sync, in-process central) would each keep one, costing
    // resident memory on a small machine for no speed we need.
    #[cfg(target_env = "gnu")]
    // SAFETY: mallopt only tunes the allocator; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
    let cli = Cli::parse();
    init_log(&cli.kiosk.log_format);
    let command = cli.command.unwrap_or_else(|| {
        // No subcommand: the role the configuration gives this machine.
        let config = motcua::config::Config::load(cli.kiosk.config.as_deref())
            .map(|l| l.config)
            .unwrap_or_default();
        let role = config.role;
        match role {
            motcua::config::Role::Kiosk => Command::Kiosk,
            motcua::config::Role::Counter => Command::Counter,
            motcua::config::Role::Board => Command::Board { english: false },
            motcua::config::Role::Central => Command::Central(CentralArgs {
                listen: std::net::SocketAddr::from(([0, 0, 0, 0], 8686)),
                rate_limit: 2000.0,
                retention_days: None,
                command: None,
            }),
        }
    });
    match command {
        Command::Kiosk => kiosk(cli.kiosk, started),
        Command::Catalog(c) => catalog(c, cli.kiosk.catalog),
        Command::Counter => counter(cli.kiosk),
        Command::Board { english } => {
            let setup = setup::prepare_as(&options(&cli.kiosk), motcua_api::model::Role::Board);
            let fullscreen = cli.kiosk.fullscreen || setup.config.kiosk.fullscreen;
            match motcua::ui::board::run(setup, fullscreen, english) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("motcua: the window could not run: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::CounterOfficer { id, name } => counter_officer(&id, &name, cli.kiosk),
        Command::Central(c) => central(c, cli.kiosk),
        Command::Enroll { url, token } => enroll(&url, &token, cli.kiosk),
        Command::SyncStatus { retry } => sync_status(cli.kiosk, retry),
        Command::Doctor { strict } => doctor(&cli.kiosk, strict),
        Command::AdminPin => admin_pin(),
        Command::Receipt(r) => receipt(r, cli.kiosk),
        Command::Dev(d) => dev(d, cli.kiosk),
    }
}

/// Logs to the journal when systemd started us with the journal on
/// stderr, else to stderr as text or JSON. `MOTCUA_LOG` sets the level.
fn init_log(format: &str) {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter = || tracing_subscriber::EnvFilter::try_from_env("MOTCUA_LOG").unwrap_or_else(|_| "info".into());
    if format != "json"
        && std::env::var_os("JOURNAL_STREAM").is_some()
        && let Ok(journal) = tracing_journald::layer()
    {
        tracing_subscriber::registry()
            .with(filter())
            .with(journal.with_syslog_identifier("motcua".into()))
            .init();
        return;
    }
    let fmt = tracing_subscriber::fmt()
        .with_env_filter(filter())
        .with_writer(std::io::stderr);
    if format == "json" {
        fmt.json().flatten_event(true).with_current_span(false).init();
    } else {
        fmt.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init();
    }
}

fn options(args: &KioskArgs) -> Options {
    Options {
        config: args.config.clone(),
        data_dir: args.data_dir.clone(),
        catalog: args.catalog.clone(),
        branding: args.branding.clone(),
        lang: args
            .lang
            .as_deref()
            .map(|l| if l == "en" { Lang::En } else { Lang::Vi }),
        counter_display: args.counter_display.clone(),
    }
}

fn kiosk(args: KioskArgs, started: std::time::Instant) -> ExitCode {
    let setup = setup::prepare(&options(&args));
    let fullscreen = args.fullscreen || setup.config.kiosk.fullscreen;
    let window = motcua::ui::WindowOptions {
        fullscreen,
        landscape: args.landscape || setup.config.orientation == motcua::config::Orientation::Landscape,
        tour: args.tour,
    };
    match motcua::ui::run(setup, window, started) {
        Ok(()) if motcua::ui::admin::exit_requested() => ExitCode::from(motcua::ui::admin::EXIT_CODE),
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("motcua: the window could not run: {e}");
            ExitCode::FAILURE
        }
    }
}

fn counter(args: KioskArgs) -> ExitCode {
    let setup = setup::prepare_as(&options(&args), motcua_api::model::Role::Counter);
    let fullscreen = args.fullscreen || setup.config.kiosk.fullscreen;
    match motcua::ui::counter::run(setup, fullscreen) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("motcua: the window could not run: {e}");
            ExitCode::FAILURE
        }
    }
}

fn counter_officer(id: &str, name: &str, args: KioskArgs) -> ExitCode {
    let dir = match kiosk_data_dir(&args) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let mut pin = String::new();
    if std::io::stdin().read_line(&mut pin).is_err() {
        eprintln!("motcua: no PIN on standard input");
        return ExitCode::FAILURE;
    }
    let result = Store::open(&dir)
        .map_err(|e| e.to_string())
        .and_then(|mut s| s.set_officer(id, name, pin.trim()));
    match result {
        Ok(()) => {
            println!("officer {id} can sign in at this counter");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("motcua: {e}");
            ExitCode::FAILURE
        }
    }
}

fn catalog(command: CatalogCommand, catalog: Option<PathBuf>) -> ExitCode {
    match command {
        CatalogCommand::Check { file } => match setup::load_catalog(Some(&file)) {
            Ok(c) => {
                println!(
                    "{}: OK — {} procedures, {} fields, {} groups{}",
                    file.display(),
                    c.procedures.len(),
                    c.fields_in_use().len(),
                    c.groups.len(),
                    if c.demo { " (demo data)" } else { "" }
                );
                ExitCode::SUCCESS
            }
            Err(Fault::CatalogInvalid { path, problems }) => {
                for p in &problems.0 {
                    println!("{}: {p}", path.display());
                }
                println!("{}: {} problem(s)", path.display(), problems.0.len());
                ExitCode::FAILURE
            }
            Err(Fault::CatalogUnreadable { path, reason }) => {
                println!("{}: cannot read: {reason}", path.display());
                ExitCode::FAILURE
            }
            Err(other) => {
                println!("{other:?}");
                ExitCode::FAILURE
            }
        },
        CatalogCommand::Search { query, limit } => {
            let c: Catalog = match setup::load_catalog(catalog.as_deref()) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("motcua: the catalog cannot be used: {e:?}");
                    return ExitCode::FAILURE;
                }
            };
            let index = search::Index::new(&c);
            let hits = index.search(&query.join(" "));
            let mut out = std::io::stdout().lock();
            for h in hits.iter().take(limit) {
                let p = &c.procedures[h.index];
                let _ = writeln!(out, "{}\t{}\t{}\t{}", p.code, p.group, h.score, p.name);
            }
            if hits.is_empty() {
                let _ = writeln!(out, "(no results)");
            }
            ExitCode::SUCCESS
        }
    }
}

fn central_dir(args: &KioskArgs) -> PathBuf {
    args.data_dir.clone().unwrap_or_else(|| {
        directories::ProjectDirs::from("vn", "motcua", "motcua")
            .map(|d| d.data_dir().join("central"))
            .unwrap_or_else(|| PathBuf::from("motcua-central"))
    })
}

fn central(args: CentralArgs, kiosk: KioskArgs) -> ExitCode {
    let dir = central_dir(&kiosk);
    let fail = |e: String| {
        eprintln!("motcua central: {e}");
        ExitCode::FAILURE
    };
    match args.command {
        None => {
            let options = motcua_central::Options {
                rate_per_second: args.rate_limit,
                rate_burst: args.rate_limit * 2.0,
                cache_kib: 32 * 1024,
                // The configuration's retention period unless the command
                // line names one: `motcua central` and a machine whose role
                // is central keep answers alike.
                answers_days: args.retention_days.unwrap_or_else(|| {
                    motcua::config::Config::load(kiosk.config.as_deref())
                        .map(|l| l.config.retention.days)
                        .unwrap_or(motcua_central::retention::DEFAULT_DAYS)
                }),
                ..motcua_central::Options::default()
            };
            let app = match motcua_central::App::open(&dir, &options) {
                Ok(app) => app,
                Err(e) => return fail(e.into()),
            };
            let runtime = match tokio::runtime::Runtime::new() {
                Ok(r) => r,
                Err(e) => return fail(e.to_string()),
            };
            runtime.block_on(async move {
                let listener = match tokio::net::TcpListener::bind(args.listen).await {
                    Ok(l) => l,
                    Err(e) => return fail(format!("cannot listen on {}: {e}", args.listen)),
                };
                tracing::info!(listen = %args.listen, data_dir = %dir.display(), "central serving");
                // SIGTERM (systemctl stop) is caught before systemd hears "ready".
                let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
                // systemd's watchdog is fed only while the database answers.
                let alive = app.clone();
                tokio::spawn(async move {
                    loop {
                        let answered = alive.ping().await;
                        match answered {
                            Ok(()) => motcua::service::alive(),
                            Err(e) => tracing::error!(error = %e.message, "central's database does not answer"),
                        }
                        tokio::time::sleep(motcua::service::PING_EVERY).await;
                    }
                });
                let shutdown = async move {
                    tokio::select! {
                        _ = tokio::signal::ctrl_c() => {}
                        _ = async {
                            match term.as_mut() {
                                Some(t) => { t.recv().await; }
                                None => std::future::pending::<()>().await,
                            }
                        } => {}
                    }
                    tracing::info!("central stopping");
                    motcua::service::stopping();
                };
                match motcua_central::serve(listener, app, shutdown).await {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => fail(e.to_string()),
                }
            })
        }
        Some(CentralCommand::Enroll {
            office,
            role,
            name,
            replaces,
        }) => {
            let role = motcua_api::model::Role::parse(&role).expect("clap checked the role");
            match motcua_central::admin(&dir, |c| {
                motcua_central::auth::create_enrollment_replacing(c, &office, role, &name, replaces)
            }) {
                Ok(token) => {
                    println!("{token}");
                    eprintln!(
                        "one-time token for {} `{name}` of office {office}; valid 7 days",
                        role.as_str()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e.into()),
            }
        }
        Some(CentralCommand::Replace { device, with }) => {
            match motcua_central::admin(&dir, |c| motcua_central::auth::replace(c, device, with)) {
                Ok(()) => {
                    println!("device {with} replaces device {device} (revoked); it sends what {device} left unsent");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e.into()),
            }
        }
        Some(CentralCommand::Revoke { device }) => {
            match motcua_central::admin(&dir, |c| motcua_central::auth::revoke(c, device)) {
                Ok(true) => {
                    println!("device {device} revoked");
                    ExitCode::SUCCESS
                }
                Ok(false) => fail(format!("no active device {device}")),
                Err(e) => fail(e.into()),
            }
        }
        Some(CentralCommand::Report {
            office,
            from,
            to,
            format,
            chart,
        }) => {
            let (Ok(from), Ok(to)) = (from.parse::<jiff::civil::Date>(), to.parse::<jiff::civil::Date>()) else {
                return fail("--from and --to must be dates like 2026-11-28".into());
            };
            let report = match motcua_central::admin(&dir, |c| motcua_central::report::compute(c, &office, from, to)) {
                Ok(r) => r,
                Err(e) => return fail(e.into()),
            };
            match format.as_str() {
                "json" => println!("{}", serde_json::to_string_pretty(&report).expect("serializes")),
                "csv" => print!("{}", report.to_csv()),
                _ => print!("{}", report.to_text()),
            }
            if let Some(path) = chart
                && let Err(e) = std::fs::write(&path, report.wait_chart_svg())
            {
                return fail(format!("{}: {e}", path.display()));
            }
            ExitCode::SUCCESS
        }
        Some(CentralCommand::Notice { office, text }) => {
            let text: String = text.chars().filter(|c| !c.is_control()).take(300).collect();
            match motcua_central::manage::set_notice(&dir, &office, &text) {
                Ok(()) => {
                    println!("notice set for office {office}");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e.into()),
            }
        }
        Some(CentralCommand::Portal(p)) => portal(p, &dir),
        Some(CentralCommand::Catalog { office, file }) => {
            let catalog = match setup::load_catalog(Some(&file)) {
                Ok(c) => c,
                Err(e) => return fail(format!("{e:?}")),
            };
            match motcua_central::admin(&dir, |c| motcua_central::set_catalog(c, &office, &catalog)) {
                Ok(()) => {
                    println!(
                        "{}: {} procedures loaded for office {office}",
                        file.display(),
                        catalog.procedures.len()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e.into()),
            }
        }
    }
}

fn portal(command: PortalCommand, dir: &std::path::Path) -> ExitCode {
    use motcua_central::portal;
    let fail = |e: String| {
        eprintln!("motcua central portal: {e}");
        ExitCode::FAILURE
    };
    let connect = |office: &str| -> Result<portal::Dvcqg, String> {
        let found = motcua_central::admin(dir, |c| portal::settings(c, office))?;
        let (settings, _) = found.ok_or_else(|| {
            format!("office {office} has no portal: set one with `motcua central portal set --office {office} …`")
        })?;
        Ok(portal::Dvcqg::new(settings))
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    match command {
        PortalCommand::Set(set) => {
            let PortalSet {
                office,
                url,
                username,
                dstcode,
                madonvi,
                tendonvi,
                auth_path,
                integration_path,
                share_path,
                timeout_ms,
                mapping,
            } = *set;
            let mut password = String::new();
            if std::io::stdin().read_line(&mut password).is_err() || password.trim().is_empty() {
                return fail("no password on standard input".into());
            }
            let mapping = match mapping {
                Some(f) => match std::fs::read_to_string(&f) {
                    Ok(t) => t,
                    Err(e) => return fail(format!("{}: {e}", f.display())),
                },
                None => portal::mapping::DEFAULT_TEXT.to_string(),
            };
            let settings = portal::Settings {
                url,
                auth_path,
                integration_path,
                share_path,
                username,
                password: password.trim_end_matches(['\r', '\n']).to_string(),
                dstcode,
                madonvi,
                tendonvi,
                timeout: std::time::Duration::from_millis(timeout_ms),
            };
            match motcua_central::admin(dir, |c| portal::configure(c, &office, Some((&settings, &mapping)))) {
                Ok(()) => {
                    println!("office {office}: dossiers go on to {} from now on", settings.url);
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e.into()),
            }
        }
        PortalCommand::Off { office } => match motcua_central::admin(dir, |c| portal::configure(c, &office, None)) {
            Ok(()) => {
                println!("office {office}: central is the system of record; nothing is sent on");
                ExitCode::SUCCESS
            }
            Err(e) => fail(e.into()),
        },
        PortalCommand::Check { office } => {
            let client = match connect(&office) {
                Ok(c) => c,
                Err(e) => return fail(e),
            };
            match runtime.block_on(async {
                client.login().await?;
                client.procedures().await
            }) {
                Ok(list) => {
                    println!(
                        "logged in to {}; {} procedures listed",
                        client.settings().url,
                        list.len()
                    );
                    for (code, name) in list.iter().take(20) {
                        println!("  {code}  {name}");
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e.to_string()),
            }
        }
        PortalCommand::Import { office } => {
            let client = match connect(&office) {
                Ok(c) => c,
                Err(e) => return fail(e),
            };
            let current = match motcua_central::admin(dir, |c| motcua_central::office_catalog(c, &office)) {
                Ok(c) => c,
                Err(e) => return fail(e.into()),
            };
            let (catalog, report) = match runtime.block_on(portal::import_catalog(&client, &current)) {
                Ok(r) => r,
                Err(e) => return fail(e.to_string()),
            };
            match motcua_central::admin(dir, |c| motcua_central::set_catalog(c, &office, &catalog)) {
                Ok(()) => {
                    println!(
                        "office {office}: {} procedures updated, {} added, {} local ones kept, {} without details{}",
                        report.updated,
                        report.added,
                        report.local_only,
                        report.skipped.len(),
                        if report.skipped.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", report.skipped.join(", "))
                        }
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e.into()),
            }
        }
        PortalCommand::Status { office } => {
            let rows = motcua_central::manage::portal_status(dir, &office);
            match rows {
                Ok((counts, problems)) => {
                    for (state, n) in counts {
                        println!("{state}: {n}");
                    }
                    for (id, code, status, error) in problems {
                        println!("record {id}: dossier {code}, status {status}: {error}");
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e.into()),
            }
        }
    }
}

fn doctor(args: &KioskArgs, strict: bool) -> ExitCode {
    let loaded = motcua::config::Config::load(args.config.as_deref());
    // The rest is checked as the device would run: with its enrollment,
    // and on defaults where the configuration is broken.
    let mut config = loaded.as_ref().map(|l| l.config.clone()).unwrap_or_default();
    let dir = setup::data_dir(&options(args), &config);
    setup::adopt_enrollment(&mut config, &dir);
    let (table, ok) = motcua::doctor::table(&motcua::doctor::run(&loaded, &config, &dir), strict);
    print!("{table}");
    if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn admin_pin() -> ExitCode {
    let mut pin = String::new();
    if std::io::stdin().read_line(&mut pin).is_err() {
        eprintln!("motcua: no PIN on standard input");
        return ExitCode::FAILURE;
    }
    match motcua::ui::admin::hash_pin(pin.trim()) {
        Ok(hash) => {
            println!("[admin]\nexit_pin_hash = \"{hash}\"");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("motcua: {e}");
            ExitCode::FAILURE
        }
    }
}

fn kiosk_data_dir(args: &KioskArgs) -> Result<PathBuf, ExitCode> {
    let config = match motcua::config::Config::load(args.config.as_deref()) {
        Ok(l) => l.config,
        Err(e) => {
            eprintln!("motcua: {e}");
            return Err(ExitCode::FAILURE);
        }
    };
    Ok(setup::data_dir(&options(args), &config))
}

fn enroll(url: &str, token: &str, args: KioskArgs) -> ExitCode {
    use motcua::sync::{Client, device::DeviceFile};
    let dir = match kiosk_data_dir(&args) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    match runtime.block_on(Client::enroll(url, token)) {
        Ok(enrolled) => {
            let device = DeviceFile::from_enrolled(Some(url.trim_end_matches('/').to_string()), enrolled);
            if let Err(e) = std::fs::create_dir_all(&dir)
                .map_err(|e| e.to_string())
                .and_then(|_| device.save(&dir))
            {
                eprintln!("motcua enroll: {e}");
                return ExitCode::FAILURE;
            }
            println!(
                "enrolled as {} {} of office {} (slot {}); credential saved in {}",
                device.role.as_str(),
                device.device_id,
                device.office,
                device.slot,
                DeviceFile::path(&dir).display()
            );
            // The office's catalog now, so the first start needs nothing more.
            let client = Client::new(url, &device.credential, std::time::Duration::from_secs(10));
            match runtime.block_on(motcua::sync::pull_catalog(&client, &dir)) {
                Ok(Some(c)) => println!("catalog of office {}: {} procedures", device.office, c.procedures.len()),
                Ok(None) => println!("catalog of office {}: already current", device.office),
                Err(e) => eprintln!("motcua enroll: the catalog did not come ({e}); it will be pulled at start"),
            }
            println!(
                "this machine now uses {url} and office {}; start it with `systemctl enable --now motcua-{}`",
                device.office,
                device.role.as_str()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("motcua enroll: {e}");
            ExitCode::FAILURE
        }
    }
}

fn receipt(command: ReceiptCommand, args: KioskArgs) -> ExitCode {
    use motcua::receipt::{self, keys::Keyring};
    let dir = match kiosk_data_dir(&args) {
        Ok(d) => d,
        Err(code) => return code,
    };
    match command {
        ReceiptCommand::Verify { text } => {
            let keyring = Keyring::load(&dir);
            match receipt::verify(&text, |office, id| keyring.find(office, id)) {
                Ok(p) => {
                    println!("valid receipt");
                    println!("dossier code: {}", p.dossier_code);
                    println!("office: {}", p.office);
                    println!("procedure: {}", p.procedure);
                    println!(
                        "received: {}",
                        motcua_core::time::local(p.received).strftime("%H:%M %d/%m/%Y")
                    );
                    println!("appointment: {}", p.appointment.strftime("%d/%m/%Y"));
                    println!("key: {}", p.key_id);
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    println!("invalid receipt: {e}");
                    println!("biên nhận không hợp lệ: {}", e.vi());
                    ExitCode::FAILURE
                }
            }
        }
        ReceiptCommand::Sample { out } => {
            let config = motcua::config::Config::load(args.config.as_deref())
                .map(|l| l.config)
                .unwrap_or_default();
            let fail = |e: String| {
                eprintln!("motcua receipt sample: {e}");
                ExitCode::FAILURE
            };
            // Nothing goes into the data directory: the sample is signed
            // with a throwaway key (see `print::sample`).
            if let Err(e) = std::fs::create_dir_all(&out) {
                return fail(e.to_string());
            }
            match motcua::print::sample::write(&out, &config.office_code, jiff::Timestamp::now()) {
                Ok(samples) => {
                    for f in samples.files {
                        println!("{}", f.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
    }
}

fn sync_status(args: KioskArgs, retry: bool) -> ExitCode {
    let dir = match kiosk_data_dir(&args) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let mut store = match Store::open(&dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("motcua: {e}");
            return ExitCode::FAILURE;
        }
    };
    if retry {
        match store.retry_failed() {
            Ok(n) => println!("put back in line: {n}"),
            Err(e) => {
                eprintln!("motcua: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let counts = store.outbox_counts().unwrap_or_default();
    println!("waiting to send: {}", counts.pending);
    println!("refused by central: {}", counts.failed);
    for (id, kind, reason) in store.failed_records().unwrap_or_default() {
        println!("  #{id} {kind}: {reason}");
    }
    if counts.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn dev(command: DevCommand, args: KioskArgs) -> ExitCode {
    match command {
        DevCommand::Sync { only_mine } => {
            use motcua::sync::{Client, Link, Step, device::DeviceFile};
            let dir = match kiosk_data_dir(&args) {
                Ok(d) => d,
                Err(code) => return code,
            };
            let device = match DeviceFile::load(&dir) {
                Ok(Some(d)) if d.central_url.is_some() => d,
                other => {
                    eprintln!("motcua: not enrolled with a central: {other:?}");
                    return ExitCode::FAILURE;
                }
            };
            let store = match Store::open(&dir) {
                Ok(s) => std::sync::Arc::new(std::sync::Mutex::new(s)),
                Err(e) => {
                    eprintln!("motcua: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let url = device.central_url.clone().unwrap_or_default();
            let link = Link::with_options(
                Client::new(&url, &device.credential, std::time::Duration::from_secs(3)),
                store,
                motcua::sync::Identity {
                    device: device.device_id,
                    slot: device.slot,
                    role: device.role,
                },
                !only_mine,
                None,
                None,
            );
            let mut out = std::io::stdout().lock();
            loop {
                match link.block_on(link.step()) {
                    Step::Sent(id) => {
                        let _ = writeln!(out, "sent {id}");
                        let _ = out.flush();
                    }
                    Step::Failed(id, reason) => {
                        let _ = writeln!(out, "failed {id} {reason}");
                    }
                    Step::Empty => return ExitCode::SUCCESS,
                    Step::Retry(wait) => {
                        eprintln!("motcua: central cannot take it now (retry in {wait:?})");
                        return ExitCode::FAILURE;
                    }
                }
            }
        }
        DevCommand::Simulate { days, seed, dir } => {
            let options = motcua::simulate::Options {
                days,
                seed,
                dir,
                exe: std::env::current_exe().ok(),
                print: true,
                ..motcua::simulate::Options::default()
            };
            match motcua::simulate::run(options) {
                Ok(report) => {
                    println!("{}", report.totals());
                    ExitCode::SUCCESS
                }
                Err(failure) => {
                    eprintln!("motcua: {failure}");
                    ExitCode::FAILURE
                }
            }
        }
        DevCommand::IssueBurst { group, count, slot, at } => {
            let opts = options(&args);
            let config = motcua::config::Config::default();
            let dir = setup::data_dir(&opts, &config);
            let mut store = match Store::open(&dir) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("motcua: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let request = TicketRequest {
                group,
                lane: Lane::Normal,
                procedure: None,
            };
            let mut out = std::io::stdout().lock();
            for _ in 0..count {
                match store.issue(&request, slot, at.unwrap_or_else(jiff::Timestamp::now), None) {
                    Ok(t) => {
                        // Printed only after the commit: whatever the parent
                        // reads here must be in the database.
                        let _ = writeln!(out, "{} {}", t.day, t.number);
                        let _ = out.flush();
                    }
                    Err(e) => {
                        eprintln!("motcua: {e}");
                        return ExitCode::FAILURE;
                    }
                }
            }
            ExitCode::SUCCESS
        }
    }
}
