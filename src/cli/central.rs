//! `motcua central`: run the central processing system, or manage its
//! devices, offices and reports.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::KioskArgs;
use super::portal::{PortalCommand, portal};
use motcua::setup;

#[derive(Args, Debug)]
pub struct CentralArgs {
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1:8686")]
    pub listen: std::net::SocketAddr,
    /// Requests per second allowed per device
    #[arg(long, default_value_t = 2000.0)]
    pub rate_limit: f64,
    /// Days the answers to devices' writes are kept (they hold personal data), 1 to 365
    /// [default: the configuration's `[retention] days`]
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=365))]
    pub retention_days: Option<u32>,
    /// The largest scanned document central takes, in MB (at most 20)
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=20))]
    pub document_max_mb: u64,
    /// The most a dossier's scanned documents may weigh together, in MB
    /// (at most 100)
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=100))]
    pub dossier_documents_max_mb: u64,
    /// HTTPS with devices' certificates, or plain HTTP (loopback only);
    /// `auto` serves HTTPS unless central listens on loopback
    #[arg(long, value_enum, default_value_t = TlsMode::Auto)]
    pub tls: TlsMode,
    /// A host name or address devices reach central by, for its server
    /// certificate (repeat for more)
    #[arg(long = "tls-name")]
    pub tls_names: Vec<String>,
    /// The city's certificate authority for central (PEM; one for central
    /// alone), instead of central's own; with --ca-key
    #[arg(long, requires = "ca_key")]
    pub ca_cert: Option<PathBuf>,
    /// The key of --ca-cert (PEM, readable by central's user only)
    #[arg(long, requires = "ca_cert")]
    pub ca_key: Option<PathBuf>,
    /// Central's database: `postgres://user@host:port/name` for a city's
    /// PostgreSQL, shared by several central processes [default: the
    /// configuration's `[central] database`, else the SQLite file in the
    /// data directory]
    #[arg(long, global = true)]
    pub database: Option<String>,
    #[command(subcommand)]
    pub command: Option<CentralCommand>,
}

/// Whether central serves HTTPS.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsMode {
    Auto,
    On,
    Off,
}

impl CentralArgs {
    /// The city's authority, if one was given.
    fn given_ca(&self) -> Option<motcua_central::tls::GivenCa> {
        Some(motcua_central::tls::GivenCa {
            cert: self.ca_cert.clone()?,
            key: self.ca_key.clone()?,
        })
    }

    /// How central serves: HTTPS, or plain HTTP on loopback only.
    fn tls_setup(&self) -> Result<Option<motcua_central::tls::TlsSetup>, String> {
        let loopback = self.listen.ip().is_loopback();
        let on = match self.tls {
            TlsMode::On => true,
            TlsMode::Auto => !loopback,
            TlsMode::Off if loopback => false,
            TlsMode::Off => {
                return Err(format!(
                    "--tls off: plain HTTP is served on loopback only, not on {}; devices across the network need HTTPS",
                    self.listen
                ));
            }
        };
        let mut names = self.tls_names.clone();
        if !self.listen.ip().is_unspecified() {
            names.push(self.listen.ip().to_string());
        }
        Ok(on.then(|| motcua_central::tls::TlsSetup {
            given: self.given_ca(),
            names,
        }))
    }
}

impl CentralArgs {
    /// `motcua central` as a machine whose configured role is central runs it.
    pub fn for_role() -> Self {
        Self {
            listen: std::net::SocketAddr::from(([0, 0, 0, 0], 8686)),
            rate_limit: 2000.0,
            retention_days: None,
            document_max_mb: 20,
            dossier_documents_max_mb: 100,
            tls: TlsMode::Auto,
            tls_names: Vec::new(),
            ca_cert: None,
            ca_key: None,
            database: None,
            command: None,
        }
    }
}

/// An office's agency code, checked before any device is enrolled under
/// it: every dossier code of the office starts with it.
fn agency_code(s: &str) -> Result<String, String> {
    motcua_core::dossier::check_agency_code(s)
        .map(|_| s.to_string())
        .map_err(|e| format!("mã cơ quan `{s}` không đúng dạng (QĐ 20/2020/QĐ-TTg) / the agency code {e}"))
}

#[derive(Subcommand, Debug)]
pub enum CentralCommand {
    /// Create a one-time enrollment token for a device (printed once)
    Enroll {
        /// Office code: its electronic agency code (QĐ 20/2020/QĐ-TTg), e.g.
        /// H26.22.15, or 000.00.01.H26 as 2018 codes wrote it
        #[arg(long, value_parser = agency_code)]
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
    /// Print central's pin: the SHA-256 of its certificate authority's
    /// public key, which every enrollment token carries
    Pin,
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
    /// List an office's open dossiers due by the end of the next working day (overdue ones too), each with the new appointment proposed for the apology form
    Due {
        #[arg(long)]
        office: String,
        /// Count from this moment (RFC 3339) instead of now
        #[arg(long)]
        at: Option<String>,
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
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
    #[command(flatten)]
    Move(super::move_office::MoveCommand),
}

pub fn central_dir(args: &KioskArgs) -> PathBuf {
    args.data_dir.clone().unwrap_or_else(|| {
        directories::ProjectDirs::from("vn", "motcua", "motcua")
            .map(|d| d.data_dir().join("central"))
            .unwrap_or_else(|| PathBuf::from("motcua-central"))
    })
}

pub fn central(args: CentralArgs, kiosk: KioskArgs) -> ExitCode {
    let dir = central_dir(&kiosk);
    let fail = |e: String| {
        eprintln!("motcua central: {e}");
        ExitCode::FAILURE
    };
    // The database named here or in the configuration is remembered in
    // the data directory, where every command on it finds it.
    let database = args.database.clone().or_else(|| {
        motcua::config::load(kiosk.config.as_deref())
            .ok()
            .and_then(|l| l.config.central.database)
    });
    if let Some(database) = &database {
        let named = motcua_central::db::Location::of(&dir, Some(database)).and_then(|l| l.remember(&dir));
        if let Err(e) = named {
            return fail(e.into());
        }
    }
    let given = args.given_ca();
    let authority = || motcua_central::tls::Authority::open(&dir, given.as_ref(), jiff::Timestamp::now());
    match args.command {
        None => {
            let tls = match args.tls_setup() {
                Ok(t) => t,
                Err(e) => return fail(e),
            };
            let options = motcua_central::Options {
                tls,
                rate_per_second: args.rate_limit,
                rate_burst: args.rate_limit * 2.0,
                cache_kib: 32 * 1024,
                documents: motcua_central::documents::Caps {
                    file_max: args.document_max_mb * 1024 * 1024,
                    dossier_max: args.dossier_documents_max_mb * 1024 * 1024,
                },
                // The configuration's retention period unless the command
                // line names one: `motcua central` and a machine whose role
                // is central keep answers alike.
                answers_days: args.retention_days.unwrap_or_else(|| {
                    motcua::config::load(kiosk.config.as_deref())
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
                match &app.tls {
                    Some(tls) => tracing::info!(listen = %args.listen, data_dir = %dir.display(), pin = %format!("sha256:{}", tls.authority.pin()), "central serving HTTPS"),
                    None => tracing::info!(listen = %args.listen, data_dir = %dir.display(), "central serving plain HTTP on loopback"),
                }
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
                    let pin = match authority() {
                        Ok(a) => a.pin().to_string(),
                        Err(e) => return fail(e.to_string()),
                    };
                    println!("{}", motcua_central::tls::token_with_pin(&token, &pin));
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
        Some(CentralCommand::Pin) => match authority() {
            Ok(a) => {
                println!("sha256:{}", a.pin());
                ExitCode::SUCCESS
            }
            Err(e) => fail(e.to_string()),
        },
        Some(CentralCommand::Revoke { device }) => {
            match motcua_central::admin(&dir, |c| motcua_central::auth::revoke(c, device)) {
                Ok(true) => {
                    println!(
                        "device {device} revoked; its receipt key, if it has one, is retired: receipts signed from now on with it are refused"
                    );
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
            let report = match motcua_central::admin(&dir, |c| {
                motcua_central::report::compute(c, &office, from, to, jiff::Timestamp::now())
            }) {
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
        Some(CentralCommand::Due { office, at, format }) => {
            let now = match at.as_deref().map(str::parse::<jiff::Timestamp>) {
                None => jiff::Timestamp::now(),
                Some(Ok(t)) => t,
                Some(Err(_)) => return fail("--at must be a time like 2026-11-28T09:00:00+07:00".into()),
            };
            let list = match motcua_central::admin(&dir, |c| {
                let catalog = motcua_central::office_catalog(c, &office)?;
                motcua_central::ontime::due_soon(c, &office, &catalog, now)
            }) {
                Ok(l) => l,
                Err(e) => return fail(e.into()),
            };
            if format == "json" {
                println!("{}", serde_json::to_string_pretty(&list).expect("serializes"));
            } else {
                print!("{}", motcua_central::ontime::due_soon_text(&list));
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
        Some(CentralCommand::Move(m)) => super::move_office::run(m, &dir, args.database.as_deref()),
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
